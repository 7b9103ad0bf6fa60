/*
 * FFS (file system layer): the vnode operations.  The VFS has done the
 * permission, type and namespace checks vnode.h lists; these store and
 * retrieve, keep link counts, ".." and time stamps right, and answer
 * ENOTEMPTY, EMLINK, ENOSPC, EFBIG and EROFS.  An inode with no links
 * left is truncated and freed when its last reference goes.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/dirent.h>
#include <sys/errno.h>
#include <sys/fstypes.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/unistd.h>
#include <sys/vnode.h>

#include <fs/ffs/ffs.h>
#include <fs/ffs/ffs_dirhash.h>

int
ffs_vtype(struct ffs_inode *ip)
{

	switch (DIP(ip, mode) & FFS_IFMT) {
	case 0:
		return VNON;	/* a free inode */
	case FFS_IFREG:
		return VREG;
	case FFS_IFDIR:
		return VDIR;
	case FFS_IFLNK:
		return VLNK;
	case FFS_IFCHR:
		return VCHR;
	case FFS_IFBLK:
		return VBLK;
	case FFS_IFIFO:
		return VFIFO;
	case FFS_IFSOCK:
		return VSOCK;
	default:
		return VBAD;
	}
}

/*
 * A device number on disk: 32 bits, the minor's low byte, then 12 bits
 * of major, then the minor's other bits (what makefs stores from a
 * Linux or NetBSD host).
 */
static uint32_t
ffs_dev_encode(dev_t dev)
{
	uint32_t ma = major(dev), mi = minor(dev);

	return (mi & 0xff) | ((ma & 0xfff) << 8) | ((mi & ~0xffU) << 12);
}

static dev_t
ffs_dev_decode(uint32_t d)
{

	return makedev((d >> 8) & 0xfff, (d & 0xff) | ((d >> 12) & ~0xffU));
}

/* Where a short symbolic link keeps its target: the block pointers. */
static char *
ffs_shortlink(struct ffs_inode *ip)
{

	return ip->i_fm->fm_ufs2 ? (char *)ip->i_din.d2.di_db :
	    (char *)ip->i_din.d1.di_db;
}

static bool
ffs_isshortlink(struct ffs_inode *ip)
{

	return DIP(ip, blocks) == 0 && DIP(ip, size) <
	    ip->i_fm->fm_maxsymlinklen;
}

/* The vnode of inode ino, checked to be in use. */
static int
ffs_vget_used(struct ffs_inode *dp, ino_t ino, struct vnode **vpp)
{
	struct vnode *vp;
	int error;

	if ((error = vcache_get(ITOV(dp)->v_mount, &ino, sizeof(ino),
	    &vp)) != 0)
		return error;
	if (vp->v_type == VNON) {
		ffs_bad(dp->i_fm, dp->i_number, "an entry names inode %llu, "
		    "which is not in use", (unsigned long long)ino);
		vrele(vp);
		return EIO;
	}
	*vpp = vp;
	return 0;
}

