/* Shared interface of hartvm's benchmark workloads.
 *
 * Each workload defines bench_run(), which does ITERATIONS rounds of work and
 * returns a 64-bit checksum of everything it computed. The same source is
 * built twice by benches/build.rs:
 *   - natively with host_main.c, which prints the checksum, and
 *   - for RV64GC with crt0.S + guest_main.c, which exits 0 only if the
 *     checksum equals EXPECTED (the value the native build printed).
 * Internal consistency checks call bench_fail(code) with code >= 2. */
#ifndef HARTVM_BENCH_H
#define HARTVM_BENCH_H

#include <stdint.h>

#ifndef ITERATIONS
#error "ITERATIONS must be defined (-DITERATIONS=n)"
#endif

uint64_t bench_run(void);
void bench_fail(int code) __attribute__((noreturn));

/* Folds v into the running checksum h (a 64-bit FNV-1a step per byte would
 * be slower; this multiply/xor mix is enough to catch any difference). */
static inline uint64_t bench_mix(uint64_t h, uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0x100000001b3ull;
}

/* xorshift64: the workloads' deterministic input generator. */
static inline uint64_t bench_rng(uint64_t *state) {
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

#endif
