//! Host-FPU fast paths for round-to-nearest-even, the mode nearly all code
//! runs in. They take only the cases where the host's IEEE arithmetic is the
//! RISC-V result and every flag can be derived exactly: finite operands and
//! a normal, finite result far enough from the underflow threshold that the
//! error terms below are exact. The only flag such a result can raise is
//! inexact, decided with error-free transformations (TwoSum; the residual of
//! a fused multiply-add for products, quotients and square roots). Every
//! other case returns `None` and takes the exact integer path in `core`.
//!
//! binary32 is computed in binary64 and rounded once more: for +, -, *, /
//! and sqrt, 53 >= 2 * 24 + 2 bits make that second rounding innocuous.

/// Results with magnitude in [2^-960, 2^1000] keep every error term exact
/// (the exact result's lowest bit stays above 2^-1074) and every
/// intermediate finite.
const LOW: f64 = 1.0
    / (1u128 << 120) as f64
    / (1u128 << 120) as f64
    / (1u128 << 120) as f64
    / (1u128 << 120) as f64
    / (1u128 << 120) as f64
    / (1u128 << 120) as f64
    / (1u128 << 120) as f64
    / (1u128 << 120) as f64; // 2^-960
const HIGH: f64 = 1.0 / LOW * (1u64 << 40) as f64; // 2^1000

/// Whether `x` is a magnitude the fast paths accept as an operand or result.
#[inline(always)]
fn in_range(x: f64) -> bool {
    let m = x.abs();
    (LOW..=HIGH).contains(&m)
}

/// `a + b` and whether it is inexact, or `None` (see the module docs).
#[inline(always)]
fn add(a: f64, b: f64) -> Option<(f64, bool)> {
    if !(a.is_finite() && b.is_finite() && a.abs() <= HIGH && b.abs() <= HIGH) {
        return None;
    }
    let s = a + b;
    if s == 0.0 {
        // x + (-x) (or 0 + 0) is exact; the host gives the RNE sign rules.
        return (a == -b).then_some((s, false));
    }
    if !in_range(s) {
        return None;
    }
    let bp = s - a;
    let ap = s - bp;
    let err = (a - ap) + (b - bp);
    Some((s, err != 0.0))
}

/// `a * b` and whether it is inexact.
#[inline(always)]
fn mul(a: f64, b: f64) -> Option<(f64, bool)> {
    if !(a.is_finite() && b.is_finite()) {
        return None;
    }
    let p = a * b;
    if p == 0.0 {
        return (a == 0.0 || b == 0.0).then_some((p, false));
    }
    if !in_range(p) {
        return None;
    }
    Some((p, a.mul_add(b, -p) != 0.0))
}

/// `a / b` and whether it is inexact.
#[inline(always)]
fn div(a: f64, b: f64) -> Option<(f64, bool)> {
    if !(a.is_finite() && in_range(b)) {
        return None;
    }
    if a == 0.0 {
        return Some((a / b, false));
    }
    let q = a / b;
    if !(in_range(a) && in_range(q)) {
        return None;
    }
    Some((q, (-q).mul_add(b, a) != 0.0))
}

/// `sqrt(a)` and whether it is inexact.
#[inline(always)]
fn sqrt(a: f64) -> Option<(f64, bool)> {
    if !(a > 0.0 && in_range(a)) {
        return None;
    }
    let r = a.sqrt();
    Some((r, (-r).mul_add(r, a) != 0.0))
}

/// binary64 fast paths on raw bits.
pub(crate) mod f64 {
    use super::*;

    fn bits(r: Option<(f64, bool)>) -> Option<(u64, bool)> {
        r.map(|(v, inexact)| (v.to_bits(), inexact))
    }

    #[inline(always)]
    pub(crate) fn add(a: u64, b: u64, negate_b: bool) -> Option<(u64, bool)> {
        let b = if negate_b { -f64::from_bits(b) } else { f64::from_bits(b) };
        bits(super::add(f64::from_bits(a), b))
    }

    #[inline(always)]
    pub(crate) fn mul(a: u64, b: u64) -> Option<(u64, bool)> {
        bits(super::mul(f64::from_bits(a), f64::from_bits(b)))
    }

    #[inline(always)]
    pub(crate) fn div(a: u64, b: u64) -> Option<(u64, bool)> {
        bits(super::div(f64::from_bits(a), f64::from_bits(b)))
    }

    #[inline(always)]
    pub(crate) fn sqrt(a: u64) -> Option<(u64, bool)> {
        bits(super::sqrt(f64::from_bits(a)))
    }
}

/// binary32 fast paths on raw bits, computed in binary64.
pub(crate) mod f32 {
    /// Rounds a binary64 result to binary32; `None` unless the binary32
    /// result is normal and finite (or an exact zero).
    #[inline(always)]
    fn narrow(r: Option<(f64, bool)>) -> Option<(u32, bool)> {
        let (wide, inexact) = r?;
        let narrow = wide as f32;
        if narrow == 0.0 {
            return (wide == 0.0).then_some((narrow.to_bits(), inexact));
        }
        let m = narrow.abs();
        if !(m.is_finite() && m > f32::MIN_POSITIVE) {
            return None;
        }
        Some((narrow.to_bits(), inexact || narrow as f64 != wide))
    }

    fn wide(a: u32) -> f64 {
        f32::from_bits(a) as f64
    }

    #[inline(always)]
    pub(crate) fn add(a: u32, b: u32, negate_b: bool) -> Option<(u32, bool)> {
        let b = if negate_b { -wide(b) } else { wide(b) };
        narrow(super::add(wide(a), b))
    }

    #[inline(always)]
    pub(crate) fn mul(a: u32, b: u32) -> Option<(u32, bool)> {
        narrow(super::mul(wide(a), wide(b)))
    }

    #[inline(always)]
    pub(crate) fn div(a: u32, b: u32) -> Option<(u32, bool)> {
        narrow(super::div(wide(a), wide(b)))
    }

    #[inline(always)]
    pub(crate) fn sqrt(a: u32) -> Option<(u32, bool)> {
        narrow(super::sqrt(wide(a)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_constants_are_powers_of_two() {
        assert_eq!(LOW, 2f64.powi(-960));
        assert_eq!(HIGH, 2f64.powi(1000));
    }

    #[test]
    fn inexact_detection() {
        assert_eq!(add(1.0, 2.0), Some((3.0, false)));
        assert_eq!(add(1.0, 1e-20), Some((1.0, true)));
        assert_eq!(mul(3.0, 1.0 / 3.0).map(|r| r.1), Some(true));
        assert_eq!(div(1.0, 4.0), Some((0.25, false)));
        assert_eq!(div(1.0, 3.0).map(|r| r.1), Some(true));
        assert_eq!(sqrt(4.0), Some((2.0, false)));
        assert_eq!(sqrt(2.0).map(|r| r.1), Some(true));
    }

    #[test]
    fn hard_cases_fall_back() {
        assert_eq!(add(f64::MAX, f64::MAX), None);
        assert_eq!(mul(1e-200, 1e-200), None);
        assert_eq!(div(1.0, 0.0), None);
        assert_eq!(sqrt(-1.0), None);
        assert_eq!(add(f64::NAN, 1.0), None);
        assert_eq!(f32::mul(f32_bits(1e-30), f32_bits(1e-30)), None);
        assert_eq!(f32::add(f32_bits(3.0e38), f32_bits(3.0e38), false), None);
    }

    fn f32_bits(v: core::primitive::f32) -> u32 {
        v.to_bits()
    }
}
