//! The vCPU: a hart plus its decoded-block cache, run on one host thread.

use std::sync::Arc;
use std::time::Instant;

use crate::block::BlockCache;
use crate::hart::HartState;
use crate::vm::VmShared;

/// Why `run()` returned: the VMM's part of the work (kvm-ioctls' `VcpuExit`).
#[derive(Debug, PartialEq, Eq)]
pub enum VcpuExit<'a> {
    /// A load from a device: fill `data`; the next `run()` completes the load.
    MmioRead {
        /// Guest physical address.
        addr: u64,
        /// The bytes to fill (1, 2, 4 or 8).
        data: &'a mut [u8],
    },
    /// A store to a device; the instruction has completed.
    MmioWrite {
        /// Guest physical address.
        addr: u64,
        /// The bytes stored.
        data: &'a [u8],
    },
    /// The guest stored `value` to the word registered with `Vm::watch_word`.
    Watch {
        /// Address of the watched word.
        addr: u64,
        /// The value stored.
        value: u64,
    },
    /// `Vm::kick` was called for this vCPU.
    Intr,
    /// The instruction limit set with [`Vcpu::set_instruction_limit`] was reached.
    InstructionLimit,
    /// `Engine::Difftest` found the JIT and the interpreter disagreeing;
    /// `report` shows the block and both states. The run cannot go on.
    Divergence {
        /// What differed, where, in which code.
        report: &'a str,
    },
}

/// What a vCPU has counted since it was created.
#[derive(Clone, Debug, Default)]
pub struct VcpuStats {
    /// Instructions retired.
    pub instructions: u64,
    /// Blocks decoded.
    pub blocks_decoded: u64,
    /// Instructions decoded into blocks.
    pub instructions_decoded: u64,
    /// Blocks executed.
    pub blocks_executed: u64,
    /// Block lookups the jump cache could not serve.
    pub jump_cache_misses: u64,
    /// Traps taken (exceptions and interrupts).
    pub traps: u64,
    /// Times the dispatcher entered translated code.
    pub jit_entries: u64,
    /// Translated code left for the interpreter to run one instruction
    /// (slow memory paths, CSR and system instructions).
    pub jit_step_exits: u64,
    /// Exits of translated code that went straight to the next translation.
    pub chain_hits: u64,
    /// Indirect jumps in translated code served by the jump cache.
    pub jit_jump_hits: u64,
    /// Indirect jumps in translated code the jump cache could not serve.
    pub jit_jump_misses: u64,
    /// Host time spent in `run()`.
    pub run_time: std::time::Duration,
}

/// A load waiting for the VMM to supply device data.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PendingLoad {
    pub(crate) rd: u8,
    pub(crate) size: u8,
    pub(crate) signed: bool,
    pub(crate) float: bool,
    pub(crate) len: u8,
}

/// The addresses the store fast path needs, copied out of `GuestMemory` so
/// that no pointer chase through the shared VM state is on the hot path.
#[derive(Clone, Copy)]
pub(crate) struct RamView {
    /// Host address of the first byte of RAM.
    pub(crate) host_base: usize,
    /// The per-page flag bytes.
    pub(crate) page_flags: *const std::sync::atomic::AtomicU8,
}

// SAFETY: the view only points at atomics inside `GuestMemory`, which is
// `Sync`; a `Core` holding the view also holds the `Arc` that owns them.
unsafe impl Send for RamView {}
// SAFETY: as above: shared access goes through atomics only.
unsafe impl Sync for RamView {}

impl RamView {
    /// Flags of the RAM page holding host address `host`.
    ///
    /// # Safety
    /// `host` must point into guest RAM, and the `GuestMemory` this view was
    /// taken from must be alive.
    #[inline(always)]
    pub(crate) unsafe fn flags(&self, host: usize) -> u8 {
        let page = (host - self.host_base) / crate::memory::PAGE_SIZE as usize;
        // SAFETY: `host` is in RAM, so `page` indexes the flag array, which
        // lives as long as the memory (guaranteed by the caller).
        unsafe { (*self.page_flags.add(page)).load(std::sync::atomic::Ordering::Relaxed) }
    }
}

