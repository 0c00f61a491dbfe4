//! Table-driven checks of the RISC-V ISA manual's explicit F/D rules.

use hartvm_softfloat::*;

const RNE: RoundingMode = RoundingMode::NearestEven;
const NV: u8 = 0x10;
const DZ: u8 = 0x08;
const OF: u8 = 0x04;
const UF: u8 = 0x02;
const NX: u8 = 0x01;

fn f(x: f32) -> u32 {
    x.to_bits()
}
fn d(x: f64) -> u64 {
    x.to_bits()
}
const S_QNAN: u32 = 0x7fc0_0000;
const S_SNAN: u32 = 0x7f80_0001;
const D_SNAN: u64 = 0x7ff0_0000_0000_0001;

#[test]
fn rounding_mode_decoding() {
    for rm in 0..=4u8 {
        assert_eq!(RoundingMode::from_bits(rm).unwrap() as u8, rm);
    }
    for rm in 5..=255u8 {
        assert_eq!(RoundingMode::from_bits(rm), None);
    }
    assert_eq!((Flags::INVALID | Flags::INEXACT).0, 0x11);
}

/// The fcvt.w[u].s table of the manual (Table "Domains of float-to-integer
/// conversions") plus the examples in the hartvm brief.
#[test]
fn fcvt_to_int_table() {
    type Case = (u32, RoundingMode, i64, u8);
    let w: &[Case] = &[
        (S_QNAN, RNE, 0x7fff_ffff, NV),
        (S_SNAN, RNE, 0x7fff_ffff, NV),
        (0xffc0_0000, RNE, 0x7fff_ffff, NV), // negative NaN -> max too
        (f(f32::INFINITY), RNE, 0x7fff_ffff, NV),
        (f(f32::NEG_INFINITY), RNE, -0x8000_0000, NV),
        (f(2147483648.0), RNE, 0x7fff_ffff, NV),
        (f(-2147483648.0), RNE, -0x8000_0000, 0),
        (f(-2147483904.0), RNE, -0x8000_0000, NV),
        (f(-0.5), RoundingMode::Down, -1, NX),
        (f(2.5), RNE, 2, NX),
        (f(2.5), RoundingMode::NearestMaxMagnitude, 3, NX),
        (f(-2.5), RoundingMode::NearestMaxMagnitude, -3, NX),
        (f(-0.0), RNE, 0, 0),
    ];
    for &(x, rm, want, wfl) in w {
        let mut fl = Flags::default();
        assert_eq!(f32_to_i32(x, rm, &mut fl) as i64, want, "fcvt.w.s {x:#x} {rm:?}");
        assert_eq!(fl.0, wfl, "fcvt.w.s flags {x:#x} {rm:?}");
    }
    let wu: &[Case] = &[
        (S_QNAN, RNE, 0xffff_ffff, NV),
        (f(f32::INFINITY), RNE, 0xffff_ffff, NV),
        (f(f32::NEG_INFINITY), RNE, 0, NV),
        (f(-1.0), RNE, 0, NV),
        (f(-0.3), RNE, 0, NX),
        (f(-0.3), RoundingMode::TowardZero, 0, NX),
        (f(-0.3), RoundingMode::Down, 0, NV),
        (f(-0.5), RNE, 0, NX),
        (f(-0.5), RoundingMode::NearestMaxMagnitude, 0, NV),
        (f(4294967296.0), RNE, 0xffff_ffff, NV),
        (f(4294967040.0), RNE, 0xffff_ff00, 0),
    ];
    for &(x, rm, want, wfl) in wu {
        let mut fl = Flags::default();
        assert_eq!(f32_to_u32(x, rm, &mut fl) as i64, want, "fcvt.wu.s {x:#x} {rm:?}");
        assert_eq!(fl.0, wfl, "fcvt.wu.s flags {x:#x} {rm:?}");
    }
    let mut fl = Flags::default();
    assert_eq!(f64_to_i32(d(2147483647.5), RNE, &mut fl), i32::MAX);
    assert_eq!(fl.0, NV, "2^31-0.5 rounds to 2^31: out of range, NV only");
    let mut fl = Flags::default();
    assert_eq!(f64_to_i32(d(2147483647.5), RoundingMode::TowardZero, &mut fl), i32::MAX);
    assert_eq!(fl.0, NX);
    let mut fl = Flags::default();
    assert_eq!(f64_to_i64(d(9223372036854775808.0), RNE, &mut fl), i64::MAX);
    assert_eq!(fl.0, NV);
    let mut fl = Flags::default();
    assert_eq!(f64_to_i64(d(-9223372036854775808.0), RNE, &mut fl), i64::MIN);
    assert_eq!(fl.0, 0);
    let mut fl = Flags::default();
    assert_eq!(f64_to_u64(d(18446744073709551616.0), RNE, &mut fl), u64::MAX);
    assert_eq!(fl.0, NV);
    let mut fl = Flags::default();
    assert_eq!(f64_to_u64(D_SNAN, RNE, &mut fl), u64::MAX);
    assert_eq!(fl.0, NV);
}

