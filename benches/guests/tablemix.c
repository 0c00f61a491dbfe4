/* A register-heavy integer loop over a 64 KiB table in S-mode with Sv39
 * paging on, like user code in a Linux guest: per step a table load, a
 * multiply-rotate hash, a load and a store at a hash-picked slot, and a
 * data-dependent three-way branch (one way in 16 divides). The loop keeps
 * about 15 values live, more than x86-64 has registers to spare, and its
 * branches are unpredictable, so host instructions per step decide its
 * speed. The same loop is the Linux init's `hartvm.bench=1` workload
 * (linux/init.c), so this measures it without a kernel. */
#include "bench.h"
#include "sv39.h"

#define WORDS 8192u /* 64 KiB: 16 pages */

#ifdef BENCH_SV39
#define table ((uint64_t *)SV39_ARENA_VA)
#else
static uint64_t table[WORDS];
#endif

static uint64_t rounds(uint64_t h, unsigned n) {
    for (unsigned r = 0; r < n; r++) {
        for (unsigned i = 0; i < WORDS; i++) {
            uint64_t x = table[i];
            h = (h ^ x) * 0x100000001b3ull;
            h = (h << 23) | (h >> 41);
            unsigned j = (unsigned)(h >> 51) & (WORDS - 1);
            table[j] += x >> 3;
            if ((h & 15) == 0)
                h += x % (1000003ull + r);
            else if (h & 1)
                h ^= x >> (h & 31);
            else
                h += (uint32_t)x * 2654435761ull;
        }
    }
    return h;
}

uint64_t bench_run(void) {
    uint64_t seed = 0x853c49e6748fea9bull;
    for (unsigned i = 0; i < WORDS; i++) table[i] = bench_rng(&seed);
    uint64_t h = rounds(0xcbf29ce484222325ull, ITERATIONS);
    for (unsigned i = 0; i < WORDS; i++) h = bench_mix(h, table[i]);
    return h;
}
