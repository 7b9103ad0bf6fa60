/*
 * FFS bad input: a small makefs image (UFS1 and UFS2, many cylinder
 * groups) with fields of its superblock, cylinder groups, inodes and
 * directory entries replaced, hundreds of variants from a seeded PRNG,
 * the locations taken from ffs_format.h.  Each variant is mounted
 * read-only: the mount may fail with an errno; if it succeeds, every
 * lookup, readdir, lstat, read and readlink of the tree must fail with
 * an errno or give what the host tree has (ffs_test_walk.c), except
 * what the damage may legitimately change (struct ffs_relax: the
 * damaged inode's field, the damaged entry's directory).  A superblock
 * or cylinder group that is wrong must be refused or not matter.
 *
 * Variants run in forked children, many to a child, each under a
 * timeout: a crash or a hang is that variant's failure, and a new child
 * goes on with the rest.  Variant 0 is the pristine image.
 *
 * To rerun one variant: t_corrupt -v seed=S -v variant=N <test case>.
 */

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_mount.h>
#include <rump/rump_syscalls.h>

#include "ffs_test.h"

#define RL(x)	ATF_REQUIRE_MSG((x) != -1, "%s: %s", #x, strerror(errno))

#define SEED		0x5eedf5u
#define BSIZE		4096
#define FSIZE		512
#define VTIMEOUT	30	/* seconds one variant may take */
#define MAXPATCH	4
#define MAXFAIL		6	/* messages kept per variant */
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

enum area { A_SB, A_CG, A_INODE, A_DIRENT };

/* A damaged image: patches over the pristine one, and what may change. */
struct variant {
	char		what[512];
	int		npatch;
	struct patch {
		size_t		off;
		int		len;
		uint64_t	val;
	}		patch[MAXPATCH];
	struct ffs_relax rx;
};

/* What a variant did, as the child told. */
struct result {
	int		refused;	/* the mount's errno */
	int		nfail;
	char		*msg;
};

/* Every inode of the tree (one path each), and every directory entry. */
struct target {
	char		path[PATH_MAX];
	uint32_t	ino;
	ino_t		hino;
	mode_t		mode;
	off_t		size;
};
struct dent {
	size_t		dir;		/* index of the directory's target */
	char		name[FFS_MAXNAMLEN + 1];
	uint32_t	ino;
	ino_t		chino;		/* host inode; 0: "." and ".." */
	size_t		off;		/* of the entry in the image */
};
struct tree {
	struct ffs_img	img;
	struct target	*t;
	size_t		nt;
	struct dent	*d;
	size_t		nd;
};

struct rng {
	uint64_t	s;
};

static uint64_t
rnd(struct rng *r)
{

	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s * 0x2545f4914f6cdd1dULL;
}

static uint64_t
rndn(struct rng *r, uint64_t n)
{

	return n == 0 ? 0 : rnd(r) % n;
}

/* ---- The catalogue: where makefs put each inode and entry. ---- */

struct rawent {
	char		name[FFS_MAXNAMLEN + 1];
	uint32_t	ino;
	size_t		off;
};
struct rawents {
	struct rawent	*e;
	size_t		n;
};

static int
collect(void *arg, const char *name, uint32_t ino, int type, size_t off)
{
	struct rawents *r = arg;

	if ((r->e = realloc(r->e, (r->n + 1) * sizeof(*r->e))) == NULL)
		abort();
	snprintf(r->e[r->n].name, sizeof(r->e[r->n].name), "%s", name);
	r->e[r->n].ino = ino;
	r->e[r->n].off = off;
	r->n++;
	return 0;
}

static void
catalogue(struct tree *tr, const char *host, size_t di)
{
	char hpath[PATH_MAX * 2], path[PATH_MAX];
	struct rawents r = { NULL, 0 };
	struct target *t;
	struct dent *d;
	struct stat sb;
	size_t i, j;

	ATF_REQUIRE_MSG(ffs_img_readdir(&tr->img, tr->t[di].ino, collect,
	    &r) == 0, "/%s: this test's reader cannot read the directory",
	    tr->t[di].path);
	for (i = 0; i < r.n; i++) {
		ATF_REQUIRE((tr->d = realloc(tr->d, (tr->nd + 1) *
		    sizeof(*tr->d))) != NULL);
		d = &tr->d[tr->nd++];
		memset(d, 0, sizeof(*d));
		d->dir = di;
		memcpy(d->name, r.e[i].name, sizeof(d->name));
		d->ino = r.e[i].ino;
		d->off = r.e[i].off;
		if (strcmp(d->name, ".") == 0 || strcmp(d->name, "..") == 0)
			continue;
		snprintf(hpath, sizeof(hpath), "%s%s%s/%s", host,
		    *tr->t[di].path ? "/" : "", tr->t[di].path, d->name);
		ATF_REQUIRE_MSG(lstat(hpath, &sb) == 0, "%s: %s", hpath,
		    strerror(errno));
		d->chino = sb.st_ino;
		for (j = 0; j < tr->nt && tr->t[j].ino != d->ino; j++)
			continue;
		if (j < tr->nt)
			continue;	/* another name of one we have */
		ATF_REQUIRE((size_t)snprintf(path, sizeof(path), "%s%s%s",
		    tr->t[di].path, *tr->t[di].path ? "/" : "", d->name) <
		    sizeof(path));
		ATF_REQUIRE((tr->t = realloc(tr->t, (tr->nt + 1) *
		    sizeof(*tr->t))) != NULL);
		t = &tr->t[tr->nt++];
		memcpy(t->path, path, sizeof(path));
		t->ino = d->ino;
		t->hino = sb.st_ino;
		t->mode = sb.st_mode;
		t->size = sb.st_size;
		if (S_ISDIR(sb.st_mode))
			catalogue(tr, host, tr->nt - 1);
	}
	free(r.e);
}

