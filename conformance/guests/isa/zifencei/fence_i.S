/* fence.i: self-modifying code. New instructions are stored over existing
 * ones (that were executed before, also inside a hot loop and inside the very
 * block doing the store), fence.i is executed, and the new behaviour must be
 * observed. Templates of the new instructions are assembled in .data. */
#include "../isa_test.h"
        .option norvc
TEST_BEGIN
        /* 1..2: a function returning 1, patched to return 2 */
        TEST_CASE(1, a0, 1, jal ra, fn_const)
        TEST_CASE(2, a0, 2, lw t0, t_li2; la t1, fn_const; sw t0, 0(t1); fence.i; jal ra, fn_const)
        /* 3: patch it again (a second generation of the same address) */
        TEST_CASE(3, a0, 0xfffffffffffffffd, lw t0, t_lim3; la t1, fn_const; sw t0, 0(t1); fence.i; jal ra, fn_const)

        /* 4..8: a hot loop run many times, then its body patched */
        TEST_CASE(4, a0, 3000, li a1, 3000; jal ra, fn_loop)
        TEST_CASE(5, a0, 3000, li a1, 3000; jal ra, fn_loop)
        TEST_CASE(6, a0, 9000, lw t0, t_add3; la t1, loop_insn; sw t0, 0(t1); fence.i; li a1, 3000; jal ra, fn_loop)
        TEST_CASE(7, a0, 0xfffffffffffff448, lw t0, t_sub1; la t1, loop_insn; sw t0, 0(t1); fence.i; li a1, 3000; jal ra, fn_loop)
        /* back to the original instruction: a stale "newer" translation must not survive either */
        TEST_CASE(8, a0, 3000, lw t0, t_add1; la t1, loop_insn; sw t0, 0(t1); fence.i; li a1, 3000; jal ra, fn_loop)

        /* 9..: the block that stores also contains the patched instruction,
         * and it is executed several times with different patches */
        li gp, 9
        la s0, t_table
        li s1, 0
        li s2, 4
        la s3, inline_insn
1:      slli t0, s1, 2
        add t0, s0, t0
        lw t0, 0(t0)
        sw t0, 0(s3)
        fence.i
inline_insn:
        addi a0, zero, 0        /* becomes addi a0, zero, 10 + 7 * s1 */
        li t1, 7
        mul t1, t1, s1
        addi t1, t1, 10
        bne a0, t1, fail
        addi s1, s1, 1
        blt s1, s2, 1b

        /* 10: a 32-bit instruction replaced by a 16-bit one (+ c.nop) */
        TEST_CASE(10, a0, 5, lw t0, t_cli5_nop; la t1, fn_const; sw t0, 0(t1); fence.i; jal ra, fn_const)
        /* 11: two 16-bit instructions replaced by one 32-bit one */
        TEST_CASE(11, a0, 7, jal ra, fn_pair; li t6, 7; bne a0, t6, fail; lw t0, t_li0x55; la t1, fn_pair; sw t0, 0(t1); fence.i; li a0, 0; jal ra, fn_pair; li t6, 0x55; bne a0, t6, fail; li a0, 7)
        /* 12: halfword stores: c.li a0, -15 then c.nop (0x0001) */
        TEST_CASE(12, a0, 0xfffffffffffffff1, lh t0, t_clim15; la t1, fn_pair; sh t0, 0(t1); li t2, 1; sh t2, 2(t1); fence.i; jal ra, fn_pair)
        /* 13: patching only one byte (the top byte of addi's immediate) */
        TEST_CASE(13, a0, 0x121, lw t0, t_add1; la t1, fn_byte; sw t0, 0(t1); fence.i; li a0, 0; jal ra, fn_byte; li t6, 1; bne a0, t6, fail; li t0, 0x12; sb t0, 3(t1); fence.i; li a0, 0; jal ra, fn_byte)
        /* 14: patch a loop-closing branch: bne -> beq (leaves after one pass) */
        TEST_CASE(14, a0, 1, li a1, 10; jal ra, fn_br; li t6, 10; bne a0, t6, fail; la t1, br_insn; lw t0, 0(t1); li t2, ~(7 << 12); and t0, t0, t2; sw t0, 0(t1); fence.i; li a1, 10; jal ra, fn_br)
        j pass_all

        .balign 4
fn_const:
        addi a0, zero, 1
        ret
fn_loop:
        li a0, 0
1:
loop_insn:
        addi a0, a0, 1
        addi a1, a1, -1
        bnez a1, 1b
        ret
fn_pair:
        .option push
        .option rvc
        c.li a0, 3
        c.addi a0, 4
        .option pop
        ret
fn_byte:
        addi a0, a0, 1
        ret
fn_br:
        li a0, 0
1:      addi a0, a0, 1
        addi a1, a1, -1
br_insn:
        bne a1, zero, 1b        /* funct3 001; cleared to 000 = beq */
        ret
pass_all:
TEST_END
        .data
        .balign 4
t_li2:  addi a0, zero, 2
t_lim3: addi a0, zero, -3
t_add1: addi a0, a0, 1
t_add3: addi a0, a0, 3
t_sub1: addi a0, a0, -1
t_li0x55: addi a0, a0, 0x55
t_table:
        addi a0, zero, 10
        addi a0, zero, 17
        addi a0, zero, 24
        addi a0, zero, 31
        .option push
        .option rvc
t_cli5_nop:
        c.li a0, 5
        c.nop
t_clim15:
        c.li a0, -15
        .option pop
        .balign 4
