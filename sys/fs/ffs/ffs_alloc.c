/*
 * FFS allocation (file system layer): blocks, fragment runs and inodes,
 * taken from and given back to the maps of the cylinder groups, with
 * the three copies of every free count kept equal: the group's cg_cs,
 * its entry of fm_csum and the superblock's totals.
 *
 * The policy is the one described by McKusick et al. in "A Fast File
 * System for UNIX".  A file's blocks follow one another in its inode's
 * group; every fs_maxbpg blocks beyond the first indirect range it
 * moves on to a group with more free blocks than average, so one big
 * file does not fill a group.  The last block of a small file is a run
 * of fragments, cut from a free run of exactly that length if one
 * exists, else from a free block.  A new directory goes to the group
 * with the fewest directories among those with at least the average
 * number of free inodes and blocks; other inodes stay with their
 * parent.  A full group sends the search on: a quadratic rehash, then
 * every group in turn.
 *
 * Bad input.  A cylinder-group block is checked on every read (magic
 * number, group number, size, every map inside fs_cgsize) and every
 * candidate against the group's metadata and end.  A corrupt group is
 * EIO and one console line; a bad free (twice, or outside the file
 * system) is a console line and no change.
 *
 * Locking: fm_alloclock, as a writer, over each whole operation (it is
 * held across reads of cylinder-group blocks).  Within it, one
 * cylinder-group buffer at a time, then (UFS2, new inode blocks) an
 * inode-block buffer.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/buf.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/rwlock.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <fs/ffs/ffs.h>

/*
 * A cylinder group read for the allocator: its busy buffer and what
 * was checked and derived from its header.  Fragment and block numbers
 * here count from the start of the group.
 */
struct cgmap {
	struct buf	*cm_bp;
	struct ffs_cg	*cm_cg;
	int		cm_cgx;
	int		cm_frag;	/* fragments per block */
	int		cm_fragshift;
	int		cm_contig;	/* fs_contigsumsize */
	int64_t		cm_base;	/* fragment address of the group */
	int32_t		cm_ndblk;	/* fragments in the group */
	int32_t		cm_nblk;	/* whole blocks in it */
	int32_t		cm_mlo, cm_mhi;	/* metadata: fragments [lo, hi) */
	int32_t		cm_slo, cm_shi;	/* the summary area, if here */
	uint8_t		*cm_iused;	/* bit per inode: in use */
	uint8_t		*cm_free;	/* bit per fragment: free */
	uint8_t		*cm_clmap;	/* bit per block: free (or NULL) */
	int32_t		*cm_clsum;	/* free block runs by length */
};

/* Bytes of a map of n bits. */
#define MAPLEN(n)	howmany((int64_t)(n), 8)

/* A group's part of an allocation: 0, ENOSPC (try another) or an error. */
typedef int (*cg_allocfn_t)(struct ffs_mount *, int, int64_t, int,
    int64_t *);

static inline bool
bit_isset(const uint8_t *map, int32_t i)
{

	return (map[i >> 3] & (1 << (i & 7))) != 0;
}

static inline void
bit_set(uint8_t *map, int32_t i)
{

	map[i >> 3] |= (uint8_t)(1 << (i & 7));
}

static inline void
bit_clr(uint8_t *map, int32_t i)
{

	map[i >> 3] &= (uint8_t)~(1 << (i & 7));
}

static bool
cred_isroot(kauth_cred_t cred)
{

	return cred == NULL || kauth_cred_geteuid(cred) == 0;
}

/* Does a map of len bytes at byte off lie inside the group's block? */
static bool
cg_mapok(const struct ffs_super *fs, int32_t off, int64_t len)
{

	return off >= FFS_CG_HDRSIZE && (int64_t)off + len <= fs->fs_cgsize;
}

/*
 * Read group c's block and check everything later code relies on.
 * EIO (and a console line) if it is not sound.
 */
