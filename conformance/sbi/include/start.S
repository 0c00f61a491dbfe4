/* Entry points and trap vector of the SBI guest programs (S-mode).
 *
 * _start      boot entry: a0 = hartid, a1 = DTB. Clears .bss, then
 *             boot_c(hartid, dtb).
 * hart_entry  entry for hart_start, non-retentive hart_suspend and
 *             system_suspend resume: a0 = hartid, a1 = opaque. Calls
 *             hart_entry_c(a0, a1) without touching a0/a1/satp/sstatus.
 * trap_entry  stvec: saves x1-x31 and sepc/sstatus/scause/stval in a
 *             frame on the current stack, calls trap_c(frame), restores.
 *
 * Every hart runs on stacks[hartid & (MAX_HARTS-1)]; tp holds the hartid. */

#define MAX_HARTS 8
#define STACK_SIZE 16384
#define FRAME 288  /* 36 slots of 8 bytes */

/* gp, tp = hartid (a0), this hart's stack, stvec; a0/a1 untouched. */
.macro HART_SETUP
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    mv tp, a0
    andi t0, a0, MAX_HARTS - 1
    addi t0, t0, 1
    li t1, STACK_SIZE
    mul t0, t0, t1
    la sp, stacks
    add sp, sp, t0
    la t0, trap_entry
    csrw stvec, t0
.endm

    .section .text.init, "ax"
    .globl _start
_start:
    HART_SETUP
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  call boot_c
3:  wfi
    j 3b

    .text
    .globl hart_entry
    .balign 4
hart_entry:
    HART_SETUP
    call hart_entry_c
1:  wfi
    j 1b

    .globl trap_entry
    .balign 4
trap_entry:
    addi sp, sp, -FRAME
    sd x1, 1*8(sp)
    sd x3, 3*8(sp)
    sd x4, 4*8(sp)
    sd x5, 5*8(sp)
    sd x6, 6*8(sp)
    sd x7, 7*8(sp)
    sd x8, 8*8(sp)
    sd x9, 9*8(sp)
    sd x10, 10*8(sp)
    sd x11, 11*8(sp)
    sd x12, 12*8(sp)
    sd x13, 13*8(sp)
    sd x14, 14*8(sp)
    sd x15, 15*8(sp)
    sd x16, 16*8(sp)
    sd x17, 17*8(sp)
    sd x18, 18*8(sp)
    sd x19, 19*8(sp)
    sd x20, 20*8(sp)
    sd x21, 21*8(sp)
    sd x22, 22*8(sp)
    sd x23, 23*8(sp)
    sd x24, 24*8(sp)
    sd x25, 25*8(sp)
    sd x26, 26*8(sp)
    sd x27, 27*8(sp)
    sd x28, 28*8(sp)
    sd x29, 29*8(sp)
    sd x30, 30*8(sp)
    sd x31, 31*8(sp)
    addi t0, sp, FRAME
    sd t0, 2*8(sp)
    csrr t0, sepc
    sd t0, 32*8(sp)
    csrr t0, sstatus
    sd t0, 33*8(sp)
    csrr t0, scause
    sd t0, 34*8(sp)
    csrr t0, stval
    sd t0, 35*8(sp)
    mv a0, sp
    call trap_c
    ld t0, 32*8(sp)
    csrw sepc, t0
    ld t0, 33*8(sp)
    csrw sstatus, t0
    ld x1, 1*8(sp)
    ld x3, 3*8(sp)
    ld x4, 4*8(sp)
    ld x5, 5*8(sp)
    ld x6, 6*8(sp)
    ld x7, 7*8(sp)
    ld x8, 8*8(sp)
    ld x9, 9*8(sp)
    ld x10, 10*8(sp)
    ld x11, 11*8(sp)
    ld x12, 12*8(sp)
    ld x13, 13*8(sp)
    ld x14, 14*8(sp)
    ld x15, 15*8(sp)
    ld x16, 16*8(sp)
    ld x17, 17*8(sp)
    ld x18, 18*8(sp)
    ld x19, 19*8(sp)
    ld x20, 20*8(sp)
    ld x21, 21*8(sp)
    ld x22, 22*8(sp)
    ld x23, 23*8(sp)
    ld x24, 24*8(sp)
    ld x25, 25*8(sp)
    ld x26, 26*8(sp)
    ld x27, 27*8(sp)
    ld x28, 28*8(sp)
    ld x29, 29*8(sp)
    ld x30, 30*8(sp)
    ld x31, 31*8(sp)
    addi sp, sp, FRAME
    sret

