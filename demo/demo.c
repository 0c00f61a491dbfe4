/* hartvm demo guest: a small S-mode kernel that narrates what it does.
 *
 * It runs on the SBI that hartvm implements in the hypervisor: it counts
 * the harts (HSM hart_get_status), starts all of them (HSM hart_start),
 * lets every hart sum the squares of its slice of 1..N and add its part to
 * a shared total with amoadd.d, checks the total against N(N+1)(2N+1)/6,
 * waits until the helpers have stopped themselves (HSM hart_stop),
 * suspends the whole system (SUSP system_suspend; hartvm wakes it after
 * --wake-after), and shuts down (SRST).
 *
 *     hartvm run --smp 4 --wake-after 100ms --kernel demo/demo.elf
 */
#include <stdint.h>

#define MAX_HARTS 64
#define STACK_SIZE 8192
#define N 2000000UL

#define EID_BASE 0x10UL
#define EID_TIME 0x54494D45UL
#define EID_HSM 0x48534DUL
#define EID_SRST 0x53525354UL
#define EID_SUSP 0x53555350UL
#define EID_DBCN 0x4442434EUL
#define SBI_ERR_INVALID_PARAM (-3)
#define HSM_STOPPED 1

struct sbiret {
    long error;
    long value;
};

static struct sbiret ecall(unsigned long eid, unsigned long fid, unsigned long x0, unsigned long x1,
                           unsigned long x2)
{
    register unsigned long a0 __asm__("a0") = x0;
    register unsigned long a1 __asm__("a1") = x1;
    register unsigned long a2 __asm__("a2") = x2;
    register unsigned long a6 __asm__("a6") = fid;
    register unsigned long a7 __asm__("a7") = eid;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a6), "r"(a7) : "memory");
    return (struct sbiret){(long)a0, (long)a1};
}

/* Entry points: _start for the boot hart, helper_entry for started harts,
 * resume_entry after the system suspend. All set up a per-hart stack. */
__asm__(".section .text.start, \"ax\"\n"
        ".globl _start\n"
        "_start:\n"
        "  la t0, boot_main\n"
        "  j enter\n"
        ".globl helper_entry\n"
        "helper_entry:\n"
        "  la t0, helper_main\n"
        "  j enter\n"
        ".globl resume_entry\n"
        "resume_entry:\n"
        "  la t0, resume_main\n"
        "enter:\n"
        "  .option push\n"
        "  .option norelax\n"
        "  la gp, __global_pointer$\n"
        "  .option pop\n"
        "  andi t1, a0, 63\n"
        "  addi t1, t1, 1\n"
        "  slli t1, t1, 13\n"
        "  la sp, stacks\n"
        "  add sp, sp, t1\n"
        "  jalr t0\n"
        "1: wfi\n"
        "  j 1b\n"
        ".text\n");

extern char helper_entry[], resume_entry[];
char stacks[(MAX_HARTS + 1) * STACK_SIZE] __attribute__((aligned(16)));

static int use_dbcn;
static volatile int console_lock;
static unsigned long boot_hart, nharts;
static volatile unsigned long total, helpers_done;
static unsigned long suspend_time;

static void lock(void)
{
    while (__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE))
        ;
}
static void unlock(void) { __atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE); }

static void write(const char *s, unsigned long n)
{
    while (use_dbcn && n) {
        struct sbiret r = ecall(EID_DBCN, 0, n, (unsigned long)s, 0);
        if (r.error)
            break;
        s += r.value;
        n -= r.value;
    }
    for (unsigned long i = 0; i < n; i++)
        ecall(0x01, 0, (unsigned char)s[i], 0, 0); /* legacy console_putchar */
}

/* say("text %u more", value, ...): %u prints an unsigned long in decimal. */
static void say(const char *fmt, ...)
{
    char buf[160];
    unsigned long len = 0;
    __builtin_va_list ap;
    __builtin_va_start(ap, fmt);
    for (; *fmt && len < sizeof buf - 24; fmt++) {
        if (fmt[0] == '%' && fmt[1] == 'u') {
            unsigned long v = __builtin_va_arg(ap, unsigned long);
            char digits[24];
            int n = 0;
            do {
                digits[n++] = '0' + v % 10;
                v /= 10;
            } while (v);
            while (n)
                buf[len++] = digits[--n];
            fmt++;
        } else {
            buf[len++] = *fmt;
        }
    }
    __builtin_va_end(ap);
    buf[len++] = '\n';
    lock();
    write(buf, len);
    unlock();
}

static unsigned long rdtime(void)
{
    unsigned long t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    return t;
}

