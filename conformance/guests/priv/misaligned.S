/* Misaligned loads and stores are emulated by hartvm: they complete with
 * the right value (every width, sign/zero extension, FP loads/stores, in
 * M and U, across a 4 KiB boundary), and raise no trap.  (Misaligned
 * AMO/LR/SC trap: see exceptions.S; across a page boundary under paging:
 * see paging.h.)  QEMU 7.2 emulates them too. */
#include "hartvm_test.h"
#include "priv.h"

TEST_BEGIN
PRIV_INIT
        la s0, buf
        /* byte k of buf (0..15) = 0x11 * k; bytes 16..23 = f0 e1 d2 c3 b4 a5 96 87 */
        li t0, 0x7766554433221100
        sd t0, 0(s0)
        li t0, 0xffeeddccbbaa9988
        sd t0, 8(s0)
        li t0, 0x8796a5b4c3d2e1f0
        sd t0, 16(s0)
        CLEAR_TRAP
        TEST_CASE(1, a0, 0x2211, lhu a0, 1(s0))
        TEST_CASE(2, a0, 0xffffffffffff8877, lh a0, 7(s0))
        TEST_CASE(3, a0, 0x4433, lh a0, 3(s0))
        TEST_CASE(4, a0, 0x44332211, lw a0, 1(s0))
        TEST_CASE(5, a0, 0x55443322, lw a0, 2(s0))
        TEST_CASE(6, a0, 0x66554433, lw a0, 3(s0))
        TEST_CASE(7, a0, 0xffffffff99887766, lw a0, 6(s0))
        TEST_CASE(8, a0, 0x99887766, lwu a0, 6(s0))
        TEST_CASE(9, a0, 0x8877665544332211, ld a0, 1(s0))
        TEST_CASE(10, a0, 0xaa99887766554433, ld a0, 3(s0))
        TEST_CASE(11, a0, 0xeeddccbbaa998877, ld a0, 7(s0))
        TEST_CASE(12, a0, 0xb4c3d2e1f0ffeedd, ld a0, 13(s0))

        CHECK_NO_TRAP(14)

        /* ---- stores ---- */
        la s1, buf2
        li t0, 0xdeadbeef
        sw t0, 1(s1)
        TEST_CASE(15, a0, 0x000000deadbeef00, ld a0, 0(s1))
        li t0, 0x0123456789abcdef
        sd t0, 13(s1)
        TEST_CASE(16, a0, 0xabcdef0000000000, ld a0, 8(s1))
        TEST_CASE(17, a0, 0x0000000123456789, ld a0, 16(s1))
        li t0, 0xbeef
        sh t0, 31(s1)
        TEST_CASE(18, a0, 0xef00000000000000, ld a0, 24(s1))
        TEST_CASE(19, a0, 0xbe, ld a0, 32(s1))
        li t0, 0x1122334455667788
        sd t0, 37(s1)
        TEST_CASE(20, a0, 0x1122334455667788, ld a0, 37(s1))
        TEST_CASE(21, a0, 0x55667788, lwu a0, 37(s1))
        CHECK_NO_TRAP(22)

        /* ---- FP loads/stores ---- */
        flw fa0, 1(s0)
        fmv.x.w a0, fa0
        TEST_CASE(23, a0, 0x44332211, )
        fld fa1, 3(s0)
        fmv.x.d a0, fa1
        TEST_CASE(24, a0, 0xaa99887766554433, )
        fsd fa1, 45(s1)
        TEST_CASE(25, a0, 0xaa99887766554433, ld a0, 45(s1))
        fsw fa0, 55(s1)
        TEST_CASE(26, a0, 0x44332211, lw a0, 55(s1))
        CHECK_NO_TRAP(27)

        /* ---- across a 4 KiB boundary ---- */
        la s2, pagebuf
        li t0, 4088
        add s2, s2, t0
        li t0, 0x8877665544332211
        sd t0, 0(s2)
        li t0, 0xccbbaa99
        sd t0, 8(s2)
        TEST_CASE(28, a0, 0xccbbaa9988776655, ld a0, 4(s2))
        TEST_CASE(29, a0, 0xffffffffaa998877, lw a0, 6(s2))
        TEST_CASE(30, a0, 0x9988, lhu a0, 7(s2))
        li t0, 0x0102030405060708
        sd t0, 5(s2)
        TEST_CASE(31, a0, 0x0102030405060708, ld a0, 5(s2))
        TEST_CASE(32, a0, 0x0607085544332211, ld a0, 0(s2))
        TEST_CASE(33, a0, 0x0000000102030405, ld a0, 8(s2))
        CHECK_NO_TRAP(34)

        /* ---- in U mode too ---- */
        GOTO_U
        TEST_CASE(35, a0, 0x66554433, lw a0, 3(s0))
        li t0, 0x7f
        sh t0, 63(s1)
        TEST_CASE(36, a0, 0x7f, lhu a0, 63(s1))
        CHECK_NO_TRAP(37)
        GOTO_M
        j pass
TEST_END
PRIV_HANDLERS
        .data
        .balign 64
buf:    .space 64
buf2:   .space 128
        .bss
        .balign 4096
pagebuf: .space 2 * 4096
