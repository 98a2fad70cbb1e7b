import CaptureFormat
import EventSchema

/// What `kcap slice --redact` and `kcap merge --redact` do to every byte they write (docs/postmortem.md,
/// "Redacted captures"): I/O data, and the bytes a call read or wrote through a pointer (MEMORY items), are
/// dropped; paths, arguments, host names, user and group names, container
/// ids and addresses are replaced by keyed hashes; everything else (record layout, syscall numbers, results,
/// latencies, fd numbers, pids, ports, inodes, process names) is kept, so counts and joins still work.
///
/// A token is `r` and 16 lowercase hex digits: the first 8 bytes of the keyed hash of a domain byte and the
/// input (`s` strings, `4` IPv4 addresses, `6` IPv6 addresses). The same input gives the same token under one
/// key, in every capture redacted with it. A path is redacted one component at a time (`/etc/hosts` →
/// `/r…/r…`; `.`, `..` and empty components stay), so a relative path resolves against a redacted working
/// directory to the redacted absolute path, as the original did. An IPv4 address becomes the first 4 bytes of
/// its hash, an IPv6 address the first 16 (an IPv4-mapped one keeps its `::ffff:` prefix and maps its IPv4
/// part); the unspecified address (all zero) stays, since it means "no address".
///
/// The hash is the caller's (`kcap` uses HMAC-SHA256 from swift-crypto with the `--redact-key`): this module
/// only needs a function from bytes to at least 16 bytes.
public final class Redactor {
    /// The keyed hash: at least 16 bytes for any input.
    public typealias KeyedHash = (UnsafeRawBufferPointer) -> [UInt8]

    /// Names the hash (written in the header's `redaction.scheme`).
    public let scheme: String
    /// A value that tells keys apart without revealing them (the header's `redaction.keyFingerprint`).
    public let keyFingerprint: String
    private let hash: KeyedHash
    /// Tokens made so far, by domain byte + input.
    private var tokens: [[UInt8]: [UInt8]] = [:]
    /// The record being rewritten.
    private var out: [UInt8] = []
    private var scratch: [UInt8] = []
    /// The record handed out by `redact(record:)`.
    private let record = UnsafeMutableRawBufferPointer.allocate(byteCount: KcapABI.recordMax, alignment: 8)

    deinit { record.deallocate() }

    /// A redactor hashing with `hash` (which the caller has keyed).
    public init(scheme: String, keyFingerprint: String, hash: @escaping KeyedHash) {
        self.scheme = scheme
        self.keyFingerprint = keyFingerprint
        self.hash = hash
        out.reserveCapacity(KcapABI.recordMax)
    }

    /// Header recorder keys whose values say nothing of the machine's data (kept as they are).
    static let keptRecorderKeys: Set<String> = ["snaplen", "events", "bufferSize", "snapshotIntervalNs", "kcapVersion",
                                                "sliceSince", "sliceUntil", "pids"]
    /// Header `extra` keys kept as they are.
    static let keptExtraKeys: Set<String> = ["fileIndex"]

    // MARK: tokens

    /// The token bytes of `input` in `domain`.
    private func tokenBytes(_ domain: UInt8, _ input: UnsafeRawBufferPointer) -> [UInt8] {
        var key = [domain]
        key.append(contentsOf: input)
        if let t = tokens[key] { return t }
        let h = key.withUnsafeBytes { hash($0) }
        var t: [UInt8] = [UInt8(ascii: "r")]
        let digits = Array("0123456789abcdef".utf8)
        for b in h.prefix(8) {
            t.append(digits[Int(b >> 4)])
            t.append(digits[Int(b & 15)])
        }
        if tokens.count < 1 << 20 { tokens[key] = t }
        return t
    }

    /// The token of a string (an argument, a host name, a user name).
    public func token(_ s: String) -> String {
        var copy = s
        return copy.withUTF8 { String(decoding: tokenBytes(UInt8(ascii: "s"), UnsafeRawBufferPointer($0)), as: UTF8.self) }
    }

    /// `path` with each component replaced by its token (`.`, `..` and empty components kept).
    public func path(_ path: String) -> String {
        var copy = path
        return copy.withUTF8 { String(decoding: pathBytes(UnsafeRawBufferPointer($0)), as: UTF8.self) }
    }

    func pathBytes(_ p: UnsafeRawBufferPointer) -> [UInt8] {
        var result: [UInt8] = []
        var start = 0
        var i = 0
        func component(_ end: Int) {
            let c = UnsafeRawBufferPointer(rebasing: p[start..<end])
            let dot = UInt8(ascii: ".")
            if c.isEmpty || (c.count == 1 && c[0] == dot) || (c.count == 2 && c[0] == dot && c[1] == dot) {
                result.append(contentsOf: c)
            } else {
                result.append(contentsOf: tokenBytes(UInt8(ascii: "s"), c))
            }
        }
        while i < p.count {
            if p[i] == UInt8(ascii: "/") {
                component(i)
                result.append(UInt8(ascii: "/"))
                start = i + 1
            }
            i += 1
        }
        component(p.count)
        return result
    }

