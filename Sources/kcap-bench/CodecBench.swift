// `kcap-bench codecs CAPTURE...`: what each way of storing event chunks would make of a real capture's chunks
// (issue 14): stored bytes per event, compression and decompression time per event, for LZ4 (what the format
// uses), LZ4 HC, zstd, each on the raw records and after record transforms (delta/XOR coding of fields
// against earlier records of the chunk). The decoders' times include the inverse transform.
import CLZ4
import CZstd
import CaptureFormat
import EventSchema
#if canImport(Glibc)
import Glibc
#endif

enum CodecBench {
    struct Transform: CustomStringConvertible {
        var tsDelta = false
        var threadXor = false
        /// XOR the syscall's args (and ret, latency) with the previous record of the same nr.
        var argsByNr = false
        var retByNr = false
        var latency = false
        var description: String {
            var p: [String] = []
            if tsDelta { p.append("ts") }
            if threadXor { p.append("tid") }
            if argsByNr { p.append("args/nr") }
            if retByNr { p.append("ret/nr") }
            if latency { p.append("lat") }
            return p.isEmpty ? "raw" : p.joined(separator: "+")
        }
    }

    @inline(__always) static func ld64(_ p: UnsafeMutableRawPointer, _ o: Int) -> UInt64 { p.loadUnaligned(fromByteOffset: o, as: UInt64.self) }
    @inline(__always) static func st64(_ p: UnsafeMutableRawPointer, _ o: Int, _ v: UInt64) { p.storeBytes(of: v, toByteOffset: o, as: UInt64.self) }

    /// Encodes (forward) or decodes records in place. Each record keeps its length; type and len are never touched.
    static func apply(_ t: Transform, _ base: UnsafeMutableRawPointer, _ count: Int, forward: Bool,
                      table: UnsafeMutablePointer<UInt64>) {
        var prevTs: UInt64 = 0
        var prevThread: UInt64 = 0
        let slots = 9 // args 6 + ret + latency + spare
        table.update(repeating: 0, count: 1024 * slots)
        var o = 0
        while o + 24 <= count {
            let p = base + o
            let len = Int(p.loadUnaligned(fromByteOffset: 18, as: UInt16.self))
            guard len >= 24, o + len <= count else { break }
            if t.tsDelta {
                let ts = ld64(p, 0)
                if forward { st64(p, 0, ts &- prevTs); prevTs = ts } else { let v = ts &+ prevTs; st64(p, 0, v); prevTs = v }
            }
            if t.threadXor {
                let th = ld64(p, 8)
                let v = th ^ prevThread
                st64(p, 8, v)
                prevThread = forward ? th : v
            }
            let type = p.loadUnaligned(fromByteOffset: 16, as: UInt16.self)
            if type == 1 && len >= 96 {
                let nr = Int(p.loadUnaligned(fromByteOffset: 32, as: UInt16.self)) & 1023
                let row = table + nr * slots
                if t.argsByNr {
                    for i in 0..<6 {
                        let a = ld64(p, 48 + 8 * i)
                        let v = a ^ row[i]
                        st64(p, 48 + 8 * i, v)
                        row[i] = forward ? a : v
                    }
                }
                if t.retByNr {
                    let a = ld64(p, 40)
                    let v = a ^ row[6]
                    st64(p, 40, v)
                    row[6] = forward ? a : v
                }
                if t.latency {
                    let a = ld64(p, 24)
                    let v = a ^ row[7]
                    st64(p, 24, v)
                    row[7] = forward ? a : v
                }
            }
            o += len
        }
    }

    enum Codec: CustomStringConvertible {
        case lz4, lz4hc(Int32), zstd(Int32)
        var description: String {
            switch self {
            case .lz4: return "lz4"
            case .lz4hc(let l): return "lz4hc-\(l)"
            case .zstd(let l): return "zstd-\(l)"
            }
        }
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// `kcap-bench codecs rewrite IN OUT plain|columns`: the same blocks, event chunks written uncoded (what a
    /// kcap before format 1.3 reads) or column-coded; for comparing readers on identical events.
    static func rewrite(_ input: String, _ output: String, columns: Bool) throws {
        let reader = try CaptureReader(path: input)
        let w = try CaptureWriter(path: output, header: reader.header)
        w.columnCoding = columns
        try reader.forEachBlock { block in
            switch block {
            case .events(let v):
                var c = EventChunk(capacity: max(v.bytes.count, CaptureFileFormat.defaultChunkCapacity))
                v.forEachRecord { _ = c.append($0.bytes) }
                try w.write(c)
            case .snapshot(let s): try w.write(s)
            case .counters(let c): try w.write(c)
            }
        }
        try w.finish()
    }

