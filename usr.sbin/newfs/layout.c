/*
 * The geometry of a new file system (newfs, host program): every
 * superblock field except the free counts, which build.c adds up.
 *
 * The rules:
 *  - a cylinder group is as big as its cylinder group block allows: the
 *    maps of its inodes, fragments and blocks must fit in one block;
 *  - a group has one inode per `density' bytes, in whole inode blocks;
 *  - a group is laid out as: free space before its superblock copy
 *    (group 0: the boot area and the primary superblock instead), the
 *    superblock copy, the cylinder group block, the inodes, the data;
 *  - a last group too small for that metadata and one block of data is
 *    left out, and its fragments go unused;
 *  - group 0's data starts with the summary array (fs_csaddr), then the
 *    root directory's fragment.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newfs.h"

#define KIB		((int64_t)1024)
#define MIB		(1024 * KIB)
#define GIB		(1024 * MIB)

#define howmany(x, y)	(((x) + (y) - 1) / (y))
#define roundup(x, y)	(howmany(x, y) * (y))

_Static_assert(sizeof(struct ffs_super) == 1376, "superblock size");
_Static_assert(sizeof(struct ffs_cg) == FFS_CG_HDRSIZE, "cg header size");
_Static_assert(sizeof(struct ffs_csum) == FFS_CSUMSIZE, "csum size");

#define WHY(...) do {							\
	snprintf(why, whylen, __VA_ARGS__);				\
	return -1;							\
} while (/* CONSTCOND */ 0)

static bool
powerof2(int64_t x)
{

	return x > 0 && (x & (x - 1)) == 0;
}


/*
 * Fill in what the command line left to us.  Block and fragment size
 * grow with the file system: 4096/512 below 20 MiB, 8192/1024 below
 * 1 GiB, 16384/2048 below 8 GiB, 32768/4096 from there.  Given one of
 * them, the other keeps eight fragments to a block where it can.  One
 * inode per four fragments; 5% reserve.
 */
void
layout_defaults(struct newfs_opts *o, int64_t bytes)
{
	int bsize;

	if (o->no_bsize == 0 && o->no_fsize == 0) {
		if (bytes < 20 * MIB)
			bsize = 4096;
		else if (bytes < 1 * GIB)
			bsize = 8192;
		else if (bytes < 8 * GIB)
			bsize = 16384;
		else
			bsize = 32768;
		o->no_bsize = bsize;
		o->no_fsize = bsize / FFS_MAXFRAG;
	} else if (o->no_bsize == 0) {
		bsize = o->no_fsize * FFS_MAXFRAG;
		if (bsize < FFS_MINBSIZE)
			bsize = FFS_MINBSIZE;
		if (bsize > FFS_MAXBSIZE || bsize <= 0)
			bsize = FFS_MAXBSIZE;
		o->no_bsize = bsize;
	} else if (o->no_fsize == 0) {
		o->no_fsize = o->no_bsize / FFS_MAXFRAG;
		if (o->no_fsize < NEWFS_SECTOR)
			o->no_fsize = NEWFS_SECTOR;
	}
	if (o->no_density == 0)
		o->no_density = 4 * (int64_t)o->no_fsize;
	if (o->no_minfree < 0)
		o->no_minfree = NEWFS_MINFREE;
}

/*
 * The most a cylinder group block of fpg fragments and ipg inodes can
 * take: the header with 12 bytes to spare (what the struct's padding
 * and the cluster summary's alignment may take), UFS1's one-cylinder
 * rotational tables, the inode and fragment maps and, when clustering,
 * the cluster summary and cluster map.  fs_cgsize is this, in whole
 * fragments, for a full group.
 */
int64_t
layout_cgsize(const struct ffs_super *fs, int64_t fpg, int64_t ipg)
{
	int64_t n;

	n = FFS_CG_HDRSIZE + 12;
	if (fs->fs_magic == FFS_UFS1_MAGIC)
		n += sizeof(int32_t) + sizeof(int16_t);
	n += howmany(ipg, 8) + howmany(fpg, 8);
	if (fs->fs_contigsumsize > 0)
		n += fs->fs_contigsumsize * sizeof(int32_t) +
		    howmany(fpg / fs->fs_frag, 8);
	return n;
}

