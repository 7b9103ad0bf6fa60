/*
 * FFS inodes (file system layer): reading and writing dinodes, the map
 * from a file's logical blocks to disk addresses through the direct
 * and indirect pointers, allocation of a file's blocks as it grows
 * (with fragment runs for the last block of small files), truncation,
 * and file reads and writes through the buffer cache.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/buf.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include <fs/ffs/ffs.h>

#define FFS_RAMAX	(4 * MAXPHYS)	/* read-ahead window, in bytes */
#define FFS_RAMAXBLKS	128		/* ... and in blocks */

/* Zeros for reading holes. */
static const char ffs_zeros[FFS_MAXBSIZE];

static size_t
ffs_isize(const struct ffs_mount *fm)
{

	return fm->fm_ufs2 ? sizeof(struct ffs_dinode2) :
	    sizeof(struct ffs_dinode1);
}

/* The buffer of the inode block holding ino, and the dinode in it. */
static int
ffs_iblock(struct ffs_mount *fm, ino_t ino, struct buf **bpp, void **dpp)
{
	struct ffs_super *fs = fm->fm_fs;
	int error;

	error = bread(fm->fm_bd, ffs_fsbtodb(fs, ffs_ino_to_fsba(fs, ino)),
	    (size_t)fs->fs_bsize, bpp);
	if (error != 0)
		return error;
	*dpp = (char *)(*bpp)->b_data + ffs_ino_to_fsbo(fs, ino) *
	    ffs_isize(fm);
	return 0;
}

int
ffs_iload(struct ffs_mount *fm, ino_t ino, struct ffs_inode *ip)
{
	struct buf *bp;
	void *dp;
	uint64_t size;
	int error;

	if ((error = ffs_iblock(fm, ino, &bp, &dp)) != 0)
		return error;
	memcpy(&ip->i_din, dp, ffs_isize(fm));
	brelse(bp, 0);
	/* A free inode (mode 0) is loaded too: creation fills it in. */
	size = (uint64_t)DIP(ip, size);
	if (size > fm->fm_maxfilesize || DIP(ip, nlink) < 0 ||
	    ((DIP(ip, mode) & FFS_IFMT) == FFS_IFDIR &&
	    size % FFS_DIRBLKSIZ != 0) ||
	    (DIP(ip, mode) != 0 && ffs_vtype(ip) == VBAD)) {
		ffs_bad(fm, ino, "bad inode (mode %#llo, size %llu, "
		    "links %lld)", (unsigned long long)DIP(ip, mode),
		    (unsigned long long)size, (long long)DIP(ip, nlink));
		return EIO;
	}
	ip->i_nextr = -1;
	return 0;
}

void
ffs_itimes(struct ffs_inode *ip)
{
	struct timespec ts;

	if ((ip->i_flag & (IN_ACCESS | IN_UPDATE | IN_CHANGE)) == 0)
		return;
	vfs_timestamp(&ts);
	if (ip->i_flag & IN_ACCESS) {
		DIP_SET(ip, atime, ts.tv_sec);
		DIP_SET(ip, atimensec, (int32_t)ts.tv_nsec);
	}
	if (ip->i_flag & IN_UPDATE) {
		DIP_SET(ip, mtime, ts.tv_sec);
		DIP_SET(ip, mtimensec, (int32_t)ts.tv_nsec);
		DIP_SET(ip, modrev, DIP(ip, modrev) + 1);
	}
	if (ip->i_flag & IN_CHANGE) {
		DIP_SET(ip, ctime, ts.tv_sec);
		DIP_SET(ip, ctimensec, (int32_t)ts.tv_nsec);
	}
	ip->i_flag &= ~(IN_ACCESS | IN_UPDATE | IN_CHANGE);
	ip->i_flag |= IN_MODIFIED;
}

int
ffs_iupdate(struct ffs_inode *ip, bool wait)
{
	struct ffs_mount *fm = ip->i_fm;
	struct buf *bp;
	void *dp;
	int error;

	if (fm->fm_ronly || (ip->i_flag & IN_DEAD))
		return 0;
	ffs_itimes(ip);
	if ((ip->i_flag & IN_MODIFIED) == 0 && !wait)
		return 0;
	if ((error = ffs_iblock(fm, ip->i_number, &bp, &dp)) != 0)
		return error;
	memcpy(dp, &ip->i_din, ffs_isize(fm));
	ip->i_flag &= ~IN_MODIFIED;
	if (wait || (fm->fm_mp->mnt_flag & MNT_SYNCHRONOUS))
		return bwrite(bp);
	bdwrite(bp);
	return 0;
}

