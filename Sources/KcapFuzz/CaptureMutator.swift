import CaptureFormat

/// The structure-aware mutator for capture inputs (libFuzzer's `LLVMFuzzerCustomMutator`).
///
/// It takes a capture apart (`CaptureImage`), changes what a decoder reads (record fields and framing inside
/// decompressed event chunks, snapshot and counters payloads, the header JSON, frame fields, the block
/// order, the footer's presence), then writes it back with LZ4 re-applied and every CRC recomputed, so the
/// input reaches the decoders instead of stopping at a checksum. A small share of mutations are plain byte
/// mutations of the whole file, so the checksum and resync paths stay covered too.
public enum CaptureMutator {
    /// Mutates bytes in place, growing or shrinking them up to the given size (libFuzzer's `LLVMFuzzerMutate`
    /// in the fuzzer; a simple random mutator in tests).
    public typealias ByteMutator = (inout [UInt8], Int) -> Void

    /// One mutation of `input`, deterministic for a given `seed`, at most `maxSize` bytes. With
    /// `keepChecksums` every mutation repairs the CRCs (the tests use it to prove the repair works).
    public static func mutate(_ input: [UInt8], maxSize: Int, seed: UInt32, keepChecksums: Bool = false,
                              bytes byteMutate: ByteMutator) -> [UInt8] {
        var rng = FuzzRandom(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        func plain() -> [UInt8] {
            var b = input
            byteMutate(&b, maxSize)
            return b
        }
        if !keepChecksums && rng.oneIn(12) { return plain() }
        guard var image = CaptureImage(input) else { return keepChecksums ? input : plain() }
        for _ in 0...rng.below(3) { mutateOnce(&image, &rng, byteMutate) }
        let out = image.bytes()
        return out.count <= maxSize ? out : (keepChecksums ? input : plain())
    }

    static func mutateOnce(_ image: inout CaptureImage, _ rng: inout FuzzRandom, _ byteMutate: ByteMutator) {
        let events = image.blocks.indices.filter { image.blocks[$0].type == 2 && !image.blocks[$0].raw.isEmpty }
        switch rng.below(16) {
        case 0...5 where !events.isEmpty:
            let b = events[rng.below(events.count)]
            mutateRecords(&image.blocks[b], &rng, byteMutate, donor: image.blocks[events[rng.below(events.count)]].raw)
            if !rng.oneIn(4) { refreshEventFrame(&image.blocks[b]) }
        case 6, 7:
            // A snapshot's counts, entry lengths, string lengths, ids and in-flight fields are all u32/u64
            // words: overwrite one with a value that strains the decoder or the engine that loads it.
            let b = pick(image, type: 3, &rng) ?? rng.below(image.blocks.count)
            overwriteWord(&image.blocks[b].raw, &rng)
        case 8:
            let b = pick(image, type: 3, &rng) ?? pick(image, type: 4, &rng) ?? rng.below(image.blocks.count)
            byteMutate(&image.blocks[b].raw, image.blocks[b].raw.count + 64)
        case 9:
            mutateHeader(&image.blocks[0], &rng, byteMutate)
        case 10:
            // Frame fields with a valid CRC: counts, timestamps, type, flags.
            let b = rng.below(image.blocks.count)
            switch rng.below(5) {
            case 0: image.blocks[b].recordCount = UInt32(truncatingIfNeeded: rng.interesting64())
            case 1: image.blocks[b].firstTimestampNs = rng.interesting64()
            case 2: image.blocks[b].lastTimestampNs = rng.interesting64()
            case 3: image.blocks[b].type = UInt16(rng.below(7))
            default: image.blocks[b].flags ^= UInt16(1) << UInt16(rng.below(16))
            }
        case 11:
            // Block order: drop, duplicate or swap blocks (the header stays first most of the time).
            let n = image.blocks.count
            let i = n > 1 ? 1 + rng.below(n - 1) : 0
            switch rng.below(3) {
            case 0 where n > 1: image.blocks.remove(at: i)
            case 1: image.blocks.insert(image.blocks[rng.below(n)], at: i)
            default: image.blocks.swapAt(rng.below(n), rng.below(n))
            }
        case 12:
            image.finished.toggle()
        case 13:
            // Version and flags in the preamble.
            CaptureImage.set(&image.preamble, 8 + 2 * rng.below(4), width: 2, rng.interesting64())
        default:
            let b = rng.below(image.blocks.count)
            byteMutate(&image.blocks[b].raw, image.blocks[b].raw.count + 256)
        }
    }

    /// Record-level edits of one event chunk: a header field (timestamp, tid, pid, type, length, cpu,
    /// flags), an argument or item word, the body through the byte mutator (length kept consistent), or a
    /// record deleted, duplicated, moved or copied in from another chunk.
    private typealias H = KcapABI.Header

    static func mutateRecords(_ block: inout CaptureImage.Block, _ rng: inout FuzzRandom, _ byteMutate: ByteMutator,
                              donor: [UInt8]) {
        let offs = CaptureImage.recordOffsets(block.raw)
        guard !offs.isEmpty else { byteMutate(&block.raw, block.raw.count + 64); return }
        let r = offs[rng.below(offs.count)]
        let len = Int(CaptureImage.u16(block.raw, r + H.len))
        let other = offs[rng.below(offs.count)]
        switch rng.below(10) {
        case 0:  // timestamp: extreme, another record's, or slightly moved
            let v: UInt64 = rng.oneIn(2) ? rng.interesting64()
                : CaptureImage.u64(block.raw, other) &+ UInt64(bitPattern: Int64(rng.below(2001) - 1000))
            CaptureImage.set(&block.raw, r, width: 8, v)
        case 1:  // tid or pid: another record's (so threads collide), 0, or extreme
            let field = r + H.tid + 4 * rng.below(2)  // tid, pid
            let v = rng.oneIn(2) ? UInt64(CaptureImage.u32(block.raw, other + H.tid + 4 * rng.below(2))) : rng.interesting64()
            CaptureImage.set(&block.raw, field, width: 4, v)
        case 2:  // type: a neighbour, another record's, or anything
            let t = CaptureImage.u16(block.raw, r + H.type)
            let v: UInt64 = rng.oneIn(3) ? UInt64(CaptureImage.u16(block.raw, other + H.type))
                : rng.oneIn(2) ? UInt64(t &+ UInt16(rng.below(5)) &- 2) : rng.interesting64()
            CaptureImage.set(&block.raw, r + H.type, width: 2, v)
        case 3:  // length: breaks the framing the reader checks
            CaptureImage.set(&block.raw, r + H.len, width: 2, rng.oneIn(2) ? UInt64(len + 8 * (rng.below(5) - 2)) : rng.interesting64())
        case 4:  // cpu, flags
            CaptureImage.set(&block.raw, r + H.cpu + 2 * rng.below(2), width: 2, rng.interesting64())  // cpu, flags
        case 5, 6:  // a word of the body: syscall number, arguments, result, item lengths
            let at = len > H.size ? r + H.size + 4 * rng.below((len - H.size) / 4) : r + H.tid
            CaptureImage.set(&block.raw, at, width: rng.oneIn(2) ? 4 : 8, rng.oneIn(3) ? UInt64(rng.below(64)) : rng.interesting64())
        case 7:  // the body through the byte mutator, re-padded and re-framed
            var body = Array(block.raw[(r + H.size)..<(r + len)])
            byteMutate(&body, min(KcapABI.recordMax - H.size, body.count + 64))
            while body.count % KcapABI.recordAlign != 0 { body.append(0) }
            body = Array(body.prefix(KcapABI.recordMax - H.size))
            var rec = Array(block.raw[r..<(r + H.size)])
            CaptureImage.set(&rec, H.len, width: 2, UInt64(H.size + body.count))
            block.raw.replaceSubrange(r..<(r + len), with: rec + body)
        case 8:  // delete, duplicate, or move a record
            let rec = Array(block.raw[r..<(r + len)])
            block.raw.removeSubrange(r..<(r + len))
            if !rng.oneIn(3) {
                let offs2 = CaptureImage.recordOffsets(block.raw)
                let at = offs2.isEmpty ? 0 : offs2[rng.below(offs2.count)]
                block.raw.insert(contentsOf: rng.oneIn(2) ? rec + rec : rec, at: at)
            }
        default:  // a record of another chunk
            let d = CaptureImage.recordOffsets(donor)
            guard !d.isEmpty else { return }
            let s = d[rng.below(d.count)]
            let dl = Int(CaptureImage.u16(donor, s + H.len))
            block.raw.insert(contentsOf: donor[s..<(s + dl)], at: r)
        }
    }

    /// Makes an event frame agree with its records (count, smallest and largest timestamp), as the writer does.
    static func refreshEventFrame(_ block: inout CaptureImage.Block) {
        let offs = CaptureImage.recordOffsets(block.raw)
        block.recordCount = UInt32(offs.count)
        let ts = offs.map { CaptureImage.u64(block.raw, $0) }
        block.firstTimestampNs = ts.min() ?? 0
        block.lastTimestampNs = ts.max() ?? 0
    }

    /// The header's JSON: an extreme realtime offset or creation time, another machine, or byte edits.
    static func mutateHeader(_ block: inout CaptureImage.Block, _ rng: inout FuzzRandom, _ byteMutate: ByteMutator) {
        var json = String(decoding: block.raw, as: UTF8.self)
        let keys = ["\"bootTimeRealtimeOffsetNs\"", "\"createdRealtimeNs\"", "\"cpuCount\"", "\"abiVersion\""]
        let key = keys[rng.below(keys.count)]
        switch rng.below(3) {
        case 0, 1:
            guard let k = json.range(of: key), let colon = json[k.upperBound...].firstIndex(of: ":") else { break }
            let start = json.index(after: colon)
            let end = json[start...].firstIndex(where: { $0 == "," || $0 == "}" }) ?? json.endIndex
            let v = rng.interesting64()
            json.replaceSubrange(start..<end, with: rng.oneIn(2) ? " \(Int64(bitPattern: v))" : " \(v)")
            block.raw = Array(json.utf8)
        default:
            if let m = json.range(of: "\"x86_64\"") {
                json.replaceSubrange(m, with: ["\"aarch64\"", "\"\"", "\"riscv64\""][rng.below(3)])
                block.raw = Array(json.utf8)
            } else {
                byteMutate(&block.raw, block.raw.count + 64)
            }
        }
    }

    static func overwriteWord(_ raw: inout [UInt8], _ rng: inout FuzzRandom) {
        guard raw.count >= 4 else { return }
        let at = rng.oneIn(2) ? 4 * rng.below(raw.count / 4) : rng.below(raw.count - 3)
        let v: UInt64 = rng.oneIn(3) ? UInt64(rng.below(300)) : rng.interesting64()
        CaptureImage.set(&raw, at, width: rng.oneIn(3) ? 8 : 4, v)
    }

    static func pick(_ image: CaptureImage, type: UInt16, _ rng: inout FuzzRandom) -> Int? {
        let c = image.blocks.indices.filter { image.blocks[$0].type == type }
        return c.isEmpty ? nil : c[rng.below(c.count)]
    }
}
