/*
 * Path name lookup (kernel VFS): namei() walks a path one component at a
 * time from the process' root or working directory (or an *at()
 * directory), checking search permission, crossing mount points in both
 * directions, and expanding symbolic links (ELOOP after MAXSYMLINKS).
 *
 * Only one directory lock is held at a time while walking: a directory
 * is locked shared for its VOP_LOOKUP and unlocked before the next
 * component.  The last component of a CREATE, DELETE or RENAME lookup
 * is looked up with the parent locked exclusively (LOCKPARENT), so the
 * answer still holds when the caller acts on it.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/pool.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <sys/dirent.h>

void
namei_setup(struct nameidata *nd, const char *path, int seg, int atfd,
    int op, int flags)
{

	memset(nd, 0, sizeof(*nd));
	nd->nd_path = path;
	nd->nd_pathseg = seg;
	nd->nd_atfd = atfd;
	nd->nd_nameiop = op;
	nd->nd_flags = flags;
}

/* Path buffers: MAXPATHLEN bytes each, from a pool of their own. */
static struct pool pnbuf_pool;

void
namei_init(void)
{

	pool_init(&pnbuf_pool, MAXPATHLEN, 16, "pnbuf");
}

char *
pnbuf_get(void)
{

	return pool_get(&pnbuf_pool, PR_WAITOK);
}

void
pnbuf_put(char *buf)
{

	pool_put(&pnbuf_pool, buf);
}

void
namei_done(struct nameidata *nd)
{

	if (nd->nd_dvp != NULL)
		vrele(nd->nd_dvp);
	if (nd->nd_vp != NULL)
		vrele(nd->nd_vp);
	nd->nd_dvp = nd->nd_vp = NULL;
	if (nd->nd_pnbuf != NULL)
		pnbuf_put(nd->nd_pnbuf);
	nd->nd_pnbuf = NULL;
}

/* The directory a relative path starts from: cwd, an *at() fd's, l_atvp. */
static int
namei_startdir(struct nameidata *nd, struct vnode **dvpp)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	if (nd->nd_atfd == AT_FDCWD) {
		*dvpp = cwd_cdir();
		return 0;
	}
	if (nd->nd_atfd == AT_LWPVP(0) || nd->nd_atfd == AT_LWPVP(1)) {
		if ((vp = curlwp->l_atvp[AT_LWPVP(0) - nd->nd_atfd]) == NULL)
			return EBADF;
		vref(vp);
	} else {
		if ((error = fd_getfile(nd->nd_atfd, &fp)) != 0)
			return error;
		if (fp->f_type != DTYPE_VNODE) {
			file_rele(fp);
			return ENOTDIR;
		}
		vp = fp->f_data;
		vref(vp);
		file_rele(fp);
	}
	if (vp->v_type != VDIR && !(nd->nd_flags & EMPTYPATH &&
	    nd->nd_pnbuf[0] == '\0')) {
		vrele(vp);
		return ENOTDIR;
	}
	*dvpp = vp;
	return 0;
}

/* Step from a mounted-on directory to the root of what is mounted there. */
static int
namei_crossdown(struct vnode **vpp)
{
	struct vnode *vp = *vpp, *rvp;
	struct mount *mp;
	int error;

	while (vp->v_type == VDIR) {
		mutex_enter(&vp->v_interlock);
		mp = vp->v_mountedhere;
		mutex_exit(&vp->v_interlock);
		if (mp == NULL)
			break;
		if ((error = VFS_ROOT(mp, &rvp)) != 0) {
			vrele(vp);
			*vpp = NULL;
			return error;
		}
		vrele(vp);
		vp = rvp;
	}
	*vpp = vp;
	return 0;
}

/* Replace the contents of buf: target + "/" + rest. */
static int
namei_splice(char *buf, const char *target, size_t tlen, const char *rest)
{
	size_t rlen = strlen(rest);

	if (tlen + (rlen > 0 ? 1 + rlen : 0) + 1 > MAXPATHLEN)
		return ENAMETOOLONG;
	memmove(buf + tlen + (rlen > 0 ? 1 : 0), rest, rlen + 1);
	memcpy(buf, target, tlen);
	if (rlen > 0)
		buf[tlen] = '/';
	return 0;
}

