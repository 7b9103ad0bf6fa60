/*
 * fsck_ffs pass 2 (host program): the contents of every directory.
 * Each 512-byte chunk must be a chain of sound entries (a damaged one
 * is absorbed into the entry before it); a directory starts with "."
 * and ".."; every other entry must name an inode in use, other than
 * the root and the directory itself, with the right type.  Entries are
 * counted for pass 4, and each directory's parent is recorded for
 * pass 3; a second name for a directory is removed.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsck_ffs.h"

#define DIRENT(chunk, off)	((struct ffs_direct *)(void *)((chunk) + (off)))

/*
 * Whether to change the block in memory after problem() answered: when
 * it said yes; on a read-only device (-n) too, as if, since nothing is
 * written there and the rest of the check should see the repaired
 * directory.
 */
#define APPLY(yes)	((yes) || !ck.writable)

/* What pass 2 keeps while it reads one directory. */
struct dirscan {
	uint32_t	 ds_ino;
	struct dirinfo	*ds_dir;
	uint64_t	 ds_size;	/* rounded up to FFS_DIRBLKSIZ */
	uint8_t		*ds_blk;
};

/* An entry's name fit to print. */
static const char *
ename(const struct ffs_direct *d)
{
	static char buf[FFS_MAXNAMLEN + 1];
	int i;

	for (i = 0; i < d->d_namlen; i++)
		buf[i] = isprint((unsigned char)d->d_name[i]) ?
		    d->d_name[i] : '?';
	buf[i] = '\0';
	return buf;
}

static int
is_name(const struct ffs_direct *d, const char *name)
{
	size_t len = strlen(name);

	return d->d_namlen == len && memcmp(d->d_name, name, len) == 0;
}

/* Do sound entries from byte p run exactly to the end of the chunk? */
static int
chain_ok(const uint8_t *chunk, int p)
{

	while (p < FFS_DIRBLKSIZ) {
		if (!dir_entry_ok(chunk, p))
			return 0;
		p += DIRENT(chunk, p)->d_reclen;
	}
	return p == FFS_DIRBLKSIZ;
}

/*
 * Make a chunk a chain of sound entries: a damaged entry, and what
 * follows up to the next place from which a sound chain runs to the
 * end, goes into the entry before it (or an unused entry at the
 * start).  Returns 1 if the chunk is to be written, 0 if not, -1 if a
 * repair was declined and the chunk is to be left alone.
 */
static int
chunk_structure(struct dirscan *ds, uint8_t *chunk, int64_t off)
{
	struct ffs_direct *d;
	int eo = 0, prev = -1, next, dirty = 0, yes;

	while (eo < FFS_DIRBLKSIZ) {
		if (dir_entry_ok(chunk, eo)) {
			prev = eo;
			eo += DIRENT(chunk, eo)->d_reclen;
			continue;
		}
		for (next = prev >= 0 ? eo + 4 : eo + FFS_DIRSIZ(0);
		    next < FFS_DIRBLKSIZ && !chain_ok(chunk, next); next += 4)
			continue;
		if (next > FFS_DIRBLKSIZ)
			next = FFS_DIRBLKSIZ;
		yes = problem(PROBLEM, "directory %u: damaged entry at byte "
		    "%jd: drop %d bytes", ds->ds_ino, (intmax_t)(off + eo),
		    next - eo);
		if (!APPLY(yes))
			return -1;
		if (prev >= 0)
			DIRENT(chunk, prev)->d_reclen = (uint16_t)(next - prev);
		else {
			d = DIRENT(chunk, eo);
			memset(d, 0, FFS_DIRHDRSIZE);
			d->d_reclen = (uint16_t)(next - eo);
		}
		dirty |= yes;
		eo = next;
	}
	return dirty;
}

/*
 * The first chunk starts with "." (naming the directory) and ".."
 * (whose inode pass 3 checks); make it so.  A ".." made here names the
 * root until pass 3 knows the parent.  Returns the offset of the entry
 * after "..", or 0 if they were left as they are.
 */
