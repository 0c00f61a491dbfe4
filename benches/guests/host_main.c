/* Native harness: runs the workload on the build host and prints its
 * checksum, which becomes the guest build's EXPECTED value. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

void bench_fail(int code) {
    fprintf(stderr, "workload self-check failed with code %d\n", code);
    exit(code);
}

int main(void) {
    printf("%" PRIu64 "\n", bench_run());
    return 0;
}
