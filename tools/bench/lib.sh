#!/usr/bin/env bash
# What the replay benchmarks share (sourced by read.sh and export.sh): the release build of kcap and
# kcap-bench into $SCRATCH, and `best`, the fastest of $ROUNDS timed runs pinned to one core.
# Expects $DIR (a scratch directory) and $ROUNDS; sets $BENCH, $KCAP and $PIN.

[ -x /usr/bin/time ] || { echo "$(basename "$0"): /usr/bin/time is not installed (apt-get install time)" >&2; exit 1; }
PIN=""; command -v taskset >/dev/null && PIN="taskset -c 0"

SCRATCH=${SCRATCH:-.build-bench}
swift build -c release --product kcap-bench --scratch-path "$SCRATCH" >&2
swift build -c release --product kcap --scratch-path "$SCRATCH" >&2
BINDIR="$(swift build -c release --product kcap --scratch-path "$SCRATCH" --show-bin-path)"
BENCH=$BINDIR/kcap-bench KCAP=$BINDIR/kcap

# best NAME CMD...: ROUNDS timed runs of CMD on one core; prints "NAME wall cpu maxrss_kib" of the fastest
# (the machine is shared: the slow rounds measure the neighbours).
best() {
    local name=$1; shift
    for _ in $(seq "$ROUNDS"); do
        /usr/bin/time -f "%e %U %S %M" -o "$DIR/t" $PIN "$@" > /dev/null 2>/dev/null
        awk -v n="$name" '{printf "%s %.3f %.3f %d\n", n, $1, $2 + $3, $4}' "$DIR/t"
    done | sort -k2 -n | head -1
}
