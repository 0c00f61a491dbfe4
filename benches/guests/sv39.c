/* Sv39 page tables for the workloads built with -DBENCH_SV39 (layout in
 * sv39.h). Guest-only: crt0.S calls sv39_setup() in M-mode, writes the satp
 * value it returns and continues in S-mode. */
#include <stdint.h>

#include "sv39.h"

#define PAGE_SIZE 4096u
#define PTES 512u /* entries per table */
#define ARENA_PAGES (SV39_ARENA_BYTES / PAGE_SIZE)
#define LEAF_TABLES (ARENA_PAGES / PTES)

_Static_assert(SV39_ARENA_BYTES % (PTES * PAGE_SIZE) == 0, "the arena fills whole leaf tables");
_Static_assert(SV39_ARENA_VA % (PTES * PAGE_SIZE) == 0, "the arena starts at a leaf table boundary");
_Static_assert((SV39_ARENA_VA & ((1ull << 30) - 1)) + SV39_ARENA_BYTES <= (1ull << 30),
               "the arena lies within one level-1 table");
_Static_assert(SV39_ARENA_VA + SV39_ARENA_BYTES <= (1ull << 38), "the arena is in Sv39's lower half");
_Static_assert((ARENA_PAGES & (ARENA_PAGES - 1)) == 0, "page scattering needs a power-of-two page count");

#define PTE_V 0x01u
#define PTE_R 0x02u
#define PTE_W 0x04u
#define PTE_X 0x08u
/* Accessed and dirty are set up front: an implementation may either set
 * them itself or trap (Svade), and this way the workload never traps. */
#define PTE_A 0x40u
#define PTE_D 0x80u
#define PTE_DATA (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)

#define SATP_MODE_SV39 (8ull << 60)

static uint64_t root[PTES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t level1[PTES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t leaves[LEAF_TABLES][PTES] __attribute__((aligned(PAGE_SIZE)));
static uint8_t backing[SV39_ARENA_BYTES] __attribute__((aligned(PAGE_SIZE)));

static uint64_t pte(uintptr_t pa, uint64_t flags) {
    return (uint64_t)(pa / PAGE_SIZE) << 10 | flags;
}

static void clear(uint64_t *table) {
    for (unsigned i = 0; i < PTES; i++) table[i] = 0;
}

uint64_t sv39_setup(void) {
    /* The tables are in .bss, which nothing zeroes (both emulators start
     * with zeroed RAM, but a stale entry here would be a silent mapping). */
    clear(root);
    clear(level1);
    for (unsigned t = 0; t < LEAF_TABLES; t++) clear(leaves[t]);

    root[0] = pte(0, PTE_DATA);                       /* devices */
    root[2] = pte(0x80000000u, PTE_DATA | PTE_X);     /* RAM: the image */
    root[(SV39_ARENA_VA >> 30) & (PTES - 1)] = pte((uintptr_t)level1, PTE_V);
    unsigned first = (SV39_ARENA_VA >> 21) & (PTES - 1);
    for (unsigned t = 0; t < LEAF_TABLES; t++) level1[first + t] = pte((uintptr_t)leaves[t], PTE_V);

    /* Virtual page i is backed by physical page i * 389 mod ARENA_PAGES (an
     * odd multiplier permutes a power-of-two range): neighbouring virtual
     * pages are far apart physically, so only the right PTE gives the right
     * data. */
    for (unsigned i = 0; i < ARENA_PAGES; i++) {
        unsigned phys = (i * 389u) & (ARENA_PAGES - 1);
        leaves[i / PTES][i % PTES] = pte((uintptr_t)&backing[phys * PAGE_SIZE], PTE_DATA);
    }

    /* With PMP implemented, an S-mode access that matches no entry fails:
     * one NAPOT entry covering the whole address space grants everything. */
    __asm__ volatile("csrw pmpaddr0, %0" : : "r"(~0ull));
    __asm__ volatile("csrw pmpcfg0, %0" : : "r"(0x1full)); /* NAPOT | X | W | R */

    return SATP_MODE_SV39 | (uintptr_t)root / PAGE_SIZE;
}
