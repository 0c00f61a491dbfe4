/* Compressed control transfer: c.j, c.jr, c.jalr (link = pc + 2),
 * c.beqz, c.bnez (taken / not taken, forward / backward, sign of rs1'). */
#include "../isa_test.h"
TEST_BEGIN
        /* 1: c.j forward skips the code in between */
        TEST_CASE(1, a0, 4, li a0, 0; c.j 1f; c.addi a0, 1; c.addi a0, 2; 1: c.addi a0, 4)
        /* 2: c.j backward */
        li gp, 2
        c.j 2f
1:      c.j 3f
2:      c.j 1b
        j fail
3:
        /* 3: c.jr to a register target, no link written */
        li gp, 3
        li ra, 0x55
        la a1, 1f
        c.jr a1
        j fail
1:      li t0, 0x55
        bne ra, t0, fail

        /* 4: c.jalr: link = address of the c.jalr + 2 */
        li gp, 4
        la t2, 1f
        c.jalr t2
2:      j fail
1:      la t0, 2b
        bne ra, t0, fail
        la t0, 2b - 2
        sub t0, ra, t0
        li t1, 2
        bne t0, t1, fail

        /* 5: c.jalr through ra itself: target is the old ra, then ra = link */
        li gp, 5
        la ra, 1f
        c.jalr ra
2:      j fail
1:      la t0, 2b
        bne ra, t0, fail

        /* 6: c.jalr as a call, c.jr ra as the return */
        TEST_CASE(6, a0, 12, li a0, 5; la t1, add7; c.jalr t1)

        /* 7..: c.beqz / c.bnez, taken and not taken */
        TEST_CASE(7, a0, 1, li a0, 0; li a1, 0; c.beqz a1, 1f; li a0, 2; 1: c.addi a0, 1)
        TEST_CASE(8, a0, 3, li a0, 0; li a1, 1; c.beqz a1, 1f; li a0, 2; 1: c.addi a0, 1)
        TEST_CASE(9, a0, 3, li a0, 0; li a1, 0; c.bnez a1, 1f; li a0, 2; 1: c.addi a0, 1)
        TEST_CASE(10, a0, 1, li a0, 0; li a1, -1; c.bnez a1, 1f; li a0, 2; 1: c.addi a0, 1)
        TEST_CASE(11, a0, 1, li a0, 0; li s1, 0x8000000000000000; c.bnez s1, 1f; li a0, 2; 1: c.addi a0, 1)
        /* only the full 64-bit value counts: upper bits set, low bits zero */
        TEST_CASE(12, a0, 3, li a0, 0; li s0, 0x100000000; c.beqz s0, 1f; li a0, 2; 1: c.addi a0, 1)
        /* 13: backward c.bnez closing a loop */
        TEST_CASE(13, a0, 30, li a0, 0; li a5, 10; 1: c.addi a0, 3; c.addi a5, -1; c.bnez a5, 1b)
        /* 14: backward c.beqz taken */
        li gp, 14
        li a4, 0
        c.j 2f
1:      c.j 3f
2:      c.beqz a4, 1b
        j fail
3:
        /* 15: c.j over (nearly) its full range, about 2 KiB each way */
        li gp, 15
        c.j 2f
1:      c.j 3f
        .fill 1000, 2, 0x0001      /* c.nop, never executed */
2:      c.j 1b
3:      j pass_all

add7:   c.addi a0, 7
        c.jr ra
pass_all:
TEST_END
