/* code_dma: code the hypervisor writes into RAM, not a hart (here the
 * debug console's read, as a device's DMA would). After fence.i the hart
 * must run the new code, also where the old code ran often enough to be
 * translated. tests/sbi_guests.rs feeds the new code on the console:
 * the 8 bytes of `addi a0, zero, 2; ret` (13 05 20 00 67 80 00 00). */
#include "sbi_test.h"

static unsigned int code[1024] __attribute__((aligned(4096)));

typedef long (*code_fn)(void);

#define LI_A0(n) (0x00000513u | ((unsigned)(n) << 20))
#define RET 0x00008067u

static long run_code(void)
{
    return ((code_fn)(unsigned long)code)();
}

void test_main(unsigned long hartid, unsigned long dtb)
{
    (void)hartid;
    (void)dtb;
    code[0] = LI_A0(1);
    code[1] = RET;
    __asm__ volatile("fence.i" ::: "memory");
    /* Long enough for the background compiler to translate it. */
    long calls = 0, sum = 0;
    for (unsigned long t0 = rdtime(); calls < 5000 || rdtime() - t0 < MS(200); calls++)
        sum += run_code();
    CHECK_EQ(1, sum, calls, "sum of calls returning 1");

    printf("code_dma: reading 8 bytes of code from the console\n");
    unsigned long got = 0, start = rdtime();
    while (got < 8 && rdtime() - start < MS(20000)) {
        struct sbiret r = SBI3(EID_DBCN, 1, 8 - got, (unsigned long)code + got, 0);
        CHECK_ERR(2, r, SBI_SUCCESS, "console_read");
        got += r.value;
    }
    CHECK_EQ(2, got, 8, "bytes of code read");
    __asm__ volatile("fence.i" ::: "memory");
    CHECK_EQ(3, run_code(), 2, "value returned by the code read from the console");
    /* Also once it is hot again. */
    calls = sum = 0;
    for (unsigned long t0 = rdtime(); calls < 5000 || rdtime() - t0 < MS(200); calls++)
        sum += run_code();
    CHECK_EQ(4, sum, 2 * calls, "sum of calls returning 2");
}
