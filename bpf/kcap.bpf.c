// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kcap.bpf.c: the kernel half of `kcap record`.
 *
 * One kcap_syscall record per syscall, written at sys_exit with the raw arguments read back from pt_regs,
 * the result and the latency since sys_enter (docs/recording.md has the measurements behind exit-only
 * records). Decoded items (paths, socket addresses, socket tuples, the first snaplen bytes of I/O) follow
 * the fixed part for the syscalls listed in kcap_decode below. Process lifecycle comes from the
 * sched_process_{fork,exec,exit} tracepoints so the analyzer's thread table is right even for threads whose
 * syscalls were filtered out. Record layouts: kcap_abi.h. Names the loader relies on: docs/recording.md
 * ("Interface with the loader").
 *
 * Hot-path rules, each measured (docs/recording.md): no map update per syscall (the entry timestamp waits in
 * a per-CPU slot, and moves to a hash map only when its thread leaves the CPU mid-syscall); nothing that
 * frees through an RCU grace period (task-local storage did, and slowed every traced syscall while one ran);
 * records are built in place in a per-CPU buffer the recorder mmaps (no ring buffer lock, no copy from a
 * scratch area); no wakeup per record (one through kcap_wake when a buffer passes kcap_wakeup_bytes);
 * syscalls without items never touch user memory.
 *
 * The per-CPU buffers and slots rely on the programs of one CPU never interleaving: tracepoint programs run
 * with preemption off (the kernel keeps it off around BPF on the faultable syscall tracepoints of 6.14+ too,
 * as per-CPU scratch maps everywhere assume), and none of kcap's tracepoints fires inside another's program.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "kcap_abi.h"
#include "kcap_syscall_nr.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/*
 * Kernel 6.2+: treats a kernel address as a read-only typed pointer, so the fields behind a struct file are
 * read with plain (fault-safe) loads instead of one bpf_probe_read_kernel call each.
 */
extern void *bpf_rdonly_cast(const void *obj__ign, __u32 btf_id) __ksym;

/* ---- configuration, set by the loader before load (rodata: the verifier prunes what is switched off) ---- */

/* tgid of the recorder: its own syscalls would feed back into the capture. */
const volatile __u32 kcap_self_tgid = 0;
/* Bytes of I/O buffers kept per syscall (0: none). Capped at KCAP_ITEM_MAX. */
const volatile __u32 kcap_snaplen = 80;
/* Bytes of each CPU's record buffer minus one (the size is a power of two); set from --buffer-size. */
const volatile __u64 kcap_buf_mask = (1 << 20) - 1;
/* Past this many unread bytes in a CPU's buffer, the reader is woken instead of waiting for its timer. */
const volatile __u64 kcap_wakeup_bytes = 1 << 18;
/* 1: record only tgids present in kcap_traced (a command's process tree); children are added at fork. */
const volatile __u8 kcap_filter_pids = 0;
/* 1: record only threads whose comm equals kcap_comm (NUL-padded). */
const volatile __u8 kcap_filter_comm = 0;
const volatile char kcap_comm[16] = {};
/* 1: execve/execveat records carry the environment too (--env; it may hold secrets, so it is off by default). */
const volatile __u8 kcap_env = 0;
/*
 * By syscall number: how many of the six argument registers, counted from the last, the syscall does not
 * take (getpid 6, read 3, mmap 0). They hold leftovers (stack and heap addresses) that nothing decodes and
 * that compress worst, so the record carries zeros there. Set by the loader from kcap's syscall table; 0
 * (every register kept) for numbers it does not know.
 */
const volatile __u8 kcap_unused_args[KCAP_NR_SLOTS] = {};

/* ---- maps ---- */

/*
 * Element c: the records made on CPU c (kcap_buf_mask + 1 bytes, then KCAP_BUF_SLACK for a record that starts
 * near the end). The loader sizes the value and sets max_entries to the possible CPUs; the recorder mmaps it.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, (1 << 20) + KCAP_BUF_SLACK);
	__uint(max_entries, 1);
} kcap_buf SEC(".maps");

/* Element c: head and tail of CPU c's buffer (struct kcap_buf_pos); mmapped read-write by the recorder. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct kcap_buf_pos);
	__uint(max_entries, 1);
} kcap_pos SEC(".maps");

/* Carries nothing but wakeups: the recorder sleeps on it between its drain timer's ticks. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} kcap_wake SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kcap_counters);
} kcap_counters SEC(".maps");

/* Bit nr of word nr/64 set: record syscall nr. Filled by the loader (all bits for --events all). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, KCAP_NR_SLOTS / 64);
	__type(key, __u32);
	__type(value, __u64);
} kcap_syscalls SEC(".maps");

/* tgid -> 1 for the followed process tree (only consulted with kcap_filter_pids). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u8);
} kcap_traced SEC(".maps");

/*
 * Entry time of the syscall the thread running on a CPU is in (regs 0: none). A thread that leaves the CPU
 * inside a syscall (it blocks, or is preempted) takes its entry time along into kcap_entered, from
 * kcap_sched_switch; its sys_exit, on whichever CPU, looks there when the CPU's slot is not its own. Most
 * syscalls never leave the CPU, so the common path touches only this per-CPU slot.
 *
 * Not task-local storage, although that is the obvious place: its elements are freed through RCU Tasks
 * Trace when a task exits, and while such a grace period runs every traced syscall in the system takes the
 * slow path out of its tracepoint (rcu_read_unlock_trace_special: 4-5% of a syscall loop's CPU under
 * process churn, measured with perf). Preallocated hash maps recycle their elements without a grace period.
 */
struct kcap_enter_slot {
	/*
	 * Whose entry this is: the address of the thread's saved user registers (struct pt_regs at the top of its
	 * kernel stack), which sys_enter and sys_exit are both handed, so sys_enter needs no helper call to know
	 * the thread; 0: none. Unique among live threads, and the slot never outlives its thread's stay on the
	 * CPU (kcap_sched_switch empties it at every switch).
	 */
	__u64 regs;
	__u64 ts;
	__u32 nr;  /* the syscall entered: rt_sigreturn's exit no longer has it (the restored registers say -1) */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kcap_enter_slot);
} kcap_enter SEC(".maps");

/* tid -> entry time of a thread that left its CPU inside a syscall. Full: that syscall's latency is unknown. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u64);
} kcap_entered SEC(".maps");

/*
 * The file a successful exec ran, kept from sched_process_exec until the same thread's execve/execveat
 * returns, so that syscall record carries its PATH too (the caller's string went with the old image).
 * Keyed by tid, written only on exec, deleted at that sys_exit (or when the thread exits); preallocated, like
 * kcap_entered, so that nothing waits for an RCU grace period. Full (1024 execs in flight): no PATH item.
 */
#define KCAP_EXEC_NAME_MAX 1024

struct kcap_exec_name {
	char name[KCAP_EXEC_NAME_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct kcap_exec_name);
} kcap_exec_name SEC(".maps");

/* ---- what to decode per syscall ---- */

