/* Four harts (run with --smp 4) each add 1 to a shared counter 50,000
 * times with amoadd.d and 50,000 times with an LR/SC loop on a second
 * counter, then check in. Hart 0 waits for all four and exits 0 only if
 * both counters are exactly 200,000: lost updates would show. */
#include "htif.h"
        .section .text.init, "ax", @progbits
        .globl _start
_start:
        la s0, amo_counter
        la s1, lrsc_counter
        la s2, checked_in
        li s3, 50000
        li t0, 1
1:      amoadd.d zero, t0, (s0)
        addi s3, s3, -1
        bnez s3, 1b
        li s3, 50000
2:      lr.d t1, (s1)
        addi t1, t1, 1
        sc.d t2, t1, (s1)
        bnez t2, 2b
        addi s3, s3, -1
        bnez s3, 2b
        amoadd.d zero, t0, (s2)
        csrr a0, mhartid
        bnez a0, park
        li t3, 4
3:      ld t4, 0(s2)
        bne t4, t3, 3b
        li t3, 200000
        ld t4, 0(s0)
        li a0, 3                /* exit code 1: amo counter wrong */
        bne t4, t3, report
        ld t4, 0(s1)
        li a0, 5                /* exit code 2: LR/SC counter wrong */
        bne t4, t3, report
        li a0, 1                /* pass */
report: la t0, tohost
        sd a0, 0(t0)
4:      j 4b
park:   wfi
        j park
        .data
        .balign 64
amo_counter: .dword 0
        .balign 64
lrsc_counter: .dword 0
        .balign 64
checked_in: .dword 0
HTIF_WORDS
