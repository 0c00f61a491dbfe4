/*
 * hartvm-init: the /init of hartvm's Linux test guest.
 *
 * Checks the machine it runs on and reports one line per check on the
 * console:
 *
 *   hartvm-init: start
 *   hartvm-init: <check>: ok ...      or      hartvm-init: <check>: FAIL ...
 *   hartvm-init: done <n-ok>/<n-total>
 *
 * then powers the machine off. Every check runs in a child process with a
 * time limit, so a device that never answers gives a FAIL line, not a hang.
 *
 * Kernel command line options (read from /proc/cmdline):
 *   hartvm.cpus=N      the number of CPUs that must be online
 *   hartvm.bench=1     also run a fixed CPU-bound workload and time it
 *   hartvm.reboot=1    boot twice: the first boot records itself in
 *                      /boots.txt on the disk and reboots, the second one
 *                      checks the record and powers off
 *   hartvm.timeout=S   time limit per check in seconds (default 30; the
 *                      bench gets ten times as much, the rng at most 10)
 *
 * Built with: riscv64-linux-gnu-gcc -static -O2 (see build.sh). Compiled for
 * the host with -DHARTVM_BENCH_HOST it only prints the bench checksum, which
 * is how BENCH_EXPECTED below was obtained.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------------- */
/* The bench workload: integer only (multiplies, rotates, a few divides,  */
/* loads and stores, data-dependent branches), so its result is the same   */
/* on every correct RV64 implementation and on the host.                   */

#define BENCH_WORDS 8192u /* 64 KiB table */
#ifndef BENCH_ROUNDS
#define BENCH_ROUNDS 12000u
#endif
#define BENCH_EXPECTED UINT64_C(0x9c9fa4374738f9ca)

static uint64_t bench_table[BENCH_WORDS];

static uint64_t bench_run(void)
{
    uint64_t s = UINT64_C(0x853c49e6748fea9b);
    for (unsigned i = 0; i < BENCH_WORDS; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        bench_table[i] = s;
    }
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (unsigned r = 0; r < BENCH_ROUNDS; r++) {
        for (unsigned i = 0; i < BENCH_WORDS; i++) {
            uint64_t x = bench_table[i];
            h = (h ^ x) * UINT64_C(0x100000001b3);
            h = (h << 23) | (h >> 41);
            unsigned j = (unsigned)(h >> 51) & (BENCH_WORDS - 1);
            bench_table[j] += x >> 3;
            if ((h & 15) == 0)
                h += x % (UINT64_C(1000003) + r);
            else if (h & 1)
                h ^= x >> (h & 31);
            else
                h += (uint32_t)x * UINT64_C(2654435761);
        }
    }
    for (unsigned i = 0; i < BENCH_WORDS; i++)
        h = (h ^ bench_table[i]) * UINT64_C(0x9e3779b97f4a7c15);
    return h;
}

#ifdef HARTVM_BENCH_HOST
int main(void)
{
    printf("0x%016" PRIx64 "\n", bench_run());
    return 0;
}
#else

#include <linux/rtc.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

/* ---------------------------------------------------------------------- */
/* Output                                                                  */

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char line[1024];
    int n = snprintf(line, sizeof line, "hartvm-init: ");
    va_list ap;
    va_start(ap, fmt);
    n += vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    for (int off = 0; off < n;) {
        ssize_t w = write(1, line + off, (size_t)(n - off));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (int)w;
    }
}

/* ---------------------------------------------------------------------- */
/* Small helpers                                                           */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads at most cap-1 bytes of a file into buf, NUL-terminated; returns the
 * length or -1 (errno set). */
