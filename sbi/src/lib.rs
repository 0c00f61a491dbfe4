//! The RISC-V Supervisor Binary Interface as hartvm implements it in the
//! hypervisor. This crate starts with the specification's numbers: error
//! codes and extension ids; the extension handlers (one module each) build
//! on them.
//!
//! ```
//! use hartvm_sbi::{SbiError, ext};
//! assert_eq!(SbiError::NotSupported.code(), -2);
//! assert_eq!(ext::HSM, 0x48534D);
//! ```
#![deny(missing_docs)]

/// SBI error codes (the value returned in a0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SbiError {
    /// SBI_ERR_FAILED.
    Failed,
    /// SBI_ERR_NOT_SUPPORTED.
    NotSupported,
    /// SBI_ERR_INVALID_PARAM.
    InvalidParam,
    /// SBI_ERR_DENIED.
    Denied,
    /// SBI_ERR_INVALID_ADDRESS.
    InvalidAddress,
    /// SBI_ERR_ALREADY_AVAILABLE.
    AlreadyAvailable,
    /// SBI_ERR_ALREADY_STARTED.
    AlreadyStarted,
    /// SBI_ERR_ALREADY_STOPPED.
    AlreadyStopped,
    /// SBI_ERR_NO_SHMEM.
    NoShmem,
    /// SBI_ERR_INVALID_STATE.
    InvalidState,
    /// SBI_ERR_BAD_RANGE.
    BadRange,
    /// SBI_ERR_TIMEOUT.
    Timeout,
    /// SBI_ERR_IO.
    Io,
    /// SBI_ERR_DENIED_LOCKED.
    DeniedLocked,
}

impl SbiError {
    /// The numeric code the specification assigns.
    pub const fn code(self) -> i64 {
        match self {
            SbiError::Failed => -1,
            SbiError::NotSupported => -2,
            SbiError::InvalidParam => -3,
            SbiError::Denied => -4,
            SbiError::InvalidAddress => -5,
            SbiError::AlreadyAvailable => -6,
            SbiError::AlreadyStarted => -7,
            SbiError::AlreadyStopped => -8,
            SbiError::NoShmem => -9,
            SbiError::InvalidState => -10,
            SbiError::BadRange => -11,
            SbiError::Timeout => -12,
            SbiError::Io => -13,
            SbiError::DeniedLocked => -14,
        }
    }
}

/// SBI_SUCCESS.
pub const SUCCESS: i64 = 0;

/// Extension ids (a7).
pub mod ext {
    /// Legacy extensions occupy 0x00..=0x08 (set_timer .. shutdown).
    pub const LEGACY_LAST: u64 = 0x08;
    /// Base extension.
    pub const BASE: u64 = 0x10;
    /// Timer extension ("TIME").
    pub const TIME: u64 = 0x5449_4D45;
    /// Inter-processor interrupts ("sPI").
    pub const IPI: u64 = 0x73_5049;
    /// Remote fences ("RFNC").
    pub const RFENCE: u64 = 0x5246_4E43;
    /// Hart state management ("HSM").
    pub const HSM: u64 = 0x48_534D;
    /// System reset ("SRST").
    pub const SRST: u64 = 0x5352_5354;
    /// System suspend ("SUSP").
    pub const SUSP: u64 = 0x5355_5350;
    /// Debug console ("DBCN").
    pub const DBCN: u64 = 0x4442_434E;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_ids_spell_their_names() {
        assert_eq!(&ext::TIME.to_be_bytes()[4..], b"TIME");
        assert_eq!(&ext::SRST.to_be_bytes()[4..], b"SRST");
        assert_eq!(&ext::SUSP.to_be_bytes()[4..], b"SUSP");
        assert_eq!(&ext::DBCN.to_be_bytes()[4..], b"DBCN");
        assert_eq!(&ext::RFENCE.to_be_bytes()[4..], b"RFNC");
        assert_eq!(&ext::HSM.to_be_bytes()[5..], b"HSM");
        assert_eq!(&ext::IPI.to_be_bytes()[5..], b"sPI");
    }

    #[test]
    fn error_codes_are_consecutive() {
        let all = [
            SbiError::Failed,
            SbiError::NotSupported,
            SbiError::InvalidParam,
            SbiError::Denied,
            SbiError::InvalidAddress,
            SbiError::AlreadyAvailable,
            SbiError::AlreadyStarted,
            SbiError::AlreadyStopped,
            SbiError::NoShmem,
            SbiError::InvalidState,
            SbiError::BadRange,
            SbiError::Timeout,
            SbiError::Io,
            SbiError::DeniedLocked,
        ];
        for (k, e) in all.iter().enumerate() {
            assert_eq!(e.code(), -(k as i64) - 1);
        }
    }
}
