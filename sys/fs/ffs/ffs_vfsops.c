/*
 * FFS mounting (file system layer): find and check the superblock of
 * the device named by struct ufs_args, read the group summaries, keep
 * the clean flag (cleared while mounted read-write, set again by a
 * clean unmount), sync, statvfs, and loading inodes into vnodes.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/buf.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/statvfs.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <fs/ffs/ffs.h>
#include <fs/ffs/ufs_args.h>

/* Where a superblock is looked for, in this order. */
static const int64_t ffs_sblocks[] = {
	FFS_SBLOCK_UFS2, FFS_SBLOCK_UFS1, 0, FFS_SBLOCK_PIGGY
};

/* At most this many console lines a second per mount. */
#define FFS_BAD_PERSEC	10

static int
ffs_root(struct mount *mp, struct vnode **vpp)
{
	ino_t ino = FFS_ROOTINO;

	return vcache_get(mp, &ino, sizeof(ino), vpp);
}

void
ffs_bad(struct ffs_mount *fm, ino_t ino, const char *fmt, ...)
{
	char msg[160];
	va_list ap;
	int now = getticks(), dropped = 0;

	mutex_enter(&fm->fm_badlock);
	if (now - fm->fm_badtime >= hz) {
		dropped = fm->fm_baddropped;
		fm->fm_badtime = now;
		fm->fm_badcount = 0;
		fm->fm_baddropped = 0;
	}
	if (++fm->fm_badcount > FFS_BAD_PERSEC) {
		fm->fm_baddropped++;
		mutex_exit(&fm->fm_badlock);
		return;
	}
	mutex_exit(&fm->fm_badlock);
	if (dropped > 0)
		printf("ffs %s: %d more messages not shown\n",
		    fm->fm_mp->mnt_stat.f_mntonname, dropped);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ino != 0)
		printf("ffs %s: inode %llu: %s\n",
		    fm->fm_mp->mnt_stat.f_mntonname, (unsigned long long)ino,
		    msg);
	else
		printf("ffs %s: %s\n", fm->fm_mp->mnt_stat.f_mntonname, msg);
}

bool
ffs_fsb_ok(struct ffs_mount *fm, int64_t fsb, int64_t nfrags)
{
	struct ffs_super *fs = fm->fm_fs;
	int64_t lo, hi;
	int c;

	if (fsb <= 0 || nfrags <= 0 || fsb >= fs->fs_size ||
	    nfrags > fs->fs_size - fsb)
		return false;
	/* Not in a group's superblock, group block and inodes... */
	c = ffs_dtog(fs, fsb);
	lo = c == 0 ? 0 : ffs_cgsblock(fs, c);
	hi = ffs_cgdmin(fs, c);
	if (fsb < hi && fsb + nfrags > lo)
		return false;
	/* ... nor in the summary area. */
	lo = fs->fs_csaddr;
	hi = lo + ffs_numfrags(fs, ffs_fragroundup(fs, fs->fs_cssize));
	return fsb >= hi || fsb + nfrags <= lo;
}

/*
 * A UFS1 superblock written before the 64-bit fields existed keeps its
 * values in the old ones: copy them over.
 */
static void
ffs_oldfscompat(struct ffs_super *fs, int64_t loc)
{

	if (fs->fs_magic != FFS_UFS1_MAGIC ||
	    (fs->fs_old_flags & FFS_OLDFLAG_UPDATED) != 0)
		return;
	fs->fs_sblockloc = loc;
	fs->fs_size = fs->fs_old_size;
	fs->fs_dsize = fs->fs_old_dsize;
	fs->fs_csaddr = fs->fs_old_csaddr;
	fs->fs_time = fs->fs_old_time;
	fs->fs_cstotal.cs_ndir = fs->fs_old_cstotal.cs_ndir;
	fs->fs_cstotal.cs_nbfree = fs->fs_old_cstotal.cs_nbfree;
	fs->fs_cstotal.cs_nifree = fs->fs_old_cstotal.cs_nifree;
	fs->fs_cstotal.cs_nffree = fs->fs_old_cstotal.cs_nffree;
	fs->fs_maxbsize = fs->fs_bsize;
	fs->fs_old_flags |= FFS_OLDFLAG_UPDATED;
}

