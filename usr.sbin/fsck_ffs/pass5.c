/*
 * fsck_ffs pass 5 (host program): cylinder groups and summaries.  Each
 * group's block is rebuilt from what the earlier passes found in use
 * (inode map, fragment map, cluster map and summary, fragment run
 * counts, counts) and compared with the one on disk, part by part;
 * then the summary array and the superblock's totals.
 */

#include <stdlib.h>
#include <string.h>

#include "fsck_ffs.h"

#define CG(buf)		((struct ffs_cg *)(void *)(buf))

/* The totals of all groups as rebuilt. */
static struct ffs_csum_total total;

/*
 * Map offsets for a group whose header is unusable: those of a sound
 * group, else the usual layout.  Returns 0, or -1 if it cannot fit.
 */
static int
cg_layout(struct ffs_cg *cg)
{
	struct ffs_super *fs = ck.fs;
	const struct ffs_cg *good;
	int64_t off;
	int c;

	for (c = 0; c < fs->fs_ncg; c++) {
		if (!ck.cgs[c].cg_ok)
			continue;
		good = CG(ck.cgs[c].cg_buf);
		cg->cg_old_btotoff = good->cg_old_btotoff;
		cg->cg_old_boff = good->cg_old_boff;
		cg->cg_iusedoff = good->cg_iusedoff;
		cg->cg_freeoff = good->cg_freeoff;
		cg->cg_nextfreeoff = good->cg_nextfreeoff;
		cg->cg_clustersumoff = good->cg_clustersumoff;
		cg->cg_clusteroff = good->cg_clusteroff;
		return 0;
	}
	off = ffs_cg_layout(fs, cg);
	return off <= fs->fs_cgsize ? 0 : -1;
}

/* Count a run of n free fragments inside a block that is not free. */
static void
frag_run(struct ffs_cg *cg, int n)
{

	if (n > 0 && n < FFS_MAXFRAG) {
		cg->cg_frsum[n]++;
		cg->cg_cs.cs_nffree += n;
	}
}

/*
 * Rebuild group c into buf (the group as read, or a fresh header):
 * maps and counts from the inode states and the fragment map.
 */
