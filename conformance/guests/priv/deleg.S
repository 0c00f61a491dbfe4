/* Trap delegation: medeleg sends exceptions from S/U to the S handler
 * (scause/sepc/stval, sstatus.SPP/SPIE/SIE), never from M; mideleg sends
 * SSI/STI/SEI to S, where they obey sstatus.SIE in S, are always taken in U,
 * and are never taken in M. */
#include "hartvm_test.h"
#include "priv.h"

#define ILL 0xfe000033

TEST_BEGIN
PRIV_INIT
        li a7, 0
        li t0, (1 << CAUSE_ILLEGAL)
        csrw medeleg, t0

        /* 1: illegal instruction in U -> S handler, stval = bits, sepc */
        GOTO_U
        li TESTNUM, 1
        CLEAR_TRAP
98:     .word ILL
        CHECK_TRAP(1, CAUSE_ILLEGAL, ILL, 1)
        la t6, 98b
        CHECK_EQ(2, s9, t6)
        andi a0, s6, MSTATUS_SPP
        TEST_CASE(3, a0, 0, )               /* SPP = U */
        GOTO_M

        /* 4: from S with SIE = 1: SPP = S, SPIE = 1, SIE = 0 in the handler */
        GOTO_S
        csrsi sstatus, MSTATUS_SIE
        li TESTNUM, 4
        CLEAR_TRAP
98:     .word ILL
        CHECK_TRAP(4, CAUSE_ILLEGAL, ILL, 1)
        la t6, 98b
        CHECK_EQ(5, s9, t6)
        andi a0, s6, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP
        TEST_CASE(6, a0, MSTATUS_SPIE | MSTATUS_SPP, )
        /* 7: sret restored SIE = 1 */
        csrr a0, sstatus
        andi a0, a0, MSTATUS_SIE
        TEST_CASE(7, a0, MSTATUS_SIE, )
        csrci sstatus, MSTATUS_SIE
        GOTO_M

        /* 8: the same exception in M is not delegated */
        TRAP_CASE(8, CAUSE_ILLEGAL, ILL, .word ILL)

        /* ---- more delegated causes ---- */
        li t0, (1 << CAUSE_ILLEGAL) | (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_LOAD_ACCESS) | (1 << CAUSE_STORE_ACCESS) | (1 << CAUSE_ECALL_U)
        csrw medeleg, t0
        GOTO_U
        li a7, 0
        li TESTNUM, 9
        CLEAR_TRAP
98:     ecall
        CHECK_TRAP(9, CAUSE_ECALL_U, 0, 1)
        la t6, 98b
        CHECK_EQ(10, s9, t6)
        li TESTNUM, 11
        CLEAR_TRAP
98:     ebreak
        CHECK_CAUSE(11, CAUSE_BREAKPOINT)
        li t6, 1
        CHECK_EQ(12, s5, t6)
        la t6, 98b
        CHECK_EQ(13, s9, t6)
        li t0, 0x00200000
        li TESTNUM, 14
        CLEAR_TRAP
        sd zero, 8(t0)
        CHECK_TRAP(14, CAUSE_STORE_ACCESS, 0x00200008, 1)
        /* 15: GOTO_M from U goes through the S handler (ecall from U is
         * delegated) and a nested ecall from S (not delegated) */
        GOTO_M
        csrr a0, mstatus
        li TESTNUM, 15
        CLEAR_TRAP
        GOTO_S
        li a7, 0
        li t0, 0x00200000
        li TESTNUM, 16
        CLEAR_TRAP
        ld a0, 16(t0)
        CHECK_TRAP(16, CAUSE_LOAD_ACCESS, 0x00200010, 1)
        /* 17: ecall from S is not delegated (bit 9 clear) */
        li TESTNUM, 17
        CLEAR_TRAP
        ecall
        CHECK_TRAP(17, CAUSE_ECALL_S, 0, 3)
        GOTO_M
        csrw medeleg, zero

        /* ---- interrupt delegation ---- */
        li t0, (1 << IRQ_SSI) | (1 << IRQ_STI) | (1 << IRQ_SEI)
        csrw mideleg, t0
        /* 18: delegated SSI is never taken in M, even with MIE = SIE = 1 */
        li t0, (1 << IRQ_SSI)
        csrs mie, t0
        csrs mip, t0
        li TESTNUM, 18
        CLEAR_TRAP
        csrsi mstatus, MSTATUS_MIE | MSTATUS_SIE
        nop
        nop
        csrci mstatus, MSTATUS_MIE
        CHECK_NO_TRAP(18)
        /* 19: entering S with SIE = 1 takes it at once, in the S handler */
        li TESTNUM, 19
        CLEAR_TRAP
        GOTO_S
