/* Sv48 paging: the shared cases of paging.h under a 4-level walk (pt_l3[0]
 * -> the Sv39-shaped table), a 512 GiB leaf at the root, a misaligned one,
 * and Sv48 VA canonicality. */
#include "hartvm_test.h"
#include "priv.h"
#define SATP_MODE SATP_SV48
#define pt_root pt_l3

TEST_BEGIN
PRIV_INIT
        PTE_L pt_l3, 0, pt_l2, PTE_V
        PTE_C pt_l3, 1, 0, PTE_V | PTE_AD | PTE_R | PTE_W            /* 512 GiB leaf, PA 0 */
        PTE_C pt_l3, 2, 0x80000000, PTE_V | PTE_AD | PTE_R | PTE_W   /* misaligned */
#include "paging.h"
        GOTO_S
        /* 100: VA 0x8000000000 + PA through the 512 GiB leaf */
        la a1, dpages
        li t0, 0x8000000000
        add a1, a1, t0
        ld a0, 0(a1)
        TEST_CASE(100, a0, 0x1000, )
        li a1, 0x10000000010
        TRAP_CASE_R(101, CAUSE_LOAD_PAGE, a1, ld a0, 0(a1))
        /* 102: VA bits 63..48 must equal bit 47 */
        li a1, 0x0000800000000000
        TRAP_CASE_R(102, CAUSE_LOAD_PAGE, a1, ld a0, 0(a1))
        li a1, 0xffff000080000000
        TRAP_CASE_R(103, CAUSE_STORE_PAGE, a1, sd a0, 0(a1))
        /* 104: root entry 3 invalid */
        li a1, 0x18000000000
        TRAP_CASE_R(104, CAUSE_LOAD_PAGE, a1, lw a0, 0(a1))
PAGING_TEST_END
pt_l3:  .space 4096
pt_l2:  .space 4096
pt_l1:  .space 4096
pt_l0:  .space 4096
dpages: .space 10 * 4096