/* Pointer i of an indirect block's contents. */
static int64_t
ffs_indir_get(const struct ffs_mount *fm, const void *blk, int64_t i)
{

	return fm->fm_ufs2 ? ((const int64_t *)blk)[i] :
	    ((const int32_t *)blk)[i];
}

static void
ffs_indir_set(const struct ffs_mount *fm, void *blk, int64_t i, int64_t v)
{

	if (fm->fm_ufs2)
		((int64_t *)blk)[i] = v;
	else
		((int32_t *)blk)[i] = (int32_t)v;
}

/*
 * The path to logical block lbn: the level of indirection (-1: a direct
 * block) and the index at each level, top first; returns the level.
 */
static int
ffs_indir_path(const struct ffs_super *fs, int64_t lbn, int64_t idx[3])
{
	int64_t n = fs->fs_nindir, span = 1;
	int level, k;

	if (lbn < FFS_NDADDR)
		return -1;
	lbn -= FFS_NDADDR;
	for (level = 0; level < FFS_NIADDR; level++) {
		span *= n;
		if (lbn < span)
			break;
		lbn -= span;
	}
	if (level == FFS_NIADDR)
		return -2;	/* beyond the triple indirect block */
	for (k = level; k >= 0; k--) {
		idx[k] = lbn % n;
		lbn /= n;
	}
	return level;
}

/* Read indirect block fsb of ip, checking the address. */
static int
ffs_indir_read(struct ffs_inode *ip, int64_t fsb, struct buf **bpp)
{
	struct ffs_mount *fm = ip->i_fm;
	struct ffs_super *fs = fm->fm_fs;

	if (!ffs_fsb_ok(fm, fsb, fs->fs_frag)) {
		ffs_bad(fm, ip->i_number, "indirect block %lld out of range",
		    (long long)fsb);
		return EIO;
	}
	return bread(fm->fm_bd, ffs_fsbtodb(fs, fsb), (size_t)fs->fs_bsize,
	    bpp);
}

int
ffs_bmap(struct ffs_inode *ip, int64_t lbn, int64_t *fsbp)
{
	struct ffs_mount *fm = ip->i_fm;
	struct buf *bp;
	int64_t idx[3], fsb;
	int level, k, error;

	if (lbn < 0)
		return EFBIG;
	level = ffs_indir_path(fm->fm_fs, lbn, idx);
	if (level == -1) {
		fsb = DIP(ip, db[lbn]);
	} else if (level < 0) {
		return EFBIG;
	} else {
		fsb = DIP(ip, ib[level]);
		for (k = 0; k <= level && fsb != 0; k++) {
			if ((error = ffs_indir_read(ip, fsb, &bp)) != 0)
				return error;
			fsb = ffs_indir_get(fm, bp->b_data, idx[k]);
			brelse(bp, 0);
		}
	}
	if (fsb != 0 && !ffs_fsb_ok(fm, fsb, 1)) {
		ffs_bad(fm, ip->i_number, "block %lld of the file at %lld: "
		    "out of range", (long long)lbn, (long long)fsb);
		return EIO;
	}
	*fsbp = fsb;
	return 0;
}

/* The size of logical block lbn of ip as the file is now. */
static int
ffs_lblksize(struct ffs_inode *ip, int64_t lbn)
{

	return (int)ffs_blksize(ITOFS(ip), DIP(ip, size), lbn);
}

int
ffs_blkread(struct ffs_inode *ip, int64_t lbn, struct buf **bpp)
{
	struct ffs_mount *fm = ip->i_fm;
	struct ffs_super *fs = fm->fm_fs;
	int64_t fsb;
	int size, error;

	size = ffs_lblksize(ip, lbn);
	if ((error = ffs_bmap(ip, lbn, &fsb)) != 0)
		return error;
	if (fsb == 0) {
		*bpp = NULL;	/* a hole */
		return 0;
	}
	if (!ffs_fsb_ok(fm, fsb, ffs_numfrags(fs, size))) {
		ffs_bad(fm, ip->i_number, "block %lld out of range",
		    (long long)fsb);
		return EIO;
	}
	return bread(fm->fm_bd, ffs_fsbtodb(fs, fsb), (size_t)size, bpp);
}

/* Account for size bytes more (or fewer) held by ip. */
static void
ffs_addblocks(struct ffs_inode *ip, int64_t bytes)
{

	DIP_SET(ip, blocks, DIP(ip, blocks) + bytes / DEV_BSIZE);
	ip->i_flag |= IN_CHANGE | IN_UPDATE;
}

