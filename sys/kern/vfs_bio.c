/*
 * The buffer cache (kernel): blocks of block devices kept in memory for
 * the file systems on them.  See sys/buf.h for the interface.
 *
 * Every buffer is in the hash table of (device, block) while cached.
 * A buffer that is not busy is on exactly one list: the clean LRU
 * (buf_lru, oldest first) or its device's dirty list (oldest first).
 * A busy buffer is on neither.  Memory: bufmem_max bytes, from the
 * kernel's memory at boot; going over it first evicts clean buffers,
 * then writes dirty ones and waits for them.  The syncer thread writes
 * dirty buffers every BUF_DELAY_SEC seconds.
 *
 * Locking: buf_lock covers everything above, each buffer's b_cflags
 * and b_wanted, and the device records.  A busy buffer's b_cflags are
 * changed by its owner only (under buf_lock), so the owner may read
 * them without it; waiters mark b_wanted.  buf_lock is never held
 * across d_strategy() or a sleep other than on buf_cv.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/buf.h>
#include <sys/condvar.h>
#include <sys/conf.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/mutex.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/time.h>

#define BUF_DELAY_SEC	3	/* the syncer's period */
#define BUF_MINMEM	(4 << 20)
#define BUF_MAXMEM	((uint64_t)1 << 30)
#define BUF_MAXINFLIGHT	(16 << 20)	/* writes started, in bytes */

/* A block device open for the cache. */
struct bufdev {
	LIST_ENTRY(bufdev) bd_list;
	dev_t		bd_dev;
	const struct devsw *bd_devsw;
	int		bd_fflag;
	TAILQ_HEAD(, buf) bd_dirty;	/* oldest first */
	u_int		bd_writing;	/* writes in flight */
	u_int		bd_reading;	/* read-ahead in flight */
	u_int		bd_ndirty;	/* buffers on bd_dirty */
	int		bd_error;	/* a failed write since bflush() */
	bool		bd_failed;	/* a write has ever failed */
	u_int		bd_syncround;	/* the syncer's, under buf_lock */
	u_int		bd_syncleft;
};

/*
 * A transfer of several adjacent buffers, straight to and from their
 * memory (b_vec).
 */
struct bufcluster {
	struct buf	bc_buf;		/* the transfer */
	int		bc_n;
	struct bufvec	*bc_vec;	/* bc_n pieces, after bc_bufs */
	struct buf	*bc_bufs[];	/* in block order */
};

#define BUFCLUSTER_SIZE(n) \
	(sizeof(struct bufcluster) + (sizeof(struct buf *) + \
	sizeof(struct bufvec)) * (size_t)(n))

static kmutex_t buf_lock;
static kcondvar_t buf_cv;		/* busy buffers, memory, writes */
static LIST_HEAD(bufhashhead, buf) *buf_hash;
static u_long buf_hashmask;
static TAILQ_HEAD(, buf) buf_lru = TAILQ_HEAD_INITIALIZER(buf_lru);
static LIST_HEAD(, bufdev) bufdevs = LIST_HEAD_INITIALIZER(bufdevs);
static uint64_t bufmem, bufmem_max, bufdirty;
static uint64_t bufinflight;		/* bytes being written */
static uint64_t buf_maxinflight;	/* ... at most, if one can wait */
static struct bufstats buf_stats;

static kcondvar_t syncer_cv;
static struct lwp *syncer_lwp;
static bool syncer_exit;

static void buf_startwrite(struct buf *);
static void buf_waitinflight(uint64_t);

static struct bufhashhead *
buf_hashhead(const struct bufdev *bd, int64_t blkno)
{
	uint64_t h;

	h = (uint64_t)(uintptr_t)bd * 0x9e3779b97f4a7c15ULL ^
	    (uint64_t)blkno * 0xff51afd7ed558ccdULL;
	return &buf_hash[(h ^ (h >> 29)) & buf_hashmask];
}

