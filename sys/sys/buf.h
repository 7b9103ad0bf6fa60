/*
 * Block I/O and the buffer cache.
 *
 * A struct buf names a transfer between memory and a block device
 * (subr_bio.c): the driver's d_strategy() starts it and calls biodone()
 * when it is over, from any thread; biowait() sleeps until then.
 *
 * The buffer cache (vfs_bio.c) keeps blocks of open block devices in
 * memory, keyed by (device, b_blkno); a file system reads and writes
 * its disk through it.  A buffer is "busy" from getblk()/bread() until
 * brelse() (or bwrite()/bawrite()/bdwrite(), which release it): its
 * owner alone uses b_data.  Sizes may differ between blocks, but two
 * cached buffers never overlap: a file system that reuses disk space
 * for a block of another size first drops the old buffer (binval()).
 *
 * Writes: bwrite() writes now and waits; bawrite() starts the write and
 * returns; bdwrite() marks the buffer dirty and leaves the write to
 * the syncer thread (within a few seconds), to bflush() (sync, fsync,
 * unmount) or to memory pressure.  Adjacent dirty buffers go to the
 * device as one transfer.  Clean buffers stay cached, least recently
 * used first out, within a budget set from the kernel's memory.
 */
#ifndef _SYS_BUF_H_
#define _SYS_BUF_H_

#include <sys/types.h>
#include <sys/condvar.h>
#include <sys/queue.h>

#define DEV_BSHIFT	9
#define DEV_BSIZE	(1 << DEV_BSHIFT)	/* the unit of b_blkno */
#define MAXPHYS		(1024 * 1024)	/* the largest single transfer */

struct bufdev;

/* A piece of a transfer's memory. */
struct bufvec {
	void		*bv_data;
	size_t		bv_len;
};

struct buf {
	/*
	 * The transfer: b_bcount bytes at b_data, or, when b_nvec > 0,
	 * in the b_nvec pieces at b_vec, in order (every d_strategy
	 * takes both kinds).
	 */
	void		*b_data;
	const struct bufvec *b_vec;
	int		b_nvec;
	size_t		b_bcount;	/* bytes to move */
	size_t		b_resid;	/* bytes not moved, when done */
	int64_t		b_blkno;	/* where on the device, DEV_BSIZE units */
	dev_t		b_dev;
	int		b_flags;	/* B_* */
	int		b_error;	/* when done: 0 or an errno */
	/* Called by biodone() instead of waking biowait(), if set. */
	void		(*b_iodone)(struct buf *);
	void		*b_private;	/* the submitter's */
	bool		b_done;		/* bio_lock */
	kcondvar_t	b_done_cv;

	/* The cache's, under its lock. */
	struct bufdev	*b_bdev;	/* the device it caches */
	int		b_cflags;	/* BC_*: changed by the owner only */
	bool		b_wanted;	/* someone waits for it */
	size_t		b_bufsize;	/* bytes allocated at b_data */
	LIST_ENTRY(buf)	b_hash;
	TAILQ_ENTRY(buf) b_list;	/* clean LRU, or the dirty list */
};

#define B_READ		0x0001		/* from the device; else to it */
#define B_SYNC		0x0002		/* a write stable before done */

/* b_cflags; brelse() takes BC_INVAL and BC_AGE. */
#define BC_BUSY		0x0001		/* owned, or I/O in progress */
#define BC_VALID	0x0002		/* b_data holds the block */
#define BC_DELWRI	0x0004		/* dirty: to be written */
#define BC_INVAL	0x0010		/* brelse: drop it */
#define BC_AGE		0x0020		/* brelse: first out of the cache */
#define BC_ASYNC	0x0040		/* a write no one waits for */

void	bio_init(void);			/* at boot */
void	vfs_bio_init(void);		/* the cache and its syncer */
void	vfs_bio_fini(void);
void	buf_init(struct buf *);		/* a transfer outside the cache */
void	buf_destroy(struct buf *);
void	biodone(struct buf *);
int	biowait(struct buf *);		/* b_error */

/*
 * Open block device dev for the cache (its driver's d_open, fflag
 * FREAD/FWRITE); *sizep: its size in bytes.  EBUSY if it is open for the
 * cache already (a device holds one file system at a time).
 */
int	bufdev_open(dev_t, int fflag, struct bufdev **, off_t *sizep);
/* Write everything dirty, make it stable, drop the buffers, close. */
int	bufdev_close(struct bufdev *);
/*
 * Write every dirty buffer of the device and wait; with BF_STABLE also
 * make it stable on the device (d_fsync).  Returns the first write
 * error since the last bflush(), so a failed delayed write is reported.
 */
#define BF_STABLE	0x0001
int	bflush(struct bufdev *, int flags);
/* Has any write to the device failed since it was opened? */
bool	bufdev_failed(struct bufdev *);

/* The buffer for size bytes at blkno, busy; BC_VALID if cached. */
struct buf *getblk(struct bufdev *, int64_t blkno, size_t size);
/* ... read from the device if not cached; on error none is returned. */
int	bread(struct bufdev *, int64_t blkno, size_t size, struct buf **);
/*
 * bread(), and start reading the nra blocks rablkno[i] (rasize[i]
 * bytes) if they are not cached, in as few transfers as possible.
 */
int	breadn(struct bufdev *, int64_t blkno, size_t size,
	    const int64_t *rablkno, const size_t *rasize, int nra,
	    struct buf **);
/* Is the block cached (a hint: it may go at once)? */
bool	incore(struct bufdev *, int64_t blkno);
int	bwrite(struct buf *);
void	bawrite(struct buf *);
void	bdwrite(struct buf *);
void	brelse(struct buf *, int);	/* 0, BC_INVAL, BC_AGE */
/* Resize a busy buffer, keeping its first bytes; new bytes are zero. */
void	allocbuf(struct buf *, size_t);
/* Drop the cached buffer at blkno, dirty or not, if any. */
void	binval(struct bufdev *, int64_t blkno);
/*
 * Move len bytes (at most MAXPHYS) between data and the device at
 * blkno, past the cache (O_DIRECT), and wait.  The caller makes sure
 * no cached buffer holds any of those blocks meanwhile, and that the
 * device stays open.
 */
int	bdirect(struct bufdev *, int64_t blkno, void *data, size_t len,
	    bool write);

/* The cache's state, for tests and sysctl. */
struct bufstats {
	uint64_t	bs_bufs;	/* buffers cached */
	uint64_t	bs_bytes;	/* bytes of them */
	uint64_t	bs_dirty;	/* dirty bytes */
	uint64_t	bs_max;		/* budget in bytes */
	uint64_t	bs_hits, bs_misses;	/* getblk() */
	uint64_t	bs_writes;	/* transfers to devices */
	uint64_t	bs_clustered;	/* buffers written in a cluster */
};
void	bufstats(struct bufstats *);

#endif /* !_SYS_BUF_H_ */