/* Free a block or fragment run of ip, dropping its cached buffer. */
static void
ffs_blkrelease(struct ffs_inode *ip, int64_t fsb, int size)
{
	struct ffs_mount *fm = ip->i_fm;

	if (!ffs_fsb_ok(fm, fsb, ffs_numfrags(fm->fm_fs, size))) {
		ffs_bad(fm, ip->i_number, "block %lld out of range: not "
		    "freed", (long long)fsb);
		return;
	}
	binval(fm->fm_bd, ffs_fsbtodb(fm->fm_fs, fsb));
	ffs_blkfree(fm, fsb, size, ip->i_number);
	ffs_addblocks(ip, -(int64_t)size);
}

/*
 * Grow the fragment run at direct block lbn from osize to nsize bytes
 * (nsize <= fs_bsize), moving it if it cannot grow in place.  Returns
 * its buffer, busy, with the old contents and zeros after them.
 */
static int
ffs_fraggrow(struct ffs_inode *ip, int64_t lbn, int osize, int nsize,
    kauth_cred_t cred, struct buf **bpp)
{
	struct ffs_mount *fm = ip->i_fm;
	struct ffs_super *fs = fm->fm_fs;
	int64_t bprev = DIP(ip, db[lbn]), fsb, pref;
	struct buf *bp, *nbp;
	int error;

	if (!ffs_fsb_ok(fm, bprev, ffs_numfrags(fs, osize))) {
		ffs_bad(fm, ip->i_number, "block %lld out of range",
		    (long long)bprev);
		return EIO;
	}
	if ((error = bread(fm->fm_bd, ffs_fsbtodb(fs, bprev), (size_t)osize,
	    &bp)) != 0)
		return error;
	pref = ffs_blkpref(ip, lbn, (int)lbn, fm->fm_ufs2 ?
	    (void *)ip->i_din.d2.di_db : (void *)ip->i_din.d1.di_db);
	if ((error = ffs_realloc(ip, lbn, bprev, pref, osize, nsize, cred,
	    &fsb)) != 0) {
		brelse(bp, 0);
		return error;
	}
	ffs_addblocks(ip, nsize - osize);
	if (fsb == bprev) {
		allocbuf(bp, (size_t)nsize);
		*bpp = bp;
		return 0;
	}
	/* Moved: copy into a buffer at the new place, free the old run. */
	nbp = getblk(fm->fm_bd, ffs_fsbtodb(fs, fsb), (size_t)nsize);
	memcpy(nbp->b_data, bp->b_data, (size_t)osize);
	memset((char *)nbp->b_data + osize, 0, (size_t)(nsize - osize));
	brelse(bp, BC_INVAL);
	DIP_SET(ip, db[lbn], fsb);
	ffs_blkfree(fm, bprev, osize, ip->i_number);
	*bpp = nbp;
	return 0;
}

/* A new, zeroed buffer for newly allocated space at fsb. */
static struct buf *
ffs_newbuf(struct ffs_inode *ip, int64_t fsb, int size)
{
	struct buf *bp;

	bp = getblk(ip->i_fm->fm_bd, ffs_fsbtodb(ITOFS(ip), fsb),
	    (size_t)size);
	memset(bp->b_data, 0, (size_t)size);
	return bp;
}

/*
 * The buffer of existing data at fsb that the caller overwrites whole:
 * none (NULL) for a BA_DIRECT write of a whole block that is not cached.
 */
static struct buf *
ffs_databuf(struct ffs_inode *ip, int64_t fsb, int size, int flags)
{
	struct ffs_mount *fm = ip->i_fm;
	int64_t blkno = ffs_fsbtodb(fm->fm_fs, fsb);

	if ((flags & BA_DIRECT) && size == fm->fm_fs->fs_bsize &&
	    !incore(fm->fm_bd, blkno))
		return NULL;
	return getblk(fm->fm_bd, blkno, (size_t)size);
}

/*
 * Allocate a whole block for an indirect block or a data block below
 * direct block range, pointed at from slot idx of the pointer array
 * bap (an indirect block's contents or the inode's ib[]).
 */
static int
ffs_allocblk(struct ffs_inode *ip, int64_t lbn, int idx, const void *bap,
    kauth_cred_t cred, int64_t *fsbp)
{
	struct ffs_super *fs = ITOFS(ip);
	int64_t pref;
	int error;

	pref = ffs_blkpref(ip, lbn, idx, bap);
	if ((error = ffs_alloc(ip, lbn, pref, fs->fs_bsize, cred,
	    fsbp)) != 0)
		return error;
	ffs_addblocks(ip, fs->fs_bsize);
	return 0;
}

