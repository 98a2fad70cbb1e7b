#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every test. The recorder's tests run for real
# as root with BPF and skip with a printed reason elsewhere; nothing else skips.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/deps.sh
kcap_install_deps
kcap_require_swift

# The kcap binary is built first: the recorder's tests drive it like a user would.
set +e
swift build 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] '
[ "${PIPESTATUS[0]}" = 0 ] || { echo "kcap: build failed (see above)" >&2; exit 1; }
swift test 2>&1 | tee /tmp/kcap-test.log | grep -vE '^(\[[0-9]+/[0-9]+\] |Test Case .* (started|passed))'
status=${PIPESTATUS[0]}
set -e
exit "$status"
