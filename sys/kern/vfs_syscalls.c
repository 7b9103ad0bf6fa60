/*
 * The path system calls (kernel VFS): open, stat, access, the calls that
 * change the namespace (mkdir, rmdir, unlink, rename, link, symlink,
 * mknod), the attribute calls (chmod, chown, utimensat, truncate),
 * readlink, getdents, statvfs, sync, mount and unmount, with their *at()
 * forms.  Every check that does not depend on a file system's format
 * is made here, once, for all of them: permissions, sticky
 * directories, ownership rules, types, and the namespace rules.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/atomic.h>
#include <sys/dirent.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscallargs.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/unistd.h>
#include <sys/vnode.h>
#include <sys/vfs_syscalls.h>

#define CRED()	(curlwp->l_cred)

/* The vnode of descriptor fd, referenced. */
static int
fd_getvnode(int fd, struct vnode **vpp)
{
	struct file *fp;
	int error;

	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	if (fp->f_type != DTYPE_VNODE) {
		file_rele(fp);
		return EINVAL;
	}
	*vpp = fp->f_data;
	vref(*vpp);
	file_rele(fp);
	return 0;
}

/*
 * Look path (in the caller's memory, or in the kernel's with
 * UIO_SYSSPACE) up at atfd with namei flags nflags: its vnode,
 * referenced.
 */
static int
lookup_vnode_seg(enum uio_seg seg, int atfd, const char *path, int nflags,
    struct vnode **vpp)
{
	struct nameidata nd;
	int error;

	namei_setup(&nd, path, seg, atfd, LOOKUP, nflags);
	if ((error = namei(&nd)) != 0)
		return error;
	*vpp = nd.nd_vp;
	nd.nd_vp = NULL;
	namei_done(&nd);
	return 0;
}

int
lookup_vnode(int atfd, const char *path, int nflags, struct vnode **vpp)
{

	return lookup_vnode_seg(UIO_USERSPACE, atfd, path, nflags, vpp);
}

/*
 * The namei flags of an *at() call's flag: AT_SYMLINK_NOFOLLOW, and
 * for the calls that take it (extra), Linux's AT_EMPTY_PATH ("" names
 * the descriptor's file itself).
 */
static int
at_lookup(int flag, int extra, int *nflagsp)
{

	if ((flag & ~(AT_SYMLINK_NOFOLLOW | extra)) != 0)
		return EINVAL;
	*nflagsp = ((flag & AT_SYMLINK_NOFOLLOW) ? NOFOLLOW : FOLLOW) |
	    ((flag & AT_EMPTY_PATH) ? EMPTYPATH : 0);
	return 0;
}

/*
 * May cred remove vp from directory dvp (both locked)?  Write and search
 * permission on the directory and, if it is sticky, ownership of the
 * file or the directory.
 */
static int
vn_maydelete(struct vnode *dvp, struct vnode *vp, kauth_cred_t cred)
{
	struct vattr dva, va;
	uid_t euid = kauth_cred_geteuid(cred);
	int error;

	if ((error = VOP_ACCESS(dvp, VWRITE | VEXEC, cred)) != 0)
		return error;
	if ((error = VOP_GETATTR(dvp, &dva, cred)) != 0)
		return error;
	if ((dva.va_mode & S_ISVTX) == 0 || kauth_cred_issuser(cred) ||
	    dva.va_uid == euid)
		return 0;
	if ((error = VOP_GETATTR(vp, &va, cred)) != 0)
		return error;
	return va.va_uid == euid ? 0 : EPERM;
}

/*
 * open
 */

int
sys_open(struct lwp *l, const struct sys_open_args *uap, register_t *retval)
{

	return vn_openat(AT_FDCWD, SCARG(uap, path), SCARG(uap, flags),
	    SCARG(uap, mode), retval);
}

int
sys_openat(struct lwp *l, const struct sys_openat_args *uap,
    register_t *retval)
{

	return vn_openat(SCARG(uap, fd), SCARG(uap, path), SCARG(uap, flags),
	    SCARG(uap, mode), retval);
}

/*
 * stat and access
 */

static int
dostat(int atfd, const char *path, int nflags, struct stat *usb)
{
	struct vnode *vp;
	struct stat st;
	int error;

	if ((error = lookup_vnode(atfd, path, nflags, &vp)) != 0)
		return error;
	error = vn_stat(vp, &st);
	vrele(vp);
	if (error == 0)
		error = copyout(&st, usb, sizeof(st));
	return error;
}

int
sys_stat(struct lwp *l, const struct sys_stat_args *uap, register_t *retval)
{

	return dostat(AT_FDCWD, SCARG(uap, path), FOLLOW, SCARG(uap, sb));
}

int
sys_lstat(struct lwp *l, const struct sys_lstat_args *uap, register_t *retval)
{

	return dostat(AT_FDCWD, SCARG(uap, path), NOFOLLOW, SCARG(uap, sb));
}

int
sys_fstatat(struct lwp *l, const struct sys_fstatat_args *uap,
    register_t *retval)
{
	int nflags, error;

	if ((error = at_lookup(SCARG(uap, flag), AT_EMPTY_PATH, &nflags)) != 0)
		return error;
	return dostat(SCARG(uap, fd), SCARG(uap, path), nflags, SCARG(uap, sb));
}

int
vn_access(struct vnode *vp, int mode, kauth_cred_t cred)
{
	accmode_t acc = 0;
	int error;

	if (mode & R_OK)
		acc |= VREAD;
	if (mode & W_OK)
		acc |= VWRITE;
	if (mode & X_OK)
		acc |= VEXEC;
	if (acc == 0)
		return 0;
	vn_lock(vp, LK_SHARED);
	error = VOP_ACCESS(vp, acc, cred);
	VOP_UNLOCK(vp);
	return error;
}

