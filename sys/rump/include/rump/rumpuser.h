/*
 * rumpuser.h: the hypercall interface, the contract between a rump kernel
 * and its host.  The kernel's glue in sys/rump is the only caller of these
 * functions; lib/librumpuser implements them on POSIX and pthreads, and a
 * port to another host reimplements them and nothing else.
 *
 * Rules of the interface:
 *  - No includes: only compiler types, so kernel and host code both see
 *    the same declarations.  Objects of the host are opaque structs.
 *  - Every call that can fail returns 0 or an error number in the
 *    *kernel's* numbering (librumpuser translates host errno values), and
 *    passes results out through pointers.
 *  - Flags and constants are this interface's own (RUMPUSER_*), never
 *    whatever the host happens to use.
 *  - "Blocks" below means the call may sleep on the host.  The kernel
 *    glue releases its virtual CPU before a call that may block for long
 *    (see the scheduling notes at each call), so the host never sleeps
 *    while holding a virtual CPU.
 *
 * The version is checked by rumpuser_init(); bump it on any change here.
 */
#ifndef _RUMP_RUMPUSER_H_
#define _RUMP_RUMPUSER_H_

#define RUMPUSER_VERSION	4

struct lwp;
struct rumpuser_mtx;
struct rumpuser_rw;
struct rumpuser_cv;

/*
 * Upcalls from the host into the kernel, handed over once at init, for
 * host threads of librumpuser's own that must run kernel code (such as
 * the receive threads of network backends): hyp_enter() makes the
 * calling thread a kernel context, hyp_leave() undoes it.  Block I/O
 * completions (rumpuser_bio) are called bare; the kernel's callback
 * enters the kernel itself.
 */
struct rumpuser_hyperup {
	/* Bind the calling host thread to a temporary lwp and a CPU. */
	void	(*hyp_enter)(void);
	/* Undo hyp_enter(). */
	void	(*hyp_leave)(void);
};

/*
 * Initialisation and exit
 */

/*
 * Initialise the hypercall layer.  Called by rump_init() before anything
 * else here.  Returns 0, or RUMPUSER_EVERSION (and prints why) if the
 * kernel was built for another version of this interface.  Does not
 * block.
 */
#define RUMPUSER_EVERSION	(-2)
int	rumpuser_init(int version, const struct rumpuser_hyperup *hyp);

/*
 * Terminate the host process.  status RUMPUSER_PANIC aborts (core dump,
 * debugger stop); any other value is an exit status.  Does not return.
 */
#define RUMPUSER_PANIC		(-1)
void	rumpuser_exit(int status) __attribute__((__noreturn__));

/*
 * Fetch the configuration parameter `name' as a NUL-terminated string
 * into buf (buflen bytes).  Parameters come from the host environment
 * (RUMP_NCPU, RUMP_MEMLIMIT, RUMP_VERBOSE, RUMP_HOSTNAME, ...) or from
 * host defaults: RUMPUSER_PARAM_NCPU ("_RUMPUSER_NCPU") is the number of
 * host CPUs, RUMPUSER_PARAM_PHYSMEM ("_RUMPUSER_PHYSMEM") the host's
 * physical memory in bytes.  Returns 0, ENOENT if unset, E2BIG if buf is
 * too small.  Does not block.
 */
#define RUMPUSER_PARAM_NCPU	"_RUMPUSER_NCPU"
#define RUMPUSER_PARAM_PHYSMEM	"_RUMPUSER_PHYSMEM"
int	rumpuser_getparam(const char *name, void *buf, __SIZE_TYPE__ buflen);

/*
 * Memory
 */

/*
 * Allocate len bytes aligned to `alignment' (a power of two, or 0 for
 * the host's natural alignment).  Returns 0 and the memory in *memp, or
 * ENOMEM.  Called by the kernel's page-level allocator, which enforces
 * RUMP_MEMLIMIT itself.  EINVAL for an alignment that is not a power of
 * two.  Does not block for long.
 */
int	rumpuser_malloc(__SIZE_TYPE__ len, int alignment, void **memp);

/* Release memory from rumpuser_malloc(); len is the allocated size. */
void	rumpuser_free(void *mem, __SIZE_TYPE__ len);