static void __attribute__((noreturn)) shutdown(unsigned long reason)
{
    ecall(EID_SRST, 0, 0, reason, 0);
    for (;;)
        __asm__ volatile("wfi");
}

static void __attribute__((noreturn)) die(const char *what, unsigned long v)
{
    say("hartvm demo: FAILED: %s (%u)", what, v);
    shutdown(1);
}

void helper_main(unsigned long hartid, unsigned long slot)
{
    unsigned long per = N / nharts;
    unsigned long lo = 1 + slot * per, hi = slot == nharts - 1 ? N + 1 : lo + per;
    unsigned long sum = 0;
    for (unsigned long i = lo; i < hi; i++)
        sum += i * i;
    __asm__ volatile("amoadd.d zero, %1, (%0)" ::"r"(&total), "r"(sum) : "memory");
    say("  hart %u: summed i*i for i in [%u, %u), stopping", hartid, lo, hi);
    __atomic_fetch_add(&helpers_done, 1, __ATOMIC_RELEASE);
    ecall(EID_HSM, 1, 0, 0, 0); /* hart_stop: does not return */
    die("hart_stop returned on hart", hartid);
}

void resume_main(unsigned long hartid, unsigned long opaque)
{
    unsigned long ms = (rdtime() - suspend_time) / 10000;
    if (hartid != boot_hart || opaque != 0xdeadbeef)
        die("resumed with the wrong a0/a1, hart", hartid);
    say("hartvm demo: woke up on hart %u after %u ms asleep", hartid, ms);
    say("hartvm demo: shutting down (SRST system_reset)");
    shutdown(0);
}

void boot_main(unsigned long hartid, unsigned long dtb)
{
    (void)dtb;
    boot_hart = hartid;
    use_dbcn = ecall(EID_BASE, 3, EID_DBCN, 0, 0).value != 0;
    unsigned long t0 = rdtime();
    struct sbiret v = ecall(EID_BASE, 0, 0, 0, 0);
    say("hartvm demo: a small S-mode guest, running on SBI %u.%u", (v.value >> 24) & 0x7f,
        v.value & 0xffffff);
    say("hartvm demo: booted on hart %u", hartid);
    say(use_dbcn ? "hartvm demo: console: SBI DBCN console_write" : "hartvm demo: console: legacy console_putchar");
    while (nharts < MAX_HARTS && ecall(EID_HSM, 2, nharts, 0, 0).error != SBI_ERR_INVALID_PARAM)
        nharts++;
    say("hartvm demo: found %u harts (HSM hart_get_status)", nharts);

    /* slot 0 is the boot hart; the others get slots 1.. in hartid order */
    unsigned long slot = 1;
    for (unsigned long h = 0; h < nharts; h++) {
        if (h == hartid)
            continue;
        say("hartvm demo: starting hart %u (HSM hart_start)", h);
        struct sbiret r = ecall(EID_HSM, 0, h, (unsigned long)helper_entry, slot++);
        if (r.error)
            die("hart_start failed for hart", h);
    }
    say("hartvm demo: summing i*i for i = 1..%u on %u harts", N, nharts);
    unsigned long per = N / nharts, sum = 0;
    for (unsigned long i = 1; i < 1 + per; i++)
        sum += i * i;
    __asm__ volatile("amoadd.d zero, %1, (%0)" ::"r"(&total), "r"(sum) : "memory");
    say("  hart %u: summed i*i for i in [1, %u)", hartid, 1 + per);

    for (unsigned long h = 0; h < nharts; h++) {
        if (h == hartid)
            continue;
        while (ecall(EID_HSM, 2, h, 0, 0).value != HSM_STOPPED)
            ;
    }
    say("hartvm demo: all helpers stopped (%u reported)", helpers_done);
    unsigned long expect = N * (N + 1) / 2 * (2 * N + 1) / 3;
    if (total != expect)
        die("the sum differs from N(N+1)(2N+1)/6", total);
    say("hartvm demo: sum = %u: sum matches N(N+1)(2N+1)/6 (%u ms so far)", total, (rdtime() - t0) / 10000);

    if (ecall(EID_BASE, 3, EID_SUSP, 0, 0).value == 0) {
        say("hartvm demo: SUSP not available, not suspending");
        say("hartvm demo: shutting down (SRST system_reset)");
        shutdown(0);
    }
    say("hartvm demo: suspending the system (SUSP system_suspend to RAM)");
    suspend_time = rdtime();
    struct sbiret r = ecall(EID_SUSP, 0, 0, (unsigned long)resume_entry, 0xdeadbeef);
    die("system_suspend returned an error", -r.error);
}
