/* Exception flags of F/D code that translated code runs on the host FPU
 * (round to nearest even in frm; see jit/src/emit/hardfloat.rs), where
 * the flags accrue on the host and are folded into fflags when the
 * translation leaves. Each case is one a code generator could get wrong:
 * an operation folded at compile time (constant operands), dropped (its
 * result unused) or moved (out of a loop, onto a path the guest does not
 * take); NaN results (x86 gives other NaNs than RISC-V); conversions to
 * integers at the edges of their ranges; flags read by a trap handler. */
#include "hartvm_test.h"
#include "fp.h"

#define D_2_5     0x4004000000000000
#define D_M_2_5   0xc004000000000000
#define D_M_HALF  0xbfe0000000000000
#define D_3E9     0x41e65a0bc0000000
#define D_M_3E9   0xc1e65a0bc0000000
#define D_2P32_M_HALF 0x41effffffff00000  /* 2^32 - 0.5 */
#define D_2P32    0x41f0000000000000
#define D_2P63    0x43e0000000000000
#define D_M_2P63  0xc3e0000000000000
#define D_1_5     0x3ff8000000000000

/* Cases 11, 51 and 52 start so: a2 counts 100 iterations, fa0 is zero
 * and a3 is 0 only at run time; the CSR accesses end a translation, so
 * what follows is one of its own. */
#define LOOP_START(n) \
        li TESTNUM, n; li a2, 100; fmv.d.x fa0, zero; csrr a3, mhartid; fsflags zero
/* A loop whose division fa1 / fa2 (by zero) is on the path it takes only
 * when a3 is not 0: no flag may accrue, and fa0 stays zero. */
#define LOOP_NEVER_DIVIDES \
1:      beqz a3, 2f; fdiv.d fa0, fa1, fa2; \
2:      addi a2, a2, -1; bnez a2, 1b; \
        frflags a0; bnez a0, fail; fmv.x.d a0, fa0; bnez a0, fail

TEST_BEGIN
        /* Any FP instruction makes FS dirty, so the cases below can run in
         * translated code. */
        fmv.d.x ft0, zero

        /* ---- conversions of constants (folded, they would raise nothing) */
        TS(1, 0x5f800000, NX, li a1, -1; fcvt.s.lu fa0, a1)           /* 2^64 */
        TD(2, 0x43f0000000000000, NX, li a1, -1; fcvt.d.lu fa0, a1)
        TD(3, D_THREE, 0, li a1, 3; fcvt.d.l fa0, a1)
        TS(4, 0x4b800000, 0, li a1, 1 << 24; fcvt.s.w fa0, a1)
        TS(5, 0x4b800000, NX, li a1, (1 << 24) + 1; fcvt.s.w fa0, a1)
        /* 6: arithmetic on converted constants: 1/3 */
        TD(6, 0x3fd5555555555555, NX, li a1, 1; fcvt.d.l fa1, a1; li a2, 3; fcvt.d.l fa2, a2; fdiv.d fa0, fa1, fa2)

        /* ---- results nothing reads still raise their flags */
        TD(7, 0, DZ, LD(fa1, D_ONE); fmv.d.x fa2, zero; fdiv.d fa3, fa1, fa2; fmv.d.x fa3, zero; fmv.d.x fa0, zero)
        TD(8, 0, NX, li a1, -1; fcvt.s.lu fa3, a1; fmv.w.x fa3, zero; fmv.d.x fa0, zero)
        TD(9, 0, NX, LD(fa1, D_2_5); fcvt.w.d zero, fa1, rtz; fmv.d.x fa0, zero)
        TD(10, 0, NV, LD(fa1, D_INF); fsub.d fa3, fa1, fa1; fmv.d.x fa3, zero; fmv.d.x fa0, zero)

        /* ---- 11: a loop-invariant division on a path the loop never takes */
        LD(fa1, D_ONE)
        fmv.d.x fa2, zero
        LOOP_START(11)
        LOOP_NEVER_DIVIDES

        /* 12: the same division in the loop, taken on the last iteration */
        li TESTNUM, 12
        li a2, 100
        fmv.d.x fa0, zero
1:      addi a2, a2, -1
        bnez a2, 2f
        fdiv.d fa0, fa1, fa2