static int
doaccess(int atfd, const char *path, int mode, int flag)
{
	kauth_cred_t cred;
	struct vnode *vp;
	int error;

	if ((mode & ~(R_OK | W_OK | X_OK)) != 0 ||
	    (flag & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW)) != 0)
		return EINVAL;
	if ((error = lookup_vnode(atfd, path,
	    (flag & AT_SYMLINK_NOFOLLOW) ? NOFOLLOW : FOLLOW, &vp)) != 0)
		return error;
	/* Without AT_EACCESS the real ids decide. */
	cred = kauth_cred_dup(CRED());
	if ((flag & AT_EACCESS) == 0) {
		kauth_cred_seteuid(cred, kauth_cred_getuid(cred));
		kauth_cred_setegid(cred, kauth_cred_getgid(cred));
	}
	error = vn_access(vp, mode, cred);
	kauth_cred_free(cred);
	vrele(vp);
	return error;
}

int
sys_access(struct lwp *l, const struct sys_access_args *uap,
    register_t *retval)
{

	return doaccess(AT_FDCWD, SCARG(uap, path), SCARG(uap, mode), 0);
}

int
sys_faccessat(struct lwp *l, const struct sys_faccessat_args *uap,
    register_t *retval)
{

	return doaccess(SCARG(uap, fd), SCARG(uap, path), SCARG(uap, mode),
	    SCARG(uap, flag));
}

/*
 * Creating names: mkdir, mknod, mkfifo, symlink, link.
 */

/*
 * Look up the last component of path for creation: on success the
 * parent is locked in nd->nd_dvp, the name is free, and the caller may
 * write in the directory.  dirok: a trailing slash is allowed (mkdir).
 */
static int
create_lookup_seg(struct nameidata *nd, int seg, int atfd, const char *path,
    bool dirok)
{
	int error;

	namei_setup(nd, path, seg, atfd, CREATE, LOCKPARENT);
	if ((error = namei(nd)) != 0)
		return error;
	if (nd->nd_dvp == NULL || nd->nd_vp != NULL)
		error = EEXIST;
	else if (nd->nd_trailslash && !dirok)
		error = ENOENT;
	else
		error = VOP_ACCESS(nd->nd_dvp, VWRITE | VEXEC, CRED());
	if (error != 0) {
		if (nd->nd_dvp != NULL)
			VOP_UNLOCK(nd->nd_dvp);
		namei_done(nd);
	}
	return error;
}

int
create_lookup(struct nameidata *nd, int atfd, const char *path, bool dirok)
{

	return create_lookup_seg(nd, UIO_USERSPACE, atfd, path, dirok);
}

/* Release a create_lookup(), with the new vnode if one was made. */
void
create_done(struct nameidata *nd)
{

	VOP_UNLOCK(nd->nd_dvp);
	namei_done(nd);
}

int
domkdir(int atfd, const char *path, mode_t mode)
{
	struct nameidata nd;
	struct vattr va;
	int error;

	if ((error = create_lookup(&nd, atfd, path, true)) != 0)
		return error;
	error = vn_newattr(nd.nd_dvp, VDIR,
	    mode & ~curproc->p_umask & (ACCESSPERMS | S_ISVTX), &va);
	if (error == 0)
		error = VOP_MKDIR(nd.nd_dvp, &nd.nd_vp, &nd.nd_cn, &va);
	create_done(&nd);
	return error;
}

int
sys_mkdir(struct lwp *l, const struct sys_mkdir_args *uap, register_t *retval)
{

	return domkdir(AT_FDCWD, SCARG(uap, path), SCARG(uap, mode));
}

int
sys_mkdirat(struct lwp *l, const struct sys_mkdirat_args *uap,
    register_t *retval)
{

	return domkdir(SCARG(uap, fd), SCARG(uap, path), SCARG(uap, mode));
}

int
domknod(int atfd, const char *path, mode_t mode, dev_t dev)
{
	struct nameidata nd;
	struct vattr va;
	enum vtype type;
	int error;

	switch (mode & S_IFMT) {
	case 0:
	case S_IFREG:
		type = VREG;
		break;
	case S_IFIFO:
		type = VFIFO;
		break;
	case S_IFSOCK:
		type = VSOCK;
		break;
	case S_IFDIR:
		return EPERM;		/* Linux: mkdir is the way */
	case S_IFCHR:
	case S_IFBLK:
		if (!kauth_cred_issuser(CRED()))
			return EPERM;
		type = (mode & S_IFMT) == S_IFCHR ? VCHR : VBLK;
		break;
	default:
		return EINVAL;
	}
	if ((error = create_lookup(&nd, atfd, path, false)) != 0)
		return error;
	error = vn_newattr(nd.nd_dvp, type, mode & ~curproc->p_umask, &va);
	if (error == 0) {
		va.va_rdev = (type == VCHR || type == VBLK) ? dev : NODEV;
		if (type == VREG)
			error = VOP_CREATE(nd.nd_dvp, &nd.nd_vp, &nd.nd_cn, &va);
		else
			error = VOP_MKNOD(nd.nd_dvp, &nd.nd_vp, &nd.nd_cn, &va);
	}
	create_done(&nd);
	return error;
}

/*
 * AF_LOCAL names: a socket node made at kernel path (with the mode and
 * umask of mknod), or the node at kernel path looked up for connecting
 * (write permission, as Linux asks).  The vnode comes referenced.
 */
