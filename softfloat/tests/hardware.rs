//! Bulk differential tests against the host x86-64 FPU (SSE2, FMA3 and
//! AVX-512F when present), which implements IEEE 754 binary32/binary64
//! exactly in the four directed/nearest-even modes, with tininess detected
//! after rounding and (with exceptions masked) UE raised only for tiny
//! inexact results -- the same rules RISC-V uses. The rounding mode is set
//! and the flags are read through MXCSR inside a single asm block per
//! operation, so the compiler cannot move FP code across the mode change.
//!
//! Where x86 differs from RISC-V the comparison is relaxed, and only there:
//! * NaN results: x86 propagates payloads / uses a negative default NaN; we
//!   check only that both results are NaN (canonical NaN is checked by the
//!   tables in `spec.rs` and the guest programs in `conformance/guests/fp`);
//! * float -> integer with invalid: x86 returns the "integer indefinite"
//!   value; we compare only the flags there (saturation values are checked
//!   by `spec.rs` and `conformance/guests/fp/convert.S`);
//! * FMA of `inf * 0 + NaN`: x86 may not raise invalid; flags skipped;
//! * RMM does not exist in x86: checked for consistency with RNE/RTZ/away
//!   results here (ties exactly in `spec.rs` and `conformance/guests/fp`).
#![cfg(target_arch = "x86_64")]

mod common;

use common::*;
use hartvm_softfloat::*;
use std::arch::asm;

/// MXCSR with all exceptions masked, no FTZ/DAZ, and the given rounding.
fn mxcsr(rm: RoundingMode) -> u32 {
    let rc = match rm {
        RoundingMode::NearestEven => 0,
        RoundingMode::Down => 1,
        RoundingMode::Up => 2,
        RoundingMode::TowardZero => 3,
        RoundingMode::NearestMaxMagnitude => panic!("x86 has no RMM"),
    };
    0x1f80 | (rc << 13)
}

/// MXCSR status bits -> fflags (the denormal-operand flag has no RISC-V
/// counterpart and is dropped).
fn hw_flags(st: u32) -> u8 {
    let mut f = 0;
    if st & 0x01 != 0 {
        f |= Flags::INVALID.0;
    }
    if st & 0x04 != 0 {
        f |= Flags::DIV_BY_ZERO.0;
    }
    if st & 0x08 != 0 {
        f |= Flags::OVERFLOW.0;
    }
    if st & 0x10 != 0 {
        f |= Flags::UNDERFLOW.0;
    }
    if st & 0x20 != 0 {
        f |= Flags::INEXACT.0;
    }
    f
}

/// Runs `$insn` between loading `csr` into MXCSR and reading it back; the
/// caller's MXCSR is saved and restored inside the same asm block.
macro_rules! hw_op {
    ($name:ident, ($($arg:ident : $t:ty => $class:ident),*) -> $out:ty => $oclass:ident, $insn:literal) => {
        fn $name($($arg: $t,)* csr: u32) -> ($out, u8) {
            let out: $out;
            let mut st: [u32; 2] = [csr, 0];
            // SAFETY: the block only touches `st` (a live local array of two
            // u32, passed as a valid, aligned pointer), MXCSR (saved into
            // st[1] first and restored from it last) and the named
            // registers; it does not use the stack.
            unsafe {
                asm!(
                    "stmxcsr [{p} + 4]",
                    "ldmxcsr [{p}]",
                    $insn,
                    "stmxcsr [{p}]",
                    "ldmxcsr [{p} + 4]",
                    p = in(reg) st.as_mut_ptr(),
                    $($arg = in($class) $arg,)*
                    o = out($oclass) out,
                    options(nostack, preserves_flags),
                );
            }
            (out, hw_flags(st[0]))
        }
    };
}

hw_op!(hw_add32, (a: f32 => xmm_reg, b: f32 => xmm_reg) -> f32 => xmm_reg, "movaps {o}, {a}\naddss {o}, {b}");
hw_op!(hw_sub32, (a: f32 => xmm_reg, b: f32 => xmm_reg) -> f32 => xmm_reg, "movaps {o}, {a}\nsubss {o}, {b}");
hw_op!(hw_mul32, (a: f32 => xmm_reg, b: f32 => xmm_reg) -> f32 => xmm_reg, "movaps {o}, {a}\nmulss {o}, {b}");
hw_op!(hw_div32, (a: f32 => xmm_reg, b: f32 => xmm_reg) -> f32 => xmm_reg, "movaps {o}, {a}\ndivss {o}, {b}");
hw_op!(hw_sqrt32, (a: f32 => xmm_reg) -> f32 => xmm_reg, "sqrtss {o}, {a}");
hw_op!(hw_fma32, (a: f32 => xmm_reg, b: f32 => xmm_reg, c: f32 => xmm_reg) -> f32 => xmm_reg,
    "movaps {o}, {a}\nvfmadd213ss {o}, {b}, {c}");
