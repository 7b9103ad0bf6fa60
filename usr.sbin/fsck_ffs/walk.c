/*
 * fsck_ffs: walking the block pointers of an inode (host program).
 * Every pointer is judged the same way wherever it is met: inside the
 * file system, clear of metadata, within one block, within the file
 * (for a directory: before its first hole).  Indirect blocks are read
 * only through pointers that pass, so a damaged inode costs at most the
 * blocks it could really hold.
 */

#include <stdlib.h>
#include <string.h>

#include "fsck_ffs.h"

/* Why a run of nfrags fragments at fsb cannot be held, or 0. */
int
ptr_bad(int64_t fsb, int nfrags)
{
	struct ffs_super *fs = ck.fs;

	if (fsb <= 0 || fsb >= fs->fs_size || nfrags > fs->fs_size - fsb)
		return BP_RANGE;
	if (ffs_fragnum(fs, fsb) + nfrags > fs->fs_frag)
		return BP_ALIGN;
	if (is_meta(fsb, nfrags))
		return BP_META;
	return 0;
}

void
walk_init(struct walk *w, uint32_t ino, union dinode *dp, walkfn_t fn,
    void *arg)
{
	struct ffs_super *fs = ck.fs;
	uint64_t size = dp_size(dp);

	memset(w, 0, sizeof(*w));
	w->w_ino = ino;
	w->w_dp = dp;
	w->w_fn = fn;
	w->w_arg = arg;
	w->w_isdir = (dp->d1.di_mode & FFS_IFMT) == FFS_IFDIR;
	w->w_eofblk = (int64_t)(size >> fs->fs_bshift) +
	    ((size & (uint64_t)fs->fs_qbmask) != 0);
	if (w->w_eofblk < 0 || w->w_eofblk > ck.maxlbn)
		w->w_eofblk = ck.maxlbn;
	w->w_hole = -1;
	/*
	 * No sound file holds more blocks than the file system has; a
	 * walk past that is going round a loop of indirect blocks.
	 */
	w->w_limit = fs->fs_size;
}

/*
 * Judge a pointer of the file's data or indirect blocks (not extended
 * attributes): good or bad, within the file or beyond; a directory's
 * first hole (a missing or bad pointer) ends it.
 */
static void
classify(struct walk *w, struct bptr *bp)
{

	bp->bp_bad = ptr_bad(bp->bp_fsb, bp->bp_nfrags);
	bp->bp_beyond = bp->bp_lbn >= w->w_eofblk;
	if (!w->w_isdir || bp->bp_beyond)
		return;
	if (w->w_hole >= 0 || bp->bp_lbn > w->w_expect) {
		if (w->w_hole < 0)
			w->w_hole = w->w_expect;
		bp->bp_beyond = 1;
	} else if (bp->bp_bad)
		w->w_hole = bp->bp_lbn;
	else if (bp->bp_level == 0)
		w->w_expect = bp->bp_lbn + 1;
}

/* Hand one pointer to the callback, unless the walk is over. */
static int
visit(struct walk *w, const struct bptr *bp)
{
	int r;

	if (w->w_limit >= 0 && w->w_nvisit >= w->w_limit) {
		w->w_stopped = 1;
		return WALK_STOP;
	}
	w->w_nvisit++;
	r = w->w_fn(w, bp);
	if (r == WALK_STOP)
		w->w_stopped = 1;
	return r;
}

/*
 * The pointers in the indirect block at fsb, of the given level (1:
 * they point at data), mapping logical blocks from lbn on.  Writes the
 * block back if a pointer in it was cleared.
 */
static int
walk_ind(struct walk *w, int64_t fsb, int level, int64_t lbn)
{
	struct ffs_super *fs = ck.fs;
	struct bptr bp;
	uint8_t *buf;
	int64_t span = 1, e;
	int j, k, r = WALK_KEEP, dirty = 0;

	for (k = 1; k < level; k++)
		span *= fs->fs_nindir;
	if (w->w_buf[level - 1] == NULL)
		w->w_buf[level - 1] = xcalloc(1, (size_t)fs->fs_bsize);
	buf = w->w_buf[level - 1];
	(void)frags_read(fsb, fs->fs_frag, buf);
	for (j = 0; j < fs->fs_nindir; j++) {
		if ((e = ind_get(buf, j)) == 0)
			continue;
		bp.bp_fsb = e;
		bp.bp_lbn = lbn + j * span;
		bp.bp_level = level - 1;
		bp.bp_nfrags = fs->fs_frag;
		classify(w, &bp);
		if ((r = visit(w, &bp)) == WALK_STOP)
			break;
		if (r == WALK_CLEAR) {
			ind_set(buf, j, 0);
			dirty = 1;
			continue;
		}
		if (bp.bp_level > 0 && BP_CLAIMABLE(&bp) &&
		    (r = walk_ind(w, e, bp.bp_level, bp.bp_lbn)) == WALK_STOP)
			break;
	}
	if (dirty)
		(void)frags_write(fsb, fs->fs_frag, buf);
	return r;
}

