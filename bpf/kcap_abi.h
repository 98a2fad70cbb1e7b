/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * kcap_abi.h: the one definition of every record the kcap BPF program writes into its per-CPU buffers and
 * the recorder copies, byte for byte, into event chunks of a capture file.
 *
 * Rules (a capture written today must stay readable by every later kcap):
 *  - little-endian, fixed-width fields, explicit padding, no bool, no pointers, no implicit holes;
 *  - every record starts with struct kcap_hdr, and hdr.len (a multiple of 8) says where the next one starts,
 *    so a reader skips record types it does not know;
 *  - fields are only ever appended; a reader takes a shorter fixed part as "field absent";
 *  - variable data follows the fixed part as packed items (struct kcap_item + data), then zero padding up
 *    to hdr.len.
 * This header is included by the BPF program (after vmlinux.h) and by user space (Swift's CKcapABI module,
 * for the layout test), so it uses compiler builtin types only and includes nothing.
 */
#ifndef KCAP_ABI_H
#define KCAP_ABI_H

typedef __UINT8_TYPE__ kcap_u8;
typedef __UINT16_TYPE__ kcap_u16;
typedef __UINT32_TYPE__ kcap_u32;
typedef __UINT64_TYPE__ kcap_u64;
typedef __INT32_TYPE__ kcap_s32;
typedef __INT64_TYPE__ kcap_s64;

/* Bumped when a record's meaning changes; appended fields do not bump it. Stored in the capture header. */
#define KCAP_ABI_VERSION 1

/* Records are padded to this alignment; hdr.len is always a multiple of it. */
#define KCAP_RECORD_ALIGN 8
/* No record is larger than this; a reader rejects hdr.len above it. */
#define KCAP_RECORD_MAX 8192

/* hdr.type */
enum kcap_record_type {
	KCAP_REC_SYSCALL = 1,   /* struct kcap_syscall: one record per syscall, written at its exit */
	KCAP_REC_PROC_FORK = 2, /* struct kcap_proc_fork: sched_process_fork (a new thread or process) */
	KCAP_REC_PROC_EXEC = 3, /* struct kcap_proc_exec: sched_process_exec (a successful exec) */
	KCAP_REC_PROC_EXIT = 4, /* struct kcap_proc_exit: sched_process_exit (a thread ends) */
	KCAP_REC_HOST = 5,      /* struct kcap_host: set only by kcap merge, never by the recorder (below) */
	KCAP_REC_SIGNAL = 6,    /* struct kcap_signal: signal_deliver (a signal is delivered to a thread) */
};

/* hdr.flags */
enum kcap_record_flags {
	KCAP_F_TRUNCATED = 1 << 0,  /* an item was cut short (scratch space, snaplen or a string limit) */
	KCAP_F_READ_FAILED = 1 << 1, /* a user-memory read failed; the affected item is absent */
	KCAP_F_NO_ENTER = 1 << 2,   /* the syscall's entry was not seen (started before recording): latency unknown */
	/* Set only by readers of other formats (sysdig captures), never by the recorder: */
	KCAP_F_ENTRY = 1 << 3,      /* the record is a syscall's entry event (evt.dir '>'): no result, no effect */
	KCAP_F_SYNTHETIC = 1 << 4,  /* state the other format gives another way (a clone child's fork): applied, not shown */
	KCAP_F_NO_FD = 1 << 5,      /* the other format's event names no fd, though kcap's row for the syscall has one */
	KCAP_F_CONTEXT = 1 << 6,    /* set by kcap slice, never by the recorder: kept only for the state it changes
	                               (the slice's filter hid it); readers apply it and print it only when asked */
};

/* Common header of every record: 24 bytes. */
struct kcap_hdr {
	kcap_u64 ts_ns;   /* CLOCK_BOOTTIME ns (bpf_ktime_get_boot_ns) when the record was made */
	kcap_u32 tid;     /* kernel pid of the thread */
	kcap_u32 pid;     /* kernel tgid of its process */
	kcap_u16 type;    /* enum kcap_record_type */
	kcap_u16 len;     /* whole record in bytes, header and padding included; multiple of KCAP_RECORD_ALIGN */
	kcap_u16 cpu;     /* CPU the record was made on */
	kcap_u16 flags;   /* enum kcap_record_flags */
};

/*
 * One syscall, recorded at sys_exit: raw arguments as the thread passed them, the result, and the time since
 * sys_enter (kept per CPU, or per thread in a preallocated hash map while the thread is off its CPU; see
 * kcap.bpf.c). Exit-only halves the record count and the entry timestamp costs
 * only a delta; see docs/recording.md for the measurements behind that choice.
 * Fixed part: 96 bytes, then hdr.len - 96 bytes of items and padding.
 */
struct kcap_syscall {
	struct kcap_hdr hdr;
	kcap_u64 latency_ns; /* sys_exit ts - sys_enter ts; 0 with KCAP_F_NO_ENTER */
	kcap_u16 nr;         /* syscall number in the recording machine's ABI (capture header names the arch) */
	kcap_u16 nitems;     /* number of struct kcap_item that follow */
	kcap_u32 pad0;       /* 0 from the recorder; readers of other formats: event type + 1, parameter count << 16 */
	kcap_s64 ret;        /* return value as the kernel returned it (negative errno on failure) */
	kcap_u64 args[6];    /* raw arguments, in syscall-ABI order */
};

