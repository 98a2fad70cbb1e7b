import CaptureFormat
import Foundation

/// Writers of small, valid-looking captures crafted to exhaust a reader (issue 8, item 6): every block has
/// correct CRCs, so they reach the decoders and the engine instead of failing a checksum. Made at test time
/// (tens of MB each), never committed.
enum HostileCaptures {
    static let header = CaptureHeader(abiVersion: 1, hostname: "hostile", kernelRelease: "6.1.0", machine: "x86_64",
                                      cpuCount: 1, recorder: ["command": "crafted by HostileCaptures"])

    /// Little-endian byte builder for hand-made snapshot payloads (the format of docs/capture-format.md).
    struct Bytes {
        var b: [UInt8] = []
        mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { b.append(contentsOf: $0) } }
        mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { b.append(contentsOf: $0) } }
        mutating func str(_ s: String) { u32(UInt32(s.utf8.count)); b.append(contentsOf: s.utf8) }
    }

    /// One snapshot thread entry whose argv is `args` empty strings (u32 length 0 each).
    static func threadEntry(tid: UInt32, emptyArgs: Int, into out: inout Bytes) {
        var e = Bytes()
        for v in [tid, tid, 1, 0, 0] { e.u32(v) }
        e.u64(1)
        e.str(""); e.str("")  // comm, exe: empty, the smallest entry
        e.u32(UInt32(emptyArgs))
        e.b.append(contentsOf: repeatElement(0, count: 4 * emptyArgs))
        e.str(""); e.str(""); e.str("")  // cwd, cgroup, container id
        out.u32(UInt32(e.b.count))
        out.b.append(contentsOf: e.b)
    }

    static func writeSnapshot(_ w: CaptureWriter, threads: Int, emptyArgsEach: Int) throws {
        var p = Bytes()
        p.u64(1_000)
        p.u32(UInt32(threads)); p.u32(0)
        for i in 0..<threads { threadEntry(tid: UInt32(100 + i), emptyArgs: emptyArgsEach, into: &p) }
        try p.b.withUnsafeBytes { try w.writeBlock(type: .snapshot, payload: $0, recordCount: UInt32(threads), compress: true) }
    }

    /// One thread whose argv holds as many empty strings as a snapshot block can (~16.7 M; 270 KB of LZ4).
    static func manyArgs(_ path: String) throws {
        let w = try CaptureWriter(path: path, header: header)
        let fixed = 4 + 5 * 4 + 8 + 4 * 6
        try writeSnapshot(w, threads: 1, emptyArgsEach: (CaptureFileFormat.maxPayloadLength - 16 - fixed) / 4)
        try w.finish()
    }

    /// One snapshot of `count` one-thread processes (56 bytes each: up to 1.198 M in a block, about 10 MB of LZ4).
    static func manySnapshotThreads(_ path: String, count: Int) throws {
        let w = try CaptureWriter(path: path, header: header)
        try writeSnapshot(w, threads: count, emptyArgsEach: 0)
        try w.finish()
    }

    /// One process that forks `count` children (one fork record each; 1.4 M in about 20 MB).
    static func manyForks(_ path: String, count: Int) throws {
        let w = try CaptureWriter(path: path, header: header)
        var chunk = EventChunk()
        var r = [UInt8](repeating: 0, count: 48)
        for i in 0..<count {
            r.withUnsafeMutableBytes { p in
                p.storeBytes(of: UInt64(1_000 + i).littleEndian, toByteOffset: 0, as: UInt64.self)
                p.storeBytes(of: UInt32(1).littleEndian, toByteOffset: 8, as: UInt32.self)    // tid
                p.storeBytes(of: UInt32(1).littleEndian, toByteOffset: 12, as: UInt32.self)   // pid
                p.storeBytes(of: UInt16(2).littleEndian, toByteOffset: 16, as: UInt16.self)   // KCAP_REC_FORK
                p.storeBytes(of: UInt16(48).littleEndian, toByteOffset: 18, as: UInt16.self)
                p.storeBytes(of: UInt32(2 + i).littleEndian, toByteOffset: 24, as: UInt32.self) // child tid
                p.storeBytes(of: UInt32(2 + i).littleEndian, toByteOffset: 28, as: UInt32.self) // child pid
                p.storeBytes(of: UInt32(0x646c_6968).littleEndian, toByteOffset: 32, as: UInt32.self) // "hild"
            }
            let fitted = r.withUnsafeBytes { chunk.append($0) }
            if !fitted {
                try w.write(chunk)
                chunk.reset()
                _ = r.withUnsafeBytes { chunk.append($0) }
            }
        }
        try w.write(chunk)
        try w.finish()
    }

    /// The bytes of one block as `write` frames it (type `.counters`, 56 raw bytes), for files made of
    /// copies of it.
    static func oneBlock(_ dir: String) throws -> (prefix: [UInt8], block: [UInt8]) {
        let path = dir + "/one-block.kcap"
        let w = try CaptureWriter(path: path, header: header)
        let headerEnd = Int(w.bytesWritten)
        try w.write(CaptureCounters(timestampNs: 5, eventsSeen: 1, eventsWritten: 1))
        try w.flush()
        let all = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
        try? FileManager.default.removeItem(atPath: path)
        return (Array(all[..<headerEnd]), Array(all[headerEnd...]))
    }

    /// `count` blocks whose frames are intact and whose payloads fail their CRC (a byte flipped in each):
    /// a million damaged blocks. No footer, so the reader indexes them by scanning.
    static func damagedBlocks(_ path: String, count: Int, dir: String) throws {
        let (prefix, block) = try oneBlock(dir)
        var bad = block
        bad[bad.count - 1] ^= 0xFF
        try writeRepeated(path, prefix: prefix, unit: bad, count: count)
    }

    /// `count` intact blocks, each after one stray byte: a damaged spot before every block, so the reader
    /// resynchronises `count` times.
    static func strayByteBeforeEveryBlock(_ path: String, count: Int, dir: String) throws {
        let (prefix, block) = try oneBlock(dir)
        try writeRepeated(path, prefix: prefix, unit: [0x5A] + block, count: count)
    }

    static func writeRepeated(_ path: String, prefix: [UInt8], unit: [UInt8], count: Int) throws {
        guard let h = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }() else { throw CocoaError(.fileWriteUnknown) }
        defer { try? h.close() }
        try h.write(contentsOf: prefix)
        let perWrite = max(1, (4 << 20) / unit.count)
        var batch: [UInt8] = []
        batch.reserveCapacity(perWrite * unit.count)
        var left = count
        while left > 0 {
            let n = min(left, perWrite)
            batch.removeAll(keepingCapacity: true)
            for _ in 0..<n { batch.append(contentsOf: unit) }
            try h.write(contentsOf: batch)
            left -= n
        }
    }
}