/// Everything the interpreter touches while running a block; the block
/// cache is kept apart so a block can be borrowed while this is mutated.
pub(crate) struct Core {
    pub(crate) shared: Arc<VmShared>,
    /// Fast-path view of `shared.mem`, valid as long as `shared` is held.
    pub(crate) ram: RamView,
    pub(crate) hart: HartState,
    pub(crate) id: usize,
    /// This hart's interrupt lines and requests (shared with other threads).
    pub(crate) lines: Arc<crate::vm::HartLines>,
    /// Bumped whenever the mapping from pc to block may have changed
    /// (satp, sfence.vma, PMP, invalidated code).
    pub(crate) fetch_epoch: u64,
    /// The jump-cache key for the current fetch epoch, privilege and block
    /// cache generation; recomputed at every boundary (everything that
    /// changes one of them forces a boundary) and after code invalidation.
    pub(crate) jump_key: u64,
    /// Code pages this hart wrote while running a block.
    pub(crate) dirty_code_pages: Vec<u64>,
    /// The running block left work for its end (see `finish_block`).
    pub(crate) after_block: bool,
    /// A store wrote part of the watched word.
    pub(crate) watch_partial: bool,
    /// Re-evaluate pending interrupts (and the cached `data_privilege`)
    /// at the next boundary; set by everything that changes privilege or
    /// mstatus.
    pub(crate) check_interrupts: bool,
    /// `hart.data_privilege()`, cached for the load/store fast path.
    pub(crate) data_privilege: crate::hart::Privilege,
    pub(crate) pending_load: Option<PendingLoad>,
    pub(crate) mmio_buf: [u8; 8],
    pub(crate) mmio_len: usize,
    pub(crate) mmio_addr: u64,
    pub(crate) watch_value: u64,
    pub(crate) stats: VcpuStats,
    pub(crate) insn_limit: u64,
    /// `stats.instructions` when `mcycle`/`minstret` were last synced.
    pub(crate) counter_mark: u64,
    /// Words generated code reads and writes (see `jit::context_layout`).
    pub(crate) jit_ctx: crate::jit::JitContext,
    /// This vCPU's JIT state, unless the VM only interprets.
    pub(crate) jit: Option<crate::jit::VcpuJit>,
    /// Interrupts taken, as (instructions + traps before, number), kept
    /// for the difftest shadow.
    pub(crate) interrupt_log: Option<Vec<(u64, u64)>>,
    /// This is a difftest shadow: it never sleeps in WFI.
    pub(crate) shadow: bool,
    /// Values read from outside the hart (time, pending interrupts),
    /// recorded by a difftest primary and replayed by its shadow.
    pub(crate) external: Option<std::collections::VecDeque<u64>>,
    /// What the difftest engine found, for `VcpuExit::Divergence`.
    pub(crate) divergence: String,
}

/// A virtual CPU, run on its own host thread with [`Vcpu::run`].
pub struct Vcpu {
    pub(crate) core: Core,
    pub(crate) cache: BlockCache,
    /// The interpreter twin the difftest engine compares against.
    pub(crate) shadow: Option<Box<crate::difftest::Shadow>>,
}

impl Vcpu {
    pub(crate) fn new(shared: Arc<VmShared>, id: usize) -> Result<Vcpu, String> {
        let base = shared.mem.base();
        let lines = shared.harts[id].clone();
        let seen = shared.mem.code_epoch();
        let ram = RamView { host_base: shared.mem.host_base(), page_flags: shared.mem.page_flags_ptr() };
        let jit = match &shared.jit {
            Some(cache) => Some(crate::jit::VcpuJit::new(shared.engine, cache, &shared.mem)?),
            None => None,
        };
        let hart = HartState::new(id as u64, base);
        let difftest = shared.engine == crate::jit::Engine::Difftest;
        Ok(Vcpu {
            core: Core {
                ram,
                shared,
                jit_ctx: crate::jit::JitContext::new(hart.tlb.as_ptr()),
                hart,
                jit,
                id,
                lines,
                fetch_epoch: 0,
                jump_key: u64::MAX,
                dirty_code_pages: Vec::new(),
                after_block: false,
                watch_partial: false,
                check_interrupts: true,
                data_privilege: crate::hart::Privilege::Machine,
                pending_load: None,
                mmio_buf: [0; 8],
                mmio_len: 0,
                mmio_addr: 0,
                watch_value: 0,
                stats: VcpuStats::default(),
                insn_limit: u64::MAX,
                counter_mark: 0,
                interrupt_log: difftest.then(Vec::new),
                shadow: false,
                external: difftest.then(Default::default),
                divergence: String::new(),
            },
            cache: BlockCache::new(seen),
            shadow: None,
        })
    }

    /// This vCPU's id (its `mhartid`).
    pub fn id(&self) -> usize {
        self.core.id
    }

    /// The hart's architectural state.
    pub fn state(&self) -> &HartState {
        &self.core.hart
    }

    /// The hart's architectural state, for the VMM to set up before `run()`.
    pub fn state_mut(&mut self) -> &mut HartState {
        self.core.check_interrupts = true;
        self.core.fetch_epoch += 1;
        self.core.hart.tlb.flush();
        &mut self.core.hart
    }

    /// Counters since creation.
    pub fn stats(&self) -> &VcpuStats {
        &self.core.stats
    }

    /// Makes `run()` return [`VcpuExit::InstructionLimit`] once this many
    /// instructions have retired or trapped in total (checked at block
    /// boundaries, so a guest whose trap handler itself faults is bounded too).
    pub fn set_instruction_limit(&mut self, limit: u64) {
        self.core.insn_limit = limit;
    }

    /// Runs the guest until something needs the VMM.
    pub fn run(&mut self) -> VcpuExit<'_> {
        let start = Instant::now();
        let exit = if self.core.shared.engine == crate::jit::Engine::Difftest {
            crate::difftest::run(self)
        } else {
            self.core.finish_pending_load();
            crate::interp::run(&mut self.core, &mut self.cache)
        };
        self.core.stats.run_time += start.elapsed();
        self.core.sync_jit_counters();
        let core = &mut self.core;
        match exit {
            crate::interp::Exit::MmioRead => {
                VcpuExit::MmioRead { addr: core.mmio_addr, data: &mut core.mmio_buf[..core.mmio_len] }
            }
            crate::interp::Exit::MmioWrite => {
                VcpuExit::MmioWrite { addr: core.mmio_addr, data: &core.mmio_buf[..core.mmio_len] }
            }
            crate::interp::Exit::Watch => VcpuExit::Watch { addr: core.mmio_addr, value: core.watch_value },
            crate::interp::Exit::Intr => VcpuExit::Intr,
            crate::interp::Exit::InstructionLimit => VcpuExit::InstructionLimit,
            crate::interp::Exit::Divergence => VcpuExit::Divergence { report: &core.divergence },
        }
    }
}
