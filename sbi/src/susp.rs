//! SUSP (EID "SUSP"): suspend to RAM, resumed by the VMM.

use crate::{Outcome, SbiCall, SbiError, SbiHost, SystemEvent};

pub(crate) fn handle(call: &SbiCall, host: &mut impl SbiHost) -> Outcome {
    if call.fid != 0 {
        return Outcome::error(SbiError::NotSupported);
    }
    let [_, resume_addr, opaque, ..] = call.args;
    // The specification's order: sleep type, caller, address, other harts.
    let sleep_type = call.arg32(0);
    if sleep_type != 0 {
        return Outcome::error(SbiError::InvalidParam);
    }
    if !host.caller_is_supervisor() {
        return Outcome::error(SbiError::Failed);
    }
    if !host.is_ram(resume_addr) {
        return Outcome::error(SbiError::InvalidAddress);
    }
    match host.system_suspend(resume_addr, opaque) {
        Ok(()) => Outcome::System { event: SystemEvent::Suspend, data: sleep_type as u64 },
        Err(e) => Outcome::error(e),
    }
}

#[cfg(test)]
mod tests {
    use crate::mock::{call, Event, MockHost};
    use crate::{eid, HsmStatus, Outcome, SbiError, SbiRet, SystemEvent};

    fn err(e: SbiError) -> Outcome {
        Outcome::Return(SbiRet::err(e))
    }

    #[test]
    fn checks_in_the_specifications_order() {
        let mut h = MockHost::new(2);
        h.status[1] = HsmStatus::Started;
        assert_eq!(call(&mut h, eid::SUSP, 0, &[1, 0x10, 0]), err(SbiError::InvalidParam));
        assert_eq!(call(&mut h, eid::SUSP, 0, &[0x8000_0000, 0x10, 0]), err(SbiError::InvalidParam));
        h.supervisor = false;
        assert_eq!(call(&mut h, eid::SUSP, 0, &[0, 0x10, 0]), err(SbiError::Failed));
        h.supervisor = true;
        assert_eq!(call(&mut h, eid::SUSP, 0, &[0, 0x10, 0]), err(SbiError::InvalidAddress));
        assert_eq!(call(&mut h, eid::SUSP, 0, &[0, 0x8000_0000, 0]), err(SbiError::Denied));
        h.status[1] = HsmStatus::Stopped;
        let suspend = Outcome::System { event: SystemEvent::Suspend, data: 0 };
        assert_eq!(call(&mut h, eid::SUSP, 0, &[0x5_0000_0000, 0x8000_0000, 77]), suspend);
        assert_eq!(h.events, [Event::SystemSuspend(0x8000_0000, 77)]);
        assert_eq!(call(&mut h, eid::SUSP, 1, &[]), err(SbiError::NotSupported));
    }
}
