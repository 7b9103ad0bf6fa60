/*
 * Open files on vnodes (kernel VFS): opening a path (permission checks,
 * creation, truncation, fifos, devices), and the file operations of an
 * open vnode: read, write, seek, stat, truncate, fsync, poll, advisory
 * locks.  A fifo's data goes through its pipe, a device's through its
 * driver (sys/conf.h), whose number the open file keeps, so a device
 * stays usable and is closed properly even after its vnode is revoked.
 *
 * Lock order: the file's f_lock (offset), then the vnode lock.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/atomic.h>
#include <sys/conf.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/pipe.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>

/*
 * The attributes of a new file in directory dvp (locked): the owner is
 * the caller, the group the caller's effective group unless the
 * directory is set-group-ID (then the directory's), as Linux does.
 */
int
vn_newattr(struct vnode *dvp, enum vtype type, mode_t mode, struct vattr *va)
{
	kauth_cred_t cred = curlwp->l_cred;
	struct vattr dva;
	int error;

	if ((error = VOP_GETATTR(dvp, &dva, cred)) != 0)
		return error;
	vattr_null(va);
	va->va_type = type;
	va->va_mode = mode & ALLPERMS;
	va->va_uid = kauth_cred_geteuid(cred);
	if (dva.va_mode & S_ISGID) {
		va->va_gid = dva.va_gid;
		if (type == VDIR)
			va->va_mode |= S_ISGID;
	} else
		va->va_gid = kauth_cred_getegid(cred);
	/* Only a member of the group keeps a set-group-ID bit. */
	if ((va->va_mode & S_ISGID) && type != VDIR &&
	    !kauth_cred_groupmember(cred, va->va_gid) &&
	    !kauth_cred_issuser(cred))
		va->va_mode &= ~S_ISGID;
	return 0;
}

/*
 * A write or truncation by a caller without privilege takes the
 * set-user-ID bit off a regular file, and the set-group-ID bit too if
 * the group may execute it or the caller is not of the group (as Linux
 * does).  vp locked.
 */
static int
vn_killpriv(struct vnode *vp, kauth_cred_t cred)
{
	struct vattr va, nva;
	mode_t kill;
	int error;

	if (vp->v_type != VREG || kauth_cred_issuser(cred))
		return 0;
	if ((error = VOP_GETATTR(vp, &va, cred)) != 0)
		return error;
	kill = va.va_mode & S_ISUID;
	if ((va.va_mode & S_ISGID) && ((va.va_mode & S_IXGRP) ||
	    !kauth_cred_groupmember(cred, va.va_gid)))
		kill |= S_ISGID;
	if (kill == 0)
		return 0;
	vattr_null(&nva);
	nva.va_mode = va.va_mode & ~kill;
	return VOP_SETATTR(vp, &nva, cred);
}

/* Set the size of vp (locked, a regular file) for truncate and O_TRUNC. */
int
vn_truncate(struct vnode *vp, off_t len, kauth_cred_t cred)
{
	struct vattr va;
	int error;

	if ((error = vn_killpriv(vp, cred)) != 0)
		return error;
	vattr_null(&va);
	va.va_size = len;
	return VOP_SETATTR(vp, &va, cred);
}

static const struct fileops vnops_fifo;

/* Fifos: the pipe behind a fifo vnode, made on first open. */
static struct pipe *
vn_fifo_pipe(struct vnode *vp)
{
	struct pipe *pp, *npp = NULL;

	for (;;) {
		mutex_enter(&vp->v_interlock);
		if ((pp = vp->v_specdata) == NULL && npp != NULL) {
			vp->v_specdata = pp = npp;
			npp = NULL;
		}
		mutex_exit(&vp->v_interlock);
		if (pp != NULL)
			break;
		npp = pipe_alloc();
	}
	if (npp != NULL)
		pipe_free(npp);
	return pp;
}

static void
vn_fifo_close(struct vnode *vp, int fflag)
{
	struct pipe *pp = vp->v_specdata;

	mutex_enter(&vp->v_interlock);
	if (pipe_close(pp, fflag & (FREAD | FWRITE))) {
		vp->v_specdata = NULL;
		mutex_exit(&vp->v_interlock);
		pipe_free(pp);
		return;
	}
	mutex_exit(&vp->v_interlock);
}

