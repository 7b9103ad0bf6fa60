/*
 * Writing a new file system (newfs, host program): each cylinder group
 * block with its maps and counts, the inodes, the summary array, the
 * root directory and the superblocks, all through disk.c, from the
 * geometry layout.c chose.  Inodes 0 and 1 are reserved and the root
 * directory is inode 2 in one fragment; there is no lost+found (fsck
 * makes one when it needs it).  Every inode written has a random
 * generation number.
 */

#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "newfs.h"

#define howmany(x, y)	(((x) + (y) - 1) / (y))
#define roundup(x, y)	(howmany(x, y) * (y))
#define MIN(a, b)	((a) < (b) ? (a) : (b))

#define INOCHUNK	32		/* blocks of inodes per write */

static inline void
setbit(uint8_t *map, int64_t i)
{

	map[i >> 3] |= (uint8_t)(1 << (i & 7));
}

static inline bool
isset(const uint8_t *map, int64_t i)
{

	return (map[i >> 3] >> (i & 7)) & 1;
}

static void *
zalloc(size_t n)
{
	void *p;

	if ((p = calloc(1, n)) == NULL)
		err(1, "%zu bytes of memory", n);
	return p;
}

/* A random nonzero inode generation number. */
static int32_t
newgen(void)
{

	return (int32_t)arc4random_uniform(INT32_MAX) + 1;
}

/*
 * Count what the fragment map of cgp (in the block blk) says is free:
 * whole free blocks (and their cluster map bits and runs), and the free
 * fragments of partial blocks by run length.  A last group's trailing
 * fragments that do not make a block count as fragments.
 */
static void
cg_count(const struct ffs_super *fs, struct ffs_cg *cgp, uint8_t *blk)
{
	const uint8_t *freemap = blk + cgp->cg_freeoff;
	uint8_t *clmap = blk + cgp->cg_clusteroff;
	int32_t *clsum = (int32_t *)(void *)(blk + cgp->cg_clustersumoff);
	int64_t b, f, end, run, nfree;
	int frag = fs->fs_frag;

	for (b = 0; b * frag < cgp->cg_ndblk; b++) {
		end = MIN((b + 1) * frag, cgp->cg_ndblk);
		for (nfree = 0, f = b * frag; f < end; f++)
			nfree += isset(freemap, f);
		if (nfree == frag) {
			cgp->cg_cs.cs_nbfree++;
			if (fs->fs_contigsumsize > 0)
				setbit(clmap, b);
			continue;
		}
		cgp->cg_cs.cs_nffree += (int32_t)nfree;
		for (run = 0, f = b * frag; f <= end; f++) {
			if (f < end && isset(freemap, f)) {
				run++;
				continue;
			}
			if (run > 0)
				cgp->cg_frsum[run]++;
			run = 0;
		}
	}
	if (fs->fs_contigsumsize <= 0)
		return;
	for (run = 0, b = 0; b <= cgp->cg_nclusterblks; b++) {
		if (b < cgp->cg_nclusterblks && isset(clmap, b)) {
			run++;
			continue;
		}
		if (run > 0)
			clsum[MIN(run, fs->fs_contigsumsize)]++;
		run = 0;
	}
}

/*
 * Build the cylinder group block of group c into blk (fs_bsize bytes,
 * zeroed).  Group 0 also holds the summaries and the root directory's
 * fragment, right at the start of its data, and inodes 0 to 2.
 */