static ssize_t read_file(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = 0;
    while (len + 1 < cap) {
        ssize_t r = read(fd, buf + len, cap - 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    buf[len] = '\0';
    close(fd);
    return (ssize_t)len;
}

/* Writes a whole file and fsyncs it; 0 or -1 (errno set). */
static int write_file_sync(const char *path, const char *data)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    size_t len = strlen(data), off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = w < 0 ? errno : EIO;
            close(fd);
            errno = e;
            return -1;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return close(fd);
}

/* Counts the CPUs in a kernel CPU list such as "0-3,6"; -1 if malformed. */
static int count_cpu_list(const char *s)
{
    int count = 0;
    while (*s && *s != '\n') {
        char *end;
        long a = strtol(s, &end, 10);
        if (end == s)
            return -1;
        long b = a;
        s = end;
        if (*s == '-') {
            b = strtol(s + 1, &end, 10);
            if (end == s + 1 || b < a)
                return -1;
            s = end;
        }
        count += (int)(b - a + 1);
        if (*s == ',')
            s++;
    }
    return count;
}

/* ---------------------------------------------------------------------- */
/* Command line                                                            */

static struct {
    int cpus;     /* hartvm.cpus=, -1 when absent */
    int bench;    /* hartvm.bench=1 */
    int reboot;   /* hartvm.reboot=1 */
    int timeout;  /* hartvm.timeout=, seconds per check */
} opt = { -1, 0, 0, 30 };

static void parse_cmdline(void)
{
    char buf[4096];
    if (read_file("/proc/cmdline", buf, sizeof buf) < 0) {
        say("cmdline: cannot read /proc/cmdline: %s", strerror(errno));
        return;
    }
    for (char *save = NULL, *tok = strtok_r(buf, " \t\n", &save); tok;
         tok = strtok_r(NULL, " \t\n", &save)) {
        if (!strncmp(tok, "hartvm.cpus=", 12))
            opt.cpus = atoi(tok + 12);
        else if (!strncmp(tok, "hartvm.bench=", 13))
            opt.bench = atoi(tok + 13) != 0;
        else if (!strncmp(tok, "hartvm.reboot=", 14))
            opt.reboot = atoi(tok + 14) != 0;
        else if (!strncmp(tok, "hartvm.timeout=", 15) && atoi(tok + 15) > 0)
            opt.timeout = atoi(tok + 15);
    }
}

/* ---------------------------------------------------------------------- */
/* Running a check in a child process with a time limit                    */

enum { CHECK_OK = 0, CHECK_FAIL = 1, CHECK_REBOOT = 3 };

static int n_ok, n_total;
static int disk_stuck; /* a disk check never finished: skip sync at the end */

/* Runs fn in a child; returns its exit code, or -1 if it timed out or died.
 * The child prints its own result line(s); the parent prints the FAIL line
 * when the child cannot. */
static int run_check(const char *name, int (*fn)(void), int timeout_s)
{
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);

    pid_t pid = fork();
    if (pid < 0) {
        say("%s: FAIL fork: %s", name, strerror(errno));
        return -1;
    }
    if (pid == 0) {
        sigprocmask(SIG_UNBLOCK, &chld, NULL);
        _exit(fn());
    }
    double deadline = now_seconds() + timeout_s;
    for (;;) {
        int status;
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) {
            if (WIFEXITED(status))
                return WEXITSTATUS(status);
            say("%s: FAIL the check process died (signal %d)", name,
                WIFSIGNALED(status) ? WTERMSIG(status) : 0);
            return -1;
        }
        double left = deadline - now_seconds();
        if (left <= 0)
            break;
        struct timespec ts = { (time_t)left, (long)((left - (double)(time_t)left) * 1e9) };
        sigtimedwait(&chld, NULL, &ts);
    }
    kill(pid, SIGKILL);
    say("%s: FAIL no answer within %d s", name, timeout_s);
    /* Reap it if it can be killed at all; a process stuck in the kernel on a
     * device that never answers cannot, and is left behind. */
    struct timespec ts = { 1, 0 };
    sigtimedwait(&chld, NULL, &ts);
    waitpid(pid, NULL, WNOHANG);
    return -1;
}

static void count(int rc)
{
    n_total++;
    if (rc == CHECK_OK)
        n_ok++;
}

/* ---------------------------------------------------------------------- */
/* The checks                                                              */

static int online_cpus(void)
{
    char buf[256];
    if (read_file("/sys/devices/system/cpu/online", buf, sizeof buf) < 0)
        return -1;
    return count_cpu_list(buf);
}

static int check_cpus(void)
{
    int n = online_cpus();
    if (n < 0) {
        say("cpus: FAIL cannot read /sys/devices/system/cpu/online: %s", strerror(errno));
        return CHECK_FAIL;
    }
    if (opt.cpus < 0) {
        say("cpus: FAIL %d online, but no hartvm.cpus=N on the command line to compare with", n);
        return CHECK_FAIL;
    }
    if (n != opt.cpus) {
        say("cpus: FAIL %d online, expected %d", n, opt.cpus);
        return CHECK_FAIL;
    }
    say("cpus: ok %d online", n);
    return CHECK_OK;
}

