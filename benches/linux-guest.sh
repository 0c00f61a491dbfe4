#!/bin/sh
# The benchmark workloads as a program inside the Linux test guest, timed by
# the guest itself on hartvm and on qemu-system-riscv64 in turn: how fast
# CPU-bound user programs run under a real kernel (user mode, Sv39 paging,
# timer interrupts), not bare metal.
#
# Usage: benches/linux-guest.sh [workload...]   (default: all C workloads)
#
# Each workload's C source is built for riscv64 Linux (static glibc) with
# the iterations of its `_long` variant (benches/build.rs; ptrchase has none
# and keeps its own), and natively for the host, whose output is the
# checksum the guest must compute. All of them are linked into one program,
# /bench (benches/guests/linux_main.c), appended as a second archive to the
# test initramfs (linux/build.sh, which builds or reuses the kernel) and run
# as init (rdinit=/bench): it prints each workload's time in milliseconds,
# measured with the guest's monotonic clock, and powers off.
#
# RUNS (default 3) boots per machine, interleaved; the table shows the
# median time of each workload on each and their ratio hartvm/QEMU (lower
# is better for hartvm). HARTVM (default target/release/hartvm) is the
# binary to measure; MEM (default 256M) the guest RAM. With SAVE=FILE the
# initramfs with /bench is kept as FILE, for booting it by hand.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
guests=$root/benches/guests
runs=${RUNS:-3}
mem=${MEM:-256M}
hartvm=${HARTVM:-$root/target/release/hartvm}
cross=riscv64-linux-gnu-
cc=${HOST_CC:-cc}
# Keep in sync with COMMON_FLAGS in benches/build.rs.
cflags="-O2 -std=c11 -ffp-contract=off -fno-math-errno -Wall -Wextra"

die() {
    echo "linux-guest.sh: $*" >&2
    exit 1
}
[ -x "$hartvm" ] || die "$hartvm not found: run \`cargo build --release\` first"
command -v qemu-system-riscv64 >/dev/null || die "qemu-system-riscv64 not found (apt-get install qemu-system-misc)"
command -v "${cross}gcc" >/dev/null || die "${cross}gcc not found (apt-get install gcc-riscv64-linux-gnu libc6-dev-riscv64-cross)"

kernel_dir=$("$root/linux/build.sh" | tail -n 1)
cache=${HARTVM_CACHE:-$HOME/.cache/hartvm}
gen_init_cpio_c=$(ls -d "$cache"/linux-src-*/usr/gen_init_cpio.c 2>/dev/null | head -n 1)
[ -n "$gen_init_cpio_c" ] || die "no kernel tree under $cache (linux/build.sh unpacks one)"

# The workloads and their iterations, from benches/build.rs: `name iterations
# long` per line.
build_rs=$root/benches/build.rs
long_factor=$(sed -n 's/^const LONG_FACTOR: u32 = \([0-9]*\);$/\1/p' "$build_rs")
table=$(sed -n \
    -e 's/^ *workload("\([a-z_0-9]*\)", \([0-9]*\)),$/\1 \2 true/p' \
    -e 's/^ *Workload { name: "\([a-z_0-9]*\)", iterations: \([0-9]*\), sv39: [a-z]*, long: \([a-z]*\) },$/\1 \2 \3/p' \
    "$build_rs")
[ -n "$long_factor" ] && [ -n "$table" ] || die "cannot read the workload list from $build_rs"
[ $# -gt 0 ] || set -- $(echo "$table" | cut -d' ' -f1)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: > "$tmp/linux_workloads.h"
for name in "$@"; do
    line=$(echo "$table" | grep "^$name " || true)
    [ -n "$line" ] || die "no workload named $name"
    iterations=$(echo "$line" | cut -d' ' -f2)
    [ "$(echo "$line" | cut -d' ' -f3)" = true ] && iterations=$((iterations * long_factor))
    $cc $cflags -DITERATIONS="$iterations" -o "$tmp/$name-host" "$guests/$name.c" "$guests/host_main.c" -lm
    expected=$("$tmp/$name-host")
    "${cross}gcc" $cflags -DITERATIONS="$iterations" -Dbench_run="bench_run_$name" -c -o "$tmp/$name.o" "$guests/$name.c"
    echo "WORKLOAD($name, $expected)" >> "$tmp/linux_workloads.h"
done
"${cross}gcc" $cflags -static -I"$tmp" -I"$guests" -o "$tmp/bench" "$guests/linux_main.c" "$tmp"/*.o -lm

# A second archive after the test initramfs: the kernel unpacks both.
"$cc" -O2 -o "$tmp/gen_init_cpio" "$gen_init_cpio_c"
echo "file /bench $tmp/bench 0755 0 0" > "$tmp/bench.list"
"$tmp/gen_init_cpio" -t 0 "$tmp/bench.list" | gzip -n -9 > "$tmp/bench.cpio.gz"
cat "$kernel_dir/initramfs.cpio.gz" "$tmp/bench.cpio.gz" > "$tmp/initrd.gz"
[ -z "${SAVE:-}" ] || cp "$tmp/initrd.gz" "$SAVE"

append="console=ttyS0 rdinit=/bench"
boot() { # boot MACHINE: the guest's `bench` lines, prefixed with MACHINE
    case $1 in
        hartvm) set -- "$1" "$hartvm" run --kernel "$kernel_dir/Image" --initrd "$tmp/initrd.gz" \
            --append "$append" --mem "$mem" ;;
        qemu) set -- "$1" qemu-system-riscv64 -machine virt -nographic -display none -m "$mem" \
            -kernel "$kernel_dir/Image" -initrd "$tmp/initrd.gz" -append "$append" ;;
    esac
    machine=$1
    shift
    timeout 900 "$@" < /dev/null > "$tmp/console" 2>&1 || true
    tr -d '\r' < "$tmp/console" | grep '^bench ' | sed "s/^/$machine /" || true
    grep -q '^bench: done' "$tmp/console" || die "the $machine run did not finish; its console: $(tail -n 5 "$tmp/console")"
    ! grep -q 'WRONG\|self-check failed' "$tmp/console" || die "wrong checksum on $machine: $(grep '^bench' "$tmp/console")"
}

for _ in $(seq "$runs"); do
    boot hartvm
    boot qemu
done > "$tmp/results"

printf '%-12s %10s %10s %8s\n' workload hartvm_ms qemu_ms ratio
for name in $(cut -d' ' -f3 "$tmp/results" | awk '!seen[$0]++'); do
    median() { grep "^$1 bench $name " "$tmp/results" | cut -d' ' -f4 | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
    h=$(median hartvm)
    q=$(median qemu)
    printf '%-12s %10s %10s %8s\n' "$name" "$h" "$q" "$(awk -v h="$h" -v q="$q" 'BEGIN { printf "%.3f", h / q }')"
done