static struct buf *
buf_lookup(const struct bufdev *bd, int64_t blkno)
{
	struct buf *bp;

	KASSERT(mutex_owned(&buf_lock));
	LIST_FOREACH(bp, buf_hashhead(bd, blkno), b_hash)
		if (bp->b_bdev == bd && bp->b_blkno == blkno)
			return bp;
	return NULL;
}

/* Take bp off the list it is on (it is not busy). */
static void
buf_unlist(struct buf *bp)
{

	KASSERT((bp->b_cflags & BC_BUSY) == 0);
	if (bp->b_cflags & BC_DELWRI) {
		TAILQ_REMOVE(&bp->b_bdev->bd_dirty, bp, b_list);
		bp->b_bdev->bd_ndirty--;
	} else
		TAILQ_REMOVE(&buf_lru, bp, b_list);
}

/* Forget bp (not busy, not listed) and free it. */
static void
buf_free(struct buf *bp)
{

	KASSERT(mutex_owned(&buf_lock));
	LIST_REMOVE(bp, b_hash);
	if (bp->b_cflags & BC_DELWRI)
		bufdirty -= bp->b_bcount;
	bufmem -= bp->b_bufsize;
	buf_stats.bs_bufs--;
	if (bp->b_bufsize > 0)
		kmem_free(bp->b_data, bp->b_bufsize);
	buf_destroy(bp);
	kmem_free(bp, sizeof(*bp));
	cv_broadcast(&buf_cv);
}

/* Free clean, unused buffers, oldest first, until want bytes are free. */
static void
buf_evict(uint64_t want)
{
	struct buf *bp;

	while (bufmem + want > bufmem_max &&
	    (bp = TAILQ_FIRST(&buf_lru)) != NULL) {
		TAILQ_REMOVE(&buf_lru, bp, b_list);
		buf_free(bp);
	}
}

/*
 * Make room for size more bytes: evict clean buffers, then write dirty
 * ones and wait for them.  Gives up (and goes over) when nothing can be
 * freed, so the busy buffers of one thread never deadlock it.
 */
static void
buf_makeroom(size_t size)
{
	struct bufdev *bd;
	struct buf *bp;
	bool started;

	for (;;) {
		buf_evict(size);
		if (bufmem + size <= bufmem_max)
			return;
		started = false;
		LIST_FOREACH(bd, &bufdevs, bd_list) {
			if ((bp = TAILQ_FIRST(&bd->bd_dirty)) != NULL) {
				buf_startwrite(bp);
				started = true;
				break;
			}
		}
		if (!started) {
			if (bufinflight == 0)
				return;
			cv_wait(&buf_cv, &buf_lock);
		} else
			buf_waitinflight(buf_maxinflight);
	}
}

/* Wait until no more than max bytes are being written. */
static void
buf_waitinflight(uint64_t max)
{

	while (bufinflight > max)
		cv_wait(&buf_cv, &buf_lock);
}

/* Wait until bp is not busy; false if it may have gone meanwhile. */
static bool
buf_waitidle(struct buf *bp)
{

	if ((bp->b_cflags & BC_BUSY) == 0)
		return true;
	bp->b_wanted = true;
	cv_wait(&buf_cv, &buf_lock);
	return false;
}

/* Set bp's memory to size bytes, keeping the first ones. */
static void
buf_resize(struct buf *bp, size_t size)
{
	void *data;

	KASSERT(mutex_owned(&buf_lock));
	if (size == bp->b_bufsize) {
		bp->b_bcount = size;
		return;
	}
	mutex_exit(&buf_lock);
	data = size > 0 ? kmem_zalloc(size, KM_SLEEP) : NULL;
	if (bp->b_bufsize > 0) {
		memcpy(data, bp->b_data, MIN(size, bp->b_bcount));
		kmem_free(bp->b_data, bp->b_bufsize);
	}
	mutex_enter(&buf_lock);
	if (bp->b_cflags & BC_DELWRI)
		bufdirty = bufdirty - bp->b_bcount + size;
	bufmem = bufmem - bp->b_bufsize + size;
	bp->b_data = data;
	bp->b_bufsize = size;
	bp->b_bcount = size;
}

