//! Tier 1 glue: how the dispatcher hands hot code to the Cranelift JIT
//! (`hartvm-jit`), the helpers generated code calls back into, and the
//! context layout it works on.

use std::mem::offset_of;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use hartvm_frontend::Inst;
use hartvm_jit::abi::{exec, EXIT_NEXT, EXIT_STALE, EXIT_STEP};
use hartvm_jit::host_fp;
use hartvm_jit::{
    CodeCache, CodeSource, Compiler, ContextLayout, Generation, Helpers, JumpEntry, JumpRecord, JumpTargets, Mode,
    RamLayout, Status, Target, Translation,
};

use crate::block::{normalize, BlockCache};
use crate::hart::{mstatus, Privilege};
use crate::interp::{Exit, Flow};
use crate::memory::{GuestMemory, PAGE_SIZE};
use crate::mmu::Access;
use crate::vcpu::Core;

/// Which engine runs guest code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Engine {
    /// The interpreter only (tier 0).
    Interp,
    /// Every block is compiled before it first runs (for tests).
    Jit,
    /// Cold code is interpreted; hot code is compiled in the background.
    #[default]
    Tiered,
    /// Every block is compiled and run, then checked against the
    /// interpreter running the same guest in lockstep.
    Difftest,
}

/// Interpreted runs of a block before it is queued for compilation, while
/// the compiler keeps up; each [`BACKLOG_STEP`] requests waiting double it
/// (up to [`HOT_THRESHOLD_MAX`]). Cold code that runs a few dozen times
/// (most of a kernel boot) then stays interpreted instead of queueing
/// ahead of the loops that matter, and the compiler thread, which shares
/// the host's cores with the vCPUs, is not kept busy for nothing.
const HOT_THRESHOLD: u32 = 16;
/// Waiting requests per doubling of the threshold.
const BACKLOG_STEP: usize = 4;
/// The threshold's ceiling.
const HOT_THRESHOLD_MAX: u32 = HOT_THRESHOLD << 8;
/// After queueing, how often the block looks for its finished translation.
const POLL_EVERY: u32 = 16;
/// Instructions translated code may run before returning to the dispatcher.
const SLICE: u64 = 16_384;
/// Instructions a chaining difftest step may run.
const DIFFTEST_CHAIN_BUDGET: u64 = 256;
/// Code memory per VM before the cache starts over.
const MAX_CODE_BYTES: usize = 256 << 20;

/// What a decoded block knows about its translation.
#[derive(Default)]
pub(crate) struct BlockJit {
    hits: u32,
    never: bool,
    translation: Option<Arc<Translation>>,
}

impl BlockJit {
    /// Counts one interpreted run; whether it is one at which to look for
    /// (or ask for) a translation.
    fn count_hit(&mut self) -> bool {
        if self.never {
            return false;
        }
        self.hits = self.hits.saturating_add(1);
        self.hits >= HOT_THRESHOLD && self.hits.is_multiple_of(POLL_EVERY)
    }
}

/// Per-vCPU JIT state.
pub(crate) struct VcpuJit {
    engine: Engine,
    compiler: Option<Compiler>,
    generation: Arc<Generation>,
    jump: Box<[JumpEntry]>,
    /// Where this vCPU's indirect jumps went, for the compiler to predict.
    jump_records: Box<[JumpRecord]>,
    pending: Option<Pending>,
    /// Translations entered so far under `Engine::Difftest`.
    difftest_steps: u64,
}

/// A chain slot an exit left empty, and where it wanted to go.
#[derive(Clone, Copy)]
struct Pending {
    slot: usize,
    pc: u64,
    key: u64,
}

