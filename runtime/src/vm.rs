//! The virtual machine: guest RAM, the platform timer, per-hart interrupt
//! lines, power state and reset contexts, and the code epoch shared by
//! every vCPU.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::hart::irq;
use crate::jit::Engine;
use crate::memory::{GuestMemory, MemoryError, RAM_BASE};
use crate::power::{MpState, Requests, ResetContext};
use crate::vcpu::{Vcpu, VcpuHandle};

/// The most harts a VM may have.
pub const MAX_HARTS: usize = 64;

/// Frequency of `mtime` / the `time` CSR: 10 MHz, as on QEMU `virt`.
pub const TIMEBASE_HZ: u64 = 10_000_000;

/// What a [`Vm`] is made of.
#[derive(Clone, Debug)]
pub struct VmConfig {
    /// Bytes of RAM at [`RAM_BASE`].
    pub mem_size: u64,
    /// Number of harts (1 to [`MAX_HARTS`]).
    pub num_harts: usize,
    /// Physical ranges (base, length) that belong to devices: accesses to
    /// them exit to the VMM. Accesses to addresses that are neither RAM nor
    /// listed here raise access faults in the guest.
    pub mmio_regions: Vec<(u64, u64)>,
    /// The engine that runs guest code.
    pub engine: Engine,
    /// Run guests the way KVM does: in S-mode, with the hypervisor serving
    /// their SBI calls (`ecall` from S-mode), and every vCPU but 0 STOPPED
    /// until SBI HSM starts it. Otherwise harts start in M-mode, all
    /// running, as on bare hardware.
    pub sbi: bool,
}

impl Default for VmConfig {
    fn default() -> VmConfig {
        VmConfig { mem_size: 128 << 20, num_harts: 1, mmio_regions: Vec::new(), engine: Engine::default(), sbi: false }
    }
}

/// Errors from [`Vm`] operations.
#[derive(Debug, thiserror::Error)]
pub enum VmError {
    /// Guest memory could not be created.
    #[error(transparent)]
    Memory(#[from] MemoryError),
    /// The hart count is out of range.
    #[error("invalid number of harts {0}: must be between 1 and {MAX_HARTS}")]
    InvalidHartCount(usize),
    /// The vCPU id is out of range or already taken.
    #[error("invalid vCPU id {0}")]
    InvalidVcpuId(usize),
    /// The JIT could not be set up for this host.
    #[error("cannot start the JIT: {0}")]
    Jit(String),
}

/// The part of a hart that other threads touch: interrupt lines, timer
/// compares, power state, reset context and requests.
pub(crate) struct HartLines {
    /// MSIP, MEIP and SEIP as driven by the platform.
    pub(crate) mip: AtomicU64,
    /// The hart's `mtimecmp`.
    pub(crate) mtimecmp: AtomicU64,
    /// The supervisor timer the SBI programs (STIP while `mtime` >= it).
    pub(crate) stimecmp: AtomicU64,
    /// KVM's mp_state, under the mp_state lock (taken before `reset`).
    pub(crate) mp_state: Mutex<MpState>,
    /// `mp_state == Stopped`, readable without the lock; written under it.
    pub(crate) stopped: AtomicBool,
    /// The SBI HSM status (an `HsmStatus`).
    pub(crate) hsm: AtomicU8,
    /// Where the next `request::RESET` puts the hart, under its own lock.
    pub(crate) reset: Mutex<ResetContext>,
    /// Work for the hart's own thread.
    pub(crate) requests: Requests,
    /// The hart's thread is inside `Vcpu::run`, where it serves requests.
    pub(crate) in_run: AtomicBool,
    /// Set when another thread wants the hart to look at its lines or requests.
    pub(crate) attention: AtomicBool,
    /// Set to make `run()` return `VcpuExit::Intr` at the next boundary.
    pub(crate) kick: AtomicBool,
    /// The memory's `flag_epoch` up to which this hart's TLB has dropped
    /// the store tags of flagged pages (see `Core::sync_tlb_flags`).
    pub(crate) tlb_flag_epoch: AtomicU64,
    /// Where a sleeping (WFI) hart waits.
    pub(crate) sleep: Mutex<()>,
    pub(crate) wake: Condvar,
}

impl HartLines {
    fn new(id: usize, mp_state: MpState) -> HartLines {
        HartLines {
            mip: AtomicU64::new(0),
            mtimecmp: AtomicU64::new(u64::MAX),
            stimecmp: AtomicU64::new(u64::MAX),
            mp_state: Mutex::new(mp_state),
            stopped: AtomicBool::new(mp_state == MpState::Stopped),
            hsm: AtomicU8::new(mp_state.hsm_status() as u8),
            reset: Mutex::new(ResetContext { pc: RAM_BASE, a0: id as u64, a1: 0 }),
            requests: Requests::new(),
            in_run: AtomicBool::new(false),
            attention: AtomicBool::new(false),
            kick: AtomicBool::new(false),
            tlb_flag_epoch: AtomicU64::new(0),
            sleep: Mutex::new(()),
            wake: Condvar::new(),
        }
    }

