//! BASE (EID 0x10): versions, ids and extension probing.

use crate::{ExtensionSet, Outcome, SbiCall, SbiError, SbiHost};

/// The SBI specification version implemented: 2.0 (major in bits 24-30).
pub const SPEC_VERSION: u64 = 2 << 24;
/// hartvm's SBI implementation id. Ids 0-11 are assigned to other
/// implementations; this one spells "hart".
pub const IMPL_ID: u64 = 0x6861_7274;
/// hartvm's SBI implementation version (major << 16 | minor << 8 | patch).
pub const IMPL_VERSION: u64 = 0x0000_0100;

pub(crate) fn handle(call: &SbiCall, offered: ExtensionSet, host: &mut impl SbiHost) -> Outcome {
    let ids = host.machine_ids();
    Outcome::ret(match call.fid {
        0 => Ok(SPEC_VERSION),
        1 => Ok(IMPL_ID),
        2 => Ok(IMPL_VERSION),
        3 => Ok(offered.serves(call.args[0]) as u64),
        4 => Ok(ids[0]),
        5 => Ok(ids[1]),
        6 => Ok(ids[2]),
        _ => Err(SbiError::NotSupported),
    })
}

#[cfg(test)]
mod tests {
    use crate::mock::{call, MockHost};
    use crate::{eid, Extension, ExtensionSet, Outcome, SbiRet};

    #[test]
    fn versions_and_probe() {
        let mut h = MockHost::new(2);
        let mut set = ExtensionSet::default();
        assert_eq!(call(&mut h, eid::BASE, 0, &[]), Outcome::Return(SbiRet::ok(0x0200_0000)));
        assert_eq!(call(&mut h, eid::BASE, 1, &[]), Outcome::Return(SbiRet::ok(super::IMPL_ID)));
        for (id, present) in [(eid::BASE, 1), (eid::HSM, 1), (3, 1), (eid::SUSP, 0), (eid::PMU, 0), (0x1234, 0)] {
            let probe =
                crate::handle(&crate::SbiCall { eid: eid::BASE, fid: 3, args: [id, 0, 0, 0, 0, 0] }, set, &mut h);
            assert_eq!(probe, Outcome::Return(SbiRet::ok(present)), "probe {id:#x}");
        }
        set.set(Extension::Susp, true).unwrap();
        set.set(Extension::Hsm, false).unwrap();
        let probe = |id, h: &mut MockHost| {
            crate::handle(&crate::SbiCall { eid: eid::BASE, fid: 3, args: [id, 0, 0, 0, 0, 0] }, set, h)
        };
        assert_eq!(probe(eid::SUSP, &mut h), Outcome::Return(SbiRet::ok(1)));
        assert_eq!(probe(eid::HSM, &mut h), Outcome::Return(SbiRet::ok(0)));
        assert_eq!(call(&mut h, eid::BASE, 4, &[]), Outcome::Return(SbiRet::ok(0x11)));
        assert_eq!(call(&mut h, eid::BASE, 6, &[]), Outcome::Return(SbiRet::ok(0x33)));
        assert_eq!(call(&mut h, eid::BASE, 7, &[]), Outcome::Return(SbiRet { error: -2, value: 0 }));
    }
}