/* Every online CPU runs user code: one child per CPU pins itself there,
 * computes a little and checks with getcpu that it ran where it was put. */
static int check_smp(void)
{
    int n = online_cpus();
    if (n < 1) {
        say("smp: FAIL cannot count the online CPUs");
        return CHECK_FAIL;
    }
    cpu_set_t all;
    if (sched_getaffinity(0, sizeof all, &all) != 0) {
        say("smp: FAIL sched_getaffinity: %s", strerror(errno));
        return CHECK_FAIL;
    }
    pid_t pids[CPU_SETSIZE];
    int cpus[CPU_SETSIZE], started = 0;
    for (int c = 0; c < CPU_SETSIZE && started < n; c++) {
        if (!CPU_ISSET(c, &all))
            continue;
        pid_t pid = fork();
        if (pid < 0) {
            say("smp: FAIL fork: %s", strerror(errno));
            return CHECK_FAIL;
        }
        if (pid == 0) {
            cpu_set_t one;
            CPU_ZERO(&one);
            CPU_SET(c, &one);
            if (sched_setaffinity(0, sizeof one, &one) != 0)
                _exit(2);
            volatile uint64_t x = (uint64_t)c + 1;
            for (int i = 0; i < 200000; i++)
                x = x * 6364136223846793005u + 1442695040888963407u;
            _exit(sched_getcpu() == c ? 0 : 1);
        }
        pids[started] = pid;
        cpus[started] = c;
        started++;
    }
    int bad = 0;
    for (int i = 0; i < started; i++) {
        int status;
        while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            say("smp: FAIL the process pinned to CPU %d %s", cpus[i],
                WIFEXITED(status) && WEXITSTATUS(status) == 1 ? "ran elsewhere"
                                                              : "could not be pinned");
            bad = 1;
        }
    }
    if (bad)
        return CHECK_FAIL;
    say("smp: ok user code ran on each of %d CPUs", started);
    return CHECK_OK;
}

static int check_rtc(void)
{
    int fd = open("/dev/rtc0", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        say("rtc: FAIL open /dev/rtc0: %s", strerror(errno));
        return CHECK_FAIL;
    }
    struct rtc_time rt;
    memset(&rt, 0, sizeof rt);
    if (ioctl(fd, RTC_RD_TIME, &rt) != 0) {
        say("rtc: FAIL RTC_RD_TIME: %s", strerror(errno));
        close(fd);
        return CHECK_FAIL;
    }
    close(fd);
    time_t sys = time(NULL);
    struct tm tm = { .tm_sec = rt.tm_sec, .tm_min = rt.tm_min, .tm_hour = rt.tm_hour,
                     .tm_mday = rt.tm_mday, .tm_mon = rt.tm_mon, .tm_year = rt.tm_year };
    time_t rtc = timegm(&tm);
    long diff = (long)(sys - rtc);
    char when[64];
    snprintf(when, sizeof when, "%04d-%02d-%02d %02d:%02d:%02d UTC", rt.tm_year + 1900,
             rt.tm_mon + 1, rt.tm_mday, rt.tm_hour, rt.tm_min, rt.tm_sec);
    if (rt.tm_year + 1900 < 2024) {
        say("rtc: FAIL the RTC reads %s, before 2024", when);
        return CHECK_FAIL;
    }
    if (diff < -5 || diff > 5) {
        say("rtc: FAIL the RTC reads %s but time() is %ld s off", when, diff);
        return CHECK_FAIL;
    }
    say("rtc: ok %s, time() within %ld s", when, diff < 0 ? -diff : diff);
    return CHECK_OK;
}

/* 64 bytes from /dev/hwrng. The reads do not block (a device that never
 * answers must not hang init): they are retried until the time limit. */