#[test]
fn nan_and_special_rules() {
    let mut fl = Flags::default();
    // any NaN result is canonical; qNaN input raises nothing
    assert_eq!(f32_add(0xffc1_2345, f(1.0), RNE, &mut fl), F32_CANONICAL_NAN);
    assert_eq!(fl.0, 0);
    assert_eq!(f32_add(S_SNAN, f(1.0), RNE, &mut fl), F32_CANONICAL_NAN);
    assert_eq!(fl.0, NV);
    // fma(inf, 0, qNaN) raises NV
    let mut fl = Flags::default();
    assert_eq!(f32_mul_add(f(f32::INFINITY), 0, S_QNAN, RNE, &mut fl), F32_CANONICAL_NAN);
    assert_eq!(fl.0, NV);
    let mut fl = Flags::default();
    assert_eq!(f64_mul_add(0, d(f64::INFINITY), F64_CANONICAL_NAN, RNE, &mut fl), F64_CANONICAL_NAN);
    assert_eq!(fl.0, NV);
    // x + (-x) = +0, except -0 when rounding down
    let mut fl = Flags::default();
    assert_eq!(f64_add(d(1.5), d(-1.5), RNE, &mut fl), 0);
    assert_eq!(f64_add(d(1.5), d(-1.5), RoundingMode::Down, &mut fl), d(-0.0));
    assert_eq!(f64_sub(d(-0.0), d(-0.0), RNE, &mut fl), 0);
    assert_eq!(f64_sub(d(-0.0), d(-0.0), RoundingMode::Down, &mut fl), d(-0.0));
    assert_eq!(f64_mul_add(d(2.0), d(3.0), d(-6.0), RoundingMode::Down, &mut fl), d(-0.0));
    assert_eq!(fl.0, 0);
    // sqrt
    assert_eq!(f64_sqrt(d(-0.0), RNE, &mut fl), d(-0.0));
    assert_eq!(fl.0, 0);
    assert_eq!(f64_sqrt(d(-1e-300), RNE, &mut fl), F64_CANONICAL_NAN);
    assert_eq!(fl.0, NV);
    // division by zero
    let mut fl = Flags::default();
    assert_eq!(f32_div(f(-3.0), 0, RNE, &mut fl), f(f32::NEG_INFINITY));
    assert_eq!(fl.0, DZ);
    let mut fl = Flags::default();
    assert_eq!(f32_div(0, 0, RNE, &mut fl), F32_CANONICAL_NAN);
    assert_eq!(fl.0, NV);
    // conversions
    let mut fl = Flags::default();
    assert_eq!(f32_to_f64(S_SNAN, &mut fl), F64_CANONICAL_NAN);
    assert_eq!(fl.0, NV);
    let mut fl = Flags::default();
    assert_eq!(f64_to_f32(0xfff8_0000_dead_beef, RNE, &mut fl), F32_CANONICAL_NAN);
    assert_eq!(fl.0, 0);
}

