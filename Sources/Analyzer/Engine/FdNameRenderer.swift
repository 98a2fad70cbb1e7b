#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Renders socket endpoints the way sysdig users read them in `fd.name`: `client:port->server:port` for a
/// connected socket (IPv6 addresses in their compressed text form), `addr:port` for a bound or listening one.
public enum FdNameRenderer {
    /// Appends `entry`'s tuple name to `out`.
    public static func appendTupleName(_ entry: FdEntry, to out: inout [UInt8]) {
        let t = entry.tuple
        if entry.kind == .unix || t.family == 1 { return }
        let localOnly = t.remotePort == 0 && t.remoteHi == 0 && t.remoteLo == 0
        if localOnly {
            appendEndpoint(t, remote: false, to: &out)
            return
        }
        let clientIsRemote = entry.accepted
        appendEndpoint(t, remote: clientIsRemote, to: &out)
        out.append(UInt8(ascii: "-"))
        out.append(UInt8(ascii: ">"))
        appendEndpoint(t, remote: !clientIsRemote, to: &out)
    }

    /// `fd.name` of a socket as a String.
    public static func tupleName(_ entry: FdEntry) -> String {
        var out: [UInt8] = []
        appendTupleName(entry, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `addr:port` of one end.
    public static func appendEndpoint(_ t: FdTuple, remote: Bool, to out: inout [UInt8]) {
        appendAddress(t, remote: remote, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDecimal(UInt64(remote ? t.remotePort : t.localPort), to: &out)
    }

    /// Appends the address of one end (dotted quad or compressed IPv6).
    public static func appendAddress(_ t: FdTuple, remote: Bool, to out: inout [UInt8]) {
        var words = remote ? (t.remoteHi, t.remoteLo) : (t.localHi, t.localLo)
        withUnsafeBytes(of: &words) { a in
            if t.family == 10 {
                appendIPv6(a, to: &out)
            } else {
                for i in 0..<4 {
                    if i > 0 { out.append(UInt8(ascii: ".")) }
                    appendDecimal(UInt64(a[i]), to: &out)
                }
            }
        }
    }

    /// Appends an IPv6 address (16 bytes) in RFC 5952 form, IPv4-mapped addresses as ::ffff:a.b.c.d.
    public static func appendIPv6(_ a: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        var groups = [UInt16](repeating: 0, count: 8)
        for i in 0..<8 { groups[i] = UInt16(a[2 * i]) << 8 | UInt16(a[2 * i + 1]) }
        if groups[0...4].allSatisfy({ $0 == 0 }), groups[5] == 0xffff {
            out.append(contentsOf: Array("::ffff:".utf8))
            for i in 12..<16 {
                if i > 12 { out.append(UInt8(ascii: ".")) }
                appendDecimal(UInt64(a[i]), to: &out)
            }
            return
        }
        // Longest run of zero groups (length >= 2) becomes "::".
        var bestStart = -1, bestLen = 0, i = 0
        while i < 8 {
            if groups[i] == 0 {
                var j = i
                while j < 8, groups[j] == 0 { j += 1 }
                if j - i > bestLen, j - i >= 2 { bestStart = i; bestLen = j - i }
                i = j
            } else { i += 1 }
        }
        i = 0
        while i < 8 {
            if i == bestStart {
                out.append(UInt8(ascii: ":")); out.append(UInt8(ascii: ":"))
                i += bestLen
                continue
            }
            if i > 0, i != bestStart + bestLen || bestStart < 0 { out.append(UInt8(ascii: ":")) }
            appendHex(groups[i], to: &out)
            i += 1
        }
    }

    static func appendHex(_ v: UInt16, to out: inout [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        var started = false
        for shift in stride(from: 12, through: 0, by: -4) {
            let d = Int((v >> UInt16(shift)) & 0xf)
            if d != 0 || started || shift == 0 { out.append(digits[d]); started = true }
        }
    }

    /// Appends `v` in decimal.
    @inline(__always)
    public static func appendDecimal(_ v: UInt64, to out: inout [UInt8]) {
        if v < 10 { out.append(UInt8(truncatingIfNeeded: v) &+ 48); return }
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var n = 0
        var x = v
        withUnsafeMutableBytes(of: &tmp) { buf in
            while x > 0 { buf[n] = UInt8(truncatingIfNeeded: x % 10) &+ 48; x /= 10; n += 1 }
            while n > 0 { n -= 1; out.append(buf[n]) }
        }
    }
}
