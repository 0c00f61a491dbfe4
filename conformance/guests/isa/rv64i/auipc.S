/* auipc: pc-relative upper immediate, sign-extended from bit 31 on RV64. */
#include "../isa_test.h"
        .option norvc
TEST_BEGIN
        /* result minus the instruction's own address = imm << 12 */
        TEST_CASE(1, a0, 0x0, 1: auipc a0, 0; la a1, 1b; sub a0, a0, a1)
        TEST_CASE(2, a0, 0x1000, 1: auipc a0, 1; la a1, 1b; sub a0, a0, a1)
        TEST_CASE(3, a0, 0x7ffff000, 1: auipc a0, 0x7ffff; la a1, 1b; sub a0, a0, a1)
        TEST_CASE(4, a0, 0xffffffff80000000, 1: auipc a0, 0x80000; la a1, 1b; sub a0, a0, a1)
        TEST_CASE(5, a0, 0xfffffffffffff000, 1: auipc a0, 0xfffff; la a1, 1b; sub a0, a0, a1)
        TEST_CASE(6, a0, 0xffffffffedcba000, 1: auipc a0, 0xedcba; la a1, 1b; sub a0, a0, a1)
        /* absolute: code runs at 0x8000xxxx, so auipc -0x80000000 wraps to pc - 0x80000000 */
        TEST_CASE(7, a0, 0x0, 1: auipc a0, 0x80000; la a1, 1b; li a2, 0x80000000; sub a1, a1, a2; sub a0, a0, a1)
        /* the upper 32 bits of pc take part in the sum (bit 31 of pc is set here) */
        TEST_CASE(8, a0, 0x0, 1: auipc a0, 0; srli a0, a0, 32)
        TEST_CASE(9, a0, 0x1, 1: auipc a0, 0; srli a0, a0, 31)
        /* each auipc uses its own pc: two in a row differ by 4 */
        TEST_CASE(10, a0, 0x4, auipc a1, 0; auipc a0, 0; sub a0, a0, a1)
        /* auipc + addi/jalr style pc-relative addressing reaches a label */
        TEST_CASE(11, a0, 0x1234, 1: auipc a1, %pcrel_hi(word); ld a0, %pcrel_lo(1b)(a1))
        /* rd = x0 stays zero */
        TEST_CASE(12, x0, 0, auipc x0, 0x12345)
TEST_END
        .data
        .balign 8
word:   .dword 0x1234
