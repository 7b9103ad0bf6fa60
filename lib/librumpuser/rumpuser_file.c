/*
 * The hypercall layer for host files (host side, below the rump kernel):
 * file information, open and close, synchronous positioned I/O, syncing,
 * and asynchronous block I/O.  Block I/O is queued to a small pool of
 * host I/O threads, so a kernel waiting for its disk holds no virtual
 * CPU; each request ends in the kernel's biodone callback, called from
 * an I/O thread.
 */

/* 64-bit file offsets on every host, before any host header. */
#define _FILE_OFFSET_BITS	64

#include <sys/ioctl.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <linux/fs.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rumpuser_int.h"

/*
 * A positioned transfer of the iovcnt pieces at iov (a write if
 * `iswrite', else a read), looped over short counts and EINTR until
 * every byte moved, end of file, or an error; iov is used up as it
 * goes.  The count goes to *donep in every case; the return value is 0
 * or a host errno value.  A write that moves nothing and gives no reason
 * is EIO, since a short count with error 0 means end of file.
 */
static int
piofull(int fd, struct iovec *iov, int iovcnt, int64_t off, bool iswrite,
    size_t *donep)
{
	size_t done = 0, k;
	ssize_t n;
	int error = 0;

	if (off < 0) {
		error = EINVAL;
		goto out;
	}
	for (;;) {
		while (iovcnt > 0 && iov->iov_len == 0) {
			iov++;
			iovcnt--;
		}
		if (iovcnt == 0)
			break;
		n = iswrite ? pwritev(fd, iov, iovcnt < IOV_MAX ? iovcnt :
		    IOV_MAX, (off_t)(off + (int64_t)done)) : preadv(fd, iov,
		    iovcnt < IOV_MAX ? iovcnt : IOV_MAX,
		    (off_t)(off + (int64_t)done));
		if (n == -1) {
			if (errno == EINTR)
				continue;
			error = errno;
			break;
		}
		if (n == 0) {
			if (iswrite)
				error = EIO;
			break;		/* Read: end of file. */
		}
		done += (size_t)n;
		/* Step past what moved. */
		for (; n > 0; n -= (ssize_t)k) {
			k = (size_t)n < iov->iov_len ? (size_t)n : iov->iov_len;
			iov->iov_base = (char *)iov->iov_base + k;
			iov->iov_len -= k;
			if (iov->iov_len == 0) {
				iov++;
				iovcnt--;
			}
		}
	}
 out:
	*donep = done;
	return error;
}

/*
 * Files
 */

int
rumpuser_getfileinfo(const char *path, uint64_t *sizep, int *typep)
{
	struct stat st;
	uint64_t size = 0;
	int fd, type, error = 0;

	if (stat(path, &st) == -1) {
		error = errno;
		goto out;
	}

	switch (st.st_mode & S_IFMT) {
	case S_IFREG:
		type = RUMPUSER_FT_REG;
		size = (uint64_t)st.st_size;
		break;
	case S_IFDIR:
		type = RUMPUSER_FT_DIR;
		size = (uint64_t)st.st_size;
		break;
	case S_IFBLK:
		/* stat(2) does not know a device's size; the device does. */
		type = RUMPUSER_FT_BLK;
		while ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) ==
		    -1) {
			if (errno != EINTR) {
				error = errno;
				goto out;
			}
		}
		if (ioctl(fd, BLKGETSIZE64, &size) == -1)
			error = errno;
		close(fd);
		if (error != 0)
			goto out;
		break;
	case S_IFCHR:
		type = RUMPUSER_FT_CHR;
		break;
	default:
		type = RUMPUSER_FT_OTHER;
		break;
	}

	if (sizep != NULL)
		*sizep = size;
	if (typep != NULL)
		*typep = type;
 out:
	return KERR(error);
}