enum kcap_op {
	KOP_NONE = 0,
	KOP_PATH,     /* path at arg a, and a second at arg b unless NOARG */
	KOP_OPEN,     /* like KOP_PATH; kept apart so open-family decoding can grow without touching the rest */
	KOP_EXEC,     /* path at arg a (a successful exec: the file the kernel ran); argv at arg b (and with kcap_env
	                 the environment at arg c): from the caller's arrays when the exec failed, from the new
	                 image's argument area when it succeeded */
	KOP_SA_IN,    /* sockaddr at arg a, length in arg b; tuple of the fd in arg 0 (connect, bind) */
	KOP_SA_OUT,   /* sockaddr at arg a, length behind pointer arg b (getsockname, getpeername) */
	KOP_ACCEPT,   /* like KOP_SA_OUT, plus the tuple of the returned fd */
	KOP_SENDTO,   /* data at arg 1, sockaddr at arg 4 with length arg 5, tuple of arg 0 */
	KOP_RECVFROM, /* data at arg 1, sockaddr at arg 4 with length behind arg 5, tuple of arg 0 */
	KOP_MSG,      /* struct user_msghdr at arg a: msg_name and the data of its iovecs, within snaplen */
	KOP_BUF,      /* data at arg a, min(ret, snaplen) bytes */
	KOP_IOV,      /* struct iovec array at arg a, count at arg a+1: the data of its iovecs, within snaplen */
	KOP_FDPAIR,   /* int[2] at arg a; with b != NOARG also the INODE of the first fd (pipes: their name) */
	KOP_CLONE3,   /* struct clone_args at arg a, size in arg b */
	KOP_LISTEN,   /* tuple of the fd in arg 0 */
	KOP_STAT,     /* path at arg a unless NOARG, struct stat at arg b (the file's inode item) */
	KOP_FSTAT,    /* struct stat at arg b */
	KOP_STATX,    /* path at arg a, struct statx at arg b */
	KOP_XATTR_GET, /* path at arg a, name at arg b (each unless NOARG); on success ret bytes of data at arg c */
	KOP_XATTR_SET, /* path at arg a, name at arg b (each unless NOARG); on success the value at arg c, size c+1 */
	KOP_GETCWD,   /* on success, the string the kernel wrote at arg a */
	KOP_READLINK, /* path at arg a; on success the ret bytes of the target the kernel wrote at arg b */
	KOP_PRCTL,    /* PR_SET_NAME / PR_GET_NAME (on success): the name at arg 1 */
	KOP_MEMOUT,   /* on success (ret > 0), c bytes the kernel wrote at arg a (wait4's status) */
	KOP_MEMINOUT, /* c bytes at arg a, what the caller passed (unless NULL), and on success (ret 0) c bytes the
	                 kernel wrote at arg b: sigaction, sigset, rlimit */
	KOP_POLL,     /* the pollfd array at arg 0, args[1] entries (at most 16): fds, events, revents */
	KOP_EPOLL_WAIT, /* on success, the ret epoll_events the kernel wrote at arg a (at most 16) */
	KOP_MEMLEN,   /* the bytes at arg a, as many as arg b says (at most 64): setsockopt's value */
	KOP_MMSG,     /* struct mmsghdr array at arg a: the first message's name and data (sendmmsg, recvmmsg) */
};

#define NOARG 0xff

/* struct epoll_event: x86_64 packs it (EPOLL_PACKED), elsewhere data is aligned to 8 */
#if defined(__TARGET_ARCH_x86)
#define KCAP_EPOLL_EVENT_SIZE 12
#else
#define KCAP_EPOLL_EVENT_SIZE 16
#endif

struct kcap_dec {
	__u8 op;
	__u8 a;
	__u8 b;
	__u8 c;
};

#define DEC(name, o, x, y) [KCAP_NR_##name] = { .op = (o), .a = (x), .b = (y), .c = NOARG }
#define DEC3(name, o, x, y, z) [KCAP_NR_##name] = { .op = (o), .a = (x), .b = (y), .c = (z) }

/*
 * Syscalls an arch lacks are numbered KCAP_NR_ABSENT, so several initialisers may name that slot; the last
 * line resets it. Everything else is one line per syscall.
 */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Winitializer-overrides"
static const struct kcap_dec kcap_decode[KCAP_NR_SLOTS] = {
	DEC(open, KOP_OPEN, 0, NOARG),
	DEC(creat, KOP_OPEN, 0, NOARG),
	DEC(openat, KOP_OPEN, 1, NOARG),
	DEC(openat2, KOP_OPEN, 1, NOARG),
	DEC3(execve, KOP_EXEC, 0, 1, 2),
	DEC3(execveat, KOP_EXEC, 1, 2, 3),
	DEC(unlink, KOP_PATH, 0, NOARG),
	DEC(unlinkat, KOP_PATH, 1, NOARG),
	DEC(rename, KOP_PATH, 0, 1),
	DEC(renameat, KOP_PATH, 1, 3),
	DEC(renameat2, KOP_PATH, 1, 3),
	DEC(mkdir, KOP_PATH, 0, NOARG),
	DEC(mkdirat, KOP_PATH, 1, NOARG),
	DEC(rmdir, KOP_PATH, 0, NOARG),
	DEC(chdir, KOP_PATH, 0, NOARG),
	DEC(chroot, KOP_PATH, 0, NOARG),
	DEC(chmod, KOP_PATH, 0, NOARG),
	DEC(fchmodat, KOP_PATH, 1, NOARG),
	DEC(fchmodat2, KOP_PATH, 1, NOARG),
	DEC(chown, KOP_PATH, 0, NOARG),
	DEC(lchown, KOP_PATH, 0, NOARG),
	DEC(fchownat, KOP_PATH, 1, NOARG),
	DEC(stat, KOP_STAT, 0, 1),
	DEC(lstat, KOP_STAT, 0, 1),
	DEC(fstat, KOP_FSTAT, NOARG, 1),
	DEC(newfstatat, KOP_STAT, 1, 2),
	DEC(statx, KOP_STATX, 1, 4),
	DEC(statfs, KOP_PATH, 0, NOARG),
	DEC(access, KOP_PATH, 0, NOARG),
	DEC(faccessat, KOP_PATH, 1, NOARG),
	DEC(faccessat2, KOP_PATH, 1, NOARG),
	DEC(readlink, KOP_READLINK, 0, 1),
	DEC(readlinkat, KOP_READLINK, 1, 2),
	DEC(symlink, KOP_PATH, 0, 1),
	DEC(symlinkat, KOP_PATH, 0, 2),
	DEC(link, KOP_PATH, 0, 1),
	DEC(linkat, KOP_PATH, 1, 3),
	DEC(truncate, KOP_PATH, 0, NOARG),
	DEC(mknod, KOP_PATH, 0, NOARG),
	DEC(mknodat, KOP_PATH, 1, NOARG),
	DEC(inotify_add_watch, KOP_PATH, 1, NOARG),
	DEC(connect, KOP_SA_IN, 1, 2),
	DEC(bind, KOP_SA_IN, 1, 2),
	DEC(listen, KOP_LISTEN, 0, NOARG),
	DEC(accept, KOP_ACCEPT, 1, 2),
	DEC(accept4, KOP_ACCEPT, 1, 2),
	DEC(getsockname, KOP_SA_OUT, 1, 2),
	DEC(getpeername, KOP_SA_OUT, 1, 2),
	DEC(sendto, KOP_SENDTO, 1, NOARG),
	DEC(recvfrom, KOP_RECVFROM, 1, NOARG),
	DEC(sendmsg, KOP_MSG, 1, NOARG),
	DEC(recvmsg, KOP_MSG, 1, NOARG),
	DEC(socketpair, KOP_FDPAIR, 3, NOARG),
	DEC(pipe, KOP_FDPAIR, 0, 0),
	DEC(pipe2, KOP_FDPAIR, 0, 0),
	DEC(read, KOP_BUF, 1, NOARG),
	DEC(write, KOP_BUF, 1, NOARG),
	DEC(pread64, KOP_BUF, 1, NOARG),
	DEC(pwrite64, KOP_BUF, 1, NOARG),
	DEC(readv, KOP_IOV, 1, NOARG),
	DEC(writev, KOP_IOV, 1, NOARG),
	DEC(preadv, KOP_IOV, 1, NOARG),
	DEC(pwritev, KOP_IOV, 1, NOARG),
	DEC(preadv2, KOP_IOV, 1, NOARG),
	DEC(pwritev2, KOP_IOV, 1, NOARG),
	DEC(clone3, KOP_CLONE3, 0, 1),
	DEC(getcwd, KOP_GETCWD, 0, NOARG),
	DEC3(getxattr, KOP_XATTR_GET, 0, 1, 2),
	DEC3(lgetxattr, KOP_XATTR_GET, 0, 1, 2),
	DEC3(fgetxattr, KOP_XATTR_GET, NOARG, 1, 2),
	DEC3(listxattr, KOP_XATTR_GET, 0, NOARG, 1),
	DEC3(llistxattr, KOP_XATTR_GET, 0, NOARG, 1),
	DEC3(flistxattr, KOP_XATTR_GET, NOARG, NOARG, 1),
	DEC3(setxattr, KOP_XATTR_SET, 0, 1, 2),
	DEC3(lsetxattr, KOP_XATTR_SET, 0, 1, 2),
	DEC3(fsetxattr, KOP_XATTR_SET, NOARG, 1, 2),
	DEC(removexattr, KOP_PATH, 0, 1),
	DEC(lremovexattr, KOP_PATH, 0, 1),
	DEC(fremovexattr, KOP_PATH, 1, NOARG),
	DEC(memfd_create, KOP_PATH, 0, NOARG),
	DEC(prctl, KOP_PRCTL, NOARG, NOARG),
	DEC(getrandom, KOP_BUF, 0, NOARG),
	DEC3(wait4, KOP_MEMOUT, 1, NOARG, 4),
	DEC3(rt_sigaction, KOP_MEMINOUT, 1, 2, 32),
	DEC3(rt_sigprocmask, KOP_MEMINOUT, 1, 2, 8),
	DEC3(prlimit64, KOP_MEMINOUT, 2, 3, 16),
	DEC3(getrlimit, KOP_MEMINOUT, NOARG, 1, 16),
	DEC3(setrlimit, KOP_MEMINOUT, 1, NOARG, 16),
	DEC(poll, KOP_POLL, 0, NOARG),
	DEC3(sysinfo, KOP_MEMINOUT, NOARG, 0, 112),
	DEC3(epoll_ctl, KOP_MEMINOUT, 3, NOARG, KCAP_EPOLL_EVENT_SIZE),
	DEC(epoll_wait, KOP_EPOLL_WAIT, 1, NOARG),
	DEC(epoll_pwait, KOP_EPOLL_WAIT, 1, NOARG),
	DEC(epoll_pwait2, KOP_EPOLL_WAIT, 1, NOARG),
	DEC(setsockopt, KOP_MEMLEN, 3, 4),
	DEC(ppoll, KOP_POLL, 0, NOARG),
	DEC3(mount, KOP_PATH, 0, 1, 2),
	DEC(umount2, KOP_PATH, 0, NOARG),
	DEC(pivot_root, KOP_PATH, 0, 1),
	DEC(sendmmsg, KOP_MMSG, 1, NOARG),
	DEC(recvmmsg, KOP_MMSG, 1, NOARG),
	[KCAP_NR_ABSENT] = { 0 },
};
#pragma clang diagnostic pop

