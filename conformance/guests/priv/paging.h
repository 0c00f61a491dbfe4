/* Shared body of the Sv39/Sv48/Sv57 tests (own code).  Included inline by
 * sv39.S / sv48.S / sv57.S between PRIV_INIT and the mode-specific cases.
 *
 * Level-2 table pt_l2 (the Sv39 root; one level below in Sv48/Sv57):
 *   [2] 1 GiB leaf  VA 0x80000000  -> PA 0x80000000 RWX (identity: code, data, tables)
 *   [3] -> pt_l1                  VA 0xC0000000..
 *   [4] 1 GiB leaf  PA 0x80200000: misaligned gigapage (PPN[0], PPN[1] != 0)
 *   [5] 1 GiB leaf  VA 0x140000000 -> PA 0x80000000 RW (alias)
 * pt_l1:
 *   [0] -> pt_l0                  VA 0xC0000000 + i * 4 KiB
 *   [1] 2 MiB leaf  VA 0xC0200000 -> PA 0x80200000 RW
 *   [2] 2 MiB leaf  VA 0xC0400000 -> PA 0x80201000: misaligned megapage
 *   [3] 2 MiB leaf  VA 0xC0600000 -> PA 0x80200000 RW U
 * pt_l0 (VA(i) = 0xC0000000 + i * 4096, dp(i) = dpages + i * 4096,
 *        dp(i) holds 0x1000 + i at offset 0):
 *   0 dp0 RW      1 dp1 R       2 dp2 X       3 dp3 RW U
 *   4 dp4 V = 0   5 dp5 W only (reserved)     6 dp6 RW, A = D = 0
 *   7 dp7 RX (holds `ret`)      8 dp7 RX U    9 dp0 RW, A = 1, D = 0
 *  10 dp9 RW     11 dp8 RW (two VA-contiguous pages, PA order reversed)
 *  12 dp1 R (remapped to dp0 by the sfence.vma case)
 * All leaves have A = D = 1 unless stated otherwise.
 */
