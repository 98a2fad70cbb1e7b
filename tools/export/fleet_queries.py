#!/usr/bin/env python3
"""Asks a partitioned kcap dataset (`kcap export CAPTURE... -o DIR`) the fleet questions of docs/fleet.md with
DuckDB and with Spark (pyspark in local mode), and asks kcap itself the same of each capture:

  1. top syscalls by time per host: calls and total latency of the syscalls that took the most time;
  2. the processes that executed a given binary (--binary; by default the one executed most often);
  3. connections per remote address: events, failures, bytes moved and time in syscalls per remote IP (the
     events on sockets whose peer is that address), as `kcap stats --by fd.rip` groups them;
  4. p99 latency per syscall: the nearest-rank 99th percentile of the timed calls.

Each engine answers per host and capture (the capture is the file name kcap gave it in the dataset: its name
and its position on the command line; a capture whose hour recurs, so that it has a second file `NAME-2`, is
not supported here); kcap answers with `kcap stats --json --top 0` and `kcap read` of each
capture. Prints the answers side by side and one JSON line of figures; exits 1 when an engine's answer
differs from kcap's. kcap's p99 comes from a histogram with two significant digits (the top of the exact
value's bucket, within 1/128 above it): the engines' exact p99 must lie in that bucket, and both engines must
give the same exact value.

usage: fleet_queries.py --kcap KCAP --dataset DIR [--engines duckdb,spark] [--binary PATH] [--top N]
                        [--quiet] CAPTURE...   (the captures, in the order they were given to kcap export)
"""
import argparse
import collections
import json
import os
import re
import sys
import time

from oracle import run


def capture_names(captures):
    """The file stem kcap export gives each capture in a dataset: its name and its position."""
    stems = [os.path.splitext(os.path.basename(c))[0] for c in captures]
    return stems if len(stems) == 1 else [f"{s}-{i + 1}" for i, s in enumerate(stems)]


# The questions, per engine. `{events}`, `{connections}`: the tables; `{source}`: the capture's file stem.
DUCKDB = {
    "events": "read_parquet('{dir}/events/**/*.parquet', hive_partitioning = true, filename = true)",
    "connections": "read_parquet('{dir}/connections/**/*.parquet', hive_partitioning = true, filename = true)",
    "source": "regexp_extract(filename, '([^/]+)\\.parquet$', 1)",
    "q": lambda c: f'"{c}"',
    "p99": "list_sort(list(\"evt.latency\"))[ceil(0.99 * count(\"evt.latency\"))::BIGINT]",
}
SPARK = {
    "source": "regexp_extract(input_file_name(), '([^/]+)\\\\.parquet$', 1)",
    "q": lambda c: f"`{c}`",
    "p99": "element_at(sort_array(collect_list(`evt.latency`)), int(ceil(0.99 * count(`evt.latency`))))",
}


def queries(e, binary, top):
    q = e["q"]
    syscall = f"{q('evt.rawres')} IS NOT NULL AND {q('evt.dir')} = '<'"
    return {
        "top_syscalls_by_time": f"""
            SELECT host, source, type, n, ns FROM (
              SELECT host, source, type, n, ns,
                     row_number() OVER (PARTITION BY host, source ORDER BY ns DESC, type) AS r
              FROM (SELECT host, {e['source']} AS source, {q('evt.type')} AS type, count(*) AS n,
                           coalesce(sum({q('evt.latency')}), 0) AS ns
                    FROM events WHERE {syscall} GROUP BY 1, 2, 3) AS t) AS ranked
            WHERE r <= {top} ORDER BY host, source, ns DESC, type""",
        "executed_binary": f"""
            SELECT host, {e['source']} AS source, {q('proc.pid')} AS pid, {q('proc.cmdline')} AS cmdline
            FROM events WHERE {q('evt.type')} = 'procexec' AND {q('evt.args')}.filename = '{binary}'
            ORDER BY 1, 2, 3""",
        "connections_per_remote_address": f"""
            SELECT host, {e['source']} AS source, {q('fd.rip')} AS rip, count(*) AS events,
                   count(*) FILTER (WHERE {q('evt.failed')}) AS errors, coalesce(sum({q('evt.buflen')}), 0) AS bytes,
                   coalesce(sum({q('evt.latency')}), 0) AS ns
            FROM events WHERE {q('fd.rip')} IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""",
        "p99_latency_per_syscall": f"""
            SELECT host, {e['source']} AS source, {q('evt.type')} AS type, count({q('evt.latency')}) AS timed,
                   {e['p99']} AS p99
            FROM events WHERE {syscall} AND {q('evt.latency')} IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""",
    }


def plain(rows):
    """Rows as lists of plain values (Spark's Row and DuckDB's tuples alike)."""
    return [[int(v) if isinstance(v, (int,)) and not isinstance(v, bool) else v for v in r] for r in rows]


def ask_duckdb(dataset, binary, top):
    import duckdb
    con = duckdb.connect()
    con.execute(f"CREATE VIEW events AS SELECT * FROM {DUCKDB['events'].format(dir=dataset)}")
    con.execute(f"CREATE VIEW connections AS SELECT * FROM {DUCKDB['connections'].format(dir=dataset)}")
    count = con.execute("SELECT count(*) FROM events").fetchone()[0]
    return count, {k: plain(con.execute(sql).fetchall()) for k, sql in queries(DUCKDB, binary, top).items()}


