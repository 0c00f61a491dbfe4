//! Cranelift IR for one trace.
//!
//! Guest registers live in Cranelift variables (FP registers as doubles):
//! a straight trace loads each on first use, a trace with internal edges
//! (loops, if-else arms meeting again) loads every register it touches in
//! its prologue. Registers written but not yet stored ("dirty") are stored
//! on the way out: in straight traces before any instruction that may
//! leave; in loops by the exit actually taken (a side exit's cold block, a
//! taken branch's edge), so a loop keeps its registers in host registers
//! across memory accesses and branches. Taken branches that leave the
//! trace chain to other translations; edges back into the trace stay in
//! the function.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{F64, I16, I32, I64, I8};
use cranelift_codegen::ir::{
    AbiParam, AtomicRmwOp, Block, BlockArg, DataFlowGraph, Function, InstBuilder, InstructionData, MemFlagsData,
    Opcode, SigRef, Signature, StackSlot, StackSlotData, StackSlotKind, Type, UserFuncName, Value, ValueDef,
};
use cranelift_codegen::isa::{CallConv, TargetFrontendConfig};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use hartvm_frontend::{Inst, Op};

use crate::abi::{
    exec, ContextLayout, Helpers, JumpEntry, JumpRecord, Mode, RamLayout, TlbLayout, EXIT_NEXT, EXIT_STALE, EXIT_STEP,
    JUMP_CACHE_ENTRIES, JUMP_RECORD_ENTRIES,
};
use crate::ram_checks::{keeps_groups, ram_checks, RamCheck, Span};
use crate::trace::{fp_reads, if_converted, is_fp, read_in_place, uses, writes_int, written, Trace, TraceEnd, PAGE};

mod hardfloat;
mod remat;

use remat::Remat;

/// Everything fixed for a VM that code generation needs.
#[derive(Clone, Copy, Debug)]
pub struct Target {
    /// Context field offsets.
    pub ctx: ContextLayout,
    /// TLB shape.
    pub tlb: TlbLayout,
    /// Guest RAM.
    pub ram: RamLayout,
    /// Runtime helpers.
    pub helpers: Helpers,
}

/// Addresses of the `preserve_all` shims through which translations call
/// the runtime's helpers (see `Compiler::shim`): `(ctx, args..., helper,
/// offset)`, the helper's result stored at `ctx + offset`. A call through
/// one clobbers no register, so values stay in registers across the cold
/// paths that call helpers instead of being kept on the stack for them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Shims {
    /// For helpers taking the context only.
    pub int1: usize,
    /// For helpers taking three integers.
    pub int3: usize,
    /// For [`Helpers::fp`].
    pub fp: usize,
    /// For the helpers [`Helpers::fp_direct`] returns.
    pub fp_direct: usize,
}

impl Shims {
    /// Before the shims exist (while compiling them).
    pub(crate) const NONE: Shims = Shims { int1: 0, int3: 0, fp: 0, fp_direct: 0 };
}

/// Where the translation's mutable words live (see `cache::Translation`).
pub(crate) struct Cells {
    /// The word that is nonzero while the translation is valid.
    pub valid: usize,
    /// Chain slots, one per direct exit that may be chained.
    pub slots: Vec<usize>,
    /// The trace's instructions, for helpers that need an `Inst`.
    pub insts: *const Inst,
}

/// Chain slots a trace needs: its taken branches and its final exit.
pub(crate) fn slot_count(trace: &Trace) -> usize {
    trace.insts.len() + 1
}

/// The signature of every translation: `fn(ctx, pc) -> exit code`,
/// tail-callable. `pc` is the guest pc the translation starts at: passed
/// along from one translation to the next, it is in memory (the context's
/// pc) only when the translation is entered from the dispatcher, which
/// keeps the next translation's start off a store and reload.
pub(crate) fn block_signature() -> Signature {
    let mut sig = Signature::new(CallConv::Tail);
    sig.params.extend([AbiParam::new(I64), AbiParam::new(I64)]);
    sig.returns.push(AbiParam::new(I64));
    sig
}

/// The signature of the shim for helpers taking `args` (the context
/// first): `preserve_all` `fn(args..., helper, offset)`, the result left at
/// `ctx + offset` (see `Compiler::shim`).
pub(crate) fn shim_signature(args: &[Type]) -> Signature {
    let mut sig = Signature::new(CallConv::PreserveAll);
    sig.params.extend(args.iter().map(|&t| AbiParam::new(t)));
    sig.params.extend([AbiParam::new(I64), AbiParam::new(I64)]);
    sig
}

/// Builds the function for `trace`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn function(
    target: &Target,
    shims: &Shims,
    trace: &Trace,
    start_offset: usize,
    mode: Mode,
    cells: &Cells,
    host: Host,
    fctx: &mut FunctionBuilderContext,
) -> Function {
    let mut func = Function::with_name_signature(UserFuncName::user(0, 0), block_signature());
    let builder = FunctionBuilder::new(&mut func, fctx);
    let mut e = Emitter::new(builder, target, shims, trace, start_offset, mode, cells);
    e.fma = host.fma;
    e.prologue();
    for (index, ti) in trace.insts.iter().enumerate() {
        e.index = index;
        if index > 0 && e.joins[index].is_some() {
            e.enter_join(index);
        }
        e.instruction(&ti.inst, ti.delta);
    }
    e.epilogue();
    e.shared_exit_bodies();
    e.b.seal_all_blocks();
    e.b.finalize(host.frontend);
    func
}

/// What the host's code generator offers the emitter.
#[derive(Clone, Copy)]
pub(crate) struct Host {
    /// For `FunctionBuilder::finalize`.
    pub frontend: TargetFrontendConfig,
    /// Fused multiply-add instructions (without them Cranelift would
    /// call a library function, which translations cannot link).
    pub fma: bool,
}

/// Bits in the [`ContextLayout::counters`] array.
const CHAIN_HITS: i32 = 0;
const JUMP_HITS: i32 = 8;
const JUMP_MISSES: i32 = 16;

struct Emitter<'a> {
    b: FunctionBuilder<'a>,
    t: &'a Target,
    shims: &'a Shims,
    trace: &'a Trace,
    start: usize,
    mode: Mode,
    cells: &'a Cells,
    ctx: Value,
    pc_base: Value,
    x: [Variable; 32],
    f: [Variable; 32],
    touched_x: u32,
    touched_f: u32,
    /// Registers written since they were last stored: every exit stores
    /// them first (or they were stored before the instruction that exits).
    dirty_x: u32,
    dirty_f: u32,
    /// Registers that may not be stored yet on entry to each join block.
    join_dirty: Vec<(u32, u32)>,
    /// In a straight trace: the registers (integer, FP) each instruction
    /// or a later one writes (see [`Emitter::store_final_values`]).
    written_from: Vec<(u32, u32)>,
    /// Registers read from memory at each use, never held in variables
    /// (see [`read_in_place`]); the trace never writes them.
    in_place_x: u32,
    in_place_f: u32,
    /// The trace's loops, as the index ranges `(header, back edge)`.
    loops: Vec<(usize, usize)>,
    /// For each instruction, the FP registers it writes with a value
    /// defined where it runs (see `hardfloat::invariant_in_a_loop`).
    fp_defines: Vec<u32>,
    /// Registers whose variable holds their value on the current path.
    loaded_x: u32,
    loaded_f: u32,
    /// The block of each instruction that internal edges reach (the
    /// first instruction's is the loop header, after the prologue).
    joins: Vec<Option<Block>>,
    /// The shared exits, made on first use (indexed by `SharedExit`).
    shared: [Option<Block>; 3],
    index: usize,
    /// Instructions retired on this path since the last back edge.
    retired: i64,
    /// In a looping trace: how many instructions may still retire before
    /// the budget ends, counting the iterations done since entry (the
    /// counter in memory is updated only when the trace leaves).
    iterations: Option<Variable>,
    /// Side-exit blocks whose bodies are still to be emitted.
    side_exits: Vec<SideExit>,
    /// How each instruction's RAM access is checked (see [`ram_checks`]).
    ram_checks: Vec<RamCheck>,
    /// With a TLB: the page the last access off each base register found,
    /// for loads and for stores (see [`Emitter::tlb_access`]).
    tlb_pages: [[Option<TlbPage>; 2]; 32],
    /// The host has fused multiply-add (see [`Host::fma`]).
    fma: bool,
    /// The current block ended in a terminator (a jump or exit).
    terminated: bool,
    block_sig: SigRef,
    int1_sig: SigRef,
    int3_sig: SigRef,
    fp_sig: SigRef,
    fp_direct_sig: SigRef,
    /// Inside a branch turned into selects (see [`if_converted`]): the
    /// branch's condition, and the index of its target, where the
    /// instructions it skips end. Until then, writes keep the old value
    /// when the condition holds.
    skipped_when: Option<(Value, usize)>,
    /// The header of the trace's loop if it is simple (see
    /// [`Emitter::simple_loop`]).
    loop_header: Option<usize>,
    /// For a simple loop: the variables that carry leaves (see
    /// [`Emitter::leaf_vars`]), and, once past its header, the values its
    /// exits recompute (see [`remat`]).
    leaf_vars: Option<[Variable; 32]>,
    remat: Option<Remat>,
}

fn flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

fn guest_flags() -> MemFlagsData {
    // Guest memory: may be unaligned in direct mode; never traps (checked).
    MemFlagsData::new().with_notrap()
}

