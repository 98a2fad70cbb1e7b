/// The one exit-status rule of every kcap command (docs/exit-status.md), so scripts can tell a damaged capture
/// from a mistyped command.
enum ExitStatus {
    /// Done, and every block read was intact.
    static let success: Int32 = 0
    /// Nothing useful was done: a usage error (bad option, filter, format or time), a file that is not a
    /// readable capture, a failed recording.
    static let failure: Int32 = 1
    /// A reading command (read, stats, info) read the capture but found integrity problems: every intact
    /// chunk was still used, and each problem got one warning line.
    static let problems: Int32 = 2
    /// `kcap diff`: the report is printed and one of its thresholds is exceeded (as `diff` says 1 for "the
    /// files differ", so a CI step fails).
    static let thresholdExceeded: Int32 = 1

    /// The rule as the reading commands' --help shows it.
    static let helpText = "Exit status: 0 done and the capture intact; 2 done, but the capture has integrity problems (each one warned about; every intact chunk is still used); 1 usage error or not readable as a capture."
}