int
rumpuser_open(const char *path, int ruflags, int *fdp)
{
	int flags, fd;

	/* Refuse flags this version of the interface does not define. */
	if ((ruflags & ~(RUMPUSER_OPEN_ACCMODE | RUMPUSER_OPEN_CREATE |
	    RUMPUSER_OPEN_EXCL | RUMPUSER_OPEN_BIO | RUMPUSER_OPEN_TRUNC)) != 0)
		return KERR(EINVAL);

	switch (ruflags & RUMPUSER_OPEN_ACCMODE) {
	case RUMPUSER_OPEN_RDONLY:
		flags = O_RDONLY;
		break;
	case RUMPUSER_OPEN_WRONLY:
		flags = O_WRONLY;
		break;
	case RUMPUSER_OPEN_RDWR:
		flags = O_RDWR;
		break;
	default:
		return KERR(EINVAL);
	}

	/*
	 * The kernel's descriptors are its own business: never inherited
	 * by programs the host process runs.  O_EXCL only together with
	 * O_CREAT: alone, Linux reads it as "exclusive use of a block
	 * device".  RUMPUSER_OPEN_BIO is a hint this host does not need.
	 */
	flags |= O_CLOEXEC;
	if ((ruflags & RUMPUSER_OPEN_CREATE) != 0) {
		flags |= O_CREAT;
		if ((ruflags & RUMPUSER_OPEN_EXCL) != 0)
			flags |= O_EXCL;
	}

	if ((ruflags & RUMPUSER_OPEN_TRUNC) != 0) {
		if ((ruflags & RUMPUSER_OPEN_ACCMODE) == RUMPUSER_OPEN_RDONLY)
			return KERR(EINVAL);
		flags |= O_TRUNC;
	}
	while ((fd = open(path, flags, 0644)) == -1) {
		if (errno != EINTR)
			return KERR(errno);
	}
	*fdp = fd;
	return 0;
}

int
rumpuser_close(int fd)
{

	/* After EINTR Linux has closed the descriptor: do not retry. */
	if (close(fd) == -1 && errno != EINTR)
		return KERR(errno);
	return 0;
}

int
rumpuser_pread(int fd, void *data, size_t dlen, int64_t off, size_t *retp)
{

	struct iovec iov = { .iov_base = data, .iov_len = dlen };

	return KERR(piofull(fd, &iov, 1, off, false, retp));
}

int
rumpuser_pwrite(int fd, const void *data, size_t dlen, int64_t off,
    size_t *retp)
{

	struct iovec iov = { .iov_base = (void *)(uintptr_t)data,
	    .iov_len = dlen };

	return KERR(piofull(fd, &iov, 1, off, true, retp));
}

int
rumpuser_syncfd(int fd, int flags)
{
	int rv;

	if (flags == 0 ||
	    (flags & ~(RUMPUSER_SYNC_DATA | RUMPUSER_SYNC_ALL)) != 0)
		return KERR(EINVAL);
	do {
		if ((flags & RUMPUSER_SYNC_ALL) != 0)
			rv = fsync(fd);
		else
			rv = fdatasync(fd);
	} while (rv == -1 && errno == EINTR);
	return rv == -1 ? KERR(errno) : 0;
}

/*
 * Asynchronous block I/O
 *
 * One FIFO queue of requests, served in order by a pool of I/O threads
 * started on first use.  A request occupies one thread from its start
 * to its biodone, so a long transfer delays only the thread doing it;
 * with one queue no file and no caller can starve another.  The I/O
 * threads run no kernel code of their own: the kernel's biodone
 * callback enters the kernel (hyp_enter()) itself.
 *
 * The pool lives until the process exits.  Then the library's
 * destructor, which runs after every atexit() handler (a kernel may
 * still sync its disks in one of those), stops the idle threads and
 * joins them, so that a program using a rump kernel ends with no thread
 * of ours alive (memory checkers count the resources of live threads as
 * leaks).  Threads still busy are waited for only briefly, since a
 * callback may be waiting for a virtual CPU that the exiting thread
 * holds.  Requests not yet started by then are dropped.  A child made
 * by fork(2) has none of the threads and starts a pool of its own if it
 * issues block I/O.
 */

