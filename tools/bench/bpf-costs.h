/*
 * bpf-costs.h: what bpf-costs.bpf.c and bpf-costs.c share. struct costs_globals is the whole .bss of the BPF
 * object, which user space mmaps, so both sides must agree on it byte for byte: fixed-size fields only.
 */
#ifndef BPF_COSTS_H
#define BPF_COSTS_H

enum costs_op {
	COSTS_OP_NONE, /* the trigger returns without timing anything */
	COSTS_OP_EMPTY,
	COSTS_OP_BOOT_NS,
	COSTS_OP_MONO_NS,
	COSTS_OP_USER_STR,
	COSTS_OP_USER_READ,
	COSTS_OP_KERNEL_READ,
	COSTS_OP_RING_RESERVE,
	COSTS_OP_RING_OUTPUT,
	COSTS_OP_TASK_STORAGE,
	COSTS_OP_PCPU_LOOKUP,
	COSTS_OP_CPU_ID,
	COSTS_OP_COMM,
	COSTS_OP_STORE96,
	COSTS_OP_COUNT,
};

#define COSTS_STR_SIZE 4096     /* a recorder reads paths with PATH_MAX as the limit */
#define COSTS_USER_BYTES 80     /* the first bytes of a read(2) buffer */
#define COSTS_RESERVE_BYTES 96  /* a fixed syscall record */
#define COSTS_OUTPUT_BYTES 160  /* a record with a short item */
#define COSTS_RING_BYTES (4 << 20)

struct costs_globals {
	/* set by user space */
	__u32 tgid;
	__u32 trigger_nr;
	__u32 op;
	__u32 iters;
	__u64 ustr; /* user address of a NUL-terminated path */
	__u64 ubuf; /* user address of at least COSTS_USER_BYTES bytes */
	/* set by the trigger */
	__u64 elapsed_ns;
	__u64 runs;
	__u64 fails; /* helper calls that failed: their figure would be the cost of failing */
	__u64 sink;  /* keeps results alive */
	char buf[COSTS_STR_SIZE];
};

#endif
