/*
 * fsck_ffs: directory entries (host program).  What a sound entry is,
 * and the edits the repairs make to directories after pass 2 has put
 * their structure right: adding a name (growing the directory when it
 * is full), removing one, changing the inode one names, and making a
 * new directory.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fsck_ffs.h"

#define DIRENT(chunk, off)	((struct ffs_direct *)(void *)((chunk) + (off)))

/*
 * Is there a sound entry at byte off of a FFS_DIRBLKSIZ chunk: aligned,
 * its record inside the chunk and large enough for its name, and a live
 * entry's name non-empty, without '/' or NUL?
 */
int
dir_entry_ok(const uint8_t *chunk, int off)
{
	const struct ffs_direct *d;
	int i;

	if (off < 0 || (off & 3) != 0 ||
	    off > FFS_DIRBLKSIZ - FFS_DIRSIZ(0))
		return 0;
	d = (const struct ffs_direct *)(const void *)(chunk + off);
	if ((d->d_reclen & 3) != 0 || d->d_reclen < FFS_DIRSIZ(d->d_namlen) ||
	    d->d_reclen > FFS_DIRBLKSIZ - off)
		return 0;
	if (d->d_ino == 0)
		return 1;
	if (d->d_namlen == 0)
		return 0;
	for (i = 0; i < d->d_namlen; i++)
		if (d->d_name[i] == '\0' || d->d_name[i] == '/')
			return 0;
	return 1;
}

/* Make a chunk one unused entry. */
void
dir_mkempty(uint8_t *chunk)
{

	memset(chunk, 0, FFS_DIRBLKSIZ);
	DIRENT(chunk, 0)->d_reclen = FFS_DIRBLKSIZ;
}

/* Fill in the entry at byte off of a chunk. */
void
dir_setent(uint8_t *chunk, int off, int reclen, uint32_t ino,
    const char *name, int type)
{
	struct ffs_direct *d = DIRENT(chunk, off);
	size_t len = strlen(name);

	memset(d, 0, FFS_DIRSIZ(len));
	d->d_ino = ino;
	d->d_reclen = (uint16_t)reclen;
	d->d_type = (uint8_t)type;
	d->d_namlen = (uint8_t)len;
	memcpy(d->d_name, name, len);
}

/*
 * Read (or write) the chunk holding byte off of directory dirino, whose
 * inode is dp.  Returns 0, or -1 if the chunk is not where it should be.
 */
static int
chunk_io(const union dinode *dp, int64_t off, uint8_t *chunk, int wr)
{
	struct ffs_super *fs = ck.fs;
	int64_t fsb, lbn = off >> fs->fs_bshift, boff;

	off &= ~(int64_t)(FFS_DIRBLKSIZ - 1);
	if (off < 0 || (uint64_t)off >= dp_size(dp))
		return -1;
	boff = off & fs->fs_qbmask;
	if ((fsb = bmap(dp, lbn)) <= 0 ||
	    ptr_bad(fsb + (boff >> fs->fs_fshift), 1) != 0)
		return -1;
	if (wr)
		return disk_write(chunk, FFS_DIRBLKSIZ, FSB_OFF(fsb) + boff);
	return disk_read(chunk, FFS_DIRBLKSIZ, FSB_OFF(fsb) + boff);
}

/*
 * Find the entry at byte eo of a chunk, and the one before it (-1 if
 * none), walking the chunk's records.  Returns 0 or -1.
 */
static int
chunk_find(const uint8_t *chunk, int eo, int *prevp)
{
	int o, prev = -1;

	for (o = 0; o < FFS_DIRBLKSIZ; o += DIRENT(chunk, o)->d_reclen) {
		if (!dir_entry_ok(chunk, o))
			return -1;
		if (o == eo) {
			*prevp = prev;
			return 0;
		}
		prev = o;
	}
	return -1;
}

