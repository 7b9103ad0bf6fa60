/*
 * fsck_ffs: the superblock (host program).  Find it, check that its
 * geometry is consistent with itself and with the device, fall back to
 * a backup copy when it is not, read the cylinder groups and the
 * summary array, and write the superblock back at the end.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fsck_ffs.h"

#define SCANCHUNK	(1024 * 1024)	/* bytes read at a time in a scan */


static int
is_sbloc(int64_t loc)
{

	return loc == FFS_SBLOCK_UFS1 || loc == FFS_SBLOCK_UFS2 ||
	    loc == FFS_SBLOCK_PIGGY;
}

/*
 * UFS1 before the 64-bit fields were kept says so in fs_old_flags; copy
 * its 32-bit values up so that the rest of the program reads one place.
 */
static const char *
sb_ufs1_compat(struct ffs_super *fs)
{

	if (fs->fs_sblockloc == 0)
		fs->fs_sblockloc = FFS_SBLOCK_UFS1;
	if (!(fs->fs_old_flags & FFS_OLDFLAG_UPDATED)) {
		fs->fs_size = fs->fs_old_size;
		fs->fs_dsize = fs->fs_old_dsize;
		fs->fs_csaddr = fs->fs_old_csaddr;
		fs->fs_cstotal.cs_ndir = fs->fs_old_cstotal.cs_ndir;
		fs->fs_cstotal.cs_nbfree = fs->fs_old_cstotal.cs_nbfree;
		fs->fs_cstotal.cs_nifree = fs->fs_old_cstotal.cs_nifree;
		fs->fs_cstotal.cs_nffree = fs->fs_old_cstotal.cs_nffree;
		fs->fs_maxbsize = fs->fs_bsize;
		fs->fs_old_flags |= FFS_OLDFLAG_UPDATED;
	} else if (fs->fs_size != fs->fs_old_size ||
	    fs->fs_csaddr != fs->fs_old_csaddr)
		return "its 32- and 64-bit sizes disagree";
	return NULL;
}

/*
 * Why the superblock fs, read at byte loc, cannot be used, or NULL if
 * it can.  A primary must be where it says it is; a backup must name a
 * standard primary location.  Every field used to find anything on the
 * device is checked here, so the rest of the program may trust them.
 */