/* The tree, its image, and the catalogue of both. */
static void
setup(struct tree *tr, int version)
{
	struct ffs_treeopt o = { .bsize = BSIZE, .fsize = FSIZE, .big = false };
	struct stat sb;
	char err[256];

	memset(tr, 0, sizeof(*tr));
	ffs_mktree("tree", &o);
	/* Small cylinder groups: many of them, inodes in each. */
	ffs_makefs("pristine.img", "tree", version, BSIZE, FSIZE,
	    "-s 2m -o maxbpcg=128");
	ATF_REQUIRE_MSG(ffs_img_load(&tr->img, "pristine.img", err,
	    sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE(tr->img.ufs2 == (version == 2));
	ATF_REQUIRE_MSG(tr->img.sb.fs_ncg >= 4, "makefs made %d cylinder "
	    "groups", tr->img.sb.fs_ncg);
	RL(lstat("tree", &sb));
	ATF_REQUIRE((tr->t = calloc(1, sizeof(*tr->t))) != NULL);
	tr->t[0].ino = FFS_ROOTINO;
	tr->t[0].hino = sb.st_ino;
	tr->t[0].mode = sb.st_mode;
	tr->nt = 1;
	catalogue(tr, "tree", 0);
	printf("UFS%d: %d cylinder groups of %d inodes, %zu inodes and %zu "
	    "entries in the tree\n", version, tr->img.sb.fs_ncg,
	    tr->img.sb.fs_ipg, tr->nt, tr->nd);
}

/* ---- Damage. ---- */

static uint64_t
getle(const struct ffs_img *img, size_t off, int len)
{
	uint64_t v = 0;
	int i;

	for (i = len - 1; i >= 0; i--)
		v = v << 8 | img->buf[off + (size_t)i];
	return v;
}

/*
 * A new value for the len-byte field holding old: a bit flipped, one
 * more or less, 0, all ones, doubled, halved, random, the largest
 * positive, a small step, or one of cand[] (values that make sense
 * elsewhere).  Never old itself.  *how: which.
 */
static uint64_t
mutate(struct rng *r, uint64_t old, int len, const int64_t *cand,
    size_t ncand, const char **how)
{
	const uint64_t mask = len == 8 ? UINT64_MAX :
	    ((uint64_t)1 << (len * 8)) - 1;
	uint64_t v;

	switch (rndn(r, ncand > 0 ? 13 : 10)) {
	case 0:
		v = old ^ (uint64_t)1 << rndn(r, (uint64_t)len * 8);
		*how = "a bit flipped";
		break;
	case 1:
		v = old + 1;
		*how = "+1";
		break;
	case 2:
		v = old - 1;
		*how = "-1";
		break;
	case 3:
		v = 0;
		*how = "zero";
		break;
	case 4:
		v = mask;
		*how = "all ones";
		break;
	case 5:
		v = old * 2;
		*how = "doubled";
		break;
	case 6:
		v = (old & mask) / 2;
		*how = "halved";
		break;
	case 7:
		v = rnd(r);
		*how = "random";
		break;
	case 8:
		v = mask >> 1;
		*how = "largest positive";
		break;
	case 9:
		v = rndn(r, 2) ? old + 1 + rndn(r, 64) : old - 1 - rndn(r, 64);
		*how = "a small step";
		break;
	default:
		v = (uint64_t)cand[rndn(r, ncand)];
		*how = "a value from elsewhere";
		break;
	}
	v &= mask;
	if (v == (old & mask))
		v ^= 1;
	return v;
}

static void
patch(struct variant *v, const struct ffs_img *img, size_t off, int len,
    uint64_t val, const char *fmt, ...) __attribute__((__format__(
    __printf__, 6, 7)));

/* Replace len bytes at off with val, and say so in v->what. */
static void
patch(struct variant *v, const struct ffs_img *img, size_t off, int len,
    uint64_t val, const char *fmt, ...)
{
	size_t n = strlen(v->what);
	va_list ap;

	ATF_REQUIRE(v->npatch < MAXPATCH && off + (size_t)len <= img->len);
	v->patch[v->npatch].off = off;
	v->patch[v->npatch].len = len;
	v->patch[v->npatch].val = val;
	v->npatch++;
	if (n > 0 && n < sizeof(v->what) - 2) {
		strcpy(v->what + n, "; ");
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(v->what + n, sizeof(v->what) - n, fmt, ap);
	va_end(ap);
	n = strlen(v->what);
	snprintf(v->what + n, sizeof(v->what) - n, " at byte %zu: %#llx -> "
	    "%#llx", off, (unsigned long long)getle(img, off, len),
	    (unsigned long long)val);
}

/* Superblock fields, by their names in ffs_format.h. */
#define SBF(f)	{ #f, offsetof(struct ffs_super, f),			\
		    (int)sizeof(((struct ffs_super *)NULL)->f) }
static const struct field {
	const char	*name;
	size_t		off;
	int		len;
} sbfields[] = {
	SBF(fs_sblkno), SBF(fs_cblkno), SBF(fs_iblkno), SBF(fs_dblkno),
	SBF(fs_old_cgoffset), SBF(fs_old_cgmask), SBF(fs_old_size),
	SBF(fs_old_dsize), SBF(fs_ncg), SBF(fs_bsize), SBF(fs_fsize),
	SBF(fs_frag), SBF(fs_minfree), SBF(fs_bmask), SBF(fs_fmask),
	SBF(fs_bshift), SBF(fs_fshift), SBF(fs_maxcontig), SBF(fs_maxbpg),
	SBF(fs_fragshift), SBF(fs_fsbtodb), SBF(fs_sbsize), SBF(fs_nindir),
	SBF(fs_inopb), SBF(fs_old_nspf), SBF(fs_old_csaddr), SBF(fs_cssize),
	SBF(fs_cgsize), SBF(fs_old_cpg), SBF(fs_ipg), SBF(fs_fpg),
	SBF(fs_old_cstotal.cs_ndir), SBF(fs_old_cstotal.cs_nbfree),
	SBF(fs_old_cstotal.cs_nifree), SBF(fs_old_cstotal.cs_nffree),
	SBF(fs_clean), SBF(fs_ronly), SBF(fs_old_flags), SBF(fs_old_cpc),
	SBF(fs_maxbsize), SBF(fs_sblockloc), SBF(fs_cstotal.cs_ndir),
	SBF(fs_cstotal.cs_nbfree), SBF(fs_cstotal.cs_nifree),
	SBF(fs_cstotal.cs_nffree), SBF(fs_time), SBF(fs_size),
	SBF(fs_dsize), SBF(fs_csaddr), SBF(fs_pendingblocks),
	SBF(fs_pendinginodes), SBF(fs_flags), SBF(fs_contigsumsize),
	SBF(fs_maxsymlinklen), SBF(fs_old_inodefmt), SBF(fs_maxfilesize),
	SBF(fs_qbmask), SBF(fs_qfmask), SBF(fs_state),
	SBF(fs_old_postblformat), SBF(fs_old_nrpos),
	/* Last: chosen only now and then. */
	SBF(fs_magic),
};

/* Geometry values of the superblock: plausible, and wrong elsewhere. */
static size_t
sbcand(const struct ffs_img *img, int64_t *c)
{
	const struct ffs_super *fs = &img->sb;
	size_t n = 0;

	c[n++] = fs->fs_sblkno;
	c[n++] = fs->fs_cblkno;
	c[n++] = fs->fs_iblkno;
	c[n++] = fs->fs_dblkno;
	c[n++] = fs->fs_ncg;
	c[n++] = fs->fs_bsize;
	c[n++] = fs->fs_fsize;
	c[n++] = fs->fs_frag;
	c[n++] = fs->fs_ipg;
	c[n++] = fs->fs_fpg;
	c[n++] = fs->fs_size;
	c[n++] = fs->fs_csaddr;
	c[n++] = fs->fs_inopb;
	c[n++] = fs->fs_nindir;
	c[n++] = fs->fs_maxsymlinklen;
	c[n++] = FFS_MAXBSIZE;
	c[n++] = FFS_SBLOCKSIZE;
	return n;
}

static void
damage_sb(const struct tree *tr, struct rng *r, int seq, struct variant *v)
{
	const struct ffs_img *img = &tr->img;
	const struct field *f;
	const char *how;
	int64_t cand[32];
	size_t ncand = sbcand(img, cand), off;
	uint64_t val;
	int i, n;

	/* Each field twice; then now and then raw bytes, or two fields. */
	if (seq < 2 * (int)NELEM(sbfields)) {
		f = &sbfields[seq % NELEM(sbfields)];
		off = FFS_SBLOCK_UFS1 + f->off;
		val = mutate(r, getle(img, off, f->len), f->len, cand,
		    ncand, &how);
		patch(v, img, off, f->len, val, "superblock %s (%s)",
		    f->name, how);
		return;
	}
	if (rndn(r, 16) == 0) {
		n = 1 + (int)rndn(r, 3);
		for (i = 0; i < n; i++) {
			off = FFS_SBLOCK_UFS1 + rndn(r, sizeof(struct
			    ffs_super));
			patch(v, img, off, 1, rnd(r) & 0xff,
			    "superblock byte");
		}
		return;
	}
	n = rndn(r, 8) == 0 ? 2 : 1;
	for (i = 0; i < n; i++) {
		f = &sbfields[rndn(r, rndn(r, 30) == 0 ? NELEM(sbfields) :
		    NELEM(sbfields) - 1)];
		off = FFS_SBLOCK_UFS1 + f->off;
		val = mutate(r, getle(img, off, f->len), f->len, cand,
		    ncand, &how);
		patch(v, img, off, f->len, val, "superblock %s (%s)",
		    f->name, how);
	}
}

#define CGF(f)	{ #f, offsetof(struct ffs_cg, f),			\
		    (int)sizeof(((struct ffs_cg *)NULL)->f) }
static const struct field cgfields[] = {
	CGF(cg_magic), CGF(cg_old_time), CGF(cg_cgx), CGF(cg_old_ncyl),
	CGF(cg_old_niblk), CGF(cg_ndblk), CGF(cg_cs.cs_ndir),
	CGF(cg_cs.cs_nbfree), CGF(cg_cs.cs_nifree), CGF(cg_cs.cs_nffree),
	CGF(cg_rotor), CGF(cg_frotor), CGF(cg_irotor), CGF(cg_frsum[0]),
	CGF(cg_frsum[3]), CGF(cg_old_btotoff), CGF(cg_old_boff),
	CGF(cg_iusedoff), CGF(cg_freeoff), CGF(cg_nextfreeoff),
	CGF(cg_clustersumoff), CGF(cg_clusteroff), CGF(cg_nclusterblks),
	CGF(cg_niblk), CGF(cg_initediblk), CGF(cg_time),
};

/*
 * A cylinder group's header or maps, its summary in the csum array, or
 * its backup superblock: nothing a read-only walk needs, so the walk
 * must give the pristine answers (or the mount must be refused).
 */
static void
damage_cg(const struct tree *tr, struct rng *r, int seq, struct variant *v)
{
	const struct ffs_img *img = &tr->img;
	const struct ffs_super *fs = &img->sb;
	const int c = (int)rndn(r, (uint64_t)fs->fs_ncg);
	const size_t base = (size_t)ffs_cgtod(fs, c) * (size_t)fs->fs_fsize;
	const struct field *f;
	const char *how;
	int64_t cand[32];
	size_t ncand = sbcand(img, cand), off;
	uint64_t val;
	int k;

	/* Each kind of damage once, each header field once, then at random. */
	if (seq < 3)
		k = seq == 0 ? 0 : seq + 1;
	else if (seq < 3 + (int)NELEM(cgfields))
		k = 4;
	else
		k = (int)rndn(r, 10);
	switch (k) {
	case 0:
	case 1:
		/* A byte of the maps. */
		off = base + FFS_CG_HDRSIZE + rndn(r, (uint64_t)fs->fs_cgsize -
		    FFS_CG_HDRSIZE);
		patch(v, img, off, 1, getle(img, off, 1) ^ (1 + rndn(r, 255)),
		    "cylinder group %d map byte", c);
		break;
	case 2:
		k = (int)rndn(r, 4);
		off = (size_t)fs->fs_csaddr * (size_t)fs->fs_fsize +
		    (size_t)c * FFS_CSUMSIZE + (size_t)k * 4;
		val = mutate(r, getle(img, off, 4), 4, cand, ncand,
		    &how);
		patch(v, img, off, 4, val, "csum of group %d, word %d (%s)",
		    c, k, how);
		break;
	case 3:
		f = &sbfields[rndn(r, NELEM(sbfields))];
		off = (size_t)ffs_cgsblock(fs, c) * (size_t)fs->fs_fsize +
		    f->off;
		val = mutate(r, getle(img, off, f->len), f->len, cand,
		    ncand, &how);
		patch(v, img, off, f->len, val, "backup superblock of group "
		    "%d: %s (%s)", c, f->name, how);
		break;
	default:
		f = &cgfields[seq >= 3 && seq < 3 + (int)NELEM(cgfields) ?
		    seq - 3 : (int)rndn(r, NELEM(cgfields))];
		off = base + f->off;
		val = mutate(r, getle(img, off, f->len), f->len, cand,
		    ncand, &how);
		patch(v, img, off, f->len, val, "cylinder group %d %s (%s)",
		    c, f->name, how);
		break;
	}
}

/* Inode fields, and what a change to each may change in the answers. */
enum kind { K_NONE, K_MODE, K_NLINK, K_SIZE, K_BLOCKS, K_ATIME, K_MTIME,
	K_CTIME, K_UID, K_GID, K_DB, K_IB };
struct ifield {
	const char	*name;
	size_t		off;
	int		len, n;		/* bytes of one, how many */
	enum kind	kind;
	int		weight;
};
#define I1(f, n, k, w)	{ #f, offsetof(struct ffs_dinode1, f),		\
	(int)sizeof(((struct ffs_dinode1 *)NULL)->f) / (n), n, k, w }
