/* Machine/supervisor CSRs: identity registers, WARL fields, read-only CSRs,
 * privilege checks on CSR access, mstatus/sstatus views. */
#include "hartvm_test.h"
#include "priv.h"

/* misa of hartvm: MXL = 2 (RV64), extensions A C D F I M S U */
#define MISA_EXT ((1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20))
#define MISA_RV64GC ((2 << 62) | MISA_EXT)

TEST_BEGIN
PRIV_INIT

        /* ---- identity ---- */
        /* 1: misa = RV64 + ACDFIMSU exactly. (QEMU's default cpu also has H:
         * the QEMU check script runs with -cpu rv64,h=false.) */
        TEST_CASE(1, a0, MISA_RV64GC, csrr a0, misa)
        /* 2: writes to misa are ignored */
        TEST_CASE(2, a1, MISA_RV64GC, csrw misa, zero; csrr a1, misa)
        TEST_CASE(3, a1, MISA_RV64GC, li t0, MISA_RV64GC & ~(1 << 2); csrw misa, t0; csrr a1, misa)
        /* 4: mhartid = 0; mvendorid/marchid/mimpid/mconfigptr read without trapping */
        TEST_CASE(4, a0, 0, csrr a0, mhartid)
        CLEAR_TRAP
        csrr a0, mvendorid
        csrr a0, marchid
        csrr a0, mimpid
        CHECK_NO_TRAP(5)

        /* ---- read-only CSRs: writes are illegal (tval = instruction bits) ---- */
        TRAP_CASE(6, CAUSE_ILLEGAL, 0xf1401073, csrw mhartid, zero)    /* csrrw x0, mhartid, x0 */
        TRAP_CASE(7, CAUSE_ILLEGAL, 0xc0001073, csrw cycle, zero)      /* csrrw x0, cycle, x0 */
        TRAP_CASE(8, CAUSE_ILLEGAL, 0xc020d073, csrwi instret, 1)     /* csrrwi x0, instret, 1 */
        /* 9: csrrs with rs1 != x0 is a write even when the register holds 0.
         * QEMU 7.2 decides on the value (no trap): skipped under QEMU_KNOWN_DIFF. */
#ifndef QEMU_KNOWN_DIFF
        li ra, 0
        TRAP_CASE(9, CAUSE_ILLEGAL, 0xc010a073, csrs time, ra)        /* csrrs x0, time, x1 */
#endif
        /* 10: csrrs/csrrc with x0 and csrrsi/csrrci with 0 do not write: no trap */
        li TESTNUM, 10
        CLEAR_TRAP
        csrrsi a0, mvendorid, 0
        csrrci a0, mhartid, 0
        csrrs a0, cycle, zero
        csrrc a0, instret, zero
        CHECK_NO_TRAP(10)
        /* 11: an unassigned CSR number (0x0ff) is illegal even in M */
        TRAP_CASE(11, CAUSE_ILLEGAL, 0x0ff02573, csrr a0, 0x0ff)

        /* ---- mstatus WARL ---- */
        /* 12: MPP = 2 (reserved) is not kept (WARL).  QEMU 7.2 keeps the
         * reserved value 2: skipped under QEMU_KNOWN_DIFF. */
        li TESTNUM, 12
#ifndef QEMU_KNOWN_DIFF
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        li t0, (2 << 11)
        csrs mstatus, t0
        csrr a0, mstatus
        srli a0, a0, 11
        andi a0, a0, 3
        li t6, 2
        beq a0, t6, fail
