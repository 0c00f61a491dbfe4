/* time: the TIME extension (set_timer): STIP follows stimecmp, the
 * interrupt is taken through stvec, a far deadline clears STIP, a past
 * one fires at once. */
#include "sbi_test.h"

/* Enables SIE+STIE and waits up to `ms` for a timer interrupt; returns
 * the number taken. With `expect`, it waits in wfi (which only an
 * interrupt ends), else it polls. */
static unsigned long take_timer(unsigned long h, unsigned long ms, int expect)
{
    unsigned long before = irq_count[h][IRQ_S_TIMER];
    csr_set(sie, SIE_STIE);
    csr_set(sstatus, SSTATUS_SIE);
    unsigned long end = rdtime() + MS(ms);
    while (irq_count[h][IRQ_S_TIMER] == before && rdtime() < end) {
        if (expect)
            wfi();
        else
            cpu_relax();
    }
    csr_clear(sstatus, SSTATUS_SIE);
    return irq_count[h][IRQ_S_TIMER] - before;
}

void test_main(unsigned long hartid, unsigned long dtb)
{
    (void)dtb;
    unsigned long h = hartid & (MAX_HARTS - 1);
    struct sbiret r;
    csr_clear(sstatus, SSTATUS_SIE);
    csr_clear(sie, SIE_STIE);

    /* 1: time advances */
    unsigned long t0 = rdtime();
    delay_us(100);
    CHECK(1, rdtime() > t0, "time does not advance");

    /* 2: set_timer(-1) succeeds and leaves STIP clear */
    r = sbi_set_timer(-1UL);
    CHECK_ERR(2, r, SBI_SUCCESS, "set_timer(-1)");
    CHECK(2, !(csr_read(sip) & SIP_STIP), "STIP pending after set_timer(-1)");

    /* 3: a deadline 2 ms ahead: STIP not yet pending right after the call,
     * pending once time passes it */
    unsigned long deadline = rdtime() + MS(2);
    r = sbi_set_timer(deadline);
    CHECK_ERR(3, r, SBI_SUCCESS, "set_timer(now + 2 ms)");
    unsigned long now = rdtime();
    if (now < deadline)
        CHECK(3, !(csr_read(sip) & SIP_STIP), "STIP pending %lu ticks before the deadline",
              deadline - now);
    CHECK(3, wait_sip(SIP_STIP, 1000), "STIP not raised within 1 s of a 2 ms deadline");
    CHECK(3, rdtime() >= deadline, "STIP raised before the deadline");

    /* 4: a far deadline clears a pending STIP */
    r = sbi_set_timer(rdtime() + MS(60000));
    CHECK_ERR(4, r, SBI_SUCCESS, "set_timer(now + 60 s)");
    CHECK(4, !(csr_read(sip) & SIP_STIP), "STIP still pending after set_timer(now + 60 s)");

    /* 5: a deadline in the past fires at once */
    r = sbi_set_timer(rdtime() - MS(1));
    CHECK_ERR(5, r, SBI_SUCCESS, "set_timer(now - 1 ms)");
    CHECK(5, wait_sip(SIP_STIP, 10), "STIP not pending 10 ms after set_timer(now - 1 ms)");
    r = sbi_set_timer(0);
    CHECK_ERR(5, r, SBI_SUCCESS, "set_timer(0)");
    CHECK(5, wait_sip(SIP_STIP, 10), "STIP not pending 10 ms after set_timer(0)");
    sbi_set_timer(-1UL);
    CHECK(5, !(csr_read(sip) & SIP_STIP), "STIP still pending after set_timer(-1)");

    /* 6: the interrupt is taken through stvec with SIE+STIE, not before
     * its deadline; the handler masks STIE */
    deadline = rdtime() + MS(3);
    sbi_set_timer(deadline);
    CHECK_EQ(6, take_timer(h, 1000, 1), 1, "timer interrupts taken for a 3 ms deadline");
    CHECK(6, last_irq_time[h] >= deadline, "timer interrupt taken %lu ticks early",
          deadline - last_irq_time[h]);
    CHECK(6, !(csr_read(sie) & SIE_STIE), "handler did not run (STIE still set)");

    /* 7: a past deadline is taken as soon as interrupts are enabled */
    sbi_set_timer(0);
    CHECK_EQ(7, take_timer(h, 10, 1), 1, "timer interrupts taken for set_timer(0)");

    /* 8: re-arming replaces the deadline: far, then near */
    sbi_set_timer(rdtime() + MS(60000));
    deadline = rdtime() + MS(1);
    sbi_set_timer(deadline);
    CHECK_EQ(8, take_timer(h, 1000, 1), 1, "timer interrupts taken after re-arming to 1 ms");

    /* 9: re-arming far cancels a near one before it fires */
    sbi_set_timer(rdtime() + MS(2));
    sbi_set_timer(-1UL);
    CHECK_EQ(9, take_timer(h, 10, 0), 0, "timer interrupts taken after cancelling with set_timer(-1)");

    /* 10: masking STIE keeps the interrupt pending but not taken */
    sbi_set_timer(0);
    csr_clear(sie, SIE_STIE);
    csr_set(sstatus, SSTATUS_SIE);
    unsigned long before = irq_count[h][IRQ_S_TIMER];
    delay_us(2000);
    csr_clear(sstatus, SSTATUS_SIE);
    CHECK_EQ(10, irq_count[h][IRQ_S_TIMER], before, "timer interrupts taken with STIE clear");
    CHECK(10, csr_read(sip) & SIP_STIP, "STIP not pending with STIE clear");
    sbi_set_timer(-1UL);

    /* 11: ten short timers in a row */
    for (int i = 0; i < 10; i++) {
        sbi_set_timer(rdtime() + MS(1) / 4);
        CHECK_EQ(11, take_timer(h, 1000, 1), 1, "timer interrupts in the series");
    }
    sbi_set_timer(-1UL);
}
