import Foundation

/// The page of `kcap report`: one self-contained HTML file (no network: the style, the script and the data
/// are inline; the charts are SVG drawn by the script). The data is one JSON document in
/// `<script type="application/json" id="kcap-data">`; the script draws from it and writes what it computed
/// into the DOM (ids and `data-value` attributes), and records any script error in `#kcap-errors`, so a
/// headless browser's `--dump-dom` shows both.
public enum ReportPage {
    /// The data section's JSON: sorted keys, no whitespace, `<`, `>` and `&` escaped (so no `</script>` or
    /// `<!--` can end or change the script element), the same bytes for the same data.
    public static func json(_ data: ReportData) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var text = String(decoding: try encoder.encode(data), as: UTF8.self)
        text = text.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
            .replacingOccurrences(of: "\u{2028}", with: "\\u2028").replacingOccurrences(of: "\u{2029}", with: "\\u2029")
        return text
    }

    /// The data section of a page made by `html(_:generator:)`, nil when there is none.
    public static func dataSection(of html: String) -> String? {
        guard let open = html.range(of: "<script type=\"application/json\" id=\"kcap-data\">"),
              let close = html.range(of: "</script>", range: open.upperBound..<html.endIndex) else { return nil }
        return String(html[open.upperBound..<close.lowerBound])
    }

    /// The whole page. `generator` names the program in a meta element (outside the data section).
    public static func html(_ data: ReportData, generator: String) throws -> String {
        let title = data.query.paths.joined(separator: " ")
        return head.replacingOccurrences(of: "@TITLE@", with: escape(title))
            .replacingOccurrences(of: "@GENERATOR@", with: escape(generator))
            + "<script type=\"application/json\" id=\"kcap-data\">" + (try json(data)) + "</script>\n"
            + "<script>\n" + script + "</script>\n</body>\n</html>\n"
    }

    /// `s` as HTML text.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static let head = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="@GENERATOR@">
