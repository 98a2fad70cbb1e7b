/// The table of every field the filter language and `-p` formats know. One source of truth for
/// `kcap fields`, docs/fields.md, the filter compiler and output formats.
public enum FieldRegistry {
    /// Every field, in display order (by class, then as listed here).
    public static let all: [FieldInfo] = makeTable()

    /// Looks a field up by its id.
    @inlinable
    public static func info(_ id: FieldID) -> FieldInfo { all[byID[Int(id.rawValue)]] }

    /// Looks a field up by exact name (without argument).
    public static func info(named name: String) -> FieldInfo? { byName[name].map { all[$0] } }

    /// Every field name, for suggestions.
    public static var names: [String] { all.map(\.name) }

    /// Fields the compiler derives from others and never asks a `FieldValueSource` for: `fd.ip`, `fd.port`
    /// (both endpoints), `fd.dip`, `fd.dport` (the server side), and the `fd.*net` fields (addresses).
    public static let derivedFields: Set<FieldID> = [.fdIP, .fdPort, .fdDip, .fdDport, .fdNet, .fdCnet, .fdSnet, .fdLnet, .fdRnet]

    /// The supported fields a `FieldValueSource` must answer (every supported field but the derived ones),
    /// for an engine test that walks them all.
    public static var sourceFields: [FieldInfo] { all.filter { $0.supported && !derivedFields.contains($0.id) } }

    @usableFromInline
    static let byID: [Int] = {
        var index = [Int](repeating: -1, count: FieldID.allCases.count)
        for (i, f) in all.enumerated() { index[Int(f.id.rawValue)] = i }
        return index
    }()

    static let byName: [String: Int] = {
        var map: [String: Int] = [:]
        for (i, f) in all.enumerated() { map[f.name] = i }
        return map
    }()

