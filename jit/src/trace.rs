//! Superblock discovery: the instructions one translation covers, found by
//! following the likely path through a page of guest code.

use hartvm_frontend::{decode, Inst, Op};

use crate::abi::{is_link, JumpRecord, Mode};

/// Bytes in a guest page: a translation never leaves the page it starts in.
pub const PAGE: usize = 4096;

/// Longest translation, in guest instructions.
pub const MAX_TRACE_INSTS: usize = 128;

/// How far the path after a loop's back edge may go before it must have
/// come back into the loop to stay in the same translation.
const RETURN_WITHIN: usize = 32;

/// Calls followed into their callee whose return the trace can still
/// expect (a return-address stack, as hardware keeps).
const MAX_CALL_DEPTH: usize = 8;

/// One instruction of a trace and where it sits.
#[derive(Clone, Copy, Debug)]
pub struct TraceInst {
    /// The decoded instruction (register fields below 32).
    pub inst: Inst,
    /// Its pc minus the translation's entry pc.
    pub delta: i64,
}

/// How a trace ends after its last instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceEnd {
    /// Continue at entry pc + delta (a fall-through, or a followed jump's
    /// target that could not be followed further).
    Direct(i64),
    /// The instruction at entry pc + delta needs the interpreter.
    Step(i64),
    /// The last instruction is a `jalr` (one whose target the trace did
    /// not predict).
    Jump,
}

/// A superblock: straight-line code with side exits at taken branches,
/// and internal edges where a branch or jump targets one of its own
/// instructions (a loop, or an if-else whose arms meet again).
///
/// Calls (`jal` linking `ra` or `t0`) within the page are followed into
/// the callee, and a return (`jalr zero, 0(ra|t0)`) after one is
/// followed back to the instruction after the call: such a `jalr` is
/// not the last instruction, and the one after it is where the trace
/// expects it to go (the translation checks, and leaves through the jump
/// cache when it goes elsewhere).
#[derive(Clone, Debug)]
pub struct Trace {
    /// Instructions in execution order.
    pub insts: Vec<TraceInst>,
    /// What happens after the last one.
    pub end: TraceEnd,
    /// Some branch or jump targets an instruction of the trace: the
    /// translation has internal control flow (and loads every register
    /// it touches up front).
    pub loops: bool,
    /// Guest bytes covered, counted once per instruction.
    pub guest_bytes: usize,
}

impl Trace {
    /// The index of the instruction at entry pc + `delta`, if the trace
    /// holds it.
    pub fn index_of(&self, delta: i64) -> Option<usize> {
        self.insts.iter().position(|i| i.delta == delta)
    }

    /// Whether control may reach instruction `index` other than from the
    /// one before it.
    pub fn is_join(&self, index: usize) -> bool {
        let delta = self.insts[index].delta;
        self.insts.iter().any(|i| i.inst.op.is_conditional_branch() && i.delta + i.inst.imm as i64 == delta)
            || matches!(self.end, TraceEnd::Direct(d) if d == delta)
    }
}

/// Whether `op` is translated inline or through a helper (the rest end
/// the trace and run in the interpreter).
pub fn translatable(op: Op, rm: u8, mode: Mode) -> bool {
    use Op::*;
    match op {
        Illegal | Ecall | Ebreak | FenceI | Csrrw | Csrrs | Csrrc | Csrrwi | Csrrsi | Csrrci | Mret | Sret | Wfi
        | SfenceVma => false,
        _ if is_fp(op) => mode.fp && !matches!(rm, 5 | 6),
        _ => true,
    }
}

/// F and D instructions (the ones that need the FP unit on).
pub fn is_fp(op: Op) -> bool {
    (op as u16) >= (Op::Flw as u16) && (op as u16) <= (Op::FmvDX as u16)
}

fn read_u16(page: &[u8], off: usize) -> u16 {
    u16::from_le_bytes([page[off], page[off + 1]])
}

