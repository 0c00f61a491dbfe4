/* c.ebreak raises a breakpoint exception: mcause 3, mepc = its address;
 * the handler resumes 2 bytes later. Also ebreak (4 bytes) for contrast. */
#include "../isa_test.h"
TEST_BEGIN
        la t0, handler
        csrw mtvec, t0
        li s2, 0
        TEST_CASE(1, a0, 0x11, li a0, 0x10; 1: c.ebreak; c.addi a0, 1; la t0, 1b; bne s3, t0, fail)
        TEST_CASE(2, s4, 3, csrr s4, mcause)
        TEST_CASE(3, s2, 1, )
        TEST_CASE(4, a0, 0x21, li a0, 0x20; 1: c.ebreak; c.addi a0, 1; la t0, 1b; bne s3, t0, fail)
        TEST_CASE(5, s2, 2, )
        /* c.ebreak at an address that is 2 mod 4 */
        TEST_CASE(6, a0, 0x31, li a0, 0x30; .balign 4; c.nop; 1: c.ebreak; c.addi a0, 1; la t0, 1b; bne s3, t0, fail)
        TEST_CASE(7, s2, 3, )
        j done
        .balign 4
handler:
        csrr s3, mepc
        csrr t0, mcause
        li t1, 3
        bne t0, t1, fail
        addi s2, s2, 1
        /* length of the trapping instruction: low two bits 11 = 4 bytes */
        lhu t0, 0(s3)
        andi t0, t0, 3
        li t1, 3
        addi s3, s3, 2
        bne t0, t1, 1f
        addi s3, s3, 2
1:      csrw mepc, s3
        addi s3, s3, -2
        bne t0, t1, 2f
        addi s3, s3, -2
2:      mret
done:
        TEST_CASE(8, a0, 0x41, li a0, 0x40; 1: .option push; .option norvc; ebreak; .option pop; c.addi a0, 1; la t0, 1b; bne s3, t0, fail)
        TEST_CASE(9, s2, 4, )
TEST_END
