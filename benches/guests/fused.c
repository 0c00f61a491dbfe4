/* Double-precision kernels built on fused multiply-adds, as compilers emit
 * them when they contract a * b + c (GCC does by default, outside strict
 * ISO C): polynomial evaluation by Horner's rule, dot products, Newton
 * iterations for reciprocals and complex products. The fusions are written
 * out with __builtin_fma, so the host build (libm's fma, or the host's FMA
 * instruction) and the guest build (fmadd.d, fmsub.d, fnmsub.d, fnmadd.d)
 * compute exactly the same correctly rounded values. Every value stays
 * finite, so no NaN payloads (which differ between hosts) occur. */
#include "bench.h"

#define POINTS 512
#define DEGREE 12
#define DIM 48

static double coeff[DEGREE + 1];
static double xs[POINTS];
static double mat[DIM][DIM], vec[DIM], out[DIM];

static uint64_t bits(double d) {
    union { double d; uint64_t u; } v = {.d = d};
    return v.u;
}

static double uniform(uint64_t *seed, double lo, double hi) {
    double unit = (double)(bench_rng(seed) >> 11) * 0x1p-53;
    return __builtin_fma(hi - lo, unit, lo);
}

/* Horner's rule: one fmadd per coefficient. */
static double horner(double x) {
    double p = coeff[DEGREE];
    for (int k = DEGREE - 1; k >= 0; k--) p = __builtin_fma(p, x, coeff[k]);
    return p;
}

/* 1/d by Newton's method from a rough start: e = 1 - d*x (fnmsub), then
 * x = x + x*e (fmadd). d is in [1, 2), so the start 0.7 converges. */
static double reciprocal(double d) {
    double x = 0.7;
    for (int k = 0; k < 6; k++) {
        double e = __builtin_fma(-d, x, 1.0);
        x = __builtin_fma(x, e, x);
    }
    return x;
}

/* (a + bi)(c + di) with one rounding per part: ac - bd as fma(a, c, -bd)
 * (fmsub) and ad + bc as fma(a, d, bc); then the negated forms (fnmadd). */
static double complex_mix(double a, double b, double c, double d) {
    double re = __builtin_fma(a, c, -(b * d));
    double im = __builtin_fma(a, d, b * c);
    return __builtin_fma(-re, 0.25, -im) + re;
}

static uint64_t matrix_vector(uint64_t h) {
    for (int i = 0; i < DIM; i++) {
        double s = 0.0;
        for (int j = 0; j < DIM; j++) s = __builtin_fma(mat[i][j], vec[j], s);
        out[i] = s;
    }
    /* Feed the product back (scaled into range) for the next round. */
    double norm = 0.0;
    for (int i = 0; i < DIM; i++) norm = __builtin_fma(out[i], out[i], norm);
    double scale = reciprocal(1.0 + norm * 0x1p-20) * 0.5;
    for (int i = 0; i < DIM; i++) vec[i] = __builtin_fma(out[i], scale * 0x1p-6, 0.5);
    return bench_mix(h, bits(norm));
}

uint64_t bench_run(void) {
    uint64_t seed = 0x3c6ef372fe94f82bull;
    for (int k = 0; k <= DEGREE; k++) coeff[k] = uniform(&seed, -1.0, 1.0) / (double)(k + 1);
    for (int i = 0; i < POINTS; i++) xs[i] = uniform(&seed, -1.0, 1.0);
    for (int i = 0; i < DIM; i++) {
        vec[i] = uniform(&seed, 0.0, 1.0);
        for (int j = 0; j < DIM; j++) mat[i][j] = uniform(&seed, -1.0, 1.0);
    }
    uint64_t check = 0;
    for (int iter = 0; iter < ITERATIONS; iter++) {
        for (int round = 0; round < 20; round++) {
            double acc = 0.0;
            for (int i = 0; i < POINTS; i++) acc += horner(xs[i]);
            check = bench_mix(check, bits(acc));
            double r = 0.0;
            for (int i = 0; i < POINTS; i++) r += reciprocal(1.5 + 0.5 * xs[i]);
            check = bench_mix(check, bits(r));
            double c = 0.0;
            for (int i = 0; i + 3 < POINTS; i += 4) c += complex_mix(xs[i], xs[i + 1], xs[i + 2], xs[i + 3]);
            check = bench_mix(check, bits(c));
            check = matrix_vector(check);
        }
        /* Move the points a little, so each round differs. */
        for (int i = 0; i < POINTS; i++) xs[i] = __builtin_fma(xs[i], -0.999, 0.001 * (double)(iter & 7));
    }
    return check;
}
