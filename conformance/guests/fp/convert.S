/* Conversions between S, D, W, WU, L, LU in every rounding mode (static
 * and dynamic through frm, including RMM ties-away), saturation and NV on
 * NaN / infinity / out-of-range inputs, 32-bit results sign-extended. */
#include "hartvm_test.h"
#include "fp.h"

#define S_2P5   0x40200000
#define S_M2P5  0xc0200000
#define S_1P5   0x3fc00000
#define D_2P5   0x4004000000000000
#define D_M2P5  0xc004000000000000
#define INT_MIN32 0xffffffff80000000
#define INT_MAX32 0x7fffffff
#define INT_MIN64 0x8000000000000000
#define INT_MAX64 0x7fffffffffffffff

#define CW(n, val, fl, bits, rm) TX(n, val, fl, LS(fa1, bits); fcvt.w.s a0, fa1, rm)

TEST_BEGIN
        /* ---- fcvt.w.s, static rounding modes: 2.5, -2.5, 1.5 ---- */
        CW(1, 2, NX, S_2P5, rne)
        CW(2, 2, NX, S_2P5, rtz)
        CW(3, 2, NX, S_2P5, rdn)
        CW(4, 3, NX, S_2P5, rup)
        CW(5, 3, NX, S_2P5, rmm)
        CW(6, -2, NX, S_M2P5, rne)
        CW(7, -2, NX, S_M2P5, rtz)
        CW(8, -3, NX, S_M2P5, rdn)
        CW(9, -2, NX, S_M2P5, rup)
        CW(10, -3, NX, S_M2P5, rmm)
        CW(11, 2, NX, S_1P5, rne)
        CW(12, 1, NX, S_1P5, rtz)
        CW(13, 1, NX, S_1P5, rdn)
        CW(14, 2, NX, S_1P5, rup)
        CW(15, 2, NX, S_1P5, rmm)
        CW(16, -1, 0, S_M_ONE, rne)               /* sign-extended to 64 bits */
        /* ---- dynamic rounding through frm ---- */
        csrwi frm, 0
        CW(17, 2, NX, S_2P5, dyn)
        csrwi frm, 1
        CW(18, 2, NX, S_2P5, dyn)
        csrwi frm, 2
        CW(19, -3, NX, S_M2P5, dyn)
        csrwi frm, 3
        CW(20, 3, NX, S_2P5, dyn)
        csrwi frm, 4
        CW(21, 3, NX, S_2P5, dyn)
        CW(22, -3, NX, S_M2P5, dyn)
        TD(23, 0x3ff0000000000001, NX, LD(fa1, D_ONE); LD(fa2, 0x3ca0000000000000); fadd.d fa0, fa1, fa2, dyn)
        csrwi frm, 3
        TS(24, 0x3eaaaaab, NX, LS(fa1, S_ONE); LS(fa2, S_THREE); fdiv.s fa0, fa1, fa2, dyn)
        csrwi frm, 1
        TS(25, 0x3eaaaaaa, NX, LS(fa1, S_ONE); LS(fa2, S_THREE); fdiv.s fa0, fa1, fa2, dyn)
        /* 26: a static mode overrides frm */
        TS(26, 0x3eaaaaab, NX, LS(fa1, S_ONE); LS(fa2, S_THREE); fdiv.s fa0, fa1, fa2, rne)
        csrwi frm, 0

        /* ---- saturation / invalid ---- */
        CW(30, INT_MAX32, NV, S_QNAN, rtz)
        CW(31, INT_MAX32, NV, 0xffc00000, rtz)    /* negative NaN also -> max */
        CW(32, INT_MAX32, NV, S_SNAN, rtz)
        CW(33, INT_MAX32, NV, S_INF, rtz)
        CW(34, INT_MIN32, NV, S_M_INF, rtz)
        CW(35, INT_MAX32, NV, 0x4f000000, rtz)     /* 2^31 */
        CW(36, INT_MIN32, 0, 0xcf000000, rtz)      /* -2^31 exactly */
        TX(37, -1, NV, LS(fa1, S_QNAN); fcvt.wu.s a0, fa1, rtz)      /* 0xffffffff, sign-extended */
        TX(38, -1, NV, LS(fa1, 0x4f800000); fcvt.wu.s a0, fa1, rtz)  /* 2^32 */
        TX(39, 0, NV, LS(fa1, S_M_ONE); fcvt.wu.s a0, fa1, rtz)
        TX(40, 0, NV, LS(fa1, S_M_INF); fcvt.wu.s a0, fa1, rtz)
        TX(41, 0, NX, LS(fa1, 0xbf000000); fcvt.wu.s a0, fa1, rtz)   /* -0.5 -> 0: in range */
        TX(42, 0, NV, LS(fa1, 0xbf000000); fcvt.wu.s a0, fa1, rdn)   /* -0.5 -> -1: out of range */
        TX(43, 0xffffffffb2d05e00, 0, LS(fa1, 0x4f32d05e); fcvt.wu.s a0, fa1, rtz)  /* 3e9 */
        TX(44, INT_MAX32, NV, LS(fa1, 0x4f32d05e); fcvt.w.s a0, fa1, rtz)
        TX(45, INT_MAX64, NV, LS(fa1, S_QNAN); fcvt.l.s a0, fa1, rtz)
        TX(46, INT_MAX64, NV, LS(fa1, 0x5f000000); fcvt.l.s a0, fa1, rtz)   /* 2^63 */
        TX(47, INT_MIN64, 0, LS(fa1, 0xdf000000); fcvt.l.s a0, fa1, rtz)    /* -2^63 */
        TX(48, INT_MIN64, 0, LS(fa1, 0x5f000000); fcvt.lu.s a0, fa1, rtz)   /* 2^63 unsigned */
        TX(49, -1, NV, LS(fa1, 0x5f800000); fcvt.lu.s a0, fa1, rtz)         /* 2^64 */
        TX(50, 0, NV, LS(fa1, S_M_INF); fcvt.lu.s a0, fa1, rtz)
        TX(51, -1, NV, LS(fa1, S_INF); fcvt.lu.s a0, fa1, rtz)

        /* ---- from double ---- */
        TX(52, 3, NX, LD(fa1, D_2P5); fcvt.w.d a0, fa1, rmm)
        TX(53, 2, NX, LD(fa1, D_2P5); fcvt.w.d a0, fa1, rne)
        TX(54, -3, NX, LD(fa1, D_M2P5); fcvt.l.d a0, fa1, rdn)
        TX(55, -2, NX, LD(fa1, D_M2P5); fcvt.l.d a0, fa1, rup)
        TX(56, INT_MAX32, 0, LD(fa1, 0x41dfffffffc00000); fcvt.w.d a0, fa1, rtz)  /* 2^31 - 1 */
        TX(57, INT_MAX32, NV, LD(fa1, 0x41e0000000000000); fcvt.w.d a0, fa1, rtz) /* 2^31 */
        TX(58, INT_MIN32, NX, LD(fa1, 0xc1e0000000100000); fcvt.w.d a0, fa1, rtz) /* -(2^31 + 0.5) */
        TX(59, INT_MIN32, NX, LD(fa1, 0xc1e0000000100000); fcvt.w.d a0, fa1, rne)
        TX(60, INT_MIN32, NV, LD(fa1, 0xc1e0000000100000); fcvt.w.d a0, fa1, rdn)
        TX(61, INT_MAX64, NV, LD(fa1, D_QNAN); fcvt.l.d a0, fa1, rtz)
        TX(62, INT_MIN64, NV, LD(fa1, D_M_INF); fcvt.l.d a0, fa1, rtz)
        TX(63, INT_MAX64, NV, LD(fa1, 0x43e0000000000000); fcvt.l.d a0, fa1, rtz) /* 2^63 */
        TX(64, INT_MIN64, 0, LD(fa1, 0xc3e0000000000000); fcvt.l.d a0, fa1, rtz)
        TX(65, -1, NV, LD(fa1, D_SNAN); fcvt.lu.d a0, fa1, rtz)
        TX(66, 0, NV, LD(fa1, D_M_ONE); fcvt.lu.d a0, fa1, rtz)
        TX(67, 0, NX, LD(fa1, 0xbfe0000000000000); fcvt.lu.d a0, fa1, rtz)
        TX(68, -1, NV, LD(fa1, D_QNAN); fcvt.wu.d a0, fa1, rtz)
        TX(69, 0xffffffffffffffff, 0, LD(fa1, 0x41efffffffe00000); fcvt.wu.d a0, fa1, rtz) /* 2^32 - 1 */

        /* ---- integer to float ---- */
        li a1, 16777217
        TS(70, 0x4b800000, NX, fcvt.s.w fa0, a1, rne)
        TS(71, 0x4b800001, NX, fcvt.s.w fa0, a1, rup)
        TS(72, 0x4b800001, NX, fcvt.s.w fa0, a1, rmm)
        TS(73, 0x4b800000, NX, fcvt.s.w fa0, a1, rdn)
        li a1, -16777217
        TS(74, 0xcb800001, NX, fcvt.s.w fa0, a1, rdn)
        TS(75, 0xcb800001, NX, fcvt.s.w fa0, a1, rmm)
        TS(76, 0xcb800000, NX, fcvt.s.w fa0, a1, rtz)
        li a1, 0xffffffff
        TS(77, 0x4f800000, NX, fcvt.s.wu fa0, a1, rne)
        TS(78, 0x4f7fffff, NX, fcvt.s.wu fa0, a1, rtz)
        li a1, 0x1234567800000003               /* only the low 32 bits count */
        TS(79, S_THREE, 0, fcvt.s.w fa0, a1)
        li a1, 0xffffffff00000002
        TS(80, S_TWO, 0, fcvt.s.wu fa0, a1)
        li a1, -1
        TD(81, D_M_ONE, 0, fcvt.d.w fa0, a1)
        TD(82, 0x41efffffffe00000, 0, fcvt.d.wu fa0, a1)
        TD(83, 0x43f0000000000000, NX, fcvt.d.lu fa0, a1, rne)    /* 2^64 - 1 */
        TD(84, 0x43efffffffffffff, NX, fcvt.d.lu fa0, a1, rtz)
        li a1, 0x20000000000001                  /* 2^53 + 1 */
        TD(85, 0x4340000000000000, NX, fcvt.d.l fa0, a1, rne)
        TD(86, 0x4340000000000001, NX, fcvt.d.l fa0, a1, rmm)
        TD(87, 0x4340000000000001, NX, fcvt.d.l fa0, a1, rup)
        li a1, 0x7fffffffffffffff
        TS(88, 0x5f000000, NX, fcvt.s.l fa0, a1, rne)
        li a1, 0x8000000000000000
        TD(89, 0xc3e0000000000000, 0, fcvt.d.l fa0, a1)
        TS(90, 0x5f000000, 0, fcvt.s.lu fa0, a1)
        TS(91, 0, 0, fcvt.s.lu fa0, zero)

        /* ---- between S and D ---- */
        TS(92, 0x3dcccccd, NX, LD(fa1, 0x3fb999999999999a); fcvt.s.d fa0, fa1, rne)
        TS(93, 0x3dcccccc, NX, LD(fa1, 0x3fb999999999999a); fcvt.s.d fa0, fa1, rtz)
        TS(94, S_ONE, NX, LD(fa1, 0x3ff0000010000000); fcvt.s.d fa0, fa1, rne)   /* 1 + 2^-24: tie */
        TS(95, 0x3f800001, NX, LD(fa1, 0x3ff0000010000000); fcvt.s.d fa0, fa1, rmm)
        TS(96, S_INF, OF | NX, LD(fa1, D_MAX); fcvt.s.d fa0, fa1, rne)
        TS(97, S_MAX, OF | NX, LD(fa1, D_MAX); fcvt.s.d fa0, fa1, rtz)
        TS(98, 0, UF | NX, LD(fa1, 0x3690000000000000); fcvt.s.d fa0, fa1, rne) /* 2^-150 */
        TS(99, S_QNAN, 0, LD(fa1, 0x7ff8000000000123); fcvt.s.d fa0, fa1)
        TS(100, S_QNAN, NV, LD(fa1, D_SNAN); fcvt.s.d fa0, fa1)
        TD(101, 0x3fb99999a0000000, 0, LS(fa1, 0x3dcccccd); fcvt.d.s fa0, fa1)
        TD(102, D_QNAN, NV, LS(fa1, S_SNAN); fcvt.d.s fa0, fa1)
        TD(103, 0x36a0000000000000, 0, LS(fa1, 1); fcvt.d.s fa0, fa1)           /* 2^-149 */
        TD(104, D_QNAN, 0, LD(fa1, 0x000000003f800000); fcvt.d.s fa0, fa1)      /* bad NaN-box */
        TD(105, D_M_INF, 0, LS(fa1, S_M_INF); fcvt.d.s fa0, fa1)
        j pass
TEST_END
