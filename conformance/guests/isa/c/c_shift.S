/* Compressed shifts: c.slli (any rd), c.srli / c.srai (rd' only), 6-bit shamt. */
#include "../isa_test.h"
TEST_BEGIN
        TEST_CASE(1, a0, 0x2, li a0, 1; c.slli a0, 1)
        TEST_CASE(2, a0, 0x80000000, li a0, 1; c.slli a0, 31)
        TEST_CASE(3, a0, 0x100000000, li a0, 1; c.slli a0, 32)
        TEST_CASE(4, a0, 0x8000000000000000, li a0, 1; c.slli a0, 63)
        TEST_CASE(5, t3, 0xfffffffffffffff0, li t3, -1; c.slli t3, 4)
        TEST_CASE(6, a0, 0x3456789abcdef000, li a0, 0x0123456789abcdef; c.slli a0, 12)
        TEST_CASE(7, a0, 0x7fffffffffffffff, li a0, -1; c.srli a0, 1)
        TEST_CASE(8, a0, 0x1, li a0, 0x8000000000000000; c.srli a0, 63)
        TEST_CASE(9, a0, 0xffffffff, li a0, -1; c.srli a0, 32)
        TEST_CASE(10, s0, 0x1ffffffff, li s0, -1; c.srli s0, 31)
        TEST_CASE(11, a5, 0x00123456789abcde, li a5, 0x0123456789abcdef; c.srli a5, 4)
        TEST_CASE(12, a0, 0xffffffffffffffff, li a0, 0x8000000000000000; c.srai a0, 63)
        TEST_CASE(13, a0, 0xffffffff80000000, li a0, 0x8000000000000000; c.srai a0, 32)
        TEST_CASE(14, a0, 0x3fffffffffffffff, li a0, 0x7fffffffffffffff; c.srai a0, 1)
        TEST_CASE(15, s1, 0xfffffffffedcba98, li s1, 0xfedcba9876543210; c.srai s1, 32)
        TEST_CASE(16, a2, 0xfff0123456789abc, li a2, 0xf0123456789abcde; c.srai a2, 8)
        TEST_CASE(17, a3, 0x0, li a3, 0x7fffffffffffffff; c.srai a3, 63)
        TEST_CASE(18, a4, 0x1, li a4, 0x80000000; c.srli a4, 31)
TEST_END