/// Where the path may be cut: just after a branch back into the trace,
/// unless the code after it comes back into the trace within
/// [`RETURN_WITHIN`] instructions (the other arm of an if-else in a loop).
/// Code after a loop is usually unrelated to it (or an outer loop), and
/// keeping it in the loop's function would only keep more values alive
/// in the loop.
#[derive(Clone, Copy)]
struct Cut {
    insts: usize,
    guest_bytes: usize,
    next: i64,
}

impl Cut {
    /// Ends `trace` here: what follows becomes the next translation.
    fn apply(self, trace: &mut Trace) {
        trace.insts.truncate(self.insts);
        trace.guest_bytes = self.guest_bytes;
        trace.end = TraceEnd::Direct(self.next);
    }
}

/// Where a page's indirect jumps were seen to go, as page offsets: a
/// trace follows such a jump to its recorded target, and the translation
/// checks that it goes there (leaving through the jump cache when not).
/// Taken from a vCPU's [`JumpRecord`]s when its code is compiled.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JumpTargets(Vec<(u16, u16)>);

impl JumpTargets {
    /// No predictions.
    pub const NONE: JumpTargets = JumpTargets(Vec::new());

    /// The records of jumps from the virtual page at `page_va` to the same
    /// page (a trace never leaves its page).
    pub fn from_records(records: &[JumpRecord], page_va: u64) -> JumpTargets {
        let offset = |va: u64| (va & !(PAGE as u64 - 1) == page_va).then_some((va & (PAGE as u64 - 1)) as u16);
        JumpTargets(records.iter().filter_map(|r| Some((offset(r.from)?, offset(r.to)?))).collect())
    }

    /// The recorded target of the jump at page offset `from`.
    pub fn get(&self, from: usize) -> Option<usize> {
        self.0.iter().find(|&&(f, _)| f as usize == from).map(|&(_, to)| to as usize)
    }
}

/// Decodes the trace starting at byte `start` of `page`, following
/// indirect jumps to the `targets` recorded for them; `None` if its first
/// instruction cannot be translated.
pub fn build(page: &[u8], start: usize, mode: Mode, targets: &JumpTargets) -> Option<Trace> {
    debug_assert_eq!(page.len(), PAGE);
    let mut trace = Trace { insts: Vec::new(), end: TraceEnd::Direct(0), loops: false, guest_bytes: 0 };
    let mut visited = vec![false; PAGE / 2];
    let mut cut: Option<Cut> = None;
    // Return addresses (deltas) of the calls followed, innermost last.
    let mut calls: Vec<i64> = Vec::new();
    let (mut off, mut delta) = (start, 0i64);
    loop {
        if let Some(c) = cut.take_if(|c| trace.insts.len() - c.insts > RETURN_WITHIN) {
            c.apply(&mut trace);
            break;
        }
        if trace.insts.len() >= MAX_TRACE_INSTS || off + 2 > PAGE || visited[off / 2] {
            trace.end = TraceEnd::Direct(delta);
            break;
        }
        let low = read_u16(page, off) as u32;
        let raw = if low & 3 == 3 {
            if off + 4 > PAGE {
                trace.end = TraceEnd::Direct(delta);
                break;
            }
            low | (read_u16(page, off + 2) as u32) << 16
        } else {
            low
        };
        let mut inst = decode(raw);
        inst.rd &= 31;
        inst.rs1 &= 31;
        inst.rs2 &= 31;
        inst.rs3 &= 31;
        if !translatable(inst.op, inst.rm, mode) {
            trace.end = TraceEnd::Step(delta);
            break;
        }
        visited[off / 2] = true;
        trace.insts.push(TraceInst { inst, delta });
        trace.guest_bytes += inst.len as usize;
        match inst.op {
            Op::Jalr => {
                let returns = JumpRecord::is_return(&inst);
                let to = if returns { calls.pop() } else { targets.get(off).map(|to| to as i64 - start as i64) };
                let Some(to) = to.filter(|&to| fresh(&visited, start, to)) else {
                    trace.end = TraceEnd::Jump;
                    break;
                };
                if !returns && is_link(inst.rd) {
                    push_call(&mut calls, delta + inst.len as i64);
                }
                off = (start as i64 + to) as usize;
                delta = to;
                continue;
            }
            Op::Jal => {
                let target = delta + inst.imm as i64;
                let target_off = start as i64 + target;
                if !(0..PAGE as i64).contains(&target_off) {
                    trace.end = TraceEnd::Direct(target);
                    break;
                }
                if visited[target_off as usize / 2] {
                    // Back into the trace (a jump to the entry included).
                    trace.end = TraceEnd::Direct(target);
                    break;
                }
                if is_link(inst.rd) {
                    push_call(&mut calls, delta + inst.len as i64);
                }
                off = target_off as usize;
                delta = target;
                continue;
            }
            op if op.is_conditional_branch() => {
                let target_off = start as i64 + delta + inst.imm as i64;
                let back = (0..PAGE as i64).contains(&target_off) && visited[target_off as usize / 2];
                // After an outer loop's back edge, not its inner loop's.
                if back {
                    let next = delta + inst.len as i64;
                    cut = Some(Cut { insts: trace.insts.len(), guest_bytes: trace.guest_bytes, next });
                }
            }
            _ => {}
        }
        off += inst.len as usize;
        delta += inst.len as i64;
    }
    let came_back = matches!(trace.end, TraceEnd::Direct(d) if trace.index_of(d).is_some());
    if let Some(c) = cut.filter(|_| !came_back) {
        c.apply(&mut trace);
    }
    if trace.insts.is_empty() {
        return None;
    }
    trace.loops = (0..trace.insts.len()).any(|k| trace.is_join(k));
    Some(trace)
}