/*
 * The buffer for size bytes at blkno, busy.  For read-ahead (ra), NULL
 * instead of a cached buffer: it is never waited for.
 */
static struct buf *
buf_get(struct bufdev *bd, int64_t blkno, size_t size, bool ra)
{
	struct buf *bp, *nbp = NULL;

	KASSERT(size > 0 && size <= MAXPHYS);
	mutex_enter(&buf_lock);
	for (;;) {
		if ((bp = buf_lookup(bd, blkno)) != NULL) {
			if (ra) {
				bp = NULL;
				break;
			}
			if (!buf_waitidle(bp))
				continue;
			buf_unlist(bp);
			bp->b_cflags |= BC_BUSY;
			buf_stats.bs_hits++;
			break;
		}
		if (nbp != NULL) {
			/* Nobody added it while we allocated. */
			bp = nbp;
			nbp = NULL;
			LIST_INSERT_HEAD(buf_hashhead(bd, blkno), bp, b_hash);
			bufmem += bp->b_bufsize;
			buf_stats.bs_bufs++;
			buf_stats.bs_misses++;
			break;
		}
		buf_makeroom(size);
		mutex_exit(&buf_lock);
		nbp = kmem_zalloc(sizeof(*nbp), KM_SLEEP);
		buf_init(nbp);
		nbp->b_data = kmem_alloc(size, KM_SLEEP);
		nbp->b_bufsize = nbp->b_bcount = size;
		nbp->b_blkno = blkno;
		nbp->b_dev = bd->bd_dev;
		nbp->b_bdev = bd;
		nbp->b_cflags = BC_BUSY;
		mutex_enter(&buf_lock);
	}
	mutex_exit(&buf_lock);
	if (nbp != NULL) {
		kmem_free(nbp->b_data, size);
		buf_destroy(nbp);
		kmem_free(nbp, sizeof(*nbp));
	}
	if (bp != NULL && bp->b_bcount != size) {
		/* Cached at another size: write it out, then resize. */
		if (bp->b_cflags & BC_DELWRI) {
			int error;

			if ((error = bwrite(bp)) != 0) {
				mutex_enter(&buf_lock);
				if (bd->bd_error == 0)
					bd->bd_error = error;
				mutex_exit(&buf_lock);
			}
			return buf_get(bd, blkno, size, ra);
		}
		mutex_enter(&buf_lock);
		if (size > bp->b_bcount)
			bp->b_cflags &= ~BC_VALID;
		buf_resize(bp, size);
		mutex_exit(&buf_lock);
	}
	return bp;
}

struct buf *
getblk(struct bufdev *bd, int64_t blkno, size_t size)
{

	return buf_get(bd, blkno, size, false);
}

bool
incore(struct bufdev *bd, int64_t blkno)
{
	bool found;

	mutex_enter(&buf_lock);
	found = buf_lookup(bd, blkno) != NULL;
	mutex_exit(&buf_lock);
	return found;
}

void
allocbuf(struct buf *bp, size_t size)
{
	size_t old = bp->b_bcount;

	KASSERT(bp->b_cflags & BC_BUSY);
	KASSERT(size > 0 && size <= MAXPHYS);
	mutex_enter(&buf_lock);
	buf_resize(bp, size);
	mutex_exit(&buf_lock);
	if (size > old)
		memset((char *)bp->b_data + old, 0, size - old);
}