static void
cg_build(const struct ffs_super *fs, int c, int64_t now, uint8_t *blk)
{
	struct ffs_cg *cgp = (struct ffs_cg *)(void *)blk;
	uint8_t *freemap;
	int64_t f, used;
	bool ufs2 = fs->fs_magic == FFS_UFS2_MAGIC;

	cgp->cg_magic = FFS_CG_MAGIC;
	cgp->cg_cgx = c;
	cgp->cg_ndblk = (int32_t)MIN(fs->fs_fpg,
	    fs->fs_size - ffs_cgbase(fs, c));
	if (ufs2) {
		cgp->cg_time = now;
		cgp->cg_niblk = fs->fs_ipg;
		cgp->cg_initediblk = MIN(fs->fs_ipg, 2 * fs->fs_inopb);
	} else {
		cgp->cg_old_time = (int32_t)now;
		cgp->cg_old_ncyl = 1;
		cgp->cg_old_niblk = (int16_t)fs->fs_ipg;
	}
	if (fs->fs_contigsumsize > 0)
		cgp->cg_nclusterblks = cgp->cg_ndblk / fs->fs_frag;
	(void)ffs_cg_layout(fs, cgp);

	/* Free: what lies before the superblock copy, and the data. */
	freemap = blk + cgp->cg_freeoff;
	used = fs->fs_dblkno;
	if (c == 0) {
		used += ffs_numfrags(fs, fs->fs_cssize) + 1;
		cgp->cg_frotor = fs->fs_dblkno;
	} else {
		for (f = 0; f < fs->fs_sblkno; f++)
			setbit(freemap, f);
	}
	for (f = used; f < cgp->cg_ndblk; f++)
		setbit(freemap, f);
	cg_count(fs, cgp, blk);

	cgp->cg_cs.cs_nifree = fs->fs_ipg;
	if (c == 0) {
		for (f = 0; f <= FFS_ROOTINO; f++)
			setbit(blk + cgp->cg_iusedoff, f);
		cgp->cg_cs.cs_nifree -= FFS_ROOTINO + 1;
		cgp->cg_cs.cs_ndir = 1;
	}
}

/* The root directory's inode, in the inode block ib (group 0's first). */
static void
root_inode(const struct ffs_super *fs, int64_t now, uint8_t *ib)
{
	int64_t frag = fs->fs_csaddr + ffs_numfrags(fs, fs->fs_cssize);
	struct ffs_dinode1 *d1;
	struct ffs_dinode2 *d2;

	if (fs->fs_magic == FFS_UFS2_MAGIC) {
		d2 = (struct ffs_dinode2 *)(void *)ib + FFS_ROOTINO;
		d2->di_mode = FFS_IFDIR | 0755;
		d2->di_nlink = 2;
		d2->di_size = FFS_DIRBLKSIZ;
		d2->di_blocks = fs->fs_fsize / NEWFS_SECTOR;
		d2->di_atime = d2->di_mtime = d2->di_ctime = now;
		d2->di_birthtime = now;
		d2->di_db[0] = frag;
	} else {
		d1 = (struct ffs_dinode1 *)(void *)ib + FFS_ROOTINO;
		d1->di_mode = FFS_IFDIR | 0755;
		d1->di_nlink = 2;
		d1->di_size = FFS_DIRBLKSIZ;
		d1->di_blocks = fs->fs_fsize / NEWFS_SECTOR;
		d1->di_atime = d1->di_mtime = d1->di_ctime = (int32_t)now;
		d1->di_db[0] = (int32_t)frag;
	}
}

/*
 * The bytes of inodes written in each group: UFS1's all, UFS2's only
 * the first cg_initediblk (the kernel initialises the rest as it goes).
 */
static int64_t
inode_bytes(const struct ffs_super *fs)
{

	if (fs->fs_magic == FFS_UFS2_MAGIC)
		return (int64_t)MIN(fs->fs_ipg, 2 * fs->fs_inopb) *
		    (int64_t)sizeof(struct ffs_dinode2);
	return (int64_t)fs->fs_ipg * (int64_t)sizeof(struct ffs_dinode1);
}

/*
 * The inodes of group c, iblen bytes at a time through ib: free ones,
 * zero but for a random generation number, and in group 0 the root.
 */
static void
write_inodes(const struct ffs_super *fs, int c, int64_t now, uint8_t *ib,
    size_t iblen)
{
	int64_t start = ffs_cgimin(fs, c) * fs->fs_fsize, off;
	int64_t left = inode_bytes(fs);
	bool ufs2 = fs->fs_magic == FFS_UFS2_MAGIC;
	size_t i, n;

	for (off = start; left > 0; left -= (int64_t)n, off += (int64_t)n) {
		n = (size_t)MIN(left, (int64_t)iblen);
		memset(ib, 0, n);
		for (i = 0; ufs2 && i < n / sizeof(struct ffs_dinode2); i++)
			((struct ffs_dinode2 *)(void *)ib)[i].di_gen = newgen();
		for (i = 0; !ufs2 && i < n / sizeof(struct ffs_dinode1); i++)
			((struct ffs_dinode1 *)(void *)ib)[i].di_gen = newgen();
		if (c == 0 && off == start)
			root_inode(fs, now, ib);
		disk_write(ib, n, off);
	}
}

