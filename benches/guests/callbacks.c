/* Calls through function pointers in hot loops, the shape of callback-based
 * code: a generic sort with a comparator, map/reduce over an array with an
 * operation passed in, and an event loop dispatching each event to the
 * handler its kind selects from a table. The callers are `noipa`, so the
 * compiler cannot specialize them for the pointers they get: every call is
 * an indirect one, natively and in the guest. */
#include "bench.h"

#define NOIPA __attribute__((noipa))
#define N 1024
#define CHUNK 128

static int32_t keys[N];
static uint32_t vals[N];

typedef int (*compare_fn)(const int32_t *, const int32_t *);
typedef uint32_t (*map_fn)(uint32_t);
typedef void (*handler_fn)(uint64_t *, uint32_t);

NOIPA static int ascending(const int32_t *a, const int32_t *b) {
    return (*a > *b) - (*a < *b);
}

NOIPA static int descending_abs(const int32_t *a, const int32_t *b) {
    int64_t x = *a < 0 ? -(int64_t)*a : *a, y = *b < 0 ? -(int64_t)*b : *b;
    return (x < y) - (x > y);
}

/* Insertion sort of n keys, ordered by cmp. */
NOIPA static void sort_with(int32_t *a, int n, compare_fn cmp) {
    for (int i = 1; i < n; i++) {
        int32_t v = a[i];
        int j = i - 1;
        while (j >= 0 && cmp(&a[j], &v) > 0) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

NOIPA static uint32_t scramble(uint32_t x) {
    x ^= x >> 7;
    x *= 0x9e3779b1u;
    return x ^ (x >> 15);
}

NOIPA static uint32_t square_mod(uint32_t x) {
    return (uint32_t)(((uint64_t)x * x) % 65521u);
}

NOIPA static uint64_t map_reduce(const uint32_t *v, int n, map_fn f) {
    uint64_t sum = 0;
    for (int i = 0; i < n; i++) sum += f(v[i]);
    return sum;
}

NOIPA static void on_add(uint64_t *s, uint32_t arg) { *s += arg; }
NOIPA static void on_xor(uint64_t *s, uint32_t arg) { *s ^= (uint64_t)arg << 13; }
NOIPA static void on_rotate(uint64_t *s, uint32_t arg) {
    unsigned k = (arg & 31) | 1;
    *s = *s << k | *s >> (64 - k);
}
NOIPA static void on_mix(uint64_t *s, uint32_t arg) { *s = *s * 0x100000001b3ull + arg; }

static handler_fn const handlers[4] = {on_add, on_xor, on_rotate, on_mix};

/* Each event's low two bits pick its handler; the rest is its argument. */
NOIPA static uint64_t dispatch(const uint32_t *events, int n) {
    uint64_t state = 0;
    for (int i = 0; i < n; i++) handlers[events[i] & 3](&state, events[i] >> 2);
    return state;
}

static uint64_t sorted_sum(const int32_t *a, int n) {
    uint64_t h = 0;
    for (int i = 0; i < n; i++) h = bench_mix(h, (uint32_t)a[i]);
    return h;
}

uint64_t bench_run(void) {
    uint64_t seed = 0x6a09e667f3bcc909ull, check = 0;
    for (int iter = 0; iter < ITERATIONS; iter++) {
        for (int i = 0; i < N; i++) {
            uint64_t r = bench_rng(&seed);
            keys[i] = (int32_t)(r >> 32);
            vals[i] = (uint32_t)r;
        }
        for (int c = 0; c < N; c += CHUNK) {
            sort_with(&keys[c], CHUNK, (c / CHUNK) % 2 ? descending_abs : ascending);
            for (int i = c + 1; i < c + CHUNK; i++)
                if ((c / CHUNK) % 2 ? descending_abs(&keys[i - 1], &keys[i]) > 0 : keys[i - 1] > keys[i])
                    bench_fail(2);
        }
        check = bench_mix(check, sorted_sum(keys, N));
        check = bench_mix(check, map_reduce(vals, N, scramble));
        check = bench_mix(check, map_reduce(vals, N, square_mod));
        check = bench_mix(check, dispatch(vals, N));
    }
    return check;
}
