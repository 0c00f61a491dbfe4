//! The RISC-V Supervisor Binary Interface (SBI v2.0) as hartvm implements
//! it in the hypervisor, as KVM does on RISC-V hardware: the guest's
//! kernel runs in S-mode and its `ecall`s land here.
//!
//! One module per extension, each a small handler that checks its
//! parameters in the specification's order and asks the hypervisor, through
//! the [`SbiHost`] trait, to do the work. [`handle`] routes a call to its
//! extension if the vCPU offers it ([`ExtensionSet`]).
//!
//! ```
//! use hartvm_sbi::{eid, handle, ExtensionSet, Outcome, SbiCall, SbiError, SbiRet};
//! # use hartvm_sbi::{HartSet, HsmStatus, RemoteFence, SbiHost};
//! # struct OneHart;
//! # impl SbiHost for OneHart {
//! #     fn hart_id(&self) -> usize { 0 }
//! #     fn num_harts(&self) -> usize { 1 }
//! #     fn is_ram(&self, a: u64) -> bool { a >= 0x8000_0000 }
//! #     fn caller_is_supervisor(&self) -> bool { true }
//! #     fn machine_ids(&self) -> [u64; 3] { [0; 3] }
//! #     fn read_u64(&mut self, _: u64) -> Option<u64> { None }
//! #     fn set_timer(&mut self, _: u64) {}
//! #     fn send_ipi(&mut self, _: HartSet) {}
//! #     fn clear_ipi(&mut self) -> bool { false }
//! #     fn remote_fence(&mut self, _: HartSet, _: RemoteFence) {}
//! #     fn hart_start(&mut self, _: usize, _: u64, _: u64) -> Result<(), SbiError> { Err(SbiError::AlreadyAvailable) }
//! #     fn hart_stop(&mut self) -> Result<(), SbiError> { Ok(()) }
//! #     fn hart_status(&self, _: usize) -> HsmStatus { HsmStatus::Started }
//! #     fn hart_suspend_retentive(&mut self) {}
//! #     fn hart_suspend_non_retentive(&mut self, _: u64, _: u64) {}
//! #     fn system_suspend(&mut self, _: u64, _: u64) -> Result<(), SbiError> { Ok(()) }
//! #     fn stop_all_harts(&mut self) {}
//! # }
//! # let mut host = OneHart;
//! // hart_get_status(7) on a one-hart VM:
//! let call = SbiCall { eid: eid::HSM, fid: 2, args: [7, 0, 0, 0, 0, 0] };
//! let outcome = handle(&call, ExtensionSet::default(), &mut host);
//! assert_eq!(outcome, Outcome::Return(SbiRet::err(SbiError::InvalidParam)));
//! ```
#![deny(missing_docs)]

mod base;
pub mod dbcn;
mod error;
mod extension;
mod host;
mod hsm;
mod ipi;
mod legacy;
mod rfence;
mod srst;
mod susp;
mod time;

pub use base::{IMPL_ID, IMPL_VERSION, SPEC_VERSION};
pub use error::SbiError;
pub use extension::{eid, Extension, ExtensionSet, NotImplemented};
pub use host::{HartSet, HsmStatus, RemoteFence, SbiHost};

/// SBI_SUCCESS.
pub const SUCCESS: i64 = 0;

/// One `ecall`: a7 = `eid`, a6 = `fid`, a0..a5 = `args`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SbiCall {
    /// Extension id (a7).
    pub eid: u64,
    /// Function id (a6).
    pub fid: u64,
    /// Arguments (a0 to a5).
    pub args: [u64; 6],
}

impl SbiCall {
    /// Whether this is a legacy (v0.1) call, which returns a0 only.
    pub fn is_legacy(&self) -> bool {
        self.eid <= eid::LEGACY_LAST
    }

    /// Argument `n` as the 32-bit value the specification declares it.
    fn arg32(&self, n: usize) -> u32 {
        self.args[n] as u32
    }
}

/// What a call returns: a0 = `error`, a1 = `value`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SbiRet {
    /// SUCCESS (0) or an [`SbiError`] code.
    pub error: i64,
    /// The function's result.
    pub value: u64,
}

impl SbiRet {
    /// Success with `value`.
    pub fn ok(value: u64) -> SbiRet {
        SbiRet { error: SUCCESS, value }
    }

    /// Failure with `e`.
    pub fn err(e: SbiError) -> SbiRet {
        SbiRet { error: e.code(), value: 0 }
    }

    fn from_result(r: Result<u64, SbiError>) -> SbiRet {
        r.map_or_else(SbiRet::err, SbiRet::ok)
    }
}

/// A whole-system event the VMM has to carry out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SystemEvent {
    /// Power off (SRST shutdown, legacy shutdown).
    Shutdown,
    /// Reboot (SRST cold or warm reboot).
    Reset,
    /// Suspend to RAM (SUSP): the caller's reset context holds the resume
    /// point; running the vCPU again resumes the system.
    Suspend,
}

/// What the hypervisor does after a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Write the result (a0 only for legacy calls) and continue after the ecall.
    Return(SbiRet),
    /// The caller does not return from the call (hart_stop, non-retentive
    /// suspend): the host already set where it goes.
    NoReturn,
    /// The VMM serves the call (console I/O); it starts as NOT_SUPPORTED.
    Forward,
    /// A system event for the VMM, with the reset/sleep type or reason.
    System {
        /// Which event.
        event: SystemEvent,
        /// SRST's reason, or SUSP's sleep type.
        data: u64,
    },
}

impl Outcome {
    fn ret(r: Result<u64, SbiError>) -> Outcome {
        Outcome::Return(SbiRet::from_result(r))
    }

    fn error(e: SbiError) -> Outcome {
        Outcome::Return(SbiRet::err(e))
    }
}

/// Serves `call` on behalf of the hart `host` represents, offering the
/// extensions in `offered`; anything else is NOT_SUPPORTED.
pub fn handle(call: &SbiCall, offered: ExtensionSet, host: &mut impl SbiHost) -> Outcome {
    if !offered.serves(call.eid) {
        return Outcome::error(SbiError::NotSupported);
    }
    match call.eid {
        eid::BASE => base::handle(call, offered, host),
        0..=eid::LEGACY_LAST => legacy::handle(call, host),
        eid::TIME => time::handle(call, host),
        eid::IPI => ipi::handle(call, host),
        eid::RFENCE => rfence::handle(call, host),
        eid::HSM => hsm::handle(call, host),
        eid::SRST => srst::handle(call, host),
        eid::SUSP => susp::handle(call, host),
        eid::DBCN => dbcn::handle(call),
        _ => Outcome::error(SbiError::NotSupported),
    }
}

#[cfg(test)]
mod mock;
