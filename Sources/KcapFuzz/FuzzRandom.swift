/// A small deterministic generator (xorshift64*): libFuzzer hands the mutator a seed and expects the same
/// seed to give the same mutation, so the mutator draws from this, never from the system generator.
struct FuzzRandom {
    private var state: UInt64

    /// A generator started from `seed` (0 is remapped: xorshift has no zero state).
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }

    /// A number in 0..<n (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

    /// True with probability 1/n.
    mutating func oneIn(_ n: Int) -> Bool { below(n) == 0 }

    /// A value that breaks arithmetic: 0, 1, the extremes, powers of two around them, or random bits.
    mutating func interesting64() -> UInt64 {
        let table: [UInt64] = [0, 1, 2, 7, 8, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
                               0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000,
                               0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFF0, 1 << 62, 1_000_000_000]
        return oneIn(4) ? next() : table[below(table.count)]
    }
}
