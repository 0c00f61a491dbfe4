//! One RAM check for several accesses off one base register.
//!
//! In direct mode every load checks that its address is in RAM, and every
//! store also that its page is not flagged (code, a watched word), and
//! that it is aligned, so that it stays within that page. Code often
//! accesses several words off one base register that does not change in
//! between: a function saving and restoring registers on its stack, an
//! unrolled copy, the fields of a structure. The first access of such a
//! group checks the bytes all of them touch, and the others check
//! nothing: the check is a property of the base register's value alone,
//! and the first access runs before the others on every path to them. A
//! group's stores need not be aligned: spanning at most a page, they touch
//! at most the two pages holding their first and last byte, and the check
//! looks at both.
//!
//! When the group's check fails (some access of it would leave RAM or
//! store to a flagged page), the translation leaves at the first access,
//! before any of the group ran, and the interpreter runs it: exactly where
//! an access of its own would have left for one of them.

use hartvm_frontend::{Inst, Op};

use crate::trace::{written, Trace};

/// Most bytes one group spans: its stores then touch at most two pages,
/// the ones holding its first and its last byte.
const MAX_SPAN: i64 = 4096;

/// How one instruction's access is checked (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RamCheck {
    /// By its own check (not a plain access, or alone in its group).
    Own,
    /// By a check that also covers the later accesses of its group.
    Leads(Span),
    /// Already, by its group's first access.
    Covered,
}

/// The bytes a group of accesses touches, as offsets from its base
/// register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    /// The leader's own offset (its immediate).
    pub leader: i64,
    /// Every access lies in `lo..hi`.
    pub lo: i64,
    /// See `lo`.
    pub hi: i64,
    /// Where the group's stores lie, if it has any.
    pub stores: Option<Stores>,
}

/// Where the stores of a group lie (see [`Span`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Stores {
    /// The stores lie in `lo..hi`.
    pub lo: i64,
    /// See `lo`.
    pub hi: i64,
}

/// A plain access: `(size, is_store)`.
fn access(i: &Inst) -> Option<(i64, bool)> {
    use Op::*;
    Some(match i.op {
        Lb | Lbu => (1, false),
        Lh | Lhu => (2, false),
        Lw | Lwu | Flw => (4, false),
        Ld | Fld => (8, false),
        Sb => (1, true),
        Sh => (2, true),
        Sw | Fsw => (4, true),
        Sd | Fsd => (8, true),
        _ => return None,
    })
}

/// Whether groups stay open across `op`: it cannot flag a page. Atomics
/// (LR reserves a word by flagging its page) and `fence` (a `pause`
/// calls into the runtime) close them all.
pub(crate) fn keeps_groups(op: Op) -> bool {
    op.amo_width().is_none() && op != Op::Fence
}

/// A group being gathered: its leader's index and what it covers so far.
#[derive(Clone, Copy)]
struct Open {
    leader: usize,
    span: Span,
    members: usize,
}

impl Open {
    fn new(leader: usize, off: i64, size: i64, store: bool) -> Open {
        let stores = store.then_some(Stores { lo: off, hi: off + size });
        Open { leader, span: Span { leader: off, lo: off, hi: off + size, stores }, members: 0 }
    }

    /// Adds the access at `off` of `size` bytes if the group can cover it.
    fn admit(&mut self, off: i64, size: i64, store: bool) -> bool {
        let s = &mut self.span;
        let (lo, hi) = (s.lo.min(off), s.hi.max(off + size));
        if hi - lo > MAX_SPAN {
            return false;
        }
        (s.lo, s.hi) = (lo, hi);
        if store {
            s.stores = Some(match s.stores {
                Some(t) => Stores { lo: t.lo.min(off), hi: t.hi.max(off + size) },
                None => Stores { lo: off, hi: off + size },
            });
        }
        self.members += 1;
        true
    }
}

