/* Writes where it must not: to the boot ROM region, to unmapped physical
 * space and outside RAM; each must raise a store access fault, which the
 * handler counts. Then it reports the count through HTIF: exit code 0 if
 * all three faulted. */
#include "htif.h"
        .section .text.init, "ax", @progbits
        .globl _start
_start:
        la t0, handler
        csrw mtvec, t0
        li s0, 0
        li t1, 0x00001000
        sd zero, 0(t1)
        li t1, 0x30000000
        sw zero, 0(t1)
        li t1, 0xfffffffffffffff0
        sd zero, 0(t1)
        addi s0, s0, -3
        slli a0, s0, 1
        ori a0, a0, 1
        la t0, tohost
        sd a0, 0(t0)
1:      j 1b
        .balign 4
handler:
        csrr t2, mcause
        li t3, 7
        bne t2, t3, bad
        addi s0, s0, 1
        csrr t2, mepc
        addi t2, t2, 4
        csrw mepc, t2
        mret
bad:    li a0, 0x3ff
        la t0, tohost
        sd a0, 0(t0)
2:      j 2b
HTIF_WORDS
