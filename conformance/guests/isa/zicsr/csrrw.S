/* Zicsr read-modify-write semantics on mscratch (a plain read/write
 * 64-bit CSR): csrrw, csrrs, csrrc and the immediate forms; rd = x0,
 * rs1 = x0 / uimm = 0 forms; rd = rs1. */
#include "../isa_test.h"
        .option norvc
TEST_BEGIN
        /* csrrw: old value to rd, rs1 to the CSR */
        TEST_CASE(1, a0, 0x0123456789abcdef, li a1, 0x0123456789abcdef; csrw mscratch, a1; csrr a0, mscratch)
        TEST_CASE(2, a0, 0x0123456789abcdef, li a2, -1; csrrw a0, mscratch, a2)
        TEST_CASE(3, a0, 0xffffffffffffffff, csrr a0, mscratch)
        TEST_CASE(4, a0, 0xffffffffffffffff, li a2, 0x8000000000000000; csrrw a0, mscratch, a2)
        TEST_CASE(5, a0, 0x8000000000000000, csrr a0, mscratch)
        /* csrrw with rd = x0 (csrw) writes, x0 stays 0 */
        TEST_CASE(6, a0, 0x55, li a2, 0x55; csrrw x0, mscratch, a2; csrr a0, mscratch; bnez x0, fail)
        /* rd = rs1: swap */
        TEST_CASE(7, a1, 0x55, li a1, 0x77; csrrw a1, mscratch, a1)
        TEST_CASE(8, a0, 0x77, csrr a0, mscratch)
        /* csrrw with rs1 = x0 writes zero */
        TEST_CASE(9, a0, 0x77, csrrw a0, mscratch, x0)
        TEST_CASE(10, a0, 0, csrr a0, mscratch)

        /* csrrs: old to rd, CSR |= rs1 */
        TEST_CASE(11, a0, 0, li a1, 0xf0f0; csrw mscratch, a1; li a1, 0xff00ff; csrrs a0, mscratch, a1; li t6, 0xf0f0; bne a0, t6, fail; li a0, 0)
        TEST_CASE(12, a0, 0xfff0ff, csrr a0, mscratch)
        TEST_CASE(13, a0, 0xfff0ff, li a1, 0x8000000000000000; csrrs a0, mscratch, a1)
        TEST_CASE(14, a0, 0x8000000000fff0ff, csrr a0, mscratch)
        /* csrrs with rs1 = x0 (csrr): a pure read, no change */
        TEST_CASE(15, a0, 0x8000000000fff0ff, csrrs a0, mscratch, x0; csrrs a0, mscratch, x0)
        /* csrrs with rd = x0 (csrs) */
        TEST_CASE(16, a0, 0x8000000000fff0ff | 0x0f00000000000000, li a1, 0x0f00000000000000; csrrs x0, mscratch, a1; csrr a0, mscratch)

        /* csrrc: old to rd, CSR &= ~rs1 */
        TEST_CASE(17, a0, 0x8f00000000fff0ff, li a1, 0x8000000000f000f0; csrrc a0, mscratch, a1)
        TEST_CASE(18, a0, 0x0f000000000ff00f, csrr a0, mscratch)
        TEST_CASE(19, a0, 0x0f000000000ff00f, csrrc a0, mscratch, x0; csrr a0, mscratch)
        TEST_CASE(20, a0, 0x0, li a1, -1; csrc mscratch, a1; csrr a0, mscratch)
        /* rd = rs1 for csrrs / csrrc: the mask is the old register value */
        TEST_CASE(21, a1, 0x0, li a1, 0x1234; csrrs a1, mscratch, a1)
        TEST_CASE(22, a0, 0x1234, csrr a0, mscratch)
        TEST_CASE(23, a1, 0x1234, li a1, 0x0204; csrrc a1, mscratch, a1)
        TEST_CASE(24, a0, 0x1030, csrr a0, mscratch)

        /* immediate forms: uimm is a zero-extended 5-bit value */
        TEST_CASE(25, a0, 0x1030, csrrwi a0, mscratch, 31)
        TEST_CASE(26, a0, 31, csrr a0, mscratch)
        TEST_CASE(27, a0, 31, csrrwi a0, mscratch, 0)
        TEST_CASE(28, a0, 0, csrr a0, mscratch)
        TEST_CASE(29, a0, 0, csrrsi a0, mscratch, 0x10)
        TEST_CASE(30, a0, 0x10, csrrsi a0, mscratch, 0x05)
        TEST_CASE(31, a0, 0x15, csrr a0, mscratch)
        TEST_CASE(32, a0, 0x15, csrrci a0, mscratch, 0x11)
        TEST_CASE(33, a0, 0x04, csrr a0, mscratch)
        /* uimm = 0 for csrrsi / csrrci: no write */
        TEST_CASE(34, a0, 0x04, csrrsi a0, mscratch, 0; csrrci a0, mscratch, 0)
        /* immediate forms with rd = x0 */
        TEST_CASE(35, a0, 0x1f, csrwi mscratch, 0x1a; csrsi mscratch, 0x05; csrr a0, mscratch)
        TEST_CASE(36, a0, 0x0b, csrci mscratch, 0x14; csrr a0, mscratch)
        /* csrrci/csrrsi only touch the low five bits */
        TEST_CASE(37, a0, 0xffffffffffffffe0, li a1, -1; csrw mscratch, a1; csrci mscratch, 31; csrr a0, mscratch)
        TEST_CASE(38, a0, 0xffffffffffffffff, csrsi mscratch, 31; csrr a0, mscratch)
        /* csrrwi overwrites all 64 bits */
        TEST_CASE(39, a0, 0x1, csrwi mscratch, 1; csrr a0, mscratch)
        /* back-to-back accesses see each other */
        TEST_CASE(40, a0, 0x6, li a1, 2; csrw mscratch, a1; csrsi mscratch, 4; csrci mscratch, 0; csrr a0, mscratch)
TEST_END
