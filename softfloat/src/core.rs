//! Format-generic implementation.
//!
//! Every value is handled as raw bits widened to `u64` (binary32 values live
//! in the low 32 bits). A finite non-zero value is unpacked to a sign, an
//! integer significand `m` and the exponent `e` of its least significant bit,
//! so that the value is `(-1)^sign * m * 2^e`. Results are produced by
//! [`round_pack`], the single place where rounding, overflow, underflow and
//! inexact are decided (IEEE 754-2008 clause 4 and 7, with tininess detected
//! after rounding as the RISC-V ISA manual requires).

use crate::{Flags, RoundingMode};

/// Parameters of an IEEE 754 binary interchange format.
pub(crate) trait Format {
    /// Number of stored fraction (trailing significand) bits.
    const FRAC: u32;
    /// Number of exponent bits.
    const EXP: u32;
    /// Exponent bias.
    const BIAS: i32 = (1 << (Self::EXP - 1)) - 1;
    /// Precision in bits, including the hidden bit.
    const P: u32 = Self::FRAC + 1;
    /// Smallest exponent of a normal number.
    const EMIN: i32 = 1 - Self::BIAS;
    /// Largest exponent of a finite number.
    const EMAX: i32 = Self::BIAS;
    /// Sign bit.
    const SIGN: u64 = 1 << (Self::FRAC + Self::EXP);
    /// All bits of the format.
    const ALL: u64 = (Self::SIGN << 1).wrapping_sub(1);
    /// Exponent field mask (also the bits of +infinity).
    const EXP_MASK: u64 = ((1u64 << Self::EXP) - 1) << Self::FRAC;
    /// Fraction field mask.
    const FRAC_MASK: u64 = (1u64 << Self::FRAC) - 1;
    /// The fraction bit that marks a quiet NaN.
    const QUIET: u64 = 1u64 << (Self::FRAC - 1);
    /// The RISC-V canonical NaN.
    const CANON: u64 = Self::EXP_MASK | Self::QUIET;
    /// Largest finite magnitude.
    const MAX: u64 = Self::EXP_MASK - 1;
    /// Exponent of the least significant bit of a subnormal.
    const E_SUB: i32 = Self::EMIN - Self::FRAC as i32;
}

/// binary32
pub(crate) struct B32;
/// binary64
pub(crate) struct B64;

impl Format for B32 {
    const FRAC: u32 = 23;
    const EXP: u32 = 8;
}
impl Format for B64 {
    const FRAC: u32 = 52;
    const EXP: u32 = 11;
}

/// What lies below the rounding position, relative to half an ulp.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(crate) enum Rest {
    Zero,
    BelowHalf,
    Half,
    AboveHalf,
}

/// `m >> k` (k >= 1) together with the classification of the discarded bits.
#[inline(always)]
fn shr_round(m: u64, k: u32) -> (u64, Rest) {
    let (q, r, half) = if k < 64 {
        (m >> k, m & ((1u64 << k) - 1), 1u64 << (k - 1))
    } else if k == 64 {
        (0, m, 1u64 << 63)
    } else {
        // Everything is far below half an ulp.
        return (0, if m == 0 { Rest::Zero } else { Rest::BelowHalf });
    };
    let rest = if r == 0 {
        Rest::Zero
    } else if r < half {
        Rest::BelowHalf
    } else if r == half {
        Rest::Half
    } else {
        Rest::AboveHalf
    };
    (q, rest)
}

/// Whether the truncated magnitude must be incremented by one ulp.
#[inline(always)]
fn round_up(rm: RoundingMode, negative: bool, odd: bool, rest: Rest) -> bool {
    match rm {
        RoundingMode::NearestEven => rest == Rest::AboveHalf || (rest == Rest::Half && odd),
        RoundingMode::TowardZero => false,
        RoundingMode::Down => negative && rest != Rest::Zero,
        RoundingMode::Up => !negative && rest != Rest::Zero,
        RoundingMode::NearestMaxMagnitude => rest >= Rest::Half,
    }
}