int
ffs_balloc(struct ffs_inode *ip, off_t off, size_t len, kauth_cred_t cred,
    int flags, struct buf **bpp)
{
	struct ffs_mount *fm = ip->i_fm;
	struct ffs_super *fs = fm->fm_fs;
	int64_t lbn = ffs_lblkno(fs, off), size = DIP(ip, size);
	int64_t lastlbn = size > 0 ? ffs_lblkno(fs, size - 1) : -1;
	int64_t idx[3], fsb, nfsb;
	void *db = fm->fm_ufs2 ? (void *)ip->i_din.d2.di_db :
	    (void *)ip->i_din.d1.di_db;
	struct buf *bp, *ibp;
	int level, k, osize, nsize, error;

	KASSERT(ffs_blkoff(fs, off) + (int64_t)len <= fs->fs_bsize);
	/* A fragment run that stops being the last block becomes whole. */
	if (lastlbn >= 0 && lastlbn < FFS_NDADDR && lastlbn < lbn &&
	    DIP(ip, db[lastlbn]) != 0 &&
	    (osize = ffs_lblksize(ip, lastlbn)) < fs->fs_bsize) {
		if ((error = ffs_fraggrow(ip, lastlbn, osize, fs->fs_bsize,
		    cred, &bp)) != 0)
			return error;
		bdwrite(bp);
		/* So a failure below is undone by truncating to the size. */
		DIP_SET(ip, size, ffs_lblktosize(fs, lastlbn + 1));
	}

	if (lbn < FFS_NDADDR) {
		fsb = DIP(ip, db[lbn]);
		/* Whole below the last block; else as much as is used. */
		if (lbn < lastlbn)
			nsize = fs->fs_bsize;
		else
			nsize = (int)ffs_fragroundup(fs,
			    ffs_blkoff(fs, off) + (int64_t)len);
		if (lbn == lastlbn)
			nsize = MAX(nsize, ffs_lblksize(ip, lbn));
		if (fsb != 0) {
			osize = lbn == lastlbn ? ffs_lblksize(ip, lbn) :
			    fs->fs_bsize;
			if (nsize > osize)
				return ffs_fraggrow(ip, lbn, osize, nsize,
				    cred, bpp);
			if (!ffs_fsb_ok(fm, fsb, ffs_numfrags(fs, osize))) {
				ffs_bad(fm, ip->i_number, "block %lld out of "
				    "range", (long long)fsb);
				return EIO;
			}
			if (flags & BA_CLRBUF)
				return bread(fm->fm_bd, ffs_fsbtodb(fs, fsb),
				    (size_t)osize, bpp);
			*bpp = ffs_databuf(ip, fsb, osize, flags);
			return 0;
		}
		if ((error = ffs_alloc(ip, lbn, ffs_blkpref(ip, lbn, (int)lbn,
		    db), nsize, cred, &fsb)) != 0)
			return error;
		ffs_addblocks(ip, nsize);
		DIP_SET(ip, db[lbn], fsb);
		*bpp = (flags & BA_DIRECT) && nsize == fs->fs_bsize ? NULL :
		    ffs_newbuf(ip, fsb, nsize);
		return 0;
	}

	/* Through the indirect blocks, making the missing ones. */
	if ((level = ffs_indir_path(fs, lbn, idx)) < 0)
		return EFBIG;
	fsb = DIP(ip, ib[level]);
	if (fsb == 0) {
		void *ib = fm->fm_ufs2 ? (void *)ip->i_din.d2.di_ib :
		    (void *)ip->i_din.d1.di_ib;

		if ((error = ffs_allocblk(ip, lbn, 0, ib, cred, &fsb)) != 0)
			return error;
		DIP_SET(ip, ib[level], fsb);
		bdwrite(ffs_newbuf(ip, fsb, fs->fs_bsize));
	}
	for (k = 0; k <= level; k++) {
		if ((error = ffs_indir_read(ip, fsb, &ibp)) != 0)
			return error;
		nfsb = ffs_indir_get(fm, ibp->b_data, idx[k]);
		if (nfsb == 0) {
			if ((error = ffs_allocblk(ip, lbn, (int)idx[k],
			    ibp->b_data, cred, &nfsb)) != 0) {
				brelse(ibp, 0);
				return error;
			}
			if (nfsb == fsb) {
				/* The map called our own block free. */
				ffs_bad(fm, ip->i_number, "block %lld "
				    "allocated twice: the maps are damaged",
				    (long long)nfsb);
				brelse(ibp, 0);
				return EIO;
			}
			ffs_indir_set(fm, ibp->b_data, idx[k], nfsb);
			if (k == level) {
				bdwrite(ibp);
				*bpp = (flags & BA_DIRECT) ? NULL :
				    ffs_newbuf(ip, nfsb, fs->fs_bsize);
				return 0;
			}
			bdwrite(ffs_newbuf(ip, nfsb, fs->fs_bsize));
			bdwrite(ibp);
		} else
			brelse(ibp, 0);
		fsb = nfsb;
	}
	/* The data block exists. */
	if (!ffs_fsb_ok(fm, fsb, fs->fs_frag)) {
		ffs_bad(fm, ip->i_number, "block %lld out of range",
		    (long long)fsb);
		return EIO;
	}
	if (flags & BA_CLRBUF)
		return bread(fm->fm_bd, ffs_fsbtodb(fs, fsb),
		    (size_t)fs->fs_bsize, bpp);
	*bpp = ffs_databuf(ip, fsb, fs->fs_bsize, flags);
	return 0;
}

