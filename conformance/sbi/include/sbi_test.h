/* Shared definitions of hartvm's S-mode SBI guest programs.
 *
 * Every program is one C file that defines
 *     void test_main(unsigned long hartid, unsigned long dtb);
 * and is linked with include/lib.c and include/start.S (see link.ld).
 * test_main runs on the boot hart with the console ready; returning from
 * it prints "PASS <name>" and shuts the system down with SRST (reason 0).
 * A failed check prints "FAIL <name> case <n>: ..." and shuts down with
 * reason 1 (system failure). TEST_NAME is defined by the build. */
#ifndef SBI_TEST_H
#define SBI_TEST_H

#include <stdarg.h>
#include <stdint.h>

#ifndef TEST_NAME
#define TEST_NAME "sbi"
#endif

#define MAX_HARTS 8
#define STACK_SIZE 16384

/* ---- SBI numbers (SBI specification v2.0) ---- */
#define SBI_SUCCESS 0
#define SBI_ERR_FAILED (-1)
#define SBI_ERR_NOT_SUPPORTED (-2)
#define SBI_ERR_INVALID_PARAM (-3)
#define SBI_ERR_DENIED (-4)
#define SBI_ERR_INVALID_ADDRESS (-5)
#define SBI_ERR_ALREADY_AVAILABLE (-6)
#define SBI_ERR_ALREADY_STARTED (-7)
#define SBI_ERR_ALREADY_STOPPED (-8)

#define EID_LEGACY_SET_TIMER 0x00
#define EID_LEGACY_PUTCHAR 0x01
#define EID_LEGACY_GETCHAR 0x02
#define EID_LEGACY_CLEAR_IPI 0x03
#define EID_LEGACY_SEND_IPI 0x04
#define EID_LEGACY_FENCE_I 0x05
#define EID_LEGACY_SFENCE_VMA 0x06
#define EID_LEGACY_SFENCE_VMA_ASID 0x07
#define EID_LEGACY_SHUTDOWN 0x08
#define EID_BASE 0x10
#define EID_TIME 0x54494D45
#define EID_IPI 0x735049
#define EID_RFENCE 0x52464E43
#define EID_HSM 0x48534D
#define EID_SRST 0x53525354
#define EID_SUSP 0x53555350
#define EID_DBCN 0x4442434E

#define HSM_STARTED 0
#define HSM_STOPPED 1
#define HSM_START_PENDING 2
#define HSM_STOP_PENDING 3
#define HSM_SUSPENDED 4
#define HSM_SUSPEND_PENDING 5
#define HSM_RESUME_PENDING 6

#define SUSPEND_RETENTIVE 0x00000000UL
#define SUSPEND_NON_RETENTIVE 0x80000000UL

/* OpenSBI's implementation id (SBI spec, base extension). */
#define IMPL_OPENSBI 1

/* ---- CSRs ---- */
#define SSTATUS_SIE (1UL << 1)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP (1UL << 8)
#define SIP_SSIP (1UL << 1)
#define SIP_STIP (1UL << 5)
#define SIE_SSIE (1UL << 1)
#define SIE_STIE (1UL << 5)
#define SCAUSE_INT (1UL << 63)
#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5

