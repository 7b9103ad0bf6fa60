/*
 * fsck_ffs: operations on whole inodes (host program): their type,
 * giving back the fragments one holds, clearing one, and the table of
 * directories the passes build.
 */

#include <string.h>

#include "fsck_ffs.h"

/* The directory entry type for a mode, or FFS_DT_UNKNOWN if invalid. */
int
mode_to_dt(uint16_t mode)
{

	switch (mode & FFS_IFMT) {
	case FFS_IFIFO:
		return FFS_DT_FIFO;
	case FFS_IFCHR:
		return FFS_DT_CHR;
	case FFS_IFDIR:
		return FFS_DT_DIR;
	case FFS_IFBLK:
		return FFS_DT_BLK;
	case FFS_IFREG:
		return FFS_DT_REG;
	case FFS_IFLNK:
		return FFS_DT_LNK;
	case FFS_IFSOCK:
		return FFS_DT_SOCK;
	default:
		return FFS_DT_UNKNOWN;
	}
}

/* Does this inode hold data blocks (rather than a device, a short link)? */
int
dp_hasblocks(const union dinode *dp)
{

	switch (dp->d1.di_mode & FFS_IFMT) {
	case FFS_IFDIR:
	case FFS_IFREG:
		return 1;
	case FFS_IFLNK:
		/*
		 * A short link keeps its target where the pointers are and
		 * holds no blocks; with a wrong di_blocks it is still short
		 * when its first "pointer" could not be one.
		 */
		return !(ck.fs->fs_maxsymlinklen > 0 &&
		    dp_size(dp) < (uint64_t)ck.fs->fs_maxsymlinklen &&
		    (dp_blocks(dp) == 0 || ptr_bad(dp_db(dp, 0), 1)));
	default:
		return 0;
	}
}

static int
release_fn(struct walk *w, const struct bptr *bp)
{

	if (BP_CLAIMABLE(bp))
		frags_unclaim(bp->bp_fsb, bp->bp_nfrags);
	return WALK_KEEP;
}

/*
 * Give back what the inode's pointers claimed in pass 1: the same walk
 * as the claiming one, cut after limit pointers (-1: as far as any
 * walk goes).
 */
void
inode_release(uint32_t ino, union dinode *dp, int64_t limit)
{
	struct walk w;

	if (!dp_hasblocks(dp))
		return;
	walk_init(&w, ino, dp, release_fn, NULL);
	if (limit >= 0)
		w.w_limit = limit;
	(void)walk_run(&w);
}

/*
 * Clear inode ino on disk (keeping its generation, bumped) and forget
 * it.  The caller has released its fragments.
 */
void
inode_clear(uint32_t ino, union dinode *dp)
{
	int32_t gen = ck.ufs2 ? dp->d2.di_gen : dp->d1.di_gen;

	memset(dp, 0, sizeof(*dp));
	if (ck.ufs2)
		dp->d2.di_gen = gen + 1;
	else
		dp->d1.di_gen = gen + 1;
	(void)inode_write(ino, dp);
	ck.ino[ino].is_state = IS_FREE;
	ck.ino[ino].is_type = FFS_DT_UNKNOWN;
	ck.ino[ino].is_nlink = 0;
}

/* The directory record of ino, or NULL. */
struct dirinfo *
dir_find(uint32_t ino)
{
	size_t lo = 0, hi = ck.ndirs, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ck.dirs[mid].dr_ino == ino)
			return &ck.dirs[mid];
		if (ck.dirs[mid].dr_ino < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * A new directory record for ino, kept in order (pass 1 adds them in
 * order; a directory made later is put in place).
 */
struct dirinfo *
dir_new(uint32_t ino)
{
	struct dirinfo *d;
	size_t i;

	if ((d = dir_find(ino)) == NULL) {
		ck.dirs = xgrow(ck.dirs, &ck.dirsalloc, ck.ndirs,
		    sizeof(*ck.dirs));
		for (i = ck.ndirs; i > 0 && ck.dirs[i - 1].dr_ino > ino; i--)
			continue;
		memmove(&ck.dirs[i + 1], &ck.dirs[i],
		    (ck.ndirs - i) * sizeof(*ck.dirs));
		ck.ndirs++;
		d = &ck.dirs[i];
	}
	memset(d, 0, sizeof(*d));
	d->dr_ino = ino;
	d->dr_dotdotoff = -1;
	return d;
}
