//! Bit-exact IEEE 754-2008 binary32 and binary64 arithmetic with RISC-V
//! F/D-extension semantics.
//!
//! Values are passed as raw bits (`u32` for binary32, `u64` for binary64).
//! Every operation takes the rounding mode explicitly (the caller resolves
//! the dynamic mode) and ORs the exception flags it raises into a [`Flags`]
//! accumulator laid out like the `fflags` CSR.
//!
//! RISC-V specifics implemented here:
//! * every NaN result is the canonical NaN (no payload propagation);
//! * signaling NaN inputs raise invalid (NV);
//! * `fma(inf, 0, qNaN)` raises NV;
//! * tininess is detected after rounding, and underflow (UF) is raised only
//!   for tiny inexact results;
//! * conversions to integers saturate (NaN converts to the maximum value)
//!   and raise NV only (not NX) when out of range;
//! * `fmin`/`fmax` follow IEEE 754-2019 minimumNumber/maximumNumber with
//!   -0 < +0.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod core;
mod fast;

use crate::core::{B32, B64};
use std::ops::{BitOr, BitOrAssign};

/// RISC-V rounding modes (frm encoding). Dynamic (7) is resolved by the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum RoundingMode {
    /// Round to nearest, ties to even (RNE).
    NearestEven = 0,
    /// Round towards zero (RTZ).
    TowardZero = 1,
    /// Round down, towards negative infinity (RDN).
    Down = 2,
    /// Round up, towards positive infinity (RUP).
    Up = 3,
    /// Round to nearest, ties away from zero (RMM).
    NearestMaxMagnitude = 4,
}

impl RoundingMode {
    /// All rounding modes, in encoding order.
    pub const ALL: [RoundingMode; 5] = [
        RoundingMode::NearestEven,
        RoundingMode::TowardZero,
        RoundingMode::Down,
        RoundingMode::Up,
        RoundingMode::NearestMaxMagnitude,
    ];

    /// Decodes a static rounding mode (0..=4); anything else is `None`.
    #[inline]
    pub fn from_bits(rm: u8) -> Option<RoundingMode> {
        match rm {
            0 => Some(RoundingMode::NearestEven),
            1 => Some(RoundingMode::TowardZero),
            2 => Some(RoundingMode::Down),
            3 => Some(RoundingMode::Up),
            4 => Some(RoundingMode::NearestMaxMagnitude),
            _ => None,
        }
    }
}

/// Accrued exception flags in the fflags bit layout:
/// NV=0x10 DZ=0x08 OF=0x04 UF=0x02 NX=0x01.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Flags(pub u8);

impl Flags {
    /// No flags.
    pub const NONE: Flags = Flags(0);
    /// Invalid operation (NV).
    pub const INVALID: Flags = Flags(0x10);
    /// Division by zero (DZ).
    pub const DIV_BY_ZERO: Flags = Flags(0x08);
    /// Overflow (OF).
    pub const OVERFLOW: Flags = Flags(0x04);
    /// Underflow (UF).
    pub const UNDERFLOW: Flags = Flags(0x02);
    /// Inexact (NX).
    pub const INEXACT: Flags = Flags(0x01);

    /// The raw fflags bits.
    #[inline]
    pub fn bits(self) -> u8 {
        self.0
    }

    /// Whether every flag of `other` is set in `self`.
    #[inline]
    pub fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }
}

