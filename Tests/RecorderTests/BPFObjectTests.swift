import Foundation
import XCTest
@testable import Recorder

/// The build half of the BPF program: the object the plugin compiled and embedded, and the generated
/// syscall-number header it was compiled with. Loading and attaching are covered by the recording tests.
final class BPFObjectTests: XCTestCase {
    /// The package root, from this file's path (Tests/RecorderTests/BPFObjectTests.swift).
    private var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func testEmbeddedObjectDecodesToABPFELFWithBTF() {
        let bytes = KcapBPFObject.bytes
        XCTAssertEqual(bytes.count, KcapBPFObject.byteCount, "base64 decoding lost or added bytes")
        XCTAssertEqual(Array(bytes.prefix(4)), [0x7f, 0x45, 0x4c, 0x46], "not an ELF file")
        XCTAssertEqual(bytes[4], 2, "not a 64-bit ELF")
        XCTAssertEqual(bytes[5], 1, "not little-endian")
        XCTAssertEqual(UInt16(bytes[18]) | UInt16(bytes[19]) << 8, 247, "e_machine is not EM_BPF")
    }

    func testEmbeddedObjectHasTheContractsProgramsMapsAndBTF() {
        let bytes = KcapBPFObject.bytes
        // Section and symbol names are NUL-terminated strings in the ELF string tables.
        let names = [
            "tp_btf/sys_enter", "tp_btf/sys_exit", "tp_btf/sched_process_fork", "tp_btf/sched_process_exec",
            "tp_btf/sched_process_exit", "tp_btf/sched_switch", "?tp_btf/sys_enter", "?tp_btf/sys_exit",
            "kcap_sys_enter", "kcap_sys_exit", "kcap_proc_fork", "kcap_proc_exec", "kcap_proc_exit", "kcap_sched_switch",
            "kcap_empty_enter", "kcap_empty_exit",
            "kcap_buf", "kcap_pos", "kcap_wake", "kcap_counters", "kcap_syscalls", "kcap_traced", "kcap_enter", "kcap_entered", "kcap_exec_name",
            "kcap_self_tgid", "kcap_buf_mask", "kcap_snaplen", "kcap_wakeup_bytes", "kcap_filter_pids", "kcap_filter_comm", "kcap_comm",
            ".BTF", ".BTF.ext", "license",
        ]
        for name in names {
            XCTAssertTrue(containsCString(bytes, name), "the BPF object lacks \(name)")
        }
        // DWARF is stripped by the plugin (BTF is all CO-RE needs); its presence would triple the binary size.
        XCTAssertFalse(containsCString(bytes, ".debug_info"), "the embedded object still carries DWARF")
    }

    func testSyscallNumberHeaderIsCurrent() throws {
        let script = packageRoot.appendingPathComponent("tools/gen-syscall-nr.sh")
        let committed = packageRoot.appendingPathComponent("bpf/kcap_syscall_nr.h")
        for header in ["/usr/include/asm-generic/unistd.h", "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"] {
            guard FileManager.default.fileExists(atPath: header) else {
                throw XCTSkip("\(header) is missing (linux-libc-dev); cannot regenerate bpf/kcap_syscall_nr.h")
            }
        }
        let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("kcap_syscall_nr.\(getpid()).h")
        defer { try? FileManager.default.removeItem(at: fresh) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [script.path, fresh.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "tools/gen-syscall-nr.sh failed")
        let a = try String(contentsOf: committed, encoding: .utf8)
        let b = try String(contentsOf: fresh, encoding: .utf8)
        XCTAssertEqual(a, b, "bpf/kcap_syscall_nr.h is stale: run tools/gen-syscall-nr.sh and commit the result")
    }

    /// Whether `bytes` holds `name` followed by a NUL.
    private func containsCString(_ bytes: [UInt8], _ name: String) -> Bool {
        let needle = Array(name.utf8) + [0]
        guard needle.count <= bytes.count else { return false }
        let first = needle[0]
        var i = 0
        while i <= bytes.count - needle.count {
            if bytes[i] == first && Array(bytes[i..<i + needle.count]) == needle { return true }
            i += 1
        }
        return false
    }
}
