import CaptureFormat
import Glibc

extension Recording {
    /// The capture header for this machine and these options: host facts and the configuration.
    public static func makeHeader(options: RecordingOptions, commandLine: [String]) -> CaptureHeader {
        var u = utsname()
        uname(&u)
        func field<T>(_ v: inout T) -> String {
            withUnsafePointer(to: &v) { $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout<T>.size) { String(cString: $0) } }
        }
        let boot = BootClock.nowNs(), real = BootClock.realtimeNs()
        var recorder: [String: String] = [
            "commandLine": commandLine.joined(separator: " "),
            "snaplen": String(options.probe.snaplen),
            "environment": options.probe.environment ? "1" : "0",
            "events": options.probe.events.spec,
            "bufferSize": String(options.probe.bufferSize),
            "snapshotIntervalNs": String(options.snapshotIntervalNs),
            "kcapVersion": KcapVersion.string,
        ]
        if !options.probe.pids.isEmpty { recorder["pids"] = options.probe.pids.map(String.init).joined(separator: ",") }
        if let c = options.probe.comm { recorder["comm"] = c }
        if !options.command.isEmpty { recorder["command"] = options.command.joined(separator: " ") }
        return CaptureHeader(abiVersion: 1, hostname: field(&u.nodename), kernelRelease: field(&u.release),
                             machine: field(&u.machine), cpuCount: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
                             bootTimeRealtimeOffsetNs: Int64(bitPattern: real &- boot), createdRealtimeNs: Int64(real),
                             recorder: recorder)
    }
}
