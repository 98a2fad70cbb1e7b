import XCTest
import CKcapABI
import CaptureFormat

/// Swift decodes records at explicit offsets (KcapABI); these tests prove each one equals the C compiler's layout of
/// bpf/kcap_abi.h, so a change to the header that Swift does not follow fails here.
final class ABILayoutTests: XCTestCase {
    private func off<T>(_ path: PartialKeyPath<T>) -> Int { MemoryLayout<T>.offset(of: path) ?? -1 }

    func testHeaderLayout() {
        XCTAssertEqual(MemoryLayout<kcap_hdr>.size, KcapABI.Header.size)
        XCTAssertEqual(off(\kcap_hdr.ts_ns), KcapABI.Header.tsNs)
        XCTAssertEqual(off(\kcap_hdr.tid), KcapABI.Header.tid)
        XCTAssertEqual(off(\kcap_hdr.pid), KcapABI.Header.pid)
        XCTAssertEqual(off(\kcap_hdr.type), KcapABI.Header.type)
        XCTAssertEqual(off(\kcap_hdr.len), KcapABI.Header.len)
        XCTAssertEqual(off(\kcap_hdr.cpu), KcapABI.Header.cpu)
        XCTAssertEqual(off(\kcap_hdr.flags), KcapABI.Header.flags)
    }

    func testSyscallLayout() {
        XCTAssertEqual(MemoryLayout<kcap_syscall>.size, KcapABI.Syscall.size)
        XCTAssertEqual(off(\kcap_syscall.hdr), 0)
        XCTAssertEqual(off(\kcap_syscall.latency_ns), KcapABI.Syscall.latencyNs)
        XCTAssertEqual(off(\kcap_syscall.nr), KcapABI.Syscall.nr)
        XCTAssertEqual(off(\kcap_syscall.nitems), KcapABI.Syscall.nitems)
        XCTAssertEqual(off(\kcap_syscall.pad0), KcapABI.Syscall.pad0)
        XCTAssertEqual(off(\kcap_syscall.ret), KcapABI.Syscall.ret)
        XCTAssertEqual(off(\kcap_syscall.args), KcapABI.Syscall.args)
        XCTAssertEqual(MemoryLayout.size(ofValue: kcap_syscall().args), 8 * KcapABI.Syscall.argCount)
    }

    func testItemAndTupleLayout() {
        XCTAssertEqual(MemoryLayout<kcap_item>.size, KcapABI.Item.size)
        XCTAssertEqual(off(\kcap_item.kind), KcapABI.Item.kind)
        XCTAssertEqual(off(\kcap_item.arg), KcapABI.Item.arg)
        XCTAssertEqual(off(\kcap_item.len), KcapABI.Item.len)
        XCTAssertEqual(MemoryLayout<kcap_tuple>.size, KcapABI.Tuple.size)
        XCTAssertEqual(off(\kcap_tuple.family), KcapABI.Tuple.family)
        XCTAssertEqual(off(\kcap_tuple.proto), KcapABI.Tuple.proto)
        XCTAssertEqual(off(\kcap_tuple.lport), KcapABI.Tuple.lport)
        XCTAssertEqual(off(\kcap_tuple.rport), KcapABI.Tuple.rport)
        XCTAssertEqual(off(\kcap_tuple.laddr), KcapABI.Tuple.laddr)
        XCTAssertEqual(off(\kcap_tuple.raddr), KcapABI.Tuple.raddr)
        XCTAssertEqual(MemoryLayout.size(ofValue: kcap_tuple().laddr), KcapABI.Tuple.addrSize)
    }