/* Release busy bp under buf_lock: to a list, or freed. */
static void
buf_release(struct buf *bp, int set)
{

	KASSERT(mutex_owned(&buf_lock));
	KASSERT(bp->b_cflags & BC_BUSY);
	if ((set & BC_INVAL) || (bp->b_cflags & BC_VALID) == 0) {
		if (bp->b_cflags & BC_DELWRI) {
			bp->b_cflags &= ~BC_DELWRI;
			bufdirty -= bp->b_bcount;
		}
		bp->b_cflags &= ~BC_BUSY;
		buf_free(bp);
		return;
	}
	if (bp->b_cflags & BC_DELWRI) {
		TAILQ_INSERT_TAIL(&bp->b_bdev->bd_dirty, bp, b_list);
		bp->b_bdev->bd_ndirty++;
	} else if (set & BC_AGE)
		TAILQ_INSERT_HEAD(&buf_lru, bp, b_list);
	else
		TAILQ_INSERT_TAIL(&buf_lru, bp, b_list);
	if (bp->b_wanted)
		cv_broadcast(&buf_cv);
	bp->b_wanted = false;
	bp->b_cflags &= ~(BC_BUSY | BC_ASYNC);
	if (bufmem > bufmem_max)
		buf_evict(0);
}

void
brelse(struct buf *bp, int set)
{

	mutex_enter(&buf_lock);
	buf_release(bp, set);
	mutex_exit(&buf_lock);
}

void
binval(struct bufdev *bd, int64_t blkno)
{
	struct buf *bp;

	mutex_enter(&buf_lock);
	while ((bp = buf_lookup(bd, blkno)) != NULL) {
		if (!buf_waitidle(bp))
			continue;
		buf_unlist(bp);
		bp->b_cflags |= BC_BUSY;
		buf_release(bp, BC_INVAL);
	}
	mutex_exit(&buf_lock);
}

/* Start the driver on a prepared transfer. */
static void
buf_strategy(struct bufdev *bd, struct buf *bp)
{

	bp->b_done = false;
	bp->b_error = 0;
	bp->b_resid = 0;
	bp->b_dev = bd->bd_dev;
	(*bd->bd_devsw->d_strategy)(bp);
}

/* A cluster transfer is over: end each buffer's part of it. */
static void
buf_clusterdone(struct buf *cbp)
{
	struct bufcluster *bc = cbp->b_private;
	int i;

	if (cbp->b_error == 0 && cbp->b_resid != 0)
		cbp->b_error = EIO;
	for (i = 0; i < bc->bc_n; i++) {
		struct buf *bp = bc->bc_bufs[i];

		bp->b_error = cbp->b_error;
		bp->b_resid = cbp->b_error != 0 ? bp->b_bcount : 0;
		biodone(bp);
	}
	buf_destroy(cbp);
	kmem_free(bc, BUFCLUSTER_SIZE(bc->bc_n));
}

/* Start the transfer of n adjacent buffers (busy, prepared). */
static void
buf_startcluster(struct bufdev *bd, struct buf **bufs, int n, bool rd)
{
	struct bufcluster *bc;
	struct buf *cbp;
	size_t len = 0;
	int i;

	if (n == 1) {
		bufs[0]->b_flags = rd ? B_READ : 0;
		buf_strategy(bd, bufs[0]);
		return;
	}
	for (i = 0; i < n; i++)
		len += bufs[i]->b_bcount;
	bc = kmem_alloc(BUFCLUSTER_SIZE(n), KM_SLEEP);
	bc->bc_n = n;
	bc->bc_vec = (struct bufvec *)&bc->bc_bufs[n];
	cbp = &bc->bc_buf;
	buf_init(cbp);
	KASSERT(len <= MAXPHYS);
	cbp->b_vec = bc->bc_vec;
	cbp->b_nvec = n;
	cbp->b_bcount = len;
	cbp->b_blkno = bufs[0]->b_blkno;
	cbp->b_flags = rd ? B_READ : 0;
	cbp->b_iodone = buf_clusterdone;
	cbp->b_private = bc;
	for (i = 0; i < n; i++) {
		bc->bc_bufs[i] = bufs[i];
		bc->bc_vec[i].bv_data = bufs[i]->b_data;
		bc->bc_vec[i].bv_len = bufs[i]->b_bcount;
		bufs[i]->b_done = false;
	}
	buf_strategy(bd, cbp);
}

