/* hsm: the HSM extension. Run with --smp 4 (works with 2 or more). */
#include "sbi_test.h"

#define OPAQUE(h, n) (0x5a5a000000000000UL | ((unsigned long)(h) << 32) | (n))

static volatile unsigned long go_stop[MAX_HARTS];
static volatile unsigned long mode_ok[MAX_HARTS];
static volatile unsigned long resumed, resume_a0, resume_a1, resume_satp, resume_sstatus;
static volatile unsigned long susp_hart, saw_status[8];
static void probe_mode(unsigned long h);

/* Polls the status of susp_hart and counts each value it sees. */
static void watcher(unsigned long hartid, unsigned long opaque)
{
    (void)opaque;
    unsigned long h = hartid & (MAX_HARTS - 1);
    probe_mode(h);
    while (!go_stop[h]) {
        struct sbiret r = sbi_hart_status(susp_hart);
        saw_status[r.error ? 7 : (r.value & 7)]++;
    }
    go_stop[h] = 0;
}

/* An S-mode hart reading mstatus takes an illegal-instruction trap to
 * its own stvec: proof that it does not run in M-mode. */
static unsigned long skip_insn(struct trap_frame *f)
{
    mode_ok[this_hart() & (MAX_HARTS - 1)] = f->scause;
    return f->sepc + 4;
}

static void probe_mode(unsigned long h)
{
    trap_hook[h] = skip_insn;
    mode_ok[h] = 0;
    unsigned long v = 0;
    __asm__ volatile(".option push; .option norvc; csrr %0, mstatus; .option pop" : "=r"(v)::"memory");
    (void)v;
    if (mode_ok[h] == 0)
        mode_ok[h] = 1; /* no trap: mstatus readable */
    trap_hook[h] = 0;
}

static void helper(unsigned long hartid, unsigned long opaque)
{
    (void)opaque;
    unsigned long h = hartid & (MAX_HARTS - 1);
    probe_mode(h);
    while (!go_stop[h])
        cpu_relax();
    go_stop[h] = 0;
}

/* Checks what helper hart h found at its entry: a0 = h, a1 = opaque,
 * satp = 0, sstatus.SIE = 0, S-mode. */
static void check_entry(int n, unsigned long h, unsigned long opaque, unsigned long count)
{
    struct entry_state *e = &entry_state[h & (MAX_HARTS - 1)];
    if (!wait_flag(&e->count, count, 2000))
        fail(n, "hart %lu did not reach its start address (entries %lu, expected %lu)", h, e->count,
             count);
    if (!wait_flag(&mode_ok[h & (MAX_HARTS - 1)], 2, 2000))
        fail(n, "hart %lu: csrr mstatus did not trap as an illegal instruction (%lu)", h,
             mode_ok[h & (MAX_HARTS - 1)]);
    CHECK_EQ(n, e->a0, h, "a0 (hartid) at the start address");
    CHECK_EQ(n, e->a1, opaque, "a1 (opaque) at the start address");
    CHECK_EQ(n, e->satp, 0, "satp at the start address");
    CHECK_EQ(n, e->sstatus & SSTATUS_SIE, 0, "sstatus.SIE at the start address");
}

static void stop_helper(int n, unsigned long h)
{
    go_stop[h & (MAX_HARTS - 1)] = 1;
    CHECK_EQ(n, wait_status(h, HSM_STOPPED, 2000), HSM_STOPPED, "status of a hart after hart_stop");
}

/* Non-retentive suspend resumes here (on the boot hart, fresh stack). */
static void after_resume(unsigned long hartid, unsigned long opaque);

static void arm_wakeup(unsigned long ticks)
{
    csr_clear(sstatus, SSTATUS_SIE);
    csr_set(sie, SIE_STIE);
    sbi_set_timer(rdtime() + ticks);
}

