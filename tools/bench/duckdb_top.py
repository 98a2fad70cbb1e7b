#!/usr/bin/env python3
"""Top syscalls by total latency over an exported events.parquet, with DuckDB on one thread: the question
tools/bench/export.sh times against `kcap stats` on the capture. With --compare STATS_JSON (kcap stats --json
--top 0 of the same capture), checks that the counts and nanosecond totals of every syscall are kcap's and
prints one line; exits 1 when they differ.

usage: duckdb_top.py EVENTS.parquet [--compare STATS_JSON]
"""
import json
import sys

import duckdb

con = duckdb.connect(config={"threads": 1})
rows = con.execute(
    'SELECT "evt.type", count(*), coalesce(sum("evt.latency"), 0)::BIGINT FROM read_parquet(?) '
    'WHERE "evt.rawres" IS NOT NULL AND "evt.dir" = \'<\' GROUP BY 1 ORDER BY 3 DESC, 1', [sys.argv[1]]).fetchall()
if len(sys.argv) > 3 and sys.argv[2] == "--compare":
    stats = json.load(open(sys.argv[3]))
    want = sorted(((s["name"], s["count"], s["totalNs"]) for s in stats["topSyscallsByCount"]), key=lambda r: (-r[2], r[0]))
    if [tuple(r) for r in rows] != want:
        sys.exit(f"DuckDB's top syscalls differ from kcap stats: {rows[:5]} vs {want[:5]}")
    print(f"DuckDB and kcap stats agree on {len(rows)} syscalls; top: {rows[0][0]} {rows[0][1]} calls {rows[0][2]} ns")
