/* Double-precision kernels: an n-body simulation (sqrt and division in the
 * inner loop) and a dense matrix product followed by a row normalisation.
 * Results are folded into the checksum by their exact bit patterns; every
 * value stays finite, so no NaN payloads (which differ between hosts) occur.
 * Both builds use -ffp-contract=off and -fno-math-errno, so each +, -, *, /
 * and sqrt is a single correctly rounded IEEE operation on host and guest. */
#include "bench.h"

#define BODIES 8
#define MAT 40

static double px[BODIES], py[BODIES], pz[BODIES];
static double vx[BODIES], vy[BODIES], vz[BODIES], mass[BODIES];
static double ma[MAT][MAT], mb[MAT][MAT], mc[MAT][MAT];

static uint64_t bits(double d) {
    union { double d; uint64_t u; } v = {.d = d};
    return v.u;
}

/* A double in [lo, hi) from 53 random bits (exact conversion). */
static double uniform(uint64_t *seed, double lo, double hi) {
    double unit = (double)(bench_rng(seed) >> 11) * 0x1p-53;
    return lo + (hi - lo) * unit;
}

static void advance(double dt) {
    for (int i = 0; i < BODIES; i++) {
        for (int j = i + 1; j < BODIES; j++) {
            double dx = px[i] - px[j], dy = py[i] - py[j], dz = pz[i] - pz[j];
            double d2 = dx * dx + dy * dy + dz * dz + 0.01;
            double mag = dt / (d2 * __builtin_sqrt(d2));
            vx[i] -= dx * mass[j] * mag; vy[i] -= dy * mass[j] * mag; vz[i] -= dz * mass[j] * mag;
            vx[j] += dx * mass[i] * mag; vy[j] += dy * mass[i] * mag; vz[j] += dz * mass[i] * mag;
        }
    }
    for (int i = 0; i < BODIES; i++) {
        px[i] += dt * vx[i];
        py[i] += dt * vy[i];
        pz[i] += dt * vz[i];
    }
}

static double energy(void) {
    double e = 0.0;
    for (int i = 0; i < BODIES; i++) {
        e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
        for (int j = i + 1; j < BODIES; j++) {
            double dx = px[i] - px[j], dy = py[i] - py[j], dz = pz[i] - pz[j];
            e -= mass[i] * mass[j] / __builtin_sqrt(dx * dx + dy * dy + dz * dz + 0.01);
        }
    }
    return e;
}

static uint64_t matrix_round(uint64_t *seed) {
    for (int i = 0; i < MAT; i++)
        for (int j = 0; j < MAT; j++) {
            ma[i][j] = uniform(seed, -1.0, 1.0);
            mb[i][j] = uniform(seed, -1.0, 1.0);
        }
    for (int i = 0; i < MAT; i++)
        for (int j = 0; j < MAT; j++) {
            double s = 0.0;
            for (int k = 0; k < MAT; k++) s += ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
    uint64_t h = 0;
    for (int i = 0; i < MAT; i++) {
        double norm = 0.0;
        for (int j = 0; j < MAT; j++) norm += mc[i][j] * mc[i][j];
        norm = __builtin_sqrt(norm) + 1e-300;
        for (int j = 0; j < MAT; j++) mc[i][j] /= norm;
        h = bench_mix(h, bits(mc[i][i]));
    }
    return h;
}

uint64_t bench_run(void) {
    uint64_t seed = 0x452821e638d01377ull;
    for (int i = 0; i < BODIES; i++) {
        px[i] = uniform(&seed, -10.0, 10.0);
        py[i] = uniform(&seed, -10.0, 10.0);
        pz[i] = uniform(&seed, -10.0, 10.0);
        vx[i] = uniform(&seed, -0.5, 0.5);
        vy[i] = uniform(&seed, -0.5, 0.5);
        vz[i] = uniform(&seed, -0.5, 0.5);
        mass[i] = uniform(&seed, 0.5, 2.0);
    }
    uint64_t check = bits(energy());
    for (int iter = 0; iter < ITERATIONS; iter++) {
        for (int step = 0; step < 1000; step++) advance(0.001);
        check = bench_mix(check, bits(energy()));
        check = bench_mix(check, bits(px[iter % BODIES]));
        check = bench_mix(check, matrix_round(&seed));
    }
    return check;
}
