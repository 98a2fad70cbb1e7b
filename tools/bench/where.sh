#!/bin/bash
# tools/bench/where.sh: where a recorded syscall's cost goes (issue 14, deliverable 1), in one run:
#   1. each kcap program's own cost per run, from kernel.bpf_stats_enabled (run_time_ns / run_cnt, from
#      bpftool), switched on for this run only and put back after; bpf_stats itself adds two clock reads per
#      run (about 25-35 ns here), reported separately as the empty programs' cost in the same run;
#   2. the recorder's threads' CPU (drain: merge + copy; write: LZ4 + CRC + write(2); snapshot: /proc scans),
#      from /proc/PID/task/TID/stat, per event;
#   3. the loop's ns per syscall untraced, at the floor and under kcap (--bench-loop phases, alternated),
#      so that the slowdown can be set against the sum of the parts.
# The loop runs on one CPU (taskset), the recorder's threads wherever the scheduler puts them.
#
# Usage: sudo tools/bench/where.sh      env: KCAP=path (release), SECS=5, ROUNDS=10, ROUND_SECS=0.3
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
KCAP=${KCAP:-$here/.build/release/kcap}
[ -x "$KCAP" ] || { echo "where.sh: no release kcap at $KCAP (swift build -c release --product kcap, or KCAP=)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "where.sh: needs root (BPF)" >&2; exit 1; }
command -v bpftool >/dev/null || { echo "where.sh: needs bpftool" >&2; exit 1; }
SECS=${SECS:-5}
ROUNDS=${ROUNDS:-10}
ROUND_SECS=${ROUND_SECS:-0.3}
work=$(mktemp -d /tmp/kcap-where.XXXXXX)
old_stats=$(cat /proc/sys/kernel/bpf_stats_enabled)
trap 'echo "$old_stats" > /proc/sys/kernel/bpf_stats_enabled; rm -rf "$work"' EXIT
cc -O2 -o "$work/syscall-loop" "$here/tools/bench/syscall-loop.c" -lm
loop=$work/syscall-loop
tck=$(getconf CLK_TCK)
echo "kcap: $KCAP   kernel: $(uname -r)   cpus: $(nproc)   load: $(cut -d' ' -f1-3 /proc/loadavg)"

# ns per run of every loaded program whose name starts with kcap_ (bpftool prints run_time_ns/run_cnt only
# while stats are on).
prog_stats() {
	bpftool prog show | awk '/^[0-9]+: / { name = ""; for (i = 1; i <= NF; i++) if ($i == "name") name = $(i + 1);
		rt = 0; rc = 0; for (i = 1; i <= NF; i++) { if ($i == "run_time_ns") rt = $(i + 1); if ($i == "run_cnt") rc = $(i + 1) }
		if (name ~ /^kcap_/ && rc > 0) print name, rc, rt }'
}
# user+sys ticks of each thread of PID: "tid/name ticks" (the recorder names its threads kcap-drain,
# kcap-write, kcap-snapshot; the main thread is the control loop)
thread_ticks() {
	for t in /proc/"$1"/task/*; do
		[ -r "$t/stat" ] || continue
		awk -v id="$(basename "$t")/$(cat "$t/comm")" '{ n = split($0, f, ") "); split(f[n], g, " "); print id, g[12] + g[13] }' "$t/stat"
	done
}

# 1 + 2: system-wide recording while the loop runs SECS on CPU 0.
echo 1 > /proc/sys/kernel/bpf_stats_enabled
"$KCAP" record -w "$work/where.kcap" > "$work/rec.log" 2>&1 &
kp=$!
for _ in $(seq 100); do grep -q "kcap record: recording" "$work/rec.log" 2>/dev/null && break; sleep 0.1; done
sleep 0.3
prog_stats > "$work/p0"
thread_ticks $kp > "$work/t0"
taskset -c 0 "$loop" "$SECS" > "$work/loop.out"
prog_stats > "$work/p1"
thread_ticks $kp > "$work/t1"
kill -INT $kp; wait $kp || true
echo "$old_stats" > /proc/sys/kernel/bpf_stats_enabled
n=$(sed -n 's/.*captured \([0-9]*\) events.*/\1/p' "$work/rec.log" | tail -1)
rate=$(awk '{ print $1 }' "$work/loop.out")
echo "loop on CPU 0 for ${SECS}s under kcap (bpf_stats on): $rate syscalls/s; kcap captured $n events in all"
echo
echo "program              runs         ns/run   (bpf_stats; each run also pays the stats' own clock reads)"
join <(sort "$work/p0") <(sort "$work/p1") | awk '{ runs = $4 - $2; ns = $5 - $3; if (runs > 0) printf "%-20s %-12d %6.1f\n", $1, runs, ns / runs }' | tee "$work/progs"
echo
events=$(awk -v r="$rate" -v s="$SECS" 'BEGIN { print int(r * s) }')
echo "thread               cpu_s    ns/event (events = the loop's $events syscalls; other events of the machine are in it too)"
join <(sort "$work/t0") <(sort "$work/t1") | awk -v t="$tck" -v e="$events" '{ s = ($3 - $2) / t; sub(/^[0-9]+\//, "", $1); printf "%-20s %6.2f   %6.1f\n", $1, s, s * 1e9 / e }'
echo

# 3: ns per syscall in the phases, alternated in one process (as record.sh does).
"$KCAP" record -w "$work/bench.kcap" --bench-loop "$loop" --bench-rounds "$ROUNDS" --bench-seconds "$ROUND_SECS" \
	> "$work/bench.out" 2> "$work/bench.log"
med() { awk -v p="$1" '$1 == "bench" && $4 == p { print $5 }' "$work/bench.out" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
none=$(med none); floor=$(med floor); kc=$(med kcap)
awk -v a="$none" -v b="$floor" -v c="$kc" 'BEGIN {
	printf "loop ns/syscall (medians of %s rounds, bpf_stats off): none %.0f  floor %.0f  kcap %.0f\n", "'"$ROUNDS"'", 1e9 / a, 1e9 / b, 1e9 / c
	printf "kcap above the floor: %.0f ns per syscall; floor above none: %.0f ns; kcap / floor = %.2fx\n", 1e9 / c - 1e9 / b, 1e9 / b - 1e9 / a, c / b }'
