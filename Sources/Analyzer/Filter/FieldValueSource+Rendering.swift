extension FieldValueSource {
    /// A field's value as `-p` formats and JSON print it, read with the accessor its type calls for; nil when
    /// the event has no value (printers show `<NA>`). Numbers print in decimal, booleans as true/false,
    /// addresses in their usual text form, bytes with printable ASCII kept and other bytes as `.` (as sysdig's
    /// default buffer rendering does). Multi-valued fields print one value: `fd.ip`/`fd.port`/`fd.net` the
    /// server side, falling back to the client side; `proc.aname`/`proc.apid` without index the parent.
    public func renderedValue(_ field: FieldRef) -> String? {
        let info = FieldRegistry.info(field.id)
        guard info.supported else { return nil }
        switch field.id {
        case .fdIP, .fdNet, .fdSnet, .fdDip:
            return (ip(FieldRef(.fdSip)) ?? (field.id == .fdIP || field.id == .fdNet ? ip(FieldRef(.fdCip)) : nil))?.description
        case .fdCnet: return ip(FieldRef(.fdCip))?.description
        case .fdLnet: return ip(FieldRef(.fdLip))?.description
        case .fdRnet: return ip(FieldRef(.fdRip))?.description
        case .fdPort, .fdDport:
            return (int(FieldRef(.fdSport)) ?? (field.id == .fdPort ? int(FieldRef(.fdCport)) : nil)).map { String($0) }
        case .procAname where field.index < 0, .procApid where field.index < 0:
            return renderedValue(FieldRef(field.id, index: 1))
        default:
            break
        }
        switch info.type {
        case .string:
            return string(field)
        case .bytes:
            var out: String?
            _ = withBytes(field) { b in
                var s = String()
                s.reserveCapacity(b.count)
                for c in b { s.unicodeScalars.append(c >= 0x20 && c < 0x7f ? Unicode.Scalar(c) : ".") }
                out = s
                return true
            }
            return out
        case .bool:
            return int(field).map { $0 != 0 ? "true" : "false" }
        case .int, .uint, .port, .reltime, .abstime:
            return int(field).map { String($0) }
        case .ipaddr, .ipnet:
            return ip(field)?.description
        }
    }
}
