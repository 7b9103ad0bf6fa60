/*
 * Working and root directories of processes (kernel VFS): the per-process
 * cwdinfo, inherited (copied) by new processes, and the calls chdir,
 * fchdir and getcwd.  getcwd walks up with ".." lookups and finds each
 * name by reading the parent directory.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/atomic.h>
#include <sys/dirent.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/rwlock.h>
#include <sys/syscallargs.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>

static struct cwdinfo *
cwdi_alloc(struct vnode *cdir, struct vnode *rdir)
{
	struct cwdinfo *cwdi;

	cwdi = kmem_zalloc(sizeof(*cwdi), KM_SLEEP);
	rw_init(&cwdi->cwdi_lock);
	cwdi->cwdi_refcnt = 1;
	cwdi->cwdi_cdir = cdir;
	cwdi->cwdi_rdir = rdir;
	if (cdir != NULL)
		vref(cdir);
	if (rdir != NULL)
		vref(rdir);
	return cwdi;
}

/* Process hooks: each process gets its own copy of its parent's. */
static void
cwd_fork(struct proc *parent, struct proc *child, int flags)
{
	struct cwdinfo *pcwdi;

	if (parent == NULL) {
		child->p_cwdi = cwdi_alloc(rootvnode, rootvnode);
		return;
	}
	pcwdi = parent->p_cwdi;
	rw_enter(&pcwdi->cwdi_lock, RW_READER);
	child->p_cwdi = cwdi_alloc(pcwdi->cwdi_cdir, pcwdi->cwdi_rdir);
	rw_exit(&pcwdi->cwdi_lock);
}

static void
cwd_exit(struct proc *p)
{
	struct cwdinfo *cwdi = p->p_cwdi;

	p->p_cwdi = NULL;
	if (cwdi == NULL || atomic_dec_uint_nv(&cwdi->cwdi_refcnt) > 0)
		return;
	if (cwdi->cwdi_cdir != NULL)
		vrele(cwdi->cwdi_cdir);
	if (cwdi->cwdi_rdir != NULL)
		vrele(cwdi->cwdi_rdir);
	rw_destroy(&cwdi->cwdi_lock);
	kmem_free(cwdi, sizeof(*cwdi));
}

static const struct prochook cwd_prochook = {
	.ph_fork = cwd_fork,
	.ph_exit = cwd_exit,
};

/* Called once the root file system is mounted. */
void
cwd_init(void)
{

	proc_hook_establish(&cwd_prochook);
}

static struct vnode *
cwd_get(bool root)
{
	struct cwdinfo *cwdi = curproc->p_cwdi;
	struct vnode *vp;

	rw_enter(&cwdi->cwdi_lock, RW_READER);
	vp = root ? cwdi->cwdi_rdir : cwdi->cwdi_cdir;
	vref(vp);
	rw_exit(&cwdi->cwdi_lock);
	return vp;
}

struct vnode *
cwd_cdir(void)
{

	return cwd_get(false);
}

struct vnode *
cwd_rdir(void)
{

	return cwd_get(true);
}

void
cwd_chdir(struct vnode *vp)
{
	struct cwdinfo *cwdi = curproc->p_cwdi;
	struct vnode *old;

	rw_enter(&cwdi->cwdi_lock, RW_WRITER);
	old = cwdi->cwdi_cdir;
	cwdi->cwdi_cdir = vp;
	rw_exit(&cwdi->cwdi_lock);
	vrele(old);
}

/* Make vp (referenced, consumed) the working directory if it may be. */
static int
dochdir(struct vnode *vp)
{
	int error;

	vn_lock(vp, LK_SHARED);
	if (vp->v_type != VDIR)
		error = ENOTDIR;
	else
		error = VOP_ACCESS(vp, VEXEC, curlwp->l_cred);
	VOP_UNLOCK(vp);
	if (error != 0) {
		vrele(vp);
		return error;
	}
	cwd_chdir(vp);
	return 0;
}

int
sys_chdir(struct lwp *l, const struct sys_chdir_args *uap, register_t *retval)
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	namei_setup(&nd, SCARG(uap, path), UIO_USERSPACE, AT_FDCWD, LOOKUP,
	    FOLLOW);
	if ((error = namei(&nd)) != 0)
		return error;
	vp = nd.nd_vp;
	nd.nd_vp = NULL;
	namei_done(&nd);
	return dochdir(vp);
}

int
sys_fchdir(struct lwp *l, const struct sys_fchdir_args *uap,
    register_t *retval)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	if ((error = fd_getfile(SCARG(uap, fd), &fp)) != 0)
		return error;
	if (fp->f_type != DTYPE_VNODE) {
		file_rele(fp);
		return ENOTDIR;
	}
	vp = fp->f_data;
	vref(vp);
	file_rele(fp);
	return dochdir(vp);
}

