"""What the export checks share: running kcap, and checking each capture in turn (one JSON line of figures
each on stdout, one line per mismatch on stderr, exit status 1 when any)."""
import json
import subprocess
import sys


def run(cmd):
    """stdout of CMD; exits with its stderr when it fails (status 2, a damaged capture read anyway, is fine)."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 2):
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr.decode(errors='replace')}")
    return p.stdout


def check_each(captures, check):
    """Calls CHECK(capture) -> (problems, figures) for each capture, prints, and exits."""
    failed = False
    for c in captures:
        problems, figures = check(c)
        print(json.dumps(figures, sort_keys=True))
        for p in problems:
            print(f"MISMATCH: {c}: {p}", file=sys.stderr)
        failed = failed or bool(problems)
    sys.exit(1 if failed else 0)
