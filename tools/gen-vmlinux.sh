#!/bin/sh
# Regenerates the pinned vmlinux.h the BPF program compiles against (CO-RE: field offsets are relocated at
# load time, so one header per arch serves every kernel of that arch that has BTF).
# Usage: tools/gen-vmlinux.sh [BTF_FILE [ARCH]]
#   BTF_FILE  default /sys/kernel/btf/vmlinux (the running kernel); any vmlinux ELF or raw BTF file works,
#             e.g. one copied from an aarch64 machine's /sys/kernel/btf/vmlinux
#   ARCH      x86_64 or aarch64; default `uname -m` (name it when BTF_FILE comes from another arch)
# Writes bpf/vmlinux/ARCH/vmlinux.h, or vmlinux.h.xz when the header exceeds 2 MiB (git stays small; the
# build plugin decompresses it into its work directory).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
btf=${1:-/sys/kernel/btf/vmlinux}
arch=${2:-$(uname -m)}
case "$arch" in
	x86_64|aarch64) ;;
	arm64) arch=aarch64 ;;
	*) echo "gen-vmlinux.sh: unsupported arch '$arch' (x86_64 or aarch64)" >&2; exit 2 ;;
esac
[ -r "$btf" ] || { echo "gen-vmlinux.sh: cannot read BTF file $btf" >&2; exit 1; }
command -v bpftool >/dev/null || { echo "gen-vmlinux.sh: bpftool not found (apt-get install bpftool)" >&2; exit 1; }

dir=$here/bpf/vmlinux/$arch
mkdir -p "$dir"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
bpftool btf dump file "$btf" format c > "$tmp"
size=$(wc -c < "$tmp")
rm -f "$dir/vmlinux.h" "$dir/vmlinux.h.xz"
if [ "$size" -gt 2097152 ]; then
	xz -9 -c "$tmp" > "$dir/vmlinux.h.xz"
	echo "wrote $dir/vmlinux.h.xz ($size bytes uncompressed)"
else
	cp "$tmp" "$dir/vmlinux.h"
	echo "wrote $dir/vmlinux.h ($size bytes)"
fi