/*
 * Inodes for a group of fpg fragments: one per density bytes, in whole
 * inode blocks; UFS1 counts a group's inodes in 16 bits.
 */
static int64_t
inodes_for(const struct ffs_super *fs, int64_t fpg, int64_t density)
{
	int64_t ipg, max;

	ipg = roundup(howmany(fpg * fs->fs_fsize, density), fs->fs_inopb);
	if (fs->fs_magic == FFS_UFS1_MAGIC) {
		max = INT16_MAX / fs->fs_inopb * fs->fs_inopb;
		if (ipg > max)
			ipg = max;
	}
	return ipg;
}

/* The fields that follow from the block and fragment size alone. */
static void
layout_units(const struct newfs_opts *o, struct ffs_super *fs)
{
	bool ufs2 = o->no_version == 2;
	int ptrsize = ufs2 ? sizeof(int64_t) : sizeof(int32_t);
	uint64_t blocks, n;
	int i;

	fs->fs_magic = ufs2 ? FFS_UFS2_MAGIC : FFS_UFS1_MAGIC;
	fs->fs_sblockloc = ufs2 ? FFS_SBLOCK_UFS2 : FFS_SBLOCK_UFS1;
	fs->fs_bsize = o->no_bsize;
	fs->fs_fsize = o->no_fsize;
	fs->fs_frag = o->no_bsize / o->no_fsize;
	fs->fs_bmask = ~(o->no_bsize - 1);
	fs->fs_fmask = ~(o->no_fsize - 1);
	fs->fs_qbmask = o->no_bsize - 1;
	fs->fs_qfmask = o->no_fsize - 1;
	fs->fs_bshift = ffs_ilog2(o->no_bsize);
	fs->fs_fshift = ffs_ilog2(o->no_fsize);
	fs->fs_fragshift = ffs_ilog2(fs->fs_frag);
	fs->fs_fsbtodb = ffs_ilog2(o->no_fsize / NEWFS_SECTOR);
	/* A fragment's worth, but never more than the space kept for it. */
	fs->fs_sbsize = (int32_t)ffs_fragroundup(fs, sizeof(struct ffs_super));
	if (fs->fs_sbsize > FFS_SBLOCKSIZE)
		fs->fs_sbsize = FFS_SBLOCKSIZE;
	fs->fs_nindir = o->no_bsize / ptrsize;
	fs->fs_inopb = o->no_bsize / (ufs2 ? sizeof(struct ffs_dinode2) :
	    sizeof(struct ffs_dinode1));
	fs->fs_maxbsize = o->no_bsize;
	fs->fs_maxcontig = NEWFS_MAXPHYS / o->no_bsize;
	if (fs->fs_maxcontig < 1)
		fs->fs_maxcontig = 1;
	/* One-block clusters are no clusters: no cluster maps then. */
	fs->fs_contigsumsize = fs->fs_maxcontig > 1 ?
	    (fs->fs_maxcontig < NEWFS_MAXCONTIG ? fs->fs_maxcontig :
	    NEWFS_MAXCONTIG) : 0;
	/* A file moves to another group after an indirect block's worth. */
	fs->fs_maxbpg = o->no_bsize / sizeof(int32_t);
	fs->fs_maxsymlinklen = (FFS_NDADDR + FFS_NIADDR) * ptrsize;
	fs->fs_old_inodefmt = FFS_44INODEFMT;
	fs->fs_avgfilesize = NEWFS_AVGFILESIZE;
	fs->fs_avgfpdir = NEWFS_AVGFPDIR;
	fs->fs_minfree = o->no_minfree;
	fs->fs_optim = o->no_minfree < NEWFS_MINFREE ? NEWFS_OPTSPACE :
	    NEWFS_OPTTIME;

	/* The direct blocks and three levels of indirect ones. */
	blocks = FFS_NDADDR;
	for (n = 1, i = 0; i < FFS_NIADDR; i++) {
		n *= (uint64_t)fs->fs_nindir;
		blocks += n;
	}
	fs->fs_maxfilesize = blocks * (uint64_t)o->no_bsize - 1;

	/*
	 * The superblock area ends in a whole block; the cylinder group
	 * block follows a superblock area's worth of whole blocks later,
	 * the inodes one block after that.
	 */
	fs->fs_sblkno = (int32_t)roundup(howmany(fs->fs_sblockloc +
	    FFS_SBLOCKSIZE, o->no_fsize), fs->fs_frag);
	fs->fs_cblkno = fs->fs_sblkno +
	    (int32_t)roundup(howmany(FFS_SBLOCKSIZE, o->no_fsize), fs->fs_frag);
	fs->fs_iblkno = fs->fs_cblkno + fs->fs_frag;
}

