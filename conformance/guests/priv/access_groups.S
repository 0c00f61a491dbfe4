/* Runs of loads and stores off one base register, where a translator may
 * check the bytes of the whole run once, at its first access. Each run
 * here has an access the check must catch somewhere other than at its
 * first one: past the end of RAM (the accesses before it complete, the
 * fault is precise), on a page holding code (the new code runs after
 * fence.i), at a misaligned base (emulated), on a device. Plus a plain
 * frame of mixed widths, integer and FP, saved and restored.
 * RAM's end is found by probing (hartvm test gives 64 MiB, QEMU 128).
 * No PMP entry is set (unlike PRIV_INIT does): M-mode code without PMP is
 * what a translator may run with RAM reached directly, so the test has a
 * trap handler of its own, with priv.h's conventions (s8 cause, s9 epc,
 * s10 tval, s11 count; it returns after the trapping instruction). */
#include "hartvm_test.h"
#include "priv.h"
        .option norvc
TEST_BEGIN
        la t0, record_trap
        csrw mtvec, t0
        CLEAR_TRAP
        /* 1: s0 = end of RAM, a power of two from 16 MiB */
        li TESTNUM, 1
        li s0, 0x81000000
        li s1, 0x80000000
1:      CLEAR_TRAP
        ld t1, 0(s0)
        bnez s11, 2f
        sub t1, s0, s1
        add s0, s0, t1
        li t2, 0x100000000
        bgeu s0, t2, fail
        j 1b
2:      li t6, CAUSE_LOAD_ACCESS
        bne s8, t6, fail

        /* 2..6: stores then loads off one base, the last load past the end */
        addi t0, s0, -16
        li a1, 0x1111222233334444
        li a2, 0x5555666677778888
        li a3, 0x3333
        li a4, 0x4444
        li a5, 0x5555
        li TESTNUM, 2
        CLEAR_TRAP
        sd a1, 0(t0)
        sd a2, 8(t0)
        ld a3, 0(t0)
        ld a4, 8(t0)
load_past_end:
        ld a5, 16(t0)
        CHECK_CAUSE(2, CAUSE_LOAD_ACCESS)
        /* tval is the first byte past RAM */
        li TESTNUM, 3
        bne s10, s0, fail
        la t6, load_past_end
        bne s9, t6, fail
        TEST_CASE(4, a3, 0x1111222233334444, )
        TEST_CASE(5, a4, 0x5555666677778888, )
        TEST_CASE(6, a5, 0x5555, )

        /* 7..10: stores off one base, the last one past the end: the
         * ones before it are done */
        li a1, 0xaaaa
        li a2, 0xbbbb
        li a3, 0xcccc
        li TESTNUM, 7
        CLEAR_TRAP
        sw a1, 0(t0)
        sd a2, 8(t0)
store_past_end:
        sh a3, 16(t0)
        CHECK_CAUSE(7, CAUSE_STORE_ACCESS)
        li TESTNUM, 8
        bne s10, s0, fail
        la t6, store_past_end
        bne s9, t6, fail
        TEST_CASE(9, a0, 0x111122220000aaaa, ld a0, 0(t0))
        TEST_CASE(10, a0, 0xbbbb, ld a0, 8(t0))

        /* 11..12: the first access past the end, the next one in RAM */
        li a0, 0x77
        li a1, 0x99
        li TESTNUM, 11
        CLEAR_TRAP
first_past_end:
        lw a0, 16(t0)
        lw a1, 8(t0)
        CHECK_CAUSE(11, CAUSE_LOAD_ACCESS)
        la t6, first_past_end
        bne s9, t6, fail
        TEST_CASE(12, a0, 0x77, )
        TEST_CASE(13, a1, 0xbbbb, )

        /* 14..16: a function, run often enough to be translated, patched
         * by a run of stores starting on the page before its own */
        li s1, 300