#define csr_read(csr)                                         \
    ({                                                        \
        unsigned long __v;                                    \
        __asm__ volatile("csrr %0, " #csr : "=r"(__v)::"memory"); \
        __v;                                                  \
    })
#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" ::"rK"(val) : "memory")
#define csr_set(csr, val) __asm__ volatile("csrs " #csr ", %0" ::"rK"(val) : "memory")
#define csr_clear(csr, val) __asm__ volatile("csrc " #csr ", %0" ::"rK"(val) : "memory")

static inline unsigned long rdtime(void)
{
    unsigned long t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    return t;
}
static inline void wfi(void) { __asm__ volatile("wfi" ::: "memory"); }
static inline void fence(void) { __asm__ volatile("fence rw, rw" ::: "memory"); }
static inline void cpu_relax(void) { __asm__ volatile("nop; nop; nop; nop" ::: "memory"); }

#define TIMEBASE_HZ 10000000UL /* QEMU virt and hartvm: 10 MHz */
#define MS(n) ((unsigned long)(n) * (TIMEBASE_HZ / 1000))

/* ---- SBI calls ---- */
struct sbiret {
    long error;
    long value;
};

static inline struct sbiret sbi_call(unsigned long eid, unsigned long fid, unsigned long arg0,
                                     unsigned long arg1, unsigned long arg2, unsigned long arg3,
                                     unsigned long arg4, unsigned long arg5)
{
    register unsigned long a0 __asm__("a0") = arg0;
    register unsigned long a1 __asm__("a1") = arg1;
    register unsigned long a2 __asm__("a2") = arg2;
    register unsigned long a3 __asm__("a3") = arg3;
    register unsigned long a4 __asm__("a4") = arg4;
    register unsigned long a5 __asm__("a5") = arg5;
    register unsigned long a6 __asm__("a6") = fid;
    register unsigned long a7 __asm__("a7") = eid;
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1)
                     : "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a6), "r"(a7)
                     : "memory");
    struct sbiret r = {(long)a0, (long)a1};
    return r;
}
#define SBI0(e, f) sbi_call(e, f, 0, 0, 0, 0, 0, 0)
#define SBI1(e, f, x) sbi_call(e, f, x, 0, 0, 0, 0, 0)
#define SBI2(e, f, x, y) sbi_call(e, f, x, y, 0, 0, 0, 0)
#define SBI3(e, f, x, y, z) sbi_call(e, f, x, y, z, 0, 0, 0)

/* Legacy (v0.1) call: returns a0 only; *a1_inout is what a1 held after. */
static inline long sbi_legacy(unsigned long eid, unsigned long arg0, unsigned long arg1,
                              unsigned long arg2, unsigned long arg3, unsigned long *a1_after)
{
    register unsigned long a0 __asm__("a0") = arg0;
    register unsigned long a1 __asm__("a1") = arg1;
    register unsigned long a2 __asm__("a2") = arg2;
    register unsigned long a3 __asm__("a3") = arg3;
    register unsigned long a7 __asm__("a7") = eid;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a3), "r"(a7) : "memory");
    if (a1_after)
        *a1_after = a1;
    return (long)a0;
}

static inline long sbi_probe(unsigned long eid) { return SBI1(EID_BASE, 3, eid).value; }
static inline struct sbiret sbi_hart_start(unsigned long hartid, unsigned long addr,
                                           unsigned long opaque)
{
    return SBI3(EID_HSM, 0, hartid, addr, opaque);
}
static inline struct sbiret sbi_hart_stop(void) { return SBI0(EID_HSM, 1); }
static inline struct sbiret sbi_hart_status(unsigned long hartid) { return SBI1(EID_HSM, 2, hartid); }
static inline struct sbiret sbi_hart_suspend(unsigned long type, unsigned long resume,
                                             unsigned long opaque)
{
    return SBI3(EID_HSM, 3, type, resume, opaque);
}
static inline struct sbiret sbi_set_timer(unsigned long when) { return SBI1(EID_TIME, 0, when); }
static inline struct sbiret sbi_send_ipi(unsigned long mask, unsigned long base)
{
    return SBI2(EID_IPI, 0, mask, base);
}
static inline struct sbiret sbi_system_reset(unsigned long type, unsigned long reason)
{
    return SBI2(EID_SRST, 0, type, reason);
}
static inline struct sbiret sbi_system_suspend(unsigned long type, unsigned long resume,
                                               unsigned long opaque)
{
    return SBI3(EID_SUSP, 0, type, resume, opaque);
}

/* ---- the library (lib.c) ---- */
extern unsigned long boot_hartid; /* the hart that entered _start */
extern int nharts;                /* hart_get_status probe: ids 0..nharts-1 */
extern int old_sbi;               /* OpenSBI implementing SBI < 2.0 (QEMU 7.2's) */
extern unsigned long spec_version;
extern unsigned long impl_id;
extern char __image_start[], __image_end[];