int
vn_sock_create(const char *path, mode_t mode, struct vnode **vpp)
{
	struct nameidata nd;
	struct vattr va;
	int error;

	if ((error = create_lookup_seg(&nd, UIO_SYSSPACE, AT_FDCWD, path,
	    false)) != 0)
		return error == EEXIST ? EADDRINUSE : error;
	error = vn_newattr(nd.nd_dvp, VSOCK, mode & ~curproc->p_umask, &va);
	if (error == 0)
		error = VOP_MKNOD(nd.nd_dvp, &nd.nd_vp, &nd.nd_cn, &va);
	if (error == 0) {
		*vpp = nd.nd_vp;
		vref(*vpp);
	}
	create_done(&nd);
	return error;
}

int
vn_sock_lookup(const char *path, struct vnode **vpp)
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	namei_setup(&nd, path, UIO_SYSSPACE, AT_FDCWD, LOOKUP, FOLLOW);
	if ((error = namei(&nd)) != 0)
		return error;
	vp = nd.nd_vp;
	if (vp->v_type != VSOCK) {
		error = ECONNREFUSED;
	} else {
		vn_lock(vp, LK_SHARED);
		error = VOP_ACCESS(vp, VWRITE, CRED());
		VOP_UNLOCK(vp);
	}
	if (error == 0) {
		*vpp = vp;
		nd.nd_vp = NULL;
	}
	namei_done(&nd);
	return error;
}

int
sys_mknod(struct lwp *l, const struct sys_mknod_args *uap, register_t *retval)
{

	return domknod(AT_FDCWD, SCARG(uap, path), SCARG(uap, mode),
	    SCARG(uap, dev));
}

int
sys_mkfifo(struct lwp *l, const struct sys_mkfifo_args *uap,
    register_t *retval)
{

	return domknod(AT_FDCWD, SCARG(uap, path),
	    S_IFIFO | (SCARG(uap, mode) & ALLPERMS), 0);
}

int
dosymlink(const char *utarget, int atfd, const char *path)
{
	struct nameidata nd;
	struct vattr va;
	char *target;
	int error;

	target = pnbuf_get();
	error = copyinstr(utarget, target, MAXPATHLEN, NULL);
	if (error == 0 && target[0] == '\0')
		error = ENOENT;
	if (error == 0 && (error = create_lookup(&nd, atfd, path, false)) == 0) {
		error = vn_newattr(nd.nd_dvp, VLNK, ACCESSPERMS, &va);
		if (error == 0)
			error = VOP_SYMLINK(nd.nd_dvp, &nd.nd_vp, &nd.nd_cn,
			    &va, target);
		create_done(&nd);
	}
	pnbuf_put(target);
	return error;
}

int
sys_symlink(struct lwp *l, const struct sys_symlink_args *uap,
    register_t *retval)
{

	return dosymlink(SCARG(uap, target), AT_FDCWD, SCARG(uap, link));
}

int
sys_symlinkat(struct lwp *l, const struct sys_symlinkat_args *uap,
    register_t *retval)
{

	return dosymlink(SCARG(uap, target), SCARG(uap, fd), SCARG(uap, link));
}

int
vn_link(struct vnode *vp, int atfd, const char *link)
{
	struct nameidata nd;
	int error;

	if (vp->v_type == VDIR)
		return EPERM;
	if ((error = create_lookup(&nd, atfd, link, false)) != 0)
		return error;
	if (nd.nd_dvp->v_mount != vp->v_mount)
		error = EXDEV;
	else {
		vn_lock(vp, LK_EXCLUSIVE);
		error = VOP_LINK(nd.nd_dvp, vp, &nd.nd_cn);
		VOP_UNLOCK(vp);
	}
	create_done(&nd);
	return error;
}

int
dolink(int fd1, const char *path, int fd2, const char *link, int flags)
{
	struct vnode *vp;
	int error;

	if ((flags & ~AT_SYMLINK_FOLLOW) != 0)
		return EINVAL;
	if ((error = lookup_vnode(fd1, path,
	    (flags & AT_SYMLINK_FOLLOW) ? FOLLOW : NOFOLLOW, &vp)) != 0)
		return error;
	error = vn_link(vp, fd2, link);
	vrele(vp);
	return error;
}

int
sys_link(struct lwp *l, const struct sys_link_args *uap, register_t *retval)
{

	return dolink(AT_FDCWD, SCARG(uap, path), AT_FDCWD, SCARG(uap, link), 0);
}

int
sys_linkat(struct lwp *l, const struct sys_linkat_args *uap,
    register_t *retval)
{

	return dolink(SCARG(uap, fd1), SCARG(uap, path), SCARG(uap, fd2),
	    SCARG(uap, link), SCARG(uap, flags));
}

/*
 * Removing names: unlink, rmdir.
 */

int
doremove(int atfd, const char *path, bool dir)
{
	struct nameidata nd;
	struct vnode *dvp, *vp;
	int error;

	namei_setup(&nd, path, UIO_USERSPACE, atfd, DELETE, LOCKPARENT);
	if ((error = namei(&nd)) != 0)
		return error;
	dvp = nd.nd_dvp;
	vp = nd.nd_vp;
	if (dvp == NULL) {
		/* ".", ".." or "/": Linux's answers. */
		if (!dir)
			error = EISDIR;
		else if (nd.nd_cn.cn_flags & ISDOTDOT)
			error = ENOTEMPTY;
		else if (vp->v_vflag & VV_ROOT)
			error = EBUSY;
		else
			error = EINVAL;
		namei_done(&nd);
		return error;
	}
	if (vp == NULL)
		error = ENOENT;
	else if (nd.nd_trailslash && vp->v_type != VDIR)
		error = ENOTDIR;	/* "file/", "symlink/" */
	else if (dir && vp->v_type != VDIR)
		error = ENOTDIR;
	else if (!dir && vp->v_type == VDIR)
		error = EISDIR;
	else if (vp->v_vflag & VV_ROOT)
		error = EBUSY;		/* a mount point */
	if (error == 0) {
		vn_lock(vp, LK_EXCLUSIVE);
		error = vn_maydelete(dvp, vp, CRED());
		if (error == 0)
			error = dir ? VOP_RMDIR(dvp, vp, &nd.nd_cn) :
			    VOP_REMOVE(dvp, vp, &nd.nd_cn);
		VOP_UNLOCK(vp);
	}
	VOP_UNLOCK(dvp);
	namei_done(&nd);
	return error;
}