    /// A unix socket's name: a path, or an abstract name (`@name` in snapshots) whose name is one token.
    public func unixPath(_ name: String) -> String {
        if name.hasPrefix("@") { return "@" + token(String(name.dropFirst())) }
        return path(name)
    }

    /// An IPv4 address (4 bytes, network order): the first 4 bytes of its hash; 0.0.0.0 stays.
    public func ipv4(_ a: UnsafeRawBufferPointer) -> [UInt8] {
        if a.allSatisfy({ $0 == 0 }) { return Array(a) }
        var h = Array(domainHash(UInt8(ascii: "4"), a).prefix(4))
        if h.allSatisfy({ $0 == 0 }) { h[3] = 1 }
        return h
    }

    /// An IPv6 address (16 bytes): the first 16 bytes of its hash; `::` stays; `::ffff:a.b.c.d` maps its IPv4 part.
    public func ipv6(_ a: UnsafeRawBufferPointer) -> [UInt8] {
        if a.allSatisfy({ $0 == 0 }) { return Array(a) }
        if a.count == 16, a[0..<10].allSatisfy({ $0 == 0 }), a[10] == 0xff, a[11] == 0xff {
            return Array(a[0..<12]) + ipv4(UnsafeRawBufferPointer(rebasing: a[12..<16]))
        }
        var h = Array(domainHash(UInt8(ascii: "6"), a).prefix(16))
        if h.allSatisfy({ $0 == 0 }) { h[15] = 1 }
        return h
    }

    /// An address of `family` (16 bytes as a tuple holds it: IPv4 in the first 4).
    func address(_ a: [UInt8], family: UInt16) -> [UInt8] {
        a.withUnsafeBytes { b -> [UInt8] in
            switch family {
            case Linux.AF_INET: return ipv4(UnsafeRawBufferPointer(rebasing: b[0..<4])) + [UInt8](repeating: 0, count: 12)
            case Linux.AF_INET6: return ipv6(b)
            default: return [UInt8](repeating: 0, count: a.count)
            }
        }
    }

    /// The hash of `domain` followed by `a`.
    private func domainHash(_ domain: UInt8, _ a: UnsafeRawBufferPointer) -> [UInt8] {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(domain)
        scratch.append(contentsOf: a)
        return scratch.withUnsafeBytes { hash($0) }
    }

    // MARK: records

    /// The record with its items redacted, valid until the next call; nil for a record to leave out (a type
    /// this kcap does not know, which could hold anything, or one too short for its type).
    public func redact(record r: RecordView) -> UnsafeRawBufferPointer? {
        let fixed: Int, nitemsAt: Int
        switch r.recordType {
        case .procFork?, .procExit?, .signal?: return r.bytes  // numbers only (a signal's sender and handler)
        case .syscall?: (fixed, nitemsAt) = (KcapABI.Syscall.size, KcapABI.Syscall.nitems)
        case .procExec?: (fixed, nitemsAt) = (KcapABI.ProcExec.size, KcapABI.ProcExec.nitems)
        case nil: return nil
        }
        guard r.bytes.count >= fixed else { return nil }
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: r.bytes[0..<fixed])
        let items = RecordItems(bytes: UnsafeRawBufferPointer(rebasing: r.bytes[fixed...]),
                                count: Int(LE.u16(r.bytes, nitemsAt)))
        var count = 0
        var cut = false
        for item in items {
            guard let data = redacted(item) else { continue }
            // Room left for this item's header and bytes, keeping the record within KCAP_RECORD_MAX.
            let room = KcapABI.recordMax - out.count - KcapABI.Item.size
            guard room >= 0 else { cut = true; break }
            let kept = min(data.count, room)
            if kept < data.count { cut = true }
            out.append(item.rawKind)
            out.append(item.rawArg)
            out.append(UInt8(truncatingIfNeeded: kept))
            out.append(UInt8(truncatingIfNeeded: kept >> 8))
            out.append(contentsOf: data[0..<kept])
            count += 1
        }
        while out.count % KcapABI.recordAlign != 0 { out.append(0) }
        if out.count > KcapABI.recordMax { out.removeLast(out.count - KcapABI.recordMax); cut = true }
        out[nitemsAt] = UInt8(truncatingIfNeeded: count)
        out[nitemsAt + 1] = UInt8(truncatingIfNeeded: count >> 8)
        out[KcapABI.Header.len] = UInt8(truncatingIfNeeded: out.count)
        out[KcapABI.Header.len + 1] = UInt8(truncatingIfNeeded: out.count >> 8)
        if cut { out[KcapABI.Header.flags] |= UInt8(truncatingIfNeeded: RecordFlags.truncated.rawValue) }
        out.withUnsafeBytes { record.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return UnsafeRawBufferPointer(rebasing: record[..<out.count])
    }