/* Kinds of decoded payload attached to a record (struct kcap_item.kind). */
enum kcap_item_kind {
	KCAP_ITEM_PATH = 1,     /* a path string as the thread passed it, without the NUL */
	KCAP_ITEM_SOCKADDR = 2, /* struct sockaddr bytes as passed/returned (family first), up to 128 bytes */
	KCAP_ITEM_DATA = 3,     /* the first snaplen bytes of an I/O buffer (bytes actually transferred) */
	KCAP_ITEM_ARGV = 4,     /* exec argv, each argument NUL-terminated, concatenated */
	KCAP_ITEM_FDPAIR = 5,   /* two s32 fds written by pipe/pipe2/socketpair */
	KCAP_ITEM_TUPLE = 6,    /* struct kcap_tuple of a socket fd (connect, accept*, bind, listen) */
	KCAP_ITEM_CLONE_ARGS = 7, /* the first bytes of clone3's struct clone_args */
	KCAP_ITEM_SIGINFO = 8,  /* reserved */
	KCAP_ITEM_INODE = 9,    /* struct kcap_inode: the file an open* returned (arg 0xff) or a stat* described
	                           (arg = the index of the stat buffer argument) */
	KCAP_ITEM_FOREIGN_INT = 10, /* set only by readers of other formats: an integer parameter of the original
	                               event that no argument holds (arg = its index there), little-endian */
	KCAP_ITEM_MEMORY = 11,  /* the bytes of user memory an argument points to, read at exit: a value the call
	                           wrote (wait4's status) */
};

/*
 * Item header: 4 bytes, then `len` bytes of data; items are packed one after another (no alignment), so a
 * reader must use unaligned loads. `arg` is the syscall argument the item decodes (0-5), or 0xff for none.
 */
struct kcap_item {
	kcap_u8 kind; /* enum kcap_item_kind */
	kcap_u8 arg;
	kcap_u16 len;
};

/* A socket's endpoints, read from the kernel socket (struct sock) at syscall exit. 40 bytes. */
struct kcap_tuple {
	kcap_u16 family;  /* AF_INET (2), AF_INET6 (10), AF_UNIX (1) */
	kcap_u16 proto;   /* IPPROTO_TCP (6), IPPROTO_UDP (17), or 0 */
	kcap_u16 lport;   /* local port, host byte order */
	kcap_u16 rport;   /* remote port, host byte order */
	kcap_u8 laddr[16]; /* IPv4 in the first 4 bytes, network byte order */
	kcap_u8 raddr[16];
};

/*
 * Identity and ownership of a file: for open/openat/openat2/creat read from the new fd's inode at exit (so
 * reads and writes on that fd can show inode, owner and mode), for stat/lstat/fstat/newfstatat/statx taken
 * from the buffer the kernel filled. 48 bytes; an open's item holds only the first 24 (the fields up to gid:
 * an item's length says which fields it has, and the first recorders wrote 24 for every call).
 */
struct kcap_inode {
	kcap_u64 ino;
	kcap_u32 dev;  /* kernel dev_t: major << 20 | minor */
	kcap_u32 mode; /* file type and permission bits (S_IFMT | 07777) */
	kcap_u32 uid;  /* owner, as seen from the initial user namespace */
	kcap_u32 gid;
	/* appended (issue 10); stat* items only */
	kcap_u64 size;           /* st_size / stx_size */
	kcap_u32 stx_mask;       /* statx: the fields the kernel filled (0 for the stat calls) */
	kcap_u32 pad0;
	kcap_u64 stx_attributes; /* statx: STATX_ATTR_* */
};

/* The length of an INODE item of the first recorders, and of an open's: the fields up to gid. */
#define KCAP_INODE_V1_SIZE 24

/* sched_process_fork: hdr.tid/pid are the parent thread's. 48 bytes. */
struct kcap_proc_fork {
	struct kcap_hdr hdr;
	kcap_u32 child_tid;
	kcap_u32 child_pid;  /* equal to hdr.pid when the child is a thread of the same process */
	char child_comm[16];
};

/*
 * sched_process_exec: hdr.tid/pid are the thread after exec. 64 bytes, then items: KCAP_ITEM_PATH (the
 * filename the kernel executed) and KCAP_ITEM_ARGV (from the new image's argument area).
 */
struct kcap_proc_exec {
	struct kcap_hdr hdr;
	kcap_u32 old_tid;    /* the tid that called exec (differs when a non-leader thread execs) */
	kcap_u32 ppid;       /* tgid of the real parent */
	kcap_u32 uid;
	kcap_u32 gid;
	kcap_u16 nitems;
	kcap_u16 pad0;
	kcap_u32 pad1;
	char comm[16];       /* the new comm */
};