/* ---- record assembly ---- */

/*
 * Items start below KCAP_ITEM_AREA and carry at most KCAP_ITEM_MAX data bytes, so an item always fits in
 * KCAP_RECORD_MAX with room for the padding; the masks below let the verifier see the same bound.
 */
#define KCAP_ITEM_AREA (KCAP_RECORD_MAX / 2)
#define KCAP_ITEM_MAX (KCAP_RECORD_MAX / 2 - 16)
#define KCAP_SOCKADDR_MAX 128
#define KCAP_CLONE_ARGS_MAX 88 /* sizeof(struct clone_args) as of 5.7 (CLONE_ARGS_SIZE_VER2) */

#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define EINPROGRESS 115
#define TS_COMPAT 0x0002 /* x86 thread_info.status: the thread is in a 32-bit syscall */
#define KCAP_IOV_MAX 16   /* iovecs read per readv/writev/sendmsg/recvmsg (their data is within snaplen anyway) */
#define KCAP_STRV_MAX 64  /* strings read from a failed exec's argv or envp array */
#define PR_SET_NAME 15
#define PR_GET_NAME 16

/* State of the record being built in place in the CPU's buffer. */
struct kcap_rec {
	__u8 *buf;    /* the record: the buffer at head */
	__u32 off;    /* bytes used so far */
	__u16 flags;  /* hdr.flags */
	__u16 nitems;
	struct kcap_counters *cnt;
	struct kcap_buf_pos *pos;
	__u64 head;   /* where the record starts: published as head + len once complete */
	struct task_struct *task; /* the current task (syscall records: fd lookups), or NULL */
};

static __always_inline struct kcap_counters *counters(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&kcap_counters, &zero);
}

static __always_inline int syscall_wanted(long nr)
{
	if ((unsigned long)nr >= KCAP_NR_SLOTS)
		return 0;
	__u32 key = (__u32)nr >> 6;
	__u64 *word = bpf_map_lookup_elem(&kcap_syscalls, &key);
	return word && (*word & (1ULL << (nr & 63)));
}

/*
 * Pre-filters, split so the process-tree bookkeeping (fork/exit) never depends on the comm filter: a child
 * with another comm than its parent must still join the followed tree.
 */
static __always_inline int tgid_wanted(__u32 tgid)
{
	if (tgid == kcap_self_tgid)
		return 0;
	if (kcap_filter_pids && !bpf_map_lookup_elem(&kcap_traced, &tgid))
		return 0;
	return 1;
}

static __always_inline int comm_wanted(void)
{
	if (kcap_filter_comm) {
		char comm[16];
		bpf_get_current_comm(comm, sizeof(comm));
		for (int i = 0; i < 16; i++) {
			if (comm[i] != kcap_comm[i])
				return 0;
			if (!comm[i])
				break;
		}
	}
	return 1;
}

/* Every filter: the loader's own process, the followed tree, the comm. */
static __always_inline int task_wanted(__u32 tgid)
{
	return tgid_wanted(tgid) && comm_wanted();
}

static __always_inline void read_failed(struct kcap_rec *r)
{
	r->flags |= KCAP_F_READ_FAILED;
	r->cnt->drop_read_fail++;
}

/* Writes the 4-byte item header at r->off (unaligned: items are packed) and advances past its data. */
static __always_inline void item_done(struct kcap_rec *r, __u32 off, __u8 kind, __u8 arg, __u32 len)
{
	struct kcap_item *it = (struct kcap_item *)(r->buf + off);
	it->kind = kind;
	it->arg = arg;
	it->len = len;
	r->off = off + sizeof(struct kcap_item) + len;
	r->nitems++;
}

/* Room for one more item? Returns its offset masked for the verifier, or -1 (record marked truncated). */
static __always_inline long item_slot(struct kcap_rec *r)
{
	if (r->off >= KCAP_ITEM_AREA) {
		r->flags |= KCAP_F_TRUNCATED;
		return -1;
	}
	return r->off & (KCAP_ITEM_AREA - 1);
}

/*
 * A NUL-terminated string from user memory, or kernel memory with `kernel` (a constant at every call, so the
 * verifier keeps one branch); the NUL is not stored.
 */
static __always_inline void put_str(struct kcap_rec *r, __u8 kind, __u8 arg, const void *ptr, int kernel)
{
	/* A NULL user pointer is an argument that names no path (utimensat-style), not a failed read. */
	if (!kernel && !ptr)
		return;
	long off = item_slot(r);
	if (off < 0)
		return;
	void *dst = r->buf + off + sizeof(struct kcap_item);
	long n = kernel ? bpf_probe_read_kernel_str(dst, KCAP_ITEM_MAX, ptr) : bpf_probe_read_user_str(dst, KCAP_ITEM_MAX, ptr);
	if (n <= 0) {
		read_failed(r);
		return;
	}
	if (n >= KCAP_ITEM_MAX) {
		n = KCAP_ITEM_MAX;
		r->flags |= KCAP_F_TRUNCATED;
	}
	item_done(r, off, kind, arg, (__u32)(n - 1));
}

static __always_inline void put_user_str(struct kcap_rec *r, __u8 kind, __u8 arg, const void *uptr)
{
	put_str(r, kind, arg, uptr, 0);
}

static __always_inline void put_kernel_str(struct kcap_rec *r, __u8 kind, __u8 arg, const void *kptr)
{
	put_str(r, kind, arg, kptr, 1);
}

/* len bytes of user memory (0 < len; longer than KCAP_ITEM_MAX is cut and marked truncated). */
static __always_inline void put_user_bytes(struct kcap_rec *r, __u8 kind, __u8 arg, const void *uptr, __u64 len)
{
	if (!uptr || !len)
		return;
	long off = item_slot(r);
	if (off < 0)
		return;
	if (len > KCAP_ITEM_MAX) {
		len = KCAP_ITEM_MAX;
		r->flags |= KCAP_F_TRUNCATED;
	}
	__u32 n = (__u32)len & (KCAP_RECORD_MAX / 2 - 1);
	if (n == 0 || n > KCAP_ITEM_MAX)
		return;
	if (bpf_probe_read_user(r->buf + off + sizeof(struct kcap_item), n, uptr)) {
		read_failed(r);
		return;
	}
	item_done(r, off, kind, arg, n);
}