def ask_spark(dataset, binary, top):
    # Local mode talks to itself only: no lookup of the host name (and no warning about it).
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[1]").appName("kcap fleet")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.shuffle.partitions", "1")
             # Spark refuses Parquet's TIMESTAMP(NANOS) unless told to read it as nanoseconds in a long.
             .config("spark.sql.legacy.parquet.nanosAsLong", "true")
             .config("spark.driver.extraJavaOptions", "-Dlog4j2.level=ERROR").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    spark.read.parquet(os.path.join(dataset, "events")).createOrReplaceTempView("events")
    spark.read.parquet(os.path.join(dataset, "connections")).createOrReplaceTempView("connections")
    count = spark.sql("SELECT count(*) FROM events").collect()[0][0]
    answers = {k: plain([list(r) for r in spark.sql(sql).collect()]) for k, sql in queries(SPARK, binary, top).items()}
    spark.stop()
    return count, answers


def ask_kcap(kcap, captures, binary, top):
    """The same answers from kcap stats and kcap read, per capture."""
    answers = collections.defaultdict(list)
    p99 = {}
    events = 0
    for capture, source in zip(captures, capture_names(captures)):
        host = json.loads(run([kcap, "info", "--json", capture]))["header"]["hostname"]
        host = re.sub(r"[^A-Za-z0-9._-]", "_", host) or "unknown"
        stats = json.loads(run([kcap, "stats", "--json", "--top", "0", capture]))
        events += stats["events"]
        by_time = sorted(stats["topSyscallsByCount"], key=lambda s: (-s["totalNs"], s["name"]))[:top]
        answers["top_syscalls_by_time"] += [[host, source, s["name"], s["count"], s["totalNs"]] for s in by_time]
        for line in run([kcap, "read", capture, "-p", "%proc.pid\x1f%proc.cmdline",
                         f"evt.type=procexec and proc.exepath={binary}"]).decode().splitlines():
            pid, cmdline = line.split("\x1f")
            answers["executed_binary"].append([host, source, int(pid), cmdline])
        by_ip = json.loads(run([kcap, "stats", "--json", "--top", "0", "--by", "fd.rip", capture]))
        answers["connections_per_remote_address"] += sorted(
            [host, source, r["key"]["fd.rip"], r["count"], r["errors"], r["bytes"], r["time_ns"]]
            for r in by_ip["rows"] if r["key"]["fd.rip"] != "<NA>")
        for s in stats["topSyscallsByCount"]:
            if s.get("latencyNs"):
                p99[(host, source, s["name"])] = (s["timedCount"], s["latencyNs"]["p99"])
    return events, answers, p99


def compare(name, got, kcap, p99):
    """The mismatches of one engine's answer to one question against kcap's."""
    if name == "p99_latency_per_syscall":
        problems = []
        got_keys = {(h, s, t) for h, s, t, _, _ in got}
        if got_keys != set(p99):
            problems.append(f"syscalls with timed calls differ: {sorted(got_keys ^ set(p99))[:5]}")
        for h, s, t, timed, exact in got:
            k_timed, k_p99 = p99.get((h, s, t), (None, None))
            if k_p99 is None:
                continue
            # The histogram's bucket of the exact value: from it to at most 1/128 above (and never past max).
            if timed != k_timed or not exact <= k_p99 <= exact + exact // 128 + 1:
                problems.append(f"{h} {s} {t}: timed {timed}, p99 {exact}; kcap stats: timed {k_timed}, p99 {k_p99}")
        return problems
    if sorted(got) != sorted(kcap):
        diff = [r for r in got if r not in kcap][:3], [r for r in kcap if r not in got][:3]
        return [f"rows differ (engine only, kcap only): {diff}"]
    return []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kcap", required=True)
    ap.add_argument("--dataset", required=True)
    ap.add_argument("--engines", default="duckdb,spark")
    ap.add_argument("--binary")
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--quiet", action="store_true", help="print only the figures line")
    ap.add_argument("captures", nargs="+")
    a = ap.parse_args()
    binary = a.binary
    if binary is None:
        import duckdb
        binary = duckdb.connect().execute(
            f"SELECT \"evt.args\".filename FROM {DUCKDB['events'].format(dir=a.dataset)} WHERE \"evt.type\" = 'procexec' "
            "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()[0]
    events, want, p99 = ask_kcap(a.kcap, a.captures, binary, a.top)
    figures = {"captures": len(a.captures), "kcap_events": events, "binary": binary}
    failed = False
    for engine in a.engines.split(","):
        start = time.time()
        count, got = (ask_duckdb if engine == "duckdb" else ask_spark)(a.dataset, binary, a.top)
        figures[f"{engine}_rows"] = count
        figures[f"{engine}_seconds"] = round(time.time() - start, 1)
        if count != events:
            print(f"MISMATCH: {engine} reads {count} rows, kcap stats counts {events} events", file=sys.stderr)
            failed = True
        for name, rows in got.items():
            problems = compare(name, rows, want[name], p99)
            for p in problems:
                print(f"MISMATCH: {engine}: {name}: {p}", file=sys.stderr)
            failed = failed or bool(problems)
            figures[f"{engine}_{name}"] = len(rows)
            if not a.quiet:
                print(f"\n== {name} ({engine})" + (f": {binary}" if name == "executed_binary" else ""))
                # Each row beside kcap's for the same host, capture and key (its first three values).
                kcap_rows = {tuple(k[:3]): k[3:] for k in want[name]} if name != "p99_latency_per_syscall" else \
                    {k: list(v) for k, v in p99.items()}
                for r in rows:
                    k = kcap_rows.get(tuple(r[:3]))
                    print("  " + "  ".join(str(v) for v in r) + f"   | kcap: {'  '.join(str(v) for v in (k or ['-']))}")
    print(json.dumps(figures, sort_keys=True))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
