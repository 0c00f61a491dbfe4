#!/usr/bin/env bash
# Boots the Linux test guest on QEMU (the reference for hartvm) and checks
# what its init reports. Builds (or reuses) the guest with build.sh first.
#
# Usage: linux/qemu-check.sh [options]
#   --smp N          harts (default 4); passed to the guest as hartvm.cpus=N
#   --bios FILE      firmware for -bios (default: QEMU's own OpenSBI)
#   --reboot         hartvm.reboot=1: the guest must reboot once, then pass
#   --bench          hartvm.bench=1
#   --no-disk        leave out the virtio-blk disk (the disk check must FAIL)
#   --no-rng         leave out virtio-rng (the rng check must FAIL)
#   --timeout S      wall-clock limit for QEMU (default 300)
# Prints the guest's hartvm-init lines with the seconds since QEMU started,
# then a summary. Exit status 0 when the guest reported all checks ok, printed
# exactly one done line and QEMU exited by itself; with --no-disk/--no-rng, 0
# when the guest reported the expected failure and still powered off.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
smp=4 bios="" reboot=0 bench=0 disk=1 rng=1 limit=300
while [ $# -gt 0 ]; do
    case "$1" in
        --smp) smp="$2"; shift ;;
        --bios) bios="$2"; shift ;;
        --reboot) reboot=1 ;;
        --bench) bench=1 ;;
        --no-disk) disk=0 ;;
        --no-rng) rng=0 ;;
        --timeout) limit="$2"; shift ;;
        *) sed -n '5,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    esac
    shift
done
command -v qemu-system-riscv64 > /dev/null || { echo "qemu-check.sh: needs qemu-system-misc" >&2; exit 2; }

dir="$("$here/build.sh" | tail -n 1)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
text="host text $(date -u +%s)"

append="console=ttyS0 hartvm.cpus=$smp"
[ "$reboot" -eq 1 ] && append+=" hartvm.reboot=1"
[ "$bench" -eq 1 ] && append+=" hartvm.bench=1"
args=(-machine virt -nographic -smp "$smp" -m 256M -kernel "$dir/Image"
      -initrd "$dir/initramfs.cpio.gz" -append "$append")
[ -n "$bios" ] && args+=(-bios "$bios")
if [ "$disk" -eq 1 ]; then
    "$here/make-disk.sh" "$work/disk.img" "$text"
    args+=(-drive "file=$work/disk.img,if=none,format=raw,id=d0" -device virtio-blk-device,drive=d0)
fi
[ "$rng" -eq 1 ] && args+=(-device virtio-rng-device)

echo "qemu-check: qemu-system-riscv64 ${args[*]}"
t0=$EPOCHREALTIME
set +e
timeout "$limit" qemu-system-riscv64 "${args[@]}" < /dev/null 2>&1 | tr -d '\r' | {
    while IFS= read -r line; do
        printf '%s\n' "$line" >> "$work/console.log"
        case "$line" in
            hartvm-init:*) printf '%8.3f s  %s\n' "$(echo "$EPOCHREALTIME - $t0" | bc)" "$line" ;;
        esac
    done
}
qemu_rc=${PIPESTATUS[0]}
set -e
elapsed=$(echo "$EPOCHREALTIME - $t0" | bc)

log="$work/console.log"
fail=0
report() { echo "qemu-check: $*"; }
[ "$qemu_rc" -eq 0 ] || { report "FAIL qemu exit status $qemu_rc (124: killed at the time limit)"; fail=1; }
starts=$(grep -c '^hartvm-init: start$' "$log" || true)
dones=$(grep -c '^hartvm-init: done ' "$log" || true)
want_starts=$((reboot * disk + 1))
[ "$starts" -eq "$want_starts" ] || { report "FAIL $starts start lines, expected $want_starts"; fail=1; }
[ "$dones" -eq 1 ] || { report "FAIL $dones done lines, expected 1"; fail=1; }
if [ "$disk" -eq 1 ] && [ "$rng" -eq 1 ]; then
    if grep -q '^hartvm-init: .*: FAIL' "$log"; then report "FAIL the guest reported failures"; fail=1; fi
    grep -q '^hartvm-init: done \([0-9]*\)/\1$' "$log" || { report "FAIL not all checks ok"; fail=1; }
    [ "$reboot" -eq 0 ] || grep -q '^hartvm-init: rebooted: ok' "$log" || { report "FAIL no 'rebooted: ok'"; fail=1; }
fi
[ "$disk" -eq 1 ] || grep -q '^hartvm-init: disk: FAIL' "$log" || { report "FAIL no disk FAIL line without a disk"; fail=1; }
[ "$rng" -eq 1 ] || grep -q '^hartvm-init: rng: FAIL' "$log" || { report "FAIL no rng FAIL line without an rng"; fail=1; }
if [ "$disk" -eq 1 ]; then
    out="$(debugfs -R 'cat /out.txt' "$work/disk.img" 2> /dev/null)"
    printf 'qemu-check: out.txt on the host: %s\n' "$(echo "$out" | tr '\n' '|')"
    echo "$out" | grep -qx "hartvm-init wrote this: cpus=$smp" || { report "FAIL out.txt lacks cpus=$smp"; fail=1; }
    echo "$out" | grep -qxF "in.txt first line: $text" || { report "FAIL out.txt lacks the in.txt line"; fail=1; }
    if [ "$reboot" -eq 1 ]; then
        boots="$(debugfs -R 'cat /boots.txt' "$work/disk.img" 2> /dev/null)"
        [ "$boots" = 2 ] || { report "FAIL boots.txt is '$boots', expected 2"; fail=1; }
    fi
fi
if [ "$fail" -ne 0 ]; then
    echo "qemu-check: console log:"
    cat "$log"
    report "FAILED after ${elapsed} s"
    exit 1
fi
report "ok (qemu exited after ${elapsed} s)"
