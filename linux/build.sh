#!/usr/bin/env bash
# Builds hartvm's Linux test guest: a kernel Image from Debian's
# linux-source-6.1 (tinyconfig + linux/config-fragment) and an initramfs
# holding linux/init.c as a static /init.
#
# Results go to $CACHE/linux-<key>/{Image,initramfs.cpio.gz}, where CACHE is
# $HARTVM_CACHE or ~/.cache/hartvm and <key> hashes every input (this script,
# the config fragment, init.c, the linux-source package version, the cross
# compiler's version). When that directory already holds both files nothing is
# built. The directory is the last line printed on stdout; build logs go to
# stderr and to $CACHE/linux-<key>.log.
#
# Usage: linux/build.sh              build (or reuse) and print the directory
#        linux/build.sh --print-dir  print the directory only, build nothing
#                                    (needs the packages to be installed)
# Safe to run unattended (CI=true, no stdin); installs missing Debian packages.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${HARTVM_CACHE:-${HOME}/.cache/hartvm}"
cross=riscv64-linux-gnu-
src_pkg=linux-source-6.1
src_tar=/usr/src/linux-source-6.1.tar.xz

mode=build
case "${1:-}" in
    "") ;;
    --print-dir) mode=print ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

log() { echo "linux/build.sh: $*" >&2; }

install_packages() {
    local packages=("$src_pkg" gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
        gcc make libc6-dev cpio bc flex bison libssl-dev libelf-dev xz-utils gzip)
    local missing=() p
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
    log "installing ${missing[*]}"
    $sudo apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# The cache key: every input that changes the outputs.
compute_key() {
    local src_ver gcc_ver
    src_ver="$(dpkg-query -W -f='${Version}' "$src_pkg")"
    gcc_ver="$("${cross}gcc" --version | head -n1)"
    {
        echo "linux-source $src_ver"
        echo "gcc $gcc_ver"
        for f in build.sh config-fragment init.c; do
            echo "file $f $(sha256sum < "$here/$f" | cut -d' ' -f1)"
        done
    } | sha256sum | cut -c1-16
}

if [ "$mode" = print ]; then
    echo "$cache/linux-$(compute_key)"
    exit 0
fi

install_packages
key="$(compute_key)"
out="$cache/linux-$key"
if [ -f "$out/Image" ] && [ -f "$out/initramfs.cpio.gz" ]; then
    log "cached: $out"
    echo "$out"
    exit 0
fi

mkdir -p "$cache"
logfile="$cache/linux-$key.log"
: > "$logfile"
# One build at a time per cache (the kernel tree and build dir are shared).
exec 9> "$cache/linux-build.lock"
flock 9

src_ver="$(dpkg-query -W -f='${Version}' "$src_pkg")"
srcdir="$cache/linux-src-$src_ver"
builddir="$cache/linux-obj-$src_ver"
run() { "$@" >> "$logfile" 2>&1 || { log "failed: $*"; tail -n 40 "$logfile" >&2; exit 1; }; }

# 1. The kernel tree, unpacked once per source package version.
if [ ! -f "$srcdir/.unpacked" ]; then
    log "unpacking $src_tar"
    rm -rf "$srcdir" "$srcdir.tmp"
    mkdir -p "$srcdir.tmp"
    tar -xf "$src_tar" -C "$srcdir.tmp" --strip-components=1
    touch "$srcdir.tmp/.unpacked"
    mv "$srcdir.tmp" "$srcdir"
fi

# 2. The kernel: tinyconfig, then the fragment merged on top; kbuild only
#    rebuilds what a changed configuration touches, so the object dir is kept.
kmake() { make -C "$srcdir" O="$builddir" ARCH=riscv CROSS_COMPILE="$cross" "$@"; }
# Fixed build identity, so the same inputs give the same Image anywhere.
export KBUILD_BUILD_USER=hartvm KBUILD_BUILD_HOST=hartvm KBUILD_BUILD_VERSION=1
export KBUILD_BUILD_TIMESTAMP="Thu Jan  1 00:00:00 UTC 2026"
mkdir -p "$builddir"
start=$(date +%s)
log "configuring (tinyconfig + config-fragment), log: $logfile"
run kmake tinyconfig
run env ARCH=riscv CROSS_COMPILE="$cross" "$srcdir/scripts/kconfig/merge_config.sh" \
    -m -O "$builddir" "$builddir/.config" "$here/config-fragment"
run kmake olddefconfig
# Every option the fragment asks for must have survived (a dependency that is
# not met makes kconfig drop an option silently).
bad=0
while IFS= read -r line; do
    case "$line" in
        CONFIG_*=*)
            grep -qxF "$line" "$builddir/.config" || { log "option not in the final config: $line"; bad=1; } ;;
        "# CONFIG_"*" is not set")
            opt="${line#\# }"; opt="${opt%% *}"
            grep -q "^$opt=" "$builddir/.config" && { log "option should be off: $opt"; bad=1; } ;;
    esac
done < "$here/config-fragment"
[ "$bad" -eq 0 ] || exit 1
log "building the kernel (make -j$(nproc) Image)"
run kmake -j"$(nproc)" Image
log "kernel built in $(( $(date +%s) - start )) s"

# 3. The init and the initramfs (gen_init_cpio from the kernel tree makes the
#    /dev/console node without root; timestamps are fixed to 0).
tmp="$(mktemp -d "$cache/linux-$key.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
log "building init"
run "${cross}gcc" -static -O2 -Wall -Wextra -o "$tmp/init" "$here/init.c"
run "${cross}strip" "$tmp/init"
touch -d @0 "$tmp/init" # gen_init_cpio stores a file's own mtime
run gcc -O2 -o "$tmp/gen_init_cpio" "$srcdir/usr/gen_init_cpio.c"
cat > "$tmp/initramfs.list" <<EOF
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /mnt 0755 0 0
file /init $tmp/init 0755 0 0
EOF
"$tmp/gen_init_cpio" -t 0 "$tmp/initramfs.list" > "$tmp/initramfs.cpio" 2>> "$logfile"
gzip -n -9 < "$tmp/initramfs.cpio" > "$tmp/initramfs.cpio.gz"

# 4. Publish atomically.
mkdir -p "$tmp/out"
cp "$builddir/arch/riscv/boot/Image" "$tmp/out/Image"
cp "$tmp/initramfs.cpio.gz" "$tmp/out/initramfs.cpio.gz"
cp "$builddir/.config" "$tmp/out/config"
rm -rf "$out"
mv "$tmp/out" "$out"
log "Image $(stat -c %s "$out/Image") bytes, initramfs $(stat -c %s "$out/initramfs.cpio.gz") bytes"
# Trees of other (older) linux-source versions are no longer needed.
for d in "$cache"/linux-src-* "$cache"/linux-obj-*; do
    case "$d" in "$srcdir" | "$builddir" | *"*") ;; *) log "removing $d"; rm -rf "$d" ;; esac
done
echo "$out"
