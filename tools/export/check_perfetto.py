#!/usr/bin/env python3
"""Checks `kcap export --format perfetto` (Perfetto's protobuf trace format) of captures with Perfetto's own
protos (the `perfetto` package: perfetto.protos.perfetto.trace.perfetto_trace_pb2) and against kcap itself.

For each capture:
  * the file parses as a `Trace`; every packet is on one sequence whose first packet clears incremental state
    and carries a clock snapshot (boot time and wall clock);
  * every track event's track was described before it (process tracks with a pid and name, thread tracks with
    pid, tid and name), and every interned name it uses (event names, debug annotation names) was interned
    before or in its packet;
  * on each track, begins and ends pair up the same way in file order and in time order (as trace_processor
    sorts them), and no slice has a negative duration;
  * one slice (timed calls) or instant per event `kcap read` prints (a sysdig capture's entry events have
    none), whose debug annotations are the event's `evt.args` object of `kcap read -j`, value for value;
  * per syscall, the events, slices and total slice nanoseconds equal `kcap stats --json`; process events too;
  * the counter tracks' last values are `kcap info`'s events seen and dropped, one value per counter block.

Prints one JSON line of figures per capture; exits 1 after one line per mismatch.

usage: check_perfetto.py --kcap KCAP --out DIR CAPTURE...
"""
import argparse
import collections
import json
import os

from perfetto.protos.perfetto.trace import perfetto_trace_pb2 as pb

from oracle import check_each, run

BEGIN, END, INSTANT, COUNTER = 1, 2, 3, 4


def annotation_value(a):
    """A debug annotation's value as JSON would have it."""
    kind = a.WhichOneof("value")
    if kind is None and len(a.array_values):
        return [annotation_value(v) for v in a.array_values]
    if kind is None:
        return []  # an empty array
    return getattr(a, kind)


