//! HSM (EID "HSM"): starting, stopping and suspending harts.

use crate::{Outcome, SbiCall, SbiError, SbiHost};

/// hart_suspend types (the low 32 bits of a0).
const RETENTIVE: u32 = 0;
const NON_RETENTIVE: u32 = 0x8000_0000;

pub(crate) fn handle(call: &SbiCall, host: &mut impl SbiHost) -> Outcome {
    let [a0, a1, a2, ..] = call.args;
    match call.fid {
        0 => Outcome::ret(start(host, a0, a1, a2).map(|()| 0)),
        1 => match host.hart_stop() {
            Ok(()) => Outcome::NoReturn,
            Err(e) => Outcome::error(e),
        },
        2 => Outcome::ret(hart(host, a0).map(|h| host.hart_status(h) as u64)),
        3 => suspend(host, call.arg32(0), a1, a2),
        _ => Outcome::error(SbiError::NotSupported),
    }
}

fn hart(host: &impl SbiHost, id: u64) -> Result<usize, SbiError> {
    usize::try_from(id).ok().filter(|&h| h < host.num_harts()).ok_or(SbiError::InvalidParam)
}

fn start(host: &mut impl SbiHost, id: u64, start_addr: u64, opaque: u64) -> Result<(), SbiError> {
    let target = hart(host, id)?;
    if !host.is_ram(start_addr) {
        return Err(SbiError::InvalidAddress);
    }
    host.hart_start(target, start_addr, opaque)
}

fn suspend(host: &mut impl SbiHost, kind: u32, resume_addr: u64, opaque: u64) -> Outcome {
    match kind {
        RETENTIVE => {
            host.hart_suspend_retentive();
            Outcome::ret(Ok(0))
        }
        NON_RETENTIVE if !host.is_ram(resume_addr) => Outcome::error(SbiError::InvalidAddress),
        NON_RETENTIVE => {
            host.hart_suspend_non_retentive(resume_addr, opaque);
            Outcome::NoReturn
        }
        // Reserved, or platform-specific types hartvm does not define.
        _ => Outcome::error(SbiError::InvalidParam),
    }
}

#[cfg(test)]
mod tests {
    use crate::mock::{call, Event, MockHost};
    use crate::{eid, HsmStatus, Outcome, SbiError, SbiRet};

    fn err(e: SbiError) -> Outcome {
        Outcome::Return(SbiRet::err(e))
    }

    #[test]
    fn hart_start_checks_id_then_address_then_state() {
        let mut h = MockHost::new(2);
        assert_eq!(call(&mut h, eid::HSM, 0, &[2, 0x8000_0000, 0]), err(SbiError::InvalidParam));
        assert_eq!(call(&mut h, eid::HSM, 0, &[u64::MAX, 0x8000_0000, 0]), err(SbiError::InvalidParam));
        assert_eq!(call(&mut h, eid::HSM, 0, &[1, 0x1000, 0]), err(SbiError::InvalidAddress));
        assert_eq!(call(&mut h, eid::HSM, 0, &[0, 0x8000_0000, 0]), err(SbiError::AlreadyAvailable));
        assert_eq!(call(&mut h, eid::HSM, 0, &[1, 0x8000_0000, 42]), Outcome::Return(SbiRet::ok(0)));
        assert_eq!(h.events, [Event::Start(1, 0x8000_0000, 42)]);
        assert_eq!(call(&mut h, eid::HSM, 0, &[1, 0x8000_0000, 42]), err(SbiError::AlreadyAvailable));
    }

    #[test]
    fn status_and_stop() {
        let mut h = MockHost::new(2);
        assert_eq!(call(&mut h, eid::HSM, 2, &[1]), Outcome::Return(SbiRet::ok(HsmStatus::Stopped as u64)));
        assert_eq!(call(&mut h, eid::HSM, 2, &[0]), Outcome::Return(SbiRet::ok(HsmStatus::Started as u64)));
        assert_eq!(call(&mut h, eid::HSM, 2, &[2]), err(SbiError::InvalidParam));
        assert_eq!(call(&mut h, eid::HSM, 1, &[]), Outcome::NoReturn);
        assert_eq!(h.events, [Event::Stop]);
    }

    #[test]
    fn suspend_types() {
        let mut h = MockHost::new(1);
        // Only the low 32 bits select the type.
        assert_eq!(call(&mut h, eid::HSM, 3, &[0xffff_ffff_0000_0000, 0, 0]), Outcome::Return(SbiRet::ok(0)));
        assert_eq!(call(&mut h, eid::HSM, 3, &[0x8000_0000, 0x8000_1000, 9]), Outcome::NoReturn);
        assert_eq!(call(&mut h, eid::HSM, 3, &[0x8000_0000, 0x10, 9]), err(SbiError::InvalidAddress));
        for reserved in [1, 0x0fff_ffff, 0x1000_0000, 0x8000_0001, 0x9000_0000, 0xffff_ffff] {
            assert_eq!(call(&mut h, eid::HSM, 3, &[reserved, 0x8000_0000, 0]), err(SbiError::InvalidParam));
        }
        assert_eq!(h.events, [Event::SuspendRetentive, Event::SuspendNonRetentive(0x8000_1000, 9)]);
        assert_eq!(call(&mut h, eid::HSM, 4, &[]), err(SbiError::NotSupported));
    }
}