/// The context layout of [`Core`] as the generated code sees it.
fn context_layout() -> ContextLayout {
    ContextLayout {
        x: offset_of!(Core, hart.x) as i32,
        f: offset_of!(Core, hart.f) as i32,
        pc: offset_of!(Core, hart.pc) as i32,
        instret: offset_of!(Core, stats.instructions) as i32,
        stop_at: offset_of!(Core, jit_ctx.stop_at) as i32,
        jump_key: offset_of!(Core, jit_ctx.key) as i32,
        jump_cache: offset_of!(Core, jit_ctx.jump_cache) as i32,
        jump_records: offset_of!(Core, jit_ctx.jump_records) as i32,
        patch_slot: offset_of!(Core, jit_ctx.patch_slot) as i32,
        tlb: offset_of!(Core, jit_ctx.tlb) as i32,
        counters: offset_of!(Core, jit_ctx.counters) as i32,
        fflags: offset_of!(Core, hart.csr.fflags) as i32,
        frm: offset_of!(Core, hart.csr.frm) as i32,
        helper_out: offset_of!(Core, jit_ctx.helper_out) as i32,
        tlb_fill_args: offset_of!(Core, jit_ctx.tlb_fill_args) as i32,
    }
}

/// The words of [`Core`] only generated code and the dispatcher use.
#[repr(C)]
pub(crate) struct JitContext {
    pub(crate) stop_at: u64,
    pub(crate) key: u64,
    pub(crate) jump_cache: *const JumpEntry,
    pub(crate) jump_records: *mut JumpRecord,
    pub(crate) patch_slot: usize,
    pub(crate) tlb: *const u8,
    /// Chain hits, jump-cache hits, jump-cache misses.
    pub(crate) counters: [u64; 3],
    /// A helper's result, on its way back to translated code.
    pub(crate) helper_out: u64,
    /// `tlb_fill`'s arguments: the address, and the access's size in
    /// bytes shifted left by one, plus 1 for a store.
    pub(crate) tlb_fill_args: [u64; 2],
}

// SAFETY: the pointers address the owning vCPU's own jump cache, jump
// records and TLB (heap allocations that move with it); only that vCPU's
// thread uses them.
unsafe impl Send for JitContext {}
// SAFETY: shared references never dereference the pointers.
unsafe impl Sync for JitContext {}

impl JitContext {
    pub(crate) fn new(tlb: *const u8) -> JitContext {
        JitContext {
            stop_at: 0,
            key: u64::MAX,
            jump_cache: std::ptr::null(),
            jump_records: std::ptr::null_mut(),
            patch_slot: 0,
            tlb,
            counters: [0; 3],
            helper_out: 0,
            tlb_fill_args: [0; 2],
        }
    }
}

/// Creates the VM's code cache for `engine` (none for the interpreter).
pub(crate) fn code_cache(engine: Engine, mem: &GuestMemory) -> Result<Option<CodeCache>, String> {
    if engine == Engine::Interp {
        return Ok(None);
    }
    CodeCache::new(target(mem), engine == Engine::Tiered, MAX_CODE_BYTES).map(Some)
}

fn target(mem: &GuestMemory) -> Target {
    Target {
        ctx: context_layout(),
        tlb: crate::mmu::jit_tlb_layout(),
        ram: RamLayout {
            base: mem.base(),
            size: mem.size(),
            host: mem.host_base(),
            page_flags: mem.page_flags_ptr() as usize,
        },
        helpers: Helpers { tlb_fill, exec_inst, fp: fp_helper, fp_direct: crate::fp::direct_helper },
    }
}

impl VcpuJit {
    pub(crate) fn new(engine: Engine, cache: &CodeCache, mem: &GuestMemory) -> Result<VcpuJit, String> {
        let compiler =
            if matches!(engine, Engine::Jit | Engine::Difftest) { Some(Compiler::new(target(mem))?) } else { None };
        Ok(VcpuJit {
            engine,
            compiler,
            generation: cache.generation(),
            jump: vec![JumpEntry::EMPTY; hartvm_jit::abi::JUMP_CACHE_ENTRIES].into_boxed_slice(),
            jump_records: vec![JumpRecord::EMPTY; hartvm_jit::abi::JUMP_RECORD_ENTRIES].into_boxed_slice(),
            pending: None,
            difftest_steps: 0,
        })
    }
}