static int
cg_read(struct ffs_mount *fm, int c, struct cgmap *cm)
{
	struct ffs_super *fs = fm->fm_fs;
	struct ffs_cg *cg;
	struct buf *bp;
	const char *why = NULL;
	int64_t limit;
	int error;

	KASSERT(c >= 0 && c < fs->fs_ncg);
	if ((error = bread(fm->fm_bd, ffs_fsbtodb(fs, ffs_cgtod(fs, c)),
	    (size_t)fs->fs_bsize, &bp)) != 0)
		return error;
	cg = bp->b_data;
	cm->cm_bp = bp;
	cm->cm_cg = cg;
	cm->cm_cgx = c;
	cm->cm_frag = fs->fs_frag;
	cm->cm_fragshift = fs->fs_fragshift;
	cm->cm_contig = fs->fs_contigsumsize;
	cm->cm_base = ffs_cgbase(fs, c);
	limit = MIN(fs->fs_fpg, fs->fs_size - cm->cm_base);

	if (cg->cg_magic != FFS_CG_MAGIC)
		why = "bad magic number";
	else if (cg->cg_cgx != c)
		why = "wrong group number";
	else if (cg->cg_ndblk <= 0 || cg->cg_ndblk > limit)
		why = "bad number of fragments";
	if (why != NULL)
		goto bad;
	cm->cm_ndblk = cg->cg_ndblk;
	cm->cm_nblk = cm->cm_ndblk >> cm->cm_fragshift;
	if (!cg_mapok(fs, cg->cg_iusedoff, MAPLEN(fs->fs_ipg)))
		why = "inode map out of the block";
	else if (!cg_mapok(fs, cg->cg_freeoff, MAPLEN(cm->cm_ndblk)))
		why = "fragment map out of the block";
	else if (cm->cm_contig > 0 &&
	    (cg->cg_clustersumoff % sizeof(int32_t) != 0 ||
	    !cg_mapok(fs, cg->cg_clustersumoff,
	    (int64_t)(cm->cm_contig + 1) * sizeof(int32_t))))
		why = "cluster summary out of the block";
	else if (cm->cm_contig > 0 &&
	    !cg_mapok(fs, cg->cg_clusteroff, MAPLEN(cm->cm_nblk)))
		why = "cluster map out of the block";
	if (why != NULL)
		goto bad;
	cm->cm_iused = (uint8_t *)cg + cg->cg_iusedoff;
	cm->cm_free = (uint8_t *)cg + cg->cg_freeoff;
	if (cm->cm_contig > 0) {
		cm->cm_clmap = (uint8_t *)cg + cg->cg_clusteroff;
		cm->cm_clsum = (int32_t *)((uint8_t *)cg +
		    cg->cg_clustersumoff);
	} else {
		cm->cm_clmap = NULL;
		cm->cm_clsum = NULL;
	}

	/*
	 * Never free: the boot area and group 0's superblock, else the
	 * backup superblock, then the group block and the inodes; and the
	 * summary area.  (A group other than 0 has free fragments before
	 * its backup superblock.)
	 */
	cm->cm_mlo = c == 0 ? 0 : (int32_t)(ffs_cgsblock(fs, c) - cm->cm_base);
	cm->cm_mhi = (int32_t)(ffs_cgdmin(fs, c) - cm->cm_base);
	cm->cm_slo = cm->cm_shi = 0;
	if (ffs_dtog(fs, fs->fs_csaddr) == c) {
		cm->cm_slo = ffs_dtogd(fs, fs->fs_csaddr);
		cm->cm_shi = cm->cm_slo + (int32_t)ffs_numfrags(fs,
		    ffs_fragroundup(fs, fs->fs_cssize));
	}
	return 0;

bad:
	ffs_bad(fm, 0, "cylinder group %d: %s", c, why);
	brelse(bp, 0);
	return EIO;
}

/* Stamp a changed group and leave it to be written. */
static void
cg_write(struct ffs_mount *fm, struct cgmap *cm)
{
	struct timespec ts;

	nanotime(&ts);
	if (fm->fm_ufs2)
		cm->cm_cg->cg_time = ts.tv_sec;
	else
		cm->cm_cg->cg_old_time = (int32_t)ts.tv_sec;
	bdwrite(cm->cm_bp);
}

/*
 * May the fragments [rel, rel + n) of the group be handed out or
 * freed: inside the group, outside its metadata and the summary area?
 */
static bool
cg_rangeok(const struct cgmap *cm, int32_t rel, int n)
{

	if (rel < 0 || n <= 0 || rel > cm->cm_ndblk - n)
		return false;
	if (rel < cm->cm_mhi && rel + n > cm->cm_mlo)
		return false;
	if (rel < cm->cm_shi && rel + n > cm->cm_slo)
		return false;
	return true;
}

/*
 * Counts come from disk and may be anything: add to them without
 * signed overflow.
 */
static inline void
add32(int32_t *p, int d)
{

	*p = (int32_t)((uint32_t)*p + (uint32_t)d);
}

static inline void
add64(int64_t *p, int d)
{

	*p = (int64_t)((uint64_t)*p + (uint64_t)(int64_t)d);
}