/* A write no one waits for is over. */
static void
buf_writedone(struct buf *bp)
{
	struct bufdev *bd = bp->b_bdev;

	mutex_enter(&buf_lock);
	if (bp->b_error != 0) {
		printf("bio: write of %zu bytes at block %lld of device "
		    "%#llx failed: error %d; the data is lost\n", bp->b_bcount,
		    (long long)bp->b_blkno, (unsigned long long)bd->bd_dev,
		    bp->b_error);
		if (bd->bd_error == 0)
			bd->bd_error = bp->b_error;
		bd->bd_failed = true;
	}
	bd->bd_writing--;
	bufinflight -= bp->b_bcount;
	bp->b_iodone = NULL;
	buf_release(bp, bp->b_error != 0 ? BC_INVAL : 0);
	cv_broadcast(&buf_cv);
	mutex_exit(&buf_lock);
}

/*
 * Start writing dirty bp (not busy; buf_lock held) together with the
 * dirty, idle buffers adjacent to it, up to MAXPHYS, in one transfer.
 * Drops and retakes buf_lock.
 */
static void
buf_startwrite(struct buf *bp)
{
	struct bufdev *bd = bp->b_bdev;
	struct buf *bufs[64], *nbp;
	size_t len = 0;
	int64_t blkno;
	int n = 0, i;

	KASSERT(mutex_owned(&buf_lock));
	/*
	 * Forward only: writes go oldest first, and a file written in
	 * order made its first block dirty first.
	 */
	blkno = bp->b_blkno;
	while (n < (int)__arraycount(bufs) &&
	    (nbp = buf_lookup(bd, blkno)) != NULL &&
	    (nbp == bp || (nbp->b_cflags & (BC_BUSY | BC_DELWRI)) ==
	    BC_DELWRI) && len + nbp->b_bcount <= MAXPHYS &&
	    (nbp->b_bcount & (DEV_BSIZE - 1)) == 0) {
		if (nbp != bp)
			buf_unlist(nbp);
		else if ((bp->b_cflags & BC_BUSY) == 0)
			buf_unlist(bp);
		nbp->b_cflags |= BC_BUSY;
		bufs[n++] = nbp;
		len += nbp->b_bcount;
		blkno += (int64_t)(nbp->b_bcount >> DEV_BSHIFT);
	}
	KASSERT(n > 0);
	for (i = 0; i < n; i++) {
		bufs[i]->b_cflags &= ~BC_DELWRI;
		bufdirty -= bufs[i]->b_bcount;
		bufs[i]->b_iodone = buf_writedone;
	}
	bd->bd_writing += n;
	bufinflight += len;
	buf_stats.bs_writes++;
	if (n > 1)
		buf_stats.bs_clustered += n;
	mutex_exit(&buf_lock);
	buf_startcluster(bd, bufs, n, false);
	mutex_enter(&buf_lock);
}

int
bread(struct bufdev *bd, int64_t blkno, size_t size, struct buf **bpp)
{

	return breadn(bd, blkno, size, NULL, NULL, 0, bpp);
}

/* Read-ahead is over: the buffers go to the cache. */
static void
buf_readaheaddone(struct buf *bp)
{

	mutex_enter(&buf_lock);
	bp->b_iodone = NULL;
	if (bp->b_error == 0 && bp->b_resid == 0)
		bp->b_cflags |= BC_VALID;
	bp->b_bdev->bd_reading--;
	buf_release(bp, 0);	/* newest: it is about to be read */
	cv_broadcast(&buf_cv);
	mutex_exit(&buf_lock);
}

