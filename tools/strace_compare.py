#!/usr/bin/env python3
"""strace-compare: how much of what `strace -f` shows a kcap capture shows too.

One run, two tracers: `kcap record -w K -- strace -f -qq -s 256 -o S -- CMD...` records the command under
strace, so both see the same threads (same tids), the same syscalls and the same results; nothing differs but
what each tracer decodes. (Two separate runs would add the noise of two executions: other pids, other
addresses, other poll counts.) strace's own syscalls are in the capture too, on a thread strace never names,
and are left out, as are the syscalls its child makes between fork and the traced exec.

Per thread the two call sequences are aligned by name (difflib), and over strace's calls it reports:
  calls     strace's syscalls (and signal deliveries, `--- SIGCHLD ... ---`, as `signaldeliver`)
  names     ... found in kcap's events with the same name, aligned in the same thread
  results   ... found with the same name and the same result (`?` must be no result at all)
  args      every argument strace decodes, i.e. prints as something other than a bare pointer
            (NULL, 0x..., `0x... /* 23 vars */`), compared with kcap's value of that parameter:
            scalars (numbers, flags, symbols), strings, socket addresses, string arrays and fd pairs
            ("values"), and structures the kernel fills or reads (stat buffers, sigaction, sigsets,
            rlimit, pollfd, iovec and msghdr...: "structs"), counted field by field: each field strace
            shows (other than a bare pointer) is one unit, agreeing when kcap shows the same value
            (st_mode as file_mode, a msghdr's msg_name and msg_iov as addr and data, an iovec array's
            bytes as data). "args" in the tables is values and struct fields together.

Usage: strace-compare.sh [--json] [--keep DIR] [--kcap PATH] [--label NAME] [--gaps N] -- CMD [ARGS...]
Root (or CAP_BPF+CAP_PERFMON) is needed to record. Output: the figures and the largest gaps.
"""
import argparse
import collections
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# ---------------------------------------------------------------------------------------------------------
# strace output

STRACE_OPTS = ["-f", "-qq", "-s", "256", "-a", "0"]

LINE_RE = re.compile(r"^(\d+)\s+(.*)$")
UNFINISHED = " <unfinished ...>"
RESUMED_RE = re.compile(r"^<\.\.\. ([a-zA-Z0-9_]+) resumed>\s?(.*)$")


class Call:
    """One syscall (or signal delivery) as a tracer showed it."""

    __slots__ = ("name", "args", "result", "kind", "raw", "params", "types", "extra", "tid")

    def __init__(self, name, args, result, kind="syscall", raw=""):
        self.name = name
        self.args = args          # strace: list of arg texts; kcap: dict name -> value
        self.result = result      # normalised result
        self.kind = kind
        self.raw = raw
        self.params = None
        self.types = None
        self.extra = None
        self.tid = None


