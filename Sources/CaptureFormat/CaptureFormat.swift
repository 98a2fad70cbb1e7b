// The capture file: blocks, chunks, LZ4, checksums, index, snapshots, recovery.
