/* Short forward branches over a few ALU instructions inside hot loops:
 * the JIT turns them into selects (the skipped instructions run either
 * way, their results kept only when the branch falls through). Results
 * and the retired-instruction count must be those of the branch: a
 * bit-serial CRC whose carry branch skips two instructions, a skip of
 * four that writes the branch's own operand and x0, a skip of five (too
 * long to convert), and minstret across a loop that takes some skips.
 * Hand-written; the expected values follow from the code. */
#include "../isa_test.h"
        .option norvc
TEST_BEGIN
        /* 1: CRC-16 (0xA001, reflected) of the bytes 0..63, from 0xffff */
        li a0, 0xffff
        li s1, 0
        li s2, 64
        li a2, 0xffffffffffffa001
1:      mv a1, s1
        li a4, 8
2:      xor a5, a1, a0
        andi a5, a5, 1
        srli a0, a0, 1
        addiw a4, a4, -1
        xor a3, a0, a2
        srli a1, a1, 1
        beqz a5, 3f
        slli a0, a3, 48
        srli a0, a0, 48
3:      bnez a4, 2b
        addi s1, s1, 1
        bne s1, s2, 1b
        TEST_CASE(1, a0, 0x8d9, )

        /* 2..5: a skip of four writing the branch operand (t0) and x0,
         * taken unless s1 is a multiple of 4; then minstret over it */
        li a0, 0
        li a1, 0
        li a2, 0
        li s1, 100
        csrr s3, minstret
4:      andi t0, s1, 3
        bnez t0, 5f
        addi a1, a1, 7
        add x0, a1, a1
        xor a2, a2, a1
        sub t0, t0, a1
5:      add a0, a0, t0
        addi s1, s1, -1
        bnez s1, 4b
        csrr s4, minstret
        TEST_CASE(2, a0, 0xfffffffffffff7b3, )
        TEST_CASE(3, a1, 0xaf, )
        TEST_CASE(4, a2, 0xef, )
        /* the csrr before the loop, 100 x 5, and 25 x 4 skipped ones run */
        TEST_CASE(5, a5, 601, sub a5, s4, s3)

        /* 6: a skip of five (run as a branch) in the same loop shape */
        li a0, 0
        li a1, 0
        li s1, 100
6:      andi t0, s1, 3
        bnez t0, 7f
        addi a1, a1, 7
        add x0, a1, a1
        xor a2, a2, a1
        sub t0, t0, a1
        addi a1, a1, 1
7:      add a0, a0, t0
        addi s1, s1, -1
        bnez s1, 6b
        TEST_CASE(6, a1, 0xc8, )
        j pass
TEST_END
