#!/usr/bin/env python3
"""The eight commands of issue 10 through tools/strace_compare.py, with what they need set up around them:
a git repository, a loopback HTTP server, a directory to tar, a file to cat, a compiled C program.

Usage: strace_compare_suite.py [--json] [--kcap PATH] [--only NAME,...] [--gaps N]
Prints a table (or, with --json, one JSON object: {"commands": [...], "total": {...}}).
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import strace_compare as sc  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
WORKLOADS = os.path.join(HERE, "strace-workloads")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def setup(work):
    """Builds what the commands need; returns (commands, cleanup)."""
    env = dict(os.environ, GIT_AUTHOR_NAME="k", GIT_AUTHOR_EMAIL="k@example.com", GIT_COMMITTER_NAME="k",
               GIT_COMMITTER_EMAIL="k@example.com", HOME=work)
    repo = os.path.join(work, "repo")
    os.makedirs(os.path.join(repo, "src"))
    for i in range(5):
        with open(os.path.join(repo, "src", "f%d.txt" % i), "w") as f:
            f.write("file %d\n" % i * 20)
    subprocess.run(["git", "init", "-q", repo], check=True, env=env)
    subprocess.run(["git", "-C", repo, "add", "."], check=True, env=env)
    subprocess.run(["git", "-C", repo, "commit", "-qm", "one"], check=True, env=env)
    with open(os.path.join(repo, "src", "f1.txt"), "a") as f:
        f.write("changed\n")
    with open(os.path.join(repo, "new.txt"), "w") as f:
        f.write("untracked\n")

    www = os.path.join(work, "www")
    os.makedirs(www)
    with open(os.path.join(www, "index.txt"), "w") as f:
        f.write("hello over http\n" * 50)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)],
                              cwd=www, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)

    tree = os.path.join(work, "tree")
    os.makedirs(os.path.join(tree, "a", "b"))
    for i in range(8):
        with open(os.path.join(tree, "a" if i % 2 else "a/b", "t%d.txt" % i), "w") as f:
            f.write("tar me %d\n" % i * 100)
    small = os.path.join(work, "small.txt")
    with open(small, "w") as f:
        f.write("four score and seven years ago\n" * 10)

    exe = os.path.join(work, "threads")
    subprocess.run(["gcc", "-O1", "-pthread", "-o", exe, os.path.join(WORKLOADS, "threads.c")], check=True)

    commands = [
        ("ls", ["ls", "-la", "/etc"]),
        ("git", ["env", "HOME=" + work, "git", "-C", repo, "status"]),
        ("curl", ["curl", "-s", "-o", "/dev/null", "http://127.0.0.1:%d/index.txt" % port]),
        ("python-files-net", [sys.executable, os.path.join(WORKLOADS, "files_net.py")]),
        ("tar", ["tar", "czf", os.path.join(work, "tree.tgz"), "-C", work, "tree"]),
        ("sh-pipe", ["sh", "-c", "cat %s | wc -c" % small]),
        ("c-threads", [exe]),
        ("python-sockets", [sys.executable, os.path.join(WORKLOADS, "sockets.py")]),
    ]

    def cleanup():
        server.terminate()
        server.wait()

    return commands, cleanup


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kcap")
    p.add_argument("--json", action="store_true")
    p.add_argument("--only", default="")
    p.add_argument("--gaps", type=int, default=10)
    p.add_argument("--keep", metavar="DIR", help="keep each command's capture and strace output under DIR")
    args = p.parse_args()
    work = tempfile.mkdtemp(prefix="kcap-strace-suite-")
    commands, cleanup = setup(work)
    only = set(filter(None, args.only.split(",")))
    results = []
    total = sc.Tally()
    try:
        for label, cmd in commands:
            if only and label not in only:
                continue
            ns = argparse.Namespace(kcap=args.kcap, keep=os.path.join(args.keep, label) if args.keep else None,
                                    command=cmd, snaplen=80)
            t, threads, status = sc.run(ns)
            total.add(t)
            d = t.as_dict()
            d.update(label=label, threads=len(threads), status=status,
                     gaps=[{"what": w, "why": y, "count": n, "example": t.examples[(w, y)][:300]}
                           for (w, y), n in t.gaps.most_common(args.gaps)])
            results.append(d)
            if not args.json:
                sc.report(label, t, threads, args.gaps, sys.stdout)
                sys.stdout.flush()
    finally:
        cleanup()
        shutil.rmtree(work, ignore_errors=True)
    td = total.as_dict()
    td["gaps"] = [{"what": w, "why": y, "count": n, "example": total.examples[(w, y)][:300]}
                  for (w, y), n in total.gaps.most_common(args.gaps * 3)]
    if args.json:
        json.dump({"commands": results, "total": td}, sys.stdout)
        sys.stdout.write("\n")
        return
    print()
    print("%-18s %7s %8s %8s %8s %8s" % ("command", "calls", "names", "results", "values", "args"))
    for d in results:
        print("%-18s %7d %7.2f%% %7.2f%% %7.2f%% %7.2f%%" % (
            d["label"], d["calls"], sc.pct(d["names"], d["calls"]), sc.pct(d["results"], d["calls"]),
            sc.pct(d["values_agree"], d["values"]), sc.pct(d["args_agree"], d["args"])))
    print("%-18s %7d %7.2f%% %7.2f%% %7.2f%% %7.2f%%" % (
        "all", td["calls"], sc.pct(td["names"], td["calls"]), sc.pct(td["results"], td["calls"]),
        sc.pct(td["values_agree"], td["values"]), sc.pct(td["args_agree"], td["args"])))
    print("\nlargest gaps overall:")
    for g in td["gaps"]:
        print("  %6d  %-28s %-18s %s" % (g["count"], g["what"], g["why"], g["example"][:200]))


if __name__ == "__main__":
    main()