hw_op!(hw_add64, (a: f64 => xmm_reg, b: f64 => xmm_reg) -> f64 => xmm_reg, "movapd {o}, {a}\naddsd {o}, {b}");
hw_op!(hw_sub64, (a: f64 => xmm_reg, b: f64 => xmm_reg) -> f64 => xmm_reg, "movapd {o}, {a}\nsubsd {o}, {b}");
hw_op!(hw_mul64, (a: f64 => xmm_reg, b: f64 => xmm_reg) -> f64 => xmm_reg, "movapd {o}, {a}\nmulsd {o}, {b}");
hw_op!(hw_div64, (a: f64 => xmm_reg, b: f64 => xmm_reg) -> f64 => xmm_reg, "movapd {o}, {a}\ndivsd {o}, {b}");
hw_op!(hw_sqrt64, (a: f64 => xmm_reg) -> f64 => xmm_reg, "sqrtsd {o}, {a}");
hw_op!(hw_fma64, (a: f64 => xmm_reg, b: f64 => xmm_reg, c: f64 => xmm_reg) -> f64 => xmm_reg,
    "movapd {o}, {a}\nvfmadd213sd {o}, {b}, {c}");
hw_op!(hw_cvt_s_d, (a: f64 => xmm_reg) -> f32 => xmm_reg, "cvtsd2ss {o}, {a}");
hw_op!(hw_cvt_d_s, (a: f32 => xmm_reg) -> f64 => xmm_reg, "cvtss2sd {o}, {a}");
hw_op!(hw_f32_to_i32, (a: f32 => xmm_reg) -> i32 => reg, "cvtss2si {o:e}, {a}");
hw_op!(hw_f32_to_i64, (a: f32 => xmm_reg) -> i64 => reg, "cvtss2si {o}, {a}");
hw_op!(hw_f64_to_i32, (a: f64 => xmm_reg) -> i32 => reg, "cvtsd2si {o:e}, {a}");
hw_op!(hw_f64_to_i64, (a: f64 => xmm_reg) -> i64 => reg, "cvtsd2si {o}, {a}");
hw_op!(hw_i32_to_f32, (a: i32 => reg) -> f32 => xmm_reg, "cvtsi2ss {o}, {a:e}");
hw_op!(hw_i64_to_f32, (a: i64 => reg) -> f32 => xmm_reg, "cvtsi2ss {o}, {a}");
hw_op!(hw_i32_to_f64, (a: i32 => reg) -> f64 => xmm_reg, "cvtsi2sd {o}, {a:e}");
hw_op!(hw_i64_to_f64, (a: i64 => reg) -> f64 => xmm_reg, "cvtsi2sd {o}, {a}");
// AVX-512F unsigned conversions.
hw_op!(hw_f32_to_u32, (a: f32 => xmm_reg) -> u32 => reg, "vcvtss2usi {o:e}, {a}");
hw_op!(hw_f32_to_u64, (a: f32 => xmm_reg) -> u64 => reg, "vcvtss2usi {o}, {a}");
hw_op!(hw_f64_to_u32, (a: f64 => xmm_reg) -> u32 => reg, "vcvtsd2usi {o:e}, {a}");
hw_op!(hw_f64_to_u64, (a: f64 => xmm_reg) -> u64 => reg, "vcvtsd2usi {o}, {a}");
hw_op!(hw_u32_to_f32, (a: u32 => reg) -> f32 => xmm_reg, "vxorps {o}, {o}, {o}\nvcvtusi2ss {o}, {o}, {a:e}");
hw_op!(hw_u64_to_f32, (a: u64 => reg) -> f32 => xmm_reg, "vxorps {o}, {o}, {o}\nvcvtusi2ss {o}, {o}, {a}");
hw_op!(hw_u32_to_f64, (a: u32 => reg) -> f64 => xmm_reg, "vxorpd {o}, {o}, {o}\nvcvtusi2sd {o}, {o}, {a:e}");
hw_op!(hw_u64_to_f64, (a: u64 => reg) -> f64 => xmm_reg, "vxorpd {o}, {o}, {o}\nvcvtusi2sd {o}, {o}, {a}");

