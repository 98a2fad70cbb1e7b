/// ppm flag encodings (falcosecurity/libs ppm_events_public.h) turned into the Linux values kcap's engine
/// and tables read: a capture stores open and clone flags in its own bit layout, not the kernel's.
public enum ScapFlagMap {
    /// PPM_O_* bit → Linux O_* value (x86_64 and the generic ABI).
    static let open: [(ppm: UInt32, linux: UInt32)] = [
        (1 << 2, 0o100),        // CREAT
        (1 << 3, 0o2000),       // APPEND
        (1 << 4, 0o10000),      // DSYNC
        (1 << 5, 0o200),        // EXCL
        (1 << 6, 0o4000),       // NONBLOCK
        (1 << 7, 0o4010000),    // SYNC
        (1 << 8, 0o1000),       // TRUNC
        (1 << 9, 0o40000),      // DIRECT
        (1 << 10, 0o200000),    // DIRECTORY
        (1 << 11, 0o100000),    // LARGEFILE
        (1 << 12, 0o2000000),   // CLOEXEC
        (1 << 13, 0o20200000),  // TMPFILE
    ]

    /// Linux open flags of ppm open flags: PPM_O_RDONLY (1), WRONLY (2) and RDWR (3) become the access mode 0, 1, 2.
    public static func linuxOpenFlags(_ ppm: UInt32) -> UInt32 {
        var out: UInt32
        switch ppm & 3 {
        case 2: out = 1
        case 3: out = 2
        default: out = 0
        }
        for m in open where ppm & m.ppm != 0 { out |= m.linux }
        return out
    }

    /// PPM_CL_* bit → Linux CLONE_* value, for the flags the engine acts on.
    static let clone: [(ppm: UInt32, linux: UInt64)] = [
        (1 << 0, 0x400),      // CLONE_FILES
        (1 << 1, 0x200),      // CLONE_FS
        (1 << 13, 0x10000),   // CLONE_THREAD
        (1 << 15, 0x100),     // CLONE_VM
        (1 << 27, 0x4000),    // CLONE_VFORK
        (1 << 11, 0x800),     // CLONE_SIGHAND
    ]

    /// Linux clone flags of ppm clone flags.
    public static func linuxCloneFlags(_ ppm: UInt32) -> UInt64 {
        var out: UInt64 = 0
        for m in clone where ppm & m.ppm != 0 { out |= m.linux }
        return out
    }
}
