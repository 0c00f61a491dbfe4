//! The QEMU-`virt`-compatible machine around the runtime: devices on an
//! MMIO bus ([`virt`]), the loaded program ([`payload`]), HTIF, one host
//! thread per vCPU, and the VMM's half of SBI (console calls, shutdown,
//! reboot, suspend and resume).

mod payload;
mod virt;

pub use payload::{read_file, Payload};
pub use virt::{map, DeviceConfig};

use std::path::Path;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use hartvm_devices::htif::{self, HtifAction};
use hartvm_devices::loader::LoadedElf;
use hartvm_devices::test_finisher::FinisherEvent;
use hartvm_runtime::{
    CacheStats, Engine, GuestMemory, SbiExtension, SystemEvent, Vcpu, VcpuExit, VcpuStats, Vm, VmConfig,
};

use crate::console::{Console, ConsoleInput};
use payload::Start;
use virt::VirtDevices;

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
    /// Devices besides the fixed ones.
    pub devices: DeviceConfig,
    /// The kernel command line.
    pub bootargs: Option<String>,
    /// Console input goes to the guest from stdin (kernels), with the
    /// terminal in raw mode when `raw`.
    pub stdin: Option<Raw>,
}

/// Whether an interactive console puts the terminal in raw mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Raw(pub bool);

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
    /// M-mode firmware on every hart, with a kernel behind it (as QEMU).
    Firmware,
}

impl Boot {
    /// A guest that reboots is booted again (bare-metal runs end there).
    fn rebootable(&self) -> bool {
        !matches!(self, Boot::BareMetal)
    }
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
    devices: VirtDevices,
    device_config: DeviceConfig,
    bootargs: Option<String>,
    console: Console,
    input: ConsoleInput,
    payload: Payload,
    start: Start,
    boot: Boot,
    vcpus: Vec<Vcpu>,
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
    /// Builds the machine and loads the ELF at `path`.
    pub fn with_elf(config: MachineConfig, path: &Path) -> Result<Machine> {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        Machine::new(config, Payload::Elf(bytes)).with_context(|| path.display().to_string())
    }

    /// Builds the machine and loads `payload`.
    pub fn new(config: MachineConfig, payload: Payload) -> Result<Machine> {
        let vm = Vm::new(VmConfig {
            mem_size: config.mem_size,
            num_harts: config.harts,
            mmio_regions: map::REGIONS.to_vec(),
            engine: config.engine,
            sbi: matches!(config.boot, Boot::Kernel { .. }),
        })?;
        let input = match config.stdin {
            Some(Raw(raw)) => ConsoleInput::from_stdin(raw),
            None => ConsoleInput::default(),
        };
        let devices = VirtDevices::new(&vm, &config.console, &input, &config.devices)?;
        let mut machine = Machine {
            vm,
            devices,
            device_config: config.devices,
            bootargs: config.bootargs,
            console: config.console,
            input,
            payload,
            start: Start::default(),
            boot: config.boot,
            vcpus: Vec::new(),
        };
        machine.load()?;
        if let Some(tohost) = machine.start.elf.tohost {
            if !machine.vm.watch_word(tohost) {
                bail!("the tohost symbol ({tohost:#x}) is not in guest RAM");
            }
        }
        let mut vcpus = (0..config.harts).map(|id| machine.vm.create_vcpu(id)).collect::<Result<Vec<_>, _>>()?;
        vcpus.iter_mut().try_for_each(|v| machine.boot_vcpu(v))?;
        machine.vcpus = vcpus;
        Ok(machine)
    }

    /// Loads the payload and the device tree that describes this boot.
    fn load(&mut self) -> Result<()> {
        let hypervisor = matches!(self.boot, Boot::Kernel { .. });
        let fdt = crate::fdt::config(&self.vm, &self.devices.virtio_slots, self.bootargs.clone(), hypervisor);
        self.start = self.payload.load(&self.vm, &fdt)?;
        Ok(())
    }

    /// The device tree blob as the guest gets it (read back from RAM).
    pub fn device_tree(&self) -> Result<Vec<u8>> {
        let mem = self.vm.memory();
        let mut header = [0u8; 8];
        if !mem.read(self.start.dtb, &mut header) {
            bail!("the device tree is not in RAM");
        }
        // totalsize: the second big-endian word of the header.
        let size = u32::from_be_bytes([header[4], header[5], header[6], header[7]]) as usize;
        let mut blob = vec![0u8; size];
        if !mem.read(self.start.dtb, &mut blob) {
            bail!("the device tree runs past the end of RAM");
        }
        Ok(blob)
    }

    /// Puts RAM, devices and vCPUs back to how they were at power-on; RAM
    /// outside the program keeps its contents, as on QEMU.
    fn reboot(&mut self, vcpus: &mut [Vcpu]) -> Result<()> {
        self.devices = VirtDevices::new(&self.vm, &self.console, &self.input, &self.device_config)?;
        self.load()?;
        for vcpu in vcpus.iter_mut() {
            vcpu.reset();
            self.boot_vcpu(vcpu)?;
        }
        Ok(())
    }

    /// Sets up a vCPU at power-on: in M-mode (bare metal, firmware) every
    /// hart at the entry with a0 = hart id, a1 = device tree, a2 = the
    /// firmware's boot info; a kernel, hart 0 likewise in S-mode (the
    /// others wait, stopped, for SBI HSM), with the VMM's choice of SBI
    /// extensions: SUSP on (this VMM resumes suspended systems) unless
    /// disabled.
    fn boot_vcpu(&self, vcpu: &mut Vcpu) -> Result<()> {
        let id = vcpu.id();
        if let Boot::Kernel { sbi_disabled, .. } = &self.boot {
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
        s.pc = self.start.entry;
        s.x[10] = id as u64;
        s.x[11] = self.start.dtb;
        s.x[12] = self.start.a2;
        Ok(())
    }

    /// Makes the JIT write a perf map naming translations by the ELF's
    /// symbols; an error with the interpreter, which translates nothing.
    pub fn enable_perf_map(&self) -> Result<()> {
        // Sorted by address; a label without a size covers up to the next symbol.
        let symbols = self.start.elf.symbols.clone();
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
        &self.start.elf
    }

    /// Guest RAM (e.g. for a conformance test's signature after the run).
    pub fn memory(&self) -> &GuestMemory {
        self.vm.memory()
    }

    /// Runs every hart on its own thread until the guest ends or a limit
    /// hits; a kernel that reboots is booted again. Guest RAM stays
    /// readable afterwards ([`Machine::memory`]).
    pub fn run(&mut self, limits: Limits) -> RunReport {
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
            let rebootable = self.boot.rebootable() && vcpus.len() == self.vm.num_harts();
            if outcome != Outcome::Reset || !rebootable {
                break outcome;
            }
            eprintln!("hartvm: the guest asked for a reboot");
            if let Err(e) = self.reboot(&mut vcpus) {
                break Outcome::InternalError(format!("reboot failed: {e:#}"));
            }
            reboots += 1;
        };
        self.devices.flush();
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
            let wait = self.machine.devices.poll().map_or(wait, |due| due.min(wait));
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
                    m.devices.bus.read(addr, data);
                }
                VcpuExit::MmioWrite { addr, data } => {
                    m.devices.bus.write(addr, data);
                    if let Some(event) = m.devices.finisher.take_event() {
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
            Boot::BareMetal | Boot::Firmware => None,
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
            if let (Some(fromhost), Some(v)) = (m.start.elf.fromhost, fromhost_value) {
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
