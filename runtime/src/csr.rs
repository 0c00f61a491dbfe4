//! CSR instructions: privilege and read-only checks, WARL legalization,
//! views (sstatus, sie, sip), counters and their enables.

use hartvm_frontend::{csr, Inst, Op};

use crate::hart::{cause, envcfg, irq, mstatus, Privilege, MARCHID, MIMPID, MISA, MVENDORID};
use crate::interp::{illegal, Flow};
use crate::vcpu::Core;

/// Interrupt bits M-mode software may set in `mip`.
const MIP_WRITABLE: u64 = irq::SSIP | irq::STIP | irq::SEIP;
/// `satp` modes hartvm implements: Bare, Sv39, Sv48, Sv57.
const SATP_MODES: [u64; 4] = [0, 8, 9, 10];
/// `menvcfg` bits that exist (FIOM, Sstc's STCE).
const MENVCFG_WRITABLE: u64 = envcfg::FIOM | envcfg::STCE;
/// `senvcfg` bits that exist (FIOM).
const SENVCFG_WRITABLE: u64 = envcfg::FIOM;
/// `mcounteren.TM`: lower modes may read `time` (and, with Sstc, `stimecmp`).
const COUNTEREN_TM: u64 = 1 << 1;

impl Core {
    /// Executes a CSR instruction at `pc`, the `index`th of its block.
    #[inline(never)]
    pub(crate) fn exec_csr(&mut self, i: &Inst, pc: u64, index: usize) -> Flow {
        let num = i.imm as u16 & 0xfff;
        let src = match i.op {
            Op::Csrrw | Op::Csrrs | Op::Csrrc => self.hart.x[i.rs1 as usize],
            _ => i.rs1 as u64,
        };
        let writes = match i.op {
            Op::Csrrw | Op::Csrrwi => true,
            _ => i.rs1 != 0,
        };
        let reads = !matches!(i.op, Op::Csrrw | Op::Csrrwi) || i.rd != 0;
        if !self.csr_accessible(num, writes) {
            return illegal(i);
        }
        // Counters read as they were before this instruction.
        let old = if reads || matches!(i.op, Op::Csrrs | Op::Csrrc | Op::Csrrsi | Op::Csrrci) {
            match self.csr_read(num, index as u64) {
                Some(v) if matches!(num, csr::TIME | csr::MIP | csr::SIP) => self.external_input(v),
                Some(v) => v,
                None => return illegal(i),
            }
        } else {
            0
        };
        if writes {
            // A set or clear of mip/sip works on the software-writable
            // bits alone: a pending external SEIP must not become a latched
            // software SEIP (the spec's rule for CSRRS/CSRRC on mip).
            let base = if matches!(num, csr::MIP | csr::SIP) { self.hart.csr.mip } else { old };
            let new = match i.op {
                Op::Csrrw | Op::Csrrwi => src,
                Op::Csrrs | Op::Csrrsi => base | src,
                _ => base & !src,
            };
            if self.csr_write(num, new, index as u64).is_none() {
                return illegal(i);
            }
        }
        if i.rd != 0 {
            self.hart.x[i.rd as usize] = old;
        }
        self.check_interrupts = true;
        Flow::Jump(pc.wrapping_add(i.len as u64))
    }

    /// Privilege, read-only and FS/TVM/counter-enable checks.
    fn csr_accessible(&self, num: u16, writes: bool) -> bool {
        let p = self.hart.privilege;
        if (num >> 8) & 3 > p as u16 {
            return false;
        }
        if writes && num >> 10 == 3 {
            return false;
        }
        match num {
            csr::FFLAGS | csr::FRM | csr::FCSR => self.hart.fp_enabled(),
            csr::SATP => !(p == Privilege::Supervisor && self.hart.csr.mstatus & mstatus::TVM != 0),
            csr::CYCLE..=csr::HPMCOUNTER31 => self.counter_enabled((num - csr::CYCLE) as u32),
            csr::STIMECMP => {
                p == Privilege::Machine
                    || (self.hart.csr.menvcfg & envcfg::STCE != 0 && self.hart.csr.mcounteren & COUNTEREN_TM != 0)
            }
            _ => true,
        }
    }

    fn counter_enabled(&self, bit: u32) -> bool {
        let m = self.hart.csr.mcounteren >> bit & 1 != 0;
        let s = self.hart.csr.scounteren >> bit & 1 != 0;
        match self.hart.privilege {
            Privilege::Machine => true,
            Privilege::Supervisor => m,
            Privilege::User => m && s,
        }
    }

