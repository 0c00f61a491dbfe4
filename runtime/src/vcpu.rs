//! The vCPU: a hart plus its decoded-block cache, run on one host thread,
//! and the handle other threads use to power it on and off.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use hartvm_sbi::{ExtensionSet, SystemEvent};

use crate::block::BlockCache;
use crate::hart::HartState;
use crate::interp::Exit;
use crate::power::{MpState, ResetContext};
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
    /// An SBI call the VMM serves (console I/O). `ret` starts as
    /// (NOT_SUPPORTED, 0); the next `run()` writes it to a0/a1 (a0 only
    /// for legacy calls) and steps over the `ecall`.
    RiscvSbi {
        /// a7.
        extension_id: u64,
        /// a6.
        function_id: u64,
        /// a0 to a5.
        args: [u64; 6],
        /// The result: error and value.
        ret: &'a mut [u64; 2],
    },
    /// The guest asked for a shutdown, a reboot or a system suspend. After
    /// Shutdown and Reset every vCPU is stopped. After Suspend the caller's
    /// reset context holds the resume point: calling `run()` again resumes.
    SystemEvent {
        /// What the guest asked for.
        event: SystemEvent,
        /// SRST's reason (0 none, 1 system failure) or SUSP's sleep type.
        data: u64,
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
    /// A `fence.i` on a multi-hart VM: the next boundary drops the decoded
    /// blocks, as a store of another hart to code this hart cached may
    /// have gone unseen (see `Core::jit_fence_i`).
    pub(crate) fence_i_pending: bool,
    /// The memory's `unseen_stores` at this hart's last multi-hart
    /// `fence.i`.
    pub(crate) unseen_stores_seen: u64,
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
    /// The SBI extensions this vCPU offers.
    pub(crate) sbi_extensions: ExtensionSet,
    /// An SBI call the VMM is serving.
    pub(crate) forwarded: Option<crate::sbi::Forwarded>,
    /// The event of the last `Exit::SystemEvent`.
    pub(crate) system_event: crate::sbi::PendingEvent,
    /// `run()` was called: the SBI extension set is fixed.
    pub(crate) ran: bool,
    /// A reset request was served (a difftest shadow must follow).
    pub(crate) was_reset: bool,
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
                fence_i_pending: false,
                unseen_stores_seen: 0,
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
                sbi_extensions: ExtensionSet::default(),
                forwarded: None,
                system_event: (SystemEvent::Shutdown, 0),
                ran: false,
                was_reset: false,
            },
            cache: BlockCache::new(seen),
            shadow: None,
        }
        .with_initial_state())
    }

    fn with_initial_state(mut self) -> Vcpu {
        self.core.enter_initial_state();
        self
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
        self.core.hart.tlb.flush(&self.core.shared.mem);
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

    /// Runs the guest until something needs the VMM. A stopped vCPU
    /// sleeps here until it is powered on or kicked.
    pub fn run(&mut self) -> VcpuExit<'_> {
        let start = Instant::now();
        self.core.ran = true;
        self.core.lines.in_run.store(true, Ordering::Release);
        let exit = self.run_until_exit();
        self.core.lines.in_run.store(false, Ordering::Release);
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
            crate::interp::Exit::Sbi => match core.forwarded.as_mut() {
                Some(f) => VcpuExit::RiscvSbi {
                    extension_id: f.call.eid,
                    function_id: f.call.fid,
                    args: f.call.args,
                    ret: &mut f.ret,
                },
                None => unreachable!("an SBI exit always leaves its call"),
            },
            crate::interp::Exit::SystemEvent => {
                VcpuExit::SystemEvent { event: core.system_event.0, data: core.system_event.1 }
            }
            crate::interp::Exit::Parked => unreachable!("run_until_exit parks stopped vCPUs itself"),
        }
    }

    fn run_until_exit(&mut self) -> Exit {
        self.core.finish_forwarded_call();
        loop {
            if let Some(exit) = self.core.park() {
                return exit;
            }
            if std::mem::take(&mut self.core.was_reset) {
                crate::difftest::resync(self);
            }
            let exit = if self.core.shared.engine == crate::jit::Engine::Difftest {
                crate::difftest::run(self)
            } else {
                self.core.finish_pending_load();
                crate::interp::run(&mut self.core, &mut self.cache)
            };
            if !matches!(exit, Exit::Parked) {
                return exit;
            }
        }
    }

    /// The vCPU's power state.
    pub fn get_mp_state(&self) -> MpState {
        *self.core.lines.lock_mp_state()
    }

    /// Powers the vCPU on or off, as KVM's `KVM_SET_MP_STATE`: powering on
    /// does not reset it (SBI HSM hart_start does).
    pub fn set_mp_state(&self, state: MpState) {
        set_mp_state(&self.core.shared, self.core.id, state);
    }

    /// A handle other threads can use to power this vCPU on and off and kick it.
    pub fn handle(&self) -> VcpuHandle {
        VcpuHandle::new(self.core.shared.clone(), self.core.id)
    }

    /// Puts the vCPU back in the state it was created in (registers,
    /// CSRs, power state, timer); the VMM's part of a reboot.
    pub fn reset(&mut self) {
        let shared = self.core.shared.clone();
        let id = self.core.id;
        let lines = &shared.harts[id];
        {
            let mut mp_state = lines.lock_mp_state();
            let base = shared.mem.base();
            *lines.reset.lock().unwrap_or_else(|e| e.into_inner()) = ResetContext { pc: base, a0: id as u64, a1: 0 };
            lines.requests.clear();
            let state = MpState::at_power_up(id, shared.sbi);
            lines.set_power(&mut mp_state, state, state.hsm_status());
        }
        lines.mtimecmp.store(u64::MAX, Ordering::Release);
        lines.mip.store(0, Ordering::Release);
        self.core.forwarded = None;
        self.core.enter_initial_state();
    }

    /// The SBI extensions this vCPU offers its guest.
    pub fn sbi_extensions(&self) -> ExtensionSet {
        self.core.sbi_extensions
    }

    /// Offers or withdraws SBI extensions; only before the first `run()`
    /// (as KVM's SBI_EXT registers), `Err(Busy)` after.
    pub fn set_sbi_extensions(&mut self, set: ExtensionSet) -> Result<(), crate::one_reg::RegError> {
        if self.core.ran {
            return Err(crate::one_reg::RegError::Busy);
        }
        self.core.sbi_extensions = set;
        Ok(())
    }
}

