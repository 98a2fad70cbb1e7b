import Analyzer
import CaptureFormat
#if canImport(Glibc)
import Glibc
#endif

/// `kcap-bench read`: the analyzer's replay figures for tools/bench/read.sh.
///   synth FILE EVENTS          write a loop-shaped capture of EVENTS records (open/read/close/getppid)
///   scan FILE FILTER           replay with a filter, nothing printed: events/s
///   print FILE [text|json|FORMAT] [OUT]  replay formatting every event to OUT (default /dev/null): lines/s
/// Each prints one line of key=value figures, max RSS included.
enum ReadBench {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func maxRSSMiB() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_maxrss) / 1024
    }

    struct Counter: EventConsumer {
        var filter: CompiledFilter<Event>?
        var events: UInt64 = 0
        var matched: UInt64 = 0
        mutating func consume(_ event: Event) -> Bool {
            events &+= 1
            if filter?.matches(event) != false { matched &+= 1 }
            return true
        }
    }

    static func run(_ args: [String]) throws -> Int32 {
        guard let verb = args.first, args.count >= 2 else {
            fputs("usage: kcap-bench read synth FILE EVENTS | scan FILE FILTER | print FILE [text|json|FORMAT] [OUT]\n", stderr)
            return 2
        }
        let path = args[1]
        switch verb {
        case "synth":
            let n = args.count > 2 ? Int(args[2]) ?? 10_000_000 : 10_000_000
            let t0 = now()
            try SyntheticCapture.writeLoop(path: path, events: n)
            let dt = now() - t0
            var st = stat()
            stat(path, &st)
            print("synth events=\(n) seconds=\(fmt(dt)) bytes=\(st.st_size) bytes_per_event=\(fmt(Double(st.st_size) / Double(n)))")
        case "scan":
            let text = args.count > 2 ? args[2] : ""
            let replay = CaptureReplay(reader: try CaptureReader(path: path))
            var c = Counter()
            if !text.isEmpty {
                c.filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: replay.engine.machine)).compile(text, for: Event.self)
            }
            let t0 = now()
            try replay.run(into: &c)
            let dt = now() - t0
            print("scan events=\(c.events) matched=\(c.matched) seconds=\(fmt(dt)) events_per_s=\(Int(Double(c.events) / dt)) max_rss_mib=\(fmt(maxRSSMiB()))")
        case "print":
            let mode = args.count > 2 ? args[2] : "text"
            let outPath = args.count > 3 ? args[3] : "/dev/null"
            let fd = open(outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { fputs("cannot open \(outPath)\n", stderr); return 1 }
            defer { close(fd) }
            let replay = CaptureReplay(reader: try CaptureReader(path: path))
            let out = OutputBuffer(fd: fd)
            let printer = replay.engine.printer
            let t0 = now()
            let lines: UInt64
            switch mode {
            case "text": lines = try play(replay, TextSink(out: out, printer: printer))
            case "json": lines = try play(replay, JSONSink(out: out, printer: printer))
            default: lines = try play(replay, try FormatSink(format: mode, out: out, printer: printer))
            }
            let dt = now() - t0
            print("print mode=\(mode) lines=\(lines) seconds=\(fmt(dt)) lines_per_s=\(Int(Double(lines) / dt)) max_rss_mib=\(fmt(maxRSSMiB()))")
        default:
            fputs("kcap-bench read: unknown verb \(verb)\n", stderr)
            return 2
        }
        return 0
    }

    static func play<S: EventSink>(_ replay: CaptureReplay, _ sink: S) throws -> UInt64 {
        var c = FilteredSink(sink: sink)
        try replay.run(into: &c)
        if let e = c.error { throw e }
        try c.sink.finish()
        return c.written
    }

    static func fmt(_ v: Double) -> String {
        let r = (v * 1000).rounded() / 1000
        return String(r)
    }
}
