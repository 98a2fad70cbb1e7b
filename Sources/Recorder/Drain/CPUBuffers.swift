import CKcapABI
import CKcapSupport
import Glibc

/// The recorder's side of the program's per-CPU record buffers: the maps kcap_buf (records, read-only here)
/// and kcap_pos (head written by the program, tail by us), both mmapped. A record at position p of CPU c starts
/// at byte (p & (size - 1)) of c's element and is contiguous: the program writes a record that starts near
/// the end on into the element's slack (bpf/kcap_abi.h, struct kcap_buf_pos).
final class CPUBuffers {
    let cpus: Int
    /// Record bytes per CPU (a power of two).
    let size: Int
    private let mask: UInt64
    private let stride: Int
    private let records: UnsafeMutableRawPointer
    private let recordsLength: Int
    private let positions: UnsafeMutableRawPointer
    private let positionsLength: Int
    private static let positionStride = MemoryLayout<kcap_buf_pos>.stride
    private static let tailOffset = MemoryLayout<kcap_buf_pos>.offset(of: \kcap_buf_pos.tail)!
    private static let wakeOffset = MemoryLayout<kcap_buf_pos>.offset(of: \kcap_buf_pos.wake_sent)!

    /// The element size of kcap_buf for `size` record bytes per CPU.
    static func valueSize(forSize size: Int) -> Int { size + Int(KCAP_BUF_SLACK) }

    /// The record bytes per CPU for a total `bufferSize` spread over `cpus`: a power of two, at least 64 KiB
    /// (room for several of the largest records).
    static func perCPUSize(bufferSize: Int, cpus: Int) -> Int {
        let share = max(bufferSize / max(cpus, 1), 64 << 10)
        return 1 << (Int.bitWidth - 1 - share.leadingZeroBitCount)
    }

    /// Maps the loaded maps `buf` and `pos`, sized for `cpus` CPUs of `size` record bytes each.
    init(buf: BPFMap, pos: BPFMap, cpus: Int, size: Int) throws {
        self.cpus = cpus
        self.size = size
        mask = UInt64(size - 1)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        func pages(_ n: Int) -> Int { (n + page - 1) / page * page }
        stride = (CPUBuffers.valueSize(forSize: size) + 7) & ~7
        recordsLength = pages(stride * cpus)
        positionsLength = pages(CPUBuffers.positionStride * cpus)
        guard let r = mmap(nil, recordsLength, PROT_READ, MAP_SHARED, buf.fd, 0), r != MAP_FAILED else {
            let err = errno
            throw RecorderError(step: "map buffer", object: buf.name, errno: err, hint: RecorderError.bpfHint(err))
        }
        guard let p = mmap(nil, positionsLength, PROT_READ | PROT_WRITE, MAP_SHARED, pos.fd, 0), p != MAP_FAILED else {
            let err = errno
            munmap(r, recordsLength)
            throw RecorderError(step: "map buffer positions", object: pos.name, errno: err, hint: RecorderError.bpfHint(err))
        }
        records = r
        positions = p
    }

    deinit {
        munmap(records, recordsLength)
        munmap(positions, positionsLength)
    }

    /// End of the last record CPU `cpu` has published; the bytes before it are complete.
    @inline(__always)
    func head(_ cpu: Int) -> UInt64 {
        kcap_load_acquire_u64(positions + (cpu &* CPUBuffers.positionStride))
    }

    /// Gives the bytes before `position` back to the program.
    @inline(__always)
    func release(_ cpu: Int, upTo position: UInt64) {
        kcap_store_release_u64(positions + (cpu &* CPUBuffers.positionStride &+ CPUBuffers.tailOffset), position)
    }

    /// Lets the program wake the reader again once CPU `cpu` passes the threshold.
    @inline(__always)
    func rearmWakeup(_ cpu: Int) {
        let p = positions + (cpu &* CPUBuffers.positionStride &+ CPUBuffers.wakeOffset)
        if p.load(as: UInt64.self) != 0 { p.storeBytes(of: 0, as: UInt64.self) }
    }

    /// The record at `position` of CPU `cpu` (position below head).
    @inline(__always)
    func record(_ cpu: Int, at position: UInt64) -> UnsafeRawPointer {
        UnsafeRawPointer(records + (cpu &* stride &+ Int(truncatingIfNeeded: position & mask)))
    }
}