int
breadn(struct bufdev *bd, int64_t blkno, size_t size,
    const int64_t *rablkno, const size_t *rasize, int nra, struct buf **bpp)
{
	struct buf *bp, *run[64];
	int64_t next = -1;
	size_t runlen = 0;
	bool cached;
	int n = 0, i, error;

	bp = getblk(bd, blkno, size);
	if (!(cached = (bp->b_cflags & BC_VALID) != 0)) {
		bp->b_iodone = NULL;
		run[n++] = bp;
		runlen = size;
		next = blkno + (int64_t)(size >> DEV_BSHIFT);
	}
	/* The block and its read-ahead, in runs of adjacent blocks. */
	for (i = 0; i <= nra; i++) {
		struct buf *rbp = NULL;

		if (i < nra && rasize[i] > 0 && rasize[i] <= MAXPHYS &&
		    rablkno[i] >= 0 &&
		    (rbp = buf_get(bd, rablkno[i], rasize[i], true)) != NULL) {
			rbp->b_iodone = buf_readaheaddone;
			mutex_enter(&buf_lock);
			bd->bd_reading++;
			mutex_exit(&buf_lock);
		}
		if (n > 0 && (rbp == NULL || rbp->b_blkno != next ||
		    n == (int)__arraycount(run) ||
		    runlen + rbp->b_bcount > MAXPHYS)) {
			buf_startcluster(bd, run, n, true);
			n = 0;
			runlen = 0;
		}
		if (rbp != NULL) {
			run[n++] = rbp;
			runlen += rbp->b_bcount;
			next = rbp->b_blkno + (int64_t)(rbp->b_bcount >>
			    DEV_BSHIFT);
		}
	}
	if (!cached) {
		if ((error = biowait(bp)) == 0 && bp->b_resid != 0)
			error = EIO;
		if (error != 0) {
			brelse(bp, BC_INVAL);
			*bpp = NULL;
			return error;
		}
		mutex_enter(&buf_lock);
		bp->b_cflags |= BC_VALID;
		mutex_exit(&buf_lock);
	}
	*bpp = bp;
	return 0;
}

int
bwrite(struct buf *bp)
{
	struct bufdev *bd = bp->b_bdev;
	int error;

	KASSERT(bp->b_cflags & BC_BUSY);
	mutex_enter(&buf_lock);
	if (bp->b_cflags & BC_DELWRI) {
		bp->b_cflags &= ~BC_DELWRI;
		bufdirty -= bp->b_bcount;
	}
	bp->b_cflags |= BC_VALID;
	bd->bd_writing++;
	bufinflight += bp->b_bcount;
	buf_stats.bs_writes++;
	mutex_exit(&buf_lock);
	bp->b_iodone = NULL;
	bp->b_flags = 0;
	buf_strategy(bd, bp);
	error = biowait(bp);
	if (error == 0 && bp->b_resid != 0)
		error = EIO;
	mutex_enter(&buf_lock);
	bd->bd_writing--;
	bufinflight -= bp->b_bcount;
	if (error != 0)
		bd->bd_failed = true;
	cv_broadcast(&buf_cv);
	buf_release(bp, error != 0 ? BC_INVAL : 0);
	mutex_exit(&buf_lock);
	return error;
}

int
bdirect(struct bufdev *bd, int64_t blkno, void *data, size_t len, bool write)
{
	struct buf b;
	int error;

	KASSERT(len > 0 && len <= MAXPHYS);
	buf_init(&b);
	b.b_data = data;
	b.b_bcount = len;
	b.b_blkno = blkno;
	b.b_flags = write ? 0 : B_READ;
	buf_strategy(bd, &b);
	error = biowait(&b);
	if (error == 0 && b.b_resid != 0)
		error = EIO;
	/*
	 * Not counted in bd_writing: the caller waits for its own transfer,
	 * so bflush() need not wait for others'.  A failed write leaves the
	 * device failed, but not the caller's bad address (EFAULT).
	 */
	if (write) {
		mutex_enter(&buf_lock);
		buf_stats.bs_writes++;
		if (error != 0 && error != EFAULT)
			bd->bd_failed = true;
		mutex_exit(&buf_lock);
	}
	buf_destroy(&b);
	return error;
}

void
bawrite(struct buf *bp)
{

	KASSERT(bp->b_cflags & BC_BUSY);
	mutex_enter(&buf_lock);
	if ((bp->b_cflags & BC_DELWRI) == 0) {
		bp->b_cflags |= BC_DELWRI;
		bufdirty += bp->b_bcount;
	}
	bp->b_cflags |= BC_VALID;
	buf_startwrite(bp);
	mutex_exit(&buf_lock);
}