/* The first bytes actually transferred: min(ret, snaplen, limit). */
static __always_inline void put_data(struct kcap_rec *r, __u8 arg, const void *uptr, long ret, __u64 limit)
{
	__u64 n = kcap_snaplen;
	if (n == 0 || ret <= 0)
		return;
	if ((__u64)ret < n)
		n = ret;
	if (limit < n)
		n = limit;
	put_user_bytes(r, KCAP_ITEM_DATA, arg, uptr, n);
}

/* A sockaddr whose length is a value (connect, bind, sendto). */
static __always_inline void put_sockaddr(struct kcap_rec *r, __u8 arg, const void *uptr, __u64 len)
{
	if (len > KCAP_SOCKADDR_MAX)
		len = KCAP_SOCKADDR_MAX;
	put_user_bytes(r, KCAP_ITEM_SOCKADDR, arg, uptr, len);
}

/* A sockaddr the kernel wrote back, its length behind a user pointer (accept, recvfrom, getsockname). */
static __always_inline void put_sockaddr_out(struct kcap_rec *r, __u8 arg, const void *uptr, const void *lenptr)
{
	int len = 0;
	if (!uptr || !lenptr)
		return;
	if (bpf_probe_read_user(&len, sizeof(len), lenptr)) {
		read_failed(r);
		return;
	}
	if (len > 0)
		put_sockaddr(r, arg, uptr, (__u64)len);
}

/*
 * Loops over user arrays run through bpf_loop: the verifier checks a callback once, whatever the number of
 * iterations, where an unrolled or bounded loop costs it every iteration times every path (a bounded loop
 * here took sys_exit from 5.7 k to 557 k verified instructions, and loading from 0.2 s to 2.5 s).
 */
struct kcap_vec_ctx {
	struct kcap_rec *r;
	const void *uvec; /* struct iovec[] or char *[] in user memory */
	__u64 count;      /* iovecs (strings: unbounded, NULL-terminated) */
	__u32 start;      /* where the item's data starts in the record */
	__u32 got;        /* bytes of item data so far */
	__u32 want;       /* bytes wanted at most */
	__u32 pad;
};

/* One iovec: its bytes (within want) appended to the item. Returns 1 to stop. */
static long iov_step(__u64 i, void *data)
{
	struct kcap_vec_ctx *c = data;
	struct kcap_rec *r = c->r;
	if (i >= c->count || c->got >= c->want)
		return 1;
	struct iovec v;
	if (bpf_probe_read_user(&v, sizeof(v), (const struct iovec *)c->uvec + i)) {
		read_failed(r);
		return 1;
	}
	__u64 len = v.iov_len;
	if (len > c->want - c->got)
		len = c->want - c->got;
	if (len == 0)
		return 0;
	__u32 pos = c->start + c->got;
	if (pos >= KCAP_ITEM_AREA || len > KCAP_ITEM_MAX) {
		r->flags |= KCAP_F_TRUNCATED;
		return 1;
	}
	__u32 n = (__u32)len & (KCAP_ITEM_AREA - 1);
	if (n == 0 || n > KCAP_ITEM_MAX)
		return 1;
	if (bpf_probe_read_user(r->buf + (pos & (KCAP_ITEM_AREA - 1)), n, v.iov_base)) {
		read_failed(r);
		return 1;
	}
	c->got += n;
	return 0;
}

/*
 * The data of `count` iovecs at uiov, one after another in one DATA item, up to min(total, snaplen) bytes
 * (total: what the call transferred). Each copy starts below KCAP_ITEM_AREA and is at most KCAP_ITEM_MAX
 * long, the bounds the verifier checks the record buffer against (its slack past the element holds them).
 */
static __always_inline void put_iov_data(struct kcap_rec *r, __u8 arg, const struct iovec *uiov, __u64 count,
					 long total)
{
	__u64 want = kcap_snaplen;
	if (want == 0 || total <= 0 || !uiov || count == 0)
		return;
	if ((__u64)total < want)
		want = total;
	long off = item_slot(r);
	if (off < 0)
		return;
	struct kcap_vec_ctx c = { .r = r, .uvec = uiov, .count = count, .start = off + sizeof(struct kcap_item),
				  .want = want };
	bpf_loop(KCAP_IOV_MAX, iov_step, &c, 0);
	if (c.got > 0 && c.got <= KCAP_ITEM_MAX)
		item_done(r, off, KCAP_ITEM_DATA, arg, c.got);
}

/* One string of a NULL-terminated array, with its NUL, appended to the item. Returns 1 to stop. */
static long strv_step(__u64 i, void *data)
{
	struct kcap_vec_ctx *c = data;
	struct kcap_rec *r = c->r;
	const char *p = NULL;
	if (bpf_probe_read_user(&p, sizeof(p), (const char *const *)c->uvec + i)) {
		read_failed(r);
		return 1;
	}
	if (!p)
		return 1;
	__u32 got = c->got;
	__u32 pos = c->start + got;
	if (pos >= KCAP_ITEM_AREA || got >= KCAP_ITEM_MAX) {
		r->flags |= KCAP_F_TRUNCATED;
		return 1;
	}
	__u32 room = KCAP_ITEM_MAX - got;
	if (room == 0 || room > KCAP_ITEM_MAX)
		return 1;
	long n = bpf_probe_read_user_str(r->buf + (pos & (KCAP_ITEM_AREA - 1)), room, p);
	if (n <= 0) {
		read_failed(r);
		return 1;
	}
	if (n >= room) {
		r->flags |= KCAP_F_TRUNCATED;
		c->got = KCAP_ITEM_MAX;
		return 1;
	}
	c->got = got + n;
	return 0;
}

/*
 * The strings of a NULL-terminated user array (a failed exec's argv or envp), each with its NUL, one after
 * another in one ARGV item for argument `arg` (at most KCAP_STRV_MAX strings and KCAP_ITEM_MAX bytes).
 */
static __always_inline void put_user_strv(struct kcap_rec *r, __u8 arg, const char *const *uv)
{
	if (!uv)
		return;
	long off = item_slot(r);
	if (off < 0)
		return;
	struct kcap_vec_ctx c = { .r = r, .uvec = uv, .start = off + sizeof(struct kcap_item) };
	bpf_loop(KCAP_STRV_MAX, strv_step, &c, 0);
	if (c.got > 0 && c.got <= KCAP_ITEM_MAX)
		item_done(r, off, KCAP_ITEM_ARGV, arg, c.got);
}

/*
 * The struct file behind fd in the current task's table, as a read-only typed pointer, or NULL. No helper
 * call on the common path (each one costs a call and a return through the kernel's return thunk, and a
 * bpf_probe_read_kernel 20 ns in bpf-costs.sh): the task comes from the caller, and the fd array slot is read
 * with a fault-safe load through a read-only cast. bpf_rdonly_cast takes struct types only, so the slot (a
 * struct file *) is read as the first member of a struct kiocb, ki_filp; should a kernel ever move that
 * member, CO-RE says so and the slot is read with bpf_probe_read_kernel. A closed or racing fd gives NULL.
 */
static __always_inline struct file *fd_file(struct kcap_rec *r, long fd)
{
	if (fd < 0)
		return NULL;
	struct task_struct *task = r->task ? r->task : bpf_get_current_task_btf();
	struct fdtable *fdt = task->files->fdt;
	if (!fdt || fd >= fdt->max_fds)
		return NULL;
	struct file **fds = fdt->fd;
	struct file *file = NULL;
	if (bpf_core_field_offset(struct kiocb, ki_filp) == 0) {
		struct kiocb *slot = bpf_rdonly_cast(&fds[fd], bpf_core_type_id_kernel(struct kiocb));
		file = slot->ki_filp;
	} else if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd])) {
		return NULL;
	}
	if (!file)
		return NULL;
	return bpf_rdonly_cast(file, bpf_core_type_id_kernel(struct file));
}

/* The kernel dev_t layout (MKDEV: major << 20 | minor) from the userspace st_dev encoding. */
static __always_inline __u32 kdev_from_user(__u64 dev)
{
	__u32 major = (dev >> 8) & 0xfff;
	__u32 minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
	return major << 20 | minor;
}