#define VA(i) (0xC0000000 + (i) * 4096)
#define LEAF(f) (PTE_V | PTE_AD | (f))

        /* ---- build the tables (M mode, physical) ---- */
        PTE_C pt_l2, 2, 0x80000000, LEAF(PTE_RWX)
        PTE_L pt_l2, 3, pt_l1, PTE_V
        PTE_C pt_l2, 4, 0x80200000, LEAF(PTE_R | PTE_W)
        PTE_C pt_l2, 5, 0x80000000, LEAF(PTE_R | PTE_W)
        PTE_L pt_l1, 0, pt_l0, PTE_V
        PTE_C pt_l1, 1, 0x80200000, LEAF(PTE_R | PTE_W)
        PTE_C pt_l1, 2, 0x80201000, LEAF(PTE_R | PTE_W)
        PTE_C pt_l1, 3, 0x80200000, LEAF(PTE_R | PTE_W | PTE_U)
        PTE_L pt_l0, 0, dpages + 0 * 4096, LEAF(PTE_R | PTE_W)
        PTE_L pt_l0, 1, dpages + 1 * 4096, LEAF(PTE_R)
        PTE_L pt_l0, 2, dpages + 2 * 4096, LEAF(PTE_X)
        PTE_L pt_l0, 3, dpages + 3 * 4096, LEAF(PTE_R | PTE_W | PTE_U)
        PTE_L pt_l0, 4, dpages + 4 * 4096, PTE_AD | PTE_R | PTE_W
        PTE_L pt_l0, 5, dpages + 5 * 4096, LEAF(PTE_W)
        PTE_L pt_l0, 6, dpages + 6 * 4096, PTE_V | PTE_R | PTE_W
        PTE_L pt_l0, 7, dpages + 7 * 4096, LEAF(PTE_R | PTE_X)
        PTE_L pt_l0, 8, dpages + 7 * 4096, LEAF(PTE_R | PTE_X | PTE_U)
        PTE_L pt_l0, 9, dpages + 0 * 4096, PTE_V | PTE_A | PTE_R | PTE_W
        PTE_L pt_l0, 10, dpages + 9 * 4096, LEAF(PTE_R | PTE_W)
        PTE_L pt_l0, 11, dpages + 8 * 4096, LEAF(PTE_R | PTE_W)
        PTE_L pt_l0, 12, dpages + 1 * 4096, LEAF(PTE_R)
        /* page contents */
        NUMBER_PAGES dpages, 10
        la t0, dpages + 7 * 4096
        li t1, 0x00008067            /* jalr x0, 0(ra) */
        sw t1, 0(t0)
        fence.i
        la t0, dpages + 9 * 4096 + 4088
        li t1, 0x8877665544332211
        sd t1, 0(t0)
        la t0, dpages + 8 * 4096
        li t1, 0x00000000ccbbaa99
        sd t1, 0(t0)
        li t0, 0x80201238
        li t1, 0x0badcafe
        sd t1, 0(t0)
        li t0, 0x80200010
        sd zero, 0(t0)

        SET_SATP SATP_MODE, pt_root
        GOTO_S

        /* ---- S-mode data accesses ---- */
        li a1, VA(0)
        CLEAR_TRAP
        ld a0, 0(a1)
        TEST_CASE(1, a0, 0x1000, )
        li t0, 0x5a5a
        sd t0, 8(a1)
        ld a0, 8(a1)
        TEST_CASE(2, a0, 0x5a5a, )
        CHECK_NO_TRAP(3)
        li a1, VA(1)
        ld a0, 0(a1)
        TEST_CASE(4, a0, 0x1001, )
        addi a2, a1, 16
        TRAP_CASE_R(5, CAUSE_STORE_PAGE, a2, sd a0, 16(a1))
        TRAP_CASE_R(6, CAUSE_STORE_PAGE, a1, amoadd.d a0, a0, (a1))
        /* 7: execute-only page: load faults, unless MXR */
        li a1, VA(2)
        TRAP_CASE_R(7, CAUSE_LOAD_PAGE, a1, ld a0, 0(a1))
        li t0, MSTATUS_MXR
        csrs sstatus, t0
        ld a0, 0(a1)
        TEST_CASE(8, a0, 0x1002, )
        csrc sstatus, t0
        /* 9: U page from S: fault unless SUM */
        li a1, VA(3)
        TRAP_CASE_R(9, CAUSE_LOAD_PAGE, a1, ld a0, 0(a1))
        TRAP_CASE_R(10, CAUSE_STORE_PAGE, a1, sd a0, 0(a1))
        li t0, MSTATUS_SUM
        csrs sstatus, t0
        ld a0, 0(a1)
        TEST_CASE(11, a0, 0x1003, )
        li t1, 0x3003
        sd t1, 8(a1)
        ld a0, 8(a1)
        TEST_CASE(12, a0, 0x3003, )
        csrc sstatus, t0
        /* 13: V = 0 */
        li a1, VA(4)
        TRAP_CASE_R(13, CAUSE_LOAD_PAGE, a1, ld a0, 0(a1))
        TRAP_CASE_R(14, CAUSE_STORE_PAGE, a1, sd a0, 0(a1))
        /* 15: W without R is reserved: page fault for any access */
        li a1, VA(5)
        TRAP_CASE_R(15, CAUSE_LOAD_PAGE, a1, ld a0, 0(a1))
        TRAP_CASE_R(16, CAUSE_STORE_PAGE, a1, sd a0, 0(a1))

        /* ---- S-mode fetch ---- */
        /* 17: RX page */
        CLEAR_TRAP
        li a1, VA(7)
        jalr ra, a1
        CHECK_NO_TRAP(17)
        /* 18: non-executable page: fetch page fault, epc = tval = target */
        li TESTNUM, 18
        CLEAR_TRAP
        la s7, 1f
        li a1, VA(0)
        jalr ra, a1
        j fail
1:      CHECK_CAUSE(18, CAUSE_FETCH_PAGE)
        CHECK_EQ(19, s10, a1)
        CHECK_EQ(20, s9, a1)
        /* 21: S never executes a U page, even with SUM */
        li t0, MSTATUS_SUM
        csrs sstatus, t0
        li TESTNUM, 21
        CLEAR_TRAP
        la s7, 1f
        li a1, VA(8)
        jalr ra, a1
        j fail