impl<'a> Emitter<'a> {
    fn new(
        mut b: FunctionBuilder<'a>,
        t: &'a Target,
        shims: &'a Shims,
        trace: &'a Trace,
        start: usize,
        mode: Mode,
        cells: &'a Cells,
    ) -> Emitter<'a> {
        let x = std::array::from_fn(|_| b.declare_var(I64));
        // FP registers live as doubles, in host FP registers: D arithmetic
        // needs no moves; everything else works on their bits.
        let f = std::array::from_fn(|_| b.declare_var(F64));
        let (mut touched_x, mut touched_f) = (0u32, 0u32);
        for ti in &trace.insts {
            let u = uses(&ti.inst);
            touched_x |= u.x;
            touched_f |= u.f;
        }
        let block_sig = b.import_signature(block_signature());
        let mut shim_sig = |args: &[Type]| b.import_signature(shim_signature(args));
        let int1_sig = shim_sig(&[I64]);
        let int3_sig = shim_sig(&[I64, I64, I64]);
        let fp_sig = shim_sig(&[I64, I64, F64, F64, F64, I64]);
        let fp_direct_sig = shim_sig(&[I64, F64, F64, F64, I64]);
        let (in_place_x, in_place_f) = read_in_place(trace);
        let joins: Vec<Option<Block>> = (0..trace.insts.len())
            .map(|k| (trace.loops && (k == 0 || trace.is_join(k))).then(|| b.create_block()))
            .collect();
        let loops = loops(trace, &joins);
        let fp_defines = trace.insts.iter().map(|ti| hardfloat::defines(&ti.inst)).collect();
        // A group's check needs RAM to span more than a group does.
        let ram_checks = if mode.direct && t.ram.size >= MIN_RAM_FOR_GROUPS {
            ram_checks(trace)
        } else {
            vec![RamCheck::Own; trace.insts.len()]
        };
        Emitter {
            b,
            t,
            shims,
            trace,
            start,
            mode,
            cells,
            ctx: Value::from_u32(0),
            pc_base: Value::from_u32(0),
            x,
            f,
            touched_x,
            touched_f,
            join_dirty: Vec::new(),
            written_from: if trace.loops { Vec::new() } else { written_from(trace) },
            in_place_x,
            in_place_f,
            loops,
            fp_defines,
            dirty_x: 0,
            dirty_f: 0,
            loaded_x: 0,
            loaded_f: 0,
            joins,
            shared: [None; 3],
            index: 0,
            retired: 0,
            iterations: None,
            side_exits: Vec::new(),
            ram_checks,
            tlb_pages: [[None; 2]; 32],
            fma: false,
            terminated: false,
            block_sig,
            int1_sig,
            int3_sig,
            fp_sig,
            fp_direct_sig,
            skipped_when: None,
            loop_header: None,
            leaf_vars: None,
            remat: None,
        }
    }

    // ---- prologue, epilogue, exits -------------------------------------

    fn prologue(&mut self) {
        let entry = self.b.create_block();
        self.b.append_block_params_for_function_params(entry);
        self.b.switch_to_block(entry);
        [self.ctx, self.pc_base] = [0, 1].map(|k| self.b.block_params(entry)[k]);
        let valid_addr = self.b.ins().iconst(I64, self.cells.valid as i64);
        let valid = self.b.ins().load(I64, flags(), valid_addr, 0);
        let go = self.cold_unless(valid);
        self.set_pc(self.pc_base);
        let code = self.b.ins().iconst(I64, EXIT_STALE as i64);
        self.b.ins().return_(&[code]);
        self.resume(go);
        // A looping trace needs every register defined where the loop
        // starts; a straight one loads each on first use, which keeps
        // live ranges short (the trace's main path dominates its rest).
        if self.trace.loops {
            self.start_iteration_count();
            for r in 1..32 {
                if self.touched_x & !self.in_place_x & (1 << r) != 0 {
                    self.load_x(r as u8);
                }
            }
            for r in 0..32 {
                if self.touched_f & !self.in_place_f & (1 << r) != 0 {
                    self.load_f(r as u8);
                }
            }
        }
        self.join_dirty = join_dirty(self.trace, &self.joins);
        self.loop_header = self.iterations.and_then(|_| self.simple_loop());
        if self.loop_header.is_some() {
            self.leaf_vars = Some(self.leaf_vars());
        }
        let entry_left = self.entering_loop(0);
        let first = self.joins[0].unwrap_or_else(|| self.b.create_block());
        self.b.ins().jump(first, &[]);
        self.b.switch_to_block(first);
        if self.joins[0].is_some() {
            self.fence_loads();
        }
        self.start_recomputing(entry_left);
        // Back edges may bring registers not yet stored.
        (self.dirty_x, self.dirty_f) = self.join_dirty[0];
    }

    fn epilogue(&mut self) {
        if self.terminated {
            return;
        }
        match self.trace.end {
            TraceEnd::Direct(delta) => {
                let slot = self.cells.slots[self.trace.insts.len()];
                self.exit_direct(delta, slot);
            }
            TraceEnd::Step(delta) => {
                self.sync();
                self.exit_step(delta)
            }
            TraceEnd::Jump => unreachable!("a trace ending in a jump has emitted its exit"),
        }
    }

    /// Keeps a looping trace's budget in a variable, so a back edge costs
    /// no memory traffic. The counter in memory is not touched until the
    /// trace leaves: then it becomes `stop_at - left` (plus the current
    /// iteration's instructions).
    fn start_iteration_count(&mut self) {
        let left = self.b.declare_var(I64);
        let n = self.b.ins().load(I64, flags(), self.ctx, self.t.ctx.instret);
        let stop = self.b.ins().load(I64, flags(), self.ctx, self.t.ctx.stop_at);
        let budget = self.b.ins().isub(stop, n);
        self.b.def_var(left, budget);
        self.iterations = Some(left);
    }

    /// The header of the trace's loop if its one internal edge is the
    /// loop's back edge (branches turned into selects aside), so that what
    /// an iteration has written at an instruction is the same on every
    /// path to it (see [`remat`]).
    fn simple_loop(&self) -> Option<usize> {
        let [(header, _)] = self.loops[..] else { return None };
        let to_header = |k: usize, target: i64| {
            if_converted(self.trace, k).is_some() || self.internal_target(target).is_none_or(|t| t == header)
        };
        let only_edge = self
            .trace
            .insts
            .iter()
            .enumerate()
            .all(|(k, ti)| !ti.inst.op.is_conditional_branch() || to_header(k, ti.delta + ti.inst.imm as i64));
        only_edge.then_some(header)
    }

    /// Before the path falls into instruction `index`: if that is the
    /// header of a loop whose exits recompute values (see [`remat`]),
    /// stores what is not stored yet, so that the first iteration finds
    /// every register in memory, and the budget there in a stack slot
    /// (held in a register, it would take one from the loop), which it
    /// returns.
    fn entering_loop(&mut self, index: usize) -> Option<StackSlot> {
        if self.loop_header != Some(index) || self.terminated {
            return None;
        }
        self.sync();
        let left = self.b.use_var(self.iterations?);
        let slot = self.b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 8, 3));
        self.b.ins().stack_store(I64, left, slot, 0);
        Some(slot)
    }

    /// At a loop header, with the slot from [`Emitter::entering_loop`].
    fn start_recomputing(&mut self, entry_left: Option<StackSlot>) {
        if let (Some(entry_left), Some(leaf_vars), Some(left)) = (entry_left, self.leaf_vars, self.iterations) {
            let header_left = self.b.use_var(left);
            self.remat = Some(Remat::new(entry_left, header_left, leaf_vars));
        }
    }

    /// The variables that carry registers' back-edge values for exits to
    /// recompute values from (see [`Emitter::leaf_value`]), zero on entry.
    fn leaf_vars(&mut self) -> [Variable; 32] {
        let zero = self.b.ins().iconst(I64, 0);
        std::array::from_fn(|_| {
            let var = self.b.declare_var(I64);
            self.b.def_var(var, zero);
            var
        })
    }

    /// Counts `retired` instructions (registers are in memory already).
    fn count_retired(&mut self, retired: i64) {
        if self.iterations.is_some() {
            let retired = self.b.ins().iconst(I64, retired);
            self.add_retired(retired);
        } else if retired != 0 {
            let n = self.b.ins().load(I64, flags(), self.ctx, self.t.ctx.instret);
            let n = self.b.ins().iadd_imm_s(n, retired);
            self.b.ins().store(flags(), n, self.ctx, self.t.ctx.instret);
        }
    }

    /// Stores the registers written since the last sync: done before
    /// anything that may leave the trace.
    fn sync(&mut self) {
        self.store_regs(self.dirty_x, self.dirty_f);
        self.dirty_x = 0;
        self.dirty_f = 0;
    }

    /// Before an instruction that may leave: in a straight trace, stores
    /// the registers whose values are final (the trace writes them no
    /// more) and leaves the others to the exits. The path that stays
    /// overwrites those, so storing them here would store a temporary
    /// again after each write; this stores each register once on that
    /// path, and values are live only until they are overwritten. Loops
    /// (where exits store only while few are pending), and a straight
    /// trace with many such temporaries pending, store all.
    fn store_final_values(&mut self) {
        let Some(&(later_x, later_f)) = self.written_from.get(self.index) else {
            return self.sync();
        };
        let (keep_x, keep_f) = (self.dirty_x & later_x, self.dirty_f & later_f);
        if keep_x.count_ones() + keep_f.count_ones() > MAX_DEFERRED_STRAIGHT {
            return self.sync();
        }
        self.store_regs(self.dirty_x & !keep_x, self.dirty_f & !keep_f);
        (self.dirty_x, self.dirty_f) = (keep_x, keep_f);
    }

    fn store_regs(&mut self, wx: u32, wf: u32) {
        for r in 1..32 {
            if wx & (1 << r) != 0 {
                let v = self.x_value(r);
                self.b.ins().store(flags(), v, self.ctx, self.t.ctx.x + 8 * r as i32);
            }
        }
        for r in 0..32 {
            if wf & (1 << r) != 0 {
                let v = self.b.use_var(self.f[r]);
                self.b.ins().store(flags(), v, self.ctx, self.t.ctx.f + 8 * r as i32);
            }
        }
    }

    fn set_pc(&mut self, pc: Value) {
        self.b.ins().store(flags(), pc, self.ctx, self.t.ctx.pc);
    }

    fn pc_at(&mut self, delta: i64) -> Value {
        self.b.ins().iadd_imm_s(self.pc_base, delta)
    }

    /// Returns to the dispatcher to go on at `pc`. Translations pass the
    /// pc to each other in a register (see [`block_signature`]): every
    /// path back to the dispatcher stores it here.
    fn exit_next(&mut self, pc: Value) {
        self.set_pc(pc);
        self.ret(EXIT_NEXT);
    }

    fn ret(&mut self, code: u64) {
        let c = self.b.ins().iconst(I64, code as i64);
        self.b.ins().return_(&[c]);
        self.terminated = true;
    }

    /// Leaves for the interpreter at the instruction at `delta`, which did
    /// not run (`self.retired` instructions before it did).
    fn exit_step(&mut self, delta: i64) {
        self.count_retired(self.retired);
        let pc = self.pc_at(delta);
        self.set_pc(pc);
        self.ret(EXIT_STEP);
    }

    /// Branches to the dispatcher (`EXIT_NEXT`, at `pc`) unless the budget
    /// allows chaining with `n` instructions retired; continues in a fresh
    /// block otherwise.
    fn budget_check(&mut self, pc: Value, n: Value) {
        let stop = self.b.ins().load(I64, flags(), self.ctx, self.t.ctx.stop_at);
        let over = self.b.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, n, stop);
        let go = self.cold_if(over);
        self.exit_next(pc);
        self.resume(go);
    }

    /// Branches to a new cold block when `cond` is true and makes it the
    /// current block (the caller fills it and leaves the trace there);
    /// returns the block the main path goes on in (see [`Emitter::resume`]).
    fn cold_if(&mut self, cond: Value) -> Block {
        let (cold, go) = (self.b.create_block(), self.b.create_block());
        self.b.ins().brif(cond, cold, &[], go, &[]);
        self.enter_cold(cold);
        go
    }

    /// As [`Emitter::cold_if`], the cold block taken when `cond` is false.
    fn cold_unless(&mut self, cond: Value) -> Block {
        let (cold, go) = (self.b.create_block(), self.b.create_block());
        self.b.ins().brif(cond, go, &[], cold, &[]);
        self.enter_cold(cold);
        go
    }

    fn enter_cold(&mut self, cold: Block) {
        self.b.switch_to_block(cold);
        self.b.seal_block(cold);
        self.b.set_cold_block(cold);
    }

    /// Goes on with the main path in `go`, after a cold path has left.
    fn resume(&mut self, go: Block) {
        self.b.switch_to_block(go);
        self.b.seal_block(go);
        self.terminated = false;
    }

    fn bump(&mut self, counter: i32) {
        let off = self.t.ctx.counters + counter;
        let n = self.b.ins().load(I64, flags(), self.ctx, off);
        let n = self.b.ins().iadd_imm_s(n, 1);
        self.b.ins().store(flags(), n, self.ctx, off);
    }

    /// Leaves for entry pc + `delta` after the current instruction retired.
    fn exit_direct(&mut self, delta: i64, slot: usize) {
        if let Some(target) = self.internal_target(delta) {
            self.internal_jump(target);
            return;
        }
        self.sync();
        let (block, args) = self.direct_exit_args(delta, slot);
        self.b.ins().jump(block, &args);
        self.terminated = true;
    }

    /// Where a direct exit to entry pc + `delta` goes, with what arguments:
    /// the chaining exit within reach of a chain slot, else the jump cache.
    fn direct_exit_args(&mut self, delta: i64, slot: usize) -> (Block, Vec<BlockArg>) {
        let target_off = self.start as i64 + delta;
        let retired = self.b.ins().iconst(I64, self.retired);
        if !(0..PAGE as i64).contains(&target_off) && !self.mode.cross_page {
            let pc = self.pc_at(delta);
            let from = self.b.ins().iconst(I64, NOT_RECORDED);
            let block = self.jump_exit();
            return (block, vec![pc.into(), retired.into(), from.into()]);
        }
        let delta = self.b.ins().iconst(I64, delta);
        let slot = self.b.ins().iconst(I64, slot as i64);
        let block = self.chain_exit();
        (block, vec![delta.into(), retired.into(), slot.into()])
    }

    /// A shared exit block with `params` I64 parameters, made on first
    /// use; its body is emitted after the trace (see `shared_exit_bodies`),
    /// because a block being filled cannot be left half-done.
    fn shared_exit(&mut self, which: SharedExit, params: usize) -> Block {
        if let Some(b) = self.shared[which as usize] {
            return b;
        }
        let b = self.b.create_block();
        for _ in 0..params {
            self.b.append_block_param(b, I64);
        }
        self.shared[which as usize] = Some(b);
        b
    }

    /// The shared exit (delta, retired, slot) that chains to the
    /// translation in the slot, or leaves the slot for the dispatcher to fill.
    fn chain_exit(&mut self) -> Block {
        self.shared_exit(SharedExit::Chain, 3)
    }

    /// The shared exit (target pc, retired, the jump's delta or
    /// [`NOT_RECORDED`]) through the jump cache.
    fn jump_exit(&mut self) -> Block {
        self.shared_exit(SharedExit::Jump, 3)
    }

    /// The shared side exit (delta, retired) to the interpreter.
    fn shared_step_exit(&mut self) -> Block {
        self.shared_exit(SharedExit::Step, 2)
    }

    /// Emits the bodies of the side exits and shared exits the trace used.
    fn shared_exit_bodies(&mut self) {
        for exit in std::mem::take(&mut self.side_exits) {
            self.b.switch_to_block(exit.block);
            self.b.seal_block(exit.block);
            self.b.set_cold_block(exit.block);
            let recomputed = exit.fresh & exit.dirty_x & self.remat.as_ref().map_or(0, Remat::planned);
            self.store_regs(exit.dirty_x & !recomputed, exit.dirty_f);
            self.store_recomputed(recomputed, exit.fresh);
            let shared = self.shared_step_exit();
            let delta = self.b.ins().iconst(I64, exit.delta);
            let retired = self.b.ins().iconst(I64, exit.retired);
            self.b.ins().jump(shared, &[delta.into(), retired.into()]);
        }
        for which in [SharedExit::Chain, SharedExit::Jump, SharedExit::Step] {
            let Some(block) = self.shared[which as usize] else { continue };
            self.b.switch_to_block(block);
            let p = self.b.block_params(block).to_vec();
            let instret = self.add_retired(p[1]);
            match which {
                SharedExit::Chain => {
                    let pc = self.b.ins().iadd(self.pc_base, p[0]);
                    self.chain(p[2], pc, instret);
                }
                SharedExit::Jump => self.jump_cache(p[0], instret, p[2]),
                SharedExit::Step => {
                    let pc = self.b.ins().iadd(self.pc_base, p[0]);
                    self.set_pc(pc);
                    self.ret(EXIT_STEP);
                }
            }
        }
    }

    /// Tail-calls the translation for `pc` in chain slot `slot_addr`, or
    /// leaves the empty slot for the dispatcher to fill. The next
    /// translation gets `pc` as an argument; only the paths to the
    /// dispatcher store it.
    fn chain(&mut self, slot_addr: Value, pc: Value, instret: Value) {
        self.budget_check(pc, instret);
        let code = self.b.ins().load(I64, flags(), slot_addr, 0);
        let chain = self.cold_unless(code);
        self.b.ins().store(flags(), slot_addr, self.ctx, self.t.ctx.patch_slot);
        self.exit_next(pc);
        self.resume(chain);
        self.bump(CHAIN_HITS);
        self.b.ins().return_call_indirect(self.block_sig, code, &[self.ctx, pc]);
        self.terminated = true;
    }

    fn add_retired(&mut self, retired: Value) -> Value {
        let n = match self.iterations {
            Some(left) => {
                let left = self.b.use_var(left);
                let stop = self.b.ins().load(I64, flags(), self.ctx, self.t.ctx.stop_at);
                self.b.ins().isub(stop, left)
            }
            None => self.b.ins().load(I64, flags(), self.ctx, self.t.ctx.instret),
        };
        let n = self.b.ins().iadd(n, retired);
        self.b.ins().store(flags(), n, self.ctx, self.t.ctx.instret);
        n
    }

    /// The instruction an exit to entry pc + `delta` can reach without
    /// leaving the function.
    fn internal_target(&self, delta: i64) -> Option<usize> {
        internal_target(self.trace, &self.joins, delta)
    }

    /// Continues at instruction `target` of the trace, registers staying
    /// in variables. A backward edge checks the budget, so loops return to
    /// the dispatcher in bounded time (storing what is dirty first).
    fn internal_jump(&mut self, target: usize) {
        let left = self.iterations.expect("a trace with internal edges counts what it retires");
        let block = self.joins[target].expect("internal edges go to join blocks");
        // Instructions retired on this path beyond what the target's own
        // position accounts for (negative for a forward edge).
        let beyond = self.retired - target as i64;
        let old = self.b.use_var(left);
        self.terminated = true;
        if target > self.index {
            let n = self.b.ins().iadd_imm_s(old, -beyond);
            self.b.def_var(left, n);
            self.b.ins().jump(block, &[]);
            return;
        }
        if Some(target) == self.loop_header {
            self.plan_recomputing();
        }
        // `old <= beyond`, not `n <= 0`, and the new count made on the back
        // edge only: the old one dies at the comparison, so the new one can
        // take its register.
        let over = self.b.ins().icmp_imm_s(IntCC::SignedLessThanOrEqual, old, beyond);
        let leave = self.b.create_block();
        let back = self.b.create_block();
        self.b.ins().brif(over, leave, &[], back, &[]);
        self.b.switch_to_block(back);
        self.b.seal_block(back);
        let n = self.b.ins().iadd_imm_s(old, -beyond);
        self.b.def_var(left, n);
        self.b.ins().jump(block, &[]);
        self.b.switch_to_block(leave);
        self.b.seal_block(leave);
        self.b.set_cold_block(leave);
        self.store_regs(self.dirty_x, self.dirty_f);
        // `left` is still the old count here: everything retired on this
        // path counts (old - beyond + target = old + retired).
        let retired = self.b.ins().iconst(I64, self.retired);
        self.add_retired(retired);
        let pc = self.pc_at(self.trace.insts[target].delta);
        self.exit_next(pc);
    }

    /// Starts instruction `index`'s join block. Edges into it may bring
    /// different sets of registers not yet stored: from here on, all of
    /// them count as such (see [`join_dirty`]).
    fn enter_join(&mut self, index: usize) {
        let block = self.joins[index].expect("a join block");
        let entry_left = self.entering_loop(index);
        if !self.terminated {
            self.b.ins().jump(block, &[]);
        }
        self.b.switch_to_block(block);
        self.fence_loads();
        self.terminated = false;
        self.tlb_pages = [[None; 2]; 32];
        (self.dirty_x, self.dirty_f) = self.join_dirty[index];
        self.start_recomputing(entry_left);
    }

    /// Starts a join block (a loop header, or where an if-else's arms
    /// meet) with a point no load is forwarded across (it emits no code).
    /// Registers read in place (see [`read_in_place`]) are then loaded
    /// inside the loop, never replaced by a load from before it, so FP
    /// operations on them stay inside the loop too.
    fn fence_loads(&mut self) {
        self.b.ins().sequence_point();
    }

    /// Continues at `pc` through the jump cache (which, as in
    /// [`Emitter::chain`], stores `pc` only to leave for the dispatcher);
    /// a miss records the jump from entry pc + `from` (see
    /// [`Emitter::leave_by_jump`]).
    fn jump_cache(&mut self, pc: Value, instret: Value, from: Value) {
        self.budget_check(pc, instret);
        let entry = self.table_entry(self.t.ctx.jump_cache, pc, JUMP_CACHE_ENTRIES, size_of::<JumpEntry>());
        let tag = self.b.ins().load(I64, flags(), entry, 0);
        let key = self.b.ins().load(I64, flags(), entry, 8);
        let want = self.b.ins().load(I64, flags(), self.ctx, self.t.ctx.jump_key);
        // Two branches, not one on both comparisons: x86 would set a
        // byte for each and test them.
        let (miss, same_pc, go) = (self.b.create_block(), self.b.create_block(), self.b.create_block());
        let pc_hit = self.b.ins().icmp(IntCC::Equal, tag, pc);
        self.b.ins().brif(pc_hit, same_pc, &[], miss, &[]);
        self.resume(same_pc);
        let key_hit = self.b.ins().icmp(IntCC::Equal, key, want);
        self.b.ins().brif(key_hit, go, &[], miss, &[]);
        self.enter_cold(miss);
        self.bump(JUMP_MISSES);
        self.record_jump(from, pc);
        self.exit_next(pc);
        self.resume(go);
        self.bump(JUMP_HITS);
        let code = self.b.ins().load(I64, flags(), entry, 16);
        self.b.ins().return_call_indirect(self.block_sig, code, &[self.ctx, pc]);
        self.terminated = true;
    }

    /// Records that the jump at entry pc + `from` went to `target` (see
    /// [`JumpRecord`]) unless `from` is [`NOT_RECORDED`], for traces
    /// compiled later to follow.
    fn record_jump(&mut self, from: Value, target: Value) {
        let (record, done) = (self.b.create_block(), self.b.create_block());
        let recorded = self.b.ins().icmp_imm_s(IntCC::NotEqual, from, NOT_RECORDED);
        self.b.ins().brif(recorded, record, &[], done, &[]);
        self.enter_cold(record);
        let from = self.b.ins().iadd(self.pc_base, from);
        let entry = self.table_entry(self.t.ctx.jump_records, from, JUMP_RECORD_ENTRIES, size_of::<JumpRecord>());
        self.b.ins().store(flags(), from, entry, 0);
        self.b.ins().store(flags(), target, entry, 8);
        self.b.ins().jump(done, &[]);
        self.enter_cold(done);
    }

    /// The address of `pc`'s entry in the table of `entries` entries of
    /// `size` bytes (both powers of two) that the context field at
    /// `table` points to, at [`crate::abi::table_slot`]`(pc, entries)`.
    fn table_entry(&mut self, table: i32, pc: Value, entries: usize, size: usize) -> Value {
        let table = self.b.ins().load(I64, flags(), self.ctx, table);
        // The slot is (pc >> 1) mod `entries` (see `abi::table_slot`),
        // here without the shift right: a mask and one shift left.
        let idx = self.b.ins().band_imm_s(pc, ((entries - 1) << 1) as i64);
        let idx = self.b.ins().ishl_imm_s(idx, size.trailing_zeros() as i64 - 1);
        self.b.ins().iadd(table, idx)
    }

    // ---- registers -------------------------------------------------------

    /// (Re)loads integer register `r` from memory into its variable.
    fn load_x(&mut self, r: u8) {
        let v = self.b.ins().load(I64, flags(), self.ctx, self.t.ctx.x + 8 * r as i32);
        self.def_x(r, v);
    }

    /// Register `r`'s value, the read noted for recomputing (a loop must
    /// carry a value read before it is written again; see [`remat`]).
    fn x_value(&mut self, r: usize) -> Value {
        let v = self.b.use_var(self.x[r]);
        if let Some(remat) = &mut self.remat {
            remat.read(r, v);
        }
        v
    }

    fn def_x(&mut self, r: u8, v: Value) {
        self.b.def_var(self.x[r as usize], v);
        self.loaded_x |= 1 << r;
        if let Some(remat) = &mut self.remat {
            remat.written(r as usize);
        }
    }

    /// (Re)loads FP register `r` from memory into its variable.
    fn load_f(&mut self, r: u8) {
        let v = self.b.ins().load(F64, flags(), self.ctx, self.t.ctx.f + 8 * r as i32);
        self.b.def_var(self.f[r as usize], v);
        self.loaded_f |= 1 << r;
    }

    fn xr(&mut self, r: u8) -> Value {
        if r == 0 {
            return self.b.ins().iconst(I64, 0);
        }
        if self.in_place_x & (1 << r) != 0 {
            return self.b.ins().load(I64, flags(), self.ctx, self.t.ctx.x + 8 * r as i32);
        }
        if self.loaded_x & (1 << r) == 0 {
            self.load_x(r);
        }
        self.x_value(r as usize)
    }

    fn set_x(&mut self, r: u8, v: Value) {
        debug_assert_eq!(self.in_place_x & (1 << r), 0, "a register read in place is never written");
        let v = match self.skipped_when {
            Some((skipped, _)) if r != 0 => {
                let old = self.xr(r);
                self.b.ins().select(skipped, old, v)
            }
            _ => v,
        };
        if r != 0 {
            self.def_x(r, v);
            self.dirty_x |= 1 << r;
        }
    }

    /// FP register `r`'s bits.
    fn fr(&mut self, r: u8) -> Value {
        let v = self.fr_double(r);
        self.b.ins().bitcast(I64, MemFlagsData::new(), v)
    }

    /// FP register `r` as a double.
    fn fr_double(&mut self, r: u8) -> Value {
        if self.in_place_f & (1 << r) != 0 {
            return self.b.ins().load(F64, flags(), self.ctx, self.t.ctx.f + 8 * r as i32);
        }
        if self.loaded_f & (1 << r) == 0 {
            self.load_f(r);
        }
        self.b.use_var(self.f[r as usize])
    }

    /// Sets FP register `r` to the bits `v`.
    fn set_f(&mut self, r: u8, v: Value) {
        let v = self.b.ins().bitcast(F64, MemFlagsData::new(), v);
        self.set_f_double(r, v);
    }

    /// Sets FP register `r` to the double `v`.
    fn set_f_double(&mut self, r: u8, v: Value) {
        debug_assert_eq!(self.in_place_f & (1 << r), 0, "a register read in place is never written");
        self.b.def_var(self.f[r as usize], v);
        self.dirty_f |= 1 << r;
        self.loaded_f |= 1 << r;
    }

    fn imm(&mut self, i: &Inst) -> Value {
        self.b.ins().iconst(I64, i.imm as i64)
    }

    fn bool_to_i64(&mut self, c: Value) -> Value {
        self.b.ins().uextend(I64, c)
    }

    fn sext32(&mut self, v: Value) -> Value {
        if sign_extended(&self.b.func.dfg, v).is_some() {
            return v;
        }
        let w = self.low32(v);
        self.b.ins().sextend(I64, w)
    }

    /// The low half of `v`; the 32-bit value itself if `v` is one
    /// sign-extended (a W instruction's result), so that the values of
    /// registers that hold the same word stay the same values.
    fn low32(&mut self, v: Value) -> Value {
        match sign_extended(&self.b.func.dfg, v) {
            Some(w) => w,
            None => self.b.ins().ireduce(I32, v),
        }
    }

    fn widen(&mut self, w: Value) -> Value {
        self.b.ins().sextend(I64, w)
    }

    // ---- instructions ----------------------------------------------------

    fn instruction(&mut self, i: &Inst, delta: i64) {
        let op = i.op;
        if self.skipped_when.is_some_and(|(_, end)| self.index >= end) {
            self.skipped_when = None;
        }
        if syncs_before(op) {
            self.sync();
        } else if self.may_leave(i, delta) && !self.defer_stores() {
            self.store_final_values();
        }
        if is_fp(op) {
            self.fp(i, delta);
        } else if let Some(end) = if_converted(self.trace, self.index) {
            self.converted_branch(i, end);
        } else if op.is_conditional_branch() {
            self.branch(i, delta);
        } else if let Some(size) = op.amo_width() {
            self.atomic(i, delta, size);
        } else {
            match op {
                Op::Jal => self.jal(i, delta),
                Op::Jalr => self.jalr(i, delta),
                Op::Lb | Op::Lh | Op::Lw | Op::Ld | Op::Lbu | Op::Lhu | Op::Lwu => self.load_int(i, delta),
                Op::Sb | Op::Sh | Op::Sw | Op::Sd => {
                    let v = self.xr(i.rs2);
                    self.store(i, delta, store_size(op), v);
                }
                // The runtime may give the host core to another vCPU.
                Op::Fence if i.is_pause() => self.helper(i, delta),
                Op::Fence => {}
                _ => {
                    let v = self.alu(i, delta);
                    self.set_x(i.rd, v);
                }
            }
        }
        self.forget_tlb_pages(i);
        self.retired += 1;
    }

    /// Whether `i` may leave the trace (through an exit that stores the
    /// registers not stored yet, if `defer_stores` let them be). Accesses
    /// a group's check covers (see [`ram_checks`]) count too: a straight
    /// trace storing registers before each access keeps few values live,
    /// where holding them all to its end makes Cranelift save host
    /// registers on every entry.
    fn may_leave(&self, i: &Inst, delta: i64) -> bool {
        use Op::*;
        let external_branch = i.op.is_conditional_branch() && self.internal_target(delta + i.imm as i64).is_none();
        external_branch
            || matches!(i.op, Jalr | Lb | Lh | Lw | Ld | Lbu | Lhu | Lwu | Sb | Sh | Sw | Sd | Flw | Fld | Fsw | Fsd)
    }

    /// Whether registers may stay unstored past an instruction that may
    /// leave, its exit storing them: worth it in loops, where it keeps
    /// them out of memory on every iteration. Elsewhere, and once many
    /// are pending, storing them first keeps exits (and compile time)
    /// small: each exit would store every pending register again.
    fn defer_stores(&self) -> bool {
        self.trace.loops && self.dirty_x.count_ones() + self.dirty_f.count_ones() <= MAX_DEFERRED
    }

    fn alu(&mut self, i: &Inst, delta: i64) -> Value {
        use Op::*;
        let op = i.op;
        match op {
            Lui => return self.imm(i),
            Auipc => return self.pc_at(delta + i.imm as i64),
            _ => {}
        }
        let a = self.xr(i.rs1);
        let imm = i.imm as i64;
        macro_rules! b {
            () => {
                self.xr(i.rs2)
            };
        }
        match op {
            // A move keeps its value, which keeps values equal that are.
            Addi if imm == 0 => a,
            Addi => self.b.ins().iadd_imm_s(a, imm),
            Slti => {
                let c = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, a, imm);
                self.bool_to_i64(c)
            }
            Sltiu => {
                let c = self.b.ins().icmp_imm_s(IntCC::UnsignedLessThan, a, imm);
                self.bool_to_i64(c)
            }
            Xori => self.b.ins().bxor_imm_s(a, imm),
            Ori => self.b.ins().bor_imm_s(a, imm),
            Andi => self.b.ins().band_imm_s(a, imm),
            Slli => self.b.ins().ishl_imm_s(a, imm & 63),
            Srli => match self.shifted_left(a) {
                // `slli t, x, c; srli d, t, k` with c >= k zero-extends the low
                // 64 - c bits of x, shifted left by c - k (c = 32: a 32-bit
                // index scaled for an address); said so, x86 does it in a
                // move (and an address's scale) instead of two shifts.
                Some((x, c)) if c >= imm & 63 && matches!(c, 32 | 48 | 56) => {
                    let narrow = match c {
                        32 => I32,
                        48 => I16,
                        _ => I8,
                    };
                    let low = self.b.ins().ireduce(narrow, x);
                    let wide = self.b.ins().uextend(I64, low);
                    self.b.ins().ishl_imm_s(wide, c - (imm & 63))
                }
                _ => self.b.ins().ushr_imm_s(a, imm & 63),
            },
            Srai => self.b.ins().sshr_imm_s(a, imm & 63),
            Add if i.rs1 == 0 => b!(),
            Add if i.rs2 == 0 => a,
            Add => {
                let b = b!();
                self.b.ins().iadd(a, b)
            }
            Sub => {
                let b = b!();
                self.b.ins().isub(a, b)
            }
            Sll => {
                let b = b!();
                self.b.ins().ishl(a, b)
            }
            Srl => {
                let b = b!();
                self.b.ins().ushr(a, b)
            }
            Sra => {
                let b = b!();
                self.b.ins().sshr(a, b)
            }
            Slt | Sltu => {
                let b = b!();
                let cc = if op == Slt { IntCC::SignedLessThan } else { IntCC::UnsignedLessThan };
                let c = self.b.ins().icmp(cc, a, b);
                self.bool_to_i64(c)
            }
            Xor => {
                let b = b!();
                self.b.ins().bxor(a, b)
            }
            Or => {
                let b = b!();
                match self.rotation(a, b) {
                    Some(v) => v,
                    None => self.b.ins().bor(a, b),
                }
            }
            And => {
                let b = b!();
                self.b.ins().band(a, b)
            }
            Addiw if imm == 0 => self.sext32(a),
            Addiw => {
                let v = self.b.ins().iadd_imm_s(a, imm);
                self.sext32(v)
            }
            Slliw | Srliw | Sraiw => {
                let w = self.low32(a);
                let v = match op {
                    Slliw => self.b.ins().ishl_imm_s(w, imm & 31),
                    Srliw => self.b.ins().ushr_imm_s(w, imm & 31),
                    _ => self.b.ins().sshr_imm_s(w, imm & 31),
                };
                self.widen(v)
            }
            Addw | Subw | Sllw | Srlw | Sraw | Mulw | Rolw | Rorw => {
                let b = b!();
                let (wa, wb) = (self.low32(a), self.low32(b));
                let v = match op {
                    Addw => self.b.ins().iadd(wa, wb),
                    Subw => self.b.ins().isub(wa, wb),
                    Sllw => self.b.ins().ishl(wa, wb),
                    Srlw => self.b.ins().ushr(wa, wb),
                    Sraw => self.b.ins().sshr(wa, wb),
                    Mulw => self.b.ins().imul(wa, wb),
                    Rolw => self.b.ins().rotl(wa, wb),
                    _ => self.b.ins().rotr(wa, wb),
                };
                self.widen(v)
            }
            Mul => {
                let b = b!();
                self.b.ins().imul(a, b)
            }
            Mulh => {
                let b = b!();
                self.b.ins().smulhi(a, b)
            }
            Mulhu => {
                let b = b!();
                self.b.ins().umulhi(a, b)
            }
            Mulhsu => {
                // signed × unsigned = unsigned product minus b when a < 0.
                let b = b!();
                let hi = self.b.ins().umulhi(a, b);
                let sign = self.b.ins().sshr_imm_s(a, 63);
                let fix = self.b.ins().band(sign, b);
                self.b.ins().isub(hi, fix)
            }
            Div | Rem | Divu | Remu => {
                let b = b!();
                self.divide(op, a, b, I64)
            }
            Divw | Remw | Divuw | Remuw => {
                let b = b!();
                let (wa, wb) = (self.low32(a), self.low32(b));
                let v = self.divide(op, wa, wb, I32);
                self.widen(v)
            }
            AddUw | Sh1addUw | Sh2addUw | Sh3addUw => {
                let b = b!();
                let w = self.low32(a);
                let z = self.b.ins().uextend(I64, w);
                let shift = match op {
                    AddUw => 0,
                    Sh1addUw => 1,
                    Sh2addUw => 2,
                    _ => 3,
                };
                let s = self.b.ins().ishl_imm_s(z, shift);
                self.b.ins().iadd(s, b)
            }
            Sh1add | Sh2add | Sh3add => {
                let b = b!();
                let shift = match op {
                    Sh1add => 1,
                    Sh2add => 2,
                    _ => 3,
                };
                let s = self.b.ins().ishl_imm_s(a, shift);
                self.b.ins().iadd(s, b)
            }
            SlliUw => {
                let w = self.low32(a);
                let z = self.b.ins().uextend(I64, w);
                self.b.ins().ishl_imm_s(z, imm & 63)
            }
            Andn => {
                let b = b!();
                self.b.ins().band_not(a, b)
            }
            Orn => {
                let b = b!();
                self.b.ins().bor_not(a, b)
            }
            Xnor => {
                let b = b!();
                self.b.ins().bxor_not(a, b)
            }
            Clz => self.b.ins().clz(a),
            Ctz => self.b.ins().ctz(a),
            Cpop => self.b.ins().popcnt(a),
            Clzw | Ctzw | Cpopw => {
                let w = self.low32(a);
                let v = match op {
                    Clzw => self.b.ins().clz(w),
                    Ctzw => self.b.ins().ctz(w),
                    _ => self.b.ins().popcnt(w),
                };
                self.b.ins().uextend(I64, v)
            }
            Max | Maxu | Min | Minu => {
                let b = b!();
                match op {
                    Max => self.b.ins().smax(a, b),
                    Maxu => self.b.ins().umax(a, b),
                    Min => self.b.ins().smin(a, b),
                    _ => self.b.ins().umin(a, b),
                }
            }
            SextB => {
                let n = self.b.ins().ireduce(I8, a);
                self.b.ins().sextend(I64, n)
            }
            SextH => {
                let n = self.b.ins().ireduce(I16, a);
                self.b.ins().sextend(I64, n)
            }
            ZextH => self.b.ins().band_imm_s(a, 0xffff),
            Rol => {
                let b = b!();
                self.b.ins().rotl(a, b)
            }
            Ror => {
                let b = b!();
                self.b.ins().rotr(a, b)
            }
            Rori => self.b.ins().rotr_imm_s(a, imm & 63),
            Roriw => {
                let w = self.low32(a);
                let v = self.b.ins().rotr_imm_s(w, imm & 31);
                self.widen(v)
            }
            OrcB => {
                // High bit of each byte set iff the byte is nonzero, then
                // spread to the whole byte.
                const LOW7: i64 = 0x7f7f_7f7f_7f7f_7f7f;
                let low = self.b.ins().band_imm_s(a, LOW7);
                let carry = self.b.ins().iadd_imm_s(low, LOW7);
                let any = self.b.ins().bor(carry, a);
                let high = self.b.ins().band_imm_s(any, 0x8080_8080_8080_8080u64 as i64);
                let ones = self.b.ins().ushr_imm_s(high, 7);
                self.b.ins().imul_imm_s(ones, 0xff)
            }
            Rev8 => self.b.ins().bswap(a),
            Bclr | Bset | Binv | Bext => {
                let b = b!();
                let amount = self.b.ins().band_imm_s(b, 63);
                self.bit_op(op, a, amount)
            }
            Bclri | Bseti | Binvi | Bexti => {
                let amount = self.b.ins().iconst(I64, imm & 63);
                self.bit_op(op, a, amount)
            }
            CzeroEqz | CzeroNez => {
                let b = b!();
                let zero = self.b.ins().iconst(I64, 0);
                if op == CzeroEqz {
                    self.b.ins().select(b, a, zero)
                } else {
                    self.b.ins().select(b, zero, a)
                }
            }
            other => unreachable!("{other:?} is not an integer instruction"),
        }
    }

    /// `(x, c)` if `v` is `x << c` for a constant `c` (as `slli` emits it).
    fn shifted_left(&self, v: Value) -> Option<(Value, i64)> {
        self.constant_shift(v, Opcode::Ishl)
    }

    /// `(x, c)` if `v` is `opcode(x, c)` for a constant `c`.
    fn constant_shift(&self, v: Value, opcode: Opcode) -> Option<(Value, i64)> {
        let dfg = &self.b.func.dfg;
        let ValueDef::Result(inst, 0) = dfg.value_def(v) else { return None };
        let InstructionData::Binary { opcode: found, args: [x, amount] } = dfg.insts[inst] else { return None };
        let ValueDef::Result(c, 0) = dfg.value_def(amount) else { return None };
        let InstructionData::UnaryImm { opcode: Opcode::Iconst, imm } = dfg.insts[c] else { return None };
        (found == opcode).then_some((x, imm.bits() & 63))
    }

    /// `x` if `v` is `opcode(x)` (an extension or a reduction).
    fn unary_of(&self, v: Value, opcode: Opcode) -> Option<Value> {
        unary(&self.b.func.dfg, v, opcode)
    }

    /// A rotation if `a | b` is one, as RV64GC code without Zbb spells it:
    /// `srli`/`slli` of one value by amounts summing to 64, or `srliw`/
    /// `slliw` by amounts summing to 32 (hash functions: SHA-2, BLAKE2).
    /// The two parts have no bit in common, so their OR is the rotation
    /// (for the W forms, sign-extended like both parts' upper halves).
    fn rotation(&mut self, a: Value, b: Value) -> Option<Value> {
        for (right, left) in [(a, b), (b, a)] {
            if let (Some((x, n)), Some((y, m))) =
                (self.constant_shift(right, Opcode::Ushr), self.constant_shift(left, Opcode::Ishl))
            {
                if x == y && n > 0 && n + m == 64 {
                    return Some(self.b.ins().rotr_imm_s(x, n));
                }
            }
            let (Some(right32), Some(left32)) =
                (self.unary_of(right, Opcode::Sextend), self.unary_of(left, Opcode::Sextend))
            else {
                continue;
            };
            let (Some((x, n)), Some((y, m))) =
                (self.constant_shift(right32, Opcode::Ushr), self.constant_shift(left32, Opcode::Ishl))
            else {
                continue;
            };
            let same = x == y || {
                let (wide_x, wide_y) = (self.unary_of(x, Opcode::Ireduce), self.unary_of(y, Opcode::Ireduce));
                wide_x.is_some() && wide_x == wide_y
            };
            if same && n > 0 && n + m == 32 && self.b.func.dfg.value_type(x) == I32 {
                let rotated = self.b.ins().rotr_imm_s(x, n);
                return Some(self.widen(rotated));
            }
        }
        None
    }

    fn bit_op(&mut self, op: Op, a: Value, amount: Value) -> Value {
        let one = self.b.ins().iconst(I64, 1);
        let bit = self.b.ins().ishl(one, amount);
        match op {
            Op::Bclr | Op::Bclri => self.b.ins().band_not(a, bit),
            Op::Bset | Op::Bseti => self.b.ins().bor(a, bit),
            Op::Binv | Op::Binvi => self.b.ins().bxor(a, bit),
            _ => {
                let s = self.b.ins().ushr(a, amount);
                self.b.ins().band_imm_s(s, 1)
            }
        }
    }

    /// RISC-V division: no traps; x/0 = all ones, x%0 = x, MIN/-1 = MIN.
    fn divide(&mut self, op: Op, a: Value, b: Value, ty: Type) -> Value {
        use Op::*;
        let zero = self.b.ins().icmp_imm_s(IntCC::Equal, b, 0);
        let one = self.b.ins().iconst(ty, 1);
        let signed = matches!(op, Div | Rem | Divw | Remw);
        let unsafe_divisor = if signed {
            let min = if ty == I64 { i64::MIN } else { i32::MIN as i64 };
            let is_min = self.b.ins().icmp_imm_s(IntCC::Equal, a, min);
            let minus1 = self.b.ins().icmp_imm_s(IntCC::Equal, b, -1);
            let overflow = self.b.ins().band(is_min, minus1);
            self.b.ins().bor(zero, overflow)
        } else {
            zero
        };
        // MIN / 1 = MIN and MIN % 1 = 0 are exactly the overflow results.
        let d = self.b.ins().select(unsafe_divisor, one, b);
        match op {
            Div | Divw => {
                let q = self.b.ins().sdiv(a, d);
                let all = self.b.ins().iconst(ty, -1);
                self.b.ins().select(zero, all, q)
            }
            Divu | Divuw => {
                let q = self.b.ins().udiv(a, d);
                let all = self.b.ins().iconst(ty, -1);
                self.b.ins().select(zero, all, q)
            }
            Rem | Remw => {
                let r = self.b.ins().srem(a, d);
                self.b.ins().select(zero, a, r)
            }
            _ => {
                let r = self.b.ins().urem(a, d);
                self.b.ins().select(zero, a, r)
            }
        }
    }

    /// Whether conditional branch `i` is taken.
    fn branch_condition(&mut self, i: &Inst) -> Value {
        let a = self.xr(i.rs1);
        let b = self.xr(i.rs2);
        let cc = match i.op {
            Op::Beq => IntCC::Equal,
            Op::Bne => IntCC::NotEqual,
            Op::Blt => IntCC::SignedLessThan,
            Op::Bge => IntCC::SignedGreaterThanOrEqual,
            Op::Bltu => IntCC::UnsignedLessThan,
            _ => IntCC::UnsignedGreaterThanOrEqual,
        };
        self.b.ins().icmp(cc, a, b)
    }

    fn branch(&mut self, i: &Inst, delta: i64) {
        let taken = self.branch_condition(i);
        let next = self.b.create_block();
        let target = delta + i.imm as i64;
        self.retired += 1;
        let edge = self.b.create_block();
        self.b.ins().brif(taken, edge, &[], next, &[]);
        self.b.switch_to_block(edge);
        self.b.seal_block(edge);
        if let Some(index) = self.internal_target(target) {
            self.internal_jump(index);
        } else {
            // The taken edge stores what is not stored yet; the path that
            // stays keeps it in registers.
            self.store_regs(self.dirty_x, self.dirty_f);
            let slot = self.cells.slots[self.index];
            let (exit, args) = self.direct_exit_args(target, slot);
            self.b.ins().jump(exit, &args);
        }
        self.retired -= 1;
        self.b.switch_to_block(next);
        self.b.seal_block(next);
        self.terminated = false;
    }

    /// A forward branch over a few ALU instructions (see [`if_converted`]):
    /// they run either way, their results kept only when it is not taken,
    /// and the instructions it skips are not counted when it is.
    fn converted_branch(&mut self, i: &Inst, end: usize) {
        let taken = self.branch_condition(i);
        let left = self.iterations.expect("a trace with internal edges counts what it retires");
        let skipped = (end - self.index - 1) as i64;
        let old = self.b.use_var(left);
        let credit = self.b.ins().iadd_imm_s(old, skipped);
        let n = self.b.ins().select(taken, credit, old);
        self.b.def_var(left, n);
        self.skipped_when = Some((taken, end));
    }

    fn jal(&mut self, i: &Inst, delta: i64) {
        let link = self.pc_at(delta + i.len as i64);
        self.set_x(i.rd, link);
        if self.index + 1 == self.trace.insts.len() {
            // The trace ends here (the target was not followed).
            self.retired += 1;
            let target = delta + i.imm as i64;
            let slot = self.cells.slots[self.index + 1];
            self.exit_direct(target, slot);
            self.retired -= 1;
        }
    }

    fn jalr(&mut self, i: &Inst, delta: i64) {
        let base = self.xr(i.rs1);
        let sum = self.b.ins().iadd_imm_s(base, i.imm as i64);
        let target = self.b.ins().band_imm_s(sum, !1);
        let link = self.pc_at(delta + i.len as i64);
        self.set_x(i.rd, link);
        if let Some(next) = self.trace.insts.get(self.index + 1) {
            self.expected_jump(i, delta, sum, target, next.delta);
            return;
        }
        self.sync();
        self.leave_by_jump(i, delta, target);
        self.terminated = true;
    }

    /// A `jalr` (at `delta`) the trace followed: a return back to its
    /// call, or a jump to its recorded target (see [`Trace`]). Continues
    /// with the next instruction when `sum` (the unmasked target) is entry
    /// pc + `expected`, which for a return is usually known at compile
    /// time and then costs nothing; leaves through the jump cache for
    /// `target` otherwise, recording where a jump went.
    fn expected_jump(&mut self, i: &Inst, delta: i64, sum: Value, target: Value, expected: i64) {
        let want = self.pc_at(expected);
        let hit = self.b.ins().icmp(IntCC::Equal, sum, want);
        let go = self.cold_unless(hit);
        self.store_regs(self.dirty_x, self.dirty_f);
        self.leave_by_jump(i, delta, target);
        self.resume(go);
    }

    /// Leaves through the jump cache for `target` after the `jalr` `i` at
    /// `delta`, which a miss records (see [`JumpRecord`]); returns are not
    /// recorded. A jump that hits went where it has gone before, so
    /// recording only misses keeps the records current for new targets
    /// at no cost to the hits.
    fn leave_by_jump(&mut self, i: &Inst, delta: i64, target: Value) {
        let from = if JumpRecord::is_return(i) { NOT_RECORDED } else { delta };
        let from = self.b.ins().iconst(I64, from);
        let retired = self.b.ins().iconst(I64, self.retired + 1);
        let exit = self.jump_exit();
        self.b.ins().jump(exit, &[target.into(), retired.into(), from.into()]);
    }

    // ---- memory ----------------------------------------------------------

    /// A side exit for the instruction at `delta` (to the interpreter),
    /// storing the registers dirty here: its cold block is filled in after
    /// the trace (see `shared_exit_bodies`).
    fn side_exit(&mut self, delta: i64) -> SideExit {
        let block = self.b.create_block();
        let fresh = self.remat.as_ref().map_or(0, |m| m.fresh);
        let exit =
            SideExit { block, delta, retired: self.retired, dirty_x: self.dirty_x, dirty_f: self.dirty_f, fresh };
        self.side_exits.push(exit);
        exit
    }

    /// The host address of a RAM access of `size` bytes at guest `va`, or
    /// a side exit to the interpreter (faults, devices, code pages).
    fn host_address(&mut self, va: Value, size: u32, write: bool, delta: i64) -> Value {
        if !self.mode.direct {
            return self.tlb_access(va, size, write, delta);
        }
        let check = self.ram_checks[self.index];
        if check == RamCheck::Covered {
            return self.ram_host_address(va);
        }
        let exit = self.side_exit(delta);
        if let RamCheck::Leads(span) = check {
            self.check_group(va, &span, &exit);
            return self.ram_host_address(va);
        }
        // Direct loads may be misaligned (x86 allows it).
        if write {
            self.direct_store_address(va, size, &exit)
        } else {
            self.direct_address(va, size, &exit)
        }
    }

    /// Leaves through `exit` when `v` is nonzero.
    fn check(&mut self, v: Value, exit: &SideExit) {
        let go = self.b.create_block();
        self.b.ins().brif(v, exit.block, &[], go, &[]);
        self.b.switch_to_block(go);
        self.b.seal_block(go);
    }

    /// A direct store's host address, after three checks in two
    /// comparisons: the offset into RAM rotated right by log2(`size`)
    /// is within RAM's last slot for it only if it is aligned (else low
    /// bits land at the top) and in bounds; then its page must not be
    /// flagged (code, a watched word). Aligned, the store stays within the
    /// page whose flags were checked.
    fn direct_store_address(&mut self, va: Value, size: u32, exit: &SideExit) -> Value {
        let ram = self.t.ram;
        let shift = size.trailing_zeros() as i64;
        let off = self.b.ins().iadd_imm_s(va, -(ram.base as i64));
        let key = if shift > 0 { self.b.ins().rotr_imm_s(off, shift) } else { off };
        let out = self.b.ins().icmp_imm_s(IntCC::UnsignedGreaterThan, key, ((ram.size - size as u64) >> shift) as i64);
        self.check(out, exit);
        let page = self.b.ins().ushr_imm_s(key, 12 - shift);
        let f = self.page_flags(page);
        let flagged = self.b.ins().icmp_imm_s(IntCC::NotEqual, f, 0);
        self.check(flagged, exit);
        self.ram_host_address(va)
    }

    /// The check a group's first access (at `va`) makes for the whole
    /// group (see [`ram_checks`]): every byte in RAM, and, with stores,
    /// neither page holding their first or last byte flagged.
    fn check_group(&mut self, va: Value, span: &Span, exit: &SideExit) {
        let ram = self.t.ram;
        // The RAM offset of the group's lowest byte.
        let off = self.b.ins().iadd_imm_s(va, span.lo - span.leader - ram.base as i64);
        let last = ram.size as i64 - (span.hi - span.lo);
        let out = self.b.ins().icmp_imm_s(IntCC::UnsignedGreaterThan, off, last);
        self.check(out, exit);
        if let Some(stores) = span.stores {
            let [first, last] = [stores.lo, stores.hi - 1].map(|byte| {
                let at = self.b.ins().iadd_imm_s(off, byte - span.lo);
                let page = self.b.ins().ushr_imm_s(at, 12);
                self.page_flags(page)
            });
            let flagged = self.b.ins().bor(first, last);
            self.check(flagged, exit);
        }
    }

    /// The flags byte of RAM page `page` (counted from RAM's start). A
    /// table in the host's low 2 GiB is addressed by displacement.
    fn page_flags(&mut self, page: Value) -> Value {
        let table = self.t.ram.page_flags;
        if let Ok(disp) = i32::try_from(table) {
            return self.b.ins().load(I8, MemFlagsData::trusted(), page, disp);
        }
        let addr = self.b.ins().iadd_imm_s(page, table as i64);
        self.b.ins().load(I8, MemFlagsData::trusted(), addr, 0)
    }

    fn direct_address(&mut self, va: Value, size: u32, exit: &SideExit) -> Value {
        let ram = self.t.ram;
        let off = self.b.ins().iadd_imm_s(va, -(ram.base as i64));
        let out = self.b.ins().icmp_imm_s(IntCC::UnsignedGreaterThan, off, (ram.size - size as u64) as i64);
        self.check(out, exit);
        self.ram_host_address(va)
    }

    /// The host address of guest physical `pa` (checked to be RAM): `pa`
    /// itself when RAM is mapped at its guest address, else `pa` plus a
    /// displacement the access instruction can usually carry.
    fn ram_host_address(&mut self, pa: Value) -> Value {
        let ram = self.t.ram;
        self.b.ins().iadd_imm_s(pa, (ram.host as i64).wrapping_sub(ram.base as i64))
    }

    /// The host address of an access of `size` bytes at `va` through the
    /// TLB. An access off a base register that an earlier access of the
    /// same kind (load or store) went through, in this trace, compares its
    /// page with the one that access found and, when it is the same, uses
    /// its addend: code accesses one stack frame, one structure, one
    /// array again and again, and comparing two registers is cheaper than
    /// a lookup, and keeps the lookup's loads off the access's path.
    /// Another page is looked up on a cold path. Reusing a lookup is
    /// sound within a trace: the instructions that change the mapping or
    /// the privilege end traces, and a lookup for loads grants nothing to
    /// stores (see `forget_tlb_pages` for what else forgets them).
    fn tlb_access(&mut self, va: Value, size: u32, write: bool, delta: i64) -> Value {
        let exit = self.side_exit(delta);
        let key = self.tlb_key(va, size);
        let inst = self.trace.insts[self.index].inst;
        // Atomics take their own path (LR and SC, the helper's).
        let base = inst.op.amo_width().is_none().then_some(inst.rs1 as usize);
        let known = base.and_then(|r| self.tlb_pages[r][write as usize]);
        let addend = match known {
            Some(page) => self.tlb_reuse(va, key, size, write, page, &exit),
            None => self.tlb_lookup(va, key, size, write, &exit, false),
        };
        if let Some(r) = base {
            self.tlb_pages[r][write as usize] = Some(TlbPage { key, addend });
        }
        self.b.ins().iadd(va, addend)
    }

    /// The key an access of `size` bytes at `va` compares with TLB tags:
    /// `va`'s page number when aligned; when not, a value with bits above
    /// any page number's. It is `va` rotated right by log2(`size`), then
    /// shifted to a page number: misaligned low bits land at the top.
    fn tlb_key(&mut self, va: Value, size: u32) -> Value {
        let shift = size.trailing_zeros() as i64;
        if shift == 0 {
            return self.b.ins().ushr_imm_s(va, 12);
        }
        let rotated = self.b.ins().rotr_imm_s(va, shift);
        self.b.ins().ushr_imm_s(rotated, 12 - shift)
    }

    /// The addend of `page` if `key` is its key, else a lookup's (cold).
    fn tlb_reuse(&mut self, va: Value, key: Value, size: u32, write: bool, page: TlbPage, exit: &SideExit) -> Value {
        let same = self.b.ins().icmp(IntCC::Equal, key, page.key);
        let (other, done) = (self.b.create_block(), self.b.create_block());
        self.b.append_block_param(done, I64);
        self.b.ins().brif(same, done, &[page.addend.into()], other, &[]);
        self.enter_cold(other);
        let addend = self.tlb_lookup(va, key, size, write, exit, true);
        self.b.ins().jump(done, &[addend.into()]);
        self.b.switch_to_block(done);
        self.b.seal_block(done);
        self.b.block_params(done)[0]
    }

    /// The addend (host address minus `va`) of an aligned access of `size`
    /// bytes at `va` with key `key` (see [`Emitter::tlb_key`]), looked up
    /// in the TLB; a misaligned one leaves through `exit` (stores must not
    /// straddle into a page with other flags, and an entry covers one
    /// page). A hit costs one comparison: the entry's tag for loads (or
    /// stores) equals the page number only if it allows them, and a
    /// misaligned key equals no tag. The hit path runs straight through:
    /// the tag and the addend are read at the set number scaled by 8 (the
    /// TLB is stored field by field), and the miss path, which fills the
    /// entry, joins it with an addend too. All of it is `cold` when the
    /// lookup itself is.
    fn tlb_lookup(&mut self, va: Value, key: Value, size: u32, write: bool, exit: &SideExit, cold: bool) -> Value {
        let tlb = self.t.tlb;
        // The table does not move while translated code runs: one load
        // serves every access of the trace.
        let table = self.b.ins().load(I64, flags().with_readonly().with_can_move(), self.ctx, self.t.ctx.tlb);
        let set = self.b.ins().band_imm_s(key, tlb.sets as i64 - 1);
        let scaled = self.b.ins().ishl_imm_s(set, 3);
        let entry = self.b.ins().iadd(table, scaled);
        let level = self.mode.tlb_level as i32 * tlb.level_size as i32;
        let tag = self.b.ins().load(I64, flags(), entry, level + if write { tlb.tag_write } else { tlb.tag_read });
        let same = self.b.ins().icmp(IntCC::Equal, key, tag);
        let hit_block = self.b.create_block();
        let miss = self.b.create_block();
        let done = self.b.create_block();
        self.b.append_block_param(done, I64);
        self.b.ins().brif(same, hit_block, &[], miss, &[]);
        self.b.switch_to_block(hit_block);
        self.b.seal_block(hit_block);
        if cold {
            self.b.set_cold_block(hit_block);
        }
        let addend = self.b.ins().load(I64, flags(), entry, level + tlb.addend);
        self.b.ins().jump(done, &[addend.into()]);
        self.b.switch_to_block(miss);
        self.b.seal_block(miss);
        self.b.set_cold_block(miss);
        if size > 1 {
            let low = self.b.ins().band_imm_s(va, size as i64 - 1);
            self.check(low, exit);
            let fill = self.b.current_block().expect("check continues in a block");
            self.b.set_cold_block(fill);
        }
        let helper = self.b.ins().iconst(I64, self.t.helpers.tlb_fill as usize as i64);
        let how = self.b.ins().iconst(I64, (size as i64) << 1 | write as i64);
        let args = self.t.ctx.tlb_fill_args;
        self.b.ins().store(flags(), va, self.ctx, args);
        self.b.ins().store(flags(), how, self.ctx, args + 8);
        let host = self.call_helper(self.shims.int1, self.int1_sig, helper, &[self.ctx]);
        let got = self.b.create_block();
        self.b.ins().brif(host, got, &[], exit.block, &[]);
        self.b.switch_to_block(got);
        self.b.seal_block(got);
        self.b.set_cold_block(got);
        let addend = self.b.ins().isub(host, va);
        self.b.ins().jump(done, &[addend.into()]);
        self.b.switch_to_block(done);
        self.b.seal_block(done);
        if cold {
            self.b.set_cold_block(done);
        }
        self.b.block_params(done)[0]
    }

    /// Forgets the pages earlier accesses found (see
    /// [`Emitter::tlb_access`]) where they no longer hold: for every
    /// register at a join (the access may not have run on the other
    /// paths), and after atomics and fences (LR watches a word by
    /// flagging its page, which takes stores to it off the fast path); for
    /// a register `i` writes, unless it only moves the register by an
    /// immediate (`addi sp, sp, -32`), which likely keeps it in the page.
    fn forget_tlb_pages(&mut self, i: &Inst) {
        if !keeps_groups(i.op) {
            self.tlb_pages = [[None; 2]; 32];
        } else if written(i).0 != 0 && !(i.op == Op::Addi && i.rd == i.rs1) {
            // An instruction writes at most one integer register, `rd`.
            self.tlb_pages[i.rd as usize] = [None; 2];
        }
    }

    fn effective_address(&mut self, i: &Inst) -> Value {
        let base = self.xr(i.rs1);
        self.b.ins().iadd_imm_s(base, i.imm as i64)
    }

    fn load_int(&mut self, i: &Inst, delta: i64) {
        let va = self.effective_address(i);
        let (size, signed) = match i.op {
            Op::Lb => (1, true),
            Op::Lh => (2, true),
            Op::Lw => (4, true),
            Op::Ld => (8, true),
            Op::Lbu => (1, false),
            Op::Lhu => (2, false),
            _ => (4, false),
        };
        let host = self.host_address(va, size, false, delta);
        let v = self.load_sized(host, size, signed);
        self.set_x(i.rd, v);
    }

    fn load_sized(&mut self, host: Value, size: u32, signed: bool) -> Value {
        let fl = guest_flags();
        match (size, signed) {
            (1, true) => self.b.ins().sload8(I64, fl, host, 0),
            (1, false) => self.b.ins().uload8(I64, fl, host, 0),
            (2, true) => self.b.ins().sload16(I64, fl, host, 0),
            (2, false) => self.b.ins().uload16(I64, fl, host, 0),
            (4, true) => self.b.ins().sload32(fl, host, 0),
            (4, false) => self.b.ins().uload32(fl, host, 0),
            _ => self.b.ins().load(I64, fl, host, 0),
        }
    }

    fn store(&mut self, i: &Inst, delta: i64, size: u32, v: Value) {
        let va = self.effective_address(i);
        let host = self.host_address(va, size, true, delta);
        let fl = guest_flags();
        match size {
            1 => self.b.ins().istore8(fl, v, host, 0),
            2 => self.b.ins().istore16(fl, v, host, 0),
            4 => self.b.ins().istore32(fl, v, host, 0),
            _ => self.b.ins().store(fl, v, host, 0),
        };
    }

    fn atomic(&mut self, i: &Inst, delta: i64, size: u32) {
        use Op::*;
        let rmw = match i.op {
            AmoswapW | AmoswapD => AtomicRmwOp::Xchg,
            AmoaddW | AmoaddD => AtomicRmwOp::Add,
            AmoxorW | AmoxorD => AtomicRmwOp::Xor,
            AmoandW | AmoandD => AtomicRmwOp::And,
            AmoorW | AmoorD => AtomicRmwOp::Or,
            AmominW | AmominD => AtomicRmwOp::Smin,
            AmomaxW | AmomaxD => AtomicRmwOp::Smax,
            AmominuW | AmominuD => AtomicRmwOp::Umin,
            AmomaxuW | AmomaxuD => AtomicRmwOp::Umax,
            _ => return self.helper(i, delta), // LR/SC keep the reservation in the runtime
        };
        let va = self.xr(i.rs1);
        let src = self.xr(i.rs2);
        let host = self.host_address(va, size, true, delta);
        let old = if size == 4 {
            let w = self.low32(src);
            let old = self.b.ins().atomic_rmw(I32, MemFlagsData::trusted(), rmw, host, w);
            self.widen(old)
        } else {
            self.b.ins().atomic_rmw(I64, MemFlagsData::trusted(), rmw, host, src)
        };
        self.set_x(i.rd, old);
    }

    // ---- floating point --------------------------------------------------

    fn fp(&mut self, i: &Inst, delta: i64) {
        use Op::*;
        match i.op {
            Flw => {
                let va = self.effective_address(i);
                let host = self.host_address(va, 4, false, delta);
                let v = self.load_sized(host, 4, false);
                let v = self.b.ins().bor_imm_s(v, NAN_BOX);
                self.set_f(i.rd, v);
            }
            Fld => {
                let va = self.effective_address(i);
                let host = self.host_address(va, 8, false, delta);
                let v = self.b.ins().load(F64, guest_flags(), host, 0);
                self.set_f_double(i.rd, v);
            }
            Fsw => {
                let v = self.fr(i.rs2);
                self.store(i, delta, 4, v);
            }
            Fsd => {
                let v = self.fr_double(i.rs2);
                self.store(i, delta, 8, v);
            }
            FmvXW => {
                let v = self.fr(i.rs1);
                let v = self.sext32(v);
                self.set_x(i.rd, v);
            }
            FmvXD => {
                let v = self.fr(i.rs1);
                self.set_x(i.rd, v);
            }
            FmvWX => {
                let v = self.xr(i.rs1);
                let w = self.low32(v);
                let z = self.b.ins().uextend(I64, w);
                let boxed = self.b.ins().bor_imm_s(z, NAN_BOX);
                self.set_f(i.rd, boxed);
            }
            FmvDX => {
                let v = self.xr(i.rs1);
                self.set_f(i.rd, v);
            }
            FsgnjD | FsgnjnD | FsgnjxD => {
                let (a, b) = (self.fr(i.rs1), self.fr(i.rs2));
                let v = self.sign_inject(i.op, a, b, 1 << 63);
                self.set_f(i.rd, v);
            }
            FsgnjS | FsgnjnS | FsgnjxS => {
                let (a, b) = (self.fr(i.rs1), self.fr(i.rs2));
                let (a, b) = (self.unbox(a), self.unbox(b));
                let v = self.sign_inject(i.op, a, b, 1 << 31);
                let v = self.b.ins().band_imm_s(v, 0xffff_ffff);
                let v = self.b.ins().bor_imm_s(v, NAN_BOX);
                self.set_f(i.rd, v);
            }
            _ => {
                if !self.fp_fast(i, delta) {
                    let v = self.fp_helper_value(i);
                    if writes_int(i.op) {
                        self.set_x(i.rd, v);
                    } else {
                        self.set_f(i.rd, v);
                    }
                }
            }
        }
    }

    /// The result of an arithmetic FP instruction from the runtime's
    /// soft-float: operands go by value, so no register needs storing first.
    fn fp_helper_value(&mut self, i: &Inst) -> Value {
        // Operands the instruction does not read go as zeros (reading
        // them would keep registers alive for nothing).
        let reads = fp_reads(i.op);
        let mut operand = |read: bool, r: u8| if read { self.fr_double(r) } else { self.b.ins().f64const(0.0) };
        let (f1, f2, f3) = (operand(reads.f1, i.rs1), operand(reads.f2, i.rs2), operand(reads.f3, i.rs3));
        if let Some(direct) = (self.t.helpers.fp_direct)(i.op) {
            let helper = self.b.ins().iconst(I64, direct as i64);
            let rm = self.b.ins().iconst(I64, i.rm as i64);
            self.call_helper(self.shims.fp_direct, self.fp_direct_sig, helper, &[self.ctx, f1, f2, f3, rm])
        } else {
            let x1 = if reads.x1 { self.xr(i.rs1) } else { self.b.ins().iconst(I64, 0) };
            let helper = self.b.ins().iconst(I64, self.t.helpers.fp as usize as i64);
            let inst = self.b.ins().iconst(I64, unsafe_inst_ptr(self.cells.insts, self.index) as i64);
            self.call_helper(self.shims.fp, self.fp_sig, helper, &[self.ctx, inst, f1, f2, f3, x1])
        }
    }

    /// Calls the runtime helper at `helper` with `args` (the context
    /// first) through `shim` (of signature `sig`) and returns its result.
    fn call_helper(&mut self, shim: usize, sig: SigRef, helper: Value, args: &[Value]) -> Value {
        debug_assert_eq!(args[0], self.ctx, "helpers take the context first");
        let out = self.b.ins().iconst(I64, self.t.ctx.helper_out as i64);
        let shim = self.b.ins().iconst(I64, shim as i64);
        let mut all = args.to_vec();
        all.extend([helper, out]);
        self.b.ins().call_indirect(sig, shim, &all);
        self.b.ins().load(I64, flags(), self.ctx, self.t.ctx.helper_out)
    }

    /// A single's bits from a register: the low word if NaN-boxed, else the
    /// canonical NaN.
    fn unbox(&mut self, v: Value) -> Value {
        let high = self.b.ins().ushr_imm_s(v, 32);
        let boxed = self.b.ins().icmp_imm_s(IntCC::Equal, high, 0xffff_ffff);
        let low = self.b.ins().band_imm_s(v, 0xffff_ffff);
        let nan = self.b.ins().iconst(I64, 0x7fc0_0000);
        self.b.ins().select(boxed, low, nan)
    }

    fn sign_inject(&mut self, op: Op, a: Value, b: Value, sign: i64) -> Value {
        let sign_b = match op {
            Op::FsgnjD | Op::FsgnjS => self.b.ins().band_imm_s(b, sign),
            Op::FsgnjnD | Op::FsgnjnS => {
                let n = self.b.ins().bnot(b);
                self.b.ins().band_imm_s(n, sign)
            }
            _ => {
                let x = self.b.ins().bxor(a, b);
                self.b.ins().band_imm_s(x, sign)
            }
        };
        let magnitude = self.b.ins().band_imm_s(a, !sign);
        self.b.ins().bor(magnitude, sign_b)
    }

    /// Runs the instruction through the runtime's implementation: written
    /// registers go to memory first, the destination comes back after.
    fn helper(&mut self, i: &Inst, delta: i64) {
        self.sync();
        let exit = self.side_exit(delta);
        let helper = self.b.ins().iconst(I64, self.t.helpers.exec_inst as usize as i64);
        let inst_ptr = unsafe_inst_ptr(self.cells.insts, self.index);
        let inst = self.b.ins().iconst(I64, inst_ptr as i64);
        let pc = self.pc_at(delta);
        let status = self.call_helper(self.shims.int3, self.int3_sig, helper, &[self.ctx, inst, pc]);
        let not_run = self.b.ins().icmp_imm_s(IntCC::Equal, status, exec::NOT_RUN as i64);
        self.check(not_run, &exit);
        // Reload whatever the helper may have written.
        if i.rd != 0 {
            self.load_x(i.rd);
        }
        if is_fp(i.op) {
            self.load_f(i.rd);
        }
        let leave = self.b.ins().icmp_imm_s(IntCC::Equal, status, exec::DONE_EXIT as i64);
        let go = self.cold_if(leave);
        self.count_retired(self.retired + 1);
        let next = self.pc_at(delta + i.len as i64);
        self.exit_next(next);
        self.resume(go);
    }
}

