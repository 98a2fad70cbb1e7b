/*
 * workload.c: the recorder tests' known workload. Every step makes syscalls whose arguments and results the
 * test knows in advance, and RecorderTests asserts that each one is in the capture as made.
 * Usage: workload DIR [STEPS]   DIR: an empty scratch directory; STEPS: comma-separated among files, net,
 * thread, fork, exec, fail (default: files,net,thread,fork,exec). Exits 42 when every step worked, else 1.
 * Facts the test cannot know beforehand (ports, pids) are written to DIR/facts.txt at the end.
 * tools/make-fixtures.sh runs the steps one group at a time for the fixtures.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(cond, what) do { if (!(cond)) { fprintf(stderr, "workload: %s failed: %s\n", what, strerror(errno)); exit(1); } } while (0)

static const char payload[] = "hello kcap workload\n"; /* 20 bytes */

static void *thread_main(void *arg) {
	(void)arg;
	/* A failing open only this thread makes, so the test can find the thread's syscalls. */
	int fd = open("thread_marker_missing", O_RDONLY);
	CHECK(fd < 0 && errno == ENOENT, "thread open");
	return NULL;
}

static unsigned short bound_port(int fd) {
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	CHECK(getsockname(fd, (struct sockaddr *)&a, &len) == 0, "getsockname");
	return ntohs(a.sin_port);
}

static int want(const char *steps, const char *step) {
	size_t n = strlen(step);
	for (const char *p = steps; (p = strstr(p, step)) != NULL; p += n)
		if ((p == steps || p[-1] == ',') && (p[n] == ',' || p[n] == 0))
			return 1;
	return 0;
}

/* Syscalls that fail with known errnos. */
static void failing(void) {
	CHECK(open("missing_dir/none.txt", O_RDONLY) < 0 && errno == ENOENT, "ENOENT");
	CHECK(mkdir(".", 0755) < 0 && errno == EEXIST, "EEXIST");
	char b[4];
	CHECK(read(987, b, sizeof b) < 0 && errno == EBADF, "EBADF");
	CHECK(unlink("never_created.txt") < 0 && errno == ENOENT, "unlink ENOENT");
	CHECK(rmdir("/") < 0, "rmdir /");
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in closed = { .sin_family = AF_INET, .sin_port = htons(1), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	CHECK(connect(s, (struct sockaddr *)&closed, sizeof closed) < 0 && errno == ECONNREFUSED, "ECONNREFUSED");
	close(s);
	CHECK(kill(999999, 0) < 0 && errno == ESRCH, "ESRCH");
}

int main(int argc, char **argv) {
	CHECK(argc == 2 || argc == 3, "usage: workload DIR [STEPS]");
	const char *steps = argc == 3 ? argv[2] : "files,net,thread,fork,exec";
	CHECK(chdir(argv[1]) == 0, "chdir");
	unsigned short tcp_port = 0, client_port = 0, udp_port = 0;
	pid_t child = 0, execer = 0;
	char buf[64];
	int status;

	if (want(steps, "fail"))
		failing();

	if (want(steps, "files")) {
		/* Files: create, write, read back, a missing file, rename, mkdir/rmdir, unlink. */
		int fd = open("wl_file.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
		CHECK(fd >= 0, "open for write");
		CHECK(write(fd, payload, 20) == 20, "write");
		CHECK(close(fd) == 0, "close");
		fd = open("wl_file.txt", O_RDONLY);
		CHECK(fd >= 0, "open for read");
		CHECK(read(fd, buf, sizeof buf) == 20, "read");
		close(fd);
		CHECK(open("does_not_exist.txt", O_RDONLY) < 0 && errno == ENOENT, "failed open");
		CHECK(rename("wl_file.txt", "wl_renamed.txt") == 0, "rename");
		CHECK(mkdir("wl_dir", 0755) == 0, "mkdir");
		CHECK(rmdir("wl_dir") == 0, "rmdir");
		CHECK(unlink("wl_renamed.txt") == 0, "unlink");
	}

	if (want(steps, "net")) {
		/* TCP over loopback: listen, connect, exchange "ping"/"pong". */
		struct sockaddr_in lo = { .sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		int srv = socket(AF_INET, SOCK_STREAM, 0);
		CHECK(srv >= 0, "socket tcp");
		CHECK(bind(srv, (struct sockaddr *)&lo, sizeof lo) == 0, "bind tcp");
		CHECK(listen(srv, 1) == 0, "listen");
		tcp_port = bound_port(srv);
		int cli = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in to = lo;
		to.sin_port = htons(tcp_port);
		CHECK(connect(cli, (struct sockaddr *)&to, sizeof to) == 0, "connect");
		struct sockaddr_in peer;
		socklen_t plen = sizeof peer;
		int acc = accept(srv, (struct sockaddr *)&peer, &plen);
		CHECK(acc >= 0, "accept");
		CHECK(write(cli, "ping", 4) == 4, "tcp write");
		CHECK(read(acc, buf, sizeof buf) == 4, "tcp read");
		CHECK(write(acc, "pong", 4) == 4, "tcp write back");
		CHECK(read(cli, buf, sizeof buf) == 4, "tcp read back");
		client_port = bound_port(cli);
		close(acc); close(cli); close(srv);

		/* UDP over loopback: sendto and recvfrom. */
		int ua = socket(AF_INET, SOCK_DGRAM, 0), ub = socket(AF_INET, SOCK_DGRAM, 0);
		CHECK(ua >= 0 && ub >= 0, "socket udp");
		CHECK(bind(ub, (struct sockaddr *)&lo, sizeof lo) == 0, "bind udp");
		udp_port = bound_port(ub);
		struct sockaddr_in uto = lo;
		uto.sin_port = htons(udp_port);
		CHECK(sendto(ua, "udp-hello", 9, 0, (struct sockaddr *)&uto, sizeof uto) == 9, "sendto");
		struct sockaddr_in from;
		socklen_t flen = sizeof from;
		CHECK(recvfrom(ub, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen) == 9, "recvfrom");
		close(ua); close(ub);
	}

	if (want(steps, "thread")) {
		/* A thread. */
		pthread_t th;
		CHECK(pthread_create(&th, NULL, thread_main, NULL) == 0, "pthread_create");
		pthread_join(th, NULL);
	}

	if (want(steps, "fork")) {
		/* fork: the child exits 7. */
		child = fork();
		CHECK(child >= 0, "fork");
		if (child == 0) _exit(7);
		CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 7, "wait fork child");

	}

	if (want(steps, "exec")) {
		/* fork + exec of a known binary with known argv. */
		execer = fork();
		CHECK(execer >= 0, "fork for exec");
		if (execer == 0) {
			char *args[] = { "true", "kcap-arg1", "kcap arg 2", NULL };
			execv("/bin/true", args);
			_exit(99);
	}
	CHECK(waitpid(execer, &status, 0) == execer && WIFEXITED(status) && WEXITSTATUS(status) == 0, "wait exec child");
	}

	FILE *facts = fopen("facts.txt", "w");
	CHECK(facts != NULL, "facts");
	fprintf(facts, "tcp_port=%u\nclient_port=%u\nudp_port=%u\nfork_child=%d\nexec_child=%d\npid=%d\n",
	        tcp_port, client_port, udp_port, (int)child, (int)execer, (int)getpid());
	fclose(facts);
	exit(42);
}
