//! What the extensions need from the hypervisor: the [`SbiHost`] trait.

use crate::SbiError;

/// A set of harts, bit n for hart n (hartvm has at most 64 harts).
pub type HartSet = u64;

/// HSM hart states (hart_get_status values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum HsmStatus {
    /// Running.
    Started = 0,
    /// Powered off.
    Stopped = 1,
    /// hart_start was called; the hart has not begun running yet.
    StartPending = 2,
    /// hart_stop was called and is not finished.
    StopPending = 3,
    /// In hart_suspend.
    Suspended = 4,
    /// hart_suspend was called and is not finished.
    SuspendPending = 5,
    /// Waking from hart_suspend.
    ResumePending = 6,
}

impl HsmStatus {
    /// The status with value `v`.
    pub fn from_u8(v: u8) -> Option<HsmStatus> {
        use HsmStatus::*;
        [Started, Stopped, StartPending, StopPending, Suspended, SuspendPending, ResumePending].get(v as usize).copied()
    }
}

/// A fence another hart has to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemoteFence {
    /// FENCE.I: instruction fetches see earlier stores.
    FenceI,
    /// SFENCE.VMA over a range (`size` u64::MAX: the whole address space).
    SfenceVma {
        /// First virtual address.
        start: u64,
        /// Bytes covered.
        size: u64,
        /// Address space, or `None` for all.
        asid: Option<u64>,
    },
}

/// What an SBI implementation needs from the vCPU that made the call and
/// from its VM. The runtime implements it; the extensions only check
/// parameters in the specification's order and call these.
pub trait SbiHost {
    /// The calling hart's id.
    fn hart_id(&self) -> usize;
    /// Number of harts of the VM (ids 0 to n - 1).
    fn num_harts(&self) -> usize;
    /// Whether `addr` is in guest RAM.
    fn is_ram(&self, addr: u64) -> bool;
    /// Whether the call came from S-mode (it may come from nowhere else in
    /// hartvm, but SUSP checks it).
    fn caller_is_supervisor(&self) -> bool;
    /// The harts' `mvendorid`, `marchid` and `mimpid`.
    fn machine_ids(&self) -> [u64; 3];
    /// Reads the 8 bytes at guest virtual address `va` as the caller's
    /// S-mode loads would (legacy calls pass hart masks by pointer).
    fn read_u64(&mut self, va: u64) -> Option<u64>;

    /// Programs the caller's supervisor timer: STIP is cleared now and
    /// raised when `time` reaches `when`.
    fn set_timer(&mut self, when: u64);
    /// Makes a supervisor software interrupt pending on every hart of `harts`.
    fn send_ipi(&mut self, harts: HartSet);
    /// Clears the caller's pending supervisor software interrupt; whether
    /// one was pending.
    fn clear_ipi(&mut self) -> bool;
    /// Runs `fence` on every hart of `harts`; returns when all have.
    fn remote_fence(&mut self, harts: HartSet, fence: RemoteFence);

    /// Starts the stopped hart `hart` at `start_addr` in S-mode with
    /// a0 = its id and a1 = `opaque`. `Err(AlreadyAvailable)` if it is
    /// not stopped. `hart` and `start_addr` are already checked.
    fn hart_start(&mut self, hart: usize, start_addr: u64, opaque: u64) -> Result<(), SbiError>;
    /// Stops the caller.
    fn hart_stop(&mut self) -> Result<(), SbiError>;
    /// The HSM state of hart `hart` (a valid id).
    fn hart_status(&self, hart: usize) -> HsmStatus;
    /// Waits, with every register kept, until an interrupt is pending.
    fn hart_suspend_retentive(&mut self);
    /// Waits until an interrupt is pending, then continues at `resume_addr`
    /// in S-mode with a0 = hart id, a1 = `opaque`, satp = 0 and SIE = 0.
    fn hart_suspend_non_retentive(&mut self, resume_addr: u64, opaque: u64);

    /// Prepares a system suspend: unless every other hart is stopped
    /// (`Err(Denied)`), sets the caller's reset context to `resume_addr` /
    /// `opaque` and queues its reset, atomically with respect to
    /// `hart_start` (both must never succeed together).
    fn system_suspend(&mut self, resume_addr: u64, opaque: u64) -> Result<(), SbiError>;
    /// Stops every hart before a system reset or shutdown.
    fn stop_all_harts(&mut self);
}