void
bdwrite(struct buf *bp)
{
	struct bufdev *bd = bp->b_bdev;
	struct buf *obp;

	KASSERT(bp->b_cflags & BC_BUSY);
	mutex_enter(&buf_lock);
	if ((bp->b_cflags & BC_DELWRI) == 0) {
		bp->b_cflags |= BC_DELWRI;
		bufdirty += bp->b_bcount;
	}
	bp->b_cflags |= BC_VALID;
	buf_release(bp, 0);
	/*
	 * Too much dirty: the writer starts writing the oldest (in large
	 * transfers) and waits while half the budget is in flight.
	 */
	while (bufdirty > bufmem_max / 2 &&
	    (obp = TAILQ_FIRST(&bd->bd_dirty)) != NULL) {
		buf_startwrite(obp);
		buf_waitinflight(buf_maxinflight);
	}
	mutex_exit(&buf_lock);
}

int
bflush(struct bufdev *bd, int flags)
{
	struct buf *bp;
	int error;

	mutex_enter(&buf_lock);
	while ((bp = TAILQ_FIRST(&bd->bd_dirty)) != NULL) {
		buf_startwrite(bp);
		buf_waitinflight(buf_maxinflight);
	}
	while (bd->bd_writing > 0)
		cv_wait(&buf_cv, &buf_lock);
	error = bd->bd_error;
	bd->bd_error = 0;
	mutex_exit(&buf_lock);
	if (error == 0 && (flags & BF_STABLE) && bd->bd_devsw->d_fsync != NULL)
		error = (*bd->bd_devsw->d_fsync)(bd->bd_dev, 0);
	return error;
}

int
bufdev_open(dev_t dev, int fflag, struct bufdev **bdp, off_t *sizep)
{
	const struct devsw *d;
	struct bufdev *bd;
	off_t size = 0;
	int error;

	if ((d = devsw_lookup(dev, S_IFBLK)) == NULL || d->d_strategy == NULL)
		return ENXIO;
	mutex_enter(&buf_lock);
	LIST_FOREACH(bd, &bufdevs, bd_list) {
		if (bd->bd_dev == dev) {
			mutex_exit(&buf_lock);
			return EBUSY;
		}
	}
	mutex_exit(&buf_lock);
	if ((error = (*d->d_open)(dev, fflag, S_IFBLK)) != 0)
		return error;
	if (d->d_size == NULL || (error = (*d->d_size)(dev, &size)) != 0) {
		(*d->d_close)(dev, fflag, S_IFBLK);
		return error != 0 ? error : ENXIO;
	}
	bd = kmem_zalloc(sizeof(*bd), KM_SLEEP);
	bd->bd_dev = dev;
	bd->bd_devsw = d;
	bd->bd_fflag = fflag;
	TAILQ_INIT(&bd->bd_dirty);
	mutex_enter(&buf_lock);
	LIST_INSERT_HEAD(&bufdevs, bd, bd_list);
	mutex_exit(&buf_lock);
	*bdp = bd;
	*sizep = size;
	return 0;
}

bool
bufdev_failed(struct bufdev *bd)
{
	bool failed;

	mutex_enter(&buf_lock);
	failed = bd->bd_failed;
	mutex_exit(&buf_lock);
	return failed;
}

int
bufdev_close(struct bufdev *bd)
{
	struct buf *bp, *nbp;
	u_long i;
	int error;

	error = bflush(bd, (bd->bd_fflag & FWRITE) ? BF_STABLE : 0);
	mutex_enter(&buf_lock);
	while (bd->bd_reading > 0)
		cv_wait(&buf_cv, &buf_lock);	/* read-ahead */
	for (i = 0; i <= buf_hashmask; i++) {
		for (bp = LIST_FIRST(&buf_hash[i]); bp != NULL; bp = nbp) {
			nbp = LIST_NEXT(bp, b_hash);
			if (bp->b_bdev != bd)
				continue;
			if (!buf_waitidle(bp)) {
				nbp = LIST_FIRST(&buf_hash[i]);
				continue;
			}
			buf_unlist(bp);
			buf_free(bp);
		}
	}
	LIST_REMOVE(bd, bd_list);
	mutex_exit(&buf_lock);
	(*bd->bd_devsw->d_close)(bd->bd_dev, bd->bd_fflag, S_IFBLK);
	kmem_free(bd, sizeof(*bd));
	return error;
}

