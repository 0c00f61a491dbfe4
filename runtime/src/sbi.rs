//! The hypervisor's side of SBI: an S-mode `ecall` becomes a call into
//! `hartvm_sbi`, which acts on this vCPU and its VM through [`SbiHost`].

use std::sync::atomic::Ordering;
use std::time::Duration;

use hartvm_sbi::{HartSet, HsmStatus, Outcome, RemoteFence, SbiCall, SbiError, SbiHost, SystemEvent};

use crate::hart::{irq, mstatus, Privilege, MARCHID, MIMPID, MVENDORID};
use crate::interp::Exit;
use crate::mmu::Access;
use crate::power::{request, MpState, ResetContext};
use crate::vcpu::Core;

/// How long a remote-fence caller sleeps between checks (the harts it
/// waits for wake it; this only bounds a missed wake-up).
const FENCE_POLL: Duration = Duration::from_millis(1);

/// Bytes of an `ecall`.
const ECALL_LEN: u64 = 4;

/// A call handed to the VMM, completed by the next `run()`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Forwarded {
    pub(crate) call: SbiCall,
    /// a0/a1 as the VMM leaves them (preset to NOT_SUPPORTED).
    pub(crate) ret: [u64; 2],
}

impl Core {
    /// Serves the `ecall` at `hart.pc` (already known to come from S-mode).
    pub(crate) fn sbi_call(&mut self) -> Option<Exit> {
        if self.shadow {
            // A difftest shadow takes the call's effect from its primary.
            self.external_sbi_result();
            self.retire(1);
            return None;
        }
        let x = &self.hart.x;
        let call = SbiCall { eid: x[17], fid: x[16], args: [x[10], x[11], x[12], x[13], x[14], x[15]] };
        match hartvm_sbi::handle(&call, self.sbi_extensions, self) {
            Outcome::Return(ret) => {
                self.finish_sbi_call(&call, [ret.error as u64, ret.value]);
                None
            }
            Outcome::NoReturn => {
                self.external_sbi_result();
                self.retire(1);
                self.check_interrupts = true;
                None
            }
            Outcome::Forward => {
                let not_supported = SbiError::NotSupported.code() as u64;
                self.forwarded = Some(Forwarded { call, ret: [not_supported, 0] });
                Some(Exit::Sbi)
            }
            Outcome::System { event, data } => {
                self.system_event = (event, data);
                self.check_interrupts = true;
                Some(Exit::SystemEvent)
            }
        }
    }

    /// Writes a call's result and steps over its `ecall`.
    fn finish_sbi_call(&mut self, call: &SbiCall, ret: [u64; 2]) {
        self.hart.x[10] = ret[0];
        if !call.is_legacy() {
            self.hart.x[11] = ret[1];
        }
        self.hart.pc = self.hart.pc.wrapping_add(ECALL_LEN);
        self.external_sbi_result();
        self.retire(1);
    }

    /// Completes a call the VMM served (at the start of `run()`).
    pub(crate) fn finish_forwarded_call(&mut self) {
        if let Some(f) = self.forwarded.take() {
            self.finish_sbi_call(&f.call, f.ret);
        }
    }

    fn wait_for_fences(&mut self, mut tickets: Vec<(usize, u32)>) {
        let shared = self.shared.clone();
        loop {
            tickets.retain(|&(h, t)| {
                let lines = &shared.harts[h];
                !lines.requests.served(t) && lines.in_run.load(Ordering::Acquire)
            });
            if tickets.is_empty() {
                return;
            }
            // A hart we wait for may be waiting for us.
            if self.lines.requests.pending() {
                self.serve_requests();
            }
            let guard = shared.fence_lock.lock().unwrap_or_else(|e| e.into_inner());
            drop(shared.fence_done.wait_timeout(guard, FENCE_POLL));
        }
    }
}

/// The harts of a set, lowest first.
fn harts_of(set: HartSet) -> impl Iterator<Item = usize> {
    (0..64).filter(move |h| set & (1 << h) != 0)
}

impl SbiHost for Core {
    fn hart_id(&self) -> usize {
        self.id
    }

    fn num_harts(&self) -> usize {
        self.shared.harts.len()
    }

    fn is_ram(&self, addr: u64) -> bool {
        self.shared.mem.contains(addr, 1)
    }

    fn caller_is_supervisor(&self) -> bool {
        self.hart.privilege == Privilege::Supervisor
    }

    fn machine_ids(&self) -> [u64; 3] {
        [MVENDORID, MARCHID, MIMPID]
    }