/* Add to all three copies of the group's counts. */
static void
cg_count(struct ffs_mount *fm, struct cgmap *cm, int ndir, int nbfree,
    int nifree, int nffree)
{
	struct ffs_super *fs = fm->fm_fs;
	struct ffs_csum *cgcs = &cm->cm_cg->cg_cs;
	struct ffs_csum *cs = &fm->fm_csum[cm->cm_cgx];
	struct ffs_csum *ocs = &fs->fs_old_cstotal;
	struct ffs_csum_total *tcs = &fs->fs_cstotal;

	KASSERT((size_t)(cm->cm_cgx + 1) * sizeof(*cs) <= fm->fm_csumsize);
	add32(&cgcs->cs_ndir, ndir);
	add32(&cgcs->cs_nbfree, nbfree);
	add32(&cgcs->cs_nifree, nifree);
	add32(&cgcs->cs_nffree, nffree);
	add32(&cs->cs_ndir, ndir);
	add32(&cs->cs_nbfree, nbfree);
	add32(&cs->cs_nifree, nifree);
	add32(&cs->cs_nffree, nffree);
	add32(&ocs->cs_ndir, ndir);
	add32(&ocs->cs_nbfree, nbfree);
	add32(&ocs->cs_nifree, nifree);
	add32(&ocs->cs_nffree, nffree);
	add64(&tcs->cs_ndir, ndir);
	add64(&tcs->cs_nbfree, nbfree);
	add64(&tcs->cs_nifree, nifree);
	add64(&tcs->cs_nffree, nffree);
	fm->fm_fmod = true;
}

/*
 * Is the block at fragment bno wholly free?  (The last block of the
 * last group may be short: it never is.)  A block's bits share a byte.
 */
static bool
cg_isblock(const struct cgmap *cm, int32_t bno)
{
	int mask = (1 << cm->cm_frag) - 1;

	if (bno > cm->cm_ndblk - cm->cm_frag)
		return false;
	return ((cm->cm_free[bno >> 3] >> (bno & 7)) & mask) == mask;
}

/*
 * Add delta to cg_frsum for each maximal run of free fragments of the
 * block at fragment bno, unless the block is wholly free.
 */
static void
cg_fragacct(struct cgmap *cm, int32_t bno, int delta)
{
	int lim = MIN(cm->cm_frag, cm->cm_ndblk - bno);
	int i, run = 0;

	if (cg_isblock(cm, bno))
		return;
	for (i = 0; i <= lim; i++) {
		if (i < lim && bit_isset(cm->cm_free, bno + i)) {
			run++;
			continue;
		}
		if (run > 0)
			add32(&cm->cm_cg->cg_frsum[run], delta);
		run = 0;
	}
}

/*
 * Block blk became free (or stopped being): set its bit in the cluster
 * map and move the runs it joins (or splits) in the cluster summary,
 * where runs longer than fs_contigsumsize count as that long.
 */
static void
cg_clusteracct(struct cgmap *cm, int32_t blk, bool isfree)
{
	int32_t i, back = 0, fwd = 0;
	int max = cm->cm_contig, d = isfree ? 1 : -1;

	if (cm->cm_clmap == NULL)
		return;
	if (isfree)
		bit_set(cm->cm_clmap, blk);
	else
		bit_clr(cm->cm_clmap, blk);
	for (i = blk - 1; i >= 0 && back < max &&
	    bit_isset(cm->cm_clmap, i); i--)
		back++;
	for (i = blk + 1; i < cm->cm_nblk && fwd < max &&
	    bit_isset(cm->cm_clmap, i); i++)
		fwd++;
	add32(&cm->cm_clsum[MIN(back + fwd + 1, max)], d);
	if (back > 0)
		add32(&cm->cm_clsum[back], -d);
	if (fwd > 0)
		add32(&cm->cm_clsum[fwd], -d);
}

/*
 * Mark the fragments [rel, rel + n), all in one block, free or in use,
 * and keep what derives from the map in step: the block's runs in
 * cg_frsum, whether it is a free block (the cluster map and summary),
 * and the counts.  The caller checked that each bit changes.
 */
static void
cg_setfrags(struct ffs_mount *fm, struct cgmap *cm, int32_t rel, int n,
    bool isfree)
{
	int32_t bno = rel & ~(cm->cm_frag - 1), i;
	int nbfree = 0, nffree = 0;

	KASSERT(rel + n <= bno + cm->cm_frag);
	if (cg_isblock(cm, bno)) {
		nbfree--;
		nffree += cm->cm_frag;
		cg_clusteracct(cm, bno >> cm->cm_fragshift, false);
	} else
		cg_fragacct(cm, bno, -1);
	for (i = rel; i < rel + n; i++) {
		if (isfree)
			bit_set(cm->cm_free, i);
		else
			bit_clr(cm->cm_free, i);
	}
	nffree += isfree ? n : -n;
	if (cg_isblock(cm, bno)) {
		nbfree++;
		nffree -= cm->cm_frag;
		cg_clusteracct(cm, bno >> cm->cm_fragshift, true);
	} else
		cg_fragacct(cm, bno, 1);
	cg_count(fm, cm, 0, nbfree, 0, nffree);
}