#endif
        /* 13: MPP = U, S, M are kept */
        li TESTNUM, 13
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        csrr a0, mstatus
        and a0, a0, t0
        bnez a0, fail
        li t1, MSTATUS_MPP_S
        csrs mstatus, t1
        csrr a0, mstatus
        and a0, a0, t0
        bne a0, t1, fail
        csrs mstatus, t0
        csrr a0, mstatus
        and a0, a0, t0
        bne a0, t0, fail
        /* 14: UXL = SXL = 2, read-only */
        li TESTNUM, 14
        li t0, (0xf << 32)
        csrc mstatus, t0
        csrr a0, mstatus
        and a0, a0, t0
        li t1, (0xa << 32)
        bne a0, t1, fail
        /* 15: sstatus.UXL = 2 */
        csrr a0, sstatus
        li t0, (3 << 32)
        and a0, a0, t0
        li t1, (2 << 32)
        CHECK_EQ(15, a0, t1)
        /* 16: sstatus is a view of mstatus: SIE/SPIE/SPP/SUM/MXR shared */
        li t0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR
        csrc mstatus, t0
        csrs sstatus, t0
        csrr a0, mstatus
        and a0, a0, t0
        CHECK_EQ(16, a0, t0)
        csrc sstatus, t0
        csrr a0, mstatus
        and a0, a0, t0
        TEST_CASE(17, a0, 0, )
        /* 18: sstatus hides M-only fields (MIE, MPIE, MPP, MPRV, TVM, TW, TSR) */
        li t0, MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_TW
        csrs mstatus, t0
        csrr a0, sstatus
        li t1, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR
        and a0, a0, t1
        TEST_CASE(18, a0, 0, )
        /* 19: writing sstatus does not change MPP/MPIE/TW (written value keeps
         * UXL = 2: see case 65 for writes to UXL) */
        li t1, ~(1 << 32)
        csrw sstatus, t1
        csrr a0, mstatus
        and a0, a0, t0
        CHECK_EQ(19, a0, t0)
        /* (also clear VS, bits 10:9: read-only 0 without V, but QEMU keeps
         * the sstatus write there and its SD would then stay set) */
        li t0, MSTATUS_MPIE | MSTATUS_TW | MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR | (3 << 9)
        csrc mstatus, t0
        /* 20: SD reflects FS = dirty */
        li t0, MSTATUS_FS
        csrs mstatus, t0
        csrr a0, mstatus
        srli a0, a0, 63
        TEST_CASE(20, a0, 1, )
        csrr a0, sstatus
        srli a0, a0, 63
        TEST_CASE(21, a0, 1, )
        csrc mstatus, t0
        li t0, (1 << 13)
        csrs mstatus, t0
        csrr a0, mstatus
        srli a0, a0, 63
        TEST_CASE(22, a0, 0, )

        /* ---- scratch registers: all 64 bits ---- */
        li t0, 0x0123456789abcdef
        csrw mscratch, t0
        csrr a0, mscratch
        CHECK_EQ(23, a0, t0)
        not t0, t0
        csrw sscratch, t0
        csrr a0, sscratch
        CHECK_EQ(24, a0, t0)
        /* 25: csrrw returns the old value */
        li t1, 0x55
        csrrw a0, sscratch, t1
        CHECK_EQ(25, a0, t0)
        csrrs a0, sscratch, 0x0a
        TEST_CASE(26, a0, 0x55, )
        csrrc a0, sscratch, 0x05
        TEST_CASE(27, a0, 0x5f, )
        csrrwi a0, sscratch, 0x1f
        TEST_CASE(28, a0, 0x5a, )
        csrrsi a0, sscratch, 0
        TEST_CASE(29, a0, 0x1f, )

        /* ---- trap vectors ---- */
        la t0, trap_vec_area
        ori t1, t0, 1
        csrw stvec, t1
        csrr a0, stvec
        CHECK_EQ(30, a0, t1)        /* vectored */
        csrw stvec, t0
        csrr a0, stvec
        CHECK_EQ(31, a0, t0)        /* direct */
        la t1, priv_strap
        csrw stvec, t1
        /* mtvec: write a vectored value, read it back, restore */
        csrr s0, mtvec
        ori t1, t0, 1
        csrw mtvec, t1
        csrr a0, mtvec
        csrw mtvec, s0
        CHECK_EQ(32, a0, t1)

        /* ---- satp WARL ---- */
        /* 33: Sv39 with a PPN is kept (mode and PPN) */
        li t0, SATP_SV39 | 0x80123
        csrw satp, t0
        csrr a0, satp
        li t1, (0xf << 60) | 0xfffffffffff
        and a0, a0, t1
        CHECK_EQ(33, a0, t0)
        /* 34: unsupported mode 1 (Sv32) / 11 (Sv64) / 3 (reserved): the write has no effect */
        li t1, (1 << 60) | 0x80456
        csrw satp, t1
        csrr a0, satp
        li t1, (0xf << 60) | 0xfffffffffff
        and a0, a0, t1
        CHECK_EQ(34, a0, t0)
        li t1, (11 << 60) | 0x80456
        csrw satp, t1
        csrr a0, satp
        li t1, (0xf << 60) | 0xfffffffffff
        and a0, a0, t1
        CHECK_EQ(35, a0, t0)
        li t1, (3 << 60)
        csrw satp, t1
        csrr a0, satp
        li t1, (0xf << 60) | 0xfffffffffff
        and a0, a0, t1
        CHECK_EQ(36, a0, t0)
        /* 37: Sv48 and Sv57 accepted */
        li t0, SATP_SV48 | 0x80001
        csrw satp, t0
        csrr a0, satp
        li t1, (0xf << 60) | 0xfffffffffff
        and a0, a0, t1
        CHECK_EQ(37, a0, t0)
        li t0, SATP_SV57 | 0x80002
        csrw satp, t0
        csrr a0, satp
        li t1, (0xf << 60) | 0xfffffffffff
        and a0, a0, t1
        CHECK_EQ(38, a0, t0)
        csrw satp, zero
        TEST_CASE(39, a0, 0, csrr a0, satp)

        /* ---- delegation registers ---- */
        /* 40: medeleg[11] (ecall from M) is read-only 0.  QEMU 7.2 lets it
         * be written: skipped under QEMU_KNOWN_DIFF. */
#ifndef QEMU_KNOWN_DIFF
        li t0, (1 << 11)
        csrw medeleg, t0
        TEST_CASE(40, a0, 0, csrr a0, medeleg)
