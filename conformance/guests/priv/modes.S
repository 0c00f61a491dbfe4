/* Privilege modes: ecall from U/S/M, mret/sret stacking, privileged
 * instructions that are illegal in lower modes (mret, sret, wfi, sfence.vma,
 * satp) and the TSR / TW / TVM traps. */
#include "hartvm_test.h"
#include "priv.h"

TEST_BEGIN
PRIV_INIT
        li a7, 0

        /* ---- ecall from each mode: cause, epc, tval = 0, MPP ---- */
        TRAP_CASE(1, CAUSE_ECALL_M, 0, ecall)
        GOTO_S
        li a7, 0
        TRAP_CASE(2, CAUSE_ECALL_S, 0, ecall)
        srli a0, s6, 11
        andi a0, a0, 3
        TEST_CASE(3, a0, 1, )            /* MPP = S */
        GOTO_U
        li a7, 0
        TRAP_CASE(4, CAUSE_ECALL_U, 0, ecall)
        srli a0, s6, 11
        andi a0, a0, 3
        TEST_CASE(5, a0, 0, )            /* MPP = U */
        GOTO_M

        /* ---- mret stacking, staying in M ---- */
        /* 6: MPIE=0, MIE=1, MPP=M: after mret MIE=0, MPIE=1, MPP=U */
        li TESTNUM, 6
        li t0, MSTATUS_MPP | MSTATUS_MIE
        csrs mstatus, t0
        li t0, MSTATUS_MPIE
        csrc mstatus, t0
        la t0, 1f
        csrw mepc, t0
        mret
        j fail
1:      csrr a0, mstatus
        andi a1, a0, MSTATUS_MIE | MSTATUS_MPIE
        TEST_CASE(6, a1, MSTATUS_MPIE, )
        li t0, MSTATUS_MPP
        and a1, a0, t0
        TEST_CASE(7, a1, 0, )
        /* 8: MPIE=1 restores MIE=1 */
        li t0, MSTATUS_MPP | MSTATUS_MPIE
        csrs mstatus, t0
        la t0, 1f
        csrw mepc, t0
        mret
        j fail
1:      csrr a0, mstatus
        andi a1, a0, MSTATUS_MIE | MSTATUS_MPIE
        TEST_CASE(8, a1, MSTATUS_MIE | MSTATUS_MPIE, )
        csrci mstatus, MSTATUS_MIE

        /* ---- mret to S and to U ---- */
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        li t0, MSTATUS_MPP_S
        csrs mstatus, t0
        la t0, 1f
        csrw mepc, t0
        mret
        j fail
1:      li a7, 0
        TRAP_CASE(9, CAUSE_ECALL_S, 0, ecall)       /* now in S */
        GOTO_M
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        la t0, 1f
        csrw mepc, t0
        mret
        j fail
1:      li a7, 0
        TRAP_CASE(10, CAUSE_ECALL_U, 0, ecall)      /* now in U */
        GOTO_M
        /* 11: mret clears MPRV when leaving M */
        li t0, MSTATUS_MPRV | MSTATUS_MPP_S
        csrs mstatus, t0
        la t0, 1f
        csrw mepc, t0
        mret
1:      GOTO_M
        csrr a0, mstatus
        li t0, MSTATUS_MPRV
        and a0, a0, t0
#ifndef QEMU_KNOWN_DIFF  /* QEMU 7.2 keeps MPRV on an mret to S */
        TEST_CASE(11, a0, 0, )
#endif
        li t0, MSTATUS_MPRV
        csrc mstatus, t0

        /* ---- sret from M (allowed) to S; sret stacking in S ---- */
        li t0, MSTATUS_SPP | MSTATUS_SPIE
        csrs mstatus, t0
        csrci mstatus, MSTATUS_SIE
        la t0, 1f
        csrw sepc, t0
        sret
        j fail
1:      li a7, 0
        TRAP_CASE(12, CAUSE_ECALL_S, 0, ecall)      /* in S */
        /* 13: that sret set SIE = SPIE (1), SPIE = 1, SPP = U */
        andi a0, s6, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP
        TEST_CASE(13, a0, MSTATUS_SIE | MSTATUS_SPIE, )
        /* 14: sret from S to U: SPP = U, SPIE = 0 -> SIE = 0 */
        li t0, MSTATUS_SPP | MSTATUS_SPIE
        csrc sstatus, t0
        la t0, 1f
        csrw sepc, t0
        sret
        j fail