/* sched_process_exit: a thread ends. 32 bytes. */
struct kcap_proc_exit {
	struct kcap_hdr hdr;
	kcap_s32 exit_code;  /* task->exit_code: (status << 8) | terminating signal */
	kcap_u32 group_dead; /* 1 when this was the last thread of its process */
};

/*
 * Written only by kcap merge of several hosts' captures (capture format 1.3), never by the recorder: the
 * records after it, up to the next one, are of host `host` (an index into the capture header's `hosts`).
 * Readers that do not know it skip it as a record of an unknown type. 32 bytes.
 */
struct kcap_host {
	struct kcap_hdr hdr; /* ts_ns: the next record's; tid, pid, cpu 0 */
	kcap_u32 host;
	kcap_u32 pad0;
};

/*
 * signal_deliver: a signal is delivered to the thread in hdr.tid (its handler is about to run, or its default
 * action: stop, terminate, dump core). The sender and the rest come from the kernel's siginfo. 64 bytes.
 */
#define KCAP_SIG_INFO 1

struct kcap_signal {
	struct kcap_hdr hdr;
	kcap_s32 sig;        /* signal number */
	kcap_s32 code;       /* si_code: SI_USER 0, SI_KERNEL 0x80, SI_TKILL -6, CLD_EXITED 1, SEGV_MAPERR 1... */
	kcap_u32 sender_pid; /* si_pid of a signal a process sent (kill, tgkill, sigqueue, a child's SIGCHLD), else 0 */
	kcap_u32 sender_uid; /* si_uid, with sender_pid */
	kcap_s32 status;     /* SIGCHLD: si_status (exit code, or the signal that ended or stopped the child) */
	kcap_u32 flags;      /* KCAP_SIG_INFO: code, sender, status and addr come from a siginfo (a group exit's
	                        SIGKILL has none) */
	kcap_u64 addr;       /* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP: si_addr, the faulting address */
	kcap_u64 handler;    /* the disposition that runs: 0 SIG_DFL, 1 SIG_IGN, else the handler's address */
};

/*
 * Per-CPU counters kept by the BPF program (map kcap_counters, one entry). The recorder sums them over CPUs
 * and stores the totals in the capture's counter blocks.
 */
struct kcap_counters {
	kcap_u64 seen;           /* events that passed the pre-filters */
	kcap_u64 written;        /* records committed to the CPU's buffer */
	kcap_u64 drop_ring_full; /* the CPU's buffer had no room (the reader is behind) */
	kcap_u64 drop_too_large; /* record would not fit KCAP_RECORD_MAX */
	kcap_u64 drop_read_fail; /* kernel-memory reads that failed (record still written without the item) */
};

/*
 * The per-CPU record buffers (not part of the capture file): the program on CPU c appends records to element c
 * of the mmapable array kcap_buf and advances head in element c of kcap_pos; the recorder copies records out
 * and advances tail. Positions are byte counts that only grow; a record starts at (head & (size - 1)) and is
 * always contiguous: each buffer element has KCAP_BUF_SLACK bytes past its size for a record that starts near
 * the end. head and tail sit on their own cache lines (each side writes only its own).
 */
#define KCAP_BUF_SLACK KCAP_RECORD_MAX

struct kcap_buf_pos {
	kcap_u64 head;      /* written by the program: end of the last complete record */
	kcap_u64 wake_sent; /* 1 once the program has woken the reader; the reader clears it after draining */
	kcap_u64 pad0[6];
	kcap_u64 tail;      /* written by the recorder: everything before it has been copied */
	kcap_u64 pad1[7];
};

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(sizeof(struct kcap_hdr) == 24, "kcap_hdr layout");
_Static_assert(sizeof(struct kcap_syscall) == 96, "kcap_syscall layout");
_Static_assert(__builtin_offsetof(struct kcap_syscall, ret) == 40, "kcap_syscall.ret offset");
_Static_assert(__builtin_offsetof(struct kcap_syscall, args) == 48, "kcap_syscall.args offset");
_Static_assert(sizeof(struct kcap_item) == 4, "kcap_item layout");
_Static_assert(sizeof(struct kcap_tuple) == 40, "kcap_tuple layout");
_Static_assert(sizeof(struct kcap_inode) == 48, "kcap_inode layout");
_Static_assert(sizeof(struct kcap_proc_fork) == 48, "kcap_proc_fork layout");
_Static_assert(sizeof(struct kcap_host) == 32, "kcap_host layout");
_Static_assert(sizeof(struct kcap_proc_exec) == 64, "kcap_proc_exec layout");
_Static_assert(sizeof(struct kcap_proc_exit) == 32, "kcap_proc_exit layout");
_Static_assert(sizeof(struct kcap_signal) == 64, "kcap_signal layout");
_Static_assert(sizeof(struct kcap_counters) == 40, "kcap_counters layout");
_Static_assert(sizeof(struct kcap_buf_pos) == 128, "kcap_buf_pos layout");
_Static_assert(__builtin_offsetof(struct kcap_buf_pos, tail) == 64, "kcap_buf_pos.tail offset");
#endif

#endif /* KCAP_ABI_H */