#define I2(f, n, k, w)	{ #f, offsetof(struct ffs_dinode2, f),		\
	(int)sizeof(((struct ffs_dinode2 *)NULL)->f) / (n), n, k, w }
static const struct ifield ifields1[] = {
	I1(di_mode, 1, K_MODE, 6), I1(di_nlink, 1, K_NLINK, 3),
	I1(di_oldids, 1, K_NONE, 1), I1(di_size, 1, K_SIZE, 8),
	I1(di_atime, 1, K_ATIME, 1), I1(di_atimensec, 1, K_ATIME, 1),
	I1(di_mtime, 1, K_MTIME, 1), I1(di_mtimensec, 1, K_MTIME, 2),
	I1(di_ctime, 1, K_CTIME, 1), I1(di_ctimensec, 1, K_CTIME, 1),
	I1(di_db, FFS_NDADDR, K_DB, 12), I1(di_ib, FFS_NIADDR, K_IB, 6),
	I1(di_flags, 1, K_NONE, 2), I1(di_blocks, 1, K_BLOCKS, 3),
	I1(di_gen, 1, K_NONE, 1), I1(di_uid, 1, K_UID, 1),
	I1(di_gid, 1, K_GID, 1),
};
static const struct ifield ifields2[] = {
	I2(di_mode, 1, K_MODE, 6), I2(di_nlink, 1, K_NLINK, 3),
	I2(di_uid, 1, K_UID, 1), I2(di_gid, 1, K_GID, 1),
	I2(di_blksize, 1, K_NONE, 1), I2(di_size, 1, K_SIZE, 8),
	I2(di_blocks, 1, K_BLOCKS, 3), I2(di_atime, 1, K_ATIME, 1),
	I2(di_mtime, 1, K_MTIME, 1), I2(di_ctime, 1, K_CTIME, 1),
	I2(di_birthtime, 1, K_NONE, 1), I2(di_mtimensec, 1, K_MTIME, 2),
	I2(di_atimensec, 1, K_ATIME, 1), I2(di_ctimensec, 1, K_CTIME, 1),
	I2(di_gen, 1, K_NONE, 1), I2(di_kernflags, 1, K_NONE, 1),
	I2(di_flags, 1, K_NONE, 2), I2(di_extsize, 1, K_NONE, 2),
	I2(di_extb, FFS_NXADDR, K_NONE, 2), I2(di_db, FFS_NDADDR, K_DB, 12),
	I2(di_ib, FFS_NIADDR, K_IB, 6),
};

