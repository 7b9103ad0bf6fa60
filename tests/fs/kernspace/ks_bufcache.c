/*
 * Kernel-side test of the buffer cache (vfs_bio.c) on a block device of
 * the host disk driver: delayed writes that reach the device in clustered
 * transfers on bflush(), read-ahead, a block cached at another size,
 * binval(), a failed delayed write reported by bflush(), and a cache
 * that stays within its budget while much more than it is written.
 * The host-side test checks the image file afterwards.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/buf.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/stat.h>
#include <sys/systm.h>

#include "ks.h"

#define KS_BSIZE	4096
#define KS_DB		(KS_BSIZE / DEV_BSIZE)

/* What block i of the device holds after the test writes it. */
static char
ks_bufbyte(int64_t i)
{

	return (char)('a' + i % 26);
}

static bool
ks_bufcheck(const struct buf *bp, char want)
{
	const char *p = bp->b_data;
	size_t i;

	for (i = 0; i < bp->b_bcount; i++)
		if (p[i] != want)
			return false;
	return true;
}

/*
 * The device maj/min of size bytes: blocks 0..nblocks-1 (4 KiB) get
 * ks_bufbyte(i), except block 0, which stays as it was but for its
 * first 4 KiB rewritten through an 8 KiB buffer, and block 2 ('Z' was
 * written and thrown away).
 */
const char *
ks_bufcache(uint32_t maj, uint32_t min, uint64_t size, int nblocks)
{
	dev_t dev = makedev(maj, min);
	struct bufstats before, after;
	struct disk_stats dbefore, dafter;
	struct bufdev *bd, *bd2;
	struct buf *bp;
	int64_t ra[8];
	size_t rasz[8];
	off_t devsize;
	const char *err = NULL;
	int64_t i;
	int error;

	if ((error = bufdev_open(dev, FREAD | FWRITE, &bd, &devsize)) != 0)
		return "bufdev_open failed";
	if ((uint64_t)devsize != size) {
		err = "bufdev_open gave the wrong size";
		goto out;
	}
	if (bufdev_open(dev, FREAD, &bd2, &devsize) != EBUSY) {
		err = "a second open was not EBUSY";
		goto out;
	}

	/*
	 * Delayed writes, written together by bflush(): the disk sees
	 * each block once, in the cache's transfers.
	 */
	if (disk_getstats(dev, &dbefore) != 0) {
		err = "no disk counters";
		goto out;
	}
	bufstats(&before);
	for (i = 0; i < nblocks; i++) {
		bp = getblk(bd, i * KS_DB, KS_BSIZE);
		memset(bp->b_data, ks_bufbyte(i), KS_BSIZE);
		bdwrite(bp);
	}
	if (bflush(bd, BF_STABLE) != 0) {
		err = "bflush failed";
		goto out;
	}
	bufstats(&after);
	if (after.bs_writes - before.bs_writes >
	    (uint64_t)(nblocks * KS_BSIZE / MAXPHYS + 2)) {
		err = "adjacent dirty buffers were not clustered";
		goto out;
	}
	(void)disk_getstats(dev, &dafter);
	if (dafter.ds_writes - dbefore.ds_writes !=
	    after.bs_writes - before.bs_writes ||
	    dafter.ds_wbytes - dbefore.ds_wbytes !=
	    (uint64_t)nblocks * KS_BSIZE || dafter.ds_maxxfer > MAXPHYS ||
	    dafter.ds_errors != 0) {
		err = "the disk's counters disagree with the cache's";
		goto out;
	}

	/* Dropped, then read back with read-ahead. */
	if (bufdev_close(bd) != 0 ||
	    bufdev_open(dev, FREAD | FWRITE, &bd, &devsize) != 0)
		return "closing and reopening failed";
	for (i = 0; i < 8; i++) {
		ra[i] = (i + 4) * KS_DB;
		rasz[i] = KS_BSIZE;
	}
	if (breadn(bd, 3 * KS_DB, KS_BSIZE, ra, rasz, 8, &bp) != 0) {
		err = "breadn failed";
		goto out;
	}
	if (!ks_bufcheck(bp, ks_bufbyte(3))) {
		err = "breadn read the wrong data";
		brelse(bp, 0);
		goto out;
	}
	brelse(bp, 0);
	for (i = 4; i < 12; i++) {
		if ((error = bread(bd, i * KS_DB, KS_BSIZE, &bp)) != 0 ||
		    !ks_bufcheck(bp, ks_bufbyte(i))) {
			err = "read-ahead brought the wrong data";
			if (error == 0)
				brelse(bp, 0);
			goto out;
		}
		brelse(bp, 0);
	}

	/* Block 0 dirty at 4 KiB, then asked for at 8 KiB. */
	bp = getblk(bd, 0, KS_BSIZE);
	memset(bp->b_data, 'Y', KS_BSIZE);
	bdwrite(bp);
	if (bread(bd, 0, 2 * KS_BSIZE, &bp) != 0) {
		err = "reading a block at a new size failed";
		goto out;
	}
	if (((char *)bp->b_data)[0] != 'Y' ||
	    ((char *)bp->b_data)[KS_BSIZE] != ks_bufbyte(1)) {
		err = "a block at a new size did not see the dirty data";
		brelse(bp, 0);
		goto out;
	}
	brelse(bp, BC_INVAL);

	/* A dirty buffer thrown away is never written. */
	bp = getblk(bd, 2 * KS_DB, KS_BSIZE);
	memset(bp->b_data, 'Z', KS_BSIZE);
	bdwrite(bp);
	binval(bd, 2 * KS_DB);
	if (incore(bd, 2 * KS_DB)) {
		err = "binval left the buffer";
		goto out;
	}

	/* A delayed write outside the device fails at bflush(). */
	bp = getblk(bd, (int64_t)(size / DEV_BSIZE), KS_BSIZE);
	memset(bp->b_data, 'E', KS_BSIZE);
	bdwrite(bp);
	if (bflush(bd, 0) != EIO)
		err = "a failed delayed write was not reported";
	else if (bflush(bd, 0) != 0)
		err = "a write error was reported twice";
out:
	if (bufdev_close(bd) != 0 && err == NULL)
		err = "bufdev_close failed";
	return err;
}

