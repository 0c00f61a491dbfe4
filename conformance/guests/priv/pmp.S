/* PMP: 16 entries, OFF/TOR/NA4/NAPOT, R/W/X checks for S and U (load 5,
 * store 7, fetch 1, tval = address), lowest-numbered match wins, no match
 * in S/U fails once an entry is configured, M unaffected unless locked,
 * lock bit freezes the entry and applies to M. */
#include "hartvm_test.h"
#include "priv.h"

#define NAPOT4K(reg, addr_reg) srli reg, addr_reg, 2; ori reg, reg, 0x1ff

TEST_BEGIN
PRIV_INIT
        /* entry 15: catch-all RWX (lowest priority) */
        li t0, -1
        csrw pmpaddr15, t0
        li t0, (0x1f << 56)
        csrw pmpcfg2, t0
        csrw pmpcfg0, zero
        /* entry 0: page0, no permission */
        la t1, pages
        NAPOT4K(t0, t1)
        csrw pmpaddr0, t0
        /* entry 1: page1, R */
        li t2, 4096
        add t1, t1, t2
        NAPOT4K(t0, t1)
        csrw pmpaddr1, t0
        /* entry 2: the code page xpage, RW (no X) */
        la t1, xpage
        NAPOT4K(t0, t1)
        csrw pmpaddr2, t0
        /* entries 3-4: TOR over page2, R */
        la t1, pages
        li t2, 2 * 4096
        add t1, t1, t2
        srli t0, t1, 2
        csrw pmpaddr3, t0
        li t2, 4096
        add t1, t1, t2
        srli t0, t1, 2
        csrw pmpaddr4, t0
        /* entry 5: NA4 over word 2 of page3, no permission */
        la t1, pages
        li t2, 3 * 4096 + 8
        add t1, t1, t2
        srli t0, t1, 2
        csrw pmpaddr5, t0
        li t0, 0x18 | (0x19 << 8) | (0x1b << 16) | (0x00 << 24) | (0x09 << 32) | (0x10 << 40)
        csrw pmpcfg0, t0
        /* 1: pmpcfg0 reads back */
        csrr a0, pmpcfg0
        CHECK_EQ(1, a0, t0)
        /* put known values in the pages (M is not restricted) */
        la s0, pages
        li t0, 0x1111
        sd t0, 16(s0)
        li t1, 4096
        add s1, s0, t1
        li t0, 0x2222
        sd t0, 16(s1)
        li t1, 2 * 4096
        add s2, s0, t1
        li t0, 0x3333
        sd t0, 100(s2)
        li t1, 3 * 4096
        add s3, s0, t1
        li t0, 0x4444
        sw t0, 4(s3)
        sw t0, 8(s3)
        sw t0, 12(s3)
        CLEAR_TRAP
        CHECK_NO_TRAP(2)

        GOTO_S
        /* 3-4: page0: no access */
        addi a1, s0, 16
        TRAP_CASE_R(3, CAUSE_LOAD_ACCESS, a1, ld a0, 16(s0))
        TRAP_CASE_R(4, CAUSE_STORE_ACCESS, a1, sd a0, 16(s0))
        /* 5-6: page1: read only */
        ld a0, 16(s1)
        TEST_CASE(5, a0, 0x2222, )
        addi a1, s1, 8
        TRAP_CASE_R(6, CAUSE_STORE_ACCESS, a1, sw a0, 8(s1))
        addi a1, s1, 8
        TRAP_CASE_R(7, CAUSE_STORE_ACCESS, a1, amoadd.w a0, a0, (a1))
        /* 8: fetch from the RW (no X) code page */
        li TESTNUM, 8
        CLEAR_TRAP
        la s7, 1f
        la a1, xpage
        jalr ra, a1
        j fail
