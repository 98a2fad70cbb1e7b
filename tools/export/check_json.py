#!/usr/bin/env python3
"""Checks `kcap read -j` (lean JSON lines) of captures against Python's json module and DuckDB's read_json.

For each capture: every line is a JSON object; its keys are in the order docs/json.md lists, with no null
anywhere (evt.args included); the lines are the events `kcap read` prints, one for one (count and evt.num);
and DuckDB's read_json loads the file with the types docs/json.md states. Prints one JSON line of figures per
capture; exits 1 after one line per mismatch.

usage: check_json.py --kcap KCAP --out DIR [--docs docs/json.md] CAPTURE...
"""
import argparse
import json
import os
import re
import subprocess
import sys

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def documented(docs):
    """(key, the DuckDB types it may have) per row of the Fields table in docs/json.md."""
    section = open(docs, encoding="utf-8").read().split("## Fields", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].startswith("`"):
            rows.append((cells[0].strip("`"), re.findall(r"`([^`]+)`", cells[2])))
    return rows


def has_null(v):
    if v is None:
        return True
    if isinstance(v, dict):
        return any(has_null(x) for x in v.values())
    if isinstance(v, list):
        return any(has_null(x) for x in v)
    return False


def check(kcap, out, doc, capture):
    problems = []
    p = subprocess.run([kcap, "read", capture, "-j"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 2):
        return [f"kcap read -j failed: {p.stderr.decode(errors='replace')}"], {}
    text = subprocess.run([kcap, "read", capture, "-p", "%evt.num"], stdout=subprocess.PIPE).stdout.split()
    lines = p.stdout.split(b"\n")[:-1]
    order = [k for k, _ in doc]
    nums = []
    for i, line in enumerate(lines):
        try:
            obj = json.loads(line)
        except ValueError as e:
            problems.append(f"line {i + 1} does not parse: {e}")
            continue
        keys = list(obj)
        if keys != [k for k in order if k in obj] or set(keys) - set(order):
            problems.append(f"line {i + 1}: keys {keys} not in the documented order {order}")
        if has_null(obj):
            problems.append(f"line {i + 1} has a null: {line[:200]!r}")
        if not isinstance(obj.get("evt.args"), dict):
            problems.append(f"line {i + 1}: evt.args is not an object")
        nums.append(obj.get("evt.num"))
        if len(problems) > 5:
            break
    if nums != [int(n) for n in text]:
        problems.append(f"evt.num of the lines differ from kcap read's ({len(nums)} vs {len(text)} events)")

    path = os.path.join(out, os.path.basename(os.path.dirname(os.path.abspath(capture))) + ".json")
    os.makedirs(out, exist_ok=True)
    with open(path, "wb") as f:
        f.write(p.stdout)
    con = duckdb.connect()
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_json(?))",
                             [path]).fetchall())
    for key, allowed in doc:
        got = types.get(key)
        if got is None:
            continue  # a field no event of this capture has (no fd at all)
        if not any(got == t or (t == "STRUCT" and got.startswith("STRUCT(")) for t in allowed):
            problems.append(f"DuckDB reads {key} as {got}, docs/json.md says {allowed}")
    count = con.execute("SELECT count(*) FROM read_json(?)", [path]).fetchone()[0]
    if count != len(text):
        problems.append(f"DuckDB loads {count} rows, kcap read prints {len(text)}")
    size = len(p.stdout)
    return problems, {"capture": capture, "lines": len(lines), "bytes_per_line": round(size / max(1, len(lines)), 1),
                      "duckdb_rows": count, "args_type": types.get("evt.args", "")[:60]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kcap", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--docs", default=os.path.join(ROOT, "docs", "json.md"))
    ap.add_argument("captures", nargs="+")
    a = ap.parse_args()
    doc = documented(a.docs)
    failed = False
    for c in a.captures:
        problems, figures = check(a.kcap, a.out, doc, c)
        print(json.dumps(figures, sort_keys=True))
        for p in problems:
            print(f"MISMATCH: {c}: {p}", file=sys.stderr)
        failed = failed or bool(problems)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