/*
 * Write nblocks blocks (far more than the cache's budget) with
 * bdwrite(), checking the cache never holds much more than its budget,
 * then read them all back.
 */
const char *
ks_bufcache_budget(uint32_t maj, uint32_t min, int nblocks)
{
	dev_t dev = makedev(maj, min);
	struct bufstats bs;
	struct bufdev *bd;
	struct buf *bp;
	uint64_t peak = 0;
	off_t devsize;
	const char *err = NULL;
	int64_t i;

	if (bufdev_open(dev, FREAD | FWRITE, &bd, &devsize) != 0)
		return "bufdev_open failed";
	for (i = 0; i < nblocks; i++) {
		bp = getblk(bd, i * KS_DB, KS_BSIZE);
		memset(bp->b_data, ks_bufbyte(i), KS_BSIZE);
		bdwrite(bp);
		bufstats(&bs);
		peak = MAX(peak, bs.bs_bytes);
	}
	bufstats(&bs);
	if (peak > bs.bs_max + MAXPHYS)
		err = "the cache went over its budget";
	else if ((uint64_t)nblocks * KS_BSIZE < 2 * bs.bs_max)
		err = "the test did not write enough to fill the cache";
	else if (bflush(bd, BF_STABLE) != 0)
		err = "bflush failed";
	for (i = 0; err == NULL && i < nblocks; i++) {
		if (bread(bd, i * KS_DB, KS_BSIZE, &bp) != 0)
			err = "reading back failed";
		else {
			if (!ks_bufcheck(bp, ks_bufbyte(i)))
				err = "a block read back is wrong";
			brelse(bp, 0);
		}
	}
	if (bufdev_close(bd) != 0 && err == NULL)
		err = "bufdev_close failed";
	return err;
}
