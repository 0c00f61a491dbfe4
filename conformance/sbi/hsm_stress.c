/* hsm_stress: the harts other than the boot hart form a ring and start
 * and stop each other TOTAL times in all (--smp 4: 3 harts, 2 tokens
 * going round). A started hart logs the a0/a1 it received, then starts
 * its successor once hart_get_status shows it STOPPED (with a fresh
 * sequence number as opaque), checks the successor's log entry, and stops
 * itself. The boot hart checks every log entry against the hart each
 * sequence number was sent to: no lost start, no torn reset context, no
 * deadlock. */
#include "sbi_test.h"

#define TOTAL 10000
#define WAIT_MS 5000

struct logent {
    volatile unsigned long a0, a1, satp, sstatus, done;
};
static struct logent log[TOTAL + 1];
static volatile unsigned long target[TOTAL + 1];
static volatile unsigned long next_seq;
static unsigned long ring[MAX_HARTS];
static int ring_len;
static volatile unsigned long status_waits;
static volatile unsigned long go; /* set once every first token is out */

/* Sleeps ~50 us in wfi (woken by a timer: STIE set, SIE clear), so that
 * waiting harts leave the host CPUs to the harts they wait for. */
static void nap(void)
{
    csr_set(sie, SIE_STIE);
    sbi_set_timer(rdtime() + 500);
    wfi();
}

/* Waits for *flag to become nonzero, napping; nonzero on success. */
static int wait_done(volatile unsigned long *flag, unsigned long ms)
{
    unsigned long end = rdtime() + MS(ms);
    while (!*flag) {
        if (rdtime() > end)
            return 0;
        nap();
    }
    fence();
    return 1;
}

static void stress_entry(unsigned long a0, unsigned long a1)
{
    unsigned long satp = csr_read(satp), sst = csr_read(sstatus);
    if (a1 == 0 || a1 > TOTAL)
        fail(1, "hart %lu started with opaque 0x%lx, not a sequence number", a0, a1);
    struct logent *e = &log[a1];
    e->a0 = a0;
    e->a1 = a1;
    e->satp = satp;
    e->sstatus = sst;
    fence();
    if (__atomic_fetch_add(&e->done, 1, __ATOMIC_RELEASE) != 0)
        fail(2, "sequence number %lu received twice (hart %lu)", a1, a0);

    while (!go)
        nap();
    int i = 0;
    while (i < ring_len && ring[i] != a0)
        i++;
    if (i == ring_len)
        fail(3, "hart %lu (opaque %lu) is not in the ring", a0, a1);
    unsigned long t = ring[(i + 1) % ring_len];

    unsigned long s = __atomic_fetch_add(&next_seq, 1, __ATOMIC_ACQ_REL);
    if (s > TOTAL)
        return; /* all starts handed out: this token ends here */

    /* wait for the successor to be STOPPED */
    unsigned long end = rdtime() + MS(WAIT_MS);
    for (unsigned long polls = 0;; polls++) {
        struct sbiret r = sbi_hart_status(t);
        if (r.error)
            fail(4, "hart_get_status(%lu): error %ld", t, r.error);
        if (r.value == HSM_STOPPED) {
            if (polls)
                __atomic_fetch_add(&status_waits, 1, __ATOMIC_RELAXED);
            break;
        }
        if (r.value > HSM_RESUME_PENDING)
            fail(4, "hart_get_status(%lu) = %ld", t, r.value);
        if (rdtime() > end)
            fail(5, "hart %lu waited %d ms for hart %lu to stop (status %ld, seq %lu): deadlock",
                 a0, WAIT_MS, t, r.value, s);
        nap();
    }
    target[s] = t;
    fence();
    struct sbiret r = sbi_hart_start(t, HART_ENTRY, s);
    if (r.error)
        fail(6, "hart %lu: hart_start(%lu, seq %lu) of a STOPPED hart: error %ld", a0, t, s, r.error);
    if (!wait_done(&log[s].done, WAIT_MS))
        fail(7, "hart %lu started hart %lu with seq %lu, which never arrived (lost start)", a0, t, s);
    if (log[s].a0 != t || log[s].a1 != s)
        fail(8, "hart %lu started hart %lu with seq %lu; it got a0 = %lu, a1 = %lu", a0, t, s,
             log[s].a0, log[s].a1);
    /* returning makes hart_entry_c call hart_stop */
}

void test_main(unsigned long hartid, unsigned long dtb)
{
    (void)hartid;
    (void)dtb;
    CHECK(10, nharts >= 3, "hsm_stress needs 3 or more harts (--smp 4), found %d", nharts);
    ring_len = nharts - 1;
    for (int k = 0; k < ring_len; k++) {
        ring[k] = other_hart(k);
        entry_fn[ring[k] & (MAX_HARTS - 1)] = stress_entry;
    }
    int tokens = ring_len - 1;
    next_seq = tokens + 1;
    fence();
    unsigned long t0 = rdtime();
    for (int k = 0; k < tokens; k++) {
        target[k + 1] = ring[k];
        fence();
        struct sbiret r = sbi_hart_start(ring[k], HART_ENTRY, k + 1);
        CHECK_ERR(11, r, SBI_SUCCESS, "hart_start(first token)");
    }
    fence();
    go = 1;

    /* the boot hart checks every start, in sequence order */
    for (unsigned long s = 1; s <= TOTAL; s++) {
        if (!wait_done(&log[s].done, 2 * WAIT_MS))
            fail(12, "seq %lu (to hart %lu) never arrived: lost start or deadlock", s, target[s]);
        struct logent *e = &log[s];
        if (e->a0 != target[s] || e->a1 != s)
            fail(13, "seq %lu: sent to hart %lu, received a0 = %lu a1 = %lu", s, target[s], e->a0, e->a1);
        if (e->satp != 0 || (e->sstatus & SSTATUS_SIE))
            fail(14, "seq %lu: hart %lu started with satp 0x%lx sstatus 0x%lx", s, e->a0, e->satp,
                 e->sstatus);
        if ((s % 2500) == 0)
            printf("hsm_stress: %lu starts checked (%lu ms)\n", s, (rdtime() - t0) / MS(1));
    }
    for (int k = 0; k < ring_len; k++)
        CHECK_EQ(15, wait_status(ring[k], HSM_STOPPED, WAIT_MS), HSM_STOPPED, "ring hart's final status");
    for (unsigned long s = 1; s <= TOTAL; s++)
        CHECK_EQ(16, log[s].done, 1, "times a sequence number arrived");
    printf("hsm_stress: %d starts on %d harts in %lu ms (%lu starts had to wait for STOPPED)\n", TOTAL,
           ring_len, (rdtime() - t0) / MS(1), status_waits);
}
