/* fmin/fmax (signed zeros, quiet and signaling NaNs), feq (quiet: NV only
 * for sNaN) and flt/fle (signaling: NV for any NaN). */
#include "hartvm_test.h"
#include "fp.h"

TEST_BEGIN
        /* ---- fmin / fmax single ---- */
        TS(1, S_ONE, 0, LS(fa1, S_ONE); LS(fa2, S_TWO); fmin.s fa0, fa1, fa2)
        TS(2, S_TWO, 0, LS(fa1, S_ONE); LS(fa2, S_TWO); fmax.s fa0, fa1, fa2)
        TS(3, S_M_ZERO, 0, LS(fa1, S_M_ZERO); fmv.w.x fa2, zero; fmin.s fa0, fa1, fa2)
        TS(4, S_M_ZERO, 0, LS(fa1, S_M_ZERO); fmv.w.x fa2, zero; fmin.s fa0, fa2, fa1)
        TS(5, 0, 0, LS(fa1, S_M_ZERO); fmv.w.x fa2, zero; fmax.s fa0, fa1, fa2)
        TS(6, 0, 0, LS(fa1, S_M_ZERO); fmv.w.x fa2, zero; fmax.s fa0, fa2, fa1)
        /* 7: one quiet NaN: the other operand, no flag */
        TS(7, S_ONE, 0, LS(fa1, S_QNAN); LS(fa2, S_ONE); fmin.s fa0, fa1, fa2)
        TS(8, S_ONE, 0, LS(fa1, S_QNAN); LS(fa2, S_ONE); fmax.s fa0, fa2, fa1)
        /* 9: one signaling NaN: the other operand, NV */
        TS(9, S_ONE, NV, LS(fa1, S_SNAN); LS(fa2, S_ONE); fmin.s fa0, fa1, fa2)
        TS(10, S_M_ONE, NV, LS(fa1, S_SNAN); LS(fa2, S_M_ONE); fmax.s fa0, fa2, fa1)
        /* 11: both NaN: canonical NaN */
        TS(11, S_QNAN, 0, LS(fa1, 0x7fc00011); LS(fa2, 0xffc00022); fmin.s fa0, fa1, fa2)
        TS(12, S_QNAN, NV, LS(fa1, S_SNAN); LS(fa2, S_QNAN); fmax.s fa0, fa1, fa2)
        TS(13, S_M_INF, 0, LS(fa1, S_M_INF); LS(fa2, S_MAX); fmin.s fa0, fa1, fa2)
        /* ---- fmin / fmax double ---- */
        TD(14, D_M_ZERO, 0, LD(fa1, D_M_ZERO); fmv.d.x fa2, zero; fmin.d fa0, fa2, fa1)
        TD(15, 0, 0, LD(fa1, D_M_ZERO); fmv.d.x fa2, zero; fmax.d fa0, fa1, fa2)
        TD(16, D_TWO, 0, LD(fa1, D_QNAN); LD(fa2, D_TWO); fmax.d fa0, fa1, fa2)
        TD(17, D_TWO, NV, LD(fa1, D_SNAN); LD(fa2, D_TWO); fmin.d fa0, fa2, fa1)
        TD(18, D_QNAN, 0, LD(fa1, 0x7ff8000000000042); fmin.d fa0, fa1, fa1)
        TD(19, D_QNAN, NV, LD(fa1, D_SNAN); fmax.d fa0, fa1, fa1)

        /* ---- comparisons single ---- */
        TX(20, 1, 0, LS(fa1, S_ONE); feq.s a0, fa1, fa1)
        TX(21, 0, 0, LS(fa1, S_ONE); LS(fa2, S_TWO); feq.s a0, fa1, fa2)
        TX(22, 1, 0, LS(fa1, S_M_ZERO); fmv.w.x fa2, zero; feq.s a0, fa1, fa2)
        TX(23, 0, 0, LS(fa1, S_M_ZERO); fmv.w.x fa2, zero; flt.s a0, fa1, fa2)
        TX(24, 1, 0, LS(fa1, S_M_ZERO); fmv.w.x fa2, zero; fle.s a0, fa2, fa1)
        TX(25, 1, 0, LS(fa1, S_ONE); LS(fa2, S_TWO); flt.s a0, fa1, fa2)
        TX(26, 0, 0, LS(fa1, S_ONE); LS(fa2, S_TWO); flt.s a0, fa2, fa1)
        TX(27, 1, 0, LS(fa1, S_M_INF); LS(fa2, S_INF); fle.s a0, fa1, fa2)
        /* 28: quiet NaN: feq quiet (no flag), flt/fle signal NV; result 0 */
        TX(28, 0, 0, LS(fa1, S_QNAN); feq.s a0, fa1, fa1)
        TX(29, 0, NV, LS(fa1, S_QNAN); LS(fa2, S_ONE); flt.s a0, fa1, fa2)
        TX(30, 0, NV, LS(fa1, S_QNAN); LS(fa2, S_ONE); fle.s a0, fa2, fa1)
        /* 31: signaling NaN: NV for all three */
        TX(31, 0, NV, LS(fa1, S_SNAN); LS(fa2, S_ONE); feq.s a0, fa1, fa2)
        TX(32, 0, NV, LS(fa1, S_SNAN); LS(fa2, S_ONE); flt.s a0, fa2, fa1)
        TX(33, 0, NV, LS(fa1, S_SNAN); fle.s a0, fa1, fa1)
        /* ---- comparisons double ---- */
        TX(34, 1, 0, LD(fa1, D_M_ZERO); fmv.d.x fa2, zero; feq.d a0, fa1, fa2)
        TX(35, 1, 0, LD(fa1, D_ONE); LD(fa2, 0x3ff0000000000001); flt.d a0, fa1, fa2)
        TX(36, 0, 0, LD(fa1, D_ONE); LD(fa2, 0x3ff0000000000001); fle.d a0, fa2, fa1)
        TX(37, 0, 0, LD(fa1, D_QNAN); feq.d a0, fa1, fa1)
        TX(38, 0, NV, LD(fa1, D_QNAN); LD(fa2, D_ONE); fle.d a0, fa1, fa2)
        TX(39, 0, NV, LD(fa1, D_SNAN); LD(fa2, D_ONE); feq.d a0, fa2, fa1)
        TX(40, 0, NV, LD(fa1, D_QNAN); flt.d a0, fa1, fa1)
        /* 41: NaN-boxing: an f32 compare reads an improperly boxed register as
         * the canonical (quiet) NaN: feq = 0, no flag */
        TX(41, 0, 0, li t0, S_ONE; fmv.d.x fa1, t0; feq.s a0, fa1, fa1)
        j pass
TEST_END
