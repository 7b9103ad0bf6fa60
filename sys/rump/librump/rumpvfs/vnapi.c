/*
 * The vnode interface (rump glue, the kernel's half of
 * <rump/rump_vnode.h>): host programs such as p2k act on referenced
 * vnodes, one name at a time, with the credentials they pass.  Each
 * call runs the body of the matching system call (sys/vfs_syscalls.h)
 * with the directory vnodes as its starting points (AT_LWPVP) and the
 * caller's credentials as curlwp's, so permissions, locking and the
 * file systems' answers are exactly those of the system calls.
 * Kernel errno values; the host half translates.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/dirent.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/unistd.h>
#include <sys/vfs_syscalls.h>
#include <sys/vnode.h>

#include <rump/rump_vnode.h>

#define VNAPI_NAMEMAX	255	/* bytes of one name */

/* What a call changed in curlwp, to put back. */
struct vnapi_saved {
	kauth_cred_t	cred;
	struct vnode	*atvp[2];
};

/* Run as cred, with the directories a and b as AT_LWPVP(0) and (1). */
static void
vnapi_enter(kauth_cred_t cred, struct vnode *a, struct vnode *b,
    struct vnapi_saved *sv)
{
	struct lwp *l = curlwp;

	sv->cred = l->l_cred;
	sv->atvp[0] = l->l_atvp[0];
	sv->atvp[1] = l->l_atvp[1];
	l->l_cred = cred;
	l->l_atvp[0] = a;
	l->l_atvp[1] = b;
}

static void
vnapi_exit(const struct vnapi_saved *sv)
{
	struct lwp *l = curlwp;

	l->l_cred = sv->cred;
	l->l_atvp[0] = sv->atvp[0];
	l->l_atvp[1] = sv->atvp[1];
}

/* A name of one component: EINVAL for "", "/" inside, "." or "..". */
static int
vnapi_name(const char *name, bool dotsok)
{
	size_t len;

	if (name == NULL)
		return EINVAL;
	len = strnlen(name, VNAPI_NAMEMAX + 1);
	if (len == 0 || memchr(name, '/', len) != NULL)
		return EINVAL;
	if (len > VNAPI_NAMEMAX)
		return ENAMETOOLONG;
	if (!dotsok && (strcmp(name, ".") == 0 || strcmp(name, "..") == 0))
		return EINVAL;
	return 0;
}

int
rump_vn_credcreate(uid_t uid, gid_t gid, int ngroups, const gid_t *groups,
    kauth_cred_t *credp)
{
	kauth_cred_t cred;
	int error;

	if (ngroups < 0 || (ngroups > 0 && groups == NULL))
		return EINVAL;
	cred = kauth_cred_alloc();
	kauth_cred_setuid(cred, uid);
	kauth_cred_seteuid(cred, uid);
	kauth_cred_setsvuid(cred, uid);
	kauth_cred_setgid(cred, gid);
	kauth_cred_setegid(cred, gid);
	kauth_cred_setsvgid(cred, gid);
	if ((error = kauth_cred_setgroups(cred, groups, (u_int)ngroups)) != 0) {
		kauth_cred_free(cred);
		return error;
	}
	*credp = cred;
	return 0;
}

void
rump_vn_credrele(kauth_cred_t cred)
{

	kauth_cred_free(cred);
}

int
rump_vn_getpath(kauth_cred_t cred, const char *path, struct vnode **vpp)
{
	struct vnapi_saved sv;
	int error;

	vnapi_enter(cred, NULL, NULL, &sv);
	error = lookup_vnode(AT_FDCWD, path, FOLLOW, vpp);
	vnapi_exit(&sv);
	return error;
}

void
rump_vn_rele(struct vnode *vp)
{

	lwp_update_creds(curlwp);	/* a kernel entry, as a system call */
	vrele(vp);
}

int
rump_vn_lookup(kauth_cred_t cred, struct vnode *dvp, const char *name,
    struct vnode **vpp)
{
	struct vnapi_saved sv;
	int error;

	if ((error = vnapi_name(name, true)) != 0)
		return error;
	vnapi_enter(cred, dvp, NULL, &sv);
	error = lookup_vnode(AT_LWPVP(0), name, NOFOLLOW, vpp);
	vnapi_exit(&sv);
	return error;
}

int
rump_vn_getattr(kauth_cred_t cred, struct vnode *vp, struct stat *st)
{
	struct vnapi_saved sv;
	int error;

	vnapi_enter(cred, NULL, NULL, &sv);
	error = vn_stat(vp, st);
	vnapi_exit(&sv);
	return error;
}

int
rump_vn_chmod(kauth_cred_t cred, struct vnode *vp, mode_t mode)
{
	struct vnapi_saved sv;
	int error;

	vnapi_enter(cred, NULL, NULL, &sv);
	error = vn_chmod(vp, mode, cred);
	vnapi_exit(&sv);
	return error;
}

