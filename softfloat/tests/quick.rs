use hartvm_softfloat::*;
const RNE: RoundingMode = RoundingMode::NearestEven;
#[test]
fn quick_host_rne() {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for i in 0..2_000_000u32 {
        let (a, b) = (next(), next());
        let (fa, fb) = (f64::from_bits(a), f64::from_bits(b));
        let mut fl = Flags::default();
        let checks = [
            (f64_add(a, b, RNE, &mut fl), fa + fb, "add"),
            (f64_sub(a, b, RNE, &mut fl), fa - fb, "sub"),
            (f64_mul(a, b, RNE, &mut fl), fa * fb, "mul"),
            (f64_div(a, b, RNE, &mut fl), fa / fb, "div"),
            (f64_sqrt(a, RNE, &mut fl), fa.sqrt(), "sqrt"),
        ];
        for (got, want, op) in checks {
            if want.is_nan() {
                assert_eq!(got, F64_CANONICAL_NAN, "{op} {a:#x} {b:#x}");
            } else {
                assert_eq!(got, want.to_bits(), "{op} {a:#x} {b:#x} i={i}");
            }
        }
        let (a32, b32) = (a as u32, (b >> 32) as u32);
        let (fa, fb) = (f32::from_bits(a32), f32::from_bits(b32));
        let checks = [
            (f32_add(a32, b32, RNE, &mut fl), fa + fb, "add"),
            (f32_sub(a32, b32, RNE, &mut fl), fa - fb, "sub"),
            (f32_mul(a32, b32, RNE, &mut fl), fa * fb, "mul"),
            (f32_div(a32, b32, RNE, &mut fl), fa / fb, "div"),
            (f32_sqrt(a32, RNE, &mut fl), fa.sqrt(), "sqrt"),
            (f32_mul_add(a32, b32, a32, RNE, &mut fl), fa.mul_add(fb, fa), "fma"),
        ];
        for (got, want, op) in checks {
            if want.is_nan() {
                assert_eq!(got, F32_CANONICAL_NAN, "{op}");
            } else {
                assert_eq!(got, want.to_bits(), "{op} {a32:#x} {b32:#x} i={i}");
            }
        }
    }
}
