/*
 * bpf-costs: the user half of tools/bench/bpf-costs.sh. Loads bpf-costs.bpf.o and times each BPF building
 * block of a syscall recorder inside the kernel (bpf-costs.bpf.c says how), in between rounds of a syscall
 * loop of syscall-loop.c's kind run untraced and with empty sys_enter/sys_exit programs (the floor); prints
 * what the building blocks mean for a recorder's ratio against the floor.
 * Usage: bpf-costs OBJ [ITERS [REPS [ROUNDS [ROUND_SECS]]]]   (defaults: 1000, 20, 20, 0.15)
 * Build: see bpf-costs.sh (cc -O2 -I<dir of bpf-costs.h> -o bpf-costs bpf-costs.c -lbpf -lelf -lz)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/types.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "bpf-costs.h"

static const char *const labels[COSTS_OP_COUNT] = {
	[COSTS_OP_EMPTY] = "empty bpf_loop iteration (subtracted from the others)",
	[COSTS_OP_BOOT_NS] = "clock read (bpf_ktime_get_boot_ns)",
	[COSTS_OP_MONO_NS] = "clock read (bpf_ktime_get_ns)",
	[COSTS_OP_USER_STR] = "user string read (bpf_probe_read_user_str, 14-byte path, size 4096)",
	[COSTS_OP_USER_READ] = "user read (bpf_probe_read_user, 80 bytes)",
	[COSTS_OP_KERNEL_READ] = "kernel read (bpf_probe_read_kernel, 8 bytes)",
	[COSTS_OP_RING_RESERVE] = "ring reserve+discard (bpf_ringbuf_reserve 96 bytes)",
	[COSTS_OP_RING_OUTPUT] = "ring output (bpf_ringbuf_output, 160 bytes)",
	[COSTS_OP_TASK_STORAGE] = "task storage (bpf_task_storage_get, create)",
	[COSTS_OP_PCPU_LOOKUP] = "per-CPU array lookup (bpf_map_lookup_elem)",
	[COSTS_OP_CPU_ID] = "cpu id (bpf_get_smp_processor_id)",
	[COSTS_OP_COMM] = "comm (bpf_get_current_comm)",
	[COSTS_OP_STORE96] = "plain store (96 bytes into a map value)",
};

static char path[] = "/etc/hostname"; /* 14 bytes with the NUL */
static char ubuf[256];

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_DEBUG ? 0 : vfprintf(stderr, fmt, ap);
}

static int fail(const char *what)
{
	fprintf(stderr, "bpf-costs: %s: %s\n", what, strerror(errno));
	return 1;
}

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int drain(void *ctx, void *data, size_t size)
{
	return 0;
}

/*
 * syscall-loop.c's iteration for `secs`; returns ns per syscall of this thread's CPU time and sets *wall_ns.
 * CPU time leads because the machine is shared: a round in which the loop waited for a core is long on the
 * wall clock but not on the thread's clock.
 */
static double loop_round(double secs, double *wall_ns)
{
	unsigned long long calls = 0;
	double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_THREAD_CPUTIME_ID), w = w0;

	while (w - w0 < secs) {
		for (int i = 0; i < 256; i++) {
			int fd = openat(AT_FDCWD, path, O_RDONLY);
			if (fd < 0 || read(fd, ubuf, sizeof(ubuf)) < 0) {
				perror(path);
				exit(1);
			}
			close(fd);
			getppid();
		}
		calls += 4 * 256;
		w = clock_s(CLOCK_MONOTONIC);
	}
	*wall_ns = (w - w0) * 1e9 / calls;
	return (clock_s(CLOCK_THREAD_CPUTIME_ID) - c0) * 1e9 / calls;
}

/*
 * One repetition of every op, each timed by one trigger syscall; keeps the minimum per op in best. The trigger
 * is attached only for this, so the syscall rounds run without it. Ops go in turn within a repetition, so a
 * noisy moment costs one repetition of every op rather than every repetition of one.
 */