    func testInodeLayout() {
        XCTAssertEqual(MemoryLayout<kcap_inode>.size, KcapABI.Inode.size)
        XCTAssertEqual(off(\kcap_inode.ino), KcapABI.Inode.ino)
        XCTAssertEqual(off(\kcap_inode.dev), KcapABI.Inode.dev)
        XCTAssertEqual(off(\kcap_inode.mode), KcapABI.Inode.mode)
        XCTAssertEqual(off(\kcap_inode.uid), KcapABI.Inode.uid)
        XCTAssertEqual(off(\kcap_inode.gid), KcapABI.Inode.gid)
        XCTAssertEqual(off(\kcap_inode.size), KcapABI.Inode.fileSize)
        XCTAssertEqual(off(\kcap_inode.stx_mask), KcapABI.Inode.stxMask)
        XCTAssertEqual(off(\kcap_inode.pad0), KcapABI.Inode.pad0)
        XCTAssertEqual(off(\kcap_inode.stx_attributes), KcapABI.Inode.stxAttributes)
        XCTAssertEqual(Int(KCAP_INODE_V1_SIZE), KcapABI.Inode.v1Size)
    }

    func testProcessRecordLayouts() {
        XCTAssertEqual(MemoryLayout<kcap_proc_fork>.size, KcapABI.ProcFork.size)
        XCTAssertEqual(off(\kcap_proc_fork.child_tid), KcapABI.ProcFork.childTid)
        XCTAssertEqual(off(\kcap_proc_fork.child_pid), KcapABI.ProcFork.childPid)
        XCTAssertEqual(off(\kcap_proc_fork.child_comm), KcapABI.ProcFork.childComm)
        XCTAssertEqual(MemoryLayout.size(ofValue: kcap_proc_fork().child_comm), KcapABI.ProcFork.commSize)

        XCTAssertEqual(MemoryLayout<kcap_proc_exec>.size, KcapABI.ProcExec.size)
        XCTAssertEqual(off(\kcap_proc_exec.old_tid), KcapABI.ProcExec.oldTid)
        XCTAssertEqual(off(\kcap_proc_exec.ppid), KcapABI.ProcExec.ppid)
        XCTAssertEqual(off(\kcap_proc_exec.uid), KcapABI.ProcExec.uid)
        XCTAssertEqual(off(\kcap_proc_exec.gid), KcapABI.ProcExec.gid)
        XCTAssertEqual(off(\kcap_proc_exec.nitems), KcapABI.ProcExec.nitems)
        XCTAssertEqual(off(\kcap_proc_exec.pad0), KcapABI.ProcExec.pad0)
        XCTAssertEqual(off(\kcap_proc_exec.pad1), KcapABI.ProcExec.pad1)
        XCTAssertEqual(off(\kcap_proc_exec.comm), KcapABI.ProcExec.comm)
        XCTAssertEqual(MemoryLayout.size(ofValue: kcap_proc_exec().comm), KcapABI.ProcExec.commSize)

        XCTAssertEqual(MemoryLayout<kcap_proc_exit>.size, KcapABI.ProcExit.size)
        XCTAssertEqual(off(\kcap_proc_exit.exit_code), KcapABI.ProcExit.exitCode)
        XCTAssertEqual(off(\kcap_proc_exit.group_dead), KcapABI.ProcExit.groupDead)

        XCTAssertEqual(MemoryLayout<kcap_signal>.size, KcapABI.Signal.size)
        XCTAssertEqual(off(\kcap_signal.sig), KcapABI.Signal.sig)
        XCTAssertEqual(off(\kcap_signal.code), KcapABI.Signal.code)
        XCTAssertEqual(off(\kcap_signal.sender_pid), KcapABI.Signal.senderPid)
        XCTAssertEqual(off(\kcap_signal.sender_uid), KcapABI.Signal.senderUid)
        XCTAssertEqual(off(\kcap_signal.status), KcapABI.Signal.status)
        XCTAssertEqual(off(\kcap_signal.flags), KcapABI.Signal.flags)
        XCTAssertEqual(UInt32(KCAP_SIG_INFO), KcapABI.Signal.hasInfo)
        XCTAssertEqual(off(\kcap_signal.addr), KcapABI.Signal.addr)
        XCTAssertEqual(off(\kcap_signal.handler), KcapABI.Signal.handler)

        XCTAssertEqual(MemoryLayout<kcap_host>.size, KcapABI.Host.size)
        XCTAssertEqual(off(\kcap_host.host), KcapABI.Host.host)
        XCTAssertEqual(KcapABI.Host.recordType, UInt16(KCAP_REC_HOST.rawValue))
    }

