/// One parameter of an event: its name (as `evt.arg.NAME` uses it) and how to read it.
public struct ParamInfo: Sendable, Equatable {
    /// Name, as filters (`evt.arg.flags`) and the default output (`flags=...`) show it.
    public let name: String
    /// Interpretation of the raw value.
    public let type: ParamType

    /// Creates a parameter description.
    public init(_ name: String, _ type: ParamType) {
        self.name = name
        self.type = type
    }
}

/// Short constructor that keeps the tables one row per syscall.
@inline(__always) func P(_ name: String, _ type: ParamType) -> ParamInfo { ParamInfo(name, type) }
