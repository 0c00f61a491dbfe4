/* lui: upper immediate, sign-extended from bit 31 on RV64. */
#include "../isa_test.h"
        .option norvc
TEST_BEGIN
        TEST_CASE(1, a0, 0x0, lui a0, 0)
        TEST_CASE(2, a0, 0x1000, lui a0, 1)
        TEST_CASE(3, a0, 0x7ffff000, lui a0, 0x7ffff)
        TEST_CASE(4, a0, 0xffffffff80000000, lui a0, 0x80000)
        TEST_CASE(5, a0, 0xfffffffffffff000, lui a0, 0xfffff)
        TEST_CASE(6, a0, 0x12345000, lui a0, 0x12345)
        TEST_CASE(7, a0, 0xffffffffabcde000, lui a0, 0xabcde)
        /* lui then addi builds a full 32-bit constant */
        TEST_CASE(8, a0, 0x12344fff, lui a0, 0x12345; addi a0, a0, -1)
        TEST_CASE(9, a0, 0xffffffff7ffff800, lui a0, 0x80000; addi a0, a0, -2048)
        /* rd = x0 is a no-op */
        TEST_CASE(10, x0, 0, lui x0, 0x80000)
        /* lui overwrites all previous bits */
        TEST_CASE(11, a0, 0x1000, li a0, -1; lui a0, 1)
TEST_END
