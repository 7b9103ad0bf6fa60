/*
 * fsck_ffs pass 1 (host program): every inode.  Its type, the blocks
 * its pointers claim (each must be inside the file system, clear of
 * metadata, within the file, and not claimed before), its size and its
 * block count; the fragment map and the directory table are built from
 * what survives.  Pass 1b then names the inodes behind every fragment
 * claimed twice and clears all but the first of them.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsck_ffs.h"

/* What the claiming walk of one inode found. */
struct claim {
	int		cl_nbad;	/* bad pointers */
	int		cl_ndup;	/* pointers to fragments held before */
	int		cl_nbeyond;	/* good pointers past the end */
	int64_t		cl_nfrags;	/* fragments claimed */
	int64_t		cl_lastlbn;	/* last data block claimed, or -1 */
};

/* Which kinds of pointers the fixing walk clears. */
struct fixes {
	int		fx_bad;
	int		fx_beyond;
};

static const char *
bad_why(int bad)
{

	switch (bad) {
	case BP_RANGE:
		return "outside the file system";
	case BP_META:
		return "in metadata";
	default:
		return "crossing a block boundary";
	}
}

/* Claim each good pointer's fragments; stop at too much damage. */
static int
claim_fn(struct walk *w, const struct bptr *bp)
{
	struct claim *cl = w->w_arg;

	if (bp->bp_bad) {
		if (cl->cl_nbad++ < FSCK_MAXREPORT)
			note("inode %u: pointer to fragment %jd (%s %jd) %s",
			    w->w_ino, (intmax_t)bp->bp_fsb,
			    bp->bp_level > 0 ? "indirect block for block" :
			    "block", (intmax_t)bp->bp_lbn,
			    bad_why(bp->bp_bad));
	} else if (bp->bp_beyond)
		cl->cl_nbeyond++;
	else {
		if (frags_claim(bp->bp_fsb, bp->bp_nfrags) > 0)
			cl->cl_ndup++;
		cl->cl_nfrags += bp->bp_nfrags;
		if (bp->bp_level == 0 && bp->bp_lbn > cl->cl_lastlbn)
			cl->cl_lastlbn = bp->bp_lbn;
	}
	if (cl->cl_nbad + cl->cl_ndup > FSCK_MAXBAD ||
	    cl->cl_nfrags > ck.fs->fs_size)
		return WALK_STOP;
	return WALK_KEEP;
}

/* Clear the pointers the claiming walk did not claim, as decided. */
static int
fix_fn(struct walk *w, const struct bptr *bp)
{
	struct fixes *fx = w->w_arg;

	if ((bp->bp_bad && fx->fx_bad) || (!bp->bp_bad && bp->bp_beyond &&
	    fx->fx_beyond))
		return WALK_CLEAR;
	return WALK_KEEP;
}

/*
 * The size an inode with blocks should have, after what its walk w
 * (with claim record cl) found; reports why it differs.
 */
static uint64_t
good_size(uint32_t ino, union dinode *dp, struct walk *w, struct claim *cl)
{
	struct ffs_super *fs = ck.fs;
	uint64_t size = dp_size(dp), maxsize;

	maxsize = (uint64_t)ck.maxlbn << fs->fs_bshift;
	if (size > maxsize) {
		note("inode %u: size %ju larger than a file can be", ino,
		    (uintmax_t)size);
		size = (uint64_t)(cl->cl_lastlbn + 1) << fs->fs_bshift;
	}
	if (!w->w_isdir)
		return size;
	if (w->w_hole >= 0 && ((uint64_t)w->w_hole << fs->fs_bshift) < size) {
		note("directory %u: no block at byte %ju (size %ju)", ino,
		    (uintmax_t)w->w_hole << fs->fs_bshift, (uintmax_t)size);
		size = (uint64_t)w->w_hole << fs->fs_bshift;
	}
	if (size % FFS_DIRBLKSIZ != 0)
		size += FFS_DIRBLKSIZ - size % FFS_DIRBLKSIZ;
	return size;
}

