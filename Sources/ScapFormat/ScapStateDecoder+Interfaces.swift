extension ScapStateDecoder {
    /// libscap's bound on an interface name (SCAP_MAX_PATH_SIZE): a longer one is a damaged block.
    static let maxInterfaceNameLength = 1024

    /// The interface addresses of an interface list block, in file order (libscap's writer puts the IPv4
    /// addresses first). Layouts from falcosecurity/libs' scap_savefile.c: 0x205 holds entries back to back,
    /// each sized by its type; 0x219 puts the length of the rest of the entry before each, and fields a
    /// newer writer appends are skipped by it.
    ///
    /// An entry is a type (1 IPv4, 2 IPv6, 3 and 4 the same without link speed), the name's length, the
    /// address, netmask and broadcast address (4 or 16 bytes each), the link speed (types 1 and 2), the name.
    public static func interfaces(_ block: ScapBlock, in bytes: [UInt8]) throws(ScapError) -> [ScapInterface] {
        try withScapBytes(bytes) { (b: UnsafeRawBufferPointer) throws(ScapError) in try interfaces(block, in: b) }
    }

    public static func interfaces(_ block: ScapBlock, in bytes: UnsafeRawBufferPointer) throws(ScapError) -> [ScapInterface] {
        guard ScapBlock.interfaceLists.contains(block.type) else {
            throw ScapError(.corrupt, offset: block.offset, "block 0x\(String(block.type, radix: 16)) is not an interface list")
        }
        let sized = block.type == 0x219
        var r = ScapBytes(bytes, block.body, what: "interface list block at \(block.offset)")
        var out: [ScapInterface] = []
        // The body ends with up to 3 bytes of padding.
        while r.remaining >= 4 {
            let entryLength = sized ? Int(try r.u32("entry length")) : 0
            let entryStart = r.at
            if sized, entryLength > r.remaining {
                throw ScapError(.corrupt, offset: entryStart - 4, "interface list entry claims \(entryLength) bytes, \(r.remaining) left: the block is damaged")
            }
            let type = try r.u16("interface type")
            let nameLength = Int(try r.u16("interface name length"))
            guard nameLength < maxInterfaceNameLength else {
                throw ScapError(.corrupt, offset: entryStart + 2, "interface name length \(nameLength) is over libscap's \(maxInterfaceNameLength): the block is damaged")
            }
            let size: Int, hasSpeed: Bool
            switch type {
            case 1: (size, hasSpeed) = (4, true)
            case 2: (size, hasSpeed) = (16, true)
            case 3: (size, hasSpeed) = (4, false)
            case 4: (size, hasSpeed) = (16, false)
            default:
                throw ScapError(.corrupt, offset: entryStart, "interface list entry of unknown type \(type): the block is damaged")
            }
            let address = Array(try r.take(size, "interface address"))
            let netmask = Array(try r.take(size, "interface netmask"))
            let broadcast = Array(try r.take(size, "interface broadcast address"))
            let speed = hasSpeed ? try r.u64("interface link speed") : 0
            let name = try r.take(nameLength, "interface name")
            // A C string: the name ends at its first NUL, as libsinsp reads it.
            let text = ScapBytes.text(UnsafeRawBufferPointer(rebasing: name[0..<(name.firstIndex(of: 0) ?? name.count)]))
            out.append(ScapInterface(name: text, address: address, netmask: netmask, broadcast: broadcast, linkSpeed: speed))
            if sized {
                let read = r.at - entryStart
                guard read <= entryLength else {
                    throw ScapError(.corrupt, offset: entryStart, "interface list entry of \(entryLength) bytes holds \(read) bytes of fields: the block is damaged")
                }
                try r.skip(entryLength - read, "interface list entry tail")
            }
        }
        return out
    }
}
