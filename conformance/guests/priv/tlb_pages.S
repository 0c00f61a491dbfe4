/* Runs of accesses off one base register with Sv39 paging on, where a
 * translator may reuse the page an earlier access of the run found (see
 * hartvm's `tlb_access`). Each case moves to a page mapped elsewhere, or
 * changes the kind of access, after a first access has found its page:
 * the later access must see its own page's mapping and permissions.
 *
 * pt_l0 (VA(i) = 0xC0000000 + i * 4 KiB; dp(i) holds 0x1000 + i at 0):
 *   0 dp0 RW    1 dp1 R (read-only)    2 dp3 RW    3 dp2 RW    4 dp4 RW
 * VA(2) and VA(3) are contiguous, their pages are not (and in reverse
 * order), and dp4 follows dp3: reusing VA(2)'s page for VA(3) would reach
 * dp4. Straight-line code, so one translation holds each run. */
#include "hartvm_test.h"
#include "priv.h"
#define VA(i) (0xC0000000 + (i) * 4096)
#define LEAF(f) (PTE_V | PTE_AD | (f))

TEST_BEGIN
PRIV_INIT
        PTE_C pt_l2, 2, 0x80000000, LEAF(PTE_RWX)
        PTE_L pt_l2, 3, pt_l1, PTE_V
        PTE_L pt_l1, 0, pt_l0, PTE_V
        PTE_L pt_l0, 0, dpages + 0 * 4096, LEAF(PTE_R | PTE_W)
        PTE_L pt_l0, 1, dpages + 1 * 4096, LEAF(PTE_R)
        PTE_L pt_l0, 2, dpages + 3 * 4096, LEAF(PTE_R | PTE_W)
        PTE_L pt_l0, 3, dpages + 2 * 4096, LEAF(PTE_R | PTE_W)
        PTE_L pt_l0, 4, dpages + 4 * 4096, LEAF(PTE_R | PTE_W)
        NUMBER_PAGES dpages, 5
        SET_SATP SATP_SV39, pt_l2
        GOTO_S
        CLEAR_TRAP

        /* 1-2: loads; the base moves by immediates into the next page */
        li a1, VA(2)
        ld a0, 0(a1)
        addi a1, a1, 2047
        addi a1, a1, 2047
        addi a1, a1, 2
        ld a2, 0(a1)
        TEST_CASE(1, a0, 0x1003, )
        TEST_CASE(2, a2, 0x1002, )

        /* 3-6: stores likewise; dp4 keeps its value */
        li a1, VA(2)
        li t1, 0x3333
        li t2, 0x2222
        sd t1, 16(a1)
        addi a1, a1, 2047
        addi a1, a1, 2047
        addi a1, a1, 2
        sd t2, 16(a1)
        li a1, VA(2)
        ld a0, 16(a1)
        TEST_CASE(3, a0, 0x3333, )
        li a1, VA(3)
        ld a0, 16(a1)
        TEST_CASE(4, a0, 0x2222, )
        li a1, VA(4)
        ld a0, 16(a1)
        TEST_CASE(5, a0, 0, )
        ld a0, 0(a1)
        TEST_CASE(6, a0, 0x1004, )

        /* 7-9: a load finds a read-only page; a store off the same base
         * to the same page still faults, precisely */
        li TESTNUM, 7
        CLEAR_TRAP
        li a1, VA(1)
        ld a0, 0(a1)
97:     sd a0, 8(a1)
        CHECK_CAUSE(7, CAUSE_STORE_PAGE)
        addi t5, a1, 8
        li TESTNUM, 8
        bne s10, t5, fail
        la t6, 97b
        bne s9, t6, fail
        TEST_CASE(9, a0, 0x1001, )

        /* 10-11: a store, then a load of the same page (no store tag
         * grants loads) and a store to a read-only one off the same base */
        li TESTNUM, 10
        CLEAR_TRAP
        li a1, VA(0)
        li t1, 0x4444
        sd t1, 24(a1)
        ld a0, 24(a1)
        TEST_CASE(10, a0, 0x4444, )
        li t2, 4096
        add a1, a1, t2
96:     sd t1, 24(a1)
        CHECK_CAUSE(11, CAUSE_STORE_PAGE)
        la t6, 96b
        bne s9, t6, fail

        /* 12-13: misaligned loads after an aligned one: within the page,
         * then across into the next, differently mapped page */
        CLEAR_TRAP
        li a1, VA(2) + 4080
        li t1, 0x8877665544332211
        sd t1, 8(a1)
        ld a0, 0(a1)
        lw a2, 11(a1)
        li t6, 0x77665544
        li TESTNUM, 12
        beqz s11, 1f
        CHECK_CAUSE(12, CAUSE_LOAD_MISALIGNED)
        j 2f
1:      bne a2, t6, fail
        li a1, VA(2) + 4088
        ld a0, 0(a1)
        ld a2, 4(a1)
        /* the high half of VA(3)'s first word is 0; its low word, 0x1002 */
        li t6, 0x0000100288776655
        li TESTNUM, 13
        bne a2, t6, fail
2:
PAGING_TEST_END
pt_l2:  .space 4096
pt_l1:  .space 4096
pt_l0:  .space 4096
dpages: .space 5 * 4096