static const char *
sb_invalid(struct ffs_super *fs, int64_t loc, int primary)
{
	int64_t ndata, c, csend;
	int psize;
	const char *why;

	if (fs->fs_magic == FFS_UFS2_MAGIC) {
		if (primary ? fs->fs_sblockloc != loc :
		    !is_sbloc(fs->fs_sblockloc))
			return "it records another location";
		ck.isize = sizeof(struct ffs_dinode2);
		psize = 8;
	} else if (fs->fs_magic == FFS_UFS1_MAGIC) {
		if (primary && loc != FFS_SBLOCK_UFS1)
			return "UFS1 keeps it at byte 8192";
		if (fs->fs_sblockloc != 0 &&
		    fs->fs_sblockloc != FFS_SBLOCK_UFS1)
			return "it records another location";
		if (fs->fs_old_inodefmt < FFS_44INODEFMT)
			return "pre-4.4BSD inode format (not supported)";
		if ((why = sb_ufs1_compat(fs)) != NULL)
			return why;
		ck.isize = sizeof(struct ffs_dinode1);
		psize = 4;
	} else
		return "no magic number";

	if (fs->fs_bsize < FFS_MINBSIZE || fs->fs_bsize > FFS_MAXBSIZE ||
	    ffs_ilog2(fs->fs_bsize) != fs->fs_bshift)
		return "bad block size or shift";
	if (fs->fs_fsize < 512 || fs->fs_fsize > fs->fs_bsize ||
	    ffs_ilog2(fs->fs_fsize) != fs->fs_fshift ||
	    fs->fs_bsize / fs->fs_fsize > FFS_MAXFRAG)
		return "bad fragment size or shift";
	if (fs->fs_frag != fs->fs_bsize / fs->fs_fsize ||
	    ffs_ilog2(fs->fs_frag) != fs->fs_fragshift ||
	    ffs_ilog2(fs->fs_fsize / 512) != fs->fs_fsbtodb)
		return "bad fragments per block";
	if (fs->fs_bmask != ~(fs->fs_bsize - 1) ||
	    fs->fs_fmask != ~(fs->fs_fsize - 1) ||
	    fs->fs_qbmask != fs->fs_bsize - 1 ||
	    fs->fs_qfmask != fs->fs_fsize - 1)
		return "bad masks";
	if (fs->fs_sbsize < (int32_t)sizeof(struct ffs_super) ||
	    fs->fs_sbsize > FFS_SBLOCKSIZE)
		return "bad superblock size";
	if (fs->fs_inopb != fs->fs_bsize / ck.isize ||
	    fs->fs_nindir != fs->fs_bsize / psize)
		return "bad inodes or pointers per block";
	if (fs->fs_ncg < 1 || fs->fs_fpg < fs->fs_frag ||
	    fs->fs_fpg % fs->fs_frag != 0 || fs->fs_ipg < fs->fs_inopb ||
	    fs->fs_ipg % fs->fs_inopb != 0)
		return "bad group geometry";
	if ((uint64_t)fs->fs_ncg * (uint64_t)fs->fs_ipg > UINT32_MAX)
		return "too many inodes";
	if (fs->fs_cgsize < FFS_CG_HDRSIZE || fs->fs_cgsize > FFS_MAXBSIZE)
		return "bad cylinder group size";
	/* A bit per fragment and per inode, in the group block. */
	if ((int64_t)fs->fs_fpg + fs->fs_ipg > 8 * (int64_t)fs->fs_cgsize)
		return "group maps larger than the group block";
	if (fs->fs_sblkno < 0 || fs->fs_cblkno < fs->fs_sblkno +
	    (fs->fs_sbsize + fs->fs_fsize - 1) / fs->fs_fsize ||
	    fs->fs_iblkno < fs->fs_cblkno +
	    (fs->fs_cgsize + fs->fs_fsize - 1) / fs->fs_fsize ||
	    (int64_t)fs->fs_dblkno < (int64_t)fs->fs_iblkno +
	    (int64_t)fs->fs_ipg / fs->fs_inopb * fs->fs_frag ||
	    fs->fs_dblkno > fs->fs_fpg)
		return "bad layout of a group";
	if (fs->fs_size <= 0 || fs->fs_size > (INT64_MAX >> 17) ||
	    fs->fs_size <= (int64_t)(fs->fs_ncg - 1) * fs->fs_fpg ||
	    fs->fs_size > (int64_t)fs->fs_ncg * fs->fs_fpg)
		return "size and number of groups disagree";
	if (fs->fs_size > ck.devsize >> fs->fs_fshift)
		return "larger than the device";
	if (fs->fs_magic == FFS_UFS1_MAGIC && fs->fs_old_cgmask != -1) {
		if (fs->fs_old_cgoffset < 0)
			return "bad group offset";
		for (c = 0; c < fs->fs_ncg; c++)
			if (ffs_cgdmin(fs, c) > ffs_cgbase(fs, c) +
			    fs->fs_fpg || ffs_cgdmin(fs, c) > fs->fs_size)
				return "staggered groups overflow";
	} else if (ffs_cgdmin(fs, fs->fs_ncg - 1) > fs->fs_size)
		return "last group too small";
	ndata = (fs->fs_cssize + (int64_t)fs->fs_fsize - 1) >> fs->fs_fshift;
	csend = fs->fs_csaddr + ndata;
	if (fs->fs_cssize < (int64_t)fs->fs_ncg * FFS_CSUMSIZE ||
	    fs->fs_cssize > (int64_t)fs->fs_ncg * FFS_CSUMSIZE +
	    fs->fs_bsize ||
	    fs->fs_csaddr < 0 || csend > fs->fs_size ||
	    fs->fs_csaddr < ffs_cgdmin(fs, ffs_dtog(fs, fs->fs_csaddr)) ||
	    csend > ffs_cgbase(fs, ffs_dtog(fs, fs->fs_csaddr)) + fs->fs_fpg)
		return "bad summary area";
	if (fs->fs_contigsumsize < 0 ||
	    fs->fs_contigsumsize > FSCK_MAXCONTIG)
		return "bad cluster summary size";
	if (fs->fs_maxsymlinklen != 0 && fs->fs_maxsymlinklen !=
	    (psize == 8 ? 120 : 60))
		return "bad short symlink length";
	return NULL;
}

