#!/usr/bin/env bash
# Cross-check, on QEMU 7.2, the expected values of programs QEMU cannot run
# as they are:
#   * Zicond (czero.eqz/czero.nez): not implemented before QEMU 8.1;
#   * ctzw: QEMU 7.2 counts into the upper word when the low word is zero
#     (ctzw 0x8000000000000000 gives 63; the ISA says 32).
# Each such source is copied to a scratch directory with the instruction
# replaced by an equivalent sequence of other instructions (defined from the
# ISA manual's description), compiled, and run by qemu-validate.sh.
# usage: conformance/scripts/qemu-subst-check.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
conf=$(dirname "$here")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/isa/x"
cp "$conf/guests/isa/isa_test.h" "$tmp/isa/"
cat >> "$tmp/isa/isa_test.h" <<'H'
/* substitutes: t5 is scratch (the tests never use it) */
#undef CZERO_EQZ
#undef CZERO_NEZ
#define CZERO_EQZ(rd, rs1, rs2) mv t5, rs1; bnez rs2, 99f; li t5, 0; 99: mv rd, t5
#define CZERO_NEZ(rd, rs1, rs2) mv t5, rs1; beqz rs2, 99f; li t5, 0; 99: mv rd, t5
H
for f in "$conf"/guests/isa/zicond/*.S; do cp "$f" "$tmp/isa/x/"; done
# ctzw rd, rs  ==  ctz of rs with bit 32 set
sed -E 's/^( *)ctzw ([a-z0-9]+), ([a-z0-9]+)$/\1bseti t5, \3, 32; ctz \2, t5/' \
  "$conf/guests/isa/zbb/ctzw.S" > "$tmp/isa/x/ctzw.S"
grep -q 'ctzw' "$tmp/isa/x/ctzw.S" && grep -n 'ctzw' "$tmp/isa/x/ctzw.S" | grep -v '^[0-9]*:/\*' | head -3
for s in "$tmp"/isa/x/*.S; do
  riscv64-unknown-elf-gcc -march=rv64gc_zba_zbb_zbs -mabi=lp64d -static -nostdlib -nostartfiles \
    -I "$conf/guests/include" -T "$conf/guests/include/link.ld" -Wl,--no-warn-rwx-segments \
    -o "${s%.S}.elf" "$s"
done
"$here/qemu-validate.sh" "$tmp/isa/x"