    static func run(_ args: [String]) throws -> Int32 {
        if args.first == "rewrite", args.count == 4 {
            try rewrite(args[1], args[2], columns: args[3] == "columns")
            return 0
        }
        var chunks: [[UInt8]] = []
        var records = 0
        for path in args {
            let reader = try CaptureReader(path: path)
            try reader.forEachBlock { block in
                if case .events(let v) = block {
                    chunks.append(Array(v.bytes))
                    records += v.recordCount
                }
            }
        }
        let raw = chunks.reduce(0) { $0 + $1.count }
        if ProcessInfoLite.env("STREAMS") != nil { streams(chunks, records); return 0 }
        if ProcessInfoLite.env("COLUMNS") != nil { columns(chunks, records, raw); return 0 }
        if ProcessInfoLite.env("DECODE") != nil {
            // Decode-only loop: the column decoder's own cost per event (thread CPU time), for profiling.
            let coder = ColumnCoder()
            let coded = chunks.map { c in c.withUnsafeBytes { Array(coder.encode($0)!) } }
            let maxRaw = chunks.map(\.count).max() ?? 0
            let out = UnsafeMutableRawPointer.allocate(byteCount: maxRaw + 64, alignment: 16)
            var best = Double.infinity
            for _ in 0..<20 {
                let t0 = now()
                for c in coded { _ = c.withUnsafeBytes { coder.decode($0, into: out, capacity: maxRaw + 64) } }
                best = min(best, now() - t0)
            }
            print("decode only: \(String(format1: best / Double(records) * 1e9)) ns/event (best of 20)")
            return 0
        }
        print("chunks \(chunks.count), records \(records), raw \(raw) bytes (\(String(format1: Double(raw) / Double(records))) B/event)")
        let transforms: [Transform] = [
            Transform(),
            Transform(tsDelta: true),
            Transform(tsDelta: true, threadXor: true),
            Transform(tsDelta: true, threadXor: true, argsByNr: true),
            Transform(tsDelta: true, threadXor: true, argsByNr: true, retByNr: true),
            Transform(tsDelta: true, threadXor: true, argsByNr: true, retByNr: true, latency: true),
        ]
        let codecs: [Codec] = [.lz4, .lz4hc(4), .lz4hc(9), .zstd(1), .zstd(3), .zstd(6)]
        let table = UnsafeMutablePointer<UInt64>.allocate(capacity: 1024 * 9)
        defer { table.deallocate() }
        let maxRaw = chunks.map(\.count).max() ?? 0
        let work = UnsafeMutableRawPointer.allocate(byteCount: maxRaw, alignment: 16)
        let out = UnsafeMutableRawPointer.allocate(byteCount: maxRaw * 2 + 65536, alignment: 16)
        let back = UnsafeMutableRawPointer.allocate(byteCount: maxRaw, alignment: 16)
        let cctx = ZSTD_createCCtx(), dctx = ZSTD_createDCtx()
        let hcState = UnsafeMutableRawPointer.allocate(byteCount: Int(LZ4_sizeofStateHC()), alignment: 16)
        print("transform                       codec      B/event  ratio  comp ns/ev  decomp ns/ev")
        for t in transforms {
            for c in codecs {
                var stored = 0
                var compT = 0.0, decT = 0.0
                for chunk in chunks {
                    let n = chunk.count
                    chunk.withUnsafeBytes { work.copyMemory(from: $0.baseAddress!, byteCount: n) }
                    let t0 = now()
                    apply(t, work, n, forward: true, table: table)
                    var size = 0
                    switch c {
                    case .lz4:
                        size = Int(LZ4_compress_default(work.assumingMemoryBound(to: CChar.self), out.assumingMemoryBound(to: CChar.self), Int32(n), Int32(maxRaw * 2)))
                    case .lz4hc(let l):
                        size = Int(LZ4_compress_HC_extStateHC(hcState, work.assumingMemoryBound(to: CChar.self), out.assumingMemoryBound(to: CChar.self), Int32(n), Int32(maxRaw * 2), l))
                    case .zstd(let l):
                        size = ZSTD_compressCCtx(cctx, out, maxRaw * 2, work, n, l)
                    }
                    let t1 = now()
                    switch c {
                    case .lz4, .lz4hc:
                        _ = LZ4_decompress_safe(out.assumingMemoryBound(to: CChar.self), back.assumingMemoryBound(to: CChar.self), Int32(size), Int32(n))
                    case .zstd:
                        _ = ZSTD_decompressDCtx(dctx, back, n, out, size)
                    }
                    apply(t, back, n, forward: false, table: table)
                    let t2 = now()
                    compT += t1 - t0
                    decT += t2 - t1
                    stored += size + 48
                    if memcmp(back, chunk, n) != 0 { print("ROUND TRIP FAILED \(t) \(c)"); return 1 }
                }
                let pad = { (s: String, w: Int) in s + String(repeating: " ", count: max(0, w - s.count)) }
                print(pad(t.description, 32) + pad(c.description, 10)
                      + " \(String(format1: Double(stored) / Double(records)))   \(String(format1: Double(raw) / Double(stored)))   \(String(format1: compT / Double(records) * 1e9))   \(String(format1: decT / Double(records) * 1e9))")
            }
        }
        return 0
    }
}

extension String {
    init(format1 x: Double) {
        let h = Int((x * 100).rounded())
        self = "\(h / 100).\(h % 100 < 10 ? "0" : "")\(h % 100)"
    }
}

enum ProcessInfoLite {
    static func env(_ k: String) -> String? { getenv(k).map { String(cString: $0) } }
}

extension CodecBench {
    /// Splits each chunk's records into streams (header, syscall fixed part, args, items, other records) and
    /// compresses each stream alone: where the stored bytes come from.
    static func streams(_ chunks: [[UInt8]], _ records: Int) {
        let names = ["hdr", "fixed", "args", "items", "other", "hdr-T", "fixed-T", "args-T",
                     "hdrX-T", "lat-T", "nrpad", "ret-T", "retX-T", "argsX", "argsX-T", "argsXtid-T", "argsXtid", "argsZ", "argsZXtid", "paths", "notpaths"]
        var rawB = [Int](repeating: 0, count: names.count), lz = rawB, zs = rawB
        let out = UnsafeMutableRawPointer.allocate(byteCount: 4 << 20, alignment: 16)
        let cctx = ZSTD_createCCtx()
        for chunk in chunks {
            var st = [[UInt8]](repeating: [], count: 5)
            var prevTs: UInt64 = 0
            chunk.withUnsafeBytes { b in
                var o = 0
                while o + 24 <= b.count {
                    let len = Int(b.loadUnaligned(fromByteOffset: o + 18, as: UInt16.self))
                    let type = b.loadUnaligned(fromByteOffset: o + 16, as: UInt16.self)
                    var h = Array(b[o..<o + 24])
                    let ts = b.loadUnaligned(fromByteOffset: o, as: UInt64.self)
                    withUnsafeBytes(of: ts &- prevTs) { for i in 0..<8 { h[i] = $0[i] } }
                    prevTs = ts
                    st[0] += h
                    if type == 1 && len >= 96 {
                        st[1] += b[o + 24..<o + 48]
                        st[2] += b[o + 48..<o + 96]
                        st[3] += b[o + 96..<o + len]
                    } else {
                        st[4] += b[o + 24..<o + len]
                    }
                    o += len
                }
            }
            // transposed versions of the fixed-width streams (byte planes)
            func transpose(_ a: [UInt8], _ w: Int) -> [UInt8] {
                let n = a.count / w
                var r = [UInt8](repeating: 0, count: a.count)
                for i in 0..<n { for j in 0..<w { r[j * n + i] = a[i * w + j] } }
                return r
            }
            st.append(transpose(st[0], 24)); st.append(transpose(st[1], 24)); st.append(transpose(st[2], 48))
            // hdr with tid/pid XOR previous
            var hx = st[0]
            var prev: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0]
            for i in 0..<(hx.count / 24) {
                let cur = Array(hx[i * 24 + 8..<i * 24 + 16])
                for j in 0..<8 { hx[i * 24 + 8 + j] ^= prev[j] }
                prev = cur
            }
            st.append(transpose(hx, 24))
            // fixed split: latency, nr/nitems/pad, ret
            let nf = st[1].count / 24
            var lat: [UInt8] = [], nrp: [UInt8] = [], ret: [UInt8] = [], retx: [UInt8] = []
            var argsx: [UInt8] = [], argsxt: [UInt8] = []
            var lastRet = [Int: [UInt8]](), lastArgs = [Int: [UInt8]](), lastArgsTid = [Int: [UInt8]]()
            // tid per syscall record, in order
            var tids: [Int] = []
            chunk.withUnsafeBytes { b in
                var o = 0
                while o + 24 <= b.count {
                    let len = Int(b.loadUnaligned(fromByteOffset: o + 18, as: UInt16.self))
                    let type = b.loadUnaligned(fromByteOffset: o + 16, as: UInt16.self)
                    if type == 1 && len >= 96 { tids.append(Int(b.loadUnaligned(fromByteOffset: o + 8, as: UInt32.self))) }
                    o += len
                }
            }
            for i in 0..<nf {
                let f = Array(st[1][i * 24..<i * 24 + 24])
                lat += f[0..<8]; nrp += f[8..<16]; ret += f[16..<24]
                let nr = Int(f[8]) | Int(f[9]) << 8
                let pr = lastRet[nr] ?? [UInt8](repeating: 0, count: 8)
                retx += (0..<8).map { f[16 + $0] ^ pr[$0] }
                lastRet[nr] = Array(f[16..<24])
                let a = Array(st[2][i * 48..<i * 48 + 48])
                let pa = lastArgs[nr] ?? [UInt8](repeating: 0, count: 48)
                argsx += (0..<48).map { a[$0] ^ pa[$0] }
                lastArgs[nr] = a
                let key = nr &* 1_000_003 &+ tids[i]
                let pt = lastArgsTid[key] ?? [UInt8](repeating: 0, count: 48)
                argsxt += (0..<48).map { a[$0] ^ pt[$0] }
                lastArgsTid[key] = a
            }
            st.append(transpose(lat, 8)); st.append(nrp); st.append(transpose(ret, 8)); st.append(transpose(retx, 8))
            st.append(argsx); st.append(transpose(argsx, 48)); st.append(transpose(argsxt, 48)); st.append(argsxt)
            var az: [UInt8] = [], azx: [UInt8] = []
            var lastZ = [Int: [UInt8]]()
            for i in 0..<nf {
                let f = Array(st[1][i * 24..<i * 24 + 24])
                let nr = Int(f[8]) | Int(f[9]) << 8
                var a = Array(st[2][i * 48..<i * 48 + 48])
                let n = EventTable.info(syscall: nr, arch: .x86_64).map { min(EventTable.params($0, arch: .x86_64).count, 6) } ?? 6
                for k in (n * 8)..<48 { a[k] = 0 }
                az += a
                let key = nr &* 1_000_003 &+ tids[i]
                let pt = lastZ[key] ?? [UInt8](repeating: 0, count: 48)
                azx += (0..<48).map { a[$0] ^ pt[$0] }
                lastZ[key] = a
            }
            st.append(az); st.append(azx)
            // items: paths (kind 1) vs the rest
            var paths: [UInt8] = [], rest: [UInt8] = []
            let items = st[3]
            chunk.withUnsafeBytes { b in
                var o = 0
                while o + 24 <= b.count {
                    let len = Int(b.loadUnaligned(fromByteOffset: o + 18, as: UInt16.self))
                    let type = b.loadUnaligned(fromByteOffset: o + 16, as: UInt16.self)
                    if type == 1 && len >= 96 {
                        var q = o + 96
                        while q + 4 <= o + len {
                            let kind = b[q]
                            let il = Int(b.loadUnaligned(fromByteOffset: q + 2, as: UInt16.self))
                            if kind == 0 || q + 4 + il > o + len { break }
                            if kind == 1 { paths += b[q..<q + 4 + il] } else { rest += b[q..<q + 4 + il] }
                            q += 4 + il
                        }
                    }
                    o += len
                }
            }
            _ = items
            st.append(paths); st.append(rest)
            for (k, s) in st.enumerated() where !s.isEmpty {
                rawB[k] += s.count
                s.withUnsafeBytes { src in
                    lz[k] += Int(LZ4_compress_default(src.baseAddress!.assumingMemoryBound(to: CChar.self), out.assumingMemoryBound(to: CChar.self), Int32(s.count), 4 << 20))
                    zs[k] += ZSTD_compressCCtx(cctx, out, 4 << 20, src.baseAddress!, s.count, 1)
                }
            }
        }
        print("stream    raw B/ev   lz4 B/ev   zstd-1 B/ev")
        for (k, n) in names.enumerated() {
            let r = Double(records)
            print("\(n)\t\(String(format1: Double(rawB[k]) / r))\t\(String(format1: Double(lz[k]) / r))\t\(String(format1: Double(zs[k]) / r))")
        }
    }
}