    fn read_u64(&mut self, va: u64) -> Option<u64> {
        let pa = self.hart.translate(&self.shared.mem, va, 8, Access::Load).ok()?;
        let mut word = [0; 8];
        self.shared.mem.read(pa, &mut word).then(|| u64::from_le_bytes(word))
    }

    fn set_timer(&mut self, when: u64) {
        self.lines.stimecmp.store(when, Ordering::Release);
        self.check_interrupts = true;
    }

    fn send_ipi(&mut self, harts: HartSet) {
        for h in harts_of(harts) {
            if h == self.id {
                self.hart.csr.mip |= irq::SSIP;
                self.check_interrupts = true;
            } else {
                self.shared.harts[h].request(request::SSIP);
            }
        }
    }

    fn clear_ipi(&mut self) -> bool {
        let pending = self.hart.csr.mip & irq::SSIP != 0;
        self.hart.csr.mip &= !irq::SSIP;
        pending
    }

    fn remote_fence(&mut self, harts: HartSet, fence: RemoteFence) {
        let bits = match fence {
            RemoteFence::FenceI => request::FENCE_I,
            // Flushing everything is always correct, and ranges are rare.
            RemoteFence::SfenceVma { .. } => request::FLUSH_TLB,
        };
        let mut tickets = Vec::new();
        for h in harts_of(harts) {
            let lines = &self.shared.harts[h];
            if h == self.id {
                lines.requests.post(bits);
                continue;
            }
            tickets.push((h, lines.requests.post_waited(bits)));
            lines.notify();
        }
        if harts & (1 << self.id) != 0 {
            self.serve_requests();
        }
        self.wait_for_fences(tickets);
    }

    fn hart_start(&mut self, hart: usize, start_addr: u64, opaque: u64) -> Result<(), SbiError> {
        let _hsm = self.shared.hsm_lock.lock().unwrap_or_else(|e| e.into_inner());
        let target = &self.shared.harts[hart];
        let mut mp_state = target.lock_mp_state();
        if *mp_state != MpState::Stopped {
            return Err(SbiError::AlreadyAvailable);
        }
        *target.reset.lock().unwrap_or_else(|e| e.into_inner()) =
            ResetContext { pc: start_addr, a0: hart as u64, a1: opaque };
        target.requests.post(request::RESET);
        target.set_power(&mut mp_state, MpState::Runnable, HsmStatus::StartPending);
        Ok(())
    }

    fn hart_stop(&mut self) -> Result<(), SbiError> {
        let lines = self.lines.clone();
        let mut mp_state = lines.lock_mp_state();
        lines.set_power(&mut mp_state, MpState::Stopped, HsmStatus::Stopped);
        Ok(())
    }

    fn hart_status(&self, hart: usize) -> HsmStatus {
        self.shared.harts[hart].hsm_status()
    }

    fn hart_suspend_retentive(&mut self) {
        self.lines.hsm.store(HsmStatus::Suspended as u8, Ordering::Release);
        self.wait_for_interrupt();
        self.lines.hsm.store(HsmStatus::Started as u8, Ordering::Release);
    }

    fn hart_suspend_non_retentive(&mut self, resume_addr: u64, opaque: u64) {
        self.hart_suspend_retentive();
        let h = &mut self.hart;
        h.pc = resume_addr;
        h.x[10] = self.id as u64;
        h.x[11] = opaque;
        h.csr.satp = 0;
        h.csr.mstatus &= !mstatus::SIE;
        h.privilege = Privilege::Supervisor;
        h.tlb.flush(&self.shared.mem);
        self.fetch_epoch += 1;
    }

    fn system_suspend(&mut self, resume_addr: u64, opaque: u64) -> Result<(), SbiError> {
        let _hsm = self.shared.hsm_lock.lock().unwrap_or_else(|e| e.into_inner());
        let others_stopped = self
            .shared
            .harts
            .iter()
            .enumerate()
            .all(|(h, lines)| h == self.id || *lines.lock_mp_state() == MpState::Stopped);
        if !others_stopped {
            return Err(SbiError::Denied);
        }
        let _mp_state = self.lines.lock_mp_state();
        *self.lines.reset.lock().unwrap_or_else(|e| e.into_inner()) =
            ResetContext { pc: resume_addr, a0: self.id as u64, a1: opaque };
        self.lines.requests.post(request::RESET);
        Ok(())
    }

    fn stop_all_harts(&mut self) {
        for lines in &self.shared.harts {
            let mut mp_state = lines.lock_mp_state();
            lines.set_power(&mut mp_state, MpState::Stopped, HsmStatus::Stopped);
        }
    }
}

/// The system event of the last `Exit::SystemEvent`.
pub(crate) type PendingEvent = (SystemEvent, u64);
