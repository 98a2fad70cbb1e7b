/// Keeps a process's argv within `StateLimits.argvBytes`, counting as the kernel does.
public struct ArgvBudget {
    /// Bytes counted so far.
    public private(set) var used = 0
    /// A fresh budget for one argv.
    public init() {}

    /// Counts one argument of `length` bytes; false when it does not fit (it and every later one are cut).
    @inline(__always)
    public mutating func admit(length: Int) -> Bool {
        let cost = length + 1 + 8
        guard cost <= StateLimits.argvBytes - used else { return false }
        used += cost
        return true
    }
}
