#!/bin/bash
# tools/bench/record.sh: the recorder targets of issue 3, measured in one run and printed as figures and
# ratios. Needs root (BPF), a release build of kcap, cc, and perf (apt-get install -y linux-perf).
#
#   1. syscalls/s of tools/bench/syscall-loop.c (openat/read/close/getppid) with: nothing attached, empty
#      programs on sys_enter/sys_exit (the floor), kcap recording system-wide to a file, and
#      `perf trace record -a`: ROUNDS rounds of SECS s per phase, alternated inside one `kcap record
#      --bench-loop` process; per-round ratios, medians over rounds.
#      Targets: kcap >= 0.9x floor, kcap >= 2.5x perf trace.
#   2. bytes per event on disk (capture size / captured events) of the kcap runs. Target <= 16.
#   3. drops with both cores running the loop for DROP_SECS (default 30) s with the default buffer. Target 0.
#   4. recorder CPU (user+sys of the kcap process) with the loop paced at 100k syscalls/s. Target <= 10%.
#   Also the lower bound on any recorder's overhead on this machine, from tools/bench/bpf-costs.sh.
#
# Usage: sudo tools/bench/record.sh            env: KCAP=path ROUNDS=30 SECS=0.3 DROP_SECS=30 CPU_SECS=10
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
KCAP=${KCAP:-}
if [ -z "$KCAP" ]; then
	for c in "$here"/.build/release/kcap "$here"/.build-*/release/kcap; do
		[ -x "$c" ] && { KCAP=$c; break; }
	done
