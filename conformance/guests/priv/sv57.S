/* Sv57 paging: the shared cases of paging.h under a 5-level walk, a
 * 256 TiB leaf at the root, and Sv57 VA canonicality. */
#include "hartvm_test.h"
#include "priv.h"
#define SATP_MODE SATP_SV57
#define pt_root pt_l4

TEST_BEGIN
PRIV_INIT
        PTE_L pt_l4, 0, pt_l3, PTE_V
        PTE_C pt_l4, 1, 0, PTE_V | PTE_AD | PTE_R | PTE_W            /* 256 TiB leaf, PA 0 */
        PTE_C pt_l4, 2, 0x80000000, PTE_V | PTE_AD | PTE_R | PTE_W   /* misaligned */
        PTE_L pt_l3, 0, pt_l2, PTE_V
#include "paging.h"
        GOTO_S
        la a1, dpages
        li t0, 0x1000000000000
        add a1, a1, t0
        ld a0, 0(a1)
        TEST_CASE(100, a0, 0x1000, )
        li a1, 0x2000000000010
        TRAP_CASE_R(101, CAUSE_LOAD_PAGE, a1, ld a0, 0(a1))
        /* 102: VA bits 63..57 must equal bit 56 */
        li a1, 0x0100000000000000
        TRAP_CASE_R(102, CAUSE_LOAD_PAGE, a1, ld a0, 0(a1))
        li a1, 0xfe00000080000000
        TRAP_CASE_R(103, CAUSE_STORE_PAGE, a1, sd a0, 0(a1))
        /* 104: 0x0000800000000000 is canonical in Sv57: pt_l4[0] -> pt_l3[256], invalid */
        li a1, 0x0000800000000000
        TRAP_CASE_R(104, CAUSE_LOAD_PAGE, a1, ld a0, 0(a1))
PAGING_TEST_END
pt_l4:  .space 4096
pt_l3:  .space 4096
pt_l2:  .space 4096
pt_l1:  .space 4096
pt_l0:  .space 4096
dpages: .space 10 * 4096
