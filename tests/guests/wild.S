/* Jumps to unmapped memory with the trap vector also unmapped: every
 * fetch faults and no instruction ever retires. */
        .section .text.init, "ax", @progbits
        .globl _start
_start:
        li t0, 0x40000000
        csrw mtvec, t0
        jr t0