/* Fragment addresses that mean something else: data, metadata, ends. */
static size_t
ptrcand(const struct tree *tr, struct rng *r, uint32_t ino, int64_t *c)
{
	const struct ffs_super *fs = &tr->img.sb;
	size_t n = 0, i;
	int64_t a;

	for (i = 0; i < 4; i++) {
		a = ffs_img_bmap(&tr->img, tr->t[rndn(r, tr->nt)].ino, 0, NULL);
		if (a > 0)
			c[n++] = a;
	}
	c[n++] = ffs_ino_to_fsba(fs, ino);
	c[n++] = FFS_SBLOCK_UFS1 / fs->fs_fsize;
	c[n++] = ffs_cgtod(fs, 0);
	c[n++] = ffs_cgtod(fs, 1);
	c[n++] = fs->fs_csaddr;
	c[n++] = fs->fs_size - 1;
	c[n++] = fs->fs_size;
	c[n++] = fs->fs_size + fs->fs_frag;
	c[n++] = -1;
	c[n++] = 1;
	c[n++] = INT32_MAX;
	return n;
}

/* What damage to field kind k of the inode of t may change. */
static void
relax_inode(const struct tree *tr, const struct target *t, enum kind k,
    int idx, struct ffs_relax *rx)
{
	const int64_t b = BSIZE, n = tr->img.nindir;

	rx->ino = t->hino;
	switch (k) {
	case K_NONE:
		rx->ino = 0;
		return;
	case K_NLINK:
		rx->fields = FFS_RELAX_NLINK;
		return;
	case K_BLOCKS:
		rx->fields = FFS_RELAX_BLOCKS;
		return;
	case K_ATIME:
		rx->fields = FFS_RELAX_ATIME;
		return;
	case K_MTIME:
		rx->fields = FFS_RELAX_MTIME;
		return;
	case K_CTIME:
		rx->fields = FFS_RELAX_CTIME;
		return;
	case K_UID:
		rx->fields = FFS_RELAX_UID;
		return;
	case K_GID:
		rx->fields = FFS_RELAX_GID;
		return;
	default:
		break;
	}
	if (S_ISFIFO(t->mode) && (k == K_DB || k == K_IB)) {
		rx->ino = 0;		/* a FIFO has no blocks */
		return;
	}
	if (!S_ISREG(t->mode) || k == K_MODE) {
		/* Anything goes, here and below. */
		rx->ino = 0;
		rx->full[rx->nfull++] = t->hino;
		return;
	}
	rx->fields = k == K_SIZE ? FFS_RELAX_SIZE : FFS_RELAX_DATA;
	if (k == K_DB) {
		rx->lo = idx * b;
		rx->hi = (idx + 1) * b;
	} else if (k == K_IB) {
		rx->lo = (FFS_NDADDR + (idx > 0 ? n : 0) +
		    (idx > 1 ? n * n : 0)) * b;
		rx->hi = idx == 2 ? INT64_MAX : (FFS_NDADDR + n +
		    (idx > 0 ? n * n : 0)) * b;
	}
}