/*
 * The first wholly free block from fragment start on, round the group
 * once: its first fragment, or -1.
 */
static int32_t
cg_findblock(const struct cgmap *cm, int32_t start)
{
	int32_t b, k, n = cm->cm_nblk;

	b = start >> cm->cm_fragshift;
	if (b < 0 || b >= n)
		b = 0;
	for (k = 0; k < n; k++, b++) {
		if (b == n)
			b = 0;
		if (cg_isblock(cm, b << cm->cm_fragshift))
			return b << cm->cm_fragshift;
	}
	return -1;
}

/*
 * A maximal run of exactly len free fragments (len < fs_frag) in a
 * block, from the block of fragment start on, round the group once:
 * its first fragment, or -1.  A short last block counts.
 */
static int32_t
cg_findrun(const struct cgmap *cm, int32_t start, int len)
{
	int32_t b, bno, k, n = howmany(cm->cm_ndblk, cm->cm_frag);
	int i, lim, run, mask = (1 << cm->cm_frag) - 1;

	b = start >> cm->cm_fragshift;
	if (b < 0 || b >= n)
		b = 0;
	for (k = 0; k < n; k++, b++) {
		if (b == n)
			b = 0;
		bno = b << cm->cm_fragshift;
		if (((cm->cm_free[bno >> 3] >> (bno & 7)) & mask) == 0)
			continue;
		lim = MIN(cm->cm_frag, cm->cm_ndblk - bno);
		for (i = 0, run = 0; i <= lim; i++) {
			if (i < lim && bit_isset(cm->cm_free, bno + i)) {
				run++;
				continue;
			}
			if (run == len)
				return bno + i - run;
			run = 0;
		}
	}
	return -1;
}

/*
 * Allocate nfrags fragments in group c (a block if nfrags is fs_frag),
 * at or after bpref if it lies in the group, else after the group's
 * rotor.  ENOSPC if the group has no room.
 */
static int
cg_alloc(struct ffs_mount *fm, int c, int64_t bpref, int nfrags,
    int64_t *fsbp)
{
	struct ffs_super *fs = fm->fm_fs;
	const struct ffs_csum *cs = &fm->fm_csum[c];
	struct ffs_cg *cg;
	struct cgmap cm;
	int32_t rel, start = -1;
	int len, error;

	if (cs->cs_nbfree <= 0 &&
	    (nfrags == fs->fs_frag || cs->cs_nffree < nfrags))
		return ENOSPC;
	if ((error = cg_read(fm, c, &cm)) != 0)
		return error;
	cg = cm.cm_cg;
	if (bpref > 0 && ffs_dtog(fs, bpref) == c)
		start = ffs_dtogd(fs, bpref);

	/* For fragments: the shortest free run that is long enough. */
	for (len = nfrags; len < fs->fs_frag; len++)
		if (cg->cg_frsum[len] > 0)
			break;
	if (len < fs->fs_frag) {
		rel = cg_findrun(&cm, start >= 0 ? start : cg->cg_frotor,
		    len);
		if (rel < 0) {
			ffs_bad(fm, 0, "cylinder group %d: no free run of %d "
			    "fragments, but %d counted", c, len,
			    cg->cg_frsum[len]);
			error = EIO;
			goto fail;
		}
	} else {
		/* A whole block, or one to cut the fragments from. */
		if (cg->cg_cs.cs_nbfree <= 0) {
			error = ENOSPC;
			goto fail;
		}
		rel = cg_findblock(&cm, start >= 0 ? start : cg->cg_rotor);
		if (rel < 0) {
			ffs_bad(fm, 0, "cylinder group %d: no free block, "
			    "but %d counted", c, cg->cg_cs.cs_nbfree);
			error = EIO;
			goto fail;
		}
	}
	if (!cg_rangeok(&cm, rel, nfrags)) {
		ffs_bad(fm, 0, "cylinder group %d: metadata at fragment "
		    "%lld is marked free", c, (long long)(cm.cm_base + rel));
		error = EIO;
		goto fail;
	}
	if (len < fs->fs_frag)
		cg->cg_frotor = rel;
	else
		cg->cg_rotor = rel;
	cg_setfrags(fm, &cm, rel, nfrags, false);
	cg_write(fm, &cm);
	*fsbp = cm.cm_base + rel;
	return 0;

fail:
	brelse(cm.cm_bp, 0);
	return error;
}

