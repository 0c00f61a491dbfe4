//! Shared helpers for the differential tests: a PRNG, biased random
//! operand generators and edge-value sets, for both binary formats.
#![allow(dead_code)]

use hartvm_softfloat::RoundingMode;
use std::sync::OnceLock;

/// Scale factor for the randomized test counts (`SOFTFLOAT_TEST_SCALE`,
/// default 1); e.g. `SOFTFLOAT_TEST_SCALE=20` for a long soak run.
pub fn scale() -> usize {
    std::env::var("SOFTFLOAT_TEST_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1)
}

/// Fewer iterations when the test binary is not optimized.
pub fn count(release: usize) -> usize {
    let n = if cfg!(debug_assertions) { release / 4 } else { release };
    n.max(1) * scale()
}

pub const MODES: [RoundingMode; 5] = RoundingMode::ALL;

/// SplitMix64.
#[derive(Clone)]
pub struct Rng(pub u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5851_f42d_4c95_7f2d)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn bool(&mut self) -> bool {
        self.next() & 1 != 0
    }
}

/// Description of a binary format for the generators.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Fmt {
    pub exp_bits: u32,
    pub frac_bits: u32,
}

pub const F32: Fmt = Fmt { exp_bits: 8, frac_bits: 23 };
pub const F64: Fmt = Fmt { exp_bits: 11, frac_bits: 52 };

impl Fmt {
    pub fn bias(self) -> u64 {
        (1 << (self.exp_bits - 1)) - 1
    }
    pub fn exp_max(self) -> u64 {
        (1 << self.exp_bits) - 1
    }
    pub fn sign(self) -> u64 {
        1 << (self.exp_bits + self.frac_bits)
    }
    pub fn frac_mask(self) -> u64 {
        (1 << self.frac_bits) - 1
    }
    pub fn pack(self, neg: bool, exp: u64, frac: u64) -> u64 {
        (if neg { self.sign() } else { 0 }) | (exp << self.frac_bits) | (frac & self.frac_mask())
    }
    pub fn exp_of(self, x: u64) -> u64 {
        (x >> self.frac_bits) & self.exp_max()
    }
    /// Bits of a host f64 value converted (exactly) to this format.
    pub fn bits_of_f64(self, v: f64) -> u64 {
        if self.frac_bits == 52 {
            v.to_bits()
        } else {
            let f = v as f32;
            assert_eq!(f as f64, v, "edge value not exact in f32");
            f.to_bits() as u64
        }
    }

    fn random_frac(self, rng: &mut Rng) -> u64 {
        let m = self.frac_mask();
        match rng.below(10) {
            0 => 0,
            1 => m,
            2 => rng.next() & rng.next() & m,
            3 => (rng.next() | rng.next()) & m,
            // only a few low bits
            4 => rng.next() & ((1 << rng.below(8)) - 1),
            // only high bits
            5 => (rng.next() >> (64 - self.frac_bits)) & !((1u64 << rng.below(self.frac_bits as u64)) - 1) & m,
            // runs of ones near the rounding position
            6 => m ^ ((1u64 << rng.below(self.frac_bits as u64)) - 1),
            _ => rng.next() & m,
        }
    }

    fn random_exp(self, rng: &mut Rng) -> u64 {
        let bias = self.bias();
        let max = self.exp_max();
        match rng.below(16) {
            0 | 1 => 0,                         // zero / subnormal
            2 => 1 + rng.below(4),              // smallest normals
            3 => max - 1 - rng.below(4),        // largest finite
            4 => max,                           // inf / NaN
            5..=9 => bias - 32 + rng.below(64), // around 1.0
            // around the integer-conversion limits (2^31, 2^32, 2^63, 2^64)
            10 => bias + [30, 31, 32, 62, 63, 64][rng.below(6) as usize],
            // half-range, where products/quotients over- or underflow
            11 => bias / 2 + rng.below(8) - 4,
            12 => bias + bias / 2 + rng.below(8) - 4,
            _ => rng.below(max + 1),
        }
    }

    /// A random value biased towards interesting exponents and fractions.
    pub fn random(self, rng: &mut Rng) -> u64 {
        match rng.below(32) {
            0 => {
                let e = self.cached_edges();
                return e[rng.below(e.len() as u64) as usize];
            }
            1 | 2 => return rng.next() & (self.sign() << 1).wrapping_sub(1),
            _ => {}
        }
        self.pack(rng.bool(), self.random_exp(rng), self.random_frac(rng))
    }

