import CaptureFormat

/// Address family names, shared by the formatter and `SocketAddress`.
enum SocketFamilyName {
    /// `AF_INET`, or `AF_<n>` for a family kcap does not name.
    static func name(_ family: Int) -> String {
        SymbolTables.socketFamilies.name(Int64(family)) ?? "AF_\(family)"
    }
}