#define BIO_THREADS_DEFAULT	4
#define BIO_THREADS_MAX		64
#define BIO_EXIT_WAIT_MS	100

struct bioreq {
	TAILQ_ENTRY(bioreq)	br_entries;
	int			br_fd;
	int			br_op;
	int64_t			br_off;
	rumpuser_biodone_fn	br_biodone;
	void			*br_bioarg;
	int			br_iovcnt;
	struct iovec		br_iov[];
};

struct biothread {
	pthread_t		bt_thread;
	int			bt_exited;	/* returned: join it */
};

/*
 * The queue and the threads' state.  Lock order: bio_start_mtx, then
 * bio_mtx.  bio_start_mtx covers the pool (bio_threads, bio_nthreads,
 * bio_atfork_done); bio_mtx covers the rest.
 */
static pthread_mutex_t bio_start_mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t bio_mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bio_cv = PTHREAD_COND_INITIALIZER;	/* work */
static pthread_cond_t bio_exit_cv = PTHREAD_COND_INITIALIZER;	/* exits */
static TAILQ_HEAD(, bioreq) bio_queue = TAILQ_HEAD_INITIALIZER(bio_queue);
static unsigned int bio_nidle;		/* threads waiting for work */
static int bio_nrunning;		/* threads not yet returned */
static int bio_exiting;			/* the process is exiting */
static struct biothread bio_threads[BIO_THREADS_MAX];
static int bio_nthreads;
static int bio_atfork_done;
static int bio_started;			/* set under bio_start_mtx, read
					   without a lock */

/* Set in the pool's threads: exit() may be called from a callback. */
static __thread int bio_self;

/* Carry out one request and report it; frees br. */
static void
bio_run(struct bioreq *br)
{
	rumpuser_biodone_fn biodone = br->br_biodone;
	void *bioarg = br->br_bioarg;
	size_t done = 0;
	int error;

	switch (br->br_op & (RUMPUSER_BIO_READ | RUMPUSER_BIO_WRITE)) {
	case RUMPUSER_BIO_READ:
		error = piofull(br->br_fd, br->br_iov, br->br_iovcnt,
		    br->br_off, false, &done);
		break;
	case RUMPUSER_BIO_WRITE:
		error = piofull(br->br_fd, br->br_iov, br->br_iovcnt,
		    br->br_off, true, &done);
		if (error == 0 && (br->br_op & RUMPUSER_BIO_SYNC) != 0) {
			while (fdatasync(br->br_fd) == -1) {
				if (errno != EINTR) {
					error = errno;
					break;
				}
			}
		}
		break;
	default:
		/* Neither or both directions: the caller's mistake. */
		error = EINVAL;
		break;
	}

	/* The request is spent; let its memory go before the callback. */
	free(br);
	biodone(bioarg, done, KERR(error));
}

static void *
bio_thread(void *arg)
{
	struct biothread *bt = arg;
	struct bioreq *br;

	bio_self = 1;
	pthread_mutex_lock(&bio_mtx);
	for (;;) {
		while ((br = TAILQ_FIRST(&bio_queue)) == NULL &&
		    !bio_exiting) {
			bio_nidle++;
			pthread_cond_wait(&bio_cv, &bio_mtx);
			bio_nidle--;
		}
		if (bio_exiting)
			break;
		TAILQ_REMOVE(&bio_queue, br, br_entries);
		pthread_mutex_unlock(&bio_mtx);

		bio_run(br);

		pthread_mutex_lock(&bio_mtx);
	}
	__atomic_store_n(&bt->bt_exited, 1, __ATOMIC_RELEASE);
	bio_nrunning--;
	pthread_cond_signal(&bio_exit_cv);
	pthread_mutex_unlock(&bio_mtx);
	return NULL;
}

