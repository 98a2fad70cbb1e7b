import Analyzer
import KcapTestSupport
import CaptureFormat
#if canImport(Glibc)
import Glibc
#endif

/// `kcap-bench read`: the analyzer's replay figures for tools/bench/read.sh.
///   synth FILE EVENTS [EVERY]  write a loop-shaped capture of EVENTS records (open/read/close/getppid), with a
///                              snapshot every EVERY records (default 4,000,000)
///   synth-mixed FILE EVENTS    write a busy mixed machine's capture (SyntheticCapture.writeMixed)
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

    static func run(_ args: [String]) throws -> Int32 {
        guard let verb = args.first, args.count >= 2 else {
            fputs("usage: kcap-bench read synth FILE EVENTS | synth-mixed FILE EVENTS | scan FILE FILTER | print FILE [text|json|FORMAT] [OUT]\n", stderr)
            return 2
        }
        let path = args[1]
        switch verb {
        case "synth-mixed":
            let n = args.count > 2 ? Int(args[2]) ?? 10_000_000 : 10_000_000
            let t0 = now()
            try SyntheticCapture.writeMixed(path: path, events: n)
            let dt = now() - t0
            var st = stat()
            stat(path, &st)
            print("synth-mixed events=\(n) seconds=\(fmt(dt)) bytes=\(st.st_size) bytes_per_event=\(fmt(Double(st.st_size) / Double(n)))")
        case "synth":
            let n = args.count > 2 ? Int(args[2]) ?? 10_000_000 : 10_000_000
            let t0 = now()
            let every = args.count > 3 ? Int(args[3]) ?? 4_000_000 : 4_000_000
            try SyntheticCapture.writeLoop(path: path, events: n, snapshotEvery: max(every, 1))
            let dt = now() - t0
            var st = stat()
            stat(path, &st)
            print("synth events=\(n) seconds=\(fmt(dt)) bytes=\(st.st_size) bytes_per_event=\(fmt(Double(st.st_size) / Double(n)))")
        case "scan":
            let text = args.count > 2 ? args[2] : ""
            let replay = CaptureReplay(reader: try CaptureReader(path: path))
            var options = ReadPipeline.Options()
            if !text.isEmpty {
                options.filter = try FilterCompiler(eventTypeCodes: Event.typeCodes(machine: replay.engine.machine)).compile(text, for: Event.self)
            }
            let t0 = now()
            let matched = try ReadPipeline.run(replay, output: .none, to: OutputBuffer(), options: options)
            let dt = now() - t0
            let events = replay.engine.eventCount
            print("scan events=\(events) matched=\(matched) seconds=\(fmt(dt)) events_per_s=\(Int(Double(events) / dt)) max_rss_mib=\(fmt(maxRSSMiB()))")
        case "print":
            let mode = args.count > 2 ? args[2] : "text"
            let outPath = args.count > 3 ? args[3] : "/dev/null"
            let fd = open(outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { fputs("cannot open \(outPath)\n", stderr); return 1 }
            defer { close(fd) }
            let replay = CaptureReplay(reader: try CaptureReader(path: path))
            let out = OutputBuffer(fd: fd)
            let t0 = now()
            let lines: UInt64
            switch mode {
            case "text": lines = try ReadPipeline.run(replay, output: .text, to: out, options: .init())
            case "json": lines = try ReadPipeline.run(replay, output: .json, to: out, options: .init())
            default: lines = try ReadPipeline.run(replay, output: .format(mode), to: out, options: .init())
            }
            let dt = now() - t0
            print("print mode=\(mode) lines=\(lines) seconds=\(fmt(dt)) lines_per_s=\(Int(Double(lines) / dt)) max_rss_mib=\(fmt(maxRSSMiB()))")
        default:
            fputs("kcap-bench read: unknown verb \(verb)\n", stderr)
            return 2
        }
        return 0
    }

    static func fmt(_ v: Double) -> String {
        let r = (v * 1000).rounded() / 1000
        return String(r)
    }
}
