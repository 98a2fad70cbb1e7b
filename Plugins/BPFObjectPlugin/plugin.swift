import Foundation
import PackagePlugin

/// Builds bpf/kcap.bpf.c into a BPF object with the toolchain's clang and embeds it in the target it is
/// applied to (Recorder) as `KcapBPFObject`.
///
/// One command (its only output is the Swift file: SwiftPM would bundle any other output as a resource):
/// 1. `sh` decompresses the pinned vmlinux.h of the host arch (bpf/vmlinux/ARCH/vmlinux.h[.xz]) into the
///    plugin work directory, runs `clang -O2 -g -target bpf` (with -fms-extensions: vmlinux.h dumped from
///    6.19+ kernels embeds tagged anonymous structs, as the kernel itself now builds with that flag), and strips DWARF with llvm-objcopy when the
///    toolchain has it (BTF and BTF.ext, which CO-RE needs, are separate sections and stay; the object shrinks
///    about fivefold);
/// 2. then runs `kcap-bpf-embed`, which writes the object as a base64 string literal into KcapBPFObject.swift.
/// Every file under bpf/ is a declared input, so editing the program or a header rebuilds the object.
@main
struct BPFObjectPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let package = context.package.directoryURL
        let bpfDir = package.appendingPathComponent("bpf")
        let source = bpfDir.appendingPathComponent("kcap.bpf.c")
        let work = context.pluginWorkDirectoryURL

        // The object is for the machine the package is built on (the recorder loads it there).
        #if arch(arm64)
        let (arch, archDefine) = ("aarch64", "__TARGET_ARCH_arm64")
        #else
        let (arch, archDefine) = ("x86_64", "__TARGET_ARCH_x86")
        #endif
        let vmlinuxDir = bpfDir.appendingPathComponent("vmlinux").appendingPathComponent(arch)
        let fm = FileManager.default
        let compressed = vmlinuxDir.appendingPathComponent("vmlinux.h.xz")
        let plain = vmlinuxDir.appendingPathComponent("vmlinux.h")
        let vmlinux = fm.fileExists(atPath: compressed.path) ? compressed : plain
        guard fm.fileExists(atPath: vmlinux.path) else {
            throw BPFPluginError("no pinned vmlinux.h for \(arch) in \(vmlinuxDir.path); run tools/gen-vmlinux.sh")
        }

        var inputs = [source, vmlinux]
        for name in (try? fm.contentsOfDirectory(atPath: bpfDir.path)) ?? [] where name.hasSuffix(".h") {
            inputs.append(bpfDir.appendingPathComponent(name))
        }

        let clang: URL
        if let tool = try? context.tool(named: "clang") {
            clang = tool.url
        } else {
            clang = URL(fileURLWithPath: "/opt/swift/usr/bin/clang")
        }
        let objcopy = clang.deletingLastPathComponent().appendingPathComponent("llvm-objcopy")

        let object = work.appendingPathComponent("kcap.bpf.o")
        let swiftFile = work.appendingPathComponent("KcapBPFObject.swift")
        let embed = try context.tool(named: "kcap-bpf-embed").url
        let script = """
            set -eu
            clang=$1 src=$2 bpfdir=$3 vmlinux=$4 work=$5 out=$6 archdef=$7 objcopy=$8 embed=$9 swift=${10}
            mkdir -p "$work/include"
            case "$vmlinux" in
            *.xz)
                command -v xz >/dev/null || { echo "error: xz is needed to unpack $vmlinux (apt-get install xz-utils)" >&2; exit 1; }
                xz -dc "$vmlinux" > "$work/include/vmlinux.h.tmp" ;;
            *) cp "$vmlinux" "$work/include/vmlinux.h.tmp" ;;
            esac
            mv "$work/include/vmlinux.h.tmp" "$work/include/vmlinux.h"
            "$clang" -O2 -g -target bpf -D"$archdef" -fms-extensions -Wno-microsoft-anon-tag -Wall -Werror \\
                -I "$bpfdir" -I "$work/include" -I /usr/include \\
                -c "$src" -o "$out.full"
            if [ -x "$objcopy" ]; then "$objcopy" --strip-debug "$out.full" "$out"; else cp "$out.full" "$out"; fi
            "$embed" "$out" "$swift"
            """
        return [
            .buildCommand(
                displayName: "Compiling BPF program kcap.bpf.c (\(arch)) and embedding it",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", script, "sh", clang.path, source.path, bpfDir.path, vmlinux.path, work.path,
                            object.path, archDefine, objcopy.path, embed.path, swiftFile.path],
                inputFiles: inputs + [embed],
                outputFiles: [swiftFile]
            ),
        ]
    }
}
/// A build-plugin failure that SwiftPM prints as one line.
struct BPFPluginError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = "BPFObjectPlugin: " + description }
}
