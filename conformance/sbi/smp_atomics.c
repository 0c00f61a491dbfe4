/* smp_atomics: every hart (--smp 4) updates shared counters N times with
 * AMOs (amoadd.d/.w, amoor.d, amoand.d), LR/SC loops (.d and .w) and a
 * plain counter under an amoswap spinlock; the totals must be exact. */
#include "sbi_test.h"

#define N 100000

static volatile unsigned long c_amo64, c_lrsc64, c_plain, bits_or, bits_and;
static volatile unsigned int c_amo32, c_lrsc32;
static volatile int c_neg32;
static volatile int lock;
static volatile unsigned long go, finished, started;

static void work(unsigned long hartid)
{
    __atomic_fetch_add(&started, 1, __ATOMIC_ACQ_REL);
    while (!go)
        cpu_relax();
    unsigned long bit = 1UL << (hartid & 63);
    for (int i = 0; i < N; i++) {
        __asm__ volatile("amoadd.d zero, %1, (%0)" ::"r"(&c_amo64), "r"(1UL) : "memory");
        __asm__ volatile("amoadd.w zero, %1, (%0)" ::"r"(&c_amo32), "r"(1) : "memory");
        __asm__ volatile("amoadd.w zero, %1, (%0)" ::"r"(&c_neg32), "r"(-1) : "memory");
        unsigned long tmp, fail;
        __asm__ volatile("1: lr.d %0, (%2)\n"
                         "   addi %0, %0, 3\n"
                         "   sc.d %1, %0, (%2)\n"
                         "   bnez %1, 1b"
                         : "=&r"(tmp), "=&r"(fail)
                         : "r"(&c_lrsc64)
                         : "memory");
        __asm__ volatile("1: lr.w %0, (%2)\n"
                         "   addiw %0, %0, 5\n"
                         "   sc.w %1, %0, (%2)\n"
                         "   bnez %1, 1b"
                         : "=&r"(tmp), "=&r"(fail)
                         : "r"(&c_lrsc32)
                         : "memory");
        if ((i & 7) == 0) {
            spin_lock(&lock);
            c_plain = c_plain + 1;
            spin_unlock(&lock);
        }
    }
    __asm__ volatile("amoor.d zero, %1, (%0)" ::"r"(&bits_or), "r"(bit) : "memory");
    __asm__ volatile("amoand.d zero, %1, (%0)" ::"r"(&bits_and), "r"(~bit) : "memory");
    __atomic_fetch_add(&finished, 1, __ATOMIC_ACQ_REL);
}

static void worker(unsigned long hartid, unsigned long opaque)
{
    (void)opaque;
    work(hartid);
}

void test_main(unsigned long hartid, unsigned long dtb)
{
    (void)dtb;
    bits_and = -1UL;
    fence();
    for (int k = 0; k < nharts - 1; k++) {
        struct sbiret r = start_hart(other_hart(k), worker, 0);
        CHECK_ERR(1, r, SBI_SUCCESS, "hart_start(worker)");
    }
    unsigned long end = rdtime() + MS(2000);
    while (started != (unsigned long)nharts - 1)
        CHECK(1, rdtime() < end, "only %lu of %d workers started", started, nharts - 1);
    unsigned long t0 = rdtime();
    go = 1;
    work(hartid);
    end = rdtime() + MS(20000);
    while (finished != (unsigned long)nharts)
        CHECK(2, rdtime() < end, "only %lu of %d harts finished in 20 s", finished, nharts);
    fence();
    unsigned long h = nharts, all = 0;
    for (unsigned long i = 0; i < h; i++)
        all |= 1UL << i;
    CHECK_EQ(3, c_amo64, h * N, "amoadd.d total");
    CHECK_EQ(4, c_amo32, (unsigned int)(h * N), "amoadd.w total");
    CHECK_EQ(5, (long)c_neg32, -(long)(h * N), "amoadd.w (-1) total, sign-extended");
    CHECK_EQ(6, c_lrsc64, 3 * h * N, "lr.d/sc.d total");
    CHECK_EQ(7, c_lrsc32, (unsigned int)(5 * h * N), "lr.w/sc.w total");
    CHECK_EQ(8, c_plain, h * (N / 8), "counter under the amoswap lock");
    CHECK_EQ(9, bits_or, all, "amoor.d of every hart's bit");
    CHECK_EQ(10, bits_and, ~all, "amoand.d clearing every hart's bit");
    printf("smp_atomics: %lu harts x %d iterations in %lu ms\n", h, N, (rdtime() - t0) / MS(1));
    for (int k = 0; k < nharts - 1; k++)
        CHECK_EQ(11, wait_status(other_hart(k), HSM_STOPPED, 2000), HSM_STOPPED, "worker's final status");
}
