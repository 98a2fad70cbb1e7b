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
# The fuzzing suite (tools/fuzz.sh) joins this script once the engine crash it found
# (tools/fuzz/open-crashes/) is fixed and its rate reaches 1 M executions per run.
exit "$status"
