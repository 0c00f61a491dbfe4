/* rfence: the RFENCE extension. Return codes for every function, then
 * (--smp 2) that the fences really reach the other hart: hart R runs with
 * Sv39 paging on a page table hart B (the boot hart) edits; after B
 * repoints a PTE and calls remote_sfence_vma for R, R must read the new
 * page. Likewise remote_fence_i after B rewrites code R executes. R never
 * fences by itself. */
#include "sbi_test.h"

#define VA 0x40000000UL /* mapped by the 4 KiB page table below only */
#define PTE_V 0x1UL
#define PTE_R 0x2UL
#define PTE_W 0x4UL
#define PTE_X 0x8UL
#define PTE_A 0x40UL
#define PTE_D 0x80UL
#define PTE_PTR(p) ((((unsigned long)(p)) >> 12 << 10) | PTE_V)
#define PTE_LEAF(p) ((((unsigned long)(p)) >> 12 << 10) | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)

static unsigned long root[512] __attribute__((aligned(4096)));
static unsigned long l1[512] __attribute__((aligned(4096)));
static unsigned long l0[512] __attribute__((aligned(4096)));
static unsigned long page_a[512] __attribute__((aligned(4096)));
static unsigned long page_b[512] __attribute__((aligned(4096)));
static unsigned long page_c[512] __attribute__((aligned(4096)));

/* Code hart R calls: "li a0, 1; ret", rewritten by the boot hart. */
__attribute__((section(".data.code"), aligned(64))) unsigned int patch_fn[2] = {
    0x00100513, /* addi a0, zero, 1 */
    0x00008067, /* jalr zero, 0(ra) */
};
#define LI_A0(imm) (((unsigned int)(imm) << 20) | 0x513)

static volatile unsigned long cmd, step, value, r_asid;

static unsigned long run_patch(void)
{
    unsigned long (*fn)(void) = (unsigned long (*)(void))(void *)patch_fn;
    return fn();
}

/* Hart R: paging on, reads VA (or calls patch_fn) at each command. */
static void remote(unsigned long hartid, unsigned long opaque)
{
    (void)hartid;
    csr_write(satp, opaque);
    __asm__ volatile("sfence.vma" ::: "memory");
    r_asid = (csr_read(satp) >> 44) & 0xffff;
    value = *(volatile unsigned long *)VA;
    (void)run_patch();
    fence();
    step = 1;
    unsigned long seen = 0;
    for (;;) {
        while (cmd == seen)
            cpu_relax();
        seen = cmd;
        if (seen == 99)
            break;
        fence();
        value = seen >= 10 ? run_patch() : *(volatile unsigned long *)VA;
        fence();
        step = seen + 1;
    }
    csr_write(satp, 0);
}

static unsigned long ask(unsigned long rh, unsigned long c)
{
    fence();
    cmd = c;
    if (!wait_flag(&step, c + 1, 2000))
        fail(20, "hart %lu did not answer command %lu", rh, c);
    return value;
}

static void set_pte(unsigned long *page)
{
    l0[0] = PTE_LEAF(page);
    fence();
}