int
sys_unlink(struct lwp *l, const struct sys_unlink_args *uap,
    register_t *retval)
{

	return doremove(AT_FDCWD, SCARG(uap, path), false);
}

int
sys_rmdir(struct lwp *l, const struct sys_rmdir_args *uap, register_t *retval)
{

	return doremove(AT_FDCWD, SCARG(uap, path), true);
}

int
sys_unlinkat(struct lwp *l, const struct sys_unlinkat_args *uap,
    register_t *retval)
{

	if ((SCARG(uap, flag) & ~AT_REMOVEDIR) != 0)
		return EINVAL;
	return doremove(SCARG(uap, fd), SCARG(uap, path),
	    (SCARG(uap, flag) & AT_REMOVEDIR) != 0);
}

/*
 * rename
 */

#define RENAME_MAXDEPTH	512

/*
 * The directories from dvp up to the root of its file system, each
 * referenced (dvp first).  Stable while the mount's rename lock is held.
 */
static int
rename_ancestors(struct vnode *dvp, struct vnode **chain, u_int *np)
{
	struct componentname cn;
	struct vnode *vp = dvp, *pvp;
	u_int n = 0;
	int error = 0;

	vref(vp);
	chain[n++] = vp;
	while ((vp->v_vflag & VV_ROOT) == 0) {
		if (n == RENAME_MAXDEPTH) {
			error = ENAMETOOLONG;
			break;
		}
		memset(&cn, 0, sizeof(cn));
		cn.cn_nameptr = "..";
		cn.cn_namelen = 2;
		cn.cn_cred = CRED();
		cn.cn_flags = ISDOTDOT | ISLASTCN;
		vn_lock(vp, LK_SHARED);
		error = VOP_LOOKUP(vp, &pvp, &cn);
		VOP_UNLOCK(vp);
		if (error != 0)
			break;
		if (pvp == vp) {
			vrele(pvp);
			break;
		}
		chain[n++] = vp = pvp;
	}
	*np = n;
	return error;
}

static bool
rename_inchain(struct vnode *vp, struct vnode **chain, u_int n)
{
	u_int i;

	for (i = 0; i < n; i++)
		if (chain[i] == vp)
			return true;
	return false;
}

/* Look name cnp up again in dvp (locked): the vnode or NULL. */
static int
rename_relookup(struct vnode *dvp, struct componentname *cnp,
    struct vnode **vpp)
{
	int error;

	error = VOP_LOOKUP(dvp, vpp, cnp);
	if (error == ENOENT) {
		*vpp = NULL;
		error = 0;
	}
	return error;
}

