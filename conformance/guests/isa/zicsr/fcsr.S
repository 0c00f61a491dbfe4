/* Zicsr on the unprivileged floating-point CSRs: fflags (5 bits), frm
 * (3 bits) and fcsr (frm << 5 | fflags, upper bits read as zero), with
 * register and immediate forms. mstatus.FS is enabled by TEST_BEGIN. */
#include "../isa_test.h"
        .option norvc
TEST_BEGIN
        TEST_CASE(1, a0, 0, csrr a0, fcsr)
        TEST_CASE(2, a0, 0x1f, li a1, -1; csrw fflags, a1; csrr a0, fflags)
        TEST_CASE(3, a0, 0x1f, csrr a0, fcsr)
        TEST_CASE(4, a0, 0x0, csrr a0, frm)
        TEST_CASE(5, a0, 0x0, li a1, 3; csrrw a0, frm, a1)
        TEST_CASE(6, a0, 0x7f, csrr a0, fcsr)
        TEST_CASE(7, a0, 0x3, csrr a0, frm)
        TEST_CASE(8, a0, 0x7f, li a1, 0x95; csrrw a0, fcsr, a1)
        TEST_CASE(9, a0, 0x4, csrr a0, frm)
        TEST_CASE(10, a0, 0x15, csrr a0, fflags)
        /* fcsr keeps only 8 bits */
        TEST_CASE(11, a0, 0xff, li a1, -1; csrw fcsr, a1; csrr a0, fcsr)
        TEST_CASE(12, a0, 0x7, csrr a0, frm)
        TEST_CASE(13, a0, 0x1f, csrrci a0, fflags, 0x0a)
        TEST_CASE(14, a0, 0x15, csrr a0, fflags)
        TEST_CASE(15, a0, 0xf5, csrr a0, fcsr)
        TEST_CASE(16, a0, 0x7, csrrwi a0, frm, 1)
        TEST_CASE(17, a0, 0x35, csrr a0, fcsr)
        TEST_CASE(18, a0, 0x15, csrrsi a0, fflags, 0x02)
        TEST_CASE(19, a0, 0x37, csrr a0, fcsr)
        TEST_CASE(20, a0, 0x37, csrrwi a0, fcsr, 0)
        TEST_CASE(21, a0, 0x0, csrr a0, fcsr)
        /* an inexact FP operation sets NX (bit 0) in fflags */
        TEST_CASE(22, a0, 0x1, li t0, 1; fcvt.d.l fa0, t0; li t0, 3; fcvt.d.l fa1, t0; fdiv.d fa2, fa0, fa1; csrr a0, fflags)
        /* frm = 1 (RTZ) is honoured by a dynamic-rounding conversion: 2.5 -> 2 */
        TEST_CASE(23, a0, 2, li t0, 0x4004000000000000; fmv.d.x fa0, t0; csrwi frm, 1; fcvt.l.d a0, fa0, dyn)
        /* frm = 3 (RUP): 2.5 -> 3 */
        TEST_CASE(24, a0, 3, csrwi frm, 3; fcvt.l.d a0, fa0, dyn)
        TEST_CASE(25, a0, 0x61, csrr a0, fcsr)
TEST_END