/* The root directory: "." and "..", both itself, in one fragment. */
static void
write_rootdir(const struct ffs_super *fs)
{
	uint8_t *blk = zalloc((size_t)fs->fs_fsize);
	struct ffs_direct *d;
	int64_t frag = fs->fs_csaddr + ffs_numfrags(fs, fs->fs_cssize);

	d = (struct ffs_direct *)(void *)blk;
	d->d_ino = FFS_ROOTINO;
	d->d_reclen = FFS_DIRSIZ(1);
	d->d_type = FFS_DT_DIR;
	d->d_namlen = 1;
	memcpy(d->d_name, ".", 2);
	d = (struct ffs_direct *)(void *)(blk + FFS_DIRSIZ(1));
	d->d_ino = FFS_ROOTINO;
	d->d_reclen = FFS_DIRBLKSIZ - FFS_DIRSIZ(1);
	d->d_type = FFS_DT_DIR;
	d->d_namlen = 2;
	memcpy(d->d_name, "..", 3);
	disk_write(blk, (size_t)fs->fs_fsize, frag * fs->fs_fsize);
	free(blk);
}

/*
 * The superblocks: a copy in every group, filling its superblock area,
 * then the primary, last of all the file system's writes.
 */
static void
write_superblocks(const struct ffs_super *fs)
{
	size_t len = (size_t)(fs->fs_cblkno - fs->fs_sblkno) * fs->fs_fsize;
	uint8_t *blk;
	int c;

	/* len is FFS_SBLOCKSIZE rounded up to a block: room for both. */
	blk = zalloc(len);
	memcpy(blk, fs, sizeof(*fs));
	for (c = 0; c < fs->fs_ncg; c++)
		disk_write(blk, len, ffs_cgsblock(fs, c) * fs->fs_fsize);
	disk_write(blk, FFS_SBLOCKSIZE, fs->fs_sblockloc);
	free(blk);
}

/*
 * Write the whole file system fs (from layout_make()), made at time
 * now, adding up its free counts into fs as it goes.  First the places
 * where an older file system's superblock may be are cleared, so that
 * none is found there later.
 */
void
build_fs(struct ffs_super *fs, int64_t now)
{
	static const int64_t oldsb[] = { FFS_SBLOCK_UFS1, FFS_SBLOCK_UFS2,
	    FFS_SBLOCK_PIGGY };
	int64_t bytes = fs->fs_size * fs->fs_fsize;
	struct ffs_csum *csum;
	struct ffs_cg *cgp;
	uint8_t *blk, *ib;
	size_t i, iblen;
	int c;

	for (i = 0; i < sizeof(oldsb) / sizeof(oldsb[0]); i++)
		if (oldsb[i] + FFS_SBLOCKSIZE <= bytes)
			disk_zero(oldsb[i], FFS_SBLOCKSIZE);

	blk = zalloc((size_t)fs->fs_bsize);
	csum = zalloc((size_t)fs->fs_cssize);
	iblen = (size_t)MIN(inode_bytes(fs), (int64_t)INOCHUNK * fs->fs_bsize);
	ib = zalloc(iblen);
	cgp = (struct ffs_cg *)(void *)blk;
	for (c = 0; c < fs->fs_ncg; c++) {
		memset(blk, 0, (size_t)fs->fs_bsize);
		cg_build(fs, c, now, blk);
		csum[c] = cgp->cg_cs;
		fs->fs_cstotal.cs_ndir += cgp->cg_cs.cs_ndir;
		fs->fs_cstotal.cs_nbfree += cgp->cg_cs.cs_nbfree;
		fs->fs_cstotal.cs_nifree += cgp->cg_cs.cs_nifree;
		fs->fs_cstotal.cs_nffree += cgp->cg_cs.cs_nffree;
		disk_write(blk, (size_t)fs->fs_bsize,
		    ffs_cgtod(fs, c) * fs->fs_fsize);
		write_inodes(fs, c, now, ib, iblen);
	}
	fs->fs_old_cstotal.cs_ndir = (int32_t)fs->fs_cstotal.cs_ndir;
	fs->fs_old_cstotal.cs_nbfree = (int32_t)fs->fs_cstotal.cs_nbfree;
	fs->fs_old_cstotal.cs_nifree = (int32_t)fs->fs_cstotal.cs_nifree;
	fs->fs_old_cstotal.cs_nffree = (int32_t)fs->fs_cstotal.cs_nffree;

	disk_write(csum, (size_t)fs->fs_cssize, fs->fs_csaddr * fs->fs_fsize);
	write_rootdir(fs);
	write_superblocks(fs);
	free(ib);
	free(csum);
	free(blk);
}
