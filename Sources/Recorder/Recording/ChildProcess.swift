import Glibc

/// The `-- COMMAND` of `kcap record`: forked at once but held before exec on a pipe until the kernel side
/// follows its pid, so its very first syscalls are recorded; then waited for, to stop with it and return its
/// exit status. The child runs only async-signal-safe calls between fork and exec (close_range or fcntl, read,
/// sigprocmask, sigaction, execve), with every C string and function pointer prepared before the fork.
///
/// The command gets stdin, stdout and stderr and no other descriptor of kcap's: every other one is marked
/// close-on-exec in the child before it waits for the go byte (before it is traced, so the calls are not
/// recorded as the command's), whether or not whoever opened it asked for O_CLOEXEC.
final class ChildProcess {
    /// The process id.
    let pid: Int32
    /// The command as given.
    let command: [String]
    private var goFD: Int32
    private var errFD: Int32
    private var exitStatus: Int32?

    /// Forks the command, held before exec. Fails with one line when the program cannot be found.
    init(command: [String]) throws {
        self.command = command
        let program = command.first ?? ""
        let path = try ChildProcess.resolve(program)
        var go: [Int32] = [-1, -1], err: [Int32] = [-1, -1]
        guard pipe(&go) == 0, pipe(&err) == 0 else {
            throw RecorderError(step: "create pipe", errno: errno, hint: "the process is out of file descriptors")
        }
        // Close-on-exec: the exec closes the error pipe, which is how the recorder learns it succeeded.
        for fd in go + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let cPath = strdup(path)!
        var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { free(cPath); for a in argv { free(a) } }
        var empty = sigset_t()
        sigemptyset(&empty)
        var dfl = sigaction()
        dfl.__sigaction_handler.sa_handler = SIG_DFL
        sigemptyset(&dfl.sa_mask)
        // Read before the fork: the child must not run a lazy initializer (it may take a lock another
        // thread held at the fork).
        let closeRange = ChildProcess.closeRangeFunction()
        let firstFD = ChildProcess.firstInheritedFD, cloexec = ChildProcess.closeRangeCloexec
        let descriptorLimit = ChildProcess.descriptorLimit()
        let failed = ChildProcess.execFailedStatus

        let p = fork()
        if p == 0 {
            // Child: keep only stdin, stdout and stderr across the exec (the pipes are close-on-exec already:
            // the exec closing the error pipe is how the recorder learns it succeeded).
            if closeRange?(firstFD, UInt32.max, cloexec) != 0 {
                for fd in Int32(firstFD)..<descriptorLimit { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            }
            // Wait for the go byte (EOF means the recorder gave up), then exec.
            Glibc.close(go[1]); Glibc.close(err[0])
            var b: UInt8 = 0
            var n: Int
            repeat { n = Glibc.read(go[0], &b, 1) } while n < 0 && errno == EINTR
            if n != 1 { _exit(failed) }
            sigaction(SIGINT, &dfl, nil)
            sigaction(SIGTERM, &dfl, nil)
            // A live `kcap record` ignores SIGPIPE (to see EPIPE); an ignored signal survives exec, and the
            // command must not inherit that (`yes | head` inside it would never end).
            sigaction(SIGPIPE, &dfl, nil)
            sigprocmask(SIG_SETMASK, &empty, nil)
            execv(cPath, &argv)
            var e = errno
            _ = Glibc.write(err[1], &e, MemoryLayout<Int32>.size)
            _exit(failed)
        }
        if p < 0 {
            let e = errno
            for fd in go + err { Glibc.close(fd) }
            throw RecorderError(step: "fork", object: program, errno: e, hint: "the system is out of processes or memory")
        }
        pid = p
        Glibc.close(go[0]); Glibc.close(err[1])
        goFD = go[1]
        errFD = err[0]
    }

    /// Lets the child exec; throws with one line when the exec itself failed.
    func release() throws {
        var b: UInt8 = 1
        _ = Glibc.write(goFD, &b, 1)
        Glibc.close(goFD)
        goFD = -1
        var e: Int32 = 0
        let n = Glibc.read(errFD, &e, MemoryLayout<Int32>.size)
        Glibc.close(errFD)
        errFD = -1
        if n == MemoryLayout<Int32>.size {
            _ = poll()
            throw RecorderError(step: "run command", object: command.joined(separator: " "), errno: e,
                                hint: "check the command's path and that it is executable")
        }
    }

    /// The exit status once the child has ended (shell style: code, or 128+signal), else nil.
    func poll() -> Int32? {
        if let s = exitStatus { return s }
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        guard r == pid else { return nil }
        let code = ChildProcess.shellStatus(waitStatus: status)
        exitStatus = code
        return code
    }

    /// A waitpid status as a shell reports it: the exit code, or 128+N for a process killed by signal N. (The
    /// <sys/wait.h> macros WIFEXITED, WEXITSTATUS and WTERMSIG are not visible from Swift.)
    static func shellStatus(waitStatus status: Int32) -> Int32 {
        let signal = status & terminatingSignalMask
        if signal == 0 { return (status >> exitCodeShift) & exitCodeMask }
        return StopSignals.shellSignalBase + signal
    }
    /// WTERMSIG: the low 7 bits of a wait status, 0 when the process exited.
    private static let terminatingSignalMask: Int32 = 0x7f
    /// WEXITSTATUS: the exit code, in the byte above.
    private static let exitCodeShift: Int32 = 8
    private static let exitCodeMask: Int32 = 0xff

    /// How often `wait(timeoutNs:)` looks.
    static let waitPollNs = 10_000_000

    /// Waits at most `timeoutNs` for the child to end.
    func wait(timeoutNs: UInt64) -> Int32? {
        let end = BootClock.monotonicNs() + timeoutNs
        while BootClock.monotonicNs() < end {
            if let s = poll() { return s }
            var req = timespec(tv_sec: 0, tv_nsec: ChildProcess.waitPollNs)
            nanosleep(&req, nil)
        }
        return poll()
    }

    /// How long `abandon()` waits for a child told to give up (it only has to notice the closed pipe).
    static let abandonWaitNs: UInt64 = 1_000_000_000

    /// Called when the recording ends or fails: a child still held before exec is told to give up.
    func abandon() {
        if goFD >= 0 { Glibc.close(goFD); goFD = -1; _ = wait(timeoutNs: ChildProcess.abandonWaitNs) }
        if errFD >= 0 { Glibc.close(errFD); errFD = -1 }
    }

    /// The exit status of a child that could not run the command (as a shell's "command not found").
    static let execFailedStatus: Int32 = 127
    /// The first descriptor after stdin, stdout and stderr.
    static let firstInheritedFD = UInt32(STDERR_FILENO + 1)
    /// close_range(2)'s CLOSE_RANGE_CLOEXEC (<linux/close_range.h>, Linux 5.11): mark the range close-on-exec
    /// rather than close it, so the error pipe stays open until the exec.
    static let closeRangeCloexec: Int32 = 1 << 2

    /// glibc's close_range (2.34), looked up at run time because Swift's Glibc module does not declare it
    /// (it is a _GNU_SOURCE function); nil with an older glibc.
    static func closeRangeFunction() -> (@convention(c) (UInt32, UInt32, Int32) -> Int32)? {
        guard let me = dlopen(nil, RTLD_NOW), let symbol = dlsym(me, "close_range") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UInt32, UInt32, Int32) -> Int32).self)
    }

    /// One more than the highest descriptor this process may hold (RLIMIT_NOFILE), for the fcntl loop that
    /// stands in for close_range where it is missing.
    static func descriptorLimit() -> Int32 {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return Int32(FD_SETSIZE) }
        return Int32(clamping: limit.rlim_cur)
    }

    /// The program's path: as given when it holds a slash, else the first executable on PATH. Throws one line
    /// that says why not: missing (ENOENT), a directory (EISDIR), or not executable (EACCES).
    static func resolve(_ program: String) throws -> String {
        func fail(_ e: Int32) -> RecorderError {
            RecorderError(step: "find command", object: program, errno: e,
                          hint: "give a program on PATH or a path to an executable after --")
        }
        guard !program.isEmpty else { throw fail(ENOENT) }
        if program.contains("/") {
            var st = stat()
            guard stat(program, &st) == 0 else { throw fail(errno) }
            if (st.st_mode & S_IFMT) == S_IFDIR { throw fail(EISDIR) }
            guard access(program, X_OK) == 0 else { throw fail(errno) }
            return program
        }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(program)"
            var st = stat()
            if stat(candidate, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        throw fail(ENOENT)
    }
}