/* UFS1's copies of the 64-bit fields and its disk geometry, one
 * cylinder to a group.  UFS2 leaves these zero. */
static void
layout_old(struct ffs_super *fs, int64_t now)
{
	int nspf = fs->fs_fsize / NEWFS_SECTOR;

	fs->fs_old_time = (int32_t)now;
	fs->fs_old_size = (int32_t)fs->fs_size;
	fs->fs_old_dsize = (int32_t)fs->fs_dsize;
	fs->fs_old_csaddr = (int32_t)fs->fs_csaddr;
	fs->fs_old_cgoffset = 0;
	fs->fs_old_cgmask = -1;
	fs->fs_old_rps = NEWFS_OLD_RPS;
	fs->fs_old_nspf = nspf;
	fs->fs_old_nsect = fs->fs_fpg * nspf;
	fs->fs_old_npsect = fs->fs_old_nsect;
	fs->fs_old_spc = fs->fs_old_nsect;
	fs->fs_old_interleave = 1;
	fs->fs_old_cpg = 1;
	fs->fs_old_ncyl = fs->fs_ncg;
	fs->fs_old_postblformat = NEWFS_DYNPOSTBL;
	fs->fs_old_nrpos = 1;
}

/*
 * Lay out a file system of bytes (rounded down to whole fragments)
 * with the options o, made at time now, into fs.  *unusedp gets the
 * fragments left out at the end.  Returns 0, or -1 with why filled in.
 */
int
layout_make(const struct newfs_opts *o, int64_t bytes, int64_t now,
    struct ffs_super *fs, int64_t *unusedp, char *why, size_t whylen)
{
	int64_t size, fpg, maxfpg, ipg, dblkno, last, csfrags, cg0frags;
	int frag;

	memset(fs, 0, sizeof(*fs));
	*unusedp = 0;
	if (o->no_version != 1 && o->no_version != 2)
		WHY("-O %d: the version is 1 or 2", o->no_version);
	if (!powerof2(o->no_bsize) || o->no_bsize < FFS_MINBSIZE ||
	    o->no_bsize > FFS_MAXBSIZE)
		WHY("-b %d: the block size is a power of two from %d to %d",
		    o->no_bsize, FFS_MINBSIZE, FFS_MAXBSIZE);
	if (!powerof2(o->no_fsize) || o->no_fsize < NEWFS_SECTOR ||
	    o->no_fsize > o->no_bsize ||
	    o->no_bsize / o->no_fsize > FFS_MAXFRAG)
		WHY("-f %d: the fragment size is the block size (%d) divided "
		    "by 1, 2, 4 or 8, and at least %d", o->no_fsize,
		    o->no_bsize, NEWFS_SECTOR);
	if (o->no_density < NEWFS_SECTOR || o->no_density > GIB)
		WHY("-i %lld: bytes per inode are from %d to %lld",
		    (long long)o->no_density, NEWFS_SECTOR, (long long)GIB);
	if (o->no_minfree < 0 || o->no_minfree > 99)
		WHY("-m %d: the reserve is 0 to 99 percent", o->no_minfree);
	if (o->no_volname != NULL &&
	    strlen(o->no_volname) >= FFS_MAXVOLLEN)
		WHY("-V %s: a volume name has at most %d characters",
		    o->no_volname, FFS_MAXVOLLEN - 1);