void test_main(unsigned long hartid, unsigned long dtb)
{
    (void)dtb;
    struct sbiret r;
    CHECK(1, nharts >= 2, "hsm needs at least 2 harts (run with --smp 4), found %d", nharts);

    /* 1-3: status of every hart at boot, and of invalid ids */
    r = sbi_hart_status(hartid);
    CHECK_ERR(1, r, SBI_SUCCESS, "hart_get_status(self)");
    CHECK_EQ(1, r.value, HSM_STARTED, "hart_get_status(self)");
    for (unsigned long h = 0; h < (unsigned long)nharts; h++) {
        if (h == hartid)
            continue;
        r = sbi_hart_status(h);
        CHECK_ERR(2, r, SBI_SUCCESS, "hart_get_status(other)");
        CHECK_EQ(2, r.value, HSM_STOPPED, "hart_get_status of a hart not yet started");
    }
    r = sbi_hart_status(nharts);
    CHECK_ERR(3, r, SBI_ERR_INVALID_PARAM, "hart_get_status(hart count)");
    r = sbi_hart_status(-1UL);
    CHECK_ERR(3, r, SBI_ERR_INVALID_PARAM, "hart_get_status(-1)");

    /* 4-6: hart_start errors */
    unsigned long a = other_hart(0);
    r = sbi_hart_start(nharts, HART_ENTRY, 0);
    CHECK_ERR(4, r, SBI_ERR_INVALID_PARAM, "hart_start(hart count, ...)");
    r = sbi_hart_start(0x10000, HART_ENTRY, 0);
    CHECK_ERR(4, r, SBI_ERR_INVALID_PARAM, "hart_start(0x10000, ...)");
    if (old_sbi) {
        /* OpenSBI lets S-mode run anywhere but its own firmware region */
        r = sbi_hart_start(a, 0x80000000UL, 0);
        CHECK_ERR(5, r, SBI_ERR_INVALID_ADDRESS, "hart_start(other, 0x80000000 = OpenSBI)");
    } else {
        r = sbi_hart_start(a, 0x1000, 0);
        CHECK_ERR(5, r, SBI_ERR_INVALID_ADDRESS, "hart_start(other, 0x1000)");
        r = sbi_hart_start(a, 0x70000000UL, 0);
        CHECK_ERR(5, r, SBI_ERR_INVALID_ADDRESS, "hart_start(other, 0x70000000)");
        r = sbi_hart_start(a, 0x80000000UL + (128UL << 20), 0);
        CHECK_ERR(5, r, SBI_ERR_INVALID_ADDRESS, "hart_start(other, end of RAM)");
    }
    CHECK_EQ(5, sbi_hart_status(a).value, HSM_STOPPED, "status after a failed hart_start");
    r = sbi_hart_start(hartid, HART_ENTRY, 0);
    CHECK_ERR(6, r, SBI_ERR_ALREADY_AVAILABLE, "hart_start(self)");

    /* 7: start every other hart, each with its own opaque value */
    for (int k = 0; k < nharts - 1; k++) {
        unsigned long h = other_hart(k);
        r = start_hart(h, helper, OPAQUE(h, 1));
        CHECK_ERR(7, r, SBI_SUCCESS, "hart_start(other)");
    }
    for (int k = 0; k < nharts - 1; k++) {
        unsigned long h = other_hart(k);
        check_entry(7, h, OPAQUE(h, 1), 1);
        r = sbi_hart_status(h);
        CHECK_ERR(7, r, SBI_SUCCESS, "hart_get_status(started)");
        CHECK_EQ(7, r.value, HSM_STARTED, "hart_get_status of a started hart");
    }

    /* 8: starting a started hart */
    r = sbi_hart_start(a, HART_ENTRY, 0);
    CHECK_ERR(8, r, SBI_ERR_ALREADY_AVAILABLE, "hart_start(already started hart)");

    /* 9: stop and restart each one */
    for (int k = 0; k < nharts - 1; k++) {
        unsigned long h = other_hart(k);
        stop_helper(9, h);
        r = start_hart(h, helper, OPAQUE(h, 2));
        CHECK_ERR(9, r, SBI_SUCCESS, "hart_start(stopped again)");
        check_entry(9, h, OPAQUE(h, 2), 2);
        /* 10: an opaque of all ones, then zero */
        stop_helper(10, h);
        r = start_hart(h, helper, -1UL);
        CHECK_ERR(10, r, SBI_SUCCESS, "hart_start(opaque -1)");
        check_entry(10, h, -1UL, 3);
        stop_helper(10, h);
        r = start_hart(h, helper, 0);
        CHECK_ERR(10, r, SBI_SUCCESS, "hart_start(opaque 0)");
        check_entry(10, h, 0, 4);
    }
    for (int k = 0; k < nharts - 1; k++)
        stop_helper(11, other_hart(k));

    /* 12: hart_suspend with reserved types */
    static const unsigned long reserved[] = {1, 0x0fffffff, 0x80000001, 0x8fffffff};
    for (unsigned i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
        r = sbi_hart_suspend(reserved[i], HART_ENTRY, 0);
        if (r.error != SBI_ERR_INVALID_PARAM)
            fail(12, "hart_suspend(0x%lx): error %ld, expected %d", reserved[i], r.error,
                 SBI_ERR_INVALID_PARAM);
    }
    if (!skip_old(12, "hart_suspend(0x1_0000_0001): only the low 32 bits count"))
        CHECK_ERR(12, sbi_hart_suspend(0x100000001UL, HART_ENTRY, 0), SBI_ERR_INVALID_PARAM,
                  "hart_suspend(0x1_0000_0001) (low 32 bits reserved)");

    /* 13: non-retentive with resume_addr outside RAM */
    unsigned long bad = old_sbi ? 0x80000000UL : 0x1000UL;
    r = sbi_hart_suspend(SUSPEND_NON_RETENTIVE, bad, 0);
    CHECK_ERR(13, r, SBI_ERR_INVALID_ADDRESS, "hart_suspend(non-retentive, resume_addr outside RAM)");

    /* 14: default retentive suspend returns SUCCESS after a timer interrupt
     * (STIE set, SIE clear: the interrupt wakes the hart without a trap) */
    unsigned long t0 = rdtime();
    arm_wakeup(MS(5));
    r = sbi_hart_suspend(SUSPEND_RETENTIVE, 0, 0);
    CHECK_ERR(14, r, SBI_SUCCESS, "hart_suspend(retentive)");
    CHECK(14, csr_read(sip) & SIP_STIP, "retentive suspend returned without the timer pending");
    CHECK(14, rdtime() - t0 >= MS(4), "retentive suspend returned after only %lu ticks", rdtime() - t0);
    sbi_set_timer(-1UL);

    /* 15: type 0xffffffff_00000000 is retentive (low 32 bits only) */
    if (!skip_old(15, "hart_suspend(0xffffffff_00000000): only the low 32 bits count")) {
        arm_wakeup(MS(2));
        r = sbi_hart_suspend(0xffffffff00000000UL, 0, 0);
        CHECK_ERR(15, r, SBI_SUCCESS, "hart_suspend(0xffffffff_00000000) (retentive)");
        CHECK(15, csr_read(sip) & SIP_STIP, "suspend returned without the timer pending");
        sbi_set_timer(-1UL);
    }

    /* 16: while suspended the hart's status is SUSPENDED (seen by another) */
    unsigned long w = other_hart(0);
    susp_hart = hartid;
    r = start_hart(w, watcher, OPAQUE(w, 3));
    CHECK_ERR(16, r, SBI_SUCCESS, "hart_start(watcher)");
    check_entry(16, w, OPAQUE(w, 3), 5);
    arm_wakeup(MS(20));
    r = sbi_hart_suspend(SUSPEND_RETENTIVE, 0, 0);
    CHECK_ERR(16, r, SBI_SUCCESS, "hart_suspend(retentive) with a watcher");
    sbi_set_timer(-1UL);
    stop_helper(16, w);
    CHECK(16, saw_status[HSM_SUSPENDED] > 0,
          "another hart never saw SUSPENDED during a 20 ms suspend (STARTED %lu, SUSPEND_PENDING %lu, "
          "RESUME_PENDING %lu, error %lu)",
          saw_status[HSM_STARTED], saw_status[HSM_SUSPEND_PENDING], saw_status[HSM_RESUME_PENDING],
          saw_status[7]);
    CHECK_EQ(16, saw_status[HSM_STOPPED] + saw_status[HSM_START_PENDING] + saw_status[HSM_STOP_PENDING],
             0, "times the watcher saw STOPPED/START_PENDING/STOP_PENDING for a suspended hart");

    /* 17: default non-retentive suspend: resumes at resume_addr with
     * a0 = hartid, a1 = opaque, satp = 0, SIE = 0; satp was set and SIE
     * can not be (the wake-up interrupt must not be taken), so satp is the
     * register that shows the reset */
    csr_write(satp, satp_identity(0));
    __asm__ volatile("sfence.vma" ::: "memory");
    entry_fn[hartid & (MAX_HARTS - 1)] = after_resume;
    fence();
    arm_wakeup(MS(5));
    r = sbi_hart_suspend(SUSPEND_NON_RETENTIVE, HART_ENTRY, OPAQUE(hartid, 0x77));
    csr_write(satp, 0);
    fail(17, "hart_suspend(non-retentive) returned: error %ld value %ld", r.error, r.value);
}

static void after_resume(unsigned long hartid, unsigned long opaque)
{
    struct entry_state *e = &entry_state[hartid & (MAX_HARTS - 1)];
    sbi_set_timer(-1UL);
    CHECK_EQ(17, hartid, boot_hartid, "a0 (hartid) at resume_addr");
    CHECK_EQ(17, opaque, OPAQUE(boot_hartid, 0x77), "a1 (opaque) at resume_addr");
    CHECK_EQ(17, e->satp, 0, "satp at resume_addr");
    CHECK_EQ(17, e->sstatus & SSTATUS_SIE, 0, "sstatus.SIE at resume_addr");
    CHECK_EQ(17, sbi_hart_status(hartid).value, HSM_STARTED, "own status after resuming");
    printf("hsm: resumed from non-retentive suspend at resume_addr\n");

    /* 18: the other harts are still STOPPED */
    for (int k = 0; k < nharts - 1; k++)
        CHECK_EQ(18, sbi_hart_status(other_hart(k)).value, HSM_STOPPED, "status of another hart");
    pass();
}
