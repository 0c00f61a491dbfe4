/* qemu-check-args: -icount shift=0
 *   (QEMU's instret is only exact with -icount; hartvm's always is)
 * Counters: exact instret, cycle/time progress, writes to mcycle/minstret,
 * mcountinhibit, mcounteren/scounteren gating of cycle/time/instret from
 * S and U (illegal instruction when the bit is clear). */
#include "hartvm_test.h"
#include "priv.h"

TEST_BEGIN
PRIV_INIT
        csrw mcountinhibit, zero
        /* 1: exactly 3 instructions retire between the reads */
        csrr a0, instret
        addi t0, t0, 1
        addi t0, t0, 1
        csrr a1, instret
        sub a2, a1, a0
        TEST_CASE(1, a2, 3, )
        /* 2: minstret is the same counter */
        csrr a0, minstret
        nop
        csrr a1, minstret
        sub a2, a1, a0
        TEST_CASE(2, a2, 2, )
        /* 3: a taken branch and a loop: 1 + 10 * 2 instructions */
        li t1, 10
        csrr a0, instret
1:      addi t1, t1, -1
        bnez t1, 1b
        csrr a1, instret
        sub a2, a1, a0
        TEST_CASE(3, a2, 21, )
        /* 5: cycle and mcycle advance */
        csrr a0, cycle
        nop
        nop
        csrr a1, mcycle
        li TESTNUM, 5
        bgeu a0, a1, fail
        /* 6: time follows CLINT mtime */
        csrr a0, time
        li t0, CLINT_MTIME
        ld a1, 0(t0)
        csrr a2, time
        li TESTNUM, 6
        bltu a1, a0, fail
        bltu a2, a1, fail
        /* 7: minstret is writable; the next read sees the written value,
         * plus 1 if the implementation counts the writing instruction
         * (QEMU does; the spec wording leaves room) */
        li t0, 1000
        csrw minstret, t0
        csrr a0, minstret
        addi a0, a0, -1000
        li TESTNUM, 7
        li t6, 1
        bgtu a0, t6, fail
        /* 8: mcycle is writable (reads back at least the written value, soon after) */
        li t0, 0x100000000
        csrw mcycle, t0
        csrr a0, mcycle
        li TESTNUM, 8
        bltu a0, t0, fail
        li t1, 0x100100000
        bgeu a0, t1, fail

        /* ---- mcountinhibit ---- */
#ifndef QEMU_KNOWN_DIFF  /* QEMU 7.2's mcountinhibit makes minstret/mcycle jump (even backwards) */
        /* 9: IR inhibits minstret */
        csrwi mcountinhibit, 4
        csrr a0, minstret
        nop
        nop
        csrr a1, minstret
        csrwi mcountinhibit, 0
        sub a2, a1, a0
        TEST_CASE(9, a2, 0, )
#endif
        /* 10: counting resumes */
        csrr a0, minstret
        nop
        csrr a1, minstret
        sub a2, a1, a0
        TEST_CASE(10, a2, 2, )
#ifndef QEMU_KNOWN_DIFF
        /* 11: CY inhibits mcycle */
        csrwi mcountinhibit, 1
        csrr a0, mcycle
        nop
        nop
        csrr a1, mcycle
        csrwi mcountinhibit, 0
        sub a2, a1, a0
        TEST_CASE(11, a2, 0, )
#endif
        /* 12: mcountinhibit bit 1 (TM) is read-only 0 (QEMU 7.2 keeps it) */
#ifndef QEMU_KNOWN_DIFF
        csrwi mcountinhibit, 7
        csrr a0, mcountinhibit
        csrwi mcountinhibit, 0
        andi a0, a0, 7
        TEST_CASE(12, a0, 5, )
#endif

        /* ---- mcounteren / scounteren ---- */
        csrw mcounteren, zero
        csrw scounteren, zero
        GOTO_S
        TRAP_CASE(13, CAUSE_ILLEGAL, 0xc0002573, csrr a0, cycle)
        TRAP_CASE(14, CAUSE_ILLEGAL, 0xc0102573, csrr a0, time)
        TRAP_CASE(15, CAUSE_ILLEGAL, 0xc0202573, csrr a0, instret)
        GOTO_M
        /* 16: each bit enables its own counter */
        csrwi mcounteren, 4          /* IR only */
        GOTO_S
        CLEAR_TRAP
        csrr a0, instret
        CHECK_NO_TRAP(16)
        TRAP_CASE(17, CAUSE_ILLEGAL, 0xc0002573, csrr a0, cycle)
        GOTO_M
        csrwi mcounteren, 7
        GOTO_S
        CLEAR_TRAP
        csrr a0, cycle
        csrr a0, time
        csrr a0, instret
        CHECK_NO_TRAP(18)
        /* 19: exact instret from S too */
        csrr a0, instret
        addi t0, t0, 1
        csrr a1, instret
        sub a2, a1, a0
        TEST_CASE(19, a2, 2, )
        /* 20: U needs scounteren too */
        GOTO_U
        TRAP_CASE(20, CAUSE_ILLEGAL, 0xc0002573, csrr a0, cycle)
        TRAP_CASE(21, CAUSE_ILLEGAL, 0xc0102573, csrr a0, time)
        TRAP_CASE(22, CAUSE_ILLEGAL, 0xc0202573, csrr a0, instret)
        GOTO_S
        csrwi scounteren, 7
        GOTO_U
        CLEAR_TRAP
        csrr a0, cycle
        csrr a0, time
        csrr a0, instret
        CHECK_NO_TRAP(23)
        csrr a0, instret
        nop
        nop
        nop
        csrr a1, instret
        sub a2, a1, a0
        TEST_CASE(24, a2, 4, )
        GOTO_M
        /* 25: scounteren set but mcounteren clear: U traps */
        csrw mcounteren, zero
        GOTO_U
        TRAP_CASE(25, CAUSE_ILLEGAL, 0xc0102573, csrr a0, time)
        GOTO_M
        /* 26: M-level counters are never accessible from S */
        csrwi mcounteren, 7
        GOTO_S
        TRAP_CASE(26, CAUSE_ILLEGAL, 0xb0002573, csrr a0, mcycle)
        TRAP_CASE(27, CAUSE_ILLEGAL, 0xb0202573, csrr a0, minstret)
        GOTO_M
        j pass
TEST_END
PRIV_HANDLERS