/*
 * Is the superblock at byte loc of a device of devsize bytes sound
 * enough to compute with?  Everything later arithmetic relies on is
 * checked here: powers of two, shifts, group geometry, the summary
 * area.  Returns NULL or what is wrong.
 */
static const char *
ffs_sbcheck(const struct ffs_super *fs, int64_t loc, off_t devsize)
{
	bool ufs2 = fs->fs_magic == FFS_UFS2_MAGIC;
	int64_t ninodeblks, maxfrags;
	int isize = ufs2 ? sizeof(struct ffs_dinode2) :
	    sizeof(struct ffs_dinode1);

	if (fs->fs_magic != FFS_UFS1_MAGIC && !ufs2)
		return "no FFS magic number";
	if (fs->fs_sblockloc != loc)
		return "superblock location does not match";
	if (fs->fs_bsize < FFS_MINBSIZE || fs->fs_bsize > FFS_MAXBSIZE ||
	    ffs_ilog2(fs->fs_bsize) < 0)
		return "bad block size";
	if (fs->fs_fsize < DEV_BSIZE || ffs_ilog2(fs->fs_fsize) < 0 ||
	    fs->fs_fsize > fs->fs_bsize ||
	    fs->fs_bsize / fs->fs_fsize > FFS_MAXFRAG ||
	    fs->fs_frag != fs->fs_bsize / fs->fs_fsize)
		return "bad fragment size";
	if (fs->fs_bshift != ffs_ilog2(fs->fs_bsize) ||
	    fs->fs_fshift != ffs_ilog2(fs->fs_fsize) ||
	    fs->fs_fragshift != ffs_ilog2(fs->fs_frag) ||
	    fs->fs_fsbtodb != ffs_ilog2(fs->fs_fsize / DEV_BSIZE) ||
	    fs->fs_bmask != ~(fs->fs_bsize - 1) ||
	    fs->fs_fmask != ~(fs->fs_fsize - 1) ||
	    fs->fs_qbmask != fs->fs_bsize - 1 ||
	    fs->fs_qfmask != fs->fs_fsize - 1)
		return "block shifts and masks disagree with the sizes";
	if (fs->fs_sbsize < (int)sizeof(*fs) ||
	    fs->fs_sbsize > FFS_SBLOCKSIZE)
		return "bad superblock size";
	if (fs->fs_nindir != fs->fs_bsize / (ufs2 ? 8 : 4) ||
	    fs->fs_inopb != fs->fs_bsize / isize)
		return "bad pointers or inodes per block";
	if (fs->fs_ncg < 1 || fs->fs_ipg < fs->fs_inopb ||
	    fs->fs_ipg % fs->fs_inopb != 0 ||
	    (uint64_t)fs->fs_ncg * (uint64_t)fs->fs_ipg >= UINT32_MAX)
		return "bad number of groups or inodes";
	if (fs->fs_fpg < fs->fs_frag || fs->fs_fpg % fs->fs_frag != 0)
		return "bad group size";
	maxfrags = devsize >> fs->fs_fshift;
	if (fs->fs_size < 1 || fs->fs_size > maxfrags)
		return "file system larger than its device";
	if (fs->fs_size > (int64_t)fs->fs_ncg * fs->fs_fpg ||
	    fs->fs_size <= (int64_t)(fs->fs_ncg - 1) * fs->fs_fpg)
		return "size and number of groups disagree";
	if (!ufs2 && fs->fs_old_cgmask != -1 && fs->fs_old_cgoffset != 0)
		return "staggered UFS1 groups are not supported";
	ninodeblks = (int64_t)fs->fs_ipg / fs->fs_inopb * fs->fs_frag;
	if (fs->fs_sblkno < 0 || fs->fs_cblkno <= fs->fs_sblkno ||
	    fs->fs_iblkno <= fs->fs_cblkno ||
	    fs->fs_iblkno % fs->fs_frag != 0 ||
	    fs->fs_dblkno < fs->fs_iblkno + ninodeblks ||
	    fs->fs_dblkno >= fs->fs_fpg)
		return "bad group layout";
	if (fs->fs_cblkno % fs->fs_frag != 0 ||
	    fs->fs_cgsize < FFS_CG_HDRSIZE || fs->fs_cgsize > fs->fs_bsize ||
	    (int64_t)fs->fs_fpg + fs->fs_ipg > 8 * (int64_t)fs->fs_cgsize)
		return "bad cylinder group block";
	if (fs->fs_cssize < (int64_t)fs->fs_ncg * FFS_CSUMSIZE ||
	    fs->fs_cssize > (int64_t)fs->fs_ncg * FFS_CSUMSIZE +
	    fs->fs_bsize ||
	    fs->fs_csaddr < ffs_cgdmin(fs, 0) ||
	    fs->fs_csaddr + ffs_numfrags(fs, ffs_fragroundup(fs,
	    fs->fs_cssize)) > MIN(fs->fs_fpg, fs->fs_size))
		return "bad summary area";
	if (fs->fs_sblockloc + FFS_SBSIZE > ffs_cgsblock(fs, 0) *
	    (int64_t)fs->fs_fsize && fs->fs_sblockloc != ffs_cgsblock(fs, 0) *
	    (int64_t)fs->fs_fsize)
		return "superblock inside the first group's metadata";
	if (fs->fs_minfree < 0 || fs->fs_minfree > 99)
		return "bad reserve";
	if (fs->fs_maxsymlinklen < 0 ||
	    fs->fs_maxsymlinklen > (FFS_NDADDR + FFS_NIADDR) * (ufs2 ? 8 : 4))
		return "bad short symlink length";
	if (fs->fs_contigsumsize < 0 || fs->fs_contigsumsize > 64)
		return "bad cluster summary size";
	return NULL;
}

