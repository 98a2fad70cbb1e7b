#!/usr/bin/env python3
"""Checks `kcap export --format chrome` (a Chrome JSON trace) of captures against the trace-event format's
documented fields and against kcap itself.

For each capture: the file is one JSON object with a traceEvents list; every event has the fields its phase
requires (X: ts, dur >= 0; i: ts, scope; M: process_name/thread_name with args.name; C: numeric args; all: pid,
tid, and name); the slices and instants are the events `kcap read` prints, one for one; per syscall, the number
of events, the number of slices (timed calls) and the sum of their durations in nanoseconds equal
`kcap stats --json`; every event's thread and process have names. Prints one JSON line of figures per capture;
exits 1 after one line per mismatch.

usage: check_trace.py --kcap KCAP --out DIR CAPTURE...
"""
import argparse
import collections
import json
import numbers
import os

from oracle import check_each, run


def ns(micros):
    """Nanoseconds of a microsecond value written with three decimals."""
    return round(micros * 1000)


def check(kcap, out, capture):
    problems = []
    run([kcap, "export", capture, "-o", out, "--format", "chrome"])
    doc = json.load(open(os.path.join(out, "trace.json")))
    events = doc.get("traceEvents")
    if not isinstance(events, list):
        return ["no traceEvents list"], {}
    named_p, named_t = set(), set()
    per_type = collections.defaultdict(lambda: [0, 0, 0])
    slices = 0
    for i, e in enumerate(events):
        ph = e.get("ph")
        if not all(isinstance(e.get(k), int) for k in ("pid", "tid")) or not isinstance(e.get("name"), str):
            problems.append(f"event {i} lacks pid, tid or name: {e}")
        elif ph == "M":
            if e["name"] not in ("process_name", "thread_name") or not isinstance(e.get("args", {}).get("name"), str):
                problems.append(f"metadata event {i} is not a process or thread name: {e}")
            (named_p if e["name"] == "process_name" else named_t).add((e["pid"], e["tid"]) if e["name"] == "thread_name" else e["pid"])
        elif ph in ("X", "i"):
            if not isinstance(e.get("ts"), numbers.Number) or not isinstance(e.get("args"), dict):
                problems.append(f"event {i} lacks ts or args: {e}")
            if ph == "X" and not (isinstance(e.get("dur"), numbers.Number) and e["dur"] >= 0):
                problems.append(f"slice {i} lacks a duration: {e}")
            if ph == "i" and e.get("s") not in ("t", "p", "g"):
                problems.append(f"instant {i} has no scope: {e}")
            if e["pid"] not in named_p or (e["pid"], e["tid"]) not in named_t:
                problems.append(f"event {i}'s process or thread has no name before it")
            t = per_type[e["name"]]
            t[0] += 1
            if ph == "X":
                t[1] += 1
                t[2] += ns(e["dur"])
                slices += 1
        elif ph == "C":
            if not all(isinstance(v, numbers.Number) for v in e.get("args", {}).values()):
                problems.append(f"counter {i} has non-numeric values: {e}")
        else:
            problems.append(f"event {i} has an unknown phase {ph!r}")
        if len(problems) > 5:
            break
    # One slice or instant per event kcap read prints. A sysdig capture's syscall entries have none (the exit's
    # slice starts there); for those captures the per-type comparison with kcap stats below is the check.
    total = sum(t[0] for t in per_type.values())
    with open(capture, "rb") as f:
        scap = f.read(4) == b"\x0a\x0d\x0d\x0a" or f.name.endswith(".scap")
    lines = run([kcap, "read", capture]).count(b"\n")
    if total != lines and not scap:
        problems.append(f"{total} slices and instants, kcap read prints {lines} events")
    stats = json.loads(run([kcap, "stats", "--json", "--top", "0", capture]))
    want = {s["name"]: [s["count"], s["timedCount"], s["totalNs"]] for s in stats["topSyscallsByCount"]}
    want.update({k: [v, 0, 0] for k, v in stats.get("processEvents", {}).items()})
    got = {k: v for k, v in per_type.items()}
    if got != want:
        diff = {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}
        problems.append(f"per type (events, slices, total ns) differ, trace vs kcap stats: {diff}")
    return problems, {"capture": capture, "events": total, "slices": slices, "types": len(per_type),
                      "bytes": os.path.getsize(os.path.join(out, "trace.json"))}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kcap", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("captures", nargs="+")
    a = ap.parse_args()
    check_each(a.captures, lambda c: check(a.kcap, a.out, c))


if __name__ == "__main__":
    main()
