#!/usr/bin/env bash
# The main job on a built-in default: installs what is missing, builds kcap in release, records a few seconds
# of a built-in workload (tools/demo-workload.sh), then describes, summarises and reads the capture, and ends by
# writing its HTML report (kcap report) and saying where it is.
# Without root or BPF it says why and replays a recorded fixture instead, as any analyst would.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/deps.sh
kcap_build -c release --product kcap
kcap=.build/release/kcap
capture=${KCAP_DEMO_CAPTURE:-/tmp/kcap-demo.kcap}

if "$kcap" doctor >/dev/null 2>&1; then
    echo "== kcap record -w $capture -- bash tools/demo-workload.sh 3"
    "$kcap" record -w "$capture" -- bash tools/demo-workload.sh 3
else
    echo "== this machine cannot record (see: $kcap doctor); replaying a recorded fixture instead"
    capture=$(ls Tests/Fixtures/*/capture.kcap | head -n 1)
fi
echo
echo "== kcap info $capture"
"$kcap" info "$capture"
echo
echo "== kcap stats $capture"
"$kcap" stats "$capture"
echo
echo "== kcap read $capture 'evt.failed=true and proc.name=cat' | head -n 5"
"$kcap" read "$capture" 'evt.failed=true and proc.name=cat' | head -n 5
echo
echo "== kcap read $capture 'fd.type=ipv4' | head -n 12"
"$kcap" read "$capture" 'fd.type=ipv4' | head -n 12
echo
report=${KCAP_DEMO_REPORT:-/tmp/kcap-demo-report.html}
echo "== kcap report $capture -o $report"
"$kcap" report "$capture" -o "$report"
echo "The report is $report: open it in any browser (it needs no network), e.g. xdg-open $report"
