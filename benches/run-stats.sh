#!/bin/sh
# Builds hartvm and the benchmark workloads in release mode and runs
# `hartvm run --stats` on each workload, printing instructions, run time and
# MIPS (the figures of the README's performance table).
#
# Usage: benches/run-stats.sh [workload...]     (default: all of them)
# Honours CARGO_TARGET_DIR (default: <workspace>/target), ENGINE (interp,
# jit or tiered; default tiered) and RUNS (runs per workload, default 5):
# wall-clock figures on a shared host vary from run to run, so the median
# and the best of the runs are printed.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}

cargo build --release --quiet -p hartvm -p hartvm-benches

# The build script puts the ELFs in its OUT_DIR; take the newest one.
out=$(ls -td "$target"/release/build/hartvm-benches-*/out 2>/dev/null | head -n 1)
if [ -z "$out" ] || [ ! -f "$out/workloads.rs" ]; then
    echo "run-stats.sh: cannot find the built workloads under $target/release/build" >&2
    exit 1
fi

if [ $# -eq 0 ]; then
    set -- $(sed -n 's/^pub const WORKLOADS.*\[\(.*\)\];$/\1/p' "$out/workloads.rs" | tr -d '",')
fi

status=0
runs=${RUNS:-5}
engine=${ENGINE:-tiered}
printf '%-10s %14s %12s %12s\n' workload instructions "median MIPS" "best MIPS"
for name in "$@"; do
    elf=$out/$name.elf
    if [ ! -f "$elf" ]; then
        echo "run-stats.sh: no workload named $name" >&2
        status=1
        continue
    fi
    mips=""
    for _ in $(seq "$runs"); do
        stats=$("$target/release/hartvm" run --engine "$engine" --stats "$elf" 2>&1) || {
            echo "run-stats.sh: $name failed:" >&2
            echo "$stats" >&2
            status=1
            continue 2
        }
        mips="$mips $(echo "$stats" | sed -n 's/^MIPS: *//p')"
    done
    insns=$(echo "$stats" | sed -n 's/^instructions: *//p')
    sorted=$(echo $mips | tr ' ' '\n' | sort -n)
    median=$(echo "$sorted" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
    best=$(echo "$sorted" | tail -n 1)
    printf '%-10s %14s %12s %12s\n' "$name" "$insns" "$median" "$best"
done
exit $status
