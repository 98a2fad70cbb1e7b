#!/usr/bin/env bash
# Replay speed of the analyzer (kcap read): filter scan events/s, formatted lines/s to /dev/null, max RSS,
# next to sysdig 0.29.3's figures on this machine kind (shared/conformance/scap/timings.txt).
#   tools/bench/read.sh [EVENTS|CAPTURE.kcap] [ROUNDS]   (defaults: a synthetic 10,000,000-event capture, 3 rounds)
# The synthetic capture is shaped like the recorder benchmark's loop (openat /etc/hostname, a 13-byte read with
# its data, close, getppid), written by the real CaptureWriter. Every run is pinned to one core (taskset -c 0);
# the best round counts (the machine is shared, the slow rounds measure the neighbours); CPU time (user+sys) is
# shown next to wall time. Targets: scan >= 10 M events/s, text output >= 1 M lines/s, RSS < 100 MB.
set -euo pipefail
cd "$(dirname "$0")/../.."
ARG=${1:-10000000}
ROUNDS=${2:-3}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/kcap-bench-read.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
source tools/bench/lib.sh

if [ -f "$ARG" ]; then CAP=$ARG; else CAP=$DIR/loop.kcap; "$BENCH" read synth "$CAP" "$ARG"; fi
FILTER='evt.type=openat and fd.name contains hostname'

EVENTS=$("$BENCH" read scan "$CAP" '' | sed -n 's/.*events=\([0-9]*\).*/\1/p')
MATCHED=$("$KCAP" read "$CAP" "$FILTER" | wc -l)
echo "capture: $CAP, $EVENTS events, $(stat -c %s "$CAP") bytes; filter matches $MATCHED"
{
    best "scan-filter" "$BENCH" read scan "$CAP" "$FILTER"
    best "kcap-read-filter" "$KCAP" read "$CAP" "$FILTER"
    best "kcap-read-text" "$KCAP" read "$CAP"
    best "kcap-read-json" "$KCAP" read "$CAP" -j
    best "kcap-read-format" "$KCAP" read "$CAP" -p '%evt.num %proc.name %fd.name'
    best "engine-only" "$BENCH" read scan "$CAP" ''
} > "$DIR/runs"
echo
printf "%-18s %8s %8s %14s %14s %8s\n" run wall_s cpu_s per_s_wall per_s_cpu rss_mib
awk -v ev="$EVENTS" -v m="$MATCHED" '{
    n = ev;
    printf "%-18s %8.3f %8.3f %14d %14d %8.1f\n", $1, $2, $3, n / $2, n / ($3 > 0 ? $3 : $2), $4 / 1024
}' "$DIR/runs"
echo
# sysdig 0.29.3 on big20.scap (447,620 events, 189,560 lines): 'evt.type=open' 0.22 s, print-all to /dev/null 2.02 s.
awk -v ev="$EVENTS" '
    $1 == "scan-filter"      { f = ev / $2 }
    $1 == "kcap-read-filter" { e = ev / $2 }
    $1 == "kcap-read-text"   { t = ev / $2 }
    END {
        sf = 447620 / 0.22; st = 189560 / 2.02
        printf "filter scan (no output): kcap %.2f M events/s vs sysdig %.2f M events/s (%.1fx); target 10 M/s\n", f / 1e6, sf / 1e6, f / sf
        printf "kcap read with the filter, printing its matches, end to end: %.2f M events/s (%.1fx sysdig)\n", e / 1e6, e / sf
        printf "text output: kcap %.2f M lines/s vs sysdig %.3f M lines/s (%.1fx); target 1 M/s\n", t / 1e6, st / 1e6, t / st
    }' "$DIR/runs"