int
dorename(int fromfd, const char *from, int tofd, const char *to, u_int flags)
{
	kauth_cred_t cred = CRED();
	struct nameidata fnd, tnd;
	struct vnode *fdvp, *tdvp, *fvp = NULL, *tvp = NULL;
	struct vnode **fchain, **tchain;
	struct mount *mp;
	u_int nf = 0, nt = 0, i;
	int error;

	/* Swapping and whiteouts are not done here; Linux says EINVAL. */
	if ((flags & ~(u_int)RENAME_NOREPLACE) != 0)
		return EINVAL;
	namei_setup(&fnd, from, UIO_USERSPACE, fromfd, DELETE, WANTPARENT);
	if ((error = namei(&fnd)) != 0)
		return error;
	if (fnd.nd_dvp == NULL) {
		namei_done(&fnd);
		return EBUSY;
	}
	if (fnd.nd_vp == NULL) {
		namei_done(&fnd);
		return ENOENT;
	}
	namei_setup(&tnd, to, UIO_USERSPACE, tofd, RENAME, WANTPARENT);
	if ((error = namei(&tnd)) != 0) {
		namei_done(&fnd);
		return error;
	}
	if (tnd.nd_dvp == NULL) {
		error = EBUSY;
		goto out;
	}
	/* Linux: an existing target before any judgement of types. */
	if ((flags & RENAME_NOREPLACE) && tnd.nd_vp != NULL) {
		error = EEXIST;
		goto out;
	}
	fdvp = fnd.nd_dvp;
	tdvp = tnd.nd_dvp;
	mp = fdvp->v_mount;
	/*
	 * Linux judges the types before busy mount points: a file over a
	 * directory (a mount point is one) is EISDIR.
	 */
	if (fnd.nd_vp->v_type != VDIR && tnd.nd_vp != NULL &&
	    tnd.nd_vp->v_type == VDIR && !tnd.nd_trailslash &&
	    !fnd.nd_trailslash) {
		error = EISDIR;
		goto out;
	}
	/* A mount point next: it is on another mount, but busy is the answer. */
	if ((fnd.nd_vp->v_vflag & VV_ROOT) ||
	    (tnd.nd_vp != NULL && (tnd.nd_vp->v_vflag & VV_ROOT))) {
		error = EBUSY;
		goto out;
	}
	if (mp != tdvp->v_mount || fnd.nd_vp->v_mount != mp) {
		error = EXDEV;
		goto out;
	}

	fchain = kmem_alloc(2 * RENAME_MAXDEPTH * sizeof(*fchain), KM_SLEEP);
	tchain = fchain + RENAME_MAXDEPTH;
	mutex_enter(&mp->mnt_renamelock);
	if ((error = rename_ancestors(fdvp, fchain, &nf)) != 0 ||
	    (error = rename_ancestors(tdvp, tchain, &nt)) != 0)
		goto unlock_rename;

	/* Directories: an ancestor before its descendant. */
	if (fdvp == tdvp)
		vn_lock(fdvp, LK_EXCLUSIVE);
	else if (rename_inchain(tdvp, fchain, nf)) {
		vn_lock(tdvp, LK_EXCLUSIVE);
		vn_lock(fdvp, LK_EXCLUSIVE);
	} else {
		vn_lock(fdvp, LK_EXCLUSIVE);
		vn_lock(tdvp, LK_EXCLUSIVE);
	}
	fnd.nd_cn.cn_nameiop = DELETE;
	if ((error = rename_relookup(fdvp, &fnd.nd_cn, &fvp)) != 0)
		goto unlock_dirs;
	if (fvp == NULL) {
		error = ENOENT;
		goto unlock_dirs;
	}
	if ((error = rename_relookup(tdvp, &tnd.nd_cn, &tvp)) != 0)
		goto unlock_dirs;
	/* Made meanwhile: it stays. */
	if ((flags & RENAME_NOREPLACE) && tvp != NULL) {
		error = EEXIST;
		goto unlock_dirs;
	}
	if (fvp == tvp) {
		/* Two names of one file: nothing to do (POSIX). */
		goto unlock_dirs;
	}
	if (fvp->v_mountedhere != NULL ||
	    (tvp != NULL && tvp->v_mountedhere != NULL)) {
		error = EBUSY;
		goto unlock_dirs;
	}
	if (fvp->v_type == VDIR) {
		if (tvp != NULL && tvp->v_type != VDIR)
			error = ENOTDIR;
		else if (rename_inchain(fvp, tchain, nt))
			error = EINVAL;		/* into itself */
		else if (tvp != NULL && rename_inchain(tvp, fchain, nf))
			error = ENOTEMPTY;	/* onto an ancestor */
	} else {
		/* Linux: a slash after a non-directory, before the rest. */
		if (tnd.nd_trailslash || fnd.nd_trailslash)
			error = ENOTDIR;
		else if (tvp != NULL && tvp->v_type == VDIR)
			error = EISDIR;
	}
	if (error != 0)
		goto unlock_dirs;

	vn_lock(fvp, LK_EXCLUSIVE);
	if (tvp != NULL)
		vn_lock(tvp, LK_EXCLUSIVE);
	error = vn_maydelete(fdvp, fvp, cred);
	if (error == 0 && tvp != NULL)
		error = vn_maydelete(tdvp, tvp, cred);
	if (error == 0 && tvp == NULL)
		error = VOP_ACCESS(tdvp, VWRITE | VEXEC, cred);
	/* A directory moving elsewhere gets a new "..": it must be writable. */
	if (error == 0 && fvp->v_type == VDIR && fdvp != tdvp)
		error = VOP_ACCESS(fvp, VWRITE, cred);
	if (error == 0)
		error = VOP_RENAME(fdvp, fvp, &fnd.nd_cn, tdvp, tvp,
		    &tnd.nd_cn);
	VOP_UNLOCK(fvp);
	if (tvp != NULL)
		VOP_UNLOCK(tvp);
unlock_dirs:
	VOP_UNLOCK(fdvp);
	if (tdvp != fdvp)
		VOP_UNLOCK(tdvp);
	if (fvp != NULL)
		vrele(fvp);
	if (tvp != NULL)
		vrele(tvp);
unlock_rename:
	mutex_exit(&mp->mnt_renamelock);
	for (i = 0; i < nf; i++)
		vrele(fchain[i]);
	for (i = 0; i < nt; i++)
		vrele(tchain[i]);
	kmem_free(fchain, 2 * RENAME_MAXDEPTH * sizeof(*fchain));
out:
	namei_done(&fnd);
	namei_done(&tnd);
	return error;
}

int
sys_rename(struct lwp *l, const struct sys_rename_args *uap,
    register_t *retval)
{

	return dorename(AT_FDCWD, SCARG(uap, from), AT_FDCWD, SCARG(uap, to), 0);
}

int
sys_renameat(struct lwp *l, const struct sys_renameat_args *uap,
    register_t *retval)
{

	return dorename(SCARG(uap, fromfd), SCARG(uap, from), SCARG(uap, tofd),
	    SCARG(uap, to), 0);
}

int
sys_renameat2(struct lwp *l, const struct sys_renameat2_args *uap,
    register_t *retval)
{

	return dorename(SCARG(uap, fromfd), SCARG(uap, from), SCARG(uap, tofd),
	    SCARG(uap, to), SCARG(uap, flags));
}

/*
 * readlink
 */

int
vn_readlink(struct vnode *vp, char *buf, size_t bufsize, enum uio_seg seg,
    kauth_cred_t cred, size_t *lenp)
{
	struct iovec iov;
	struct uio uio;
	int error;

	if (vp->v_type != VLNK)
		return EINVAL;
	iov.iov_base = buf;
	iov.iov_len = bufsize;
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_offset = 0;
	uio.uio_resid = bufsize;
	uio.uio_rw = UIO_READ;
	uio.uio_segflg = seg;
	vn_lock(vp, LK_EXCLUSIVE);
	error = VOP_READLINK(vp, &uio, cred);
	VOP_UNLOCK(vp);
	*lenp = bufsize - uio.uio_resid;
	return error;
}