/* Identity of the file an open returned (arg NOARG: the fd is the return value). */
static __always_inline void put_inode_of_fd(struct kcap_rec *r, long fd)
{
	long off = item_slot(r);
	if (off < 0)
		return;
	struct file *file = fd_file(r, fd);
	if (!file)
		return;
	struct inode *inode = file->f_inode;
	if (!inode)
		return;
	struct kcap_inode *k = (struct kcap_inode *)(r->buf + off + sizeof(struct kcap_item));
	k->ino = inode->i_ino;
	k->dev = inode->i_sb->s_dev;
	k->mode = inode->i_mode;
	k->uid = inode->i_uid.val;
	k->gid = inode->i_gid.val;
	/* The first fields only: what reads and writes on the fd show (opens are hot; a size at open is stale). */
	item_done(r, off, KCAP_ITEM_INODE, NOARG, KCAP_INODE_V1_SIZE);
}

/* Identity from the struct stat / struct statx the kernel filled at uptr (the syscall succeeded). */
static __always_inline void put_inode_of_stat(struct kcap_rec *r, __u8 arg, const void *uptr, int is_statx)
{
	__u8 st[56];
	if (!uptr)
		return;
	long off = item_slot(r);
	if (off < 0)
		return;
	if (bpf_probe_read_user(st, sizeof(st), uptr)) {
		read_failed(r);
		return;
	}
	struct kcap_inode *k = (struct kcap_inode *)(r->buf + off + sizeof(struct kcap_item));
	if (is_statx) {
		/* struct statx: nlink u32 @16, uid @20, gid @24, mode u16 @28, ino u64 @32; dev at 136/140 */
		__u32 devmm[2] = {};
		if (bpf_probe_read_user(devmm, sizeof(devmm), (const __u8 *)uptr + 136))
			devmm[0] = devmm[1] = 0;
		k->ino = *(__u64 *)(st + 32);
		k->mode = *(__u16 *)(st + 28);
		k->uid = *(__u32 *)(st + 20);
		k->gid = *(__u32 *)(st + 24);
		k->dev = devmm[0] << 20 | devmm[1];
		/* stx_mask u32 @0, stx_attributes u64 @8, stx_size u64 @40 */
		k->size = *(__u64 *)(st + 40);
		k->stx_mask = *(__u32 *)st;
		k->stx_attributes = *(__u64 *)(st + 8);
	} else {
		/* st_size u64 @48 on x86_64 and asm-generic alike */
		k->size = *(__u64 *)(st + 48);
		k->stx_mask = 0;
		k->stx_attributes = 0;
		k->ino = *(__u64 *)(st + 8);
		k->dev = kdev_from_user(*(__u64 *)st);
#if defined(__TARGET_ARCH_x86)
		/* x86_64 struct stat: nlink u64 @16, mode u32 @24, uid @28, gid @32 */
		k->mode = *(__u32 *)(st + 24);
		k->uid = *(__u32 *)(st + 28);
		k->gid = *(__u32 *)(st + 32);
#else
		/* asm-generic struct stat (arm64): mode u32 @16, nlink u32 @20, uid @24, gid @28 */
		k->mode = *(__u32 *)(st + 16);
		k->uid = *(__u32 *)(st + 24);
		k->gid = *(__u32 *)(st + 28);
#endif
	}
	k->pad0 = 0;
	item_done(r, off, KCAP_ITEM_INODE, arg, sizeof(*k));
}

/*
 * The endpoints of socket fd, read from its struct sock. arg is the argument holding the fd, or NOARG when
 * the fd is the return value (accept). Not a socket, or not readable: no item (and no failure: the fd may
 * have been closed by another thread, which is not a read failure of ours).
 */
static __always_inline void put_tuple(struct kcap_rec *r, __u8 arg, long fd)
{
	long off = item_slot(r);
	if (off < 0)
		return;
	struct file *file = fd_file(r, fd);
	if (!file)
		return;
	if ((file->f_inode->i_mode & S_IFMT) != S_IFSOCK)
		return;
	struct socket *sock = file->private_data;
	if (!sock)
		return;
	struct socket *so = bpf_rdonly_cast(sock, bpf_core_type_id_kernel(struct socket));
	struct sock *sk = so->sk;
	if (!sk)
		return;
	struct kcap_tuple *t = (struct kcap_tuple *)(r->buf + off + sizeof(struct kcap_item));
	__builtin_memset(t, 0, sizeof(*t));
	t->family = sk->__sk_common.skc_family;
	t->proto = sk->sk_protocol;
	t->lport = sk->__sk_common.skc_num;
	t->rport = bpf_ntohs(sk->__sk_common.skc_dport);
	if (t->family == 2 /* AF_INET */) {
		__u32 la = sk->__sk_common.skc_rcv_saddr, ra = sk->__sk_common.skc_daddr;
		__builtin_memcpy(t->laddr, &la, 4);
		__builtin_memcpy(t->raddr, &ra, 4);
	} else if (t->family == 10 /* AF_INET6 */) {
		/* Sized by the destination array: BPF_CORE_READ_INTO(t->laddr, ...) would copy sizeof(*t->laddr),
		 * one byte, and every IPv6 address would read as ::. */
		bpf_core_read(t->laddr, sizeof(t->laddr), &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(t->raddr, sizeof(t->raddr), &sk->__sk_common.skc_v6_daddr);
	}
	item_done(r, off, KCAP_ITEM_TUPLE, arg, sizeof(*t));
}

/*
 * Room for the largest record at the CPU's head? Fills r's buffer, position and head, or counts a ring-full
 * drop. The tail is the reader's; reading a stale (smaller) one only makes the check stricter.
 */
static __always_inline int claim(struct kcap_rec *r, struct kcap_counters *cnt)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct kcap_buf_pos *pos = bpf_map_lookup_elem(&kcap_pos, &cpu);
	__u8 *buf = bpf_map_lookup_elem(&kcap_buf, &cpu);
	if (!pos || !buf)
		return 0;
	__u64 head = pos->head;
	__u64 tail = *(volatile __u64 *)&pos->tail;
	if (head - tail > kcap_buf_mask + 1 - KCAP_RECORD_MAX) {
		cnt->drop_ring_full++;
		return 0;
	}
	r->buf = buf + (head & kcap_buf_mask);
	r->pos = pos;
	r->head = head;
	r->cnt = cnt;
	return 1;
}

/*
 * Makes the record of len bytes at r->head visible to the reader: its bytes first, then head. Wakes the reader
 * once when the buffer passes kcap_wakeup_bytes (it clears wake_sent when it has drained this CPU).
 */
static __always_inline void publish(struct kcap_rec *r, __u32 len)
{
	struct kcap_buf_pos *pos = r->pos;
	__u64 head = r->head + len;
#if defined(__TARGET_ARCH_x86)
	/* x86 does not reorder a store with earlier stores: keeping the compiler from doing so is enough. */
	asm volatile("" ::: "memory");
	pos->head = head;
#else
	/* Elsewhere an exchange (a full barrier: SWPAL on arm64) orders the record's bytes before head. */
	__sync_lock_test_and_set(&pos->head, head);
#endif
	r->cnt->written++;
	if (head - *(volatile __u64 *)&pos->tail > kcap_wakeup_bytes && !pos->wake_sent) {
		pos->wake_sent = 1;
		__u64 cpu = bpf_get_smp_processor_id();
		bpf_ringbuf_output(&kcap_wake, &cpu, sizeof(cpu), BPF_RB_FORCE_WAKEUP);
	}
}

/* Pads to KCAP_RECORD_ALIGN with zeros, completes the header and publishes the record. */
static __always_inline void submit(struct kcap_rec *r)
{
	__u32 off = r->off;
	if (off > KCAP_RECORD_MAX - KCAP_RECORD_ALIGN) {
		r->cnt->drop_too_large++;
		return;
	}
	*(__u64 *)(r->buf + off) = 0;
	__u32 len = (off + KCAP_RECORD_ALIGN - 1) & ~(KCAP_RECORD_ALIGN - 1);
	struct kcap_hdr *h = (struct kcap_hdr *)r->buf;
	h->len = len;
	h->flags = r->flags;
	publish(r, len);
}

static __always_inline void fill_hdr(struct kcap_hdr *h, __u64 ts, __u64 pid_tgid, __u16 type)
{
	h->ts_ns = ts;
	h->tid = (__u32)pid_tgid;
	h->pid = pid_tgid >> 32;
	h->type = type;
	h->len = 0;
	h->cpu = bpf_get_smp_processor_id();
	h->flags = 0;
}

