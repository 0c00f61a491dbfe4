/* Pointer chasing through a randomly permuted circular linked list of 64-byte
 * nodes filling a 4 MiB arena (1024 pages of 4 KiB), with a little
 * arithmetic, a load from a small hot table and a store per node. Every hop
 * lands on a random page, so in the guest, which runs this in S-mode with
 * Sv39 paging on (built with -DBENCH_SV39, see sv39.h), most accesses miss
 * the 256-entry TLB and walk the page tables. The native build uses an
 * ordinary static array; the checksum depends only on the data, never on
 * addresses. */
#include "bench.h"
#include "sv39.h"

struct node {
    struct node *next;
    uint64_t key;
    uint64_t last; /* the accumulator when the node was last visited */
    uint64_t pad[5]; /* one node per 64-byte line, 64 nodes per page */
};

#define NODES (SV39_ARENA_BYTES / sizeof(struct node))
_Static_assert((NODES & (NODES - 1)) == 0, "NODES is a power of two");

#ifdef BENCH_SV39
#define arena ((struct node *)SV39_ARENA_VA)
#else
static struct node arena[NODES];
#endif

/* The list order during set-up (the shuffle needs random access by index). */
static uint32_t order[NODES];
/* A small table every hop reads: the hot, TLB-friendly part of the work. */
static uint64_t table[256];

/* Links the nodes into one cycle in a random order (Fisher-Yates). */
static void build(uint64_t *seed) {
    for (uint32_t i = 0; i < NODES; i++) order[i] = i;
    for (uint32_t i = NODES - 1; i > 0; i--) {
        uint32_t j = (uint32_t)(bench_rng(seed) % (i + 1));
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint32_t k = 0; k < NODES; k++) {
        struct node *n = &arena[order[k]];
        n->next = &arena[order[(k + 1) & (NODES - 1)]];
        n->key = bench_rng(seed);
        n->last = 0;
    }
    for (uint32_t i = 0; i < 256; i++) table[i] = bench_rng(seed);
}

/* One lap of the cycle from `start`: every node's key feeds the
 * accumulator, which picks a table entry and is written back into the node
 * (so each lap depends on what the previous ones left). */
static uint64_t lap(struct node *start, uint64_t acc) {
    struct node *n = start;
    for (uint32_t s = 0; s < NODES; s++) {
        uint64_t k = n->key;
        acc = (acc ^ k) * 0x9e3779b97f4a7c15ull;
        acc += table[(acc >> 56) & 255];
        n->last = acc;
        n->key = k + (acc >> 17);
        n = n->next;
    }
    if (n != start) bench_fail(2); /* the list is one cycle of NODES nodes */
    return acc;
}

uint64_t bench_run(void) {
    uint64_t seed = 0x2545f4914f6cdd1dull;
    build(&seed);
    uint64_t check = 0;
    for (int iter = 0; iter < ITERATIONS; iter++) {
        struct node *start = &arena[bench_rng(&seed) & (NODES - 1)];
        check = bench_mix(check, lap(start, (uint64_t)iter));
    }
    /* Fold in the final state of every node, in address order. */
    for (uint32_t i = 0; i < NODES; i++) {
        check = bench_mix(check, arena[i].key);
        check = bench_mix(check, arena[i].last);
    }
    return check;
}