fi
[ -n "$KCAP" ] && [ -x "$KCAP" ] || { echo "record.sh: no release kcap; run: swift build -c release --product kcap (or set KCAP=)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "record.sh: needs root (BPF)" >&2; exit 1; }
ROUNDS=${ROUNDS:-30}
SECS=${SECS:-0.3}
DROP_SECS=${DROP_SECS:-30}
CPU_SECS=${CPU_SECS:-10}
work=$(mktemp -d /tmp/kcap-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/syscall-loop" "$here/tools/bench/syscall-loop.c" -lm
loop=$work/syscall-loop
have_perf=1
command -v perf >/dev/null || { have_perf=0; echo "note: perf not installed (apt-get install -y linux-perf); skipping the perf trace comparison"; }
if [ "$(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null || echo 0)" != 0 ]; then
	echo "note: kernel.bpf_stats_enabled=1 adds two clock reads per BPF run and skews every BPF figure"
fi
echo "kcap: $KCAP   kernel: $(uname -r)   cpus: $(nproc)   rounds: $ROUNDS x ${SECS}s"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rate_of() { awk '{ print $1 }'; }
# "captured N events, dropped M" from kcap's summary (stderr).
captured() { sed -n 's/.*captured \([0-9]*\) events.*/\1/p' "$1" | tail -1; }
dropped() { sed -n 's/.*captured [0-9]* events, dropped \([0-9]*\).*/\1/p' "$1" | tail -1; }

# Waits until the kcap started in the background records: `kcap record` says "kcap record: recording ..." on
# stderr once attached. Gives up after 5 s (the run then measures part of the loop untraced).
wait_attached() { # $1 = kcap's log file
	for _ in $(seq 50); do
		grep -q "kcap record: recording" "$1" 2>/dev/null && return
		sleep 0.1
	done
	echo "note: kcap did not report itself attached within 5 s" >&2
}

# Throughput: one kcap process alternates what is attached (nothing, the empty programs, its own programs, and
# perf trace with nothing of kcap's attached) every SECS seconds, ROUNDS times. On a shared VM the speed of the
# machine drifts by tens of percent over seconds; ratios taken within one round, a few seconds apart, are
# far steadier than medians of separate runs.
perf_flag=
[ "$have_perf" = 1 ] && perf_flag=--bench-perf
"$KCAP" record -w "$work/bench.kcap" --bench-loop "$loop" --bench-rounds "$ROUNDS" --bench-seconds "$SECS" $perf_flag \
	> "$work/bench.out" 2> "$work/bench.log" || { echo "kcap record --bench-loop failed:"; cat "$work/bench.log"; exit 1; }
n=$(captured "$work/bench.log")
size=$(stat -c %s "$work/bench.kcap")
rm -f "$work/bench.kcap"
awk '$1 == "bench" { v[$3, $4] = $5; if ($3 > n) n = $3 }
	END { for (r = 1; r <= n; r++) printf "round %d: none %d  floor %d  kcap %d  perf %s\n", r, v[r, "none"], v[r, "floor"], v[r, "kcap"], ((r, "perf") in v ? v[r, "perf"] : "-") }' "$work/bench.out"
phase() { awk -v p="$1" '$1 == "bench" && $4 == p { print $5 }' "$work/bench.out" | median; }
# Per-round ratio of two phases, then the median over rounds.
ratio() { awk -v a="$1" -v b="$2" '$1 == "bench" { v[$3, $4] = $5; if ($3 > n) n = $3 }
	END { for (r = 1; r <= n; r++) if (((r, a) in v) && v[r, b] > 0) print v[r, a] / v[r, b] }' "$work/bench.out" | median; }
none=$(phase none); floor=$(phase floor); kc=$(phase kcap)
bpe=$(awk -v s="$size" -v n="${n:-0}" 'BEGIN { if (n > 0) printf "%.2f", s / n; else print 0 }')
echo
echo "syscalls/s (median of $ROUNDS rounds):  none $none   floor $floor   kcap $kc"
awk -v r="$(ratio kcap floor)" -v f="$(ratio floor none)" 'BEGIN { printf "kcap / floor      = %.2fx  (median of per-round ratios; floor / none = %.2fx; target >= 0.9x)  %s\n", r, f, (r >= 0.9 ? "MET" : "MISSED") }'
if [ "$have_perf" = 1 ]; then
	pf=$(phase perf)
	awk -v r="$(ratio kcap perf)" -v p="$pf" 'BEGIN { printf "kcap / perf trace = %.2fx  (perf trace record -a: %d syscalls/s; target >= 2.5x)  %s\n", r, p, (r >= 2.5 ? "MET" : "MISSED") }'
fi
awk -v b="$bpe" -v n="${n:-0}" 'BEGIN { printf "bytes/event       = %.2f  (%d events recorded in the kcap phases; target <= 16)  %s\n", b, n, (b <= 16 ? "MET" : "MISSED") }'
# What any recorder that keeps latency, paths and data could reach here (tools/bench/bpf-costs.sh).
if bound=$("$here/tools/bench/bpf-costs.sh" 2>/dev/null | grep -E "^(clock read \(bpf_ktime_get_boot_ns\)|budget|minimum recorder|best possible)"); then
	echo "$bound" | sed 's/^/bound: /'
fi

# Drops: both cores busy with the loop for DROP_SECS, default buffer.
"$KCAP" record -w "$work/drops.kcap" --duration $((DROP_SECS + 4)) > "$work/drops.log" 2>&1 &
kp=$!
wait_attached "$work/drops.log"; sleep 0.5
"$loop" "$DROP_SECS" > "$work/l1" & l1=$!
"$loop" "$DROP_SECS" > "$work/l2" & l2=$!
wait "$l1" "$l2"
wait "$kp" || true
n=$(captured "$work/drops.log"); d=$(dropped "$work/drops.log")
echo "drops, 2 loops x ${DROP_SECS}s: captured ${n:-?} events, dropped ${d:-?}  (loops: $(cat "$work/l1" "$work/l2" | rate_of | awk "{ s += \$1 } END { print s }") syscalls/s; target 0)  $([ "${d:-1}" = 0 ] && echo MET || echo MISSED)"
sed -n '/dropped/p' "$work/drops.log" | tail -2
rm -f "$work/drops.kcap"

# Recorder CPU at 100k syscalls/s: the shell that waits for kcap reports its children's user+sys ticks.
tck=$(getconf CLK_TCK)
sh -c '"$@" > '"$work/cpu.log"' 2>&1; set -- $(cat /proc/$$/stat); echo "${16} ${17}"' sh \
	"$KCAP" record -w "$work/cpu.kcap" --duration $((CPU_SECS + 2)) > "$work/cpu.ticks" &
kp=$!
wait_attached "$work/cpu.log"; sleep 0.5
"$loop" "$CPU_SECS" /etc/hostname 100000 > "$work/cpu.loop"
wait "$kp" || true
n=$(captured "$work/cpu.log")
read -r ut st < "$work/cpu.ticks"
awk -v u="$ut" -v s="$st" -v t="$tck" -v d=$((CPU_SECS + 2)) -v n="${n:-0}" 'BEGIN {
	cpu = (u + s) / t / d * 100; rate = n / d
	printf "recorder CPU      = %.1f%% of one core at %.0f events/s over %ds (user %.2fs sys %.2fs; target <= 10%%)  %s\n", cpu, rate, d, u / t, s / t, (cpu <= 10 ? "MET" : "MISSED") }'
rm -f "$work/cpu.kcap"