    // swiftlint:disable:next function_body_length
    private static func makeTable() -> [FieldInfo] {
        func f(_ id: FieldID, _ name: String, _ type: FieldType, _ description: String,
               arg: FieldArgument = .none, supported: Bool = true) -> FieldInfo {
            FieldInfo(id: id, name: name, type: type, argument: arg, supported: supported, description: description)
        }
        let no = false
        return [
            // evt.*
            f(.evtNum, "evt.num", .uint, "Event number: 1 for the first event of the capture, counting every event."),
            f(.evtTime, "evt.time", .string, "Event time of day with nanoseconds (hh:mm:ss.nnnnnnnnn)."),
            f(.evtDatetime, "evt.datetime", .string, "Event date and time of day with nanoseconds (yyyy-mm-dd hh:mm:ss.nnnnnnnnn)."),
            f(.evtRawtime, "evt.rawtime", .abstime, "Event time in nanoseconds since the Unix epoch."),
            f(.evtReltime, "evt.reltime", .reltime, "Nanoseconds since the first event of the capture."),
            f(.evtType, "evt.type", .string, "Event name: the syscall (openat, read...) or process event (clone, execve, procexit). Compared by name."),
            f(.evtDir, "evt.dir", .string, "Direction: '>' for a syscall's entry, '<' for its exit (kcap records exits, which carry the arguments)."),
            f(.evtCPU, "evt.cpu", .int, "Number of the CPU the event happened on."),
            f(.evtArgs, "evt.args", .string, "Every argument of the event, formatted as the default output prints them."),
            f(.evtArg, "evt.arg", .string, "One argument of the event, formatted (fd with its name, symbolic flags, errno names), by parameter name or by position from 0.", arg: .nameOrIndex),
            f(.evtRawarg, "evt.rawarg", .int, "One argument of the event as its raw number (compared as text when the constant is not a number).", arg: .name),
            f(.evtRes, "evt.res", .string, "Result of the syscall: SUCCESS, or the errno name (ENOENT...) when it failed."),
            f(.evtRawres, "evt.rawres", .int, "Result of the syscall as the raw number the kernel returned (negative errno on failure)."),
            f(.evtFailed, "evt.failed", .bool, "Whether the syscall returned an error."),
            f(.evtLatency, "evt.latency", .reltime, "Nanoseconds between the syscall's entry and its exit."),
            f(.evtIsIO, "evt.is_io", .bool, "Whether the event reads or writes data (read, write, send, recv and their variants)."),
            f(.evtIsIORead, "evt.is_io_read", .bool, "Whether the event reads data."),
            f(.evtIsIOWrite, "evt.is_io_write", .bool, "Whether the event writes data."),
            f(.evtIsOpenRead, "evt.is_open_read", .bool, "Whether the event opens a file for reading (open/openat/openat2 with O_RDONLY or O_RDWR)."),
            f(.evtIsOpenWrite, "evt.is_open_write", .bool, "Whether the event opens a file for writing (O_WRONLY or O_RDWR)."),
            f(.evtIsOpenExec, "evt.is_open_exec", .bool, "Whether the event opens or creates a file with an execute permission bit in its mode."),
            f(.evtBuflen, "evt.buflen", .uint, "Bytes moved by an I/O event (its result when it succeeded)."),
            f(.evtBuffer, "evt.buffer", .bytes, "The I/O buffer as recorded (up to the recorder's --snaplen bytes)."),
            f(.evtCategory, "evt.category", .string, "Event category: file, net, process, memory, ipc, signal, time or other."),
            f(.evtSource, "evt.source", .string, "Source of the event; always 'syscall' in kcap."),
            f(.evtDeltatime, "evt.deltatime", .reltime, "Nanoseconds since the previous event.", supported: no),
            f(.evtInfo, "evt.info", .string, "Event arguments as sysdig's info column shows them.", supported: no),
            f(.evtCount, "evt.count", .int, "1 for every event (for aggregation by chisels).", supported: no),
            f(.evtIsWait, "evt.is_wait", .bool, "Whether the event waits (sleep, select, poll...).", supported: no),
            f(.evtIsSyslog, "evt.is_syslog", .bool, "Whether the event writes to /dev/log.", supported: no),
            f(.evtAround, "evt.around", .uint, "Events around a given time (trace navigation).", supported: no),
            f(.evtAbspath, "evt.abspath", .string, "Absolute path computed from a path argument and its dirfd.", arg: .nameOrIndex, supported: no),
            f(.evtPluginname, "evt.pluginname", .string, "Name of the plugin that produced the event.", supported: no),
            f(.evtHost, "evt.host", .string, "kcap extension: name of the host the event happened on (a capture merged from several hosts holds each event's; otherwise the capture's host)."),
            // host.*
            f(.hostName, "host.name", .string, "kcap extension: alias of evt.host, the name of the event's host."),
            // proc.*
            f(.procPid, "proc.pid", .int, "Process id (thread group id) of the thread that made the event."),
            f(.procPpid, "proc.ppid", .int, "Parent process id."),
            f(.procName, "proc.name", .string, "Process name (comm, at most 15 characters, as the kernel keeps it)."),
            f(.procPname, "proc.pname", .string, "Name of the parent process."),
            f(.procExe, "proc.exe", .string, "First command-line argument (argv[0]) of the process."),
            f(.procExepath, "proc.exepath", .string, "Full path of the executable the process runs."),
            f(.procCmdline, "proc.cmdline", .string, "Name and arguments: the name followed by every argument after argv[0], space separated."),
            f(.procArgs, "proc.args", .string, "Arguments after argv[0], space separated."),
            f(.procCwd, "proc.cwd", .string, "Current working directory of the process."),
            f(.procAname, "proc.aname", .string, "Name of an ancestor: [1] the parent, [2] the grandparent...; [0] the process itself. Without an index, any ancestor matches.", arg: .optionalIndex),
            f(.procApid, "proc.apid", .int, "Pid of an ancestor, indexed like proc.aname. Without an index, any ancestor matches.", arg: .optionalIndex),
            f(.procDuration, "proc.duration", .reltime, "Nanoseconds since the process started."),
            f(.procVpid, "proc.vpid", .int, "Process id as seen in its own pid namespace.", supported: no),
            f(.procSid, "proc.sid", .int, "Session id of the process.", supported: no),
            f(.procTty, "proc.tty", .int, "Controlling terminal of the process.", supported: no),
            f(.procEnv, "proc.env", .string, "Environment variables of the process.", supported: no),
            f(.procNthreads, "proc.nthreads", .uint, "Number of threads of the process.", supported: no),
            f(.procLoginshellid, "proc.loginshellid", .int, "Pid of the outermost shell among the ancestors.", supported: no),
            f(.procExeline, "proc.exeline", .string, "argv[0] followed by the arguments.", supported: no),
            f(.procPcmdline, "proc.pcmdline", .string, "Command line of the parent process.", supported: no),
            f(.procIsContainerHealthcheck, "proc.is_container_healthcheck", .bool, "Whether the process is a container health check.", supported: no),
            f(.procVpgid, "proc.vpgid", .int, "Process group id in the process's pid namespace.", supported: no),
            f(.procPvpid, "proc.pvpid", .int, "Parent's pid in the process's pid namespace.", supported: no),
            // thread.*
            f(.threadTid, "thread.tid", .int, "Thread id of the thread that made the event."),
            f(.threadVtid, "thread.vtid", .int, "Thread id as seen in its pid namespace (kcap records host ids, so outside containers it equals thread.tid)."),
            f(.threadIsmain, "thread.ismain", .bool, "Whether the thread is its process's main thread (tid equals pid)."),
            f(.threadExectime, "thread.exectime", .reltime, "CPU time the thread used in its last scheduling slice.", supported: no),
            f(.threadTotexectime, "thread.totexectime", .reltime, "CPU time the thread used so far.", supported: no),
            f(.threadCgroups, "thread.cgroups", .string, "Every cgroup the thread belongs to.", supported: no),
            // fd.*
            f(.fdNum, "fd.num", .int, "Number of the file descriptor the event uses or creates."),
            f(.fdType, "fd.type", .string, "Kind of the fd: file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, timerfd, netlink, bpf, userfaultfd, io_uring, memfd, pidfd."),
            f(.fdTypechar, "fd.typechar", .string, "Kind of the fd as one letter: f file, d directory, 4 ipv4, 6 ipv6, u unix, p pipe, e event, s signalfd, l eventpoll, i inotify, t timerfd, n netlink, b bpf, o other."),
            f(.fdName, "fd.name", .string, "Full name of the fd: the path of a file, or a socket's tuple (127.0.0.1:40000->127.0.0.1:80)."),
            f(.fdDirectory, "fd.directory", .string, "Directory part of the fd's path."),
            f(.fdFilename, "fd.filename", .string, "File name part of the fd's path, without the directory."),
            f(.fdSip, "fd.sip", .ipaddr, "Server address of a socket (the side that accepted or listens; for a connect, the remote side)."),
            f(.fdDip, "fd.dip", .ipaddr, "Alias of fd.sip kept for sysdig compatibility: the destination (server) address."),
            f(.fdSport, "fd.sport", .port, "Server port of a socket."),
            f(.fdDport, "fd.dport", .port, "Alias of fd.sport: the destination (server) port."),
            f(.fdCip, "fd.cip", .ipaddr, "Client address of a socket (the side that connected)."),
            f(.fdCport, "fd.cport", .port, "Client port of a socket."),
            f(.fdLip, "fd.lip", .ipaddr, "Local address of a socket."),
            f(.fdRip, "fd.rip", .ipaddr, "Remote address of a socket."),
            f(.fdLport, "fd.lport", .port, "Local port of a socket."),
            f(.fdRport, "fd.rport", .port, "Remote port of a socket."),
            f(.fdL4proto, "fd.l4proto", .string, "Transport protocol of a socket: tcp, udp, icmp or raw."),
            f(.fdSockfamily, "fd.sockfamily", .string, "Socket family: ip for IPv4 and IPv6, unix for unix sockets."),
            f(.fdPort, "fd.port", .port, "Either port of a socket: matches when the client or the server port matches."),
            f(.fdIP, "fd.ip", .ipaddr, "Either address of a socket: matches when the client or the server address matches."),
            f(.fdNet, "fd.net", .ipnet, "Either address of a socket, matched against a network (CIDR) such as 10.0.0.0/8."),
            f(.fdCnet, "fd.cnet", .ipnet, "Client address of a socket, matched against a network."),
            f(.fdSnet, "fd.snet", .ipnet, "Server address of a socket, matched against a network."),
            f(.fdLnet, "fd.lnet", .ipnet, "Local address of a socket, matched against a network."),
            f(.fdRnet, "fd.rnet", .ipnet, "Remote address of a socket, matched against a network."),
            f(.fdIno, "fd.ino", .uint, "Inode number of the file behind the fd."),
            f(.fdIsServer, "fd.is_server", .bool, "Whether the process is the server side of the socket.", supported: no),
            f(.fdNameChanged, "fd.name_changed", .bool, "Whether the event changed the name of the fd it uses: a connect or bind of a socket the process had, or a datagram sent that named an unconnected one."),
            f(.fdDev, "fd.dev", .uint, "Device number of the file's filesystem."),
            f(.fdDevMajor, "fd.dev.major", .uint, "Major device number of the file's filesystem."),
            f(.fdDevMinor, "fd.dev.minor", .uint, "Minor device number of the file's filesystem."),
            f(.fdUid, "fd.uid", .uint, "kcap extension: owner uid of the file behind the fd (known from its open or an fstat)."),
            f(.fdGid, "fd.gid", .uint, "kcap extension: owner gid of the file behind the fd (known from its open or an fstat)."),
            f(.fdMode, "fd.mode", .string, "kcap extension: type and permission bits of the file behind the fd, in octal as printed (0100644), compared as text."),
            f(.fdNameraw, "fd.nameraw", .string, "Name of the fd as passed to the syscall, before resolution.", supported: no),
            f(.fdContainername, "fd.containername", .string, "Container id joined with fd.name.", supported: no),
            f(.fdContainerdirectory, "fd.containerdirectory", .string, "Container id joined with fd.directory.", supported: no),
            f(.fdCipName, "fd.cip.name", .string, "Domain name of the client address.", supported: no),
            f(.fdSipName, "fd.sip.name", .string, "Domain name of the server address.", supported: no),
            f(.fdLipName, "fd.lip.name", .string, "Domain name of the local address.", supported: no),
            f(.fdRipName, "fd.rip.name", .string, "Domain name of the remote address.", supported: no),
            f(.fdRproto, "fd.rproto", .string, "Application protocol of the remote port.", supported: no),
            f(.fdSproto, "fd.sproto", .string, "Application protocol of the server port.", supported: no),
            f(.fdLproto, "fd.lproto", .string, "Application protocol of the local port.", supported: no),
            f(.fdCproto, "fd.cproto", .string, "Application protocol of the client port.", supported: no),
            // user.* group.*
            f(.userUid, "user.uid", .uint, "User id of the thread that made the event."),
            f(.userName, "user.name", .string, "User name of user.uid, from the recording host's user database when the capture has it."),
            f(.userHomedir, "user.homedir", .string, "Home directory of the user.", supported: no),
            f(.userShell, "user.shell", .string, "Login shell of the user.", supported: no),
            f(.userLoginuid, "user.loginuid", .int, "Audit login uid of the thread.", supported: no),
            f(.userLoginname, "user.loginname", .string, "User name of the audit login uid.", supported: no),
            f(.groupGid, "group.gid", .uint, "Group id of the thread that made the event."),
            f(.groupName, "group.name", .string, "Group name of group.gid, from the recording host's group database when the capture has it."),
            // container.*
            f(.containerID, "container.id", .string, "Container id (12 hex digits) from the thread's cgroup; 'host' outside containers."),
            f(.containerName, "container.name", .string, "Container name from the capture's container metadata (a sysdig capture's container events); the id when the capture has none; 'host' outside containers."),
            f(.containerImage, "container.image", .string, "Container image name, from the capture's container metadata."),
            f(.containerType, "container.type", .string, "Container runtime (docker, cri-o...) from the capture's container metadata; 'host' outside containers."),
            f(.containerPrivileged, "container.privileged", .bool, "Whether the container runs privileged, from the capture's container metadata."),
            // k8s.*
            f(.k8sPodName, "k8s.pod.name", .string, "Kubernetes pod name.", supported: no),
            f(.k8sNsName, "k8s.ns.name", .string, "Kubernetes namespace name.", supported: no),
            f(.k8sDeploymentName, "k8s.deployment.name", .string, "Kubernetes deployment name.", supported: no),
        ]
    }
}