static void
cg_rebuild(int c, uint8_t *buf)
{
	struct ffs_super *fs = ck.fs;
	struct ffs_cg *cg = CG(buf);
	int64_t base = ffs_cgbase(fs, c), f, ndblk, nblk, b, run;
	int64_t mlo, mhi, clo, chi, csend;
	uint32_t i, ino, ipg = (uint32_t)fs->fs_ipg, lastused = 0;
	uint8_t *imap, *fmap, *cmap;
	int32_t *csum;
	int k, nfree;

	ndblk = fs->fs_size - base < fs->fs_fpg ? fs->fs_size - base :
	    fs->fs_fpg;
	nblk = ndblk >> fs->fs_fragshift;
	cg->cg_magic = FFS_CG_MAGIC;
	cg->cg_cgx = c;
	cg->cg_ndblk = (int32_t)ndblk;
	if (ck.ufs2)
		cg->cg_niblk = fs->fs_ipg;
	else
		cg->cg_old_niblk = (int16_t)fs->fs_ipg;
	if (fs->fs_contigsumsize > 0)
		cg->cg_nclusterblks = (int32_t)nblk;
	if (cg->cg_rotor < 0 || cg->cg_rotor >= ndblk)
		cg->cg_rotor = 0;
	if (cg->cg_frotor < 0 || cg->cg_frotor >= ndblk)
		cg->cg_frotor = 0;
	if (cg->cg_irotor < 0 || cg->cg_irotor >= fs->fs_ipg)
		cg->cg_irotor = 0;
	memset(&cg->cg_cs, 0, sizeof(cg->cg_cs));
	memset(cg->cg_frsum, 0, sizeof(cg->cg_frsum));

	/* Inodes: 0 and 1 are never free. */
	imap = buf + cg->cg_iusedoff;
	memset(imap, 0, (ipg + 7) / 8);
	for (i = 0; i < ipg; i++) {
		ino = (uint32_t)c * ipg + i;
		if (ino >= FFS_ROOTINO && ck.ino[ino].is_state == IS_FREE)
			continue;
		bit_set(imap, i);
		lastused = i + 1;
		if (ck.ino[ino].is_state == IS_DIR)
			cg->cg_cs.cs_ndir++;
	}
	cg->cg_cs.cs_nifree = fs->fs_ipg;
	for (i = 0; i < ipg; i++)
		cg->cg_cs.cs_nifree -= bit_isset(imap, i);
	if (ck.ufs2) {
		i = ck.cgs[c].cg_ok && cg->cg_initediblk > 0 ?
		    (uint32_t)cg->cg_initediblk : 0;
		lastused = (lastused + (uint32_t)fs->fs_inopb - 1) /
		    (uint32_t)fs->fs_inopb * (uint32_t)fs->fs_inopb;
		if (i < lastused)
			i = lastused;
		cg->cg_initediblk = (int32_t)(i > ipg ? ipg : i);
	}

	/* Fragments: free unless held or metadata. */
	mlo = c == 0 ? 0 : ffs_cgsblock(fs, c) - base;
	mhi = ffs_cgdmin(fs, c) - base;
	csend = fs->fs_csaddr + ck.csfrags;
	clo = fs->fs_csaddr - base;
	chi = csend - base;
	fmap = buf + cg->cg_freeoff;
	memset(fmap, 0, (size_t)(fs->fs_fpg + 7) / 8);
	for (f = 0; f < ndblk; f++)
		if (!bit_isset(ck.blkmap, (uint64_t)(base + f)) &&
		    (f < mlo || f >= mhi) && (f < clo || f >= chi))
			bit_set(fmap, (uint64_t)f);
	cmap = fs->fs_contigsumsize > 0 ? buf + cg->cg_clusteroff : NULL;
	if (cmap != NULL)
		memset(cmap, 0, (size_t)(fs->fs_fpg / fs->fs_frag + 7) / 8);
	for (b = 0; b < nblk; b++) {
		nfree = 0;
		for (k = 0; k < fs->fs_frag; k++)
			nfree += bit_isset(fmap,
			    (uint64_t)(b * fs->fs_frag + k));
		if (nfree == fs->fs_frag) {
			cg->cg_cs.cs_nbfree++;
			if (cmap != NULL)
				bit_set(cmap, (uint64_t)b);
			continue;
		}
		for (k = 0, run = 0; k < fs->fs_frag; k++) {
			if (bit_isset(fmap, (uint64_t)(b * fs->fs_frag + k)))
				run++;
			else {
				frag_run(cg, (int)run);
				run = 0;
			}
		}
		frag_run(cg, (int)run);
	}
	/* A last, partial block. */
	for (f = nblk * fs->fs_frag, run = 0; f < ndblk; f++) {
		if (bit_isset(fmap, (uint64_t)f))
			run++;
		else {
			frag_run(cg, (int)run);
			run = 0;
		}
	}
	frag_run(cg, (int)run);

	/* Runs of free blocks by length; the last counts all longer. */
	if (cmap != NULL) {
		csum = (int32_t *)(void *)(buf + cg->cg_clustersumoff);
		for (k = 1; k <= fs->fs_contigsumsize; k++)
			csum[k] = 0;
		for (b = 0, run = 0; b <= nblk; b++) {
			if (b < nblk && bit_isset(cmap, (uint64_t)b)) {
				run++;
				continue;
			}
			if (run > 0)
				csum[run < fs->fs_contigsumsize ? run :
				    fs->fs_contigsumsize]++;
			run = 0;
		}
	}
}

/* How many of the first n bits differ, each way. */
static void
bits_diff(const uint8_t *want, const uint8_t *have, int64_t n,
    int64_t *missing, int64_t *extra)
{
	int64_t i;

	*missing = *extra = 0;
	for (i = 0; i < n; i++) {
		if (bit_isset(want, (uint64_t)i) &&
		    !bit_isset(have, (uint64_t)i))
			(*missing)++;
		else if (!bit_isset(want, (uint64_t)i) &&
		    bit_isset(have, (uint64_t)i))
			(*extra)++;
	}
}

static void
copy_region(uint8_t *to, const uint8_t *from, int32_t off, int64_t len)
{

	memcpy(to + off, from + off, (size_t)len);
}

/*
 * Compare the rebuilt group (want) with the one read (have), part by
 * part; each part found wrong and allowed is copied into have.
 * Returns 1 if have is to be written.
 */
