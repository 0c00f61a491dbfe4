#!/usr/bin/env bash
# Makes the ext2 disk image the Linux test guest's init uses: /in.txt holds
# the given text (default: a fixed line), nothing else. Needs e2fsprogs; no
# root, no loop devices.
#
# Usage: linux/make-disk.sh OUT.img [TEXT] [SIZE]   (SIZE default 4M)
# After the guest ran:   debugfs -R 'cat /out.txt' OUT.img
#                        debugfs -R 'cat /boots.txt' OUT.img   (hartvm.reboot=1)
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 3 ]; then
    sed -n '5,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
out="$1"
text="${2:-hello from the host}"
size="${3:-4M}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
printf '%s\n' "$text" > "$dir/in.txt"
rm -f "$out"
mke2fs -q -t ext2 -F -b 1024 -m 0 -L hartvm -d "$dir" "$out" "$size" >&2
