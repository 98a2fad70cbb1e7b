/// A set of named bits, printed as `A|B|C`; bits without a name are appended in hex so nothing is hidden.
public struct FlagTable: Sendable {
    /// (value, name) pairs in print order. A multi-bit value is printed only when all its bits are set.
    public let names: [(UInt64, String)]
    /// What to print when the value is 0 (e.g. `O_RDONLY`, `F_OK`, `PROT_NONE`); "0" when nil.
    public let zero: String?

    /// Creates a table.
    public init(_ names: [(UInt64, String)], zero: String? = nil) {
        self.names = names
        self.zero = zero
    }

    /// The symbolic form of `value`.
    public func render(_ value: UInt64) -> String {
        if value == 0 { return zero ?? "0" }
        var out = ""
        var left = value
        for (bits, name) in names where bits != 0 && value & bits == bits && left & bits != 0 {
            if !out.isEmpty { out += "|" }
            out += name
            left &= ~bits
        }
        if left != 0 {
            if !out.isEmpty { out += "|" }
            out += "0x" + String(left, radix: 16)
        }
        return out
    }
}
