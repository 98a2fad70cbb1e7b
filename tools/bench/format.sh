#!/usr/bin/env bash
# Capture-format throughput: CaptureWriter / CaptureReader against Debian's lz4 on the same raw bytes, in one run.
#   tools/bench/format.sh [MIB] [ROUNDS]   (defaults: 1024 MiB of raw records, 3 rounds)
# Big files go to $TMPDIR or /tmp and are removed at exit. Every contender runs as its own process under
# /usr/bin/time, ROUNDS times interleaved; the best round counts (the machine is shared, so the slowest rounds
# measure the neighbours). Ratios are given on wall time and on CPU time (user + sys), the latter being the
# fairer one when other processes compete for the cores. Targets:
#   reader (pread + CRC32C + LZ4 + walk every record) >= 0.8x `lz4 -d`; writer (chunk + LZ4 + CRC32C) >= 0.8x `lz4 -1`.
set -euo pipefail
cd "$(dirname "$0")/../.."
MIB=${1:-1024}
ROUNDS=${2:-3}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/kcap-bench-format.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
command -v lz4 >/dev/null || { echo "format.sh: lz4 is not installed (apt-get install lz4)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "format.sh: /usr/bin/time is not installed (apt-get install time)" >&2; exit 1; }

SCRATCH=${SCRATCH:-.build-bench}
swift build -c release --product kcap-bench --scratch-path "$SCRATCH" >&2
BIN="$(swift build -c release --product kcap-bench --scratch-path "$SCRATCH" --show-bin-path)/kcap-bench"

RAW=$DIR/records.raw CAP=$DIR/records.kcap LZ=$DIR/records.lz4
"$BIN" format gen "$RAW" "$MIB"
RAWBYTES=$(stat -c %s "$RAW")

# run NAME CMD...: one timed run; appends "NAME wall cpu maxrss_kib" to $DIR/runs
run() {
    local name=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$DIR/t" "$@" > "$DIR/$name.out"
    awk -v n="$name" '{printf "%s %.3f %.3f %d\n", n, $1, $2 + $3, $4}' "$DIR/t" >> "$DIR/runs"
}
: > "$DIR/runs"
cat "$RAW" > /dev/null  # page cache, for every contender alike
for r in $(seq "$ROUNDS"); do
    run kcap_write "$BIN" format write "$RAW" "$CAP"
    run lz4_c sh -c "exec lz4 -q -1 -f -c '$RAW' > '$LZ'"
    run kcap_read "$BIN" format read "$CAP"
    run lz4_d sh -c "exec lz4 -q -d -c '$LZ' > /dev/null"
done
cat "$DIR/kcap_write.out" "$DIR/kcap_read.out"
grep -q "problems 0)" "$DIR/kcap_read.out" || { echo "format.sh: the reader reported problems" >&2; exit 1; }
RECORDS=$(awk '{print $2; exit}' "$DIR/kcap_write.out")
READ_RECORDS=$(awk '{print $2; exit}' "$DIR/kcap_read.out")
[ "$RECORDS" = "$READ_RECORDS" ] || { echo "format.sh: wrote $RECORDS records, read $READ_RECORDS" >&2; exit 1; }
CAPBYTES=$(stat -c %s "$CAP"); LZBYTES=$(stat -c %s "$LZ")

awk -v raw="$RAWBYTES" -v rec="$RECORDS" -v cap="$CAPBYTES" -v lz="$LZBYTES" -v rounds="$ROUNDS" '
{ if (!($1 in w) || $2 < w[$1]) w[$1] = $2; if (!($1 in c) || $3 < c[$1]) c[$1] = $3; if ($4 > m[$1]) m[$1] = $4 }
END {
    printf "\nraw data: %.1f MiB, %d records (%.1f bytes/record); best of %d rounds\n", raw/1048576, rec, raw/rec, rounds
    printf "%-28s %8s %8s %12s %12s %12s %8s\n", "", "wall s", "cpu s", "MB/s wall", "MB/s cpu", "Mrec/s wall", "ratio"
    split("kcap_write lz4_c kcap_read lz4_d", order, " ")
    label["kcap_write"] = "kcap write (CaptureWriter)"; label["lz4_c"] = "lz4 -1"
    label["kcap_read"] = "kcap read (CaptureReader)"; label["lz4_d"] = "lz4 -d"
    ratio["kcap_write"] = sprintf("%.2f", raw/cap); ratio["lz4_c"] = sprintf("%.2f", raw/lz)
    for (i = 1; i <= 4; i++) { k = order[i]
        printf "%-28s %8.3f %8.3f %12.1f %12.1f %12.2f %8s\n", label[k], w[k], c[k], raw/w[k]/1e6, raw/c[k]/1e6, rec/w[k]/1e6, ratio[k] }
    printf "\nwrite vs lz4 -1: %.2fx wall, %.2fx cpu (target >= 0.8x)\n", w["lz4_c"]/w["kcap_write"], c["lz4_c"]/c["kcap_write"]
    printf "read  vs lz4 -d: %.2fx wall, %.2fx cpu (target >= 0.8x)\n", w["lz4_d"]/w["kcap_read"], c["lz4_d"]/c["kcap_read"]
    printf "capture %.2f bytes/record (lz4 file %.2f)\n", cap/rec, lz/rec
    printf "max RSS: reader %.1f MiB, writer %.1f MiB, lz4 -d %.1f MiB\n", m["kcap_read"]/1024, m["kcap_write"]/1024, m["lz4_d"]/1024
}' "$DIR/runs"
