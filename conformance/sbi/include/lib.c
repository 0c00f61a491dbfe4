/* Runtime of hartvm's S-mode SBI guest programs: console, checks,
 * secondary-hart entry, trap handling. See sbi_test.h. */
#include "sbi_test.h"

unsigned long boot_hartid;
int nharts;
int old_sbi;
unsigned long spec_version;
unsigned long impl_id;
struct entry_state entry_state[MAX_HARTS];
entry_fn_t volatile entry_fn[MAX_HARTS];
volatile unsigned long irq_count[MAX_HARTS][16];
volatile unsigned long last_irq_time[MAX_HARTS];
trap_hook_t volatile trap_hook[MAX_HARTS];

static int use_dbcn;
static volatile int console_lock;
static volatile int failing;
static unsigned long identity_root[512] __attribute__((aligned(4096)));

/* ---- console ---- */

static void out(const char *s, unsigned long n)
{
    if (use_dbcn) {
        while (n) {
            struct sbiret r = SBI3(EID_DBCN, 0, n, (unsigned long)s, 0);
            if (r.error || (unsigned long)r.value > n)
                break; /* fall back below */
            s += r.value;
            n -= r.value;
        }
    }
    for (unsigned long i = 0; i < n; i++)
        sbi_legacy(EID_LEGACY_PUTCHAR, (unsigned char)s[i], 0, 0, 0, 0);
}

struct buf {
    char *p;
    unsigned long len, cap;
};

static void put(struct buf *b, char c)
{
    if (b->len < b->cap)
        b->p[b->len++] = c;
}

static void put_num(struct buf *b, unsigned long v, unsigned base, int neg, int width, char pad)
{
    char tmp[24];
    int n = 0;
    do {
        unsigned d = v % base;
        tmp[n++] = d < 10 ? '0' + d : 'a' + d - 10;
        v /= base;
    } while (v);
    if (neg)
        tmp[n++] = '-';
    while (width-- > n)
        put(b, pad);
    while (n)
        put(b, tmp[--n]);
}

static void vformat(struct buf *b, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(b, *fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0, lng = 0;
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') {
            lng = 1;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            long v = lng ? va_arg(ap, long) : va_arg(ap, int);
            put_num(b, v < 0 ? -(unsigned long)v : (unsigned long)v, 10, v < 0, width, pad);
            break;
        }
        case 'u':
            put_num(b, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, 0, width, pad);
            break;
        case 'x':
            put_num(b, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, 0, width, pad);
            break;
        case 'p':
            put(b, '0');
            put(b, 'x');
            put_num(b, (unsigned long)va_arg(ap, void *), 16, 0, width, pad);
            break;
        case 'c':
            put(b, (char)va_arg(ap, int));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            while (s && *s)
                put(b, *s++);
            break;
        }
        case '%':
            put(b, '%');
            break;
        default:
            put(b, '?');
            break;
        }
    }
}

static void vprint(const char *prefix, const char *fmt, va_list ap, const char *suffix)
{
    char tmp[512];
    struct buf b = {tmp, 0, sizeof tmp};
    for (const char *s = prefix; s && *s; s++)
        put(&b, *s);
    vformat(&b, fmt, ap);
    for (const char *s = suffix; s && *s; s++)
        put(&b, *s);
    spin_lock(&console_lock);
    out(tmp, b.len);
    spin_unlock(&console_lock);
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint(0, fmt, ap, 0);
    va_end(ap);
    return 0;
}

void shutdown(unsigned long reason)
{
    sbi_system_reset(0, reason);
    sbi_legacy(EID_LEGACY_SHUTDOWN, 0, 0, 0, 0, 0);
    for (;;)
        wfi();
}

void fail(int n, const char *fmt, ...)
{
    /* The first failing hart reports; any other one parks. */
    if (__atomic_exchange_n(&failing, 1, __ATOMIC_ACQ_REL))
        for (;;)
            wfi();
    char prefix[64];
    struct buf b = {prefix, 0, sizeof prefix - 1};
    for (const char *s = "FAIL " TEST_NAME " case "; *s; s++)
        put(&b, *s);
    put_num(&b, (unsigned long)n, 10, 0, 0, ' ');
    put(&b, ':');
    put(&b, ' ');
    prefix[b.len] = 0;
    va_list ap;
    va_start(ap, fmt);
    vprint(prefix, fmt, ap, "\n");
    va_end(ap);
    shutdown(1);
}

void pass(void)
{
    printf("PASS %s\n", TEST_NAME);
    shutdown(0);
}

int skip_old(int n, const char *why)
{
    if (!old_sbi)
        return 0;
    printf("SKIP %s case %d: %s (firmware implements SBI %lu.%lu)\n", TEST_NAME, n, why,
           (spec_version >> 24) & 0x7f, spec_version & 0xffffff);
    return 1;
}