impl BitOr for Flags {
    type Output = Flags;
    #[inline]
    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

impl BitOrAssign for Flags {
    #[inline]
    fn bitor_assign(&mut self, rhs: Flags) {
        self.0 |= rhs.0;
    }
}

/// The RISC-V canonical binary32 NaN.
pub const F32_CANONICAL_NAN: u32 = 0x7fc0_0000;
/// The RISC-V canonical binary64 NaN.
pub const F64_CANONICAL_NAN: u64 = 0x7ff8_0000_0000_0000;

macro_rules! float_ops {
    (
        $F:ty, $bits:ty,
        $add:ident, $sub:ident, $mul:ident, $div:ident, $sqrt:ident, $mul_add:ident,
        $min:ident, $max:ident, $eq:ident, $lt:ident, $le:ident, $classify:ident,
        $to_i32:ident, $to_u32:ident, $to_i64:ident, $to_u64:ident,
        $from_i32:ident, $from_u32:ident, $from_i64:ident, $from_u64:ident,
        $fast:ident, $name:literal
    ) => {
        #[doc = concat!("Adds two ", $name, " values: `a + b`.")]
        #[inline]
        pub fn $add(a: $bits, b: $bits, rm: RoundingMode, flags: &mut Flags) -> $bits {
            if rm == RoundingMode::NearestEven {
                if let Some(r) = fast::$fast::add(a, b, false) {
                    return with_inexact(r, flags);
                }
            }
            core::add::<$F>(a as u64, b as u64, false, rm, flags) as $bits
        }

        #[doc = concat!("Subtracts two ", $name, " values: `a - b`.")]
        #[inline]
        pub fn $sub(a: $bits, b: $bits, rm: RoundingMode, flags: &mut Flags) -> $bits {
            if rm == RoundingMode::NearestEven {
                if let Some(r) = fast::$fast::add(a, b, true) {
                    return with_inexact(r, flags);
                }
            }
            core::add::<$F>(a as u64, b as u64, true, rm, flags) as $bits
        }

        #[doc = concat!("Multiplies two ", $name, " values: `a * b`.")]
        #[inline]
        pub fn $mul(a: $bits, b: $bits, rm: RoundingMode, flags: &mut Flags) -> $bits {
            if rm == RoundingMode::NearestEven {
                if let Some(r) = fast::$fast::mul(a, b) {
                    return with_inexact(r, flags);
                }
            }
            core::mul::<$F>(a as u64, b as u64, rm, flags) as $bits
        }

        #[doc = concat!("Divides two ", $name, " values: `a / b`.")]
        #[inline]
        pub fn $div(a: $bits, b: $bits, rm: RoundingMode, flags: &mut Flags) -> $bits {
            if rm == RoundingMode::NearestEven {
                if let Some(r) = fast::$fast::div(a, b) {
                    return with_inexact(r, flags);
                }
            }
            core::div::<$F>(a as u64, b as u64, rm, flags) as $bits
        }

        #[doc = concat!("Square root of a ", $name, " value.")]
        #[inline]
        pub fn $sqrt(a: $bits, rm: RoundingMode, flags: &mut Flags) -> $bits {
            if rm == RoundingMode::NearestEven {
                if let Some(r) = fast::$fast::sqrt(a) {
                    return with_inexact(r, flags);
                }
            }
            core::sqrt::<$F>(a as u64, rm, flags) as $bits
        }

        #[doc = concat!("Fused multiply-add of ", $name, " values: `a * b + c` rounded once.")]
        ///
        /// `fmsub`, `fnmsub` and `fnmadd` are obtained by flipping the sign
        /// bits of the inputs. NV is raised for `inf * 0` even when `c` is a
        /// quiet NaN.
        #[inline]
        pub fn $mul_add(a: $bits, b: $bits, c: $bits, rm: RoundingMode, flags: &mut Flags) -> $bits {
            core::mul_add::<$F>(a as u64, b as u64, c as u64, rm, flags) as $bits
        }

        #[doc = concat!("RISC-V `fmin` for ", $name, ": -0 < +0, a single NaN operand yields the other operand, two NaNs the canonical NaN; NV for any signaling NaN.")]
        #[inline]
        pub fn $min(a: $bits, b: $bits, flags: &mut Flags) -> $bits {
            core::min_max::<$F>(a as u64, b as u64, false, flags) as $bits
        }

        #[doc = concat!("RISC-V `fmax` for ", $name, ": -0 < +0, a single NaN operand yields the other operand, two NaNs the canonical NaN; NV for any signaling NaN.")]
        #[inline]
        pub fn $max(a: $bits, b: $bits, flags: &mut Flags) -> $bits {
            core::min_max::<$F>(a as u64, b as u64, true, flags) as $bits
        }

        #[doc = concat!("Quiet equality of ", $name, " values (`feq`): NV only for signaling NaNs.")]
        #[inline]
        pub fn $eq(a: $bits, b: $bits, flags: &mut Flags) -> bool {
            core::eq::<$F>(a as u64, b as u64, flags)
        }

        #[doc = concat!("Signaling less-than of ", $name, " values (`flt`): NV for any NaN.")]
        #[inline]
        pub fn $lt(a: $bits, b: $bits, flags: &mut Flags) -> bool {
            core::lt::<$F>(a as u64, b as u64, flags)
        }

        #[doc = concat!("Signaling less-or-equal of ", $name, " values (`fle`): NV for any NaN.")]
        #[inline]
        pub fn $le(a: $bits, b: $bits, flags: &mut Flags) -> bool {
            core::le::<$F>(a as u64, b as u64, flags)
        }

        #[doc = concat!("The 10-bit `fclass` mask of a ", $name, " value.")]
        #[inline]
        pub fn $classify(a: $bits) -> u64 {
            core::classify::<$F>(a as u64)
        }

        #[doc = concat!("Converts ", $name, " to `i32` (`fcvt.w`) with RISC-V saturation.")]
        #[inline]
        pub fn $to_i32(a: $bits, rm: RoundingMode, flags: &mut Flags) -> i32 {
            core::to_signed::<$F>(a as u64, 32, rm, flags) as i32
        }

        #[doc = concat!("Converts ", $name, " to `u32` (`fcvt.wu`) with RISC-V saturation.")]
        #[inline]
        pub fn $to_u32(a: $bits, rm: RoundingMode, flags: &mut Flags) -> u32 {
            core::to_unsigned::<$F>(a as u64, 32, rm, flags) as u32
        }

        #[doc = concat!("Converts ", $name, " to `i64` (`fcvt.l`) with RISC-V saturation.")]
        #[inline]
        pub fn $to_i64(a: $bits, rm: RoundingMode, flags: &mut Flags) -> i64 {
            core::to_signed::<$F>(a as u64, 64, rm, flags)
        }

        #[doc = concat!("Converts ", $name, " to `u64` (`fcvt.lu`) with RISC-V saturation.")]
        #[inline]
        pub fn $to_u64(a: $bits, rm: RoundingMode, flags: &mut Flags) -> u64 {
            core::to_unsigned::<$F>(a as u64, 64, rm, flags)
        }

        #[doc = concat!("Converts an `i32` to ", $name, ".")]
        #[inline]
        pub fn $from_i32(a: i32, rm: RoundingMode, flags: &mut Flags) -> $bits {
            core::from_int::<$F>(a < 0, a.unsigned_abs() as u64, rm, flags) as $bits
        }

        #[doc = concat!("Converts a `u32` to ", $name, ".")]
        #[inline]
        pub fn $from_u32(a: u32, rm: RoundingMode, flags: &mut Flags) -> $bits {
            core::from_int::<$F>(false, a as u64, rm, flags) as $bits
        }

        #[doc = concat!("Converts an `i64` to ", $name, ".")]
        #[inline]
        pub fn $from_i64(a: i64, rm: RoundingMode, flags: &mut Flags) -> $bits {
            core::from_int::<$F>(a < 0, a.unsigned_abs(), rm, flags) as $bits
        }

        #[doc = concat!("Converts a `u64` to ", $name, ".")]
        #[inline]
        pub fn $from_u64(a: u64, rm: RoundingMode, flags: &mut Flags) -> $bits {
            core::from_int::<$F>(false, a, rm, flags) as $bits
        }
    };
}

float_ops!(
    B32,
    u32,
    f32_add,
    f32_sub,
    f32_mul,
    f32_div,
    f32_sqrt,
    f32_mul_add,
    f32_min,
    f32_max,
    f32_eq,
    f32_lt,
    f32_le,
    f32_classify,
    f32_to_i32,
    f32_to_u32,
    f32_to_i64,
    f32_to_u64,
    i32_to_f32,
    u32_to_f32,
    i64_to_f32,
    u64_to_f32,
    f32,
    "binary32"
);

float_ops!(
    B64,
    u64,
    f64_add,
    f64_sub,
    f64_mul,
    f64_div,
    f64_sqrt,
    f64_mul_add,
    f64_min,
    f64_max,
    f64_eq,
    f64_lt,
    f64_le,
    f64_classify,
    f64_to_i32,
    f64_to_u32,
    f64_to_i64,
    f64_to_u64,
    i32_to_f64,
    u32_to_f64,
    i64_to_f64,
    u64_to_f64,
    f64,
    "binary64"
);

/// A fast-path result: raises NX when it was inexact.
#[inline(always)]
fn with_inexact<T>((value, inexact): (T, bool), flags: &mut Flags) -> T {
    if inexact {
        *flags |= Flags::INEXACT;
    }
    value
}

/// Converts binary32 to binary64 (`fcvt.d.s`); exact. NaNs become the
/// canonical NaN, NV for a signaling NaN.
#[inline]
pub fn f32_to_f64(a: u32, flags: &mut Flags) -> u64 {
    core::convert::<B32, B64>(a as u64, RoundingMode::NearestEven, flags)
}

/// Converts binary64 to binary32 (`fcvt.s.d`). NaNs become the canonical
/// NaN, NV for a signaling NaN.
#[inline]
pub fn f64_to_f32(a: u64, rm: RoundingMode, flags: &mut Flags) -> u32 {
    core::convert::<B64, B32>(a, rm, flags) as u32
}
