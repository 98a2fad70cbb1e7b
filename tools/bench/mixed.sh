#!/bin/bash
# tools/bench/mixed.sh: capture size and replay speed on a real mixed workload, recorded system-wide with
# kcap record's default options (issue 14). The workload, scripted and the same every run:
#   1. git clone (file://, so pack negotiation and checkout run as with a remote) of this repository;
#   2. tar: pack the clone, unpack it elsewhere, pack it again gzip'd;
#   3. find over /usr/include and the unpacked tree, with -name and -newer tests, and a grep -r;
#   4. a small build: 24 generated C files compiled by make -j2 and linked.
# Prints: events, file size, bytes/event (target <= 20), `kcap info`'s compression, and `kcap read` speed
# (best of ROUNDS, pinned to one core; to /dev/null: text lines, and a filter scan). With KEEP=PATH the
# capture is kept there (for kcap-bench format codecs, or an old binary's `kcap read`).
#
# The recording is system-wide: what else runs on the machine (other builds) is in it too, and moves the
# event count and bytes/event by a few percent between runs; the per-codec comparisons of `kcap-bench format
# codecs` are taken on one capture, so they are exact.
#
# The workload runs REPEAT times (default 2, each in a fresh directory), so the snapshots at the file's start
# and end weigh little against the events.
#
# Usage: sudo tools/bench/mixed.sh         env: KCAP=path (release kcap), ROUNDS=3, REPEAT=2, KEEP=path
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
KCAP=${KCAP:-$here/.build/release/kcap}
[ -x "$KCAP" ] || { echo "mixed.sh: no release kcap at $KCAP; run: swift build -c release --product kcap (or set KCAP=)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "mixed.sh: needs root (BPF)" >&2; exit 1; }
for t in git tar gzip find make cc; do command -v $t >/dev/null || { echo "mixed.sh: needs $t" >&2; exit 1; }; done
ROUNDS=${ROUNDS:-3}
REPEAT=${REPEAT:-2}
work=$(mktemp -d /tmp/kcap-mixed.XXXXXX)
trap 'rm -rf "$work"' EXIT
PIN=""; command -v taskset >/dev/null && PIN="taskset -c 0"

# The workload, in its own script so that it can also be recorded alone (-- COMMAND).
cat > "$work/workload.sh" <<'WORK'
#!/bin/bash
set -euo pipefail
repo=$1 w=$2
git clone -q --no-hardlinks "file://$repo" "$w/clone"
tar -C "$w" -cf "$w/clone.tar" clone
mkdir -p "$w/unpacked" && tar -C "$w/unpacked" -xf "$w/clone.tar"
tar -C "$w" -czf "$w/clone.tgz" unpacked
find /usr/include -name '*.h' -newer "$w/clone.tar" -o -name 'std*' -print | wc -l > /dev/null
find "$w/unpacked" -type f -size +1k | wc -l > /dev/null
grep -r -l -s "func " "$w/unpacked" | wc -l > /dev/null
mkdir -p "$w/build"
for i in $(seq 1 24); do
	printf '#include <stdio.h>\n#include <string.h>\n#include <stdlib.h>\nint f%d(int x) { char b[64]; snprintf(b, sizeof b, "%%d", x); return (int)strlen(b) + %d; }\n' "$i" "$i" > "$w/build/f$i.c"
done
{ printf 'int main(void) { int s = 0;'; for i in $(seq 1 24); do printf ' extern int f%d(int); s += f%d(%d);' "$i" "$i" "$i"; done; printf ' return s == 0; }\n'; } > "$w/build/main.c"
printf 'OBJS := $(patsubst %%.c,%%.o,$(wildcard *.c))\nprog: $(OBJS)\n\tcc -o $@ $^\n%%.o: %%.c\n\tcc -O1 -c -o $@ $<\n' > "$w/build/Makefile"
make -s -C "$w/build" -j2
"$w/build/prog" || true
WORK
chmod +x "$work/workload.sh"

echo "kcap: $KCAP   kernel: $(uname -r)   cpus: $(nproc)   load: $(cut -d' ' -f1-3 /proc/loadavg)"
cap=$work/mixed.kcap
# Column coding is opt-in (it costs the reader 3-11%); KCAP_COLUMN_CODING=0 measures the default layout.
KCAP_COLUMN_CODING=${KCAP_COLUMN_CODING:-1} "$KCAP" record -w "$cap" > "$work/rec.log" 2>&1 &
kp=$!
for _ in $(seq 100); do grep -q "kcap record: recording" "$work/rec.log" 2>/dev/null && break; sleep 0.1; done
start=$(date +%s.%N)
for i in $(seq "$REPEAT"); do
	"$work/workload.sh" "$here" "$work/w$i" > "$work/workload.log" 2>&1 || { echo "workload failed:"; cat "$work/workload.log"; kill -INT $kp; exit 1; }
done
end=$(date +%s.%N)
kill -INT $kp
wait $kp || true
n=$(sed -n 's/.*captured \([0-9]*\) events.*/\1/p' "$work/rec.log" | tail -1)
d=$(sed -n 's/.*captured [0-9]* events, dropped \([0-9]*\).*/\1/p' "$work/rec.log" | tail -1)
size=$(stat -c %s "$cap")
awk -v n="$n" -v d="$d" -v s="$size" -v t="$(echo "$end - $start" | bc)" 'BEGIN {
	printf "workload: %.1f s;  recorded system-wide: %d events (%.0f/s), dropped %d\n", t, n, n / t, d
	printf "capture: %d bytes, %.2f bytes/event (target <= 20)  %s\n", s, s / n, (s / n <= 20 ? "MET" : "MISSED") }'
"$KCAP" info "$cap" | grep -E "^(records|event bytes|blocks)"

best() { # NAME CMD...: fastest of ROUNDS runs on one core: "NAME wall cpu"
	local name=$1; shift
	for _ in $(seq "$ROUNDS"); do
		/usr/bin/time -f "%e %U %S" -o "$work/t" $PIN "$@" > /dev/null 2>/dev/null
		awk -v n="$name" '{ printf "%s %.3f %.3f\n", n, $1, $2 + $3 }' "$work/t"
	done | sort -k2 -n | head -1
}
{
	best read-text "$KCAP" read "$cap"
	best read-filter "$KCAP" read "$cap" "evt.type=openat and fd.name contains .git"
} | awk -v n="$n" '{ printf "kcap read %-7s %.3f s wall, %.3f s cpu: %.2f M events/s (cpu)\n", substr($1, 6), $2, $3, n / ($3 > 0 ? $3 : $2) / 1e6 }'
if [ -n "${KEEP:-}" ]; then cp "$cap" "$KEEP"; echo "kept: $KEEP"; fi
