//! The QEMU-`virt`-compatible machine around the runtime: devices on an
//! MMIO bus, the loaded program, HTIF, and one host thread per vCPU.

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use hartvm_devices::htif::{self, HtifAction};
use hartvm_devices::loader::{self, GuestRam, LoadedElf};
use hartvm_devices::mmio::MmioBus;
use hartvm_devices::test_finisher::{FinisherEvent, TestFinisher};
use hartvm_devices::uart::Uart;
use hartvm_runtime::{CacheStats, Engine, GuestMemory, Vcpu, VcpuExit, VcpuStats, Vm, VmConfig};

use crate::console::Console;

/// Device addresses of the QEMU `virt` machine (DESIGN.md).
pub mod map {
    /// Test finisher / syscon.
    pub const FINISHER: (u64, u64) = (0x10_0000, 0x1000);
    /// CLINT / ACLINT.
    pub const CLINT: (u64, u64) = (0x200_0000, 0x1_0000);
    /// ns16550a UART0.
    pub const UART0: (u64, u64) = (0x1000_0000, 0x100);
}

/// How a machine is built.
pub struct MachineConfig {
    /// RAM bytes.
    pub mem_size: u64,
    /// Number of harts.
    pub harts: usize,
    /// Where guest console output goes.
    pub console: Console,
    /// The engine running guest code.
    pub engine: Engine,
}

/// Why a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The guest wrote an exit code through HTIF (0 = success).
    HtifExit(u64),
    /// The test finisher reported success / power-off.
    PowerOff,
    /// The test finisher reported failure with this code.
    FinisherFail(u16),
    /// The test finisher requested a reset.
    Reset,
    /// `--timeout` expired.
    Timeout,
    /// `--max-insns` was reached.
    InstructionLimit,
    /// The guest broke a host-interface protocol (e.g. a bad HTIF request).
    GuestError(String),
    /// hartvm itself failed while running the guest.
    InternalError(String),
}

/// What a run produced.
pub struct RunReport {
    /// Why it ended.
    pub outcome: Outcome,
    /// Per-vCPU counters.
    pub stats: Vec<VcpuStats>,
    /// Wall-clock time of the run.
    pub wall: Duration,
    /// The engine that ran the guest.
    pub engine: Engine,
    /// Counters of the shared code cache (none for the interpreter).
    pub jit: Option<CacheStats>,
}

/// Limits on a run.
#[derive(Clone, Copy, Default)]
pub struct Limits {
    /// Wall-clock limit.
    pub timeout: Option<Duration>,
    /// Instruction limit per hart.
    pub max_insns: Option<u64>,
}

/// A machine with a program loaded, ready to run.
pub struct Machine {
    vm: Vm,
    bus: MmioBus,
    finisher: Arc<TestFinisher>,
    console: Console,
    elf: LoadedElf,
    vcpus: Vec<Vcpu>,
}

struct RamWriter<'a>(&'a GuestMemory);

impl GuestRam for RamWriter<'_> {
    fn base(&self) -> u64 {
        self.0.base()
    }
    fn size(&self) -> u64 {
        self.0.size()
    }
    fn write(&mut self, addr: u64, data: &[u8]) {
        self.0.write(addr, data);
    }
}

struct HtifMemory<'a>(&'a GuestMemory);

impl htif::GuestMemoryAccess for HtifMemory<'_> {
    fn read(&self, addr: u64, buf: &mut [u8]) -> bool {
        self.0.read(addr, buf)
    }
    fn write(&self, addr: u64, buf: &[u8]) -> bool {
        self.0.write(addr, buf)
    }
}

impl Machine {
    /// Builds the machine and loads the bare-metal ELF at `path`.
    pub fn with_elf(config: MachineConfig, path: &Path) -> Result<Machine> {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        Machine::with_elf_bytes(config, &bytes).with_context(|| path.display().to_string())
    }

    /// Builds the machine and loads the bare-metal ELF in `bytes`.
    pub fn with_elf_bytes(config: MachineConfig, bytes: &[u8]) -> Result<Machine> {
        let regions = vec![map::FINISHER, map::CLINT, map::UART0];
        let vm = Vm::new(VmConfig {
            mem_size: config.mem_size,
            num_harts: config.harts,
            mmio_regions: regions,
            engine: config.engine,
        })?;
        let elf = loader::load_elf(bytes, &mut RamWriter(vm.memory()))?;
        let finisher = Arc::new(TestFinisher::new());
        let uart = Arc::new(Uart::new(Box::new(config.console.clone())));
        let mut bus = MmioBus::new();
        bus.insert(map::FINISHER.0, map::FINISHER.1, finisher.clone())?;
        bus.insert(map::UART0.0, map::UART0.1, uart)?;
        bus.insert(map::CLINT.0, map::CLINT.1, crate::clint::clint_for(&vm))?;
        if let Some(tohost) = elf.tohost {
            if !vm.watch_word(tohost) {
                bail!("the tohost symbol ({tohost:#x}) is not in guest RAM");
            }
        }
        let dtb = crate::fdt::place_dtb(&vm, (elf.load_start, elf.load_end))?;
        let mut vcpus = Vec::new();
        for id in 0..config.harts {
            let mut vcpu = vm.create_vcpu(id)?;
            let s = vcpu.state_mut();
            s.pc = elf.entry;
            s.x[10] = id as u64;
            s.x[11] = dtb;
            vcpus.push(vcpu);
        }
        Ok(Machine { vm, bus, finisher, console: config.console, elf, vcpus })
    }