/*
 * Open vp (referenced, unlocked) for fflag, for the open file fp (not
 * yet installed): permission checks, VOP_OPEN, truncation, and for a
 * device its driver's open (fp records which device).  created: the
 * caller just made the file (no permission check against its mode).
 */
int
vn_open(struct vnode *vp, int fflag, kauth_cred_t cred, bool created,
    struct file *fp)
{
	const struct devsw *d;
	accmode_t acc = 0;
	struct vattr va;
	dev_t rdev = NODEV;
	int error, fmt = 0;

	vn_lock(vp, LK_EXCLUSIVE);
	switch (vp->v_type) {
	case VDIR:
		if (fflag & (FWRITE | O_TRUNC)) {
			error = EISDIR;
			goto out;
		}
		break;
	case VLNK:
		/* O_NOFOLLOW met a link: Linux judges O_DIRECTORY first. */
		error = (fflag & O_DIRECTORY) ? ENOTDIR : ELOOP;
		goto out;
	case VSOCK:
		error = ENXIO;
		goto out;
	case VCHR:
	case VBLK:
		/* Linux refuses device files on a "nodev" mount so. */
		if (vp->v_mount->mnt_flag & MNT_NODEV) {
			error = EACCES;
			goto out;
		}
		if ((error = VOP_GETATTR(vp, &va, cred)) != 0)
			goto out;
		fmt = vp->v_type == VCHR ? S_IFCHR : S_IFBLK;
		rdev = va.va_rdev;
		/* FALLTHROUGH */
	default:
		if (fflag & O_DIRECTORY) {
			error = ENOTDIR;
			goto out;
		}
		break;
	}
	if (!created) {
		if (fflag & FREAD)
			acc |= VREAD;
		if (fflag & (FWRITE | O_TRUNC))
			acc |= VWRITE;
		if (acc != 0 && (error = VOP_ACCESS(vp, acc, cred)) != 0)
			goto out;
	}
	if ((error = VOP_OPEN(vp, fflag, cred)) != 0)
		goto out;
	/* O_TRUNC truncates even a read-only open, as on Linux. */
	if ((fflag & O_TRUNC) && vp->v_type == VREG && !created) {
		if ((error = vn_truncate(vp, 0, cred)) != 0) {
			(void)VOP_CLOSE(vp, fflag, cred);
			goto out;
		}
	}
	VOP_UNLOCK(vp);
	if (vp->v_type == VFIFO) {
		error = pipe_open(vn_fifo_pipe(vp), fflag, true);
		if (error != 0)
			vn_fifo_close(vp, 0);
	} else if (fmt != 0) {
		/* A device: its driver, if there is one, opens it. */
		if ((d = devsw_lookup(rdev, fmt)) == NULL)
			error = ENXIO;
		else if ((error = d->d_open(rdev, fflag, fmt)) == 0) {
			fp->f_devfmt = fmt;
			fp->f_rdev = rdev;
		}
	}
	if (error != 0) {
		vn_lock(vp, LK_EXCLUSIVE);
		(void)VOP_CLOSE(vp, fflag, cred);
		VOP_UNLOCK(vp);
	}
	return error;
out:
	VOP_UNLOCK(vp);
	return error;
}

/* Make fp an open file of vp, vn_open()ed with fflag; fp takes vp's ref. */
void
vn_file_init(struct file *fp, struct vnode *vp, int fflag)
{

	fp->f_type = DTYPE_VNODE;
	fp->f_ops = vp->v_type == VFIFO ? &vnops_fifo : &vnops;
	fp->f_data = vp;
	fp->f_flag = fflag & FMASK;
}

/*
 * The open() of a path: look it up (creating it for O_CREAT) and open
 * the vnode, as an open file with one reference in *fpp.
 */
int
vn_openfile(int atfd, const char *path, int oflags, mode_t mode,
    struct file **fpp)
{
	struct lwp *l = curlwp;
	kauth_cred_t cred = l->l_cred;
	struct nameidata nd;
	struct vnode *vp, *dvp;
	struct vattr va;
	struct file *fp;
	bool created = false;
	int fflag, error;

