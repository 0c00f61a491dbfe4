/* Writes HTIF requests to tohost as two 32-bit halves, in both orders:
 * console putchar (device 1, command 1) of 'A' low half first and 'B'
 * high half first, then exit code 0 as riscv-tests does (low, then high). */
#include "htif.h"
        .section .text.init, "ax", @progbits
        .globl _start
_start:
        la t0, tohost
        li t1, 0x01010000       /* high half: device 1, command 1 */
        li t2, 'A'
        sw t2, 0(t0)
        sw t1, 4(t0)
1:      ld t3, 0(t0)            /* the host clears tohost when served */
        bnez t3, 1b
        li t2, 'B'
        sw t1, 4(t0)
        sw t2, 0(t0)
2:      ld t3, 0(t0)
        bnez t3, 2b
        li t2, 1
        sw t2, 0(t0)
        sw zero, 4(t0)
3:      j 3b
HTIF_WORDS