    /// Makes the JIT write a perf map naming translations by the ELF's
    /// symbols; an error with the interpreter, which translates nothing.
    pub fn enable_perf_map(&self) -> Result<()> {
        // Sorted by address; a label without a size covers up to the next symbol.
        let symbols = self.elf.symbols.clone();
        let symbolize = move |pc: u64| {
            let i = symbols.partition_point(|s| s.0 <= pc).checked_sub(1)?;
            let (start, size, name) = &symbols[i];
            (*size == 0 || pc < start + size).then(|| format!("{name}+{:#x}", pc - start))
        };
        match self.vm.enable_perf_map(Box::new(symbolize)) {
            Some(result) => result.map(|_| ()).context("cannot create the perf map"),
            None => bail!("--perf-map needs a JIT engine (not --engine interp)"),
        }
    }

    /// The loaded program's symbols and addresses.
    pub fn elf(&self) -> &LoadedElf {
        &self.elf
    }

    /// Runs every hart on its own thread until the guest ends or a limit hits.
    pub fn run(mut self, limits: Limits) -> RunReport {
        let start = Instant::now();
        let mut vcpus = std::mem::take(&mut self.vcpus);
        let run = Run { machine: &self, outcome: Mutex::new(None), done: Condvar::new() };
        if let Some(n) = limits.max_insns {
            vcpus.iter_mut().for_each(|v| v.set_instruction_limit(n));
        }
        let stats = std::thread::scope(|scope| {
            let run = &run;
            let handles: Vec<_> = vcpus.into_iter().map(|v| scope.spawn(move || run.vcpu_thread(v))).collect();
            run.wait(limits.timeout.map(|t| start + t));
            for id in 0..self.vm.num_harts() {
                self.vm.kick(id);
            }
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        self.console.flush_all();
        let outcome = run.outcome.into_inner().unwrap_or_else(|e| e.into_inner()).unwrap_or(Outcome::Timeout);
        RunReport { outcome, stats, wall: start.elapsed(), engine: self.vm.engine(), jit: self.vm.jit_stats() }
    }
}

/// State shared by the vCPU threads of one run.
struct Run<'m> {
    machine: &'m Machine,
    outcome: Mutex<Option<Outcome>>,
    done: Condvar,
}

impl Run<'_> {
    fn finish(&self, outcome: Outcome) {
        let mut slot = self.outcome.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert(outcome);
        self.done.notify_all();
        drop(slot);
        for id in 0..self.machine.vm.num_harts() {
            self.machine.vm.kick(id);
        }
    }

    fn finished(&self) -> bool {
        self.outcome.lock().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    /// Waits until the run has an outcome or `deadline` passes.
    fn wait(&self, deadline: Option<Instant>) {
        let mut slot = self.outcome.lock().unwrap_or_else(|e| e.into_inner());
        while slot.is_none() {
            match deadline {
                None => slot = self.done.wait(slot).unwrap_or_else(|e| e.into_inner()),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        *slot = Some(Outcome::Timeout);
                        break;
                    }
                    slot = self.done.wait_timeout(slot, d - now).unwrap_or_else(|e| e.into_inner()).0;
                }
            }
        }
    }

    fn vcpu_thread(&self, mut vcpu: Vcpu) -> VcpuStats {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.vcpu_loop(&mut vcpu)));
        if let Err(panic) = result {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            self.finish(Outcome::InternalError(format!("vCPU {} failed: {msg}", vcpu.id())));
        }
        vcpu.stats().clone()
    }

    fn vcpu_loop(&self, vcpu: &mut Vcpu) {
        let m = self.machine;
        while !self.finished() {
            match vcpu.run() {
                VcpuExit::MmioRead { addr, data } => {
                    m.bus.read(addr, data);
                }
                VcpuExit::MmioWrite { addr, data } => {
                    m.bus.write(addr, data);
                    if let Some(event) = m.finisher.take_event() {
                        self.finish(match event {
                            FinisherEvent::Pass => Outcome::PowerOff,
                            FinisherEvent::Fail(code) => Outcome::FinisherFail(code),
                            FinisherEvent::Reset => Outcome::Reset,
                        });
                    }
                }
                VcpuExit::Watch { addr, value } => self.htif(addr, value),
                VcpuExit::Intr => {}
                VcpuExit::InstructionLimit => self.finish(Outcome::InstructionLimit),
                VcpuExit::Divergence { report } => self.finish(Outcome::InternalError(report.to_string())),
            }
        }
    }

    /// Serves a store to `tohost` (the HTIF protocol).
    fn htif(&self, tohost: u64, value: u64) {
        if value == 0 {
            return; // the guest clearing tohost itself
        }
        let m = self.machine;
        let mem = m.vm.memory();
        let respond = |fromhost_value: Option<u64>| {
            mem.write(tohost, &0u64.to_le_bytes());
            if let (Some(fromhost), Some(v)) = (m.elf.fromhost, fromhost_value) {
                mem.write(fromhost, &v.to_le_bytes());
            }
        };
        match htif::handle_tohost(value, &HtifMemory(mem), &mut m.console.clone()) {
            HtifAction::Exit(code) => self.finish(Outcome::HtifExit(code)),
            HtifAction::Done { fromhost } => respond(fromhost),
            // No console input is wired to HTIF: answer "no character".
            HtifAction::Getchar => respond(Some(htif::encode(1, 0, u64::MAX))),
            HtifAction::Fault(addr) => {
                self.finish(Outcome::GuestError(format!("HTIF syscall block at {addr:#x} is outside guest RAM")))
            }
            HtifAction::Unknown(_) => respond(None),
        }
    }
}
