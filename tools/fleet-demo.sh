#!/usr/bin/env bash
# Several hosts, one dataset, the same questions asked of DuckDB, Spark and kcap (docs/fleet.md).
# Records one capture per host (web1, web2, db1), each inside its own UTS namespace (`unshare --uts`) so it
# carries its own host name, running tools/fleet-workload.sh; exports them into one Hive-partitioned dataset;
# then asks it, with DuckDB and with Spark (pyspark in local mode, on the machine's JDK 17+), for the top
# syscalls by time per host, the processes that executed curl, the traffic per remote address and the p99
# latency per syscall, and prints each answer beside `kcap stats` of the same capture (tools/export/fleet_queries.py;
# it exits 1 when an engine's answer differs from kcap's).
# Without root or BPF it says why and uses the recorded fixtures instead (hosts "vm" and "synthetic").
# Without Java it asks DuckDB only. pyspark is pip-installed when missing (about 300 MB).
#   tools/fleet-demo.sh [DIR]   (default /tmp/kcap-fleet; ROUNDS=N for a busier workload)
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/deps.sh
kcap_build -c release --product kcap
kcap="$(swift build -c release --product kcap --show-bin-path)/kcap"
work=${1:-/tmp/kcap-fleet}
rounds=${ROUNDS:-20}
rm -rf "$work"
mkdir -p "$work"

binary=/usr/bin/curl
if "$kcap" doctor >/dev/null 2>&1 && unshare --uts true 2>/dev/null && command -v curl >/dev/null; then
    captures=()
    for host in web1 web2 db1; do
        mkdir -p "$work/captures/$host"
        echo "== $host: kcap record -w $work/captures/$host/trace.kcap -- bash tools/fleet-workload.sh $host $rounds"
        unshare --uts sh -c 'hostname "$1" && shift && exec "$@"' sh "$host" \
            "$kcap" record -w "$work/captures/$host/trace.kcap" -- bash tools/fleet-workload.sh "$host" "$rounds"
        captures+=("$work/captures/$host/trace.kcap")
    done
else
    echo "== this machine cannot record in UTS namespaces (see: $kcap doctor; needs root, BPF, unshare, curl);"
    echo "   using the recorded fixtures instead"
    captures=(Tests/Fixtures/*/capture.kcap)
    binary=/usr/bin/cat
fi
echo
echo "== kcap export ${captures[*]} -o $work/fleet"
"$kcap" export "${captures[@]}" -o "$work/fleet"
(cd "$work/fleet" && find . -name '*.parquet' | sort | sed 's/^/   /')

engines=duckdb
if command -v java >/dev/null 2>&1; then
    if ! python3 -c "import pyspark" 2>/dev/null; then
        echo "== installing pyspark with pip (about 300 MB)"
        PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install -q --disable-pip-version-check pyspark >&2
    fi
    engines=duckdb,spark
else
    echo "== no java on PATH: DuckDB only (Spark needs a JDK 17+)"
fi
echo
echo "== the questions, per host and capture: DuckDB and Spark over $work/fleet, beside kcap stats of each capture"
python3 tools/export/fleet_queries.py --kcap "$kcap" --dataset "$work/fleet" --engines "$engines" \
    --binary "$binary" "${captures[@]}" 2> >(grep -v -e '^WARNING' -e ' WARN ' -e 'log4j' -e 'log level' -e 'setLogLevel' >&2)