/*
 * Walk the pointers of an inode that holds blocks, claim them, and put
 * right its pointers, size and block count.  Returns 0, or -1 if the
 * inode was cleared.
 */
static int
check_blocks(uint32_t ino, union dinode *dp)
{
	struct ffs_super *fs = ck.fs;
	struct claim cl;
	struct fixes fx;
	struct walk w;
	uint64_t size, newsize;
	int dirty = 0;

	memset(&cl, 0, sizeof(cl));
	cl.cl_lastlbn = -1;
	walk_init(&w, ino, dp, claim_fn, &cl);
	if (walk_run(&w)) {
		if (!problem(PROBLEM, "inode %u: too many bad or twice-claimed "
		    "blocks: clear it", ino))
			return 0;
		inode_release(ino, dp, w.w_nvisit);
		inode_clear(ino, dp);
		return -1;
	}
	size = dp_size(dp);
	newsize = good_size(ino, dp, &w, &cl);
	if (w.w_isdir && newsize == 0) {
		if (!problem(PROBLEM, "directory %u: holds no blocks: clear it",
		    ino))
			return 0;
		inode_release(ino, dp, -1);
		inode_clear(ino, dp);
		return -1;
	}

	memset(&fx, 0, sizeof(fx));
	if (cl.cl_nbad > 0)
		fx.fx_bad = problem(PROBLEM, "inode %u: %d bad block "
		    "pointer%s: clear %s", ino, cl.cl_nbad,
		    cl.cl_nbad == 1 ? "" : "s",
		    cl.cl_nbad == 1 ? "it" : "them");
	if (cl.cl_nbeyond > 0)
		fx.fx_beyond = problem(PROBLEM, "inode %u: %d block%s past its "
		    "end (size %ju): free them", ino, cl.cl_nbeyond,
		    cl.cl_nbeyond == 1 ? "" : "s", (uintmax_t)newsize);
	if (fx.fx_bad || fx.fx_beyond) {
		walk_init(&w, ino, dp, fix_fn, &fx);
		(void)walk_run(&w);
		dirty |= w.w_dirty;
	}
	if (newsize != size && problem(PROBLEM, "inode %u: size %ju, should "
	    "be %ju: correct it", ino, (uintmax_t)size, (uintmax_t)newsize)) {
		dp_setsize(dp, newsize);
		dirty = 1;
	}
	if (ck.ufs2 && (dp->d2.di_extsize < 0 || dp->d2.di_extsize >
	    (int64_t)FFS_NXADDR * fs->fs_bsize) && problem(PROBLEM,
	    "inode %u: extended attribute size %d: clear it", ino,
	    dp->d2.di_extsize)) {
		dp->d2.di_extsize = 0;
		dirty = 1;
	}
	if (dp_blocks(dp) != (uint64_t)cl.cl_nfrags << fs->fs_fsbtodb &&
	    problem(ROUTINE, "inode %u: block count %ju, should be %ju: "
	    "correct it", ino, (uintmax_t)dp_blocks(dp),
	    (uintmax_t)cl.cl_nfrags << fs->fs_fsbtodb)) {
		dp_setblocks(dp, (uint64_t)cl.cl_nfrags << fs->fs_fsbtodb);
		dirty = 1;
	}
	if (dirty && ck.writable)
		(void)inode_write(ino, dp);
	return 0;
}

/* Anything but the generation left in an inode of mode 0? */
static int
dp_leftovers(const union dinode *dp)
{
	int i;

	if (dp_size(dp) != 0 || dp_blocks(dp) != 0)
		return 1;
	for (i = 0; i < FFS_NDADDR; i++)
		if (dp_db(dp, i) != 0)
			return 1;
	for (i = 0; i < FFS_NIADDR; i++)
		if (dp_ib(dp, i) != 0)
			return 1;
	return 0;
}