/// The exits a trace's paths share.
#[derive(Clone, Copy)]
enum SharedExit {
    Chain,
    Jump,
    Step,
}

/// A page an access found through the TLB (see [`Emitter::tlb_access`]):
/// the key it compared and the addend it used.
#[derive(Clone, Copy)]
struct TlbPage {
    key: Value,
    addend: Value,
}

/// A side exit to the interpreter: the exiting instruction's offset, the
/// instructions retired before it and what it must store.
#[derive(Clone, Copy)]
struct SideExit {
    /// The cold block that stores and leaves (shared by the instruction's
    /// checks; its body comes after the trace).
    block: Block,
    delta: i64,
    retired: i64,
    /// Registers not yet stored where the exit is taken.
    dirty_x: u32,
    dirty_f: u32,
    /// In a simple loop, the registers not written since its header (see
    /// [`remat`]).
    fresh: u32,
}

/// For each instruction of `trace`, the registers (integer, FP) that may
/// be written but not yet stored when control reaches it through a join
/// block (`joins`), over all paths into it: a fixed point over the trace's
/// edges of "stored before an instruction that may leave, dirty once
/// written" ([`syncs_before`]). Over-approximating is safe (a register
/// stored twice), missing one is not; the emitter syncs at least where
/// this assumes it does.
fn join_dirty(trace: &Trace, joins: &[Option<Block>]) -> Vec<(u32, u32)> {
    let n = trace.insts.len();
    let internal = |delta: i64| internal_target(trace, joins, delta);
    let mut at = vec![(0u32, 0u32); n];
    loop {
        let before = at.clone();
        let mut cur = (0u32, 0u32);
        for (k, ti) in trace.insts.iter().enumerate() {
            if joins[k].is_some() {
                at[k] = (at[k].0 | cur.0, at[k].1 | cur.1);
                cur = at[k];
            }
            let op = ti.inst.op;
            let branch_to = op.is_conditional_branch().then(|| internal(ti.delta + ti.inst.imm as i64)).flatten();
            if let Some(m) = branch_to {
                at[m] = (at[m].0 | cur.0, at[m].1 | cur.1);
            } else if syncs_before(op) {
                cur = (0, 0);
            }
            let (wx, wf) = written(&ti.inst);
            cur = (cur.0 | wx, cur.1 | wf);
        }
        if let TraceEnd::Direct(delta) = trace.end {
            if let Some(m) = internal(delta) {
                at[m] = (at[m].0 | cur.0, at[m].1 | cur.1);
            }
        }
        if at == before {
            return at;
        }
    }
}

