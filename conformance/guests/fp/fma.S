/* Fused multiply-add: fmadd/fmsub/fnmsub/fnmadd round once.  The operands
 * are chosen so that rounding the product first would give a different
 * result: (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24, whose 2^-24 is half an ulp at 1
 * (a tie that RNE drops); fused with -1 the exact 2^-11 + 2^-24 survives. */
#include "hartvm_test.h"
#include "fp.h"

#define A_S 0x3f800800            /* 1 + 2^-12 */
#define FUSED_S 0x3a000400        /* 2^-11 (1 + 2^-13) = 2^-11 + 2^-24 */
#define A_D 0x3ff0000002000000    /* 1 + 2^-27: A_D^2 = 1 + 2^-26 + 2^-54, the 2^-54 is lost when rounded alone */
#define FUSED_D 0x3e50000001000000 /* 2^-26 + 2^-54 */

TEST_BEGIN
        /* 1: the unfused reference (mul then add) loses the 2^-24 */
        TS(1, 0x3a000000, NX, LS(fa1, A_S); LS(fa2, S_M_ONE); fmul.s fa3, fa1, fa1; fadd.s fa0, fa3, fa2)
        TS(2, FUSED_S, 0, LS(fa1, A_S); LS(fa2, S_M_ONE); fmadd.s fa0, fa1, fa1, fa2)
        TS(3, FUSED_S, 0, LS(fa1, A_S); LS(fa2, S_ONE); fmsub.s fa0, fa1, fa1, fa2)
        TS(4, 0xba000400, 0, LS(fa1, A_S); LS(fa2, S_ONE); fnmsub.s fa0, fa1, fa1, fa2)
        TS(5, 0xba000400, 0, LS(fa1, A_S); LS(fa2, S_M_ONE); fnmadd.s fa0, fa1, fa1, fa2)
        /* 6: 2 * 3 + 1 = 7; -(2*3) - 1 = -7; 2*3 - 1 = 5; -(2*3) + 1 = -5 */
        TS(6, 0x40e00000, 0, LS(fa1, S_TWO); LS(fa2, S_THREE); LS(fa3, S_ONE); fmadd.s fa0, fa1, fa2, fa3)
        TS(7, 0xc0e00000, 0, LS(fa1, S_TWO); LS(fa2, S_THREE); LS(fa3, S_ONE); fnmadd.s fa0, fa1, fa2, fa3)
        TS(8, 0x40a00000, 0, LS(fa1, S_TWO); LS(fa2, S_THREE); LS(fa3, S_ONE); fmsub.s fa0, fa1, fa2, fa3)
        TS(9, 0xc0a00000, 0, LS(fa1, S_TWO); LS(fa2, S_THREE); LS(fa3, S_ONE); fnmsub.s fa0, fa1, fa2, fa3)
        /* 10: inf * 0 + qNaN is invalid (NV) even though c is a quiet NaN */
        TS(10, S_QNAN, NV, LS(fa1, S_INF); fmv.w.x fa2, zero; LS(fa3, S_QNAN); fmadd.s fa0, fa1, fa2, fa3)
        /* 11: inf * 1 - inf: NV */
        TS(11, S_QNAN, NV, LS(fa1, S_INF); LS(fa2, S_ONE); fmsub.s fa0, fa1, fa2, fa1)
        /* 12: qNaN operand otherwise: canonical NaN, no flag; sNaN: NV */
        TS(12, S_QNAN, 0, LS(fa1, 0x7fc00abc); LS(fa2, S_ONE); fmadd.s fa0, fa2, fa2, fa1)
        TS(13, S_QNAN, NV, LS(fa1, S_SNAN); LS(fa2, S_ONE); fmadd.s fa0, fa2, fa1, fa2)
        /* 14: exact zero sum: x*y + (-x*y) = +0 in RNE, -0 in RDN */
        TS(14, 0, 0, LS(fa1, S_TWO); LS(fa2, S_THREE); LS(fa3, 0xc0c00000); fmadd.s fa0, fa1, fa2, fa3)
        TS(15, S_M_ZERO, 0, LS(fa1, S_TWO); LS(fa2, S_THREE); LS(fa3, 0xc0c00000); fmadd.s fa0, fa1, fa2, fa3, rdn)
        /* 16: the fused result rounds once, by the static mode: (1+2^-12)^2 + 0 with RUP */
        TS(16, 0x3f801001, NX, LS(fa1, A_S); fmv.w.x fa2, zero; fmadd.s fa0, fa1, fa1, fa2, rup)
        TS(17, 0x3f801000, NX, LS(fa1, A_S); fmv.w.x fa2, zero; fmadd.s fa0, fa1, fa1, fa2)
        /* 18: product overflows but the sum brings it back? no: max*2 - max = max exactly (fused) */
        TS(18, S_MAX, 0, LS(fa1, S_MAX); LS(fa2, S_TWO); LS(fa3, 0xff7fffff); fmadd.s fa0, fa1, fa2, fa3)

        /* ---- double ---- */
        TD(20, 0x3e50000000000000, NX, LD(fa1, A_D); LD(fa2, D_M_ONE); fmul.d fa3, fa1, fa1; fadd.d fa0, fa3, fa2)
        TD(21, FUSED_D, 0, LD(fa1, A_D); LD(fa2, D_M_ONE); fmadd.d fa0, fa1, fa1, fa2)
        TD(22, FUSED_D, 0, LD(fa1, A_D); LD(fa2, D_ONE); fmsub.d fa0, fa1, fa1, fa2)
        TD(23, 0xbe50000001000000, 0, LD(fa1, A_D); LD(fa2, D_ONE); fnmsub.d fa0, fa1, fa1, fa2)
        TD(24, 0xbe50000001000000, 0, LD(fa1, A_D); LD(fa2, D_M_ONE); fnmadd.d fa0, fa1, fa1, fa2)
        TD(25, D_QNAN, NV, LD(fa1, D_INF); fmv.d.x fa2, zero; LD(fa3, D_QNAN); fmadd.d fa0, fa2, fa1, fa3)
        TD(26, D_MAX, 0, LD(fa1, D_MAX); LD(fa2, D_TWO); LD(fa3, 0xffefffffffffffff); fmadd.d fa0, fa1, fa2, fa3)
        TD(27, 0x3ff0000004000001, NX, LD(fa1, A_D); fmv.d.x fa2, zero; fmadd.d fa0, fa1, fa1, fa2, rup)
        j pass
TEST_END