const HW_MODES: [RoundingMode; 4] =
    [RoundingMode::NearestEven, RoundingMode::TowardZero, RoundingMode::Down, RoundingMode::Up];

/// Result kind, for the NaN relaxation.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Float(Fmt),
    Int,
}

type OurFn = fn(&[u64], RoundingMode, &mut Flags) -> u64;
type HwFn = fn(&[u64], u32) -> (u64, u8);

struct Checker {
    name: &'static str,
    kind: Kind,
    ours: OurFn,
    hw: HwFn,
    /// Skip the flag comparison for these inputs (documented x86 deviations).
    skip_flags: fn(&[u64]) -> bool,
    failures: Vec<String>,
    n_fail: usize,
}

impl Checker {
    fn new(name: &'static str, kind: Kind, ours: OurFn, hw: HwFn) -> Checker {
        Checker { name, kind, ours, hw, skip_flags: |_| false, failures: Vec::new(), n_fail: 0 }
    }

    fn fail(&mut self, msg: String) {
        self.n_fail += 1;
        if self.failures.len() < 20 {
            self.failures.push(msg);
        }
    }

    fn case(&mut self, x: &[u64]) {
        let mut hw_results = [(0u64, 0u8); 4];
        for (i, rm) in HW_MODES.into_iter().enumerate() {
            let mut fl = Flags::default();
            let got = (self.ours)(x, rm, &mut fl);
            let (want, wfl) = (self.hw)(x, mxcsr(rm));
            hw_results[i] = (want, wfl);
            let value_ok = match self.kind {
                Kind::Float(f) => got == want || (is_nan(f, got) && is_nan(f, want)),
                // integer indefinite on invalid: flags only
                Kind::Int => got == want || wfl & Flags::INVALID.0 != 0,
            };
            let flags_ok = fl.0 == wfl || (self.skip_flags)(x);
            if !value_ok || !flags_ok {
                self.fail(format!(
                    "{}({}) {rm:?}: got {got:#x} flags {:#04x}, hw {want:#x} flags {wfl:#04x}",
                    self.name,
                    x.iter().map(|v| format!("{v:#x}")).collect::<Vec<_>>().join(", "),
                    fl.0
                ));
            }
        }
        // RMM: equal to the RNE result except at exact ties, where RNE
        // chose the truncated (even) neighbour and RMM must take the other.
        if let Kind::Float(f) = self.kind {
            let mut fl = Flags::default();
            let got = (self.ours)(x, RoundingMode::NearestMaxMagnitude, &mut fl);
            let (rne, rne_fl) = hw_results[0];
            let (rtz, _) = hw_results[1];
            let away = if rtz & f.sign() != 0 { hw_results[2].0 } else { hw_results[3].0 };
            let ok = if is_nan(f, rne) {
                is_nan(f, got) && fl.0 == rne_fl
            } else {
                (got == rne && fl.0 == rne_fl) || (got == away && rne == rtz && away != rtz)
            };
            if !ok && !(self.skip_flags)(x) {
                self.fail(format!(
                    "{}({}) RMM: got {got:#x} flags {:#04x}; hw RNE {rne:#x} RTZ {rtz:#x} away {away:#x}",
                    self.name,
                    x.iter().map(|v| format!("{v:#x}")).collect::<Vec<_>>().join(", "),
                    fl.0
                ));
            }
        }
    }

    fn finish(self) {
        if self.n_fail > 0 {
            panic!("{} mismatches, first ones:\n{}", self.n_fail, self.failures.join("\n"));
        }
    }
}

fn run_binary(mut c: Checker, f: Fmt, seed: u64, n: usize) {
    let edges = f.edges();
    for &a in &edges {
        for &b in &edges {
            c.case(&[a, b]);
        }
    }
    let mut rng = Rng::new(seed);
    for _ in 0..count(n) {
        let a = f.random(&mut rng);
        let b = f.second(&mut rng, a);
        c.case(&[a, b]);
    }
    c.finish();
}

fn run_unary(mut c: Checker, f: Fmt, seed: u64, n: usize) {
    for &a in &f.edges() {
        c.case(&[a]);
    }
    let mut rng = Rng::new(seed);
    for _ in 0..count(n) {
        c.case(&[f.random(&mut rng)]);
    }
    c.finish();
}