static int
cg_compare(int c, const uint8_t *want, uint8_t *have)
{
	struct ffs_super *fs = ck.fs;
	const struct ffs_cg *w = CG(want);
	struct ffs_cg *h = CG(have);
	int64_t ndblk = w->cg_ndblk, nblk = ndblk >> fs->fs_fragshift;
	int64_t miss, extra, len;
	int write = 0, k;

	if (h->cg_ndblk != w->cg_ndblk || h->cg_rotor != w->cg_rotor ||
	    h->cg_frotor != w->cg_frotor || h->cg_irotor != w->cg_irotor ||
	    (ck.ufs2 ? h->cg_niblk != w->cg_niblk ||
	    h->cg_initediblk != w->cg_initediblk :
	    h->cg_old_niblk != w->cg_old_niblk) ||
	    h->cg_nclusterblks != w->cg_nclusterblks) {
		if (problem(ROUTINE, "cylinder group %d: header counts wrong "
		    "(fragments %d, should be %d): correct them", c,
		    h->cg_ndblk, w->cg_ndblk)) {
			h->cg_ndblk = w->cg_ndblk;
			h->cg_rotor = w->cg_rotor;
			h->cg_frotor = w->cg_frotor;
			h->cg_irotor = w->cg_irotor;
			h->cg_niblk = w->cg_niblk;
			h->cg_old_niblk = w->cg_old_niblk;
			h->cg_initediblk = w->cg_initediblk;
			h->cg_nclusterblks = w->cg_nclusterblks;
			write = 1;
		}
	}
	bits_diff(want + w->cg_iusedoff, have + h->cg_iusedoff, fs->fs_ipg,
	    &miss, &extra);
	if ((miss > 0 || extra > 0) && problem(ROUTINE, "cylinder group %d: "
	    "inode map wrong (%jd in use marked free, %jd free marked in "
	    "use): correct it", c, (intmax_t)miss, (intmax_t)extra)) {
		copy_region(have, want, w->cg_iusedoff, (fs->fs_ipg + 7) / 8);
		write = 1;
	}
	bits_diff(want + w->cg_freeoff, have + h->cg_freeoff, ndblk, &extra,
	    &miss);
	if ((miss > 0 || extra > 0) && problem(ROUTINE, "cylinder group %d: "
	    "fragment map wrong (%jd in use marked free, %jd free marked in "
	    "use): correct it", c, (intmax_t)miss, (intmax_t)extra)) {
		copy_region(have, want, w->cg_freeoff, (fs->fs_fpg + 7) / 8);
		write = 1;
	}
	if (fs->fs_contigsumsize > 0) {
		bits_diff(want + w->cg_clusteroff, have + h->cg_clusteroff,
		    nblk, &miss, &extra);
		len = 4 * (int64_t)fs->fs_contigsumsize;
		if ((miss > 0 || extra > 0 ||
		    memcmp(want + w->cg_clustersumoff + 4,
		    have + h->cg_clustersumoff + 4, (size_t)len) != 0) &&
		    problem(ROUTINE, "cylinder group %d: free cluster map or "
		    "summary wrong: correct them", c)) {
			copy_region(have, want, w->cg_clusteroff,
			    (fs->fs_fpg / fs->fs_frag + 7) / 8);
			copy_region(have, want, w->cg_clustersumoff + 4, len);
			write = 1;
		}
	}
	for (k = 0; k < FFS_MAXFRAG; k++)
		if (h->cg_frsum[k] != w->cg_frsum[k])
			break;
	if (k < FFS_MAXFRAG && problem(ROUTINE, "cylinder group %d: counts "
	    "of free fragment runs wrong: correct them", c)) {
		memcpy(h->cg_frsum, w->cg_frsum, sizeof(h->cg_frsum));
		write = 1;
	}
	if (memcmp(&h->cg_cs, &w->cg_cs, sizeof(h->cg_cs)) != 0 &&
	    problem(ROUTINE, "cylinder group %d: counts wrong (directories "
	    "%d, free blocks %d, free inodes %d, free fragments %d; should "
	    "be %d, %d, %d, %d): correct them", c, h->cg_cs.cs_ndir,
	    h->cg_cs.cs_nbfree, h->cg_cs.cs_nifree, h->cg_cs.cs_nffree,
	    w->cg_cs.cs_ndir, w->cg_cs.cs_nbfree, w->cg_cs.cs_nifree,
	    w->cg_cs.cs_nffree)) {
		h->cg_cs = w->cg_cs;
		write = 1;
	}
	return write;
}

/* Check group c; its rebuilt counts go into the totals. */
static void
check_cg(int c)
{
	struct ffs_super *fs = ck.fs;
	uint8_t *have = ck.cgs[c].cg_buf, *want;
	int write = 0;

	want = xcalloc(1, (size_t)fs->fs_cgsize);
	if (ck.cgs[c].cg_ok)
		memcpy(want, have, (size_t)fs->fs_cgsize);
	else if (cg_layout(CG(want)) != 0) {
		problem(PROBLEM, "cylinder group %d: unusable, and its maps do "
		    "not fit its block: leave it", c);
		free(want);
		return;
	}
	cg_rebuild(c, want);
	total.cs_ndir += CG(want)->cg_cs.cs_ndir;
	total.cs_nbfree += CG(want)->cg_cs.cs_nbfree;
	total.cs_nifree += CG(want)->cg_cs.cs_nifree;
	total.cs_nffree += CG(want)->cg_cs.cs_nffree;
	ck.csums[c] = CG(want)->cg_cs;
	if (!ck.cgs[c].cg_ok) {
		if (problem(PROBLEM, "cylinder group %d: bad magic number, "
		    "group number or map offsets: rebuild it", c)) {
			memcpy(have, want, (size_t)fs->fs_cgsize);
			write = 1;
		}
	} else
		write = cg_compare(c, want, have);
	if (write)
		(void)disk_write(have, (size_t)fs->fs_cgsize,
		    FSB_OFF(ffs_cgtod(fs, c)));
	free(want);
}