/*
 * Run fn on group c, then on others until one has room: a quadratic
 * rehash from c, then every group in turn from c + 2.  Each group is
 * tried a bounded number of times.
 */
static int
ffs_hashalloc(struct ffs_mount *fm, int c, int64_t pref, int arg,
    cg_allocfn_t fn, int64_t *resp)
{
	int ncg = fm->fm_fs->fs_ncg;
	int i, g, error;

	if ((error = fn(fm, c, pref, arg, resp)) != ENOSPC)
		return error;
	for (i = 1, g = c; i < ncg; i *= 2) {
		if ((g += i) >= ncg)
			g -= ncg;
		if ((error = fn(fm, g, 0, arg, resp)) != ENOSPC)
			return error;
	}
	for (i = 0, g = (c + 2) % ncg; i < ncg; i++) {
		if ((error = fn(fm, g, 0, arg, resp)) != ENOSPC)
			return error;
		if (++g == ncg)
			g = 0;
	}
	return ENOSPC;
}

/*
 * Free fragments beyond the reserve of minfree percent; fm_alloclock
 * held.  (Unsigned: the counts of a corrupt image may be anything.)
 */
static int64_t
freespace_locked(const struct ffs_super *fs, int minfree)
{
	uint64_t n;

	n = (uint64_t)fs->fs_cstotal.cs_nbfree * (uint64_t)fs->fs_frag +
	    (uint64_t)fs->fs_cstotal.cs_nffree -
	    (uint64_t)fs->fs_dsize * (uint64_t)minfree / 100;
	return (int64_t)n;
}

int64_t
ffs_freespace(struct ffs_mount *fm, int minfree)
{
	int64_t n;

	rw_enter(&fm->fm_alloclock, RW_READER);
	n = freespace_locked(fm->fm_fs, minfree);
	rw_exit(&fm->fm_alloclock);
	return n;
}

/* The group to start from for a block near bpref (0: none), for ip. */
static int
alloc_group(struct ffs_inode *ip, int64_t bpref)
{
	struct ffs_super *fs = ITOFS(ip);

	if (bpref > 0 && bpref < fs->fs_size)
		return ffs_dtog(fs, bpref);
	return ffs_ino_to_cg(fs, ip->i_number);
}

int
ffs_alloc(struct ffs_inode *ip, int64_t lbn, int64_t bpref, int size,
    kauth_cred_t cred, int64_t *fsbp)
{
	struct ffs_mount *fm = ip->i_fm;
	struct ffs_super *fs = fm->fm_fs;
	int nfrags = (int)ffs_numfrags(fs, size);
	int error;

	KASSERTMSG(size > 0 && size <= fs->fs_bsize &&
	    ffs_fragoff(fs, size) == 0, "ffs_alloc: size %d", size);
	*fsbp = 0;
	if (bpref < 0 || bpref >= fs->fs_size)
		bpref = 0;
	rw_enter(&fm->fm_alloclock, RW_WRITER);
	if (nfrags == fs->fs_frag && fs->fs_cstotal.cs_nbfree <= 0)
		error = ENOSPC;
	else if (freespace_locked(fs, cred_isroot(cred) ? 0 :
	    fs->fs_minfree) < nfrags)
		error = ENOSPC;
	else
		error = ffs_hashalloc(fm, alloc_group(ip, bpref), bpref,
		    nfrags, cg_alloc, fsbp);
	rw_exit(&fm->fm_alloclock);
	return error;
}

/*
 * Grow the run of ofrags fragments at bprev to nfrags in place, if the
 * fragments after it in its block are free.  ENOSPC if not.
 */
