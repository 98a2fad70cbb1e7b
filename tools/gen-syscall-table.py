#!/usr/bin/env python3
"""Generates Sources/EventSchema/GeneratedSyscalls.swift: every syscall of x86_64 and aarch64 with its
numbers, category and parameters derived from its kernel prototype.

Inputs (facts, not code):
  - x86_64 numbers: /usr/include/x86_64-linux-gnu/asm/unistd_64.h
  - aarch64 numbers: /usr/include/asm-generic/unistd.h, preprocessed as arm64 does (64-bit, with the
    __ARCH_WANT_* switches arch/arm64/include/uapi/asm/unistd.h sets)
  - NEWER below: syscalls added after the installed headers (Debian 12 ships 6.1 headers; captures come from
    newer kernels), numbers from the kernel's syscall tables
  - tools/syscall-prototypes.txt: category and prototype of every syscall
Hand-curated parameter types live in SyscallCatalog.swift and override what this derives.

Usage: tools/gen-syscall-table.py [--check] [--btf]
  --check  exit 1 when the committed file is stale
  --btf    also compare the prototypes with the running kernel's BTF (`bpftool btf dump file
           /sys/kernel/btf/vmlinux`: the __do_sys_*/__se_sys_* functions BTF keeps) and list the differences
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Sources/EventSchema/GeneratedSyscalls.swift")
PROTOS = os.path.join(ROOT, "tools/syscall-prototypes.txt")
X86_HEADER = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
GENERIC_HEADER = "asm-generic/unistd.h"
ARM64_WANTS = ["__ARCH_WANT_RENAMEAT", "__ARCH_WANT_NEW_STAT", "__ARCH_WANT_SET_GET_RLIMIT",
               "__ARCH_WANT_SYS_CLONE3", "__ARCH_WANT_MEMFD_SECRET"]

# name: (x86_64, aarch64); from 424 on both tables share numbers.
NEWER = {
    "uretprobe": (335, None), "uprobe": (336, None),
    "cachestat": (451, 451), "fchmodat2": (452, 452), "map_shadow_stack": (453, 453),
    "futex_wake": (454, 454), "futex_wait": (455, 455), "futex_requeue": (456, 456),
    "statmount": (457, 457), "listmount": (458, 458), "lsm_get_self_attr": (459, 459),
    "lsm_set_self_attr": (460, 460), "lsm_list_modules": (461, 461), "mseal": (462, 462),
    "setxattrat": (463, 463), "getxattrat": (464, 464), "listxattrat": (465, 465),
    "removexattrat": (466, 466), "open_tree_attr": (467, 467), "file_getattr": (468, 468),
    "file_setattr": (469, 469),
}

FD_NAMES = {"fd", "fildes", "oldfd", "newfd", "ufd", "epfd", "fd_in", "fd_out", "out_fd", "in_fd", "fdin",
            "fdout", "group_fd", "pidfd", "kernel_fd", "initrd_fd", "fs_fd", "ruleset_fd", "mountdirfd",
            "fanotify_fd", "mqdes"}
DIRFD_NAMES = {"dfd", "olddfd", "newdfd", "from_dfd", "to_dfd"}
PATH_NAMES = {"filename", "pathname", "path", "oldname", "newname", "old", "new", "specialfile", "library",
              "new_root", "put_old", "dev_name", "dir_name", "from_pathname", "to_pathname", "special"}


def x86_numbers():
    out = {}
    for line in open(X86_HEADER):
        m = re.match(r"#define __NR_(\w+)\s+(\d+)", line)
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


def aarch64_numbers():
    args = ["cpp", "-dM", "-D__BITS_PER_LONG=64"] + ["-D" + w for w in ARM64_WANTS] + ["-"]
    text = subprocess.run(args, input="#include <%s>\n" % GENERIC_HEADER, capture_output=True, text=True,
                          check=True).stdout
    macros = {}
    for line in text.splitlines():
        m = re.match(r"#define (__NR(?:3264)?_\w+)\s+(\S+)$", line)
        if m:
            macros[m.group(1)] = m.group(2)

    def resolve(value, depth=0):
        if value.isdigit():
            return int(value)
        if depth < 8 and value in macros:
            return resolve(macros[value], depth + 1)
        return None

    out = {}
    for name, value in macros.items():
        if not name.startswith("__NR_") or name in ("__NR_syscalls", "__NR_arch_specific_syscall"):
            continue
        nr = resolve(value)
        if nr is not None:
            out[name[len("__NR_"):]] = nr
    return out


def param_type(ctype, name, syscall):
    ctype = " ".join(ctype.replace("__user", "").split())
    pointer = "*" in ctype
    if "struct sockaddr" in ctype:
        return "sockaddr"
    if pointer:
        if "char" in ctype and "const char *const" not in ctype and "**" not in ctype:
            if name in PATH_NAMES:
                return "path"
            if ctype.startswith("const"):
                return "string"
        return "pointer"
    if name in FD_NAMES and "int" in ctype or name in FD_NAMES and ctype == "mqd_t":
        return "fd"
    if name in DIRFD_NAMES:
        return "dirfd"
    if ctype == "umode_t":
        return "mode"
    if ctype == "pid_t":
        return "pid"
    if ctype == "uid_t":
        return "uid"
    if ctype == "gid_t":
        return "gid"
    if ctype == "size_t":
        return "size"
    if name == "sig":
        return "signal"
    if name in ("flags", "flag") or name.endswith("_flags"):
        return "flags"
    if ctype.startswith("unsigned") or ctype in ("u32", "u64", "size_t", "rwf_t", "aio_context_t", "qid_t",
                                                 "key_serial_t", "timer_t", "unsigned"):
        return "uint"
    return "int"


def prototypes():
    out = {}
    for raw in open(PROTOS):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"(\w+)\s+(\w+)\((.*)\)$", line)
        if not m:
            sys.exit("bad prototype line: " + line)
        category, name, arglist = m.groups()
        params = []
        for arg in [a.strip() for a in arglist.split(",") if a.strip()]:
            am = re.match(r"(.*?)(\w+)$", arg)
            ctype, pname = am.group(1).strip(), am.group(2)
            params.append((pname, param_type(ctype, pname, name)))
        if len(params) > 6:
            sys.exit("more than 6 parameters: " + name)
        out[name] = (category, params)
    return out


def render():
    x86 = x86_numbers()
    arm = aarch64_numbers()
    for name, (xn, an) in NEWER.items():
        if xn is not None:
            x86.setdefault(name, xn)
        if an is not None:
            arm.setdefault(name, an)
    protos = prototypes()
    names = sorted(set(x86) | set(arm))
    missing = [n for n in names if n not in protos]
    if missing:
        sys.exit("no prototype in tools/syscall-prototypes.txt for: " + " ".join(missing))
    for arch, table in (("x86_64", x86), ("aarch64", arm)):
        seen = {}
        for n, nr in table.items():
            if nr in seen:
                sys.exit("%s: %s and %s share number %d" % (arch, n, seen[nr], nr))
            seen[nr] = n
    lines = [
        "// Generated by tools/gen-syscall-table.py from the kernel's unistd headers and tools/syscall-prototypes.txt.",
        "// Do not edit: change the inputs and run the script. Curated parameter types: SyscallCatalog.swift.",
        "",
        "/// Every syscall of x86_64 and aarch64: numbers, category and parameters derived from the kernel prototype.",
        "enum GeneratedSyscalls {",
        "    /// Rows sorted by name.",
        "    static let rows: [GeneratedSyscall] = [",
    ]
    for n in names:
        category, params = protos[n]
        ps = ", ".join('P("%s", .%s)' % (p, t) for p, t in params)
        xn = x86.get(n)
        an = arm.get(n)
        lines.append('        G("%s", %s, %s, .%s, [%s]),' % (
            n, "nil" if xn is None else xn, "nil" if an is None else an, category, ps))
    lines += ["    ]", "", "    /// Syscall counts per architecture, for the coverage test.",
              "    static let x86_64Count = %d" % len(x86), "    static let aarch64Count = %d" % len(arm),
              "}", ""]
    return "\n".join(lines)


def btf_check():
    """Prints where tools/syscall-prototypes.txt disagrees with the kernel's BTF function prototypes."""
    raw = subprocess.run(["bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "raw"],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    protos, cur = {}, None
    for line in raw:
        m = re.match(r"\[(\d+)\] FUNC_PROTO '\(anon\)' ret_type_id=\d+ vlen=\d+", line)
        if m:
            cur = int(m.group(1))
            protos[cur] = []
            continue
        m = re.match(r"\t'(\w+)' type_id=\d+", line)
        if m and cur is not None:
            protos[cur].append(m.group(1))
            continue
        cur = None
    mine = {name: [p for p, _ in params] for name, (_, params) in prototypes().items()}
    checked = differ = 0
    for line in raw:
        m = re.match(r"\[\d+\] FUNC '__(?:do|se)_sys_(\w+)' type_id=(\d+)", line)
        if not m or m.group(1) not in mine:
            continue
        names = [n for n in protos.get(int(m.group(2)), []) if n != "__unused"]
        checked += 1
        if names != mine[m.group(1)]:
            differ += 1
            print("%s: BTF %s, prototypes file %s" % (m.group(1), names, mine[m.group(1)]))
    print("BTF check: %d syscalls compared, %d differ" % (checked, differ))


def main():
    if "--btf" in sys.argv:
        btf_check()
    text = render()
    if "--check" in sys.argv:
        current = open(OUT).read() if os.path.exists(OUT) else ""
        if current != text:
            sys.exit("GeneratedSyscalls.swift is stale: run tools/gen-syscall-table.py")
        return
    with open(OUT, "w") as f:
        f.write(text)
    print("wrote %s" % OUT)


if __name__ == "__main__":
    main()
