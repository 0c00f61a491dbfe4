#!/bin/sh
# Native baseline for the benchmark workloads: builds each workload's C
# source for the host, with the flags benches/build.rs uses for the native
# build that computes the expected checksums, and times it. When
# target/release/hartvm exists it also times `hartvm run` on the workload's
# RV64GC ELF and prints the slowdown, hartvm time / native time.
#
# Usage: benches/native.sh [workload...]    (default: all of them)
#
# Needs a finished `cargo build --release` (it builds nothing with cargo:
# it takes the workload list, their ITERATIONS and expected checksums, and
# the ELFs from the benches build script's output in
# $CARGO_TARGET_DIR/release/build/hartvm-benches-*/out) and a host C
# compiler (HOST_CC, default cc, as in build.rs).
# RUNS (default 5) sets how many times each program runs; the best (lowest)
# wall-clock time is printed, in seconds, for both: whole processes, start-up
# included. Each native build must print the checksum the guest checks
# against, so both sides are known to do the same work.
#
# `cold` has no C source (it is generated assembly): only its hartvm time is
# printed. ptrchase natively runs without paging, on a static array; a
# `<name>_sv39` variant runs natively as `<name>`.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
guests=$root/benches/guests
cc=${HOST_CC:-cc}
runs=${RUNS:-5}
# Keep in sync with COMMON_FLAGS in benches/build.rs.
cflags="-O2 -std=c11 -ffp-contract=off -fno-math-errno -Wall -Wextra"

# The build script puts the ELFs in its OUT_DIR; take the newest one.
out=$(ls -td "$target"/release/build/hartvm-benches-*/out 2>/dev/null | head -n 1)
if [ -z "$out" ] || [ ! -f "$out/workloads.rs" ]; then
    echo "native.sh: no built workloads under $target/release/build: run \`cargo build --release\` first" >&2
    exit 1
fi
hartvm=$target/release/hartvm
[ -x "$hartvm" ] || hartvm=""

if [ $# -eq 0 ]; then
    set -- $(sed -n 's/^pub const \(EXTRA_\|LONG_\)\{0,1\}WORKLOADS.*\[\(.*\)\];$/\2/p' "$out/workloads.rs" | tr -d '",')
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# best_time CMD...: runs CMD $runs times (output discarded; it must succeed)
# and prints the lowest wall-clock time in seconds.
best_time() {
    best=""
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1 || return 1
        end=$(date +%s%N)
        ns=$((end - start))
        if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then best=$ns; fi
    done
    awk -v ns="$best" 'BEGIN { printf "%.3f", ns / 1e9 }'
}

status=0
printf '%-10s %10s %10s %8s\n' workload native_s hartvm_s ratio
for name in "$@"; do
    # BUILT's line for the workload: ("name", ITERATIONS, checksum),
    line=$(grep "^    (\"$name\"," "$out/workloads.rs" || true)
    if [ -z "$line" ]; then
        echo "native.sh: no workload named $name" >&2
        status=1
        continue
    fi
    iterations=$(echo "$line" | sed 's/^.*", \([0-9]*\), [0-9]*),$/\1/')
    expected=$(echo "$line" | sed 's/^.*, \([0-9]*\)),$/\1/')

    native=-
    source=${name%_long}
    source=${source%_sv39}
    if [ -f "$guests/$source.c" ]; then
        exe=$tmp/$name
        $cc $cflags -DITERATIONS="$iterations" -o "$exe" "$guests/$source.c" "$guests/host_main.c" -lm
        got=$("$exe")
        if [ "$got" != "$expected" ]; then
            echo "native.sh: native $name printed $got, the guest expects $expected" >&2
            status=1
            continue
        fi
        native=$(best_time "$exe")
    fi

    emulated=-
    if [ -n "$hartvm" ]; then
        emulated=$(best_time "$hartvm" run "$out/$name.elf") || {
            echo "native.sh: hartvm run $out/$name.elf failed" >&2
            status=1
            continue
        }
    fi

    ratio=-
    if [ "$native" != - ] && [ "$emulated" != - ]; then
        ratio=$(awk -v h="$emulated" -v n="$native" 'BEGIN { printf "%.1f", h / n }')
    fi
    printf '%-10s %10s %10s %8s\n' "$name" "$native" "$emulated" "$ratio"
done
exit $status