1:      li a7, 0
        TRAP_CASE(14, CAUSE_ECALL_U, 0, ecall)      /* in U */
        andi a0, s6, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP
        TEST_CASE(15, a0, MSTATUS_SPIE, )
        /* 16: sret from S to S (SPP = S) */
        GOTO_S
        li t0, MSTATUS_SPP
        csrs sstatus, t0
        la t0, 1f
        csrw sepc, t0
        sret
        j fail
1:      li a7, 0
        TRAP_CASE(16, CAUSE_ECALL_S, 0, ecall)
        GOTO_M

        /* ---- privileged instructions illegal in lower modes ---- */
        GOTO_S
        TRAP_CASE(17, CAUSE_ILLEGAL, 0x30200073, mret)
        GOTO_U
        TRAP_CASE(18, CAUSE_ILLEGAL, 0x30200073, mret)
        TRAP_CASE(19, CAUSE_ILLEGAL, 0x10200073, sret)
        TRAP_CASE(20, CAUSE_ILLEGAL, 0x10500073, wfi)
        TRAP_CASE(21, CAUSE_ILLEGAL, 0x12000073, sfence.vma)
        TRAP_CASE(22, CAUSE_ILLEGAL, 0x18002573, csrr a0, satp)
        GOTO_M

        /* ---- TSR: sret in S is illegal; in M it is fine ---- */
        li t0, MSTATUS_TSR
        csrs mstatus, t0
        GOTO_S
        TRAP_CASE(23, CAUSE_ILLEGAL, 0x10200073, sret)
        GOTO_M
        li t0, MSTATUS_SPP
        csrs mstatus, t0
        la t0, 1f
        csrw sepc, t0
        CLEAR_TRAP
        sret                            /* M may sret even with TSR */
        j fail
1:      CHECK_NO_TRAP(24)
        GOTO_M
        li t0, MSTATUS_TSR
        csrc mstatus, t0

        /* ---- TW: wfi in S is illegal ---- */
        li t0, MSTATUS_TW
        csrs mstatus, t0
        GOTO_S
        TRAP_CASE(25, CAUSE_ILLEGAL, 0x10500073, wfi)
        GOTO_M
        li t0, MSTATUS_TW
        csrc mstatus, t0

        /* ---- TVM: satp and sfence.vma in S are illegal ---- */
        GOTO_S
        CLEAR_TRAP
        csrr a0, satp
        sfence.vma
        CHECK_NO_TRAP(26)
        GOTO_M
        li t0, MSTATUS_TVM
        csrs mstatus, t0
        GOTO_S
        TRAP_CASE(27, CAUSE_ILLEGAL, 0x18002573, csrr a0, satp)
        TRAP_CASE(28, CAUSE_ILLEGAL, 0x18001073, csrw satp, zero)
        TRAP_CASE(29, CAUSE_ILLEGAL, 0x12000073, sfence.vma)
        TRAP_CASE(30, CAUSE_ILLEGAL, 0x12a00073, sfence.vma zero, a0)
        GOTO_M
        /* 31: TVM does not affect M */
        CLEAR_TRAP
        csrr a0, satp
        sfence.vma
        CHECK_NO_TRAP(31)
        li t0, MSTATUS_TVM
        csrc mstatus, t0

        /* ---- wfi in M and S without TW, with an interrupt pending: completes ---- */
        li t0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_SIE | MSTATUS_SPIE
        csrc mstatus, t0
        li t0, CLINT_MSIP
        li t1, 1
        sw t1, 0(t0)                    /* MSIP pending, but mie = 0 */
        li t0, (1 << IRQ_MSI)
        csrs mie, t0                    /* enabled in mie, MIE = 0 in M */
        CLEAR_TRAP
        wfi
        CHECK_NO_TRAP(32)
        li t0, CLINT_MSIP
        sw zero, 0(t0)
        /* 33: in S (TW = 0) wfi waits for the machine timer, which is then
         * taken (M interrupts are always enabled in S); epc = the instruction
         * after wfi (or wfi itself if the timer won the race) */
        li t0, CLINT_MTIME
        ld t1, 0(t0)
        li t2, 500000           /* 50 ms: more than any compile of the code between */
        add t1, t1, t2
        li t0, CLINT_MTIMECMP
        sd t1, 0(t0)
        li t0, (1 << IRQ_MTI)
        csrs mie, t0
        GOTO_S
        CLEAR_TRAP
0:      wfi
1:      CHECK_CAUSE(33, IRQ(IRQ_MTI))
        GOTO_M
        li t0, CLINT_MTIMECMP
        li t1, -1
        sd t1, 0(t0)
        li t0, CLINT_MSIP
        sw zero, 0(t0)
        j pass
TEST_END
PRIV_HANDLERS