/* Pass 1 for one inode as read. */
static void
check_inode(uint32_t ino, union dinode *dp)
{
	struct inostat *is = &ck.ino[ino];
	uint16_t mode = dp->d1.di_mode;
	int type = mode_to_dt(mode);

	if (mode == 0) {
		if (dp_leftovers(dp) && problem(PROBLEM, "inode %u: free "
		    "(mode 0) but not empty: clear it", ino))
			inode_clear(ino, dp);
		return;
	}
	if (type == FFS_DT_UNKNOWN) {
		if (problem(PROBLEM, "inode %u: unknown file type (mode "
		    "0%o): clear it", ino, mode)) {
			inode_clear(ino, dp);
			return;
		}
	}
	is->is_state = type == FFS_DT_DIR ? IS_DIR : IS_FILE;
	is->is_type = (uint8_t)type;
	is->is_nlink = dp->d1.di_nlink;
	if (ino == FFS_ROOTINO && type != FFS_DT_DIR) {
		if (problem(PROBLEM, "root inode: not a directory (mode 0%o): "
		    "clear it", mode)) {
			inode_release(ino, dp, -1);
			inode_clear(ino, dp);
			return;
		}
	}
	if (type == FFS_DT_UNKNOWN)
		return;
	if (dp_hasblocks(dp)) {
		if (check_blocks(ino, dp) != 0)
			return;
	} else if (dp_blocks(dp) != 0 && problem(ROUTINE, "inode %u: "
	    "holds no blocks but counts %ju: correct it", ino,
	    (uintmax_t)dp_blocks(dp))) {
		dp_setblocks(dp, 0);
		(void)inode_write(ino, dp);
	}
	if (type == FFS_DT_DIR)
		(void)dir_new(ino);
}

/*
 * How many inodes of group c to examine: all of them for UFS1 or a
 * damaged group; for UFS2 those initialised, and any the map says are
 * used beyond, in whole inode blocks.
 */
static uint32_t
cg_inode_limit(int c)
{
	struct ffs_super *fs = ck.fs;
	struct ffs_cg *cg = (struct ffs_cg *)(void *)ck.cgs[c].cg_buf;
	uint32_t ipg = (uint32_t)fs->fs_ipg, inopb = (uint32_t)fs->fs_inopb;
	uint32_t limit, i;

	if (!ck.ufs2 || !ck.cgs[c].cg_ok)
		return ipg;
	limit = cg->cg_initediblk < 0 ? 0 : (uint32_t)cg->cg_initediblk;
	if (limit > ipg)
		limit = ipg;
	for (i = ipg; i > limit; i--)
		if (bit_isset(ck.cgs[c].cg_buf + cg->cg_iusedoff, i - 1))
			break;
	limit = i;
	if (c == 0 && limit < FFS_ROOTINO + 1)
		limit = FFS_ROOTINO + 1;	/* the root is always read */
	limit = (limit + inopb - 1) / inopb * inopb;
	return limit > ipg ? ipg : limit;
}

/* The inodes to clear in pass 1b: a second claimant of something. */
struct dupvictim {
	uint32_t	dv_ino;
	uint32_t	dv_other;	/* the first claimant (maybe itself) */
	int64_t		dv_fsb;		/* the first such fragment */
	int64_t		dv_count;	/* how many */
};

static int
dupscan_fn(struct walk *w, const struct bptr *bp)
{
	struct dupvictim *dv = w->w_arg;
	struct dupent *d;
	int i;

	if (!BP_CLAIMABLE(bp))
		return WALK_KEEP;
	for (i = 0; i < bp->bp_nfrags; i++) {
		if ((d = dup_lookup(bp->bp_fsb + i)) == NULL ||
		    d->du_extra == 0)
			continue;
		if (d->du_first == 0) {
			d->du_first = w->w_ino;
			continue;
		}
		if (dv->dv_count++ == 0) {
			dv->dv_other = d->du_first;
			dv->dv_fsb = bp->bp_fsb + i;
		}
	}
	return WALK_KEEP;
}