1:      CHECK_CAUSE(8, CAUSE_FETCH_ACCESS)
        CHECK_EQ(9, s10, a1)
        CHECK_EQ(10, s9, a1)
        /* 11: TOR region (page2): R ok, W fails */
        ld a0, 100(s2)
        TEST_CASE(11, a0, 0x3333, )
        li t0, 0x800
        add a1, s2, t0
        TRAP_CASE_R(12, CAUSE_STORE_ACCESS, a1, sd a0, 0(a1))
        /* 13: the byte just below the TOR top is inside, the top itself is not */
        li t0, 4095
        add a1, s2, t0
        TRAP_CASE_R(13, CAUSE_STORE_ACCESS, a1, sb a0, 0(a1))
        CLEAR_TRAP
        sb zero, 1(a1)                 /* page3 + 0: entry 15 */
        CHECK_NO_TRAP(14)
        /* 15: NA4 over page3+8 only */
        addi a1, s3, 8
        TRAP_CASE_R(15, CAUSE_LOAD_ACCESS, a1, lw a0, 8(s3))
        CLEAR_TRAP
        lw a0, 4(s3)
        lw a2, 12(s3)
        CHECK_NO_TRAP(16)
        add a0, a0, a2
        TEST_CASE(17, a0, 0x8888, )
        /* 18: U is checked the same way */
        GOTO_U
        addi a1, s0, 16
        TRAP_CASE_R(18, CAUSE_LOAD_ACCESS, a1, ld a0, 16(s0))
        ld a0, 16(s1)
        TEST_CASE(19, a0, 0x2222, )
        GOTO_M

        /* 20: M is not restricted by unlocked entries */
        CLEAR_TRAP
        ld a0, 16(s0)
        sd a0, 24(s0)
        sd a0, 24(s1)
        sw a0, 8(s3)
        la a1, xpage
        jalr ra, a1
        CHECK_NO_TRAP(20)

        /* 30: an access that matches an entry only partly fails, even in M
         * (sd over the 4-byte NA4 region of entry 5) */
        addi a1, s3, 4
        TRAP_CASE_R(30, CAUSE_STORE_ACCESS, a1, sd a0, 4(s3))

        /* 31-32: likewise in S, when only the doubleword's second word is
         * in the region (entry 5 moved to page3+12): a check of the first
         * byte alone would let it through */
        addi t0, s3, 12
        srli t0, t0, 2
        csrw pmpaddr5, t0
        GOTO_S
        addi a1, s3, 8
        TRAP_CASE_R(31, CAUSE_LOAD_ACCESS, a1, ld a0, 8(s3))
        TRAP_CASE_R(32, CAUSE_STORE_ACCESS, a1, sd a0, 8(s3))
        GOTO_M

        /* 21: the lowest-numbered matching entry wins: entry 6 = page1 RW
         * does not help, entry 1 (R) matches first */
        addi t0, s1, 0
        NAPOT4K(t0, s1)
        csrw pmpaddr6, t0
        li t0, (0x1b << 48)
        csrs pmpcfg0, t0
        GOTO_S
        addi a1, s1, 8
        TRAP_CASE_R(21, CAUSE_STORE_ACCESS, a1, sd a0, 8(s1))
        GOTO_M

        /* 22: no entry matches -> S/U access fails (entry 15 off; entry 6
         * now covers only the first MiB of RAM, where this program lives) */
        li t0, (0x20000000 | 0x1ffff)
        csrw pmpaddr6, t0
        li t0, (0xff << 48)
        csrc pmpcfg0, t0
        li t0, (0x1f << 48)
        csrs pmpcfg0, t0
        csrw pmpcfg2, zero
        GOTO_S
        li a1, 0x80400000
        TRAP_CASE_R(22, CAUSE_LOAD_ACCESS, a1, ld a0, 0(a1))
        li a1, CLINT_MTIME
        TRAP_CASE_R(23, CAUSE_LOAD_ACCESS, a1, ld a0, 0(a1))
        GOTO_M
        /* 24: M still accesses it */
        CLEAR_TRAP
        li a1, 0x80400000
        ld a0, 0(a1)
        CHECK_NO_TRAP(24)
        li t0, (0x1f << 56)
        csrw pmpcfg2, t0
        li t0, (0xff << 48)            /* entry 6 off again */
        csrc pmpcfg0, t0

        /* 25: pmpaddr holds its value (granularity 4 bytes) */
        li t0, 0x12345
        csrw pmpaddr7, t0
        csrr a0, pmpaddr7
        CHECK_EQ(25, a0, t0)

        /* ---- lock bit (last: cannot be undone until reset) ---- */
        la t1, pages
        li t2, 4 * 4096
        add s4, t1, t2                 /* (s4 only until the next trap) */
        NAPOT4K(t0, s4)
        csrw pmpaddr7, t0
        mv s1, t0
        li t0, (0x99 << 56)             /* L | NAPOT | R */
        csrs pmpcfg0, t0
        /* 26: M load is fine, M store faults */
        mv s0, s4
        ld a0, 0(s0)
        TRAP_CASE_R(26, CAUSE_STORE_ACCESS, s0, sd a0, 0(s0))
        /* 27: the locked cfg byte and pmpaddr ignore writes */
        li t0, (0xff << 56)
        csrc pmpcfg0, t0
        csrr a0, pmpcfg0
        srli a0, a0, 56
        TEST_CASE(27, a0, 0x99, )
        csrw pmpaddr7, zero
        csrr a0, pmpaddr7
        CHECK_EQ(28, a0, s1)
        /* 29: other entries stay writable */
        li t0, 0x777
        csrw pmpaddr8, t0
        csrr a0, pmpaddr8
        CHECK_EQ(29, a0, t0)
        j pass

        .balign 4096
xpage:  ret
        .balign 4096
TEST_END
PRIV_HANDLERS
        .bss
        .balign 4096
pages:  .space 5 * 4096