def split_top(text, sep=","):
    """Splits at top-level separators, respecting quotes, brackets and comments."""
    out, depth, cur, i, n = [], 0, [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            cur.append(text[i:j])
            i = j
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == sep and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    last = "".join(cur).strip()
    if last or out:
        out.append(last)
    return out


def matching_paren(text, start):
    """Index of the ')' closing the '(' at start, or -1."""
    depth, i, n = 0, start, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 1
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


RESULT_RE = re.compile(r"^=\s+(\S+)(?:\s+(E[A-Z0-9_]+))?(?:\s+\((.*)\))?\s*$")


def parse_result(text):
    """strace's result text -> ('err', NAME) | ('none',) | ('val', int) | ('raw', text)."""
    m = RESULT_RE.match(text.strip())
    if not m:
        return ("raw", text.strip())
    val, err = m.group(1), m.group(2)
    if err:
        return ("err", err)
    if val == "?":
        return ("none",)
    v = parse_int(val)
    return ("val", v) if v is not None else ("raw", val)


def parse_int(s):
    s = s.strip()
    try:
        if re.fullmatch(r"-?0x[0-9a-fA-F]+", s):
            return int(s, 16)
        if re.fullmatch(r"-?0[0-7]+", s):
            return int(s, 8)
        if re.fullmatch(r"-?\d+", s):
            return int(s, 10)
    except ValueError:
        return None
    return None


def parse_strace(path):
    """tid -> [Call] in order, from an `strace -f -o` file."""
    calls = collections.defaultdict(list)
    pending = {}  # tid -> text before <unfinished ...>
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            line = line.rstrip("\n")
            m = LINE_RE.match(line)
            if not m:
                continue
            tid, body = int(m.group(1)), m.group(2)
            if body.startswith("+++"):
                continue
            if body.startswith("---"):
                sig = body[4:].split(" ", 1)[0]
                c = Call("signaldeliver", [sig], ("none",), kind="signal", raw=body)
                c.tid = tid
                calls[tid].append(c)
                continue
            if body.endswith(UNFINISHED):
                pending[tid] = body[: -len(UNFINISHED)]
                continue
            r = RESUMED_RE.match(body)
            if r:
                head = pending.pop(tid, None)
                if head is None:
                    continue
                body = head + r.group(2)
            c = parse_call(body)
            if c is not None:
                c.tid = tid
                calls[tid].append(c)
    return calls


def parse_call(body):
    i = body.find("(")
    if i <= 0 or not re.fullmatch(r"[a-z0-9_]+", body[:i]):
        return None
    name = body[:i]
    j = matching_paren(body, i)
    if j < 0:
        return None
    argtext = body[i + 1:j]
    rest = body[j + 1:].strip()
    args = split_top(argtext) if argtext.strip() else []
    result = parse_result(rest) if rest.startswith("=") else ("none",)
    return Call(name, args, result, raw=body)


# ---------------------------------------------------------------------------------------------------------
# strace argument values

PTR_RE = re.compile(r"^(NULL|0x[0-9a-f]+)(\s*/\*.*\*/)?$")
STR_RE = re.compile(r'^(@?)"((?:[^"\\]|\\.)*)"(\.\.\.)?$', re.S)


def c_unescape(s):
    """strace's C-escaped string body -> bytes."""
    out = bytearray()
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c != "\\":
            out += c.encode("utf-8", errors="surrogateescape")
            i += 1
            continue
        i += 1
        if i >= n:
            break
        c = s[i]
        simple = {"n": 10, "t": 9, "r": 13, "v": 11, "f": 12, "a": 7, "b": 8, "\\": 92, '"': 34, "'": 39, "?": 63}
        if c in simple:
            out.append(simple[c])
            i += 1
        elif c == "x":
            h = s[i + 1:i + 3]
            out.append(int(h, 16))
            i += 3
        elif c in "01234567":
            j = i
            while j < n and j < i + 3 and s[j] in "01234567":
                j += 1
            out.append(int(s[i:j], 8) & 0xFF)
            i = j
        else:
            out += c.encode()
            i += 1
    return bytes(out)


def strip_comment(s):
    return re.sub(r"\s*/\*.*?\*/", "", s).strip()


def sockaddr_text(s):
    """strace's sockaddr struct -> kcap's text (`127.0.0.1:80`, `[::1]:80`, `/path`, `@name`), or None."""
    if not s.startswith("{sa_family="):
        return None
    fam = re.match(r"\{sa_family=([A-Z0-9_]+)", s).group(1)
    if fam == "AF_INET":
        port = re.search(r"sin_port=htons\((\d+)\)", s)
        addr = re.search(r'sin_addr=inet_addr\("([^"]*)"\)', s)
        if port and addr:
            return "%s:%s" % (addr.group(1), port.group(1))
    elif fam == "AF_INET6":
        port = re.search(r"sin6_port=htons\((\d+)\)", s)
        addr = re.search(r'inet_pton\(AF_INET6, "([^"]*)"', s)
        if port and addr:
            return "[%s]:%s" % (addr.group(1), port.group(1))
    elif fam == "AF_UNIX":
        m = re.search(r'sun_path=(@?)"((?:[^"\\]|\\.)*)"', s)
        if not m:
            return ""
        return m.group(1) + c_unescape(m.group(2)).decode("utf-8", "replace")
    elif fam == "AF_UNSPEC":
        return "AF_UNSPEC"
    return fam


def classify(text):
    """Kind of an strace argument: pointer, string, sockaddr, strarray, array, struct, scalar."""
    t = text.strip()
    if PTR_RE.match(t):
        return "pointer"
    if STR_RE.match(t):
        return "string"
    if t.startswith("{sa_family="):
        return "sockaddr"
    if t.startswith("~[") or re.match(r"^\[([A-Z0-9_]+( [A-Z0-9_]+)*)?\]$", t) and not re.match(r"^\[\d", t):
        return "struct"  # a signal set
    if t.startswith("[{") and not t.startswith("[{WIF"):
        return "struct"  # pollfd, epoll_event, iovec... arrays
    if t.startswith("["):
        inner = t[1:-1].strip() if t.endswith("]") else t[1:]
        items = split_top(inner) if inner else []
        if items and all(STR_RE.match(x) or x == "..." for x in items):
            return "strarray"
        return "array"
    if t.startswith("{") or "=>" in t:
        return "struct"
    return "scalar"


# ---------------------------------------------------------------------------------------------------------
# kcap side

NUMERIC_TYPES = {"fd", "dirfd", "int", "uint", "size", "pid", "uid", "gid", "flags", "errno"}


def kcap_events(kcap, capture):
    """tid -> [Call] from `kcap read -j`; the parameter names come from `kcap events --json`."""
    table = json.loads(subprocess.run([kcap, "events", "--json"], check=True, capture_output=True, text=True).stdout)
    rows = {r["name"]: r for r in table}
    out = collections.defaultdict(list)
    proc = subprocess.Popen([kcap, "read", capture, "-j"], stdout=subprocess.PIPE, text=True,
                            encoding="utf-8", errors="replace")
    for line in proc.stdout:
        e = json.loads(line)
        name = e.get("evt.type")
        tid = e.get("thread.tid")
        args = e.get("evt.args", {})
        row = rows.get(name)
        if row is None or row["kind"] != "syscall":
            if name != "signaldeliver" and not (row and row.get("category") == "signal"):
                continue
        if row is not None and row["kind"] == "syscall":
            keys = list(args.keys())
            res_key = keys[0] if keys and keys[0] in ("res", "fd") else None
            if res_key is None:
                result = ("none",)
            elif e.get("evt.res") not in (None, "SUCCESS"):
                result = ("err", e["evt.res"])
            else:
                v = args[res_key]
                if isinstance(v, str):
                    pv = parse_int(v.split("(")[0])
                    result = ("val", pv) if pv is not None else ("raw", v)
                else:
                    result = ("val", v)
            c = Call(name, args, result, raw=line)
            c.params = [p["name"] for p in row["params"]]
            c.types = [p["type"] for p in row["params"]]
        else:
            c = Call(name, args, ("none",), kind="signal", raw=line)
            c.params = list(args.keys())
            c.types = ["signal"] * len(c.params)
        c.tid = tid
        out[tid].append(c)
    proc.wait()
    if proc.returncode:
        raise SystemExit("kcap read failed (%d)" % proc.returncode)
    return out


# ---------------------------------------------------------------------------------------------------------
# comparing one argument

def flag_set(s):
    parts = [strip_comment(p) for p in s.split("|")]
    norm = set()
    for p in parts:
        v = parse_int(p)
        norm.add(v if v is not None else p)
    return norm


SNAPLEN = 80


def str_agree(sbytes, struncated, kval, ktype):
    """An strace string against kcap's text of it (kcap keeps the first --snaplen bytes of a buffer)."""
    if kval is None and ktype in ("path", "string", "buffer"):
        kval = ""  # kcap's JSON leaves out a parameter whose text is empty
    if not isinstance(kval, str):
        return False
    ktext = kval
    ktrunc = False
    if ktype == "buffer" and ktext.endswith("...") and len(ktext) >= 3:
        ktext, ktrunc = ktext[:-3], True
    if ktype in ("buffer",):
        kb = ktext.encode("utf-8", "replace")
        # kcap prints each byte outside printable ASCII as '.'
        n = min(len(kb), len(sbytes))
        for i in range(n):
            k, s = kb[i], sbytes[i]
            if k == s:
                continue
            if k == 0x2E and not (0x20 <= s < 0x7F):
                continue
            return False
        if ktrunc:
            return len(kb) <= len(sbytes) or struncated
        if struncated:
            return len(kb) >= min(len(sbytes), SNAPLEN)
        return len(kb) == min(len(sbytes), SNAPLEN)
    stext = sbytes.decode("utf-8", "replace")
    if struncated:
        return ktext.startswith(stext)
    return ktext == stext


def scalar_agree(stext, kval, ktype):
    s = strip_comment(stext)
    if s == "AT_FDCWD":
        s = "-100"
    if isinstance(kval, bool):
        kval = int(kval)
    if isinstance(kval, (int, float)):
        v = parse_int(s)
        return v is not None and v == kval
    if not isinstance(kval, str):
        return False
    k = kval
    # kcap's fd text: 3(<f>/etc/hosts); dirfd -100(AT_FDCWD)
    m = re.match(r"^(-?\d+)\(", k)
    if m and ktype in ("fd", "dirfd"):
        k = m.group(1)
    if s == k:
        return True
    sv, kv = parse_int(s), parse_int(k)
    if sv is not None and kv is not None:
        return sv == kv
    if ("|" in s or "|" in k or sv is None) and kv is None:
        return flag_set(s) == flag_set(k)
    return False


def arg_agree(kind, stext, kval, ktype):
    """True when kcap's value shows what strace's text shows."""
    t = stext.strip()
    if kind == "string":
        if kval is None:
            kval = ""
        m = STR_RE.match(t)
        sb = c_unescape(m.group(2))
        if m.group(1):
            sb = b"@" + sb
        return str_agree(sb, bool(m.group(3)), kval, ktype)
    if kind == "sockaddr":
        st = sockaddr_text(t)
        return st is not None and isinstance(kval, str) and kval == st
    if kind == "strarray":
        items = split_top(t[1:-1])
        svals = [c_unescape(STR_RE.match(x).group(2)).decode("utf-8", "replace") for x in items if x != "..."]
        if isinstance(kval, list):
            return kval[:len(svals)] == svals if items and items[-1] == "..." else kval == svals
        if isinstance(kval, str):
            return kval == " ".join(svals)
        return False
    if kind == "array":
        inner = t[1:-1]
        items = [strip_comment(x) for x in split_top(inner)] if inner else []
        # fd pairs ([3, 4]) and single out-values ([0]) against kcap's text
        if isinstance(kval, str) and kval.startswith("["):
            return norm_space(t) == norm_space(kval)  # kcap prints it in strace's notation
        if isinstance(kval, str):
            kparts = [re.sub(r"\(.*$", "", x) for x in split_top(kval)]
            return [x for x in items] == kparts or " ".join(items) == kval or inner == kval
        if isinstance(kval, list):
            return [str(x) for x in kval] == items
        if isinstance(kval, int) and len(items) == 1:
            return scalar_agree(items[0], kval, ktype)
        return False
    if kind == "struct":
        if isinstance(kval, str):
            return strip_comment(kval) == strip_comment(t)
        return False
    return scalar_agree(t, kval, ktype)


# Structures strace prints, field by field: which kcap value shows a field (an argument name, or an extra key
# of kcap's JSON such as file_mode), and how to read it. A field kcap does not show counts as a gap.
STAT_FIELDS = {"st_mode": "file_mode", "st_size": "file_size", "stx_mode": "file_mode", "stx_size": "file_size",
               "stx_mask": "stx_mask", "stx_attributes": "stx_attributes"}
STAT_CALLS = {"newfstatat", "fstat", "stat", "lstat", "statx", "fstatat64"}
MSG_CALLS = {"sendmsg", "recvmsg", "sendmmsg", "recvmmsg"}
IOV_CALLS = {"readv", "writev", "preadv", "pwritev", "preadv2", "pwritev2"}


def struct_fields(text):
    """Top-level `name=value` fields of an strace struct `{...}` (`...` and bare pointers left out)."""
    t = text.strip()
    if "=>" in t and t.startswith("{"):
        t = t[:matching_brace(t) + 1]  # clone3's `{...} => {parent_tid=[N]}`: what the call wrote back
    if t.startswith("[") and t.endswith("]"):
        t = t[1:-1].strip()
    if not (t.startswith("{") and t.endswith("}")):
        return []
    out = []
    for f in split_top(t[1:-1]):
        m = re.match(r"^([a-z_0-9]+)=(.*)$", f, re.S)
        if m:
            out.append((m.group(1), m.group(2)))
        elif f and f != "...":
            out.append(("?", f))
    return out


def matching_brace(text):
    """Index of the `}` closing the `{` that starts text (len - 1 when unbalanced)."""
    depth, i = 0, 0
    while i < len(text):
        c = text[i]
        if c == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c in "{[(":
            depth += 1
        elif c in "}])":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(text) - 1


def iov_data(text):
    """The bytes of an iovec array `[{iov_base="...", iov_len=N}, ...]`, concatenated, and whether cut."""
    data, cut = b"", False
    for m in re.finditer(r'iov_base=("(?:[^"\\]|\\.)*")(\.\.\.)?', text):
        data += c_unescape(m.group(1)[1:-1])
        cut = cut or bool(m.group(2))
    return data, cut


def norm_space(v):
    return re.sub(r"\s+", " ", strip_comment(v)).strip()


def field_agree(sv, kv):
    sv, kv = norm_space(sv), norm_space(kv)
    if sv == kv:
        return True
    a, b = parse_int(sv), parse_int(kv)
    if a is not None and b is not None:
        return a == b
    return "|" in sv and flag_set(sv) == flag_set(kv)


def notation_units(text, kval):
    """Field units of a structure kcap prints in strace's own notation (sigaction, rlimit, pollfd arrays,
    signal sets): each field strace shows against kcap's field of that name."""
    t = text.strip()
    if t.startswith("~[") or (t.startswith("[") and not t.startswith("[{")):
        return [("set", norm_space(t) == norm_space(kval))]
    if t.startswith("[{"):
        selems = split_top(t[1:-1]) if t.endswith("]") else []
        kelems = split_top(kval.strip()[1:-1]) if kval.strip().startswith("[") else []
        units = []
        for i, se in enumerate(selems):
            if se == "...":
                continue
            ke = kelems[i] if i < len(kelems) else ""
            units += notation_units(se, ke)
        return units
    kfields = dict(struct_fields(kval))
    units = []
    for name, value in struct_fields(t):
        v = value.strip()
        if PTR_RE.match(v) or v == "...":
            continue
        units.append((name, name in kfields and field_agree(v, kfields[name])))
    return units


def struct_units(sc, kc, pname, text):
    """[(unit label, agrees)] for one strace structure argument, field by field."""
    units = []
    kargs = kc.args if isinstance(kc.args, dict) else {}
    t = text.strip()
    kv = kargs.get(pname) if pname else None
    if isinstance(kv, str) and kv.strip()[:1] in ("{", "[", "~"):
        return notation_units(t, kv)
    if sc.name in IOV_CALLS and t.startswith("[{"):
        sdata, cut = iov_data(t)
        units.append(("iov_base", str_agree(sdata, cut, kargs.get("data"), "buffer")))
        for _ in re.finditer(r"iov_len=", t):
            units.append(("iov_len", False))
        return units
    fields = struct_fields(t)
    if sc.name in MSG_CALLS and fields and fields[0][0] == "msg_hdr":
        inner = struct_fields(fields[0][1])
        fields = inner + fields[1:]
    for name, value in fields:
        v = value.strip()
        if PTR_RE.match(v) or v == "...":
            continue
        if sc.name in STAT_CALLS and name in STAT_FIELDS:
            kv = kargs.get(STAT_FIELDS[name])
            sval = v
            if name.endswith("mode"):
                sval = mode_value(v)
                units.append((name, sval is not None and parse_int(str(kv)) == sval if kv is not None else False))
            else:
                units.append((name, kv is not None and scalar_agree(sval, kv, "int")))
        elif sc.name in MSG_CALLS and name == "msg_name":
            units.append((name, sockaddr_text(v) is not None and kargs.get("addr") == sockaddr_text(v)))
        elif sc.name in MSG_CALLS and name == "msg_iov":
            sdata, cut = iov_data(v)
            units.append((name, str_agree(sdata, cut, kargs.get("data"), "buffer")))
        else:
            units.append((name, False))
    return units


def mode_value(text):
    """`S_IFREG|0644` -> 0o100644."""
    types = {"S_IFSOCK": 0o140000, "S_IFLNK": 0o120000, "S_IFREG": 0o100000, "S_IFBLK": 0o60000,
             "S_IFDIR": 0o40000, "S_IFCHR": 0o20000, "S_IFIFO": 0o10000, "S_ISUID": 0o4000, "S_ISGID": 0o2000,
             "S_ISVTX": 0o1000}
    v = 0
    for p in text.split("|"):
        p = p.strip()
        if p in types:
            v |= types[p]
        else:
            n = parse_int(p)
            if n is None:
                return None
            v |= n
    return v


# clone's arguments print by name, in strace's order
CLONE_NAMES = {"child_stack": "newsp", "stack": "newsp", "flags": "flags", "parent_tid": "parent_tid",
               "parent_tidptr": "parent_tid", "child_tidptr": "child_tid", "tls": "tls"}


def strace_args_by_param(sc, kc):
    """[(index, param name or None, arg text)] pairing strace's arguments with kcap's parameters."""
    out = []
    for i, a in enumerate(sc.args):
        m = re.match(r"^([a-z_]+)=(.*)$", a, re.S)
        if sc.name == "clone" and m:
            out.append((i, CLONE_NAMES.get(m.group(1)), m.group(2)))
            continue
        pname = kc.params[i] if kc.params is not None and i < len(kc.params) else None
        if sc.name == "futex" and i == 4 and len(sc.args) == 5 and "BITSET" in sc.args[1]:
            pname = "val3"  # strace skips uaddr2 for the bitset operations
        out.append((i, pname, a))
    return out


def kcap_value(kc, pname):
    if pname is None or not isinstance(kc.args, dict):
        return None, None
    ktype = None
    if kc.params and pname in kc.params:
        ktype = kc.types[kc.params.index(pname)]
    if pname in kc.args:
        return kc.args[pname], ktype
    return None, ktype


# ---------------------------------------------------------------------------------------------------------
# comparing two runs' threads

class Tally:
    def __init__(self):
        self.calls = 0
        self.names = 0
        self.results = 0
        self.args = collections.Counter()      # kind -> counted
        self.agree = collections.Counter()     # kind -> agreeing
        self.gaps = collections.Counter()      # (what, why) -> count
        self.examples = {}

    def add(self, other):
        self.calls += other.calls
        self.names += other.names
        self.results += other.results
        self.args.update(other.args)
        self.agree.update(other.agree)
        self.gaps.update(other.gaps)
        for k, v in other.examples.items():
            self.examples.setdefault(k, v)

    def gap(self, key, example):
        self.gaps[key] += 1
        self.examples.setdefault(key, example)

    def as_dict(self):
        values = sum(v for k, v in self.args.items() if k != "struct")
        values_ok = sum(v for k, v in self.agree.items() if k != "struct")
        return {
            "calls": self.calls, "names": self.names, "results": self.results,
            "args": sum(self.args.values()), "args_agree": sum(self.agree.values()),
            "values": values, "values_agree": values_ok,
            "by_kind": {k: [self.args[k], self.agree[k]] for k in sorted(self.args)},
        }


def result_agree(sr, kr):
    if sr[0] == "none":
        return kr[0] == "none"
    if sr[0] == "err":
        return kr[0] == "err" and kr[1] == sr[1]
    if sr[0] == "val":
        return kr[0] == "val" and kr[1] == sr[1]
    return False


def compare_thread(scalls, kcalls, tally):
    sn = [c.name for c in scalls]
    kn = [c.name for c in kcalls]
    sm = difflib.SequenceMatcher(None, sn, kn, autojunk=False)
    matched = {}
    for a, b, size in sm.get_matching_blocks():
        for k in range(size):
            matched[a + k] = b + k
    for i, sc in enumerate(scalls):
        tally.calls += 1
        j = matched.get(i)
        if j is None:
            tally.gap((sc.name, "missing"), sc.raw)
            continue
        kc = kcalls[j]
        tally.names += 1
        if result_agree(sc.result, kc.result):
            tally.results += 1
        else:
            tally.gap((sc.name, "result"), "strace: %s | kcap: %s" % (sc.raw, kc.raw.strip()))
        compare_args(sc, kc, tally)


def compare_args(sc, kc, tally):
    if sc.kind == "signal":
        kind = "scalar"
        tally.args[kind] += 1
        ksig = kc.args.get("sig") if isinstance(kc.args, dict) else None
        if ksig == sc.args[0]:
            tally.agree[kind] += 1
        else:
            tally.gap(("signaldeliver", "sig"), "strace: %s | kcap: %s" % (sc.raw, kc.raw.strip()))
        return
    for i, pname, text in strace_args_by_param(sc, kc):
        kind = classify(text)
        kval, ktype = kcap_value(kc, pname)
        if kind == "pointer":
            # a bare pointer, unless kcap types the value as a number strace printed in hex
            if ktype not in NUMERIC_TYPES or text.strip() == "NULL":
                continue
            kind = "scalar"
        if kind == "struct":
            for field, ok in struct_units(sc, kc, pname, text):
                tally.args["struct"] += 1
                if ok:
                    tally.agree["struct"] += 1
                else:
                    tally.gap(("%s.%s" % (sc.name, field), "struct field"),
                              "strace: %s | kcap: %s" % (text[:160], json.dumps(kc.args)[:200]))
            continue
        if kind in ("strarray", "sockaddr", "string", "array"):
            cat = {"strarray": "string", "array": "array"}.get(kind, kind)
        else:
            cat = kind
        tally.args[cat] += 1
        if (kval is not None or ktype in ("path", "string", "buffer")) and arg_agree(kind, text, kval, ktype):
            tally.agree[cat] += 1
        else:
            label = pname or "arg%d" % i
            why = "absent" if kval is None else "differs"
            tally.gap(("%s.%s" % (sc.name, label), "%s %s" % (cat, why)),
                      "strace: %s | kcap: %s=%s" % (text[:160], label, json.dumps(kval)[:160]))


# ---------------------------------------------------------------------------------------------------------

def run(args):
    global SNAPLEN
    SNAPLEN = args.snaplen
    kcap = args.kcap or shutil.which("kcap") or os.path.join(os.path.dirname(__file__), "..", ".build", "debug", "kcap")
    work = args.keep or tempfile.mkdtemp(prefix="kcap-strace-")
    os.makedirs(work, exist_ok=True)
    capture = os.path.join(work, "run.kcap")
    trace = os.path.join(work, "run.strace")
    cmd = [kcap, "record", "-w", capture, "--snaplen", str(args.snaplen), "--",
           "strace"] + STRACE_OPTS + ["-o", trace, "--"] + args.command
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if not os.path.exists(capture) or not os.path.exists(trace):
        sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
        raise SystemExit("recording failed (exit %d)" % proc.returncode)
    sc = parse_strace(trace)
    kc = kcap_events(kcap, capture)
    total = Tally()
    per_thread = {}
    for tid in sorted(sc):
        t = Tally()
        kev = kc.get(tid, [])
        # the strace child's syscalls before the traced exec are not in strace's output
        if sc[tid] and sc[tid][0].name == "execve":
            first = next((k for k, e in enumerate(kev) if e.name == "execve"), None)
            if first is not None:
                kev = kev[first:]
        compare_thread(sc[tid], kev, t)
        per_thread[tid] = t
        total.add(t)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return total, per_thread, proc.returncode


def pct(a, b):
    return 100.0 * a / b if b else 100.0


def report(label, total, per_thread, gaps, out):
    d = total.as_dict()
    out.write("%s: %d threads, %d calls\n" % (label, len(per_thread), d["calls"]))
    out.write("  names    %6d/%-6d %6.2f%%\n" % (d["names"], d["calls"], pct(d["names"], d["calls"])))
    out.write("  results  %6d/%-6d %6.2f%%\n" % (d["results"], d["calls"], pct(d["results"], d["calls"])))
    out.write("  args     %6d/%-6d %6.2f%%   (values %d/%d %.2f%%)\n" % (
        d["args_agree"], d["args"], pct(d["args_agree"], d["args"]),
        d["values_agree"], d["values"], pct(d["values_agree"], d["values"])))
    for k, (n, ok) in d["by_kind"].items():
        out.write("    %-9s%6d/%-6d %6.2f%%\n" % (k, ok, n, pct(ok, n)))
    if gaps:
        out.write("  largest gaps:\n")
        for (what, why), n in total.gaps.most_common(gaps):
            out.write("    %6d  %-28s %-18s %s\n" % (n, what, why, total.examples[(what, why)][:220]))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kcap", help="kcap binary (default: on PATH, else .build/debug/kcap)")
    p.add_argument("--keep", metavar="DIR", help="keep the capture and strace output in DIR")
    p.add_argument("--json", action="store_true", help="print one JSON object (figures and gaps)")
    p.add_argument("--label", default=None)
    p.add_argument("--gaps", type=int, default=15, help="how many of the largest gaps to list")
    p.add_argument("--snaplen", type=int, default=80)
    p.add_argument("command", nargs=argparse.REMAINDER)
    args = p.parse_args()
    if args.command and args.command[0] == "--":
        args.command = args.command[1:]
    if not args.command:
        p.error("no command")
    label = args.label or " ".join(args.command)
    total, per_thread, status = run(args)
    if args.json:
        d = total.as_dict()
        d["label"] = label
        d["threads"] = len(per_thread)
        d["status"] = status
        d["gaps"] = [{"what": w, "why": y, "count": n, "example": total.examples[(w, y)][:300]}
                     for (w, y), n in total.gaps.most_common(args.gaps)]
        json.dump(d, sys.stdout)
        sys.stdout.write("\n")
    else:
        report(label, total, per_thread, args.gaps, sys.stdout)


if __name__ == "__main__":
    main()