/* Read inodes in whole blocks and hand the allocated ones to fn. */
static void
inode_scan(void (*fn)(uint32_t, union dinode *, void *), void *arg,
    int allocated_only)
{
	struct ffs_super *fs = ck.fs;
	union dinode di;
	uint8_t *buf;
	uint32_t ino, base, b, j, inopb = (uint32_t)fs->fs_inopb;
	int c;

	buf = xcalloc(1, (size_t)fs->fs_bsize);
	for (c = 0; c < fs->fs_ncg; c++) {
		base = (uint32_t)c * (uint32_t)fs->fs_ipg;
		for (b = 0; b < ck.cgs[c].cg_limit; b += inopb) {
			if (allocated_only) {
				for (j = 0; j < (uint32_t)fs->fs_inopb; j++)
					if (ck.ino[base + b + j].is_state !=
					    IS_FREE)
						break;
				if (j == (uint32_t)fs->fs_inopb)
					continue;
			}
			(void)frags_read(ffs_ino_to_fsba(fs, base + b),
			    fs->fs_frag, buf);
			for (j = 0; j < (uint32_t)fs->fs_inopb; j++) {
				ino = base + b + j;
				if (ino < FFS_ROOTINO || (allocated_only &&
				    ck.ino[ino].is_state == IS_FREE))
					continue;
				memset(&di, 0, sizeof(di));
				memcpy(&di, buf + (size_t)j * ck.isize,
				    (size_t)ck.isize);
				fn(ino, &di, arg);
			}
		}
	}
	free(buf);
}

static void
pass1_one(uint32_t ino, union dinode *dp, void *arg)
{

	check_inode(ino, dp);
}

/* Pass 1b: collect the second claimants of duplicated fragments. */
struct victims {
	struct dupvictim *v;
	size_t		n, alloc;
};

static void
pass1b_one(uint32_t ino, union dinode *dp, void *arg)
{
	struct victims *vs = arg;
	struct dupvictim dv;
	struct walk w;

	if (!dp_hasblocks(dp))
		return;
	memset(&dv, 0, sizeof(dv));
	dv.dv_ino = ino;
	walk_init(&w, ino, dp, dupscan_fn, &dv);
	(void)walk_run(&w);
	if (dv.dv_count > 0) {
		vs->v = xgrow(vs->v, &vs->alloc, vs->n, sizeof(*vs->v));
		vs->v[vs->n++] = dv;
	}
}

static void
pass1b(void)
{
	struct victims vs;
	union dinode di;
	size_t i;

	memset(&vs, 0, sizeof(vs));
	inode_scan(pass1b_one, &vs, 1);
	for (i = 0; i < vs.n; i++) {
		struct dupvictim *dv = &vs.v[i];

		if (!problem(PROBLEM, "inode %u: %jd fragment%s (first %jd) "
		    "also held by inode %u: clear inode %u", dv->dv_ino,
		    (intmax_t)dv->dv_count, dv->dv_count == 1 ? "" : "s",
		    (intmax_t)dv->dv_fsb, dv->dv_other, dv->dv_ino))
			continue;
		if (inode_read(dv->dv_ino, &di) != 0)
			continue;
		inode_release(dv->dv_ino, &di, -1);
		inode_clear(dv->dv_ino, &di);
	}
	free(vs.v);
}

void
pass1(void)
{
	size_t i;
	int c;

	for (c = 0; c < ck.fs->fs_ncg; c++)
		ck.cgs[c].cg_limit = cg_inode_limit(c);
	inode_scan(pass1_one, NULL, 0);
	for (i = 0; i < ck.dupsalloc; i++)
		if (ck.dups[i].du_fsb != -1 && ck.dups[i].du_extra > 0)
			break;
	if (i < ck.dupsalloc) {
		if (!ck.pflag)
			printf("** Phase 1b: inodes holding the same blocks\n");
		pass1b();
	}
}
