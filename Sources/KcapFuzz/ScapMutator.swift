import ScapFormat

/// The structure-aware mutator for sysdig captures (the `scap` target's `LLVMFuzzerCustomMutator`).
///
/// A scap block is framed by its length twice, before and after its body, and the reader stops at the first
/// block whose two lengths disagree: a byte mutation that grows or shrinks a block would almost never reach the
/// decoders behind the framing. This mutator changes one block's body (an event's header, parameter lengths
/// and values, a process, fd or user list entry) through the byte mutator, pads it to 4 bytes and writes both
/// lengths anew. A share of mutations are plain byte mutations of the whole file, so the framing, truncation
/// and byte-order checks stay covered too.
public enum ScapMutator {
    /// One mutation of `input`, deterministic for a given `seed`, at most `maxSize` bytes. With `keepFraming`
    /// every mutation rewrites a block's lengths (the tests use it to prove the framing survives).
    public static func mutate(_ input: [UInt8], maxSize: Int, seed: UInt32, keepFraming: Bool = false,
                              bytes byteMutate: CaptureMutator.ByteMutator) -> [UInt8] {
        var rng = FuzzRandom(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        func plain() -> [UInt8] {
            var b = input
            byteMutate(&b, maxSize)
            return b
        }
        // A gzip'd capture is mutated inflated: the blocks are what the decoders read (the plain mutations and
        // the seeds keep the inflating path covered).
        guard keepFraming || !rng.oneIn(10), let capture = try? ScapCapture(data: input),
              var walker = try? ScapBlockWalker(bytes: capture.bytes) else { return plain() }
        let source = capture.bytes
        var blocks: [ScapBlock] = []
        while let block = try? walker.next() {
            // Lengths are rewritten little-endian: a big-endian section is left to the plain mutations.
            if walker.swapped { return plain() }
            blocks.append(block)
        }
        guard !blocks.isEmpty else { return plain() }
        // Event blocks are most of a capture and what the engine decodes; the state blocks come first and once.
        let block = blocks[rng.below(blocks.count)]
        var body = Array(source[block.body])
        byteMutate(&body, body.count + 64)
        while body.count % 4 != 0 { body.append(0) }
        let length = UInt32(body.count + 12)
        var out = Array(source[..<block.offset])
        out.reserveCapacity(source.count + 80)
        for v in [block.type, length] { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        out += body
        withUnsafeBytes(of: length.littleEndian) { out += $0 }
        out += source[(block.body.upperBound + 4)...]
        // Too long (an inflated seed usually is): cut, which the reader must take too (every complete block
        // before the cut, one truncation warning).
        return out.count <= maxSize ? out : Array(out[..<maxSize])
    }
}
