@testable import Analyzer

/// Raw records in the bpf/kcap_abi.h layout, made byte by byte for the schema tests (independent of the engine's
/// builder so the decoders are checked against a second reading of the header).
enum SchemaTestRecords {
    static func put<T: FixedWidthInteger>(_ out: inout [UInt8], _ v: T) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    static func header(type: UInt16, len: Int, tid: UInt32 = 101, pid: UInt32 = 100, ts: UInt64 = 1_000,
                       cpu: UInt16 = 1, flags: UInt16 = 0) -> [UInt8] {
        var out: [UInt8] = []
        put(&out, ts); put(&out, tid); put(&out, pid); put(&out, type); put(&out, UInt16(len))
        put(&out, cpu); put(&out, flags)
        return out
    }

    static func pad(_ out: inout [UInt8]) {
        while out.count % 8 != 0 { out.append(0) }
    }

    static func item(_ kind: UInt8, arg: UInt8, _ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [kind, arg]
        put(&out, UInt16(data.count))
        return out + data
    }

    static func syscall(nr: UInt16, ret: Int64, args: [UInt64] = [], latency: UInt64 = 500, flags: UInt16 = 0,
                        items: [[UInt8]] = [], tid: UInt32 = 101, pid: UInt32 = 100, ts: UInt64 = 1_000) -> [UInt8] {
        var body: [UInt8] = []
        put(&body, latency); put(&body, nr); put(&body, UInt16(items.count)); put(&body, UInt32(0))
        put(&body, ret)
        for i in 0..<6 { put(&body, i < args.count ? args[i] : 0) }
        for it in items { body += it }
        var rec = header(type: 1, len: 0, tid: tid, pid: pid, ts: ts, flags: flags) + body
        pad(&rec)
        let len = UInt16(rec.count)
        rec[18] = UInt8(len & 0xff); rec[19] = UInt8(len >> 8)
        return rec
    }

    static func fork(childTid: UInt32, childPid: UInt32, comm: String) -> [UInt8] {
        var rec = header(type: 2, len: 48)
        put(&rec, childTid); put(&rec, childPid)
        rec += fixed(comm, 16)
        return rec
    }

    static func exec(comm: String, filename: String, argv: [String], ppid: UInt32 = 1) -> [UInt8] {
        let items = [item(1, arg: 0xff, Array(filename.utf8)), item(4, arg: 0xff, argv.flatMap { Array($0.utf8) + [0] })]
        var body: [UInt8] = []
        put(&body, UInt32(99)); put(&body, ppid); put(&body, UInt32(1000)); put(&body, UInt32(1001))
        put(&body, UInt16(items.count)); put(&body, UInt16(0)); put(&body, UInt32(0))
        body += fixed(comm, 16)
        for it in items { body += it }
        var rec = header(type: 3, len: 0) + body
        pad(&rec)
        rec[18] = UInt8(rec.count & 0xff); rec[19] = UInt8(rec.count >> 8)
        return rec
    }

    static func exit(code: Int32, groupDead: Bool, tid: UInt32 = 101, pid: UInt32 = 100, ts: UInt64 = 1_000) -> [UInt8] {
        var rec = header(type: 4, len: 32, tid: tid, pid: pid, ts: ts)
        put(&rec, code); put(&rec, UInt32(groupDead ? 1 : 0))
        return rec
    }

    static func fixed(_ s: String, _ n: Int) -> [UInt8] {
        var b = Array(s.utf8.prefix(n))
        while b.count < n { b.append(0) }
        return b
    }

    static func sockaddrIn(_ a: [UInt8], port: UInt16) -> [UInt8] {
        var out: [UInt8] = []
        put(&out, UInt16(2))
        out += [UInt8(port >> 8), UInt8(port & 0xff)] + a + [UInt8](repeating: 0, count: 8)
        return out
    }

    static func sockaddrIn6(_ a: [UInt8], port: UInt16) -> [UInt8] {
        var out: [UInt8] = []
        put(&out, UInt16(10))
        out += [UInt8(port >> 8), UInt8(port & 0xff)] + [0, 0, 0, 0] + a + [0, 0, 0, 0]
        return out
    }

    static func sockaddrUn(_ path: String) -> [UInt8] {
        var out: [UInt8] = []
        put(&out, UInt16(1))
        return out + Array(path.utf8) + [0]
    }
}