int
doreadlink(int atfd, const char *path, char *buf, size_t bufsize,
    register_t *retval)
{
	struct vnode *vp;
	size_t len;
	int error;

	if ((ssize_t)bufsize <= 0)
		return EINVAL;
	if ((error = lookup_vnode(atfd, path, NOFOLLOW, &vp)) != 0)
		return error;
	error = vn_readlink(vp, buf, bufsize, UIO_USERSPACE, CRED(), &len);
	vrele(vp);
	if (error == 0)
		*retval = (register_t)len;
	return error;
}

int
sys_readlink(struct lwp *l, const struct sys_readlink_args *uap,
    register_t *retval)
{

	return doreadlink(AT_FDCWD, SCARG(uap, path), SCARG(uap, buf),
	    SCARG(uap, bufsize), retval);
}

int
sys_readlinkat(struct lwp *l, const struct sys_readlinkat_args *uap,
    register_t *retval)
{

	return doreadlink(SCARG(uap, fd), SCARG(uap, path), SCARG(uap, buf),
	    SCARG(uap, bufsize), retval);
}

/*
 * Attributes: chmod, chown, utimensat, truncate.
 */

static int
setattr_check_rdonly(struct vnode *vp)
{

	if (vp->v_mount != NULL && (vp->v_mount->mnt_flag & MNT_RDONLY))
		return EROFS;
	return 0;
}

/* Change the mode of vp (unlocked) as cred. */
int
vn_chmod(struct vnode *vp, mode_t mode, kauth_cred_t cred)
{
	struct vattr va, nva;
	int error;

	vn_lock(vp, LK_EXCLUSIVE);
	if ((error = setattr_check_rdonly(vp)) != 0 ||
	    (error = VOP_GETATTR(vp, &va, cred)) != 0)
		goto out;
	if (!kauth_cred_issuser(cred)) {
		if (kauth_cred_geteuid(cred) != va.va_uid) {
			error = EPERM;
			goto out;
		}
		/* Only a member of the file's group may set S_ISGID. */
		if (!kauth_cred_groupmember(cred, va.va_gid))
			mode &= ~S_ISGID;
	}
	vattr_null(&nva);
	nva.va_mode = mode & ALLPERMS;
	error = VOP_SETATTR(vp, &nva, cred);
out:
	VOP_UNLOCK(vp);
	return error;
}

/* Change owner and group ((uid_t)-1, (gid_t)-1: unchanged). */
int
vn_chown(struct vnode *vp, uid_t uid, gid_t gid, kauth_cred_t cred)
{
	struct vattr va, nva;
	int error;

	vn_lock(vp, LK_EXCLUSIVE);
	if ((error = setattr_check_rdonly(vp)) != 0 ||
	    (error = VOP_GETATTR(vp, &va, cred)) != 0)
		goto out;
	/* Changing nothing needs no rights (Linux), unless set-id bits go. */
	if (uid == (uid_t)-1 && gid == (gid_t)-1 && (vp->v_type == VDIR ||
	    (va.va_mode & (S_ISUID | S_ISGID)) == 0))
		goto out;
	if (uid == (uid_t)-1)
		uid = va.va_uid;
	if (gid == (gid_t)-1)
		gid = va.va_gid;
	/* The owner may give the file to one of its own groups; root anything. */
	if (!kauth_cred_issuser(cred) &&
	    (kauth_cred_geteuid(cred) != va.va_uid || uid != va.va_uid ||
	    (gid != va.va_gid && !kauth_cred_groupmember(cred, gid)))) {
		error = EPERM;
		goto out;
	}
	vattr_null(&nva);
	nva.va_uid = uid;
	nva.va_gid = gid;
	/* A new owner does not inherit set-id powers (as on Linux). */
	if (vp->v_type != VDIR && (va.va_mode & (S_ISUID | S_ISGID))) {
		nva.va_mode = va.va_mode & ~S_ISUID;
		if (va.va_mode & S_IXGRP)
			nva.va_mode &= ~S_ISGID;
	}
	error = VOP_SETATTR(vp, &nva, cred);
out:
	VOP_UNLOCK(vp);
	return error;
}

/* Set times; ts NULL: both now.  tv_nsec UTIME_NOW and UTIME_OMIT. */
int
vn_utimens(struct vnode *vp, const struct timespec *ts, kauth_cred_t cred)
{
	struct timespec now, t[2];
	struct vattr va, nva;
	bool explicit = false;
	int error, i;

	vfs_timestamp(&now);
	for (i = 0; i < 2; i++) {
		if (ts == NULL || ts[i].tv_nsec == UTIME_NOW)
			t[i] = now;
		else if (ts[i].tv_nsec == UTIME_OMIT)
			t[i].tv_nsec = UTIME_OMIT;
		else if (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= NSEC_PER_SEC)
			return EINVAL;
		else {
			t[i] = ts[i];
			explicit = true;
		}
	}
	if (t[0].tv_nsec == UTIME_OMIT && t[1].tv_nsec == UTIME_OMIT)
		return 0;
	vn_lock(vp, LK_EXCLUSIVE);
	if ((error = setattr_check_rdonly(vp)) != 0 ||
	    (error = VOP_GETATTR(vp, &va, cred)) != 0)
		goto out;
	/* Explicit times: the owner only; "now": also whoever may write. */
	if (!kauth_cred_issuser(cred) &&
	    kauth_cred_geteuid(cred) != va.va_uid) {
		if (explicit)
			error = EPERM;
		else
			error = VOP_ACCESS(vp, VWRITE, cred);
		if (error != 0)
			goto out;
	}
	vattr_null(&nva);
	if (t[0].tv_nsec != UTIME_OMIT)
		nva.va_atime = t[0];
	if (t[1].tv_nsec != UTIME_OMIT)
		nva.va_mtime = t[1];
	error = VOP_SETATTR(vp, &nva, cred);
out:
	VOP_UNLOCK(vp);
	return error;
}