fn run_ternary(mut c: Checker, f: Fmt, seed: u64, n: usize) {
    let edges = f.small_edges();
    for &a in &edges {
        for &b in &edges {
            for &d in &edges {
                c.case(&[a, b, d]);
            }
        }
    }
    let mut rng = Rng::new(seed);
    for _ in 0..count(n) {
        let a = f.random(&mut rng);
        let b = f.second(&mut rng, a);
        let d = if rng.bool() {
            // near the product's magnitude, for cancellation
            let e = (f.exp_of(a) + f.exp_of(b)).saturating_sub(f.bias()).min(f.exp_max() - 1);
            f.near(&mut rng, e << f.frac_bits)
        } else {
            f.random(&mut rng)
        };
        c.case(&[a, b, d]);
    }
    c.finish();
}

fn run_from_int(mut c: Checker, seed: u64, n: usize) {
    let mut rng = Rng::new(seed);
    for _ in 0..count(n) {
        let shift = rng.below(64) as u32;
        let x = match rng.below(3) {
            0 => rng.next() >> shift,
            1 => (rng.next() >> shift).wrapping_neg(),
            _ => (rng.next() | 1) << shift,
        };
        c.case(&[x]);
    }
    c.finish();
}

const N: usize = 250_000;

macro_rules! hw_tests {
    ($modname:ident, $fmt:expr, $t:ty, $bits:ty,
     $add:ident/$hadd:ident, $sub:ident/$hsub:ident, $mul:ident/$hmul:ident, $div:ident/$hdiv:ident,
     $sqrt:ident/$hsqrt:ident, $fma:ident/$hfma:ident,
     $to_i32:ident/$hti32:ident, $to_i64:ident/$hti64:ident, $to_u32:ident/$htu32:ident, $to_u64:ident/$htu64:ident,
     $from_i32:ident/$hfi32:ident, $from_i64:ident/$hfi64:ident, $from_u32:ident/$hfu32:ident, $from_u64:ident/$hfu64:ident,
     $seed:expr) => {
        mod $modname {
            use super::*;
            const F: Fmt = $fmt;
            fn v(x: u64) -> $t {
                <$t>::from_bits(x as $bits)
            }

            macro_rules! bin {
                ($test:ident, $our:ident, $hw:ident) => {
                    #[test]
                    fn $test() {
                        let c = Checker::new(
                            stringify!($our),
                            Kind::Float(F),
                            |x, rm, fl| $our(x[0] as $bits, x[1] as $bits, rm, fl) as u64,
                            |x, csr| {
                                let (r, f) = $hw(v(x[0]), v(x[1]), csr);
                                (r.to_bits() as u64, f)
                            },
                        );
                        run_binary(c, F, $seed ^ line!() as u64, N);
                    }
                };
            }
            bin!(add, $add, $hadd);
            bin!(sub, $sub, $hsub);
            bin!(mul, $mul, $hmul);
            bin!(div, $div, $hdiv);

            #[test]
            fn sqrt() {
                let c = Checker::new(
                    "sqrt",
                    Kind::Float(F),
                    |x, rm, fl| $sqrt(x[0] as $bits, rm, fl) as u64,
                    |x, csr| {
                        let (r, f) = $hsqrt(v(x[0]), csr);
                        (r.to_bits() as u64, f)
                    },
                );
                run_unary(c, F, $seed ^ 3, N);
            }

            #[test]
            fn mul_add() {
                if !std::is_x86_feature_detected!("fma") {
                    eprintln!("host has no FMA3: skipped");
                    return;
                }
                let mut c = Checker::new(
                    "mul_add",
                    Kind::Float(F),
                    |x, rm, fl| $fma(x[0] as $bits, x[1] as $bits, x[2] as $bits, rm, fl) as u64,
                    |x, csr| {
                        let (r, f) = $hfma(v(x[0]), v(x[1]), v(x[2]), csr);
                        (r.to_bits() as u64, f)
                    },
                );
                // x86 does not raise invalid for inf * 0 + qNaN (RISC-V does).
                c.skip_flags = |x| x.iter().any(|&y| is_nan(F, y));
                run_ternary(c, F, $seed ^ 5, N);
            }

            macro_rules! to_int {
                ($test:ident, $our:ident, $hw:ident, $avx512:expr) => {
                    #[test]
                    fn $test() {
                        if $avx512 && !std::is_x86_feature_detected!("avx512f") {
                            eprintln!("host has no AVX-512F: skipped");
                            return;
                        }
                        let c = Checker::new(
                            stringify!($our),
                            Kind::Int,
                            |x, rm, fl| $our(x[0] as $bits, rm, fl) as u64,
                            |x, csr| {
                                let (r, f) = $hw(v(x[0]), csr);
                                (r as u64, f)
                            },
                        );
                        run_unary(c, F, $seed ^ line!() as u64, N / 2);
                    }
                };
            }
            to_int!(to_i32, $to_i32, $hti32, false);
            to_int!(to_i64, $to_i64, $hti64, false);
            to_int!(to_u32, $to_u32, $htu32, true);
            to_int!(to_u64, $to_u64, $htu64, true);

            macro_rules! from_int {
                ($test:ident, $our:ident, $hw:ident, $int:ty, $avx512:expr) => {
                    #[test]
                    fn $test() {
                        if $avx512 && !std::is_x86_feature_detected!("avx512f") {
                            eprintln!("host has no AVX-512F: skipped");
                            return;
                        }
                        let c = Checker::new(
                            stringify!($our),
                            Kind::Float(F),
                            |x, rm, fl| $our(x[0] as $int, rm, fl) as u64,
                            |x, csr| {
                                let (r, f) = $hw(x[0] as $int, csr);
                                (r.to_bits() as u64, f)
                            },
                        );
                        run_from_int(c, $seed ^ line!() as u64, N / 2);
                    }
                };
            }
            from_int!(from_i32, $from_i32, $hfi32, i32, false);
            from_int!(from_i64, $from_i64, $hfi64, i64, false);
            from_int!(from_u32, $from_u32, $hfu32, u32, true);
            from_int!(from_u64, $from_u64, $hfu64, u64, true);
        }
    };
}