	layout_units(o, fs);
	frag = fs->fs_frag;
	size = bytes / o->no_fsize;
	if (o->no_version == 1 && size > INT32_MAX)
		WHY("%lld bytes: too big for UFS1 with %d-byte fragments",
		    (long long)bytes, o->no_fsize);

	/* The biggest group whose cylinder group block fits in a block. */
	maxfpg = 0;
	for (fpg = frag; fpg <= 8 * (int64_t)o->no_bsize; fpg += frag) {
		if (layout_cgsize(fs, fpg, inodes_for(fs, fpg,
		    o->no_density)) > o->no_bsize)
			break;
		maxfpg = fpg;
	}
	ipg = inodes_for(fs, maxfpg, o->no_density);
	if (maxfpg == 0 || fs->fs_iblkno + ipg / fs->fs_inopb * frag + frag >
	    maxfpg)
		WHY("-i %lld: too many inodes for a cylinder group",
		    (long long)o->no_density);

	/* Whole groups, and a last one only if it is worth having. */
	if (size <= maxfpg) {
		fpg = roundup(size, frag);
		fs->fs_ncg = 1;
	} else {
		fpg = maxfpg;
		if (howmany(size, fpg) > INT32_MAX / FFS_CSUMSIZE)
			WHY("%lld bytes: too many cylinder groups, give a "
			    "larger -b", (long long)bytes);
		fs->fs_ncg = (int32_t)howmany(size, fpg);
		last = size - (fs->fs_ncg - 1) * fpg;
		dblkno = fs->fs_iblkno + inodes_for(fs, fpg, o->no_density) /
		    fs->fs_inopb * frag;
		if (last < dblkno + frag) {
			*unusedp = last;
			size -= last;
			fs->fs_ncg--;
		}
	}
	ipg = inodes_for(fs, fpg, o->no_density);
	if ((int64_t)fs->fs_ncg * ipg > UINT32_MAX)
		WHY("%lld inodes, more than %lld: give a larger -i than %lld",
		    (long long)fs->fs_ncg * ipg, (long long)UINT32_MAX,
		    (long long)o->no_density);
	fs->fs_size = size;
	fs->fs_fpg = (int32_t)fpg;
	fs->fs_ipg = (int32_t)ipg;
	fs->fs_dblkno = fs->fs_iblkno + (int32_t)(ipg / fs->fs_inopb) * frag;
	fs->fs_cgsize = (int32_t)ffs_fragroundup(fs, layout_cgsize(fs, fpg,
	    ipg));

	/* Group 0 holds the summaries and the root directory too. */
	fs->fs_cssize = (int32_t)ffs_fragroundup(fs,
	    (int64_t)fs->fs_ncg * FFS_CSUMSIZE);
	fs->fs_csaddr = ffs_cgdmin(fs, 0);
	csfrags = ffs_numfrags(fs, fs->fs_cssize);
	cg0frags = size < fpg ? size : fpg;
	if (fs->fs_dblkno + csfrags + 1 > cg0frags)
		WHY("%lld bytes: too small, a file system with these "
		    "parameters needs %lld", (long long)bytes,
		    (long long)(fs->fs_dblkno + csfrags + 1) * o->no_fsize);
	fs->fs_dsize = size - fs->fs_sblkno -
	    (int64_t)fs->fs_ncg * (fs->fs_dblkno - fs->fs_sblkno) - csfrags;

	fs->fs_time = now;
	fs->fs_id[0] = (int32_t)now;
	fs->fs_id[1] = (int32_t)(arc4random() & INT32_MAX);
	fs->fs_clean = FFS_ISCLEAN;
	fs->fs_old_flags = FFS_OLDFLAG_UPDATED;
	if (o->no_volname != NULL)
		memcpy(fs->fs_volname, o->no_volname, strlen(o->no_volname));
	if (o->no_version == 1)
		layout_old(fs, now);
	return 0;
}
