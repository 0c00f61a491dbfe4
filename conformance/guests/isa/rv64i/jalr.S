/* jalr: target = (rs1 + imm) & ~1, link = pc + 4, rd = rs1, x0. */
#include "../isa_test.h"
        .option norvc
TEST_BEGIN
        /* 1: plain call through a register */
        li gp, 1
        la a1, 1f
        jalr ra, 0(a1)
2:      j fail
1:      la t0, 2b
        bne ra, t0, fail

        /* 2: positive offset */
        li gp, 2
        la a1, 1f
        addi a1, a1, -16
        jalr t1, 16(a1)
2:      j fail
1:      la t0, 2b
        bne t1, t0, fail

        /* 3: negative offset, target before the jalr */
        li gp, 3
        j 3f
4:      la t0, 5f
        bne t2, t0, fail
        j 6f
3:      la a1, 4b
        addi a1, a1, 2000
        jalr t2, -2000(a1)
5:      j fail
6:

        /* 4: bit 0 of rs1 + imm is cleared (odd register) */
        li gp, 4
        la a1, 1f
        addi a1, a1, 1
        jalr ra, 0(a1)
        j fail
1:
        /* 5: bit 0 cleared (odd immediate) */
        li gp, 5
        la a1, 1f
        jalr ra, 1(a1)
        j fail
1:
        /* 6: bit 0 cleared, odd sum from -1 offset */
        li gp, 6
        la a1, 1f
        addi a1, a1, 2
        jalr ra, -1(a1)
        j fail
1:
        /* 7: rd = rs1: the target uses the old rs1, then rd gets the link */
        li gp, 7
        la a1, 1f
        jalr a1, 0(a1)
2:      j fail
1:      la t0, 2b
        bne a1, t0, fail

        /* 8: jr (rd = x0) does not write x0 */
        li gp, 8
        la a1, 1f
        jalr x0, 0(a1)
        j fail
1:      bnez x0, fail

        /* 9: call and return with jalr x0, 0(ra) */
        TEST_CASE(9, a0, 10, li a0, 3; la a1, add7; jalr ra, 0(a1); nop)

        /* 10: computed jump table */
        TEST_CASE(10, a0, 22, li a0, 0; la a1, table; jalr ra, 8(a1); addi a0, a0, 20)

        /* 11: link of a jalr in a loop, executed several times */
        li gp, 11
        li s0, 0
        li s1, 50
        la a1, count
1:      jalr ra, 0(a1)
2:      la t0, 2b
        bne ra, t0, fail
        blt s0, s1, 1b
        li t0, 50
        bne s0, t0, fail
        j pass_all

add7:   addi a0, a0, 7
        jalr x0, 0(ra)
count:  addi s0, s0, 1
        ret
table:  addi a0, a0, 1
        ret
        addi a0, a0, 2
        ret
pass_all:
TEST_END
