//! Trap entry (exceptions and interrupts with delegation), xRET, WFI and
//! SFENCE.VMA.

use std::sync::atomic::Ordering;

use hartvm_frontend::Inst;

use crate::hart::{envcfg, irq, mstatus, Privilege};
use crate::interp::{illegal, Flow, Stop};
use crate::mmu::Exception;
use crate::vcpu::Core;

const INTERRUPT_BIT: u64 = 1 << 63;

impl Core {
    /// Every pending interrupt (mip as software reads it).
    pub(crate) fn pending_interrupts(&self) -> u64 {
        let lines = &self.lines;
        let mut mip = self.hart.csr.mip | lines.mip.load(Ordering::Acquire);
        let now = self.shared.clock.mtime();
        if now >= lines.mtimecmp.load(Ordering::Relaxed) {
            mip |= irq::MTIP;
        }
        // Sstc: with STCE set, STIP is the comparison alone (in hypervisor
        // mode the SBI timer writes the same register, as KVM's does).
        if self.hart.csr.menvcfg & envcfg::STCE != 0 {
            mip &= !irq::STIP;
            if now >= lines.stimecmp.load(Ordering::Relaxed) {
                mip |= irq::STIP;
            }
        }
        mip
    }

    /// Takes the highest-priority interrupt that is pending and enabled.
    pub(crate) fn take_pending_interrupt(&mut self) {
        let pending = self.pending_interrupts() & self.hart.csr.mie;
        if pending == 0 {
            return;
        }
        let status = self.hart.csr.mstatus;
        let deleg = self.hart.csr.mideleg;
        let p = self.hart.privilege;
        let m_enabled = p < Privilege::Machine || status & mstatus::MIE != 0;
        let s_enabled = p < Privilege::Supervisor || (p == Privilege::Supervisor && status & mstatus::SIE != 0);
        let m_pending = if m_enabled { pending & !deleg } else { 0 };
        let s_pending = if s_enabled { pending & deleg } else { 0 };
        let candidates = if m_pending != 0 { m_pending } else { s_pending };
        if let Some(&n) = irq::PRIORITY.iter().find(|&&n| candidates & (1 << n) != 0) {
            if let Some(log) = self.interrupt_log.as_mut() {
                log.push((self.stats.instructions + self.stats.traps, n));
            }
            self.enter_trap(INTERRUPT_BIT | n, 0);
        }
    }

    /// Takes interrupt `n` now (the difftest shadow replaying the primary).
    pub(crate) fn take_interrupt(&mut self, n: u64) {
        self.enter_trap(INTERRUPT_BIT | n, 0);
    }

    /// Takes a synchronous exception at the current pc.
    #[inline(never)]
    pub(crate) fn raise(&mut self, e: Exception) {
        self.enter_trap(e.cause, e.tval);
    }

    fn enter_trap(&mut self, cause: u64, tval: u64) {
        self.stats.traps += 1;
        self.check_interrupts = true;
        self.hart.reservation = None;
        let code = cause & !INTERRUPT_BIT;
        let interrupt = cause & INTERRUPT_BIT != 0;
        let deleg = if interrupt { self.hart.csr.mideleg } else { self.hart.csr.medeleg };
        let from = self.hart.privilege;
        let h = &mut self.hart;
        let s = h.csr.mstatus;
        let vector_offset = |tvec: u64| if interrupt && tvec & 3 == 1 { 4 * code } else { 0 };
        if from <= Privilege::Supervisor && code < 64 && deleg & (1 << code) != 0 {
            h.csr.sepc = h.pc;
            h.csr.scause = cause;
            h.csr.stval = tval;
            let spie = if s & mstatus::SIE != 0 { mstatus::SPIE } else { 0 };
            let spp = if from == Privilege::Supervisor { mstatus::SPP } else { 0 };
            h.csr.mstatus = (s & !(mstatus::SIE | mstatus::SPIE | mstatus::SPP)) | spie | spp;
            h.privilege = Privilege::Supervisor;
            h.pc = (h.csr.stvec & !3).wrapping_add(vector_offset(h.csr.stvec));
        } else {
            h.csr.mepc = h.pc;
            h.csr.mcause = cause;
            h.csr.mtval = tval;
            let mpie = if s & mstatus::MIE != 0 { mstatus::MPIE } else { 0 };
            let mpp = (from as u64) << mstatus::MPP_SHIFT;
            h.csr.mstatus = (s & !(mstatus::MIE | mstatus::MPIE | mstatus::MPP)) | mpie | mpp;
            h.privilege = Privilege::Machine;
            h.pc = (h.csr.mtvec & !3).wrapping_add(vector_offset(h.csr.mtvec));
        }
    }

    #[inline(never)]
    pub(crate) fn exec_mret(&mut self, i: &Inst) -> Flow {
        if self.hart.privilege < Privilege::Machine {
            return illegal(i);
        }
        let s = self.hart.csr.mstatus;
        let to = Privilege::from_bits(s >> mstatus::MPP_SHIFT);
        let mie = if s & mstatus::MPIE != 0 { mstatus::MIE } else { 0 };
        let mut next = (s & !(mstatus::MIE | mstatus::MPP)) | mie | mstatus::MPIE;
        if to != Privilege::Machine {
            next &= !mstatus::MPRV;
        }
        self.hart.csr.mstatus = next;
        self.hart.privilege = to;
        self.check_interrupts = true;
        Flow::Jump(self.hart.csr.mepc)
    }

    #[inline(never)]
    pub(crate) fn exec_sret(&mut self, i: &Inst) -> Flow {
        let p = self.hart.privilege;
        let s = self.hart.csr.mstatus;
        if p < Privilege::Supervisor || (p == Privilege::Supervisor && s & mstatus::TSR != 0) {
            return illegal(i);
        }
        let to = if s & mstatus::SPP != 0 { Privilege::Supervisor } else { Privilege::User };
        let sie = if s & mstatus::SPIE != 0 { mstatus::SIE } else { 0 };
        self.hart.csr.mstatus = (s & !(mstatus::SIE | mstatus::SPP | mstatus::MPRV)) | sie | mstatus::SPIE;
        self.hart.privilege = to;
        self.check_interrupts = true;
        Flow::Jump(self.hart.csr.sepc)
    }

    #[inline(never)]
    pub(crate) fn exec_wfi(&mut self, i: &Inst) -> Flow {
        let p = self.hart.privilege;
        let tw = self.hart.csr.mstatus & mstatus::TW != 0;
        if p == Privilege::User || (p == Privilege::Supervisor && tw) {
            return illegal(i);
        }
        Flow::Stop(Stop::Wfi)
    }

    #[inline(never)]
    pub(crate) fn exec_sfence_vma(&mut self, i: &Inst, pc: u64) -> Flow {
        let p = self.hart.privilege;
        if p == Privilege::User || (p == Privilege::Supervisor && self.hart.csr.mstatus & mstatus::TVM != 0) {
            return illegal(i);
        }
        self.hart.tlb.flush(&self.shared.mem);
        self.fetch_epoch += 1;
        self.check_interrupts = true; // the boundary recomputes the jump key
        Flow::Jump(pc.wrapping_add(i.len as u64))
    }
}
