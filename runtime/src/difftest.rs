//! `Engine::Difftest`: the JIT checked against the interpreter.
//!
//! The vCPU runs with every block translated, one translation per step
//! (no chaining, loops leave after one iteration). A shadow vCPU on its own
//! copy of the VM runs the interpreter, one instruction at a time, until it
//! has retired and trapped as often as the vCPU. Then the two are compared:
//! registers, FP registers, pc, privilege, CSRs, counters, the LR
//! reservation and all of RAM. Interrupts the vCPU took are replayed in the
//! shadow at the same point, and device data is handed to both, what the
//! VMM writes into RAM included.

use std::fmt::Write as _;

use hartvm_frontend::disassemble;

use crate::hart::HartState;
use crate::interp::Exit;
use crate::jit::Engine;
use crate::mmu::Access;
use crate::vcpu::{Core, Vcpu};
use crate::vm::{Vm, VmConfig};

/// RAM is compared every this many steps (and at every exit): often
/// enough to place a difference, rarely enough that comparing all of RAM
/// does not dominate. Larger RAM is compared less often.
const RAM_PERIOD_SMALL: u64 = 16;
const RAM_PERIOD_LARGE: u64 = 4096;
const SMALL_RAM: u64 = 4 << 20;

/// The interpreter twin of a vCPU.
pub(crate) struct Shadow {
    vcpu: Vcpu,
    /// Interrupts of the log already replayed.
    replayed: usize,
    /// External inputs of the primary's log already handed over.
    seen_external: usize,
    steps: u64,
}

/// Runs `vcpu` in lockstep with its shadow until an exit.
pub(crate) fn run(vcpu: &mut Vcpu) -> Exit {
    if vcpu.shadow.is_none() {
        match Shadow::new(&vcpu.core) {
            Ok(s) => vcpu.shadow = Some(Box::new(s)),
            Err(e) => {
                vcpu.core.divergence = format!("difftest: cannot create the shadow VM: {e}");
                return Exit::Divergence;
            }
        }
    }
    let shadow = vcpu.shadow.as_mut().expect("just created");
    if shadow.vcpu.core.pending_load.is_some() {
        shadow.vcpu.core.mmio_buf = vcpu.core.mmio_buf;
        shadow.vcpu.core.finish_pending_load();
    }
    vcpu.core.finish_pending_load();
    let mut executed = 0;
    let mut countdown = 0;
    loop {
        let start_pc = vcpu.core.hart.pc;
        let exit = crate::interp::dispatch(&mut vcpu.core, &mut vcpu.cache, &mut executed, &mut countdown);
        let shadow = vcpu.shadow.as_mut().expect("created above");
        // What the VMM wrote into RAM (the SBI console's read while the
        // vCPU was out, a device's DMA meanwhile) the shadow sees from
        // this step on.
        for (addr, bytes) in vcpu.core.shared.mem.take_vmm_writes() {
            shadow.vcpu.core.shared.mem.write(addr, &bytes);
        }
        let shadow_exit = shadow.catch_up(&vcpu.core, matches!(exit, Some(Exit::MmioRead)));
        // Both logs are consumed: start them afresh.
        if let Some(log) = vcpu.core.interrupt_log.as_mut() {
            log.clear();
        }
        if let Some(log) = vcpu.core.external.as_mut() {
            log.clear();
        }
        (shadow.replayed, shadow.seen_external) = (0, 0);
        let period = if vcpu.core.shared.mem.size() <= SMALL_RAM { RAM_PERIOD_SMALL } else { RAM_PERIOD_LARGE };
        let full = exit.is_some() || shadow.steps.is_multiple_of(period);
        if let Some(report) = compare(&vcpu.core, &shadow.vcpu.core, full) {
            vcpu.core.divergence = describe(&vcpu.core, start_pc, &report);
            return Exit::Divergence;
        }
        if let (Some(Exit::MmioRead), Some(Exit::MmioRead)) = (&exit, &shadow_exit) {
            if shadow.vcpu.core.mmio_addr != vcpu.core.mmio_addr || shadow.vcpu.core.mmio_len != vcpu.core.mmio_len {
                let report = format!(
                    "device load differs: JIT {:#x}/{} bytes, interpreter {:#x}/{} bytes",
                    vcpu.core.mmio_addr, vcpu.core.mmio_len, shadow.vcpu.core.mmio_addr, shadow.vcpu.core.mmio_len
                );
                vcpu.core.divergence = describe(&vcpu.core, start_pc, &report);
                return Exit::Divergence;
            }
        }
        if let Some(exit) = exit {
            return exit;
        }
    }
}

