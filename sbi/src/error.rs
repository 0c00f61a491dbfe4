//! SBI error codes.

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

impl std::fmt::Display for SbiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SBI error {:?} ({})", self, self.code())
    }
}

impl std::error::Error for SbiError {}

#[cfg(test)]
mod tests {
    use super::*;

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
