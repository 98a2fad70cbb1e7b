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
    /// Format 1.3: the hosts of a capture merged from several (`kcap merge`), in the order the records'
    /// host numbers and the snapshots' host numbers name them; empty for a capture of one host (the fields
    /// above are that host's).
    public var hosts: [CaptureHost]
    /// Format 1.3: how the capture was redacted (`kcap slice --redact`): `scheme` names the keyed hash,
    /// `keyFingerprint` tells captures redacted with the same key apart from others; empty when it was not.
    public var redaction: [String: String]

    /// True for a capture written by `kcap slice --redact` or `kcap merge --redact`.
    public var isRedacted: Bool { !redaction.isEmpty }

    /// Memberwise initializer with defaults for every field.
    public init(abiVersion: Int = 1, hostname: String = "", kernelRelease: String = "", machine: String = "",
                cpuCount: Int = 0, bootTimeRealtimeOffsetNs: Int64 = 0, createdRealtimeNs: Int64 = 0,
                recorder: [String: String] = [:], extra: [String: String] = [:], hosts: [CaptureHost] = [],
                redaction: [String: String] = [:]) {
        self.abiVersion = abiVersion
        self.hostname = hostname
        self.kernelRelease = kernelRelease
        self.machine = machine
        self.cpuCount = cpuCount
        self.bootTimeRealtimeOffsetNs = bootTimeRealtimeOffsetNs
        self.createdRealtimeNs = createdRealtimeNs
        self.recorder = recorder
        self.extra = extra
        self.hosts = hosts
        self.redaction = redaction
    }

    private enum CodingKeys: String, CodingKey {
        case abiVersion, hostname, kernelRelease, machine, cpuCount, bootTimeRealtimeOffsetNs, createdRealtimeNs
        case recorder, extra, hosts, redaction
    }

    /// The keys of format 1.2, then `hosts` and `redaction` only when set (a capture of one host that is not
    /// redacted keeps the header bytes it always had).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(abiVersion, forKey: .abiVersion)
        try c.encode(hostname, forKey: .hostname)
        try c.encode(kernelRelease, forKey: .kernelRelease)
        try c.encode(machine, forKey: .machine)
        try c.encode(cpuCount, forKey: .cpuCount)
        try c.encode(bootTimeRealtimeOffsetNs, forKey: .bootTimeRealtimeOffsetNs)
        try c.encode(createdRealtimeNs, forKey: .createdRealtimeNs)
        try c.encode(recorder, forKey: .recorder)
        try c.encode(extra, forKey: .extra)
        if !hosts.isEmpty { try c.encode(hosts, forKey: .hosts) }
        if !redaction.isEmpty { try c.encode(redaction, forKey: .redaction) }
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
        // A damaged or foreign host list reads as none (one host), as an unknown key would.
        hosts = (try? c.decodeIfPresent([CaptureHost].self, forKey: .hosts)) ?? []
        redaction = (try? c.decodeIfPresent([String: String].self, forKey: .redaction)) ?? [:]
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

/// One host of a merged capture (format 1.3, `CaptureHeader.hosts`): the facts its own capture's header gave.
public struct CaptureHost: Codable, Sendable, Equatable, Hashable {
    /// Host name.
    public var hostname: String
    /// `uname -r`.
    public var kernelRelease: String
    /// Online CPUs.
    public var cpuCount: Int
    /// The host's own clock offset (wall-clock ns = the host's boot-time ns + this). The merged capture's
    /// records are on one clock, the header's `bootTimeRealtimeOffsetNs`: the merge moved each host's
    /// timestamps by the difference.
    public var bootTimeRealtimeOffsetNs: Int64

    /// Memberwise initializer.
    public init(hostname: String, kernelRelease: String = "", cpuCount: Int = 0, bootTimeRealtimeOffsetNs: Int64 = 0) {
        self.hostname = hostname
        self.kernelRelease = kernelRelease
        self.cpuCount = cpuCount
        self.bootTimeRealtimeOffsetNs = bootTimeRealtimeOffsetNs
    }

    private enum CodingKeys: String, CodingKey { case hostname, kernelRelease, cpuCount, bootTimeRealtimeOffsetNs }

    /// Missing keys take their defaults.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hostname = try c.decodeIfPresent(String.self, forKey: .hostname) ?? ""
        kernelRelease = try c.decodeIfPresent(String.self, forKey: .kernelRelease) ?? ""
        cpuCount = try c.decodeIfPresent(Int.self, forKey: .cpuCount) ?? 0
        bootTimeRealtimeOffsetNs = try c.decodeIfPresent(Int64.self, forKey: .bootTimeRealtimeOffsetNs) ?? 0
    }
}