/* The extended attribute blocks of a UFS2 inode. */
static int
walk_ext(struct walk *w)
{
	struct ffs_super *fs = ck.fs;
	union dinode *dp = w->w_dp;
	struct bptr bp;
	int64_t extsize = dp->d2.di_extsize, nblk = 0;
	int i, r;

	if (extsize > 0 && extsize <= (int64_t)FFS_NXADDR * fs->fs_bsize)
		nblk = (extsize + fs->fs_bsize - 1) >> fs->fs_bshift;
	for (i = 0; i < FFS_NXADDR; i++) {
		if (dp->d2.di_extb[i] == 0)
			continue;
		bp.bp_fsb = dp->d2.di_extb[i];
		bp.bp_lbn = -1 - i;
		bp.bp_level = -1;
		bp.bp_beyond = i >= nblk;
		bp.bp_nfrags = bp.bp_beyond ? fs->fs_frag :
		    (int)(ffs_blksize(fs, extsize, i) >> fs->fs_fshift);
		bp.bp_bad = ptr_bad(bp.bp_fsb, bp.bp_nfrags);
		if ((r = visit(w, &bp)) == WALK_STOP)
			return r;
		if (r == WALK_CLEAR) {
			dp->d2.di_extb[i] = 0;
			w->w_dirty = 1;
		}
	}
	return WALK_KEEP;
}

/*
 * Walk every pointer of the inode (struct walk above, and fsck_ffs.h).
 * Returns 1 if the walk was stopped early.
 */
int
walk_run(struct walk *w)
{
	struct ffs_super *fs = ck.fs;
	union dinode *dp = w->w_dp;
	uint64_t size = dp_size(dp);
	struct bptr bp;
	int64_t start = FFS_NDADDR, span = 1;
	int i, r, level;

	if (ck.ufs2 && walk_ext(w) == WALK_STOP)
		goto out;
	for (i = 0; i < FFS_NDADDR; i++) {
		if ((bp.bp_fsb = dp_db(dp, i)) == 0)
			continue;
		bp.bp_lbn = i;
		bp.bp_level = 0;
		bp.bp_nfrags = i >= w->w_eofblk ? fs->fs_frag :
		    (int)(ffs_blksize(fs, size, i) >> fs->fs_fshift);
		classify(w, &bp);
		if ((r = visit(w, &bp)) == WALK_STOP)
			goto out;
		if (r == WALK_CLEAR) {
			dp_setdb(dp, i, 0);
			w->w_dirty = 1;
		}
	}
	for (level = 1; level <= FFS_NIADDR; level++) {
		span *= fs->fs_nindir;
		if ((bp.bp_fsb = dp_ib(dp, level - 1)) != 0) {
			bp.bp_lbn = start;
			bp.bp_level = level;
			bp.bp_nfrags = fs->fs_frag;
			classify(w, &bp);
			if ((r = visit(w, &bp)) == WALK_STOP)
				goto out;
			if (r == WALK_CLEAR) {
				dp_setib(dp, level - 1, 0);
				w->w_dirty = 1;
			} else if (BP_CLAIMABLE(&bp) && walk_ind(w, bp.bp_fsb,
			    level, start) == WALK_STOP)
				goto out;
		}
		start += span;
	}
	if (w->w_isdir && w->w_hole < 0 && w->w_expect < w->w_eofblk)
		w->w_hole = w->w_expect;
out:
	for (i = 0; i < FFS_NIADDR; i++) {
		free(w->w_buf[i]);
		w->w_buf[i] = NULL;
	}
	return w->w_stopped;
}

/*
 * The fragment address of logical block lbn of the inode: 0 for a
 * hole, -1 when an indirect block on the way is bad.  The caller checks
 * the address it gets.
 */
int64_t
bmap(const union dinode *dp, int64_t lbn)
{
	struct ffs_super *fs = ck.fs;
	uint8_t *buf;
	int64_t span, fsb;
	int level;

	if (lbn < 0 || lbn >= ck.maxlbn)
		return -1;
	if (lbn < FFS_NDADDR)
		return dp_db(dp, (int)lbn);
	lbn -= FFS_NDADDR;
	span = fs->fs_nindir;
	for (level = 1; lbn >= span; level++) {
		lbn -= span;
		span *= fs->fs_nindir;
	}
	fsb = dp_ib(dp, level - 1);
	buf = xcalloc(1, (size_t)fs->fs_bsize);
	for (; level > 0; level--) {
		if (fsb == 0)
			break;
		if (ptr_bad(fsb, fs->fs_frag) ||
		    frags_read(fsb, fs->fs_frag, buf) != 0) {
			fsb = -1;
			break;
		}
		span /= fs->fs_nindir;
		fsb = ind_get(buf, (int)(lbn / span));
		lbn %= span;
	}
	free(buf);
	return fsb;
}
