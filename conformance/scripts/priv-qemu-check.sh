#!/usr/bin/env bash
# Build hartvm's priv/fp conformance guests and run each one under QEMU
# (qemu-system-riscv64 -machine virt -bios none), an independent
# implementation, to validate the test programs themselves.
#
# QEMU virt has no HTIF, so the outcome is observed with gdb: breakpoints on
# the `pass` and `fail` labels of hartvm_test.h; on `fail`, gp is the case.
#
# usage: conformance/scripts/priv-qemu-check.sh [file.S|file.elf ...]
#   (no argument: every .S under conformance/guests/priv and .../fp)
# Programs are built with -DQEMU_KNOWN_DIFF: cases where QEMU 7.2 legitimately
# (or knowingly) differs from hartvm's documented choices are skipped there.
# env: QEMU_EXTRA (extra qemu args; default "-cpu rv64,h=false": hartvm has no H), TIMEOUT (seconds per program, default 20)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)   # conformance/
out=${OUT:-/tmp/hartvm-priv-qemu}
mkdir -p "$out"
timeout_s=${TIMEOUT:-20}
cc=${HARTVM_RISCV_CC:-riscv64-unknown-elf-gcc}
command -v gdb-multiarch >/dev/null || { echo "need gdb-multiarch (apt-get install gdb-multiarch)"; exit 2; }

if [ $# -eq 0 ]; then
  set -- $(ls "$here"/guests/priv/*.S "$here"/guests/fp/*.S 2>/dev/null)
fi

npass=0; nfail=0; results=()
for src in "$@"; do
  extra=
  case "$src" in
    *.S)
      # a program may ask for extra QEMU arguments with a "qemu-check-args:" comment
      extra=$(sed -n 's/.*qemu-check-args: *//p' "$src" | head -1)
      name=$(basename "$(cd "$(dirname "$src")" && pwd)")_$(basename "$src" .S)
      elf="$out/$name.elf"
      if ! "$cc" -march=rv64gc_zba_zbb_zbs -mabi=lp64d -DQEMU_KNOWN_DIFF -static -nostdlib -nostartfiles \
          -I "$here/guests/include" -T "$here/guests/include/link.ld" -o "$elf" "$src"; then
        results+=("BUILD-FAIL $src"); nfail=$((nfail+1)); continue
      fi ;;
    *) elf=$src; name=$(basename "$src" .elf) ;;
  esac
  passpc=$(riscv64-unknown-elf-nm "$elf" | awk '$3=="pass"{print $1}')
  failpc=$(riscv64-unknown-elf-nm "$elf" | awk '$3=="fail"{print $1}')
  port=$(( 20000 + (RANDOM % 20000) ))
  qemu-system-riscv64 -machine virt -bios none -nographic -m 128M ${QEMU_EXTRA--cpu rv64,h=false} $extra \
      -kernel "$elf" -gdb tcp:127.0.0.1:$port -S -serial none \
      -monitor unix:"$out/$name.mon",server,nowait \
      >"$out/$name.qemu.log" 2>&1 &
  qpid=$!
  sleep 0.3
  log="$out/$name.gdb.log"
  timeout "$timeout_s" gdb-multiarch -nx -batch \
    -ex "set pagination off" \
    -ex "file $elf" \
    -ex "target remote 127.0.0.1:$port" \
    -ex "break *0x$passpc" -ex "break *0x$failpc" \
    -ex "continue" \
    -ex 'printf "RESULT pc=%#lx gp=%ld\n", $pc, $gp' \
    -ex 'printf "REGS s5=%#lx s6=%#lx s7=%#lx s8=%#lx s9=%#lx s10=%#lx s11=%#lx\n", $s5, $s6, $s7, $s8, $s9, $s10, $s11' \
    -ex 'printf "REGS a0=%#lx a1=%#lx a2=%#lx t0=%#lx t1=%#lx t6=%#lx ra=%#lx\n", $a0, $a1, $a2, $t0, $t1, $t6, $ra' \
    -ex 'printf "CSRS mcause=%#lx mepc=%#lx mtval=%#lx\n", $mcause, $mepc, $mtval' \
    >"$log" 2>&1
  if ! grep -q '^RESULT' "$log"; then   # timed out: ask the monitor where it is
    python3 - "$out/$name.mon" >>"$log" 2>&1 <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(1)
s.sendall(b"stop\ninfo registers\n"); time.sleep(0.5)
data = b""
try:
    while True:
        d = s.recv(65536)
        if not d: break
        data += d
except Exception: pass
for l in data.decode(errors="replace").splitlines():
    if any(k in l for k in (" pc ", "mcause", "mepc", "mtval", " gp ", "mstatus")): print("MONITOR", l.strip())
PY
  fi
  kill "$qpid" 2>/dev/null; wait "$qpid" 2>/dev/null
  pc=$(sed -n 's/^RESULT pc=0x\([0-9a-f]*\) gp=.*/\1/p' "$log")
  gpv=$(sed -n 's/^RESULT pc=.* gp=\(.*\)/\1/p' "$log")
  if [ -z "$pc" ]; then
    results+=("TIMEOUT  $name ($(grep -h '^MONITOR' "$log" | tr -s ' ' | tr '\n' ' '))"); nfail=$((nfail+1))
  elif [ "$((16#$pc))" = "$((16#$passpc))" ]; then
    results+=("PASS     $name (cases up to $gpv)"); npass=$((npass+1))
  else
    results+=("FAIL     $name case $gpv ($(grep -h '^REGS\|^CSRS' "$log" | tr '\n' ' '))"); nfail=$((nfail+1))
  fi
done
printf '%s\n' "${results[@]}"
echo "qemu check: $npass passed, $nfail failed"
[ "$nfail" = 0 ]
