#!/bin/bash
# tools/bench/record.sh: the recorder targets of issue 3, measured in one run and printed as figures and
# ratios. Needs root (BPF), a release build of kcap, cc, and perf (apt-get install -y linux-perf).
#
#   1. syscalls/s of tools/bench/syscall-loop.c (openat/read/close/getppid) with: nothing attached, empty
#      programs on sys_enter/sys_exit (`kcap record --bench-floor`, the floor), `kcap record -w` system-wide,
#      and `perf trace record -a`; ROUNDS interleaved rounds, medians compared.
#      Targets: kcap >= 0.9x floor, kcap >= 2.5x perf trace.
#   2. bytes per event on disk (capture size / captured events) of the kcap runs. Target <= 16.
#   3. drops with both cores running the loop for DROP_SECS (default 30) s with the default buffer. Target 0.
#   4. recorder CPU (user+sys of the kcap process) with the loop paced at 100k syscalls/s. Target <= 10%.
#
# Usage: sudo tools/bench/record.sh            env: KCAP=path ROUNDS=3 SECS=5 DROP_SECS=30 CPU_SECS=10
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
ROUNDS=${ROUNDS:-3}
SECS=${SECS:-5}
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
# stderr once attached; --bench-floor says nothing, so its empty programs are looked for with bpftool.
# Gives up after 5 s (the run then measures part of the loop untraced: the rounds show it).
wait_attached() { # $1 = kcap's log file, or "floor"
	for _ in $(seq 50); do
		if [ "$1" = floor ]; then
			bpftool prog show 2>/dev/null | grep -q "name kcap_empty_" && return
		else
			grep -q "kcap record: recording" "$1" 2>/dev/null && return
		fi
		sleep 0.1
	done
	echo "note: kcap did not report itself attached within 5 s" >&2
}

: > "$work/none" ; : > "$work/floor" ; : > "$work/kcap" ; : > "$work/perf" ; : > "$work/bpe"
for r in $(seq "$ROUNDS"); do
	"$loop" "$SECS" | rate_of >> "$work/none"

	"$KCAP" record --bench-floor --duration $((SECS + 3)) > "$work/floor.log" 2>&1 &
	kp=$!
	wait_attached floor; sleep 0.5
	"$loop" "$SECS" | rate_of >> "$work/floor"
	wait "$kp" || true

	"$KCAP" record -w "$work/r$r.kcap" --duration $((SECS + 3)) > "$work/kcap$r.log" 2>&1 &
	kp=$!
	wait_attached "$work/kcap$r.log"; sleep 0.5
	"$loop" "$SECS" | rate_of >> "$work/kcap"
	wait "$kp" || { echo "kcap record failed:"; cat "$work/kcap$r.log"; exit 1; }
	n=$(captured "$work/kcap$r.log")
	size=$(stat -c %s "$work/r$r.kcap")
	[ -n "$n" ] && [ "$n" -gt 0 ] && awk -v s="$size" -v n="$n" 'BEGIN { printf "%.2f\n", s / n }' >> "$work/bpe"
	rm -f "$work/r$r.kcap"

	if [ "$have_perf" = 1 ]; then
		perf trace record -a -o "$work/perf.data" -- "$loop" "$SECS" 2> "$work/perf.log" | rate_of >> "$work/perf" || true
		rm -f "$work/perf.data"
	fi
	echo "round $r: none $(tail -1 "$work/none")  floor $(tail -1 "$work/floor")  kcap $(tail -1 "$work/kcap")  perf $(tail -1 "$work/perf" 2>/dev/null || true)  bytes/event $(tail -1 "$work/bpe" 2>/dev/null || true)"
done

none=$(median < "$work/none"); floor=$(median < "$work/floor"); kc=$(median < "$work/kcap")
bpe=$(median < "$work/bpe")
echo
echo "syscalls/s (median of $ROUNDS):  none $none   floor $floor   kcap $kc"
awk -v k="$kc" -v f="$floor" 'BEGIN { r = k / f; printf "kcap / floor      = %.2fx  (target >= 0.9x)  %s\n", r, (r >= 0.9 ? "MET" : "MISSED") }'
if [ "$have_perf" = 1 ]; then
	pf=$(median < "$work/perf")
	awk -v k="$kc" -v p="$pf" 'BEGIN { r = k / p; printf "kcap / perf trace = %.2fx  (perf trace record -a: %d syscalls/s; target >= 2.5x)  %s\n", r, p, (r >= 2.5 ? "MET" : "MISSED") }'
fi
awk -v b="$bpe" 'BEGIN { printf "bytes/event       = %.2f  (target <= 16)  %s\n", b, (b <= 16 ? "MET" : "MISSED") }'

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
