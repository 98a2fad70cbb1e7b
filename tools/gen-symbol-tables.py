#!/usr/bin/env python3
"""Generates Sources/EventSchema/GeneratedSymbols.swift: the names of the constants kcap prints symbolically
(ioctl requests, futex commands, socket levels and options, clock ids, madvise advice, rlimit resources,
prctl options, ...), taken from the installed Linux UAPI and libc headers, like the syscall table.

How: each table names headers and a pattern; the macros matching it are collected in header order (the
first name of a value wins when several share it: `FIONREAD` before its alias `TIOCINQ`), function-like and
string macros are left out, and a C program compiled with the same headers prints every value, so macros
built from others (`_IOR('T', ...)`, `O_CLOEXEC`) come out as the compiler sees them. NEWER adds names newer
than the installed headers (Debian 12 ships 6.1 UAPI headers; captures come from newer kernels).

The values are x86_64's; every table here is the same on aarch64 (asm-generic), except `archPrctlOptions`
(x86 only) and the open-flag values some *_CLOEXEC/*_NONBLOCK names alias, which EventSchema's open-flag
tables already handle per architecture.

Usage: tools/gen-symbol-tables.py [--check]   (--check: exit 1 when the committed file is stale)
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Sources/EventSchema/GeneratedSymbols.swift")
INCLUDE = "/usr/include"
ARCH_INCLUDE = "/usr/include/x86_64-linux-gnu"

# name, doc, headers scanned for names (in order), regex on names, excluded names (regex), extra includes
# for compiling, NEWER [(name, value)]
TABLES = [
    ("ioctlRequests", "ioctl(2) requests: terminal and file ioctls (asm-generic/ioctls.h), socket ioctls "
     "(linux/sockios.h), file system ioctls (linux/fs.h)",
     ["asm-generic/ioctls.h", "linux/sockios.h", "linux/fs.h"],
     r"^(TC[A-Z]+|TIOC[A-Z0-9_]+|FIO[A-Z]+|SIOC[A-Z0-9_]+|FS_IOC_[A-Z0-9_]+|FI(FREEZE|THAW|TRIM|CLONE|CLONERANGE|DEDUPERANGE)|BLK[A-Z0-9_]+)$",
     r"^(TIOCPKT_[A-Z]+|TIOCSER_TEMT|SIOCPROTOPRIVATE|SIOCDEVPRIVATE|BLOCK_SIZE.*)$",
     ["sys/ioctl.h", "linux/fs.h", "linux/sockios.h"], []),
    ("futexCommands", "futex(2) commands (`op & FUTEX_CMD_MASK`; linux/futex.h)",
     ["linux/futex.h"],
     r"^FUTEX_(WAIT|WAKE|FD|REQUEUE|CMP_REQUEUE|WAKE_OP|LOCK_PI|UNLOCK_PI|TRYLOCK_PI|WAIT_BITSET|WAKE_BITSET|WAIT_REQUEUE_PI|CMP_REQUEUE_PI|LOCK_PI2)$",
     None, ["linux/futex.h"], [("FUTEX_LOCK_PI2", 13)]),
    ("socketLevels", "setsockopt(2)/getsockopt(2) levels (sys/socket.h, netinet/in.h, netinet/tcp.h, netinet/udp.h)",
     ["x86_64-linux-gnu/bits/socket.h", "asm-generic/socket.h", "x86_64-linux-gnu/bits/in.h", "netinet/tcp.h",
      "netinet/udp.h"],
     r"^SOL_[A-Z0-9_]+$", None,
     ["sys/socket.h", "netinet/in.h", "netinet/tcp.h", "netinet/udp.h"], [("SOL_TCP", 6), ("SOL_UDP", 17)]),
    ("socketOptions", "SOL_SOCKET options (asm-generic/socket.h)",
     ["asm-generic/socket.h"], r"^SO_[A-Z0-9_]+$", r"^SO_(TIMESTAMPING|TIMESTAMPNS|TIMESTAMP|RCVTIMEO|SNDTIMEO)$",
     ["asm-generic/socket.h"], []),
    ("tcpOptions", "SOL_TCP options (linux/tcp.h)",
     ["linux/tcp.h"], r"^TCP_[A-Z0-9_]+$",
     r"^TCP_(MSS_.*|CA_.*|REPAIR_(ON|OFF|OFF_NO_WP)|NO_QUEUE|RECV_QUEUE|SEND_QUEUE|QUEUES_NR|COOKIE_.*|S_DATA_.*|"
     r"THIN_.*|AO_.*|FLAG_.*|DATA_OFFSET|RESERVED_BITS|MAX_WINSHIFT|INFINITE_SSTHRESH|"
     r"MD5SIG_MAXKEYLEN|MD5SIG_FLAG_.*|RECEIVE_ZEROCOPY_.*)$",
     ["linux/tcp.h"], []),
    ("ipOptions", "SOL_IP options (linux/in.h)",
     ["linux/in.h"], r"^IP_[A-Z0-9_]+$",
     r"^IP_(PMTUDISC_.*|DEFAULT_MULTICAST_.*|MAX_MEMBERSHIPS|RECVRETOPTS|USER_FLOW_.*)$",
     ["linux/in.h"], []),
    ("ipv6Options", "SOL_IPV6 options (linux/in6.h)",
     ["linux/in6.h"], r"^IPV6_[A-Z0-9_]+$",
     r"^IPV6_(FL_.*|PRIORITY_.*|PMTUDISC_.*|PREFER_SRC_.*|TLV_.*|FLOWINFO_.*|FLOWLABEL_MASK|ADD_MEMBERSHIP|DROP_MEMBERSHIP|RXHOPOPTS|RXDSTOPTS)$",
     ["linux/in6.h"], []),
    ("ipProtocols", "IP protocol numbers (socket(2)'s protocol for AF_INET/AF_INET6; linux/in.h, linux/in6.h)",
     ["linux/in.h", "linux/in6.h"], r"^IPPROTO_[A-Z0-9_]+$", r"^IPPROTO_MAX$", ["linux/in.h", "linux/in6.h"], []),
    ("clockIds", "clock ids (linux/time.h)",
     ["linux/time.h"], r"^CLOCK_[A-Z_]+$", r"^CLOCKS_.*$", ["linux/time.h"], []),
    ("epollCtlOps", "epoll_ctl(2) operations (linux/eventpoll.h)",
     ["linux/eventpoll.h"], r"^EPOLL_CTL_[A-Z]+$", None, ["linux/eventpoll.h"], []),
    ("epollEvents", "epoll event bits (linux/eventpoll.h)",
     ["linux/eventpoll.h"], r"^EPOLL[A-Z]+$", r"^EPOLL_.*$", ["linux/eventpoll.h"], []),
    ("madviseAdvice", "madvise(2) advice (asm-generic/mman-common.h)",
     ["asm-generic/mman-common.h"], r"^MADV_[A-Z_0-9]+$", r"^MADV_.*_MASK$", ["asm-generic/mman-common.h"],
     [("MADV_POPULATE_READ", 22), ("MADV_POPULATE_WRITE", 23), ("MADV_DONTNEED_LOCKED", 24),
      ("MADV_COLLAPSE", 25), ("MADV_GUARD_INSTALL", 102), ("MADV_GUARD_REMOVE", 103)]),
    ("fadviseAdvice", "fadvise64(2) advice (linux/fadvise.h)",
     ["linux/fadvise.h"], r"^POSIX_FADV_[A-Z]+$", None, ["linux/fadvise.h"], []),
    ("rlimitResources", "getrlimit(2)/prlimit64(2) resources (asm-generic/resource.h)",
     ["asm-generic/resource.h"], r"^RLIMIT_[A-Z]+$", None, ["asm-generic/resource.h"], []),
    ("archPrctlOptions", "arch_prctl(2) options (x86 asm/prctl.h)",
     ["x86_64-linux-gnu/asm/prctl.h"], r"^ARCH_[A-Z0-9_]+$", r"^ARCH_SHSTK_(SHSTK|WRSS)$", ["asm/prctl.h"],
     [("ARCH_GET_UNTAG_MASK", 0x4001), ("ARCH_ENABLE_TAGGED_ADDR", 0x4002), ("ARCH_GET_MAX_TAG_BITS", 0x4003),
      ("ARCH_FORCE_TAGGED_SVA", 0x4004), ("ARCH_SHSTK_ENABLE", 0x5001), ("ARCH_SHSTK_DISABLE", 0x5002),
      ("ARCH_SHSTK_LOCK", 0x5003), ("ARCH_SHSTK_UNLOCK", 0x5004), ("ARCH_SHSTK_STATUS", 0x5005)]),
    ("flockOperations", "flock(2) operations (asm-generic/fcntl.h)",
     ["asm-generic/fcntl.h"], r"^LOCK_(SH|EX|NB|UN|MAND|READ|WRITE|RW)$", None, ["asm-generic/fcntl.h"], []),
    ("prctlOptions", "prctl(2) options (linux/prctl.h: the `#define PR_` lines; values of an option's "
     "arguments are written `# define` there and are left out)",
     ["linux/prctl.h"], r"^PR_[A-Z0-9_]+$", None, ["linux/prctl.h"],
     [("PR_SET_MDWE", 65), ("PR_GET_MDWE", 66), ("PR_SET_MEMORY_MERGE", 67), ("PR_GET_MEMORY_MERGE", 68),
      ("PR_RISCV_V_SET_CONTROL", 69), ("PR_RISCV_V_GET_CONTROL", 70), ("PR_RISCV_SET_ICACHE_FLUSH_CTX", 71),
      ("PR_PPC_GET_DEXCR", 72), ("PR_PPC_SET_DEXCR", 73), ("PR_GET_SHADOW_STACK_STATUS", 74),
      ("PR_SET_SHADOW_STACK_STATUS", 75), ("PR_LOCK_SHADOW_STACK_STATUS", 76), ("PR_TIMER_CREATE_RESTORE_IDS", 77),
      ("PR_FUTEX_HASH", 78)]),
    ("getrandomFlags", "getrandom(2) flags (linux/random.h)",
     ["linux/random.h"], r"^GRND_[A-Z]+$", None, ["linux/random.h"], []),
    ("memfdFlags", "memfd_create(2) flags (linux/memfd.h)",
     ["linux/memfd.h"], r"^MFD_[A-Z_]+$", r"^MFD_HUGE_.*$", ["linux/memfd.h"],
     [("MFD_NOEXEC_SEAL", 8), ("MFD_EXEC", 0x10)]),
    ("statxMask", "statx(2) mask bits (linux/stat.h); STATX_BASIC_STATS first, so a full basic mask prints as it",
     ["linux/stat.h"], r"^STATX_[A-Z_]+$", r"^STATX_(ATTR_.*|_RESERVED|ALL)$", ["linux/stat.h"],
     [("STATX_DIOALIGN", 0x2000), ("STATX_MNT_ID_UNIQUE", 0x4000), ("STATX_SUBVOL", 0x8000),
      ("STATX_WRITE_ATOMIC", 0x10000), ("STATX_DIO_READ_ALIGN", 0x20000)]),
    ("inotifyInitFlags", "inotify_init1(2) flags (linux/inotify.h)",
     ["linux/inotify.h"], r"^IN_(CLOEXEC|NONBLOCK)$", None, ["linux/inotify.h"], []),
    ("epollCreateFlags", "epoll_create1(2) flags (linux/eventpoll.h)",
     ["linux/eventpoll.h"], r"^EPOLL_CLOEXEC$", None, ["linux/eventpoll.h"], []),
    ("eventfdFlags", "eventfd2(2) flags (sys/eventfd.h)",
     [], r"^$", None, ["sys/eventfd.h"], [("EFD_SEMAPHORE", "EFD_SEMAPHORE"), ("EFD_CLOEXEC", "EFD_CLOEXEC"),
                                           ("EFD_NONBLOCK", "EFD_NONBLOCK")]),
    ("signalfdFlags", "signalfd4(2) flags (sys/signalfd.h)",
     [], r"^$", None, ["sys/signalfd.h"], [("SFD_CLOEXEC", "SFD_CLOEXEC"), ("SFD_NONBLOCK", "SFD_NONBLOCK")]),
    ("timerfdFlags", "timerfd_create(2) flags (sys/timerfd.h)",
     [], r"^$", None, ["sys/timerfd.h"], [("TFD_CLOEXEC", "TFD_CLOEXEC"), ("TFD_NONBLOCK", "TFD_NONBLOCK")]),
    ("siginfoCodes", "si_code values (asm-generic/siginfo.h): SI_* for every signal, ILL_/FPE_/SEGV_/BUS_/TRAP_/"
     "CLD_/POLL_/SYS_ for their signal (ArgFormatter.signalCode picks by prefix)",
     ["asm-generic/siginfo.h"], r"^(SI|ILL|FPE|SEGV|BUS|TRAP|CLD|POLL|SYS)_[A-Z_0-9]+$",
     r"^(SI_MAX_SIZE|SI_EXPANSION_SIZE|SIL_.*|SEGV_BNDERR_.*)$", ["asm-generic/siginfo.h"], []),
    ("sigactionFlags", "struct sigaction's sa_flags (asm-generic/signal-defs.h; SA_RESTORER from x86's asm/signal.h, "
     "arm64 has the same)",
     ["asm-generic/signal-defs.h", "x86_64-linux-gnu/asm/signal.h"], r"^SA_[A-Z_]+$",
     r"^SA_(NOMASK|ONESHOT|STACK|IRQ|PROBE|SAMPLE_RANDOM|SHIRQ|FLAGS)$", ["asm/signal.h"], []),
    ("pollEvents", "poll(2) events (asm-generic/poll.h)",
     ["asm-generic/poll.h"], r"^POLL[A-Z]+$", r"^POLL(FREE|_BUSY_LOOP)$", ["asm-generic/poll.h"], []),
    ("statxAttributes", "statx(2) stx_attributes bits (linux/stat.h)",
     ["linux/stat.h"], r"^STATX_ATTR_[A-Z_]+$", None, ["linux/stat.h"], [("STATX_ATTR_WRITE_ATOMIC", 0x400000)]),
    ("sealFlags", "memfd seals, fcntl(2) F_ADD_SEALS/F_GET_SEALS (linux/fcntl.h)",
     ["linux/fcntl.h"], r"^F_SEAL_[A-Z_]+$", None, ["linux/fcntl.h"], [("F_SEAL_EXEC", 0x20)]),
]

DEFINE_RE = re.compile(r"^#define\s+([A-Za-z_][A-Za-z0-9_]*)(\(?)(.*)$")


def header_names(header, pattern, exclude, prctl_style):
    path = os.path.join(INCLUDE, header)
    names = []
    for line in open(path, encoding="utf-8", errors="replace"):
        if prctl_style and not line.startswith("#define"):
            continue  # prctl.h writes an option's argument values as "# define"
        s = line.strip()
        if not s.startswith("#"):
            continue
        s = "#" + s[1:].lstrip()
        m = DEFINE_RE.match(s)
        if not m or m.group(2) == "(":
            continue
        name, body = m.group(1), m.group(3).strip()
        if not re.match(pattern, name) or (exclude and re.match(exclude, name)):
            continue
        if not body or body.startswith('"'):
            continue
        if name not in names:
            names.append(name)
    return names


def values(includes, names):
    """name -> value, compiling a C program with the headers; names that do not compile are dropped."""
    names = list(names)
    while names:
        src = "".join("#include <%s>\n" % h for h in includes) + "#include <stdio.h>\nint main(void) {\n"
        for i, n in enumerate(names):
            src += '\tprintf("%%s %%lld\\n", "%s", (long long)(%s)); /* #%d */\n' % (n, n, i)
        src += "\treturn 0;\n}\n"
        with tempfile.TemporaryDirectory() as d:
            c, exe = os.path.join(d, "v.c"), os.path.join(d, "v")
            open(c, "w").write(src)
            r = subprocess.run(["cc", "-w", "-o", exe, c], capture_output=True, text=True)
            if r.returncode != 0:
                bad = set()
                for m in re.finditer(r"v\.c:(\d+):", r.stderr):
                    line = src.splitlines()[int(m.group(1)) - 1]
                    k = re.search(r"/\* #(\d+) \*/", line)
                    if k:
                        bad.add(names[int(k.group(1))])
                if not bad:
                    raise SystemExit("cannot compile values:\n" + r.stderr[:2000])
                names = [n for n in names if n not in bad]
                continue
            out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
        result = {}
        for line in out.splitlines():
            n, v = line.split(" ")
            result[n] = int(v)
        return result
    return {}


def generate():
    lines = [
        "// Generated by tools/gen-symbol-tables.py from the Linux UAPI and libc headers.",
        "// Do not edit: change the script and run it. How the tables print: SymbolTables.swift, ArgFormatter.swift.",
        "",
        "/// Constants by name, from the kernel's headers: each table's pairs in header order (the first name of",
        "/// a value is the one printed).",
        "enum GeneratedSymbols {",
    ]
    for name, doc, headers, pattern, exclude, includes, newer in TABLES:
        found = []
        for h in headers:
            for n in header_names(h, pattern, exclude, name == "prctlOptions"):
                if n not in found:
                    found.append(n)
        extra_names = [n for n, v in newer if isinstance(v, str)]
        vals = values(includes, found + extra_names)
        pairs = [(n, vals[n]) for n in found + extra_names if n in vals]
        have = {n for n, _ in pairs}
        for n, v in newer:
            if not isinstance(v, str) and n not in have:
                pairs.append((n, v))
        if name == "statxMask":
            pairs.sort(key=lambda p: p[0] != "STATX_BASIC_STATS")
        if not pairs:
            raise SystemExit("table %s is empty" % name)
        lines.append("    /// %s." % doc)
        lines.append("    static let %s: [(Int64, String)] = [" % name)
        row = "       "
        for n, v in pairs:
            item = " (%s, \"%s\")," % (("0x%x" % v) if v >= 0x100 else str(v), n)
            if len(row) + len(item) > 118:
                lines.append(row)
                row = "       "
            row += item
        lines.append(row)
        lines.append("    ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    text = generate()
    if "--check" in sys.argv:
        old = open(OUT).read() if os.path.exists(OUT) else ""
        if old != text:
            print("%s is stale: run tools/gen-symbol-tables.py" % os.path.relpath(OUT, ROOT))
            sys.exit(1)
        return
    open(OUT, "w").write(text)
    print("wrote %s" % os.path.relpath(OUT, ROOT))


if __name__ == "__main__":
    main()