#[inline(always)]
fn sign_bit<F: Format>(negative: bool) -> u64 {
    if negative {
        F::SIGN
    } else {
        0
    }
}

/// Result of an overflow (IEEE 754-2008 7.4): infinity or the largest finite
/// number depending on the rounding direction; raises OF and NX.
#[cold]
fn overflow<F: Format>(negative: bool, rm: RoundingMode, flags: &mut Flags) -> u64 {
    *flags |= Flags::OVERFLOW | Flags::INEXACT;
    let to_inf = match rm {
        RoundingMode::NearestEven | RoundingMode::NearestMaxMagnitude => true,
        RoundingMode::TowardZero => false,
        RoundingMode::Down => negative,
        RoundingMode::Up => !negative,
    };
    sign_bit::<F>(negative) | if to_inf { F::EXP_MASK } else { F::MAX }
}

/// Rounds `(-1)^negative * m * 2^e` (m != 0; bit 0 of `m` may be a sticky
/// bit as long as it lies at least two bits below the rounding position)
/// to format `F` and packs it.
#[inline]
pub(crate) fn round_pack<F: Format>(negative: bool, e: i32, m: u64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    debug_assert!(m != 0);
    let lz = m.leading_zeros();
    let m = m << lz;
    // Exponent of the most significant bit.
    let top = e - lz as i32 + 63;
    let s = 64 - F::P;
    let (q, rest) = shr_round(m, s);
    if top >= F::EMIN {
        let mut q = q;
        let mut top = top;
        if round_up(rm, negative, q & 1 != 0, rest) {
            q += 1;
            if q == 1u64 << F::P {
                q >>= 1;
                top += 1;
            }
        }
        if top > F::EMAX {
            return overflow::<F>(negative, rm, flags);
        }
        if rest != Rest::Zero {
            *flags |= Flags::INEXACT;
        }
        // q carries the hidden bit, which adds one to the exponent field.
        sign_bit::<F>(negative) | ((((top + F::BIAS - 1) as u64) << F::FRAC) + q)
    } else {
        // Tiny before rounding. Tininess after rounding: the value rounded to
        // P bits with an unbounded exponent stays below 2^EMIN unless it
        // rounds up to exactly 2^EMIN.
        let not_tiny = top == F::EMIN - 1 && q == (1u64 << F::P) - 1 && round_up(rm, negative, true, rest);
        let shift = s as u64 + (F::EMIN - top) as u64;
        let (mut q, rest) = shr_round(m, shift.min(200) as u32);
        if round_up(rm, negative, q & 1 != 0, rest) {
            q += 1;
        }
        if rest != Rest::Zero {
            *flags |= Flags::INEXACT;
            if !not_tiny {
                *flags |= Flags::UNDERFLOW;
            }
        }
        // A carry into bit FRAC yields the smallest normal number.
        sign_bit::<F>(negative) | q
    }
}