/*
 * Free what indirect block fsb (at the given level, 0: pointing at
 * data) holds for logical blocks past keep, where its first pointer
 * covers logical block first.  *emptyp: nothing is left in it, so the
 * caller frees it.
 */
static int
ffs_indirtrunc(struct ffs_inode *ip, int64_t fsb, int level, int64_t first,
    int64_t keep, const int64_t *above, int nabove, bool *emptyp)
{
	int64_t path[FFS_NIADDR];
	struct ffs_mount *fm = ip->i_fm;
	struct ffs_super *fs = fm->fm_fs;
	int64_t span = 1, i, p;
	struct buf *bp;
	bool empty, dirty = false, any = false;
	int k, error;

	for (k = 0; k < level; k++)
		span *= fs->fs_nindir;
	/* The blocks above this one, and this one: a loop is damage. */
	for (k = 0; k < nabove; k++)
		path[k] = above[k];
	path[nabove] = fsb;
	if ((error = ffs_indir_read(ip, fsb, &bp)) != 0)
		return error;
	for (i = 0; i < fs->fs_nindir; i++) {
		int64_t lo = first + i * span;

		if ((p = ffs_indir_get(fm, bp->b_data, i)) == 0)
			continue;
		if (lo + span - 1 <= keep) {
			any = true;	/* wholly kept */
			continue;
		}
		for (k = 0; k <= nabove && path[k] != p; k++)
			continue;
		if (!ffs_fsb_ok(fm, p, fs->fs_frag) || k <= nabove) {
			ffs_bad(fm, ip->i_number, "block %lld out of range "
			    "or looping: dropped", (long long)p);
			ffs_indir_set(fm, bp->b_data, i, 0);
			dirty = true;
			continue;
		}
		if (level > 0) {
			if ((error = ffs_indirtrunc(ip, p, level - 1, lo, keep,
			    path, nabove + 1, &empty)) != 0)
				break;
			if (!empty) {
				any = true;
				continue;
			}
		}
		ffs_indir_set(fm, bp->b_data, i, 0);
		dirty = true;
		ffs_blkrelease(ip, p, fs->fs_bsize);
	}
	*emptyp = !any && error == 0;
	if (*emptyp)
		brelse(bp, BC_INVAL);	/* the caller frees it */
	else if (dirty)
		bdwrite(bp);
	else
		brelse(bp, 0);
	return error;
}