void test_main(unsigned long hartid, unsigned long dtb)
{
    (void)dtb;
    struct sbiret r;
    unsigned long self = 1UL << hartid;

    /* 1-4: valid masks succeed */
    r = SBI2(EID_RFENCE, 0, self, 0);
    CHECK_ERR(1, r, SBI_SUCCESS, "remote_fence_i(self, 0)");
    r = SBI2(EID_RFENCE, 0, 0, -1UL);
    CHECK_ERR(1, r, SBI_SUCCESS, "remote_fence_i(0, -1)");
    r = SBI2(EID_RFENCE, 0, 1, hartid);
    CHECK_ERR(1, r, SBI_SUCCESS, "remote_fence_i(1, self)");
    r = sbi_call(EID_RFENCE, 1, self, 0, 0, 0, 0, 0);
    CHECK_ERR(2, r, SBI_SUCCESS, "remote_sfence_vma(self, 0, 0, 0) (everything)");
    r = sbi_call(EID_RFENCE, 1, self, 0, 0x80200000, 0x2000, 0, 0);
    CHECK_ERR(2, r, SBI_SUCCESS, "remote_sfence_vma(self, 0, 0x80200000, 0x2000)");
    r = sbi_call(EID_RFENCE, 1, 0, -1UL, 0, -1UL, 0, 0);
    CHECK_ERR(2, r, SBI_SUCCESS, "remote_sfence_vma(0, -1, 0, 2^64-1)");
    r = sbi_call(EID_RFENCE, 2, self, 0, 0, 0, 1, 0);
    CHECK_ERR(3, r, SBI_SUCCESS, "remote_sfence_vma_asid(self, 0, 0, 0, 1)");
    r = sbi_call(EID_RFENCE, 2, 0, -1UL, 0x80200000, 0x1000, 0, 0);
    CHECK_ERR(3, r, SBI_SUCCESS, "remote_sfence_vma_asid(0, -1, 0x80200000, 0x1000, 0)");
    r = sbi_call(EID_RFENCE, 2, 1, hartid, 0, -1UL, 0xffff, 0);
    CHECK_ERR(4, r, SBI_SUCCESS, "remote_sfence_vma_asid(1, self, 0, 2^64-1, 0xffff)");

    /* 5-7: invalid harts */
    if (!skip_old(5, "remote fences to harts that do not exist")) {
        r = SBI2(EID_RFENCE, 0, 1UL << nharts, 0);
        CHECK_ERR(5, r, SBI_ERR_INVALID_PARAM, "remote_fence_i(1 << hart count, 0)");
        r = SBI2(EID_RFENCE, 0, 1, nharts);
        CHECK_ERR(5, r, SBI_ERR_INVALID_PARAM, "remote_fence_i(1, base = hart count)");
        r = sbi_call(EID_RFENCE, 1, self | (1UL << 63), 0, 0, 0, 0, 0);
        CHECK_ERR(6, r, SBI_ERR_INVALID_PARAM, "remote_sfence_vma(self | bit 63, 0, ...)");
        r = sbi_call(EID_RFENCE, 1, 1, nharts, 0, 0, 0, 0);
        CHECK_ERR(6, r, SBI_ERR_INVALID_PARAM, "remote_sfence_vma(1, base = hart count, ...)");
        r = sbi_call(EID_RFENCE, 2, 1UL << nharts, 0, 0, 0, 0, 0);
        CHECK_ERR(7, r, SBI_ERR_INVALID_PARAM, "remote_sfence_vma_asid(1 << hart count, 0, ...)");
        r = sbi_call(EID_RFENCE, 2, 1, 0x10000, 0, 0, 0, 0);
        CHECK_ERR(7, r, SBI_ERR_INVALID_PARAM, "remote_sfence_vma_asid(1, base 0x10000, ...)");
    }

    /* 8: hfence FIDs 3-6 without the H extension */
    if (!skip_old(8, "hfence (QEMU's harts implement H)")) {
        for (unsigned long fid = 3; fid <= 6; fid++) {
            r = sbi_call(EID_RFENCE, fid, self, 0, 0, 0, 0, 0);
            if (r.error != SBI_ERR_NOT_SUPPORTED)
                fail(8, "RFENCE fid %lu (hfence): error %ld, expected %d", fid, r.error,
                     SBI_ERR_NOT_SUPPORTED);
        }
    }

    if (nharts < 2) {
        printf("rfence: one hart: cross-hart cases skipped (run with --smp 2)\n");
        return;
    }

    /* 9: hart R starts with paging on and reads page A through VA */
    for (int i = 0; i < 512; i++) {
        page_a[i] = 0xaaaa0000UL + i;
        page_b[i] = 0xbbbb0000UL + i;
        page_c[i] = 0xcccc0000UL + i;
    }
    root[1] = PTE_PTR(l1);
    root[2] = ((0x80000000UL >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
    l1[0] = PTE_PTR(l0);
    set_pte(page_a);
    unsigned long rh = other_hart(0);
    unsigned long satp = (8UL << 60) | (7UL << 44) | ((unsigned long)root >> 12);
    r = start_hart(rh, remote, satp);
    CHECK_ERR(9, r, SBI_SUCCESS, "hart_start(remote)");
    CHECK(9, wait_flag(&step, 1, 2000), "hart %lu did not start", rh);
    CHECK_EQ(9, value, page_a[0], "hart R's first read through VA");
    unsigned long asid = r_asid;
    printf("rfence: hart %lu runs with Sv39, ASID %lu\n", rh, asid);

    /* 10: PTE -> page B, remote_sfence_vma(R, VA, 4 KiB) */
    set_pte(page_b);
    r = sbi_call(EID_RFENCE, 1, 1UL << rh, 0, VA, 0x1000, 0, 0);
    CHECK_ERR(10, r, SBI_SUCCESS, "remote_sfence_vma(R, 0, VA, 0x1000)");
    CHECK_EQ(10, ask(rh, 1), page_b[0], "hart R's read after remote_sfence_vma (range)");

    /* 11: PTE -> page C, remote_sfence_vma_asid(R, VA, 4 KiB, R's ASID) */
    set_pte(page_c);
    r = sbi_call(EID_RFENCE, 2, 1, rh, VA, 0x1000, asid, 0);
    CHECK_ERR(11, r, SBI_SUCCESS, "remote_sfence_vma_asid(1, R, VA, 0x1000, asid)");
    CHECK_EQ(11, ask(rh, 2), page_c[0], "hart R's read after remote_sfence_vma_asid");

    /* 12: PTE -> page A, full flush (start 0, size 0) */
    set_pte(page_a);
    r = sbi_call(EID_RFENCE, 1, 1UL << rh, 0, 0, 0, 0, 0);
    CHECK_ERR(12, r, SBI_SUCCESS, "remote_sfence_vma(R, 0, 0, 0)");
    CHECK_EQ(12, ask(rh, 3), page_a[0], "hart R's read after a full remote_sfence_vma");

    /* 13: PTE -> page B, every hart (base -1), size 2^64-1 */
    set_pte(page_b);
    r = sbi_call(EID_RFENCE, 1, 0, -1UL, 0, -1UL, 0, 0);
    CHECK_ERR(13, r, SBI_SUCCESS, "remote_sfence_vma(0, -1, 0, 2^64-1)");
    CHECK_EQ(13, ask(rh, 4), page_b[0], "hart R's read after remote_sfence_vma to all harts");

    /* 14: PTE -> page C, legacy remote_sfence_vma (mask by pointer) */
    set_pte(page_c);
    static unsigned long mask_word;
    mask_word = 1UL << rh;
    long lr = sbi_legacy(EID_LEGACY_SFENCE_VMA, (unsigned long)&mask_word, VA, 0x1000, 0, 0);
    CHECK_EQ(14, lr, 0, "legacy remote_sfence_vma return");
    CHECK_EQ(14, ask(rh, 5), page_c[0], "hart R's read after legacy remote_sfence_vma");

    /* 15-17: code rewritten by this hart, remote_fence_i for R */
    CHECK_EQ(15, ask(rh, 10), 1, "patch_fn before rewriting");
    patch_fn[0] = LI_A0(2);
    __asm__ volatile("fence.i" ::: "memory");
    r = SBI2(EID_RFENCE, 0, 1UL << rh, 0);
    CHECK_ERR(15, r, SBI_SUCCESS, "remote_fence_i(R, 0)");
    CHECK_EQ(15, ask(rh, 11), 2, "patch_fn on hart R after rewrite + remote_fence_i");
    patch_fn[0] = LI_A0(3);
    __asm__ volatile("fence.i" ::: "memory");
    r = SBI2(EID_RFENCE, 0, 0, -1UL);
    CHECK_ERR(16, r, SBI_SUCCESS, "remote_fence_i(0, -1)");
    CHECK_EQ(16, ask(rh, 12), 3, "patch_fn on hart R after rewrite + remote_fence_i(all)");
    patch_fn[0] = LI_A0(4);
    __asm__ volatile("fence.i" ::: "memory");
    lr = sbi_legacy(EID_LEGACY_FENCE_I, (unsigned long)&mask_word, 0, 0, 0, 0);
    CHECK_EQ(17, lr, 0, "legacy remote_fence_i return");
    CHECK_EQ(17, ask(rh, 13), 4, "patch_fn on hart R after rewrite + legacy remote_fence_i");

    /* 18: R stops */
    fence();
    cmd = 99;
    CHECK_EQ(18, wait_status(rh, HSM_STOPPED, 2000), HSM_STOPPED, "hart R status after it returns");
}
