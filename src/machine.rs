//! The QEMU-`virt`-compatible machine around the runtime: devices on an
//! MMIO bus, the loaded program, HTIF, one host thread per vCPU, and the
//! VMM's half of SBI (console calls, shutdown, reboot, suspend and resume).

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use hartvm_devices::htif::{self, HtifAction};
use hartvm_devices::loader::{self, GuestRam, LoadedElf};
use hartvm_devices::mmio::MmioBus;
use hartvm_devices::test_finisher::{FinisherEvent, TestFinisher};
use hartvm_devices::uart::Uart;
use hartvm_runtime::{
    CacheStats, Engine, GuestMemory, SbiExtension, SystemEvent, Vcpu, VcpuExit, VcpuStats, Vm, VmConfig,
};

use crate::console::{Console, ConsoleInput};

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
    /// How the program boots.
    pub boot: Boot,
}

/// How the guest program starts.
#[derive(Clone, Debug, Default)]
pub enum Boot {
    /// In M-mode at the ELF's entry on every hart, as on bare hardware.
    #[default]
    BareMetal,
    /// In S-mode on hart 0 under the built-in SBI, as a KVM guest.
    Kernel {
        /// SBI extensions not offered.
        sbi_disabled: Vec<SbiExtension>,
        /// When a suspended system wakes by itself.
        wake_after: Option<Duration>,
    },
}

