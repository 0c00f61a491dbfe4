/* Helpers of hartvm's privileged-architecture guest tests (own code).
 *
 * Include after hartvm_test.h:
 *     #include "hartvm_test.h"
 *     #include "priv.h"
 *     TEST_BEGIN
 *     PRIV_INIT
 *     ...cases...
 *     TEST_END
 *     PRIV_HANDLERS
 *
 * Register conventions (tests must not use s4..s11 for anything else):
 *   s4   scratch, clobbered by every trap handler
 *   s5   which handler took the last trap: 3 = M (priv_mtrap), 1 = S (priv_strap)
 *   s6   mstatus (M handler) / sstatus (S handler) as read on trap entry
 *   s7   one-shot resume address: when non-zero the handler returns there
 *        (and clears s7); otherwise an exception returns to epc + 4 (the
 *        trapping instruction must then be a 4-byte one: priv tests are
 *        assembled with .option norvc, norelax) and an interrupt returns to epc
 *   s8   cause, s9 epc, s10 tval of the last trap
 *   s11  number of traps recorded
 * t5 is preserved by the handlers through mscratch/sscratch (so a test that
 * checks mscratch/sscratch must not trap while doing so).
 *
 * On an interrupt, the handler clears the interrupt's enable bit in mie
 * (M handler) or sie (S handler) so that the hart does not trap again.
 *
 * Mode switch service: ecall with a7 = PRIV_MAGIC and a6 = target mode
 * (0 U, 1 S, 3 M) returns to the instruction after the ecall in that mode,
 * without recording a trap.  GOTO_U / GOTO_S / GOTO_M wrap it (they clobber
 * a6 and a7).  Tests of ecall itself must keep a7 != PRIV_MAGIC.
 */
#ifndef HARTVM_PRIV_H
#define HARTVM_PRIV_H

#define PRIV_MAGIC 0x4d4f4445

#define CAUSE_FETCH_MISALIGNED   0
#define CAUSE_FETCH_ACCESS       1
#define CAUSE_ILLEGAL            2
#define CAUSE_BREAKPOINT         3
#define CAUSE_LOAD_MISALIGNED    4
#define CAUSE_LOAD_ACCESS        5
#define CAUSE_STORE_MISALIGNED   6
#define CAUSE_STORE_ACCESS       7
#define CAUSE_ECALL_U            8
#define CAUSE_ECALL_S            9
#define CAUSE_ECALL_M            11
#define CAUSE_FETCH_PAGE         12
#define CAUSE_LOAD_PAGE          13
#define CAUSE_STORE_PAGE         15

#define IRQ(c)   ((1 << 63) | (c))
#define IRQ_SSI  1
#define IRQ_MSI  3
#define IRQ_STI  5
#define IRQ_MTI  7
#define IRQ_SEI  9
#define IRQ_MEI  11

#define MSTATUS_SIE   (1 << 1)
#define MSTATUS_MIE   (1 << 3)
#define MSTATUS_SPIE  (1 << 5)
#define MSTATUS_MPIE  (1 << 7)
#define MSTATUS_SPP   (1 << 8)
#define MSTATUS_MPP   (3 << 11)
#define MSTATUS_MPP_S (1 << 11)
#define MSTATUS_MPP_M (3 << 11)
#define MSTATUS_FS    (3 << 13)
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)

#define CLINT_MSIP     0x2000000
#define CLINT_MTIMECMP 0x2004000
#define CLINT_MTIME    0x200bff8

/* Page-table entry bits */
#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_G 0x20
#define PTE_A 0x40
#define PTE_D 0x80
#define PTE_RWX  (PTE_R | PTE_W | PTE_X)
#define PTE_AD   (PTE_A | PTE_D)

#define SATP_SV39 (8 << 60)
#define SATP_SV48 (9 << 60)
#define SATP_SV57 (10 << 60)

#define GOTO_MODE(m) li a7, PRIV_MAGIC; li a6, m; ecall
#define GOTO_U GOTO_MODE(0)
#define GOTO_S GOTO_MODE(1)
#define GOTO_M GOTO_MODE(3)

