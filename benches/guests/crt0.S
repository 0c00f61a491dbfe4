/* Start-up for hartvm's benchmark guests: M-mode, hart 0 only, stack, C main,
 * exit code through HTIF (tohost = code << 1 | 1) and the test finisher.
 *
 * Built with -DBENCH_SV39, it first turns Sv39 paging on (sv39.c builds the
 * tables) and runs main in S-mode; any trap then ends the run with exit
 * code 126 (nothing is delegated, and the workloads take no traps). */
        .section .text.init, "ax", @progbits
        .globl _start
_start:
        csrr t0, mhartid
        bnez t0, park
        la sp, stack_top
        li t0, (1 << 13)        /* mstatus.FS = initial */
        csrs mstatus, t0
#ifdef BENCH_SV39
        la t0, unexpected_trap
        csrw mtvec, t0
        call sv39_setup         /* a0 = satp */
        csrw satp, a0
        sfence.vma
        li t0, (3 << 11)        /* mstatus.MPP = S */
        csrc mstatus, t0
        li t0, (1 << 11)
        csrs mstatus, t0
        la t0, 1f               /* the image is identity-mapped */
        csrw mepc, t0
        mret
1:
#endif
        call main
        .globl bench_exit
bench_exit:                     /* a0 = exit code */
        slli t1, a0, 1
        ori t1, t1, 1
        la t0, tohost
        sd t1, 0(t0)
        /* QEMU's virt machine has no HTIF (hartvm stops at the store above):
         * also tell the test finisher, 0x5555 = pass, code << 16 | 0x3333 =
         * fail with that code. */
        li t1, 0x5555
        beqz a0, 2f
        slli t1, a0, 16
        li t0, 0x3333
        or t1, t1, t0
2:      li t0, 0x100000
        sw t1, 0(t0)
1:      j 1b
park:   wfi
        j park

#ifdef BENCH_SV39
        .balign 4               /* mtvec needs 4-byte alignment */
unexpected_trap:
        li a0, 126
        j bench_exit
#endif

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