    /// Reads a CSR; `None` if it does not exist. `index` is the reading
    /// instruction's position in its block (for exact counters).
    pub(crate) fn csr_read(&self, num: u16, index: u64) -> Option<u64> {
        let c = &self.hart.csr;
        let inhibit = c.mcountinhibit;
        Some(match num {
            csr::FFLAGS => c.fflags as u64,
            csr::FRM => c.frm as u64,
            csr::FCSR => ((c.frm as u64) << 5) | c.fflags as u64,
            csr::CYCLE | csr::MCYCLE => self.counter(c.mcycle, inhibit & 1 != 0, index),
            csr::INSTRET | csr::MINSTRET => self.counter(c.minstret, inhibit & 4 != 0, index),
            csr::TIME => self.shared.clock.mtime(),
            csr::HPMCOUNTER3..=csr::HPMCOUNTER31 => 0,
            csr::MHPMCOUNTER3..=csr::MHPMCOUNTER31 => 0,
            csr::MHPMEVENT3..=csr::MHPMEVENT31 => 0,
            csr::SSTATUS => self.hart.mstatus() & mstatus::SSTATUS_VIEW,
            csr::SIE => c.mie & c.mideleg,
            csr::STVEC => c.stvec,
            csr::SCOUNTEREN => c.scounteren,
            csr::SENVCFG => c.senvcfg,
            csr::SSCRATCH => c.sscratch,
            csr::SEPC => c.sepc,
            csr::SCAUSE => c.scause,
            csr::STVAL => c.stval,
            csr::SIP => self.pending_interrupts() & c.mideleg,
            csr::SATP => c.satp,
            csr::STIMECMP => self.lines.stimecmp.load(std::sync::atomic::Ordering::Acquire),
            csr::MVENDORID => MVENDORID,
            csr::MARCHID => MARCHID,
            csr::MIMPID => MIMPID,
            csr::MHARTID => self.hart.hartid,
            csr::MCONFIGPTR => 0,
            csr::MSTATUS => self.hart.mstatus(),
            csr::MISA => MISA,
            csr::MEDELEG => c.medeleg,
            csr::MIDELEG => c.mideleg,
            csr::MIE => c.mie,
            csr::MTVEC => c.mtvec,
            csr::MCOUNTEREN => c.mcounteren,
            csr::MENVCFG => c.menvcfg,
            csr::MCOUNTINHIBIT => c.mcountinhibit,
            csr::MSCRATCH => c.mscratch,
            csr::MEPC => c.mepc,
            csr::MCAUSE => c.mcause,
            csr::MTVAL => c.mtval,
            csr::MIP => self.pending_interrupts(),
            csr::PMPCFG0..=csr::PMPCFG15 if num & 1 == 0 => self.hart.pmp.read_cfg((num - csr::PMPCFG0) as usize),
            csr::PMPADDR0..=csr::PMPADDR63 => self.hart.pmp.read_addr((num - csr::PMPADDR0) as usize),
            csr::MSECCFG => 0,
            // No debug triggers: tselect reads 0, tdata1 reports type 0 (none).
            csr::TSELECT | csr::TDATA1 | csr::TDATA2 | csr::TDATA3 => 0,
            csr::TINFO => 1,
            _ => return None,
        })
    }

