import CaptureFormat
import ScapFormat

/// A container's metadata, as a sysdig capture's container events give it (`container.name`, `.image`,
/// `.type`, `.privileged`); threads name their container by id (`ProcessState.containerID`, from the cgroup).
public struct ContainerInfo: Equatable, Sendable {
    public var id: String
    public var name: String
    public var image: String
    /// The runtime (docker, cri-o, containerd...).
    public var type: String
    /// false unless the metadata says so (as sysdig defaults it).
    public var privileged: Bool?

    public init(id: String, name: String, image: String, type: String, privileged: Bool? = nil) {
        self.id = id
        self.name = name
        self.image = image
        self.type = type
        self.privileged = privileged
    }

    /// libs' container types (`sinsp_container_type`), by number.
    static let typeNames = ["docker", "lxc", "libvirt-lxc", "mesos", "rkt", "custom", "cri", "containerd", "cri-o", "bpm",
                            "static", "podman"]

    static func typeName(_ n: Int) -> String { n >= 0 && n < typeNames.count ? typeNames[n] : "\(n)" }

    /// The container of a container event's JSON (`{"container":{"id":...,"name":...,"image":...,"type":0,
    /// "privileged":true,...}}`), nil when it names none. A scan of the bytes for the five fields it needs
    /// (nested values skipped): a general JSON parser cost more per event than the rest of a capture's
    /// container handling, and a capture concatenated from copies repeats its containers in every section.
    public static func fromJSON(_ bytes: UnsafeRawBufferPointer) -> ContainerInfo? {
        var scanner = JSONFieldScanner(bytes)
        guard scanner.enterObject(), let key = scanner.nextKey(), key == "container", scanner.enterObject() else { return nil }
        // sysdig's defaults: a docker container, not privileged.
        var info = ContainerInfo(id: "", name: "", image: "", type: typeName(0), privileged: false)
        var hasID = false
        while let key = scanner.nextKey() {
            switch key {
            case "id": if let v = scanner.stringValue() { info.id = v; hasID = true } else { scanner.skipValue() }
            case "name": if let v = scanner.stringValue() { info.name = v } else { scanner.skipValue() }
            case "image": if let v = scanner.stringValue() { info.image = v } else { scanner.skipValue() }
            case "type": if let v = scanner.intValue() { info.type = typeName(v) } else { scanner.skipValue() }
            case "privileged": if let v = scanner.boolValue() { info.privileged = v } else { scanner.skipValue() }
            default: scanner.skipValue()
            }
            guard scanner.nextMember() else { break }
        }
        return hasID ? info : nil
    }

    /// The ppm ids of container events (CONTAINER_E, CONTAINER_JSON_E, CONTAINER_JSON_2_E), as
    /// `EventTypeNames.foreignBase + id` syscall numbers.
    static let eventNumbers: [Int] = ScapEventTable.rows.compactMap { row in
        row.flatMap { $0.name == "container" && $0.isEnter ? EventTypeNames.foreignBase + Int($0.id) : nil }
    }
}

extension Engine {
    /// Reads a container event's record into the container table, and gives the event the thread sysdig
    /// gives it: `container:ID`, tid and pid -1, in the container.
    func applyContainer(_ r: SyscallRecord, ppmID: UInt16) {
        guard let row = ScapEventTable.info(ppmID) else { return }
        var info: ContainerInfo?
        if let i = row.index(of: "json") {
            info = r.items.first(.data, arg: UInt8(i)).flatMap { ContainerInfo.fromJSON($0.data) }
        } else if let idIndex = row.index(of: "id") {
            func text(_ name: String) -> String {
                guard let i = row.index(of: name), let d = r.items.first(.data, arg: UInt8(i))?.data else { return "" }
                return String(decoding: d.prefix { $0 != 0 }, as: UTF8.self)
            }
            let type = row.index(of: "type").flatMap { r.items.first(.foreignInteger, arg: UInt8($0)) }
                .flatMap { EventPrinter.signedLittleEndian($0.data) } ?? 0
            info = idIndex < 0 ? nil : ContainerInfo(id: text("id"), name: text("name"), image: text("image"),
                                                     type: ContainerInfo.typeName(Int(type)), privileged: false)
        }
        guard let info, !info.id.isEmpty else { return }
        containers[info.id] = info
        // sysdig's thread for a container event (tid -1): comm and exe `container:ID`, pid -1, in the container.
        guard r.tid == UInt32.max else { return }
        let p = ProcessState(pid: r.tid, exe: "container:" + info.id, containerID: info.id, isKnown: true)
        threads.remove(tid: r.tid)
        threads.insert(ThreadState(tid: r.tid, process: p, comm: "container:" + info.id, startTimeNs: r.timestampNs))
    }
}