static int
chunk_dots(struct dirscan *ds, uint8_t *chunk, int *dirty)
{
	struct ffs_direct *d0 = DIRENT(chunk, 0), *d1;
	int e1, rec, yes;

	if (!is_name(d0, ".") || d0->d_ino == 0) {
		if (d0->d_ino == 0)
			yes = problem(PROBLEM, "directory %u: no '.' entry: "
			    "add it", ds->ds_ino);
		else
			yes = problem(PROBLEM, "directory %u: first entry is "
			    "'%s', not '.': replace it", ds->ds_ino,
			    ename(d0));
		if (!APPLY(yes))
			return 0;
		dir_setent(chunk, 0, d0->d_reclen, ds->ds_ino, ".",
		    FFS_DT_DIR);
		*dirty |= yes;
	}
	if (d0->d_ino != ds->ds_ino) {
		yes = problem(PROBLEM, "directory %u: '.' names inode %u: "
		    "correct it", ds->ds_ino, d0->d_ino);
		if (APPLY(yes))
			d0->d_ino = ds->ds_ino;
		*dirty |= yes;
	}
	if (d0->d_type != FFS_DT_DIR) {
		yes = problem(ROUTINE, "directory %u: '.' has type %d: "
		    "correct it", ds->ds_ino, d0->d_type);
		if (APPLY(yes))
			d0->d_type = FFS_DT_DIR;
		*dirty |= yes;
	}

	e1 = d0->d_reclen;
	if (e1 == FFS_DIRBLKSIZ || !is_name(DIRENT(chunk, e1), "..")) {
		d1 = e1 < FFS_DIRBLKSIZ ? DIRENT(chunk, e1) : NULL;
		if (d0->d_reclen >= 2 * FFS_DIRSIZ(2) || d1 == NULL ||
		    d1->d_ino == 0)
			yes = problem(PROBLEM, "directory %u: no '..' entry: "
			    "add it", ds->ds_ino);
		else
			yes = problem(PROBLEM, "directory %u: second entry is "
			    "'%s', not '..': replace it", ds->ds_ino,
			    ename(d1));
		if (!APPLY(yes))
			return e1;
		if (d0->d_reclen >= 2 * FFS_DIRSIZ(2)) {
			/* Room after ".": split it. */
			rec = d0->d_reclen;
			d0->d_reclen = FFS_DIRSIZ(1);
			e1 = FFS_DIRSIZ(1);
			dir_setent(chunk, e1, rec - e1, FFS_ROOTINO, "..",
			    FFS_DT_DIR);
		} else if (d1 != NULL)
			dir_setent(chunk, e1, d1->d_reclen, FFS_ROOTINO, "..",
			    FFS_DT_DIR);
		else
			return e1;
		*dirty |= yes;
	}
	d1 = DIRENT(chunk, e1);
	if (d1->d_type != FFS_DT_DIR) {
		yes = problem(ROUTINE, "directory %u: '..' has type %d: "
		    "correct it", ds->ds_ino, d1->d_type);
		if (APPLY(yes))
			d1->d_type = FFS_DT_DIR;
		*dirty |= yes;
	}
	ds->ds_dir->dr_dotdot = d1->d_ino;
	ds->ds_dir->dr_dotdotoff = e1;
	return e1 + d1->d_reclen;
}

/* Why an entry cannot stay, or NULL. */
static const char *
entry_problem(struct dirscan *ds, const struct ffs_direct *d)
{
	static char why[64];

	if (is_name(d, ".") || is_name(d, ".."))
		return "is one more '.' or '..'";
	if (d->d_ino < FFS_ROOTINO || d->d_ino >= ck.maxino) {
		snprintf(why, sizeof(why), "names inode %u, out of range",
		    d->d_ino);
		return why;
	}
	if (ck.ino[d->d_ino].is_state == IS_FREE) {
		snprintf(why, sizeof(why), "names inode %u, which is free",
		    d->d_ino);
		return why;
	}
	if (d->d_ino == FFS_ROOTINO)
		return "names the root directory";
	if (d->d_ino == ds->ds_ino)
		return "names the directory itself";
	return NULL;
}

