/* Helpers of hartvm's F/D guest tests (own code).  Expected values are
 * IEEE 754 bit patterns worked out by hand. */
#ifndef HARTVM_FP_H
#define HARTVM_FP_H

#define NX 0x01
#define UF 0x02
#define OF 0x04
#define DZ 0x08
#define NV 0x10

/* single / double constants */
#define S_ONE     0x3f800000
#define S_TWO     0x40000000
#define S_THREE   0x40400000
#define S_FOUR    0x40800000
#define S_HALF    0x3f000000
#define S_M_ONE   0xbf800000
#define S_INF     0x7f800000
#define S_M_INF   0xff800000
#define S_QNAN    0x7fc00000
#define S_SNAN    0x7f800001
#define S_MAX     0x7f7fffff
#define S_MIN     0x00800000
#define S_M_ZERO  0x80000000
#define D_ONE     0x3ff0000000000000
#define D_TWO     0x4000000000000000
#define D_THREE   0x4008000000000000
#define D_FOUR    0x4010000000000000
#define D_HALF    0x3fe0000000000000
#define D_M_ONE   0xbff0000000000000
#define D_INF     0x7ff0000000000000
#define D_M_INF   0xfff0000000000000
#define D_QNAN    0x7ff8000000000000
#define D_SNAN    0x7ff0000000000001
#define D_MAX     0x7fefffffffffffff
#define D_MIN     0x0010000000000000
#define D_M_ZERO  0x8000000000000000

/* load a bit pattern into an FP register (clobbers t0) */
#define LS(f, v) li t0, v; fmv.w.x f, t0
#define LD(f, v) li t0, v; fmv.d.x f, t0

/* Flags set before each case (default none).  The *_nx.S programs rerun
 * the cases with NX already set: every case must still add exactly its
 * flags. */
#ifndef PRESET_FLAGS
#define PRESET_FLAGS 0
#endif
#define PRESET li t6, PRESET_FLAGS; fsflags t6

/* Case n: set fflags to PRESET_FLAGS, run `code` (result in fa0), compare
 * the single result bits and the accrued flags. */
#define TS(n, bits, flags, code...)                                     \
        li TESTNUM, n; PRESET; code;                              \
        fmv.x.w a0, fa0; li t6, bits; sext.w t6, t6; bne a0, t6, fail;  \
        frflags a0; li t6, (flags) | PRESET_FLAGS; bne a0, t6, fail
/* same for a double result in fa0 */
#define TD(n, bits, flags, code...)                                     \
        li TESTNUM, n; PRESET; code;                              \
        fmv.x.d a0, fa0; li t6, bits; bne a0, t6, fail;                 \
        frflags a0; li t6, (flags) | PRESET_FLAGS; bne a0, t6, fail
/* same for an integer result in a0 */
#define TX(n, val, flags, code...)                                      \
        li TESTNUM, n; PRESET; code;                              \
        li t6, val; bne a0, t6, fail;                                   \
        frflags a0; li t6, (flags) | PRESET_FLAGS; bne a0, t6, fail

#endif
