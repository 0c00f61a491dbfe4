/* F/D arithmetic: fadd/fsub/fmul/fdiv/fsqrt, every exception flag (NX, UF
 * with tininess detected after rounding, OF, DZ, NV), canonical NaNs,
 * static rounding modes on results. */
#include "hartvm_test.h"
#include "fp.h"

TEST_BEGIN
        /* ---- single ---- */
        TS(1, S_THREE, 0, LS(fa1, S_ONE); LS(fa2, S_TWO); fadd.s fa0, fa1, fa2)
        /* 2: 1 + 2^-24 is a tie: RNE -> 1.0, NX; RUP -> 1 + 2^-23 */
        TS(2, S_ONE, NX, LS(fa1, S_ONE); LS(fa2, 0x33800000); fadd.s fa0, fa1, fa2)
        TS(3, 0x3f800001, NX, LS(fa1, S_ONE); LS(fa2, 0x33800000); fadd.s fa0, fa1, fa2, rup)
        TS(4, S_ONE, NX, LS(fa1, S_ONE); LS(fa2, 0x33800000); fadd.s fa0, fa1, fa2, rtz)
        /* 5: x - x = +0 (RNE), -0 (RDN) */
        TS(5, 0, 0, LS(fa1, S_THREE); fsub.s fa0, fa1, fa1)
        TS(6, S_M_ZERO, 0, LS(fa1, S_THREE); fsub.s fa0, fa1, fa1, rdn)
        TS(7, 0xc0000000, 0, LS(fa1, S_ONE); LS(fa2, S_THREE); fsub.s fa0, fa1, fa2)
        /* 8: overflow: RNE -> inf; RTZ/RDN -> max; RUP on negative -> -max */
        TS(8, S_INF, OF | NX, LS(fa1, S_MAX); LS(fa2, S_TWO); fmul.s fa0, fa1, fa2)
        TS(9, S_MAX, OF | NX, LS(fa1, S_MAX); LS(fa2, S_TWO); fmul.s fa0, fa1, fa2, rtz)
        TS(10, S_MAX, OF | NX, LS(fa1, S_MAX); LS(fa2, S_TWO); fmul.s fa0, fa1, fa2, rdn)
        TS(11, 0xff7fffff, OF | NX, LS(fa1, S_MAX); LS(fa2, 0xc0000000); fmul.s fa0, fa1, fa2, rup)
        TS(12, 0xff800000, OF | NX, LS(fa1, S_MAX); LS(fa2, 0xc0000000); fmul.s fa0, fa1, fa2, rdn)
        /* 13: divide by zero */
        TS(13, S_INF, DZ, LS(fa1, S_ONE); fmv.w.x fa2, zero; fdiv.s fa0, fa1, fa2)
        TS(14, S_M_INF, DZ, LS(fa1, S_M_ONE); fmv.w.x fa2, zero; fdiv.s fa0, fa1, fa2)
        TS(15, S_QNAN, NV, fmv.w.x fa1, zero; fdiv.s fa0, fa1, fa1)
        /* 16: 1/3 rounds up (RNE), down (RTZ) */
        TS(16, 0x3eaaaaab, NX, LS(fa1, S_ONE); LS(fa2, S_THREE); fdiv.s fa0, fa1, fa2)
        TS(17, 0x3eaaaaaa, NX, LS(fa1, S_ONE); LS(fa2, S_THREE); fdiv.s fa0, fa1, fa2, rtz)
        TS(18, 0x40200000, 0, LS(fa1, 0x40a00000); LS(fa2, S_TWO); fdiv.s fa0, fa1, fa2)  /* 5/2 = 2.5 */
        /* 19: sqrt */
        TS(19, S_TWO, 0, LS(fa1, S_FOUR); fsqrt.s fa0, fa1)
        TS(20, 0x3fb504f3, NX, LS(fa1, S_TWO); fsqrt.s fa0, fa1)
        TS(21, S_QNAN, NV, LS(fa1, S_M_ONE); fsqrt.s fa0, fa1)
        TS(22, S_M_ZERO, 0, LS(fa1, S_M_ZERO); fsqrt.s fa0, fa1)
        TS(23, S_INF, 0, LS(fa1, S_INF); fsqrt.s fa0, fa1)
        /* 24: invalid operations give the canonical NaN */
        TS(24, S_QNAN, NV, LS(fa1, S_INF); LS(fa2, S_M_INF); fadd.s fa0, fa1, fa2)
        TS(25, S_QNAN, NV, LS(fa1, S_INF); fmv.w.x fa2, zero; fmul.s fa0, fa1, fa2)
        TS(26, S_QNAN, NV, LS(fa1, S_INF); fdiv.s fa0, fa1, fa1)
        /* 27: NaN inputs: quiet -> canonical, no flag; signaling -> canonical, NV */
        TS(27, S_QNAN, 0, LS(fa1, 0x7fc12345); LS(fa2, S_ONE); fadd.s fa0, fa1, fa2)
        TS(28, S_QNAN, 0, LS(fa1, 0xffc00001); LS(fa2, S_ONE); fmul.s fa0, fa2, fa1)
        TS(29, S_QNAN, NV, LS(fa1, S_SNAN); LS(fa2, S_ONE); fadd.s fa0, fa1, fa2)
        TS(30, S_QNAN, NV, LS(fa1, 0xff812345); fsqrt.s fa0, fa1)
        /* 31: exact subnormal result: no UF, no NX */
        TS(31, 0x00400000, 0, LS(fa1, S_MIN); LS(fa2, S_HALF); fmul.s fa0, fa1, fa2)
        /* 32: tiny and inexact: UF | NX.  2^-127 (1 + 2^-23) on the 2^-149 grid is a tie -> 0x00400000 */
        TS(32, 0x00400000, UF | NX, LS(fa1, S_MIN); LS(fa2, 0x3f000001); fmul.s fa0, fa1, fa2)
        /* 33: min subnormal * 0.5 = 2^-150: tie -> 0 (even), UF | NX */
        TS(33, 0, UF | NX, LS(fa1, 1); LS(fa2, S_HALF); fmul.s fa0, fa1, fa2)
        /* 34: tininess AFTER rounding: (1 - 2^-23)(1 + 2^-23) 2^-126 = 2^-126 (1 - 2^-46)
         * is below 2^-126, but rounds to 2^-126 with an unbounded exponent:
         * not tiny -> NX only, result = the minimum normal */
        TS(34, S_MIN, NX, LS(fa1, 0x3f7ffffe); LS(fa2, 0x00800001); fmul.s fa0, fa1, fa2)
        /* 35: same product with RTZ: rounds to the largest subnormal (tiny after rounding): UF | NX */
        TS(35, 0x007fffff, UF | NX, LS(fa1, 0x3f7ffffe); LS(fa2, 0x00800001); fmul.s fa0, fa1, fa2, rtz)
        /* 36: subnormal arithmetic: min_sub + min_sub = 2 * min_sub, exact */
        TS(36, 2, 0, LS(fa1, 1); fadd.s fa0, fa1, fa1)
        /* 37: inf arithmetic is exact */
        TS(37, S_INF, 0, LS(fa1, S_INF); LS(fa2, S_ONE); fadd.s fa0, fa1, fa2)
        TS(38, S_M_ZERO, 0, LS(fa1, S_M_ONE); LS(fa2, S_INF); fdiv.s fa0, fa1, fa2)

        /* ---- double ---- */
        TD(40, D_THREE, 0, LD(fa1, D_ONE); LD(fa2, D_TWO); fadd.d fa0, fa1, fa2)
        TD(41, D_ONE, NX, LD(fa1, D_ONE); LD(fa2, 0x3ca0000000000000); fadd.d fa0, fa1, fa2)  /* 1 + 2^-53: tie */
        TD(42, 0x3ff0000000000001, NX, LD(fa1, D_ONE); LD(fa2, 0x3ca0000000000000); fadd.d fa0, fa1, fa2, rmm)
        TD(43, 0x3fd5555555555555, NX, LD(fa1, D_ONE); LD(fa2, D_THREE); fdiv.d fa0, fa1, fa2)
        TD(44, 0x3fd5555555555556, NX, LD(fa1, D_ONE); LD(fa2, D_THREE); fdiv.d fa0, fa1, fa2, rup)
        TD(45, 0x3ff6a09e667f3bcd, NX, LD(fa1, D_TWO); fsqrt.d fa0, fa1)
        TD(46, D_INF, DZ, LD(fa1, D_ONE); fmv.d.x fa2, zero; fdiv.d fa0, fa1, fa2)
        TD(47, D_INF, OF | NX, LD(fa1, D_MAX); LD(fa2, D_TWO); fmul.d fa0, fa1, fa2)
        TD(48, D_MAX, OF | NX, LD(fa1, D_MAX); LD(fa2, D_TWO); fmul.d fa0, fa1, fa2, rtz)
        /* 49: (1 - 2^-52)(1 + 2^-52) 2^-1022 = 2^-1022 (1 - 2^-104): tininess after rounding, as case 34 */
        TD(49, D_MIN, NX, LD(fa1, 0x3feffffffffffffe); LD(fa2, 0x0010000000000001); fmul.d fa0, fa1, fa2)
        TD(50, 0x000fffffffffffff, UF | NX, LD(fa1, 0x3feffffffffffffe); LD(fa2, 0x0010000000000001); fmul.d fa0, fa1, fa2, rtz)
        TD(51, 0, UF | NX, LD(fa1, 1); LD(fa2, D_HALF); fmul.d fa0, fa1, fa2)
        TD(52, 0x0008000000000000, 0, LD(fa1, D_MIN); LD(fa2, D_HALF); fmul.d fa0, fa1, fa2)
        TD(53, D_QNAN, NV, LD(fa1, D_SNAN); LD(fa2, D_ONE); fsub.d fa0, fa1, fa2)
        TD(54, D_QNAN, 0, LD(fa1, 0xfff8000000000123); LD(fa2, D_ONE); fdiv.d fa0, fa2, fa1)
        TD(55, D_QNAN, NV, LD(fa1, D_M_ONE); fsqrt.d fa0, fa1)
        TD(56, D_QNAN, NV, LD(fa1, D_INF); fsub.d fa0, fa1, fa1)
        TD(57, D_M_ZERO, 0, LD(fa1, D_ONE); fsub.d fa0, fa1, fa1, rdn)
        /* 58: 0.1 + 0.2 = 0.30000000000000004 */
        TD(58, 0x3fd3333333333334, NX, LD(fa1, 0x3fb999999999999a); LD(fa2, 0x3fc999999999999a); fadd.d fa0, fa1, fa2)
        j pass
TEST_END
