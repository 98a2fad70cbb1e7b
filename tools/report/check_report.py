#!/usr/bin/env python3
"""Holds `kcap report` pages to a real browser and to kcap's own answers.

    check_report.py --kcap BIN --out DIR [--filter F] [--screenshots DIR] CAPTURE...

For each capture (and, with --filter, for each capture with that filter too): writes its report, opens it in
headless Chromium (Debian's `chromium`) twice, once for the DOM the page's script built (--dump-dom) and once for
a screenshot, and checks that
  - the page ran without a script error (its own window.onerror hook writes into the DOM) and Chromium logged
    nothing from it on the console (the page never writes to the console: any line is an error, an SVG
    attribute Chromium rejected included);
  - the screenshot is not blank: many distinct colours, and a good share of pixels not background;
  - the numbers on the page equal `kcap stats --json --top 50` with the same filter: events, syscalls,
    processes, drops (total and by reason), every row of the syscall table (count, errors, total time,
    percentiles), the processes by events (events, errors), errors by errno, files and connections (bytes),
    and the timeline's per-process sums;
  - the `kcap read` command of sampled rows lists what the row counts (a syscall's calls, a process's
    events, an errno's failures, one representative event by its number).
Prints one JSON object per page (its figures) and exits 1 at the first failed check, saying which.
"""
import argparse
import html.parser
import json
import os
import shlex
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from concurrent.futures import ThreadPoolExecutor

SCREEN = (1280, 1400)


def fail(message):
    print(f"check_report: {message}", file=sys.stderr)
    sys.exit(1)


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    fail("no chromium on PATH: run `bash tools/deps.sh` (it installs Debian's chromium)")