/* Remove the entry at byte off of directory dirino. */
int
dir_remove(uint32_t dirino, int64_t off)
{
	union dinode di;
	uint8_t chunk[FFS_DIRBLKSIZ];
	int eo = (int)(off & (FFS_DIRBLKSIZ - 1)), prev;

	if (inode_read(dirino, &di) != 0 || chunk_io(&di, off, chunk, 0) != 0 ||
	    chunk_find(chunk, eo, &prev) != 0)
		return -1;
	if (prev >= 0)
		DIRENT(chunk, prev)->d_reclen += DIRENT(chunk, eo)->d_reclen;
	else
		DIRENT(chunk, eo)->d_ino = 0;
	return chunk_io(&di, off, chunk, 1);
}

/* Make the entry at byte off of directory dirino name inode ino. */
int
dir_setino(uint32_t dirino, int64_t off, uint32_t ino)
{
	union dinode di;
	uint8_t chunk[FFS_DIRBLKSIZ];
	int eo = (int)(off & (FFS_DIRBLKSIZ - 1)), prev;

	if (inode_read(dirino, &di) != 0 || chunk_io(&di, off, chunk, 0) != 0 ||
	    chunk_find(chunk, eo, &prev) != 0)
		return -1;
	DIRENT(chunk, eo)->d_ino = ino;
	return chunk_io(&di, off, chunk, 1);
}

/*
 * Add one empty chunk at the end of directory dirino (inode dp, written
 * back): inside its last block if that has room, else by moving its
 * last fragments to a larger run, else in a new fragment.  Directories
 * that would need a new indirect block are not grown.
 */
static int
dir_grow(uint32_t dirino, union dinode *dp)
{
	struct ffs_super *fs = ck.fs;
	uint64_t size = dp_size(dp);
	int64_t lbn = (int64_t)(size >> fs->fs_bshift), fsb, nfsb;
	int64_t boff = (int64_t)(size & (uint64_t)fs->fs_qbmask);
	int have, need;
	uint8_t *buf;

	if (size % FFS_DIRBLKSIZ != 0 || (boff == 0 && lbn >= FFS_NDADDR))
		return -1;
	have = boff == 0 ? 0 : lbn >= FFS_NDADDR ? fs->fs_frag :
	    (int)(ffs_fragroundup(fs, boff) >> fs->fs_fshift);
	need = (int)(ffs_fragroundup(fs, boff + FFS_DIRBLKSIZ) >>
	    fs->fs_fshift);
	if (need > have && lbn >= FFS_NDADDR)
		return -1;
	fsb = have > 0 ? bmap(dp, lbn) : 0;
	if (have > 0 && (fsb <= 0 || ptr_bad(fsb, have)))
		return -1;
	buf = xcalloc((size_t)need, (size_t)fs->fs_fsize);
	if (need > have) {
		if ((nfsb = frags_alloc(need)) == -1) {
			free(buf);
			return -1;
		}
		if (have > 0 && frags_read(fsb, have, buf) != 0) {
			frags_unclaim(nfsb, need);
			free(buf);
			return -1;
		}
		dir_mkempty(buf + boff);
		if (frags_write(nfsb, need, buf) != 0) {
			frags_unclaim(nfsb, need);
			free(buf);
			return -1;
		}
		if (have > 0)
			frags_unclaim(fsb, have);
		dp_setdb(dp, (int)lbn, nfsb);
		dp_setblocks(dp, dp_blocks(dp) +
		    ((uint64_t)(need - have) << fs->fs_fsbtodb));
	} else {
		dir_mkempty(buf);
		if (disk_write(buf, FFS_DIRBLKSIZ, FSB_OFF(fsb) + boff) != 0) {
			free(buf);
			return -1;
		}
	}
	free(buf);
	dp_setsize(dp, size + FFS_DIRBLKSIZ);
	return inode_write(dirino, dp);
}

/*
 * Put an entry for ino named name (of type type) in directory dirino,
 * in the first room large enough, growing the directory if need be.
 * Returns 0 or -1.
 */
