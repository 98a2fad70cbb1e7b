/// The recording host's user and group names (uid/gid → name), read from /etc/passwd and /etc/group and
/// stored in every snapshot, so a capture answers `user.name` and `group.name` on any machine.
///
/// Only the local files are read (no NSS: LDAP or systemd-homed users are not resolved), which keeps the
/// recorder free of network lookups; ids the files do not list print `<NA>` on replay.
public struct UserDatabase: Sendable, Equatable {
    /// uid → user name.
    public var users: [UInt32: String]
    /// gid → group name.
    public var groups: [UInt32: String]

    /// Reads `<etcRoot>/passwd` and `<etcRoot>/group`; a missing or unreadable file gives an empty table.
    public init(etcRoot: String = "/etc") {
        users = ProcFiles.text("\(etcRoot)/passwd").map(Self.parse) ?? [:]
        groups = ProcFiles.text("\(etcRoot)/group").map(Self.parse) ?? [:]
    }

    /// Parses the colon-separated files /etc/passwd (`name:x:uid:...`) and /etc/group (`name:x:gid:...`): both
    /// hold the name in field 1 and the id in field 3. Comments, blank and malformed lines are skipped; the
    /// first line for an id wins, as getpwuid(3) returns the first match.
    public static func parse(_ text: String) -> [UInt32: String] {
        var table: [UInt32: String] = [:]
        for line in text.split(separator: "\n") {
            if line.hasPrefix("#") || line.hasPrefix("+") || line.hasPrefix("-") { continue }
            let fields = line.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count >= 3, !fields[0].isEmpty, let id = UInt32(fields[2]) else { continue }
            if table[id] == nil { table[id] = String(fields[0]) }
        }
        return table
    }
}