/* ---- harts ---- */

unsigned long other_hart(int k)
{
    for (unsigned long h = 0; h < (unsigned long)nharts; h++) {
        if (h == boot_hartid)
            continue;
        if (k-- == 0)
            return h;
    }
    fail(903, "no hart number %d other than the boot hart (%d harts)", k, nharts);
}

struct sbiret start_hart(unsigned long hartid, entry_fn_t fn, unsigned long opaque)
{
    entry_fn[hartid & (MAX_HARTS - 1)] = fn;
    fence();
    return sbi_hart_start(hartid, HART_ENTRY, opaque);
}

void delay_us(unsigned long us)
{
    unsigned long end = rdtime() + us * (TIMEBASE_HZ / 1000000);
    while (rdtime() < end)
        cpu_relax();
}

long wait_status(unsigned long hartid, long state, unsigned long ms)
{
    unsigned long end = rdtime() + MS(ms);
    for (;;) {
        struct sbiret r = sbi_hart_status(hartid);
        if (r.error)
            return r.error;
        if (r.value == state || rdtime() > end)
            return r.value;
        cpu_relax();
    }
}

int wait_sip(unsigned long bit, unsigned long ms)
{
    unsigned long end = rdtime() + MS(ms);
    while (!(csr_read(sip) & bit))
        if (rdtime() > end)
            return 0;
    return 1;
}

int wait_flag(volatile unsigned long *flag, unsigned long val, unsigned long ms)
{
    unsigned long end = rdtime() + MS(ms);
    while (*flag != val) {
        if (rdtime() > end)
            return 0;
        cpu_relax();
    }
    fence();
    return 1;
}

void hart_entry_c(unsigned long a0, unsigned long a1)
{
    unsigned long satp = csr_read(satp);
    unsigned long sst = csr_read(sstatus);
    struct entry_state *e = &entry_state[a0 & (MAX_HARTS - 1)];
    e->a0 = a0;
    e->a1 = a1;
    e->satp = satp;
    e->sstatus = sst;
    fence();
    e->count++;
    entry_fn_t fn = entry_fn[a0 & (MAX_HARTS - 1)];
    if (!fn)
        fail(904, "hart %lu entered hart_entry (opaque 0x%lx) with no entry function", a0, a1);
    fn(a0, a1);
    csr_clear(sstatus, SSTATUS_SIE);
    struct sbiret r = sbi_hart_stop();
    fail(905, "hart_stop returned on hart %lu (error %ld)", a0, r.error);
}

/* ---- traps ---- */

void trap_c(struct trap_frame *f)
{
    unsigned long h = this_hart() & (MAX_HARTS - 1);
    if (f->scause & SCAUSE_INT) {
        unsigned long code = f->scause & 0xff;
        irq_count[h][code & 15]++;
        last_irq_time[h] = rdtime();
        if (code == IRQ_S_SOFT)
            csr_clear(sip, SIP_SSIP);
        else if (code == IRQ_S_TIMER)
            csr_clear(sie, SIE_STIE);
        else
            csr_clear(sie, 1UL << code);
        return;
    }
    trap_hook_t hook = trap_hook[h];
    if (hook) {
        f->sepc = hook(f);
        return;
    }
    fail(906, "unexpected exception on hart %lu: scause 0x%lx sepc 0x%lx stval 0x%lx", this_hart(),
         f->scause, f->sepc, f->stval);
}

/* ---- paging ---- */

unsigned long satp_identity(unsigned long asid)
{
    return (8UL << 60) | (asid << 44) | ((unsigned long)identity_root >> 12);
}

static void build_identity(void)
{
    /* V R W X A D */
    for (unsigned long i = 0; i < 4; i++)
        identity_root[i] = ((i << 30) >> 12 << 10) | 0x1 | 0x2 | 0x4 | 0x8 | 0x40 | 0x80;
}

/* ---- boot ---- */

void boot_c(unsigned long hartid, unsigned long dtb)
{
    boot_hartid = hartid;
    spec_version = SBI0(EID_BASE, 0).value;
    impl_id = SBI0(EID_BASE, 1).value;
    use_dbcn = sbi_probe(EID_DBCN) != 0;
    old_sbi = impl_id == IMPL_OPENSBI && ((spec_version >> 24) & 0x7f) < 2;
    build_identity();
    int n = 0;
    while (n < 64 && sbi_hart_status(n).error != SBI_ERR_INVALID_PARAM)
        n++;
    nharts = n;
    printf("%s: boot hart %lu, %d hart(s), SBI %lu.%lu, impl %lu%s\n", TEST_NAME, hartid, n,
           (spec_version >> 24) & 0x7f, spec_version & 0xffffff, impl_id,
           old_sbi ? " (old OpenSBI: v2.0-only checks skipped)" : "");
    test_main(hartid, dtb);
    pass();
}