/// Pushes a followed call's return address (a delta) on `calls`, the
/// oldest dropped when it is full.
fn push_call(calls: &mut Vec<i64>, ret: i64) {
    if calls.len() == MAX_CALL_DEPTH {
        calls.remove(0);
    }
    calls.push(ret);
}

/// Whether the instruction at entry pc + `delta` is in the page and not
/// yet in the trace.
fn fresh(visited: &[bool], start: usize, delta: i64) -> bool {
    let off = start as i64 + delta;
    (0..PAGE as i64 - 1).contains(&off) && !visited[off as usize / 2]
}

/// Most instructions a branch may skip and still become selects.
const MAX_SKIPPED: usize = 4;

/// If instruction `index` of `trace` is a conditional branch forward over
/// 1 to `MAX_SKIPPED` instructions that only compute (integer ALU
/// operations: no memory, no exits, no divisions, which are slow to run
/// for nothing) and that nothing else jumps into, the index of its
/// target. Such a branch becomes selects: the instructions run either
/// way, as compilers do for `x = c ? a : b` on hosts with conditional
/// moves. Data-dependent branches like these (a CRC's carry bit, a
/// compare-and-swap of two values) are the ones a host mispredicts.
pub fn if_converted(trace: &Trace, index: usize) -> Option<usize> {
    use Op::*;
    let ti = &trace.insts[index];
    if !ti.inst.op.is_conditional_branch() {
        return None;
    }
    let end = trace.index_of(ti.delta + ti.inst.imm as i64).filter(|&t| t > index + 1)?;
    if end - index - 1 > MAX_SKIPPED {
        return None;
    }
    let pure = |k: usize| {
        let op = trace.insts[k].inst.op;
        !(is_fp(op)
            || op.is_conditional_branch()
            || op.amo_width().is_some()
            || trace.is_join(k)
            || matches!(
                op,
                Jal | Jalr
                    | Lb
                    | Lh
                    | Lw
                    | Ld
                    | Lbu
                    | Lhu
                    | Lwu
                    | Sb
                    | Sh
                    | Sw
                    | Sd
                    | Fence
                    | Div
                    | Divu
                    | Rem
                    | Remu
                    | Divw
                    | Divuw
                    | Remw
                    | Remuw
            ))
    };
    // Branches and the pure instructions are never followed jumps, so the
    // skipped instructions are the ones in the guest's code between them.
    (index + 1..end).all(pure).then_some(end)
}