hw_tests!(
    f32,
    F32,
    f32,
    u32,
    f32_add / hw_add32,
    f32_sub / hw_sub32,
    f32_mul / hw_mul32,
    f32_div / hw_div32,
    f32_sqrt / hw_sqrt32,
    f32_mul_add / hw_fma32,
    f32_to_i32 / hw_f32_to_i32,
    f32_to_i64 / hw_f32_to_i64,
    f32_to_u32 / hw_f32_to_u32,
    f32_to_u64 / hw_f32_to_u64,
    i32_to_f32 / hw_i32_to_f32,
    i64_to_f32 / hw_i64_to_f32,
    u32_to_f32 / hw_u32_to_f32,
    u64_to_f32 / hw_u64_to_f32,
    0x1232
);

hw_tests!(
    f64,
    F64,
    f64,
    u64,
    f64_add / hw_add64,
    f64_sub / hw_sub64,
    f64_mul / hw_mul64,
    f64_div / hw_div64,
    f64_sqrt / hw_sqrt64,
    f64_mul_add / hw_fma64,
    f64_to_i32 / hw_f64_to_i32,
    f64_to_i64 / hw_f64_to_i64,
    f64_to_u32 / hw_f64_to_u32,
    f64_to_u64 / hw_f64_to_u64,
    i32_to_f64 / hw_i32_to_f64,
    i64_to_f64 / hw_i64_to_f64,
    u32_to_f64 / hw_u32_to_f64,
    u64_to_f64 / hw_u64_to_f64,
    0x1264
);

#[test]
fn f64_to_f32() {
    let c = Checker::new(
        "f64_to_f32",
        Kind::Float(F32),
        |x, rm, fl| hartvm_softfloat::f64_to_f32(x[0], rm, fl) as u64,
        |x, csr| {
            let (r, f) = hw_cvt_s_d(f64::from_bits(x[0]), csr);
            (r.to_bits() as u64, f)
        },
    );
    run_unary(c, F64, 0x6432, N);
}

#[test]
fn f32_to_f64() {
    let c = Checker::new(
        "f32_to_f64",
        Kind::Float(F64),
        |x, _, fl| hartvm_softfloat::f32_to_f64(x[0] as u32, fl),
        |x, csr| {
            let (r, f) = hw_cvt_d_s(f32::from_bits(x[0] as u32), csr);
            (r.to_bits(), f)
        },
    );
    run_unary(c, F32, 0x3264, N / 4);
}
