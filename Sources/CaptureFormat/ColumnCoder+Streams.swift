
extension ColumnCoder {
    /// Where each stream of a coded chunk starts, from the counts its header holds: the one statement of the
    /// layout, for the encoder that writes it and the decoder that checks and reads it. Int is 64-bit, so
    /// these sums of 32-bit counts times small widths cannot overflow.
    struct Streams {
        /// Record headers, `KcapABI.Header.size` bytes each (planed).
        let headers: Int
        /// Latencies, 8 bytes per syscall record.
        let latencies: Int
        /// Syscall numbers and flags, 8 bytes per syscall record.
        let numbers: Int
        /// Results, 8 bytes per syscall record.
        let results: Int
        /// Arguments, 48 bytes per syscall record.
        let arguments: Int
        /// Argument modes, a byte per syscall record.
        let modes: Int
        /// Item descriptors, 4 bytes each.
        let items: Int
        /// Path item bytes.
        let paths: Int
        /// Other item bytes.
        let others: Int
        /// Records stored verbatim.
        let verbatim: Int
        /// The end of the coded chunk.
        let end: Int

        init(records n: Int, syscalls s: Int, items: Int, pathBytes: Int, otherBytes: Int, verbatimBytes: Int) {
            headers = ColumnCoder.headerSize
            latencies = headers + KcapABI.Header.size * n
            numbers = latencies + 8 * s
            results = numbers + 8 * s
            arguments = results + 8 * s
            modes = arguments + 48 * s
            self.items = modes + s
            paths = self.items + 4 * items
            others = paths + pathBytes
            verbatim = others + otherBytes
            end = verbatim + verbatimBytes
        }
    }
}