/*
 * The syncer: every BUF_DELAY_SEC seconds, write what each device had
 * dirty when the round began (so a busy writer cannot keep it going,
 * and a buffer dirtied again and again is still written).  The device
 * list is walked again after each write, which drops buf_lock.
 */
static void
syncer_thread(void *arg)
{
	struct bufdev *bd;
	struct buf *bp;
	u_int round = 0;

	mutex_enter(&buf_lock);
	while (!syncer_exit) {
		/* A period first: nothing is dirty at boot. */
		(void)cv_timedwait(&syncer_cv, &buf_lock,
		    BUF_DELAY_SEC * hz);
		if (syncer_exit)
			break;
		round++;
again:
		LIST_FOREACH(bd, &bufdevs, bd_list) {
			if (bd->bd_syncround != round) {
				bd->bd_syncround = round;
				bd->bd_syncleft = bd->bd_ndirty;
			}
			if (bd->bd_syncleft > 0 &&
			    (bp = TAILQ_FIRST(&bd->bd_dirty)) != NULL) {
				bd->bd_syncleft--;
				buf_startwrite(bp);
				goto again;
			}
		}
	}
	mutex_exit(&buf_lock);
	kthread_exit(0);
}

/* Memory is short: give back the clean buffers. */
static void
buf_reclaim(void)
{
	struct buf *bp;

	mutex_enter(&buf_lock);
	while ((bp = TAILQ_FIRST(&buf_lru)) != NULL) {
		TAILQ_REMOVE(&buf_lru, bp, b_list);
		buf_free(bp);
	}
	mutex_exit(&buf_lock);
}

void
bufstats(struct bufstats *bs)
{

	mutex_enter(&buf_lock);
	*bs = buf_stats;
	bs->bs_bytes = bufmem;
	bs->bs_dirty = bufdirty;
	bs->bs_max = bufmem_max;
	mutex_exit(&buf_lock);
}

void
vfs_bio_init(void)
{
	u_long n, i;
	int error;

	mutex_init(&buf_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&buf_cv, "buf");
	cv_init(&syncer_cv, "syncer");
	bufmem_max = MIN(MAX(physmem_bytes / 4, BUF_MINMEM), BUF_MAXMEM);
	buf_maxinflight = MIN(BUF_MAXINFLIGHT, bufmem_max / 4);
	/* About one chain per 16 KiB of budget, a power of two. */
	for (n = 1024; n < bufmem_max / 16384; n <<= 1)
		continue;
	buf_hash = kmem_alloc(n * sizeof(*buf_hash), KM_SLEEP);
	for (i = 0; i < n; i++)
		LIST_INIT(&buf_hash[i]);
	buf_hashmask = n - 1;
	kmem_reclaim_register(buf_reclaim);
	syncer_exit = false;
	if ((error = kthread_create(PRI_NONE, KTHREAD_MPSAFE |
	    KTHREAD_MUSTJOIN, NULL, syncer_thread, NULL, &syncer_lwp,
	    "syncer")) != 0)
		panic("vfs_bio_init: no syncer thread: %d", error);
}

void
vfs_bio_fini(void)
{

	mutex_enter(&buf_lock);
	syncer_exit = true;
	cv_broadcast(&syncer_cv);
	mutex_exit(&buf_lock);
	kthread_join(syncer_lwp);
	if (!LIST_EMPTY(&bufdevs)) {
		printf("bio: devices still open at shutdown\n");
		return;
	}
	kmem_free(buf_hash, (buf_hashmask + 1) * sizeof(*buf_hash));
	cv_destroy(&syncer_cv);
	cv_destroy(&buf_cv);
	mutex_destroy(&buf_lock);
}