/// Integer registers a loop may hold in host registers before it reads
/// the ones it never writes from memory (x86-64 has 14 allocatable, less
/// the context, the TLB base, the iteration budget and temporaries).
const HELD_X: u32 = 9;

/// The registers (integer, FP) a translation reads from memory at each
/// use instead of holding them in variables: in a loop, the ones it never
/// writes, integer ones only if the loop uses more than the host can
/// spare. Held, they would stay live across the whole loop, and the
/// register allocator would spill them and store them back on every
/// iteration (measured: 4.48 to 4.16 host instructions per guest
/// instruction on `memcpy`, 7.68 to 7.23 on `fp_kernel`); a load at each
/// use folds into the instruction that uses it. FP registers are always
/// read so: an FP operation whose operands are all loop-invariant values
/// would be hoisted out of the loop (Cranelift sees no side effect in it),
/// and run where the guest may not run it, raising its exception flags on
/// the host (see [`crate::host_fp`]). Straight traces load each register
/// once.
pub fn read_in_place(trace: &Trace) -> (u32, u32) {
    if !trace.loops {
        return (0, 0);
    }
    let (mut touched, mut written_any) = ((0u32, 0u32), (0u32, 0u32));
    for ti in &trace.insts {
        let (u, w) = (uses(&ti.inst), written(&ti.inst));
        touched = (touched.0 | u.x, touched.1 | u.f);
        written_any = (written_any.0 | w.0, written_any.1 | w.1);
    }
    let crowded = |touched: u32, held: u32| if touched.count_ones() > held { !0 } else { 0 };
    (touched.0 & !written_any.0 & crowded(touched.0, HELD_X), touched.1 & !written_any.1)
}

/// The integer and FP registers `i` may write (never missing one).
pub fn written(i: &Inst) -> (u32, u32) {
    use Op::*;
    let bit = 1u32 << i.rd;
    match i.op {
        op if op.is_conditional_branch() => (0, 0),
        Sb | Sh | Sw | Sd | Fsw | Fsd | Fence => (0, 0),
        op if is_fp(op) && !writes_int(op) => (0, bit),
        _ => (bit & !1, 0),
    }
}

/// Registers an instruction may read or write, as bit masks (x0 and the
/// fields an encoding does not use may be included: over-approximation
/// only costs a load or store).
#[derive(Clone, Copy, Debug, Default)]
pub struct Uses {
    /// Integer registers touched.
    pub x: u32,
    /// FP registers touched.
    pub f: u32,
}

/// The registers `inst` touches.
pub fn uses(inst: &Inst) -> Uses {
    let bit = |r: u8| 1u32 << r;
    let op = inst.op;
    if !is_fp(op) {
        return Uses { x: (bit(inst.rd) | bit(inst.rs1) | bit(inst.rs2)) & !1, f: 0 };
    }
    let reads = fp_reads(op);
    let on = |read: bool, r: u8| if read { bit(r) } else { 0 };
    let stores = matches!(op, Op::Fsw | Op::Fsd);
    Uses {
        x: (on(reads.x1, inst.rs1) | on(writes_int(op), inst.rd)) & !1,
        f: on(reads.f1, inst.rs1)
            | on(reads.f2, inst.rs2)
            | on(reads.f3, inst.rs3)
            | on(!writes_int(op) && !stores, inst.rd),
    }
}

/// The operands an F/D instruction reads (the register fields it does
/// not use hold whatever the encoding has there).
#[derive(Clone, Copy, Debug)]
pub struct FpReads {
    /// `f[rs1]`.
    pub f1: bool,
    /// `f[rs2]`.
    pub f2: bool,
    /// `f[rs3]`.
    pub f3: bool,
    /// `x[rs1]`.
    pub x1: bool,
}