/*
 * Read the superblock of fm's device into fm_fs: the first of the
 * usual places with a magic number and sound contents.
 */
static int
ffs_sbread(struct ffs_mount *fm, off_t devsize)
{
	const char *why;
	bool found = false;
	struct ffs_super *fs;
	struct buf *bp;
	size_t i;
	int error;

	fs = kmem_alloc(FFS_SBSIZE, KM_SLEEP);
	for (i = 0; i < __arraycount(ffs_sblocks); i++) {
		int64_t loc = ffs_sblocks[i];
		int magic;

		if (loc + FFS_SBSIZE > devsize)
			continue;
		if ((error = bread(fm->fm_bd, loc >> DEV_BSHIFT, FFS_SBSIZE,
		    &bp)) != 0) {
			kmem_free(fs, FFS_SBSIZE);
			return error;
		}
		memcpy(fs, bp->b_data, FFS_SBSIZE);
		brelse(bp, BC_INVAL);	/* it may be file data */
		magic = fs->fs_magic;
		if (magic != FFS_UFS1_MAGIC && magic != FFS_UFS2_MAGIC)
			continue;
		/* UFS2 at the UFS1 place and the reverse are both seen. */
		if (magic == FFS_UFS1_MAGIC && loc == FFS_SBLOCK_UFS2)
			continue;
		found = true;
		ffs_oldfscompat(fs, loc);
		if ((why = ffs_sbcheck(fs, loc, devsize)) == NULL) {
			fm->fm_fs = fs;
			fm->fm_ufs2 = magic == FFS_UFS2_MAGIC;
			return 0;
		}
		ffs_bad(fm, 0, "superblock at byte %lld: %s", (long long)loc,
		    why);
	}
	kmem_free(fs, FFS_SBSIZE);
	if (!found)
		ffs_bad(fm, 0, "not an FFS file system: no superblock");
	return EFTYPE;
}