#endif
        /* 41: the usual exceptions are delegable */
        li t0, 0xb1ff    /* causes 0-8, 12, 13, 15 */
        csrw medeleg, t0
        csrr a0, medeleg
        and a0, a0, t0
        CHECK_EQ(41, a0, t0)
        csrw medeleg, zero
        /* 42: mideleg: SSI/STI/SEI delegable; M-level bits are not */
        li t0, -1
        csrw mideleg, t0
        csrr a0, mideleg
        li t1, 0xaaa; and a0, a0, t1
        TEST_CASE(42, a0, 0x222, )
        csrw mideleg, zero

        /* ---- mie / mip ---- */
        li t0, 0xaaa
        csrw mie, t0
        TEST_CASE(43, a0, 0xaaa, csrr a0, mie)
        /* 44: sie shows only the delegated bits: none now */
        TEST_CASE(44, a0, 0, csrr a0, sie)
        li t0, 0x222
        csrw mideleg, t0
        TEST_CASE(45, a0, 0x222, csrr a0, sie)
        /* 46: sie writes reach mie (delegated bits only) */
        csrw sie, zero
        TEST_CASE(46, a0, 0x888, csrr a0, mie)
        csrw mie, zero
        /* 47: mip.SSIP/STIP/SEIP are writable by M */
        li t0, 0x222
        csrs mip, t0
        csrr a0, mip
        andi a0, a0, 0x222
        TEST_CASE(47, a0, 0x222, )
        /* 48: sip shows delegated pending bits; SSIP writable from sip */
        csrr a0, sip
        TEST_CASE(48, a0, 0x222, )
        csrci sip, 2
        csrr a0, mip
        andi a0, a0, 0x222
        TEST_CASE(49, a0, 0x220, )
        li t0, 0x220
        csrc mip, t0
        csrr a0, mip
        andi a0, a0, 0x222
        TEST_CASE(50, a0, 0, )
        /* 51: mip.MSIP/MTIP are not writable through mip */
        li t0, (1 << 3) | (1 << 7)
        li t1, -1
        li t2, CLINT_MTIMECMP
        sd t1, 0(t2)
        csrs mip, t0
        csrr a0, mip
        and a0, a0, t0
        TEST_CASE(51, a0, 0, )
        csrw mideleg, zero

        /* ---- envcfg ---- */
        CLEAR_TRAP
        csrr a0, menvcfg
        csrw menvcfg, a0
        csrr a0, senvcfg
        csrw senvcfg, a0
        CHECK_NO_TRAP(52)

        /* ---- privilege checks on CSR access ---- */
        GOTO_S
        CLEAR_TRAP
        csrr a0, sstatus
        csrr a0, sscratch
        csrr a0, senvcfg
        CHECK_NO_TRAP(53)
        TRAP_CASE(54, CAUSE_ILLEGAL, 0x30002573, csrr a0, mstatus)
        TRAP_CASE(55, CAUSE_ILLEGAL, 0xf1402573, csrr a0, mhartid)
        TRAP_CASE(56, CAUSE_ILLEGAL, 0x30a02573, csrr a0, menvcfg)
        TRAP_CASE(57, CAUSE_ILLEGAL, 0x34001073, csrw mscratch, zero)
        TRAP_CASE(58, CAUSE_ILLEGAL, 0x30102573, csrr a0, misa)
        GOTO_U
        TRAP_CASE(59, CAUSE_ILLEGAL, 0x10002573, csrr a0, sstatus)
        TRAP_CASE(60, CAUSE_ILLEGAL, 0x14002573, csrr a0, sscratch)
        TRAP_CASE(61, CAUSE_ILLEGAL, 0x30002573, csrr a0, mstatus)
        TRAP_CASE(62, CAUSE_ILLEGAL, 0x18002573, csrr a0, satp)
        /* 63: the trap from U records MPP = U */
        srli a0, s6, 11
        andi a0, a0, 3
        TEST_CASE(63, a0, 0, )
        GOTO_M
        /* 64: MPP after the mode-switch mret from M back to M is U (least privileged) or M.
         * (spec: after mret, MPP is set to the least-privileged supported mode) */
        csrr a0, mstatus
        srli a0, a0, 11
        andi a0, a0, 3
        TEST_CASE(64, a0, 0, )
#ifndef QEMU_KNOWN_DIFF
        /* 65: sstatus.UXL is read-only 2 (QEMU 7.2 lets sstatus writes change
         * UXL, so this is skipped under QEMU_KNOWN_DIFF) */
        li t0, (3 << 32)
        csrs sstatus, t0
        csrr a0, sstatus
        and a0, a0, t0
        li t1, (2 << 32)
        CHECK_EQ(65, a0, t1)
        csrc sstatus, t0
        csrr a0, mstatus
        and a0, a0, t0
        CHECK_EQ(66, a0, t1)
#endif
        j pass

        .balign 256
trap_vec_area:
        .space 64
TEST_END
PRIV_HANDLERS