3:      jal ra, patched_fn
        addi s1, s1, -1
        bnez s1, 3b
        TEST_CASE(14, a0, 1, )
        la t0, patch_slot
        lw t1, t_li2
        li t2, 0x5a5a
        sd t2, 0(t0)
        sw t1, 8(t0)
        fence.i
        TEST_CASE(15, a0, 2, jal ra, patched_fn)
        TEST_CASE(16, a0, 0x5a5a, ld a0, 0(t0))
        /* 17..18: again, the code page's store first this time */
        lw t1, t_li3
        li t2, 0xa5a5
        sw t1, 8(t0)
        sd t2, 0(t0)
        fence.i
        TEST_CASE(17, a0, 3, jal ra, patched_fn)
        TEST_CASE(18, a0, 0xa5a5, ld a0, 0(t0))
        /* 19..21: a misaligned store of a run crosses into the code page:
         * addi a0, zero, 3 becomes addi zero, zero, 3 */
        li t1, 0x0013beef
        sb zero, 0(t0)
        sw t1, 6(t0)
        fence.i
        TEST_CASE(19, a0, 0x42, li a0, 0x42; jal ra, patched_fn)
        TEST_CASE(20, a0, 0xbeef00000000a500, ld a0, 0(t0))
        TEST_CASE(21, a0, 0x00300013, lw a0, 8(t0))

        /* 22..26: aligned offsets off a misaligned base: emulated, no trap */
        la t0, buf
        addi t0, t0, 4
        li a1, 0x0102030405060708
        li a2, 0x1112131415161718
        CLEAR_TRAP
        sd a1, 0(t0)
        sd a2, 8(t0)
        sw a1, 16(t0)
        ld a3, 0(t0)
        ld a4, 8(t0)
        TEST_CASE(22, a3, 0x0102030405060708, )
        TEST_CASE(23, a4, 0x1112131415161718, )
        TEST_CASE(24, a0, 0x05060708, lwu a0, 16(t0))
        TEST_CASE(25, a0, 0x0506070811121314, ld a0, 12(t0))
        CHECK_NO_TRAP(26)

        /* 27..28: a run of device registers (the UART): LSR says the
         * transmitter is empty, IER reads back what was written */
        li t0, 0x10000000
        lbu a1, 5(t0)
        sb zero, 1(t0)
        lbu a2, 1(t0)
        andi a1, a1, 0x20
        TEST_CASE(27, a1, 0x20, )
        TEST_CASE(28, a2, 0, )

        /* 29..36: a frame of mixed widths saved and restored */
        la t0, frame
        li a1, -2
        li a2, 0x1234
        li a3, 0x89abcdef
        li a4, 0x0fedcba987654321
        fmv.d.x fa0, a4
        sb a1, 0(t0)
        sh a2, 2(t0)
        sw a3, 4(t0)
        sd a4, 8(t0)
        fsd fa0, 16(t0)
        fsw fa0, 24(t0)
        lb s2, 0(t0)
        lbu s3, 0(t0)
        lh a5, 2(t0)
        lw a6, 4(t0)
        lwu a7, 4(t0)
        ld t3, 8(t0)
        fld fa1, 16(t0)
        lwu t4, 24(t0)
        TEST_CASE(29, s2, -2, )
        TEST_CASE(30, s3, 0xfe, )
        TEST_CASE(31, a5, 0x1234, )
        TEST_CASE(32, a6, 0xffffffff89abcdef, )
        TEST_CASE(33, a7, 0x89abcdef, )
        TEST_CASE(34, t3, 0x0fedcba987654321, )
        TEST_CASE(35, a0, 0x0fedcba987654321, fmv.x.d a0, fa1)
        TEST_CASE(36, t4, 0x87654321, )
        j pass

        /* The last 8 bytes of a page no code runs from, then a page of
         * code. */
        .balign 4096
        .skip 4096 - 8
patch_slot:
        .dword 0
patched_fn:
        addi a0, zero, 1
        ret
TEST_END
        .text
        .balign 4
record_trap:
        csrr s8, mcause
        csrr s9, mepc
        csrr s10, mtval
        addi s11, s11, 1
        addi s4, s9, 4
        csrw mepc, s4
        mret
        .data
        .balign 4
t_li2:  addi a0, zero, 2
t_li3:  addi a0, zero, 3
        .balign 64
buf:    .space 64
frame:  .space 64