/*
 * The summary area in pieces of at most a block, each read and written
 * as a buffer of the same size: piece i is *lenp bytes at the returned
 * fragment address.
 */
static int64_t
ffs_csumpiece(const struct ffs_super *fs, int i, size_t *lenp)
{
	int64_t left = ffs_fragroundup(fs, fs->fs_cssize) -
	    (int64_t)i * fs->fs_bsize;

	*lenp = (size_t)MIN(left, fs->fs_bsize);
	return fs->fs_csaddr + (int64_t)i * fs->fs_frag;
}

static int
ffs_csumread(struct ffs_mount *fm)
{
	struct ffs_super *fs = fm->fm_fs;
	struct buf *bp;
	size_t len, off;
	int i, error;

	fm->fm_csumsize = (size_t)ffs_fragroundup(fs, fs->fs_cssize);
	fm->fm_csum = kmem_zalloc(fm->fm_csumsize, KM_SLEEP);
	for (i = 0, off = 0; off < fm->fm_csumsize; i++, off += len) {
		int64_t fsb = ffs_csumpiece(fs, i, &len);

		if ((error = bread(fm->fm_bd, ffs_fsbtodb(fs, fsb), len,
		    &bp)) != 0)
			return error;
		memcpy((char *)fm->fm_csum + off, bp->b_data, len);
		brelse(bp, 0);
	}
	return 0;
}

static int
ffs_csumwrite(struct ffs_mount *fm, bool wait)
{
	struct ffs_super *fs = fm->fm_fs;
	struct buf *bp;
	size_t len, off;
	int i, error = 0;

	for (i = 0, off = 0; off < fm->fm_csumsize; i++, off += len) {
		int64_t fsb = ffs_csumpiece(fs, i, &len);

		bp = getblk(fm->fm_bd, ffs_fsbtodb(fs, fsb), len);
		memcpy(bp->b_data, (char *)fm->fm_csum + off, len);
		if (wait)
			error = bwrite(bp);
		else
			bdwrite(bp);
		if (error != 0)
			break;
	}
	return error;
}

/* Write the superblock (and the summaries, from the allocator's copy). */
int
ffs_sbupdate(struct ffs_mount *fm, bool wait)
{
	struct ffs_super *fs = fm->fm_fs;
	struct timespec ts;
	struct buf *bp;
	int error;

	rw_enter(&fm->fm_alloclock, RW_WRITER);
	vfs_timestamp(&ts);
	fs->fs_time = ts.tv_sec;
	fs->fs_old_time = (int32_t)ts.tv_sec;
	fs->fs_fmod = 0;
	fs->fs_ronly = 0;
	fs->fs_old_cstotal.cs_ndir = (int32_t)fs->fs_cstotal.cs_ndir;
	fs->fs_old_cstotal.cs_nbfree = (int32_t)fs->fs_cstotal.cs_nbfree;
	fs->fs_old_cstotal.cs_nifree = (int32_t)fs->fs_cstotal.cs_nifree;
	fs->fs_old_cstotal.cs_nffree = (int32_t)fs->fs_cstotal.cs_nffree;
	error = ffs_csumwrite(fm, wait);
	bp = getblk(fm->fm_bd, fs->fs_sblockloc >> DEV_BSHIFT, FFS_SBSIZE);
	memcpy(bp->b_data, fs, FFS_SBSIZE);
	fm->fm_fmod = false;
	rw_exit(&fm->fm_alloclock);
	if (wait) {
		int e = bwrite(bp);

		if (error == 0)
			error = e;
	} else
		bdwrite(bp);
	return error;
}

