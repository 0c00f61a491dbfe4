/* Start-up for hartvm's benchmark guests: M-mode, hart 0 only, stack, C main,
 * exit code through HTIF (tohost = code << 1 | 1). */
        .section .text.init, "ax", @progbits
        .globl _start
_start:
        csrr t0, mhartid
        bnez t0, park
        la sp, stack_top
        li t0, (1 << 13)        /* mstatus.FS = initial */
        csrs mstatus, t0
        call main
        slli a0, a0, 1
        ori a0, a0, 1
        la t0, tohost
        sd a0, 0(t0)
1:      j 1b
park:   wfi
        j park

        .section .tohost, "aw", @progbits
        .balign 64
        .globl tohost
tohost: .dword 0
        .balign 64
        .globl fromhost
fromhost: .dword 0

        .bss
        .balign 16
        .space 65536
stack_top:
