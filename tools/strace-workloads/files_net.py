"""A Python workload for tools/strace-compare: files, TCP, UDP and a subprocess."""
import os
import socket
import subprocess
import tempfile

d = tempfile.mkdtemp(prefix="kcap-cmp-")
p = os.path.join(d, "data.txt")
with open(p, "w") as f:
    f.write("line one\nline two\n")
with open(p) as f:
    f.read()
os.rename(p, p + ".old")
os.stat(p + ".old")
os.chmod(p + ".old", 0o600)
os.symlink(p + ".old", p + ".link")
os.readlink(p + ".link")
os.mkdir(os.path.join(d, "sub"))
os.listdir(d)
os.getcwd()

# TCP on loopback
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
c = socket.create_connection(srv.getsockname())
s, _ = srv.accept()
c.sendall(b"GET / HTTP/1.0\r\n\r\n")
s.recv(100)
s.sendall(b"HTTP/1.0 200 OK\r\n\r\nbody")
c.recv(100)
c.shutdown(socket.SHUT_WR)
for x in (c, s, srv):
    x.close()

# UDP
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
v.sendto(b"hello udp", u.getsockname())
u.recvfrom(100)
v.connect(u.getsockname())
v.send(b"connected udp")
u.recv(100)
u.close()
v.close()

# a subprocess
out = subprocess.run(["/bin/echo", "from a child"], capture_output=True, check=True).stdout
subprocess.run(["sh", "-c", "exit 3"])

for name in os.listdir(d):
    q = os.path.join(d, name)
    os.rmdir(q) if os.path.isdir(q) and not os.path.islink(q) else os.unlink(q)
os.rmdir(d)
