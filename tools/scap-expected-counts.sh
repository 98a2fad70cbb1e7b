#!/usr/bin/env bash
# Writes what sysdig prints for each filter on each capture, as line counts: the oracle ScapConformanceTests
# holds kcap to. Needs Debian's `sysdig` package (it reads captures; it cannot record here).
#   tools/scap-expected-counts.sh FILTERS_TSV CAPTURE... > Tests/Fixtures/scap/expected_counts_more_sysdig-0.29.3.tsv
# FILTERS_TSV is expected_counts_sysdig-0.29.3.tsv (idx<TAB>filter in its first two columns).
set -euo pipefail
filters=$1; shift
printf 'idx\tfilter'
for c in "$@"; do printf '\t%s' "$(basename "$c" .scap)"; done
printf '\n'
tail -n +2 "$filters" | while IFS=$'\t' read -r idx filter _; do
    printf '%s\t%s' "$idx" "$filter"
    for c in "$@"; do printf '\t%s' "$(sysdig -r "$c" "$filter" 2>/dev/null | wc -l)"; done
    printf '\n'
done