#[test]
fn overflow_and_underflow() {
    let max = f(f32::MAX);
    let cases: &[(RoundingMode, bool, u32)] = &[
        (RNE, false, 0x7f80_0000),
        (RoundingMode::NearestMaxMagnitude, false, 0x7f80_0000),
        (RoundingMode::TowardZero, false, max),
        (RoundingMode::Down, false, max),
        (RoundingMode::Up, false, 0x7f80_0000),
        (RoundingMode::Down, true, 0xff80_0000),
        (RoundingMode::Up, true, max | 0x8000_0000),
        (RoundingMode::TowardZero, true, max | 0x8000_0000),
    ];
    for &(rm, neg, want) in cases {
        let mut fl = Flags::default();
        let a = if neg { max | 0x8000_0000 } else { max };
        assert_eq!(f32_mul(a, f(2.0), rm, &mut fl), want, "{rm:?} {neg}");
        assert_eq!(fl.0, OF | NX);
    }
    // exact subnormal result: no UF
    let mut fl = Flags::default();
    assert_eq!(f32_mul(f(f32::MIN_POSITIVE), f(0.5), RNE, &mut fl), 0x0040_0000);
    assert_eq!(fl.0, 0);
    // inexact tiny result: UF | NX
    let mut fl = Flags::default();
    assert_eq!(f32_mul(0x0000_0003, f(0.5), RNE, &mut fl), 0x0000_0002);
    assert_eq!(fl.0, UF | NX);
    // tininess after rounding: (2^-126)(1 - 2^-25) rounds to 2^-126 with an
    // unbounded exponent, so it is not tiny: NX only.
    let mut fl = Flags::default();
    let x = f(1.0 - 2f32.powi(-24)); // 1 - 2^-24
    let y = f(f32::MIN_POSITIVE * (1.0 + 2f32.powi(-23))); // 2^-126 (1 + 2^-23)
    let r = f32_mul(x, y, RNE, &mut fl);
    assert_eq!(r, 0x0080_0000);
    assert_eq!(fl.0, NX);
    // ...while (2^-126)(1 - 2^-24) rounds to 2^-126 only in the subnormal
    // grid: tiny and inexact.
    let mut fl = Flags::default();
    let r = f32_mul(x, f(f32::MIN_POSITIVE), RNE, &mut fl);
    assert_eq!(r, 0x0080_0000);
    assert_eq!(fl.0, UF | NX);
}

#[test]
fn min_max_and_compare() {
    let mut fl = Flags::default();
    assert_eq!(f32_min(f(-0.0), f(0.0), &mut fl), f(-0.0));
    assert_eq!(f32_min(f(0.0), f(-0.0), &mut fl), f(-0.0));
    assert_eq!(f32_max(f(-0.0), f(0.0), &mut fl), f(0.0));
    assert_eq!(f32_max(S_QNAN, f(2.0), &mut fl), f(2.0));
    assert_eq!(f32_min(f(2.0), S_QNAN, &mut fl), f(2.0));
    assert_eq!(f32_min(S_QNAN, 0xffc0_0001, &mut fl), F32_CANONICAL_NAN);
    assert_eq!(fl.0, 0);
    assert_eq!(f32_max(S_SNAN, f(2.0), &mut fl), f(2.0));
    assert_eq!(fl.0, NV);
    let mut fl = Flags::default();
    assert!(f32_eq(f(0.0), f(-0.0), &mut fl));
    assert!(!f32_eq(S_QNAN, S_QNAN, &mut fl));
    assert_eq!(fl.0, 0);
    assert!(!f32_eq(S_SNAN, f(1.0), &mut fl));
    assert_eq!(fl.0, NV);
    let mut fl = Flags::default();
    assert!(!f32_lt(S_QNAN, f(1.0), &mut fl));
    assert_eq!(fl.0, NV);
    let mut fl = Flags::default();
    assert!(f64_le(d(-0.0), d(0.0), &mut fl));
    assert!(!f64_lt(d(-0.0), d(0.0), &mut fl));
    assert_eq!(fl.0, 0);
}

#[test]
fn classify_bits() {
    let cases: &[(u32, u64)] = &[
        (f(f32::NEG_INFINITY), 1 << 0),
        (f(-1.0), 1 << 1),
        (0x8000_0001, 1 << 2),
        (f(-0.0), 1 << 3),
        (0, 1 << 4),
        (1, 1 << 5),
        (f(1.0), 1 << 6),
        (f(f32::INFINITY), 1 << 7),
        (S_SNAN, 1 << 8),
        (S_QNAN, 1 << 9),
    ];
    for &(x, want) in cases {
        assert_eq!(f32_classify(x), want, "{x:#x}");
    }
    let cases: &[(u64, u64)] = &[
        (d(f64::NEG_INFINITY), 1 << 0),
        (d(-1.0), 1 << 1),
        (0x8000_0000_0000_0001, 1 << 2),
        (d(-0.0), 1 << 3),
        (0, 1 << 4),
        (0x000f_ffff_ffff_ffff, 1 << 5),
        (d(f64::MIN_POSITIVE), 1 << 6),
        (d(f64::INFINITY), 1 << 7),
        (D_SNAN, 1 << 8),
        (F64_CANONICAL_NAN | 0x8000_0000_0000_0000, 1 << 9),
    ];
    for &(x, want) in cases {
        assert_eq!(f64_classify(x), want, "{x:#x}");
    }
}
