/*
 * VFS helpers shared by every file system (kernel): attribute
 * initialisation, the standard permission check, time stamps, the
 * type conversion tables, and the operations of dead vnodes (revoked
 * by a forced unmount).
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/dirent.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/namei.h>
#include <sys/poll.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/unistd.h>
#include <sys/vnode.h>

const enum vtype iftovt_tab[16] = {
	VNON, VFIFO, VCHR, VNON, VDIR, VNON, VBLK, VNON,
	VREG, VNON, VLNK, VNON, VSOCK, VNON, VNON, VBAD,
};

const int vttoif_tab[9] = {
	0, S_IFREG, S_IFDIR, S_IFBLK, S_IFCHR, S_IFLNK, S_IFSOCK, S_IFIFO,
	S_IFMT,
};

int
vtype_to_dtype(enum vtype vt)
{

	switch (vt) {
	case VREG:	return DT_REG;
	case VDIR:	return DT_DIR;
	case VBLK:	return DT_BLK;
	case VCHR:	return DT_CHR;
	case VLNK:	return DT_LNK;
	case VSOCK:	return DT_SOCK;
	case VFIFO:	return DT_FIFO;
	default:	return DT_UNKNOWN;
	}
}

void
vattr_null(struct vattr *va)
{

	memset(va, 0xff, sizeof(*va));	/* every field VNOVAL */
	va->va_type = VNON;
}

void
vfs_timestamp(struct timespec *ts)
{

	nanotime(ts);
}

/*
 * The owner/group/other check: the first class cred belongs to decides.
 * The superuser may do anything but execute a file nobody may execute.
 * VADMIN asks "is cred the owner (or root)?".
 */
int
vaccess(enum vtype type, mode_t mode, uid_t uid, gid_t gid, accmode_t acc,
    kauth_cred_t cred)
{
	mode_t granted = 0;

	if (kauth_cred_issuser(cred)) {
		if ((acc & VEXEC) && type != VDIR &&
		    (mode & (S_IXUSR | (S_IXUSR >> 3) | (S_IXUSR >> 6))) == 0)
			return EACCES;
		return 0;
	}
	if (kauth_cred_geteuid(cred) == uid) {
		if (acc & VADMIN)
			acc &= ~VADMIN;
		if (mode & S_IRUSR)
			granted |= VREAD;
		if (mode & S_IWUSR)
			granted |= VWRITE | VAPPEND;
		if (mode & S_IXUSR)
			granted |= VEXEC;
	} else if (kauth_cred_groupmember(cred, gid)) {
		if (mode & (S_IRUSR >> 3))
			granted |= VREAD;
		if (mode & (S_IWUSR >> 3))
			granted |= VWRITE | VAPPEND;
		if (mode & (S_IXUSR >> 3))
			granted |= VEXEC;
	} else {
		if (mode & (S_IRUSR >> 6))
			granted |= VREAD;
		if (mode & (S_IWUSR >> 6))
			granted |= VWRITE | VAPPEND;
		if (mode & (S_IXUSR >> 6))
			granted |= VEXEC;
	}
	if (acc & VADMIN)
		return EPERM;
	return (acc & ~granted) == 0 ? 0 : EACCES;
}

/*
 * Dead vnodes, revoked by a forced unmount: a vnode keeps its type, so
 * callers that look at it see nothing change, and every operation says
 * EBADF, except the ones that let the last holder close and release it.
 */

static int
dead_lookup(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp)
{

	return EBADF;
}

static int
dead_create(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp,
    struct vattr *va)
{

	return EBADF;
}

static int
dead_symlink(struct vnode *dvp, struct vnode **vpp,
    struct componentname *cnp, struct vattr *va, const char *target)
{

	return EBADF;
}

static int
dead_open(struct vnode *vp, int fflag, kauth_cred_t cred)
{

	return EBADF;
}

static int
dead_close(struct vnode *vp, int fflag, kauth_cred_t cred)
{

	return 0;
}

static int
dead_access(struct vnode *vp, accmode_t acc, kauth_cred_t cred)
{

	return EBADF;
}

static int
dead_attr(struct vnode *vp, struct vattr *va, kauth_cred_t cred)
{

	return EBADF;
}

static int
dead_rdwr(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{

	return EBADF;
}

static int
dead_fsync(struct vnode *vp, kauth_cred_t cred, int flags)
{

	return EBADF;
}

static int
dead_remove(struct vnode *dvp, struct vnode *vp, struct componentname *cnp)
{

	return EBADF;
}

static int
dead_rename(struct vnode *fdvp, struct vnode *fvp,
    struct componentname *fcnp, struct vnode *tdvp, struct vnode *tvp,
    struct componentname *tcnp)
{

	return EBADF;
}

static int
dead_readdir(struct vnode *vp, struct uio *uio, kauth_cred_t cred,
    int *eofp)
{

	return EBADF;
}

static int
dead_readlink(struct vnode *vp, struct uio *uio, kauth_cred_t cred)
{

	return EBADF;
}

static int
dead_inactive(struct vnode *vp, bool *recyclep)
{

	*recyclep = false;
	return 0;
}

static int
dead_reclaim(struct vnode *vp)
{

	return 0;
}

static int
dead_pathconf(struct vnode *vp, int name, register_t *retval)
{

	return EBADF;
}

static int
dead_ioctl(struct vnode *vp, u_long cmd, void *data, int fflag,
    kauth_cred_t cred)
{

	return EBADF;
}

static int
dead_poll(struct vnode *vp, int events)
{

	return POLLHUP;
}

const struct vnodeops dead_vnodeops = {
	.vop_lookup = dead_lookup,
	.vop_create = dead_create,
	.vop_mknod = dead_create,
	.vop_mkdir = dead_create,
	.vop_symlink = dead_symlink,
	.vop_open = dead_open,
	.vop_close = dead_close,
	.vop_access = dead_access,
	.vop_getattr = dead_attr,
	.vop_setattr = dead_attr,
	.vop_read = dead_rdwr,
	.vop_write = dead_rdwr,
	.vop_fsync = dead_fsync,
	.vop_remove = dead_remove,
	.vop_rmdir = dead_remove,
	.vop_link = dead_remove,
	.vop_rename = dead_rename,
	.vop_readdir = dead_readdir,
	.vop_readlink = dead_readlink,
	.vop_inactive = dead_inactive,
	.vop_reclaim = dead_reclaim,
	.vop_pathconf = dead_pathconf,
	.vop_ioctl = dead_ioctl,
	.vop_poll = dead_poll,
};

int
vfs_stdpathconf(int name, register_t linkmax, register_t namemax,
    register_t symlinkmax, register_t *retval)
{

	switch (name) {
	case _PC_LINK_MAX:
		*retval = linkmax;
		return 0;
	case _PC_NAME_MAX:
		*retval = namemax;
		return 0;
	case _PC_PATH_MAX:
		*retval = MAXPATHLEN;
		return 0;
	case _PC_PIPE_BUF:
		*retval = 512;
		return 0;
	case _PC_CHOWN_RESTRICTED:
	case _PC_NO_TRUNC:
		*retval = 1;
		return 0;
	case _PC_FILESIZEBITS:
		*retval = 64;
		return 0;
	case _PC_SYMLINK_MAX:
		*retval = symlinkmax;
		return 0;
	default:
		return EINVAL;
	}
}

bool
vtype_isnode(enum vtype type)
{

	return type == VREG || type == VCHR || type == VBLK ||
	    type == VFIFO || type == VSOCK;
}
