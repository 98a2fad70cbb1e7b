#!/usr/bin/env bash
# Capture-format throughput: CaptureWriter / CaptureReader against Debian's lz4 on the same raw bytes, in one run.
#   tools/bench/format.sh [MIB]   (default 1024 MiB of raw records; big files go to $TMPDIR or /tmp, removed at exit)
# Prints raw MB/s and records/s for each side and the ratios the targets are stated in:
#   reader (decompress + CRC + walk every record) >= 0.8x `lz4 -d`; writer (chunk + compress + CRC) >= 0.8x `lz4 -1`.
set -euo pipefail
cd "$(dirname "$0")/../.."
MIB=${1:-1024}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/kcap-bench-format.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
command -v lz4 >/dev/null || { echo "format.sh: lz4 is not installed (apt-get install lz4)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "format.sh: /usr/bin/time is not installed (apt-get install time)" >&2; exit 1; }

swift build -c release --product kcap-bench --scratch-path "${SCRATCH:-.build-bench}" >&2
BIN="$(swift build -c release --product kcap-bench --scratch-path "${SCRATCH:-.build-bench}" --show-bin-path)/kcap-bench"

RAW=$DIR/records.raw CAP=$DIR/records.kcap LZ=$DIR/records.lz4
"$BIN" format gen "$RAW" "$MIB"
RAWBYTES=$(stat -c %s "$RAW")
RECORDS=$(( RAWBYTES / 102 ))  # overwritten below with the writer's exact count
cat "$RAW" > /dev/null          # page cache, for every contender alike

secs() { # run a command, print its wall time in seconds
    local t0 t1; t0=$(date +%s.%N); "$@"; t1=$(date +%s.%N); echo "$t0 $t1" | awk '{printf "%.3f", $2-$1}'
}

W_OUT=$("$BIN" format write "$RAW" "$CAP"); echo "$W_OUT"
RECORDS=$(echo "$W_OUT" | awk '{print $2}')
T_W=$(echo "$W_OUT" | sed -n 's/.* in \([0-9.]*\) s.*/\1/p')
T_LZC=$(secs sh -c "lz4 -q -1 -f -c '$RAW' > '$LZ'")
CAPBYTES=$(stat -c %s "$CAP"); LZBYTES=$(stat -c %s "$LZ")
sync; cat "$CAP" "$LZ" > /dev/null

/usr/bin/time -v -o "$DIR/read.time" "$BIN" format read "$CAP" > "$DIR/read.out"
R_OUT=$(cat "$DIR/read.out"); echo "$R_OUT"
T_R=$(echo "$R_OUT" | sed -n 's/.* in \([0-9.]*\) s.*/\1/p')
RSS_R=$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$DIR/read.time")
/usr/bin/time -v -o "$DIR/lz4d.time" sh -c "lz4 -q -d -c '$LZ' > /dev/null"
T_LZD=$(awk -F'): ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.3f", s}' "$DIR/lz4d.time")
RSS_LZD=$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$DIR/lz4d.time")

awk -v raw="$RAWBYTES" -v rec="$RECORDS" -v tw="$T_W" -v tlc="$T_LZC" -v tr="$T_R" -v tld="$T_LZD" \
    -v cap="$CAPBYTES" -v lz="$LZBYTES" -v rss="$RSS_R" -v rssl="$RSS_LZD" 'BEGIN {
    printf "\nraw data: %.1f MiB, %d records (%.1f bytes/record)\n", raw/1048576, rec, raw/rec
    printf "%-28s %10s %12s %12s %10s\n", "", "seconds", "MB/s (raw)", "M records/s", "ratio"
    printf "%-28s %10.3f %12.1f %12.2f %10.2f\n", "kcap write (CaptureWriter)", tw, raw/tw/1e6, rec/tw/1e6, raw/cap
    printf "%-28s %10.3f %12.1f %12.2f %10.2f\n", "lz4 -1", tlc, raw/tlc/1e6, rec/tlc/1e6, raw/lz
    printf "%-28s %10.3f %12.1f %12.2f\n", "kcap read (CaptureReader)", tr, raw/tr/1e6, rec/tr/1e6
    printf "%-28s %10.3f %12.1f %12.2f\n", "lz4 -d", tld, raw/tld/1e6, rec/tld/1e6
    printf "\nwrite vs lz4 -1: %.2fx (target >= 0.8x)\n", tlc/tw
    printf "read  vs lz4 -d: %.2fx (target >= 0.8x)\n", tld/tr
    printf "capture %.2f bytes/record (lz4 file %.2f)\n", cap/rec, lz/rec
    printf "reader max RSS: %.1f MiB (lz4 -d: %.1f MiB)\n", rss/1024, rssl/1024
}'
