#!/bin/bash
# tools/bench/bpf-costs.sh: what the BPF building blocks of a syscall recorder cost on the running kernel, and
# so the lower bound on any recorder's overhead on this machine. Needs root (BPF), cc, libbpf-dev (1.1+),
# libelf and zlib, and clang with the BPF target (/opt/swift/usr/bin/clang unless CLANG= is set).
#
#   1. ns per operation of each building block (clock reads, user/kernel memory reads, ring-buffer writes,
#      task storage, per-CPU lookups, a plain 96-byte store), timed inside one sys_enter program run with
#      bpf_loop (bpf-costs.bpf.c); REPS runs of ITERS each spread over the run, the minimum, minus the
#      empty loop.
#   2. ns per syscall of syscall-loop.c's loop untraced and at the floor (empty sys_enter/sys_exit programs,
#      as kcap's floor programs); ROUNDS interleaved rounds of ROUND_SECS, medians.
#   3. the budget a recorder has to stay >= 0.9x the floor, and the minimum any recorder that keeps latency
#      (2 clock reads per syscall), openat's path and read's first bytes (1 string and 1 user read per loop
#      iteration of 4 syscalls) must spend: 2 clock + (string + read) / 4, with the best ratio it leaves.
#
# Usage: sudo tools/bench/bpf-costs.sh       env: CLANG=path ITERS=1000 REPS=20 ROUNDS=20 ROUND_SECS=0.15
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "bpf-costs.sh: needs root (BPF)" >&2; exit 1; }
CLANG=${CLANG:-/opt/swift/usr/bin/clang}
command -v "$CLANG" >/dev/null || { echo "bpf-costs.sh: no clang at $CLANG (set CLANG=)" >&2; exit 1; }
ITERS=${ITERS:-1000}
REPS=${REPS:-20}
ROUNDS=${ROUNDS:-20}
ROUND_SECS=${ROUND_SECS:-0.15}
case $(uname -m) in
	x86_64) arch=x86_64 target=x86 ;;
	aarch64) arch=aarch64 target=arm64 ;;
	*) echo "bpf-costs.sh: no vmlinux.h for $(uname -m)" >&2; exit 1 ;;
esac
work=$(mktemp -d /tmp/kcap-bpf-costs.XXXXXX)
trap 'rm -rf "$work"' EXIT
xz -dc "$here/bpf/vmlinux/$arch/vmlinux.h.xz" > "$work/vmlinux.h"
"$CLANG" -O2 -g -target bpf -D__TARGET_ARCH_$target -fms-extensions -Wno-microsoft-anon-tag \
	-I"$work" -I"$here/tools/bench" -c "$here/tools/bench/bpf-costs.bpf.c" -o "$work/bpf-costs.bpf.o"
cc -O2 -Wall -I"$here/tools/bench" -o "$work/bpf-costs" "$here/tools/bench/bpf-costs.c" -lbpf -lelf -lz
if [ "$(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null || echo 0)" != 0 ]; then
	echo "note: kernel.bpf_stats_enabled=1 adds two clock reads per BPF run and skews the floor"
fi
echo "kernel: $(uname -r)   cpus: $(nproc)   iters: $ITERS   reps: $REPS   rounds: $ROUNDS x ${ROUND_SECS}s"
"$work/bpf-costs" "$work/bpf-costs.bpf.o" "$ITERS" "$REPS" "$ROUNDS" "$ROUND_SECS"
