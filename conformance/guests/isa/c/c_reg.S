/* Compressed register-register forms: c.mv, c.add (any registers), c.sub,
 * c.xor, c.or, c.and, c.subw, c.addw (rd', rs2' in x8..x15). */
#include "../isa_test.h"
TEST_BEGIN
        TEST_CASE(1, a0, 0x0123456789abcdef, li a1, 0x0123456789abcdef; c.mv a0, a1)
        TEST_CASE(2, t5, 0xffffffffffffffff, li s7, -1; c.mv t5, s7)
        TEST_CASE(3, a0, 5, li a0, 5; c.mv a0, a0)
        TEST_CASE(4, a0, 0x3, li a0, 1; li a1, 2; c.add a0, a1)
        TEST_CASE(5, a0, 0x0, li a0, -1; li a1, 1; c.add a0, a1)
        TEST_CASE(6, s9, 0x8000000000000000, li s9, 0x7fffffffffffffff; li t4, 1; c.add s9, t4)
        TEST_CASE(7, a0, 0xa, li a0, 5; c.add a0, a0)
        TEST_CASE(8, a0, 0xffffffffffffffff, li a0, 0; li a1, 1; c.sub a0, a1)
        TEST_CASE(9, s0, 0x7fffffffffffffff, li s0, 0x8000000000000000; li s1, 1; c.sub s0, s1)
        TEST_CASE(10, a5, 0x0, li a5, 1234; c.sub a5, a5)
        TEST_CASE(11, a0, 0xff00ff00ff00ff00, li a0, 0x0ff00ff00ff00ff0; li a1, 0xf0f0f0f0f0f0f0f0; c.xor a0, a1)
        TEST_CASE(12, a2, 0x0, li a2, -1; c.xor a2, a2)
        TEST_CASE(13, a0, 0xfff0fff0fff0fff0, li a0, 0x0ff00ff00ff00ff0; li a1, 0xf0f0f0f0f0f0f0f0; c.or a0, a1)
        TEST_CASE(14, a3, 0x8000000000000001, li a3, 1; li a4, 0x8000000000000000; c.or a3, a4)
        TEST_CASE(15, a0, 0x00f000f000f000f0, li a0, 0x0ff00ff00ff00ff0; li a1, 0xf0f0f0f0f0f0f0f0; c.and a0, a1)
        TEST_CASE(16, s1, 0x0, li s1, 0xaaaaaaaaaaaaaaaa; li s0, 0x5555555555555555; c.and s1, s0)
        /* W forms: 32-bit result, sign-extended; upper input bits ignored */
        TEST_CASE(17, a0, 0xffffffff80000000, li a0, 0x7fffffff; li a1, 1; c.addw a0, a1)
        TEST_CASE(18, a0, 0x0, li a0, 0xffffffff; li a1, 1; c.addw a0, a1)
        TEST_CASE(19, a0, 0x3, li a0, 0x1234567800000001; li a1, 0x8765432100000002; c.addw a0, a1)
        TEST_CASE(20, a0, 0x7fffffff, li a0, 0x80000000; li a1, 1; c.subw a0, a1)
        TEST_CASE(21, a0, 0xffffffffffffffff, li a0, 0; li a1, 1; c.subw a0, a1)
        TEST_CASE(22, s0, 0xffffffff80000000, li s0, 0x1234567800000000; li a5, 0x80000000; c.subw s0, a5)
        TEST_CASE(23, a4, 0x0, li a4, 0xdeadbeef12345678; c.subw a4, a4)
        TEST_CASE(24, a0, 0x2468acf0, li a0, 0xffffffff12345678; c.addw a0, a0)
TEST_END
