#!/bin/sh
# Host instructions spent in translated code, per workload: a measure of
# code quality that, unlike wall-clock time on a shared host, repeats from
# run to run. Runs `hartvm run --engine jit` (every block compiled before
# it first runs) under `valgrind --tool=callgrind` and sums the
# instructions executed in code without a symbol (the translations; the
# entry trampoline is the only other such code and runs once per entry).
#
# Usage: benches/jit-instructions.sh [workload...]   (default: the
# throughput workloads). Needs a finished `cargo build --release` and
# valgrind (apt-get install valgrind). Prints, per workload: guest
# instructions retired, host instructions in translated code, their ratio,
# and all host instructions of the process (compilation included).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
hartvm=$target/release/hartvm
out=$(ls -td "$target"/release/build/hartvm-benches-*/out 2>/dev/null | head -n 1)
if [ ! -x "$hartvm" ] || [ -z "$out" ]; then
    echo "jit-instructions.sh: run \`cargo build --release\` first" >&2
    exit 1
fi
command -v valgrind >/dev/null || { echo "jit-instructions.sh: valgrind not found (apt-get install valgrind)" >&2; exit 1; }

if [ $# -eq 0 ]; then
    set -- $(sed -n 's/^pub const WORKLOADS.*\[\(.*\)\];$/\1/p' "$out/workloads.rs" | tr -d '",')
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%-10s %12s %12s %8s %12s\n' workload guest_insts jit_host host/guest all_host
for name in "$@"; do
    elf=$out/$name.elf
    [ -f "$elf" ] || { echo "jit-instructions.sh: no workload $name" >&2; exit 1; }
    guest=$("$hartvm" run --engine jit --stats "$elf" 2>&1 | sed -n 's/^instructions: *//p')
    valgrind --tool=callgrind --smc-check=all-non-file --callgrind-out-file="$tmp/cg" \
        "$hartvm" run --engine jit "$elf" >/dev/null 2>&1
    callgrind_annotate --threshold=100 "$tmp/cg" 2>/dev/null | awk -v w="$name" -v g="$guest" '
        /PROGRAM TOTALS/ { gsub(",", "", $1); total = $1 }
        /\?\?\?:0x.*\[\?\?\?\]$/ && !/=>/ { gsub(",", "", $1); jit += $1 }
        END { printf "%-10s %12d %12d %8.2f %12d\n", w, g, jit, jit / g, total }'
done