/*
 * At exit (or unload): stop the pool, wait a little for busy threads,
 * join those that returned, and drop requests nobody will start.
 */
static void __attribute__((__destructor__))
bio_fini(void)
{
	struct bioreq *br;
	struct timespec deadline;
	int i, self = bio_self;

	pthread_mutex_lock(&bio_start_mtx);
	pthread_mutex_lock(&bio_mtx);
	bio_exiting = 1;
	pthread_cond_broadcast(&bio_cv);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_nsec += BIO_EXIT_WAIT_MS * 1000000L;
	if (deadline.tv_nsec >= NSEC_PER_SEC) {
		deadline.tv_sec++;
		deadline.tv_nsec -= NSEC_PER_SEC;
	}
	while (bio_nrunning > self) {
		if (pthread_cond_clockwait(&bio_exit_cv, &bio_mtx,
		    CLOCK_MONOTONIC, &deadline) == ETIMEDOUT)
			break;
	}
	while ((br = TAILQ_FIRST(&bio_queue)) != NULL) {
		TAILQ_REMOVE(&bio_queue, br, br_entries);
		free(br);
	}
	pthread_mutex_unlock(&bio_mtx);

	/* Returned threads are gone but for the join; it cannot block. */
	for (i = 0; i < bio_nthreads; i++) {
		if (__atomic_load_n(&bio_threads[i].bt_exited,
		    __ATOMIC_ACQUIRE)) {
			(void)pthread_join(bio_threads[i].bt_thread, NULL);
			bio_threads[i].bt_exited = 0;
		}
	}
	pthread_mutex_unlock(&bio_start_mtx);
}

/*
 * fork(2): hold both locks across it, so the child sees a consistent
 * queue.  The child has none of the pool's threads: it forgets the pool
 * (the parent's requests are the parent's to finish) and starts its own
 * on first use.
 */
static void
bio_atfork_prepare(void)
{

	pthread_mutex_lock(&bio_start_mtx);
	pthread_mutex_lock(&bio_mtx);
}

static void
bio_atfork_parent(void)
{

	pthread_mutex_unlock(&bio_mtx);
	pthread_mutex_unlock(&bio_start_mtx);
}

static void
bio_atfork_child(void)
{
	static const pthread_cond_t cvinit = PTHREAD_COND_INITIALIZER;
	struct bioreq *br;

	/* glibc keeps malloc usable in the child of a threaded process. */
	while ((br = TAILQ_FIRST(&bio_queue)) != NULL) {
		TAILQ_REMOVE(&bio_queue, br, br_entries);
		free(br);
	}
	bio_nidle = 0;
	bio_nrunning = 0;
	bio_exiting = 0;
	bio_nthreads = 0;
	bio_started = 0;
	/* Waiters counted in the condition variables are gone too. */
	bio_cv = cvinit;
	bio_exit_cv = cvinit;
	pthread_mutex_unlock(&bio_mtx);
	pthread_mutex_unlock(&bio_start_mtx);
}

/* The pool size: RUMP_BLKIO_THREADS if set and sane, else the default. */
static int
bio_poolsize(void)
{
	const char *s;
	char *ep;
	long n;

	if ((s = getenv("RUMP_BLKIO_THREADS")) == NULL)
		return BIO_THREADS_DEFAULT;
	errno = 0;
	n = strtol(s, &ep, 10);
	if (ep == s || *ep != '\0' || errno != 0 || n < 1 ||
	    n > BIO_THREADS_MAX) {
		rumpuser__printf("rumpuser: ignoring RUMP_BLKIO_THREADS=\"%s\" "
		    "(1 to %d), using %d\n", s, BIO_THREADS_MAX,
		    BIO_THREADS_DEFAULT);
		return BIO_THREADS_DEFAULT;
	}
	return (int)n;
}

/*
 * Start the I/O threads, once.  If the host cannot give us a single
 * thread now, keep trying: a request must not fail (see rumpuser_bio()).
 */
