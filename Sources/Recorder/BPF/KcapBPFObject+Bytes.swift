extension KcapBPFObject {
    /// The embedded object as bytes, whatever container the build plugin chose for it.
    static var bytesArray: [UInt8] { bytes.withUnsafeBytes { Array($0) } }
}
