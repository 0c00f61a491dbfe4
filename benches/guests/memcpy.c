/* Copy loops of various sizes and alignments: byte-at-a-time, aligned
 * 64-bit words, an 8x unrolled word loop, a general copy (byte head, word
 * body, byte tail) and an overlapping backward move. Mostly loads, stores
 * and loop overhead, as in real memcpy-heavy code. */
#include "bench.h"

#define BUF 65536

static uint64_t src_words[BUF / 8 + 2], dst_words[BUF / 8 + 2];
#define SRC ((uint8_t *)src_words)
#define DST ((uint8_t *)dst_words)

static void copy_bytes(uint8_t *d, const uint8_t *s, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) d[i] = s[i];
}

static void copy_words(uint64_t *d, const uint64_t *s, uint32_t nwords) {
    for (uint32_t i = 0; i < nwords; i++) d[i] = s[i];
}

static void copy_unrolled(uint64_t *d, const uint64_t *s, uint32_t nwords) {
    uint32_t i = 0;
    for (; i + 8 <= nwords; i += 8) {
        uint64_t a = s[i], b = s[i + 1], c = s[i + 2], e = s[i + 3];
        uint64_t f = s[i + 4], g = s[i + 5], h = s[i + 6], k = s[i + 7];
        d[i] = a; d[i + 1] = b; d[i + 2] = c; d[i + 3] = e;
        d[i + 4] = f; d[i + 5] = g; d[i + 6] = h; d[i + 7] = k;
    }
    for (; i < nwords; i++) d[i] = s[i];
}

/* Copies n bytes; uses word accesses when source and destination share
 * their alignment, bytes otherwise. */
static void copy_general(uint8_t *d, const uint8_t *s, uint32_t n) {
    if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
        while (n && ((uintptr_t)d & 7)) { *d++ = *s++; n--; }
        uint64_t *dw = (uint64_t *)d;
        const uint64_t *sw = (const uint64_t *)s;
        for (; n >= 8; n -= 8) *dw++ = *sw++;
        d = (uint8_t *)dw;
        s = (const uint8_t *)sw;
    }
    while (n--) *d++ = *s++;
}

/* Moves n bytes from p to p + shift (overlapping), last byte first. */
static void move_up(uint8_t *p, uint32_t shift, uint32_t n) {
    for (uint32_t i = n; i-- > 0;) p[i + shift] = p[i];
}

static uint64_t fold(const uint64_t *w, uint32_t nwords) {
    uint64_t h = 0;
    for (uint32_t i = 0; i < nwords; i++) h = (h ^ w[i]) * 0x100000001b3ull;
    return h;
}

static const uint32_t sizes[] = {1, 3, 7, 8, 15, 16, 31, 64, 100, 255, 256, 1000, 4096, 12345, 32768};
#define NSIZES (sizeof sizes / sizeof sizes[0])

uint64_t bench_run(void) {
    uint64_t seed = 0xa4093822299f31d0ull;
    for (uint32_t i = 0; i < BUF / 8 + 2; i++) src_words[i] = bench_rng(&seed);
    uint64_t check = 0;
    for (int iter = 0; iter < ITERATIONS; iter++) {
        src_words[iter % (BUF / 8)] ^= (uint64_t)iter;
        /* Large aligned copies. */
        copy_words(dst_words, src_words, BUF / 8);
        check = bench_mix(check, dst_words[iter % (BUF / 8)]);
        copy_unrolled(dst_words, src_words, BUF / 8);
        check = bench_mix(check, dst_words[(iter * 7) % (BUF / 8)]);
        copy_bytes(DST, SRC + 1, BUF / 4);
        check = bench_mix(check, dst_words[iter % (BUF / 32)]);
        /* Many small and medium copies at every alignment pair. */
        for (uint32_t k = 0; k < NSIZES; k++) {
            uint32_t n = sizes[k];
            uint32_t reps = n >= 4096 ? 1 : 4096 / n > 8 ? 8 : 4096 / n;
            for (uint32_t r = 0; r < reps; r++) {
                uint32_t so = (r + (uint32_t)iter) & 7, doff = (r * 3 + k) & 7;
                copy_general(DST + doff, SRC + so, n);
                check = bench_mix(check, DST[doff + n - 1] | (uint64_t)DST[doff] << 8);
            }
        }
        move_up(DST, 5, BUF / 2);
        check = bench_mix(check, fold(dst_words, BUF / 8));
    }
    return check;
}
