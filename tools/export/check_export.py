#!/usr/bin/env python3
"""Checks `kcap export --format parquet` of one capture against real readers and against kcap itself.

  * pyarrow reads the file, and its schema (names, Arrow types, nullability, footer schema version) is the
    table in docs/export.md;
  * DuckDB reads it, with the DuckDB types docs/export.md states;
  * the `evt.args` struct has a field per key of docs/export.md's argument table, of the kind it states;
  * the row count equals the lines of `kcap read CAPTURE FILTER`, in both readers;
  * grouped counts and sums equal `kcap stats --json --top 0 CAPTURE FILTER`: events per syscall, failures
    per syscall, timed calls and total latency per syscall, process events per kind, events per process,
    failures per errno.

Each capture is checked without a filter and with each --filter. Prints one JSON line of figures per check;
exits 1 after printing one line per mismatch. tools/deps.sh installs duckdb and
pyarrow.

usage: check_export.py --kcap KCAP --out DIR [--docs docs/export.md] [--filter FILTER]... CAPTURE...
"""
import argparse
import collections
import json
import os
import re
import sys
import types

import duckdb
import pyarrow.parquet as pq

from oracle import run

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def documented_columns(docs, table):
    """(name, arrow type, duckdb type, nullable) per row of TABLE's table in docs/export.md, and its version."""
    text = open(docs, encoding="utf-8").read()
    section = text.split(f"## The {table} table", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        m = re.match(r"\|\s*`([^`]+)`\s*\|[^|]*\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|\s*(yes|no)\s*\|", line)
        if m:
            rows.append((m.group(1), m.group(2), m.group(3), m.group(4) == "yes"))
    version = re.search(r"Schema version `([^`]+)`", section)
    return rows, version.group(1) if version else None


ARGUMENT_TYPES = {"integer": "int64", "string": "string", "boolean": "bool", "list": "list<element: string not null>"}


def documented_arguments(docs):
    """{key: arrow type} from docs/export.md's table of `evt.args` keys (one row per kind, its keys listed)."""
    text = open(docs, encoding="utf-8").read()
    section = text.split("## The `evt.args` struct", 1)[1].split("\n## ", 1)[0]
    keys = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 5 and cells[0] in ARGUMENT_TYPES:
            for k in re.findall(r"`([^`]+)`", cells[4]):
                keys[k] = ARGUMENT_TYPES[cells[0]]
    return keys


def check_arguments_schema(arrow, docs, problems):
    """The struct's fields (names, in byte order, and types) against docs/export.md's key table."""
    struct = arrow.schema.field("evt.args").type
    got = {struct.field(i).name: str(struct.field(i).type) for i in range(struct.num_fields)}
    want = documented_arguments(docs)
    if got != want:
        diff = {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}
        problems.append(f"evt.args fields differ from docs/export.md (file, docs): {diff}")
    names = [struct.field(i).name for i in range(struct.num_fields)]
    if names != sorted(names, key=lambda n: n.encode()):
        problems.append("evt.args fields are not in byte order")


def capture_is_scap(path):
    """True for a sysdig/falco capture (its section header block, or gzip'd), which kcap reads besides its own."""
    with open(path, "rb") as f:
        head = f.read(4)
    return head == b"\x0a\x0d\x0d\x0a" or head[:2] == b"\x1f\x8b"


def check_schema(path, docs, table, problems):
    """pyarrow's schema and footer version, and DuckDB's types, against docs/export.md."""
    arrow = pq.ParquetFile(path).read()
    got = [(f.name, "struct" if f.name == "evt.args" else str(f.type), f.nullable) for f in arrow.schema]
    doc, version = documented_columns(docs, table)
    want = [(n, t, nullable) for n, t, _, nullable in doc]
    if got != want:
        problems.append(f"{table}: schema differs from docs/export.md: file {got} docs {want}")
    meta = {k.decode(): v.decode() for k, v in (arrow.schema.metadata or {}).items()}
    if meta.get("kcap.schema") != version:
        problems.append(f"{table}: footer kcap.schema {meta.get('kcap.schema')!r}, docs say {version!r}")
    types = duckdb.connect().execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
                                     [path]).fetchall()
    want_types = [(n, d) for n, _, d, _ in doc]
    types = [(n, "STRUCT" if t.startswith("STRUCT(") else t) for n, t in types]
    if types != want_types:
        problems.append(f"{table}: DuckDB types differ from docs/export.md: {types} vs {want_types}")
    return arrow


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kcap", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--docs", default=os.path.join(ROOT, "docs", "export.md"))
    ap.add_argument("--filter", action="append", help="a filter to check too (repeatable; no filter is always checked)")
    ap.add_argument("--dataset", action="store_true",
                    help="also export every capture together into one Hive-partitioned dataset and check it")
    ap.add_argument("captures", nargs="+")
    a = ap.parse_args()
    failed = False
    if a.dataset:
        for f in [""] + (a.filter or []):
            problems = check_dataset(a.kcap, os.path.join(a.out, "dataset"), a.captures, f)
            for p in problems:
                print(f"MISMATCH: dataset {f!r}: {p}", file=sys.stderr)
            failed = failed or bool(problems)
    for capture in a.captures:
        for f in [""] + (a.filter or []):
            problems = check(a.kcap, a.out, a.docs, capture, f)
            for p in problems:
                print(f"MISMATCH: {capture} {f!r}: {p}", file=sys.stderr)
            failed = failed or bool(problems)
    sys.exit(1 if failed else 0)