/// The instruction of `trace` at entry pc + `delta` if an edge there stays
/// in the function: it has a join block (`joins`).
fn internal_target(trace: &Trace, joins: &[Option<Block>], delta: i64) -> Option<usize> {
    trace.index_of(delta).filter(|&k| joins[k].is_some())
}

/// The loops of `trace` (whose `joins` are its blocks that internal edges
/// reach), as index ranges `(header, back edge)`: a backward internal
/// branch, or the final exit (a fall-through or a jump) back into the
/// trace.
fn loops(trace: &Trace, joins: &[Option<Block>]) -> Vec<(usize, usize)> {
    let internal = |delta: i64| internal_target(trace, joins, delta);
    let last = trace.insts.len() - 1;
    let branches = trace.insts.iter().enumerate().filter(|(_, ti)| ti.inst.op.is_conditional_branch());
    let mut loops: Vec<(usize, usize)> = branches
        .filter_map(|(k, ti)| internal(ti.delta + ti.inst.imm as i64).filter(|&h| h <= k).map(|h| (h, k)))
        .collect();
    if let TraceEnd::Direct(delta) = trace.end {
        loops.extend(internal(delta).map(|h| (h, last)));
    }
    loops
}

/// `x` if `v` is `opcode(x)`.
fn unary(dfg: &DataFlowGraph, v: Value, opcode: Opcode) -> Option<Value> {
    let ValueDef::Result(inst, 0) = dfg.value_def(v) else { return None };
    match dfg.insts[inst] {
        InstructionData::Unary { opcode: found, arg } if found == opcode => Some(dfg.resolve_aliases(arg)),
        _ => None,
    }
}

