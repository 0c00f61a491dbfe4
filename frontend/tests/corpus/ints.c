/* Integer code for the decoder/disassembler corpus: arithmetic, shifts,
 * multiplication/division, bit manipulation (Zba/Zbb/Zbs), control flow. */
#include <stdint.h>
#include <stddef.h>

uint64_t mix(uint64_t a, uint64_t b) {
    a ^= b >> 17;
    a *= 0x9e3779b97f4a7c15ull;
    a = (a << 13) | (a >> 51);
    return a + (b << 3) - (int64_t)(int32_t)b;
}

int32_t divmod32(int32_t a, int32_t b, uint32_t c, uint32_t d) {
    return a / b + a % b + (int32_t)(c / d) + (int32_t)(c % d) + a * b;
}

int64_t divmod64(int64_t a, int64_t b, uint64_t c, uint64_t d) {
    return a / b + a % b + (int64_t)(c / d) + (int64_t)(c % d);
}

uint64_t mulhi(uint64_t a, uint64_t b, int64_t c, int64_t d) {
    unsigned __int128 p = (unsigned __int128)a * b;
    __int128 q = (__int128)c * d;
    __int128 r = (__int128)c * (unsigned __int128)b;
    return (uint64_t)(p >> 64) ^ (uint64_t)(q >> 64) ^ (uint64_t)(r >> 64);
}

int bits(uint64_t x, uint32_t y) {
    return __builtin_clzll(x | 1) + __builtin_ctzll(x | 1) + __builtin_popcountll(x) +
           __builtin_clz(y | 1) + __builtin_ctz(y | 1) + __builtin_popcount(y);
}

uint64_t rot(uint64_t x, unsigned n, uint32_t y) {
    uint32_t r32 = (y >> (n & 31)) | (y << ((32 - n) & 31));
    return ((x << (n & 63)) | (x >> ((64 - n) & 63))) + r32 + ((x >> 7) | (x << 57));
}

uint64_t bset(uint64_t x, unsigned n) {
    x |= 1ull << (n & 63);
    x &= ~(1ull << ((n + 5) & 63));
    x ^= 1ull << 40;
    return x + ((x >> (n & 63)) & 1) + ((x >> 33) & 1);
}

uint64_t swap(uint64_t x) {
    return __builtin_bswap64(x) + __builtin_bswap32((uint32_t)x) + __builtin_bswap16((uint16_t)x);
}

int64_t minmax(int64_t a, int64_t b, uint64_t c, uint64_t d) {
    int64_t m = a < b ? a : b;
    int64_t n = a > b ? a : b;
    uint64_t o = c < d ? c : d;
    uint64_t p = c > d ? c : d;
    return m * n + (int64_t)(o ^ p);
}

uint64_t index3(const uint64_t *p, uint32_t i, uint64_t j, const uint32_t *q) {
    return p[i] + p[j] + q[i] + q[j] + ((uint64_t)i << 4) + (uint64_t)(uint32_t)(j << 2);
}

int64_t exts(int8_t a, int16_t b, uint16_t c, uint8_t d, uint32_t e) {
    return a + b + c + d + (uint64_t)e + (int64_t)(int32_t)e;
}

uint64_t andn(uint64_t a, uint64_t b) { return (a & ~b) ^ (a | ~b) ^ ~(a ^ b); }

int classify(int x) {
    switch (x) {
    case 0: return 11;
    case 1: return 27;
    case 2: return 5;
    case 3: return 91;
    case 4: return 3;
    case 5: return 77;
    case 6: return 15;
    case 7: return 8;
    default: return -1;
    }
}

size_t strlen_(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

void copy(uint8_t *dst, const uint8_t *src, size_t n) {
    for (size_t i = 0; i < n; i++) dst[i] = src[i];
}

struct node { struct node *next; int64_t val; int16_t small; uint8_t tag; };

int64_t walk(const struct node *n) {
    int64_t s = 0;
    for (; n; n = n->next) s += n->val * n->tag - n->small;
    return s;
}

uint64_t big_consts(uint64_t x) {
    return x * 1234567 + 0x123456789abcdefull - (x & 0xfff0) + (x | 0x7ff);
}

static uint64_t fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

uint64_t call(unsigned n, uint64_t (*fp)(uint64_t)) { return fp(fib(n)) + fib(n / 2); }

int32_t w32(int32_t a, int32_t b, unsigned s) {
    return (a << (s & 31)) + (a >> (s & 31)) + (int32_t)((uint32_t)b >> (s & 31)) + a - b + (a << 5) +
           (b >> 3) + (int32_t)((uint32_t)a >> 7);
}

int cmp(int64_t a, int64_t b, uint64_t c) { return (a < b) + (c < 17) + (a < -5) + (c != 0) + (a == b); }