/// How each instruction of `trace` checks its access, when RAM is
/// reached directly (without a TLB). A group runs from its first access
/// while its base register is not written, up to a join (where other
/// paths come in) or an instruction that may flag a page.
pub(crate) fn ram_checks(trace: &Trace) -> Vec<RamCheck> {
    let mut checks = vec![RamCheck::Own; trace.insts.len()];
    let mut open: [Option<Open>; 32] = [None; 32];
    let close = |open: &mut Option<Open>, checks: &mut [RamCheck]| {
        if let Some(g) = open.take().filter(|g| g.members > 0) {
            checks[g.leader] = RamCheck::Leads(g.span);
        }
    };
    for (k, ti) in trace.insts.iter().enumerate() {
        let i = &ti.inst;
        if trace.is_join(k) || !keeps_groups(i.op) {
            open.iter_mut().for_each(|g| close(g, &mut checks));
        }
        if let Some((size, store)) = access(i).filter(|_| i.rs1 != 0) {
            let off = i.imm as i64;
            match &mut open[i.rs1 as usize] {
                Some(g) => {
                    if g.admit(off, size, store) {
                        checks[k] = RamCheck::Covered;
                    }
                }
                group @ None => *group = Some(Open::new(k, off, size, store)),
            }
        }
        let mut wx = written(i).0;
        while wx != 0 {
            close(&mut open[wx.trailing_zeros() as usize], &mut checks);
            wx &= wx - 1;
        }
    }
    open.iter_mut().for_each(|g| close(g, &mut checks));
    checks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{TraceEnd, TraceInst};
    use hartvm_frontend::decode;
    use RamCheck::{Covered, Own};

    /// A straight trace of `words` (32-bit encodings).
    fn trace(words: &[u32]) -> Trace {
        let insts =
            words.iter().enumerate().map(|(k, &w)| TraceInst { inst: decode(w), delta: 4 * k as i64 }).collect();
        Trace { insts, end: TraceEnd::Direct(4 * words.len() as i64), loops: false, guest_bytes: 4 * words.len() }
    }

    fn leads(leader: i64, lo: i64, hi: i64, stores: Option<(i64, i64)>) -> RamCheck {
        let stores = stores.map(|(lo, hi)| Stores { lo, hi });
        RamCheck::Leads(Span { leader, lo, hi, stores })
    }

    const SD_RA_88_SP: u32 = 0x0411_3c23; // sd ra, 88(sp)
    const SD_S0_80_SP: u32 = 0x0481_3823; // sd s0, 80(sp)
    const SW_S1_4_SP: u32 = 0x0091_2223; // sw s1, 4(sp)
    const LD_A0_0_A1: u32 = 0x0005_b503; // ld a0, 0(a1)
    const LW_A2_8_A1: u32 = 0x0085_a603; // lw a2, 8(a1)
    const LD_A1_16_A1: u32 = 0x0105_b583; // ld a1, 16(a1)
    const LD_A3_24_A1: u32 = 0x0185_b683; // ld a3, 24(a1)
    const ADDI_A1_A1_8: u32 = 0x0085_8593; // addi a1, a1, 8
    const ADDI_A0_A0_1: u32 = 0x0015_0513; // addi a0, a0, 1
    const SD_A0_3_A1: u32 = 0x00a5_b1a3; // sd a0, 3(a1)
    const LD_A0_2047_A1: u32 = 0x7ff5_b503; // ld a0, 2047(a1)
    const SD_A0_M2048_A1: u32 = 0x80a5_b023; // sd a0, -2048(a1)
    const AMOADD_W: u32 = 0x00c5_a6af; // amoadd.w a3, a2, (a1)
    const BNE_A0_ZERO_8: u32 = 0x0005_1463; // bne a0, zero, +8
    const BEQ_A0_ZERO_8: u32 = 0x0005_0463; // beq a0, zero, +8
    const LD_A0_0_ZERO: u32 = 0x0000_3503; // ld a0, 0(zero)
    const LD_A4_0_ZERO: u32 = 0x0000_3703; // ld a4, 0(zero)

    #[test]
    fn groups_form_off_one_unchanged_base() {
        let cases: &[(&str, &[u32], &[RamCheck])] = &[
            (
                "a stack frame saved",
                &[SD_RA_88_SP, SD_S0_80_SP, SW_S1_4_SP],
                &[leads(88, 4, 96, Some((4, 96))), Covered, Covered],
            ),
            ("loads only", &[LD_A0_0_A1, LW_A2_8_A1], &[leads(0, 0, 12, None), Covered]),
            ("a lone access checks itself", &[LD_A0_0_A1, ADDI_A0_A0_1], &[Own, Own]),
            (
                "the base written by a member ends the group after it",
                &[LD_A0_0_A1, LD_A1_16_A1, LD_A3_24_A1],
                &[leads(0, 0, 24, None), Covered, Own],
            ),
            (
                "the base written by another instruction",
                &[LD_A0_0_A1, ADDI_A1_A1_8, LW_A2_8_A1, LD_A3_24_A1],
                &[Own, Own, leads(8, 8, 32, None), Covered],
            ),
            (
                "a misaligned store offset",
                &[LD_A0_0_A1, SD_A0_3_A1, LW_A2_8_A1],
                &[leads(0, 0, 12, Some((3, 11))), Covered, Covered],
            ),
            (
                "a span over 4096 bytes is not covered",
                &[SD_A0_M2048_A1, LD_A0_2047_A1, LD_A3_24_A1],
                &[leads(-2048, -2048, 32, Some((-2048, -2040))), Own, Covered],
            ),
            ("an atomic closes every group", &[LD_A0_0_A1, AMOADD_W, LW_A2_8_A1], &[Own, Own, Own]),
            (
                "a branch leaving the trace keeps the group",
                &[LW_A2_8_A1, BNE_A0_ZERO_8, LD_A3_24_A1],
                &[leads(8, 8, 32, None), Own, Covered],
            ),
            ("x0 as base is never grouped", &[LD_A0_0_ZERO, LD_A4_0_ZERO], &[Own, Own]),
        ];
        for (what, words, want) in cases {
            assert_eq!(ram_checks(&trace(words)), *want, "{what}");
        }
    }

    #[test]
    fn a_join_closes_every_group() {
        // The beq targets the third instruction: another path reaches it.
        let t = trace(&[LD_A0_0_A1, BEQ_A0_ZERO_8, LW_A2_8_A1, LD_A3_24_A1]);
        assert!(t.is_join(3));
        assert_eq!(ram_checks(&t), [leads(0, 0, 12, None), Own, Covered, Own]);
        let t = trace(&[LD_A0_0_A1, BEQ_A0_ZERO_8, ADDI_A0_A0_1, LW_A2_8_A1, LD_A3_24_A1]);
        assert_eq!(ram_checks(&t), [Own, Own, Own, leads(8, 8, 32, None), Covered]);
    }
}