    /// Wakes the hart if it sleeps, and makes it re-check its state.
    pub(crate) fn notify(&self) {
        self.attention.store(true, Ordering::Release);
        let _guard = self.sleep.lock().unwrap_or_else(|e| e.into_inner());
        self.wake.notify_all();
    }
}

/// The platform clock behind `mtime`.
pub(crate) struct Clock {
    start: Instant,
    /// mtime = offset + elapsed ticks.
    offset: AtomicI64,
}

impl Clock {
    pub(crate) fn mtime(&self) -> u64 {
        let ticks = (self.start.elapsed().as_nanos() / (1_000_000_000 / TIMEBASE_HZ as u128)) as i64;
        ticks.wrapping_add(self.offset.load(Ordering::Relaxed)) as u64
    }

    pub(crate) fn set_mtime(&self, value: u64) {
        let now = self.mtime().wrapping_sub(self.offset.load(Ordering::Relaxed) as u64);
        self.offset.store(value.wrapping_sub(now) as i64, Ordering::Relaxed);
    }

    /// Host time until mtime reaches `target` (zero if already there).
    pub(crate) fn until(&self, target: u64) -> Duration {
        let now = self.mtime();
        if now >= target {
            return Duration::ZERO;
        }
        let ticks = (target - now).min(TIMEBASE_HZ * 3600);
        Duration::from_nanos(ticks * (1_000_000_000 / TIMEBASE_HZ))
    }
}

/// State every vCPU of a VM shares.
pub(crate) struct VmShared {
    pub(crate) mem: GuestMemory,
    pub(crate) harts: Vec<Arc<HartLines>>,
    pub(crate) clock: Clock,
    pub(crate) mmio_regions: Vec<(u64, u64)>,
    /// The watched word (HTIF tohost), or u64::MAX.
    pub(crate) watch: AtomicU64,
    created: Mutex<Vec<bool>>,
    pub(crate) engine: Engine,
    /// Translations shared by the vCPUs (none when only interpreting).
    pub(crate) jit: Option<hartvm_jit::CodeCache>,
    /// Guests run in S-mode under the built-in SBI (`VmConfig::sbi`).
    pub(crate) sbi: bool,
    /// Held by HSM hart_start and SUSP system_suspend while they check and
    /// change power states, so that the two never both succeed.
    pub(crate) hsm_lock: Mutex<()>,
    /// More harts than host cores: `pause` yields the host thread.
    pub(crate) overcommitted: bool,
    /// Where callers of remote fences wait for the harts to run them.
    pub(crate) fence_lock: Mutex<()>,
    pub(crate) fence_done: Condvar,
}

/// The cores this process may run on.
fn host_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

impl VmShared {
    pub(crate) fn is_mmio(&self, pa: u64, len: u64) -> bool {
        self.mmio_regions.iter().any(|&(base, size)| pa >= base && pa.wrapping_sub(base).saturating_add(len) <= size)
    }
}

/// A virtual machine: RAM, harts' interrupt lines and timer, vCPU factory.
///
/// ```
/// use hartvm_runtime::{Vm, VmConfig};
/// let vm = Vm::new(VmConfig { mem_size: 1 << 20, ..VmConfig::default() }).unwrap();
/// vm.memory().write(0x8000_0000, &0x0000_0073u32.to_le_bytes()); // ecall
/// let vcpu = vm.create_vcpu(0).unwrap();
/// assert_eq!(vcpu.state().pc, 0x8000_0000);
/// ```
#[derive(Clone)]
pub struct Vm {
    pub(crate) shared: Arc<VmShared>,
}

impl Vm {
    /// Creates a VM with zeroed RAM at [`RAM_BASE`].
    pub fn new(config: VmConfig) -> Result<Vm, VmError> {
        if config.num_harts == 0 || config.num_harts > MAX_HARTS {
            return Err(VmError::InvalidHartCount(config.num_harts));
        }
        let mut mem = GuestMemory::new(RAM_BASE, config.mem_size)?;
        if config.engine == Engine::Difftest {
            mem.record_vmm_writes();
        }
        let jit = crate::jit::code_cache(config.engine, &mem).map_err(VmError::Jit)?;
        if let Some(cache) = &jit {
            mem.on_code_overwritten(cache.page_invalidator());
        }
        let shared = VmShared {
            engine: config.engine,
            jit,
            mem,
            harts: (0..config.num_harts)
                .map(|id| Arc::new(HartLines::new(id, MpState::at_power_up(id, config.sbi))))
                .collect(),
            clock: Clock { start: Instant::now(), offset: AtomicI64::new(0) },
            mmio_regions: config.mmio_regions,
            watch: AtomicU64::new(u64::MAX),
            created: Mutex::new(vec![false; config.num_harts]),
            sbi: config.sbi,
            hsm_lock: Mutex::new(()),
            overcommitted: config.num_harts > 1 && config.num_harts >= host_cores(),
            fence_lock: Mutex::new(()),
            fence_done: Condvar::new(),
        };
        Ok(Vm { shared: Arc::new(shared) })
    }