<title>kcap report: @TITLE@</title>
<script>
// Before anything else: every script error lands in the page (and nothing is written to the console).
window.kcapErrors = [];
window.kcapRecordError = function (text) {
  window.kcapErrors.push(String(text));
  var box = document.getElementById('kcap-errors');
  if (box) { box.textContent = window.kcapErrors.join('\n'); box.hidden = false; }
  document.documentElement.setAttribute('data-kcap-errors', String(window.kcapErrors.length));
};
window.onerror = function (message, source, line, column) {
  window.kcapRecordError(message + ' (line ' + line + ':' + column + ')');
  return true;
};
window.addEventListener('unhandledrejection', function (e) { window.kcapRecordError('unhandled rejection: ' + e.reason); });
document.documentElement.setAttribute('data-kcap-errors', '0');
</script>
<style>
:root { --fg: #1d2330; --muted: #5c6577; --line: #d8dde6; --bg: #ffffff; --panel: #f6f7f9; --accent: #2563eb; --bad: #c62828; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 14px 20px 8px; border-bottom: 1px solid var(--line); background: var(--panel); }
h1 { font-size: 18px; margin: 0 0 6px; }
h1 small { font-weight: normal; color: var(--muted); font-size: 13px; }
h2 { font-size: 15px; margin: 0 0 8px; }
h3 { font-size: 13px; margin: 12px 0 4px; }
main { padding: 4px 20px 90px; }
section { margin: 14px 0 22px; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 6px 14px; }
.fact { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 5px 9px; }
.fact .k { color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .03em; }
.fact .v { font-size: 14px; font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.fact.bad .v { color: var(--bad); }
.files { margin: 8px 0 0; color: var(--muted); }
.files code { color: var(--fg); }
.note { color: var(--muted); margin: 2px 0 6px; }
.chart { width: 100%; overflow-x: auto; }
svg text { font: 11px system-ui, -apple-system, "DejaVu Sans", sans-serif; fill: var(--fg); }
svg .axis line, svg .axis path { stroke: #9aa3b2; }
svg .grid line { stroke: #eef0f4; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; margin: 4px 0 0; }
.legend span { cursor: pointer; white-space: nowrap; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; vertical-align: -1px; }
.tables { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 14px 22px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 2px 7px; border-bottom: 1px solid #edf0f4; text-align: left; white-space: nowrap; }
td.n, th.n { text-align: right; }
td.wrap { white-space: normal; word-break: break-all; }
th { position: sticky; top: 0; background: var(--panel); cursor: pointer; user-select: none; font-weight: 600; }
th.sorted-desc::after { content: " \25BE"; } th.sorted-asc::after { content: " \25B4"; }
tbody tr { cursor: pointer; }
tbody tr:hover { background: #eef4ff; }
tr.selected { background: #dbe7ff !important; }
.scroll { max-height: 340px; overflow-y: auto; border: 1px solid var(--line); border-radius: 6px; }
.events td.line { font: 11.5px/1.35 ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre; overflow: hidden; text-overflow: ellipsis; max-width: 820px; }
.bad { color: var(--bad); }
#command-bar { position: fixed; left: 0; right: 0; bottom: 0; background: #10151f; color: #e8ecf3; padding: 7px 20px; display: flex; gap: 12px; align-items: center; z-index: 5; }
#command-bar .what { color: #9fb0c9; white-space: nowrap; max-width: 30%; overflow: hidden; text-overflow: ellipsis; }
#command { flex: 1; font: 12px ui-monospace, "DejaVu Sans Mono", monospace; color: #fff; background: #1e2737; padding: 5px 8px; border-radius: 4px; overflow-x: auto; white-space: pre; user-select: all; }
#command-bar button { font: inherit; background: var(--accent); color: #fff; border: 0; border-radius: 4px; padding: 4px 10px; cursor: pointer; }
#kcap-errors { background: #fdecea; color: var(--bad); padding: 8px 20px; white-space: pre-wrap; margin: 0; }
.proc-more { margin: 6px 0; }
.proc-more button { font: inherit; }
</style>
</head>
<body>
<pre id="kcap-errors" hidden></pre>
<header>
<h1>kcap report <small id="title-files"></small></h1>
<div class="facts" id="facts"></div>
<div class="files" id="files"></div>
</header>
<main>
<section id="sec-timeline"><h2>Events over time</h2>
<p class="note">Selected events per time bucket, the busiest processes stacked; <span class="bad">&#9650;</span> the recorder dropped events (reason on hover), <span style="color:#2563eb">&#9662;</span> a thread/fd snapshot. Drag across the chart to select a time range, click a bar for its bucket: the command below lists those events.</p>
<div class="chart" id="timeline"></div>
<div class="legend" id="timeline-legend"></div>
</section>
<section id="sec-heatmap"><h2>Latency over time</h2>
<p class="note">Per syscall: calls per time bucket (x) and latency bucket (y, log scale: each row doubles); darker is more calls. Click a cell for its calls.</p>
<div class="chart" id="heatmap"></div>
</section>
<section id="sec-processes"><h2>Processes</h2>
<p class="note">Lifetimes on the same time axis, children under their parent: <b>|</b> exec, the end labelled with the exit status or signal, <span style="color:#2563eb">&#9654;</span> still running at the end (with the syscall it was in, if any). Click a process for its events.</p>
<div class="chart" id="proctree"></div>
<div class="proc-more" id="proc-more"></div>
</section>
<section id="sec-tables"><h2>Top syscalls, processes, files, connections and errors</h2>
<p class="note">Click a column to sort, a row for the command that lists its events.</p>
<div class="tables" id="tables"></div>
</section>
<section id="sec-events"><h2>Representative events</h2>
<p class="note">The slowest calls of each syscall and the first failures of each kind, as <code>kcap read</code> prints them. Click one for the command that shows it.</p>
<div class="tables" id="events"></div>
</section>
</main>
<div id="command-bar"><span class="what" id="command-what">every selected event</span><code id="command"></code><button type="button" id="copy">copy</button></div>
<div id="kcap-status" hidden></div>

"""#

    static let script = #"""
(function () {
'use strict';
var D = JSON.parse(document.getElementById('kcap-data').textContent);
var SVGNS = 'http://www.w3.org/2000/svg';
var Q = D.query, C = D.capture, S = D.stats, T = D.timeline;
var COLORS = ['#2563eb', '#f59e0b', '#10b981', '#8b5cf6', '#ef4444', '#06b6d4', '#ec4899', '#84cc16', '#a16207', '#0f766e'];
var REST = '#b8bfcc';
// Every chart shares one x axis: the left margin holds labels, the plot area the window.
var LEFT = 230, RIGHT = 70;

function el(tag, attrs, text) {
  var e = document.createElement(tag);
  if (attrs) for (var k in attrs) if (attrs[k] !== undefined && attrs[k] != null) e.setAttribute(k, attrs[k]);
  if (text !== undefined && text != null) e.textContent = String(text);
  return e;
}
function sv(tag, attrs, text) {
  var e = document.createElementNS(SVGNS, tag);
  if (attrs) for (var k in attrs) if (attrs[k] !== undefined && attrs[k] != null) e.setAttribute(k, attrs[k]);
  if (text !== undefined && text != null) e.textContent = String(text);
  return e;
}
function title(node, text) { node.appendChild(sv('title', null, text)); return node; }
function num(n) { return String(n); }
function dur(ns) {
  if (ns == null || ns === undefined) return '-';
  var a = Math.abs(ns);
  if (a < 1e3) return ns + 'ns';
  if (a < 1e6) return (ns / 1e3).toFixed(a < 1e4 ? 2 : 1) + 'us';
  if (a < 1e9) return (ns / 1e6).toFixed(a < 1e7 ? 2 : 1) + 'ms';
  return (ns / 1e9).toFixed(2) + 's';
}
function bytes(n) {
  if (n < 1024) return n + 'B';
  var u = ['KiB', 'MiB', 'GiB', 'TiB'], v = n / 1024, i = 0;
  while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  return v.toFixed(1) + u[i];
}
function pad(n, w) { var s = String(n); while (s.length < w) s = '0' + s; return s; }
// Relative ns as UTC ISO 8601 with nanoseconds: what --since/--until take, exactly.
function iso(rel) {
  var total = C.originWall.nanos + rel;
  var carry = Math.floor(total / 1e9);
  var ns = total - carry * 1e9;
  var d = new Date((C.originWall.seconds + carry) * 1000);
  if (isNaN(d.getTime())) return '+' + rel + 'ns';
  return d.toISOString().replace(/\.\d{3}Z$/, '.' + pad(ns, 9) + 'Z');
}
function clock(rel) { var s = iso(rel); var i = s.indexOf('T'); return i < 0 ? s : s.slice(i + 1, s.length - 1); }
function rel(ns) { return (ns >= 0 ? '+' : '') + dur(ns); }

// ---- the kcap read command of a selection ----
function shq(s) { return /^[A-Za-z0-9_\-.\/:+=@%,]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'"; }
function fval(v) { v = String(v); return /^[A-Za-z0-9_.\/-]+$/.test(v) ? v : '"' + v.replace(/[\\"']/g, function (m) { return '\\' + m; }) + '"'; }
function command(sel) {
  var parts = ['kcap', 'read'];
  Q.paths.forEach(function (p) { parts.push(shq(p)); });
  var since = sel.fromNs !== undefined ? iso(sel.fromNs) : Q.since;
  var until = sel.toNs !== undefined ? iso(sel.toNs) : Q.until;
  if (since != null && since !== undefined) parts.push('--since', shq(since));
  if (until != null && until !== undefined) parts.push('--until', shq(until));
  var own = sel.filter || '';
  // A sysdig capture has an entry and an exit event per syscall; the figures count the exits.
  if (Q.entryEvents && own) own += ' and (evt.dir=< or evt.type in (procfork, procexec, procexit))';
  var f = Q.filter && own ? '(' + Q.filter + ') and ' + own : (own || Q.filter || '');
  if (f) parts.push(shq(f));
  return parts.join(' ');
}
var selectedRow = null;
function select(what, sel, row) {
  document.getElementById('command-what').textContent = what;
  var c = command(sel);
  var box = document.getElementById('command');
  box.textContent = c;
  box.setAttribute('data-command', c);
  if (selectedRow) selectedRow.classList.remove('selected');
  selectedRow = row || null;
  if (selectedRow) selectedRow.classList.add('selected');
}
document.getElementById('copy').addEventListener('click', function () {
  var text = document.getElementById('command').textContent;
  var r = document.createRange(); r.selectNodeContents(document.getElementById('command'));
  var s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
  try { if (navigator.clipboard) navigator.clipboard.writeText(text).catch(function () {}); } catch (e) { /* selection is enough */ }
});

// ---- facts ----
function fact(parent, id, key, value, shown, bad) {
  var d = el('div', { 'class': 'fact' + (bad ? ' bad' : ''), id: id, 'data-value': value });
  d.appendChild(el('div', { 'class': 'k' }, key));
  var v = el('div', { 'class': 'v' }, shown === undefined ? value : shown);
  v.title = String(shown === undefined ? value : shown);
  d.appendChild(v);
  parent.appendChild(d);
}
function drawFacts() {
  document.getElementById('title-files').textContent = Q.paths.join(' ');
  var f = document.getElementById('facts');
  fact(f, 'fact-hosts', 'host', C.hosts.join(', ') || '?');
  fact(f, 'fact-kernel', 'kernel', C.kernels.join(', ') || '?');
  fact(f, 'fact-start', 'first event (UTC, ' + iso(0).slice(0, 10) + ')', iso(0), iso(0).slice(11, 29));
  fact(f, 'fact-duration', 'duration', C.endNs, dur(C.endNs));
  fact(f, 'fact-events', 'events', S.events);
  fact(f, 'fact-syscalls', 'syscalls', S.syscalls);
  fact(f, 'fact-processes', 'processes', S.processCount);
  var failed = 0; T.errors.forEach(function (e) { failed += e; });
  fact(f, 'fact-errors', 'failed syscalls', failed, undefined, failed > 0);
  var d = S.drops;
  if (d) {
    var reasons = [];
    if (d.ringFull) reasons.push('kernel buffer full ' + d.ringFull);
    if (d.tooLarge) reasons.push('too large ' + d.tooLarge);
    if (d.writerQueueFull) reasons.push('writer queue full ' + d.writerQueueFull);
    fact(f, 'fact-drops', 'dropped by the recorder', d.dropped, d.dropped + (reasons.length ? ' (' + reasons.join(', ') + ')' : ' of ' + d.eventsSeen), d.dropped > 0);
    f.lastChild.setAttribute('data-ring-full', d.ringFull);
    f.lastChild.setAttribute('data-too-large', d.tooLarge);
    f.lastChild.setAttribute('data-writer-queue-full', d.writerQueueFull);
    f.lastChild.setAttribute('data-seen', d.eventsSeen);
    if (d.readFailures) fact(f, 'fact-read-failures', 'payload read failures', d.readFailures);
  } else {
    fact(f, 'fact-drops', 'dropped by the recorder', 'unknown', 'not recorded');
  }
  fact(f, 'fact-snapshots', 'snapshots', C.snapshotsNs.length);
  if (Q.filter) fact(f, 'fact-filter', 'filter', Q.filter);
  if (Q.since || Q.until) fact(f, 'fact-window', 'window', (Q.since || 'start') + ' .. ' + (Q.until || 'end'));
  var files = document.getElementById('files');
  C.files.forEach(function (file) {
    var line = el('div');
    line.appendChild(el('code', null, file.path));
    var bits = [file.format, bytes(file.bytes), file.hostname || '?', 'Linux ' + (file.kernel || '?'), file.machine || '?', file.cpus + ' CPUs'];
    if (file.recordedCommand) bits.push('recorded: ' + file.recordedCommand);
    line.appendChild(document.createTextNode(' ' + bits.join(' · ')));
    if (file.problems.length) line.appendChild(el('span', { 'class': 'bad' }, ' · ' + file.problems.length + ' problem(s): ' + file.problems.join('; ')));
    files.appendChild(line);
  });
}

// ---- the shared time axis ----
var W = Math.max(900, Math.min(1600, (document.documentElement.clientWidth || 1200) - 40));
var PLOT = W - LEFT - RIGHT;
var N = Math.max(T.buckets, 1);
function xOfBucket(b) { return LEFT + PLOT * b / N; }
function xOfNs(ns) { return LEFT + PLOT * (ns - T.startNs) / (T.bucketNs * N); }
function nsOfX(x) { return T.startNs + (x - LEFT) / PLOT * T.bucketNs * N; }
function clampX(x) { return Math.max(LEFT, Math.min(LEFT + PLOT, x)); }
function bucketRange(b0, b1) { return { fromNs: T.startNs + b0 * T.bucketNs, toNs: T.startNs + (b1 + 1) * T.bucketNs - 1 }; }
function timeAxis(svg, y, ticks) {
  var g = sv('g', { 'class': 'axis' });
  g.appendChild(sv('line', { x1: LEFT, x2: LEFT + PLOT, y1: y, y2: y }));
  var span = T.bucketNs * N, step = Math.pow(10, Math.floor(Math.log10(span / ticks)));
  [1, 2, 5, 10].some(function (m) { if (span / (step * m) <= ticks) { step *= m; return true; } return false; });
  for (var t = Math.ceil(T.startNs / step) * step; t <= T.startNs + span; t += step) {
    var x = xOfNs(t);
    g.appendChild(sv('line', { x1: x, x2: x, y1: y, y2: y + 4 }));
    g.appendChild(title(sv('text', { x: x, y: y + 15, 'text-anchor': 'middle' }, rel(t)), clock(t) + ' UTC'));
  }
  svg.appendChild(g);
}

// ---- timeline ----
function drawTimeline() {
  var H = 240, top = 18, bottom = H - 28, height = bottom - top;
  var svg = sv('svg', { width: W, height: H, id: 'timeline-svg', role: 'img' });
  var max = 1;
  T.total.forEach(function (v) { if (v > max) max = v; });
  var grid = sv('g', { 'class': 'grid' });
  for (var i = 0; i <= 4; i++) {
    var y = bottom - height * i / 4;
    grid.appendChild(sv('line', { x1: LEFT, x2: LEFT + PLOT, y1: y, y2: y }));
    svg.appendChild(sv('text', { x: LEFT - 6, y: y + 4, 'text-anchor': 'end' }, Math.round(max * i / 4)));
  }
  svg.insertBefore(grid, svg.firstChild);
  svg.appendChild(sv('text', { x: 4, y: top + 4 }, 'events per ' + dur(T.bucketNs)));
  var bw = Math.max(PLOT / N, 0.5);
  var series = T.series.map(function (s, i) { return { name: s.comm + ' (' + s.pid + ')', pid: s.pid, counts: s.counts, color: COLORS[i % COLORS.length] }; });
  series.push({ name: 'other processes', pid: null, counts: T.rest, color: REST });
  var bars = sv('g', { id: 'timeline-bars' });
  for (var b = 0; b < N; b++) {
    if (!T.total[b]) continue;
    var y0 = bottom, lines = [];
    series.forEach(function (s) {
      var v = s.counts[b] || 0;
      if (!v) return;
      var h = height * v / max;
      var r = sv('rect', { x: xOfBucket(b), y: y0 - h, width: bw, height: Math.max(h, 0.5), fill: s.color });
      bars.appendChild(r);
      y0 -= h;
      lines.push(s.name + ': ' + v);
    });
    var hit = sv('rect', { x: xOfBucket(b), y: top, width: bw, height: height, fill: 'transparent', 'data-bucket': b });
    title(hit, rel(T.startNs + b * T.bucketNs) + ' (' + clock(T.startNs + b * T.bucketNs) + ' UTC), ' + dur(T.bucketNs) + ': ' + T.total[b] + ' events, ' + T.errors[b] + ' failed\n' + lines.join('\n'));
    bars.appendChild(hit);
  }
  svg.appendChild(bars);
  // Failures as a line over the bars.
  var path = '', any = false;
  for (b = 0; b < N; b++) {
    var ey = bottom - height * (T.errors[b] || 0) / max;
    path += (b ? 'L' : 'M') + (xOfBucket(b) + bw / 2).toFixed(1) + ' ' + ey.toFixed(1);
    if (T.errors[b]) any = true;
  }
  if (any) svg.appendChild(title(sv('path', { d: path, fill: 'none', stroke: '#c62828', 'stroke-width': 1.2, 'stroke-dasharray': '3 2' }), 'failed syscalls per bucket'));
  timeAxis(svg, bottom, 10);
  // Snapshots and drops.
  C.snapshotsNs.forEach(function (t) {
    if (t < T.startNs || t > T.startNs + N * T.bucketNs) return;
    var x = xOfNs(t);
    svg.appendChild(title(sv('path', { d: 'M' + (x - 4) + ' ' + (top - 10) + 'L' + (x + 4) + ' ' + (top - 10) + 'L' + x + ' ' + (top - 3) + 'Z', fill: '#2563eb', 'class': 'snapshot-mark' }), 'snapshot at ' + rel(t) + ' (' + clock(t) + ' UTC)'));
  });
  C.dropMarks.forEach(function (m) {
    var x = clampX(xOfNs(m.atNs)), x0 = clampX(xOfNs(m.sinceNs));
    var n = m.ringFull + m.tooLarge + m.writerQueueFull;
    var why = [];
    if (m.ringFull) why.push('kernel buffer full ' + m.ringFull);
    if (m.tooLarge) why.push('record too large ' + m.tooLarge);
    if (m.writerQueueFull) why.push('writer queue full ' + m.writerQueueFull);
    if (m.readFailures) why.push('payload read failures ' + m.readFailures);
    var text = 'dropped ' + n + ' between ' + rel(m.sinceNs) + ' and ' + rel(m.atNs) + ' (' + clock(m.sinceNs) + ' .. ' + clock(m.atNs) + ' UTC): ' + why.join(', ');
    svg.appendChild(sv('rect', { x: x0, y: top, width: Math.max(x - x0, 1), height: height, fill: 'rgba(198,40,40,0.08)' }));
    svg.appendChild(title(sv('path', { d: 'M' + (x - 5) + ' ' + (top - 2) + 'L' + (x + 5) + ' ' + (top - 2) + 'L' + x + ' ' + (top - 12) + 'Z', fill: '#c62828', 'class': 'drop-mark', 'data-dropped': n }), text));
  });
  // Selection by dragging.
  var brush = sv('rect', { y: top, height: height, fill: 'rgba(37,99,235,0.15)', stroke: '#2563eb', visibility: 'hidden' });
  svg.appendChild(brush);
  var start = null;
  function px(ev) { var r = svg.getBoundingClientRect(); return clampX(ev.clientX - r.left); }
  svg.addEventListener('mousedown', function (ev) { start = px(ev); brush.setAttribute('x', start); brush.setAttribute('width', 0); brush.setAttribute('visibility', 'visible'); ev.preventDefault(); });
  svg.addEventListener('mousemove', function (ev) { if (start == null) return; var x = px(ev); brush.setAttribute('x', Math.min(x, start)); brush.setAttribute('width', Math.abs(x - start)); });
  window.addEventListener('mouseup', function (ev) {
    if (start == null) return;
    var x = px(ev), a = Math.min(x, start), z = Math.max(x, start);
    start = null;
    if (z - a < 3) {
      brush.setAttribute('visibility', 'hidden');
      var b = Math.floor((a - LEFT) / PLOT * N);
      if (b >= 0 && b < N) { var r = bucketRange(b, b); select('bucket ' + rel(r.fromNs) + ' .. ' + rel(r.toNs), r); }
      return;
    }
    var from = Math.floor(nsOfX(a)), to = Math.ceil(nsOfX(z));
    select('range ' + rel(from) + ' .. ' + rel(to), { fromNs: from, toNs: to });
  });
  document.getElementById('timeline').appendChild(svg);
  var legend = document.getElementById('timeline-legend');
  series.forEach(function (s) {
    var sum = 0; s.counts.forEach(function (v) { sum += v; });
    var item = el('span', { 'data-pid': s.pid, 'data-events': sum });
    var sw = el('i'); sw.style.background = s.color; item.appendChild(sw);
    item.appendChild(document.createTextNode(s.name + ' ' + sum));
    if (s.pid != null) item.addEventListener('click', function () { select(s.name, { filter: 'proc.pid=' + s.pid }); });
    legend.appendChild(item);
  });
}

// ---- heat map ----
function drawHeatmap() {
  var H = D.heatmap, root = document.getElementById('heatmap');
  if (!H.syscalls.length) { root.appendChild(el('p', { 'class': 'note' }, 'No timed syscalls selected.')); return; }
  var lo = 99, hi = 0, max = 1;
  H.syscalls.forEach(function (s) { s.cells.forEach(function (c) { if (c[1] < lo) lo = c[1]; if (c[1] > hi) hi = c[1]; if (c[2] > max) max = c[2]; }); });
  if (lo > hi) { lo = 0; hi = 0; }
  var rows = hi - lo + 1, cellH = Math.max(2, Math.min(5, Math.floor(72 / rows))), rowH = rows * cellH + 10;
  var height = H.syscalls.length * rowH + 30;
  var svg = sv('svg', { width: W, height: height, id: 'heatmap-svg' });
  var bw = Math.max(PLOT / N, 1);
  function color(n) {
    var t = Math.log(1 + n) / Math.log(1 + max);
    var r = Math.round(255 - t * (255 - 127)), g = Math.round(247 - t * (247 - 0)), b = Math.round(188 - t * (188 - 0));
    return 'rgb(' + r + ',' + g + ',' + b + ')';
  }
  function bound(k) { return k < H.latencyBoundsNs.length ? H.latencyBoundsNs[k] : null; }
  H.syscalls.forEach(function (s, i) {
    var y0 = 4 + i * rowH, g = sv('g', { 'data-syscall': s.name, 'data-count': s.count });
    g.appendChild(sv('rect', { x: LEFT, y: y0, width: PLOT, height: rows * cellH, fill: '#fafbfc', stroke: '#eef0f4' }));
    var label = sv('text', { x: 4, y: y0 + 11, style: 'cursor:pointer;font-weight:600' }, s.name);
    label.addEventListener('click', function () { select('every ' + s.name, { filter: 'evt.type=' + fval(s.name) }); });
    g.appendChild(label);
    g.appendChild(sv('text', { x: 4, y: y0 + 24, fill: '#5c6577' }, s.count + ' calls, ' + dur(s.totalNs)));
    g.appendChild(sv('text', { x: LEFT - 4, y: y0 + 9, 'text-anchor': 'end', fill: '#5c6577' }, '>=' + dur(bound(hi))));
    g.appendChild(sv('text', { x: LEFT - 4, y: y0 + rows * cellH, 'text-anchor': 'end', fill: '#5c6577' }, lo === 0 ? '<' + dur(bound(1)) : '>=' + dur(bound(lo))));
    s.cells.forEach(function (c) {
      var b = c[0], k = c[1], n = c[2];
      var rect = sv('rect', { x: xOfBucket(b), y: y0 + (hi - k) * cellH, width: bw, height: cellH, fill: color(n) });
      var low = bound(k), high = bound(k + 1);
      title(rect, s.name + ' ' + (k === 0 ? '< ' + dur(high) : (high == null ? '>= ' + dur(low) : dur(low) + ' .. ' + dur(high))) + ' at ' + rel(T.startNs + b * T.bucketNs) + ': ' + n + ' calls');
      rect.style.cursor = 'pointer';
      rect.addEventListener('click', function () {
        var f = 'evt.type=' + fval(s.name) + (k > 0 ? ' and evt.latency>=' + low : '') + (high != null ? ' and evt.latency<' + high : '');
        var r = bucketRange(b, b); r.filter = f;
        select(s.name + ' ' + (k === 0 ? '< ' + dur(high) : '>= ' + dur(low)) + ' at ' + rel(r.fromNs), r);
      });
      g.appendChild(rect);
    });
    svg.appendChild(g);
  });
  timeAxis(svg, height - 24, 10);
  root.appendChild(svg);
}

// ---- process tree ----
var PROC_SHOWN = 80;
function drawProcesses(limit) {
  var P = D.processes, root = document.getElementById('proctree'), more = document.getElementById('proc-more');
  root.textContent = ''; more.textContent = '';
  var rows = P.rows, byKey = {}, children = {}, roots = [];
  rows.forEach(function (r, i) { r._i = i; (byKey[r.pid] = byKey[r.pid] || []).push(r); });
  function parentOf(r) {
    var c = byKey[r.ppid]; if (!c || r.ppid === r.pid) return null;
    var best = null;
    c.forEach(function (p) { if (p !== r && (p.startNs == null || r.startNs == null || p.startNs <= r.startNs)) best = p; });
    return best;
  }
  rows.forEach(function (r) { var p = parentOf(r); if (p) (children[p._i] = children[p._i] || []).push(r); else roots.push(r); });
  var order = [];
  function walk(r, depth) { order.push([r, depth]); (children[r._i] || []).forEach(function (c) { walk(c, Math.min(depth + 1, 12)); }); }
  roots.forEach(function (r) { walk(r, 0); });
  var inflight = {};
  (P.inFlightAtEnd || []).forEach(function (f) { (inflight[f.pid] = inflight[f.pid] || []).push(f); });
  var shown = order.slice(0, limit), rowH = 17, H = shown.length * rowH + 30;
  var svg = sv('svg', { width: W, height: H, id: 'proctree-svg', 'data-rows': rows.length, 'data-omitted': P.omitted });
  var axisEnd = T.startNs + N * T.bucketNs;
  shown.forEach(function (pair, i) {
    var r = pair[0], depth = pair[1], y = 4 + i * rowH;
    var g = sv('g', { 'class': 'proc', 'data-pid': r.pid, style: 'cursor:pointer' });
    if (i % 2) g.appendChild(sv('rect', { x: 0, y: y - 2, width: W, height: rowH, fill: '#f7f8fa' }));
    var name = (r.comm || '?') + ' (' + r.pid + ')';
    g.appendChild(sv('text', { x: 4 + depth * 10, y: y + 10 }, name.length > 30 ? name.slice(0, 29) + '…' : name));
    var start = r.startNs == null ? T.startNs : Math.max(r.startNs, T.startNs);
    var end = r.exitNs == null ? axisEnd : Math.min(r.exitNs, axisEnd);
    var x0 = clampX(xOfNs(start)), x1 = Math.max(clampX(xOfNs(end)), x0 + 2);
    var color = r.exitNs == null ? '#93b4f5' : (r.exitSignal != null ? '#ef9a9a' : (r.exitStatus ? '#f5c27a' : '#a7d8b9'));
    g.appendChild(sv('rect', { x: x0, y: y + 1, width: x1 - x0, height: rowH - 6, rx: 2, fill: color }));
    if (r.firstNs != null && r.lastNs != null) {
      var a = clampX(xOfNs(r.firstNs)), z = Math.max(clampX(xOfNs(r.lastNs)), a + 1);
      g.appendChild(sv('rect', { x: a, y: y + 4, width: z - a, height: rowH - 12, fill: 'rgba(29,35,48,0.35)' }));
    }
    r.execNs.forEach(function (t) { var x = clampX(xOfNs(t)); g.appendChild(sv('line', { x1: x, x2: x, y1: y - 1, y2: y + rowH - 3, stroke: '#1d2330', 'stroke-width': 2 })); });
    var endText;
    if (r.exitNs == null) {
      endText = 'running';
      g.appendChild(sv('path', { d: 'M' + x1 + ' ' + y + 'L' + (x1 + 7) + ' ' + (y + 5.5) + 'L' + x1 + ' ' + (y + 11) + 'Z', fill: '#2563eb' }));
      if (inflight[r.pid]) endText += ', in ' + inflight[r.pid].map(function (f) { return f.syscall; }).join(', ');
    } else if (r.exitSignal != null) endText = 'signal ' + r.exitSignal;
    else endText = 'exit ' + r.exitStatus;
    var label = sv('text', { x: Math.min(x1 + 9, W - 4), y: y + 10, 'text-anchor': x1 + 9 > W - 60 ? 'end' : 'start', fill: r.exitStatus || r.exitSignal != null ? '#c62828' : '#5c6577' }, endText);
    g.appendChild(label);
    var tip = name + '\n' + (r.exe || '') + (r.cmdline ? '\n' + r.cmdline : '') + '\nstarted ' + (r.startNs == null ? 'before the capture' : rel(r.startNs)) +
      (r.execNs.length ? ', exec at ' + r.execNs.map(rel).join(', ') : '') + ', ' + (r.exitNs == null ? 'still running at the end' : 'ended ' + rel(r.exitNs) + ' (' + endText + ')') +
      '\n' + r.events + ' events, ' + r.errors + ' failed' + (inflight[r.pid] ? '\nin flight at the end: ' + inflight[r.pid].map(function (f) { return f.syscall + ' ' + f.on + (f.blockedNs != null ? ' for >= ' + dur(f.blockedNs) : ''); }).join('; ') : '');
    title(g, tip);
    g.addEventListener('click', function () { select(name, { filter: 'proc.pid=' + r.pid }); });
    svg.appendChild(g);
  });
  timeAxis(svg, H - 24, 10);
  root.appendChild(svg);
  if (order.length > limit) {
    var b = el('button', { type: 'button' }, 'show all ' + order.length + ' processes');
    b.addEventListener('click', function () { drawProcesses(order.length); });
    more.appendChild(b);
  }
  if (P.omitted) more.appendChild(el('span', { 'class': 'note' }, ' ' + P.omitted + ' short-lived processes with few events are not drawn.'));
}

// ---- sortable tables ----
function table(parent, id, caption, columns, rows, pick) {
  var wrap = el('div');
  wrap.appendChild(el('h3', null, caption + ' (' + rows.length + ')'));
  if (!rows.length) { wrap.appendChild(el('p', { 'class': 'note' }, 'none')); parent.appendChild(wrap); return; }
  var scroll = el('div', { 'class': 'scroll' });
  var t = el('table', { id: id }), thead = el('thead'), tr = el('tr'), tbody = el('tbody');
  var sortKey = null, desc = true;
  columns.forEach(function (c, ci) {
    var th = el('th', { 'class': c.num ? 'n' : null }, c.label);
    th.addEventListener('click', function () {
      desc = sortKey === ci ? !desc : !!c.num;
      sortKey = ci;
      Array.prototype.forEach.call(tr.children, function (h) { h.classList.remove('sorted-asc', 'sorted-desc'); });
      th.classList.add(desc ? 'sorted-desc' : 'sorted-asc');
      var list = Array.prototype.slice.call(tbody.children);
      list.sort(function (a, b) {
        var va = a.children[ci].getAttribute('data-value'), vb = b.children[ci].getAttribute('data-value');
        var x = c.num ? Number(va) - Number(vb) : (va < vb ? -1 : va > vb ? 1 : 0);
        return (desc ? -x : x) || (Number(a.getAttribute('data-rank')) - Number(b.getAttribute('data-rank')));
      });
      list.forEach(function (row) { tbody.appendChild(row); });
    });
    tr.appendChild(th);
  });
  thead.appendChild(tr);
  rows.forEach(function (r, ri) {
    var picked = pick(r);
    var row = el('tr', { 'data-key': picked.key, 'data-rank': ri, 'data-command': command(picked.sel) });
    columns.forEach(function (c) {
      var v = c.value(r), shown = c.show ? c.show(r) : v;
      var td = el('td', { 'class': (c.num ? 'n' : '') + (c.wrap ? ' wrap' : '') + (c.cls ? ' ' + c.cls : ''), 'data-value': v, 'data-col': c.key }, shown);
      if (c.tip) td.title = c.tip(r);
      row.appendChild(td);
    });
    row.addEventListener('click', function () { select(picked.what, picked.sel, row); });
    tbody.appendChild(row);
  });
  t.appendChild(thead); t.appendChild(tbody);
  scroll.appendChild(t); wrap.appendChild(scroll); parent.appendChild(wrap);
}
function lat(p, k) { return p ? p[k] : ''; }
function drawTables() {
  var root = document.getElementById('tables');
  table(root, 'table-syscalls', 'Syscalls by count', [
    { key: 'name', label: 'syscall', value: function (r) { return r.name; } },
    { key: 'count', label: 'count', num: 1, value: function (r) { return r.count; } },
    { key: 'errors', label: 'errors', num: 1, value: function (r) { return r.errors; } },
    { key: 'totalNs', label: 'total', num: 1, value: function (r) { return r.totalNs; }, show: function (r) { return dur(r.totalNs); } },
    { key: 'p50', label: 'p50', num: 1, value: function (r) { return lat(r.latencyNs, 'p50'); }, show: function (r) { return r.latencyNs ? dur(r.latencyNs.p50) : '-'; } },
    { key: 'p99', label: 'p99', num: 1, value: function (r) { return lat(r.latencyNs, 'p99'); }, show: function (r) { return r.latencyNs ? dur(r.latencyNs.p99) : '-'; } },
    { key: 'max', label: 'max', num: 1, value: function (r) { return lat(r.latencyNs, 'max'); }, show: function (r) { return r.latencyNs ? dur(r.latencyNs.max) : '-'; } }
  ], S.topSyscallsByCount, function (r) { return { key: r.name, what: 'every ' + r.name, sel: { filter: 'evt.type=' + fval(r.name) } }; });
  var procs = [], seen = {};
  S.topProcessesByEvents.concat(S.topProcessesByBytes).forEach(function (p) { if (!seen[p.pid]) { seen[p.pid] = 1; procs.push(p); } });
  table(root, 'table-processes', 'Processes by events', [
    { key: 'pid', label: 'pid', num: 1, value: function (r) { return r.pid; } },
    { key: 'comm', label: 'comm', value: function (r) { return r.comm; }, tip: function (r) { return r.exe; } },
    { key: 'events', label: 'events', num: 1, value: function (r) { return r.events; } },
    { key: 'errors', label: 'errors', num: 1, value: function (r) { return r.errors; } },
    { key: 'syscallNs', label: 'in syscalls', num: 1, value: function (r) { return r.syscallNs; }, show: function (r) { return dur(r.syscallNs); } },
    { key: 'bytesRead', label: 'read', num: 1, value: function (r) { return r.bytesRead; }, show: function (r) { return bytes(r.bytesRead); } },
    { key: 'bytesWritten', label: 'written', num: 1, value: function (r) { return r.bytesWritten; }, show: function (r) { return bytes(r.bytesWritten); } }
  ], procs, function (r) { return { key: String(r.pid), what: r.comm + ' (' + r.pid + ')', sel: { filter: 'proc.pid=' + r.pid } }; });
  function io(id, caption, label, rows) {
    table(root, id, caption, [
      { key: 'name', label: label, wrap: 1, value: function (r) { return r.name; } },
      { key: 'bytesRead', label: 'read', num: 1, value: function (r) { return r.bytesRead; }, show: function (r) { return bytes(r.bytesRead); } },
      { key: 'bytesWritten', label: 'written', num: 1, value: function (r) { return r.bytesWritten; }, show: function (r) { return bytes(r.bytesWritten); } },
      { key: 'ops', label: 'ops', num: 1, value: function (r) { return r.reads + r.writes; } },
      { key: 'pids', label: 'pids', value: function (r) { return r.pids.join(' '); }, show: function (r) { return r.pids.length > 4 ? r.pids.slice(0, 4).join(' ') + ' …' : r.pids.join(' '); } }
    ], rows, function (r) { return { key: r.name, what: r.name, sel: { filter: 'fd.name=' + fval(r.name) } }; });
  }
  io('table-files', 'Files by bytes', 'file', S.topFiles);
  io('table-connections', 'Connections by bytes', 'connection', S.topConnections);
  table(root, 'table-errors', 'Errors by errno', [
    { key: 'name', label: 'errno', value: function (r) { return r.name; }, cls: 'bad' },
    { key: 'count', label: 'count', num: 1, value: function (r) { return r.count; } },
    { key: 'syscalls', label: 'syscalls', wrap: 1, value: function (r) { return r.syscalls.join(' '); } }
  ], S.errors, function (r) { return { key: r.name, what: 'failed with ' + r.name, sel: { filter: 'evt.res=' + fval(r.name) } }; });
  table(root, 'table-errors-by-process', 'Errors by process', [
    { key: 'pid', label: 'pid', num: 1, value: function (r) { return r.pid; } },
    { key: 'comm', label: 'comm', value: function (r) { return r.comm; } },
    { key: 'name', label: 'errno', value: function (r) { return r.name; }, cls: 'bad' },
    { key: 'count', label: 'count', num: 1, value: function (r) { return r.count; } }
  ], D.errorsByProcess, function (r) { return { key: r.pid + '/' + r.name, what: r.comm + ' (' + r.pid + ') ' + r.name, sel: { filter: 'proc.pid=' + r.pid + ' and evt.res=' + fval(r.name) } }; });
  var inflight = D.processes.inFlightAtEnd || [];
  if (inflight.length) {
    table(root, 'table-in-flight', 'In flight at the end (entered, never returned)', [
      { key: 'blockedNs', label: 'for', num: 1, value: function (r) { return r.blockedNs == null ? '' : r.blockedNs; }, show: function (r) { return r.blockedNs == null ? 'whole capture' : '>= ' + dur(r.blockedNs); } },
      { key: 'tid', label: 'tid', num: 1, value: function (r) { return r.tid; } },
      { key: 'comm', label: 'comm', value: function (r) { return r.comm; } },
      { key: 'syscall', label: 'syscall', value: function (r) { return r.syscall; } },
      { key: 'on', label: 'on', wrap: 1, value: function (r) { return r.on; } }
    ], inflight, function (r) { return { key: String(r.tid), what: r.comm + ' (' + r.tid + ')', sel: { filter: 'thread.tid=' + r.tid } }; });
  }
}

function drawEvents() {
  var root = document.getElementById('events');
  function list(id, caption, rows) {
    table(root, id, caption, [
      { key: 'atNs', label: 'at', num: 1, value: function (r) { return r.atNs; }, show: function (r) { return rel(r.atNs); }, tip: function (r) { return clock(r.atNs) + ' UTC'; } },
      { key: 'type', label: 'syscall', value: function (r) { return r.type; } },
      { key: 'latencyNs', label: 'latency', num: 1, value: function (r) { return r.latencyNs == null ? '' : r.latencyNs; }, show: function (r) { return dur(r.latencyNs); } },
      { key: 'error', label: 'error', value: function (r) { return r.error || ''; }, cls: 'bad' },
      { key: 'line', label: 'kcap read line', value: function (r) { return r.line; }, cls: 'line', tip: function (r) { return r.line; } }
    ], rows, function (r) { return { key: String(r.num), what: 'event ' + r.num, sel: { fromNs: r.atNs, toNs: r.atNs, filter: 'evt.num=' + r.num } }; });
  }
  list('table-slowest', 'Slowest calls', D.events.slowest);
  list('table-failures', 'Failures', D.events.failures);
}

drawFacts();
drawTimeline();
drawHeatmap();
drawProcesses(PROC_SHOWN);
drawTables();
drawEvents();
select('every selected event', {});
var status = document.getElementById('kcap-status');
var sum = 0; T.total.forEach(function (v) { sum += v; });
status.setAttribute('data-timeline-events', sum);
status.setAttribute('data-heatmap-syscalls', D.heatmap.syscalls.length);
status.setAttribute('data-processes', D.processes.rows.length);
status.setAttribute('data-ready', 'true');
})();

"""#
}