/* Note that directory ds names directory child at byte off. */
static void
dir_ref(struct dirscan *ds, uint32_t child, int64_t off)
{
	struct dirinfo *dc;

	if ((dc = dir_find(child)) == NULL)
		return;
	if (dc->dr_parent == 0) {
		dc->dr_parent = ds->ds_ino;
		dc->dr_parentoff = off;
		return;
	}
	ck.xrefs = xgrow(ck.xrefs, &ck.xrefsalloc, ck.nxrefs,
	    sizeof(*ck.xrefs));
	ck.xrefs[ck.nxrefs].xr_child = child;
	ck.xrefs[ck.nxrefs].xr_dir = ds->ds_ino;
	ck.xrefs[ck.nxrefs].xr_off = off;
	ck.nxrefs++;
}

/*
 * Check the entries of a chunk from byte start on (the chunk is sound),
 * removing those that cannot stay and counting the others.  Returns 1
 * if the chunk is to be written.
 */
static int
chunk_entries(struct dirscan *ds, uint8_t *chunk, int64_t off, int start)
{
	struct ffs_direct *d;
	struct inostat *is;
	const char *why;
	int eo, prev = -1, reclen, dirty = 0, yes;

	for (eo = 0; eo < start; eo += DIRENT(chunk, eo)->d_reclen)
		prev = eo;
	for (eo = start; eo < FFS_DIRBLKSIZ; eo += reclen) {
		d = DIRENT(chunk, eo);
		reclen = d->d_reclen;
		if (d->d_ino == 0 || (d->d_ino == FFS_WINO &&
		    d->d_type == FSCK_DT_WHT)) {
			prev = eo;
			continue;
		}
		if ((why = entry_problem(ds, d)) != NULL) {
			yes = problem(PROBLEM, "directory %u: entry '%s' %s: "
			    "remove it", ds->ds_ino, ename(d), why);
			dirty |= yes;
			if (!APPLY(yes))
				prev = eo;
			else if (prev >= 0)
				DIRENT(chunk, prev)->d_reclen +=
				    (uint16_t)reclen;
			else {
				d->d_ino = 0;
				prev = eo;
			}
			continue;
		}
		prev = eo;
		is = &ck.ino[d->d_ino];
		if (d->d_type != is->is_type && is->is_type != FFS_DT_UNKNOWN) {
			yes = problem(ROUTINE, "directory %u: entry '%s' has "
			    "type %d, inode %u is of type %d: correct it",
			    ds->ds_ino, ename(d), d->d_type, d->d_ino,
			    is->is_type);
			if (APPLY(yes))
				d->d_type = is->is_type;
			dirty |= yes;
		}
		if (d->d_name[d->d_namlen] != '\0') {
			yes = problem(ROUTINE, "directory %u: entry '%s' not "
			    "NUL-terminated: correct it", ds->ds_ino, ename(d));
			if (APPLY(yes))
				d->d_name[d->d_namlen] = '\0';
			dirty |= yes;
		}
		if (is->is_state == IS_DIR)
			dir_ref(ds, d->d_ino, off + eo);
		if (is->is_nref < UINT16_MAX)
			is->is_nref++;
		if (ds->ds_ino == FFS_ROOTINO && is_name(d, "lost+found"))
			ck.lfino = d->d_ino;
	}
	return dirty;
}