/*
 * Console
 */

/*
 * Write len bytes to the host's console (standard error).  Writes are
 * atomic per call up to a line.  Does not block for long.
 */
void	rumpuser_cons_write(const char *buf, __SIZE_TYPE__ len);

/*
 * Clocks and sleep
 */

/* A wall clock (time since the epoch) and a monotonic clock. */
#define RUMPUSER_CLOCK_RELWALL	0
#define RUMPUSER_CLOCK_ABSMONO	1

/*
 * Read clock `clk' into *sec and *nsec.  Returns 0 or EINVAL for an
 * unknown clock.  Does not block.
 */
int	rumpuser_clock_gettime(int clk, __INT64_TYPE__ *sec, long *nsec);

/*
 * Sleep: with RUMPUSER_CLOCK_RELWALL for the relative interval sec/nsec
 * (measured on the monotonic clock, so setting the wall clock does not
 * change it), with RUMPUSER_CLOCK_ABSMONO until the monotonic clock reads
 * sec/nsec.  Returns 0, or EINVAL for a negative interval or nsec outside
 * [0, 1e9).  Blocks: the caller must not hold a virtual CPU.
 */
int	rumpuser_clock_sleep(int clk, __INT64_TYPE__ sec, long nsec);

/*
 * Random numbers
 */

/*
 * Fill buf with up to buflen bytes of host randomness and store the count
 * in *retp.  RUMPUSER_RANDOM_HARD asks for the host's best source;
 * RUMPUSER_RANDOM_NOWAIT returns what is available without blocking
 * (EAGAIN with *retp 0 if nothing is).  Returns 0 or an error number.
 */
#define RUMPUSER_RANDOM_HARD	0x01
#define RUMPUSER_RANDOM_NOWAIT	0x02
int	rumpuser_getrandom(void *buf, __SIZE_TYPE__ buflen, int flags,
	    __SIZE_TYPE__ *retp);

/*
 * Threads and the current-lwp slot
 */

/*
 * Create a host thread that runs f(arg).  `name' names the thread for
 * debuggers (may be truncated).  If joinable is nonzero the thread must
 * later be passed to rumpuser_thread_join() and *cookiep receives its
 * handle.  Returns 0 or EAGAIN/ENOMEM.  Does not block.
 */
int	rumpuser_thread_create(void *(*f)(void *), void *arg, const char *name,
	    int joinable, void **cookiep);

/* End the calling thread (created by rumpuser_thread_create). */
void	rumpuser_thread_exit(void) __attribute__((__noreturn__));

/*
 * Wait for the joinable thread `cookie' to exit and release it.
 * Returns 0 or an error number (the cookie then stays valid).  Blocks:
 * no virtual CPU may be held.
 */
int	rumpuser_thread_join(void *cookie);

/*
 * Each host thread has one slot holding the lwp it runs as (or NULL).
 * rumpuser_curlwp_set() sets the calling thread's slot; rumpuser_curlwp()
 * reads it.  Both are called on every kernel entry and must be fast.
 */
void	rumpuser_curlwp_set(struct lwp *l);
struct lwp *rumpuser_curlwp(void);

/*
 * Mutexes.  Plain host mutexes: the kernel keeps owner information and
 * does the CPU release around a wait.  Flag RUMPUSER_MTX_SPIN hints that
 * hold times are short (the host may spin before sleeping).
 */
#define RUMPUSER_MTX_SPIN	0x01
int	rumpuser_mutex_init(struct rumpuser_mtx **mtxp, int flags);
/* Acquire; blocks: the caller must not hold a virtual CPU. */
void	rumpuser_mutex_enter(struct rumpuser_mtx *mtx);
/* Try to acquire without blocking: 0 on success or EBUSY. */
int	rumpuser_mutex_tryenter(struct rumpuser_mtx *mtx);
void	rumpuser_mutex_exit(struct rumpuser_mtx *mtx);
void	rumpuser_mutex_destroy(struct rumpuser_mtx *mtx);

/*
 * Reader/writer locks, writers preferred.  There is no downgrade or
 * upgrade: a host rwlock cannot provide them atomically.
 */
