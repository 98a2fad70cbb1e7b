#!/usr/bin/env bash
# The postmortem toolkit's targets (issue 12), each as a ratio against a baseline measured in the same run:
#   stats, stats --by        >= 0.8x the speed of a filtered `kcap read` scan of the same capture (same filter)
#   slice --since/--until 1%  <= 5% of the time of that filtered scan
#   ps/lsof --at T            <= 5% of that filtered scan, wherever T falls (the worst of several moments)
#   tools/bench/toolkit.sh [EVENTS] [ROUNDS] [SNAPSHOT_EVERY]
# (defaults: a synthetic 10,000,000-event loop capture, 3 rounds, a snapshot every 400,000 events). The capture
# is the read benchmark's (kcap-bench read synth). ps, lsof and slice start at the last snapshot before their
# moment, so their cost follows the snapshot spacing (a recorder takes one every --snapshot-interval, 10 s by
# default): SNAPSHOT_EVERY is that spacing in events. Every run is pinned to one core; the best round counts.
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS=${1:-10000000}
ROUNDS=${2:-3}
EVERY=${3:-400000}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/kcap-bench-toolkit.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
[ -x /usr/bin/time ] || { echo "toolkit.sh: /usr/bin/time is not installed (apt-get install time)" >&2; exit 1; }
PIN=""; command -v taskset >/dev/null && PIN="taskset -c 0"

SCRATCH=${SCRATCH:-.build-bench}
swift build -c release --product kcap-bench --scratch-path "$SCRATCH" >&2
swift build -c release --product kcap --scratch-path "$SCRATCH" >&2
BINDIR="$(swift build -c release --product kcap --scratch-path "$SCRATCH" --show-bin-path)"
BENCH=$BINDIR/kcap-bench KCAP=$BINDIR/kcap

CAP=$DIR/loop.kcap
"$BENCH" read synth "$CAP" "$EVENTS" "$EVERY" >&2
FILTER='evt.type=openat and fd.name contains hostname'
# The capture's duration in ns, from its index, for windows and moments in percent of it.
DUR=$("$KCAP" info "$CAP" | awk '/^duration/ { printf "%d", $2 * 1e9 }')
at() { echo "+$(( DUR * $1 / 1000 ))ns"; }  # per mille of the duration

# best NAME CMD...: ROUNDS timed runs of CMD on one core; prints "NAME wall" of the fastest.
best() {
    local name=$1; shift
    for _ in $(seq "$ROUNDS"); do
        /usr/bin/time -f "%e" -o "$DIR/t" $PIN "$@" > /dev/null 2>/dev/null
        awk -v n="$name" '{printf "%s %.4f\n", n, $1}' "$DIR/t"
    done | sort -k2 -n | head -1
}

{
    best read-filter "$KCAP" read "$CAP" "$FILTER"
    best stats-filter "$KCAP" stats "$CAP" "$FILTER"
    best stats-by "$KCAP" stats "$CAP" --by proc.name,evt.type "$FILTER"
    best stats-interval "$KCAP" stats "$CAP" --interval 100ms "$FILTER"
    best slice-1pct "$KCAP" slice "$CAP" -w "$DIR/slice.kcap" --since "$(at 500)" --until "$(at 510)" "$FILTER"
    # Moments just before a snapshot are the worst case (the most events to replay after the one before).
    for m in 1 399 500 799 999; do
        best "ps-at-${m}permille" "$KCAP" ps "$CAP" --at "$(at $m)"
        best "lsof-at-${m}permille" "$KCAP" lsof "$CAP" --at "$(at $m)"
    done
} > "$DIR/runs"
echo "capture: $EVENTS events, $(stat -c %s "$CAP") bytes, a snapshot every $EVERY events; filter '$FILTER'"
awk '
    { wall[$1] = $2; order[NR] = $1 }
    END {
        base = wall["read-filter"]
        printf "%-22s %9s %12s\n", "run", "wall_s", "vs read"
        for (i = 1; i <= NR; i++) { n = order[i]; printf "%-22s %9.4f %11.3fx\n", n, wall[n], wall[n] / base }
        printf "\nstats speed vs filtered read: %.2fx, stats --by %.2fx, --interval %.2fx (target >= 0.8x)\n", base / wall["stats-filter"], base / wall["stats-by"], base / wall["stats-interval"]
        printf "slice of 1%%: %.1f%% of the filtered read (target <= 5%%)\n", 100 * wall["slice-1pct"] / base
        worst = 0
        for (n in wall) if (n ~ /^(ps|lsof)-at/ && wall[n] > worst) { worst = wall[n]; w = n }
        printf "ps/lsof --at, worst moment (%s): %.1f%% of the filtered read (target <= 5%%)\n", w, 100 * worst / base
    }' "$DIR/runs"