/* Read a superblock at byte loc into ck.fs; the reason it is bad. */
static const char *
sb_try(int64_t loc, int primary)
{

	if (loc < 0 || loc > ck.devsize - FFS_SBLOCKSIZE)
		return "past the end of the device";
	if (disk_read(ck.fs, FFS_SBLOCKSIZE, loc) != 0)
		return "cannot be read";
	return sb_invalid(ck.fs, loc, primary);
}

/*
 * Is the superblock in ck.fs, found at byte loc, a backup where its own
 * geometry puts one (at the start of some group)?
 */
static int
sb_isbackup_at(int64_t loc)
{
	struct ffs_super *fs = ck.fs;
	int64_t fsb;
	int c;

	if ((loc & ((int64_t)fs->fs_fsize - 1)) != 0)
		return 0;
	fsb = loc >> fs->fs_fshift;
	c = ffs_dtog(fs, fsb);
	return c < fs->fs_ncg && ffs_cgsblock(fs, c) == fsb;
}

/*
 * Look for a backup superblock: first where the damaged primary's
 * geometry, if it looks usable, puts them; then by reading the device
 * from the start for anything that validates where it claims to be.
 * Leaves it in ck.fs and returns its byte offset, or -1.
 */
static int64_t
sb_findbackup(const struct ffs_super *old)
{
	uint8_t *buf;
	int64_t off, loc, n;
	int c, i;

	if (ffs_ilog2(old->fs_fsize) >= 9 && ffs_ilog2(old->fs_fsize) <= 16 &&
	    old->fs_fpg > 0 && old->fs_sblkno >= 0 && old->fs_ncg > 0) {
		for (c = 0; c < old->fs_ncg && c < 32; c++) {
			loc = (ffs_cgbase(old, c) + old->fs_sblkno) *
			    old->fs_fsize;
			if (loc <= 0 || loc > ck.devsize - FFS_SBLOCKSIZE)
				continue;
			if (sb_try(loc, 0) == NULL && sb_isbackup_at(loc))
				return loc;
		}
	}
	buf = xcalloc(1, SCANCHUNK);
	/* Chunks overlap so that no superblock straddles two. */
	for (off = 0; off < ck.devsize; off += SCANCHUNK - 2048) {
		n = ck.devsize - off < SCANCHUNK ? ck.devsize - off :
		    SCANCHUNK;
		if (n < 1376 || disk_read(buf, (size_t)n, off) != 0 ||
		    (off > 0 && n < 2048))
			break;
		for (i = 0; i + 1376 <= n; i += 512) {
			int32_t magic;

			memcpy(&magic, buf + i + 1372, sizeof(magic));
			loc = off + i;
			if (magic != FFS_UFS1_MAGIC && magic != FFS_UFS2_MAGIC)
				continue;
			if (sb_try(loc, 0) == NULL && sb_isbackup_at(loc)) {
				free(buf);
				return loc;
			}
		}
	}
	free(buf);
	return -1;
}