def check_dataset(kcap, out, captures, filter_text):
    """Exports CAPTURES together (a Hive-style dataset) and checks that DuckDB and pyarrow.dataset read it as one
    table whose rows per (host, date, hour) are the events `kcap read` prints per capture's host and UTC hour,
    and whose processes per host add up to `kcap stats` of the unfiltered captures."""
    import datetime
    import pyarrow.dataset as ds
    flt = [filter_text] if filter_text else []
    if os.path.exists(out):
        import shutil
        shutil.rmtree(out)
    run([kcap, "export"] + captures + ["-o", out] + flt)
    problems = []
    want_hours = collections.Counter()
    want_events = collections.Counter()
    for c in captures:
        host = json.loads(run([kcap, "info", "--json", c]))["header"]["hostname"]
        host = re.sub(r"[^A-Za-z0-9._-]", "_", host) or "unknown"
        for line in run([kcap, "read", c, "-p", "%evt.rawtime"] + flt).split():
            t = datetime.datetime.fromtimestamp(int(line) // 1_000_000_000, datetime.timezone.utc)
            want_hours[(host, t.strftime("%Y-%m-%d"), t.strftime("%H"))] += 1
        want_events[host] += json.loads(run([kcap, "stats", "--json", c]))["events"]
    con = duckdb.connect()
    got = {(h, str(d), hr): n for h, d, hr, n in con.execute(
        "SELECT host, date, hour, count(*) FROM read_parquet(?, hive_partitioning = true) GROUP BY ALL",
        [os.path.join(out, "events", "**", "*.parquet")]).fetchall()}
    if got != dict(want_hours):
        problems.append(f"DuckDB rows per (host, date, hour) {got} vs kcap read {dict(want_hours)}")
    table = ds.dataset(os.path.join(out, "events"), format="parquet", partitioning="hive").to_table()
    if table.num_rows != sum(want_hours.values()):
        problems.append(f"pyarrow.dataset reads {table.num_rows} rows, kcap read prints {sum(want_hours.values())}")
    if table.schema.names[-3:] != ["host", "date", "hour"]:
        problems.append(f"pyarrow.dataset columns end {table.schema.names[-3:]}, not the partition keys")
    got_events = dict(con.execute(
        'SELECT host, sum("proc.events")::BIGINT FROM read_parquet(?, hive_partitioning = true) GROUP BY 1',
        [os.path.join(out, "processes", "**", "*.parquet")]).fetchall())
    if got_events != dict(want_events):
        problems.append(f"processes: events per host {got_events} vs kcap stats {dict(want_events)}")
    print(json.dumps({"dataset": out, "filter": filter_text, "captures": len(captures), "rows": table.num_rows,
                      "partitions": len(got), "files": sum(len(f) for _, _, f in os.walk(out))}, sort_keys=True))
    return problems


def check(kcap, out, docs, capture, filter_text):
    """Exports CAPTURE with FILTER_TEXT into OUT and checks it; prints its figures, returns the mismatches."""
    a = types.SimpleNamespace(kcap=kcap, out=out, docs=docs, capture=capture, filter=filter_text)
    flt = [a.filter] if a.filter else []
    problems = []

    run([a.kcap, "export", a.capture, "-o", a.out] + flt)
    path = os.path.join(a.out, "events.parquet")
    # Events kcap read prints, one `-p` line each (the default line of a sysdig container event holds its JSON,
    # newline included, as sysdig prints it).
    read_lines = run([a.kcap, "read", a.capture, "-p", "*%evt.num"] + flt).count(b"\n")
    stats = json.loads(run([a.kcap, "stats", "--json", "--top", "0", a.capture] + flt))

    table = check_schema(path, a.docs, "events", problems)
    check_arguments_schema(table, a.docs, problems)
    if table.num_rows != read_lines:
        problems.append(f"pyarrow reads {table.num_rows} rows, kcap read prints {read_lines} lines")

    # DuckDB: count and groups.
    con = duckdb.connect()
    con.read_parquet(path).create_view("e")
    count = con.execute("SELECT count(*) FROM e").fetchone()[0]
    if count != read_lines:
        problems.append(f"DuckDB counts {count} rows, kcap read prints {read_lines} lines")
    if count != stats["events"]:
        problems.append(f"DuckDB counts {count} rows, kcap stats counts {stats['events']} events")
    # kcap stats counts a syscall once: a sysdig capture's entry events (evt.dir '>') are left out of the
    # groups below. Its per-process counts of a sysdig capture follow rules of their own (not compared).
    scap = capture_is_scap(a.capture)

    per_syscall = {r[0]: r[1:] for r in con.execute(
        'SELECT "evt.type", count(*), count(*) FILTER ("evt.failed"), count("evt.latency"), '
        'coalesce(sum("evt.latency"), 0) FROM e WHERE "evt.rawres" IS NOT NULL AND "evt.dir" = \'<\' GROUP BY 1').fetchall()}
    kcap_syscalls = {s["name"]: (s["count"], s["errors"], s["timedCount"], s["totalNs"])
                     for s in stats["topSyscallsByCount"]}
    if per_syscall != kcap_syscalls:
        diff = {k: (per_syscall.get(k), kcap_syscalls.get(k)) for k in set(per_syscall) | set(kcap_syscalls)
                if per_syscall.get(k) != kcap_syscalls.get(k)}
        problems.append(f"per syscall (count, errors, timed, total ns) differ, DuckDB vs kcap stats: {diff}")

    proc_events = dict(con.execute(
        'SELECT "evt.type", count(*) FROM e WHERE "evt.rawres" IS NULL GROUP BY 1').fetchall())
    if proc_events != stats.get("processEvents", {}):
        problems.append(f"process events {proc_events} vs kcap stats {stats.get('processEvents')}")

    per_pid = dict(con.execute('SELECT "proc.pid", count(*) FROM e WHERE "evt.dir" = \'<\' GROUP BY 1').fetchall())
    kcap_pids = {p["pid"]: p["events"] for p in stats["topProcessesByEvents"]}
    if per_pid != kcap_pids and not scap:
        problems.append(f"events per process differ: DuckDB {per_pid} vs kcap stats {kcap_pids}")

    per_errno = dict(con.execute(
        'SELECT "evt.res", count(*) FROM e WHERE "evt.failed" GROUP BY 1').fetchall())
    kcap_errno = {x["name"]: x["count"] for x in stats["errors"]}
    if per_errno != kcap_errno:
        problems.append(f"failures per errno differ: DuckDB {per_errno} vs kcap stats {kcap_errno}")

    # Every value of every row, against `kcap read -p` of the same fields (the format sink renders each field
    # as filters see it): NULL is its <NA>, booleans true/false, evt.time the raw epoch nanoseconds.
    names = [f.name for f in table.schema if f.name != "evt.args"]
    fields = ["evt.rawtime" if n == "evt.time" else n for n in names]
    fmt = "*" + "\x1f".join("%" + f for f in fields)
    printed = run([a.kcap, "read", a.capture, "-p", fmt] + flt).decode("utf-8", "replace").split("\n")[:-1]
    select = ", ".join('epoch_ns("evt.time")' if n == "evt.time" else f'"{n}"' for n in names)
    rows = con.execute(f'SELECT {select} FROM e ORDER BY "evt.num"').fetchall()

    def text(v):
        if v is None:
            return "<NA>"
        if isinstance(v, bool):
            return "true" if v else "false"
        return str(v)
    differing = collections.Counter()
    example = {}
    compared = 0
    for line, row in zip(printed, rows):
        values = line.split("\x1f")
        if len(values) != len(names):
            problems.append(f"kcap read -p printed {len(values)} values, not {len(names)}: {line!r}")
            break
        for n, want, got in zip(names, values, row):
            compared += 1
            if text(got) != want:
                differing[n] += 1
                example.setdefault(n, (line.split("\x1f")[0], want, text(got)))
    if len(printed) != len(rows) or differing:
        problems.append(f"values differ from kcap read -p: {dict(differing)}; first (evt.num, read, table): {example}")

    # evt.args: per row, the struct's non-null fields are the typed object of `kcap read -j` (docs/json.md),
    # read by pyarrow (DuckDB's struct values are checked on a sample: they are the same column chunks).
    lines = run([a.kcap, "read", a.capture, "-j", "--json-fields", "evt.num,evt.args"] + flt).split(b"\n")[:-1]
    args = table.sort_by("evt.num").column("evt.args").to_pylist()
    wrong, first_wrong = 0, None
    for line, got in zip(lines, args):
        want = json.loads(line)
        got = {k: v for k, v in got.items() if v is not None}
        compared += len(got)
        if got != want.get("evt.args"):
            wrong += 1
            first_wrong = first_wrong or (want.get("evt.num"), want.get("evt.args"), got)
    if wrong or len(lines) != len(args):
        problems.append(f"evt.args of {wrong} rows differ from kcap read -j ({len(lines)} lines, {len(args)} rows); "
                        f"first (evt.num, json, table): {first_wrong}")
    ddb_args = con.execute('SELECT "evt.args" FROM e ORDER BY "evt.num" LIMIT 200').fetchall()
    if [{k: v for k, v in r[0].items() if v is not None} for r in ddb_args] != \
            [{k: v for k, v in r.items() if v is not None} for r in args[:200]]:
        problems.append("DuckDB reads evt.args differently from pyarrow")

    # The processes table follows every event of the window, whatever the filter.
    ppath = os.path.join(a.out, "processes.parquet")
    check_schema(ppath, a.docs, "processes", problems)
    con.read_parquet(ppath).create_view("p")
    stats_all = json.loads(run([a.kcap, "stats", "--json", "--top", "0", a.capture])) if flt else stats
    lifetimes = dict(con.execute('SELECT "proc.pid", sum("proc.events") FROM p GROUP BY 1').fetchall())
    all_pids = {p["pid"]: p["events"] for p in stats_all["topProcessesByEvents"]}
    if lifetimes != all_pids and not scap:
        problems.append(f"processes: events per pid {lifetimes} vs kcap stats {all_pids}")
    # Exits and forks as `kcap read` prints them: `procexit status=N group_dead=1`, `procfork ... child_pid=N`.
    read_exits = []
    for line in run([a.kcap, "read", a.capture, "-p", "%proc.pid %evt.rawtime %evt.args",
                     "evt.type=procexit"]).decode().splitlines():
        m = re.match(r"(\d+) (\d+) status=(-?\d+) group_dead=1", line)
        if m:
            read_exits.append((int(m.group(1)), int(m.group(2)), int(m.group(3))))
    table_exits = sorted(con.execute(
        'SELECT "proc.pid", epoch_ns("proc.end"), coalesce("proc.exit_status", -1) FROM p '
        'WHERE "proc.end" IS NOT NULL').fetchall())
    if sorted(read_exits) != table_exits:
        problems.append(f"processes: exits (pid, ns, status) {table_exits} vs kcap read {sorted(read_exits)}")
    read_forks = {}
    for line in run([a.kcap, "read", a.capture, "-p", "%evt.rawtime %evt.args", "evt.type=procfork"]).decode().splitlines():
        m = re.match(r"(\d+) child_tid=(\d+) child_pid=(\d+)", line)
        if m and m.group(2) == m.group(3):
            read_forks[int(m.group(3))] = int(m.group(1))
    starts = dict(con.execute('SELECT "proc.pid", epoch_ns("proc.start") FROM p').fetchall())
    wrong = {pid: (starts.get(pid), ns) for pid, ns in read_forks.items() if starts.get(pid) != ns}
    if wrong:
        problems.append(f"processes: start (table, fork event) differ: {wrong}")

    # The connections table: its sums per fd.name are kcap stats' connections (names that moved data).
    cpath = os.path.join(a.out, "connections.parquet")
    check_schema(cpath, a.docs, "connections", problems)
    conns = {r[0]: list(r[1:]) for r in duckdb.connect().execute(
        'SELECT "fd.name", sum("conn.bytes_read")::BIGINT, sum("conn.bytes_written")::BIGINT, '
        'sum("conn.reads")::BIGINT, sum("conn.writes")::BIGINT FROM read_parquet(?) GROUP BY 1 '
        'HAVING sum("conn.reads") + sum("conn.writes") > 0', [cpath]).fetchall()}
    want_conns = {c["name"]: [c["bytesRead"], c["bytesWritten"], c["reads"], c["writes"]]
                  for c in stats_all["topConnections"]}
    if conns != want_conns:
        problems.append(f"connections: (bytes read, written, reads, writes) per fd.name {conns} vs kcap stats {want_conns}")

    figures = {"capture": a.capture, "filter": a.filter, "rows": count, "read_lines": read_lines,
               "syscall_types": len(per_syscall), "processes": len(per_pid), "row_groups": pq.ParquetFile(path).num_row_groups, "values_compared": compared,
               "lifetimes": sum(1 for _ in starts), "connections": len(conns), "exits": len(table_exits), "forks": len(read_forks),
               "parquet_bytes": os.path.getsize(path), "processes_bytes": os.path.getsize(ppath), "capture_bytes": os.path.getsize(a.capture)}
    print(json.dumps(figures, sort_keys=True))
    return problems


if __name__ == "__main__":
    main()
