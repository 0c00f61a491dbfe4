/* Virtual memory layout of the workloads that run with Sv39 paging on
 * (built with -DBENCH_SV39: crt0.S calls sv39_setup() and drops to S-mode).
 *
 *   0x0000_0000 .. 0x3fff_ffff  identity, one 1 GiB page, RW: the devices
 *                               (test finisher, UART)
 *   0x8000_0000 .. 0xbfff_ffff  identity, one 1 GiB page, RWX: the program
 *                               image, its stack and tohost
 *   SV39_ARENA_VA ..            SV39_ARENA_BYTES of data in 4 KiB pages,
 *                               each backed by a physical page picked by a
 *                               fixed permutation (not the identity), so
 *                               that every access goes through its own PTE
 *
 * The arena has many more pages than the runtime's 256-entry TLB, so a
 * workload that touches it at random keeps refilling the TLB.
 * This header holds only constants: the native build of a workload uses
 * SV39_ARENA_BYTES for the size of its (ordinary, static) data. */
#ifndef HARTVM_SV39_H
#define HARTVM_SV39_H

/* 128 GiB: the first level-2 entry above the identity-mapped RAM, well
 * inside Sv39's lower half (addresses below 2^38). */
#define SV39_ARENA_VA 0x2000000000ull
#define SV39_ARENA_BYTES (4u << 20)

#ifdef BENCH_SV39
#include <stdint.h>
/* Builds the page tables and opens PMP for S-mode; returns the satp value
 * that turns them on. Runs in M-mode with paging off. */
uint64_t sv39_setup(void);
#endif

#endif