/// Helper: fills the TLB for an access the inline path missed, whose
/// address and `size << 1 | write` are in `jit_ctx.tlb_fill_args`.
extern "C" fn tlb_fill(ctx: *mut u8) -> usize {
    // SAFETY: generated code passes the context pointer it was entered
    // with, which `Core::run_translation` made from a live `&mut Core`.
    let core = unsafe { &mut *(ctx as *mut Core) };
    let [va, how] = core.jit_ctx.tlb_fill_args;
    let (write, size) = (how & 1 != 0, how >> 1);
    let access = if write { Access::Store } else { Access::Load };
    // All of the access, not its first byte: PMP regions may be as small
    // as 4 bytes.
    let Ok(pa) = core.hart.translate(&core.shared.mem, va, size, access) else { return 0 };
    let Some(host) = core.shared.mem.host_ptr(pa, size) else { return 0 };
    if write && core.shared.mem.is_flagged(pa) {
        return 0;
    }
    host as usize
}

/// Helper: runs one instruction with the interpreter's implementation.
extern "C" fn exec_inst(ctx: *mut u8, inst: *const Inst, pc: u64) -> u64 {
    // SAFETY: as in `tlb_fill`; `inst` points into the instructions the
    // running translation owns.
    let (core, inst) = unsafe { (&mut *(ctx as *mut Core), &*inst) };
    match core.step(inst, pc, inst as *const Inst as usize) {
        Flow::Next if core.after_block => exec::DONE_EXIT,
        Flow::Next => exec::DONE,
        // Traps have no side effects: the interpreter redoes the instruction.
        _ => exec::NOT_RUN,
    }
}

/// Helper: an arithmetic F/D instruction on operand values.
extern "C" fn fp_helper(ctx: *mut u8, inst: *const Inst, f1: f64, f2: f64, f3: f64, x1: u64) -> u64 {
    // SAFETY: as in `exec_inst`.
    let (core, inst) = unsafe { (&mut *(ctx as *mut Core), &*inst) };
    // Translations with FP code only run while the FP unit is dirty and
    // `frm` is valid (`Mode::fp`), and never for invalid static modes.
    core.without_host_fp_flags(|core| {
        let (f1, f2, f3) = std::hint::black_box((f1, f2, f3));
        let ops = crate::fp::FpOperands { f1: f1.to_bits(), f2: f2.to_bits(), f3: f3.to_bits(), x1 };
        core.fp_eval(inst, &ops)
    })
    .expect("an FP instruction in translated code cannot trap")
}

/// What the dispatcher should do after looking at the JIT.
pub(crate) enum JitRun {
    /// Nothing was run: interpret the block.
    Interpret,
    /// Translated code ran; go on dispatching.
    Ran,
    /// Translated code ran and the VMM is needed.
    Exit(Exit),
}

impl Core {
    /// Folds the FP exception flags translated code left on the host FPU
    /// into `fflags` (see [`host_fp`]).
    #[inline]
    fn accrue_host_fp_flags(&mut self) {
        self.hart.csr.fflags |= host_fp::take();
    }

    /// Runs `f`, a helper's work, called from translated code, that may
    /// use the host FPU: the flags translated code accrued so far go to
    /// `fflags` first, and the ones `f` raises on the host are dropped
    /// (it accrues the guest's itself). The compiler does not know that
    /// FP arithmetic touches MXCSR: `f` must take its FP operands through
    /// `black_box` (so nothing is computed before the flags are taken),
    /// and its result passes through one here before they are reset.
    #[inline]
    pub(crate) fn without_host_fp_flags<R>(&mut self, f: impl FnOnce(&mut Core) -> R) -> R {
        self.accrue_host_fp_flags();
        let result = std::hint::black_box(f(self));
        host_fp::reset();
        result
    }

    /// The translation mode for the hart's current state.
    fn jit_mode(&self) -> Mode {
        let data = self.data_privilege;
        let unrestricted = !self.hart.pmp.is_active();
        let fp = self.hart.csr.mstatus & mstatus::FS == mstatus::FS_DIRTY && self.hart.csr.frm <= 4;
        Mode {
            tlb_level: match data {
                Privilege::User => 0,
                Privilege::Supervisor => 1,
                Privilege::Machine => 2,
            },
            direct: data == Privilege::Machine && unrestricted,
            fp,
            fp_nearest: fp && self.hart.csr.frm == 0,
            cross_page: self.hart.privilege == Privilege::Machine && unrestricted,
        }
    }

