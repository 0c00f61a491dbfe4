/* hartvm's own guest test environment (bare metal, M-mode, RV64).
 *
 * Protocol (HTIF): the program ends by storing to the 64-bit word `tohost`:
 *   1                 pass
 *   (n << 1) | 1      failure of test case n (n >= 1)
 * The current test case number lives in gp (x3); `fail` reports it.
 *
 * Layout: linked at 0x80000000 by link.ld, entry `_start`, M-mode,
 * a0 = hartid, a1 = DTB address on entry. Harts other than 0 park in WFI.
 */
#ifndef HARTVM_TEST_H
#define HARTVM_TEST_H

#define TESTNUM gp

/* Start of a test program: traps go to `hartvm_unexpected_trap` (fails with
 * the current test number) until the program installs its own mtvec. */
#define TEST_BEGIN                                                      \
        .section .text.init, "ax", @progbits;                           \
        .globl _start;                                                  \
_start:                                                                 \
        la t0, hartvm_unexpected_trap;                                  \
        csrw mtvec, t0;                                                 \
        csrr t0, mhartid;                                               \
        beqz t0, 1f;                                                    \
2:      wfi;                                                            \
        j 2b;                                                           \
1:      li TESTNUM, 0;                                                  \
        la sp, hartvm_stack_top;                                        \
        li t0, (1 << 13);  /* mstatus.FS = initial */                   \
        csrs mstatus, t0;                                               \
        csrwi fcsr, 0;                                                  \
        j hartvm_test_main;                                             \
        .balign 4;                                                      \
hartvm_unexpected_trap:                                                 \
        j fail;                                                         \
        .text;                                                          \
hartvm_test_main:

/* End of the test code: pass, plus the shared `fail` and `pass` labels. */
#define TEST_END                                                        \
pass:                                                                   \
        li a0, 1;                                                       \
        la t0, tohost;                                                  \
        sd a0, 0(t0);                                                   \
3:      j 3b;                                                           \
fail:                                                                   \
        slli a0, TESTNUM, 1;                                            \
        ori a0, a0, 1;                                                  \
        la t0, tohost;                                                  \
        sd a0, 0(t0);                                                   \
4:      j 4b;                                                           \
        .section .tohost, "aw", @progbits;                              \
        .balign 64;                                                     \
        .globl tohost;                                                  \
tohost: .dword 0;                                                       \
        .balign 64;                                                     \
        .globl fromhost;                                                \
fromhost: .dword 0;                                                     \
        .bss;                                                           \
        .balign 16;                                                     \
        .space 16384;                                                   \
hartvm_stack_top:                                                       \
        .text

/* Run `code`, then compare register `reg` with `expected`; fail as case n. */
#define TEST_CASE(n, reg, expected, code...)                            \
        li TESTNUM, n;                                                  \
        code;                                                           \
        li t6, expected;                                                \
        bne reg, t6, fail

/* Fail as case n unless registers a and b are equal. */
#define CHECK_EQ(n, a, b)                                               \
        li TESTNUM, n;                                                  \
        bne a, b, fail

#endif