int
rump_vn_chown(kauth_cred_t cred, struct vnode *vp, uid_t uid, gid_t gid)
{
	struct vnapi_saved sv;
	int error;

	vnapi_enter(cred, NULL, NULL, &sv);
	error = vn_chown(vp, uid, gid, cred);
	vnapi_exit(&sv);
	return error;
}

int
rump_vn_truncate(kauth_cred_t cred, struct vnode *vp, off_t size)
{
	struct vnapi_saved sv;
	int error;

	vnapi_enter(cred, NULL, NULL, &sv);
	error = vn_truncate_checked(vp, size, cred);
	vnapi_exit(&sv);
	return error;
}

int
rump_vn_ftruncate(struct file *fp, off_t size)
{
	struct vnapi_saved sv;
	int error;

	vnapi_enter(fp->f_cred, NULL, NULL, &sv);
	error = file_truncate(fp, size);
	vnapi_exit(&sv);
	return error;
}

int
rump_vn_utimens(kauth_cred_t cred, struct vnode *vp,
    const struct timespec *ts)
{
	struct vnapi_saved sv;
	int error;

	vnapi_enter(cred, NULL, NULL, &sv);
	error = vn_utimens(vp, ts, cred);
	vnapi_exit(&sv);
	return error;
}

int
rump_vn_mknod(kauth_cred_t cred, struct vnode *dvp, const char *name,
    mode_t mode, dev_t dev, struct vnode **vpp)
{
	struct vnapi_saved sv;
	int error;

	if ((error = vnapi_name(name, false)) != 0)
		return error;
	vnapi_enter(cred, dvp, NULL, &sv);
	if ((mode & S_IFMT) == S_IFDIR)
		error = domkdir(AT_LWPVP(0), name, mode & ~S_IFMT);
	else
		error = domknod(AT_LWPVP(0), name, mode, dev);
	if (error == 0)
		error = lookup_vnode(AT_LWPVP(0), name, NOFOLLOW, vpp);
	vnapi_exit(&sv);
	return error;
}

int
rump_vn_symlink(kauth_cred_t cred, struct vnode *dvp, const char *name,
    const char *target, struct vnode **vpp)
{
	struct vnapi_saved sv;
	int error;

	if ((error = vnapi_name(name, false)) != 0)
		return error;
	vnapi_enter(cred, dvp, NULL, &sv);
	error = dosymlink(target, AT_LWPVP(0), name);
	if (error == 0)
		error = lookup_vnode(AT_LWPVP(0), name, NOFOLLOW, vpp);
	vnapi_exit(&sv);
	return error;
}

int
rump_vn_link(kauth_cred_t cred, struct vnode *vp, struct vnode *dvp,
    const char *name)
{
	struct vnapi_saved sv;
	int error;

	if ((error = vnapi_name(name, false)) != 0)
		return error;
	vnapi_enter(cred, dvp, NULL, &sv);
	error = vn_link(vp, AT_LWPVP(0), name);
	vnapi_exit(&sv);
	return error;
}

int
rump_vn_remove(kauth_cred_t cred, struct vnode *dvp, const char *name,
    bool dir)
{
	struct vnapi_saved sv;
	int error;

	if ((error = vnapi_name(name, false)) != 0)
		return error;
	vnapi_enter(cred, dvp, NULL, &sv);
	error = doremove(AT_LWPVP(0), name, dir);
	vnapi_exit(&sv);
	return error;
}

int
rump_vn_rename(kauth_cred_t cred, struct vnode *sdvp, const char *sname,
    struct vnode *tdvp, const char *tname, u_int flags)
{
	struct vnapi_saved sv;
	int error;

	if ((error = vnapi_name(sname, false)) != 0 ||
	    (error = vnapi_name(tname, false)) != 0)
		return error;
	vnapi_enter(cred, sdvp, tdvp, &sv);
	error = dorename(AT_LWPVP(0), sname, AT_LWPVP(1), tname, flags);
	vnapi_exit(&sv);
	return error;
}

int
rump_vn_readlink(kauth_cred_t cred, struct vnode *vp, char *buf, size_t len,
    size_t *donep)
{
	struct vnapi_saved sv;
	int error;

	vnapi_enter(cred, NULL, NULL, &sv);
	error = vn_readlink(vp, buf, len, UIO_SYSSPACE, cred, donep);
	vnapi_exit(&sv);
	return error;
}

int
rump_vn_access(kauth_cred_t cred, struct vnode *vp, int mode)
{
	struct vnapi_saved sv;
	int error;

	if ((mode & ~(R_OK | W_OK | X_OK)) != 0)
		return EINVAL;
	vnapi_enter(cred, NULL, NULL, &sv);
	error = vn_access(vp, mode, cred);
	vnapi_exit(&sv);
	return error;
}

int
rump_vn_statvfs(kauth_cred_t cred, struct vnode *vp, struct statvfs *sv)
{
	struct vnapi_saved sv0;
	int error;

	vnapi_enter(cred, NULL, NULL, &sv0);
	error = dostatvfs(vp, sv);
	vnapi_exit(&sv0);
	return error;
}