/// `w` if `v` is `sextend(w)` of a 32-bit `w` (a W instruction's result).
fn sign_extended(dfg: &DataFlowGraph, v: Value) -> Option<Value> {
    unary(dfg, v, Opcode::Sextend).filter(|&w| dfg.value_type(w) == I32)
}

/// Smallest RAM whose accesses are checked in groups (see [`ram_checks`]):
/// far more than a group spans.
const MIN_RAM_FOR_GROUPS: u64 = 1 << 20;

/// Most registers a loop's exits store for themselves (see `defer_stores`).
const MAX_DEFERRED: u32 = 32;

/// The jump-exit parameter of a `jalr` that is not recorded (a return).
const NOT_RECORDED: i64 = i64::MIN;

/// Most registers a straight trace leaves to its exits to store (see
/// [`Emitter::store_final_values`]).
const MAX_DEFERRED_STRAIGHT: u32 = 8;

/// For each instruction of `trace`, the registers (integer, FP) it or a
/// later one writes.
fn written_from(trace: &Trace) -> Vec<(u32, u32)> {
    let mut acc = (0, 0);
    let mut out: Vec<(u32, u32)> = trace
        .insts
        .iter()
        .rev()
        .map(|ti| {
            let (x, f) = written(&ti.inst);
            acc = (acc.0 | x, acc.1 | f);
            acc
        })
        .collect();
    out.reverse();
    out
}

/// Whether registers must be in memory before `op`: it may leave the
/// trace and its exits store nothing themselves. Loads, stores and
/// branches are not among them: their exits can store the registers not
/// yet stored, so loops keep registers in host registers.
fn syncs_before(op: Op) -> bool {
    op.amo_width().is_some()
}

/// Address of instruction `index` of the translation's instruction array.
fn unsafe_inst_ptr(base: *const Inst, index: usize) -> usize {
    base as usize + index * std::mem::size_of::<Inst>()
}

const NAN_BOX: i64 = 0xffff_ffff_0000_0000u64 as i64;

fn store_size(op: Op) -> u32 {
    match op {
        Op::Sb => 1,
        Op::Sh => 2,
        Op::Sw => 4,
        _ => 8,
    }
}
