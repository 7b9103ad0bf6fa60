/*
 * The shmif bus on a Linux host (host side of librumpnet_shmif): a
 * file mapped shared by every attached process, a robust
 * process-shared mutex (a process that dies holding it does not hang
 * the bus), and a futex word readers sleep on, woken by writers only
 * when someone sleeps.  See shmif_user.h.
 *
 * Layout of the file: struct shmif_bushdr, then SHMIF_RINGSIZE bytes
 * of ring.  A frame in the ring is a struct shmif_framehdr and its
 * bytes, starting anywhere and wrapping at the end.  Positions are
 * 64-bit byte counts that only grow; a position modulo the ring size is
 * its place in the ring.
 */

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <linux/futex.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rumpuser.h>

#include "kabi.h"
#include "rumpuser_abi.h"
#include "shmif_user.h"

#define SHMIF_MAGIC	0x53484d42	/* "SHMB" */
#define SHMIF_VERSION	2
#define SHMIF_RINGSIZE	(8 * 1024 * 1024)
#define SHMIF_MAXFRAME	(16 * 1024)

struct shmif_bushdr {
	uint32_t	bh_magic;
	uint32_t	bh_version;
	uint32_t	bh_ringsize;
	uint32_t	bh_pad0;
	pthread_mutex_t	bh_lock;	/* robust, process-shared */
	_Atomic uint32_t bh_gen;	/* bumped per frame: readers wait here */
	_Atomic uint32_t bh_sleepers;	/* readers asleep or about to be */
	_Atomic uint64_t bh_next;	/* where the next frame goes */
	uint64_t	bh_pad[4];
};

struct shmif_framehdr {
	uint32_t	fh_len;		/* frame bytes after this header */
	uint32_t	fh_sender;	/* the writer's id */
};

struct rumpuser_hostether {
	int			sh_fd;
	struct shmif_bushdr	*sh_bus;
	unsigned char		*sh_ring;
	size_t			sh_maplen;
	uint64_t		sh_pos;		/* this reader's */
	uint32_t		sh_id;		/* this writer's */
	_Atomic int		sh_intr;	/* recv should return */
};

static long
futex(_Atomic uint32_t *uaddr, int op, uint32_t val,
    const struct timespec *ts)
{

	return syscall(SYS_futex, (uint32_t *)uaddr, op, val, ts, NULL, 0);
}

/*
 * The bus lock.  If its holder died, the ring is still sound: a writer
 * publishes a frame (bh_next) only after writing all of it, and a
 * reader changes nothing shared.
 */
static void
bus_lock(struct shmif_bushdr *bh)
{

	if (pthread_mutex_lock(&bh->bh_lock) == EOWNERDEAD)
		(void)pthread_mutex_consistent(&bh->bh_lock);
}

static void
bus_unlock(struct shmif_bushdr *bh)
{

	(void)pthread_mutex_unlock(&bh->bh_lock);
}

/* Copy len bytes into or out of the ring at position pos, wrapping. */
static void
ring_write(struct rumpuser_hostether *h, uint64_t pos, const void *src,
    size_t len)
{
	size_t off = (size_t)(pos % SHMIF_RINGSIZE), n;

	n = SHMIF_RINGSIZE - off < len ? SHMIF_RINGSIZE - off : len;
	memcpy(h->sh_ring + off, src, n);
	memcpy(h->sh_ring, (const char *)src + n, len - n);
}

static void
ring_read(struct rumpuser_hostether *h, uint64_t pos, void *dst, size_t len)
{
	size_t off = (size_t)(pos % SHMIF_RINGSIZE), n;

	n = SHMIF_RINGSIZE - off < len ? SHMIF_RINGSIZE - off : len;
	memcpy(dst, h->sh_ring + off, n);
	memcpy((char *)dst + n, h->sh_ring, len - n);
}

int
rumpuser_shmif_open(const char *path, struct rumpuser_hostether **hp)
{
	struct rumpuser_hostether *h;
	struct shmif_bushdr *bh;
	size_t len = sizeof(*bh) + SHMIF_RINGSIZE;
	struct stat st;
	uint32_t id;
	int fd, error;

	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1)
		return rumpuser_abi_errno_tokern(errno);
	/*
	 * The first to come sizes and formats the file, under a host
	 * lock on the file so two first-comers do not both do it.
	 */
	if (lockf(fd, F_LOCK, 0) == -1)
		goto fail;
	if (fstat(fd, &st) == -1)
		goto fail_unlock;
	if ((size_t)st.st_size < len && ftruncate(fd, (off_t)len) == -1)
		goto fail_unlock;
	bh = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (bh == MAP_FAILED)
		goto fail_unlock;
	if (bh->bh_magic == 0) {
		pthread_mutexattr_t ma;

		if (pthread_mutexattr_init(&ma) != 0 ||
		    pthread_mutexattr_setpshared(&ma,
		    PTHREAD_PROCESS_SHARED) != 0 ||
		    pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST) != 0 ||
		    pthread_mutex_init(&bh->bh_lock, &ma) != 0) {
			(void)munmap(bh, len);
			(void)lockf(fd, F_ULOCK, 0);
			(void)close(fd);
			return KABI_ENOMEM;
		}
		(void)pthread_mutexattr_destroy(&ma);
		bh->bh_version = SHMIF_VERSION;
		bh->bh_ringsize = SHMIF_RINGSIZE;
		atomic_store(&bh->bh_next, 0);
		__atomic_store_n(&bh->bh_magic, SHMIF_MAGIC, __ATOMIC_RELEASE);
	} else if (bh->bh_magic != SHMIF_MAGIC ||
	    bh->bh_version != SHMIF_VERSION ||
	    bh->bh_ringsize != SHMIF_RINGSIZE) {
		(void)munmap(bh, len);
		(void)lockf(fd, F_ULOCK, 0);
		(void)close(fd);
		return KABI_EFTYPE;
	}
	(void)lockf(fd, F_ULOCK, 0);

	if ((h = calloc(1, sizeof(*h))) == NULL) {
		(void)munmap(bh, len);
		(void)close(fd);
		return KABI_ENOMEM;
	}
	h->sh_fd = fd;
	h->sh_bus = bh;
	h->sh_ring = (unsigned char *)(bh + 1);
	h->sh_maplen = len;
	h->sh_pos = atomic_load(&bh->bh_next);
	do {
		if (getentropy(&id, sizeof(id)) == -1)
			id = (uint32_t)getpid() ^ (uint32_t)(uintptr_t)h;
	} while (id == 0);
	h->sh_id = id;
	*hp = h;
	return 0;

