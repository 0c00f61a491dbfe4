/* SHA-256 (FIPS 180-4) over a buffer generated in guest memory: 32-bit
 * rotates, adds and table lookups; the integer core of many real programs.
 * Each round rehashes the whole buffer after changing its first word. */
#include "bench.h"

#define BUF_BYTES (1u << 20)

static uint8_t buf[BUF_BYTES];

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static void compress(uint32_t h[8], const uint8_t *p) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
    h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

/* Hashes len bytes at p into out[8] (the digest as big-endian words). */
static void sha256(const uint8_t *p, uint32_t len, uint32_t out[8]) {
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    uint32_t done = 0;
    for (; len - done >= 64; done += 64) compress(h, p + done);
    uint8_t tail[128];
    uint32_t rest = len - done;
    for (uint32_t i = 0; i < rest; i++) tail[i] = p[done + i];
    tail[rest] = 0x80;
    uint32_t padded = rest + 9 <= 64 ? 64 : 128;
    for (uint32_t i = rest + 1; i < padded; i++) tail[i] = 0;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++) tail[padded - 1 - i] = (uint8_t)(bits >> (8 * i));
    for (uint32_t off = 0; off < padded; off += 64) compress(h, tail + off);
    for (int i = 0; i < 8; i++) out[i] = h[i];
}

static void self_test(void) {
    static const uint32_t abc[8] = {0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
                                    0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad};
    static const uint8_t msg[3] = {'a', 'b', 'c'};
    uint32_t d[8];
    sha256(msg, 3, d);
    for (int i = 0; i < 8; i++)
        if (d[i] != abc[i]) bench_fail(2);
}

uint64_t bench_run(void) {
    self_test();
    uint64_t seed = 0x243f6a8885a308d3ull;
    for (uint32_t i = 0; i < BUF_BYTES; i += 8) {
        uint64_t r = bench_rng(&seed);
        for (int b = 0; b < 8; b++) buf[i + b] = (uint8_t)(r >> (8 * b));
    }
    uint64_t check = 0;
    uint32_t d[8];
    for (int iter = 0; iter < ITERATIONS; iter++) {
        buf[0] = (uint8_t)iter;
        /* Odd lengths exercise the padding paths as well. */
        sha256(buf, BUF_BYTES - (uint32_t)iter % 61, d);
        for (int i = 0; i < 8; i++) check = bench_mix(check, d[i]);
    }
    return check;
}
