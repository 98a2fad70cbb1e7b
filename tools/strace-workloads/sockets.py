"""A Python workload for tools/strace-compare: sendfile, accept4, sendmsg/recvmsg, memfd and prctl."""
import ctypes
import os
import socket
import sys
import tempfile

libc = ctypes.CDLL(None, use_errno=True)
PR_SET_NAME = 15
libc.prctl(PR_SET_NAME, b"kcap-sockets", 0, 0, 0)

# memfd: named, written, read back
fd = os.memfd_create("kcap-scratch", os.MFD_CLOEXEC)
os.write(fd, b"hello from a memfd\n")
os.lseek(fd, 0, os.SEEK_SET)
os.read(fd, 64)

# a TCP listener, a connection accepted with accept4 (Python uses it), sendfile from a file
with tempfile.NamedTemporaryFile(delete=False) as f:
    f.write(b"0123456789" * 100)
    path = f.name
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(1)
cli = socket.create_connection(srv.getsockname())
conn, _ = srv.accept()
with open(path, "rb") as src:
    os.sendfile(conn.fileno(), src.fileno(), 0, 1000)
got = b""
while len(got) < 1000:
    got += cli.recv(4096)
conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

# sendmsg/recvmsg with two buffers, and over UDP with a destination address
conn.sendmsg([b"first ", b"second\n"])
cli.recvmsg(64)
u1 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u1.bind(("127.0.0.1", 0))
u2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u2.sendmsg([b"datagram ", b"by sendmsg"], [], 0, u1.getsockname())
u1.recvmsg(64)
u2.sendto(b"datagram by sendto", u1.getsockname())
u1.recvfrom(64)

# a unix socket pair passing an fd (SCM_RIGHTS)
a, b = socket.socketpair()
a.sendmsg([b"fd"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, bytes(ctypes.c_int(fd)))])
b.recvmsg(16, socket.CMSG_SPACE(4))

for s in (cli, conn, srv, u1, u2, a, b):
    s.close()
os.unlink(path)
os.close(fd)
sys.stdout.write("ok\n")