impl Shadow {
    fn new(core: &Core) -> Result<Shadow, crate::vm::VmError> {
        let shared = &core.shared;
        let vm = Vm::new(VmConfig {
            mem_size: shared.mem.size(),
            num_harts: shared.harts.len(),
            mmio_regions: shared.mmio_regions.clone(),
            engine: Engine::Interp,
            sbi: shared.sbi,
        })?;
        // The copy of all of RAM below includes what the VMM wrote so far.
        shared.mem.take_vmm_writes();
        let mut ram = vec![0u8; shared.mem.size() as usize];
        shared.mem.read(shared.mem.base(), &mut ram);
        vm.memory().write(vm.memory().base(), &ram);
        let watch = shared.watch.load(std::sync::atomic::Ordering::Relaxed);
        if watch != u64::MAX {
            vm.watch_word(watch);
        }
        let mut vcpu = vm.create_vcpu(core.id)?;
        copy_state(&core.hart, vcpu.state_mut());
        vcpu.core.stats.instructions = core.stats.instructions;
        vcpu.core.stats.traps = core.stats.traps;
        vcpu.core.counter_mark = core.counter_mark;
        vcpu.core.shadow = true;
        vcpu.core.external = Some(Default::default());
        let replayed = core.interrupt_log.as_ref().map_or(0, Vec::len);
        let seen_external = core.external.as_ref().map_or(0, |r| r.len());
        Ok(Shadow { vcpu, replayed, seen_external, steps: 0 })
    }

    /// Steps the interpreter until it has done as much as `primary`; with
    /// `device_load`, one more instruction (the load the primary stopped at).
    fn catch_up(&mut self, primary: &Core, device_load: bool) -> Option<Exit> {
        self.steps += 1;
        let target = primary.stats.instructions + primary.stats.traps;
        let log = primary.interrupt_log.as_deref().unwrap_or(&[]);
        let core = &mut self.vcpu.core;
        let replay = core.external.as_mut().expect("a shadow replays");
        replay.extend(primary.external.as_ref().expect("a primary records").iter().skip(self.seen_external));
        self.seen_external = primary.external.as_ref().map_or(0, |r| r.len());
        let mut last = None;
        loop {
            let done = core.stats.instructions + core.stats.traps;
            if let Some(&(at, n)) = log.get(self.replayed) {
                if at <= done {
                    self.replayed += 1;
                    core.take_interrupt(n);
                    continue;
                }
            }
            if done >= target {
                break;
            }
            core.data_privilege = core.hart.data_privilege();
            last = core.step_at_pc();
            if core.after_block {
                last = core.finish_block(&mut self.vcpu.cache).or(last);
            }
        }
        if device_load {
            core.data_privilege = core.hart.data_privilege();
            last = core.step_at_pc();
        }
        last
    }
}

/// After a reset outside any instruction (SBI HSM or SUSP), makes the
/// shadow start from the primary's new state.
pub(crate) fn resync(vcpu: &mut Vcpu) {
    if let Some(shadow) = vcpu.shadow.as_mut() {
        let core = &mut shadow.vcpu.core;
        copy_state(&vcpu.core.hart, &mut core.hart);
        core.hart.tlb.flush(&core.shared.mem);
        core.fetch_epoch += 1;
        core.check_interrupts = true;
    }
}

/// Copies the architectural state the VMM may have set before the first run.
fn copy_state(from: &HartState, to: &mut HartState) {
    to.x = from.x;
    to.f = from.f;
    to.pc = from.pc;
    to.privilege = from.privilege;
    to.csr = from.csr.clone();
    to.pmp = from.pmp.clone();
    to.reservation = from.reservation;
}

/// The first differences between the JIT's state and the interpreter's.
fn compare(jit: &Core, interp: &Core, full_ram: bool) -> Option<String> {
    let mut out = String::new();
    let (a, b) = (&jit.hart, &interp.hart);
    for r in 0..32 {
        if a.x[r] != b.x[r] {
            let _ = writeln!(out, "  x{r:<2}  jit {:#018x}  interp {:#018x}", a.x[r], b.x[r]);
        }
    }
    for r in 0..32 {
        if a.f[r] != b.f[r] {
            let _ = writeln!(out, "  f{r:<2}  jit {:#018x}  interp {:#018x}", a.f[r], b.f[r]);
        }
    }
    let mut pairs = vec![
        ("pc", a.pc, b.pc),
        ("privilege", a.privilege as u64, b.privilege as u64),
        ("instret", jit.stats.instructions, interp.stats.instructions),
        ("traps", jit.stats.traps, interp.stats.traps),
        ("mcycle", jit.read_counter(0), interp.read_counter(0)),
        ("minstret", jit.read_counter(2), interp.read_counter(2)),
    ];
    let (mut ca, mut cb) = (a.csr.clone(), b.csr.clone());
    (ca.mcycle, ca.minstret, cb.mcycle, cb.minstret) = (0, 0, 0, 0);
    for (name, x, y) in pairs.drain(..) {
        if x != y {
            let _ = writeln!(out, "  {name:<9} jit {x:#x}  interp {y:#x}");
        }
    }
    if format!("{ca:?}") != format!("{cb:?}") {
        let _ = writeln!(out, "  CSRs differ:\n    jit    {ca:?}\n    interp {cb:?}");
    }
    if a.reservation != b.reservation {
        let _ = writeln!(out, "  reservation jit {:?} interp {:?}", a.reservation, b.reservation);
    }
    if full_ram {
        if let Some(addr) = first_ram_difference(jit, interp) {
            let (mut x, mut y) = ([0u8; 8], [0u8; 8]);
            jit.shared.mem.read(addr & !7, &mut x);
            interp.shared.mem.read(addr & !7, &mut y);
            let _ = writeln!(
                out,
                "  memory (compared every few steps) at {addr:#x}: jit {:#018x} interp {:#018x}",
                u64::from_le_bytes(x),
                u64::from_le_bytes(y)
            );
        }
    }
    (!out.is_empty()).then_some(out)
}

