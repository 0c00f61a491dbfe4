/* Sv39 paging: permissions, SUM, MXR, A/D, superpages, invalid PTEs,
 * sfence.vma, MPRV, misaligned access across pages (see paging.h), plus
 * Sv39-specific VA canonicality. */
#include "hartvm_test.h"
#include "priv.h"
#define SATP_MODE SATP_SV39
#define pt_root pt_l2

TEST_BEGIN
PRIV_INIT
#include "paging.h"
        /* 100: VA bits 63..39 must equal bit 38 */
        GOTO_S
        li a1, 0x0000008000000000
        TRAP_CASE_R(100, CAUSE_LOAD_PAGE, a1, ld a0, 0(a1))
        li a1, 0xffffff8080000000
        TRAP_CASE_R(101, CAUSE_STORE_PAGE, a1, sd a0, 0(a1))
        li TESTNUM, 102
        CLEAR_TRAP
        la s7, 1f
        li a1, 0x4000000080000000
        jalr ra, a1
        j fail
1:      CHECK_CAUSE(102, CAUSE_FETCH_PAGE)
        CHECK_EQ(103, s10, a1)
PAGING_TEST_END
pt_l2:  .space 4096
pt_l1:  .space 4096
pt_l0:  .space 4096
dpages: .space 10 * 4096
