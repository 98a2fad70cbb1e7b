#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every test. The recorder's tests run for real
# as root with BPF and skip with a printed reason elsewhere; nothing else skips.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/deps.sh
# The kcap binary is built first: the recorder's tests drive it like a user would.
kcap_build
# The release binary too: the bounded-state tests hold what users run to 10 s and 200 MB per hostile input.
kcap_build -c release --product kcap
KCAP_RELEASE_BINARY="$(swift build -c release --show-bin-path)/kcap"
export KCAP_RELEASE_BINARY

set +e
# The fuzzing suite (tools/fuzz.sh: its own instrumented build, then each target for a fixed time) runs beside
# the tests: they mostly keep one core busy, and this machine has two. Its report is printed after theirs.
fuzzlog=$(mktemp /tmp/kcap-fuzz.XXXXXX.log)
# The targets run two at a time (one per core), started in the order reader, engine, scap, filter: the two
# that take hostile files first run 180 s, the others 90 s, so both slots stay busy for 4.5 minutes (1.75 M
# executions in 6 minutes on a fresh clone, 2026-12-07) and the whole suite, installs included, stays under
# 20 minutes on a fresh two-core machine.
KCAP_FUZZ_SECONDS=${KCAP_FUZZ_SECONDS:-90} KCAP_FUZZ_SECONDS_reader=${KCAP_FUZZ_SECONDS_reader:-180} \
    KCAP_FUZZ_SECONDS_scap=${KCAP_FUZZ_SECONDS_scap:-180} \
    bash tools/fuzz.sh >"$fuzzlog" 2>&1 &
fuzzpid=$!
log=$(mktemp /tmp/kcap-test.XXXXXX.log)
# XCTest only: the suite has no Swift Testing tests, and its empty "0 tests" summary would be the last line.
swift test --disable-swift-testing 2>&1 | tee "$log" | grep -vE '^(\[[0-9]+/[0-9]+\] |Test Case .* (started|passed))'
status=${PIPESTATUS[0]}
set -e
# One plain closing line. XCTest's overall summary reads "Executed N tests, with [K tests skipped and] F failures".
total=$(grep -E '^[[:space:]]*Executed [0-9]+ tests?, with ' "$log" | tail -n 1)
if [ -n "$total" ]; then
    ran=$(echo "$total" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/')
    failed=$(echo "$total" | sed -E 's/.* ([0-9]+) failures?.*/\1/')
    skipped=$(echo "$total" | sed -nE 's/.*with ([0-9]+) tests? skipped.*/\1/p')
    skipped=${skipped:-0}
    echo "tests: $((ran - failed - skipped)) passed, $failed failed, $skipped skipped"
fi
rm -f "$log"
# (Under set -e a bare failing wait would end the script before the fuzzers' report is printed.)
fuzzstatus=0
wait "$fuzzpid" || fuzzstatus=$?
cat "$fuzzlog"
rm -f "$fuzzlog"
[ "$status" = 0 ] && status=$fuzzstatus
exit "$status"
