#!/usr/bin/env bash
# kcap against sysdig on a sysdig capture, both tools in the same run (issue 11's targets):
#   tools/bench/scap.sh [COPIES] [ROUNDS]   (defaults: 20 copies of inspect_502Error.scap, 7 rounds)
# The capture is COPIES concatenated copies of Tests/Fixtures/scap/inspect_502Error.scap (20: 447,620 events,
# 27.7 MB; sysdig reads concatenated sections as one, and so does kcap), and the same gzip'd (gzip -6).
# Measured, each round alternating kcap and sysdig so the machine's drift falls on both alike, every run pinned
# to core 0, the best round of each counted (the machine is shared; the slow rounds measure the neighbours):
#   read FILE 'evt.type=open'          kcap vs sysdig 0.29.3 (target: kcap >= 5x faster), plain and gzip'd
#   kcap read of zstd and LZ4 frames    (sysdig reads neither)
#   peak RSS (/usr/bin/time %M)         target < 100 MB, also on a 10x larger capture (memory must not grow)
#   kcap convert FILE -w OUT.kcap       OUT no larger than the gzip'd scap; kcap read OUT 'evt.type=open' vs
#                                       sysdig -r FILE 'evt.type=open' (target >= 5x), same line count
# Wall time is taken with date +%s%N around each run (ms resolution; /usr/bin/time's is 10 ms), peak RSS with
# /usr/bin/time %M. Needs sysdig (Debian's package), gzip, zstd, lz4, /usr/bin/time. Builds kcap in release
# into $SCRATCH (default .build-bench) as it is deployed: one static binary (--static-swift-stdlib: a kcap
# copied to a server runs there, and starts in half the time); KCAP_STATIC=0 builds it against the
# toolchain's shared libraries instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
COPIES=${1:-20}
ROUNDS=${2:-7}
for tool in sysdig gzip zstd lz4; do
    command -v "$tool" >/dev/null || { echo "scap.sh: $tool is not installed (apt-get install $tool)" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "scap.sh: /usr/bin/time is not installed (apt-get install time)" >&2; exit 1; }
