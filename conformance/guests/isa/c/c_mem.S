/* Compressed loads and stores: c.lw, c.ld, c.sw, c.sd, c.lwsp, c.ldsp,
 * c.swsp, c.sdsp, c.fld, c.fsd, c.fldsp, c.fsdsp; smallest and largest
 * offsets, sign extension of c.lw / c.lwsp. */
#include "../isa_test.h"
TEST_BEGIN
        la s0, mem
        /* c.lw / c.ld with base register s0 (x8) */
        TEST_CASE(1, a0, 0xffffffff89abcdef, c.lw a0, 0(s0))
        TEST_CASE(2, a0, 0x01234567, c.lw a0, 4(s0))
        TEST_CASE(3, a1, 0x0123456789abcdef, c.ld a1, 0(s0))
        TEST_CASE(4, a2, 0xfedcba9876543210, c.ld a2, 8(s0))
        TEST_CASE(5, a3, 0x7eeeeeee, c.lw a3, 124(s0))
        TEST_CASE(6, a4, 0x8888888888888888, c.ld a4, 248(s0))
        TEST_CASE(7, a5, 0xfffffffffedcba98, c.lw a5, 12(s0))
        /* c.sw / c.sd then read back with ordinary loads */
        TEST_CASE(8, a0, 0x5555555512345678, li a1, 0xabcdef0012345678; la s1, sbuf; li t0, 0x5555555555555555; sd t0, 0(s1); c.sw a1, 0(s1); ld a0, 0(s1))
        TEST_CASE(9, a0, 0x1234567855555555, li a1, 0xabcdef0012345678; la s1, sbuf; li t0, 0x5555555555555555; sd t0, 0(s1); c.sw a1, 4(s1); ld a0, 0(s1))
        TEST_CASE(10, a0, 0xabcdef0012345678, li a1, 0xabcdef0012345678; la s1, sbuf; c.sd a1, 248(s1); ld a0, 248(s1))
        TEST_CASE(11, a0, 0x2222222222222222, li a1, 0x1111111122222222; la s1, sbuf; c.sw a1, 124(s1); c.sw a1, 120(s1); ld a0, 120(s1))
        /* sp-relative forms: point sp at the buffers, restore it afterwards */
        mv s11, sp
        la sp, mem
        TEST_CASE(12, a0, 0xffffffff89abcdef, c.lwsp a0, 0(sp))
        TEST_CASE(13, t3, 0x7eeeeeee, c.lwsp t3, 124(sp))
        TEST_CASE(14, s5, 0xfffffffffedcba98, c.lwsp s5, 12(sp))
        TEST_CASE(15, t4, 0x0123456789abcdef, c.ldsp t4, 0(sp))
        TEST_CASE(16, a0, 0x8888888888888888, c.ldsp a0, 248(sp))
        TEST_CASE(17, a0, 0x4444444444444444, c.ldsp a0, 504(sp))
        TEST_CASE(18, a0, 0xffffffff88888888, c.lwsp a0, 252(sp))
        la sp, sbuf
        TEST_CASE(19, a0, 0x000000009abcdef0, li t5, 0x123456789abcdef0; sd x0, 0(sp); c.swsp t5, 0(sp); ld a0, 0(sp))
        TEST_CASE(20, a0, 0x9abcdef0, li t5, 0x123456789abcdef0; c.swsp t5, 252(sp); lwu a0, 252(sp))
        TEST_CASE(21, a0, 0x123456789abcdef0, li t5, 0x123456789abcdef0; c.sdsp t5, 504(sp); ld a0, 504(sp))
        TEST_CASE(22, a0, 0xfedcba9876543210, li s4, 0xfedcba9876543210; c.sdsp s4, 8(sp); ld a0, 8(sp))
        /* FP forms move raw bits (no conversion); mstatus.FS was set by TEST_BEGIN */
        la sp, mem
        TEST_CASE(23, a0, 0xfedcba9876543210, c.fldsp fa0, 8(sp); fmv.x.d a0, fa0)
        TEST_CASE(24, a0, 0x4444444444444444, c.fldsp fs5, 504(sp); fmv.x.d a0, fs5)
        la sp, sbuf
        TEST_CASE(25, a0, 0x7ff8000000000001, li t0, 0x7ff8000000000001; fmv.d.x ft9, t0; c.fsdsp ft9, 496(sp); ld a0, 496(sp))
        TEST_CASE(26, a0, 0x0000000000000001, li t0, 1; fmv.d.x fs0, t0; c.fsdsp fs0, 0(sp); ld a0, 0(sp))
        mv sp, s11
        TEST_CASE(27, a0, 0x0123456789abcdef, c.fld fa1, 0(s0); fmv.x.d a0, fa1)
        TEST_CASE(28, a0, 0x8888888888888888, c.fld fs1, 248(s0); fmv.x.d a0, fs1)
        TEST_CASE(29, a0, 0xfff0000000000000, li t0, 0xfff0000000000000; fmv.d.x fa5, t0; la s1, sbuf; c.fsd fa5, 248(s1); ld a0, 248(s1))
        TEST_CASE(30, a0, 0x8000000000000000, li t0, 0x8000000000000000; fmv.d.x fs0, t0; la a4, sbuf; c.fsd fs0, 16(a4); ld a0, 16(a4))
        /* loads into the base register */
        TEST_CASE(31, a3, 0xfedcba9876543210, la a3, mem; c.ld a3, 8(a3))
        TEST_CASE(32, a3, 0x01234567, la a3, mem; c.lw a3, 4(a3))
TEST_END
        .data
        .balign 8
mem:    .dword 0x0123456789abcdef, 0xfedcba9876543210
        .fill 13, 8, 0x1111111111111111
        .word 0x33333333, 0x7eeeeeee      /* 120, 124 */
        .fill 15, 8, 0x2222222222222222  /* 128..247 */
        .dword 0x8888888888888888        /* 248 */
        .fill 31, 8, 0x3333333333333333  /* 256..503 */
        .dword 0x4444444444444444        /* 504 */
        .balign 8
sbuf:   .space 512