static int cost_rep(struct bpf_program *trigger, volatile struct costs_globals *g, struct ring_buffer *ring,
		    double *best)
{
	struct bpf_link *link = bpf_program__attach(trigger);
	if (!link)
		return fail("attach costs_trigger");
	for (int op = COSTS_OP_EMPTY; op < COSTS_OP_COUNT; op++) {
		__u64 runs = g->runs;
		g->op = op;
		syscall(SYS_getppid);
		if (g->runs != runs + 1) {
			fprintf(stderr, "bpf-costs: the trigger did not run for op %d\n", op);
			return 1;
		}
		if (g->elapsed_ns < best[op])
			best[op] = g->elapsed_ns;
		ring_buffer__consume(ring);
	}
	g->op = COSTS_OP_NONE;
	bpf_link__destroy(link);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bpf-costs OBJ [ITERS [REPS [ROUNDS [ROUND_SECS]]]]\n");
		return 2;
	}
	unsigned iters = argc > 2 ? atoi(argv[2]) : 1000;
	int reps = argc > 3 ? atoi(argv[3]) : 20;
	int rounds = argc > 4 ? atoi(argv[4]) : 20;
	double round_secs = argc > 5 ? atof(argv[5]) : 0.15;
	if (iters < 1 || reps < 1 || rounds < 1 || round_secs <= 0) {
		fprintf(stderr, "bpf-costs: ITERS, REPS, ROUNDS and ROUND_SECS must be positive\n");
		return 2;
	}
	/* Every ring output of one trigger has to fit, or the later ones would time the failure path. */
	if ((unsigned long long)iters * (COSTS_OUTPUT_BYTES + 8) > COSTS_RING_BYTES) {
		fprintf(stderr, "bpf-costs: ITERS at most %d\n", COSTS_RING_BYTES / (COSTS_OUTPUT_BYTES + 8));
		return 2;
	}
	libbpf_set_print(quiet_print);

	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj)
		return fail("open");
	if (bpf_object__load(obj))
		return fail("load");
	struct bpf_map *bss = bpf_object__find_map_by_name(obj, ".bss");
	if (!bss || bpf_map__value_size(bss) < sizeof(struct costs_globals)) {
		fprintf(stderr, "bpf-costs: no .bss map of the expected size in %s\n", argv[1]);
		return 1;
	}
	/*
	 * libbpf 1.1 without a skeleton keeps its own copy of .bss after load (bpf_map__initial_value is not the
	 * kernel's), so map the kernel's array ourselves; it is BPF_F_MMAPABLE.
	 */
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (bpf_map__value_size(bss) + page - 1) / page * page;
	volatile struct costs_globals *g =
		mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(bss), 0);
	if (g == MAP_FAILED)
		return fail("mmap .bss");

	memset(ubuf, 'x', sizeof(ubuf)); /* both user buffers resident: the reads must not fault */
	g->tgid = getpid();
	g->trigger_nr = SYS_getppid;
	g->iters = iters;
	g->ustr = (__u64)(unsigned long)path;
	g->ubuf = (__u64)(unsigned long)ubuf;
	g->op = COSTS_OP_NONE;

	struct ring_buffer *ring =
		ring_buffer__new(bpf_object__find_map_fd_by_name(obj, "costs_ring"), drain, NULL, NULL);
	if (!ring)
		return fail("ring buffer");
	struct bpf_program *trigger = bpf_object__find_program_by_name(obj, "costs_trigger");
	struct bpf_program *fe = bpf_object__find_program_by_name(obj, "costs_empty_enter");
	struct bpf_program *fx = bpf_object__find_program_by_name(obj, "costs_empty_exit");
	double best[COSTS_OP_COUNT];
	for (int op = COSTS_OP_EMPTY; op < COSTS_OP_COUNT; op++)
		best[op] = 1e300;
	double *none = calloc(rounds, sizeof(double)), *floor = calloc(rounds, sizeof(double));
	double *none_w = calloc(rounds, sizeof(double)), *floor_w = calloc(rounds, sizeof(double));
	int done = 0;

	/* Warm the file and the loop up before the first counted round. */
	loop_round(round_secs, &none_w[0]);
	/*
	 * The repetitions of the building blocks are spread over the syscall rounds rather than run back to back:
	 * this machine's speed drifts by tens of percent over seconds, and the minimum over the whole run is both
	 * steadier from run to run and taken under the same conditions as the loop figures.
	 */
	for (int r = 0; r < rounds; r++) {
		for (; done < (r + 1) * reps / rounds; done++)
			if (cost_rep(trigger, g, ring, best))
				return 1;
		/* Alternate which goes first, so a drift in the machine's load does not favour one side. */
		for (int k = 0; k < 2; k++) {
			if ((r + k) % 2 == 0) {
				none[r] = loop_round(round_secs, &none_w[r]);
				continue;
			}
			struct bpf_link *le = bpf_program__attach(fe), *lx = bpf_program__attach(fx);
			if (!le || !lx)
				return fail("attach the empty programs");
			floor[r] = loop_round(round_secs, &floor_w[r]);
			bpf_link__destroy(le);
			bpf_link__destroy(lx);
		}
	}
	ring_buffer__free(ring);
	if (g->fails)
		printf("note: %llu helper calls failed; their figures are off\n", (unsigned long long)g->fails);

	double ns[COSTS_OP_COUNT];
	printf("BPF building blocks, ns per operation (min of %d runs of bpf_loop(%u) spread over the run, minus "
	       "the empty loop):\n",
	       reps, iters);
	ns[COSTS_OP_EMPTY] = best[COSTS_OP_EMPTY] / iters;
	printf("%s: %.1f ns\n", labels[COSTS_OP_EMPTY], ns[COSTS_OP_EMPTY]);
	for (int op = COSTS_OP_EMPTY + 1; op < COSTS_OP_COUNT; op++) {
		ns[op] = (best[op] - best[COSTS_OP_EMPTY]) / iters;
		printf("%s: %.1f ns\n", labels[op], ns[op]);
	}
	/* The verifier inlines some helpers into a few instructions; their figures are noise around zero. */
	printf("(figures within about 1 ns of 0 are below this method's resolution)\n");
	double n_cpu = median(none, rounds), f_cpu = median(floor, rounds);
	double n_wall = median(none_w, rounds), f_wall = median(floor_w, rounds);

	double clock = ns[COSTS_OP_BOOT_NS];
	double minimum = 2 * clock + (ns[COSTS_OP_USER_STR] + ns[COSTS_OP_USER_READ]) / 4;
	printf("syscall loop (openat/read 256/close/getppid), medians of %d interleaved rounds of %.2f s, CPU time "
	       "of the loop's thread (wall time in parentheses):\n",
	       rounds, round_secs);
	printf("syscall untraced: %.1f ns (wall %.1f ns)\n", n_cpu, n_wall);
	printf("syscall at floor (empty sys_enter + sys_exit): %.1f ns (wall %.1f ns)\n", f_cpu, f_wall);
	printf("floor cost: %.1f ns per syscall\n", f_cpu - n_cpu);
	printf("budget to stay >= 0.9x floor: %.1f ns per syscall\n", f_cpu / 0.9 - f_cpu);
	printf("minimum recorder cost (2 clock + (user string + user read) / 4): %.1f ns per syscall\n", minimum);
	printf("best possible ratio vs floor: %.2fx\n", f_cpu / (f_cpu + minimum));

	munmap((void *)g, len);
	bpf_object__close(obj);
	return 0;
}