/*
 * The start of a process event's record (fork, exec, exit, signal): counts the event as seen, claims room at
 * the CPU's head and fills in the header, with `size` bytes (its fixed part) used. The record, or NULL when
 * there is no room (claim counts the drop).
 */
static __always_inline void *claim_event(struct kcap_rec *r, __u32 size, __u64 pid_tgid, __u16 type)
{
	struct kcap_counters *cnt = counters();
	if (!cnt)
		return NULL;
	cnt->seen++;
	r->off = size;
	if (!claim(r, cnt))
		return NULL;
	fill_hdr((struct kcap_hdr *)r->buf, bpf_ktime_get_boot_ns(), pid_tgid, type);
	return r->buf;
}

/* A 32-bit (ia32) syscall on x86_64: other numbers and registers; decoding it as x86_64 would be wrong. */
static __always_inline int compat_syscall(struct task_struct *task)
{
#if defined(__TARGET_ARCH_x86)
	return task->thread_info.status & TS_COMPAT;
#else
	return 0;
#endif
}

/*
 * Raw syscall arguments as the thread passed them (arm64 overwrites x0 with the result: orig_x0 keeps it), but
 * the last `unused`, stored as zeros: the registers the syscall does not take (kcap_unused_args), for the
 * syscalls without items, in the same pass.
 */
static __always_inline void read_args(struct pt_regs *regs, kcap_u64 *args, __u8 unused)
{
#if defined(__TARGET_ARCH_x86)
	args[0] = unused < 6 ? regs->di : 0;
	args[1] = unused < 5 ? regs->si : 0;
	args[2] = unused < 4 ? regs->dx : 0;
	args[3] = unused < 3 ? regs->r10 : 0;
	args[4] = unused < 2 ? regs->r8 : 0;
	args[5] = unused < 1 ? regs->r9 : 0;
#elif defined(__TARGET_ARCH_arm64)
	args[0] = unused < 6 ? regs->orig_x0 : 0;
	args[1] = unused < 5 ? regs->regs[1] : 0;
	args[2] = unused < 4 ? regs->regs[2] : 0;
	args[3] = unused < 3 ? regs->regs[3] : 0;
	args[4] = unused < 2 ? regs->regs[4] : 0;
	args[5] = unused < 1 ? regs->regs[5] : 0;
#endif
}

/*
 * Zeroes the last `unused` arguments of a record whose items were decoded from all six: decode() reads the
 * raw registers, so a table that counted a syscall's parameters short could not lose an item.
 */
static __always_inline void zero_args(kcap_u64 *args, __u8 unused)
{
	if (unused > 0)
		args[5] = 0;
	if (unused > 1)
		args[4] = 0;
	if (unused > 2)
		args[3] = 0;
	if (unused > 3)
		args[2] = 0;
	if (unused > 4)
		args[1] = 0;
	if (unused > 5)
		args[0] = 0;
}

static __always_inline long syscall_nr(struct pt_regs *regs)
{
#if defined(__TARGET_ARCH_x86)
	return (long)regs->orig_ax;
#elif defined(__TARGET_ARCH_arm64)
	return (long)regs->syscallno;
#endif
}

/* The decoded items of one syscall record, by the table above. */
static __always_inline void decode(struct kcap_rec *r, const struct kcap_dec *d, const kcap_u64 *args, long ret)
{
	__u8 a = d->a, b = d->b, c = d->c;
	__u64 pa = a < 6 ? args[a] : 0;

	/* Reads and writes, the most frequent decoded calls, before the switch: BPF has no jump tables, a switch is
	 * a tree of compares, and it grew a level with the ops of issue 10 (+3 ns per read in bpf_stats). */
	if (d->op == KOP_BUF) {
		put_data(r, a, (const void *)pa, ret, ~0ULL);
		return;
	}
	switch (d->op) {
	case KOP_OPEN:
		put_user_str(r, KCAP_ITEM_PATH, a, (const void *)pa);
		if (ret >= 0)
			put_inode_of_fd(r, ret);
		break;
	case KOP_STAT:
	case KOP_STATX:
		put_user_str(r, KCAP_ITEM_PATH, a, (const void *)pa);
		/* fall through */
	case KOP_FSTAT:
		if (ret == 0)
			put_inode_of_stat(r, b & 7, (const void *)args[b & 7], d->op == KOP_STATX);
		break;
	case KOP_PATH:
		if (a < 6)
			put_user_str(r, KCAP_ITEM_PATH, a, (const void *)pa);
		if (b < 6)
			put_user_str(r, KCAP_ITEM_PATH, b, (const void *)args[b]);
		if (c < 6)
			put_user_str(r, KCAP_ITEM_PATH, c, (const void *)args[c]);
		break;
	case KOP_EXEC:
		if (ret < 0) {
			/* The caller's image is intact: its path and arrays are where it passed them. */
			put_user_str(r, KCAP_ITEM_PATH, a, (const void *)pa);
			if (b < 6)
				put_user_strv(r, b, (const char *const *)args[b]);
			if (kcap_env && c < 6)
				put_user_strv(r, c, (const char *const *)args[c]);
		} else {
			__u32 tid = (__u32)bpf_get_current_pid_tgid();
			struct kcap_exec_name *x = bpf_map_lookup_elem(&kcap_exec_name, &tid);
			if (x) {
				put_kernel_str(r, KCAP_ITEM_PATH, a, x->name);
				bpf_map_delete_elem(&kcap_exec_name, &tid);
			}
			/* The old image is gone; the new one's argument and environment areas hold the same strings. */
			struct task_struct *task = bpf_get_current_task_btf();
			__u64 start = BPF_CORE_READ(task, mm, arg_start);
			__u64 end = BPF_CORE_READ(task, mm, arg_end);
			if (b < 6 && end > start)
				put_user_bytes(r, KCAP_ITEM_ARGV, b, (const void *)start, end - start);
			if (kcap_env && c < 6) {
				start = BPF_CORE_READ(task, mm, env_start);
				end = BPF_CORE_READ(task, mm, env_end);
				if (end > start)
					put_user_bytes(r, KCAP_ITEM_ARGV, c, (const void *)start, end - start);
			}
		}
		break;
	case KOP_XATTR_GET:
	case KOP_XATTR_SET:
		if (a < 6)
			put_user_str(r, KCAP_ITEM_PATH, a, (const void *)pa);
		if (b < 6)
			put_user_str(r, KCAP_ITEM_PATH, b, (const void *)args[b]);
		if (c < 5) {
			if (d->op == KOP_XATTR_GET)
				put_data(r, c, (const void *)args[c], ret, ~0ULL);
			else if (ret == 0)
				put_data(r, c, (const void *)args[c], (long)args[c + 1], ~0ULL);
		}
		break;
	case KOP_GETCWD:
		if (ret > 0)
			put_user_str(r, KCAP_ITEM_PATH, a, (const void *)pa);
		break;
	case KOP_READLINK:
		put_user_str(r, KCAP_ITEM_PATH, a, (const void *)pa);
		/* The target is not NUL-terminated: exactly ret bytes. */
		if (ret > 0 && b < 6)
			put_user_bytes(r, KCAP_ITEM_PATH, b, (const void *)args[b], ret);
		break;
	case KOP_PRCTL:
		if (args[0] == PR_SET_NAME || (args[0] == PR_GET_NAME && ret == 0))
			put_user_str(r, KCAP_ITEM_PATH, 1, (const void *)args[1]);
		break;
	case KOP_MEMOUT:
		if (ret > 0 && c > 0)
			put_user_bytes(r, KCAP_ITEM_MEMORY, a, (const void *)pa, c);
		break;
	case KOP_MEMINOUT:
		if (a < 6 && c > 0)
			put_user_bytes(r, KCAP_ITEM_MEMORY, a, (const void *)pa, c);
		if (b < 6 && c > 0 && ret == 0)
			put_user_bytes(r, KCAP_ITEM_MEMORY, b, (const void *)args[b], c);
		break;
	case KOP_EPOLL_WAIT:
		if (ret > 0) {
			__u64 n = ret > 16 ? 16 : ret;
			put_user_bytes(r, KCAP_ITEM_MEMORY, a, (const void *)pa, n * KCAP_EPOLL_EVENT_SIZE);
		}
		break;
	case KOP_MEMLEN: {
		__u64 n = b < 6 ? args[b] : 0;
		if (n > 64)
			n = 64;
		put_user_bytes(r, KCAP_ITEM_MEMORY, a, (const void *)pa, n);
		break;
	}
	case KOP_POLL: {
		__u64 n = args[1];
		if (n > 16)
			n = 16;
		put_user_bytes(r, KCAP_ITEM_MEMORY, a, (const void *)pa, n * 8);
		break;
	}
	case KOP_MMSG:
		if (ret > 0) {
			/* struct mmsghdr: the msghdr, then the length the call moved for it */
			struct user_msghdr m;
			__u32 len = 0;
			if (bpf_probe_read_user(&m, sizeof(m), (const void *)pa) ||
			    bpf_probe_read_user(&len, sizeof(len), (const __u8 *)pa + sizeof(m))) {
				read_failed(r);
				break;
			}
			if (m.msg_name && m.msg_namelen > 0)
				put_sockaddr(r, a, m.msg_name, (__u64)m.msg_namelen);
			put_iov_data(r, a, m.msg_iov, m.msg_iovlen, len);
		}
		break;
	case KOP_SA_IN:
		put_sockaddr(r, a, (const void *)pa, args[b & 7]);
		if (ret == 0 || ret == -EINPROGRESS)
			put_tuple(r, 0, (long)(int)args[0]);
		break;
	case KOP_SA_OUT:
		if (ret == 0)
			put_sockaddr_out(r, a, (const void *)pa, (const void *)args[b & 7]);
		break;
	case KOP_ACCEPT:
		if (ret >= 0) {
			put_sockaddr_out(r, a, (const void *)pa, (const void *)args[b & 7]);
			put_tuple(r, NOARG, ret);
		}
		break;
	case KOP_SENDTO:
		if (ret >= 0) {
			put_data(r, 1, (const void *)args[1], ret, ~0ULL);
			put_sockaddr(r, 4, (const void *)args[4], args[5]);
			put_tuple(r, 0, (long)(int)args[0]);
		}
		break;
	case KOP_RECVFROM:
		if (ret >= 0) {
			put_data(r, 1, (const void *)args[1], ret, ~0ULL);
			put_sockaddr_out(r, 4, (const void *)args[4], (const void *)args[5]);
			put_tuple(r, 0, (long)(int)args[0]);
		}
		break;
	case KOP_MSG:
		if (ret >= 0) {
			struct user_msghdr m;
			if (bpf_probe_read_user(&m, sizeof(m), (const void *)pa)) {
				read_failed(r);
				break;
			}
			if (m.msg_name && m.msg_namelen > 0) {
				put_sockaddr(r, a, m.msg_name, (__u64)m.msg_namelen);
				/* An address names the peer of an unconnected (datagram) socket: its local end too. */
				put_tuple(r, 0, (long)(int)args[0]);
			}
			put_iov_data(r, a, m.msg_iov, m.msg_iovlen, ret);
		}
		break;
	case KOP_IOV:
		put_iov_data(r, a, (const struct iovec *)pa, a < 5 ? args[a + 1] : 0, ret);
		break;
	case KOP_FDPAIR:
		if (ret == 0) {
			put_user_bytes(r, KCAP_ITEM_FDPAIR, a, (const void *)pa, 8);
			/* A pipe is named by its inode (pipe:[N]), as /proc and the snapshots name it. */
			int fd0 = -1;
			if (b != NOARG && !bpf_probe_read_user(&fd0, sizeof(fd0), (const void *)pa))
				put_inode_of_fd(r, fd0);
		}
		break;
	case KOP_CLONE3: {
		/* The parent's return (or a failure): the child returns 0 with the same pointer, into memory the
		 * parent may already have reused. */
		if (ret == 0)
			break;
		__u64 size = args[b & 7];
		if (size > KCAP_CLONE_ARGS_MAX)
			size = KCAP_CLONE_ARGS_MAX;
		put_user_bytes(r, KCAP_ITEM_CLONE_ARGS, a, (const void *)pa, size);
		break;
	}
	case KOP_LISTEN:
		if (ret == 0)
			put_tuple(r, 0, (long)(int)args[0]);
		break;
	}
}

