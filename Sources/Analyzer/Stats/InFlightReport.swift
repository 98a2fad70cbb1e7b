import CaptureFormat
import EventSchema

extension StatisticsReport {
    /// A syscall still in flight at the end of the capture: entered, seen blocked by the last snapshot of its
    /// thread, and not returned in any record after that snapshot.
    public struct InFlightRow: Codable, Equatable, Sendable {
        /// Thread id.
        public var tid: UInt32
        /// Process id.
        public var pid: UInt32
        /// Thread name.
        public var comm: String
        /// Syscall name (`evt.type`).
        public var syscall: String
        /// The fd it waits on, as the default output prints it (`fd=5(<4>127.0.0.1:80->...)`), "" when its
        /// first argument is not an fd.
        public var on: String
        /// Boot-time ns of its entry; nil when it began before the recording.
        public var enteredNs: UInt64?
        /// How long it had been in flight when that snapshot was taken, ns; nil when the entry is unknown.
        public var blockedNs: UInt64?
    }
}

/// The syscalls that never returned during a capture. Records are written when a syscall returns, so a call
/// that hangs (a read on a dead peer, a lock wait) leaves no record of its own; the recorder's snapshots list
/// every thread's syscall in flight, and the engine forgets a thread's entry as soon as a newer record shows
/// the call returned.
public enum InFlightReport {
    /// Rows for the threads the engine still holds in a syscall, longest first (unknown entries last),
    /// at most `limit`.
    public static func rows(engine: Engine, machine: String, limit: Int) -> [StatisticsReport.InFlightRow] {
        let arch = SyscallArch(machine: machine) ?? .x86_64
        let out = OutputBuffer()
        let printer = EventPrinter(engine: engine)
        var rows: [StatisticsReport.InFlightRow] = []
        for t in engine.threads.allThreads {
            guard let call = t.inFlight else { continue }
            let info = EventTable.info(syscall: Int(call.nr), arch: arch)
            var on = ""
            if let info, EventTable.params(info, arch: arch).first?.type == .fd, let raw = call.args.first {
                let fd = Int32(truncatingIfNeeded: raw)
                out.reset()
                out.append("fd=")
                printer.appendFd(fd, entry: fd >= 0 ? t.process.fds[fd] : nil, to: out)
                on = String(decoding: out.bytes, as: UTF8.self)
            }
            let entered = call.enteredNs == 0 ? nil : call.enteredNs
            let blocked = entered.flatMap { t.inFlightSnapshotNs >= $0 ? t.inFlightSnapshotNs - $0 : nil }
            rows.append(.init(tid: t.tid, pid: t.process.pid, comm: t.comm,
                              syscall: info?.name ?? EventTable.unknownSyscallName(Int(call.nr)), on: on,
                              enteredNs: entered, blockedNs: blocked))
        }
        rows.sort { a, b in
            switch (a.blockedNs, b.blockedNs) {
            case let (x?, y?): return x != y ? x > y : a.tid < b.tid
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.tid < b.tid
            }
        }
        return Array(rows.prefix(limit))
    }
}
