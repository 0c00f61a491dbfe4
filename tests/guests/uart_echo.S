/* Console input through the UART's receive interrupt: enables
 * received-data interrupts (IER.ERBFI) on PLIC source 10 for hart 0's M
 * context, then sleeps in WFI; on each external interrupt it claims the
 * source, echoes every waiting byte, in brackets, and completes. A 'q'
 * powers off through the test finisher. No polling: without the
 * interrupt nothing is echoed. */
        .section .text.init, "ax", @progbits
        .globl _start
_start:
        li s0, 0x10000000               /* UART */
        li s1, 0x0c000000               /* PLIC */
        li t0, 1
        sw t0, 40(s1)                   /* priority of source 10 */
        li t0, 0x0c002000
        li t1, 1 << 10
        sw t1, 0(t0)                    /* enable for context 0 (hart 0, M) */
        li t0, 0x0c200000
        sw zero, 0(t0)                  /* threshold 0 */
        li t0, 1
        sb t0, 1(s0)                    /* IER: received data available */
        li t0, 1 << 11
        csrw mie, t0                    /* MEIE; mstatus.MIE stays 0 */
wait:   wfi
        csrr t0, mip
        srli t0, t0, 11
        andi t0, t0, 1
        beqz t0, wait
        li t2, 0x0c200004
        lw t3, 0(t2)                    /* claim */
drain:  lbu t0, 5(s0)                   /* LSR */
        andi t0, t0, 1                  /* data ready */
        beqz t0, done
        lbu t1, 0(s0)                   /* RBR */
        li t4, 'q'
        beq t1, t4, quit
        li t0, '['
        sb t0, 0(s0)
        sb t1, 0(s0)
        li t0, ']'
        sb t0, 0(s0)
        j drain
done:   sw t3, 0(t2)                    /* complete */
        j wait
quit:   li t0, 0x100000
        li t1, 0x5555
        sw t1, 0(t0)
1:      j 1b