static int check_rng(void)
{
    int fd = open("/dev/hwrng", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        say("rng: FAIL open /dev/hwrng: %s", strerror(errno));
        return CHECK_FAIL;
    }
    char cur[64] = "";
    read_file("/sys/class/misc/hw_random/rng_current", cur, sizeof cur);
    cur[strcspn(cur, "\n")] = '\0';
    unsigned char buf[64];
    size_t got = 0;
    double deadline = now_seconds() + 5.0;
    while (got < sizeof buf) {
        ssize_t r = read(fd, buf + got, sizeof buf - got);
        if (r > 0) {
            got += (size_t)r;
            continue;
        }
        if (r < 0 && errno != EAGAIN && errno != EINTR) {
            say("rng: FAIL read /dev/hwrng (%s): %s", cur[0] ? cur : "no current rng",
                strerror(errno));
            close(fd);
            return CHECK_FAIL;
        }
        if (now_seconds() > deadline) {
            say("rng: FAIL only %zu of 64 bytes from /dev/hwrng within 5 s", got);
            close(fd);
            return CHECK_FAIL;
        }
        struct timespec ts = { 0, 2000000 };
        nanosleep(&ts, NULL);
    }
    close(fd);
    int distinct = 0;
    unsigned char seen[256] = { 0 };
    for (size_t i = 0; i < sizeof buf; i++)
        if (!seen[buf[i]]++)
            distinct++;
    if (distinct < 2) {
        say("rng: FAIL 64 bytes from %s, all 0x%02x", cur, buf[0]);
        return CHECK_FAIL;
    }
    say("rng: ok 64 bytes from %s, %d distinct values, starting %02x%02x%02x%02x", cur,
        distinct, buf[0], buf[1], buf[2], buf[3]);
    return CHECK_OK;
}

static int mount_disk(const char *check)
{
    /* The block device is probed before init runs; allow a short delay. */
    struct stat st;
    for (int i = 0; stat("/dev/vda", &st) != 0 && i < 20; i++) {
        struct timespec ts = { 0, 50000000 };
        nanosleep(&ts, NULL);
    }
    if (stat("/dev/vda", &st) != 0) {
        say("%s: FAIL no /dev/vda (no virtio-blk disk?)", check);
        return -1;
    }
    if (mount("/dev/vda", "/mnt", "ext2", 0, NULL) != 0) {
        say("%s: FAIL mount /dev/vda (ext2) on /mnt: %s", check, strerror(errno));
        return -1;
    }
    return 0;
}

static int unmount_disk(const char *check)
{
    if (umount("/mnt") != 0) {
        say("%s: FAIL umount /mnt: %s", check, strerror(errno));
        return -1;
    }
    return 0;
}

/* Reads /in.txt from the disk, prints it, writes /out.txt and syncs. */
static int check_disk(void)
{
    if (mount_disk("disk") != 0)
        return CHECK_FAIL;
    char in[2048];
    ssize_t len = read_file("/mnt/in.txt", in, sizeof in);
    if (len < 0) {
        say("disk: FAIL read /mnt/in.txt: %s", strerror(errno));
        unmount_disk("disk");
        return CHECK_FAIL;
    }
    for (char *save = NULL, *line = strtok_r(in, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save))
        say("disk: in.txt: %s", line);

    /* in.txt was tokenised above; read its first line again for out.txt. */
    char first[256] = "";
    if (read_file("/mnt/in.txt", in, sizeof in) >= 0)
        snprintf(first, sizeof first, "%.*s", (int)strcspn(in, "\n"), in);
    char out[512];
    snprintf(out, sizeof out, "hartvm-init wrote this: cpus=%d\nin.txt first line: %s\n",
             online_cpus(), first);
    if (write_file_sync("/mnt/out.txt", out) != 0) {
        say("disk: FAIL write /mnt/out.txt: %s", strerror(errno));
        unmount_disk("disk");
        return CHECK_FAIL;
    }
    /* Read it back through the page cache as a sanity check. */
    char back[512];
    if (read_file("/mnt/out.txt", back, sizeof back) < 0 || strcmp(back, out) != 0) {
        say("disk: FAIL /mnt/out.txt reads back differently");
        unmount_disk("disk");
        return CHECK_FAIL;
    }
    if (unmount_disk("disk") != 0)
        return CHECK_FAIL;
    say("disk: ok read in.txt (%zd bytes), wrote out.txt (%zu bytes)", len, strlen(out));
    return CHECK_OK;
}

/* hartvm.reboot=1: /boots.txt on the disk counts the boots of this test.
 * Absent or 0: first boot, write 1 and ask for a reboot. 1: the reboot
 * happened, write 2 and pass. Anything else: the disk was not fresh. */
