extension SyscallRecord {
    /// Every parameter of this syscall formatted from the event table: the arguments in order, then items that
    /// decode no listed argument (a socket tuple, clone3's flags). Unknown syscalls show their six raw arguments.
    public func formattedParams(arch: SyscallArch, bufferLimit: Int = 80) -> [FormattedParam] {
        let truncated = flags.contains(.truncated)
        guard let info = EventTable.info(syscall: nr, arch: arch) else {
            return (0..<KcapABI.Syscall.argCount).map {
                FormattedParam(name: "arg\($0)", type: .uint, raw: arg($0), text: ArgFormatter.hex(arg($0)))
            }
        }
        let params = EventTable.params(info, arch: arch)
        var out: [FormattedParam] = []
        out.reserveCapacity(params.count + 1)
        for (i, p) in params.enumerated() {
            var item: RecordItem?
            if let wanted = ArgFormatter.itemKind(for: p.type) {
                for it in items where it.rawKind == wanted.rawValue && it.argIndex == i {
                    item = it
                    break
                }
            }
            out.append(FormattedParam(name: p.name, type: p.type, raw: arg(i),
                                      text: ArgFormatter.format(p.type, raw: arg(i), item: item, arch: arch,
                                                                eventName: info.name, truncated: truncated,
                                                                bufferLimit: bufferLimit)))
        }
        for it in items {
            guard let kind = it.kind else { continue }
            if let a = it.argIndex, a < params.count, ArgFormatter.itemKind(for: params[a].type) == kind { continue }
            let name = EventTable.itemParamName(kind)
            let text: String
            switch kind {
            case .tuple: text = it.tuple.map { $0.description } ?? "<bad tuple>"
            case .cloneArgs: text = it.cloneArgsFlags.map { ArgFormatter.cloneFlags($0) } ?? "<bad clone_args>"
            case .path: text = it.string
            case .sockaddr: text = it.socketAddress?.description ?? "<bad sockaddr>"
            case .data: text = ArgFormatter.buffer(it.data, limit: bufferLimit, truncated: truncated)
            case .argv: text = it.argv.joined(separator: " ")
            case .fdPair: text = it.fdPair.map { "\($0.0),\($0.1)" } ?? "<bad fds>"
            case .siginfo: continue
            }
            out.append(FormattedParam(name: name, type: .string, raw: 0, text: text))
        }
        return out
    }
}