    /// An item's bytes once redacted, nil to drop it.
    private func redacted(_ item: RecordItem) -> [UInt8]? {
        let d = item.data
        switch item.kind {
        case .path?: return pathBytes(d)
        case .argv?:
            var result: [UInt8] = []
            var start = 0
            for i in 0..<d.count where d[i] == 0 {
                result += tokenBytes(UInt8(ascii: "s"), UnsafeRawBufferPointer(rebasing: d[start..<i])) + [0]
                start = i + 1
            }
            if start < d.count { result += tokenBytes(UInt8(ascii: "s"), UnsafeRawBufferPointer(rebasing: d[start...])) + [0] }
            return result
        case .sockaddr?:
            guard d.count >= 2 else { return Array(d) }
            let family = LE.u16(d, 0)
            var result = Array(d)
            switch family {
            case Linux.AF_INET where d.count >= 8:
                result.replaceSubrange(4..<8, with: ipv4(UnsafeRawBufferPointer(rebasing: d[4..<8])))
                return result
            case Linux.AF_INET6 where d.count >= 24:
                result.replaceSubrange(8..<24, with: ipv6(UnsafeRawBufferPointer(rebasing: d[8..<24])))
                // sin6_scope_id names an interface of the host: kept (a number, not an address).
                return result
            case Linux.AF_UNIX:
                var end = 2
                let abstract = d.count > 2 && d[2] == 0
                if abstract { end = 3 }
                while end < d.count, d[end] != 0 { end += 1 }
                let name = UnsafeRawBufferPointer(rebasing: d[(abstract ? 3 : 2)..<end])
                var out = Array(d[0..<2])
                if abstract { out.append(0) }
                if !name.isEmpty { out += abstract ? tokenBytes(UInt8(ascii: "s"), name) : pathBytes(name) }
                if !abstract { out.append(0) }
                return Array(out.prefix(110))  // sizeof(struct sockaddr_un)
            default:
                return Array(d[0..<2])  // the family only: other families' bytes (a MAC address…) are not kept
            }
        case .tuple?:
            guard d.count >= KcapABI.Tuple.size else { return nil }
            var result = Array(d)
            let family = LE.u16(d, KcapABI.Tuple.family)
            for at in [KcapABI.Tuple.laddr, KcapABI.Tuple.raddr] {
                let a = address(Array(d[at..<at + KcapABI.Tuple.addrSize]), family: family)
                result.replaceSubrange(at..<at + KcapABI.Tuple.addrSize, with: a)
            }
            return result
        case .fdPair?, .cloneArgs?, .inode?, .foreignInteger?: return Array(d)
        // MEMORY items are bytes a call read or wrote through a pointer (a socket option's value, epoll's user
        // data): dropped, as I/O data is.
        case .data?, .siginfo?, .memory?, nil: return nil
        }
    }

    // MARK: snapshots and headers

    /// The snapshot with its names redacted (process names, ids, numbers and kinds kept).
    public func redact(_ snapshot: CaptureSnapshot) -> CaptureSnapshot {
        var s = snapshot
        for i in s.threads.indices {
            s.threads[i].exe = path(s.threads[i].exe)
            s.threads[i].args = s.threads[i].args.map(token)
            s.threads[i].cwd = path(s.threads[i].cwd)
            s.threads[i].cgroup = path(s.threads[i].cgroup)
            if !s.threads[i].containerID.isEmpty { s.threads[i].containerID = token(s.threads[i].containerID) }
        }
        for i in s.fds.indices {
            var f = s.fds[i]
            if var t = f.socket {
                t.localAddress = address(t.localAddress, family: t.family)
                t.remoteAddress = address(t.remoteAddress, family: t.family)
                t.unixPath = t.unixPath.isEmpty ? "" : unixPath(t.unixPath)
                f.socket = t
                f.name = ""  // readers name a socket by its tuple
            } else if !Self.kernelNamed(f.kind) {
                f.name = path(f.name)
            }
            s.fds[i] = f
        }
        s.users = s.users.mapValues(token)
        s.groups = s.groups.mapValues(token)
        return s
    }

    /// Kinds whose snapshot names the kernel makes up (`pipe:[N]`, `anon_inode:[eventfd]`): kept.
    static func kernelNamed(_ kind: FdKind) -> Bool {
        switch kind {
        case .pipe, .event, .signalfd, .eventpoll, .inotify, .timerfd, .netlink, .bpf, .userfaultfd, .iouring, .pidfd:
            return true
        default:
            return false
        }
    }

    /// The header with host names and the recorder's free text redacted, and `redaction` saying how.
    public func redact(_ header: CaptureHeader) -> CaptureHeader {
        var h = header
        if !h.hostname.isEmpty { h.hostname = token(h.hostname) }
        h.hosts = h.hosts.map { var x = $0; x.hostname = token(x.hostname); return x }
        h.recorder = Dictionary(uniqueKeysWithValues: h.recorder.map { k, v in (k, Self.keptRecorderKeys.contains(k) ? v : token(v)) })
        h.extra = Dictionary(uniqueKeysWithValues: h.extra.map { k, v in (k, Self.keptExtraKeys.contains(k) ? v : token(v)) })
        h.redaction = ["scheme": scheme, "keyFingerprint": keyFingerprint]
        return h
    }
}