/*
 * Directory entries of vp from the cookie *offp into buf (kernel struct
 * dirent records): their length in *donep, the next cookie in *offp.
 * A removed directory lists nothing (ENOENT), as getdents says.
 */
int
rump_vn_readdir(kauth_cred_t cred, struct vnode *vp, off_t *offp, void *buf,
    size_t len, size_t *donep)
{
	struct vnapi_saved sv;
	struct vattr va;
	struct iovec iov;
	struct uio uio;
	int error, eof;

	if (vp->v_type != VDIR)
		return ENOTDIR;
	len = MIN(len, (size_t)INT32_MAX);
	iov.iov_base = buf;
	iov.iov_len = len;
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_resid = iov.iov_len;
	uio.uio_offset = *offp;
	uio.uio_rw = UIO_READ;
	uio.uio_segflg = UIO_SYSSPACE;
	vnapi_enter(cred, NULL, NULL, &sv);
	vn_lock(vp, LK_EXCLUSIVE);
	if ((error = VOP_ACCESS(vp, VREAD, cred)) == 0 &&
	    (error = VOP_GETATTR(vp, &va, cred)) == 0 && va.va_nlink == 0)
		error = ENOENT;
	if (error == 0)
		error = VOP_READDIR(vp, &uio, cred, &eof);
	VOP_UNLOCK(vp);
	vnapi_exit(&sv);
	if (error == 0) {
		*offp = uio.uio_offset;
		*donep = len - uio.uio_resid;
	}
	return error;
}

/* Open files. */

int
rump_vn_open(kauth_cred_t cred, struct vnode *vp, int oflags,
    struct file **fpp)
{
	struct vnapi_saved sv;
	struct file *fp;
	int fflag, error;

	if ((oflags & O_ACCMODE) == O_ACCMODE || (oflags & O_CREAT))
		return EINVAL;
	fflag = FFLAGS(oflags);
	fp = file_alloc(cred);
	vnapi_enter(cred, NULL, NULL, &sv);
	error = vn_open(vp, fflag, cred, false, fp);
	vnapi_exit(&sv);
	if (error != 0) {
		file_rele(fp);
		return error;
	}
	vref(vp);
	vn_file_init(fp, vp, fflag);
	*fpp = fp;
	return 0;
}

int
rump_vn_create(kauth_cred_t cred, struct vnode *dvp, const char *name,
    int oflags, mode_t mode, struct vnode **vpp, struct file **fpp)
{
	struct vnapi_saved sv;
	int error;

	if ((error = vnapi_name(name, false)) != 0)
		return error;
	vnapi_enter(cred, dvp, NULL, &sv);
	error = vn_openfile(AT_LWPVP(0), name,
	    oflags | O_CREAT | O_EXCL | O_NOFOLLOW, mode, fpp);
	vnapi_exit(&sv);
	if (error == 0) {
		*vpp = (*fpp)->f_data;
		vref(*vpp);
	}
	return error;
}

/* Read or write len bytes of fp at off. */
static int
vnapi_rw(struct file *fp, enum uio_rw rw, void *buf, size_t len, off_t off,
    size_t *donep)
{
	struct vnapi_saved sv;
	struct iovec iov;
	struct uio uio;
	int error;

	if (!(fp->f_flag & (rw == UIO_READ ? FREAD : FWRITE)))
		return EBADF;
	if (off < 0)
		return EINVAL;
	iov.iov_base = buf;
	iov.iov_len = len;
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_resid = len;
	uio.uio_offset = off;
	uio.uio_rw = rw;
	uio.uio_segflg = UIO_SYSSPACE;
	vnapi_enter(fp->f_cred, NULL, NULL, &sv);
	error = rw == UIO_READ ? fp->f_ops->fo_read(fp, &off, &uio, 0) :
	    fp->f_ops->fo_write(fp, &off, &uio, 0);
	vnapi_exit(&sv);
	*donep = len - uio.uio_resid;
	/* Some data moved: that is the answer, as for write(2). */
	if (*donep > 0 && (error == EINTR || error == EAGAIN))
		error = 0;
	return error;
}

int
rump_vn_read(struct file *fp, void *buf, size_t len, off_t off,
    size_t *donep)
{

	return vnapi_rw(fp, UIO_READ, buf, len, off, donep);
}

int
rump_vn_write(struct file *fp, const void *buf, size_t len, off_t off,
    size_t *donep)
{

	return vnapi_rw(fp, UIO_WRITE, __UNCONST(buf), len, off, donep);
}

int
rump_vn_fsync(struct file *fp, int dataonly)
{
	struct vnapi_saved sv;
	int error;

	if (fp->f_ops->fo_fsync == NULL)
		return EINVAL;
	vnapi_enter(fp->f_cred, NULL, NULL, &sv);
	error = fp->f_ops->fo_fsync(fp, dataonly);
	vnapi_exit(&sv);
	return error;
}

void
rump_vn_close(struct file *fp)
{
	struct vnapi_saved sv;

	vnapi_enter(fp->f_cred, NULL, NULL, &sv);
	(void)file_rele(fp);
	vnapi_exit(&sv);
}
