#!/usr/bin/env bash
# One host's workload for tools/fleet-demo.sh: a web host (web*) serves files over HTTP on 127.0.0.2 and fetches
# them with curl, and queries a "database" on 127.0.0.3; a database host (db*) serves those queries on 127.0.0.3
# and writes a journal with fsync. Loopback only: nothing leaves the machine.
#   tools/fleet-workload.sh ROLE [ROUNDS]
set -u
role=$1
rounds=${2:-20}
dir=$(mktemp -d /tmp/kcap-fleet-work.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$dir"' EXIT
# A port per run, so hosts recorded one after another never meet a socket in TIME_WAIT.
port=$((20000 + RANDOM % 20000))

db_server() {  # answers each line with its length, on 127.0.0.3:$1
    python3 - "$1" <<'PY' &
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.3", int(sys.argv[1]))); s.listen(16); s.settimeout(10)
try:
    while True:
        c, _ = s.accept()
        with c:
            for line in c.makefile("rb"):
                c.sendall(b"%d\n" % len(line))
except OSError:
    pass
PY
}

db_client() {  # N queries to 127.0.0.3:$1
    python3 - "$1" "$2" <<'PY'
import socket, sys, time
for _ in range(50):
    try:
        c = socket.create_connection(("127.0.0.3", int(sys.argv[1]))); break
    except OSError:
        time.sleep(0.05)
for i in range(int(sys.argv[2])):
    c.sendall(b"SELECT %d\n" % i); c.recv(64)
c.close()
PY
}

case "$role" in
web*)
    for i in 1 2 3; do head -c $((i * 4096)) /dev/urandom > "$dir/page$i.html"; done
    (cd "$dir" && exec python3 -m http.server --bind 127.0.0.2 "$port" >/dev/null 2>&1) &
    db_server $((port + 1))
    for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.2:$port/" && break; sleep 0.05; done
    for i in $(seq "$rounds"); do
        curl -s -o /dev/null "http://127.0.0.2:$port/page$((i % 3 + 1)).html"
        cat /nonexistent/kcap-fleet 2>/dev/null
    done
    db_client $((port + 1)) "$rounds"
    ;;
db*)
    db_server "$port"
    db_client "$port" $((rounds * 5))
    python3 - "$dir" "$rounds" <<'PY'
import os, sys
with open(os.path.join(sys.argv[1], "journal"), "ab") as f:
    for i in range(int(sys.argv[2]) * 5):
        f.write(b"record %d\n" % i); f.flush(); os.fsync(f.fileno())
PY
    ;;
*)
    echo "usage: $0 web*|db* [ROUNDS]" >&2
    exit 2
    ;;
esac
exit 0
