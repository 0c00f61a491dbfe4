//! RFENCE (EID "RFNC"): fences run on other harts before the call returns.

use crate::ipi::harts;
use crate::{Outcome, RemoteFence, SbiCall, SbiError, SbiHost};

pub(crate) fn handle(call: &SbiCall, host: &mut impl SbiHost) -> Outcome {
    let [mask, base, start, size, asid, _] = call.args;
    let fence = match call.fid {
        0 => RemoteFence::FenceI,
        1 => RemoteFence::SfenceVma { start, size, asid: None },
        2 => RemoteFence::SfenceVma { start, size, asid: Some(asid) },
        // The hypervisor-extension fences (3 to 6) need H, which guests do not have.
        _ => return Outcome::error(SbiError::NotSupported),
    };
    Outcome::ret(harts(mask, base, host.num_harts()).map(|set| {
        host.remote_fence(set, fence);
        0
    }))
}

#[cfg(test)]
mod tests {
    use crate::mock::{call, Event, MockHost};
    use crate::{eid, Outcome, RemoteFence, SbiError, SbiRet};

    #[test]
    fn fences_reach_the_named_harts() {
        let mut h = MockHost::new(2);
        assert_eq!(call(&mut h, eid::RFENCE, 0, &[0b11, 0]), Outcome::Return(SbiRet::ok(0)));
        assert_eq!(call(&mut h, eid::RFENCE, 2, &[1, 1, 0x1000, 0x2000, 7]), Outcome::Return(SbiRet::ok(0)));
        assert_eq!(
            call(&mut h, eid::RFENCE, 1, &[0b100, 0, 0, 0]),
            Outcome::Return(SbiRet::err(SbiError::InvalidParam))
        );
        for fid in 3..=7 {
            assert_eq!(call(&mut h, eid::RFENCE, fid, &[1, 0]), Outcome::Return(SbiRet::err(SbiError::NotSupported)));
        }
        let vma = RemoteFence::SfenceVma { start: 0x1000, size: 0x2000, asid: Some(7) };
        assert_eq!(h.events, [Event::Fence(0b11, RemoteFence::FenceI), Event::Fence(0b10, vma)]);
    }
}