static int
ffs_lookup(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp)
{
	struct ffs_inode *dp = VTOI(dvp);
	ino_t ino;
	int error;

	*vpp = NULL;
	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if ((cnp->cn_flags & ISDOT) ||
	    (cnp->cn_namelen == 1 && cnp->cn_nameptr[0] == '.')) {
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	if (DIP(dp, nlink) <= 0)
		return ENOENT;		/* removed */
	if (cnp->cn_namelen > FFS_MAXNAMLEN)
		return ENAMETOOLONG;
	if ((error = ffs_dirlookup(dp, cnp->cn_nameptr, cnp->cn_namelen,
	    &ino, NULL)) != 0)
		return error;
	if (ino == dp->i_number) {
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	return ffs_vget_used(dp, ino, vpp);
}

static int
ffs_dtype(enum vtype type)
{

	return vtype_to_dtype(type);
}

/* Write ip's inode, as the mount's sync flag says. */
static int
ffs_iflush(struct ffs_inode *ip)
{

	return ffs_iupdate(ip, (ip->i_fm->fm_mp->mnt_flag &
	    MNT_SYNCHRONOUS) != 0);
}

/*
 * Make a file of the given type with vap's attributes, name it cnp in
 * dvp, and return its vnode: the common body of create, mknod, mkdir
 * and symlink.
 */
static int
ffs_mkfile(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp,
    struct vattr *vap, enum vtype type, const char *target)
{
	struct ffs_inode *dp = VTOI(dvp), *ip;
	struct ffs_mount *fm = dp->i_fm;
	kauth_cred_t cred = cnp->cn_cred;
	struct timespec now;
	struct vnode *vp;
	size_t tlen = target != NULL ? strlen(target) : 0;
	ino_t ino;
	int error;

	*vpp = NULL;
	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if (fm->fm_ronly)
		return EROFS;
	if (DIP(dp, nlink) <= 0)
		return ENOENT;
	if (cnp->cn_namelen > FFS_MAXNAMLEN)
		return ENAMETOOLONG;
	if (type == VDIR && DIP(dp, nlink) >= FFS_LINK_MAX)
		return EMLINK;
	if ((error = ffs_dirlookup(dp, cnp->cn_nameptr, cnp->cn_namelen,
	    &ino, NULL)) != ENOENT)
		return error != 0 ? error : EEXIST;

	if ((error = ffs_ialloc(dp, MAKEIMODE(type, vap->va_mode), cred,
	    &ino)) != 0)
		return error;
	if ((error = vcache_get(dvp->v_mount, &ino, sizeof(ino), &vp)) != 0) {
		ffs_ifree(fm, ino, MAKEIMODE(type, 0));
		return error;
	}
	ip = VTOI(vp);
	if (DIP(ip, mode) != 0 || vp->v_type != VNON) {
		ffs_bad(fm, ino, "allocated, but in use: the inode map is "
		    "damaged");
		vrele(vp);
		return EIO;
	}
	memset(&ip->i_din, 0, sizeof(ip->i_din));
	DIP_SET(ip, mode, MAKEIMODE(type, vap->va_mode & ALLPERMS));
	DIP_SET(ip, nlink, type == VDIR ? 2 : 1);
	DIP_SET(ip, uid, vap->va_uid);
	DIP_SET(ip, gid, vap->va_gid);
	DIP_SET(ip, gen, atomic_inc_uint_nv(&fm->fm_nextgen));
	vfs_timestamp(&now);
	DIP_SET(ip, atime, now.tv_sec);
	DIP_SET(ip, atimensec, (int32_t)now.tv_nsec);
	DIP_SET(ip, mtime, now.tv_sec);
	DIP_SET(ip, mtimensec, (int32_t)now.tv_nsec);
	DIP_SET(ip, ctime, now.tv_sec);
	DIP_SET(ip, ctimensec, (int32_t)now.tv_nsec);
	if (fm->fm_ufs2) {
		ip->i_din.d2.di_birthtime = now.tv_sec;
		ip->i_din.d2.di_birthnsec = (int32_t)now.tv_nsec;
		ip->i_din.d2.di_blksize = (uint32_t)fm->fm_fs->fs_bsize;
	}
	if (type == VCHR || type == VBLK)
		DIP_SET(ip, db[0], (int32_t)ffs_dev_encode(vap->va_rdev));
	ip->i_flag = IN_MODIFIED;
	vp->v_type = type;

	if (type == VDIR)
		error = ffs_dirinit(ip, dp->i_number, cred);
	else if (type == VLNK && tlen < (size_t)fm->fm_maxsymlinklen) {
		memcpy(ffs_shortlink(ip), target, tlen);
		DIP_SET(ip, size, tlen);
	} else if (type == VLNK) {
		struct iovec iov;
		struct uio uio;

		uio_setup_sys(&uio, &iov, __UNCONST(target), tlen, 0,
		    UIO_WRITE);
		error = ffs_rdwr(ip, &uio, 0, cred);
	}
	if (error == 0)
		error = ffs_iflush(ip);
	if (error == 0)
		error = ffs_direnter(dp, cnp->cn_nameptr, cnp->cn_namelen,
		    ino, ffs_dtype(type), cred);
	if (error != 0) {
		/* Nobody saw it: the last reference frees it. */
		DIP_SET(ip, nlink, 0);
		vrele(vp);
		return error;
	}
	if (type == VDIR) {
		DIP_SET(dp, nlink, DIP(dp, nlink) + 1);
		dp->i_flag |= IN_CHANGE;
	}
	(void)ffs_iflush(dp);
	*vpp = vp;
	return 0;
}

/* create and mknod: a file of any type but a directory or a link. */
static int
ffs_mknod(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp,
    struct vattr *vap)
{

	if (!vtype_isnode(vap->va_type)) {
		*vpp = NULL;
		return EINVAL;
	}
	return ffs_mkfile(dvp, vpp, cnp, vap, vap->va_type, NULL);
}

static int
ffs_mkdir(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp,
    struct vattr *vap)
{

	return ffs_mkfile(dvp, vpp, cnp, vap, VDIR, NULL);
}

static int
ffs_symlink(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp,
    struct vattr *vap, const char *target)
{

	return ffs_mkfile(dvp, vpp, cnp, vap, VLNK, target);
}

static int
ffs_open(struct vnode *vp, int fflag, kauth_cred_t cred)
{

	return 0;
}

static int
ffs_close(struct vnode *vp, int fflag, kauth_cred_t cred)
{

	return 0;
}

static int
ffs_access(struct vnode *vp, accmode_t accmode, kauth_cred_t cred)
{
	struct ffs_inode *ip = VTOI(vp);

	if ((accmode & VWRITE) && ip->i_fm->fm_ronly &&
	    (vp->v_type == VREG || vp->v_type == VDIR || vp->v_type == VLNK))
		return EROFS;
	return vaccess(vp->v_type, (mode_t)DIP(ip, mode) & ALLPERMS,
	    (uid_t)DIP(ip, uid), (gid_t)DIP(ip, gid), accmode, cred);
}

static void
ffs_gettime(struct ffs_inode *ip, struct timespec *ts, int64_t sec,
    int32_t nsec)
{

	ts->tv_sec = sec;
	ts->tv_nsec = (nsec >= 0 && nsec < 1000000000) ? nsec : 0;
}

static int
ffs_getattr(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{
	struct ffs_inode *ip = VTOI(vp);
	struct ffs_mount *fm = ip->i_fm;

	ffs_itimes(ip);
	vap->va_type = vp->v_type;
	vap->va_mode = (mode_t)DIP(ip, mode) & ALLPERMS;
	vap->va_nlink = (nlink_t)MAX(DIP(ip, nlink), 0);
	vap->va_uid = (uid_t)DIP(ip, uid);
	vap->va_gid = (gid_t)DIP(ip, gid);
	vap->va_fsid = (dev_t)vp->v_mount->mnt_stat.f_fsid;
	vap->va_fileid = ip->i_number;
	vap->va_size = DIP(ip, size);
	vap->va_blocksize = (blksize_t)fm->fm_fs->fs_bsize;
	ffs_gettime(ip, &vap->va_atime, DIP(ip, atime),
	    (int32_t)DIP(ip, atimensec));
	ffs_gettime(ip, &vap->va_mtime, DIP(ip, mtime),
	    (int32_t)DIP(ip, mtimensec));
	ffs_gettime(ip, &vap->va_ctime, DIP(ip, ctime),
	    (int32_t)DIP(ip, ctimensec));
	if (fm->fm_ufs2)
		ffs_gettime(ip, &vap->va_birthtime, ip->i_din.d2.di_birthtime,
		    ip->i_din.d2.di_birthnsec);
	else
		vap->va_birthtime = vap->va_ctime;
	vap->va_flags = (uint32_t)DIP(ip, flags);
	vap->va_gen = (uint64_t)(uint32_t)DIP(ip, gen);
	vap->va_rdev = (vp->v_type == VCHR || vp->v_type == VBLK) ?
	    ffs_dev_decode((uint32_t)DIP(ip, db[0])) : 0;
	vap->va_bytes = (uint64_t)DIP(ip, blocks) > INT64_MAX / DEV_BSIZE ?
	    INT64_MAX : DIP(ip, blocks) * DEV_BSIZE;
	return 0;
}

/* Store a time stamp of VOP_SETATTR; UTIME_NOW and UTIME_OMIT too. */
static bool
ffs_settime(const struct timespec *src, const struct timespec *now,
    struct timespec *dst)
{

	if (src->tv_sec == VNOVAL || src->tv_nsec == UTIME_OMIT)
		return false;
	*dst = src->tv_nsec == UTIME_NOW ? *now : *src;
	return true;
}

static int
ffs_setattr(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{
	struct ffs_inode *ip = VTOI(vp);
	struct timespec now, ts;
	int error;

	if (ip->i_fm->fm_ronly)
		return EROFS;
	vfs_timestamp(&now);
	if (vap->va_size != VNOVAL) {
		switch (vp->v_type) {
		case VREG:
			if ((error = ffs_truncate(ip, vap->va_size, cred)) != 0)
				return error;
			break;
		case VDIR:
			return EISDIR;
		case VLNK:
			return EINVAL;
		default:
			break;	/* no data */
		}
	}
	if (vap->va_mode != (mode_t)VNOVAL)
		DIP_SET(ip, mode, (DIP(ip, mode) & FFS_IFMT) |
		    (vap->va_mode & ALLPERMS));
	if (vap->va_uid != (uid_t)VNOVAL)
		DIP_SET(ip, uid, vap->va_uid);
	if (vap->va_gid != (gid_t)VNOVAL)
		DIP_SET(ip, gid, vap->va_gid);
	if (vap->va_flags != (uint32_t)VNOVAL)
		DIP_SET(ip, flags, vap->va_flags);
	ffs_itimes(ip);
	if (ffs_settime(&vap->va_atime, &now, &ts)) {
		DIP_SET(ip, atime, ts.tv_sec);
		DIP_SET(ip, atimensec, (int32_t)ts.tv_nsec);
	}
	if (ffs_settime(&vap->va_mtime, &now, &ts)) {
		DIP_SET(ip, mtime, ts.tv_sec);
		DIP_SET(ip, mtimensec, (int32_t)ts.tv_nsec);
	}
	ip->i_flag |= IN_CHANGE;
	return ffs_iflush(ip);
}

static int
ffs_read(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{

	if (vp->v_type == VDIR)
		return EISDIR;
	if (vp->v_type != VREG)
		return EINVAL;
	return ffs_rdwr(VTOI(vp), uio, ioflag, cred);
}

static int
ffs_write(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{

	if (vp->v_type == VDIR)
		return EISDIR;
	if (vp->v_type != VREG)
		return EINVAL;
	if (VTOI(vp)->i_fm->fm_ronly)
		return EROFS;
	return ffs_rdwr(VTOI(vp), uio, ioflag, cred);
}

/*
 * The file's data and inode go to the device with everything else
 * dirty on it: the cache does not track buffers by file.
 */
static int
ffs_fsync(struct vnode *vp, kauth_cred_t cred, int flags)
{
	struct ffs_inode *ip = VTOI(vp);
	int error;

	if (ip->i_fm->fm_ronly)
		return 0;
	if ((error = ffs_iupdate(ip, false)) != 0)
		return error;
	return bflush(ip->i_fm->fm_bd, BF_STABLE);
}

/* Is cnp's entry in dp the inode of vp? */
static int
ffs_entry_is(struct ffs_inode *dp, struct componentname *cnp,
    struct vnode *vp)
{
	ino_t ino;
	int error;

	if ((error = ffs_dirlookup(dp, cnp->cn_nameptr, cnp->cn_namelen,
	    &ino, NULL)) != 0)
		return error;
	return ino == VTOI(vp)->i_number ? 0 : ENOENT;
}

static void
ffs_addlink(struct ffs_inode *ip, int n)
{

	DIP_SET(ip, nlink, DIP(ip, nlink) + n);
	ip->i_flag |= IN_CHANGE;
}

static int
ffs_remove(struct vnode *dvp, struct vnode *vp, struct componentname *cnp)
{
	struct ffs_inode *dp = VTOI(dvp), *ip = VTOI(vp);
	int error;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if (vp->v_type == VDIR)
		return EPERM;
	if (dp->i_fm->fm_ronly)
		return EROFS;
	if ((error = ffs_entry_is(dp, cnp, vp)) != 0 ||
	    (error = ffs_dirremove(dp, cnp->cn_nameptr, cnp->cn_namelen)) != 0)
		return error;
	ffs_addlink(ip, -1);
	(void)ffs_iflush(dp);
	return ffs_iflush(ip);
}

static int
ffs_rmdir(struct vnode *dvp, struct vnode *vp, struct componentname *cnp)
{
	struct ffs_inode *dp = VTOI(dvp), *ip = VTOI(vp);
	bool empty;
	int error;

	if (dvp->v_type != VDIR || vp->v_type != VDIR)
		return ENOTDIR;
	if (dvp == vp)
		return EINVAL;
	if (dp->i_fm->fm_ronly)
		return EROFS;
	if ((error = ffs_entry_is(dp, cnp, vp)) != 0 ||
	    (error = ffs_dirempty(ip, dp->i_number, &empty)) != 0)
		return error;
	if (!empty)
		return ENOTEMPTY;
	if ((error = ffs_dirremove(dp, cnp->cn_nameptr,
	    cnp->cn_namelen)) != 0)
		return error;
	ffs_addlink(dp, -1);		/* its ".." */
	DIP_SET(ip, nlink, 0);		/* its entry and its "." */
	ip->i_flag |= IN_CHANGE;
	(void)ffs_iflush(dp);
	return ffs_iflush(ip);
}

static int
ffs_link(struct vnode *dvp, struct vnode *vp, struct componentname *cnp)
{
	struct ffs_inode *dp = VTOI(dvp), *ip = VTOI(vp);
	ino_t ino;
	int error;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if (dvp->v_mount != vp->v_mount)
		return EXDEV;
	if (vp->v_type == VDIR)
		return EPERM;
	if (dp->i_fm->fm_ronly)
		return EROFS;
	if (DIP(dp, nlink) <= 0 || DIP(ip, nlink) <= 0)
		return ENOENT;
	if (DIP(ip, nlink) >= FFS_LINK_MAX)
		return EMLINK;
	if (cnp->cn_namelen > FFS_MAXNAMLEN)
		return ENAMETOOLONG;
	if ((error = ffs_dirlookup(dp, cnp->cn_nameptr, cnp->cn_namelen,
	    &ino, NULL)) != ENOENT)
		return error != 0 ? error : EEXIST;
	ffs_addlink(ip, 1);
	if ((error = ffs_iflush(ip)) == 0 &&
	    (error = ffs_direnter(dp, cnp->cn_nameptr, cnp->cn_namelen,
	    ip->i_number, ffs_dtype(vp->v_type), cnp->cn_cred)) == 0)
		return ffs_iflush(dp);
	ffs_addlink(ip, -1);
	(void)ffs_iflush(ip);
	return error;
}

/*
 * Move fvp from fdvp/fcnp to tdvp/tcnp, replacing tvp.  The checks come
 * first; then the new name, then the old name goes, and a moved
 * directory's ".." follows.  (A crash in between leaves two names for
 * one link; fsck_ffs sets the count right.)
 */
static int
ffs_rename(struct vnode *fdvp, struct vnode *fvp, struct componentname *fcnp,
    struct vnode *tdvp, struct vnode *tvp, struct componentname *tcnp)
{
	struct ffs_inode *fdp = VTOI(fdvp), *fip = VTOI(fvp);
	struct ffs_inode *tdp = VTOI(tdvp);
	struct ffs_inode *tip = tvp != NULL ? VTOI(tvp) : NULL;
	bool isdir = fvp->v_type == VDIR, moved = fdp != tdp, empty;
	int dtype = ffs_dtype(fvp->v_type), error;
	ino_t ino;

	if (fdvp->v_type != VDIR || tdvp->v_type != VDIR)
		return ENOTDIR;
	if (fdvp->v_mount != tdvp->v_mount || fvp->v_mount != tdvp->v_mount)
		return EXDEV;
	if (fdp->i_fm->fm_ronly)
		return EROFS;
	if (DIP(tdp, nlink) <= 0)
		return ENOENT;
	if (tcnp->cn_namelen > FFS_MAXNAMLEN)
		return ENAMETOOLONG;
	if ((error = ffs_entry_is(fdp, fcnp, fvp)) != 0)
		return error;
	error = ffs_dirlookup(tdp, tcnp->cn_nameptr, tcnp->cn_namelen, &ino,
	    NULL);
	if (error != 0 && error != ENOENT)
		return error;
	if (tip == NULL && error == 0)
		return EEXIST;
	if (tip != NULL && (error != 0 || ino != tip->i_number))
		return ENOENT;
	if (tip == fip)
		return 0;		/* two names of one file */
	if (tip != NULL) {
		if (tvp->v_type == VDIR) {
			if (!isdir)
				return EISDIR;
			if ((error = ffs_dirempty(tip, tdp->i_number,
			    &empty)) != 0)
				return error;
			if (!empty)
				return ENOTEMPTY;
		} else if (isdir)
			return ENOTDIR;
	}
	if (isdir && moved && tip == NULL &&
	    DIP(tdp, nlink) >= FFS_LINK_MAX)
		return EMLINK;

	if (tip != NULL) {
		error = ffs_dirrewrite(tdp, tcnp->cn_nameptr,
		    tcnp->cn_namelen, fip->i_number, dtype);
		if (error != 0)
			return error;
		if (tvp->v_type == VDIR) {
			DIP_SET(tip, nlink, 0);	/* entry and "." */
			tip->i_flag |= IN_CHANGE;
			ffs_addlink(tdp, -1);	/* its ".." */
		} else
			ffs_addlink(tip, -1);
		(void)ffs_iflush(tip);
	} else if ((error = ffs_direnter(tdp, tcnp->cn_nameptr,
	    tcnp->cn_namelen, fip->i_number, dtype, tcnp->cn_cred)) != 0)
		return error;
	if (isdir && moved)
		ffs_addlink(tdp, 1);	/* fvp's ".." */

	if ((error = ffs_dirremove(fdp, fcnp->cn_nameptr,
	    fcnp->cn_namelen)) != 0)
		ffs_bad(fdp->i_fm, fdp->i_number, "rename: old name lost: "
		    "error %d", error);
	fip->i_flag |= IN_CHANGE;
	if (isdir && moved) {
		if ((error = ffs_dirrewrite(fip, "..", 2, tdp->i_number,
		    DT_DIR)) != 0)
			ffs_bad(fip->i_fm, fip->i_number, "rename: \"..\" not "
			    "changed: error %d", error);
		ffs_addlink(fdp, -1);
	}
	(void)ffs_iflush(fdp);
	(void)ffs_iflush(tdp);
	return ffs_iflush(fip);
}

static int
ffs_readdir(struct vnode *vp, struct uio *uio, kauth_cred_t cred, int *eofp)
{
	struct ffs_inode *ip = VTOI(vp);
	int error, eof;

	if (vp->v_type != VDIR)
		return ENOTDIR;
	error = ffs_dirreaddir(ip, uio, &eof);
	if (eofp != NULL)
		*eofp = eof;
	if (error == 0 &&
	    (vp->v_mount->mnt_flag & (MNT_NOATIME | MNT_RDONLY)) == 0)
		ip->i_flag |= IN_ACCESS;
	return error;
}

static int
ffs_readlink(struct vnode *vp, struct uio *uio, kauth_cred_t cred)
{
	struct ffs_inode *ip = VTOI(vp);
	int64_t size = DIP(ip, size);

	if (vp->v_type != VLNK)
		return EINVAL;
	if (size <= 0 || size >= MAXPATHLEN) {
		ffs_bad(ip->i_fm, ip->i_number, "symbolic link of %lld bytes",
		    (long long)size);
		return EIO;
	}
	if (ffs_isshortlink(ip))
		return uiomove(ffs_shortlink(ip), MIN((size_t)size,
		    uio->uio_resid), uio);
	if ((uint64_t)uio->uio_offset >= (uint64_t)size)
		return 0;
	return ffs_rdwr(ip, uio, 0, cred);
}

/*
 * The last reference goes.  An inode with no links left loses its
 * blocks now and is freed at reclaim, once no lookup can find the
 * vnode any more.
 */
static int
ffs_inactive(struct vnode *vp, bool *recyclep)
{
	struct ffs_inode *ip = VTOI(vp);

	*recyclep = false;
	if (ip == NULL)
		return 0;
	if (vp->v_type == VNON) {
		*recyclep = true;	/* a free inode, looked at */
		return 0;
	}
	if (DIP(ip, nlink) <= 0 && !ip->i_fm->fm_ronly) {
		if (vp->v_type == VREG || vp->v_type == VDIR ||
		    (vp->v_type == VLNK && !ffs_isshortlink(ip)))
			(void)ffs_truncate(ip, 0, curlwp->l_cred);
		*recyclep = true;
	}
	return ffs_iupdate(ip, false);
}

static int
ffs_reclaim(struct vnode *vp)
{
	struct ffs_inode *ip = VTOI(vp);
	struct ffs_mount *fm;
	mode_t mode;

	if (ip == NULL)
		return 0;
	fm = ip->i_fm;
	if (vp->v_type != VNON && DIP(ip, nlink) <= 0 && !fm->fm_ronly) {
		/* Give the inode back, zeroed on disk first. */
		mode = (mode_t)DIP(ip, mode);
		if (DIP(ip, blocks) != 0 && (vp->v_type == VREG ||
		    vp->v_type == VDIR || vp->v_type == VLNK))
			(void)ffs_truncate(ip, 0, curlwp->l_cred);
		memset(&ip->i_din, 0, sizeof(ip->i_din));
		ip->i_flag = IN_MODIFIED;
		(void)ffs_iupdate(ip, false);
		ffs_ifree(fm, ip->i_number, mode);
	} else if (vp->v_type != VNON)
		(void)ffs_iupdate(ip, false);
	ffs_dirhash_destroy(ip->i_dirhash);
	vp->v_data = NULL;
	kmem_free(ip, sizeof(*ip));
	return 0;
}

static int
ffs_pathconf(struct vnode *vp, int name, register_t *retval)
{

	return vfs_stdpathconf(name, FFS_LINK_MAX, FFS_MAXNAMLEN,
	    MAXPATHLEN - 1, retval);
}

const struct vnodeops ffs_vnodeops = {
	.vop_lookup = ffs_lookup,
	.vop_create = ffs_mknod,
	.vop_mknod = ffs_mknod,
	.vop_mkdir = ffs_mkdir,
	.vop_symlink = ffs_symlink,
	.vop_open = ffs_open,
	.vop_close = ffs_close,
	.vop_access = ffs_access,
	.vop_getattr = ffs_getattr,
	.vop_setattr = ffs_setattr,
	.vop_read = ffs_read,
	.vop_write = ffs_write,
	.vop_fsync = ffs_fsync,
	.vop_remove = ffs_remove,
	.vop_rmdir = ffs_rmdir,
	.vop_link = ffs_link,
	.vop_rename = ffs_rename,
	.vop_readdir = ffs_readdir,
	.vop_readlink = ffs_readlink,
	.vop_inactive = ffs_inactive,
	.vop_reclaim = ffs_reclaim,
	.vop_pathconf = ffs_pathconf,
	.vop_ioctl = NULL,
	.vop_poll = NULL,
};