int
dir_add(uint32_t dirino, uint32_t ino, const char *name, int type)
{
	uint8_t chunk[FFS_DIRBLKSIZ];
	struct ffs_direct *d;
	union dinode di;
	int64_t off;
	int need = FFS_DIRSIZ(strlen(name)), eo, used, tries, n;

	for (tries = 0; tries < 2; tries++) {
		if (inode_read(dirino, &di) != 0)
			return -1;
		for (off = 0; (uint64_t)off < dp_size(&di);
		    off += FFS_DIRBLKSIZ) {
			if (chunk_io(&di, off, chunk, 0) != 0)
				break;		/* a hole ends a directory */
			for (eo = 0, n = 0; eo < FFS_DIRBLKSIZ &&
			    dir_entry_ok(chunk, eo); eo += d->d_reclen, n++) {
				d = DIRENT(chunk, eo);
				/* "." and ".." are never room. */
				used = d->d_ino == 0 && (off > 0 || n > 1) ?
				    0 : FFS_DIRSIZ(d->d_namlen);
				if (d->d_reclen - used < need)
					continue;
				if (used > 0) {
					dir_setent(chunk, eo + used,
					    d->d_reclen - used, ino, name,
					    type);
					d->d_reclen = (uint16_t)used;
				} else
					dir_setent(chunk, eo, d->d_reclen,
					    ino, name, type);
				return chunk_io(&di, off, chunk, 1);
			}
		}
		if (tries == 0 && dir_grow(dirino, &di) != 0)
			return -1;
	}
	return -1;
}

/*
 * Make a directory in parent: inode ino, or a new one when 0.  It gets
 * "." and ".." in one fragment; the caller adds its name to the parent.
 * Returns its inode, or 0.
 */
uint32_t
dir_make(uint32_t parent, uint32_t ino, uint16_t perm)
{
	struct ffs_super *fs = ck.fs;
	struct dirinfo *dr;
	union dinode di;
	uint8_t *buf;
	int64_t fsb;
	time_t now = time(NULL);

	if (ino == 0 && (ino = inode_alloc()) == 0)
		return 0;
	if ((fsb = frags_alloc(1)) == -1)
		return 0;
	buf = xcalloc(1, (size_t)fs->fs_fsize);
	dir_mkempty(buf);
	dir_setent(buf, 0, FFS_DIRSIZ(1), ino, ".", FFS_DT_DIR);
	dir_setent(buf, FFS_DIRSIZ(1), FFS_DIRBLKSIZ - FFS_DIRSIZ(1), parent,
	    "..", FFS_DT_DIR);
	if (frags_write(fsb, 1, buf) != 0) {
		free(buf);
		frags_unclaim(fsb, 1);
		return 0;
	}
	free(buf);
	memset(&di, 0, sizeof(di));
	di.d1.di_mode = FFS_IFDIR | perm;
	di.d1.di_nlink = 2;
	dp_setsize(&di, FFS_DIRBLKSIZ);
	dp_setblocks(&di, (uint64_t)1 << fs->fs_fsbtodb);
	dp_setdb(&di, 0, fsb);
	if (ck.ufs2) {
		di.d2.di_atime = di.d2.di_mtime = di.d2.di_ctime =
		    di.d2.di_birthtime = now;
		di.d2.di_blksize = (uint32_t)fs->fs_bsize;
		di.d2.di_gen = (int32_t)(random() & 0x7fffffff);
	} else {
		di.d1.di_atime = di.d1.di_mtime = di.d1.di_ctime =
		    (int32_t)now;
		di.d1.di_gen = (int32_t)(random() & 0x7fffffff);
	}
	if (inode_write(ino, &di) != 0) {
		frags_unclaim(fsb, 1);
		return 0;
	}
	ck.ino[ino].is_state = IS_DIR;
	ck.ino[ino].is_type = FFS_DT_DIR;
	ck.ino[ino].is_nlink = 2;
	ck.ino[ino].is_nref = 0;
	dr = dir_new(ino);
	dr->dr_parent = parent;
	dr->dr_dotdot = parent;
	dr->dr_dotdotoff = FFS_DIRSIZ(1);
	return ino;
}
