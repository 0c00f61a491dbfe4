/* Sstc from M-mode's side: menvcfg.STCE gates S-mode access to stimecmp
 * (with mcounteren.TM), with STCE set mip.STIP is (time >= stimecmp) and
 * read-only, with STCE clear stimecmp raises nothing and STIP is M-mode
 * software's again. */
#include "hartvm_test.h"
#include "priv.h"

#define STIMECMP 0x14d
#define MENVCFG_STCE_BIT 63
#define MCOUNTEREN_TM 2

/* Case n: reading stimecmp in the current mode traps as illegal. */
#define STIMECMP_ILLEGAL(n)                                             \
        li TESTNUM, n; CLEAR_TRAP;                                      \
        csrr a0, STIMECMP;                                              \
        CHECK_CAUSE(n, CAUSE_ILLEGAL)

TEST_BEGIN
PRIV_INIT
        li a7, 0
        /* 1: STCE is writable (and reads back) */
        li t0, 1
        slli t0, t0, MENVCFG_STCE_BIT
        csrs menvcfg, t0
        csrr a0, menvcfg
        srli a0, a0, MENVCFG_STCE_BIT
        TEST_CASE(1, a0, 1, )
        /* 2: M-mode reads back what it wrote */
        li t1, 0x123456789
        csrw STIMECMP, t1
        csrr a0, STIMECMP
        TEST_CASE(2, a0, 0x123456789, )

        /* 3: STCE = 1 and stimecmp in the past: STIP pending */
        csrw STIMECMP, zero
        csrr a0, mip
        andi a0, a0, (1 << IRQ_STI)
        TEST_CASE(3, a0, (1 << IRQ_STI), )
        /* 4: ... and software cannot clear it */
        li t1, (1 << IRQ_STI)
        csrc mip, t1
        csrr a0, mip
        andi a0, a0, (1 << IRQ_STI)
        TEST_CASE(4, a0, (1 << IRQ_STI), )
        /* 5: stimecmp far ahead clears STIP, and software cannot set it */
        li t1, -1
        csrw STIMECMP, t1
        li t1, (1 << IRQ_STI)
        csrs mip, t1
        csrr a0, mip
        andi a0, a0, (1 << IRQ_STI)
        TEST_CASE(5, a0, 0, )

        /* 6: S-mode with STCE = 1 but mcounteren.TM = 0: illegal */
        csrw mcounteren, zero
        GOTO_S
        STIMECMP_ILLEGAL(6)
        GOTO_M
        /* 7: S-mode with STCE = 1 and TM = 1: stimecmp is S-mode's */
        li t1, MCOUNTEREN_TM
        csrw mcounteren, t1
        GOTO_S
        li TESTNUM, 7
        CLEAR_TRAP
        li t1, 0x42
        csrw STIMECMP, t1
        csrr a0, STIMECMP
        CHECK_NO_TRAP(7)
        TEST_CASE(8, a0, 0x42, )
        /* 9: the S-mode view: sip.STIP set (0x42 is long past) */
        li t1, (1 << IRQ_STI)
        GOTO_M
        csrs mideleg, t1
        GOTO_S
        csrr a0, sip
        andi a0, a0, (1 << IRQ_STI)
        TEST_CASE(9, a0, (1 << IRQ_STI), )
        GOTO_M
        li t1, (1 << IRQ_STI)
        csrc mideleg, t1

        /* 10: STCE = 0: S-mode access is illegal even with TM = 1 */
        li t0, 1
        slli t0, t0, MENVCFG_STCE_BIT
        csrc menvcfg, t0
        GOTO_S
        STIMECMP_ILLEGAL(10)
        GOTO_M
        /* 11: STCE = 0: a past stimecmp raises nothing ... */
        csrw STIMECMP, zero
        csrr a0, mip
        andi a0, a0, (1 << IRQ_STI)
        TEST_CASE(11, a0, 0, )
        /* 12: ... and STIP is M-mode software's to set and clear */
        li t1, (1 << IRQ_STI)
        csrs mip, t1
        csrr a0, mip
        andi a0, a0, (1 << IRQ_STI)
        TEST_CASE(12, a0, (1 << IRQ_STI), )
        li t1, (1 << IRQ_STI)
        csrc mip, t1
        csrr a0, mip
        andi a0, a0, (1 << IRQ_STI)
        TEST_CASE(13, a0, 0, )
        /* 14: U-mode never reaches stimecmp */
        li t0, 1
        slli t0, t0, MENVCFG_STCE_BIT
        csrs menvcfg, t0
        GOTO_U
        STIMECMP_ILLEGAL(14)
        GOTO_M
        li t1, -1
        csrw STIMECMP, t1
TEST_END
PRIV_HANDLERS
