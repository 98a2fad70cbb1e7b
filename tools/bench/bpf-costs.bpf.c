// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpf-costs.bpf.c: the kernel half of tools/bench/bpf-costs.sh.
 *
 * costs_trigger runs on sys_enter of one syscall of one process (bpf-costs itself) and times bpf_loop(iters)
 * whose callback does one building block of a recorder: a clock read, a user-memory read, a ring-buffer
 * write, ... Timing iters of them inside one program run keeps the program's own entry, the tracepoint and
 * the syscall out of the figure; user space subtracts the empty loop. costs_empty_{enter,exit} are the
 * floor of any syscall recorder (the same as kcap's kcap_empty_*), attached only while the syscall loop runs.
 *
 * Every global lives in `g`, so the single .bss map has a layout user space knows (bpf-costs.c mmaps it).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#include "bpf-costs.h"

struct costs_globals g;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, COSTS_RING_BYTES);
} costs_ring SEC(".maps");

/* Same shape as kcap's entry slot: one timestamp and an argument or two per thread. */
struct costs_slot {
	__u64 ts;
	__u64 arg;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct costs_slot);
} costs_task SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct costs_slot);
} costs_pcpu SEC(".maps");

/* Loop state on the trigger's stack; the callbacks see it as their ctx. */
struct loop_ctx {
	__u64 kaddr; /* a kernel address worth reading: &current->start_time */
};

static long cb_empty(__u64 i, void *ctx)
{
	return 0;
}

static long cb_boot_ns(__u64 i, void *ctx)
{
	g.sink += bpf_ktime_get_boot_ns();
	return 0;
}

static long cb_mono_ns(__u64 i, void *ctx)
{
	g.sink += bpf_ktime_get_ns();
	return 0;
}

static long cb_user_str(__u64 i, void *ctx)
{
	if (bpf_probe_read_user_str(g.buf, COSTS_STR_SIZE, (const void *)g.ustr) < 0)
		g.fails++;
	return 0;
}

static long cb_user_read(__u64 i, void *ctx)
{
	if (bpf_probe_read_user(g.buf, COSTS_USER_BYTES, (const void *)g.ubuf))
		g.fails++;
	return 0;
}

static long cb_kernel_read(__u64 i, void *ctx)
{
	struct loop_ctx *c = ctx;
	__u64 v;

	if (bpf_probe_read_kernel(&v, sizeof(v), (const void *)c->kaddr))
		g.fails++;
	g.sink += v;
	return 0;
}

static long cb_ring_reserve(__u64 i, void *ctx)
{
	void *r = bpf_ringbuf_reserve(&costs_ring, COSTS_RESERVE_BYTES, 0);

	if (!r) {
		g.fails++;
		return 0;
	}
	bpf_ringbuf_discard(r, BPF_RB_NO_WAKEUP);
	return 0;
}

/* kcap's path for records with items: assemble in a scratch buffer, copy out in one call, no wakeup. */
static long cb_ring_output(__u64 i, void *ctx)
{
	if (bpf_ringbuf_output(&costs_ring, g.buf, COSTS_OUTPUT_BYTES, BPF_RB_NO_WAKEUP))
		g.fails++;
	return 0;
}

/* With the create flag, as a recorder's sys_enter does: after the first call it finds the existing slot. */
static long cb_task_storage(__u64 i, void *ctx)
{
	struct costs_slot *s =
		bpf_task_storage_get(&costs_task, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (!s) {
		g.fails++;
		return 0;
	}
	s->ts = i;
	return 0;
}

static long cb_pcpu_lookup(__u64 i, void *ctx)
{
	__u32 zero = 0;
	struct costs_slot *s = bpf_map_lookup_elem(&costs_pcpu, &zero);

	if (!s) {
		g.fails++;
		return 0;
	}
	s->ts = i;
	return 0;
}

static long cb_cpu_id(__u64 i, void *ctx)
{
	g.sink += bpf_get_smp_processor_id();
	return 0;
}

static long cb_comm(__u64 i, void *ctx)
{
	bpf_get_current_comm(g.buf, 16);
	return 0;
}

/*
 * What writing a record into a per-CPU mmap'd buffer costs without any helper: 96 bytes of stores into a
 * map value, at a position that moves on like a writer's, so no store is dead.
 */
static long cb_store96(__u64 i, void *ctx)
{
	__u64 *p = (__u64 *)(g.buf + (i & 31) * COSTS_RESERVE_BYTES);

	for (int k = 0; k < COSTS_RESERVE_BYTES / 8; k++)
		p[k] = i + k;
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(costs_trigger, struct pt_regs *regs, long id)
{
	struct loop_ctx c = {};
	struct task_struct *task;
	__u64 t0, t1;
	__u32 n;

	if (id != g.trigger_nr || bpf_get_current_pid_tgid() >> 32 != g.tgid)
		return 0;
	task = bpf_get_current_task_btf();
	c.kaddr = (__u64)&task->start_time;
	n = g.iters;
	/* One bpf_loop call per operation, each with a constant callback, so the verifier can inline the loop. */
	t0 = bpf_ktime_get_ns();
	switch (g.op) {
	case COSTS_OP_EMPTY: bpf_loop(n, cb_empty, &c, 0); break;
	case COSTS_OP_BOOT_NS: bpf_loop(n, cb_boot_ns, &c, 0); break;
	case COSTS_OP_MONO_NS: bpf_loop(n, cb_mono_ns, &c, 0); break;
	case COSTS_OP_USER_STR: bpf_loop(n, cb_user_str, &c, 0); break;
	case COSTS_OP_USER_READ: bpf_loop(n, cb_user_read, &c, 0); break;
	case COSTS_OP_KERNEL_READ: bpf_loop(n, cb_kernel_read, &c, 0); break;
	case COSTS_OP_RING_RESERVE: bpf_loop(n, cb_ring_reserve, &c, 0); break;
	case COSTS_OP_RING_OUTPUT: bpf_loop(n, cb_ring_output, &c, 0); break;
	case COSTS_OP_TASK_STORAGE: bpf_loop(n, cb_task_storage, &c, 0); break;
	case COSTS_OP_PCPU_LOOKUP: bpf_loop(n, cb_pcpu_lookup, &c, 0); break;
	case COSTS_OP_CPU_ID: bpf_loop(n, cb_cpu_id, &c, 0); break;
	case COSTS_OP_COMM: bpf_loop(n, cb_comm, &c, 0); break;
	case COSTS_OP_STORE96: bpf_loop(n, cb_store96, &c, 0); break;
	default: return 0;
	}
	t1 = bpf_ktime_get_ns();
	g.elapsed_ns = t1 - t0;
	g.runs++;
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(costs_empty_enter, struct pt_regs *regs, long id)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(costs_empty_exit, struct pt_regs *regs, long ret)
{
	return 0;
}
