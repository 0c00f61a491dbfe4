/* ipi: the IPI extension (send_ipi). Run with --smp 2 (or more) to
 * exercise IPIs to another hart; with one hart only the local cases run. */
#include "sbi_test.h"

static volatile unsigned long rx_ready, rx_ack, rx_stop;

static int wait_ssip(unsigned long ms)
{
    unsigned long end = rdtime() + MS(ms);
    while (!(csr_read(sip) & SIP_SSIP))
        if (rdtime() > end)
            return 0;
    return 1;
}

/* The receiving hart: SSIE on, sleeps in wfi with SIE clear (wfi wakes on
 * any pending interrupt enabled in sie), takes the interrupt with SIE set,
 * publishes its interrupt count. */
static void receiver(unsigned long hartid, unsigned long opaque)
{
    (void)opaque;
    unsigned long h = hartid & (MAX_HARTS - 1);
    csr_clear(sip, SIP_SSIP);
    csr_set(sie, SIE_SSIE);
    rx_ready = 1;
    for (;;) {
        csr_clear(sstatus, SSTATUS_SIE);
        rx_ack = irq_count[h][IRQ_S_SOFT];
        if (rx_stop)
            break;
        wfi();
        csr_set(sstatus, SSTATUS_SIE);
    }
    csr_clear(sie, SIE_SSIE);
}

void test_main(unsigned long hartid, unsigned long dtb)
{
    (void)dtb;
    struct sbiret r;
    unsigned long h = hartid & (MAX_HARTS - 1);
    csr_clear(sstatus, SSTATUS_SIE);
    csr_clear(sip, SIP_SSIP);

    /* 1: to self with base 0 */
    r = sbi_send_ipi(1UL << hartid, 0);
    CHECK_ERR(1, r, SBI_SUCCESS, "send_ipi(1 << self, 0)");
    CHECK(1, wait_ssip(100), "SSIP not pending after send_ipi(1 << self, 0)");
    csr_clear(sip, SIP_SSIP);
    CHECK(1, !(csr_read(sip) & SIP_SSIP), "SSIP still pending after csrc sip");

    /* 2: to self with base = self */
    r = sbi_send_ipi(1, hartid);
    CHECK_ERR(2, r, SBI_SUCCESS, "send_ipi(1, self)");
    CHECK(2, wait_ssip(100), "SSIP not pending after send_ipi(1, self)");
    csr_clear(sip, SIP_SSIP);

    /* 3: base -1: every hart, self included, whatever the mask */
    r = sbi_send_ipi(0, -1UL);
    CHECK_ERR(3, r, SBI_SUCCESS, "send_ipi(0, -1)");
    CHECK(3, wait_ssip(100), "SSIP not pending after send_ipi(0, -1)");
    csr_clear(sip, SIP_SSIP);

    /* 4: an empty mask with a valid base sends nothing */
    r = sbi_send_ipi(0, 0);
    CHECK(4, r.error == SBI_SUCCESS || r.error == SBI_ERR_INVALID_PARAM,
          "send_ipi(0, 0): error %ld", r.error);
    delay_us(1000);
    CHECK(4, !(csr_read(sip) & SIP_SSIP), "SSIP pending after send_ipi(0, 0)");

    /* 5-7: invalid harts */
    if (!skip_old(5, "send_ipi to harts that do not exist")) {
        r = sbi_send_ipi(1UL << nharts, 0);
        CHECK_ERR(5, r, SBI_ERR_INVALID_PARAM, "send_ipi(1 << hart count, 0)");
        r = sbi_send_ipi(1, nharts);
        CHECK_ERR(6, r, SBI_ERR_INVALID_PARAM, "send_ipi(1, base = hart count)");
        r = sbi_send_ipi((1UL << hartid) | (1UL << 63), 0);
        CHECK_ERR(7, r, SBI_ERR_INVALID_PARAM, "send_ipi(self | bit 63, 0)");
        r = sbi_send_ipi(1, 0x10000);
        CHECK_ERR(7, r, SBI_ERR_INVALID_PARAM, "send_ipi(1, base 0x10000)");
        csr_clear(sip, SIP_SSIP);
    }

    /* 8: the IPI is taken as an interrupt with SIE+SSIE, exactly once */
    unsigned long before = irq_count[h][IRQ_S_SOFT];
    sbi_send_ipi(1UL << hartid, 0);
    csr_set(sie, SIE_SSIE);
    csr_set(sstatus, SSTATUS_SIE);
    unsigned long end = rdtime() + MS(1000);
    while (irq_count[h][IRQ_S_SOFT] == before && rdtime() < end)
        wfi();
    delay_us(500);
    csr_clear(sstatus, SSTATUS_SIE);
    csr_clear(sie, SIE_SSIE);
    CHECK_EQ(8, irq_count[h][IRQ_S_SOFT] - before, 1, "software interrupts taken for one IPI");

    if (nharts < 2) {
        printf("ipi: one hart: cross-hart cases skipped (run with --smp 2)\n");
        return;
    }

    /* 9: another hart receives IPIs sent with each mask form */
    unsigned long rx = other_hart(0);
    r = start_hart(rx, receiver, 0);
    CHECK_ERR(9, r, SBI_SUCCESS, "hart_start(receiver)");
    CHECK(9, wait_flag(&rx_ready, 1, 1000), "receiver hart %lu did not start", rx);
    CHECK(9, wait_flag(&rx_ack, 0, 1000), "receiver took an interrupt before any IPI");
    for (unsigned long i = 1; i <= 60; i++) {
        switch (i % 3) {
        case 0:
            r = sbi_send_ipi(1UL << rx, 0);
            break;
        case 1:
            r = sbi_send_ipi(1, rx);
            break;
        default:
            r = sbi_send_ipi(0, -1UL);
            break;
        }
        CHECK_ERR(10, r, SBI_SUCCESS, "send_ipi to the receiver");
        if (!wait_flag(&rx_ack, i, 1000))
            fail(10, "IPI %lu (form %lu) not received by hart %lu (it counted %lu)", i, i % 3, rx,
                 rx_ack);
        csr_clear(sip, SIP_SSIP);
    }
    /* 11: one IPI to several harts at once (the receiver and self) */
    r = sbi_send_ipi((1UL << rx) | (1UL << hartid), 0);
    CHECK_ERR(11, r, SBI_SUCCESS, "send_ipi(receiver | self, 0)");
    CHECK(11, wait_flag(&rx_ack, 61, 1000), "IPI to receiver|self not received by the receiver");
    CHECK(11, wait_ssip(100), "IPI to receiver|self not pending on self");
    csr_clear(sip, SIP_SSIP);

    /* 12: stop the receiver */
    rx_stop = 1;
    fence();
    sbi_send_ipi(1UL << rx, 0);
    CHECK_EQ(12, wait_status(rx, HSM_STOPPED, 1000), HSM_STOPPED, "receiver status after it stops");
    csr_clear(sip, SIP_SSIP);
}