int
ffs_truncate(struct ffs_inode *ip, off_t length, kauth_cred_t cred)
{
	struct ffs_mount *fm = ip->i_fm;
	struct ffs_super *fs = fm->fm_fs;
	int64_t osize = DIP(ip, size), keep, first, span, fsb;
	struct buf *bp;
	bool empty;
	int level, k, size, nsize, error;

	if (length < 0 || (uint64_t)length > fm->fm_maxfilesize)
		return EFBIG;
	if (length == osize) {
		ip->i_flag |= IN_CHANGE | IN_UPDATE;
		return 0;
	}
	if (length > osize) {
		/* Allocate the last byte, so the old last block is whole. */
		if ((error = ffs_balloc(ip, length - 1, 1, cred, BA_CLRBUF,
		    &bp)) != 0) {
			if (DIP(ip, size) != osize)
				(void)ffs_truncate(ip, osize, cred);
			return error;
		}
		DIP_SET(ip, size, length);
		bdwrite(bp);
		ip->i_flag |= IN_CHANGE | IN_UPDATE;
		return 0;
	}

	/* Shorter: zero the tail of the new last block, or shrink it. */
	keep = length > 0 ? ffs_lblkno(fs, length - 1) : -1;
	if (ffs_blkoff(fs, length) != 0) {
		if ((error = ffs_blkread(ip, keep, &bp)) != 0)
			return error;
		if (bp != NULL) {
			size = (int)bp->b_bcount;
			nsize = keep < FFS_NDADDR ? (int)ffs_fragroundup(fs,
			    ffs_blkoff(fs, length)) : size;
			memset((char *)bp->b_data + ffs_blkoff(fs, length), 0,
			    (size_t)(size - ffs_blkoff(fs, length)));
			if (nsize < size) {
				fsb = DIP(ip, db[keep]);
				allocbuf(bp, (size_t)nsize);
				ffs_blkfree(fm, fsb + ffs_numfrags(fs, nsize),
				    size - nsize, ip->i_number);
				ffs_addblocks(ip, -(int64_t)(size - nsize));
			}
			bdwrite(bp);
		}
	}
	DIP_SET(ip, size, length);
	ip->i_flag |= IN_CHANGE | IN_UPDATE;

	/* Direct blocks past the new end (sizes as the file was). */
	for (k = FFS_NDADDR - 1; k > keep; k--) {
		if ((fsb = DIP(ip, db[k])) == 0)
			continue;
		size = (int)ffs_blksize(fs, osize, k);
		DIP_SET(ip, db[k], 0);
		if (ffs_fsb_ok(fm, fsb, ffs_numfrags(fs, size)))
			ffs_blkrelease(ip, fsb, size);
		else
			ffs_bad(fm, ip->i_number, "block %lld out of range: "
			    "dropped", (long long)fsb);
	}
	/* The indirect trees past it. */
	first = FFS_NDADDR;
	span = fs->fs_nindir;
	for (level = 0; level < FFS_NIADDR; level++) {
		if ((fsb = DIP(ip, ib[level])) != 0 && first + span - 1 > keep) {
			if ((error = ffs_indirtrunc(ip, fsb, level, first,
			    keep, NULL, 0, &empty)) != 0)
				return error;
			if (empty) {
				DIP_SET(ip, ib[level], 0);
				ffs_blkrelease(ip, fsb, fs->fs_bsize);
			}
		}
		first += span;
		span *= fs->fs_nindir;
	}
	if (length == 0 && DIP(ip, blocks) != 0) {
		ffs_bad(fm, ip->i_number, "%lld blocks held after truncation "
		    "to 0", (long long)DIP(ip, blocks));
		DIP_SET(ip, blocks, 0);
	}
	return 0;
}

/*
 * Start reading ahead of sequential reads: the blocks of the window
 * after lbn that are allocated and not read ahead yet.
 */
static void
ffs_readahead(struct ffs_inode *ip, int64_t lbn, int64_t *rablk,
    size_t *rasize, int *nrap)
{
	struct ffs_super *fs = ITOFS(ip);
	int64_t win = MIN(MAX(FFS_RAMAX / fs->fs_bsize, 2), FFS_RAMAXBLKS);
	int64_t last, b, fsb;
	int n = 0;

	*nrap = 0;
	if (lbn != ip->i_nextr) {
		ip->i_ranext = lbn + 1;
		return;
	}
	if (ip->i_ranext > lbn + win / 2)
		return;
	last = DIP(ip, size) > 0 ? ffs_lblkno(fs, DIP(ip, size) - 1) : -1;
	for (b = MAX(ip->i_ranext, lbn + 1); b <= lbn + win && b <= last &&
	    n < FFS_RAMAXBLKS; b++) {
		if (ffs_bmap(ip, b, &fsb) != 0)
			break;
		if (fsb == 0)
			continue;
		rablk[n] = ffs_fsbtodb(fs, fsb);
		rasize[n] = (size_t)ffs_lblksize(ip, b);
		if (!ffs_fsb_ok(ip->i_fm, fsb, ffs_numfrags(fs, rasize[n])))
			break;
		n++;
	}
	ip->i_ranext = b;
	*nrap = n;
}

/*
 * O_DIRECT: read the whole blocks from lbn (at fsb) on that follow each
 * other on the disk, lie within the file and are not cached, straight
 * into the caller's memory, in one transfer.  *nblkp: how many (0: lbn
 * goes through the cache).  Writers hold the vnode lock, so no block of
 * the run can get a cached buffer meanwhile.
 */
static int
ffs_read_direct(struct ffs_inode *ip, int64_t lbn, int64_t fsb,
    struct uio *uio, int64_t *nblkp)
{
	struct ffs_mount *fm = ip->i_fm;
	struct ffs_super *fs = fm->fm_fs;
	int64_t n, bfsb, size = DIP(ip, size);
	void *mem = NULL;
	int error;