/* Builds and submits the kcap_syscall record (at exit, or at entry for syscalls that never return). */
static __always_inline void fill_syscall(struct kcap_syscall *s, struct pt_regs *regs, long nr, long ret,
					 __u64 pid_tgid, __u64 now, __u64 latency, __u16 flags, __u8 unused)
{
	fill_hdr(&s->hdr, now, pid_tgid, KCAP_REC_SYSCALL);
	s->hdr.flags = flags;
	s->latency_ns = latency;
	s->nr = nr;
	s->nitems = 0;
	s->pad0 = 0;
	s->ret = ret;
	read_args(regs, s->args, unused);
}

/* Builds and publishes the kcap_syscall record (at exit, or at entry for syscalls that never return). */
static __always_inline void emit_syscall(struct task_struct *task, struct pt_regs *regs, long nr, long ret,
					 __u64 pid_tgid, __u64 now, __u64 latency, __u16 flags)
{
	struct kcap_counters *cnt = counters();
	if (!cnt)
		return;
	cnt->seen++;
	struct kcap_rec r = { .off = sizeof(struct kcap_syscall), .flags = flags, .task = task };
	if (!claim(&r, cnt))
		return;
	struct kcap_syscall *s = (struct kcap_syscall *)r.buf;
	const struct kcap_dec *d = &kcap_decode[nr & (KCAP_NR_SLOTS - 1)];
	__u8 unused = kcap_unused_args[nr & (KCAP_NR_SLOTS - 1)];
	fill_syscall(s, regs, nr, ret, pid_tgid, now, latency, flags, d->op == KOP_NONE ? unused : 0);
	if (d->op == KOP_NONE) {
		/* Most syscalls: the fixed 96 bytes, already a multiple of the alignment. */
		s->hdr.len = sizeof(*s);
		publish(&r, sizeof(*s));
		return;
	}
	decode(&r, d, s->args, ret);
	zero_args(s->args, unused);
	s->nitems = r.nitems;
	submit(&r);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(kcap_sys_enter, struct pt_regs *regs, long id)
{
	if (!syscall_wanted(id))
		return 0;
	/* These never reach sys_exit: record them now, or the capture would not show how a process ended. */
	if (id == KCAP_NR_exit_group || id == KCAP_NR_exit) {
		struct task_struct *task = bpf_get_current_task_btf();
		__u32 tgid = task->tgid;
		if (task_wanted(tgid) && !compat_syscall(task))
			emit_syscall(task, regs, id, 0, (__u64)tgid << 32 | (__u32)task->pid, bpf_ktime_get_boot_ns(), 0, 0);
		return 0;
	}
	/*
	 * Only the process filters need the task here. The recorder's own syscalls and 32-bit ones take the slot
	 * too (a clock read each), and their exits, which filter everything, throw it away: that saves a helper
	 * call on every traced syscall when recording system-wide.
	 */
	if ((kcap_filter_pids || kcap_filter_comm) && !task_wanted(bpf_get_current_task_btf()->tgid))
		return 0;
	__u32 zero = 0;
	struct kcap_enter_slot *slot = bpf_map_lookup_elem(&kcap_enter, &zero);
	if (slot) {
		slot->regs = (__u64)regs;
		slot->nr = id;
		slot->ts = bpf_ktime_get_boot_ns();
	}
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(kcap_sys_exit, struct pt_regs *regs, long ret)
{
	long nr = syscall_nr(regs);
	__u32 zero = 0;
	/*
	 * Take the CPU's entry slot back before any filter: an exit can be filtered out although its entry was
	 * not (an exec changed the comm, a tracer changed the number), and a slot left behind would be taken
	 * for a later syscall's entry.
	 */
	struct kcap_enter_slot *slot = bpf_map_lookup_elem(&kcap_enter, &zero);
	__u64 entered = 0;
	if (slot) {
		if (slot->regs == (__u64)regs) {
			entered = slot->ts;
			/* rt_sigreturn restored the signal frame's registers, orig_ax (-1) included: the slot knows it. */
			if (nr == -1 && slot->nr == KCAP_NR_rt_sigreturn)
				nr = KCAP_NR_rt_sigreturn;
		}
		slot->regs = 0;
	}
	if (!syscall_wanted(nr))
		return 0;
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = task->tgid, tid = task->pid;
	if (!task_wanted(tgid) || compat_syscall(task))
		return 0;
	__u64 pid_tgid = (__u64)tgid << 32 | tid;
	__u64 now = bpf_ktime_get_boot_ns();
	__u64 latency = 0;
	__u16 flags = KCAP_F_NO_ENTER;
	if (entered) {
		latency = now - entered;
		flags = 0;
	} else {
		/* The thread left its CPU during the syscall: kcap_sched_switch kept its entry time. */
		__u64 *ts = bpf_map_lookup_elem(&kcap_entered, &tid);
		if (ts) {
			latency = now - *ts;
			flags = 0;
			bpf_map_delete_elem(&kcap_entered, &tid);
		}
	}
	emit_syscall(task, regs, nr, ret, pid_tgid, now, latency, flags);
	return 0;
}

/* A thread leaves the CPU: if it is inside a syscall, its entry time goes with it (see kcap_enter). */
SEC("tp_btf/sched_switch")
int BPF_PROG(kcap_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u32 zero = 0;
	struct kcap_enter_slot *slot = bpf_map_lookup_elem(&kcap_enter, &zero);
	if (!slot || !slot->regs)
		return 0;
	/* The recorder's own syscalls take a slot too (kcap_sys_enter): not worth keeping, as their exits are
	 * filtered out before they would look in kcap_entered. */
	if (prev->tgid != kcap_self_tgid && slot->regs == (__u64)bpf_task_pt_regs(prev)) {
		__u32 tid = prev->pid;
		__u64 ts = slot->ts;
		bpf_map_update_elem(&kcap_entered, &tid, &ts, BPF_ANY);
	}
	slot->regs = 0;
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(kcap_proc_fork, struct task_struct *parent, struct task_struct *child)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	if (!tgid_wanted(tgid))
		return 0;
	__u32 child_tgid = child->tgid;
	if (kcap_filter_pids && child_tgid != tgid) {
		__u8 one = 1;
		bpf_map_update_elem(&kcap_traced, &child_tgid, &one, BPF_ANY);
	}
	if (!comm_wanted())
		return 0;
	struct kcap_rec r = {};
	struct kcap_proc_fork *f = claim_event(&r, sizeof(struct kcap_proc_fork), pid_tgid, KCAP_REC_PROC_FORK);
	if (!f)
		return 0;
	f->child_tid = child->pid;
	f->child_pid = child_tgid;
	/* comm is kept NUL-padded by the kernel (strscpy_pad): copy all 16 bytes, no stale buffer bytes. */
	BPF_CORE_READ_INTO(&f->child_comm, child, comm);
	submit(&r);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(kcap_proc_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (!task_wanted(pid_tgid >> 32))
		return 0;
	struct kcap_rec r = {};
	struct kcap_proc_exec *e = claim_event(&r, sizeof(struct kcap_proc_exec), pid_tgid, KCAP_REC_PROC_EXEC);
	if (!e)
		return 0;
	__u64 uid_gid = bpf_get_current_uid_gid();
	e->old_tid = old_pid;
	e->ppid = BPF_CORE_READ(p, real_parent, tgid);
	e->uid = (__u32)uid_gid;
	e->gid = uid_gid >> 32;
	e->nitems = 0;
	e->pad0 = 0;
	e->pad1 = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));

	/* The filename as the kernel resolved it for exec (kernel memory: the caller's string is gone). */
	const char *fname = BPF_CORE_READ(bprm, filename);
	put_kernel_str(&r, KCAP_ITEM_PATH, NOARG, fname);
	/* Kept for the execve/execveat record written when this exec returns to user space. */
	if (syscall_wanted(KCAP_NR_execve) || syscall_wanted(KCAP_NR_execveat)) {
		/* Built in this CPU's buffer past the record's room (the value is too large for the stack), then
		 * copied into the map. */
		__u32 tid = (__u32)pid_tgid;
		struct kcap_exec_name *x = (struct kcap_exec_name *)(r.buf + KCAP_RECORD_MAX - KCAP_EXEC_NAME_MAX);
		if (bpf_probe_read_kernel_str(x->name, sizeof(x->name), fname) > 0)
			bpf_map_update_elem(&kcap_exec_name, &tid, x, BPF_ANY);
	}
	/* argv from the new image's argument area, which exec has just written (resident). */
	__u64 start = BPF_CORE_READ(p, mm, arg_start);
	__u64 end = BPF_CORE_READ(p, mm, arg_end);
	if (end > start)
		put_user_bytes(&r, KCAP_ITEM_ARGV, NOARG, (const void *)start, end - start);
	e->nitems = r.nitems;
	submit(&r);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(kcap_proc_exit, struct task_struct *p, bool group_dead)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	if (!tgid_wanted(tgid))
		return 0;
	/* Forget the process once its last thread is gone (its tgid may be reused by an unrelated process). */
	if (kcap_filter_pids && group_dead)
		bpf_map_delete_elem(&kcap_traced, &tgid);
	/* A thread killed inside a syscall never reaches its sys_exit: drop what was kept for it. */
	__u32 tid = (__u32)pid_tgid;
	bpf_map_delete_elem(&kcap_entered, &tid);
	bpf_map_delete_elem(&kcap_exec_name, &tid);
	if (!comm_wanted())
		return 0;
	struct kcap_rec r = {};
	struct kcap_proc_exit *x = claim_event(&r, sizeof(struct kcap_proc_exit), pid_tgid, KCAP_REC_PROC_EXIT);
	if (!x)
		return 0;
	x->exit_code = p->exit_code;
	x->group_dead = group_dead ? 1 : 0;
	submit(&r);
	return 0;
}

/* A signal is delivered: its handler is about to run, or its default action (stop, terminate, core). */
SEC("tp_btf/signal_deliver")
int BPF_PROG(kcap_signal, int sig, struct kernel_siginfo *info, struct k_sigaction *ka)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (!task_wanted(pid_tgid >> 32))
		return 0;
	struct kcap_rec r = {};
	struct kcap_signal *g = claim_event(&r, sizeof(struct kcap_signal), pid_tgid, KCAP_REC_SIGNAL);
	if (!g)
		return 0;
	g->sig = sig;
	g->code = 0;
	g->sender_pid = 0;
	g->sender_uid = 0;
	g->status = 0;
	g->flags = 0;
	g->addr = 0;
	g->handler = 0;
	if (info) {
		g->flags = KCAP_SIG_INFO;
		int code = BPF_CORE_READ(info, si_code);
		g->code = code;
		if (sig == 17 /* SIGCHLD */ && code > 0) {
			g->sender_pid = BPF_CORE_READ(info, _sifields._sigchld._pid);
			g->sender_uid = BPF_CORE_READ(info, _sifields._sigchld._uid);
			g->status = BPF_CORE_READ(info, _sifields._sigchld._status);
		} else if (code == 0 /* SI_USER */ || code == -6 /* SI_TKILL */ || code == -1 /* SI_QUEUE */) {
			g->sender_pid = BPF_CORE_READ(info, _sifields._kill._pid);
			g->sender_uid = BPF_CORE_READ(info, _sifields._kill._uid);
		} else if (code > 0 && (sig == 11 || sig == 7 || sig == 4 || sig == 8 || sig == 5)) {
			g->addr = (__u64)BPF_CORE_READ(info, _sifields._sigfault._addr);
		}
	}
	if (ka)
		g->handler = (__u64)BPF_CORE_READ(ka, sa.sa_handler);
	submit(&r);
	return 0;
}

/*
 * The floor of any syscall recorder: programs that do nothing on the same tracepoints. Not loaded unless the
 * loader turns autoload on (`?` prefix), for `kcap record --bench-loop` (tools/bench/record.sh).
 */
SEC("?tp_btf/sys_enter")
int BPF_PROG(kcap_empty_enter, struct pt_regs *regs, long id)
{
	return 0;
}

SEC("?tp_btf/sys_exit")
int BPF_PROG(kcap_empty_exit, struct pt_regs *regs, long ret)
{
	return 0;
}