def chromium(page, *args):
    """Runs headless Chromium on `page` with `args`; returns (stdout, stderr)."""
    profile = tempfile.mkdtemp(prefix="kcap-chromium-")
    try:
        cmd = [chromium_binary(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-extensions", "--disable-background-networking", "--disable-sync",
               "--enable-logging=stderr", "--v=0", f"--user-data-dir={profile}",
               f"--window-size={SCREEN[0]},{SCREEN[1]}", *args, "file://" + os.path.abspath(page)]
        r = subprocess.run(cmd, capture_output=True, timeout=120)
        return r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def console_lines(stderr):
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


# ---- the DOM ----

class Dom(html.parser.HTMLParser):
    """Elements by id (their attributes and text), and each table's rows as lists of cell attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.by_id = {}
        self.root_attrs = {}
        self.tables = {}
        self.stack = []  # (tag, attrs, id-or-None, text parts)
        self.table = None
        self.row = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.root_attrs = a
        if tag == "table" and "id" in a:
            self.table = a["id"]
            self.tables[self.table] = []
        if tag == "tr" and self.table is not None and "data-key" in a:
            self.row = {"attrs": a, "cells": []}
            self.tables[self.table].append(self.row)
        if tag == "td" and self.row is not None:
            self.row["cells"].append(a)
        if tag in ("br", "meta", "link", "img", "input", "hr"):
            return
        self.stack.append((tag, a, []))

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = None
        if tag == "tr":
            self.row = None
        while self.stack:
            t, a, text = self.stack.pop()
            if "id" in a:
                self.by_id[a["id"]] = {"attrs": a, "text": "".join(text)}
            if self.stack:
                self.stack[-1][2].extend(text)
            if t == tag:
                break

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][2].append(data)


# ---- the screenshot ----

def decode_png(data):
    """(width, height, bytes per pixel, rows) of an 8-bit RGB or RGBA PNG, unfiltered."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("the screenshot is not a PNG")
    pos, idat = 8, []
    width = height = depth = ctype = interlace = None
    while pos < len(data):
        n, = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + n
    if depth != 8 or ctype not in (2, 6) or interlace != 0:
        fail(f"unexpected PNG layout: depth {depth}, colour type {ctype}, interlace {interlace}")
    bpp = 3 if ctype == 2 else 4
    try:
        import numpy as np  # pyarrow's dependency; without it the filters are undone in Python
    except ImportError:
        np = None
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1 and np is not None:
            line = bytearray(np.cumsum(np.frombuffer(bytes(line), dtype=np.uint8).reshape(width, bpp), axis=0, dtype=np.uint8).tobytes())
        elif f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2 and np is not None:
            line = bytearray((np.frombuffer(bytes(line), dtype=np.uint8) + np.frombuffer(bytes(prev), dtype=np.uint8)).tobytes())
        elif f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f == 3:
            for i in range(stride):
                line[i] = (line[i] + (((line[i - bpp] if i >= bpp else 0) + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else (b if pb <= pc else c))) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def screenshot_figures(path):
    width, height, bpp, rows = decode_png(open(path, "rb").read())
    try:
        import numpy  # pyarrow's dependency: counts a few million pixels at once
        px = numpy.frombuffer(b"".join(rows), dtype=numpy.uint8).reshape(height * width, bpp)[:, :3]
        packed = (px[:, 0].astype(numpy.uint32) << 16) | (px[:, 1].astype(numpy.uint32) << 8) | px[:, 2]
        colours = len(numpy.unique(packed))
        inked = int(numpy.count_nonzero(packed != 0xFFFFFF))
    except ImportError:
        seen, inked = set(), 0
        for r in rows:
            for i in range(0, len(r), bpp):
                seen.add(r[i:i + 3])
                inked += r[i:i + 3] != b"\xff\xff\xff"
        colours = len(seen)
    return {"width": width, "height": height, "colours": colours, "inked": round(inked / (width * height), 4)}


# ---- the checks ----

def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, **kw)
    return r


def expect(cond, what):
    if not cond:
        fail(what)


def value(cell):
    return cell.get("data-value")


def as_int(v):
    return int(v) if v not in (None, "") else None


def read_lines(kcap, command):
    """Runs a page's `kcap read ...` command with `kcap` standing for the binary; returns its lines."""
    words = shlex.split(command)
    expect(words[:2] == ["kcap", "read"], f"not a kcap read command: {command}")
    r = run([kcap] + words[1:])
    expect(r.returncode == 0, f"{command} failed ({r.returncode}): {r.stderr.decode(errors='replace')}")
    return [l for l in r.stdout.decode("utf-8", "replace").split("\n") if l]


def check_page(kcap, capture, filt, out, name, shots):
    page = os.path.join(out, name + ".html")
    args = [kcap, "report", capture] + ([filt] if filt else []) + ["-o", page]
    r = run(args)
    expect(r.returncode == 0, f"{' '.join(args)} exited {r.returncode}: {r.stderr.decode(errors='replace')}")
    r = run([kcap, "stats", capture] + ([filt] if filt else []) + ["--json", "--top", "50"])
    expect(r.returncode == 0, f"kcap stats {capture} exited {r.returncode}")
    stats = json.loads(r.stdout)

    shot = os.path.join(shots or out, name + ".png")
    # One run: the DOM after the page's script, and the screenshot.
    dom_text, stderr = chromium(page, "--dump-dom", f"--screenshot={shot}", "--hide-scrollbars")
    where = f"{capture}{' with ' + repr(filt) if filt else ''}"
    lines = console_lines(stderr)
    expect(not lines, f"{where}: the page wrote to the console: {lines[:5]}")
    dom = Dom()
    dom.feed(dom_text)
    expect(dom.root_attrs.get("data-kcap-errors") == "0", f"{where}: script errors: {dom.by_id.get('kcap-errors')}")
    status = dom.by_id.get("kcap-status", {}).get("attrs", {})
    expect(status.get("data-ready") == "true", f"{where}: the page's script did not finish ({status})")
    expect(os.path.exists(shot), f"{where}: no screenshot")
    figs = screenshot_figures(shot)
    expect(figs["colours"] >= 64 and figs["inked"] >= 0.03, f"{where}: the screenshot looks blank: {figs}")

    def fact(id_):
        node = dom.by_id.get(id_)
        expect(node is not None, f"{where}: no #{id_} on the page")
        return node["attrs"]
    expect(as_int(fact("fact-events")["data-value"]) == stats["events"], f"{where}: events {fact('fact-events')} != {stats['events']}")
    expect(as_int(fact("fact-syscalls")["data-value"]) == stats["syscalls"], f"{where}: syscalls differ")
    expect(as_int(fact("fact-processes")["data-value"]) == stats["processCount"], f"{where}: processes differ")
    drops = stats.get("drops")
    d = fact("fact-drops")
    if drops is None:
        expect(d["data-value"] == "unknown", f"{where}: drops shown without counters: {d}")
    else:
        expect(as_int(d["data-value"]) == drops["dropped"], f"{where}: dropped {d} != {drops}")
        for attr, key in (("data-ring-full", "ringFull"), ("data-too-large", "tooLarge"),
                          ("data-writer-queue-full", "writerQueueFull"), ("data-seen", "eventsSeen")):
            expect(as_int(d[attr]) == drops[key], f"{where}: {attr} {d[attr]} != {drops[key]}")

    tables = dom.tables
    # Syscalls: every row, in kcap stats' order.
    rows = tables.get("table-syscalls", [])
    expect(len(rows) == len(stats["topSyscallsByCount"]), f"{where}: {len(rows)} syscall rows, stats has {len(stats['topSyscallsByCount'])}")
    for row, s in zip(rows, stats["topSyscallsByCount"]):
        cells = {c["data-col"]: value(c) for c in row["cells"]}
        got = (row["attrs"]["data-key"], as_int(cells["count"]), as_int(cells["errors"]), as_int(cells["totalNs"]))
        want = (s["name"], s["count"], s["errors"], s["totalNs"])
        expect(got == want, f"{where}: syscall row {got} != {want}")
        lat = s.get("latencyNs")
        for k in ("p50", "p99", "max"):
            expect(as_int(cells[k]) == (lat[k] if lat else None), f"{where}: {s['name']} {k} {cells[k]} != {lat}")
    # Processes by events: the first rows are kcap stats' top processes by events, in order.
    rows = tables.get("table-processes", [])
    top = stats["topProcessesByEvents"]
    expect(len(rows) >= len(top), f"{where}: {len(rows)} process rows, stats has {len(top)}")
    for row, p in zip(rows, top):
        cells = {c["data-col"]: value(c) for c in row["cells"]}
        got = (as_int(cells["pid"]), cells["comm"], as_int(cells["events"]), as_int(cells["errors"]), as_int(cells["bytesRead"]), as_int(cells["bytesWritten"]))
        want = (p["pid"], p["comm"], p["events"], p["errors"], p["bytesRead"], p["bytesWritten"])
        expect(got == want, f"{where}: process row {got} != {want}")
    # Errors by errno, files and connections.
    for table, key, fields in (("table-errors", "errors", (("name", "name"), ("count", "count"))),
                               ("table-files", "topFiles", (("name", "name"), ("bytesRead", "bytesRead"), ("bytesWritten", "bytesWritten"))),
                               ("table-connections", "topConnections", (("name", "name"), ("bytesRead", "bytesRead"), ("bytesWritten", "bytesWritten")))):
        rows = tables.get(table, [])
        expect(len(rows) == len(stats[key]), f"{where}: {len(rows)} rows in {table}, stats has {len(stats[key])}")
        for row, s in zip(rows, stats[key]):
            cells = {c["data-col"]: value(c) for c in row["cells"]}
            for col, k in fields:
                got = cells[col] if col == "name" else as_int(cells[col])
                expect(got == s[k], f"{where}: {table} {col} {got!r} != {s[k]!r}")
    # The timeline: its events are kcap stats' events (one per syscall); each drawn process's sum is its events.
    by_pid = {p["pid"]: p["events"] for p in stats["topProcessesByEvents"]}
    total_proc_events = sum(p["events"] for p in stats["topProcessesByEvents"]) if len(stats["topProcessesByEvents"]) < 50 else None
    timeline = as_int(status.get("data-timeline-events"))
    if total_proc_events is not None:
        expect(timeline == total_proc_events, f"{where}: the timeline holds {timeline} events, the processes {total_proc_events}")
    # The legend's items carry each drawn process's sum over the buckets.
    for pid, events in by_pid.items():
        marker = f'data-pid="{pid}" data-events="'
        at = dom_text.find(marker)
        if at >= 0:
            got = int(dom_text[at + len(marker):dom_text.index('"', at + len(marker))])
            expect(got == events, f"{where}: the timeline's process {pid} has {got} events, stats {events}")

    # The kcap read commands of sampled rows list what the rows count (the first two of each table; one for a
    # sysdig capture, whose page is drawn by the same code).
    checked = 0
    samples_per_table = 1 if capture.endswith(".scap") else 2
    samples = [("table-syscalls", "count"), ("table-processes", "events"), ("table-errors", "count"),
               ("table-errors-by-process", "count")]
    for table, col in samples:
        for row in tables.get(table, [])[:samples_per_table]:
            cells = {c["data-col"]: value(c) for c in row["cells"]}
            lines = read_lines(kcap, row["attrs"]["data-command"])
            expect(len(lines) == as_int(cells[col]), f"{where}: {row['attrs']['data-command']} lists {len(lines)} events, the row says {cells[col]}")
            checked += 1
    for table in ("table-slowest", "table-failures"):
        for row in tables.get(table, [])[:samples_per_table]:
            lines = read_lines(kcap, row["attrs"]["data-command"])
            num = row["attrs"]["data-key"]
            expect(len(lines) == 1 and lines[0].split(" ", 1)[0] == num, f"{where}: {row['attrs']['data-command']} printed {lines[:3]}, not event {num}")
            checked += 1
    command = dom.by_id.get("command", {}).get("text", "")
    expect(command.startswith("kcap read "), f"{where}: no kcap read command on the page: {command!r}")
    return {"capture": capture, "filter": filt, "html_bytes": os.path.getsize(page), "events": stats["events"],
            "syscall_rows": len(tables.get("table-syscalls", [])), "process_rows": len(tables.get("table-processes", [])),
            "commands_checked": checked, "screenshot": shot, **{"screenshot_" + k: v for k, v in figs.items()}}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kcap", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--filter", default="")
    ap.add_argument("--screenshots", default=None)
    ap.add_argument("--jobs", type=int, default=3)
    ap.add_argument("captures", nargs="+")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.screenshots:
        os.makedirs(a.screenshots, exist_ok=True)
    jobs = []
    for i, capture in enumerate(a.captures):
        base = os.path.basename(os.path.dirname(capture)) if os.path.basename(capture) == "capture.kcap" else os.path.basename(capture)
        name = f"{i:02d}-{base}"
        # The filtered page of the kcap captures only: a sysdig capture's page is drawn by the same code.
        filters = [""] + ([a.filter] if a.filter and not capture.endswith(".scap") else [])
        for filt in filters:
            jobs.append((capture, filt, name + ("-filtered" if filt else "")))
    # Chromium mostly waits: a few pages at once keep two cores busy.
    with ThreadPoolExecutor(a.jobs) as pool:
        futures = [pool.submit(check_page, a.kcap, c, f, a.out, n, a.screenshots) for c, f, n in jobs]
        for fut in futures:
            print(json.dumps(fut.result(), sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