/*
 * An inode to damage: now and then the root; mostly not one of the
 * many names of /many, which would crowd out the rest.
 */
static const struct target *
pick(const struct tree *tr, struct rng *r)
{
	const struct target *t;

	if (rndn(r, 20) == 0)
		return &tr->t[0];
	do
		t = &tr->t[1 + rndn(r, tr->nt - 1)];
	while (strncmp(t->path, "many/", 5) == 0 && rndn(r, 4) != 0);
	return t;
}

static void
damage_inode(const struct tree *tr, struct rng *r, int seq,
    struct variant *v)
{
	const struct ffs_img *img = &tr->img;
	const struct ifield *tab = img->ufs2 ? ifields2 : ifields1, *f;
	const size_t ntab = img->ufs2 ? NELEM(ifields2) : NELEM(ifields1);
	const int psize = img->ufs2 ? 8 : 4;
	const struct target *t;
	const char *how;
	char fname[32];
	int64_t cand[32], ib, nblk;
	size_t ncand, off, i;
	uint64_t val;
	uint32_t ino;
	int w, idx, k;

	/* Each field twice (below); then now and then an unused inode. */
	if (seq >= 2 * (int)ntab && rndn(r, 20) == 0) {
		do {
			ino = FFS_ROOTINO + 1 + (uint32_t)rndn(r,
			    (uint64_t)img->sb.fs_ncg * img->sb.fs_ipg -
			    FFS_ROOTINO - 1);
			for (i = 0; i < tr->nt && tr->t[i].ino != ino; i++)
				continue;
		} while (i < tr->nt);
		off = ffs_img_inode(img, ino);
		patch(v, img, off, 2, rndn(r, 2) ? FFS_IFREG | 0644 :
		    FFS_IFDIR | 0755, "unused inode %u di_mode", ino);
		return;
	}
	t = pick(tr, r);
	nblk = (t->size + BSIZE - 1) / BSIZE;
	/* An entry of the single indirect block, if the file has one. */
	if (seq >= 2 * (int)ntab && S_ISREG(t->mode) && nblk > FFS_NDADDR &&
	    rndn(r, 4) == 0) {
		off = ffs_img_inode(img, t->ino) + (img->ufs2 ?
		    offsetof(struct ffs_dinode2, di_ib) :
		    offsetof(struct ffs_dinode1, di_ib));
		ib = (int64_t)getle(img, off, psize);
		idx = (int)rndn(r, (uint64_t)(nblk - FFS_NDADDR + 2));
		off = (size_t)ib * (size_t)img->sb.fs_fsize +
		    (size_t)idx * (size_t)psize;
		ncand = ptrcand(tr, r, t->ino, cand);
		val = mutate(r, getle(img, off, psize), psize, cand,
		    ncand, &how);
		patch(v, img, off, psize, val, "inode %u (/%s): pointer %d of "
		    "its indirect block (%s)", t->ino, t->path, idx, how);
		v->rx.ino = t->hino;
		v->rx.fields = FFS_RELAX_DATA;
		v->rx.lo = (int64_t)(FFS_NDADDR + idx) * BSIZE;
		v->rx.hi = v->rx.lo + BSIZE;
		return;
	}
	for (w = 0, i = 0; i < ntab; i++)
		w += tab[i].weight;
	w = (int)rndn(r, (uint64_t)w);
	for (i = 0; w >= tab[i].weight; i++)
		w -= tab[i].weight;
	f = &tab[seq < 2 * (int)ntab ? (size_t)seq % ntab : i];
	/* Mostly a block pointer the file uses. */
	idx = (int)rndn(r, (uint64_t)f->n);
	if (f->kind == K_DB && nblk > 0 && rndn(r, 4) != 0)
		idx = (int)rndn(r, (uint64_t)(nblk < FFS_NDADDR ? nblk :
		    FFS_NDADDR));
	off = ffs_img_inode(img, t->ino) + f->off + (size_t)(idx * f->len);
	if (f->kind == K_DB || f->kind == K_IB)
		ncand = ptrcand(tr, r, t->ino, cand);
	else if (f->kind == K_MODE) {
		static const uint16_t type[] = { FFS_IFIFO, FFS_IFCHR,
		    FFS_IFDIR, FFS_IFBLK, FFS_IFREG, FFS_IFLNK, FFS_IFSOCK,
		    0, FFS_IFMT };

		for (ncand = 0, k = 0; k < (int)NELEM(type); k++)
			cand[ncand++] = type[k] | (t->mode & 07777);
	} else if (f->kind == K_SIZE) {
		ncand = 0;
		cand[ncand++] = t->size + BSIZE;
		cand[ncand++] = (int64_t)FFS_NDADDR * BSIZE;
		cand[ncand++] = (int64_t)(FFS_NDADDR + img->nindir) * BSIZE;
		cand[ncand++] = img->sb.fs_maxsymlinklen;
		cand[ncand++] = img->sb.fs_maxsymlinklen - 1;
		cand[ncand++] = INT64_MAX;
		cand[ncand++] = (int64_t)img->sb.fs_maxfilesize;
		cand[ncand++] = (int64_t)img->sb.fs_maxfilesize + 1;
	} else
		ncand = 0;
	val = mutate(r, getle(img, off, f->len), f->len, cand, ncand,
	    &how);
	if (f->n > 1)
		snprintf(fname, sizeof(fname), "%s[%d]", f->name, idx);
	else
		snprintf(fname, sizeof(fname), "%s", f->name);
	patch(v, img, off, f->len, val, "inode %u (/%s): %s (%s)", t->ino,
	    t->path, fname, how);
	relax_inode(tr, t, f->kind, idx, &v->rx);
}