    /// Runs the block at `index` (just found for the current pc) as
    /// translated code if there is, or should now be, a translation.
    #[inline(always)]
    pub(crate) fn try_jit(&mut self, cache: &mut BlockCache, index: u32, countdown: &mut u32) -> JitRun {
        let Some(jit) = self.jit.as_ref() else { return JitRun::Interpret };
        let block = cache.get_mut(index);
        let counted = jit.engine == Engine::Tiered && block.jit.translation.is_none();
        if counted && !block.jit.count_hit() {
            // Most blocks of a boot: cold, and left without a call.
            return JitRun::Interpret;
        }
        self.enter_jit(cache, index, countdown, counted)
    }

    /// [`Core::try_jit`] past the cold-block check.
    #[inline(never)]
    fn enter_jit(&mut self, cache: &mut BlockCache, index: u32, countdown: &mut u32, counted: bool) -> JitRun {
        let mode = self.jit_mode();
        let current = {
            let block = cache.get_mut(index);
            match &block.jit.translation {
                Some(t) if t.mode == mode && t.valid() => Some(t.clone()),
                _ => None,
            }
        };
        let t = match current {
            Some(t) => t,
            None => match self.jit_miss(cache, index, mode, counted) {
                Some(t) => t,
                None => return JitRun::Interpret,
            },
        };
        let jit = self.jit.as_mut().expect("checked above");
        let generation = t.generation();
        if generation.id() != jit.generation.id() {
            if generation.id() < jit.generation.id() {
                cache.get_mut(index).jit.translation = None;
                return JitRun::Interpret;
            }
            jit.generation = generation.clone();
            jit.jump.fill(JumpEntry::EMPTY);
            jit.pending = None;
        }
        self.run_translation(&t, mode, cache, index, countdown)
    }

    fn run_translation(
        &mut self,
        t: &Arc<Translation>,
        mode: Mode,
        cache: &mut BlockCache,
        index: u32,
        countdown: &mut u32,
    ) -> JitRun {
        let pc = self.hart.pc;
        let key = (self.jump_key << Mode::BITS) | mode.bits() as u64;
        let jit = self.jit.as_mut().expect("JIT state");
        if let Some(p) = jit.pending.take() {
            if p.pc == pc && p.key == key {
                // SAFETY: the slot is a word of a live translation of the
                // current generation (pending chains are dropped when the
                // generation changes); it holds a code address or 0.
                unsafe {
                    (*(p.slot as *const std::sync::atomic::AtomicU64))
                        .store(t.entry as u64, std::sync::atomic::Ordering::Relaxed)
                };
            }
        }
        jit.jump[JumpEntry::index(pc)] = JumpEntry { pc, key, code: t.entry, pad: 0 };
        self.jit_ctx.jump_cache = jit.jump.as_ptr();
        self.jit_ctx.jump_records = jit.jump_records.as_mut_ptr();
        self.jit_ctx.tlb = self.hart.tlb.as_ptr();
        self.jit_ctx.key = key;
        self.jit_ctx.patch_slot = 0;
        let limit = self.insn_limit.saturating_sub(self.stats.traps);
        self.jit_ctx.stop_at = self.stats.instructions.saturating_add(SLICE).min(limit);
        if jit.engine == Engine::Difftest {
            // Every other step runs one trace (every chain and back edge
            // returns); the others chain and loop for a short while, so
            // the paths between traces are checked too.
            jit.difftest_steps += 1;
            let budget = if jit.difftest_steps.is_multiple_of(2) { 0 } else { DIFFTEST_CHAIN_BUDGET };
            self.jit_ctx.stop_at = self.stats.instructions + budget;
        }
        self.stats.jit_entries += 1;
        let code_cache: *const CodeCache = self.shared.jit.as_ref().expect("a JIT engine has a code cache");
        // Translated FP code leaves its flags on the host FPU.
        if mode.fp {
            host_fp::reset();
        }
        // SAFETY: the cache lives in `self.shared`, which nothing replaces
        // while code runs. `self` is the context the layout describes; `t`
        // (and so its generation) is held for the call, and every other
        // translation it can reach belongs to that generation.
        let status = unsafe { (*code_cache).enter(self as *mut Core as *mut u8, t.entry) };
        if mode.fp {
            self.accrue_host_fp_flags();
        }
        if self.stats.instructions >= self.jit_ctx.stop_at {
            *countdown = 0;
        }
        match status {
            EXIT_NEXT => {
                if self.jit_ctx.patch_slot != 0 {
                    let jit = self.jit.as_mut().expect("JIT state");
                    jit.pending = Some(Pending { slot: self.jit_ctx.patch_slot, pc: self.hart.pc, key });
                }
                JitRun::Ran
            }
            EXIT_STEP => {
                self.stats.jit_step_exits += 1;
                match self.step_at_pc() {
                    Some(exit) => JitRun::Exit(exit),
                    None => JitRun::Ran,
                }
            }
            EXIT_STALE => {
                cache.get_mut(index).jit.translation = None;
                JitRun::Ran
            }
            other => unreachable!("translation returned unknown exit code {other}"),
        }
    }

