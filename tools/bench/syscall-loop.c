/*
 * syscall-loop: the syscall-heavy workload of the recorder targets (issue 3). Each iteration does
 * openat + read + close + getppid on a small file; runs for SECONDS and prints syscalls per second.
 * Usage: syscall-loop [SECONDS [FILE]]   (defaults: 5, /etc/hostname)
 * Build: cc -O2 -o syscall-loop tools/bench/syscall-loop.c
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 5;
	const char *path = argc > 2 ? argv[2] : "/etc/hostname";
	char buf[256];
	unsigned long long calls = 0;
	double start = now(), end = start + seconds, t = start;
	while (t < end) {
		/* Check the clock every 1024 iterations: clock_gettime is a vDSO call, but keep it off the count. */
		for (int i = 0; i < 1024; i++) {
			int fd = openat(AT_FDCWD, path, O_RDONLY);
			if (fd < 0) {
				perror(path);
				return 1;
			}
			if (read(fd, buf, sizeof(buf)) < 0) {
				perror("read");
				return 1;
			}
			close(fd);
			getppid();
		}
		calls += 4 * 1024;
		t = now();
	}
	printf("%.0f syscalls/s\n", calls / (t - start));
	return 0;
}