/* Forget the last trap. */
#define CLEAR_TRAP li s11, 0; li s8, -1; li s9, 0; li s10, 0; li s5, 0; li s6, 0

/* Case n: no trap was recorded since CLEAR_TRAP. */
#define CHECK_NO_TRAP(n) li TESTNUM, n; bnez s11, fail

/* Case n: exactly one trap with cause c was recorded. */
#define CHECK_CAUSE(n, c)                                               \
        li TESTNUM, n; li t6, 1; bne s11, t6, fail;                     \
        li t6, c; bne s8, t6, fail

/* Case n: exactly one trap, cause c, tval t (a constant), taken by the
 * handler of mode `by` (3 = M, 1 = S). */
#define CHECK_TRAP(n, c, t, by)                                         \
        CHECK_CAUSE(n, c);                                              \
        li t6, t; bne s10, t6, fail;                                    \
        li t6, by; bne s5, t6, fail

/* Case n: run `code`, whose FIRST instruction must trap with cause c and
 * tval t (a constant) into the M handler; epc must be that instruction. */
#define TRAP_CASE(n, c, t, code...)                                     \
        li TESTNUM, n; CLEAR_TRAP;                                      \
98:     code;                                                           \
        CHECK_TRAP(n, c, t, 3);                                         \
        la t6, 98b; bne s9, t6, fail

/* Same, with tval compared to register r. */
#define TRAP_CASE_R(n, c, r, code...)                                   \
        li TESTNUM, n; CLEAR_TRAP;                                      \
98:     code;                                                           \
        CHECK_CAUSE(n, c);                                              \
        bne s10, r, fail;                                               \
        la t6, 98b; bne s9, t6, fail

/* Install the handlers, clear delegation/interrupt enables, and open PMP
 * entry 0 over the whole address space (RWX, NAPOT) so that S/U accesses
 * are allowed (with PMP implemented and no entry matching, S/U accesses
 * would fail). */
#define PRIV_INIT                                                       \
        .option norvc; .option norelax;                                 \
        la t0, priv_mtrap; csrw mtvec, t0;                              \
        la t0, priv_strap; csrw stvec, t0;                              \
        csrw medeleg, zero; csrw mideleg, zero;                         \
        csrw mie, zero; csrw satp, zero;                                \
        li t0, -1; csrw pmpaddr0, t0;                                   \
        li t0, 0x1f; csrw pmpcfg0, t0;                                  \
        li s4, 0; li s7, 0; CLEAR_TRAP

/* The M and S handlers (see the top of this file). Place after TEST_END. */
#define PRIV_HANDLERS                                                   \
        .text;                                                          \
        .balign 4;                                                      \
priv_mtrap:                                                             \
        csrw mscratch, t5;                                              \
        csrr t5, mcause;                                                \
        bltz t5, 91f;                                                   \
        addi t5, t5, -8;                                                \
        li s4, 3;                                                       \
        bgtu t5, s4, 91f;                                               \
        addi t5, t5, -2;                                                \
        beqz t5, 91f;                                                   \
        li t5, PRIV_MAGIC;                                              \
        bne a7, t5, 91f;                                                \
        li t5, MSTATUS_MPP; csrc mstatus, t5;                           \
        slli t5, a6, 11; csrs mstatus, t5;                              \
        csrr t5, mepc; addi t5, t5, 4; csrw mepc, t5;                   \
        csrr t5, mscratch;                                              \
        mret;                                                           \
91:     addi s11, s11, 1;                                               \
        li s5, 3;                                                       \
        csrr s8, mcause; csrr s9, mepc; csrr s10, mtval;                \
        csrr s6, mstatus;                                               \
        bgez s8, 92f;                                                   \
        li t5, 1; sll t5, t5, s8; csrc mie, t5;                         \
        beqz s7, 94f;                                                   \
        j 93f;                                                          \
92:     bnez s7, 93f;                                                   \
        csrr t5, mepc; addi t5, t5, 4; csrw mepc, t5;                   \
        j 94f;                                                          \