/*
 * The name an entry has once damaged (up to its NUL): if it is another
 * entry's name, lookups of that one may find it, so that one is
 * damaged too.
 */
static void
relax_twin(const struct tree *tr, const struct dent *d, const struct
    variant *v, struct ffs_relax *rx)
{
	unsigned char rec[8 + FFS_MAXNAMLEN + 1];
	char name[FFS_MAXNAMLEN + 1];
	size_t i, len;
	int p, k;

	len = sizeof(rec);
	if (d->off + len > tr->img.len)
		len = tr->img.len - d->off;
	memcpy(rec, tr->img.buf + d->off, len);
	for (p = 0; p < v->npatch; p++)
		for (k = 0; k < v->patch[p].len; k++)
			if (v->patch[p].off + (size_t)k >= d->off &&
			    v->patch[p].off + (size_t)k < d->off + len)
				rec[v->patch[p].off + (size_t)k - d->off] =
				    (unsigned char)(v->patch[p].val >> (8 * k));
	len = rec[7] < len - 8 ? rec[7] : len - 8;
	memcpy(name, rec + 8, len);
	name[len] = '\0';
	for (i = 0; i < tr->nd; i++)
		if (tr->d[i].dir == d->dir && &tr->d[i] != d &&
		    tr->d[i].chino != 0 && strcmp(tr->d[i].name, name) == 0 &&
		    rx->nfull < FFS_RELAX_MAXFULL)
			rx->full[rx->nfull++] = tr->d[i].chino;
}

static void
damage_dirent(const struct tree *tr, struct rng *r, int seq,
    struct variant *v)
{
	const struct ffs_img *img = &tr->img;
	const struct dent *d;
	const uint32_t maxino = (uint32_t)img->sb.fs_ncg *
	    (uint32_t)img->sb.fs_ipg;
	const char *how, *fname;
	int64_t cand[32];
	size_t ncand = 0, off;
	uint64_t reclen, namlen, val;
	int len, i;

	/* As for inodes: mostly not an entry of /many. */
	do
		d = &tr->d[rndn(r, tr->nd)];
	while (strcmp(tr->t[d->dir].path, "many") == 0 && rndn(r, 2) != 0);
	off = d->off;
	reclen = getle(img, d->off + 4, 2);
	namlen = getle(img, d->off + 7, 1);
	/* Each field once, then at random. */
	switch (seq < 5 ? seq : (int)rndn(r, 5)) {
	case 0:
		fname = "d_ino";
		len = 4;
		for (i = 0; i < 6; i++)
			cand[ncand++] = tr->d[rndn(r, tr->nd)].ino;
		cand[ncand++] = 0;
		cand[ncand++] = FFS_WINO;
		cand[ncand++] = FFS_ROOTINO;
		cand[ncand++] = maxino - 1;
		cand[ncand++] = maxino;
		break;
	case 1:
		fname = "d_reclen";
		off += 4;
		len = 2;
		cand[ncand++] = reclen + 4;
		cand[ncand++] = reclen - 4;
		cand[ncand++] = reclen + 8;
		cand[ncand++] = reclen + FFS_DIRBLKSIZ;
		cand[ncand++] = FFS_DIRSIZ(namlen);
		cand[ncand++] = FFS_DIRSIZ(namlen) - 4;
		cand[ncand++] = FFS_DIRBLKSIZ;
		cand[ncand++] = 2;
		break;
	case 2:
		fname = "d_type";
		off += 6;
		len = 1;
		for (i = 0; i < 15; i++)
			cand[ncand++] = i;
		break;
	case 3:
		fname = "d_namlen";
		off += 7;
		len = 1;
		cand[ncand++] = namlen + 1;
		cand[ncand++] = namlen - 1;
		cand[ncand++] = reclen - FFS_DIRHDRSIZE;
		cand[ncand++] = FFS_MAXNAMLEN;
		cand[ncand++] = 0;
		break;
	default:
		fname = "a byte of d_name";
		off += 8 + rndn(r, namlen + 1);
		len = 1;
		cand[ncand++] = '/';
		cand[ncand++] = 0;
		cand[ncand++] = '.';
		cand[ncand++] = 'a';
		break;
	}
	val = mutate(r, getle(img, off, len), len, cand, ncand, &how);
	patch(v, img, off, len, val, "entry \"%s\" of /%s: %s (%s)", d->name,
	    tr->t[d->dir].path, fname, how);
	v->rx.dir = tr->t[d->dir].hino;
	v->rx.extra = 2;
	if (d->chino != 0)
		v->rx.full[v->rx.nfull++] = d->chino;
	relax_twin(tr, d, v, &v->rx);
}

static void
mkvariant(const struct tree *tr, enum area a, uint32_t seed, int i,
    struct variant *v)
{
	struct rng r;

