#!/usr/bin/env bash
# The fuzzing suite: builds kcap-fuzz with libFuzzer (-sanitize=fuzzer,address) and runs each target for a
# fixed time. Targets: reader (the capture reader), engine (a whole replay through the printers and stats),
# scap (a sysdig capture through its reader, the engine and the printers), filter (filter and -p format
# parsing, compiled and evaluated on a real capture). Capture targets use the structure-aware mutators in
# Sources/KcapFuzz (kcap: CRCs recomputed after each mutation; scap: a block's two lengths written anew), so
# the decoders are tested, not the checksums and framing.
#
# Seeds: Tests/Fixtures/*/capture.kcap (scap: Tests/Fixtures/scap/*.scap), Tests/FuzzCorpus/TARGET/,
# Tests/FuzzRegressions/TARGET/. New corpus
# entries go to a scratch directory. A crash, timeout (-timeout) or OOM (-rss_limit_mb) writes its input to
# Tests/FuzzRegressions/TARGET/ (commit it: FuzzRegressionTests replays every file there) and fails the run.
#
# Environment: KCAP_FUZZ_SECONDS (per target, default 60; KCAP_FUZZ_SECONDS_reader and the like for one),
# KCAP_FUZZ_TARGETS (default "reader engine scap filter", started in that order), KCAP_FUZZ_JOBS (targets run at once, default one per
# core), KCAP_FUZZ_RSS_MB (default 2048), KCAP_FUZZ_TIMEOUT (seconds per input, default 10).
# Prints per target: `fuzz: TARGET: N executions in S s (R exec/s), corpus C`, then `fuzz: P passed, F failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/deps.sh
kcap_install_deps
kcap_require_swift

default_seconds=${KCAP_FUZZ_SECONDS:-60}
targets=${KCAP_FUZZ_TARGETS:-reader engine scap filter}
rss=${KCAP_FUZZ_RSS_MB:-2048}
timeout=${KCAP_FUZZ_TIMEOUT:-10}
jobs=${KCAP_FUZZ_JOBS:-$(nproc)}
scratch=.build-fuzz

start=$(date +%s)
# -sanitize=fuzzer on every Swift module gives coverage instrumentation; libFuzzer's main is linked into the
# one executable, whose Swift main is compiled out by KCAP_LIBFUZZER. lld: gold fails on ASan's debug info.
kcap_build -c release --scratch-path "$scratch" --product kcap-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DKCAP_LIBFUZZER -Xswiftc -use-ld=lld
bin=$("$(command -v swift)" build -c release --scratch-path "$scratch" --show-bin-path)/kcap-fuzz
echo "fuzz: build took $(( $(date +%s) - start )) s"

fixtures=$(ls Tests/Fixtures/*/capture.kcap | paste -sd, -)
scap_fixtures=$(ls Tests/Fixtures/scap/*.scap* | paste -sd, -)

# fuzz_target T REPORT: runs target T for the time budget and writes its report lines to REPORT; its exit
# status says whether it found nothing.
fuzz_target() {
    local t=$1 report=$2 work log status execs rate peak corpus before new
    local var="KCAP_FUZZ_SECONDS_$t" seconds
    seconds=${!var:-$default_seconds}
    mkdir -p "Tests/FuzzRegressions/$t" "Tests/FuzzCorpus/$t"
    work=$(mktemp -d "/tmp/kcap-fuzz-$t.XXXXXX")
    log="$work.log"
    # Leaks are not findings here (lazy tables live for the process); LSan after every input costs half the
    # speed. ASan without malloc stack traces: a report still names the faulting access. A 16 MB quarantine
    # instead of 256 MB keeps the fuzzer near kcap's own peak RSS (the reader peaked at 205 MB with the default).
    local args=(-max_total_time="$seconds" -rss_limit_mb="$rss" -timeout="$timeout" -print_final_stats=1 -detect_leaks=0
          -artifact_prefix="Tests/FuzzRegressions/$t/" -max_len=16384)
    # Capture inputs up to 16 KiB: the two fixtures above that are cut (FuzzRegressionTests replays them whole).
    # Measured in 20 s: the reader 1030 -> 2102 exec/s and the engine 69 -> 228, at equal or higher coverage.
    case $t in
        filter) args+=(-dict=tools/fuzz/filter.dict -max_len=4096) ;;
        scap) args+=(-seed_inputs="$scap_fixtures") ;;
        *) args+=(-seed_inputs="$fixtures") ;;
    esac
    before=$(ls "Tests/FuzzRegressions/$t" | wc -l)
    set +e
    ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0:detect_leaks=0:quarantine_size_mb=16} KCAP_FUZZ_TARGET=$t "$bin" "${args[@]}" "$work" "Tests/FuzzCorpus/$t" "Tests/FuzzRegressions/$t" >"$log" 2>&1
    status=$?
    set -e
    execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -n 1)
    rate=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$log" | tail -n 1)
    peak=$(sed -nE 's/^stat::peak_rss_mb: *([0-9]+).*/\1/p' "$log" | tail -n 1)
    corpus=$(ls "$work" | wc -l)
    new=$(( $(ls "Tests/FuzzRegressions/$t" | wc -l) - before ))
    {
        echo "fuzz: $t: ${execs:-0} executions in $seconds s (${rate:-0} exec/s), corpus $corpus, peak RSS ${peak:-?} MB"
        echo "executions ${execs:-0}"
        if [ "$status" = 0 ] && [ "$new" = 0 ]; then
            echo "fuzz: $t: 1 passed, 0 failed"
        else
            echo "fuzz: $t: 0 passed, 1 failed (status $status); the fuzzer's report:"
            grep -E '^(==[0-9]+==|SUMMARY|    #[0-9]+ |Fatal error|.*ERROR: libFuzzer|artifact_prefix|Test unit written)' "$log" | head -n 40 | sed 's/^/  /'
            echo "fuzz: $t: the input is kept in Tests/FuzzRegressions/$t/ (commit it); full log $log; corpus $work"
        fi
    } > "$report"
    [ "$status" = 0 ] && [ "$new" = 0 ] && rm -rf "$work" "$log"
    [ "$status" = 0 ] && [ "$new" = 0 ]
}

# The targets run side by side, KCAP_FUZZ_JOBS at a time (default: one per core): each is one single-threaded
# libFuzzer process, and a core left idle once the tests beside them finish is executions lost.
reports=$(mktemp -d /tmp/kcap-fuzz-reports.XXXXXX)
running=0
for t in $targets; do
    if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
    fuzz_target "$t" "$reports/$t" &
    running=$((running + 1))
done
wait || true
passed=0 failed=0 total=0
for t in $targets; do
    [ -s "$reports/$t" ] || echo "fuzz: $t: 0 passed, 1 failed (it ended without a report)" > "$reports/$t"
    grep -v '^executions ' "$reports/$t"
    total=$((total + $(sed -n 's/^executions //p' "$reports/$t" | grep . || echo 0)))
    if grep -q "^fuzz: $t: 1 passed" "$reports/$t"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
rm -rf "$reports"
echo "fuzz: $total executions in all"
echo "fuzz: $passed passed, $failed failed"
[ "$failed" = 0 ]