int
sys_chmod(struct lwp *l, const struct sys_chmod_args *uap, register_t *retval)
{
	struct vnode *vp;
	int error;

	if ((error = lookup_vnode(AT_FDCWD, SCARG(uap, path), FOLLOW, &vp)) != 0)
		return error;
	error = vn_chmod(vp, SCARG(uap, mode), CRED());
	vrele(vp);
	return error;
}

int
sys_fchmod(struct lwp *l, const struct sys_fchmod_args *uap,
    register_t *retval)
{
	struct vnode *vp;
	int error;

	if ((error = fd_getvnode(SCARG(uap, fd), &vp)) != 0)
		return error;
	error = vn_chmod(vp, SCARG(uap, mode), CRED());
	vrele(vp);
	return error;
}

int
sys_fchmodat(struct lwp *l, const struct sys_fchmodat_args *uap,
    register_t *retval)
{
	struct vnode *vp;
	int nflags, error;

	if ((error = at_lookup(SCARG(uap, flag), 0, &nflags)) != 0)
		return error;
	if ((error = lookup_vnode(SCARG(uap, fd), SCARG(uap, path), nflags,
	    &vp)) != 0)
		return error;
	/* Linux cannot change a symbolic link's mode. */
	error = vp->v_type == VLNK ? EOPNOTSUPP :
	    vn_chmod(vp, SCARG(uap, mode), CRED());
	vrele(vp);
	return error;
}

static int
dochown(int atfd, const char *path, uid_t uid, gid_t gid, int nflags)
{
	struct vnode *vp;
	int error;

	if ((error = lookup_vnode(atfd, path, nflags, &vp)) != 0)
		return error;
	error = vn_chown(vp, uid, gid, CRED());
	vrele(vp);
	return error;
}

int
sys_chown(struct lwp *l, const struct sys_chown_args *uap, register_t *retval)
{

	return dochown(AT_FDCWD, SCARG(uap, path), SCARG(uap, uid),
	    SCARG(uap, gid), FOLLOW);
}

int
sys_lchown(struct lwp *l, const struct sys_lchown_args *uap,
    register_t *retval)
{

	return dochown(AT_FDCWD, SCARG(uap, path), SCARG(uap, uid),
	    SCARG(uap, gid), NOFOLLOW);
}

int
sys_fchown(struct lwp *l, const struct sys_fchown_args *uap,
    register_t *retval)
{
	struct vnode *vp;
	int error;

	if ((error = fd_getvnode(SCARG(uap, fd), &vp)) != 0)
		return error;
	error = vn_chown(vp, SCARG(uap, uid), SCARG(uap, gid), CRED());
	vrele(vp);
	return error;
}

int
sys_fchownat(struct lwp *l, const struct sys_fchownat_args *uap,
    register_t *retval)
{
	int nflags, error;

	if ((error = at_lookup(SCARG(uap, flag), AT_EMPTY_PATH, &nflags)) != 0)
		return error;
	return dochown(SCARG(uap, fd), SCARG(uap, path), SCARG(uap, uid),
	    SCARG(uap, gid), nflags);
}

static int
copyin_times(const struct timespec *uts, struct timespec *ts,
    const struct timespec **tsp)
{
	int error = 0;

	*tsp = NULL;
	if (uts != NULL && (error = copyin(uts, ts, 2 * sizeof(*ts))) == 0)
		*tsp = ts;
	return error;
}

int
sys_utimensat(struct lwp *l, const struct sys_utimensat_args *uap,
    register_t *retval)
{
	struct timespec ts[2];
	const struct timespec *tsp;
	struct vnode *vp;
	int nflags, error;

	if ((error = at_lookup(SCARG(uap, flag), 0, &nflags)) != 0 ||
	    (error = copyin_times(SCARG(uap, times), ts, &tsp)) != 0)
		return error;
	if ((error = lookup_vnode(SCARG(uap, fd), SCARG(uap, path), nflags,
	    &vp)) != 0)
		return error;
	error = vn_utimens(vp, tsp, CRED());
	vrele(vp);
	return error;
}

int
sys_futimens(struct lwp *l, const struct sys_futimens_args *uap,
    register_t *retval)
{
	struct timespec ts[2];
	const struct timespec *tsp;
	struct vnode *vp;
	int error;

	if ((error = copyin_times(SCARG(uap, times), ts, &tsp)) != 0)
		return error;
	if ((error = fd_getvnode(SCARG(uap, fd), &vp)) != 0)
		return error;
	error = vn_utimens(vp, tsp, CRED());
	vrele(vp);
	return error;
}

int
vn_truncate_checked(struct vnode *vp, off_t length, kauth_cred_t cred)
{
	int error;

	if (length < 0)
		return EINVAL;
	vn_lock(vp, LK_EXCLUSIVE);
	if (vp->v_type == VDIR)
		error = EISDIR;
	else if (vp->v_type != VREG)
		error = EINVAL;
	else if ((error = VOP_ACCESS(vp, VWRITE, cred)) == 0)
		error = vn_truncate(vp, length, cred);
	VOP_UNLOCK(vp);
	return error;
}

int
sys_truncate(struct lwp *l, const struct sys_truncate_args *uap,
    register_t *retval)
{
	struct vnode *vp;
	int error;

	if (SCARG(uap, length) < 0)
		return EINVAL;
	if ((error = lookup_vnode(AT_FDCWD, SCARG(uap, path), FOLLOW, &vp)) != 0)
		return error;
	error = vn_truncate_checked(vp, SCARG(uap, length), CRED());
	vrele(vp);
	return error;
}

/*
 * Directories: getdents.
 */