93:     csrw mepc, s7; li s7, 0;                                        \
94:     csrr t5, mscratch;                                              \
        mret;                                                           \
        .balign 4;                                                      \
priv_strap:                                                             \
        csrw sscratch, t5;                                              \
        csrr t5, scause;                                                \
        bltz t5, 81f;                                                   \
        addi t5, t5, -8;                                                \
        li s4, 3;                                                       \
        bgtu t5, s4, 81f;                                               \
        addi t5, t5, -2;                                                \
        beqz t5, 81f;                                                   \
        li t5, PRIV_MAGIC;                                              \
        bne a7, t5, 81f;                                                \
        li t5, 1; bgtu a6, t5, 85f;                                     \
        li t5, MSTATUS_SPP; csrc sstatus, t5;                           \
        slli t5, a6, 8; csrs sstatus, t5;                               \
        csrr t5, sepc; addi t5, t5, 4; csrw sepc, t5;                   \
        csrr t5, sscratch;                                              \
        sret;                                                           \
85:     ecall;  /* a7/a6 still ask for M: continue here in M */         \
        csrr s4, sepc; addi s4, s4, 4;                                  \
        csrr t5, sscratch;                                              \
        jr s4;                                                          \
81:     addi s11, s11, 1;                                               \
        li s5, 1;                                                       \
        csrr s8, scause; csrr s9, sepc; csrr s10, stval;                \
        csrr s6, sstatus;                                               \
        bgez s8, 82f;                                                   \
        li t5, 1; sll t5, t5, s8; csrc sie, t5;                         \
        beqz s7, 84f;                                                   \
        j 83f;                                                          \
82:     bnez s7, 83f;                                                   \
        csrr t5, sepc; addi t5, t5, 4; csrw sepc, t5;                   \
        j 84f;                                                          \
83:     csrw sepc, s7; li s7, 0;                                        \
84:     csrr t5, sscratch;                                              \
        sret

/* ---- page tables (GAS macros; clobber t0, t1, t2) ---- */

/* table[idx] = PTE for the physical address in t0 with `flags`. */
.macro PTE_T0 table, idx, flags
        srli t0, t0, 12
        slli t0, t0, 10
        li t1, \flags
        or t0, t0, t1
        la t1, \table
        li t2, (\idx) * 8
        add t1, t1, t2
        sd t0, 0(t1)
.endm
/* table[idx] = PTE for the address of label `target`. */
.macro PTE_L table, idx, target, flags
        la t0, \target
        PTE_T0 \table, \idx, \flags
.endm
/* table[idx] = PTE for the constant physical address `pa`. */
.macro PTE_C table, idx, pa, flags
        li t0, \pa
        PTE_T0 \table, \idx, \flags
.endm
/* The end of a test that ran with paging on: back to M-mode, paging
 * off, pass; the handlers; then the page-aligned .bss where the test
 * declares its tables. */
#define PAGING_TEST_END                                                 \
        GOTO_M;                                                         \
        csrw satp, zero;                                                \
        j pass;                                                         \
        TEST_END;                                                       \
        PRIV_HANDLERS;                                                  \
        .bss;                                                           \
        .balign 4096

/* The first doubleword of each of `n` 4 KiB pages from label `base` =
 * 0x1000 + the page's index. Uses t0-t3. */
.macro NUMBER_PAGES base, n
        la t0, \base
        li t1, 0x1000
        li t2, \n
1:      sd t1, 0(t0)
        li t3, 4096
        add t0, t0, t3
        addi t1, t1, 1
        addi t2, t2, -1
        bnez t2, 1b
.endm
/* t0 = address of table[idx] */
.macro PTE_ADDR table, idx
        la t0, \table
        li t1, (\idx) * 8
        add t0, t0, t1
.endm
/* satp = mode | root PPN; sfence.vma */
.macro SET_SATP mode, root
        la t0, \root
        srli t0, t0, 12
        li t1, \mode
        or t0, t0, t1
        csrw satp, t0
        sfence.vma
.endm

#endif