def check(kcap, out, capture):
    problems = []
    run([kcap, "export", capture, "-o", out, "--format", "perfetto"])
    path = os.path.join(out, "trace.pftrace")
    trace = pb.Trace()
    trace.ParseFromString(open(path, "rb").read())
    packets = list(trace.packet)
    # The events that get a slice or an instant: a sysdig capture's syscall entries get none (their exit's
    # slice starts there).
    lines = [json.loads(l) for l in run([kcap, "read", capture, "-j", "--json-fields",
                                         "evt.num,evt.type,evt.dir,evt.args"]).split(b"\n")[:-1]]
    lines = [l for l in lines if l.get("evt.dir") != ">" or l["evt.type"] in ("procfork", "procexec", "procexit")]
    if not packets:
        # A capture with no such events is an empty trace (a Trace with no packets: zero bytes).
        return ([] if not lines else [f"no packets, kcap read prints {len(lines)} events"]), {"capture": capture, "packets": 0}
    first = packets[0]
    if first.sequence_flags & 1 == 0 or not first.HasField("clock_snapshot"):
        problems.append("the first packet does not clear incremental state with a clock snapshot")
    clocks = {c.clock_id for c in first.clock_snapshot.clocks}
    if clocks != {pb.BUILTIN_CLOCK_BOOTTIME, pb.BUILTIN_CLOCK_REALTIME}:
        problems.append(f"clock snapshot clocks {clocks}")

    tracks = {}        # uuid -> ("process", pid, name) | ("thread", pid, tid, name) | ("counter", name)
    event_names, annotation_names = {}, {}
    per_track = collections.defaultdict(list)  # uuid -> [(ts, order, type)]
    events = []        # (name, category, annotations) of each slice begin or instant, in file order
    counters = collections.defaultdict(list)
    for i, p in enumerate(packets):
        if p.trusted_packet_sequence_id != 1:
            problems.append(f"packet {i} is on sequence {p.trusted_packet_sequence_id}")
        if p.HasField("interned_data"):
            for n in p.interned_data.event_names:
                event_names[n.iid] = n.name
            for n in p.interned_data.debug_annotation_names:
                annotation_names[n.iid] = n.name
        if p.HasField("track_descriptor"):
            d = p.track_descriptor
            if d.HasField("thread"):
                if not (d.thread.pid and d.thread.tid and d.thread.thread_name):
                    problems.append(f"thread track {d.uuid} lacks pid, tid or name")
                tracks[d.uuid] = ("thread", d.thread.pid, d.thread.tid, d.thread.thread_name)
            elif d.HasField("process"):
                if not d.process.process_name:
                    problems.append(f"process track {d.uuid} lacks a name")
                tracks[d.uuid] = ("process", d.process.pid, d.process.process_name)
            elif d.HasField("counter"):
                tracks[d.uuid] = ("counter", d.name)
            else:
                problems.append(f"track {d.uuid} is neither a process, a thread nor a counter")
        if not p.HasField("track_event"):
            continue
        e = p.track_event
        if e.track_uuid not in tracks:
            problems.append(f"packet {i}: track {e.track_uuid} used before it is described")
            continue
        if e.type == COUNTER:
            counters[tracks[e.track_uuid][1]].append(e.counter_value)
            continue
        per_track[e.track_uuid].append((p.timestamp, i, e.type))
        if e.type in (BEGIN, INSTANT) and tracks[e.track_uuid][0] == "thread":
            if e.name_iid not in event_names:
                problems.append(f"packet {i}: event name {e.name_iid} not interned")
            args = {}
            for a in e.debug_annotations:
                if a.name_iid not in annotation_names:
                    problems.append(f"packet {i}: annotation name {a.name_iid} not interned")
                args[annotation_names.get(a.name_iid)] = annotation_value(a)
            events.append((event_names.get(e.name_iid), list(e.categories), args, e.type))
        if len(problems) > 5:
            return problems, {}

    # Slices: pairs in file order, and again in time order (a stable sort, as trace_processor's sorter), on
    # the threads whose syscalls do not overlap in time (in a real capture none do: a thread makes one call
    # at a time; a synthetic one may).
    overlapping = set()
    last_exit = {}
    for line in run([kcap, "read", capture, "-p", "*%thread.tid %evt.rawtime %evt.latency"]).decode().splitlines():
        tid, ns, latency = line.split()
        if latency != "<NA>":
            if int(ns) - int(latency) < last_exit.get(tid, -1):
                overlapping.add(int(tid))
            last_exit[tid] = int(ns)
    per_type = collections.defaultdict(lambda: [0, 0, 0])
    slices = 0
    for uuid, evs in per_track.items():
        def pairs(seq):
            stack, out = [], []
            for ts, i, t in seq:
                if t == BEGIN:
                    stack.append((ts, i))
                elif t == END:
                    if not stack:
                        return None
                    b = stack.pop()
                    out.append((b[1], i, ts - b[0]))
            return out if not stack else None
        by_file = pairs(evs)
        by_time = by_file if tracks[uuid][0] == "thread" and tracks[uuid][2] in overlapping else pairs(sorted(evs, key=lambda x: x[0]))
        if by_file is None or by_file != by_time:
            problems.append(f"track {uuid} {tracks[uuid]}: begins and ends do not pair up the same in file and time order")
            continue
        if any(d < 0 for _, _, d in by_file):
            problems.append(f"track {uuid}: a slice with a negative duration")
        if tracks[uuid][0] != "thread":
            continue
        names = {i: packets[i].track_event.name_iid for i, _, _ in by_file}
        for b, _, d in by_file:
            t = per_type[event_names[names[b]]]
            t[1] += 1
            t[2] += d
            slices += 1
    for name, _, _, _ in events:
        per_type[name][0] += 1

    # One slice or instant per event of kcap read, its annotations the JSON arguments.
    if len(lines) != len(events):
        problems.append(f"{len(events)} slices and instants, kcap read prints {len(lines)} events (less entries)")
    wrong = [(l["evt.num"], l["evt.args"], e[2]) for l, e in zip(lines, events) if l["evt.args"] != e[2] or l["evt.type"] != e[0]]
    if wrong:
        problems.append(f"{len(wrong)} events' annotations differ from kcap read -j; first (evt.num, json, trace): {wrong[0]}")

    stats = json.loads(run([kcap, "stats", "--json", "--top", "0", capture]))
    want = {s["name"]: [s["count"], s["timedCount"], s["totalNs"]] for s in stats["topSyscallsByCount"]}
    want.update({k: [v, 0, 0] for k, v in stats.get("processEvents", {}).items()})
    got = dict(per_type)
    if got != want:
        diff = {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}
        problems.append(f"per type (events, slices, total ns) differ, trace vs kcap stats: {diff}")

    scap = open(capture, "rb").read(4) in (b"\x0a\x0d\x0d\x0a",) or capture.endswith(".scap")
    if not scap:
        info = json.loads(run([kcap, "info", "--json", capture]))
        blocks = info["counterBlocks"]
        seen, dropped = counters.get("kcap events seen", []), counters.get("kcap events dropped", [])
        if len(seen) != blocks or len(dropped) != blocks:
            problems.append(f"{len(seen)} seen and {len(dropped)} dropped counter values, {blocks} counter blocks")
        elif blocks and (seen[-1] != info["lastCounters"]["eventsSeen"] or dropped[-1] != info["eventsDropped"]):
            problems.append(f"last counters seen {seen[-1]}, dropped {dropped[-1]} vs kcap info {info['lastCounters']}")
    processes = sum(1 for t in tracks.values() if t[0] == "process")
    threads = sum(1 for t in tracks.values() if t[0] == "thread")
    return problems, {"capture": capture, "packets": len(packets), "events": len(events), "slices": slices,
                      "overlapping_threads": len(overlapping),
                      "processes": processes, "threads": threads, "bytes": os.path.getsize(path)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kcap", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("captures", nargs="+")
    a = ap.parse_args()
    check_each(a.captures, lambda c: check(a.kcap, a.out, c))


if __name__ == "__main__":
    main()