impl Core {
    /// The state of a vCPU just created or reset: on bare hardware M-mode
    /// at the start of RAM; in hypervisor mode S-mode there with a0 = hart id.
    fn enter_initial_state(&mut self) {
        let base = self.shared.mem.base();
        if self.shared.sbi {
            self.reset_supervisor(ResetContext { pc: base, a0: self.id as u64, a1: 0 });
            return;
        }
        let fresh = HartState::new(self.id as u64, base);
        let h = &mut self.hart;
        (h.x, h.f, h.pc, h.privilege, h.pmp, h.reservation) =
            (fresh.x, fresh.f, fresh.pc, fresh.privilege, fresh.pmp, None);
        h.csr = crate::hart::Csrs { mcycle: h.csr.mcycle, minstret: h.csr.minstret, ..fresh.csr };
        h.tlb.flush(&self.shared.mem);
        self.pending_load = None;
        self.fetch_epoch += 1;
        self.check_interrupts = true;
    }
}

/// Powers vCPU `id` on or off.
fn set_mp_state(shared: &VmShared, id: usize, state: MpState) {
    let lines = &shared.harts[id];
    let mut mp_state = lines.lock_mp_state();
    lines.set_power(&mut mp_state, state, state.hsm_status());
}

/// What other threads may do to a vCPU: read and set its power state, and
/// kick it. Cheap to clone, `Send` and `Sync`.
///
/// ```
/// use hartvm_runtime::{MpState, Vm, VmConfig};
/// let vm = Vm::new(VmConfig { mem_size: 1 << 20, num_harts: 2, sbi: true, ..VmConfig::default() }).unwrap();
/// let handle = vm.vcpu_handle(1).unwrap();
/// assert_eq!(handle.get_mp_state(), MpState::Stopped); // only vCPU 0 starts runnable
/// std::thread::spawn(move || handle.set_mp_state(MpState::Runnable)).join().unwrap();
/// assert_eq!(vm.vcpu_handle(1).unwrap().get_mp_state(), MpState::Runnable);
/// ```
#[derive(Clone)]
pub struct VcpuHandle {
    shared: Arc<VmShared>,
    id: usize,
}

impl VcpuHandle {
    pub(crate) fn new(shared: Arc<VmShared>, id: usize) -> VcpuHandle {
        VcpuHandle { shared, id }
    }

    /// The vCPU's id.
    pub fn id(&self) -> usize {
        self.id
    }

    /// The vCPU's power state.
    pub fn get_mp_state(&self) -> MpState {
        *self.shared.harts[self.id].lock_mp_state()
    }

    /// Powers the vCPU on or off (see [`Vcpu::set_mp_state`]).
    pub fn set_mp_state(&self, state: MpState) {
        set_mp_state(&self.shared, self.id, state);
    }

    /// Makes the vCPU's `run()` return [`VcpuExit::Intr`] soon, waking it
    /// if it sleeps.
    pub fn kick(&self) {
        let lines = &self.shared.harts[self.id];
        lines.kick.store(true, Ordering::Release);
        lines.notify();
    }
}