/// Why a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The guest wrote an exit code through HTIF (0 = success).
    HtifExit(u64),
    /// The test finisher reported success, or the guest powered off.
    PowerOff,
    /// The guest shut down reporting a system failure (SBI SRST reason 1).
    SystemFailure,
    /// The test finisher reported failure with this code.
    FinisherFail(u16),
    /// The test finisher requested a reset.
    Reset,
    /// `--timeout` expired.
    Timeout,
    /// `--max-insns` was reached.
    InstructionLimit,
    /// The user typed Ctrl-A x on the console.
    Quit,
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
    /// Reboots the guest asked for.
    pub reboots: u64,
    /// System suspends the guest asked for and was woken from.
    pub resumes: u64,
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
    input: ConsoleInput,
    elf: LoadedElf,
    /// The program, kept to load it again at a reboot.
    image: Vec<u8>,
    dtb: u64,
    boot: Boot,
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

    /// Builds the machine and loads the ELF in `bytes`.
    pub fn with_elf_bytes(config: MachineConfig, bytes: &[u8]) -> Result<Machine> {
        let regions = vec![map::FINISHER, map::CLINT, map::UART0];
        let kernel = matches!(config.boot, Boot::Kernel { .. });
        let vm = Vm::new(VmConfig {
            mem_size: config.mem_size,
            num_harts: config.harts,
            mmio_regions: regions,
            engine: config.engine,
            sbi: kernel,
        })?;
        let elf = loader::load_elf(bytes, &mut RamWriter(vm.memory()))?;
        let (finisher, bus) = devices(&vm, &config.console)?;
        if let Some(tohost) = elf.tohost {
            if !vm.watch_word(tohost) {
                bail!("the tohost symbol ({tohost:#x}) is not in guest RAM");
            }
        }
        let dtb = crate::fdt::place_dtb(&vm, (elf.load_start, elf.load_end))?;
        let vcpus = (0..config.harts).map(|id| vm.create_vcpu(id)).collect::<Result<Vec<_>, _>>()?;
        let input = if kernel { ConsoleInput::from_stdin(false) } else { ConsoleInput::default() };
        let mut machine = Machine {
            vm,
            bus,
            finisher,
            console: config.console,
            input,
            elf,
            image: bytes.to_vec(),
            dtb,
            boot: config.boot,
            vcpus,
        };
        machine.vcpus.iter_mut().try_for_each(|v| machine_boot_vcpu(&machine.boot, &machine.elf, dtb, v))?;
        Ok(machine)
    }

    /// Puts RAM, devices and vCPUs back to how they were at power-on; RAM
    /// outside the program keeps its contents, as on QEMU.
    fn reboot(&mut self, vcpus: &mut [Vcpu]) -> Result<()> {
        loader::load_elf(&self.image, &mut RamWriter(self.vm.memory()))?;
        (self.finisher, self.bus) = devices(&self.vm, &self.console)?;
        self.dtb = crate::fdt::place_dtb(&self.vm, (self.elf.load_start, self.elf.load_end))?;
        for vcpu in vcpus.iter_mut() {
            vcpu.reset();
            machine_boot_vcpu(&self.boot, &self.elf, self.dtb, vcpu)?;
        }
        Ok(())
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

    /// Runs every hart on its own thread until the guest ends or a limit
    /// hits; a kernel that reboots is booted again.
    pub fn run(mut self, limits: Limits) -> RunReport {
        let start = Instant::now();
        let deadline = limits.timeout.map(|t| start + t);
        let mut vcpus = std::mem::take(&mut self.vcpus);
        if let Some(n) = limits.max_insns {
            vcpus.iter_mut().for_each(|v| v.set_instruction_limit(n));
        }
        let (mut reboots, mut resumes) = (0, 0);
        let outcome = loop {
            let (outcome, back, woken) = self.run_once(vcpus, deadline);
            (vcpus, resumes) = (back, resumes + woken);
            let rebootable = matches!(self.boot, Boot::Kernel { .. }) && vcpus.len() == self.vm.num_harts();
            if outcome != Outcome::Reset || !rebootable {
                break outcome;
            }
            eprintln!("hartvm: the guest asked for a reboot");
            if let Err(e) = self.reboot(&mut vcpus) {
                break Outcome::InternalError(format!("reboot failed: {e:#}"));
            }
            reboots += 1;
        };
        self.console.flush_all();
        let stats = vcpus.iter().map(|v| v.stats().clone()).collect();
        let (engine, jit) = (self.vm.engine(), self.vm.jit_stats());
        RunReport { outcome, stats, wall: start.elapsed(), engine, jit, reboots, resumes }
    }

    /// One boot: runs the vCPUs until an outcome; gives them back, with
    /// the number of resumes from suspend.
    fn run_once(&self, vcpus: Vec<Vcpu>, deadline: Option<Instant>) -> (Outcome, Vec<Vcpu>, u64) {
        let run = Run { machine: self, outcome: Mutex::new(None), done: Condvar::new(), resumes: Mutex::new(0) };
        let back = std::thread::scope(|scope| {
            let run = &run;
            let handles: Vec<_> = vcpus.into_iter().map(|v| scope.spawn(move || run.vcpu_thread(v))).collect();
            run.wait(deadline);
            for id in 0..self.vm.num_harts() {
                self.vm.kick(id);
            }
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        let outcome = run.outcome.into_inner().unwrap_or_else(|e| e.into_inner()).unwrap_or(Outcome::Timeout);
        (outcome, back, run.resumes.into_inner().unwrap_or_else(|e| e.into_inner()))
    }
}

/// The devices of a fresh machine: test finisher, UART and CLINT.
fn devices(vm: &Vm, console: &Console) -> Result<(Arc<TestFinisher>, MmioBus)> {
    let finisher = Arc::new(TestFinisher::new());
    let uart = Arc::new(Uart::new(Box::new(console.clone())));
    let mut bus = MmioBus::new();
    bus.insert(map::FINISHER.0, map::FINISHER.1, finisher.clone())?;
    bus.insert(map::UART0.0, map::UART0.1, uart)?;
    bus.insert(map::CLINT.0, map::CLINT.1, crate::clint::clint_for(vm))?;
    Ok((finisher, bus))
}

/// Sets up a vCPU at power-on: bare metal, every hart at the entry with
/// a0 = hart id, a1 = device tree; a kernel, hart 0 likewise (the others
/// wait, stopped, for SBI HSM), with the VMM's choice of SBI extensions:
/// SUSP on (this VMM resumes suspended systems) unless disabled.
fn machine_boot_vcpu(boot: &Boot, elf: &LoadedElf, dtb: u64, vcpu: &mut Vcpu) -> Result<()> {
    let id = vcpu.id();
    if let Boot::Kernel { sbi_disabled, .. } = boot {
        let mut offered = vcpu.sbi_extensions();
        offered.set(SbiExtension::Susp, true)?;
        for e in sbi_disabled {
            offered.set(*e, false)?;
        }
        if offered != vcpu.sbi_extensions() {
            vcpu.set_sbi_extensions(offered)?;
        }
        if id != 0 {
            return Ok(());
        }
    }
    let s = vcpu.state_mut();
    s.pc = elf.entry;
    s.x[10] = id as u64;
    s.x[11] = dtb;
    Ok(())
}

/// State shared by the vCPU threads of one run.
struct Run<'m> {
    machine: &'m Machine,
    outcome: Mutex<Option<Outcome>>,
    done: Condvar,
    resumes: Mutex<u64>,
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

    /// Waits until the run has an outcome, `deadline` passes or the user
    /// quits from the console.
    fn wait(&self, deadline: Option<Instant>) {
        // How often the console's quit key is looked at.
        const POLL: Duration = Duration::from_millis(50);
        let mut slot = self.outcome.lock().unwrap_or_else(|e| e.into_inner());
        while slot.is_none() {
            if self.machine.input.quit_requested() {
                *slot = Some(Outcome::Quit);
                break;
            }
            let now = Instant::now();
            let wait = match deadline {
                Some(d) if now >= d => {
                    *slot = Some(Outcome::Timeout);
                    break;
                }
                Some(d) => (d - now).min(POLL),
                None => POLL,
            };
            slot = self.done.wait_timeout(slot, wait).unwrap_or_else(|e| e.into_inner()).0;
        }
    }

    fn vcpu_thread(&self, mut vcpu: Vcpu) -> Vcpu {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.vcpu_loop(&mut vcpu)));
        if let Err(panic) = result {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            self.finish(Outcome::InternalError(format!("vCPU {} failed: {msg}", vcpu.id())));
        }
        vcpu
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
                VcpuExit::RiscvSbi { extension_id, function_id, args, ret } => {
                    let call = hartvm_sbi::SbiCall { eid: extension_id, fid: function_id, args };
                    *ret = crate::sbi_console::serve(&call, m.vm.memory(), &m.console, &m.input);
                }
                VcpuExit::SystemEvent { event, data } => self.system_event(event, data),
                VcpuExit::Intr => {}
                VcpuExit::InstructionLimit => self.finish(Outcome::InstructionLimit),
                VcpuExit::Divergence { report } => self.finish(Outcome::InternalError(report.to_string())),
            }
        }
    }

    /// Carries out a shutdown, reboot or system suspend.
    fn system_event(&self, event: SystemEvent, data: u64) {
        match event {
            SystemEvent::Shutdown if data == 1 => self.finish(Outcome::SystemFailure),
            SystemEvent::Shutdown => self.finish(Outcome::PowerOff),
            SystemEvent::Reset => self.finish(Outcome::Reset),
            SystemEvent::Suspend => self.suspend(),
        }
    }

    /// Keeps the suspended system asleep until a wake-up source fires;
    /// the caller's next `run()` resumes it.
    fn suspend(&self) {
        let m = self.machine;
        let wake_after = match &m.boot {
            Boot::Kernel { wake_after, .. } => *wake_after,
            Boot::BareMetal => None,
        };
        let sources = match wake_after {
            Some(d) => format!("in {d:?}, or on console input or SIGUSR1"),
            None => "on console input or SIGUSR1 (see --wake-after)".to_string(),
        };
        eprintln!("hartvm: the guest suspended the system; it wakes {sources}");
        crate::wake::catch_sigusr1();
        let reason = crate::wake::wait(wake_after, &m.input, || self.finished());
        if reason != crate::wake::WakeReason::Abandoned {
            eprintln!("hartvm: resuming the guest ({reason:?})");
            *self.resumes.lock().unwrap_or_else(|e| e.into_inner()) += 1;
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