static int
cg_extend(struct ffs_mount *fm, int64_t bprev, int ofrags, int nfrags)
{
	struct ffs_super *fs = fm->fm_fs;
	int c = ffs_dtog(fs, bprev);
	int32_t rel = ffs_dtogd(fs, bprev), i;
	struct cgmap cm;
	int error;

	if (ffs_fragnum(fs, bprev) + nfrags > fs->fs_frag ||
	    fm->fm_csum[c].cs_nffree < nfrags - ofrags)
		return ENOSPC;
	if ((error = cg_read(fm, c, &cm)) != 0)
		return error;
	if (rel > cm.cm_ndblk - nfrags) {
		error = ENOSPC;
		goto fail;
	}
	for (i = rel; i < rel + ofrags; i++) {
		if (bit_isset(cm.cm_free, i)) {
			ffs_bad(fm, 0, "cylinder group %d: fragment %lld is "
			    "in use but marked free", c,
			    (long long)(cm.cm_base + i));
			error = EIO;
			goto fail;
		}
	}
	for (i = rel + ofrags; i < rel + nfrags; i++) {
		if (!bit_isset(cm.cm_free, i)) {
			error = ENOSPC;
			goto fail;
		}
	}
	if (!cg_rangeok(&cm, rel + ofrags, nfrags - ofrags)) {
		ffs_bad(fm, 0, "cylinder group %d: metadata at fragment "
		    "%lld is marked free", c,
		    (long long)(cm.cm_base + rel + ofrags));
		error = EIO;
		goto fail;
	}
	cg_setfrags(fm, &cm, rel + ofrags, nfrags - ofrags, false);
	cg_write(fm, &cm);
	return 0;

fail:
	brelse(cm.cm_bp, 0);
	return error;
}

int
ffs_realloc(struct ffs_inode *ip, int64_t lbn, int64_t bprev, int64_t bpref,
    int osize, int nsize, kauth_cred_t cred, int64_t *fsbp)
{
	struct ffs_mount *fm = ip->i_fm;
	struct ffs_super *fs = fm->fm_fs;
	int ofrags = (int)ffs_numfrags(fs, osize);
	int nfrags = (int)ffs_numfrags(fs, nsize);
	int error;

	KASSERTMSG(osize > 0 && nsize > osize && nsize <= fs->fs_bsize &&
	    ffs_fragoff(fs, osize) == 0 && ffs_fragoff(fs, nsize) == 0,
	    "ffs_realloc: size %d to %d", osize, nsize);
	*fsbp = 0;
	if (bprev <= 0 || bprev >= fs->fs_size ||
	    ofrags > fs->fs_size - bprev) {
		ffs_bad(fm, ip->i_number, "block %lld out of range",
		    (long long)bprev);
		return EIO;
	}
	if (bpref <= 0 || bpref >= fs->fs_size)
		bpref = bprev;
	rw_enter(&fm->fm_alloclock, RW_WRITER);
	if (freespace_locked(fs, cred_isroot(cred) ? 0 : fs->fs_minfree) <
	    nfrags - ofrags)
		error = ENOSPC;
	else if ((error = cg_extend(fm, bprev, ofrags, nfrags)) == 0)
		*fsbp = bprev;
	else if (error == ENOSPC)
		error = ffs_hashalloc(fm, ffs_dtog(fs, bpref), bpref, nfrags,
		    cg_alloc, fsbp);
	rw_exit(&fm->fm_alloclock);
	return error;
}

int64_t
ffs_blkpref(struct ffs_inode *ip, int64_t lbn, int indx, const void *bap)
{
	struct ffs_mount *fm = ip->i_fm;
	struct ffs_super *fs = fm->fm_fs;
	int64_t prev = 0, avg, pref = 0;
	int maxbpg = fs->fs_maxbpg > 0 ? fs->fs_maxbpg : INT_MAX;
	int c, k, start;

	if (bap != NULL && indx > 0) {
		prev = fm->fm_ufs2 ? ((const int64_t *)bap)[indx - 1] :
		    ((const int32_t *)bap)[indx - 1];
		if (prev <= 0 || prev >= fs->fs_size - fs->fs_frag)
			prev = 0;
	}
	/*
	 * The direct blocks and the first indirect range: right after the
	 * previous block, else in the inode's group.  Beyond, the same
	 * within each stretch of maxbpg blocks.
	 */
	if (prev != 0 && (lbn < FFS_NDADDR + fs->fs_nindir ||
	    indx % maxbpg != 0))
		return prev + fs->fs_frag;
	c = ffs_ino_to_cg(fs, ip->i_number);
	if (lbn < FFS_NDADDR + fs->fs_nindir)
		return ffs_cgdmin(fs, c);

	/* Beyond: the next group with at least average free blocks. */
	if (prev != 0)
		start = ffs_dtog(fs, prev) + 1;
	else
		start = (int)((c + lbn / maxbpg) % fs->fs_ncg);
	rw_enter(&fm->fm_alloclock, RW_READER);
	avg = fs->fs_cstotal.cs_nbfree / fs->fs_ncg;
	for (k = 0; k < fs->fs_ncg; k++) {
		c = (start + k) % fs->fs_ncg;
		if (fm->fm_csum[c].cs_nbfree > 0 &&
		    fm->fm_csum[c].cs_nbfree >= avg) {
			pref = ffs_cgdmin(fs, c);
			break;
		}
	}
	rw_exit(&fm->fm_alloclock);
	return pref;
}