1:      CHECK_CAUSE(21, CAUSE_FETCH_PAGE)
        CHECK_EQ(22, s10, a1)
        li t0, MSTATUS_SUM
        csrc sstatus, t0

        /* ---- A and D bits: the spec allows a page fault or a hardware
         * update; accept both.  (hartvm updates A/D in hardware, as QEMU
         * does: if the access completes, the PTE bits must now be set.) ---- */
        li a1, VA(6)
        li TESTNUM, 23
        CLEAR_TRAP
        ld a0, 0(a1)
        beqz s11, 1f
        CHECK_TRAP(23, CAUSE_LOAD_PAGE, VA(6), 1)
        j 2f
1:      TEST_CASE(24, a0, 0x1006, )
        PTE_ADDR pt_l0, 6
        ld a0, 0(t0)
        andi a0, a0, PTE_A
        TEST_CASE(25, a0, PTE_A, )
2:      li TESTNUM, 26
        CLEAR_TRAP
        sd a1, 8(a1)
        beqz s11, 1f
        CHECK_TRAP(26, CAUSE_STORE_PAGE, VA(6) + 8, 1)
        j 2f
1:      PTE_ADDR pt_l0, 6
        ld a0, 0(t0)
        andi a0, a0, PTE_A | PTE_D
        TEST_CASE(27, a0, PTE_A | PTE_D, )
2:      li a1, VA(9)             /* A = 1, D = 0: load fine, store needs D */
        CLEAR_TRAP
        ld a0, 0(a1)
        CHECK_NO_TRAP(28)
        PTE_ADDR pt_l0, 9
        ld a0, 0(t0)
        andi a0, a0, PTE_D
        TEST_CASE(29, a0, 0, )   /* a load never sets D */
        li TESTNUM, 30
        CLEAR_TRAP
        sd zero, 16(a1)
        beqz s11, 1f
        CHECK_TRAP(30, CAUSE_STORE_PAGE, VA(9) + 16, 1)
        j 2f
1:      PTE_ADDR pt_l0, 9
        ld a0, 0(t0)
        andi a0, a0, PTE_D
        TEST_CASE(31, a0, PTE_D, )
2:
        /* ---- superpages ---- */
        li a1, 0xC0201238
        ld a0, 0(a1)
        TEST_CASE(32, a0, 0x0badcafe, )
        li a1, 0xC0400010                       /* misaligned megapage */
        TRAP_CASE_R(33, CAUSE_LOAD_PAGE, a1, ld a0, 0(a1))
        TRAP_CASE_R(34, CAUSE_STORE_PAGE, a1, sd a0, 0(a1))
        la a1, dpages                           /* gigapage alias at 0x140000000 */
        li t0, 0x140000000 - 0x80000000
        add a1, a1, t0
        ld a0, 0(a1)
        TEST_CASE(35, a0, 0x1000, )
        li a1, 0x100000010                      /* misaligned gigapage */
        TRAP_CASE_R(36, CAUSE_LOAD_PAGE, a1, ld a0, 0(a1))
        li a1, 0x180000000                      /* L2[6]: invalid */
        TRAP_CASE_R(37, CAUSE_LOAD_PAGE, a1, lw a0, 0(a1))

        /* ---- misaligned access across two pages (emulated) ---- */
        li a1, VA(10) + 4092
        CLEAR_TRAP
        ld a0, 0(a1)
        CHECK_NO_TRAP(38)
        li t6, 0xccbbaa9988776655
        CHECK_EQ(39, a0, t6)
        li a1, VA(10) + 4094
        lw a0, 0(a1)
        li t6, 0xffffffffaa998877
        CHECK_EQ(40, a0, t6)
        li a1, VA(10) + 4093
        li t0, 0x0102030405060708
        sd t0, 0(a1)
        ld a0, 0(a1)
        CHECK_EQ(41, a0, t0)
        CHECK_NO_TRAP(42)

        /* ---- sfence.vma after changing a PTE ---- */
        li a1, VA(12)
        ld a0, 0(a1)
        TEST_CASE(43, a0, 0x1001, )
        la t0, dpages
        srli t0, t0, 12
        slli t0, t0, 10
        ori t0, t0, LEAF(PTE_R)
        PTE_ADDR pt_l0, 12
        mv t2, t0
        la t0, dpages
        srli t0, t0, 12
        slli t0, t0, 10
        ori t0, t0, LEAF(PTE_R)
        sd t0, 0(t2)                   /* S writes the PTE through the identity map */
        sfence.vma a1, zero
        ld a0, 0(a1)
        TEST_CASE(44, a0, 0x1000, )
        GOTO_M

        /* ---- U mode: the identity gigapage gets U for this part ---- */
        PTE_C pt_l2, 2, 0x80000000, LEAF(PTE_RWX | PTE_U)
        sfence.vma
        GOTO_U
        li a1, VA(3)
        ld a0, 0(a1)
        TEST_CASE(45, a0, 0x1003, )
        li a1, VA(0)
        TRAP_CASE_R(46, CAUSE_LOAD_PAGE, a1, ld a0, 0(a1))
        TRAP_CASE_R(47, CAUSE_STORE_PAGE, a1, sd a0, 0(a1))
        CLEAR_TRAP
        li a1, VA(8)                   /* U RX page */
        jalr ra, a1
        CHECK_NO_TRAP(48)
        li TESTNUM, 49
        CLEAR_TRAP
        la s7, 1f
        li a1, VA(7)                   /* S page: U cannot fetch */
        jalr ra, a1
        j fail
