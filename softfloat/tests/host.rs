//! Portable cross-check of round-to-nearest-even results (values only, not
//! flags) against the host's Rust `f32`/`f64` arithmetic, for random inputs.

mod common;

use common::*;
use hartvm_softfloat::*;

const RNE: RoundingMode = RoundingMode::NearestEven;

fn same32(got: u32, want: f32) -> bool {
    if want.is_nan() {
        got == F32_CANONICAL_NAN
    } else {
        got == want.to_bits()
    }
}

fn same64(got: u64, want: f64) -> bool {
    if want.is_nan() {
        got == F64_CANONICAL_NAN
    } else {
        got == want.to_bits()
    }
}

#[test]
fn f32_rne_matches_host() {
    let mut rng = Rng::new(0xf32);
    let mut fl = Flags::default();
    for _ in 0..count(300_000) {
        let a = F32.random(&mut rng) as u32;
        let b = F32.second(&mut rng, a as u64) as u32;
        let c = F32.random(&mut rng) as u32;
        let (x, y, z) = (f32::from_bits(a), f32::from_bits(b), f32::from_bits(c));
        let ctx = || format!("{a:#x} {b:#x} {c:#x}");
        assert!(same32(f32_add(a, b, RNE, &mut fl), x + y), "add {}", ctx());
        assert!(same32(f32_sub(a, b, RNE, &mut fl), x - y), "sub {}", ctx());
        assert!(same32(f32_mul(a, b, RNE, &mut fl), x * y), "mul {}", ctx());
        assert!(same32(f32_div(a, b, RNE, &mut fl), x / y), "div {}", ctx());
        assert!(same32(f32_sqrt(a, RNE, &mut fl), x.sqrt()), "sqrt {}", ctx());
        assert!(same32(f32_mul_add(a, b, c, RNE, &mut fl), x.mul_add(y, z)), "fma {}", ctx());
        assert!(same64(f32_to_f64(a, &mut fl), x as f64), "f32_to_f64 {}", ctx());
        assert_eq!(f32_eq(a, b, &mut fl), x == y, "eq {}", ctx());
        assert_eq!(f32_lt(a, b, &mut fl), x < y, "lt {}", ctx());
        assert_eq!(f32_le(a, b, &mut fl), x <= y, "le {}", ctx());
        if !x.is_nan() && x.abs() < 2e9 {
            assert_eq!(f32_to_i32(a, RoundingMode::TowardZero, &mut fl), x as i32, "to_i32 {}", ctx());
        }
        let i = rng.next() as i64 >> rng.below(64);
        assert!(same32(i64_to_f32(i, RNE, &mut fl), i as f32), "i64_to_f32 {i}");
        assert!(same32(u64_to_f32(i as u64, RNE, &mut fl), i as u64 as f32), "u64_to_f32 {i}");
    }
}

#[test]
fn f64_rne_matches_host() {
    let mut rng = Rng::new(0xf64);
    let mut fl = Flags::default();
    for _ in 0..count(300_000) {
        let a = F64.random(&mut rng);
        let b = F64.second(&mut rng, a);
        let c = F64.random(&mut rng);
        let (x, y, z) = (f64::from_bits(a), f64::from_bits(b), f64::from_bits(c));
        let ctx = || format!("{a:#x} {b:#x} {c:#x}");
        assert!(same64(f64_add(a, b, RNE, &mut fl), x + y), "add {}", ctx());
        assert!(same64(f64_sub(a, b, RNE, &mut fl), x - y), "sub {}", ctx());
        assert!(same64(f64_mul(a, b, RNE, &mut fl), x * y), "mul {}", ctx());
        assert!(same64(f64_div(a, b, RNE, &mut fl), x / y), "div {}", ctx());
        assert!(same64(f64_sqrt(a, RNE, &mut fl), x.sqrt()), "sqrt {}", ctx());
        assert!(same64(f64_mul_add(a, b, c, RNE, &mut fl), x.mul_add(y, z)), "fma {}", ctx());
        assert!(same32(f64_to_f32(a, RNE, &mut fl), x as f32), "f64_to_f32 {}", ctx());
        assert_eq!(f64_eq(a, b, &mut fl), x == y, "eq {}", ctx());
        assert_eq!(f64_lt(a, b, &mut fl), x < y, "lt {}", ctx());
        assert_eq!(f64_le(a, b, &mut fl), x <= y, "le {}", ctx());
        if !x.is_nan() && x.abs() < 9e18 {
            assert_eq!(f64_to_i64(a, RoundingMode::TowardZero, &mut fl), x as i64, "to_i64 {}", ctx());
        }
        let i = rng.next() as i64 >> rng.below(64);
        assert!(same64(i64_to_f64(i, RNE, &mut fl), i as f64), "i64_to_f64 {i}");
        assert!(same64(u64_to_f64(i as u64, RNE, &mut fl), i as u64 as f64), "u64_to_f64 {i}");
    }
}
