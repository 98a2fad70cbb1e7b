import Foundation

/// Host facts and recorder configuration, stored once at the start of every file (JSON inside a HEADER block).
/// Decoding tolerates missing and unknown keys, so older and newer writers stay readable.
public struct CaptureHeader: Codable, Sendable, Equatable {
    /// KCAP_ABI_VERSION of the records.
    public var abiVersion: Int
    /// Host name of the recording machine.
    public var hostname: String
    /// `uname -r` of the recording machine.
    public var kernelRelease: String
    /// `uname -m`: "x86_64" or "aarch64"; selects the syscall table.
    public var machine: String
    /// Online CPUs when recording started.
    public var cpuCount: Int
    /// wall-clock ns = boot-time ns + this.
    public var bootTimeRealtimeOffsetNs: Int64
    /// Wall-clock ns when the file was created.
    public var createdRealtimeNs: Int64
    /// Recorder configuration: command line, snaplen, events, filters, kcap version.
    public var recorder: [String: String]
    /// Room to grow.
    public var extra: [String: String]

    /// Memberwise initializer with defaults for every field.
    public init(abiVersion: Int = 1, hostname: String = "", kernelRelease: String = "", machine: String = "",
                cpuCount: Int = 0, bootTimeRealtimeOffsetNs: Int64 = 0, createdRealtimeNs: Int64 = 0,
                recorder: [String: String] = [:], extra: [String: String] = [:]) {
        self.abiVersion = abiVersion
        self.hostname = hostname
        self.kernelRelease = kernelRelease
        self.machine = machine
        self.cpuCount = cpuCount
        self.bootTimeRealtimeOffsetNs = bootTimeRealtimeOffsetNs
        self.createdRealtimeNs = createdRealtimeNs
        self.recorder = recorder
        self.extra = extra
    }

    private enum CodingKeys: String, CodingKey {
        case abiVersion, hostname, kernelRelease, machine, cpuCount, bootTimeRealtimeOffsetNs, createdRealtimeNs
        case recorder, extra
    }

    /// Missing keys take their defaults (a header from an older writer); unknown keys are ignored.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = CaptureHeader()
        abiVersion = try c.decodeIfPresent(Int.self, forKey: .abiVersion) ?? d.abiVersion
        hostname = try c.decodeIfPresent(String.self, forKey: .hostname) ?? d.hostname
        kernelRelease = try c.decodeIfPresent(String.self, forKey: .kernelRelease) ?? d.kernelRelease
        machine = try c.decodeIfPresent(String.self, forKey: .machine) ?? d.machine
        cpuCount = try c.decodeIfPresent(Int.self, forKey: .cpuCount) ?? d.cpuCount
        bootTimeRealtimeOffsetNs = try c.decodeIfPresent(Int64.self, forKey: .bootTimeRealtimeOffsetNs) ?? 0
        createdRealtimeNs = try c.decodeIfPresent(Int64.self, forKey: .createdRealtimeNs) ?? 0
        recorder = try c.decodeIfPresent([String: String].self, forKey: .recorder) ?? [:]
        extra = try c.decodeIfPresent([String: String].self, forKey: .extra) ?? [:]
    }

    /// The JSON bytes stored in the header block (sorted keys, so the same header gives the same bytes).
    func encodedPayload() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(self))
    }

    /// Decodes a header block payload.
    static func decode(payload: UnsafeRawBufferPointer) throws -> CaptureHeader {
        try JSONDecoder().decode(CaptureHeader.self, from: Data(payload))
    }
}
