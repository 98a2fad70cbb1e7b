/*
 * syscall-loop: the syscall-heavy workload of the recorder targets (issue 3). Each iteration does
 * openat + read + close + getppid on a small file; runs for SECONDS and prints syscalls per second.
 * Usage: syscall-loop [SECONDS [FILE [RATE]]]   (defaults: 5, /etc/hostname, unlimited)
 *   RATE: syscalls per second to aim for (paced in batches; used for the recorder-CPU target at 100k/s)
 * Build: cc -O2 -o syscall-loop tools/bench/syscall-loop.c
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <math.h>
#include <sys/resource.h>

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
	double rate = argc > 3 ? atof(argv[3]) : 0;
	/* Paced runs use small batches so the sleeps stay short and the rate even. */
	int batch = rate > 0 ? 64 : 1024;
	char buf[256];
	unsigned long long calls = 0;
	double start = now(), end = start + seconds, t = start;
	while (t < end) {
		/* Check the clock every 1024 iterations: clock_gettime is a vDSO call, but keep it off the count. */
		for (int i = 0; i < batch; i++) {
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
		calls += 4 * (unsigned long long)batch;
		t = now();
		if (rate > 0) {
			double due = start + calls / rate; /* when this many calls are due at RATE */
			if (due > t) {
				struct timespec d = { (time_t)(due - t), (long)(fmod(due - t, 1.0) * 1e9) };
				nanosleep(&d, NULL);
				t = now();
			}
		}
	}
	/*
	 * CPU time per syscall (user + system, this process only) next to the rate: on a shared machine the rate
	 * also measures whoever else wants the CPU, the CPU time much less so.
	 */
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	printf("%.0f syscalls/s %.0f ns-cpu/syscall\n", calls / (t - start), cpu * 1e9 / calls);
	return 0;
}