void
ffs_blkfree(struct ffs_mount *fm, int64_t fsb, int size, ino_t ino)
{
	struct ffs_super *fs = fm->fm_fs;
	int nfrags = (int)ffs_numfrags(fs, size);
	struct cgmap cm;
	int32_t rel, i;
	int error;

	if (size <= 0 || size > fs->fs_bsize || ffs_fragoff(fs, size) != 0 ||
	    fsb <= 0 || fsb >= fs->fs_size || nfrags > fs->fs_size - fsb ||
	    ffs_fragnum(fs, fsb) + nfrags > fs->fs_frag) {
		ffs_bad(fm, ino, "freeing bad block %lld (%d bytes)",
		    (long long)fsb, size);
		return;
	}
	rw_enter(&fm->fm_alloclock, RW_WRITER);
	if ((error = cg_read(fm, ffs_dtog(fs, fsb), &cm)) != 0) {
		ffs_bad(fm, ino, "block %lld not freed: error %d",
		    (long long)fsb, error);
		goto out;
	}
	rel = ffs_dtogd(fs, fsb);
	if (!cg_rangeok(&cm, rel, nfrags)) {
		ffs_bad(fm, ino, "freeing block %lld (%d bytes) of metadata "
		    "or past its group", (long long)fsb, size);
		brelse(cm.cm_bp, 0);
		goto out;
	}
	for (i = rel; i < rel + nfrags; i++) {
		if (bit_isset(cm.cm_free, i)) {
			ffs_bad(fm, ino, "freeing free block %lld (%d bytes)",
			    (long long)fsb, size);
			brelse(cm.cm_bp, 0);
			goto out;
		}
	}
	cg_setfrags(fm, &cm, rel, nfrags, true);
	cg_write(fm, &cm);
out:
	rw_exit(&fm->fm_alloclock);
}

/*
 * UFS2 writes a group's inode blocks only as they come into use:
 * cg_initediblk inodes from the group's start are initialised.  Before
 * inode i of the group is handed out, zero the blocks up to its own
 * and move the mark.  A block with an inode in use is left as it is
 * (the mark was wrong, not the inode).
 */
static int
cg_initinodes(struct ffs_mount *fm, struct cgmap *cm, int32_t i)
{
	struct ffs_super *fs = fm->fm_fs;
	int32_t done = cm->cm_cg->cg_initediblk, j;
	ino_t first = (ino_t)cm->cm_cgx * (uint32_t)fs->fs_ipg;
	struct buf *bp;
	int error;

	done = MAX(0, MIN(done, fs->fs_ipg));
	done -= done % fs->fs_inopb;
	if (i < done)
		return 0;
	for (; done <= i; done += fs->fs_inopb) {
		for (j = done; j < done + fs->fs_inopb; j++)
			if (bit_isset(cm->cm_iused, j))
				break;
		if (j < done + fs->fs_inopb)
			continue;
		bp = getblk(fm->fm_bd, ffs_fsbtodb(fs,
		    ffs_ino_to_fsba(fs, first + (ino_t)done)),
		    (size_t)fs->fs_bsize);
		memset(bp->b_data, 0, (size_t)fs->fs_bsize);
		if ((error = bwrite(bp)) != 0)
			return error;
	}
	cm->cm_cg->cg_initediblk = done;
	return 0;
}

/*
 * Allocate an inode in group c, the first free one from the group's
 * rotor on; a directory if mode says so.  ENOSPC if there is none.
 */