    /// Finds or makes the translation for block `index` when the block has
    /// none for `mode`.
    /// `counted`: this run of the block was already counted (and is one at
    /// which the tiered engine looks for a translation).
    fn jit_miss(&mut self, cache: &mut BlockCache, index: u32, mode: Mode, counted: bool) -> Option<Arc<Translation>> {
        let pa = cache.get(index).pa;
        let code_cache = self.shared.jit.as_ref()?;
        let engine = self.jit.as_ref()?.engine;
        let block = cache.get_mut(index);
        if block.jit.never {
            return None;
        }
        if engine == Engine::Tiered {
            if !counted && !block.jit.count_hit() {
                return None;
            }
            let hits = block.jit.hits;
            let doublings = (code_cache.backlog() / BACKLOG_STEP).min(8) as u32;
            if hits < (HOT_THRESHOLD << doublings).min(HOT_THRESHOLD_MAX) {
                return None;
            }
            match code_cache.status(pa, mode, hits) {
                Status::Ready(t) => {
                    block.jit.translation = Some(t.clone());
                    return Some(t);
                }
                Status::Queued => {}
                Status::Refused => block.jit.never = true,
                Status::Absent => {
                    let source = self.code_source(pa, mode);
                    self.shared.jit.as_ref()?.request(source, hits);
                }
            }
            return None;
        }
        if let Some(t) = code_cache.lookup(pa, mode) {
            cache.get_mut(index).jit.translation = Some(t.clone());
            return Some(t);
        }
        let source = self.code_source(pa, mode);
        let code_cache = self.shared.jit.as_ref()?;
        let compiler = self.jit.as_mut()?.compiler.as_mut()?;
        match code_cache.compile_now(compiler, &source) {
            Ok(Some(t)) => {
                cache.get_mut(index).jit.translation = Some(t.clone());
                Some(t)
            }
            Ok(None) => None,
            // Untranslatable, or rejected by Cranelift (reported): the
            // interpreter runs the code.
            Err(_) => {
                cache.get_mut(index).jit.never = true;
                None
            }
        }
    }

    /// What to compile the translation at `pa` (the hart's pc) from: a
    /// copy of its page, marked as code first so a store racing with the
    /// copy is seen, the page's invalidation epoch, and the recorded
    /// targets of the page's indirect jumps. The hart's own TLB loses its
    /// store tags for the page at once.
    fn code_source(&mut self, pa: u64, mode: Mode) -> CodeSource {
        let page_pa = pa & !(PAGE_SIZE - 1);
        let mem = &self.shared.mem;
        mem.mark_code(page_pa);
        let code_cache = self.shared.jit.as_ref().expect("JIT engine");
        let epoch = code_cache.page_epoch(page_pa / PAGE_SIZE);
        let mut page = vec![0u8; PAGE_SIZE as usize].into_boxed_slice();
        mem.read(page_pa, &mut page);
        self.sync_tlb_flags();
        CodeSource { page, pa, va: self.hart.pc, mode, epoch, targets: self.jump_targets() }
    }

