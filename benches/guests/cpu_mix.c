/* A CPU-bound integer workload: CRC-32, quicksort, a small integer matrix
 * product and a hash loop. */
#include "bench.h"

#define N 4096
static uint32_t data[N];
static int32_t mat_a[32][32], mat_b[32][32], mat_c[32][32];

static uint32_t rng_state = 12345;
static uint32_t rng(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static uint32_t crc32(const uint8_t *p, unsigned len) {
    uint32_t crc = 0xffffffffu;
    for (unsigned i = 0; i < len; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}

static void quicksort(uint32_t *a, int lo, int hi) {
    while (lo < hi) {
        uint32_t pivot = a[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) { uint32_t t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
        }
        if (j - lo < hi - i) { quicksort(a, lo, j); lo = i; }
        else { quicksort(a, i, hi); hi = j; }
    }
}

static int64_t matmul(void) {
    int64_t sum = 0;
    for (int i = 0; i < 32; i++)
        for (int j = 0; j < 32; j++) {
            int32_t s = 0;
            for (int k = 0; k < 32; k++) s += mat_a[i][k] * mat_b[k][j];
            mat_c[i][j] = s;
            sum += s;
        }
    return sum;
}

static uint64_t fnv_rounds(int rounds) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < N; i++) { h ^= data[i]; h *= 0x100000001b3ull; }
    return h;
}

uint64_t bench_run(void) {
    uint64_t check = 0;
    for (int iter = 0; iter < ITERATIONS; iter++) {
        for (int i = 0; i < N; i++) data[i] = rng();
        for (int i = 0; i < 32; i++)
            for (int j = 0; j < 32; j++) { mat_a[i][j] = (int32_t)rng() % 100; mat_b[i][j] = (int32_t)rng() % 100; }
        check += crc32((const uint8_t *)data, sizeof data);
        quicksort(data, 0, N - 1);
        for (int i = 1; i < N; i++)
            if (data[i - 1] > data[i]) bench_fail(2);
        check += (uint64_t)matmul();
        check += fnv_rounds(4);
    }
    return check;
}