/* Check the chunks of each good block of a directory. */
static int
dirblk_fn(struct walk *w, const struct bptr *bp)
{
	struct ffs_super *fs = ck.fs;
	struct dirscan *ds = w->w_arg;
	int64_t start, len, off;
	uint8_t *chunk;
	int k, r, first, dirty = 0;

	if (!BP_CLAIMABLE(bp) || bp->bp_level != 0)
		return WALK_KEEP;
	start = bp->bp_lbn << fs->fs_bshift;
	len = (int64_t)bp->bp_nfrags << fs->fs_fshift;
	if ((uint64_t)start >= ds->ds_size)
		return WALK_KEEP;
	if ((uint64_t)(start + len) > ds->ds_size)
		len = (int64_t)ds->ds_size - start;
	if (frags_read(bp->bp_fsb, bp->bp_nfrags, ds->ds_blk) != 0)
		return WALK_KEEP;
	for (k = 0; k < len / FFS_DIRBLKSIZ; k++) {
		chunk = ds->ds_blk + k * FFS_DIRBLKSIZ;
		off = start + k * FFS_DIRBLKSIZ;
		if ((r = chunk_structure(ds, chunk, off)) < 0)
			continue;
		dirty |= r;
		first = off == 0 ? chunk_dots(ds, chunk, &dirty) : 0;
		dirty |= chunk_entries(ds, chunk, off, first);
	}
	if (dirty && ck.writable)
		(void)frags_write(bp->bp_fsb, bp->bp_nfrags, ds->ds_blk);
	return WALK_KEEP;
}

static void
scan_dir(struct dirinfo *dr, uint8_t *blk)
{
	struct dirscan ds;
	union dinode di;
	struct walk w;

	if (inode_read(dr->dr_ino, &di) != 0)
		return;
	ds.ds_ino = dr->dr_ino;
	ds.ds_dir = dr;
	ds.ds_size = dp_size(&di);
	if (ds.ds_size % FFS_DIRBLKSIZ != 0)
		ds.ds_size += FFS_DIRBLKSIZ - ds.ds_size % FFS_DIRBLKSIZ;
	ds.ds_blk = blk;
	walk_init(&w, dr->dr_ino, &di, dirblk_fn, &ds);
	(void)walk_run(&w);
}

/*
 * A directory named twice keeps the name in the directory its ".."
 * names (else the first found); the other names are removed.
 */
static void
drop_extra_names(void)
{
	struct dirref *x;
	struct dirinfo *dc;
	uint32_t dir;
	int64_t off;
	size_t i;
	int yes;

	for (i = 0; i < ck.nxrefs; i++) {
		x = &ck.xrefs[i];
		if ((dc = dir_find(x->xr_child)) == NULL)
			continue;
		if (dc->dr_parent != dc->dr_dotdot &&
		    x->xr_dir == dc->dr_dotdot) {
			dir = dc->dr_parent;
			off = dc->dr_parentoff;
			dc->dr_parent = x->xr_dir;
			dc->dr_parentoff = x->xr_off;
			x->xr_dir = dir;
			x->xr_off = off;
		}
	}
	for (i = 0; i < ck.nxrefs; i++) {
		x = &ck.xrefs[i];
		yes = problem(PROBLEM, "directory %u: second name for "
		    "directory %u (at byte %jd of directory %u): remove it",
		    x->xr_child, x->xr_child, (intmax_t)x->xr_off, x->xr_dir);
		if (yes)
			(void)dir_remove(x->xr_dir, x->xr_off);
		if (APPLY(yes) && ck.ino[x->xr_child].is_nref > 0)
			ck.ino[x->xr_child].is_nref--;
	}
}

void
pass2(void)
{
	uint8_t *blk;
	size_t i;

	blk = xcalloc(1, (size_t)ck.fs->fs_bsize);
	if (ck.ino[FFS_ROOTINO].is_state == IS_DIR &&
	    dir_find(FFS_ROOTINO) != NULL)
		dir_find(FFS_ROOTINO)->dr_parent = FFS_ROOTINO;
	for (i = 0; i < ck.ndirs; i++)
		if (ck.ino[ck.dirs[i].dr_ino].is_state == IS_DIR)
			scan_dir(&ck.dirs[i], blk);
	free(blk);
	drop_extra_names();
}