int
sys_getdents(struct lwp *l, const struct sys_getdents_args *uap,
    register_t *retval)
{
	struct file *fp;
	struct vnode *vp;
	struct vattr va;
	struct iovec iov;
	struct uio uio;
	int error, eof;

	if ((error = fd_getfile(SCARG(uap, fd), &fp)) != 0)
		return error;
	if (fp->f_type != DTYPE_VNODE) {
		error = ENOTDIR;
		goto out;
	}
	if ((atomic_load_relaxed(&fp->f_flag) & FREAD) == 0) {
		error = EBADF;
		goto out;
	}
	vp = fp->f_data;
	if (vp->v_type != VDIR) {
		error = ENOTDIR;
		goto out;
	}
	iov.iov_base = SCARG(uap, buf);
	iov.iov_len = MIN(SCARG(uap, count), (size_t)INT32_MAX);
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_resid = iov.iov_len;
	uio.uio_rw = UIO_READ;
	uio.uio_segflg = UIO_USERSPACE;
	mutex_enter(&fp->f_lock);
	uio.uio_offset = fp->f_offset;
	vn_lock(vp, LK_EXCLUSIVE);
	/* A removed directory lists nothing, not even "." (Linux: ENOENT). */
	if ((error = VOP_GETATTR(vp, &va, fp->f_cred)) == 0 && va.va_nlink == 0)
		error = ENOENT;
	if (error == 0)
		error = VOP_READDIR(vp, &uio, fp->f_cred, &eof);
	VOP_UNLOCK(vp);
	if (error == 0) {
		fp->f_offset = uio.uio_offset;
		*retval = iov.iov_base == NULL ? 0 :
		    (register_t)(MIN(SCARG(uap, count), (size_t)INT32_MAX) -
		    uio.uio_resid);
	}
	mutex_exit(&fp->f_lock);
out:
	file_rele(fp);
	return error;
}

/*
 * File systems: statvfs, sync, mount, unmount.
 */

int
dostatvfs(struct vnode *vp, struct statvfs *ubuf)
{
	struct statvfs *sb;
	int error;

	if (vp->v_mount == NULL)
		return EBADF;
	sb = kmem_alloc(sizeof(*sb), KM_SLEEP);
	error = vfs_statvfs_fill(vp->v_mount, sb);
	if (error == 0)
		error = copyout(sb, ubuf, sizeof(*sb));
	kmem_free(sb, sizeof(*sb));
	return error;
}

int
sys_statvfs(struct lwp *l, const struct sys_statvfs_args *uap,
    register_t *retval)
{
	struct vnode *vp;
	int error;

	if ((error = lookup_vnode(AT_FDCWD, SCARG(uap, path), FOLLOW, &vp)) != 0)
		return error;
	error = dostatvfs(vp, SCARG(uap, buf));
	vrele(vp);
	return error;
}

int
sys_fstatvfs(struct lwp *l, const struct sys_fstatvfs_args *uap,
    register_t *retval)
{
	struct vnode *vp;
	int error;

	if ((error = fd_getvnode(SCARG(uap, fd), &vp)) != 0)
		return error;
	error = dostatvfs(vp, SCARG(uap, buf));
	vrele(vp);
	return error;
}

int
sys_sync(struct lwp *l, const void *uap, register_t *retval)
{

	vfs_syncall();
	return 0;
}

#define MOUNT_MAXDATA	65536

int
sys_mount(struct lwp *l, const struct sys_mount_args *uap, register_t *retval)
{
	char fstype[VFS_NAMELEN], *path = NULL;
	size_t datalen = SCARG(uap, data_len);
	struct vnode *vp;
	void *data = NULL;
	int error;

	if (!kauth_cred_issuser(CRED()))
		return EPERM;
	if (SCARG(uap, flags) & ~(MNT_RDONLY | MNT_SYNCHRONOUS | MNT_NOEXEC |
	    MNT_NOSUID | MNT_NODEV | MNT_NOATIME | MNT_FORCE))
		return EINVAL;
	if ((error = copyinstr(SCARG(uap, type), fstype, sizeof(fstype),
	    NULL)) != 0)
		return error == ENAMETOOLONG ? ENODEV : error;
	if (SCARG(uap, data) != NULL) {
		if (datalen > MOUNT_MAXDATA)
			return EINVAL;
		data = kmem_zalloc(MAX(datalen, 1), KM_SLEEP);
		if ((error = copyin(SCARG(uap, data), data, datalen)) != 0)
			goto out;
	}
	path = pnbuf_get();
	if ((error = copyinstr(SCARG(uap, path), path, MAXPATHLEN, NULL)) != 0)
		goto out;
	/* The copy: the client may change its memory meanwhile. */
	if ((error = lookup_vnode_seg(UIO_SYSSPACE, AT_FDCWD, path, FOLLOW,
	    &vp)) != 0)
		goto out;
	error = vfs_domount(fstype, vp, path, SCARG(uap, flags), data,
	    datalen, NULL);
out:
	if (path != NULL)
		pnbuf_put(path);
	if (data != NULL)
		kmem_free(data, MAX(datalen, 1));
	return error;
}

int
sys_unmount(struct lwp *l, const struct sys_unmount_args *uap,
    register_t *retval)
{
	struct vnode *vp;
	struct mount *mp;
	int error;

	if (!kauth_cred_issuser(CRED()))
		return EPERM;
	if (SCARG(uap, flags) & ~MNT_FORCE)
		return EINVAL;
	if ((error = lookup_vnode(AT_FDCWD, SCARG(uap, path), FOLLOW, &vp)) != 0)
		return error;
	mp = vp->v_mount;
	if ((vp->v_vflag & VV_ROOT) == 0 || mp == NULL) {
		vrele(vp);
		return EINVAL;
	}
	vrele(vp);
	return vfs_dounmount(mp, SCARG(uap, flags));
}
