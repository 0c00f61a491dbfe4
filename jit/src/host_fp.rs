//! The host FPU's accrued exception flags, which translations leave
//! standing in modes where `frm` is round-to-nearest-even
//! ([`Mode::fp_nearest`](crate::Mode::fp_nearest)).
//!
//! Translated F and D arithmetic runs on the host FPU there. x86-64's SSE
//! unit follows IEEE 754 as RISC-V does (tininess detected after rounding,
//! underflow raised only for tiny inexact results, all exceptions masked),
//! and it accrues the flags in MXCSR's sticky status bits; translations
//! do not read them. The runtime brackets translated code with [`reset`]
//! and [`take`], folding what accrued into `fflags`, and so does every
//! helper that runs host FP code while a translation is running: such a
//! helper first takes what the translation accrued, and resets before it
//! returns, so that its own host FP operations raise nothing for the guest.
//!
//! Other hosts keep no such flags here: there, [`ACCRUES_FLAGS`] is false
//! and FP instructions take the soft-float helpers.

/// Whether the host FPU accrues the flags RISC-V would for the same
/// operations, so translations may compute with it.
pub const ACCRUES_FLAGS: bool = cfg!(target_arch = "x86_64");

/// Clears the accrued flags (and sets the host FPU's control bits to
/// their defaults: round to nearest even, IEEE subnormals).
#[inline]
pub fn reset() {
    imp::reset()
}

/// The flags accrued since the last [`reset`], as RISC-V `fflags` bits
/// (NX in bit 0), and clears them.
#[inline]
pub fn take() -> u8 {
    imp::take()
}

#[cfg(target_arch = "x86_64")]
mod imp {
    /// MXCSR with every exception masked, round to nearest even, no
    /// flush-to-zero or denormals-are-zero, and no flag set.
    const MXCSR_DEFAULT: u32 = 0x1f80;

    /// MXCSR's status bits: invalid, denormal operand, divide by zero,
    /// overflow, underflow, precision.
    const STATUS: u32 = 0x3f;

    #[inline]
    pub fn reset() {
        // SAFETY: `ldmxcsr` reads the 4-byte value the reference points
        // to; the value masks every exception and sets the control bits
        // Rust code assumes (they are its defaults), so only the status
        // bits change.
        unsafe {
            std::arch::asm!("ldmxcsr [{}]", in(reg) &MXCSR_DEFAULT, options(nostack, preserves_flags));
        }
    }

    #[inline]
    pub fn take() -> u8 {
        let mut mxcsr = 0u32;
        // SAFETY: `stmxcsr` writes 4 bytes to the local the pointer
        // refers to.
        unsafe {
            std::arch::asm!("stmxcsr [{}]", in(reg) &mut mxcsr, options(nostack, preserves_flags));
        }
        if mxcsr & STATUS == 0 {
            return 0;
        }
        reset();
        fflags(mxcsr)
    }

    /// RISC-V `fflags` for MXCSR status bits. The denormal-operand flag
    /// has no RISC-V counterpart.
    fn fflags(mxcsr: u32) -> u8 {
        const NV: u8 = 0x10;
        const DZ: u8 = 0x08;
        const OF: u8 = 0x04;
        const UF: u8 = 0x02;
        const NX: u8 = 0x01;
        [(0x01, NV), (0x04, DZ), (0x08, OF), (0x10, UF), (0x20, NX)]
            .iter()
            .filter(|&&(bit, _)| mxcsr & bit != 0)
            .fold(0, |acc, &(_, flag)| acc | flag)
    }
}

#[cfg(not(target_arch = "x86_64"))]
mod imp {
    pub fn reset() {}

    pub fn take() -> u8 {
        0
    }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;
    use std::hint::black_box;

    /// The flags `op(x, y)` accrues on the host FPU. The operands pass
    /// through `black_box` after the reset, and the result before the
    /// take, so the compiler cannot compute it outside them.
    fn accrued(x: f64, y: f64, op: fn(f64, f64) -> f64) -> u8 {
        reset();
        let (x, y) = black_box((x, y));
        black_box(op(x, y));
        take()
    }

    #[test]
    fn flags_map_to_fflags() {
        assert_eq!(accrued(1.0, 1.0, |x, y| x + y), 0);
        assert_eq!(accrued(1.0, 3.0, |x, y| x / y), 0x01, "inexact");
        assert_eq!(accrued(1.0, 0.0, |x, y| x / y), 0x08, "divide by zero");
        assert_eq!(accrued(0.0, 0.0, |x, y| x / y), 0x10, "invalid");
        assert_eq!(accrued(f64::MAX, 3.0, |x, y| x * y), 0x05, "overflow and inexact");
        assert_eq!(accrued(f64::MIN_POSITIVE, 3.0, |x, y| x / y), 0x03, "underflow and inexact");
        // An exact subnormal: no underflow with exceptions masked.
        assert_eq!(accrued(f64::MIN_POSITIVE, 2.0, |x, y| x / y), 0);
    }

    #[test]
    fn take_clears() {
        assert_eq!(accrued(1.0, 3.0, |x, y| x / y), 0x01);
        assert_eq!(take(), 0);
    }
}
