/*
 * A small program for tools/strace-compare: pthreads, epoll, ioctl and signals, each a few times, so the
 * comparison sees futex, clone3, epoll_create1/ctl/wait, eventfd, ioctl requests, rt_sigaction, kill/tgkill,
 * signal deliveries and rt_sigreturn, wait4 and exit codes. Deterministic: no timing decides what is called.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static volatile sig_atomic_t got_usr1, got_usr2;
static int efd;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int ready;

static void on_usr1(int sig) { (void)sig; got_usr1++; }
static void on_usr2(int sig) { (void)sig; got_usr2++; }

static void *worker(void *arg)
{
	int n = (int)(intptr_t)arg;
	prctl(PR_SET_NAME, n == 0 ? "worker-a" : "worker-b", 0, 0, 0);
	uint64_t one = 1;
	if (write(efd, &one, sizeof(one)) != sizeof(one))
		perror("write eventfd");
	pthread_mutex_lock(&lock);
	while (!ready)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR2, &sa, NULL);

	/* ioctl: a terminal request on a non-terminal, a socket's pending bytes, FIOCLEX */
	struct termios t;
	int devnull = open("/dev/null", O_RDWR);
	if (ioctl(devnull, TCGETS, &t) == 0)
		puts("a tty?");
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
	if (write(sv[0], "ping", 4) != 4)
		perror("write");
	int pending = 0;
	ioctl(sv[1], FIONREAD, &pending);
	ioctl(devnull, FIOCLEX);
	int nb = 1;
	ioctl(sv[1], FIONBIO, &nb);

	/* epoll over an eventfd the threads write */
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = efd };
	epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
	struct epoll_event ev2 = { .events = EPOLLIN | EPOLLRDHUP, .data.fd = sv[1] };
	epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev2);

	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, worker, (void *)(intptr_t)i);
	uint64_t total = 0;
	while (total < 2) {
		struct epoll_event out[4];
		int n = epoll_wait(ep, out, 4, 1000);
		for (int i = 0; i < n; i++) {
			if (out[i].data.fd == efd) {
				uint64_t v;
				if (read(efd, &v, sizeof(v)) == sizeof(v))
					total += v;
			} else {
				char buf[8];
				if (read(sv[1], buf, sizeof(buf)) < 0)
					perror("read");
			}
		}
	}
	epoll_ctl(ep, EPOLL_CTL_DEL, sv[1], NULL);
	pthread_mutex_lock(&lock);
	ready = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);

	/* signals: to ourselves, to a thread, and a child's exit */
	kill(getpid(), SIGUSR1);
	syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2);
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	kill(getpid(), SIGUSR1);
	sigprocmask(SIG_SETMASK, &old, NULL);
	pid_t child = fork();
	if (child == 0)
		_exit(3);
	int status;
	waitpid(child, &status, 0);
	child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	kill(child, SIGTERM);
	waitpid(child, &status, 0);
	printf("usr1=%d usr2=%d total=%llu\n", got_usr1, got_usr2, (unsigned long long)total);
	return 0;
}
