/* Leaves results where riscv-arch-test style programs do, between the
 * begin_signature and end_signature symbols, for `hartvm run
 * --signature`: 31 words of a 32-bit LCG (x = x * 1664525 + 1013904223,
 * from x = 1) stored by a hot loop, then one word written a byte at a
 * time (0x44332211), then the HTIF exit code in a0's low bits. */
#include "htif.h"
        .section .text.init, "ax", @progbits
        .globl _start
_start:
        la t0, begin_signature
        li t1, 1                /* x */
        li t2, 31               /* words left */
        li t3, 1664525
        li t4, 1013904223
1:      mulw t1, t1, t3
        addw t1, t1, t4
        sw t1, 0(t0)
        addi t0, t0, 4
        addi t2, t2, -1
        bnez t2, 1b
        li t1, 0x11
        sb t1, 0(t0)
        li t1, 0x22
        sb t1, 1(t0)
        li t1, 0x33
        sb t1, 2(t0)
        li t1, 0x44
        sb t1, 3(t0)
        la t0, tohost
        li t1, 1                /* exit code 0 */
        sd t1, 0(t0)
2:      j 2b

        .data
        .balign 16
        .globl begin_signature
begin_signature:
        .fill 32, 4, 0xdeadbeef
        .globl end_signature
end_signature:
        .dword 0

HTIF_WORDS