1:      CHECK_TRAP(19, IRQ(IRQ_SSI), 0, 1)
        la t6, 1b
        CHECK_EQ(20, s9, t6)                /* sepc = the interrupted instruction */
        andi a0, s6, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
        TEST_CASE(21, a0, MSTATUS_SPP | MSTATUS_SPIE, )
        /* 22: in S with SIE = 0, a pending enabled delegated SSI waits */
        csrci sstatus, MSTATUS_SIE
        csrsi sie, (1 << IRQ_SSI)
        CLEAR_TRAP
        nop
        nop
        CHECK_NO_TRAP(22)
        /* 23: SSIP is writable from S through sip */
        csrci sip, (1 << IRQ_SSI)
        csrr a0, sip
        andi a0, a0, (1 << IRQ_SSI)
        TEST_CASE(23, a0, 0, )
        csrsi sip, (1 << IRQ_SSI)
        csrr a0, sip
        andi a0, a0, (1 << IRQ_SSI)
        TEST_CASE(24, a0, (1 << IRQ_SSI), )
        /* 25: ... and with SIE = 1 it is taken */
        CLEAR_TRAP
        csrsi sstatus, MSTATUS_SIE
1:      CHECK_TRAP(25, IRQ(IRQ_SSI), 0, 1)
        csrci sstatus, MSTATUS_SIE
        csrci sip, (1 << IRQ_SSI)
        GOTO_M

        /* 26: STIP set by M through mip, delegated, taken in U even with SIE = 0 */
        li t0, (1 << IRQ_STI)
        csrs mie, t0
        csrs mip, t0
        csrci mstatus, MSTATUS_SIE
        li TESTNUM, 26
        CLEAR_TRAP
        GOTO_U
1:      CHECK_TRAP(26, IRQ(IRQ_STI), 0, 1)
        andi a0, s6, MSTATUS_SPP
        TEST_CASE(27, a0, 0, )
        GOTO_M
        li t0, (1 << IRQ_STI)
        csrc mip, t0

        /* 28: SEIP set by M through mip, delegated, taken in S with SIE = 1 */
        li t0, (1 << IRQ_SEI)
        csrs mie, t0
        csrs mip, t0
        GOTO_S
        li TESTNUM, 28
        CLEAR_TRAP
        csrsi sstatus, MSTATUS_SIE
        CHECK_TRAP(28, IRQ(IRQ_SEI), 0, 1)
        csrci sstatus, MSTATUS_SIE
        GOTO_M
        li t0, (1 << IRQ_SEI)
        csrc mip, t0

        /* 29: not delegated: SSI pending and enabled in mie goes to M from S,
         * whatever sstatus.SIE (M-level traps are always enabled below M) */
        csrw mideleg, zero
        li t0, (1 << IRQ_SSI)
        csrs mip, t0
        csrs mie, t0
        csrci mstatus, MSTATUS_MIE | MSTATUS_SIE
        li TESTNUM, 29
        CLEAR_TRAP
        GOTO_S
        CHECK_TRAP(29, IRQ(IRQ_SSI), 0, 3)
        srli a0, s6, 11
        andi a0, a0, 3
        TEST_CASE(30, a0, 1, )              /* MPP = S */
        GOTO_M
        li t0, (1 << IRQ_SSI)
        csrc mip, t0
        j pass
TEST_END
PRIV_HANDLERS