/// What F/D instruction `op` reads.
pub fn fp_reads(op: Op) -> FpReads {
    use Op::*;
    let r = |f1, f2, f3, x1| FpReads { f1, f2, f3, x1 };
    match op {
        Flw | Fld => r(false, false, false, true),
        Fsw | Fsd => r(false, true, false, true),
        FmaddS | FmsubS | FnmsubS | FnmaddS | FmaddD | FmsubD | FnmsubD | FnmaddD => r(true, true, true, false),
        FsqrtS | FsqrtD | FcvtSD | FcvtDS | FcvtWS | FcvtWuS | FcvtLS | FcvtLuS | FcvtWD | FcvtWuD | FcvtLD
        | FcvtLuD | FmvXW | FmvXD | FclassS | FclassD => r(true, false, false, false),
        FcvtSW | FcvtSWu | FcvtSL | FcvtSLu | FcvtDW | FcvtDWu | FcvtDL | FcvtDLu | FmvWX | FmvDX => {
            r(false, false, false, true)
        }
        // Arithmetic, sign injection, min/max and comparisons.
        _ => r(true, true, false, false),
    }
}

/// F/D instructions whose result goes to an integer register.
pub fn writes_int(op: Op) -> bool {
    use Op::*;
    matches!(
        op,
        FcvtWS
            | FcvtWuS
            | FcvtLS
            | FcvtLuS
            | FmvXW
            | FclassS
            | FeqS
            | FltS
            | FleS
            | FcvtWD
            | FcvtWuD
            | FcvtLD
            | FcvtLuD
            | FmvXD
            | FclassD
            | FeqD
            | FltD
            | FleD
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODE: Mode = Mode { tlb_level: 2, direct: true, fp: true, fp_nearest: true, cross_page: true };

    /// The trace at `start` without recorded jump targets.
    fn build(page: &[u8], start: usize, mode: Mode) -> Option<Trace> {
        super::build(page, start, mode, &JumpTargets::NONE)
    }

    /// A page holding `words` (32-bit encodings) from offset 0.
    fn page(words: &[u32]) -> Vec<u8> {
        let mut p = vec![0u8; PAGE];
        for (k, w) in words.iter().enumerate() {
            p[4 * k..4 * k + 4].copy_from_slice(&w.to_le_bytes());
        }
        p
    }

    const ADDI_A0: u32 = 0x0015_0513; // addi a0, a0, 1
    const BNE_BACK_4: u32 = 0xfe05_9ee3; // bne a1, zero, -4
    const JALR_RA: u32 = 0x0000_8067; // jalr zero, 0(ra)
    const CSRR_MSTATUS: u32 = 0x3000_2573; // csrrs a0, mstatus, zero
    const JAL_PLUS_8: u32 = 0x0080_006f; // jal zero, +8
    const FADD_D_RM5: u32 = 0x02b5_5553; // fadd.d fa0, fa0, fa1, rm=5
    const BEQ_PLUS_8: u32 = 0x0005_8463; // beq a1, zero, +8
    const JAL_MINUS_8: u32 = 0xff9f_f06f; // jal zero, -8
    const BNE_BACK_12: u32 = 0xfe05_9ae3; // bne a1, zero, -12

    const JALR_RA_S1: u32 = 0x0004_80e7; // jalr ra, 0(s1)

    #[test]
    fn an_indirect_call_is_followed_to_its_recorded_target_and_back() {
        // 0: jalr ra, 0(s1); 4: addi a0; 8: bne a1, zero, -8; 12: addi a0 (the callee); 16: ret
        let p = page(&[JALR_RA_S1, ADDI_A0, 0xfe05_9ce3, ADDI_A0, JALR_RA]);
        let base = 0x8000_3000u64;
        let records = [
            JumpRecord { from: base, to: base + 12 },
            JumpRecord { from: base + 8, to: base + 0x1000 }, // to another page: not a prediction
            JumpRecord::EMPTY,
        ];
        let targets = JumpTargets::from_records(&records, base);
        assert_eq!(targets.get(0), Some(12));
        assert_eq!(targets.get(8), None);
        let t = super::build(&p, 0, MODE, &targets).unwrap();
        let deltas: Vec<i64> = t.insts.iter().map(|i| i.delta).collect();
        assert_eq!(deltas, [0, 12, 16, 4, 8], "into the callee, back after the call, and round the loop");
        assert!(t.loops);
        let t = build(&p, 0, MODE).unwrap();
        assert_eq!((t.insts.len(), t.end), (1, TraceEnd::Jump), "no record, no prediction");
    }

    #[test]
    fn ends_at_an_indirect_jump() {
        let t = build(&page(&[ADDI_A0, ADDI_A0, JALR_RA]), 0, MODE).unwrap();
        assert_eq!(t.insts.len(), 3);
        assert_eq!(t.end, TraceEnd::Jump);
        assert!(!t.loops);
    }

    #[test]
    fn a_branch_back_to_the_entry_makes_a_loop() {
        let t = build(&page(&[ADDI_A0, BNE_BACK_4, JALR_RA]), 0, MODE).unwrap();
        assert!(t.loops);
        assert_eq!(t.insts.len(), 2, "the loop ends at its back edge");
        assert_eq!(t.end, TraceEnd::Direct(8), "the not-taken path is the next trace");
    }

    #[test]
    fn the_arms_of_an_if_meet_inside_the_trace() {
        let t = build(&page(&[BEQ_PLUS_8, ADDI_A0, ADDI_A0, JALR_RA]), 0, MODE).unwrap();
        assert_eq!(t.insts.len(), 4);
        assert!(t.loops, "internal edges need every register loaded up front");
        assert!(t.is_join(2), "the taken branch reaches the third instruction");
        assert!(!t.is_join(1));
    }

    #[test]
    fn a_loop_whose_exit_path_comes_back_stays_whole() {
        let t = build(&page(&[ADDI_A0, BNE_BACK_4, ADDI_A0, JAL_MINUS_8]), 0, MODE).unwrap();
        assert_eq!(t.insts.len(), 4, "both paths of the loop are kept");
        assert_eq!(t.end, TraceEnd::Direct(4));
        assert!(t.is_join(0) && t.is_join(1));
    }

    /// `add rd, rs1, rs2`.
    fn add(rd: u32, rs1: u32, rs2: u32) -> u32 {
        0x33 | rd << 7 | rs1 << 15 | rs2 << 20
    }

    /// `bne rs1, zero, -4 * back`.
    fn bne_back(rs1: u32, back: u32) -> u32 {
        let imm = (-4 * back as i32) as u32;
        let (b12, b11) = ((imm >> 12) & 1, (imm >> 11) & 1);
        let (b10_5, b4_1) = ((imm >> 5) & 0x3f, (imm >> 1) & 0xf);
        0x63 | b11 << 7 | b4_1 << 8 | 1 << 12 | rs1 << 15 | b10_5 << 25 | b12 << 31
    }

    /// `beq a1, zero, +4 * (skip + 1)`: over the next `skip` instructions.
    fn beq_over(skip: u32) -> u32 {
        let imm = 4 * (skip + 1);
        0x63 | ((imm >> 1) & 0xf) << 8 | 11 << 15 | ((imm >> 5) & 0x3f) << 25
    }

    #[test]
    fn a_short_forward_branch_over_alu_instructions_becomes_selects() {
        let t = build(&page(&[beq_over(2), ADDI_A0, ADDI_A0, ADDI_A0, JALR_RA]), 0, MODE).unwrap();
        assert!(t.is_join(3));
        assert_eq!(if_converted(&t, 0), Some(3), "it skips instructions 1 and 2");
        assert_eq!(if_converted(&t, 1), None, "not a branch");
        let words = [beq_over(4), ADDI_A0, ADDI_A0, ADDI_A0, ADDI_A0, ADDI_A0, JALR_RA];
        assert_eq!(if_converted(&build(&page(&words), 0, MODE).unwrap(), 0), Some(5), "four at most");
        let words = [beq_over(5), ADDI_A0, ADDI_A0, ADDI_A0, ADDI_A0, ADDI_A0, ADDI_A0, JALR_RA];
        assert_eq!(if_converted(&build(&page(&words), 0, MODE).unwrap(), 0), None, "five is too many");
    }

    #[test]
    fn a_branch_over_memory_accesses_or_into_a_join_stays_a_branch() {
        const LD_A0: u32 = 0x0005_3503; // ld a0, 0(a0)
        const DIV_A0: u32 = 0x02b5_4533; // div a0, a0, a1
        for skipped in [LD_A0, DIV_A0, FADD_D_RM5 & !(7 << 12)] {
            let t = build(&page(&[beq_over(2), ADDI_A0, skipped, ADDI_A0, JALR_RA]), 0, MODE).unwrap();
            assert_eq!(if_converted(&t, 0), None, "{skipped:#x} is skipped");
        }
        // Another branch lands between: the skipped code is a join.
        let t = build(&page(&[beq_over(2), beq_over(0), ADDI_A0, ADDI_A0, JALR_RA]), 0, MODE).unwrap();
        assert_eq!(if_converted(&t, 0), None);
        // A backward branch is a loop, not a skip.
        let t = build(&page(&[ADDI_A0, BNE_BACK_4, JALR_RA]), 0, MODE).unwrap();
        assert_eq!(if_converted(&t, 1), None);
    }

    #[test]
    fn a_crowded_loop_reads_the_registers_it_never_writes_in_place() {
        // a0 += x10..x20 (eleven registers read, one written), then loop.
        let mut words: Vec<u32> = (11..=20).map(|r| add(10, 10, r)).collect();
        words.push(bne_back(10, words.len() as u32));
        let t = build(&page(&words), 0, MODE).unwrap();
        assert!(t.loops);
        let (x, f) = read_in_place(&t);
        assert_eq!(x, ((1u32 << 21) - 1) & !((1 << 11) - 1), "x11..x20, not the written a0");
        assert_eq!(f, 0);
    }

    #[test]
    fn a_loop_reads_the_fp_registers_it_never_writes_in_place_however_few() {
        // fa0 += fa1 (fadd.d fa0, fa0, fa1), then loop.
        let t = build(&page(&[0x02b5_7553, bne_back(10, 1)]), 0, MODE).unwrap();
        assert!(t.loops);
        assert_eq!(read_in_place(&t), (0, 1 << 11), "fa1, not the written fa0");
    }

    #[test]
    fn a_loop_with_few_registers_holds_them_all() {
        let t = build(&page(&[add(10, 10, 11), add(10, 10, 12), bne_back(10, 2)]), 0, MODE).unwrap();
        assert!(t.loops);
        assert_eq!(read_in_place(&t), (0, 0));
        let straight: Vec<u32> = (11..=20).map(|r| add(10, 10, r)).chain([JALR_RA]).collect();
        let t = build(&page(&straight), 0, MODE).unwrap();
        assert_eq!(read_in_place(&t), (0, 0), "a straight trace loads each register once anyway");
    }

    #[test]
    fn nested_loops_end_after_the_outer_back_edge() {
        let t = build(&page(&[ADDI_A0, ADDI_A0, BNE_BACK_4, BNE_BACK_12, ADDI_A0, JALR_RA]), 0, MODE).unwrap();
        assert_eq!(t.insts.len(), 4, "both loops, not the code after them");
        assert_eq!(t.end, TraceEnd::Direct(16));
        assert!(t.is_join(0) && t.is_join(1));
    }

    #[test]
    fn follows_direct_jumps_within_the_page() {
        let t = build(&page(&[JAL_PLUS_8, CSRR_MSTATUS, ADDI_A0, JALR_RA]), 0, MODE).unwrap();
        let deltas: Vec<i64> = t.insts.iter().map(|i| i.delta).collect();
        assert_eq!(deltas, [0, 8, 12], "the skipped CSR instruction is not part of it");
    }

    #[test]
    fn stops_before_what_the_interpreter_must_run() {
        assert!(build(&page(&[CSRR_MSTATUS]), 0, MODE).is_none());
        let t = build(&page(&[ADDI_A0, CSRR_MSTATUS]), 0, MODE).unwrap();
        assert_eq!(t.end, TraceEnd::Step(4));
        let t = build(&page(&[ADDI_A0, FADD_D_RM5]), 0, MODE).unwrap();
        assert_eq!(t.end, TraceEnd::Step(4), "a reserved rounding mode must trap");
        let no_fp = Mode { fp: false, fp_nearest: false, ..MODE };
        let t = build(&page(&[ADDI_A0, 0x02b5_7553]), 0, no_fp).unwrap();
        assert_eq!(t.end, TraceEnd::Step(4), "FP with the unit off or clean");
    }

    #[test]
    fn falling_off_the_page_ends_with_a_direct_exit() {
        let mut p = page(&[]);
        p[PAGE - 4..].copy_from_slice(&ADDI_A0.to_le_bytes());
        let t = build(&p, PAGE - 4, MODE).unwrap();
        assert_eq!(t.end, TraceEnd::Direct(4));
        // A 4-byte instruction straddling the page end is not decoded.
        p[PAGE - 2..].copy_from_slice(&[0x13, 0x05]);
        assert!(build(&p, PAGE - 2, MODE).is_none());
    }

    const JAL_RA_PLUS_12: u32 = 0x00c0_00ef; // jal ra, +12
    const JALR_T0: u32 = 0x0002_8067; // jalr zero, 0(t0)
    const JALR_RA_4: u32 = 0x0040_8067; // jalr zero, 4(ra)
    const LD_RA: u32 = 0x0001_3083; // ld ra, 0(sp)
    const ADDI_RA: u32 = 0x0010_8093; // addi ra, ra, 1

    #[test]
    fn a_followed_call_returns_into_the_trace() {
        // 0: jal ra, f; 4: addi; 8: jalr ra (the caller's own return);
        // 12 (f): addi; 16: ret.
        let t = build(&page(&[JAL_RA_PLUS_12, ADDI_A0, JALR_RA, ADDI_A0, JALR_RA]), 0, MODE).unwrap();
        let deltas: Vec<i64> = t.insts.iter().map(|i| i.delta).collect();
        assert_eq!(deltas, [0, 12, 16, 4, 8], "the return goes back after the call");
        assert_eq!(t.end, TraceEnd::Jump, "the caller's own return is not predicted");
        assert!(!t.loops, "a return is not an internal edge");
    }

    #[test]
    fn a_return_is_expected_even_when_ra_was_reloaded() {
        // The callee saves and reloads ra: the trace still expects the
        // call's return address (the translation checks it).
        let t = build(&page(&[JAL_RA_PLUS_12, ADDI_A0, JALR_RA, LD_RA, JALR_RA]), 0, MODE).unwrap();
        assert_eq!(t.insts.iter().map(|i| i.delta).collect::<Vec<_>>(), [0, 12, 16, 4, 8]);
    }

    #[test]
    fn only_returns_through_the_link_register_are_followed() {
        for ret in [JALR_T0, JALR_RA_4] {
            let t = build(&page(&[JAL_RA_PLUS_12, ADDI_A0, JALR_RA, ADDI_RA, ret]), 0, MODE).unwrap();
            let deltas: Vec<i64> = t.insts.iter().map(|i| i.delta).collect();
            if ret == JALR_T0 {
                // Linked in ra, returning through t0: still a return, so
                // the innermost call is expected back.
                assert_eq!(deltas, [0, 12, 16, 4, 8]);
            } else {
                assert_eq!(deltas, [0, 12, 16], "jalr with an offset is not a return");
                assert_eq!(t.end, TraceEnd::Jump);
            }
        }
    }

    #[test]
    fn a_return_without_a_call_ends_the_trace() {
        let t = build(&page(&[ADDI_A0, JALR_RA, ADDI_A0]), 0, MODE).unwrap();
        assert_eq!(t.insts.len(), 2);
        assert_eq!(t.end, TraceEnd::Jump);
    }

    #[test]
    fn at_most_max_trace_insts() {
        let p = page(&vec![ADDI_A0; PAGE / 4]);
        let t = build(&p, 0, MODE).unwrap();
        assert_eq!(t.insts.len(), MAX_TRACE_INSTS);
        assert_eq!(t.end, TraceEnd::Direct(4 * MAX_TRACE_INSTS as i64));
    }
}