	/* Linux since 6.4: O_CREAT with O_DIRECTORY means nothing sane. */
	if ((oflags & O_ACCMODE) == O_ACCMODE ||
	    (oflags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return EINVAL;
	fflag = FFLAGS(oflags);
	if (oflags & O_CREAT) {
		namei_setup(&nd, path, UIO_USERSPACE, atfd, CREATE,
		    LOCKPARENT | ((oflags & (O_EXCL | O_NOFOLLOW)) ? 0 :
		    FOLLOW));
		if ((error = namei(&nd)) != 0)
			return error;
		dvp = nd.nd_dvp;
		if (nd.nd_trailslash)
			error = EISDIR;		/* Linux: whatever is there */
		else if (nd.nd_vp == NULL) {
			KASSERT(dvp != NULL);
			if ((error = VOP_ACCESS(dvp, VWRITE, cred)) == 0 &&
			    (error = vn_newattr(dvp, VREG,
			    mode & ~curproc->p_umask, &va)) == 0)
				error = VOP_CREATE(dvp, &nd.nd_vp, &nd.nd_cn,
				    &va);
			created = error == 0;
		} else if (oflags & O_EXCL)
			error = EEXIST;
		else if (nd.nd_vp->v_type == VDIR)
			error = EISDIR;
		if (dvp != NULL)
			VOP_UNLOCK(dvp);
		if (error != 0) {
			namei_done(&nd);
			return error;
		}
	} else {
		namei_setup(&nd, path, UIO_USERSPACE, atfd, LOOKUP,
		    (oflags & O_NOFOLLOW) ? 0 : FOLLOW);
		if ((error = namei(&nd)) != 0)
			return error;
	}
	vp = nd.nd_vp;
	fp = file_alloc(cred);
	if ((error = vn_open(vp, fflag, cred, created, fp)) != 0) {
		file_rele(fp);
		namei_done(&nd);
		return error;
	}
	nd.nd_vp = NULL;	/* the open file keeps the reference */
	namei_done(&nd);
	vn_file_init(fp, vp, fflag);
	*fpp = fp;
	return 0;
}

/* The open() of a path, with a descriptor for the open file. */
int
vn_openat(int atfd, const char *path, int oflags, mode_t mode,
    register_t *retval)
{
	struct file *fp;
	int error, fd;

	if ((error = vn_openfile(atfd, path, oflags, mode, &fp)) != 0)
		return error;
	error = fd_alloc(curproc, fp, 0, (oflags & O_CLOEXEC) != 0, &fd);
	file_rele(fp);
	if (error == 0)
		*retval = fd;
	return error;
}

/* Fill a struct stat from the attributes of vp (unlocked). */
int
vn_stat(struct vnode *vp, void *kst)
{
	struct stat *st = kst;
	struct vattr va;
	int error;

	vn_lock(vp, LK_SHARED);
	error = VOP_GETATTR(vp, &va, curlwp->l_cred);
	VOP_UNLOCK(vp);
	if (error != 0)
		return error;
	memset(st, 0, sizeof(*st));
	st->st_dev = va.va_fsid;
	st->st_ino = va.va_fileid;
	st->st_mode = VTTOIF(va.va_type) | (va.va_mode & ALLPERMS);
	st->st_nlink = va.va_nlink;
	st->st_uid = va.va_uid;
	st->st_gid = va.va_gid;
	st->st_rdev = (va.va_type == VCHR || va.va_type == VBLK) ?
	    va.va_rdev : 0;
	st->st_size = va.va_type == VFIFO ? 0 : va.va_size;
	st->st_blocks = va.va_bytes / 512;
	st->st_blksize = va.va_blocksize;
	st->st_flags = va.va_flags;
	st->st_atim = va.va_atime;
	st->st_mtim = va.va_mtime;
	st->st_ctim = va.va_ctime;
	st->st_birthtim = va.va_birthtime;
	return 0;
}

int
vn_rdwr(enum uio_rw rw, struct vnode *vp, void *buf, size_t len, off_t off,
    int ioflag, kauth_cred_t cred, size_t *residp)
{
	struct iovec iov;
	struct uio uio;
	int error;

	uio_setup_sys(&uio, &iov, buf, len, off, rw);
	vn_lock(vp, LK_EXCLUSIVE);
	error = rw == UIO_READ ? VOP_READ(vp, &uio, ioflag, cred) :
	    VOP_WRITE(vp, &uio, ioflag, cred);
	VOP_UNLOCK(vp);
	if (residp != NULL)
		*residp = uio.uio_resid;
	else if (error == 0 && uio.uio_resid != 0)
		error = EIO;
	return error;
}

/*
 * The file operations of open vnodes.
 */

static int
vn_fo_rw(struct file *fp, off_t *offp, struct uio *uio, int flags)
{
	struct vnode *vp = fp->f_data;
	u_int fflag = atomic_load_relaxed(&fp->f_flag);
	const struct devsw *d = NULL;
	int ioflag = 0, error;

	if (fp->f_devfmt != 0)
		d = devsw_lookup(fp->f_rdev, fp->f_devfmt);
	else if (vp->v_type == VFIFO) {
		/* (Positioned calls stop at vnops_fifo's missing seek.) */
		return uio->uio_rw == UIO_READ ?
		    pipe_read(vp->v_specdata, uio, fflag) :
		    pipe_write(vp->v_specdata, uio, fflag);
	}
	if (vp->v_type == VDIR)
		return EISDIR;
	if (fflag & O_NONBLOCK)
		ioflag |= IO_NDELAY;
	if (fflag & O_DIRECT)
		ioflag |= IO_DIRECT;
	if (uio->uio_rw == UIO_WRITE) {
		if (fflag & O_APPEND)
			ioflag |= IO_APPEND;
		if (fflag & O_SYNC)
			ioflag |= IO_SYNC;
		if (fflag & O_DSYNC)
			ioflag |= IO_DSYNC;
	}
	if (flags & FOF_UPDATE_OFFSET) {
		mutex_enter(&fp->f_lock);
		uio->uio_offset = *offp;
	}
	if (d != NULL) {
		/* A device: its driver, without the vnode. */
		error = uio->uio_rw == UIO_READ ?
		    d->d_read(fp->f_rdev, uio, ioflag) :
		    d->d_write(fp->f_rdev, uio, ioflag & ~IO_APPEND);
	} else {
		vn_lock(vp, LK_EXCLUSIVE);
		if (uio->uio_rw == UIO_READ)
			error = VOP_READ(vp, uio, ioflag, fp->f_cred);
		else if (uio->uio_resid == 0 ||
		    (error = vn_killpriv(vp, curlwp->l_cred)) == 0)
			error = VOP_WRITE(vp, uio, ioflag, fp->f_cred);
		VOP_UNLOCK(vp);
	}
	if (flags & FOF_UPDATE_OFFSET) {
		*offp = uio->uio_offset;
		mutex_exit(&fp->f_lock);
	}
	return error;
}

static int
vn_fo_seek(struct file *fp, off_t off, int whence, off_t *newoffp)
{
	struct vnode *vp = fp->f_data;
	const struct devsw *d;
	struct vattr va;
	off_t base;
	int error = 0;

	mutex_enter(&fp->f_lock);
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = fp->f_offset;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		/*
		 * The whole file is data, then one hole at its end (what
		 * POSIX allows a file system that keeps no holes to say).
		 */
		vn_lock(vp, LK_SHARED);
		error = VOP_GETATTR(vp, &va, fp->f_cred);
		VOP_UNLOCK(vp);
		if (error == 0 && (off < 0 || off >= va.va_size))
			error = ENXIO;
		else if (error == 0)
			*newoffp = fp->f_offset = whence == SEEK_DATA ? off :
			    va.va_size;
		mutex_exit(&fp->f_lock);
		return error;
	case SEEK_END:
		if (fp->f_devfmt != 0) {
			/* A device's end is its size, if it has one. */
			d = devsw_lookup(fp->f_rdev, fp->f_devfmt);
			base = 0;
			if (d->d_size != NULL)
				error = d->d_size(fp->f_rdev, &base);
			break;
		}
		vn_lock(vp, LK_SHARED);
		error = VOP_GETATTR(vp, &va, fp->f_cred);
		VOP_UNLOCK(vp);
		base = va.va_size;
		break;
	default:
		error = EINVAL;
		break;
	}
	if (error == 0) {
		if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
			error = off > 0 ? EOVERFLOW : EINVAL;
		else
			*newoffp = fp->f_offset = base + off;
	}
	mutex_exit(&fp->f_lock);
	return error;
}

static int
vn_fo_stat(struct file *fp, struct stat *st)
{
	struct vnode *vp = fp->f_data;
	int error;

	error = vn_stat(vp, st);
	if (error == 0 && vp->v_type == VFIFO)
		st->st_size = 0;
	return error;
}

static int
vn_fo_close(struct file *fp)
{
	struct vnode *vp = fp->f_data;
	const struct devsw *d;
	int error;

	if (fp->f_devfmt != 0) {
		d = devsw_lookup(fp->f_rdev, fp->f_devfmt);
		(void)d->d_close(fp->f_rdev, fp->f_flag, fp->f_devfmt);
	} else if (vp->v_type == VFIFO && vp->v_specdata != NULL)
		vn_fifo_close(vp, fp->f_flag);
	vn_lock(vp, LK_EXCLUSIVE);
	error = VOP_CLOSE(vp, fp->f_flag, fp->f_cred);
	VOP_UNLOCK(vp);
	vrele(vp);
	return error;
}

static int
vn_fo_truncate(struct file *fp, off_t len)
{
	struct vnode *vp = fp->f_data;
	int error;

	if (vp->v_type == VDIR)
		return EISDIR;
	if (vp->v_type != VREG)
		return EINVAL;
	vn_lock(vp, LK_EXCLUSIVE);
	error = vn_truncate(vp, len, curlwp->l_cred);
	VOP_UNLOCK(vp);
	return error;
}

static int
vn_fo_fsync(struct file *fp, int dataonly)
{
	struct vnode *vp = fp->f_data;
	const struct devsw *d;
	int flags = FSYNC_WAIT | (dataonly ? FSYNC_DATAONLY : 0), error;

	if (vp->v_type == VFIFO)
		return EINVAL;		/* as for a pipe */
	vn_lock(vp, LK_EXCLUSIVE);
	error = VOP_FSYNC(vp, fp->f_cred, flags);
	VOP_UNLOCK(vp);
	/* A device's data too. */
	if (error == 0 && fp->f_devfmt != 0 &&
	    (d = devsw_lookup(fp->f_rdev, fp->f_devfmt))->d_fsync != NULL)
		error = d->d_fsync(fp->f_rdev, flags);
	return error;
}

static int
vn_fo_poll(struct file *fp, int events)
{
	struct vnode *vp = fp->f_data;

	if (vp->v_type == VFIFO && vp->v_specdata != NULL)
		return pipe_poll(vp->v_specdata, events, atomic_load_relaxed(&fp->f_flag));
	if (vp->v_op->vop_poll != NULL)
		return vp->v_op->vop_poll(vp, events);
	return events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
}

/* Advisory locks: l_start made absolute against the offset or size. */
static int
vn_fo_advlock(struct file *fp, void *id, int op, struct flock *fl, bool wait)
{
	struct vnode *vp = fp->f_data;
	struct vattr va;
	off_t size = 0;
	int error;

	if (fl->l_whence == SEEK_END) {
		vn_lock(vp, LK_SHARED);
		error = VOP_GETATTR(vp, &va, fp->f_cred);
		VOP_UNLOCK(vp);
		if (error != 0)
			return error;
		size = va.va_size;
	}
	if (fl->l_whence == SEEK_CUR) {
		mutex_enter(&fp->f_lock);
		size = fp->f_offset;
		mutex_exit(&fp->f_lock);
	}
	return lf_advlock(vp, id, op == F_GETLK ? LF_GETLK : op == F_UNLCK ?
	    LF_UNLCK : LF_SETLK, fl, size, wait);
}

#define VN_FILEOPS							\
	.fo_read = vn_fo_rw,						\
	.fo_write = vn_fo_rw,						\
	.fo_poll = vn_fo_poll,						\
	.fo_stat = vn_fo_stat,						\
	.fo_close = vn_fo_close,					\
	.fo_truncate = vn_fo_truncate,					\
	.fo_fsync = vn_fo_fsync,					\
	.fo_advlock = vn_fo_advlock

const struct fileops vnops = {
	VN_FILEOPS,
	.fo_seek = vn_fo_seek,
};

/* A fifo cannot seek: lseek, pread and pwrite are ESPIPE before all. */
static const struct fileops vnops_fifo = {
	VN_FILEOPS,
};
