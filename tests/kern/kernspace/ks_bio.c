/*
 * Kernel-side test of a block device's strategy (the etfs driver, from
 * tests/fs/etfs): reads and writes through struct buf and biowait(),
 * many in flight at once, and EIO for every block outside the device.
 */

#include <sys/types.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/stat.h>
#include <sys/systm.h>

#include "ks.h"

#define KS_BIOSIZE	4096
#define KS_NBIO		32

/* One transfer of len bytes at byte off; its error. */
static int
ks_bio1(const struct devsw *d, dev_t dev, int flags, void *data, size_t len,
    int64_t off)
{
	struct buf b;
	int error;

	buf_init(&b);
	b.b_dev = dev;
	b.b_flags = flags;
	b.b_data = data;
	b.b_bcount = len;
	b.b_blkno = off >> DEV_BSHIFT;
	d->d_strategy(&b);
	error = biowait(&b);
	buf_destroy(&b);
	return error;
}

/*
 * The block device maj/min of size bytes, filled with the byte fill:
 * check reads, KS_NBIO of them in flight, the EIO cases, and write
 * 'W' over block 1 (the caller checks the host file).
 */
const char *
ks_bio_device(uint32_t maj, uint32_t min, uint64_t size, int fill)
{
	dev_t dev = makedev(maj, min);
	const struct devsw *d = devsw_lookup(dev, S_IFBLK);
	struct buf *bufs;
	const char *err = NULL;
	char *mem;
	int i, j;

	if (d == NULL || d->d_strategy == NULL)
		return "no block driver with a strategy";
	if (size < KS_NBIO * KS_BIOSIZE)
		return "the device is too small for the test";
	mem = kmem_alloc(KS_NBIO * KS_BIOSIZE, KM_SLEEP);
	bufs = kmem_zalloc(KS_NBIO * sizeof(*bufs), KM_SLEEP);

	/* All in flight, then all waited for. */
	for (i = 0; i < KS_NBIO; i++) {
		buf_init(&bufs[i]);
		bufs[i].b_dev = dev;
		bufs[i].b_flags = B_READ;
		bufs[i].b_data = mem + i * KS_BIOSIZE;
		bufs[i].b_bcount = KS_BIOSIZE;
		bufs[i].b_blkno = (int64_t)(i * KS_BIOSIZE) >> DEV_BSHIFT;
		d->d_strategy(&bufs[i]);
	}
	for (i = 0; i < KS_NBIO; i++) {
		if (biowait(&bufs[i]) != 0 || bufs[i].b_resid != 0)
			err = "a read in the device failed";
		buf_destroy(&bufs[i]);
	}
	for (j = 0; err == NULL && j < KS_NBIO * KS_BIOSIZE; j++)
		if (mem[j] != (char)fill)
			err = "a read brought the wrong data";
	if (err != NULL)
		goto out;

	/* The last block is in; anything past the end is EIO. */
	if (ks_bio1(d, dev, B_READ, mem, KS_BIOSIZE,
	    (int64_t)size - KS_BIOSIZE) != 0)
		err = "reading the last block failed";
	else if (ks_bio1(d, dev, B_READ, mem, KS_BIOSIZE, (int64_t)size) !=
	    EIO)
		err = "a read past the end was not EIO";
	else if (ks_bio1(d, dev, B_READ, mem, 2 * DEV_BSIZE,
	    (int64_t)size - DEV_BSIZE) != EIO)
		err = "a read across the end was not EIO";
	else if (ks_bio1(d, dev, 0, mem, DEV_BSIZE, (int64_t)size) != EIO)
		err = "a write past the end was not EIO";
	else if (ks_bio1(d, dev, 0, mem, 2 * DEV_BSIZE,
	    (int64_t)size - DEV_BSIZE) != EIO)
		err = "a write across the end was not EIO";
	else if (ks_bio1(d, dev, B_READ, mem, DEV_BSIZE, -DEV_BSIZE) != EIO)
		err = "a read before the start was not EIO";
	else {
		memset(mem, 'W', KS_BIOSIZE);
		if (ks_bio1(d, dev, B_SYNC, mem, KS_BIOSIZE, KS_BIOSIZE) != 0)
			err = "a synchronous write failed";
	}
out:
	kmem_free(bufs, KS_NBIO * sizeof(*bufs));
	kmem_free(mem, KS_NBIO * KS_BIOSIZE);
	return err;
}