static void __attribute__((__noinline__))
bio_start(void)
{
	struct biothread *bt;
	char name[32];
	int want, error = 0, complained = 0;

	pthread_mutex_lock(&bio_start_mtx);
	if (bio_started)
		goto out;
	if (!bio_atfork_done) {
		/* Once per process image: a forked child inherits it. */
		if (pthread_atfork(bio_atfork_prepare, bio_atfork_parent,
		    bio_atfork_child) != 0)
			rumpuser__printf("rumpuser: cannot register block "
			    "I/O fork handlers\n");
		bio_atfork_done = 1;
	}

	want = bio_poolsize();
	for (;;) {
		while (bio_nthreads < want) {
			bt = &bio_threads[bio_nthreads];
			bt->bt_exited = 0;
			snprintf(name, sizeof(name), "rumpuser_bio%u",
			    (unsigned int)bio_nthreads);
			pthread_mutex_lock(&bio_mtx);
			bio_nrunning++;
			pthread_mutex_unlock(&bio_mtx);
			error = rumpuser__thread_spawn(bio_thread, bt, name,
			    1, &bt->bt_thread);
			if (error != 0) {
				pthread_mutex_lock(&bio_mtx);
				bio_nrunning--;
				pthread_mutex_unlock(&bio_mtx);
				break;
			}
			bio_nthreads++;
		}
		if (bio_nthreads > 0)
			break;
		if (!complained) {
			rumpuser__printf("rumpuser: cannot start block I/O "
			    "threads: %s; retrying\n", strerror(error));
			complained = 1;
		}
		rumpuser__msleep(1);
	}
	if (bio_nthreads < want)
		rumpuser__printf("rumpuser: started %d of %d block I/O "
		    "threads: %s\n", bio_nthreads, want, strerror(error));
	__atomic_store_n(&bio_started, 1, __ATOMIC_RELEASE);
 out:
	pthread_mutex_unlock(&bio_start_mtx);
}

/*
 * Queue a request.  The caller holds a virtual CPU and cannot take a
 * failure here, and biodone may not be called from this thread (it
 * needs a virtual CPU of its own): so when the host is out of memory
 * for the request record, wait a millisecond and try again, until it
 * succeeds.  Apart from that (and starting the pool once) this only
 * takes the queue lock for a moment.
 */
void
rumpuser_bio(int fd, int op, const struct rumpuser_iovec *iov, int iovcnt,
    int64_t off, rumpuser_biodone_fn biodone, void *bioarg)
{
	struct bioreq *br;
	int wake, i;

	if (__builtin_expect(!__atomic_load_n(&bio_started, __ATOMIC_ACQUIRE),
	    0))
		bio_start();

	if (iovcnt < 0)
		iovcnt = 0;
	while ((br = malloc(sizeof(*br) + sizeof(br->br_iov[0]) *
	    (size_t)iovcnt)) == NULL)
		rumpuser__msleep(1);
	br->br_fd = fd;
	br->br_op = op;
	br->br_iovcnt = iovcnt;
	for (i = 0; i < iovcnt; i++) {
		br->br_iov[i].iov_base = iov[i].iov_base;
		br->br_iov[i].iov_len = iov[i].iov_len;
	}
	br->br_off = off;
	br->br_biodone = biodone;
	br->br_bioarg = bioarg;

	pthread_mutex_lock(&bio_mtx);
	TAILQ_INSERT_TAIL(&bio_queue, br, br_entries);
	wake = bio_nidle > 0;
	pthread_mutex_unlock(&bio_mtx);

	/*
	 * Wake a thread after dropping the lock, so that it does not wake
	 * only to wait for the lock.  A thread counted idle above is
	 * already waiting on bio_cv, so the wakeup cannot be lost; busy
	 * threads look at the queue again before they wait.
	 */
	if (wake)
		pthread_cond_signal(&bio_cv);
}
