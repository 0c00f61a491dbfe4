//! SRST (EID "SRST"): shutdown and reboot.

use crate::{Outcome, SbiCall, SbiError, SbiHost, SystemEvent};

pub(crate) fn handle(call: &SbiCall, host: &mut impl SbiHost) -> Outcome {
    if call.fid != 0 {
        return Outcome::error(SbiError::NotSupported);
    }
    let event = match call.arg32(0) {
        0 => SystemEvent::Shutdown,
        1 | 2 => SystemEvent::Reset, // cold and warm reboot
        _ => return Outcome::error(SbiError::InvalidParam),
    };
    let reason = call.arg32(1);
    // 0 no reason, 1 system failure; the rest is reserved or vendor-defined.
    if reason > 1 {
        return Outcome::error(SbiError::InvalidParam);
    }
    host.stop_all_harts();
    Outcome::System { event, data: reason as u64 }
}

#[cfg(test)]
mod tests {
    use crate::mock::{call, Event, MockHost};
    use crate::{eid, Outcome, SbiError, SbiRet, SystemEvent};

    #[test]
    fn reset_types_and_reasons() {
        let mut h = MockHost::new(1);
        let invalid = Outcome::Return(SbiRet::err(SbiError::InvalidParam));
        for (kind, reason) in [(3, 0), (0xefff_ffff, 0), (0xf000_0000, 0), (0, 2), (1, 0xf000_0000)] {
            assert_eq!(call(&mut h, eid::SRST, 0, &[kind, reason]), invalid, "{kind:#x}/{reason:#x}");
        }
        assert!(h.events.is_empty());
        let shutdown = Outcome::System { event: SystemEvent::Shutdown, data: 1 };
        assert_eq!(call(&mut h, eid::SRST, 0, &[0x1_0000_0000, 0x7_0000_0001]), shutdown);
        let warm = Outcome::System { event: SystemEvent::Reset, data: 0 };
        assert_eq!(call(&mut h, eid::SRST, 0, &[2, 0]), warm);
        assert_eq!(h.events, [Event::StopAll, Event::StopAll]);
        assert_eq!(call(&mut h, eid::SRST, 1, &[0, 0]), Outcome::Return(SbiRet::err(SbiError::NotSupported)));
    }
}
