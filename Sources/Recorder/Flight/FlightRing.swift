import CaptureFormat
import Glibc

/// The flight recorder's memory: encoded blocks (`BlockEncoder`: frame and LZ4 payload, as they will be
/// written) in one byte ring of a fixed size, oldest first. A new block goes after the newest; when it does
/// not fit, the oldest blocks make room (a block never wraps: the few bytes left at the end of the ring are
/// skipped). The ring is one anonymous mapping made once, so the memory the window takes never exceeds its
/// size, whatever the blocks' sizes.
///
/// Snapshots split the window into segments: a snapshot, then the event chunks that follow it. A window is
/// written from a snapshot on, so the reader starts from known state; time therefore evicts whole segments
/// (`keep(from:)`), and a capture written from the ring (`blocksFromFirstSnapshot`) starts at the oldest
/// snapshot still held.
///
/// Used from one thread (the recorder's writer thread).
final class FlightRing {
    /// A block held in the ring.
    struct Entry: Equatable {
        /// Byte offset of the block in the ring.
        var offset: Int
        /// Frame + stored payload.
        var size: Int
        /// A snapshot (the start of a segment), else an event chunk.
        var isSnapshot: Bool
        /// The block's time range (a snapshot: its timestamp twice).
        var firstTs: UInt64
        var lastTs: UInt64
        /// Records (an event chunk) or 0.
        var records: Int
        /// For a snapshot: the recorder's counters when it was taken (a window's file starts with them).
        var counters: CaptureCounters?
    }

    /// Bytes of the ring.
    let capacity: Int
    private let base: UnsafeMutableRawPointer
    /// Held blocks, oldest first, from `head` on (the array is compacted now and then).
    private var entries: [Entry] = []
    private var head = 0
    /// Where the next block goes.
    private var writePos = 0
    /// Bytes of the held blocks.
    private(set) var usedBytes = 0
    /// The most bytes held at once.
    private(set) var peakUsedBytes = 0
    /// Blocks and records given up to make room (the window was larger than the ring).
    private(set) var evictedForSpace = 0
    private(set) var recordsEvictedForSpace: UInt64 = 0

    /// A ring of `capacity` bytes (at least one page); nil when the mapping fails.
    init?(capacity: Int) {
        let size = max(capacity, 4096)
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let p, p != MAP_FAILED else { return nil }
        self.capacity = size
        base = p
    }

    deinit { munmap(base, capacity) }

    /// Blocks held.
    var count: Int { entries.count - head }
    /// Whether no block is held.
    var isEmpty: Bool { count == 0 }
    /// The held blocks, oldest first.
    var held: ArraySlice<Entry> { entries[head...] }

    /// Makes room for a block of at most `bound` bytes after the newest one, giving up the oldest blocks as
    /// needed, and returns where to encode it; then `commit` says how many bytes it took. nil when `bound`
    /// exceeds the ring.
    func reserve(_ bound: Int) -> UnsafeMutableRawPointer? {
        guard bound <= capacity else { return nil }
        while let oldest = entries[head...].first {
            if oldest.offset >= writePos {
                // The held bytes run from the oldest block to the end of the ring, then from 0 to writePos:
                // the free bytes are [writePos, oldest.offset).
                if oldest.offset - writePos >= bound { break }
                evictOldest(forSpace: true)
            } else {
                // Held: [oldest.offset, writePos); free: [writePos, capacity) and [0, oldest.offset).
                if capacity - writePos >= bound { break }
                writePos = 0
            }
        }
        if isEmpty && capacity - writePos < bound { writePos = 0 }
        return base + writePos
    }

    /// Records the block just encoded at the pointer `reserve` returned.
    func commit(size: Int, isSnapshot: Bool, firstTs: UInt64, lastTs: UInt64, records: Int, counters: CaptureCounters? = nil) {
        entries.append(Entry(offset: writePos, size: size, isSnapshot: isSnapshot, firstTs: firstTs, lastTs: lastTs,
                             records: records, counters: counters))
        writePos += size
        usedBytes += size
        peakUsedBytes = max(peakUsedBytes, usedBytes)
    }

    private func evictOldest(forSpace: Bool) {
        let e = entries[head]
        head += 1
        usedBytes -= e.size
        if forSpace {
            evictedForSpace += 1
            recordsEvictedForSpace += UInt64(e.records)
        }
        if head == entries.count {
            entries.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 && head * 2 >= entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }

    /// Gives up every block before the newest snapshot taken at or before `startNs`: what is left still
    /// covers `startNs` onwards, from a snapshot. Nothing changes when no snapshot is that old.
    func keep(from startNs: UInt64) {
        guard let i = entries[head...].lastIndex(where: { $0.isSnapshot && $0.firstTs <= startNs }) else { return }
        // Counted first: evicting may compact the array, which moves the indices.
        for _ in 0..<(i - head) { evictOldest(forSpace: false) }
    }

    /// The bytes of the newest segment (from its snapshot on), or of everything when no snapshot is held.
    var newestSegmentBytes: Int {
        var n = 0
        for e in entries[head...].reversed() {
            n += e.size
            if e.isSnapshot { break }
        }
        return n
    }

    /// The blocks a window's capture is made of: from the oldest snapshot held (or, when none is, the oldest
    /// block) to the newest.
    var blocksFromFirstSnapshot: ArraySlice<Entry> {
        let all = entries[head...]
        guard let i = all.firstIndex(where: { $0.isSnapshot }) else { return all }
        return entries[i...]
    }

    /// The bytes of a held block.
    func bytes(of e: Entry) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + e.offset, count: e.size)
    }
}