    /// The recorded targets of indirect jumps from the page at pc to itself.
    fn jump_targets(&self) -> JumpTargets {
        let page_va = self.hart.pc & !(PAGE_SIZE - 1);
        self.jit.as_ref().map_or(JumpTargets::NONE, |jit| JumpTargets::from_records(&jit.jump_records, page_va))
    }

    /// Notes that the interpreter's `jalr` `i` at `pc` jumped to `target`
    /// (see [`JumpRecord`]).
    #[inline]
    pub(crate) fn record_jump(&mut self, i: &Inst, pc: u64, target: u64) {
        if let Some(jit) = self.jit.as_mut().filter(|_| !JumpRecord::is_return(i)) {
            jit.jump_records[JumpRecord::index(pc)] = JumpRecord { from: pc, to: target };
        }
    }

    /// Interprets the single instruction at pc (a translation's side exit).
    pub(crate) fn step_at_pc(&mut self) -> Option<Exit> {
        match self.fetch_single(self.hart.pc) {
            Ok(inst) => self.exec_single(normalize(inst)),
            Err(e) => {
                self.raise(e);
                None
            }
        }
    }

    /// Drops translations of code pages this hart overwrote.
    pub(crate) fn jit_invalidate_page(&self, page: u64) {
        if let Some(cache) = &self.shared.jit {
            cache.invalidate_page(page);
        }
    }

    /// `fence.i`: with several harts, a store by another hart may have
    /// raced with a compile of the code it changed, so the translations
    /// start over. The store may also have gone unseen by this hart's
    /// decoded blocks: it went through a store tag its TLB had not yet
    /// taken back from the newly flagged page (translated code and the
    /// interpreter's fast path both store through tags; see
    /// `Tlb::sync_flags`), or it was a direct-mode store of translated
    /// code, which reads the page's flags and then stores, so it can race
    /// with the flagging. If so, the decoded blocks start over too, at
    /// the hart's next boundary.
    pub(crate) fn jit_fence_i(&mut self) {
        if self.shared.harts.len() > 1 {
            let unseen = self.stores_may_be_unseen();
            let direct = self.shared.jit.as_ref().is_some_and(|cache| cache.has_direct_code());
            self.fence_i_pending |= unseen || direct;
            if let Some(cache) = &self.shared.jit {
                cache.flush();
            }
        }
    }

    /// Whether a store through a TLB store tag (translated code, or the
    /// interpreter's fast path) may have gone unseen since this hart last
    /// asked: some hart took a store tag from its TLB after
    /// another hart flagged the page, or some hart has not looked at the
    /// latest flags yet (it is inside translated code, or asleep).
    fn stores_may_be_unseen(&mut self) -> bool {
        self.sync_tlb_flags();
        let mem = &self.shared.mem;
        let epoch = mem.flag_epoch();
        let behind = self.shared.harts.iter().any(|h| h.tlb_flag_epoch.load(Ordering::Acquire) < epoch);
        let unseen = mem.unseen_stores();
        let new = unseen != self.unseen_stores_seen;
        self.unseen_stores_seen = unseen;
        behind || new
    }

    /// Takes the store tags of pages flagged since the last call from this
    /// hart's TLB (see `Tlb::sync_flags`) and tells the other harts how far
    /// it got.
    pub(crate) fn sync_tlb_flags(&mut self) {
        self.hart.tlb.sync_flags(&self.shared.mem);
        // The TLB also syncs by itself, before it drops entries.
        let epoch = self.hart.tlb.flag_epoch();
        if self.lines.tlb_flag_epoch.load(Ordering::Relaxed) != epoch {
            self.lines.tlb_flag_epoch.store(epoch, Ordering::Release);
        }
    }

    /// Counters the generated code keeps, copied into the stats.
    pub(crate) fn sync_jit_counters(&mut self) {
        let c = self.jit_ctx.counters;
        self.stats.chain_hits = c[0];
        self.stats.jit_jump_hits = c[1];
        self.stats.jit_jump_misses = c[2];
    }
}
