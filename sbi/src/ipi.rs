//! IPI (EID "sPI"): supervisor software interrupts to other harts.

use crate::{HartSet, Outcome, SbiCall, SbiError, SbiHost};

pub(crate) fn handle(call: &SbiCall, host: &mut impl SbiHost) -> Outcome {
    match call.fid {
        0 => Outcome::ret(harts(call.args[0], call.args[1], host.num_harts()).map(|set| {
            host.send_ipi(set);
            0
        })),
        _ => Outcome::error(SbiError::NotSupported),
    }
}

/// The harts `hart_mask` and `hart_mask_base` name (base -1: every hart);
/// INVALID_PARAM if any named hart does not exist.
pub(crate) fn harts(mask: u64, base: u64, num_harts: usize) -> Result<HartSet, SbiError> {
    if base == u64::MAX {
        return Ok(all_harts(num_harts));
    }
    let mut set = 0;
    let mut rest = mask;
    while rest != 0 {
        let bit = rest.trailing_zeros() as u64;
        rest &= rest - 1;
        match base.checked_add(bit) {
            Some(hart) if hart < num_harts as u64 => set |= 1 << hart,
            _ => return Err(SbiError::InvalidParam),
        }
    }
    Ok(set)
}

/// Every hart of a VM with `num_harts` harts.
pub(crate) fn all_harts(num_harts: usize) -> HartSet {
    if num_harts >= 64 {
        u64::MAX
    } else {
        (1u64 << num_harts) - 1
    }
}

#[cfg(test)]
mod tests {
    use super::harts;
    use crate::mock::{call, Event, MockHost};
    use crate::{eid, Outcome, SbiError, SbiRet};

    #[test]
    fn hart_masks() {
        assert_eq!(harts(0b101, 0, 4), Ok(0b101));
        assert_eq!(harts(0b11, 2, 4), Ok(0b1100));
        assert_eq!(harts(0b111, 2, 4), Err(SbiError::InvalidParam));
        assert_eq!(harts(1, 4, 4), Err(SbiError::InvalidParam));
        assert_eq!(harts(0, 4, 4), Ok(0));
        assert_eq!(harts(0, u64::MAX, 3), Ok(0b111));
        assert_eq!(harts(1 << 63, 1, 64), Err(SbiError::InvalidParam));
        assert_eq!(harts(1, u64::MAX - 1, 64), Err(SbiError::InvalidParam));
        assert_eq!(harts(5, u64::MAX, 64), Ok(u64::MAX));
    }

    #[test]
    fn send_ipi_reaches_exactly_the_named_harts() {
        let mut h = MockHost::new(4);
        assert_eq!(call(&mut h, eid::IPI, 0, &[0b10, 1]), Outcome::Return(SbiRet::ok(0)));
        assert_eq!(call(&mut h, eid::IPI, 0, &[0b1, 4]), Outcome::Return(SbiRet::err(SbiError::InvalidParam)));
        assert_eq!(h.events, [Event::Ipi(0b100)]);
    }
}
