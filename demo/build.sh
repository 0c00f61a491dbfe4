#!/bin/sh
# Builds the hartvm demo guest: demo/demo.elf (or the path given) from
# demo/demo.c and demo/link.ld. The result is reproducible: the committed
# demo.elf is what this script produces with Debian 12's
# gcc-riscv64-unknown-elf (tests/sbi_guests.rs checks it).
set -eu
out=${1:-demo.elf}
case "$out" in
/*) ;;
*) out="$PWD/$out" ;;
esac
cd "$(dirname "$0")"
: "${CC:=riscv64-unknown-elf-gcc}"
"$CC" -march=rv64gc -mabi=lp64d -mcmodel=medany -O2 -ffreestanding \
    -nostdlib -nostartfiles -static -Wall -Wextra \
    -Wl,--build-id=none -Wl,--no-warn-rwx-segments -T link.ld \
    -o "$out" demo.c