	*nblkp = 0;
	for (n = 0; n < MAXPHYS / fs->fs_bsize; n++) {
		if ((uint64_t)ffs_lblktosize(fs, n + 1) > uio->uio_resid ||
		    ffs_lblktosize(fs, lbn + n + 1) > size)
			break;
		bfsb = fsb + n * fs->fs_frag;
		if (n > 0 && (ffs_bmap(ip, lbn + n, &bfsb) != 0 ||
		    bfsb != fsb + n * fs->fs_frag))
			break;
		if (incore(fm->fm_bd, ffs_fsbtodb(fs, bfsb)))
			break;
	}
	/* The caller's memory may be shorter than the run in one piece. */
	while (n > 0 && (mem = uio_direct(uio,
	    (size_t)ffs_lblktosize(fs, n))) == NULL)
		n--;
	if (n == 0)
		return 0;
	if (!ffs_fsb_ok(fm, fsb, n * fs->fs_frag)) {
		ffs_bad(fm, ip->i_number, "block %lld out of range",
		    (long long)fsb);
		return EIO;
	}
	if ((error = bdirect(fm->fm_bd, ffs_fsbtodb(fs, fsb), mem,
	    (size_t)ffs_lblktosize(fs, n), false)) != 0)
		return error;
	uio_advance(uio, (size_t)ffs_lblktosize(fs, n));
	*nblkp = n;
	return 0;
}

/*
 * O_DIRECT writes: whole blocks that follow each other on the disk and
 * in the caller's memory, gathered into one transfer.  A run is all
 * blocks this write allocated (new) or all blocks the file had: if its
 * transfer fails, new blocks are zeroed through the cache, so the file
 * never shows what the disk held before.
 */
struct ffs_dwrun {
	int64_t		dw_fsb;		/* the first block */
	char		*dw_mem;
	size_t		dw_len;		/* 0: none yet */
	bool		dw_new;
};

static int
ffs_dwrun_flush(struct ffs_inode *ip, struct ffs_dwrun *dw)
{
	struct ffs_mount *fm = ip->i_fm;
	struct ffs_super *fs = fm->fm_fs;
	size_t len = dw->dw_len, off;
	struct buf *bp;
	int error;

	dw->dw_len = 0;
	if (len == 0)
		return 0;
	error = bdirect(fm->fm_bd, ffs_fsbtodb(fs, dw->dw_fsb), dw->dw_mem,
	    len, true);
	if (error != 0 && dw->dw_new) {
		for (off = 0; off < len; off += (size_t)fs->fs_bsize) {
			bp = getblk(fm->fm_bd, ffs_fsbtodb(fs, dw->dw_fsb +
			    ffs_numfrags(fs, (int64_t)off)),
			    (size_t)fs->fs_bsize);
			memset(bp->b_data, 0, (size_t)fs->fs_bsize);
			bdwrite(bp);
		}
	}
	return error;
}

/*
 * Add block lbn at fsb (allocated by this write if isnew), from mem,
 * writing the run out first if it does not continue it.  The block is
 * in the run even then, for the final ffs_dwrun_flush().
 */
static int
ffs_dwrun_add(struct ffs_inode *ip, struct ffs_dwrun *dw, int64_t fsb,
    char *mem, bool isnew)
{
	struct ffs_super *fs = ITOFS(ip);
	int error = 0;

	if (dw->dw_len > 0 &&
	    (fsb != dw->dw_fsb + ffs_numfrags(fs, (int64_t)dw->dw_len) ||
	    mem != dw->dw_mem + dw->dw_len || isnew != dw->dw_new ||
	    dw->dw_len + (size_t)fs->fs_bsize > MAXPHYS))
		error = ffs_dwrun_flush(ip, dw);
	if (dw->dw_len == 0) {
		dw->dw_fsb = fsb;
		dw->dw_mem = mem;
		dw->dw_new = isnew;
	}
	dw->dw_len += (size_t)fs->fs_bsize;
	return error;
}

