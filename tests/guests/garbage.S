/* Fills 64 KiB with pseudo-random words and jumps into them; the trap
 * vector points into the garbage too. hartvm must neither crash nor hang:
 * --max-insns or --timeout ends the run. */
        .section .text.init, "ax", @progbits
        .globl _start
_start:
        la t0, arena
        li t1, 16384
        li t2, 0x9e3779b97f4a7c15
        li t3, 88172645463325252
1:      xor t3, t3, t2
        slli t4, t3, 13
        xor t3, t3, t4
        srli t4, t3, 7
        xor t3, t3, t4
        slli t4, t3, 17
        xor t3, t3, t4
        sw t3, 0(t0)
        addi t0, t0, 4
        addi t1, t1, -1
        bnez t1, 1b
        la t0, arena
        addi t1, t0, 1024
        csrw mtvec, t1
        jr t0
        .bss
        .balign 4096
arena:  .space 65536
