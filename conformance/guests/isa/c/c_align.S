/* Mixed 16/32-bit code: 32-bit instructions at addresses 2 mod 4, jump and
 * branch targets at 2 mod 4, link values there, c.jalr link = pc + 2, and a
 * 32-bit instruction that straddles a page boundary. */
#include "../isa_test.h"
#define W32(insn...) .option push; .option norvc; insn; .option pop
TEST_BEGIN
        /* 1: 32-bit ALU instructions at 2 mod 4 */
        TEST_CASE(1, a0, 0x1235, .balign 4; c.li a0, 0; W32(lui a0, 1); W32(addi a0, a0, 0x235))
        /* 2: auipc at 2 mod 4 sees its own (halfword-aligned) pc */
        li gp, 2
        .balign 4
        c.nop
1:      W32(auipc a0, 0)
        la t0, 1b
        bne a0, t0, fail
        andi t0, a0, 3
        li t1, 2
        bne t0, t1, fail

        /* 3: jal at 0 mod 4 to a target at 2 mod 4, link = pc + 4 */
        li gp, 3
        .balign 4
        W32(jal ra, 1f)
2:      j fail
        .balign 4
        c.nop
1:      la t0, 2b
        bne ra, t0, fail

        /* 4: jal at 2 mod 4; the link (pc + 4) is also 2 mod 4 */
        li gp, 4
        .balign 4
        c.nop
        W32(jal ra, 1f)
2:      j fail
1:      la t0, 2b
        bne ra, t0, fail
        andi t0, ra, 3
        li t1, 2
        bne t0, t1, fail

        /* 5: c.jalr at 2 mod 4: link = pc + 2, a multiple of 4 */
        li gp, 5
        la t3, 1f
        .balign 4
        c.nop
        c.jalr t3
2:      j fail
1:      la t0, 2b
        bne ra, t0, fail
        andi t0, ra, 3
        bnez t0, fail

        /* 6: jalr to a target at 2 mod 4 */
        li gp, 6
        la t3, 1f
        jalr ra, 0(t3)
2:      j fail
        .balign 4
        c.nop
1:      la t0, 2b
        bne ra, t0, fail

        /* 7: 32-bit conditional branch at 2 mod 4, taken to 2 mod 4 */
        li gp, 7
        li a1, 5
        .balign 4
        c.nop
        W32(beq a1, a1, 1f)
        j fail
        .balign 4
        c.nop
1:
        /* 8: not taken branch at 2 mod 4 falls through to the next halfword */
        TEST_CASE(8, a0, 3, li a0, 1; .balign 4; c.nop; W32(bne a0, a0, fail); c.addi a0, 2)

        /* 9: a hot loop of mixed sizes, body starting at 2 mod 4 */
        li gp, 9
        li a0, 0
        li a1, 0
        li a2, 1000
        .balign 4
        c.nop
1:      c.addi a0, 1
        W32(addi a0, a0, 2)
        c.addi a1, 1
        W32(blt a1, a2, 1b)
        li t0, 3000
        bne a0, t0, fail

        /* 10: a 32-bit instruction straddling a page boundary, reached by a
         * jump and by falling through, several times */
        li gp, 10
        li s1, 0
        li s2, 0
        li s3, 20
3:      jal ra, straddle
        add s1, s1, a0
        addi s2, s2, 1
        blt s2, s3, 3b
        li t0, 20 * 0x678
        bne s1, t0, fail
        la t0, straddle_insn
        li t1, 0xffe
        and t0, t0, t1
        bne t0, t1, fail
        j pass_all

        /* the page before: zeros (illegal) except the tail */
        .balign 4096
        .skip 4096 - 6
straddle:
        c.li a0, 0
        c.nop
straddle_insn:
        W32(addi a0, a0, 0x678)    /* bytes 0xffe..0x1001 of the page pair */
        c.jr ra
pass_all:
TEST_END
