#!/usr/bin/env bash
# How much of what `strace -f` shows a kcap capture shows too (tools/strace_compare.py has the details).
#   sudo tools/strace-compare.sh [--json] [--keep DIR] [--kcap PATH] -- CMD [ARGS...]   one command
#   sudo tools/strace-compare.sh --suite [--json] [--kcap PATH]                          the eight commands of
#                                                                                       issue 10 (the CI test's)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" = "--suite" ]; then
    shift
    exec python3 "$here/strace_compare_suite.py" "$@"
fi
exec python3 "$here/strace_compare.py" "$@"
