/// Options that strace, sysdig and tcpdump users type out of habit on `kcap read` and `kcap stats`, which kcap
/// spells differently: instead of ArgumentParser's "Unknown option", one line naming kcap's way (issue 12).
/// Only words before a `--` and outside the filter's quoted words are looked at: a filter never starts with `-`.
enum ForeignOptions {
    /// The line for the first foreign option of `args` (the whole command line), nil when there is none.
    static func message(_ args: [String]) -> String? {
        guard let command = args.first, ["read", "stats", "record"].contains(command) else { return nil }
        if command == "record" { return pidAsFormat(args) }
        var i = 1
        while i < args.count {
            let a = args[i]
            if a == "--" { return nil }
            let next = i + 1 < args.count ? args[i + 1] : nil
            switch a {
            case "-c":
                return "kcap \(command): \(a) is strace's and sysdig's count or chisel; kcap's summary is kcap stats FILE (grouped: kcap stats FILE --by proc.name,evt.type)"
            case "-e":
                let value = next ?? ""
                let list = value.hasPrefix("trace=") ? String(value.dropFirst("trace=".count)) : value
                let names = list.split(separator: ",").joined(separator: ", ")
                return "kcap \(command): -e is strace's event selection; kcap's is the filter 'evt.type in (\(names.isEmpty ? "open, close" : names))'"
            case "-o":
                return "kcap \(command): -o is strace's output file; kcap prints to stdout: redirect it (> FILE), or cut a capture with kcap slice IN -w OUT"
            case "-s":
                return "kcap \(command): -s is the snapshot length, set when recording (kcap record --snaplen N); kcap read prints the bytes the capture holds"
            case "-A" where command == "stats", "-X" where command == "stats":
                return "kcap \(command): \(a) is sysdig's data dump; kcap read prints data buffers as text with -A and in hex with -X"
            case "-x":
                return "kcap \(command): -x is tcpdump's hex dump; kcap read -X prints data buffers in hex and ASCII (-A as text)"
            case "-z":
                return "kcap \(command): -z is sysdig's compression; kcap captures are always LZ4-compressed"
            case "-p" where command == "read":
                if let line = pidAsFormat(args) { return line }
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// sysdig's -p is a format, as kcap's; strace's (and perf's) is a pid: a bare number is never a useful
    /// format, so `-p 4242` gets one line naming kcap's way to pick a process.
    static func pidAsFormat(_ args: [String]) -> String? {
        guard let command = args.first else { return nil }
        for (a, v) in zip(args, args.dropFirst()) {
            if a == "--" { return nil }
            guard a == "-p" || a == "--format", !v.isEmpty, v.allSatisfy(\.isNumber) else { continue }
            let way = command == "record" ? "to record a process and its children use --pid \(v)" : "for a process use the filter 'proc.pid=\(v)'"
            return "kcap \(command): -p is the output format (as sysdig's -p), not strace's pid; \(way)"
        }
        return nil
    }
}