/* Compare one 32-bit summary with the rebuilt totals. */
static int
csum_differs(const struct ffs_csum *cs)
{

	return cs->cs_ndir != total.cs_ndir ||
	    cs->cs_nbfree != total.cs_nbfree ||
	    cs->cs_nifree != total.cs_nifree ||
	    cs->cs_nffree != total.cs_nffree;
}

void
pass5(void)
{
	struct ffs_super *fs = ck.fs;
	struct ffs_csum *disk;
	struct ffs_csum_total *t = &fs->fs_cstotal;
	int c, bad = 0, keepold;
	int64_t f;

	/* The 32-bit copy of the totals: UFS1 has it, some UFS2 keep it. */
	keepold = !ck.ufs2 || fs->fs_old_cstotal.cs_ndir != 0 ||
	    fs->fs_old_cstotal.cs_nbfree != 0 ||
	    fs->fs_old_cstotal.cs_nifree != 0 ||
	    fs->fs_old_cstotal.cs_nffree != 0;
	disk = xcalloc((size_t)fs->fs_ncg, sizeof(*disk));
	memcpy(disk, ck.csums, (size_t)fs->fs_ncg * sizeof(*disk));
	memset(&total, 0, sizeof(total));
	for (c = 0; c < fs->fs_ncg; c++)
		check_cg(c);
	for (c = 0; c < fs->fs_ncg; c++)
		if (memcmp(&disk[c], &ck.csums[c], sizeof(*disk)) != 0)
			bad++;
	if (bad > 0 && problem(ROUTINE, "summary array: %d group%s counts "
	    "wrong: correct it", bad, bad == 1 ? "'s" : "s'"))
		(void)frags_write(fs->fs_csaddr, (int)ck.csfrags, ck.csums);
	free(disk);

	if ((t->cs_ndir != total.cs_ndir || t->cs_nbfree != total.cs_nbfree ||
	    t->cs_nifree != total.cs_nifree ||
	    t->cs_nffree != total.cs_nffree ||
	    (keepold && csum_differs(&fs->fs_old_cstotal))) &&
	    problem(ROUTINE, "superblock: totals wrong (directories %jd, free "
	    "blocks %jd, free inodes %jd, free fragments %jd; should be %jd, "
	    "%jd, %jd, %jd): correct them", (intmax_t)t->cs_ndir,
	    (intmax_t)t->cs_nbfree, (intmax_t)t->cs_nifree,
	    (intmax_t)t->cs_nffree, (intmax_t)total.cs_ndir,
	    (intmax_t)total.cs_nbfree, (intmax_t)total.cs_nifree,
	    (intmax_t)total.cs_nffree)) {
		t->cs_ndir = total.cs_ndir;
		t->cs_nbfree = total.cs_nbfree;
		t->cs_nifree = total.cs_nifree;
		t->cs_nffree = total.cs_nffree;
		if (keepold) {
			fs->fs_old_cstotal.cs_ndir = (int32_t)total.cs_ndir;
			fs->fs_old_cstotal.cs_nbfree = (int32_t)total.cs_nbfree;
			fs->fs_old_cstotal.cs_nifree = (int32_t)total.cs_nifree;
			fs->fs_old_cstotal.cs_nffree = (int32_t)total.cs_nffree;
		}
		ck.sbdirty = 1;
	}
	if ((fs->fs_pendingblocks != 0 || fs->fs_pendinginodes != 0) &&
	    problem(ROUTINE, "superblock: pending frees recorded: clear "
	    "them")) {
		fs->fs_pendingblocks = 0;
		fs->fs_pendinginodes = 0;
		ck.sbdirty = 1;
	}

	ck.nfiles = (int64_t)ck.maxino - total.cs_nifree - FFS_ROOTINO;
	ck.nbfree = total.cs_nbfree;
	ck.nffree = total.cs_nffree;
	for (f = 0, ck.nused = 0; f < fs->fs_size; f++)
		ck.nused += bit_isset(ck.blkmap, (uint64_t)f);
}