/*
 * Can cylinder group c's header and maps be used: magic, number and
 * map offsets inside the block and not overlapping one another?
 */
static int
cg_usable(const struct ffs_cg *cg, int c)
{
	struct ffs_super *fs = ck.fs;
	int64_t lo[4], hi[4];
	int n = 0, i, j;

	if (cg->cg_magic != FFS_CG_MAGIC || cg->cg_cgx != c)
		return 0;
	lo[n] = cg->cg_iusedoff;
	hi[n++] = (int64_t)cg->cg_iusedoff + (fs->fs_ipg + 7) / 8;
	lo[n] = cg->cg_freeoff;
	hi[n++] = (int64_t)cg->cg_freeoff + (fs->fs_fpg + 7) / 8;
	if (fs->fs_contigsumsize > 0) {
		if ((cg->cg_clustersumoff & 3) != 0)
			return 0;
		/* Slot 0 of the summary is never used and may overlap. */
		lo[n] = (int64_t)cg->cg_clustersumoff + 4;
		hi[n++] = (int64_t)cg->cg_clustersumoff +
		    4 * ((int64_t)fs->fs_contigsumsize + 1);
		lo[n] = cg->cg_clusteroff;
		hi[n++] = (int64_t)cg->cg_clusteroff +
		    (fs->fs_fpg / fs->fs_frag + 7) / 8;
	}
	for (i = 0; i < n; i++) {
		if (lo[i] < FFS_CG_HDRSIZE || hi[i] > fs->fs_cgsize)
			return 0;
		for (j = 0; j < i; j++)
			if (lo[i] < hi[j] && lo[j] < hi[i])
				return 0;
	}
	return 1;
}

/* Read every group's block, and the summary array. */
static void
cg_readall(void)
{
	struct ffs_super *fs = ck.fs;
	struct ffs_cg *cg;
	int c;

	ck.cgs = xcalloc((size_t)fs->fs_ncg, sizeof(*ck.cgs));
	for (c = 0; c < fs->fs_ncg; c++) {
		ck.cgs[c].cg_buf = xcalloc(1, (size_t)fs->fs_cgsize);
		cg = (struct ffs_cg *)(void *)ck.cgs[c].cg_buf;
		if (disk_read(cg, (size_t)fs->fs_cgsize,
		    FSB_OFF(ffs_cgtod(fs, c))) == 0)
			ck.cgs[c].cg_ok = cg_usable(cg, c);
		if (!ck.cgs[c].cg_ok)
			debug("cg %d: header unusable, maps ignored", c);
	}
	ck.csums = xcalloc((size_t)ck.csfrags, (size_t)fs->fs_fsize);
	(void)frags_read(fs->fs_csaddr, (int)ck.csfrags, ck.csums);
}

/*
 * Find and check the superblock (or a backup), then set up what follows
 * from it: the groups, the summary array and the in-memory maps.
 */