/*
 * The block device of the mount argument: a path in the kernel's
 * namespace, given by the program.
 */
static int
ffs_getdev(const struct ufs_args *args, dev_t *devp, char *name,
    size_t namelen)
{
	struct nameidata nd;
	struct vattr va;
	struct vnode *vp;
	int error;

	if ((error = copyinstr(args->fspec, name, namelen, NULL)) != 0)
		return error;
	namei_setup(&nd, name, UIO_SYSSPACE, AT_FDCWD, LOOKUP, FOLLOW);
	if ((error = namei(&nd)) != 0)
		return error;
	vp = nd.nd_vp;
	if (vp->v_type != VBLK) {
		namei_done(&nd);
		return ENOTBLK;
	}
	vn_lock(vp, LK_SHARED);
	error = VOP_GETATTR(vp, &va, curlwp->l_cred);
	VOP_UNLOCK(vp);
	namei_done(&nd);
	if (error == 0)
		*devp = va.va_rdev;
	return error;
}

/* A file system whose root is not a sound directory is not mounted. */
static int
ffs_rootcheck(struct mount *mp)
{
	struct vnode *vp;
	int error;

	if ((error = ffs_root(mp, &vp)) != 0)
		return error;
	error = vp->v_type == VDIR ? 0 : EIO;
	if (error != 0)
		ffs_bad(mp->mnt_data, FFS_ROOTINO, "the root is not a "
		    "directory");
	vrele(vp);
	if (error != 0)
		(void)vflush(mp, NULL, true);	/* the mount goes */
	return error;
}

static int
ffs_mount(struct mount *mp, const char *path, void *data, size_t datalen)
{
	struct ffs_mount *fm;
	struct ffs_super *fs;
	bool ronly = (mp->mnt_flag & MNT_RDONLY) != 0;
	off_t devsize;
	char *name;
	dev_t dev;
	int error;

	if (mp->mnt_flag & MNT_UPDATE)
		return EOPNOTSUPP;
	if (data == NULL || datalen < sizeof(struct ufs_args))
		return EINVAL;
	name = kmem_alloc(MAXPATHLEN, KM_SLEEP);
	if ((error = ffs_getdev(data, &dev, name, MAXPATHLEN)) != 0) {
		kmem_free(name, MAXPATHLEN);
		return error;
	}
	strlcpy(mp->mnt_stat.f_mntfromname, name,
	    sizeof(mp->mnt_stat.f_mntfromname));
	kmem_free(name, MAXPATHLEN);

	fm = kmem_zalloc(sizeof(*fm), KM_SLEEP);
	fm->fm_mp = mp;
	fm->fm_dev = dev;
	rw_init(&fm->fm_alloclock);
	mutex_init(&fm->fm_badlock, MUTEX_DEFAULT, IPL_NONE);
	if ((error = bufdev_open(dev, ronly ? FREAD : FREAD | FWRITE,
	    &fm->fm_bd, &devsize)) != 0) {
		mutex_destroy(&fm->fm_badlock);
		rw_destroy(&fm->fm_alloclock);
		kmem_free(fm, sizeof(*fm));
		return error;
	}
	if ((error = ffs_sbread(fm, devsize)) != 0)
		goto fail;
	fs = fm->fm_fs;
	if ((error = ffs_csumread(fm)) != 0)
		goto fail;
	fm->fm_maxino = (uint32_t)fs->fs_ncg * (uint32_t)fs->fs_ipg;
	fm->fm_maxsymlinklen = fs->fs_maxsymlinklen;
	fm->fm_nextgen = (u_int)(fs->fs_time ^ fs->fs_id[0]) | 1;
	/* What the block pointers can reach, and what sizes can say. */
	{
		uint64_t n = fs->fs_nindir, blocks, max;

		blocks = FFS_NDADDR + n + n * n;
		max = (uint64_t)1 << 62;
		if (n * n * n < (max >> fs->fs_bshift))
			blocks += n * n * n;
		else
			blocks = max >> fs->fs_bshift;
		fm->fm_maxfilesize = MIN((blocks << fs->fs_bshift) - 1,
		    (uint64_t)INT64_MAX);
	}
	if (!ronly && fs->fs_clean == 0) {
		if ((mp->mnt_flag & MNT_FORCE) == 0) {
			ffs_bad(fm, 0, "%s was not unmounted cleanly: "
			    "mounting it read-only (check it with fsck_ffs, "
			    "or force the mount)",
			    mp->mnt_stat.f_mntfromname);
			mp->mnt_flag |= MNT_RDONLY;
			ronly = true;
		} else
			ffs_bad(fm, 0, "%s was not unmounted cleanly: "
			    "mounted read-write as forced",
			    mp->mnt_stat.f_mntfromname);
	}
	fm->fm_ronly = ronly;
	fm->fm_wasclean = fs->fs_clean != 0;
	mp->mnt_data = fm;
	mp->mnt_maxsymlinklen = fm->fm_maxsymlinklen;
	if ((error = ffs_rootcheck(mp)) != 0) {
		mp->mnt_data = NULL;
		goto fail;
	}
	if (!ronly) {
		/* Dirty while mounted: on disk before the first change. */
		fs->fs_clean = 0;
		strlcpy((char *)fs->fs_fsmnt, path, sizeof(fs->fs_fsmnt));
		if ((error = ffs_sbupdate(fm, true)) != 0 ||
		    (error = bflush(fm->fm_bd, BF_STABLE)) != 0) {
			(void)vflush(mp, NULL, true);	/* the root */
			mp->mnt_data = NULL;
			goto fail;
		}
	}
	return 0;

fail:
	(void)bufdev_close(fm->fm_bd);
	if (fm->fm_csum != NULL)
		kmem_free(fm->fm_csum, fm->fm_csumsize);
	if (fm->fm_fs != NULL)
		kmem_free(fm->fm_fs, FFS_SBSIZE);
	mutex_destroy(&fm->fm_badlock);
	rw_destroy(&fm->fm_alloclock);
	kmem_free(fm, sizeof(*fm));
	return error;
}

