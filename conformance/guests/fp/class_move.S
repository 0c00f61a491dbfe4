/* fclass (all 10 classes, S and D), sign injection, fmv.x.w sign
 * extension, fmv.w.x / flw NaN-boxing, f32 ops on improperly boxed
 * registers (read as the canonical NaN), flw/fsw/fld/fsd. */
#include "hartvm_test.h"
#include "fp.h"

#define CLS(n, expect, ld, bits, op) TX(n, expect, 0, ld(fa1, bits); op a0, fa1)

TEST_BEGIN
        /* ---- fclass.s ---- */
        CLS(1, 1 << 0, LS, S_M_INF, fclass.s)
        CLS(2, 1 << 1, LS, S_M_ONE, fclass.s)
        CLS(3, 1 << 2, LS, 0x80000001, fclass.s)
        CLS(4, 1 << 3, LS, S_M_ZERO, fclass.s)
        CLS(5, 1 << 4, LS, 0, fclass.s)
        CLS(6, 1 << 5, LS, 0x007fffff, fclass.s)
        CLS(7, 1 << 6, LS, S_MAX, fclass.s)
        CLS(8, 1 << 7, LS, S_INF, fclass.s)
        CLS(9, 1 << 8, LS, S_SNAN, fclass.s)
        CLS(10, 1 << 8, LS, 0xffbfffff, fclass.s)
        CLS(11, 1 << 9, LS, S_QNAN, fclass.s)
        CLS(12, 1 << 9, LS, 0xffffffff, fclass.s)
        /* 13: improperly NaN-boxed single = canonical qNaN */
        CLS(13, 1 << 9, LD, 0x000000003f800000, fclass.s)
        CLS(14, 1 << 9, LD, 0xfffffffe00000000, fclass.s)
        /* ---- fclass.d ---- */
        CLS(15, 1 << 0, LD, D_M_INF, fclass.d)
        CLS(16, 1 << 1, LD, D_M_ONE, fclass.d)
        CLS(17, 1 << 2, LD, 0x800fffffffffffff, fclass.d)
        CLS(18, 1 << 3, LD, D_M_ZERO, fclass.d)
        CLS(19, 1 << 4, LD, 0, fclass.d)
        CLS(20, 1 << 5, LD, 1, fclass.d)
        CLS(21, 1 << 6, LD, D_MIN, fclass.d)
        CLS(22, 1 << 7, LD, D_INF, fclass.d)
        CLS(23, 1 << 8, LD, D_SNAN, fclass.d)
        CLS(24, 1 << 9, LD, D_QNAN, fclass.d)
        CLS(25, 1 << 9, LD, 0xffffffff3f800000, fclass.d)   /* a NaN-boxed single is a quiet NaN as a double */
        /* ---- sign injection ---- */
        TS(30, S_M_ONE, 0, LS(fa1, S_ONE); LS(fa2, 0xc0000000); fsgnj.s fa0, fa1, fa2)
        TS(31, S_ONE, 0, LS(fa1, S_ONE); LS(fa2, 0xc0000000); fsgnjn.s fa0, fa1, fa2)
        TS(32, S_ONE, 0, LS(fa1, S_M_ONE); LS(fa2, 0xc0000000); fsgnjx.s fa0, fa1, fa2)
        TS(33, S_M_ONE, 0, LS(fa1, S_M_ONE); LS(fa2, S_TWO); fsgnjx.s fa0, fa1, fa2)
        TS(34, 0xff800001, 0, LS(fa1, S_SNAN); fneg.s fa0, fa1)     /* no NaN canonicalisation, no NV */
        TS(35, S_INF, 0, LS(fa1, S_M_INF); fabs.s fa0, fa1)
        /* 36: an improperly boxed input is the canonical NaN: sign from rs2 */
        TS(36, 0xffc00000, 0, LD(fa1, 0x000000003f800000); LS(fa2, S_M_ONE); fsgnj.s fa0, fa1, fa2)
        TD(37, D_M_ONE, 0, LD(fa1, D_ONE); LD(fa2, D_M_ZERO); fsgnj.d fa0, fa1, fa2)
        TD(38, D_ONE, 0, LD(fa1, D_M_ONE); LD(fa2, D_M_ZERO); fsgnjn.d fa0, fa1, fa2)
        TD(39, D_ONE, 0, LD(fa1, D_M_ONE); LD(fa2, D_M_ONE); fsgnjx.d fa0, fa1, fa2)
        TD(40, 0x7ff0000000000001, 0, LD(fa1, 0xfff0000000000001); fabs.d fa0, fa1)
        /* ---- moves and NaN-boxing ---- */
        TX(41, 0xffffffffbf800000, 0, LS(fa1, S_M_ONE); fmv.x.w a0, fa1)       /* sign-extends */
        TX(42, 0x000000003f800000, 0, LS(fa1, S_ONE); fmv.x.w a0, fa1)
        TX(43, 0xffffffff3f800000, 0, li t0, 0x123456783f800000; fmv.w.x fa1, t0; fmv.x.d a0, fa1)  /* boxed */
        TX(44, 0x123456783f800000, 0, li t0, 0x123456783f800000; fmv.d.x fa1, t0; fmv.x.d a0, fa1)
        /* 45: an f32 op on an improperly boxed register computes with the canonical NaN */
        TS(45, S_QNAN, 0, LD(fa1, 0x000000003f800000); LS(fa2, S_ONE); fadd.s fa0, fa1, fa2)
        TS(46, S_QNAN, 0, LD(fa1, 0x7fffffff3f800000); fmul.s fa0, fa1, fa1)
        /* 47: single results are boxed */
        TX(47, 0xffffffff40400000, 0, LS(fa1, S_ONE); LS(fa2, S_TWO); fadd.s fa0, fa1, fa2; fmv.x.d a0, fa0)
        /* ---- loads and stores ---- */
        la s0, mem
        li t0, 0x0123456789abcdef
        sd t0, 0(s0)
        TX(48, 0xffffffff89abcdef, 0, flw fa1, 0(s0); fmv.x.d a0, fa1)          /* flw boxes */
        TX(49, 0x0123456789abcdef, 0, fld fa1, 0(s0); fmv.x.d a0, fa1)
        TX(50, 0x01234567, 0, flw fa1, 4(s0); fsw fa1, 8(s0); lwu a0, 8(s0))
        TX(51, 0, 0, lwu a0, 12(s0))                                            /* fsw wrote 4 bytes only */
        TX(52, 0x0123456789abcdef, 0, fld fa1, 0(s0); fsd fa1, 16(s0); ld a0, 16(s0))
        /* 53: fsw of an improperly boxed register stores its low 32 bits */
        TX(53, 0x3f800000, 0, LD(fa1, 0x123456783f800000); fsw fa1, 24(s0); lwu a0, 24(s0))
        /* 54: loads/stores do not canonicalise NaNs or raise flags */
        TX(54, S_SNAN, 0, LS(fa1, S_SNAN); fsw fa1, 32(s0); lwu a0, 32(s0))
        TX(55, D_SNAN, 0, LD(fa1, D_SNAN); fsd fa1, 40(s0); ld a0, 40(s0))
        j pass
TEST_END
        .data
        .balign 8
mem:    .space 64
