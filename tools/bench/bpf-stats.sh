#!/bin/bash
# tools/bench/bpf-stats.sh: the run time per call of kcap's BPF programs (kernel.bpf_stats_enabled), for kcap
# binaries side by side, on tools/bench/syscall-loop.c (openat/read/close/getppid) under `kcap record --`.
# Rounds alternate the binaries; each round samples the programs' run_time_ns/run_cnt twice while the loop
# runs and reports the difference (steady state, no load or attach). Medians over rounds, ns per run.
# bpf_stats adds two clock reads to every run (~25 ns here): compare binaries, not absolute figures.
#
# Usage: sudo tools/bench/bpf-stats.sh KCAP_A [KCAP_B ...]    env: ROUNDS=5 SECS=3
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "bpf-stats.sh: needs root" >&2; exit 1; }
[ $# -ge 1 ] || { echo "usage: bpf-stats.sh KCAP [KCAP...]" >&2; exit 1; }
ROUNDS=${ROUNDS:-5}
SECS=${SECS:-3}
work=$(mktemp -d /tmp/kcap-bpfstats.XXXXXX)
old=$(cat /proc/sys/kernel/bpf_stats_enabled)
trap 'echo "$old" > /proc/sys/kernel/bpf_stats_enabled; rm -rf "$work"' EXIT
cc -O2 -o "$work/syscall-loop" "$here/tools/bench/syscall-loop.c" -lm
echo 1 > /proc/sys/kernel/bpf_stats_enabled

# "name run_time_ns run_cnt" of the loaded kcap programs
sample() {
	bpftool prog show -j | python3 -c '
import json, sys
for p in json.load(sys.stdin):
    if p.get("name", "").startswith("kcap_"):
        print(p["name"], p.get("run_time_ns", 0), p.get("run_cnt", 0))'
}

for r in $(seq "$ROUNDS"); do
	i=0
	for k in "$@"; do
		i=$((i + 1))
		"$k" record -w "$work/c.kcap" -- "$work/syscall-loop" "$SECS" >/dev/null 2>"$work/log" &
		pid=$!
		sleep 1
		sample > "$work/s1"
		sleep "$(echo "$SECS - 1.5" | bc)"
		sample > "$work/s2"
		wait "$pid" || true
		join "$work/s1" "$work/s2" | awk -v b="$i" '{ n = $5 - $3; if (n > 0) printf "%s %s %.1f %d\n", b, $1, ($4 - $2) / n, n }' >> "$work/all"
	done
done
# Rounds are paired: binary i's time over binary 1's in the same round, a few seconds apart, is steadier on a
# busy machine than the medians of each alone.
echo "per-round ratio to binary 1 (median): $(for i in $(seq 2 $#); do
	awk -v b="$i" '$2 == "kcap_sys_exit" && ($1 == 1 || $1 == b) { if ($1 == 1) a[++n1] = $3; else c[++n2] = $3 }
		END { for (k = 1; k <= n2 && k <= n1; k++) print c[k] / a[k] }' "$work/all" | sort -n |
		awk -v b="$i" '{ v[NR] = $1 } END { if (NR) printf "kcap_sys_exit[%d] %.3f  ", b, v[int((NR + 1) / 2)] }'
	awk -v b="$i" '$2 == "kcap_sys_enter" && ($1 == 1 || $1 == b) { if ($1 == 1) a[++n1] = $3; else c[++n2] = $3 }
		END { for (k = 1; k <= n2 && k <= n1; k++) print c[k] / a[k] }' "$work/all" | sort -n |
		awk -v b="$i" '{ v[NR] = $1 } END { if (NR) printf "kcap_sys_enter[%d] %.3f  ", b, v[int((NR + 1) / 2)] }'
done)"
echo "ns per run (median of $ROUNDS rounds; runs per round in brackets)"
for i in $(seq $#); do
	k=${!i}
	echo "$i: $k"
	for prog in kcap_sys_enter kcap_sys_exit kcap_sched_switch; do
		awk -v b="$i" -v p="$prog" '$1 == b && $2 == p { print $3, $4 }' "$work/all" | sort -n |
			awk -v p="$prog" '{ v[NR] = $1; c[NR] = $2 } END { if (NR) printf "   %-18s %7.1f ns  [%d runs]\n", p, v[int((NR + 1) / 2)], c[int((NR + 1) / 2)] }'
	done
done
