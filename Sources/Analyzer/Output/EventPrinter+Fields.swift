extension EventPrinter {
    /// Appends one field's value, as `-p` prints it, to `line`; false when the event has none. `-p` lines and
    /// `stats --by` keys are both made here, so a group is named as the format prints the field.
    func appendField(_ ref: FieldRef, _ type: FieldType, _ e: Event, timeMode: TimeMode, firstNs: UInt64,
                     to line: OutputBuffer) -> Bool {
        switch ref.id {
        case .evtTime:
            appendTime(e, mode: timeMode, firstNs: firstNs, to: line)
            return true
        case .evtType:
            line.append(e.typeNameBytes)
            return true
        case .evtArgs:
            appendArgs(e, to: line)
            return true
        case .procName:
            guard !e.thread.comm.isEmpty else { return false }
            line.appendPrintableString(e.thread.comm)
            return true
        case .fdName:
            guard let entry = e.fdEntry, entry.hasName else { return false }
            appendFdName(entry, to: line)
            return true
        case .evtLatency, .evtReltime, .evtRawtime:
            guard let v = e.int(ref, self) else { return false }
            line.appendSigned(v)
            return true
        default:
            break
        }
        if type.isNumeric, type != .bool {
            guard let v = e.int(ref, self) else { return false }
            line.appendSigned(v)
            return true
        }
        guard let s = e.string(ref, self) else { return false }
        line.appendPrintableString(s)
        return true
    }

}
