/* reboot: SRST warm reboot (type 2), then cold reboot (type 1). A marker
 * in RAM outside the image (which a reboot does not clear) tells the
 * boots apart. Each reboot happens with a second hart running (--smp 2);
 * after it only the boot hart runs, the others are STOPPED, the image is
 * loaded afresh and the boot hart is the one that booted first. */
#include "sbi_test.h"

#define MARKER ((volatile unsigned long *)0x84000000UL)
#define MAGIC 0x7265626f6f74a5a5UL /* "reboot" */

static volatile unsigned long data_word = 0x1234abcdUL;
static volatile unsigned long helper_running;

static void spinner(unsigned long hartid, unsigned long opaque)
{
    (void)hartid;
    (void)opaque;
    helper_running = 1;
    for (;;)
        cpu_relax();
}

static void check_fresh_boot(int n, unsigned long hartid)
{
    CHECK_EQ(n, data_word, 0x1234abcdUL, ".data word (the image must be loaded again)");
    CHECK_EQ(n, helper_running, 0, ".bss word");
    struct sbiret r = sbi_hart_status(hartid);
    CHECK_EQ(n, r.value, HSM_STARTED, "own status after the reboot");
    for (unsigned long h = 0; h < (unsigned long)nharts; h++) {
        if (h == hartid)
            continue;
        r = sbi_hart_status(h);
        CHECK_ERR(n, r, SBI_SUCCESS, "hart_get_status");
        if (r.value != HSM_STOPPED)
            fail(n, "hart %lu has status %ld after the reboot, expected STOPPED", h, r.value);
    }
    if (MARKER[2] != hartid && !skip_old(n, "same boot hart after a reboot (OpenSBI picks one at random)"))
        fail(n, "booted on hart %lu after the reboot, first boot was on hart %lu", hartid, MARKER[2]);
}

static void reboot_with_helper(int n, unsigned long type)
{
    data_word = 0x5555UL;
    if (nharts > 1) {
        unsigned long h = other_hart(0);
        struct sbiret r = start_hart(h, spinner, 0);
        CHECK_ERR(n, r, SBI_SUCCESS, "hart_start(spinner)");
        CHECK(n, wait_flag(&helper_running, 1, 2000), "hart %lu did not start", h);
    }
    printf("reboot: %s reboot with %d hart(s) running\n", type == 2 ? "warm" : "cold",
           nharts > 1 ? 2 : 1);
    fence();
    struct sbiret r = sbi_system_reset(type, 0);
    fail(n, "system_reset(%lu, 0) returned: error %ld", type, r.error);
}

void test_main(unsigned long hartid, unsigned long dtb)
{
    (void)dtb;
    if (MARKER[0] != MAGIC) {
        /* first boot */
        if (nharts < 2)
            printf("reboot: one hart: run with --smp 2 to check the others are STOPPED\n");
        MARKER[0] = MAGIC;
        MARKER[1] = 1;
        MARKER[2] = hartid;
        reboot_with_helper(1, 2);
    }
    if (MARKER[1] == 1) {
        printf("reboot: second boot (after the warm reboot) on hart %lu\n", hartid);
        check_fresh_boot(2, hartid);
        MARKER[1] = 2;
        reboot_with_helper(3, 1);
    }
    CHECK_EQ(4, MARKER[1], 2, "boot stage marker");
    printf("reboot: third boot (after the cold reboot) on hart %lu\n", hartid);
    check_fresh_boot(4, hartid);
    MARKER[0] = 0;
    MARKER[1] = 0;
    fence();
}