static int
cg_ialloc(struct ffs_mount *fm, int c, int64_t pref, int mode,
    int64_t *inop)
{
	struct ffs_super *fs = fm->fm_fs;
	bool isdir = (mode & FFS_IFMT) == FFS_IFDIR;
	struct ffs_cg *cg;
	struct cgmap cm;
	int32_t i, k, ipg = fs->fs_ipg;
	int error;

	if (fm->fm_csum[c].cs_nifree <= 0)
		return ENOSPC;
	if ((error = cg_read(fm, c, &cm)) != 0)
		return error;
	cg = cm.cm_cg;
	if (cg->cg_cs.cs_nifree <= 0) {
		error = ENOSPC;
		goto fail;
	}
	i = cg->cg_irotor >= 0 && cg->cg_irotor < ipg ? cg->cg_irotor : 0;
	for (k = 0; k < ipg; k++, i++) {
		if (i == ipg)
			i = 0;
		/* Whole bytes in use go at once. */
		if ((i & 7) == 0 && i + 8 <= ipg && k + 8 <= ipg &&
		    cm.cm_iused[i >> 3] == 0xff) {
			k += 7;
			i += 7;
			continue;
		}
		if (!bit_isset(cm.cm_iused, i) &&
		    (c != 0 || i >= FFS_ROOTINO))
			break;
	}
	if (k >= ipg) {
		ffs_bad(fm, 0, "cylinder group %d: no free inode, but %d "
		    "counted", c, cg->cg_cs.cs_nifree);
		error = EIO;
		goto fail;
	}
	if (fm->fm_ufs2 && (error = cg_initinodes(fm, &cm, i)) != 0)
		goto fail;
	bit_set(cm.cm_iused, i);
	cg->cg_irotor = i;
	cg_count(fm, &cm, isdir ? 1 : 0, 0, -1, 0);
	cg_write(fm, &cm);
	*inop = (int64_t)c * ipg + i;
	KASSERT(*inop >= FFS_ROOTINO && *inop < fm->fm_maxino);
	return 0;

fail:
	brelse(cm.cm_bp, 0);
	return error;
}

/*
 * The group for a new directory: fewest directories among the groups
 * with at least the average free inodes and blocks (the first such from
 * the parent's group on); else the parent's group.
 */
static int
dirpref(struct ffs_mount *fm, struct ffs_inode *pip)
{
	struct ffs_super *fs = fm->fm_fs;
	int ncg = fs->fs_ncg;
	int start = ffs_ino_to_cg(fs, pip->i_number);
	int64_t avgifree = fs->fs_cstotal.cs_nifree / ncg;
	int64_t avgbfree = fs->fs_cstotal.cs_nbfree / ncg;
	const struct ffs_csum *cs;
	int best = -1, c, k;

	for (k = 0; k < ncg; k++) {
		c = (start + k) % ncg;
		cs = &fm->fm_csum[c];
		if (cs->cs_nifree <= 0 || cs->cs_nifree < avgifree ||
		    cs->cs_nbfree < avgbfree)
			continue;
		if (best < 0 || cs->cs_ndir < fm->fm_csum[best].cs_ndir)
			best = c;
	}
	return best >= 0 ? best : start;
}

int
ffs_ialloc(struct ffs_inode *pip, mode_t mode, kauth_cred_t cred,
    ino_t *inop)
{
	struct ffs_mount *fm = pip->i_fm;
	struct ffs_super *fs = fm->fm_fs;
	int64_t ino = 0;
	int c, error;

	rw_enter(&fm->fm_alloclock, RW_WRITER);
	if (fs->fs_cstotal.cs_nifree <= 0) {
		error = ENOSPC;
		goto out;
	}
	if ((mode & FFS_IFMT) == FFS_IFDIR)
		c = dirpref(fm, pip);
	else
		c = ffs_ino_to_cg(fs, pip->i_number);
	error = ffs_hashalloc(fm, c, 0, (int)mode, cg_ialloc, &ino);
out:
	rw_exit(&fm->fm_alloclock);
	*inop = error == 0 ? (ino_t)ino : 0;
	return error;
}

void
ffs_ifree(struct ffs_mount *fm, ino_t ino, mode_t mode)
{
	struct ffs_super *fs = fm->fm_fs;
	struct cgmap cm;
	int32_t i;
	int error;

	if (ino < FFS_ROOTINO || ino >= fm->fm_maxino) {
		ffs_bad(fm, ino, "freeing a bad inode number");
		return;
	}
	i = (int32_t)(ino % (uint32_t)fs->fs_ipg);
	rw_enter(&fm->fm_alloclock, RW_WRITER);
	if ((error = cg_read(fm, ffs_ino_to_cg(fs, ino), &cm)) != 0) {
		ffs_bad(fm, ino, "inode not freed: error %d", error);
		goto out;
	}
	if (!bit_isset(cm.cm_iused, i)) {
		ffs_bad(fm, ino, "freeing a free inode");
		brelse(cm.cm_bp, 0);
		goto out;
	}
	bit_clr(cm.cm_iused, i);
	if (i < cm.cm_cg->cg_irotor || cm.cm_cg->cg_irotor >= fs->fs_ipg)
		cm.cm_cg->cg_irotor = i;
	cg_count(fm, &cm, (mode & FFS_IFMT) == FFS_IFDIR ? -1 : 0, 0, 1, 0);
	cg_write(fm, &cm);
out:
	rw_exit(&fm->fm_alloclock);
}