/// Collapses a 128-bit significand to 64 bits, keeping a sticky bit.
#[inline(always)]
fn fold128(x: u128, e: i32) -> (u64, i32) {
    let hi = (x >> 64) as u64;
    if hi == 0 {
        (x as u64, e)
    } else {
        let shift = 64 - hi.leading_zeros();
        let kept = (x >> shift) as u64;
        let lost = x & ((1u128 << shift) - 1);
        (kept | (lost != 0) as u64, e + shift as i32)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Zero,
    Finite,
    Inf,
    QNaN,
    SNaN,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Unpacked {
    pub negative: bool,
    pub kind: Kind,
    /// Significand including the hidden bit (Finite only).
    pub m: u64,
    /// Exponent of the significand's least significant bit (Finite only).
    pub e: i32,
}

#[inline(always)]
pub(crate) fn unpack<F: Format>(x: u64) -> Unpacked {
    let negative = x & F::SIGN != 0;
    let field = ((x & F::EXP_MASK) >> F::FRAC) as i32;
    let frac = x & F::FRAC_MASK;
    let (kind, m, e) = if field == 0 {
        if frac == 0 {
            (Kind::Zero, 0, 0)
        } else {
            (Kind::Finite, frac, F::E_SUB)
        }
    } else if field == (1 << F::EXP) - 1 {
        if frac == 0 {
            (Kind::Inf, 0, 0)
        } else if frac & F::QUIET != 0 {
            (Kind::QNaN, 0, 0)
        } else {
            (Kind::SNaN, 0, 0)
        }
    } else {
        (Kind::Finite, frac | (1u64 << F::FRAC), field - F::BIAS - F::FRAC as i32)
    };
    Unpacked { negative, kind, m, e }
}

#[inline(always)]
fn is_nan(k: Kind) -> bool {
    matches!(k, Kind::QNaN | Kind::SNaN)
}

#[inline(always)]
pub(crate) fn is_nan_bits<F: Format>(x: u64) -> bool {
    x & !F::SIGN & F::ALL > F::EXP_MASK
}

#[inline(always)]
pub(crate) fn is_snan_bits<F: Format>(x: u64) -> bool {
    is_nan_bits::<F>(x) && x & F::QUIET == 0
}

#[inline(always)]
fn zero<F: Format>(negative: bool) -> u64 {
    sign_bit::<F>(negative)
}

#[inline(always)]
fn inf<F: Format>(negative: bool) -> u64 {
    sign_bit::<F>(negative) | F::EXP_MASK
}

#[cold]
fn invalid<F: Format>(flags: &mut Flags) -> u64 {
    *flags |= Flags::INVALID;
    F::CANON
}

/// NaN operand(s): canonical NaN, NV if any is signaling.
#[cold]
fn propagate_nan<F: Format>(signaling: bool, flags: &mut Flags) -> u64 {
    if signaling {
        *flags |= Flags::INVALID;
    }
    F::CANON
}

/// Sign of an exact zero sum of operands of opposite sign (IEEE 754-2008 6.3).
#[inline(always)]
fn exact_zero_sign(rm: RoundingMode) -> bool {
    rm == RoundingMode::Down
}

/// Adds two finite non-zero magnitudes given as 128-bit significands
/// (at most 126 significant bits each) and rounds the signed sum.
#[inline]
fn add_finite<F: Format>(
    (na, ma, ea): (bool, u128, i32),
    (nb, mb, eb): (bool, u128, i32),
    rm: RoundingMode,
    flags: &mut Flags,
) -> u64 {
    // Normalize both to have their most significant bit at bit 125, leaving
    // room for a carry; `ta`/`tb` are the exponents of those bits.
    let la = ma.leading_zeros() - 2;
    let lb = mb.leading_zeros() - 2;
    let (ma, mb) = (ma << la, mb << lb);
    let (ta, tb) = (ea - la as i32 + 125, eb - lb as i32 + 125);
    // Order by exponent so that `x` is the operand with the larger exponent.
    let (nx, mx, tx, ny, my, ty) = if ta >= tb { (na, ma, ta, nb, mb, tb) } else { (nb, mb, tb, na, ma, ta) };
    let d = (tx - ty) as u32;
    // Shift right with the lost bits jammed into bit 0. Operands carry at
    // most 106 significant bits, so a shift by 0 or 1 is exact; for larger
    // shifts the result keeps its leading bit at bit 124 or 125 and the
    // sticky bit is far below the rounding position.
    let my = if d == 0 {
        my
    } else if d < 128 {
        (my >> d) | ((my & ((1u128 << d) - 1)) != 0) as u128
    } else {
        1
    };
    let (neg, sum) = if nx == ny {
        (nx, mx + my)
    } else if mx > my {
        (nx, mx - my)
    } else if my > mx {
        (ny, my - mx)
    } else {
        return zero::<F>(exact_zero_sign(rm));
    };
    let (m, e) = fold128(sum, tx - 125);
    round_pack::<F>(neg, e, m, rm, flags)
}

#[inline]
pub(crate) fn add<F: Format>(a: u64, b: u64, negate_b: bool, rm: RoundingMode, flags: &mut Flags) -> u64 {
    let ua = unpack::<F>(a);
    let mut ub = unpack::<F>(b);
    ub.negative ^= negate_b;
    if ua.kind == Kind::Finite && ub.kind == Kind::Finite {
        return add_finite::<F>((ua.negative, ua.m as u128, ua.e), (ub.negative, ub.m as u128, ub.e), rm, flags);
    }
    add_special::<F>(a, ua, b ^ sign_bit::<F>(negate_b), ub, rm, flags)
}

#[cold]
fn add_special<F: Format>(a: u64, ua: Unpacked, b: u64, ub: Unpacked, rm: RoundingMode, flags: &mut Flags) -> u64 {
    if is_nan(ua.kind) || is_nan(ub.kind) {
        return propagate_nan::<F>(ua.kind == Kind::SNaN || ub.kind == Kind::SNaN, flags);
    }
    match (ua.kind, ub.kind) {
        (Kind::Inf, Kind::Inf) => {
            if ua.negative != ub.negative {
                invalid::<F>(flags)
            } else {
                a
            }
        }
        (Kind::Inf, _) => a,
        (_, Kind::Inf) => b,
        (Kind::Zero, Kind::Zero) => {
            if ua.negative == ub.negative {
                a
            } else {
                zero::<F>(exact_zero_sign(rm))
            }
        }
        (Kind::Zero, _) => b,
        _ => a,
    }
}

#[inline]
pub(crate) fn mul<F: Format>(a: u64, b: u64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    let ua = unpack::<F>(a);
    let ub = unpack::<F>(b);
    let neg = ua.negative ^ ub.negative;
    if ua.kind == Kind::Finite && ub.kind == Kind::Finite {
        let (m, e) =
            if F::P <= 32 { (ua.m * ub.m, ua.e + ub.e) } else { fold128(ua.m as u128 * ub.m as u128, ua.e + ub.e) };
        return round_pack::<F>(neg, e, m, rm, flags);
    }
    mul_special::<F>(ua, ub, flags)
}

#[cold]
fn mul_special<F: Format>(ua: Unpacked, ub: Unpacked, flags: &mut Flags) -> u64 {
    let neg = ua.negative ^ ub.negative;
    if is_nan(ua.kind) || is_nan(ub.kind) {
        return propagate_nan::<F>(ua.kind == Kind::SNaN || ub.kind == Kind::SNaN, flags);
    }
    match (ua.kind, ub.kind) {
        (Kind::Inf, Kind::Zero) | (Kind::Zero, Kind::Inf) => invalid::<F>(flags),
        (Kind::Inf, _) | (_, Kind::Inf) => inf::<F>(neg),
        _ => zero::<F>(neg),
    }
}

#[inline]
pub(crate) fn div<F: Format>(a: u64, b: u64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    let ua = unpack::<F>(a);
    let ub = unpack::<F>(b);
    let neg = ua.negative ^ ub.negative;
    if ua.kind == Kind::Finite && ub.kind == Kind::Finite {
        let la = ua.m.leading_zeros();
        let lb = ub.m.leading_zeros();
        let (ma, mb) = (ua.m << la, ub.m << lb);
        // ma/mb is in (1/2, 2); scaling by 2^63 gives a quotient in
        // (2^62, 2^64) with a remainder that becomes the sticky bit.
        let e = (ua.e - la as i32) - (ub.e - lb as i32);
        let (q, e) = if F::P <= 32 {
            // Significands have at most 24 bits: the top 32 bits suffice.
            let (ma, mb) = (ma >> 32, mb >> 32);
            let n = ma << 31;
            ((n / mb) | (n % mb != 0) as u64, e - 31)
        } else {
            let n = (ma as u128) << 63;
            let q = n / mb as u128;
            let r = n - q * mb as u128;
            (q as u64 | (r != 0) as u64, e - 63)
        };
        return round_pack::<F>(neg, e, q, rm, flags);
    }
    div_special::<F>(ua, ub, flags)
}

#[cold]
fn div_special<F: Format>(ua: Unpacked, ub: Unpacked, flags: &mut Flags) -> u64 {
    let neg = ua.negative ^ ub.negative;
    if is_nan(ua.kind) || is_nan(ub.kind) {
        return propagate_nan::<F>(ua.kind == Kind::SNaN || ub.kind == Kind::SNaN, flags);
    }
    match (ua.kind, ub.kind) {
        (Kind::Inf, Kind::Inf) | (Kind::Zero, Kind::Zero) => invalid::<F>(flags),
        (Kind::Inf, _) => inf::<F>(neg),
        (_, Kind::Inf) => zero::<F>(neg),
        (Kind::Zero, _) => zero::<F>(neg),
        _ => {
            // finite non-zero / zero
            *flags |= Flags::DIV_BY_ZERO;
            inf::<F>(neg)
        }
    }
}

/// Integer square root: the largest `s` with `s * s <= x`, for `x < 2^127`.
#[inline]
fn isqrt(x: u128) -> u64 {
    // The host estimate is within a few thousand of the root; one Newton
    // step brings it to floor or floor + 1 (Newton iterates never fall below
    // the floor of the root), and a final check settles it.
    let s0 = ((x as f64).sqrt() as u64).max(1);
    let mut s = ((s0 as u128 + x / s0 as u128) >> 1) as u64;
    while (s as u128) * (s as u128) > x {
        s -= 1;
    }
    while ((s + 1) as u128) * ((s + 1) as u128) <= x {
        s += 1;
    }
    s
}

#[inline]
pub(crate) fn sqrt<F: Format>(a: u64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    let ua = unpack::<F>(a);
    match ua.kind {
        Kind::Finite if !ua.negative => {}
        Kind::QNaN | Kind::SNaN => return propagate_nan::<F>(ua.kind == Kind::SNaN, flags),
        Kind::Zero => return a,
        Kind::Inf if !ua.negative => return a,
        _ => return invalid::<F>(flags),
    }
    let lz = ua.m.leading_zeros();
    let m = ua.m << lz;
    let e = ua.e - lz as i32;
    // value = m * 2^e with the MSB of m at bit 63. Scale into a 126/127-bit
    // radicand with an even exponent.
    let (x, ex) = if (e - 62) & 1 == 0 { ((m as u128) << 62, e - 62) } else { ((m as u128) << 63, e - 63) };
    let s = isqrt(x);
    let exact = (s as u128) * (s as u128) == x;
    round_pack::<F>(false, ex >> 1, s | (!exact) as u64, rm, flags)
}

#[inline]
pub(crate) fn mul_add<F: Format>(a: u64, b: u64, c: u64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    let ua = unpack::<F>(a);
    let ub = unpack::<F>(b);
    let uc = unpack::<F>(c);
    let np = ua.negative ^ ub.negative;
    if ua.kind == Kind::Finite && ub.kind == Kind::Finite {
        let p = ua.m as u128 * ub.m as u128;
        let ep = ua.e + ub.e;
        if uc.kind == Kind::Finite {
            return add_finite::<F>((np, p, ep), (uc.negative, uc.m as u128, uc.e), rm, flags);
        }
        if uc.kind == Kind::Zero {
            // The sum is the product itself (never zero).
            let (m, e) = fold128(p, ep);
            return round_pack::<F>(np, e, m, rm, flags);
        }
    }
    mul_add_special::<F>(ua, ub, uc, c, rm, flags)
}

#[cold]
fn mul_add_special<F: Format>(
    ua: Unpacked,
    ub: Unpacked,
    uc: Unpacked,
    c: u64,
    rm: RoundingMode,
    flags: &mut Flags,
) -> u64 {
    let np = ua.negative ^ ub.negative;
    let inf_times_zero = matches!((ua.kind, ub.kind), (Kind::Inf, Kind::Zero) | (Kind::Zero, Kind::Inf));
    if is_nan(ua.kind) || is_nan(ub.kind) || is_nan(uc.kind) {
        // RISC-V: NV for inf * 0 even when the addend is a quiet NaN.
        let signaling = ua.kind == Kind::SNaN || ub.kind == Kind::SNaN || uc.kind == Kind::SNaN || inf_times_zero;
        return propagate_nan::<F>(signaling, flags);
    }
    if inf_times_zero {
        return invalid::<F>(flags);
    }
    if ua.kind == Kind::Inf || ub.kind == Kind::Inf {
        if uc.kind == Kind::Inf && uc.negative != np {
            return invalid::<F>(flags);
        }
        return inf::<F>(np);
    }
    if uc.kind == Kind::Inf {
        return c;
    }
    // Here the product is zero (a finite product with a finite or zero
    // addend was handled by the caller).
    if uc.kind == Kind::Zero {
        return if uc.negative == np { c } else { zero::<F>(exact_zero_sign(rm)) };
    }
    c
}

/// Outcome of rounding a floating-point value to an integer.
pub(crate) enum IntRound {
    NaN,
    /// Magnitude at least 2^64 (including infinities); the flag is the sign.
    Huge(bool),
    /// Rounded magnitude with sign and inexactness.
    Value {
        negative: bool,
        mag: u64,
        inexact: bool,
    },
}

#[inline]
pub(crate) fn round_to_int<F: Format>(a: u64, rm: RoundingMode) -> IntRound {
    let ua = unpack::<F>(a);
    match ua.kind {
        Kind::QNaN | Kind::SNaN => IntRound::NaN,
        Kind::Inf => IntRound::Huge(ua.negative),
        Kind::Zero => IntRound::Value { negative: ua.negative, mag: 0, inexact: false },
        Kind::Finite => {
            if ua.e >= 0 {
                if ua.e as u32 > ua.m.leading_zeros() {
                    IntRound::Huge(ua.negative)
                } else {
                    IntRound::Value { negative: ua.negative, mag: ua.m << ua.e, inexact: false }
                }
            } else {
                let k = (-ua.e).min(100) as u32;
                let (mut q, rest) = shr_round(ua.m, k);
                if round_up(rm, ua.negative, q & 1 != 0, rest) {
                    q += 1;
                }
                IntRound::Value { negative: ua.negative, mag: q, inexact: rest != Rest::Zero }
            }
        }
    }
}

/// Converts to a signed integer of `bits` bits (32 or 64) with RISC-V
/// saturation; returned sign-extended in an i64.
#[inline]
pub(crate) fn to_signed<F: Format>(a: u64, bits: u32, rm: RoundingMode, flags: &mut Flags) -> i64 {
    let max = (1u64 << (bits - 1)) - 1;
    match round_to_int::<F>(a, rm) {
        IntRound::NaN | IntRound::Huge(false) => {
            *flags |= Flags::INVALID;
            max as i64
        }
        IntRound::Huge(true) => {
            *flags |= Flags::INVALID;
            !(max as i64)
        }
        IntRound::Value { negative, mag, inexact } => {
            if !negative && mag > max {
                *flags |= Flags::INVALID;
                max as i64
            } else if negative && mag > max + 1 {
                *flags |= Flags::INVALID;
                !(max as i64)
            } else {
                if inexact {
                    *flags |= Flags::INEXACT;
                }
                if negative {
                    (mag as i64).wrapping_neg()
                } else {
                    mag as i64
                }
            }
        }
    }
}

/// Converts to an unsigned integer of `bits` bits (32 or 64) with RISC-V
/// saturation.
#[inline]
pub(crate) fn to_unsigned<F: Format>(a: u64, bits: u32, rm: RoundingMode, flags: &mut Flags) -> u64 {
    let max = u64::MAX >> (64 - bits);
    match round_to_int::<F>(a, rm) {
        IntRound::NaN | IntRound::Huge(false) => {
            *flags |= Flags::INVALID;
            max
        }
        IntRound::Huge(true) => {
            *flags |= Flags::INVALID;
            0
        }
        IntRound::Value { negative, mag, inexact } => {
            if (negative && mag != 0) || mag > max {
                *flags |= Flags::INVALID;
                if negative {
                    0
                } else {
                    max
                }
            } else {
                if inexact {
                    *flags |= Flags::INEXACT;
                }
                mag
            }
        }
    }
}

/// Converts an integer given as sign and magnitude.
#[inline]
pub(crate) fn from_int<F: Format>(negative: bool, mag: u64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    if mag == 0 {
        return 0;
    }
    round_pack::<F>(negative, 0, mag, rm, flags)
}

/// Converts between formats.
#[inline]
pub(crate) fn convert<S: Format, D: Format>(a: u64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    let ua = unpack::<S>(a);
    match ua.kind {
        Kind::Finite => round_pack::<D>(ua.negative, ua.e, ua.m, rm, flags),
        Kind::Zero => zero::<D>(ua.negative),
        Kind::Inf => inf::<D>(ua.negative),
        Kind::QNaN | Kind::SNaN => propagate_nan::<D>(ua.kind == Kind::SNaN, flags),
    }
}

/// Sign-magnitude bits mapped to an order-preserving unsigned key
/// (-0 sorts just below +0). Not meaningful for NaNs.
#[inline(always)]
fn key<F: Format>(x: u64) -> u64 {
    if x & F::SIGN != 0 {
        !x & F::ALL
    } else {
        x | F::SIGN
    }
}

#[inline(always)]
fn both_zero<F: Format>(a: u64, b: u64) -> bool {
    (a | b) & !F::SIGN & F::ALL == 0
}

#[inline]
pub(crate) fn eq<F: Format>(a: u64, b: u64, flags: &mut Flags) -> bool {
    if is_nan_bits::<F>(a) || is_nan_bits::<F>(b) {
        if is_snan_bits::<F>(a) || is_snan_bits::<F>(b) {
            *flags |= Flags::INVALID;
        }
        return false;
    }
    a == b || both_zero::<F>(a, b)
}

#[inline]
pub(crate) fn lt<F: Format>(a: u64, b: u64, flags: &mut Flags) -> bool {
    if is_nan_bits::<F>(a) || is_nan_bits::<F>(b) {
        *flags |= Flags::INVALID;
        return false;
    }
    !both_zero::<F>(a, b) && key::<F>(a) < key::<F>(b)
}

#[inline]
pub(crate) fn le<F: Format>(a: u64, b: u64, flags: &mut Flags) -> bool {
    if is_nan_bits::<F>(a) || is_nan_bits::<F>(b) {
        *flags |= Flags::INVALID;
        return false;
    }
    both_zero::<F>(a, b) || key::<F>(a) <= key::<F>(b)
}

/// RISC-V fmin/fmax (IEEE 754-2019 minimumNumber/maximumNumber).
#[inline]
pub(crate) fn min_max<F: Format>(a: u64, b: u64, max: bool, flags: &mut Flags) -> u64 {
    let an = is_nan_bits::<F>(a);
    let bn = is_nan_bits::<F>(b);
    if an || bn {
        if is_snan_bits::<F>(a) || is_snan_bits::<F>(b) {
            *flags |= Flags::INVALID;
        }
        return match (an, bn) {
            (true, true) => F::CANON,
            (true, false) => b,
            _ => a,
        };
    }
    let a_first = key::<F>(a) <= key::<F>(b);
    if a_first != max {
        a
    } else {
        b
    }
}

/// The fclass mask.
#[inline]
pub(crate) fn classify<F: Format>(a: u64) -> u64 {
    let u = unpack::<F>(a);
    let bit = match (u.kind, u.negative) {
        (Kind::Inf, true) => 0,
        (Kind::Finite, true) => {
            if a & F::EXP_MASK != 0 {
                1
            } else {
                2
            }
        }
        (Kind::Zero, true) => 3,
        (Kind::Zero, false) => 4,
        (Kind::Finite, false) => {
            if a & F::EXP_MASK != 0 {
                6
            } else {
                5
            }
        }
        (Kind::Inf, false) => 7,
        (Kind::SNaN, _) => 8,
        (Kind::QNaN, _) => 9,
    };
    1 << bit
}
