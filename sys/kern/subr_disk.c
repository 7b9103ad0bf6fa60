/*
 * Disks (kernel): the checks, counters and raw I/O every disk driver
 * shares (sys/disk.h).
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/buf.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/systm.h>
#include <sys/uio.h>

#define DISK_PHYSCHUNK		(64 * 1024)
#define DISK_PHYSINFLIGHT	8

static kmutex_t disk_lock;
static LIST_HEAD(, disk) disk_list = LIST_HEAD_INITIALIZER(disk_list);

void
disk_init(void)
{

	mutex_init(&disk_lock, MUTEX_DEFAULT, IPL_VM);
}

void
disk_attach(struct disk *dk)
{

	memset(&dk->dk_stats, 0, sizeof(dk->dk_stats));
	mutex_enter(&disk_lock);
	LIST_INSERT_HEAD(&disk_list, dk, dk_list);
	mutex_exit(&disk_lock);
}

void
disk_detach(struct disk *dk)
{

	mutex_enter(&disk_lock);
	LIST_REMOVE(dk, dk_list);
	mutex_exit(&disk_lock);
}

int
disk_getstats(dev_t dev, struct disk_stats *ds)
{
	struct disk *dk;

	mutex_enter(&disk_lock);
	LIST_FOREACH(dk, &disk_list, dk_list)
		if (dk->dk_dev == dev)
			break;
	if (dk != NULL)
		*ds = dk->dk_stats;
	mutex_exit(&disk_lock);
	return dk != NULL ? 0 : ENXIO;
}

/* Count bp as started. */
static void
disk_count(struct disk *dk, const struct buf *bp)
{
	struct disk_stats *ds = &dk->dk_stats;

	mutex_enter(&disk_lock);
	if (bp->b_flags & B_READ)
		ds->ds_reads++;
	else
		ds->ds_writes++;
	ds->ds_maxxfer = MAX(ds->ds_maxxfer, bp->b_bcount);
	mutex_exit(&disk_lock);
}

void
disk_done(struct disk *dk, struct buf *bp, size_t done, int error)
{
	struct disk_stats *ds = &dk->dk_stats;

	KASSERT(done <= bp->b_bcount);
	if (error == 0 && done != bp->b_bcount)
		error = EIO;
	mutex_enter(&disk_lock);
	if (bp->b_flags & B_READ)
		ds->ds_rbytes += done;
	else
		ds->ds_wbytes += done;
	if (error != 0)
		ds->ds_errors++;
	mutex_exit(&disk_lock);
	bp->b_error = error;
	bp->b_resid = bp->b_bcount - done;
	biodone(bp);
}

/* End bp before it reaches the driver. */
static void
disk_refuse(struct buf *bp, int error)
{

	bp->b_error = error;
	bp->b_resid = bp->b_bcount;
	biodone(bp);
}

void
disk_strategy(struct disk *dk, struct buf *bp)
{
	uint64_t off;

	if (bp->b_blkno < 0 || bp->b_bcount == 0 ||
	    (uint64_t)bp->b_blkno > dk->dk_size >> DEV_BSHIFT) {
		disk_refuse(bp, EIO);
		return;
	}
	off = (uint64_t)bp->b_blkno << DEV_BSHIFT;
	if (bp->b_bcount > dk->dk_size - off) {
		disk_refuse(bp, EIO);
		return;
	}
	if (!(bp->b_flags & B_READ) && !dk->dk_writable) {
		disk_refuse(bp, EROFS);
		return;
	}
	disk_count(dk, bp);
	(*dk->dk_start)(dk, bp, off);
}

int
disk_physio(struct disk *dk, struct uio *uio)
{
	struct buf bufs[DISK_PHYSINFLIGHT];
	bool rd = uio->uio_rw == UIO_READ;
	uint64_t off;
	size_t len, n;
	char *mem;
	int i, nb, error = 0, e;

	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_resid == 0)
		return 0;
	off = (uint64_t)uio->uio_offset;
	if (off >= dk->dk_size)
		return rd ? 0 : ENOSPC;
	if (!rd && !dk->dk_writable)
		return EROFS;
	len = (size_t)MIN(uio->uio_resid, dk->dk_size - off);
	n = MIN(len, (size_t)DISK_PHYSCHUNK * DISK_PHYSINFLIGHT);
	mem = kmem_alloc(n, KM_SLEEP);
	while (len > 0 && error == 0) {
		/* Start a batch. */
		for (nb = 0; nb < DISK_PHYSINFLIGHT && len > 0; nb++) {
			struct buf *bp = &bufs[nb];

			buf_init(bp);
			bp->b_data = mem + (size_t)nb * DISK_PHYSCHUNK;
			bp->b_bcount = MIN(len, DISK_PHYSCHUNK);
			bp->b_flags = rd ? B_READ : 0;
			bp->b_dev = dk->dk_dev;
			if (!rd && (error = uiomove(bp->b_data, bp->b_bcount,
			    uio)) != 0) {
				buf_destroy(bp);
				break;
			}
			disk_count(dk, bp);
			(*dk->dk_start)(dk, bp, off);
			off += bp->b_bcount;
			len -= bp->b_bcount;
		}
		/* Wait for all of it; take what came, in order. */
		for (i = 0; i < nb; i++) {
			e = biowait(&bufs[i]);
			if (e == 0 && error == 0 && rd)
				error = uiomove(bufs[i].b_data,
				    bufs[i].b_bcount, uio);
			if (e != 0 && error == 0)
				error = e;
			buf_destroy(&bufs[i]);
		}
	}
	kmem_free(mem, n);
	return error;
}
