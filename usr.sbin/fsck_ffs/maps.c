/*
 * fsck_ffs: the in-memory fragment map (host program).  A bit per
 * fragment says an inode holds it; a fragment claimed again goes into a
 * hash of duplicates with its count of extra claims, so that releasing
 * any one claimant leaves the map right.  Also allocation of fragments
 * and inodes for what the repairs create (lost+found, a new root).
 */

#include <stdlib.h>
#include <string.h>

#include "fsck_ffs.h"

static size_t
dup_hash(int64_t fsb)
{

	return (size_t)(((uint64_t)fsb * 0x9e3779b97f4a7c15ULL) >> 17);
}

/* The duplicate entry of fragment fsb, or NULL. */
struct dupent *
dup_lookup(int64_t fsb)
{
	size_t i, mask;

	if (ck.dupsalloc == 0)
		return NULL;
	mask = ck.dupsalloc - 1;
	for (i = dup_hash(fsb) & mask; ck.dups[i].du_fsb != -1;
	    i = (i + 1) & mask)
		if (ck.dups[i].du_fsb == fsb)
			return &ck.dups[i];
	return NULL;
}

/* Double the hash (or make it), keeping what it holds. */
static void
dup_rehash(void)
{
	struct dupent *old = ck.dups;
	size_t n = ck.dupsalloc, i, j, mask;

	ck.dupsalloc = n == 0 ? 1024 : n * 2;
	ck.dups = xcalloc(ck.dupsalloc, sizeof(*ck.dups));
	mask = ck.dupsalloc - 1;
	for (i = 0; i < ck.dupsalloc; i++)
		ck.dups[i].du_fsb = -1;
	for (i = 0; i < n; i++) {
		if (old[i].du_fsb == -1)
			continue;
		for (j = dup_hash(old[i].du_fsb) & mask;
		    ck.dups[j].du_fsb != -1; j = (j + 1) & mask)
			continue;
		ck.dups[j] = old[i];
	}
	free(old);
}

/* Count one more claim of fragment fsb, which is already held. */
static void
dup_add(int64_t fsb)
{
	struct dupent *d;
	size_t i, mask;

	if ((d = dup_lookup(fsb)) != NULL) {
		d->du_extra++;
		return;
	}
	if (2 * (ck.ndups + 1) > ck.dupsalloc)
		dup_rehash();
	mask = ck.dupsalloc - 1;
	for (i = dup_hash(fsb) & mask; ck.dups[i].du_fsb != -1;
	    i = (i + 1) & mask)
		continue;
	ck.dups[i].du_fsb = fsb;
	ck.dups[i].du_extra = 1;
	ck.dups[i].du_first = 0;
	ck.ndups++;
}

/*
 * Mark n fragments from fsb held (a good run).  Returns how many of
 * them were held already (and are now duplicates).
 */
int
frags_claim(int64_t fsb, int n)
{
	int i, ndup = 0;

	for (i = 0; i < n; i++) {
		if (bit_isset(ck.blkmap, (uint64_t)(fsb + i))) {
			dup_add(fsb + i);
			ndup++;
		} else
			bit_set(ck.blkmap, (uint64_t)(fsb + i));
	}
	return ndup;
}

/* Undo one claim of n fragments from fsb. */
void
frags_unclaim(int64_t fsb, int n)
{
	struct dupent *d;
	int i;

	for (i = 0; i < n; i++) {
		if ((d = dup_lookup(fsb + i)) != NULL && d->du_extra > 0)
			d->du_extra--;
		else
			bit_clr(ck.blkmap, (uint64_t)(fsb + i));
	}
}

/*
 * Find and claim n free fragments inside one block (a whole block when
 * n is fs_frag).  Returns the first, or -1 when there is no room.
 */
int64_t
frags_alloc(int n)
{
	struct ffs_super *fs = ck.fs;
	int64_t blk, f;
	int run, i;

	for (blk = 0; blk + fs->fs_frag <= fs->fs_size; blk += fs->fs_frag) {
		run = 0;
		for (i = 0; i < fs->fs_frag; i++) {
			f = blk + i;
			if (bit_isset(ck.blkmap, (uint64_t)f) || is_meta(f, 1))
				run = 0;
			else if (++run == n) {
				(void)frags_claim(f - n + 1, n);
				return f - n + 1;
			}
		}
	}
	return -1;
}

/*
 * Find an inode no one uses among those already examined, or else make
 * room by initialising the next block of some group's inodes (UFS2).
 * Returns 0 when there is none.
 */
uint32_t
inode_alloc(void)
{
	struct ffs_super *fs = ck.fs;
	struct cginfo *cgi;
	uint8_t *zero;
	uint32_t ino, i;
	int c;

	for (c = 0; c < fs->fs_ncg; c++) {
		cgi = &ck.cgs[c];
		for (i = c == 0 ? FFS_ROOTINO + 1 : 0; i < cgi->cg_limit; i++) {
			ino = (uint32_t)c * (uint32_t)fs->fs_ipg + i;
			if (ck.ino[ino].is_state == IS_FREE)
				return ino;
		}
	}
	for (c = 0; c < fs->fs_ncg; c++) {
		cgi = &ck.cgs[c];
		if (cgi->cg_limit >= (uint32_t)fs->fs_ipg)
			continue;
		ino = (uint32_t)c * (uint32_t)fs->fs_ipg + cgi->cg_limit;
		zero = xcalloc(1, (size_t)fs->fs_bsize);
		if (disk_write(zero, (size_t)fs->fs_bsize,
		    FSB_OFF(ffs_ino_to_fsba(fs, ino))) != 0) {
			free(zero);
			return 0;
		}
		free(zero);
		cgi->cg_limit += (uint32_t)fs->fs_inopb;
		return ino;
	}
	return 0;
}