#define RUMPUSER_RW_READER	0
#define RUMPUSER_RW_WRITER	1
int	rumpuser_rw_init(struct rumpuser_rw **rwp);
/* Acquire as reader or writer; blocks: no virtual CPU may be held. */
void	rumpuser_rw_enter(struct rumpuser_rw *rw, int op);
/* Try to acquire without blocking: 0 on success or EBUSY. */
int	rumpuser_rw_tryenter(struct rumpuser_rw *rw, int op);
void	rumpuser_rw_exit(struct rumpuser_rw *rw);
void	rumpuser_rw_destroy(struct rumpuser_rw *rw);

/*
 * Condition variables, used with a struct rumpuser_mtx.
 */
int	rumpuser_cv_init(struct rumpuser_cv **cvp);
void	rumpuser_cv_destroy(struct rumpuser_cv *cv);
/*
 * Wait on cv, atomically releasing mtx, and reacquire mtx before
 * returning.  Blocks: no virtual CPU may be held.
 */
void	rumpuser_cv_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx);
/*
 * As rumpuser_cv_wait(), but give up when the monotonic clock reaches
 * sec/nsec (nsec in [0, 1e9)): returns 0 if woken, possibly early and
 * spuriously, or ETIMEDOUT if the time passed.
 */
int	rumpuser_cv_timedwait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
	    __INT64_TYPE__ sec, long nsec);
void	rumpuser_cv_signal(struct rumpuser_cv *cv);
void	rumpuser_cv_broadcast(struct rumpuser_cv *cv);

/*
 * Host files and block I/O
 */

/* File types reported by rumpuser_getfileinfo(). */
#define RUMPUSER_FT_OTHER	0
#define RUMPUSER_FT_DIR		1
#define RUMPUSER_FT_REG		2
#define RUMPUSER_FT_BLK		3
#define RUMPUSER_FT_CHR		4

/*
 * Report the size in bytes and the type of the host file `path'.
 * Returns 0 or an error number (ENOENT, EACCES, ...).  Does not block
 * for long.
 */
int	rumpuser_getfileinfo(const char *path, __UINT64_TYPE__ *sizep,
	    int *typep);

/* Open modes for rumpuser_open(). */
#define RUMPUSER_OPEN_RDONLY	0x0000
#define RUMPUSER_OPEN_WRONLY	0x0001
#define RUMPUSER_OPEN_RDWR	0x0002
#define RUMPUSER_OPEN_ACCMODE	0x0003
#define RUMPUSER_OPEN_CREATE	0x0004	/* create if missing (mode 0644) */
#define RUMPUSER_OPEN_EXCL	0x0008	/* with CREATE: fail if it exists */
#define RUMPUSER_OPEN_BIO	0x0010	/* will be used for block I/O */
#define RUMPUSER_OPEN_TRUNC	0x0020	/* empty it (with write access) */

/*
 * Open the host file `path'; the descriptor goes to *fdp.  Unknown
 * flags are EINVAL.
 */
int	rumpuser_open(const char *path, int ruflags, int *fdp);
int	rumpuser_close(int fd);

/*
 * Asynchronous block I/O.  Transfer the iovcnt pieces of memory at iov,
 * in order, to or from the file from offset off (pieces anywhere in
 * memory, one host call where it can, so a transfer of many buffers
 * needs no copy; the array itself may go when the call returns), then
 * call biodone(bioarg, bytes_done, error) from
 * a host I/O thread, never from the caller's; a callback that runs
 * kernel code enters the kernel itself.  An error of 0 with fewer bytes
 * than asked means end of file.  RUMPUSER_BIO_SYNC makes a write reach
 * stable storage before biodone.  Does not block for long: the first
 * call starts the I/O threads, and if the host is out of memory for the
 * request the call retries every millisecond rather than fail.
 */
#define RUMPUSER_BIO_READ	0x01
#define RUMPUSER_BIO_WRITE	0x02
#define RUMPUSER_BIO_SYNC	0x04
struct rumpuser_iovec {
	void		*iov_base;
	__SIZE_TYPE__	iov_len;
};
typedef void (*rumpuser_biodone_fn)(void *bioarg, __SIZE_TYPE__ done,
	    int error);
