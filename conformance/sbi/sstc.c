/* sstc: the Sstc extension as a KVM guest sees it: stimecmp (CSR 0x14d)
 * is writable from S-mode, STIP follows it, the interrupt arrives through
 * stvec, and the SBI set_timer call programs the same register. */
#include "sbi_test.h"

#define read_stimecmp() csr_read(0x14d)
#define write_stimecmp(v) csr_write(0x14d, v)

/* Waits in wfi, interrupts on, up to `ms` for one timer interrupt. */
static unsigned long take_timer(unsigned long h, unsigned long ms)
{
    unsigned long before = irq_count[h][IRQ_S_TIMER];
    csr_set(sie, SIE_STIE);
    csr_set(sstatus, SSTATUS_SIE);
    unsigned long end = rdtime() + MS(ms);
    while (irq_count[h][IRQ_S_TIMER] == before && rdtime() < end)
        wfi();
    csr_clear(sstatus, SSTATUS_SIE);
    return irq_count[h][IRQ_S_TIMER] - before;
}

void test_main(unsigned long hartid, unsigned long dtb)
{
    (void)dtb;
    unsigned long h = hartid & (MAX_HARTS - 1);
    csr_clear(sstatus, SSTATUS_SIE);
    csr_clear(sie, SIE_STIE);

    /* 1: stimecmp reads back what S-mode wrote */
    write_stimecmp(0x123456789abcdefUL);
    CHECK_EQ(1, read_stimecmp(), 0x123456789abcdefUL, "stimecmp after a write");
    write_stimecmp(-1UL);
    CHECK(1, !(csr_read(sip) & SIP_STIP), "STIP pending with stimecmp = -1");

    /* 2: a deadline 2 ms ahead raises STIP once time passes it, not before */
    unsigned long deadline = rdtime() + MS(2);
    write_stimecmp(deadline);
    unsigned long now = rdtime();
    if (now < deadline)
        CHECK(2, !(csr_read(sip) & SIP_STIP), "STIP pending %lu ticks early", deadline - now);
    CHECK(2, wait_sip(SIP_STIP, 1000), "STIP not raised within 1 s of a 2 ms deadline");
    CHECK(2, rdtime() >= deadline, "STIP raised before the deadline");

    /* 3: a later deadline clears STIP at once */
    write_stimecmp(rdtime() + MS(60000));
    CHECK(3, !(csr_read(sip) & SIP_STIP), "STIP still pending after moving stimecmp 60 s ahead");

    /* 4: the interrupt is taken through stvec, not before its deadline */
    deadline = rdtime() + MS(3);
    write_stimecmp(deadline);
    CHECK_EQ(4, take_timer(h, 1000), 1, "timer interrupts taken for a 3 ms stimecmp");
    CHECK(4, last_irq_time[h] >= deadline, "interrupt taken %lu ticks early", deadline - last_irq_time[h]);

    /* 5: the SBI timer writes the same register */
    deadline = rdtime() + MS(60000);
    struct sbiret r = sbi_set_timer(deadline);
    CHECK_ERR(5, r, SBI_SUCCESS, "set_timer(now + 60 s)");
    CHECK_EQ(5, read_stimecmp(), deadline, "stimecmp after set_timer");
    write_stimecmp(0);
    CHECK(5, wait_sip(SIP_STIP, 10), "STIP not pending 10 ms after stimecmp = 0");
    sbi_set_timer(-1UL);
    CHECK(5, !(csr_read(sip) & SIP_STIP), "STIP still pending after set_timer(-1)");

    /* 6: ten short timers in a row through the CSR */
    for (int i = 0; i < 10; i++) {
        write_stimecmp(rdtime() + MS(1) / 4);
        CHECK_EQ(6, take_timer(h, 1000), 1, "timer interrupts in the series");
    }
    write_stimecmp(-1UL);
}