	memset(v, 0, sizeof(*v));
	if (i == 0) {
		strcpy(v->what, "the pristine image");
		return;
	}
	r.s = (uint64_t)seed << 32 ^ (uint64_t)a << 24 ^ (uint64_t)i ^
	    (tr->img.ufs2 ? 0x9e3779b97f4a7c15ULL : 0);
	(void)rnd(&r);
	switch (a) {
	case A_SB:
		damage_sb(tr, &r, i - 1, v);
		break;
	case A_CG:
		damage_cg(tr, &r, i - 1, v);
		break;
	case A_INODE:
		damage_inode(tr, &r, i - 1, v);
		break;
	case A_DIRENT:
		damage_dirent(tr, &r, i - 1, v);
		break;
	}
}

/* ---- One child: variants from first on, until done or dead. ---- */

static FILE *out;
static int curvariant;

static void
report(void *arg, const char *msg)
{
	const char *p;

	fprintf(out, "F %d ", curvariant);
	for (p = msg; *p != '\0'; p++)
		fputc(*p == '\n' ? ' ' : *p, out);
	fputc('\n', out);
	fflush(out);
}

static void
writeimage(const struct tree *tr, const struct variant *v)
{
	unsigned char b[8];
	int fd, p, k;

	if ((fd = open("variant.img", O_RDWR | O_CREAT | O_TRUNC, 0644)) ==
	    -1 || write(fd, tr->img.buf, tr->img.len) !=
	    (ssize_t)tr->img.len)
		_exit(2);
	for (p = 0; p < v->npatch; p++) {
		for (k = 0; k < v->patch[p].len; k++)
			b[k] = (unsigned char)(v->patch[p].val >> (8 * k));
		if (pwrite(fd, b, (size_t)v->patch[p].len,
		    (off_t)v->patch[p].off) != v->patch[p].len)
			_exit(2);
	}
	close(fd);
}

static void __attribute__((__noreturn__))
child(const struct tree *tr, const struct variant *vv, int first, int nv,
    int only)
{
	struct ufs_args args = { .fspec = "/dev/ffs0" };
	struct ffs_walk w;
	int i, error;

	if (rump_init() != 0 || rump_sys_mkdir("/mnt", 0755) == -1)
		_exit(2);
	for (i = first; i < nv; i++) {
		if (only >= 0 && i != only)
			continue;
		curvariant = i;
		fprintf(out, "S %d\n", i);
		fflush(out);
		alarm(VTIMEOUT);
		writeimage(tr, &vv[i]);
		if ((error = rump_pub_etfs_register("/dev/ffs0", "variant.img",
		    RUMP_ETFS_BLK)) != 0) {
			fprintf(out, "F %d etfs_register: %s\n", i,
			    strerror(error));
			_exit(3);
		}
		if (rump_sys_mount("ffs", "/mnt", RUMP_MNT_RDONLY, &args,
		    sizeof(args)) == -1) {
			error = errno;
			if (error == 0 || error == EBADF || error == EFAULT ||
			    error == ENOSYS)
				fprintf(out, "F %d mount: errno %d\n", i,
				    error);
			else
				fprintf(out, "R %d %d\n", i, error);
		} else {
			memset(&w, 0, sizeof(w));
			w.host = "tree";
			w.rump = "/mnt";
			w.flags = FFS_WALK_ERROK | FFS_WALK_CTIME |
			    FFS_WALK_THOROUGH;
			w.bsize = BSIZE;
			w.fsize = FSIZE;
			w.readcap = 1 << 20;
			w.img = &tr->img;
			w.relax = &vv[i].rx;
			w.report = report;
			w.maxfail = MAXFAIL;
			ffs_walk(&w);
			if (rump_sys_unmount("/mnt", 0) == -1) {
				fprintf(out, "F %d unmount: %s\n", i,
				    strerror(errno));
				fprintf(out, "D %d\n", i);
				fflush(out);
				_exit(3);	/* the kernel is not clean */
			}
		}
		if ((error = rump_pub_etfs_remove("/dev/ffs0")) != 0) {
			fprintf(out, "F %d etfs_remove: %s\n", i,
			    strerror(error));
			fprintf(out, "D %d\n", i);
			fflush(out);
			_exit(3);
		}
		fprintf(out, "D %d\n", i);
		fflush(out);
	}
	alarm(0);
	fclose(out);
	_exit(0);
}

static void
addmsg(struct result *res, const char *msg)
{
	size_t old = res->msg == NULL ? 0 : strlen(res->msg);

	if (res->nfail++ >= MAXFAIL)
		return;
	if ((res->msg = realloc(res->msg, old + strlen(msg) + 6)) == NULL)
		abort();
	sprintf(res->msg + old, "    %s\n", msg);
}

/*
 * Run the variants [0, nv) (or only one), a child at a time; returns
 * the number of children that had to be started.
 */
static int
runall(const struct tree *tr, const struct variant *vv, int nv, int only,
    struct result *res, char *other, size_t otherlen)
{
	char *line = NULL, *msg, buf[160];
	size_t cap = 0;
	int first = only >= 0 ? only : 0, cur, last, i, e, status, p[2];
	int children = 0;
	FILE *in;
	pid_t pid;

