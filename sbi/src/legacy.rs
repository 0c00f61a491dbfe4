//! Legacy v0.1 calls (EIDs 0x00 to 0x08): one function per EID, a0 only.

use crate::{HartSet, Outcome, RemoteFence, SbiCall, SbiError, SbiHost, SystemEvent};

const SET_TIMER: u64 = 0;
const CONSOLE_PUTCHAR: u64 = 1;
const CONSOLE_GETCHAR: u64 = 2;
const CLEAR_IPI: u64 = 3;
const SEND_IPI: u64 = 4;
const REMOTE_FENCE_I: u64 = 5;
const REMOTE_SFENCE_VMA: u64 = 6;
const REMOTE_SFENCE_VMA_ASID: u64 = 7;
const SHUTDOWN: u64 = 8;

pub(crate) fn handle(call: &SbiCall, host: &mut impl SbiHost) -> Outcome {
    let [a0, a1, a2, a3, ..] = call.args;
    match call.eid {
        SET_TIMER => host.set_timer(a0),
        CONSOLE_PUTCHAR | CONSOLE_GETCHAR => return Outcome::Forward,
        // Legacy calls return one value, in a0: here 0 if no IPI was
        // pending, a positive value if one was.
        CLEAR_IPI => return Outcome::Return(crate::SbiRet { error: host.clear_ipi() as i64, value: 0 }),
        SEND_IPI => match harts(host, a0) {
            Ok(set) => host.send_ipi(set),
            Err(e) => return Outcome::error(e),
        },
        REMOTE_FENCE_I | REMOTE_SFENCE_VMA | REMOTE_SFENCE_VMA_ASID => {
            let fence = match call.eid {
                REMOTE_FENCE_I => RemoteFence::FenceI,
                REMOTE_SFENCE_VMA => RemoteFence::SfenceVma { start: a1, size: a2, asid: None },
                _ => RemoteFence::SfenceVma { start: a1, size: a2, asid: Some(a3) },
            };
            match harts(host, a0) {
                Ok(set) => host.remote_fence(set, fence),
                Err(e) => return Outcome::error(e),
            }
        }
        SHUTDOWN => {
            host.stop_all_harts();
            return Outcome::System { event: SystemEvent::Shutdown, data: 0 };
        }
        _ => return Outcome::error(SbiError::NotSupported),
    }
    Outcome::ret(Ok(0))
}

/// The harts named by the mask word at guest virtual address `ptr`; a
/// null pointer names every hart. Bits beyond the last hart are ignored.
fn harts(host: &mut impl SbiHost, ptr: u64) -> Result<HartSet, SbiError> {
    let all = crate::ipi::all_harts(host.num_harts());
    if ptr == 0 {
        return Ok(all);
    }
    host.read_u64(ptr).map(|mask| mask & all).ok_or(SbiError::InvalidAddress)
}

#[cfg(test)]
mod tests {
    use crate::mock::{call, Event, MockHost};
    use crate::{Outcome, RemoteFence, SbiError, SbiRet, SystemEvent};

    #[test]
    fn legacy_calls() {
        let mut h = MockHost::new(3);
        h.memory.insert(0x8000_0100, 0b1111_0110);
        let ok = Outcome::Return(SbiRet::ok(0));
        assert_eq!(call(&mut h, 0, 0, &[99]), ok);
        assert_eq!(call(&mut h, 1, 0, &[b'x' as u64]), Outcome::Forward);
        assert_eq!(call(&mut h, 2, 0, &[]), Outcome::Forward);
        assert_eq!(call(&mut h, 3, 0, &[]), ok);
        assert_eq!(call(&mut h, 4, 0, &[0x8000_0100]), ok);
        assert_eq!(call(&mut h, 4, 0, &[0]), ok);
        assert_eq!(call(&mut h, 4, 0, &[0x10]), Outcome::Return(SbiRet::err(SbiError::InvalidAddress)));
        assert_eq!(call(&mut h, 6, 0, &[0, 0x1000, 0x1000]), ok);
        let shutdown = Outcome::System { event: SystemEvent::Shutdown, data: 0 };
        assert_eq!(call(&mut h, 8, 0, &[]), shutdown);
        let vma = RemoteFence::SfenceVma { start: 0x1000, size: 0x1000, asid: None };
        let expected = [
            Event::Timer(99),
            Event::ClearIpi,
            Event::Ipi(0b110),
            Event::Ipi(0b111),
            Event::Fence(0b111, vma),
            Event::StopAll,
        ];
        assert_eq!(h.events, expected);
    }
}