static int
ffs_unmount(struct mount *mp, int mntflags)
{
	struct ffs_mount *fm = mp->mnt_data;
	int error = 0;

	if (!fm->fm_ronly) {
		/*
		 * Clean again once everything is stable on the device,
		 * unless it was not clean when mounted or a write failed.
		 */
		error = bflush(fm->fm_bd, BF_STABLE);
		if (error != 0 || bufdev_failed(fm->fm_bd)) {
			ffs_bad(fm, 0, "unmount: writes failed: left marked "
			    "not clean");
			fm->fm_fs->fs_clean = 0;
		} else
			fm->fm_fs->fs_clean = fm->fm_wasclean ? FFS_ISCLEAN :
			    0;
		if ((error = ffs_sbupdate(fm, true)) != 0)
			ffs_bad(fm, 0, "unmount: superblock write error %d",
			    error);
	}
	if (bufdev_close(fm->fm_bd) != 0 && error == 0)
		error = EIO;
	kmem_free(fm->fm_csum, fm->fm_csumsize);
	kmem_free(fm->fm_fs, FFS_SBSIZE);
	mutex_destroy(&fm->fm_badlock);
	rw_destroy(&fm->fm_alloclock);
	kmem_free(fm, sizeof(*fm));
	mp->mnt_data = NULL;
	/* The vnodes are gone; the VFS unmounts even if a write failed. */
	return 0;
}

