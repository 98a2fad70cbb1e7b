#!/usr/bin/env bash
# Replay speed of two kcap builds on the same capture, in the same run: each measurement of tools/bench/read.sh
# (filter scan, kcap read with a filter, text, JSON, -p format, engine only) alternates old and new binaries
# round by round, so the machine's drift (30-50% within seconds on the development VM) falls on both alike.
#   tools/bench/read-compare.sh OLD_CHECKOUT [EVENTS] [ROUNDS]   (defaults: 3,000,000 events, 5 rounds)
# OLD_CHECKOUT is another working tree of this repository (e.g. `git worktree add --detach /tmp/old REV`).
# Prints per measurement the best wall time of each and new/old; below 1.00 is faster. Both runs are pinned to
# core 0 (taskset) like read.sh.
#
# KCAP_COMPARE=instructions counts instructions instead (valgrind's callgrind, one run each): the count does not
# move with the neighbours, so a difference of a few percent shows on a VM whose timings drift by 30-50% and
# that has no hardware counters (perf stat -e instructions: not supported). Use fewer events (callgrind runs
# about 50x slower).
set -euo pipefail
cd "$(dirname "$0")/../.."
OLD=${1:?usage: tools/bench/read-compare.sh OLD_CHECKOUT [EVENTS] [ROUNDS]}
EVENTS=${2:-3000000}
ROUNDS=${3:-5}
MODE=${KCAP_COMPARE:-time}
[ -x /usr/bin/time ] || { echo "read-compare.sh: /usr/bin/time is not installed (apt-get install time)" >&2; exit 1; }
if [ "$MODE" = instructions ]; then
    command -v valgrind >/dev/null || { echo "read-compare.sh: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
    ROUNDS=1
fi
PIN=""; command -v taskset >/dev/null && PIN="taskset -c 0"
DIR=$(mktemp -d "${TMPDIR:-/tmp}/kcap-bench-compare.XXXXXX")
trap 'rm -rf "$DIR"' EXIT

bins() {  # bins CHECKOUT: builds kcap and kcap-bench in release; prints the bin directory
    (cd "$1" && swift build -c release --product kcap-bench --scratch-path .build-bench >&2 \
        && swift build -c release --product kcap --scratch-path .build-bench >&2 \
        && swift build -c release --product kcap --scratch-path .build-bench --show-bin-path)
}
NEW_BIN=$(bins .)
OLD_BIN=$(bins "$OLD")
if [ "$MODE" = instructions ]; then
    # valgrind 3.19 gives up on the DWARF that Swift 6 writes ("possibly corrupted debuginfo"): count stripped copies.
    for side in NEW OLD; do
        bindir=${side}_BIN
        mkdir -p "$DIR/$side"
        cp "${!bindir}/kcap" "${!bindir}/kcap-bench" "$DIR/$side/"
        strip "$DIR/$side/kcap" "$DIR/$side/kcap-bench"
        printf -v "$bindir" %s "$DIR/$side"
    done
fi
CAP=$DIR/loop.kcap
"$NEW_BIN/kcap-bench" read synth "$CAP" "$EVENTS"
FILTER='evt.type=openat and fd.name contains hostname'
echo "capture: $EVENTS events, $(stat -c %s "$CAP") bytes; old: $OLD ($(git -C "$OLD" rev-parse --short HEAD)), new: $(git rev-parse --short HEAD)"

# one NAME BIN ARGS...: one run on core 0; appends "NAME wall" (or "NAME instructions") to the runs file.
one() {
    local name=$1 bin=$2; shift 2
    if [ "$MODE" = instructions ]; then
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$@" > /dev/null 2> "$DIR/t"
        echo "$name $(sed -nE 's/^==[0-9]+== Collected : ([0-9]+).*/\1/p' "$DIR/t")" >> "$DIR/runs"
        return
    fi
    /usr/bin/time -f "%e" -o "$DIR/t" $PIN "$bin" "$@" > /dev/null 2>/dev/null
    echo "$name $(cat "$DIR/t")" >> "$DIR/runs"
}
measure() {  # measure NAME TOOL ARGS...: TOOL is kcap or kcap-bench
    local name=$1 tool=$2; shift 2
    for _ in $(seq "$ROUNDS"); do
        one "$name old" "$OLD_BIN/$tool" "$@"
        one "$name new" "$NEW_BIN/$tool" "$@"
    done
}
: > "$DIR/runs"
measure scan-filter kcap-bench read scan "$CAP" "$FILTER"
measure kcap-read-filter kcap read "$CAP" "$FILTER"
measure kcap-read-text kcap read "$CAP"
measure kcap-read-json kcap read "$CAP" -j
measure kcap-read-format kcap read "$CAP" -p '%evt.num %proc.name %fd.name'
measure engine-only kcap-bench read scan "$CAP" ''
unit=s scale=1
[ "$MODE" = instructions ] && unit=Minstr scale=1000000
printf "%-18s %10s %10s %9s\n" run "old_$unit" "new_$unit" new/old
awk -v scale="$scale" '{ k = $1; v = $3; if (!(k SUBSEP $2 in best) || v < best[k, $2]) best[k, $2] = v; if (!(k in seen)) { seen[k] = 1; order[++n] = k } }
     END { for (i = 1; i <= n; i++) { k = order[i]; printf "%-18s %10.3f %10.3f %9.3f\n", k, best[k, "old"] / scale, best[k, "new"] / scale, best[k, "new"] / best[k, "old"] } }' "$DIR/runs"
