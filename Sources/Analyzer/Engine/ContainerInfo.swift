import CaptureFormat
import Foundation
import ScapFormat

/// A container's metadata, as a sysdig capture's container events give it (`container.name`, `.image`,
/// `.type`, `.privileged`); threads name their container by id (`ProcessState.containerID`, from the cgroup).
public struct ContainerInfo: Equatable, Sendable {
    public var id: String
    public var name: String
    public var image: String
    /// The runtime (docker, cri-o, containerd...).
    public var type: String
    /// nil when the event does not say (the oldest container event).
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
    /// "privileged":true,...}}`), nil when it names none.
    public static func fromJSON(_ bytes: UnsafeRawBufferPointer) -> ContainerInfo? {
        var n = bytes.count
        while n > 0 && (bytes[n - 1] == 0 || bytes[n - 1] == 0x0a) { n -= 1 }
        guard n > 0, let object = try? JSONSerialization.jsonObject(with: Data(bytes[0..<n])) as? [String: Any],
              let c = object["container"] as? [String: Any], let id = c["id"] as? String else { return nil }
        return ContainerInfo(id: id, name: c["name"] as? String ?? "", image: c["image"] as? String ?? "",
                             type: typeName((c["type"] as? NSNumber)?.intValue ?? 0),
                             privileged: (c["privileged"] as? NSNumber)?.boolValue)
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
            info = idIndex < 0 ? nil : ContainerInfo(id: text("id"), name: text("name"), image: text("image"), type: ContainerInfo.typeName(Int(type)))
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