1:      CHECK_CAUSE(49, CAUSE_FETCH_PAGE)
        CHECK_EQ(50, s10, a1)
        li a1, 0xC0601238              /* U megapage */
        ld a0, 0(a1)
        TEST_CASE(51, a0, 0x0badcafe, )
        li a1, 0xC0201238              /* S megapage */
        TRAP_CASE_R(52, CAUSE_LOAD_PAGE, a1, ld a0, 0(a1))
        GOTO_M
        PTE_C pt_l2, 2, 0x80000000, LEAF(PTE_RWX)
        sfence.vma

        /* ---- MPRV: M-mode loads/stores through the S/U translation ---- */
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        li t0, MSTATUS_MPRV | MSTATUS_MPP_S
        csrs mstatus, t0
        li a1, VA(0)
        ld a0, 0(a1)
        TEST_CASE(53, a0, 0x1000, )
        li a1, VA(3)                   /* U page, SUM = 0 */
        TRAP_CASE_R(54, CAUSE_LOAD_PAGE, a1, ld a0, 0(a1))
        /* (the trap set MPP = M: set S again) */
        li t0, MSTATUS_MPP
        csrc mstatus, t0
        li t0, MSTATUS_MPRV | MSTATUS_MPP_S | MSTATUS_SUM
        csrs mstatus, t0
        ld a0, 0(a1)
        TEST_CASE(55, a0, 0x1003, )
        li t0, MSTATUS_MPP | MSTATUS_SUM
        csrc mstatus, t0               /* MPP = U */
        li a1, VA(0)
        TRAP_CASE_R(56, CAUSE_LOAD_PAGE, a1, ld a0, 0(a1))
        li t0, MSTATUS_MPRV
        csrc mstatus, t0
        /* 57: MPRV does not affect instruction fetch; M is untranslated */
        CLEAR_TRAP
        la a1, dpages
        ld a0, 0(a1)
        CHECK_NO_TRAP(57)
        TEST_CASE(58, a0, 0x1000, )

        /* ---- 60-61: code changed through a mapping that allowed stores
         * before its page held code. smc_fn sits alone in its page; the
         * 1 GiB alias at 0x140000000 maps it writable. S mode stores
         * through the alias first, then M mode runs smc_fn (its page now
         * holds code; M fetches leave S's TLB entries alone), then S
         * patches it through the alias and M runs it again, 300 times:
         * every patch must be seen, as stores through a TLB entry filled
         * before the page held code must be. ---- */
        la t0, smc_fn
        li t1, 0x140000000 - 0x80000000
        add s2, t0, t1
        GOTO_S
        lw t0, 0(s2)
        sw t0, 0(s2)
        GOTO_M
        jal ra, smc_fn
        TEST_CASE(60, a0, 0, )
        li TESTNUM, 61
        li s3, 1
        li s4, 300
1:      GOTO_S
        slli t0, s3, 20
        li t1, 0x00000513              /* addi a0, zero, 0 */
        or t0, t0, t1
        sw t0, 0(s2)
        GOTO_M
        fence.i
        jal ra, smc_fn
        bne a0, s3, fail
        addi s3, s3, 1
        bne s3, s4, 1b
        j 2f
        .balign 4096
        .option push
        .option norvc
smc_fn: addi a0, zero, 0
        ret
        .option pop
        .balign 4096
2:
