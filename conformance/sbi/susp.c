/* susp: the System Suspend extension. Run with --smp 2 --wake-after 50ms.
 * With the extension disabled (--sbi-disable susp, or a firmware without
 * it) it checks that probe returns 0 and the call NOT_SUPPORTED. */
#include "sbi_test.h"

#define OPAQUE 0x5355535000c0ffeeUL

static volatile unsigned long helper_go, helper_up;
static unsigned long t_suspend;

static void helper(unsigned long hartid, unsigned long opaque)
{
    (void)hartid;
    (void)opaque;
    helper_up = 1;
    while (!helper_go)
        cpu_relax();
    helper_go = 0;
    /* returning makes hart_entry_c call hart_stop */
}

static void after_resume(unsigned long hartid, unsigned long opaque);

void test_main(unsigned long hartid, unsigned long dtb)
{
    (void)dtb;
    struct sbiret r;

    if (!sbi_probe(EID_SUSP)) {
        r = sbi_system_suspend(0, HART_ENTRY, 0);
        CHECK_ERR(1, r, SBI_ERR_NOT_SUPPORTED, "system_suspend with SUSP not available");
        r = sbi_system_suspend(1, 0, 0);
        CHECK_ERR(1, r, SBI_ERR_NOT_SUPPORTED, "system_suspend(1) with SUSP not available");
        printf("susp: extension disabled: probe 0, system_suspend NOT_SUPPORTED\n");
        return;
    }
    CHECK(2, nharts >= 2, "susp needs 2 harts (--smp 2), found %d", nharts);
    unsigned long other = other_hart(0);

    /* 3: reserved and unimplemented sleep types */
    static const unsigned long bad_types[] = {1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000001UL};
    for (unsigned i = 0; i < sizeof bad_types / sizeof bad_types[0]; i++) {
        r = sbi_system_suspend(bad_types[i], HART_ENTRY, 0);
        if (r.error != SBI_ERR_INVALID_PARAM)
            fail(3, "system_suspend(0x%lx): error %ld, expected %d", bad_types[i], r.error,
                 SBI_ERR_INVALID_PARAM);
    }

    /* 4: resume_addr outside RAM */
    r = sbi_system_suspend(0, 0x1000, 0);
    CHECK_ERR(4, r, SBI_ERR_INVALID_ADDRESS, "system_suspend(0, 0x1000)");
    r = sbi_system_suspend(0, 0x70000000UL, 0);
    CHECK_ERR(4, r, SBI_ERR_INVALID_ADDRESS, "system_suspend(0, 0x70000000)");
    r = sbi_system_suspend(0, 0x80000000UL + (128UL << 20), 0);
    CHECK_ERR(4, r, SBI_ERR_INVALID_ADDRESS, "system_suspend(0, end of RAM)");

    /* 5: another hart started -> DENIED (after the type and address checks) */
    r = start_hart(other, helper, 1);
    CHECK_ERR(5, r, SBI_SUCCESS, "hart_start(helper)");
    CHECK(5, wait_flag(&helper_up, 1, 2000), "helper hart %lu did not start", other);
    r = sbi_system_suspend(0, HART_ENTRY, 0);
    CHECK_ERR(5, r, SBI_ERR_DENIED, "system_suspend with another hart STARTED");
    r = sbi_system_suspend(1, 0x1000, 0);
    CHECK_ERR(6, r, SBI_ERR_INVALID_PARAM, "system_suspend(1, 0x1000) with another hart STARTED");
    r = sbi_system_suspend(0, 0x1000, 0);
    CHECK_ERR(6, r, SBI_ERR_INVALID_ADDRESS, "system_suspend(0, 0x1000) with another hart STARTED");
    CHECK_EQ(6, sbi_hart_status(other).value, HSM_STARTED, "helper status after a denied suspend");

    /* 7: the helper stops itself */
    helper_go = 1;
    CHECK_EQ(7, wait_status(other, HSM_STOPPED, 2000), HSM_STOPPED, "helper status after hart_stop");

    /* 8: suspend for real: satp and SIE set before, reset at resume */
    csr_write(sie, 0);
    csr_write(satp, satp_identity(0));
    __asm__ volatile("sfence.vma" ::: "memory");
    csr_set(sstatus, SSTATUS_SIE);
    entry_fn[hartid & (MAX_HARTS - 1)] = after_resume;
    printf("susp: suspending to RAM\n");
    t_suspend = rdtime();
    fence();
    r = sbi_system_suspend(0x100000000UL, HART_ENTRY, OPAQUE);
    csr_clear(sstatus, SSTATUS_SIE);
    csr_write(satp, 0);
    fail(8, "system_suspend(0x1_00000000) returned: error %ld (only the low 32 bits count)", r.error);
}

static void after_resume(unsigned long hartid, unsigned long opaque)
{
    struct entry_state *e = &entry_state[hartid & (MAX_HARTS - 1)];
    unsigned long ms = (rdtime() - t_suspend) / MS(1);
    CHECK_EQ(9, hartid, boot_hartid, "a0 (hartid) at resume_addr");
    CHECK_EQ(9, opaque, OPAQUE, "a1 (opaque) at resume_addr");
    CHECK_EQ(9, e->satp, 0, "satp at resume_addr");
    CHECK_EQ(9, e->sstatus & SSTATUS_SIE, 0, "sstatus.SIE at resume_addr");
    printf("susp: resumed at resume_addr after %lu ms\n", ms);
    CHECK_EQ(10, sbi_hart_status(hartid).value, HSM_STARTED, "own status after resume");
    unsigned long other = other_hart(0);
    CHECK_EQ(10, sbi_hart_status(other).value, HSM_STOPPED, "other hart's status after resume");

    /* 11: the other hart can be started again after the resume */
    helper_up = 0;
    struct sbiret r = start_hart(other, helper, 0x1234);
    CHECK_ERR(11, r, SBI_SUCCESS, "hart_start after resume");
    CHECK(11, wait_flag(&helper_up, 1, 2000), "helper did not start after resume");
    CHECK_EQ(11, entry_state[other & (MAX_HARTS - 1)].a1, 0x1234, "helper's opaque after resume");
    helper_go = 1;
    CHECK_EQ(11, wait_status(other, HSM_STOPPED, 2000), HSM_STOPPED, "helper status after hart_stop");
    pass();
}