static int check_reboot(void)
{
    if (mount_disk("rebooted") != 0)
        return CHECK_FAIL;
    char buf[64];
    long boots = 0;
    if (read_file("/mnt/boots.txt", buf, sizeof buf) >= 0)
        boots = strtol(buf, NULL, 10);
    else if (errno != ENOENT) {
        say("rebooted: FAIL read /mnt/boots.txt: %s", strerror(errno));
        unmount_disk("rebooted");
        return CHECK_FAIL;
    }
    snprintf(buf, sizeof buf, "%ld\n", boots + 1);
    if (write_file_sync("/mnt/boots.txt", buf) != 0) {
        say("rebooted: FAIL write /mnt/boots.txt: %s", strerror(errno));
        unmount_disk("rebooted");
        return CHECK_FAIL;
    }
    if (unmount_disk("rebooted") != 0)
        return CHECK_FAIL;
    if (boots == 0) {
        say("reboot: first boot recorded in boots.txt, rebooting");
        return CHECK_REBOOT;
    }
    if (boots == 1) {
        say("rebooted: ok second boot (boots.txt said 1)");
        return CHECK_OK;
    }
    say("rebooted: FAIL boots.txt said %ld: the disk image was not fresh", boots);
    return CHECK_FAIL;
}

static int check_bench(void)
{
    double t0 = now_seconds();
    uint64_t sum = bench_run();
    double ms = (now_seconds() - t0) * 1000.0;
    say("bench: 0x%016" PRIx64 " %.0f ms", sum, ms);
    if (sum != BENCH_EXPECTED) {
        say("bench-checksum: FAIL got 0x%016" PRIx64 ", expected 0x%016" PRIx64, sum,
            BENCH_EXPECTED);
        return CHECK_FAIL;
    }
    return CHECK_OK;
}

/* ---------------------------------------------------------------------- */

static void setup(void)
{
    mkdir("/dev", 0755);
    mkdir("/proc", 0755);
    mkdir("/sys", 0755);
    mkdir("/mnt", 0755);
    int dev_ok = mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) == 0 || errno == EBUSY;
    /* Without a console on fds 0-2 (no /dev/console in the initramfs),
     * open the one devtmpfs provides. */
    if (fcntl(1, F_GETFD) < 0) {
        int fd = open("/dev/console", O_RDWR);
        if (fd >= 0) {
            dup2(fd, 0);
            dup2(fd, 1);
            dup2(fd, 2);
            if (fd > 2)
                close(fd);
        }
    }
    int proc_ok = mount("proc", "/proc", "proc", 0, NULL) == 0;
    int sys_ok = mount("sysfs", "/sys", "sysfs", 0, NULL) == 0;
    say("start");
    if (!dev_ok || !proc_ok || !sys_ok)
        say("mounts: FAIL devtmpfs %s, proc %s, sysfs %s", dev_ok ? "ok" : "failed",
            proc_ok ? "ok" : "failed", sys_ok ? "ok" : "failed");
    char up[64];
    if (read_file("/proc/uptime", up, sizeof up) > 0)
        say("info: uptime %.*s s at start", (int)strcspn(up, " "), up);
}

static void finish(int how)
{
    if (!disk_stuck)
        sync();
    reboot(how);
    say("poweroff: FAIL reboot(%s): %s", how == RB_AUTOBOOT ? "RB_AUTOBOOT" : "RB_POWER_OFF",
        strerror(errno));
    for (;;)
        pause();
}

int main(void)
{
    setup();
    parse_cmdline();

    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);

    int t = opt.timeout;
    count(run_check("cpus", check_cpus, t));
    count(run_check("smp", check_smp, t));
    count(run_check("rtc", check_rtc, t));
    /* A read of /dev/hwrng can wait on a mutex the kernel's own hwrng
     * reader holds while a slow device answers: a shorter limit. */
    count(run_check("rng", check_rng, t < 10 ? t : 10));
    int rc = run_check("disk", check_disk, t);
    if (rc < 0)
        disk_stuck = 1;
    count(rc);
    if (opt.bench)
        count(run_check("bench", check_bench, 10 * t));
    if (opt.reboot && !disk_stuck) {
        rc = run_check("rebooted", check_reboot, t);
        if (rc < 0)
            disk_stuck = 1;
        if (rc == CHECK_REBOOT)
            finish(RB_AUTOBOOT);
        count(rc);
    } else if (opt.reboot) {
        say("rebooted: FAIL not tried, the disk check did not finish");
        count(CHECK_FAIL);
    }
    say("done %d/%d", n_ok, n_total);
    finish(RB_POWER_OFF);
    return 0;
}
#endif