2:      bnez a2, 1b
        frflags a0
        li t6, DZ
        bne a0, t6, fail
        fmv.x.d a0, fa0
        li t6, D_INF
        bne a0, t6, fail

        /* ---- NaN results are canonical */
        TD(13, D_QNAN, NV, LD(fa1, D_INF); fsub.d fa0, fa1, fa1)
        TD(14, D_QNAN, 0, LD(fa1, 0x7ff8000000000123); LD(fa2, D_ONE); fadd.d fa0, fa1, fa2)
        TD(15, D_QNAN, NV, LD(fa1, D_M_ONE); fsqrt.d fa0, fa1)
        TD(16, D_QNAN, NV, LD(fa1, D_SNAN); LD(fa2, D_ONE); fmul.d fa0, fa2, fa1)
        TS(17, S_QNAN, 0, LS(fa1, 0x7fc00123); LS(fa2, S_ONE); fadd.s fa0, fa1, fa2)
        /* 18: a single that is not NaN-boxed reads as the canonical NaN */
        TS(18, S_QNAN, 0, LD(fa1, S_ONE); LS(fa2, S_ONE); fadd.s fa0, fa1, fa2)

        /* ---- minimum and maximum */
        TD(19, D_M_ZERO, 0, LD(fa1, D_M_ZERO); fmv.d.x fa2, zero; fmin.d fa0, fa2, fa1)
        TD(20, 0, 0, LD(fa1, D_M_ZERO); fmv.d.x fa2, zero; fmax.d fa0, fa1, fa2)
        TD(21, D_ONE, 0, LD(fa1, D_QNAN); LD(fa2, D_ONE); fmin.d fa0, fa1, fa2)
        TD(22, D_ONE, NV, LD(fa1, D_SNAN); LD(fa2, D_ONE); fmax.d fa0, fa2, fa1)
        TD(23, D_QNAN, 0, LD(fa1, 0x7ff8000000000042); fmin.d fa0, fa1, fa1)
        TS(24, S_M_ONE, 0, LS(fa1, S_M_ONE); LS(fa2, S_ONE); fmin.s fa0, fa1, fa2)
        TS(25, S_ONE, 0, LD(fa1, S_TWO); LS(fa2, S_ONE); fmax.s fa0, fa1, fa2)

        /* ---- conversions to integers, rounding toward zero (C casts) */
        TX(26, 2, NX, LD(fa1, D_2_5); fcvt.w.d a0, fa1, rtz)
        TX(27, -2, NX, LD(fa1, D_M_2_5); fcvt.w.d a0, fa1, rtz)
        TX(28, 0x7fffffff, NV, LD(fa1, D_3E9); fcvt.w.d a0, fa1, rtz)
        TX(29, -0x80000000, NV, LD(fa1, D_M_3E9); fcvt.w.d a0, fa1, rtz)
        TX(30, 0x7fffffff, NV, LD(fa1, D_QNAN); fcvt.w.d a0, fa1, rtz)
        TX(31, 0, NX, LD(fa1, D_M_HALF); fcvt.w.d a0, fa1, rtz)
        TX(32, 0, NX, LD(fa1, D_M_HALF); fcvt.wu.d a0, fa1, rtz)
        TX(33, 0, NV, LD(fa1, D_M_ONE); fcvt.wu.d a0, fa1, rtz)
        TX(34, -1, NX, LD(fa1, D_2P32_M_HALF); fcvt.wu.d a0, fa1, rtz)
        TX(35, -1, NV, LD(fa1, D_2P32); fcvt.wu.d a0, fa1, rtz)
        TX(36, 0x8000000000000000, 0, LD(fa1, D_M_2P63); fcvt.l.d a0, fa1, rtz)
        TX(37, 0x7fffffffffffffff, NV, LD(fa1, D_2P63); fcvt.l.d a0, fa1, rtz)
        TX(38, 0x8000000000000000, 0, LD(fa1, D_2P63); fcvt.lu.d a0, fa1, rtz)
        TX(39, 1, NX, LD(fa1, D_1_5); fcvt.lu.d a0, fa1, rtz)
        TX(40, 0, NV, LD(fa1, D_M_ONE); fcvt.lu.d a0, fa1, rtz)
        TX(41, -0x80000000, 0, LS(fa1, 0xcf000000); fcvt.w.s a0, fa1, rtz)  /* -2^31 */
        TX(42, 0x7fffffff, NV, LS(fa1, 0x4f000000); fcvt.w.s a0, fa1, rtz)  /* 2^31 */
        TX(43, 0x7fffffff, NV, LD(fa1, D_ONE); fcvt.w.s a0, fa1, rtz)       /* unboxed */

        /* ---- conversions between formats */
        TS(44, S_INF, OF | NX, LD(fa1, D_MAX); fcvt.s.d fa0, fa1)
        TS(45, 0x00000001, UF | NX, LD(fa1, 0x36a0000000000001); fcvt.s.d fa0, fa1)  /* just above 2^-149 */
        TS(46, 0x3eaaaaab, NX, LD(fa1, 0x3fd5555555555555); fcvt.s.d fa0, fa1)
        TS(47, S_QNAN, NV, LD(fa1, D_SNAN); fcvt.s.d fa0, fa1)
        TD(48, D_QNAN, NV, LS(fa1, S_SNAN); fcvt.d.s fa0, fa1)
        TD(49, D_ONE, 0, LS(fa1, S_ONE); fcvt.d.s fa0, fa1)

        /* ---- 50: flags raised just before a trap reach its handler */
        li TESTNUM, 50
        la t0, 1f
        csrw mtvec, t0
        fsflags zero
        LD(fa1, D_ONE)
        LD(fa2, D_THREE)
        fdiv.d fa0, fa1, fa2
        li a1, 0x10
        ld a1, 0(a1)          /* no memory there: an access fault */
        j fail
        .balign 4
1:      csrr t0, mcause
        li t6, 5
        bne t0, t6, fail
        frflags a0
        li t6, NX
        bne a0, t6, fail
        la t0, hartvm_unexpected_trap
        csrw mtvec, t0

        /* 51: as 11, the loop's translation reading the operands before
         * the loop too (loads there must not stand in for the loop's) */
        LD(fa1, D_ONE)
        fmv.d.x fa2, zero
        LOOP_START(51)
        fadd.d ft5, fa1, fa2
        LOOP_NEVER_DIVIDES

        /* 52: as 11, the operands written by the loop's translation,
         * before the loop */
        LOOP_START(52)
        li a1, 1
        fcvt.d.l fa1, a1
        fmv.d.x fa2, zero
        LOOP_NEVER_DIVIDES

        j pass
TEST_END