int
ffs_rdwr(struct ffs_inode *ip, struct uio *uio, int ioflag,
    kauth_cred_t cred)
{
	struct ffs_mount *fm = ip->i_fm;
	struct ffs_super *fs = fm->fm_fs;
	int64_t lbn, fsb, on, n, size, origoff, rablk[FFS_RAMAXBLKS];
	size_t origresid;
	size_t rasize[FFS_RAMAXBLKS];
	struct ffs_dwrun dw = { .dw_len = 0 };
	int64_t ofsb = 0;
	struct buf *bp;
	int64_t nblk;
	char *mem;
	int nra, flags, error = 0, error2;

	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_rw == UIO_READ) {
		while (uio->uio_resid > 0 &&
		    uio->uio_offset < (size = DIP(ip, size))) {
			lbn = ffs_lblkno(fs, uio->uio_offset);
			on = ffs_blkoff(fs, uio->uio_offset);
			n = MIN((int64_t)ffs_lblksize(ip, lbn) - on,
			    MIN((int64_t)uio->uio_resid,
			    size - uio->uio_offset));
			if ((error = ffs_bmap(ip, lbn, &fsb)) != 0)
				break;
			if (fsb != 0 && on == 0 && (ioflag & IO_DIRECT)) {
				if ((error = ffs_read_direct(ip, lbn, fsb, uio,
				    &nblk)) != 0)
					break;
				if (nblk > 0) {
					ip->i_nextr = lbn + nblk;
					continue;
				}
			}
			if (fsb == 0) {
				error = uiomove((void *)ffs_zeros, (size_t)n,
				    uio);
			} else {
				ffs_readahead(ip, lbn, rablk, rasize, &nra);
				if (!ffs_fsb_ok(fm, fsb, ffs_numfrags(fs,
				    ffs_lblksize(ip, lbn)))) {
					ffs_bad(fm, ip->i_number, "block %lld "
					    "out of range", (long long)fsb);
					error = EIO;
					break;
				}
				if ((error = breadn(fm->fm_bd,
				    ffs_fsbtodb(fs, fsb),
				    (size_t)ffs_lblksize(ip, lbn), rablk,
				    rasize, nra, &bp)) != 0)
					break;
				error = uiomove((char *)bp->b_data + on,
				    (size_t)n, uio);
				brelse(bp, 0);
			}
			ip->i_nextr = lbn + 1;
			if (error != 0)
				break;
		}
		if ((fm->fm_mp->mnt_flag & (MNT_NOATIME | MNT_RDONLY)) == 0)
			ip->i_flag |= IN_ACCESS;
		return error;
	}

	if (ioflag & IO_APPEND)
		uio->uio_offset = DIP(ip, size);
	if ((uint64_t)uio->uio_offset + uio->uio_resid > fm->fm_maxfilesize)
		return EFBIG;
	size = DIP(ip, size);
	origoff = uio->uio_offset;
	origresid = uio->uio_resid;
	while (uio->uio_resid > 0) {
		lbn = ffs_lblkno(fs, uio->uio_offset);
		on = ffs_blkoff(fs, uio->uio_offset);
		n = MIN((int64_t)fs->fs_bsize - on, (int64_t)uio->uio_resid);
		flags = n == fs->fs_bsize ? 0 : BA_CLRBUF;
		mem = NULL;
		if (n == fs->fs_bsize && (ioflag & IO_DIRECT) &&
		    (mem = uio_direct(uio, (size_t)n)) != NULL) {
			flags |= BA_DIRECT;
			if ((error = ffs_bmap(ip, lbn, &ofsb)) != 0)
				break;
		}
		if ((error = ffs_balloc(ip, uio->uio_offset, (size_t)n, cred,
		    flags, &bp)) != 0)
			break;
		if (uio->uio_offset + n > DIP(ip, size))
			DIP_SET(ip, size, uio->uio_offset + n);
		if (bp == NULL) {
			/* O_DIRECT, not cached: to the disk from mem. */
			if ((error = ffs_bmap(ip, lbn, &fsb)) != 0 ||
			    (error = ffs_dwrun_add(ip, &dw, fsb, mem,
			    ofsb == 0)) != 0)
				break;
			uio_advance(uio, (size_t)n);
			continue;
		}
		error = uiomove((char *)bp->b_data + on, (size_t)n, uio);
		if (error != 0) {
			brelse(bp, 0);
			break;
		}
		if ((ioflag & IO_SYNC) ||
		    (fm->fm_mp->mnt_flag & MNT_SYNCHRONOUS))
			error = bwrite(bp);
		else
			bdwrite(bp);
		if (error != 0)
			break;
	}
	/* What was gathered is written even if a later block failed. */
	if ((error2 = ffs_dwrun_flush(ip, &dw)) != 0 && error == 0)
		error = error2;
	ip->i_flag |= IN_CHANGE | IN_UPDATE;
	if (error != 0 && DIP(ip, size) > size) {
		/* Undo the growth: the write did not happen. */
		(void)ffs_truncate(ip, size, cred);
		uio->uio_offset = origoff;
		uio->uio_resid = origresid;
	}
	if (error == 0)
		error = ffs_iupdate(ip, (ioflag & IO_SYNC) != 0);
	return error;
}