    func testCountersLayout() {
        XCTAssertEqual(MemoryLayout<kcap_counters>.size, KcapABI.Counters.size)
        XCTAssertEqual(off(\kcap_counters.seen), KcapABI.Counters.seen)
        XCTAssertEqual(off(\kcap_counters.written), KcapABI.Counters.written)
        XCTAssertEqual(off(\kcap_counters.drop_ring_full), KcapABI.Counters.dropRingFull)
        XCTAssertEqual(off(\kcap_counters.drop_too_large), KcapABI.Counters.dropTooLarge)
        XCTAssertEqual(off(\kcap_counters.drop_read_fail), KcapABI.Counters.dropReadFail)
    }

    func testEnumValuesMatch() {
        XCTAssertEqual(Int(KCAP_ABI_VERSION), KcapABI.version)
        XCTAssertEqual(Int(KCAP_RECORD_ALIGN), KcapABI.recordAlign)
        XCTAssertEqual(Int(KCAP_RECORD_MAX), KcapABI.recordMax)
        // RecordWalker.isPossible tests a length in one compare only because these hold.
        XCTAssertEqual(MemoryLayout<kcap_hdr>.size % Int(KCAP_RECORD_ALIGN), 0)
        XCTAssertEqual(Int(KCAP_RECORD_MAX) % Int(KCAP_RECORD_ALIGN), 0)
        XCTAssertEqual(Int(KCAP_RECORD_ALIGN).nonzeroBitCount, 1)
        XCTAssertEqual(RecordType.syscall.rawValue, UInt16(KCAP_REC_SYSCALL.rawValue))
        XCTAssertEqual(RecordType.procFork.rawValue, UInt16(KCAP_REC_PROC_FORK.rawValue))
        XCTAssertEqual(RecordType.procExec.rawValue, UInt16(KCAP_REC_PROC_EXEC.rawValue))
        XCTAssertEqual(RecordType.procExit.rawValue, UInt16(KCAP_REC_PROC_EXIT.rawValue))
        XCTAssertEqual(RecordType.signal.rawValue, UInt16(KCAP_REC_SIGNAL.rawValue))
        XCTAssertEqual(RecordFlags.truncated.rawValue, UInt16(KCAP_F_TRUNCATED.rawValue))
        XCTAssertEqual(RecordFlags.readFailed.rawValue, UInt16(KCAP_F_READ_FAILED.rawValue))
        XCTAssertEqual(RecordFlags.noEnter.rawValue, UInt16(KCAP_F_NO_ENTER.rawValue))
        XCTAssertEqual(RecordFlags.context.rawValue, UInt16(KCAP_F_CONTEXT.rawValue))
        XCTAssertEqual(RecordFlags.entry.rawValue, UInt16(KCAP_F_ENTRY.rawValue))
        XCTAssertEqual(RecordFlags.synthetic.rawValue, UInt16(KCAP_F_SYNTHETIC.rawValue))
        XCTAssertEqual(RecordFlags.noFd.rawValue, UInt16(KCAP_F_NO_FD.rawValue))
        let kinds: [(ItemKind, UInt32)] = [
            (.path, KCAP_ITEM_PATH.rawValue), (.sockaddr, KCAP_ITEM_SOCKADDR.rawValue),
            (.data, KCAP_ITEM_DATA.rawValue), (.argv, KCAP_ITEM_ARGV.rawValue),
            (.fdPair, KCAP_ITEM_FDPAIR.rawValue), (.tuple, KCAP_ITEM_TUPLE.rawValue),
            (.cloneArgs, KCAP_ITEM_CLONE_ARGS.rawValue), (.siginfo, KCAP_ITEM_SIGINFO.rawValue),
            (.inode, KCAP_ITEM_INODE.rawValue), (.foreignInteger, KCAP_ITEM_FOREIGN_INT.rawValue),
            (.memory, KCAP_ITEM_MEMORY.rawValue),
        ]
        for (kind, c) in kinds { XCTAssertEqual(UInt32(kind.rawValue), c, "\(kind)") }
        XCTAssertEqual(ItemKind.allCases.count, kinds.count)
    }
}
