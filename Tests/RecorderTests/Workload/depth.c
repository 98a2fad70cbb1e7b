/*
 * The payloads of issue 10 for DecodingDepthRecordingTests, each once: a failed exec (its argv), a successful
 * one (in a child), readv and writev over three iovecs, getcwd, readlink, *xattr, memfd_create, prctl
 * (PR_SET_NAME), a UDP datagram by sendmsg, wait4 of a child that exits 5, and a signal handled (its delivery,
 * then rt_sigreturn). Run in a directory of its own: argv[1].
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static void on_usr1(int sig) { (void)sig; got = 1; }

int main(int argc, char **argv)
{
	if (argc < 2 || chdir(argv[1]) != 0)
		return 2;
	char *args[] = { "kcap-no-such-program", "first arg", "--second", NULL };
	execv("/nonexistent/kcap-no-such-program", args);

	int fd = open("iov.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
	struct iovec out[3] = { { "alpha ", 6 }, { "beta ", 5 }, { "gamma\n", 6 } };
	if (writev(fd, out, 3) != 17)
		return 3;
	lseek(fd, 0, SEEK_SET);
	char a[4], b[4], c[32];
	struct iovec in[3] = { { a, 4 }, { b, 4 }, { c, sizeof(c) } };
	if (readv(fd, in, 3) != 17)
		return 4;
	close(fd);

	char cwd[4096];
	if (!getcwd(cwd, sizeof(cwd)))
		return 5;
	if (symlink("iov.txt", "link.txt") != 0)
		return 6;
	char target[64];
	if (readlink("link.txt", target, sizeof(target)) != 7)
		return 7;
	char value[64];
	getxattr("iov.txt", "user.kcap", value, sizeof(value));

	int m = memfd_create("kcap-depth", MFD_CLOEXEC);
	if (m < 0 || write(m, "x", 1) != 1)
		return 8;
	close(m);
	prctl(PR_SET_NAME, "kcap-renamed", 0, 0, 0);

	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct iovec dv[2] = { { "dgram ", 6 }, { "by sendmsg", 10 } };
	struct msghdr msg = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = dv, .msg_iovlen = 2 };
	if (sendmsg(u, &msg, 0) != 16)
		return 9;
	close(u);

	pid_t child = fork();
	if (child == 0) {
		execl("/bin/sh", "sh", "-c", "exit 5", (char *)NULL);
		_exit(127);
	}
	int status = 0;
	waitpid(child, &status, 0);

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	kill(getpid(), SIGUSR1);
	return got && WIFEXITED(status) && WEXITSTATUS(status) == 5 ? 0 : 10;
}
