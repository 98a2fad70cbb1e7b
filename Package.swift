// swift-tools-version:6.0
//
// Module boundaries are the design: only Recorder touches libbpf, so a capture recorded on a server is
// analysed anywhere CaptureFormat and Analyzer build. No target uses unsafe flags, so the libraries can be
// package dependencies (the replay loop's class-held state is `@exclusivity(unchecked)` at the property).
import PackageDescription

let package = Package(
    name: "kcap",
    products: [
        .executable(name: "kcap", targets: ["kcap"]),
        .library(name: "CaptureFormat", targets: ["CaptureFormat"]),
        .library(name: "EventSchema", targets: ["EventSchema"]),
        .library(name: "Analyzer", targets: ["Analyzer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
        // HMAC-SHA256 for `--redact` (BoringSSL's, through swift-crypto); only the kcap tool links it.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
    ],
    targets: [
        // System libraries, through thin module maps; `providers` tells SwiftPM what to suggest when absent.
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLibBPF", pkgConfig: "libbpf", providers: [.apt(["libbpf-dev", "libelf-dev", "zlib1g-dev"])]),

        // bpf/kcap_abi.h seen from C, for the test that Swift's offsets match the compiler's.
        .target(name: "CKcapABI", path: "Sources/CKcapABI"),
        // Small C helpers with no dependencies (hardware CRC32C).
        .target(name: "CKcapSupport", path: "Sources/CKcapSupport"),
        // RE2 (libre2-dev; C++) behind a C API, for the filter `regex` operator: linear-time, sysdig's engine.
        .target(name: "CRE2", path: "Sources/CRE2", linkerSettings: [.linkedLibrary("re2")]),

        // The file, and the one Swift view of bpf/kcap_abi.h's records with the one record walker.
        .target(name: "CaptureFormat", dependencies: ["CLZ4", "CKcapSupport"]),
        // The event table (names, categories, typed parameters, print formats), the syscall catalog and the
        // event classes: the data that recording, replay, printing, fields and docs all read.
        .target(name: "EventSchema", dependencies: ["CaptureFormat"]),
        // sysdig/falco capture (scap) blocks: a streaming reader (gzip, zstd and LZ4 frames inflated as read) and
        // pure, bounds-checked decoders; no dependency on kcap's own format.
        .target(name: "ScapFormat", dependencies: ["CZlib", "CZstd", "CLZ4"]),
        // kcap's own Parquet writer (Thrift compact footer, pages, encodings): no Swift Parquet library exists.
        .target(name: "Parquet", dependencies: ["CZstd"]),
        .target(name: "Analyzer", dependencies: [
            "CaptureFormat", "EventSchema", "CRE2", "ScapFormat", "Parquet",
            .product(name: "Collections", package: "swift-collections"),
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ]),

        // Compiles bpf/*.bpf.c with the toolchain's clang and embeds the object in Recorder.
        .executableTarget(name: "kcap-bpf-embed", path: "Sources/kcap-bpf-embed"),
        .plugin(name: "BPFObjectPlugin", capability: .buildTool(), dependencies: ["kcap-bpf-embed"]),
        // Recorder takes its syscall names and --events classes from the event table; it never sees the Analyzer.
        .target(name: "Recorder", dependencies: ["CaptureFormat", "EventSchema", "CLibBPF", "CKcapABI", "CKcapSupport"],
                plugins: ["BPFObjectPlugin"]),

        // The redaction key and its keyed hash (HMAC-SHA256) for `kcap slice/merge --redact`.
        .target(name: "KcapRedaction", dependencies: ["Analyzer", .product(name: "Crypto", package: "swift-crypto")]),

        .executableTarget(name: "kcap", dependencies: [
            "CaptureFormat", "EventSchema", "Analyzer", "Recorder", "ScapFormat", "KcapRedaction",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Throughput drivers for tools/bench; never part of the tests.
        .executableTarget(name: "kcap-bench", dependencies: ["CaptureFormat", "EventSchema", "Analyzer", "KcapTestSupport", "CLZ4", "CZstd"]),

        // The fuzz targets' entry functions and the capture-aware mutator, shared by the libFuzzer binary and
        // the regression tests (tools/fuzz.sh builds kcap-fuzz with -sanitize=fuzzer; a normal build is a replayer).
        .target(name: "KcapFuzz", dependencies: ["CaptureFormat", "EventSchema", "Analyzer", "ScapFormat", "CLZ4", "CKcapSupport"]),
        .executableTarget(name: "kcap-fuzz", dependencies: ["KcapFuzz"]),

        // What tests share: record and capture builders (the engine's inputs without a kernel, also used by
        // the read benchmark's synthetic capture) and the measured child process. Not a product.
        .target(name: "KcapTestSupport", dependencies: ["CaptureFormat", "EventSchema"], path: "Tests/Support"),
        .testTarget(name: "CaptureFormatTests", dependencies: ["CaptureFormat", "CKcapABI"]),
        .testTarget(name: "AnalyzerTests", dependencies: ["Analyzer", "EventSchema", "CaptureFormat", "CKcapABI", "KcapTestSupport",
                                                          "KcapRedaction"]),
        .testTarget(name: "RecorderTests", dependencies: ["Recorder", "CaptureFormat", "EventSchema", "Analyzer", "KcapTestSupport"],
                    exclude: ["Workload"]), // workload.c is compiled by the tests themselves, with cc
        .testTarget(name: "ScapFormatTests", dependencies: ["ScapFormat"]),
        // kcap against sysdig 0.29.3's own answers on real sysdig captures (Tests/Fixtures/scap).
        .testTarget(name: "ScapConformanceTests", dependencies: ["Analyzer", "ScapFormat", "CaptureFormat"]),
        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "KcapTestSupport"]),
        .testTarget(name: "FuzzTests", dependencies: ["KcapFuzz", "CaptureFormat", "EventSchema", "Analyzer", "KcapTestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