void test_main(unsigned long hartid, unsigned long dtb);

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fail(int n, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
void pass(void) __attribute__((noreturn));
void shutdown(unsigned long reason) __attribute__((noreturn));
/* Prints "SKIP <name> case n: why" when the firmware is an old OpenSBI;
 * returns nonzero if the case must be skipped. */
int skip_old(int n, const char *why);

#define CHECK(n, cond, ...)              \
    do {                                 \
        if (!(cond))                     \
            fail(n, __VA_ARGS__);        \
    } while (0)
/* Checks an SBI return: error code, and nothing about the value. */
#define CHECK_ERR(n, ret, expect, what)                                                   \
    do {                                                                                  \
        long __e = (ret).error;                                                           \
        if (__e != (long)(expect))                                                        \
            fail(n, "%s: error %ld, expected %ld (line %d)", what, __e, (long)(expect), __LINE__); \
    } while (0)
#define CHECK_EQ(n, actual, expect, what)                                                 \
    do {                                                                                  \
        unsigned long __a = (unsigned long)(actual), __x = (unsigned long)(expect);       \
        if (__a != __x)                                                                   \
            fail(n, "%s: got 0x%lx, expected 0x%lx (line %d)", what, __a, __x, __LINE__); \
    } while (0)

/* The current hart (tp holds the hartid on every hart). */
static inline unsigned long this_hart(void)
{
    unsigned long t;
    __asm__ volatile("mv %0, tp" : "=r"(t));
    return t;
}
/* The k-th hart other than the boot hart (k = 0 .. nharts-2). */
unsigned long other_hart(int k);

/* Secondary harts: hart_entry (start.S) stores what the hart found at its
 * entry here, then calls entry_fn[hartid](hartid, opaque); when that
 * returns, the hart calls hart_stop. */
struct entry_state {
    volatile unsigned long a0, a1, satp, sstatus, count;
};
typedef void (*entry_fn_t)(unsigned long hartid, unsigned long opaque);
extern struct entry_state entry_state[MAX_HARTS];
extern entry_fn_t volatile entry_fn[MAX_HARTS];
extern void hart_entry(void);
#define HART_ENTRY ((unsigned long)&hart_entry)
/* Sets entry_fn[hartid] and calls hart_start(hartid, hart_entry, opaque). */
struct sbiret start_hart(unsigned long hartid, entry_fn_t fn, unsigned long opaque);
/* Polls hart_get_status until it returns `state` or `ms` ms pass; returns
 * the last status (or the error if the call failed). */
long wait_status(unsigned long hartid, long state, unsigned long ms);
/* Polls *flag until it equals val or ms pass; returns nonzero on success. */
int wait_flag(volatile unsigned long *flag, unsigned long val, unsigned long ms);
/* Waits up to `ms` for `bit` in sip; 1 if it came. */
int wait_sip(unsigned long bit, unsigned long ms);
void delay_us(unsigned long us);

/* Traps: interrupts are counted per hart and acknowledged (SSIP cleared;
 * for the timer, sie.STIE cleared). Exceptions go to trap_hook[hart] if
 * set (it returns the sepc to resume at), else fail. */
struct trap_frame {
    unsigned long x[32];
    unsigned long sepc, sstatus, scause, stval;
};
extern volatile unsigned long irq_count[MAX_HARTS][16];
extern volatile unsigned long last_irq_time[MAX_HARTS];
typedef unsigned long (*trap_hook_t)(struct trap_frame *f);
extern trap_hook_t volatile trap_hook[MAX_HARTS];

/* Sv39 identity map of 0x00000000-0xffffffff (gigapages, RWX, A/D set)
 * shared by every hart; satp_identity(asid) is the satp value. */
unsigned long satp_identity(unsigned long asid);

/* Spinlock (amoswap). */
static inline void spin_lock(volatile int *l)
{
    while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
        while (*l)
            ;
}
static inline void spin_unlock(volatile int *l) { __atomic_store_n(l, 0, __ATOMIC_RELEASE); }

long regs_preserved_check(unsigned long eid, unsigned long fid);

#endif