fail_unlock:
	error = errno;
	(void)lockf(fd, F_ULOCK, 0);
	(void)close(fd);
	return rumpuser_abi_errno_tokern(error);
fail:
	error = errno;
	(void)close(fd);
	return rumpuser_abi_errno_tokern(error);
}

void
rumpuser_shmif_close(struct rumpuser_hostether *h)
{

	(void)munmap(h->sh_bus, h->sh_maplen);
	(void)close(h->sh_fd);
	free(h);
}

int
rumpuser_shmif_send(struct rumpuser_hostether *h,
    const struct rumpuser_iovec *iov, int iovcnt)
{
	struct shmif_bushdr *bh = h->sh_bus;
	struct shmif_framehdr fh;
	uint64_t pos;
	size_t len = 0;
	int i;

	for (i = 0; i < iovcnt; i++)
		len += iov[i].iov_len;
	if (len > SHMIF_MAXFRAME)
		return KABI_EMSGSIZE;
	fh.fh_len = (uint32_t)len;
	fh.fh_sender = h->sh_id;

	bus_lock(bh);
	pos = atomic_load_explicit(&bh->bh_next, memory_order_relaxed);
	ring_write(h, pos, &fh, sizeof(fh));
	pos += sizeof(fh);
	for (i = 0; i < iovcnt; i++) {
		ring_write(h, pos, iov[i].iov_base, iov[i].iov_len);
		pos += iov[i].iov_len;
	}
	/* Frames start 8-byte aligned. */
	pos = (pos + 7) & ~(uint64_t)7;
	atomic_store(&bh->bh_next, pos);
	atomic_fetch_add(&bh->bh_gen, 1);
	bus_unlock(bh);
	if (atomic_load(&bh->bh_sleepers) != 0)
		(void)futex(&bh->bh_gen, FUTEX_WAKE, INT32_MAX, NULL);
	return 0;
}

int
rumpuser_shmif_recv(struct rumpuser_hostether *h, void *buf, size_t buflen,
    size_t *lenp, unsigned long long *lostp)
{
	struct shmif_bushdr *bh = h->sh_bus;
	struct shmif_framehdr fh;
	uint64_t next;
	uint32_t gen;
	bool mine;

	for (;;) {
		if (atomic_exchange(&h->sh_intr, 0) != 0)
			return KABI_EINTR;
		gen = atomic_load(&bh->bh_gen);
		next = atomic_load(&bh->bh_next);
		if (next == h->sh_pos) {
			atomic_fetch_add(&bh->bh_sleepers, 1);
			if (atomic_load(&bh->bh_next) == h->sh_pos &&
			    atomic_load(&h->sh_intr) == 0)
				(void)futex(&bh->bh_gen, FUTEX_WAIT, gen, NULL);
			atomic_fetch_sub(&bh->bh_sleepers, 1);
			continue;
		}
		bus_lock(bh);
		next = atomic_load(&bh->bh_next);
		if (next - h->sh_pos > SHMIF_RINGSIZE ||
		    next < h->sh_pos) {
			/* Overrun: what we had not read is gone. */
			++*lostp;
			h->sh_pos = next;
			bus_unlock(bh);
			continue;
		}
		ring_read(h, h->sh_pos, &fh, sizeof(fh));
		if (fh.fh_len > SHMIF_MAXFRAME ||
		    h->sh_pos + sizeof(fh) + fh.fh_len > next) {
			/* Nonsense on the bus: start again from the present. */
			++*lostp;
			h->sh_pos = next;
			bus_unlock(bh);
			continue;
		}
		mine = fh.fh_sender == h->sh_id;
		if (!mine && fh.fh_len <= buflen)
			ring_read(h, h->sh_pos + sizeof(fh), buf, fh.fh_len);
		h->sh_pos = (h->sh_pos + sizeof(fh) + fh.fh_len + 7) &
		    ~(uint64_t)7;
		bus_unlock(bh);
		if (mine || fh.fh_len > buflen)
			continue;
		*lenp = fh.fh_len;
		return 0;
	}
}

void
rumpuser_shmif_interrupt(struct rumpuser_hostether *h)
{

	atomic_store(&h->sh_intr, 1);
	/* Wake every sleeper on the bus; the others go back to sleep. */
	atomic_fetch_add(&h->sh_bus->bh_gen, 1);
	(void)futex(&h->sh_bus->bh_gen, FUTEX_WAKE, INT32_MAX, NULL);
}
