/* Compressed immediate forms: c.li, c.lui, c.addi, c.addiw, c.addi16sp,
 * c.addi4spn, c.andi, c.nop. Explicit c.* mnemonics force 16-bit encodings. */
#include "../isa_test.h"
TEST_BEGIN
        TEST_CASE(1, a0, 0, c.li a0, 0)
        TEST_CASE(2, a0, 31, c.li a0, 31)
        TEST_CASE(3, a0, 0xffffffffffffffe0, c.li a0, -32)
        TEST_CASE(4, s1, 0xffffffffffffffff, c.li s1, -1)
        TEST_CASE(5, t6, 7, c.li t6, 7; mv a0, t6; li t6, 7; bne a0, t6, fail)
        TEST_CASE(6, a0, 0x1000, c.lui a0, 1)
        TEST_CASE(7, a0, 0x1f000, c.lui a0, 31)
        /* 6-bit immediate 0b100000 is sign extended: -32 << 12 */
        TEST_CASE(8, a0, 0xfffffffffffe0000, c.lui a0, 0xfffe0)
        TEST_CASE(9, a0, 0xfffffffffffff000, c.lui a0, 0xfffff)
        TEST_CASE(10, s0, 0x5000, li s0, -1; c.lui s0, 5)
        TEST_CASE(11, a0, 0x10, li a0, 15; c.addi a0, 1)
        TEST_CASE(12, a0, 0xffffffffffffffe0, li a0, 0; c.addi a0, -32)
        TEST_CASE(13, a0, 0x800000000000001e, li a0, 0x7fffffffffffffff; c.addi a0, 31)
        TEST_CASE(14, a0, 0xffffffff, li a0, 0x100000000; c.addi a0, -1)
        /* c.addiw: 32-bit add, sign-extended; c.addiw rd, 0 is sext.w */
        TEST_CASE(15, a0, 0xffffffff80000000, li a0, 0x7fffffff; c.addiw a0, 1)
        TEST_CASE(16, a0, 0x7fffffff, li a0, 0x80000000; c.addiw a0, -1)
        TEST_CASE(17, a0, 0x12345678, li a0, 0xabcdef0012345678; c.addiw a0, 0)
        TEST_CASE(18, a0, 0xffffffff87654321, li a0, 0x87654321; c.addiw a0, 0)
        TEST_CASE(19, a0, 0x1f, li a0, 0xffffffff00000000; c.addiw a0, 31)
        TEST_CASE(20, a0, 0xffffffffffffffe0, li a0, 0; c.addiw a0, -32)
        /* c.addi16sp: sp += nzimm (multiple of 16, -512..496) */
        TEST_CASE(21, a0, 496, mv s11, sp; c.addi16sp sp, 496; sub a0, sp, s11; mv sp, s11)
        TEST_CASE(22, a0, 0xfffffffffffffe00, mv s11, sp; c.addi16sp sp, -512; sub a0, sp, s11; mv sp, s11)
        TEST_CASE(23, a0, 16, mv s11, sp; c.addi16sp sp, 16; sub a0, sp, s11; mv sp, s11)
        TEST_CASE(24, a0, 0xfffffffffffffff0, mv s11, sp; c.addi16sp sp, -16; sub a0, sp, s11; mv sp, s11)
        TEST_CASE(25, a0, 0x150, mv s11, sp; c.addi16sp sp, 0x150; sub a0, sp, s11; mv sp, s11)
        /* c.addi4spn: rd' = sp + nzuimm (multiple of 4, 4..1020) */
        TEST_CASE(26, a0, 4, c.addi4spn a0, sp, 4; sub a0, a0, sp)
        TEST_CASE(27, a5, 1020, c.addi4spn a5, sp, 1020; sub a5, a5, sp)
        TEST_CASE(28, s0, 0x2a8, c.addi4spn s0, sp, 0x2a8; sub s0, s0, sp)
        TEST_CASE(29, s1, 0x154, c.addi4spn s1, sp, 0x154; sub s1, s1, sp)
        TEST_CASE(30, a0, 0x100000010, mv s11, sp; li sp, 0x100000000; c.addi4spn a0, sp, 16; mv sp, s11)
        /* c.andi: rd' &= sext(imm6) */
        TEST_CASE(31, a0, 0x5, li a0, 0xf5; c.andi a0, 15)
        TEST_CASE(32, a0, 0xffffffffffffffe0, li a0, -1; c.andi a0, -32)
        TEST_CASE(33, a0, 0x8000000000000000, li a0, 0x8000000000000001; c.andi a0, -2)
        TEST_CASE(34, a4, 0, li a4, 0x1234; c.andi a4, 0)
        TEST_CASE(35, s1, 0x0123456789abcde0, li s1, 0x0123456789abcdef; c.andi s1, -16)
        /* c.nop changes nothing */
        TEST_CASE(36, a0, 3, li a0, 3; c.nop; c.nop)
        /* register numbers above x15 for the full-register forms */
        TEST_CASE(37, s11, 0xfffffffffffffff6, c.li s11, -10)
        TEST_CASE(38, t5, 0x3000, c.lui t5, 3)
        TEST_CASE(39, t4, 0x6, c.li t4, 1; c.addi t4, 5)
        TEST_CASE(40, s10, 0x1, li s10, 0xffffffff00000000; c.addiw s10, 1)
TEST_END