static int
ffs_statvfs(struct mount *mp, struct statvfs *sbp)
{
	struct ffs_mount *fm = mp->mnt_data;
	struct ffs_super *fs = fm->fm_fs;
	int64_t bfree, reserve;

	rw_enter(&fm->fm_alloclock, RW_READER);
	/* Unsigned: a damaged count must not overflow. */
	bfree = (int64_t)((uint64_t)fs->fs_cstotal.cs_nbfree *
	    (uint64_t)fs->fs_frag + (uint64_t)fs->fs_cstotal.cs_nffree);
	sbp->f_ffree = (uint64_t)MAX(fs->fs_cstotal.cs_nifree, 0);
	rw_exit(&fm->fm_alloclock);
	reserve = fs->fs_dsize * fs->fs_minfree / 100;
	sbp->f_bsize = (uint64_t)fs->fs_bsize;
	sbp->f_frsize = (uint64_t)fs->fs_fsize;
	sbp->f_blocks = (uint64_t)fs->fs_dsize;
	sbp->f_bfree = (uint64_t)MAX(bfree, 0);
	sbp->f_bavail = (uint64_t)MAX(bfree - reserve, 0);
	sbp->f_files = (uint64_t)fm->fm_maxino - FFS_ROOTINO;
	sbp->f_favail = sbp->f_ffree;
	sbp->f_namemax = FFS_MAXNAMLEN;
	return 0;
}

/* Put one vnode's inode into its buffer, if it changed. */
static void
ffs_syncvnode(struct vnode *vp, void *arg)
{
	int *errorp = arg, error;

	vn_lock(vp, LK_EXCLUSIVE);
	if (vp->v_data != NULL && vp->v_type != VNON &&
	    (error = ffs_iupdate(VTOI(vp), false)) != 0 && *errorp == 0)
		*errorp = error;
	VOP_UNLOCK(vp);
}

static int
ffs_sync(struct mount *mp, int waitfor, kauth_cred_t cred)
{
	struct ffs_mount *fm = mp->mnt_data;
	int error = 0, e;

	if (fm->fm_ronly)
		return 0;
	vfs_vnode_iterate(mp, ffs_syncvnode, &error);
	if ((e = ffs_sbupdate(fm, false)) != 0 && error == 0)
		error = e;
	if ((e = bflush(fm->fm_bd, BF_STABLE)) != 0 && error == 0)
		error = e;
	return error;
}

static int
ffs_vget(struct mount *mp, ino_t ino, struct vnode **vpp)
{

	return vcache_get(mp, &ino, sizeof(ino), vpp);
}

/* Load inode *key into the new vnode vp. */
static int
ffs_loadvnode(struct mount *mp, struct vnode *vp, const void *key,
    size_t keylen, const void **newkey)
{
	struct ffs_mount *fm = mp->mnt_data;
	struct ffs_inode *ip;
	ino_t ino;
	int error;

	if (keylen != sizeof(ino))
		return EINVAL;
	memcpy(&ino, key, sizeof(ino));
	if (ino < FFS_ROOTINO || ino >= fm->fm_maxino)
		return ESTALE;
	ip = kmem_zalloc(sizeof(*ip), KM_SLEEP);
	ip->i_fm = fm;
	ip->i_number = ino;
	if ((error = ffs_iload(fm, ino, ip)) != 0) {
		kmem_free(ip, sizeof(*ip));
		return error;
	}
	ip->i_vnode = vp;
	vp->v_data = ip;
	vp->v_type = ffs_vtype(ip);
	vp->v_op = &ffs_vnodeops;
	if (ino == FFS_ROOTINO)
		vp->v_vflag |= VV_ROOT;
	*newkey = &ip->i_number;
	return 0;
}

struct vfsops ffs_vfsops = {
	.vfs_name = "ffs",
	.vfs_min_mount_data = sizeof(struct ufs_args),
	.vfs_mount = ffs_mount,
	.vfs_unmount = ffs_unmount,
	.vfs_root = ffs_root,
	.vfs_statvfs = ffs_statvfs,
	.vfs_sync = ffs_sync,
	.vfs_vget = ffs_vget,
	.vfs_loadvnode = ffs_loadvnode,
};