	while (first < nv && (only < 0 || first <= only)) {
		RL(pipe(p));
		RL(pid = fork());
		if (pid == 0) {
			close(p[0]);
			if ((out = fdopen(p[1], "w")) == NULL)
				_exit(2);
			child(tr, vv, first, nv, only);
		}
		children++;
		close(p[1]);
		ATF_REQUIRE((in = fdopen(p[0], "r")) != NULL);
		cur = -1;
		last = first - 1;
		while (getline(&line, &cap, in) > 0) {
			line[strcspn(line, "\n")] = '\0';
			if (sscanf(line, "S %d", &i) == 1 && line[0] == 'S')
				cur = i;
			else if (sscanf(line, "D %d", &i) == 1 &&
			    line[0] == 'D') {
				cur = -1;
				last = i;
			} else if (sscanf(line, "R %d %d", &i, &e) == 2 &&
			    line[0] == 'R' && i >= 0 && i < nv)
				res[i].refused = e;
			else if (line[0] == 'F' && sscanf(line, "F %d", &i) ==
			    1 && i >= 0 && i < nv &&
			    (msg = strchr(line + 2, ' ')) != NULL)
				addmsg(&res[i], msg + 1);
		}
		fclose(in);
		RL(waitpid(pid, &status, 0));
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
		    cur == -1)
			break;
		if (WIFSIGNALED(status))
			snprintf(buf, sizeof(buf), "the child died of signal "
			    "%d%s", WTERMSIG(status), WTERMSIG(status) ==
			    SIGALRM ? " (timeout: a hang?)" : "");
		else
			snprintf(buf, sizeof(buf), "the child exited with "
			    "%d%s", WEXITSTATUS(status),
			    WEXITSTATUS(status) == 99 ? " (valgrind found "
			    "errors: see its output)" : "");
		if (cur >= 0) {
			addmsg(&res[cur], buf);
			first = cur + 1;
		} else {
			/* Not during a variant: at start, or at exit. */
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 3)
				snprintf(other + strlen(other), otherlen -
				    strlen(other), "after variant %d: %s\n",
				    last, buf);
			first = last + 1;
		}
	}
	free(line);
	return children;
}

/* Messages on one line, in place. */
static char *
oneline(char *s)
{
	char *p, *q;

	for (p = q = s; *p != '\0'; p++) {
		if (*p == '\n') {
			if (p[1] != '\0')
				q += sprintf(q, " |");
			continue;
		}
		if (*p == ' ' && (q == s || q[-1] == ' '))
			continue;
		*q++ = *p;
	}
	*q = '\0';
	return s;
}

static void
corrupt(const atf_tc_t *tc, int version, enum area a, int nv)
{
	static const char *const aname[] = { "superblock", "cylinder group",
	    "inode", "directory entry" };
	struct tree tr;
	struct variant *vv;
	struct result *res;
	char other[1024] = "";
	int firstv = -1;
	uint32_t seed = SEED;
	int i, only = -1, refused = 0, failed = 0, children;

	if (atf_tc_has_config_var(tc, "seed"))
		seed = (uint32_t)strtoul(atf_tc_get_config_var(tc, "seed"),
		    NULL, 0);
	if (atf_tc_has_config_var(tc, "variant"))
		only = atoi(atf_tc_get_config_var(tc, "variant"));
	setup(&tr, version);
	ATF_REQUIRE((vv = calloc((size_t)nv, sizeof(*vv))) != NULL);
	ATF_REQUIRE((res = calloc((size_t)nv, sizeof(*res))) != NULL);
	for (i = 0; i < nv; i++)
		mkvariant(&tr, a, seed, i, &vv[i]);
	printf("seed %#x: %d variants of the %s\n", seed, nv, aname[a]);
	children = runall(&tr, vv, nv, only, res, other, sizeof(other));
	for (i = 0; i < nv; i++) {
		if (only >= 0 && i != only)
			continue;
		if (only >= 0 || res[i].nfail > 0)
			printf("variant %d: %s: %s\n%s", i, vv[i].what,
			    res[i].nfail > 0 ? "FAILED" : res[i].refused ?
			    strerror(res[i].refused) : "mounted, all well",
			    res[i].msg != NULL ? res[i].msg : "");
		if (res[i].refused != 0)
			refused++;
		if (res[i].nfail > 0 && failed++ == 0)
			firstv = i;
	}
	printf("seed %#x, UFS%d, %s: %d variants, %d refused at mount, "
	    "%d failed, %d children\n", seed, version, aname[a], nv, refused,
	    failed, children);
	if (other[0] != '\0')
		printf("%s", other);
	if (res[0].refused != 0 && only <= 0)
		atf_tc_fail("the pristine image does not mount: %s",
		    strerror(res[0].refused));
	/* The reason is one line. */
	if (failed > 0)
		atf_tc_fail("%d of %d variants failed (seed %#x; see the "
		    "output); the first, variant %d: %s: %s", failed, nv, seed,
		    firstv, vv[firstv].what, oneline(res[firstv].msg));
	if (other[0] != '\0')
		atf_tc_fail("%s", oneline(other));
	for (i = 0; i < nv; i++)
		free(res[i].msg);
	free(res);
	free(vv);
	free(tr.t);
	free(tr.d);
	ffs_img_free(&tr.img);
}

#define CORRUPT_TC(name, v, a, n)					\
ATF_TC(name);								\
ATF_TC_HEAD(name, tc)							\
{									\
	atf_tc_set_md_var(tc, "descr", "UFS" #v ": seeded damage to "	\
	    #a "; errors, never crashes or wrong answers");		\
	atf_tc_set_md_var(tc, "timeout", "900");			\
}									\
ATF_TC_BODY(name, tc)							\
{									\
	corrupt(tc, v, a, n);						\
}

CORRUPT_TC(superblock_ufs1, 1, A_SB, 160)
CORRUPT_TC(superblock_ufs2, 2, A_SB, 160)
CORRUPT_TC(cylgroup_ufs1, 1, A_CG, 50)
CORRUPT_TC(cylgroup_ufs2, 2, A_CG, 50)
CORRUPT_TC(inode_ufs1, 1, A_INODE, 100)
CORRUPT_TC(inode_ufs2, 2, A_INODE, 100)
CORRUPT_TC(dirent_ufs1, 1, A_DIRENT, 80)
CORRUPT_TC(dirent_ufs2, 2, A_DIRENT, 80)

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, superblock_ufs1);
	ATF_TP_ADD_TC(tp, superblock_ufs2);
	ATF_TP_ADD_TC(tp, cylgroup_ufs1);
	ATF_TP_ADD_TC(tp, cylgroup_ufs2);
	ATF_TP_ADD_TC(tp, inode_ufs1);
	ATF_TP_ADD_TC(tp, inode_ufs2);
	ATF_TP_ADD_TC(tp, dirent_ufs1);
	ATF_TP_ADD_TC(tp, dirent_ufs2);
	return atf_no_error();
}