void
sb_setup(void)
{
	static const int64_t locs[] = {
		FFS_SBLOCK_UFS1, FFS_SBLOCK_UFS2, FFS_SBLOCK_PIGGY
	};
	struct ffs_super *first;
	const char *why, *firstwhy = NULL;
	int64_t loc = -1, firstloc = -1;
	size_t i;

	ck.fs = xcalloc(1, FFS_SBLOCKSIZE);
	first = xcalloc(1, FFS_SBLOCKSIZE);
	if (ck.altsb >= 0) {
		loc = ck.altsb * 512;
		if ((why = sb_try(loc, 0)) != NULL)
			fatal("no usable superblock at sector %jd: %s",
			    (intmax_t)ck.altsb, why);
		ck.sbloc = ck.fs->fs_sblockloc;
		if (problem(PROBLEM, "superblock: using the copy at sector "
		    "%jd (-b); write it as the primary at byte %jd",
		    (intmax_t)ck.altsb, (intmax_t)ck.sbloc))
			ck.sbdirty = 1;
		goto found;
	}
	for (i = 0; i < sizeof(locs) / sizeof(locs[0]); i++) {
		if ((why = sb_try(locs[i], 1)) == NULL) {
			loc = ck.sbloc = locs[i];
			goto found;
		}
		if (firstwhy == NULL && (ck.fs->fs_magic == FFS_UFS1_MAGIC ||
		    ck.fs->fs_magic == FFS_UFS2_MAGIC)) {
			firstwhy = why;
			firstloc = locs[i];
			memcpy(first, ck.fs, FFS_SBLOCKSIZE);
		}
	}
	if (firstwhy == NULL)
		note("superblock: no magic number at bytes 8192, 65536 or "
		    "262144");
	else
		note("superblock at byte %jd is damaged: %s",
		    (intmax_t)firstloc, firstwhy);
	if ((loc = sb_findbackup(first)) == -1)
		fatal("no usable superblock or backup found");
	ck.sbloc = ck.fs->fs_sblockloc;
	if (problem(PROBLEM, "superblock: using the backup at byte %jd; "
	    "write it as the primary at byte %jd", (intmax_t)loc,
	    (intmax_t)ck.sbloc))
		ck.sbdirty = 1;
found:
	free(first);
	ck.ufs2 = ck.fs->fs_magic == FFS_UFS2_MAGIC;
	ck.maxino = (uint32_t)ck.fs->fs_ncg * (uint32_t)ck.fs->fs_ipg;
	ck.maxlbn = FFS_NDADDR + (int64_t)ck.fs->fs_nindir *
	    (1 + (int64_t)ck.fs->fs_nindir * (1 + ck.fs->fs_nindir));
	ck.csfrags = (ck.fs->fs_cssize + (int64_t)ck.fs->fs_fsize - 1) >>
	    ck.fs->fs_fshift;
	debug("superblock at byte %jd: %s, %jd fragments of %d bytes, "
	    "blocks of %d, %d groups of %d fragments and %d inodes",
	    (intmax_t)loc, ck.ufs2 ? "UFS2" : "UFS1",
	    (intmax_t)ck.fs->fs_size, ck.fs->fs_fsize, ck.fs->fs_bsize,
	    ck.fs->fs_ncg, ck.fs->fs_fpg, ck.fs->fs_ipg);
	cg_readall();
	ck.ino = xcalloc(ck.maxino, sizeof(*ck.ino));
	ck.blkmap = xcalloc((size_t)(ck.fs->fs_size + 7) / 8, 1);
}

/* Write the superblock back where it belongs, both formats' fields. */
void
sb_write(void)
{
	struct ffs_super *fs = ck.fs;
	time_t now = time(NULL);

	if (!ck.ufs2) {
		fs->fs_old_size = (int32_t)fs->fs_size;
		fs->fs_old_dsize = (int32_t)fs->fs_dsize;
		fs->fs_old_csaddr = (int32_t)fs->fs_csaddr;
		fs->fs_old_time = (int32_t)now;
	}
	fs->fs_time = now;
	fs->fs_fmod = 0;
	if (disk_write(fs, (size_t)fs->fs_sbsize, ck.sbloc) == 0)
		ck.sbdirty = 0;
}

/*
 * Does the run of n fragments at fsb (inside one block of the file
 * system) overlap metadata: a group's backup superblock, group block
 * and inodes (in group 0 everything before its data), or the summary
 * array?  The start of other groups, before the backup superblock,
 * holds data.
 */
int
is_meta(int64_t fsb, int n)
{
	struct ffs_super *fs = ck.fs;
	int c = ffs_dtog(fs, fsb);

	if (fsb < ffs_cgdmin(fs, c) &&
	    fsb + n > (c == 0 ? 0 : ffs_cgsblock(fs, c)))
		return 1;
	return fsb < fs->fs_csaddr + ck.csfrags && fsb + n > fs->fs_csaddr;
}
