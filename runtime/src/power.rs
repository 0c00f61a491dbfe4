//! Power state (KVM's mp_state), the reset context, and the requests
//! other threads leave for a vCPU's own thread.
//!
//! Lock order: a VM's `hsm_lock`, then a hart's `mp_state`, then its
//! `reset`. None is held while guest code runs.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::MutexGuard;

use hartvm_sbi::HsmStatus;

use crate::hart::{cause, envcfg, irq, mstatus, Csrs, Privilege};
use crate::interp::Exit;
use crate::vcpu::Core;
use crate::vm::HartLines;

/// A vCPU's power state, as KVM's `KVM_GET_MP_STATE` reports it on RISC-V.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MpState {
    /// Powered on: `run()` executes guest code.
    Runnable,
    /// Powered off: `run()` sleeps until the vCPU is powered on (SBI HSM
    /// hart_start or `set_mp_state(Runnable)`) or kicked.
    Stopped,
}

impl MpState {
    /// KVM's number for the state (`KVM_MP_STATE_RUNNABLE` 0, `_STOPPED` 5).
    pub fn to_kvm(self) -> u32 {
        match self {
            MpState::Runnable => 0,
            MpState::Stopped => 5,
        }
    }

    /// The state a vCPU powers up in: on bare hardware every hart runs; in
    /// hypervisor mode only vCPU 0 does, the others wait for SBI HSM.
    pub(crate) fn at_power_up(id: usize, sbi: bool) -> MpState {
        if id == 0 || !sbi {
            MpState::Runnable
        } else {
            MpState::Stopped
        }
    }

    /// The HSM status a vCPU in this state reports (when no hart_start or
    /// hart_suspend is under way).
    pub(crate) fn hsm_status(self) -> HsmStatus {
        match self {
            MpState::Runnable => HsmStatus::Started,
            MpState::Stopped => HsmStatus::Stopped,
        }
    }

    /// The state KVM numbers `n`, if RISC-V has it.
    pub fn from_kvm(n: u32) -> Option<MpState> {
        match n {
            0 => Some(MpState::Runnable),
            5 => Some(MpState::Stopped),
            _ => None,
        }
    }
}

/// Where a hart goes when it is reset: written by SBI HSM hart_start (for
/// the target) and SBI SUSP system_suspend (for the caller), read by the
/// hart's own thread when it serves `request::RESET`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResetContext {
    /// Where execution starts, in S-mode.
    pub pc: u64,
    /// a0 (the hart id).
    pub a0: u64,
    /// a1 (the opaque value).
    pub a1: u64,
}

/// Work other threads leave for a hart's thread ([`request`] bits),
/// served at its next boundary, or at once if it sleeps.
///
/// Requests a caller waits for (remote fences) get a sequence number. The
/// bits and the latest number share one word, so the hart takes both in one
/// atomic step: every number it reports done was posted with bits it has
/// served. (Reading a separate counter before or after taking the bits
/// either reports a fence it has not run or misses one it has, and the
/// caller then waits until some other request comes along.)
pub(crate) struct Requests {
    /// Request bits (low half) and the latest sequence number (high half).
    word: AtomicU64,
    /// The sequence number of the last requests served.
    done: AtomicU32,
}

const BITS: u64 = 0xffff_ffff;

impl Requests {
    pub(crate) fn new() -> Requests {
        Requests { word: AtomicU64::new(0), done: AtomicU32::new(0) }
    }

    /// Leaves `bits`; nobody waits for them.
    pub(crate) fn post(&self, bits: u32) {
        self.word.fetch_or(bits as u64, Ordering::AcqRel);
    }

    /// Leaves `bits` and returns the ticket [`Requests::served`] takes.
    pub(crate) fn post_waited(&self, bits: u32) -> u32 {
        let next = |w: u64| (w & !BITS).wrapping_add(1 << 32) | (w & BITS) | bits as u64;
        let old = self.word.fetch_update(Ordering::AcqRel, Ordering::Acquire, |w| Some(next(w))).unwrap_or_else(|w| w);
        (next(old) >> 32) as u32
    }

    /// Whether bits are waiting.
    pub(crate) fn pending(&self) -> bool {
        self.word.load(Ordering::Acquire) & BITS != 0
    }

    /// Takes the waiting bits, with the sequence number they complete.
    pub(crate) fn take(&self) -> (u32, u32) {
        let w = self.word.fetch_and(!BITS, Ordering::AcqRel);
        (w as u32, (w >> 32) as u32)
    }

