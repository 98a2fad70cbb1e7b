// The fuzzer executable. Built by tools/fuzz.sh with `-sanitize=fuzzer` and -DKCAP_LIBFUZZER it is a
// libFuzzer binary (its entry runs libFuzzer's driver; the target comes from KCAP_FUZZ_TARGET). Built normally it is a
// replayer: `kcap-fuzz TARGET FILE...` runs each file through the same entry function, so a crash input can
// be reproduced without the fuzzer toolchain.
import KcapFuzz
#if canImport(Glibc)
import Glibc
#endif

#if KCAP_LIBFUZZER

/// The target this process fuzzes, from KCAP_FUZZ_TARGET (reader, engine or filter): read once, on first use
/// (`LLVMFuzzerInitialize`), and the process exits there when the variable names no target.
let fuzzTarget: FuzzTarget = {
    let name = getenv("KCAP_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let t = FuzzTarget(rawValue: name) else {
        fputs("kcap-fuzz: set KCAP_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n", stderr)
        exit(2)
    }
    return t
}()

@_silgen_name("LLVMFuzzerMutate")
func LLVMFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int) -> Int

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM links an executable's entry point as `<module>_main` (main is an alias of it, so tests can link
/// the module); in the libFuzzer build that entry hands control to libFuzzer's driver.
@_cdecl("kcap_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzTestOneInput(data, size) }
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    _ = fuzzTarget
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzTarget.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// libFuzzer's byte mutations, growing or shrinking `bytes` up to `maxSize`.
func libFuzzerBytes(_ bytes: inout [UInt8], _ maxSize: Int) {
    let cap = max(maxSize, bytes.count, 1)
    let n = bytes.count
    bytes += [UInt8](repeating: 0, count: cap - n)
    let m = bytes.withUnsafeMutableBufferPointer { LLVMFuzzerMutate($0.baseAddress!, n, cap) }
    bytes.removeLast(bytes.count - min(m, cap))
}

@_cdecl("LLVMFuzzerCustomMutator")
public func fuzzCustomMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: CUnsignedInt) -> Int {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let out = fuzzTarget.mutate(input, maxSize: maxSize, seed: seed, bytes: libFuzzerBytes) else {
        return LLVMFuzzerMutate(data, size, maxSize)
    }
    let n = min(out.count, maxSize)
    out.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: n) }
    return n
}

#else

@main
enum FuzzReplay {
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        guard let name = args.first, let target = FuzzTarget(rawValue: name) else {
            fputs("usage: kcap-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE...\n", stderr)
            exit(2)
        }
        for path in args.dropFirst() {
            guard let bytes = FuzzReplay.contents(path) else {
                fputs("kcap-fuzz: cannot read \(path)\n", stderr)
                exit(1)
            }
            bytes.withUnsafeBytes { target.run($0) }
            print("\(target.rawValue): \(path): ok")
        }
    }

    static func contents(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            out += buf[..<n]
        }
        return out
    }
}

#endif