/*
 * Find the name of the child with file id ino in directory dvp (locked)
 * by reading it; the name goes to the end of the path being built
 * backwards in buf (bp: its start, moved left).
 */
static int
getcwd_scandir(struct vnode *dvp, ino_t ino, char *buf, char **bpp)
{
	const size_t dirbuflen = 8192;
	struct dirent *dp;
	struct iovec iov;
	struct uio uio;
	char *dirbuf, *p;
	off_t off = 0;
	int error, eof = 0;
	size_t n;

	dirbuf = kmem_alloc(dirbuflen, KM_SLEEP);
	do {
		uio_setup_sys(&uio, &iov, dirbuf, dirbuflen, off, UIO_READ);
		if ((error = VOP_READDIR(dvp, &uio, curlwp->l_cred, &eof)) != 0)
			break;
		n = dirbuflen - uio.uio_resid;
		if (n == 0)
			break;
		for (p = dirbuf; p < dirbuf + n; p += dp->d_reclen) {
			dp = (struct dirent *)p;
			if (dp->d_fileno != ino ||
			    (dp->d_namlen == 1 && dp->d_name[0] == '.') ||
			    (dp->d_namlen == 2 && dp->d_name[0] == '.' &&
			    dp->d_name[1] == '.'))
				continue;
			if ((size_t)(*bpp - buf) < dp->d_namlen + 1u) {
				error = ERANGE;
				goto out;
			}
			*bpp -= dp->d_namlen;
			memcpy(*bpp, dp->d_name, dp->d_namlen);
			*--*bpp = '/';
			goto out;
		}
		off = uio.uio_offset;
	} while (!eof);
	if (error == 0)
		error = ENOENT;
out:
	kmem_free(dirbuf, dirbuflen);
	return error;
}

int
vfs_getcwd(struct vnode *root, struct vnode *dir, char *buf, size_t len,
    size_t *lenp)
{
	kauth_cred_t cred = curlwp->l_cred;
	struct componentname cn;
	struct vnode *vp = dir, *pvp;
	struct vattr va;
	char *bp = buf + len;
	int error = 0;

	if (len < 2)
		return ERANGE;
	*--bp = '\0';
	vref(vp);
	/* A removed working directory has no path. */
	vn_lock(vp, LK_SHARED);
	error = VOP_GETATTR(vp, &va, cred);
	VOP_UNLOCK(vp);
	if (error == 0 && va.va_nlink == 0)
		error = ENOENT;
	while (error == 0 && vp != root) {
		/* Up out of mounted file systems first. */
		while ((vp->v_vflag & VV_ROOT) && vp != root &&
		    vp->v_mount != NULL && vp->v_mount->mnt_vnodecovered != NULL) {
			pvp = vp->v_mount->mnt_vnodecovered;
			vref(pvp);
			vrele(vp);
			vp = pvp;
		}
		if (vp == root)
			break;
		/*
		 * No permission is needed to know one's place (Linux): the
		 * walk up neither searches nor reads as the caller.
		 */
		vn_lock(vp, LK_SHARED);
		error = VOP_GETATTR(vp, &va, cred);
		if (error == 0) {
			memset(&cn, 0, sizeof(cn));
			cn.cn_nameptr = "..";
			cn.cn_namelen = 2;
			cn.cn_cred = cred;
			cn.cn_nameiop = LOOKUP;
			cn.cn_flags = ISDOTDOT | ISLASTCN;
			error = VOP_LOOKUP(vp, &pvp, &cn);
		}
		VOP_UNLOCK(vp);
		if (error != 0)
			break;
		if (pvp == vp) {
			/* The top of a file system nothing covers. */
			vrele(pvp);
			break;
		}
		vn_lock(pvp, LK_EXCLUSIVE);
		error = getcwd_scandir(pvp, va.va_fileid, buf, &bp);
		VOP_UNLOCK(pvp);
		vrele(vp);
		vp = pvp;
	}
	vrele(vp);
	if (error != 0)
		return error;
	if (*bp == '\0')
		*--bp = '/';
	*lenp = buf + len - bp;
	memmove(buf, bp, *lenp);
	return 0;
}

/* getcwd: returns the length of the path with its NUL, as Linux does. */
int
sys_getcwd(struct lwp *l, const struct sys_getcwd_args *uap,
    register_t *retval)
{
	struct vnode *root, *dir;
	size_t len = MIN(SCARG(uap, size), MAXPATHLEN), plen;
	char *buf;
	int error;

	if (SCARG(uap, size) == 0)
		return EINVAL;
	buf = pnbuf_get();
	root = cwd_rdir();
	dir = cwd_cdir();
	error = vfs_getcwd(root, dir, buf, len, &plen);
	vrele(dir);
	vrele(root);
	if (error == 0)
		error = copyout(buf, SCARG(uap, buf), plen);
	if (error == 0)
		*retval = plen;
	pnbuf_put(buf);
	return error;
}