    /// Records that the bits taken with `sequence` have been served;
    /// whether that is news to the callers waiting.
    pub(crate) fn complete(&self, sequence: u32) -> bool {
        self.done.swap(sequence, Ordering::AcqRel) != sequence
    }

    /// Drops the waiting bits as if served (the hart is being reset).
    pub(crate) fn clear(&self) {
        let (_, sequence) = self.take();
        self.complete(sequence);
    }

    /// Whether the requests of `ticket` have been served.
    pub(crate) fn served(&self, ticket: u32) -> bool {
        // Sequence numbers wrap: compare by distance.
        (self.done.load(Ordering::Acquire).wrapping_sub(ticket) as i32) >= 0
    }
}

/// Request bits ([`Requests`]).
pub(crate) mod request {
    /// Reset from the reset context.
    pub(crate) const RESET: u32 = 1;
    /// Flush address translation (remote SFENCE.VMA).
    pub(crate) const FLUSH_TLB: u32 = 2;
    /// Synchronize instruction fetch (remote FENCE.I).
    pub(crate) const FENCE_I: u32 = 4;
    /// Make a supervisor software interrupt pending (IPI).
    pub(crate) const SSIP: u32 = 8;
}

/// Exceptions a hypervisor-mode guest handles itself (everything that can
/// be delegated; S-mode `ecall`s never trap, the SBI serves them).
const GUEST_EXCEPTIONS: u64 = cause::DELEGABLE & !(1 << cause::ECALL_S);
/// Counters S-mode may read (cycle, time, instret).
const GUEST_COUNTERS: u64 = 0b111;

impl HartLines {
    /// Locks the mp_state.
    pub(crate) fn lock_mp_state(&self) -> MutexGuard<'_, MpState> {
        self.mp_state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sets the power state (with its mp_state lock held as `guard`).
    pub(crate) fn set_power(&self, guard: &mut MpState, state: MpState, hsm: HsmStatus) {
        *guard = state;
        self.hsm.store(hsm as u8, Ordering::Release);
        // A hart seeing `stopped` false must also see the requests made
        // before it was powered on (its reset): Release pairs with the
        // Acquire loads in `Core::boundary` and `Core::park`.
        self.stopped.store(state == MpState::Stopped, Ordering::Release);
        self.notify();
    }

    /// Leaves `bits` for the hart's thread and wakes it.
    pub(crate) fn request(&self, bits: u32) {
        self.requests.post(bits);
        self.notify();
    }

    /// The HSM status.
    pub(crate) fn hsm_status(&self) -> HsmStatus {
        HsmStatus::from_u8(self.hsm.load(Ordering::Acquire)).unwrap_or(HsmStatus::Started)
    }
}

impl Core {
    /// Serves the requests other threads left.
    pub(crate) fn serve_requests(&mut self) {
        let (bits, sequence) = self.lines.requests.take();
        if bits & request::RESET != 0 {
            let ctx = *self.lines.reset.lock().unwrap_or_else(|e| e.into_inner());
            self.reset_supervisor(ctx);
            self.was_reset = true;
            self.lines.hsm.store(HsmStatus::Started as u8, Ordering::Release);
        }
        if bits & request::FLUSH_TLB != 0 {
            self.hart.tlb.flush(&self.shared.mem);
            self.fetch_epoch += 1;
        }
        if bits & request::FENCE_I != 0 {
            self.jit_fence_i();
        }
        if bits & request::SSIP != 0 {
            self.hart.csr.mip |= irq::SSIP;
        }
        self.check_interrupts = true;
        if self.lines.requests.complete(sequence) {
            let _guard = self.shared.fence_lock.lock().unwrap_or_else(|e| e.into_inner());
            self.shared.fence_done.notify_all();
        }
    }

    /// While the vCPU is stopped: sleeps, serving requests, until it is
    /// powered on (`None`) or kicked (`Some(Exit::Intr)`).
    pub(crate) fn park(&mut self) -> Option<Exit> {
        let lines = self.lines.clone();
        loop {
            lines.attention.store(false, Ordering::Release);
            if lines.requests.pending() {
                self.serve_requests();
            }
            if lines.kick.swap(false, Ordering::AcqRel) {
                return Some(Exit::Intr);
            }
            if !lines.stopped.load(Ordering::Acquire) {
                if lines.requests.pending() {
                    self.serve_requests();
                }
                return None;
            }
            let guard = lines.sleep.lock().unwrap_or_else(|e| e.into_inner());
            if lines.attention.load(Ordering::Acquire) || lines.kick.load(Ordering::Acquire) {
                continue;
            }
            drop(lines.wake.wait_timeout(guard, std::time::Duration::from_secs(1)));
        }
    }