    /// A random value whose exponent is close to that of `other` (to
    /// exercise cancellation, ties and near-equal comparisons).
    pub fn near(self, rng: &mut Rng, other: u64) -> u64 {
        let e = self.exp_of(other) as i64 + rng.below(7) as i64 - 3;
        let e = e.clamp(0, self.exp_max() as i64 - 1) as u64;
        let frac = match rng.below(4) {
            0 => other ^ (rng.next() & 0xff),
            1 => other.wrapping_add(rng.below(5)).wrapping_sub(2),
            _ => self.random_frac(rng),
        };
        self.pack(rng.bool(), e, frac)
    }

    /// An operand for a binary operation with `first`.
    pub fn second(self, rng: &mut Rng, first: u64) -> u64 {
        if rng.below(3) == 0 {
            self.near(rng, first)
        } else {
            self.random(rng)
        }
    }

    /// The hand-picked edge set.
    pub fn edges(self) -> Vec<u64> {
        let mut v = Vec::new();
        let m = self.frac_mask();
        let max = self.exp_max();
        for neg in [false, true] {
            v.push(self.pack(neg, 0, 0)); // zero
            v.push(self.pack(neg, 0, 1)); // min subnormal
            v.push(self.pack(neg, 0, m)); // max subnormal
            v.push(self.pack(neg, 1, 0)); // min normal
            v.push(self.pack(neg, 1, 1)); // min normal + ulp
            v.push(self.pack(neg, self.bias(), 0)); // 1
            v.push(self.pack(neg, self.bias(), 1)); // 1 + ulp
            v.push(self.pack(neg, self.bias() - 1, m)); // 1 - ulp/2
            v.push(self.pack(neg, max - 1, m)); // max finite
            v.push(self.pack(neg, max, 0)); // inf
            for x in [0.5, 1.5, 2.5, 3.0, 0.3, 2f64.powi(31), 2f64.powi(32), 2f64.powi(63), 2f64.powi(64)] {
                let x = if self.frac_bits == 23 { x as f32 as f64 } else { x };
                v.push(self.bits_of_f64(if neg { -x } else { x }));
            }
            // largest values below the integer limits
            for e in [31, 32, 63, 64] {
                let b = self.bits_of_f64(2f64.powi(e));
                v.push(if neg { b | self.sign() } else { b } - 1);
            }
            if self.frac_bits == 52 {
                for x in [2f64.powi(31) - 0.5, 2f64.powi(31) + 0.5, 2f64.powi(32) - 0.5, 2f64.powi(31) - 1.0] {
                    v.push(self.bits_of_f64(if neg { -x } else { x }));
                }
            }
        }
        v.push(self.pack(false, max, 1 << (self.frac_bits - 1))); // canonical qNaN
        v.push(self.pack(true, max, (1 << (self.frac_bits - 1)) | 5)); // qNaN, payload, negative
        v.push(self.pack(false, max, 1)); // sNaN
        v.push(self.pack(true, max, m >> 1)); // sNaN, negative
        v
    }

    /// An even smaller subset for the FMA triple tables.
    pub fn triple_edges(self) -> Vec<u64> {
        let m = self.frac_mask();
        let max = self.exp_max();
        let mut v = Vec::new();
        for neg in [false, true] {
            v.push(self.pack(neg, 0, 0));
            v.push(self.pack(neg, 0, 1));
            v.push(self.pack(neg, self.bias(), 0));
            v.push(self.pack(neg, max - 1, m));
            v.push(self.pack(neg, max, 0));
        }
        v.push(self.pack(false, max, 1 << (self.frac_bits - 1)));
        v.push(self.pack(false, max, 1));
        v
    }

    /// A small subset of the edge set.
    pub fn small_edges(self) -> Vec<u64> {
        let m = self.frac_mask();
        let max = self.exp_max();
        let mut v = Vec::new();
        for neg in [false, true] {
            v.push(self.pack(neg, 0, 0));
            v.push(self.pack(neg, 0, 1));
            v.push(self.pack(neg, 1, 0));
            v.push(self.pack(neg, self.bias(), 0));
            v.push(self.pack(neg, self.bias(), 1));
            v.push(self.pack(neg, max - 1, m));
            v.push(self.pack(neg, max, 0));
        }
        v.push(self.pack(false, max, 1 << (self.frac_bits - 1)));
        v.push(self.pack(false, max, 1));
        v
    }
}

static EDGES32: OnceLock<Vec<u64>> = OnceLock::new();
static EDGES64: OnceLock<Vec<u64>> = OnceLock::new();

impl Fmt {
    pub fn cached_edges(self) -> &'static [u64] {
        if self.frac_bits == 23 {
            EDGES32.get_or_init(|| self.edges())
        } else {
            EDGES64.get_or_init(|| self.edges())
        }
    }
}

pub fn is_nan(f: Fmt, x: u64) -> bool {
    f.exp_of(x) == f.exp_max() && x & f.frac_mask() != 0
}