extension CodecBench {
    /// Zeroes the arguments past each known syscall's arity (x86_64 table), as the recorder could.
    static func zeroUnused(_ chunk: inout [UInt8]) {
        chunk.withUnsafeMutableBytes { b in
            var o = 0
            while o + 24 <= b.count {
                let len = Int(b.loadUnaligned(fromByteOffset: o + 18, as: UInt16.self))
                if len < 24 { break }
                if b.loadUnaligned(fromByteOffset: o + 16, as: UInt16.self) == 1 && len >= 96 {
                    let nr = Int(b.loadUnaligned(fromByteOffset: o + 32, as: UInt16.self))
                    if let info = EventTable.info(syscall: nr, arch: .x86_64) {
                        let used = min(EventTable.params(info, arch: .x86_64).count, 6)
                        for a in used..<6 { b.storeBytes(of: UInt64(0), toByteOffset: o + 48 + 8 * a, as: UInt64.self) }
                    }
                }
                o += len
            }
        }
    }

    static func columns(_ chunksIn: [[UInt8]], _ records: Int, _ raw: Int) {
        let coder = ColumnCoder()
        for zero in [false, true] {
            var chunks = chunksIn
            if zero { for i in chunks.indices { zeroUnused(&chunks[i]) } }
            for useColumns in [false, true] {
                for codec in [Codec.lz4, .zstd(1), .zstd(3)] {
                    var stored = 0
                    var compT = 0.0, decT = 0.0
                    let maxRaw = chunks.map(\.count).max() ?? 0
                    let coded = UnsafeMutableRawPointer.allocate(byteCount: ColumnCoder.bound(recordBytes: maxRaw), alignment: 16)
                    let out = UnsafeMutableRawPointer.allocate(byteCount: maxRaw * 2 + 65536, alignment: 16)
                    let back = UnsafeMutableRawPointer.allocate(byteCount: ColumnCoder.bound(recordBytes: maxRaw), alignment: 16)
                    let back2 = UnsafeMutableRawPointer.allocate(byteCount: maxRaw + 64, alignment: 16)
                    let cctx = ZSTD_createCCtx(), dctx = ZSTD_createDCtx()
                    for round in 0..<3 {
                        stored = 0; var ct = 0.0, dt = 0.0
                        for chunk in chunks {
                            chunk.withUnsafeBytes { src in
                                let t0 = now()
                                var input = UnsafeRawPointer(src.baseAddress!)
                                var n = src.count
                                if useColumns {
                                    n = coder.encode(src, into: coded)!
                                    input = UnsafeRawPointer(coded)
                                }
                                var size = 0
                                switch codec {
                                case .lz4: size = Int(LZ4_compress_default(input.assumingMemoryBound(to: CChar.self), out.assumingMemoryBound(to: CChar.self), Int32(n), Int32(maxRaw * 2)))
                                case .zstd(let l): size = ZSTD_compressCCtx(cctx, out, maxRaw * 2, input, n, l)
                                default: break
                                }
                                let t1 = now()
                                switch codec {
                                case .lz4: _ = LZ4_decompress_safe(out.assumingMemoryBound(to: CChar.self), back.assumingMemoryBound(to: CChar.self), Int32(size), Int32(n))
                                default: _ = ZSTD_decompressDCtx(dctx, back, n, out, size)
                                }
                                var result = back
                                if useColumns {
                                    if coder.decode(UnsafeRawBufferPointer(start: back, count: n), into: back2, capacity: maxRaw + 64) == nil { print("DECODE NIL") }
                                    result = back2
                                }
                                let t2 = now()
                                ct += t1 - t0; dt += t2 - t1
                                stored += size + 48
                                if memcmp(result, src.baseAddress!, src.count) != 0 {
                                    var d = 0
                                    while d < src.count && result.load(fromByteOffset: d, as: UInt8.self) == src[d] { d += 1 }
                                    var o = 0
                                    while o + 24 <= src.count {
                                        let len = Int(src.loadUnaligned(fromByteOffset: o + 18, as: UInt16.self))
                                        if o + len > d { break }
                                        o += len
                                    }
                                    print("exp", (o..<o+48).map { String(src[$0], radix: 16) }.joined(separator: " "))
                                    print("got", (o..<o+48).map { String(result.load(fromByteOffset: $0, as: UInt8.self), radix: 16) }.joined(separator: " "))
                                    print("ROUND TRIP FAILED at byte \(d) of \(src.count), record at \(o) type \(src.loadUnaligned(fromByteOffset: o + 16, as: UInt16.self)) len \(src.loadUnaligned(fromByteOffset: o + 18, as: UInt16.self)) offset in record \(d - o)")
                                }
                            }
                        }
                        if round == 0 || ct < compT { compT = ct }
                        if round == 0 || dt < decT { decT = dt }
                    }
                    let r = Double(records)
                    print("\(zero ? "zeroed" : "as-is ") \(useColumns ? "columns" : "rows   ") \(codec)\t\(String(format1: Double(stored) / r)) B/ev\tcomp \(String(format1: compT / r * 1e9)) ns/ev\tdecomp \(String(format1: decT / r * 1e9)) ns/ev")
                }
            }
        }
    }
}
