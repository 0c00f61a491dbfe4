/* Linux harness: the workloads as one static program, run as the guest
 * kernel's init (rdinit=/bench). Each workload's source is compiled with
 * -Dbench_run=bench_run_<name>; benches/linux-guest.sh generates
 * linux_workloads.h, which lists them:
 *   WORKLOAD(name, expected_checksum)
 * The program times each one with the guest's monotonic clock, prints
 *   bench <name> <milliseconds> ok|WRONG
 * and powers the machine off. The clock is the guest's own: on hartvm and
 * on QEMU (without -icount) it follows the host's wall clock. */
#define _GNU_SOURCE /* clock_gettime, sync and reboot under -std=c11 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/reboot.h>
#include <time.h>
#include <unistd.h>

#define WORKLOAD(name, expected) uint64_t bench_run_##name(void);
#include "linux_workloads.h"
#undef WORKLOAD

void bench_fail(int code) {
    printf("bench: a workload's self-check failed with code %d\n", code);
    fflush(stdout);
    reboot(RB_POWER_OFF);
    exit(code);
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int main(void) {
    int wrong = 0;
#define WORKLOAD(name, expected)                                                   \
    {                                                                              \
        double start = now_ms();                                                   \
        uint64_t sum = bench_run_##name();                                         \
        double ms = now_ms() - start;                                              \
        int ok = sum == UINT64_C(expected);                                        \
        wrong |= !ok;                                                              \
        printf("bench %s %.1f %s\n", #name, ms, ok ? "ok" : "WRONG");              \
        fflush(stdout);                                                            \
    }
#include "linux_workloads.h"
#undef WORKLOAD
    printf("bench: done%s\n", wrong ? " (wrong checksums)" : "");
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    return 1;
}