    /// Writes a CSR (already checked for access); `None` if it does not exist.
    pub(crate) fn csr_write(&mut self, num: u16, v: u64, index: u64) -> Option<()> {
        let c = &mut self.hart.csr;
        match num {
            csr::FFLAGS => {
                c.fflags = v as u8 & 0x1f;
                self.hart.set_fs_dirty();
            }
            csr::FRM => {
                c.frm = v as u8 & 7;
                self.hart.set_fs_dirty();
            }
            csr::FCSR => {
                c.fflags = v as u8 & 0x1f;
                c.frm = (v >> 5) as u8 & 7;
                self.hart.set_fs_dirty();
            }
            csr::MCYCLE => {
                let counting = c.mcountinhibit & 1 == 0;
                self.sync_counters();
                self.hart.csr.mcycle = counter_write(v, counting, index);
            }
            csr::MINSTRET => {
                let counting = c.mcountinhibit & 4 == 0;
                self.sync_counters();
                self.hart.csr.minstret = counter_write(v, counting, index);
            }
            csr::MHPMCOUNTER3..=csr::MHPMCOUNTER31 | csr::MHPMEVENT3..=csr::MHPMEVENT31 => {}
            csr::SSTATUS => {
                let next = (c.mstatus & !mstatus::SSTATUS_WRITABLE) | (v & mstatus::SSTATUS_WRITABLE);
                self.set_mstatus(next);
            }
            csr::SIE => c.mie = (c.mie & !c.mideleg) | (v & c.mideleg),
            csr::STVEC => c.stvec = legal_tvec(v),
            csr::SCOUNTEREN => c.scounteren = v & 0xffff_ffff,
            csr::SENVCFG => c.senvcfg = v & SENVCFG_WRITABLE,
            csr::SSCRATCH => c.sscratch = v,
            csr::SEPC => c.sepc = v & !1,
            csr::SCAUSE => c.scause = v,
            csr::STVAL => c.stval = v,
            csr::SIP => {
                let mask = c.mideleg & irq::SSIP;
                c.mip = (c.mip & !mask) | (v & mask);
            }
            csr::STIMECMP => self.lines.stimecmp.store(v, std::sync::atomic::Ordering::Release),
            csr::SATP => {
                if SATP_MODES.contains(&(v >> 60)) {
                    // ASIDs are not implemented: ASID bits read as zero.
                    c.satp = v & !(0xffff << 44);
                    self.hart.tlb.flush(&self.shared.mem);
                    self.fetch_epoch += 1;
                }
            }
            csr::MSTATUS => {
                let next = (c.mstatus & !mstatus::WRITABLE) | (v & mstatus::WRITABLE);
                self.set_mstatus(next);
            }
            csr::MISA => {}
            csr::MEDELEG => c.medeleg = v & cause::DELEGABLE,
            csr::MIDELEG => c.mideleg = v & irq::S_MASK,
            csr::MIE => c.mie = v & irq::ALL,
            csr::MTVEC => c.mtvec = legal_tvec(v),
            csr::MCOUNTEREN => c.mcounteren = v & 0xffff_ffff,
            csr::MENVCFG => c.menvcfg = v & MENVCFG_WRITABLE,
            csr::MCOUNTINHIBIT => {
                // Counting stops or starts after this instruction retires.
                self.sync_counters_after(index + 1);
                self.hart.csr.mcountinhibit = v & 0xffff_fffd;
            }
            csr::MSCRATCH => c.mscratch = v,
            csr::MEPC => c.mepc = v & !1,
            csr::MCAUSE => c.mcause = v,
            csr::MTVAL => c.mtval = v,
            csr::MIP => {
                // With Sstc enabled, STIP mirrors stimecmp and is read-only.
                let sstc = if c.menvcfg & envcfg::STCE != 0 { irq::STIP } else { 0 };
                let mask = MIP_WRITABLE & !sstc;
                c.mip = (c.mip & !mask) | (v & mask);
            }
            csr::PMPCFG0..=csr::PMPCFG15 if num & 1 == 0 => {
                self.hart.pmp.write_cfg((num - csr::PMPCFG0) as usize, v);
                self.after_pmp_change();
            }
            csr::PMPADDR0..=csr::PMPADDR63 => {
                self.hart.pmp.write_addr((num - csr::PMPADDR0) as usize, v);
                self.after_pmp_change();
            }
            csr::MSECCFG | csr::TSELECT | csr::TDATA1 | csr::TDATA2 | csr::TDATA3 => {}
            _ => return None,
        }
        Some(())
    }

    /// A counter's value for the instruction at `index` of the running block.
    fn counter(&self, synced: u64, inhibited: bool, index: u64) -> u64 {
        if inhibited {
            synced
        } else {
            synced.wrapping_add(self.stats.instructions - self.counter_mark).wrapping_add(index)
        }
    }

    /// Folds the instructions retired so far into `mcycle`/`minstret`.
    fn sync_counters(&mut self) {
        self.sync_counters_after(0);
    }

    /// As `sync_counters`, counting `extra` instructions of the running block.
    fn sync_counters_after(&mut self, extra: u64) {
        let inhibit = self.hart.csr.mcountinhibit;
        self.hart.csr.mcycle = self.counter(self.hart.csr.mcycle, inhibit & 1 != 0, extra);
        self.hart.csr.minstret = self.counter(self.hart.csr.minstret, inhibit & 4 != 0, extra);
        self.counter_mark = self.stats.instructions + extra;
    }

    fn after_pmp_change(&mut self) {
        self.hart.tlb.flush(&self.shared.mem);
        self.fetch_epoch += 1;
    }

    /// Writes mstatus after legalizing MPP; flushes the TLB when the
    /// permissions it caches (SUM, MXR) change.
    fn set_mstatus(&mut self, mut next: u64) {
        if (next & mstatus::MPP) >> mstatus::MPP_SHIFT == 2 {
            next = (next & !mstatus::MPP) | (self.hart.csr.mstatus & mstatus::MPP);
        }
        next = (next & !(mstatus::SD | mstatus::UXL | mstatus::SXL)) | mstatus::XL64;
        let old = self.hart.csr.mstatus;
        self.hart.csr.mstatus = next;
        if (old ^ next) & (mstatus::SUM | mstatus::MXR) != 0 {
            self.hart.tlb.flush(&self.shared.mem);
        }
    }
}

/// Legal xtvec: direct or vectored; reserved modes fall back to their low bit.
fn legal_tvec(v: u64) -> u64 {
    v & !2
}

/// The synced counter value that makes a counter read `v` once the writing
/// instruction (at `index` of its block) has retired: the write replaces
/// that instruction's own increment.
fn counter_write(v: u64, counting: bool, index: u64) -> u64 {
    if counting {
        v.wrapping_sub(index + 1)
    } else {
        v
    }
}