    /// The state a hypervisor-mode hart starts or resumes in: S-mode at
    /// `ctx.pc` with a0/a1 from `ctx`, translation off, interrupts
    /// disabled, every trap the guest can handle delegated to it.
    pub(crate) fn reset_supervisor(&mut self, ctx: ResetContext) {
        let h = &mut self.hart;
        h.x = [0; 32];
        h.f = [0; 32];
        h.x[10] = ctx.a0;
        h.x[11] = ctx.a1;
        h.pc = ctx.pc;
        h.privilege = Privilege::Supervisor;
        h.csr = Csrs {
            mstatus: mstatus::XL64 | mstatus::FS_INITIAL | mstatus::SPP | mstatus::SPIE,
            medeleg: GUEST_EXCEPTIONS,
            mideleg: irq::S_MASK,
            mcounteren: GUEST_COUNTERS,
            // Firmware (OpenSBI) hands S-mode an scounteren that lets user
            // programs read the counters (the vDSO's clock_gettime reads
            // `time`); kernels without a PMU driver never set it themselves.
            scounteren: GUEST_COUNTERS,
            menvcfg: envcfg::STCE,
            mcycle: h.csr.mcycle,
            minstret: h.csr.minstret,
            ..Csrs::default()
        };
        h.pmp = crate::pmp::Pmp::allow_all();
        h.reservation = None;
        h.tlb.flush(&self.shared.mem);
        self.lines.stimecmp.store(u64::MAX, Ordering::Release);
        self.pending_load = None;
        self.fetch_epoch += 1;
        self.check_interrupts = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    #[test]
    fn a_ticket_is_served_with_the_bits_posted_for_it() {
        let r = Requests::new();
        assert!(!r.pending());
        r.post(request::SSIP);
        let t1 = r.post_waited(request::FENCE_I);
        let t2 = r.post_waited(request::FLUSH_TLB);
        assert!(t2 != t1 && !r.served(t1) && !r.served(t2));
        let (bits, sequence) = r.take();
        assert_eq!(bits, request::SSIP | request::FENCE_I | request::FLUSH_TLB);
        assert!(!r.pending());
        assert!(r.complete(sequence));
        assert!(r.served(t1) && r.served(t2));
        assert!(!r.complete(sequence), "nothing new to report");
    }

    #[test]
    fn sequence_numbers_wrap() {
        let r = Requests::new();
        r.word.store(u64::from(u32::MAX) << 32, Ordering::Relaxed);
        r.done.store(u32::MAX, Ordering::Relaxed);
        let t = r.post_waited(request::FENCE_I);
        assert_eq!(t, 0);
        assert!(!r.served(t));
        let (_, sequence) = r.take();
        r.complete(sequence);
        assert!(r.served(t) && r.served(u32::MAX));
    }

    #[test]
    fn clearing_releases_waiters() {
        let r = Requests::new();
        let t = r.post_waited(request::FENCE_I);
        r.clear();
        assert!(r.served(t) && !r.pending());
    }

    /// A caller posting while the hart serves is never left waiting for
    /// a request the hart already took (the race a Linux boot on 4 harts
    /// hit about once in 20 boots: the caller waited until some other
    /// request came along, 21 s later).
    #[test]
    fn a_caller_racing_the_server_is_always_served() {
        let r = Arc::new(Requests::new());
        let stop = Arc::new(AtomicBool::new(false));
        let server = {
            let (r, stop) = (r.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if r.pending() {
                        let (_, sequence) = r.take();
                        r.complete(sequence);
                    }
                    std::hint::spin_loop();
                }
            })
        };
        for _ in 0..200_000 {
            let t = r.post_waited(request::FENCE_I);
            let deadline = Instant::now() + Duration::from_secs(10);
            while !r.served(t) {
                assert!(Instant::now() < deadline, "ticket {t} never served");
                std::hint::spin_loop();
            }
        }
        stop.store(true, Ordering::Relaxed);
        server.join().unwrap();
    }
}