/* long regs_preserved_check(eid, fid): makes an SBI call with a2-a5 and
 * t0-t6, s2-s11 set to known patterns and returns a bit mask of the
 * registers (bit n = xn) whose value changed, other than a0/a1 (a6/a7
 * carry the fid/eid and are not checked).
 */
    .globl regs_preserved_check
    .balign 4
regs_preserved_check:
    addi sp, sp, -112
    sd s0, 0(sp)
    sd s1, 8(sp)
    sd s2, 16(sp)
    sd s3, 24(sp)
    sd s4, 32(sp)
    sd s5, 40(sp)
    sd s6, 48(sp)
    sd s7, 56(sp)
    sd s8, 64(sp)
    sd s9, 72(sp)
    sd s10, 80(sp)
    sd s11, 88(sp)
    sd ra, 96(sp)
    sd gp, 104(sp)
    mv a7, a0
    mv a6, a1
    li a0, 0
    li a1, 0
    li a2, 0x1212121212121212
    li a3, 0x1313131313131313
    li a4, 0x1414141414141414
    li a5, 0x1515151515151515
    li t0, 0x0505050505050505
    li t1, 0x0606060606060606
    li t2, 0x0707070707070707
    li t3, 0x1c1c1c1c1c1c1c1c
    li t4, 0x1d1d1d1d1d1d1d1d
    li t5, 0x1e1e1e1e1e1e1e1e
    li t6, 0x1f1f1f1f1f1f1f1f
    li s0, 0x0808080808080808
    li s1, 0x0909090909090909
    li s2, 0x1212121212121212
    li s3, 0x1313131313131313
    li s4, 0x1414141414141414
    li s5, 0x1515151515151515
    li s6, 0x1616161616161616
    li s7, 0x1717171717171717
    li s8, 0x1818181818181818
    li s9, 0x1919191919191919
    li s10, 0x1a1a1a1a1a1a1a1a
    li s11, 0x1b1b1b1b1b1b1b1b
    ecall
    /* a0 = mask of changed registers, built with a1 as scratch */
    li a0, 0
#define CHK(reg, n, val) li a1, val; beq reg, a1, 9f; li a1, 1; slli a1, a1, n; or a0, a0, a1; 9:
    CHK(a2, 12, 0x1212121212121212)
    CHK(a3, 13, 0x1313131313131313)
    CHK(a4, 14, 0x1414141414141414)
    CHK(a5, 15, 0x1515151515151515)
    CHK(t0, 5, 0x0505050505050505)
    CHK(t1, 6, 0x0606060606060606)
    CHK(t2, 7, 0x0707070707070707)
    CHK(t3, 28, 0x1c1c1c1c1c1c1c1c)
    CHK(t4, 29, 0x1d1d1d1d1d1d1d1d)
    CHK(t5, 30, 0x1e1e1e1e1e1e1e1e)
    CHK(t6, 31, 0x1f1f1f1f1f1f1f1f)
    CHK(s0, 8, 0x0808080808080808)
    CHK(s1, 9, 0x0909090909090909)
    CHK(s2, 18, 0x1212121212121212)
    CHK(s3, 19, 0x1313131313131313)
    CHK(s4, 20, 0x1414141414141414)
    CHK(s5, 21, 0x1515151515151515)
    CHK(s6, 22, 0x1616161616161616)
    CHK(s7, 23, 0x1717171717171717)
    CHK(s8, 24, 0x1818181818181818)
    CHK(s9, 25, 0x1919191919191919)
    CHK(s10, 26, 0x1a1a1a1a1a1a1a1a)
    CHK(s11, 27, 0x1b1b1b1b1b1b1b1b)
    ld s0, 0(sp)
    ld s1, 8(sp)
    ld s2, 16(sp)
    ld s3, 24(sp)
    ld s4, 32(sp)
    ld s5, 40(sp)
    ld s6, 48(sp)
    ld s7, 56(sp)
    ld s8, 64(sp)
    ld s9, 72(sp)
    ld s10, 80(sp)
    ld s11, 88(sp)
    ld ra, 96(sp)
    ld gp, 104(sp)
    addi sp, sp, 112
    ret

    .bss
    .balign 16
    .globl stacks
stacks:
    .space MAX_HARTS * STACK_SIZE + STACK_SIZE
