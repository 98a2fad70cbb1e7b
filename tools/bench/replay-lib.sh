# Sourced by the replay benchmarks (read.sh, toolkit.sh) after they set ROUNDS and DIR: builds kcap and
# kcap-bench in release into $SCRATCH (.build-bench), sets KCAP, BENCH and PIN (taskset -c 0 when present),
# and defines best().
[ -x /usr/bin/time ] || { echo "$(basename "$0"): /usr/bin/time is not installed (apt-get install time)" >&2; exit 1; }
PIN=""; command -v taskset >/dev/null && PIN="taskset -c 0"

SCRATCH=${SCRATCH:-.build-bench}
swift build -c release --product kcap-bench --scratch-path "$SCRATCH" >&2
swift build -c release --product kcap --scratch-path "$SCRATCH" >&2
BINDIR="$(swift build -c release --product kcap --scratch-path "$SCRATCH" --show-bin-path)"
BENCH=$BINDIR/kcap-bench KCAP=$BINDIR/kcap

# best NAME CMD...: ROUNDS timed runs of CMD on one core; prints "NAME wall cpu maxrss_kib" of the fastest.
best() {
    local name=$1; shift
    for _ in $(seq "$ROUNDS"); do
        /usr/bin/time -f "%e %U %S %M" -o "$DIR/t" $PIN "$@" > /dev/null 2>/dev/null
        awk -v n="$name" '{printf "%s %.3f %.3f %d\n", n, $1, $2 + $3, $4}' "$DIR/t"
    done | sort -k2 -n | head -1
}