    /// The engine running guest code.
    pub fn engine(&self) -> Engine {
        self.shared.engine
    }

    /// Counters of the shared code cache (none when only interpreting).
    pub fn jit_stats(&self) -> Option<hartvm_jit::CacheStats> {
        self.shared.jit.as_ref().map(|c| c.stats())
    }

    /// Writes a perf map (`/tmp/perf-<pid>.map`) naming each translation
    /// with `symbolize(guest pc)`; returns its path.
    pub fn enable_perf_map(&self, symbolize: hartvm_jit::Symbolizer) -> Option<std::io::Result<std::path::PathBuf>> {
        self.shared.jit.as_ref().map(|c| c.enable_perf_map(symbolize))
    }

    /// Guest RAM.
    pub fn memory(&self) -> &GuestMemory {
        &self.shared.mem
    }

    /// Number of harts.
    pub fn num_harts(&self) -> usize {
        self.shared.harts.len()
    }

    /// Whether guests run in S-mode under the built-in SBI.
    pub fn sbi(&self) -> bool {
        self.shared.sbi
    }

    /// A handle on vCPU `id` for other threads: its power state and kicks.
    pub fn vcpu_handle(&self, id: usize) -> Option<VcpuHandle> {
        (id < self.shared.harts.len()).then(|| VcpuHandle::new(self.shared.clone(), id))
    }

    /// Creates vCPU `id` (each id once), starting in M-mode at the start of RAM.
    pub fn create_vcpu(&self, id: usize) -> Result<Vcpu, VmError> {
        let mut created = self.shared.created.lock().unwrap_or_else(|e| e.into_inner());
        match created.get_mut(id) {
            Some(taken @ false) => *taken = true,
            _ => return Err(VmError::InvalidVcpuId(id)),
        }
        Vcpu::new(self.shared.clone(), id).map_err(VmError::Jit)
    }

    /// Makes a store to the 8-byte word at `addr` (in RAM) end `run()` with
    /// `VcpuExit::Watch` — the HTIF `tohost` protocol.
    pub fn watch_word(&self, addr: u64) -> bool {
        if !self.shared.mem.contains(addr, 8) {
            return false;
        }
        self.shared.watch.store(addr, Ordering::Relaxed);
        self.shared.mem.mark_watch(addr);
        true
    }

    /// The platform timer (`mtime`).
    pub fn mtime(&self) -> u64 {
        self.shared.clock.mtime()
    }

    /// Sets `mtime`.
    pub fn set_mtime(&self, value: u64) {
        self.shared.clock.set_mtime(value);
        self.notify_all();
    }

    /// Hart `hart`'s `mtimecmp` (u64::MAX for an unknown hart).
    pub fn mtimecmp(&self, hart: usize) -> u64 {
        self.shared.harts.get(hart).map_or(u64::MAX, |h| h.mtimecmp.load(Ordering::Relaxed))
    }

    /// Sets hart `hart`'s `mtimecmp`.
    pub fn set_mtimecmp(&self, hart: usize, value: u64) {
        if let Some(h) = self.shared.harts.get(hart) {
            h.mtimecmp.store(value, Ordering::Relaxed);
            h.notify();
        }
    }

    /// Whether hart `hart`'s machine software interrupt is raised.
    pub fn msip(&self, hart: usize) -> bool {
        self.line(hart, irq::MSIP)
    }

    /// Raises or lowers hart `hart`'s machine software interrupt (CLINT msip).
    pub fn set_msip(&self, hart: usize, level: bool) {
        self.set_line(hart, irq::MSIP, level);
    }

    /// Raises or lowers hart `hart`'s machine external interrupt line.
    pub fn set_meip(&self, hart: usize, level: bool) {
        self.set_line(hart, irq::MEIP, level);
    }

    /// Raises or lowers hart `hart`'s supervisor external interrupt line.
    pub fn set_seip(&self, hart: usize, level: bool) {
        self.set_line(hart, irq::SEIP, level);
    }

    fn line(&self, hart: usize, bit: u64) -> bool {
        self.shared.harts.get(hart).is_some_and(|h| h.mip.load(Ordering::Relaxed) & bit != 0)
    }

    fn set_line(&self, hart: usize, bit: u64, level: bool) {
        if let Some(h) = self.shared.harts.get(hart) {
            if level {
                h.mip.fetch_or(bit, Ordering::AcqRel);
            } else {
                h.mip.fetch_and(!bit, Ordering::AcqRel);
            }
            h.notify();
        }
    }

    /// Makes vCPU `hart`'s `run()` return `VcpuExit::Intr` soon, waking it
    /// if it sleeps. Callable from any thread.
    pub fn kick(&self, hart: usize) {
        if let Some(h) = self.shared.harts.get(hart) {
            h.kick.store(true, Ordering::Release);
            h.notify();
        }
    }

    fn notify_all(&self) {
        for h in &self.shared.harts {
            h.notify();
        }
    }
}