void	rumpuser_bio(int fd, int op, const struct rumpuser_iovec *iov,
	    int iovcnt, __INT64_TYPE__ off, rumpuser_biodone_fn biodone,
	    void *bioarg);

/*
 * Synchronous I/O for small transfers: read or write at offset off and
 * return the byte count in *retp.  Blocks: no virtual CPU may be held.
 */
int	rumpuser_pread(int fd, void *data, __SIZE_TYPE__ dlen,
	    __INT64_TYPE__ off, __SIZE_TYPE__ *retp);
int	rumpuser_pwrite(int fd, const void *data, __SIZE_TYPE__ dlen,
	    __INT64_TYPE__ off, __SIZE_TYPE__ *retp);

/*
 * Flush the file's data (RUMPUSER_SYNC_DATA) or data and metadata
 * (RUMPUSER_SYNC_ALL) to stable storage; other flags are EINVAL.
 * Blocks.
 */
#define RUMPUSER_SYNC_DATA	0x01
#define RUMPUSER_SYNC_ALL	0x02
int	rumpuser_syncfd(int fd, int flags);

/*
 * Serving system calls to other processes (rumpuser_sp.c)
 *
 * The host listens on a socket; each client process that connects gets
 * a kernel process of its own, and its calls run on host threads of the
 * server, bound to lwps of that process.  The kernel hands over the
 * upcalls the server needs; all but sp_syscall are called with no CPU
 * held and take one themselves.  A process handle is the process' first
 * lwp, which the server keeps unbound for as long as the client lives.
 */
struct rumpuser_sp_upcalls {
	/* A new process named comm, child of pid 1: *mainp, *pidp. */
	int	(*sp_proc_new)(const char *comm, struct lwp **mainp,
		    int *pidp);
	/* A copy of main's process (descriptors and directories). */
	int	(*sp_proc_fork)(struct lwp *main, struct lwp **childp,
		    int *pidp);
	/* main's process ran exec: close-on-exec files go, comm changes. */
	void	(*sp_proc_exec)(struct lwp *main, const char *comm);
	/*
	 * The client is gone: the process' sleeping lwps wake up and their
	 * calls return EINTR, as will any call that would sleep later.
	 */
	void	(*sp_proc_interrupt)(struct lwp *main);
	/*
	 * Drop main; the process exits (its files are closed) when the last
	 * of its lwps is released.
	 */
	void	(*sp_proc_exit)(struct lwp *main);
	/* Bind the calling thread to a new lwp of main's process. */
	int	(*sp_lwp_enter)(struct lwp *main);
	/* Release the calling thread's lwp. */
	void	(*sp_lwp_exit)(void);
	/* rump_syscall() for the calling (bound) thread: kernel errno. */
	int	(*sp_syscall)(int num, void *args, __SIZE_TYPE__ argsize,
		    __INT64_TYPE__ *rv);
};

/*
 * Start serving at url: "unix://PATH" or "tcp://ADDR:PORT".  Returns
 * once the socket listens: 0, or EINVAL for a bad URL (with a console
 * line), EBUSY if already serving, or what the host said (EADDRINUSE,
 * ...).  Does not block for long.
 */
int	rumpuser_sp_init(const char *url,
	    const struct rumpuser_sp_upcalls *spu);

/*
 * Stop serving: close the socket and every connection, so clients see
 * the server go.  Calls in flight finish (their replies are lost).
 */
void	rumpuser_sp_fini(void);

/*
 * Copy between the kernel and the memory of the client whose call the
 * calling thread is running.  Return 0, EFAULT (a bad address, or the
 * client is gone) or, for copyinstr, ENAMETOOLONG when no NUL is within
 * len bytes (*done: bytes copied with the NUL).  Block: the caller must
 * not hold a virtual CPU.
 */
int	rumpuser_sp_copyin(const void *uaddr, void *kaddr, __SIZE_TYPE__ len);
int	rumpuser_sp_copyinstr(const void *uaddr, void *kaddr,
	    __SIZE_TYPE__ len, __SIZE_TYPE__ *done);
int	rumpuser_sp_copyout(const void *kaddr, void *uaddr, __SIZE_TYPE__ len);

#endif /* !_RUMP_RUMPUSER_H_ */