PIN=""; command -v taskset >/dev/null && PIN="taskset -c 0"
DIR=$(mktemp -d "${TMPDIR:-/tmp}/kcap-bench-scap.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
SCRATCH=${SCRATCH:-.build-bench}
STATIC=--static-swift-stdlib; [ "${KCAP_STATIC:-1}" = 0 ] && STATIC=
swift build -c release --product kcap $STATIC --scratch-path "$SCRATCH" >&2
KCAP="$(swift build -c release --product kcap $STATIC --scratch-path "$SCRATCH" --show-bin-path)/kcap"

ONE=Tests/Fixtures/scap/inspect_502Error.scap
CAP=$DIR/big.scap
for _ in $(seq "$COPIES"); do cat "$ONE"; done > "$CAP"
gzip -6 -k "$CAP"
zstd -q -3 "$CAP" -o "$CAP.zst"
lz4 -q "$CAP" "$CAP.lz4"
BIG=$DIR/huge.scap  # 10x: memory must not grow with the input
for _ in $(seq 10); do cat "$CAP"; done > "$BIG"
gzip -1 -k "$BIG"
FILTER='evt.type=open'
"$KCAP" convert "$CAP" -w "$DIR/big.kcap" > /dev/null

lines_k=$("$KCAP" read "$CAP" "$FILTER" | wc -l)
lines_s=$(sysdig -r "$CAP" "$FILTER" | wc -l)
lines_c=$("$KCAP" read "$DIR/big.kcap" "$FILTER and evt.dir='<'" | wc -l)
lines_sx=$(sysdig -r "$CAP" "$FILTER and evt.dir='<'" | wc -l)
echo "capture: $COPIES x $(basename "$ONE"), $(stat -c %s "$CAP") bytes ($(stat -c %s "$CAP.gz") gzip'd, $(stat -c %s "$CAP.zst") zstd, $(stat -c %s "$CAP.lz4") lz4)"
echo "lines of '$FILTER': kcap $lines_k, sysdig $lines_s; of '$FILTER and evt.dir=<': kcap on the converted capture $lines_c, sysdig $lines_sx"
echo "converted: $(stat -c %s "$DIR/big.kcap") bytes"
[ "$lines_k" = "$lines_s" ] && [ "$lines_c" = "$lines_sx" ] || { echo "scap.sh: the two tools disagree" >&2; exit 1; }

# one NAME CMD...: one run on core 0; appends "NAME wall_s maxrss_kib" to the runs file.
one() {
    local name=$1; shift
    local t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$DIR/t" $PIN "$@" > /dev/null 2> /dev/null
    t1=$(date +%s%N)
    echo "$name $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }') $(cat "$DIR/t")" >> "$DIR/runs"
}
: > "$DIR/runs"
for _ in $(seq "$ROUNDS"); do
    one kcap-plain "$KCAP" read "$CAP" "$FILTER"
    one sysdig-plain sysdig -r "$CAP" "$FILTER"
    one kcap-gzip "$KCAP" read "$CAP.gz" "$FILTER"
    one sysdig-gzip sysdig -r "$CAP.gz" "$FILTER"
    one kcap-zstd "$KCAP" read "$CAP.zst" "$FILTER"
    one kcap-lz4 "$KCAP" read "$CAP.lz4" "$FILTER"
    one kcap-converted "$KCAP" read "$DIR/big.kcap" "$FILTER"
done
one kcap-10x-plain "$KCAP" read "$BIG" "$FILTER"
one kcap-10x-gzip "$KCAP" read "$BIG.gz" "$FILTER"
one kcap-10x-all-lines "$KCAP" read "$BIG"
one kcap-10x-convert "$KCAP" convert "$BIG.gz" -w "$DIR/huge.kcap"
one kcap-10x-converted "$KCAP" read "$DIR/huge.kcap" "$FILTER"

echo
awk -v gz="$(stat -c %s "$CAP.gz")" -v kc="$(stat -c %s "$DIR/big.kcap")" '
    { if (!($1 in best) || $2 < best[$1]) { best[$1] = $2; rss[$1] = $3 }; if ($3 > peak[$1]) peak[$1] = $3; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
    END {
        printf "%-20s %8s %12s\n", "run", "best_s", "peak_rss_mb"
        for (i = 1; i <= n; i++) { k = order[i]; printf "%-20s %8.4f %12.1f\n", k, best[k], peak[k] / 1024 }
        print ""
        ratio = 0; if (best["kcap-plain"] > 0) ratio = best["sysdig-plain"] / best["kcap-plain"]
        printf "read plain:      kcap %.3f s, sysdig %.3f s: %.1fx (target >= 5x)\n", best["kcap-plain"], best["sysdig-plain"], ratio
        ratio = 0; if (best["kcap-gzip"] > 0) ratio = best["sysdig-gzip"] / best["kcap-gzip"]
        printf "read gzip:       kcap %.3f s, sysdig %.3f s: %.1fx (target >= 5x)\n", best["kcap-gzip"], best["sysdig-gzip"], ratio
        ratio = 0; if (best["kcap-converted"] > 0) ratio = best["sysdig-plain"] / best["kcap-converted"]
        printf "read converted:  kcap %.3f s (OUT.kcap), sysdig %.3f s (the scap): %.1fx (target >= 5x)\n", best["kcap-converted"], best["sysdig-plain"], ratio
        printf "converted size:  %d bytes, gzip'\''d scap %d bytes: %.2fx (target <= 1)\n", kc, gz, kc / gz
        max = 0; for (k in peak) if (k ~ /^kcap/ && peak[k] > max) max = peak[k]
        printf "kcap peak RSS:   %.1f MB over every run (target < 100 MB)\n", max / 1024
    }' "$DIR/runs"
