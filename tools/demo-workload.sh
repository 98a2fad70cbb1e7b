#!/usr/bin/env bash
# The built-in workload that tools/demo.sh records: a few seconds of file, process and loopback network
# activity, with some failures, so every part of the summary has something to show.
set -u
dir=$(mktemp -d /tmp/kcap-demo.XXXXXX)
trap 'rm -rf "$dir"' EXIT
end=$((SECONDS + ${1:-3}))
i=0
while [ $SECONDS -lt $end ]; do
    i=$((i + 1))
    echo "line $i" > "$dir/file-$((i % 8))"
    cat "$dir/file-$((i % 8))" /etc/hostname > /dev/null
    cat /nonexistent/kcap-demo 2>/dev/null
    mkdir -p "$dir/d$((i % 4))" && mv "$dir/file-$((i % 8))" "$dir/d$((i % 4))/moved" && rm -f "$dir/d$((i % 4))/moved"
    ls "$dir" > /dev/null
    sleep 0.05
done
# Loopback TCP and UDP, without any network beyond this machine.
python3 - <<'PY'
import socket, threading
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
port = srv.getsockname()[1]
def serve():
    c, _ = srv.accept(); c.sendall(c.recv(64).upper()); c.close()
t = threading.Thread(target=serve); t.start()
cli = socket.create_connection(("127.0.0.1", port)); cli.sendall(b"hello kcap"); cli.recv(64); cli.close(); t.join()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); v.sendto(b"ping", u.getsockname()); u.recvfrom(16)
PY
exit 0
