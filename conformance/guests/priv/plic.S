/* The PLIC and the external-interrupt bits, driven by a real source: the
 * UART's THR-empty interrupt (PLIC source 10) is a level that is high
 * while IER.ETBEI is set. Checks priority > threshold gating, the M (0)
 * and S (1) contexts of hart 0 as MEIP and SEIP, claim/complete, and the
 * rule that a CSRRS/CSRRC of mip works on the software SEIP bit only (a
 * pending external SEIP must not stick after its source goes quiet). */
#include "hartvm_test.h"
#include "priv.h"

#define PLIC            0x0c000000
#define PLIC_PRIO(s)    (PLIC + 4 * (s))
#define PLIC_ENABLE(c)  (PLIC + 0x2000 + 0x80 * (c))
#define PLIC_THRESH(c)  (PLIC + 0x200000 + 0x1000 * (c))
#define PLIC_CLAIM(c)   (PLIC_THRESH(c) + 4)
#define UART_IER        0x10000001
#define UART_SRC        10
#define MEIP            (1 << IRQ_MEI)
#define SEIP            (1 << IRQ_SEI)

/* a0 = mip & (MEIP | SEIP) */
#define EXT_BITS csrr a0, mip; li t6, MEIP | SEIP; and a0, a0, t6
/* The UART's THRE interrupt on (1) or off (0). */
#define UART_LINE(v) li t0, UART_IER; li t1, (v) << 1; sb t1, 0(t0)

TEST_BEGIN
PRIV_INIT
        /* 1: nothing enabled: no external interrupt pending */
        UART_LINE(1)
        TEST_CASE(1, a0, 0, EXT_BITS)
        /* 2: source 10 at priority 1, enabled for context 1 (S): SEIP */
        li t0, PLIC_PRIO(UART_SRC); li t1, 1; sw t1, 0(t0)
        li t0, PLIC_THRESH(1); sw zero, 0(t0)
        li t0, PLIC_ENABLE(1); li t1, 1 << UART_SRC; sw t1, 0(t0)
        TEST_CASE(2, a0, SEIP, EXT_BITS)
        /* 3: the line falls: SEIP falls */
        UART_LINE(0)
        TEST_CASE(3, a0, 0, EXT_BITS)
        /* 4: set/clear of another mip bit while SEIP is pending leaves no
         * software SEIP behind */
        UART_LINE(1)
        csrsi mip, (1 << IRQ_SSI)
        csrci mip, (1 << IRQ_SSI)
        UART_LINE(0)
        TEST_CASE(4, a0, 0, EXT_BITS)
        /* 5: ... but software may set SEIP itself, and clear it */
        li t1, SEIP
        csrs mip, t1
        TEST_CASE(5, a0, SEIP, EXT_BITS)
        csrc mip, t1
        TEST_CASE(6, a0, 0, EXT_BITS)
        /* 7: threshold 1 masks a priority-1 source */
        UART_LINE(1)
        li t0, PLIC_THRESH(1); li t1, 1; sw t1, 0(t0)
        TEST_CASE(7, a0, 0, EXT_BITS)
        li t0, PLIC_THRESH(1); sw zero, 0(t0)
        TEST_CASE(8, a0, SEIP, EXT_BITS)
        /* 9: claim returns the source and takes it out of pending */
        li t0, PLIC_CLAIM(1); lw a0, 0(t0)
        TEST_CASE(9, a0, UART_SRC, )
        TEST_CASE(10, a0, 0, EXT_BITS)
        /* 11: a second claim finds nothing */
        li t0, PLIC_CLAIM(1); lw a0, 0(t0)
        TEST_CASE(11, a0, 0, )
        /* 12: complete with the line still high: pending again */
        li t0, PLIC_CLAIM(1); li t1, UART_SRC; sw t1, 0(t0)
        TEST_CASE(12, a0, SEIP, EXT_BITS)
        /* 13: enabled for context 0 (M) as well: MEIP too */
        li t0, PLIC_THRESH(0); sw zero, 0(t0)
        li t0, PLIC_ENABLE(0); li t1, 1 << UART_SRC; sw t1, 0(t0)
        TEST_CASE(13, a0, MEIP | SEIP, EXT_BITS)
        /* 14: priority 0 disables the source everywhere */
        li t0, PLIC_PRIO(UART_SRC); sw zero, 0(t0)
        TEST_CASE(14, a0, 0, EXT_BITS)
        /* 15: the priority register holds what was written (WARL 0-7) */
        li t0, PLIC_PRIO(UART_SRC); li t1, 5; sw t1, 0(t0); lw a0, 0(t0)
        TEST_CASE(15, a0, 5, )
        /* 16: the M-mode interrupt is taken (mie.MEIE, mstatus.MIE) */
        li t1, MEIP
        csrs mie, t1
        CLEAR_TRAP
        csrsi mstatus, MSTATUS_MIE
        nop
        csrci mstatus, MSTATUS_MIE
        CHECK_CAUSE(16, IRQ(IRQ_MEI))
        UART_LINE(0)
        li t0, PLIC_ENABLE(0); sw zero, 0(t0)
        li t0, PLIC_ENABLE(1); sw zero, 0(t0)
TEST_END
PRIV_HANDLERS
