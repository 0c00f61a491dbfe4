/* Top-down merge sort of 64 Ki pseudo-random 32-bit keys: data-dependent
 * branches, recursion and streaming loads/stores. The result is checked to
 * be sorted and to be a permutation (sum and xor) of the input. */
#include "bench.h"

#define N 65536

static uint32_t keys[N], scratch[N];

/* Sorts a[lo, hi) using tmp[lo, hi) as scratch space. */
static void merge_sort(uint32_t *a, uint32_t *tmp, uint32_t lo, uint32_t hi) {
    if (hi - lo <= 16) {
        for (uint32_t i = lo + 1; i < hi; i++) {
            uint32_t v = a[i], j = i;
            while (j > lo && a[j - 1] > v) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = v;
        }
        return;
    }
    uint32_t mid = lo + (hi - lo) / 2;
    merge_sort(a, tmp, lo, mid);
    merge_sort(a, tmp, mid, hi);
    if (a[mid - 1] <= a[mid]) return;
    uint32_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) tmp[k++] = a[j] < a[i] ? a[j++] : a[i++];
    while (i < mid) tmp[k++] = a[i++];
    while (j < hi) tmp[k++] = a[j++];
    for (k = lo; k < hi; k++) a[k] = tmp[k];
}

uint64_t bench_run(void) {
    uint64_t seed = 0x13198a2e03707344ull;
    uint64_t check = 0;
    for (int iter = 0; iter < ITERATIONS; iter++) {
        uint64_t sum = 0;
        uint32_t x = 0;
        /* Every third round sorts keys from a narrow range (many duplicates). */
        uint32_t mask = iter % 3 == 2 ? 0x3ff : 0xffffffffu;
        for (uint32_t i = 0; i < N; i++) {
            keys[i] = (uint32_t)(bench_rng(&seed) >> 16) & mask;
            sum += keys[i];
            x ^= keys[i];
        }
        merge_sort(keys, scratch, 0, N);
        for (uint32_t i = 0; i < N; i++) {
            if (i > 0 && keys[i - 1] > keys[i]) bench_fail(2);
            sum -= keys[i];
            x ^= keys[i];
        }
        if (sum != 0 || x != 0) bench_fail(3);
        for (uint32_t i = 0; i < N; i += 97) check = bench_mix(check, keys[i]);
    }
    return check;
}