/// Just enough of JSON to read an object's members: keys, string, integer and boolean values, and anything
/// else (nested objects and arrays, with strings in them) skipped. Never reads past its bytes; on malformed
/// input it stops (nil, false).
struct JSONFieldScanner {
    let b: UnsafeRawBufferPointer
    var at = 0

    init(_ bytes: UnsafeRawBufferPointer) { b = bytes }

    mutating func skipSpace() {
        while at < b.count, b[at] == 0x20 || b[at] == 0x0a || b[at] == 0x0d || b[at] == 0x09 { at += 1 }
    }

    /// Consumes `{`.
    mutating func enterObject() -> Bool {
        skipSpace()
        guard at < b.count, b[at] == UInt8(ascii: "{") else { return false }
        at += 1
        return true
    }

    /// The next member's key and its `:`, nil at the object's end.
    mutating func nextKey() -> String? {
        skipSpace()
        guard let k = stringValue() else { return nil }
        skipSpace()
        guard at < b.count, b[at] == UInt8(ascii: ":") else { return nil }
        at += 1
        return k
    }

    /// Consumes the `,` before the next member; false at `}` (or malformed input).
    mutating func nextMember() -> Bool {
        skipSpace()
        guard at < b.count, b[at] == UInt8(ascii: ",") else { return false }
        at += 1
        return true
    }

    /// A string value (escapes decoded: \", \\, \/, \n, \t, \uXXXX for the basic plane).
    mutating func stringValue() -> String? {
        skipSpace()
        guard at < b.count, b[at] == UInt8(ascii: "\"") else { return nil }
        at += 1
        var out: [UInt8] = []
        while at < b.count {
            let c = b[at]
            at += 1
            if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            if c != UInt8(ascii: "\\") { out.append(c); continue }
            guard at < b.count else { return nil }
            let e = b[at]
            at += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0a)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0d)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0c)
            case UInt8(ascii: "u"):
                guard at + 4 <= b.count, let v = UInt32(String(decoding: UnsafeRawBufferPointer(rebasing: b[at..<(at + 4)]), as: UTF8.self), radix: 16) else { return nil }
                at += 4
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(v) ?? "?")).utf8))
            default: out.append(e)
            }
        }
        return nil
    }

    mutating func intValue() -> Int? {
        skipSpace()
        var sign = 1, v = 0, digits = 0
        if at < b.count, b[at] == UInt8(ascii: "-") { sign = -1; at += 1 }
        while at < b.count, b[at] >= UInt8(ascii: "0"), b[at] <= UInt8(ascii: "9"), digits < 18 {
            v = v * 10 + Int(b[at] - UInt8(ascii: "0"))
            at += 1
            digits += 1
        }
        return digits > 0 ? sign * v : nil
    }

    mutating func boolValue() -> Bool? {
        skipSpace()
        for (word, value) in [("true", true), ("false", false)] {
            let w = Array(word.utf8)
            if b.count - at >= w.count, zip(b[at..<(at + w.count)], w).allSatisfy({ $0 == $1 }) {
                at += w.count
                return value
            }
        }
        return nil
    }

    /// Skips one value of any kind.
    mutating func skipValue() {
        skipSpace()
        var depth = 0
        while at < b.count {
            let c = b[at]
            if c == UInt8(ascii: "\"") { _ = stringValue(); if depth == 0 { return }; continue }
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
            else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                if depth == 0 { return }
                depth -= 1
                if depth == 0 { at += 1; return }
            } else if depth == 0 && (c == UInt8(ascii: ",")) { return }
            at += 1
        }
    }
}