fn first_ram_difference(jit: &Core, interp: &Core) -> Option<u64> {
    let (ma, mb) = (&jit.shared.mem, &interp.shared.mem);
    let (a, b) = (ma.host_ptr(ma.base(), ma.size())?, mb.host_ptr(mb.base(), mb.size())?);
    // SAFETY: both ranges are the whole of each VM's RAM mapping, alive
    // while the cores are; the difftest vCPU is the only writer of either
    // (a concurrent writer could only make the comparison report garbage).
    let (a, b) = unsafe {
        (
            std::slice::from_raw_parts(a as *const u8, ma.size() as usize),
            std::slice::from_raw_parts(b as *const u8, mb.size() as usize),
        )
    };
    if a == b {
        return None;
    }
    let i = a.iter().zip(b).position(|(x, y)| x != y).expect("slices differ");
    Some(ma.base() + i as u64)
}

/// The divergence report: where, the code of the step, and what differs.
fn describe(core: &Core, start_pc: u64, diff: &str) -> String {
    let mut out = format!("difftest: JIT and interpreter diverged after the step at pc {start_pc:#x}\n");
    let _ = writeln!(out, "code of the step (as decoded now):");
    let mut pc = start_pc;
    for _ in 0..32 {
        let Ok(pa) = core.peek_fetch(pc) else { break };
        let mut raw = [0u8; 4];
        if !core.shared.mem.read(pa, &mut raw[..2]) {
            break;
        }
        let _ = core.shared.mem.read(pa + 2, &mut raw[2..]);
        let inst = hartvm_frontend::decode(u32::from_le_bytes(raw));
        let _ = writeln!(out, "  {pc:#x}: {}", disassemble(&inst, pc));
        pc += inst.len as u64;
        if inst.ends_block() && !inst.op.is_conditional_branch() {
            break;
        }
    }
    let _ = writeln!(out, "differences (JIT vs interpreter):");
    out.push_str(diff);
    out
}

impl Core {
    /// A value the hart read from outside itself: recorded by a difftest
    /// primary, replaced by the recorded one in its shadow.
    pub(crate) fn external_input(&mut self, v: u64) -> u64 {
        match (&mut self.external, self.shadow) {
            (None, _) => v,
            (Some(log), false) => {
                log.push_back(v);
                v
            }
            (Some(log), true) => log.pop_front().unwrap_or(v),
        }
    }

    /// What an SBI call changed in the hart, passed from a difftest
    /// primary to its shadow like any other value from outside the hart
    /// (the shadow does not make the call itself: it would act on its own
    /// VM, and the VMM serves some calls).
    pub(crate) fn external_sbi_result(&mut self) {
        let h = &mut self.hart;
        let mut words = [0u64; 36];
        words[..31].copy_from_slice(&h.x[1..]);
        words[31..].copy_from_slice(&[h.pc, h.privilege as u64, h.csr.mip, h.csr.mstatus, h.csr.satp]);
        for w in &mut words {
            *w = self.external_input(*w);
        }
        let h = &mut self.hart;
        h.x[1..].copy_from_slice(&words[..31]);
        let [pc, privilege, mip, mstatus, satp] = words[31..] else { unreachable!("36 words") };
        (h.pc, h.privilege, h.csr.mip, h.csr.mstatus) =
            (pc, crate::hart::Privilege::from_bits(privilege), mip, mstatus);
        if h.csr.satp != satp {
            h.csr.satp = satp;
            h.tlb.flush(&self.shared.mem);
            self.fetch_epoch += 1;
        }
    }

    /// `mcycle` (0) or `minstret` (2) as software would read it now.
    fn read_counter(&self, which: u32) -> u64 {
        let inhibited = self.hart.csr.mcountinhibit & (1 << which) != 0;
        let synced = if which == 0 { self.hart.csr.mcycle } else { self.hart.csr.minstret };
        if inhibited {
            synced
        } else {
            synced.wrapping_add(self.stats.instructions - self.counter_mark)
        }
    }

    /// The physical address of `pc` for a fetch, without changing state
    /// other than the TLB.
    fn peek_fetch(&self, pc: u64) -> Result<u64, ()> {
        let mut hart = HartState::new(self.hart.hartid, pc);
        copy_state(&self.hart, &mut hart);
        hart.translate(&self.shared.mem, pc, 2, Access::Fetch).map_err(|_| ())
    }
}
