/* Guest harness: exit code 0 if the checksum matches the one computed
 * natively at build time, 1 if it differs, >= 2 from a failed self-check. */
#include "bench.h"

#ifndef EXPECTED
#error "EXPECTED must be defined (-DEXPECTED=checksum)"
#endif

extern volatile uint64_t tohost;
volatile uint64_t result_sink;

void bench_fail(int code) {
    tohost = ((uint64_t)code << 1) | 1;
    for (;;) {
    }
}

int main(void) {
    uint64_t check = bench_run();
    result_sink = check;
    return check == EXPECTED ? 0 : 1;
}
