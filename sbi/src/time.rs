//! TIME (EID "TIME"): the supervisor timer.

use crate::{Outcome, SbiCall, SbiError, SbiHost};

pub(crate) fn handle(call: &SbiCall, host: &mut impl SbiHost) -> Outcome {
    match call.fid {
        0 => {
            host.set_timer(call.args[0]);
            Outcome::ret(Ok(0))
        }
        _ => Outcome::error(SbiError::NotSupported),
    }
}

#[cfg(test)]
mod tests {
    use crate::mock::{call, Event, MockHost};
    use crate::{eid, Outcome, SbiRet};

    #[test]
    fn set_timer_programs_the_callers_timer() {
        let mut h = MockHost::new(1);
        assert_eq!(call(&mut h, eid::TIME, 0, &[12345]), Outcome::Return(SbiRet::ok(0)));
        assert_eq!(h.events, [Event::Timer(12345)]);
        assert_eq!(call(&mut h, eid::TIME, 1, &[0]), Outcome::Return(SbiRet { error: -2, value: 0 }));
    }
}