/* Read symbolic link vp (referenced) into a MAXPATHLEN buffer. */
static int
namei_readlink(struct vnode *vp, char *buf, size_t *lenp)
{
	struct iovec iov;
	struct uio uio;
	int error;

	uio_setup_sys(&uio, &iov, buf, MAXPATHLEN - 1, 0, UIO_READ);
	vn_lock(vp, LK_EXCLUSIVE);
	error = VOP_READLINK(vp, &uio, curlwp->l_cred);
	VOP_UNLOCK(vp);
	if (error != 0)
		return error;
	*lenp = MAXPATHLEN - 1 - uio.uio_resid;
	if (*lenp == 0)
		return ENOENT;
	return 0;
}

int
namei(struct nameidata *nd)
{
	kauth_cred_t cred = curlwp->l_cred;
	struct componentname *cnp = &nd->nd_cn;
	struct vnode *dvp = NULL, *vp = NULL, *rootvp;
	char *cp, *next, *linkbuf = NULL;
	size_t len, linklen;
	u_int nlinks = 0;
	bool last, wantparent;
	int error;

	nd->nd_dvp = nd->nd_vp = NULL;
	nd->nd_trailslash = false;
	nd->nd_pnbuf = pnbuf_get();
	if (nd->nd_pathseg == UIO_SYSSPACE) {
		if (strlcpy(nd->nd_pnbuf, nd->nd_path, MAXPATHLEN) >=
		    MAXPATHLEN)
			error = ENAMETOOLONG;
		else
			error = 0;
	} else
		error = copyinstr(nd->nd_path, nd->nd_pnbuf, MAXPATHLEN, NULL);
	if (error != 0)
		goto fail;
	if (nd->nd_pnbuf[0] == '\0' && !(nd->nd_flags & EMPTYPATH)) {
		error = ENOENT;
		goto fail;
	}

	rootvp = cwd_rdir();
	cp = nd->nd_pnbuf;
	if (*cp == '/') {
		dvp = rootvp;
		vref(dvp);
	} else if ((error = namei_startdir(nd, &dvp)) != 0) {
		vrele(rootvp);
		goto fail;
	}
	cnp->cn_cred = cred;
	cnp->cn_nameiop = nd->nd_nameiop;
	wantparent = nd->nd_nameiop != LOOKUP;

	for (;;) {
		while (*cp == '/')
			cp++;
		/* A path that ends here names dvp itself ("/", "a/.."). */
		if (*cp == '\0') {
			if (dvp->v_type != VDIR && cp != nd->nd_pnbuf) {
				error = ENOTDIR;
				goto bad;
			}
			vp = dvp;
			dvp = NULL;
			cnp->cn_nameptr = ".";
			cnp->cn_namelen = 1;
			cnp->cn_flags = ISLASTCN | ISDOT;
			break;
		}
		for (next = cp; *next != '\0' && *next != '/'; next++)
			continue;
		len = next - cp;
		last = true;
		for (const char *t = next; *t != '\0'; t++)
			if (*t != '/') {
				last = false;
				break;
			}
		if (last && *next == '/')
			nd->nd_trailslash = true;
		if (len > MAXNAMLEN) {
			error = ENAMETOOLONG;
			goto bad;
		}
		if (dvp->v_type != VDIR) {
			error = ENOTDIR;
			goto bad;
		}
		cnp->cn_nameptr = cp;
		cnp->cn_namelen = len;
		cnp->cn_flags = last ? ISLASTCN : 0;
		if (len == 1 && cp[0] == '.')
			cnp->cn_flags |= ISDOT;
		if (len == 2 && cp[0] == '.' && cp[1] == '.') {
			cnp->cn_flags |= ISDOTDOT;
			/* Never above the root; up out of mounted file systems. */
			if (dvp == rootvp) {
				vp = dvp;
				vref(vp);
				goto found;
			}
			while ((dvp->v_vflag & VV_ROOT) &&
			    dvp->v_mount != NULL &&
			    dvp->v_mount->mnt_vnodecovered != NULL) {
				vp = dvp->v_mount->mnt_vnodecovered;
				vref(vp);
				vrele(dvp);
				dvp = vp;
				vp = NULL;
			}
		}

		if (last && wantparent && !(cnp->cn_flags & (ISDOT | ISDOTDOT)))
			vn_lock(dvp, LK_EXCLUSIVE);
		else
			vn_lock(dvp, LK_SHARED);
		error = VOP_ACCESS(dvp, VEXEC, cred);
		if (error == 0)
			error = VOP_LOOKUP(dvp, &vp, cnp);
		if (last && wantparent && !(cnp->cn_flags & (ISDOT | ISDOTDOT))) {
			/* The parent comes back locked (or referenced). */
			if (error == ENOENT) {
				vp = NULL;
				error = 0;
			}
			if (error != 0) {
				VOP_UNLOCK(dvp);
				goto bad;
			}
			if (!(nd->nd_flags & LOCKPARENT))
				VOP_UNLOCK(dvp);
			if (vp != NULL && (error = namei_crossdown(&vp)) != 0) {
				if (nd->nd_flags & LOCKPARENT)
					VOP_UNLOCK(dvp);
				goto bad;
			}
			/*
			 * A call acting on the name follows a last symlink
			 * only if asked, and never before a trailing slash
			 * (Linux): rmdir("link/") is ENOTDIR, never the
			 * target's, and open("link/", O_CREAT) EISDIR.
			 */
			if (vp != NULL && vp->v_type == VLNK &&
			    (nd->nd_flags & FOLLOW) && !nd->nd_trailslash) {
				/* Follow: the parent no longer matters. */
				if (nd->nd_flags & LOCKPARENT)
					VOP_UNLOCK(dvp);
				goto symlink;
			}
			nd->nd_dvp = dvp;
			nd->nd_vp = vp;
			dvp = NULL;
			goto out;
		}
		VOP_UNLOCK(dvp);
		if (error != 0)
			goto bad;
found:
		if ((error = namei_crossdown(&vp)) != 0)
			goto bad;
		if (vp->v_type == VLNK && (!last || (nd->nd_flags & FOLLOW) ||
		    nd->nd_trailslash))
			goto symlink;
		if (last) {
			if (wantparent) {
				/* "." or "..": no parent to act in. */
				vrele(dvp);
				dvp = NULL;
			}
			break;
		}
		vrele(dvp);
		dvp = vp;
		vp = NULL;
		cp = next;
		continue;

symlink:
		if (++nlinks > MAXSYMLINKS) {
			error = ELOOP;
			goto bad;
		}
		if (linkbuf == NULL)
			linkbuf = pnbuf_get();
		error = namei_readlink(vp, linkbuf, &linklen);
		vrele(vp);
		vp = NULL;
		if (error == 0)
			error = namei_splice(nd->nd_pnbuf, linkbuf, linklen, next);
		if (error != 0)
			goto bad;
		cp = nd->nd_pnbuf;
		nd->nd_trailslash = false;
		if (*cp == '/') {
			vrele(dvp);
			dvp = rootvp;
			vref(dvp);
		}
	}

	/* A LOOKUP, or the last component was "." or "..". */
	if (nd->nd_trailslash && vp->v_type != VDIR) {
		error = ENOTDIR;
		goto bad;
	}
	nd->nd_vp = vp;
	nd->nd_dvp = dvp;	/* NULL */
	vp = dvp = NULL;
out:
	/* (A call acting on a name judges its trailing slash itself.) */
	if ((nd->nd_flags & LOCKLEAF) && nd->nd_vp != NULL)
		vn_lock(nd->nd_vp, LK_EXCLUSIVE);
	vrele(rootvp);
	if (linkbuf != NULL)
		pnbuf_put(linkbuf);
	return 0;

bad:
	if (vp != NULL)
		vrele(vp);
	if (dvp != NULL)
		vrele(dvp);
	vrele(rootvp);
	if (linkbuf != NULL)
		pnbuf_put(linkbuf);
fail:
	namei_done(nd);
	return error;
}
