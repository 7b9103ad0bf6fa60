/*
 * tmpfs (file system layer): the vnode operations.  The VFS has done
 * the permission, type and namespace checks vnode.h lists; these
 * functions look names up, store and retrieve, keep link counts, ".."
 * and time stamps right, and answer ENOTEMPTY, EMLINK, ENOSPC, EFBIG
 * and EROFS (VOP_ACCESS).  Obviously impossible requests (a wrong type,
 * a name that is not there) are refused with an error, never a panic.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/fstypes.h>
#include <sys/kauth.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/unistd.h>
#include <sys/vnode.h>

#include "tmpfs.h"

/* What a hole reads as. */
static const char tmpfs_zeropage[PAGE_SIZE];

static bool
tmpfs_name_is(const struct componentname *cnp, const char *name)
{
	size_t len = strlen(name);

	return cnp->cn_namelen == len &&
	    memcmp(cnp->cn_nameptr, name, len) == 0;
}

/* The entry of cnp in dnode, if it names node; else NULL. */
static struct tmpfs_dirent *
tmpfs_dir_lookup_node(struct tmpfs_node *dnode, struct componentname *cnp,
    struct tmpfs_node *node)
{
	struct tmpfs_dirent *de;

	de = tmpfs_dir_lookup(dnode, cnp->cn_nameptr, cnp->cn_namelen);
	if (de == NULL || de->td_node != node)
		return NULL;
	return de;
}

static int
tmpfs_lookup(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp)
{
	struct tmpfs_node *dnode = VP_TO_TMPFS_NODE(dvp), *node;
	struct tmpfs_dirent *de;

	*vpp = NULL;
	if (dnode->tn_type != VDIR)
		return ENOTDIR;
	if ((cnp->cn_flags & ISDOTDOT) != 0 || tmpfs_name_is(cnp, "..")) {
		/* NULL once removed; the root is its own parent. */
		if ((node = dnode->tn_u.tn_dir.td_parent) == NULL)
			return ENOENT;
	} else if ((cnp->cn_flags & ISDOT) != 0 || tmpfs_name_is(cnp, ".")) {
		vref(dvp);
		*vpp = dvp;
		return 0;
	} else {
		de = tmpfs_dir_lookup(dnode, cnp->cn_nameptr, cnp->cn_namelen);
		if (de == NULL)
			return ENOENT;
		node = de->td_node;
	}
	return tmpfs_node_vget(dvp->v_mount, node, vpp);
}

/*
 * Make a node of the given type with vap's attributes, name it cnp in
 * dvp, and return its vnode.  The common body of create, mknod, mkdir
 * and symlink.
 */
static int
tmpfs_mkfile(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp,
    struct vattr *vap, enum vtype type, const char *target)
{
	struct tmpfs_mount *tmp = VFS_TO_TMPFS(dvp->v_mount);
	struct tmpfs_node *dnode = VP_TO_TMPFS_NODE(dvp), *node;
	struct tmpfs_dirent *de;
	int error;

	*vpp = NULL;
	if (dnode->tn_type != VDIR)
		return ENOTDIR;
	if (dnode->tn_u.tn_dir.td_parent == NULL)
		return ENOENT;		/* dvp has been removed */
	if (type == VDIR && dnode->tn_nlink >= TMPFS_LINK_MAX)
		return EMLINK;
	if (tmpfs_dir_lookup(dnode, cnp->cn_nameptr, cnp->cn_namelen) != NULL)
		return EEXIST;

	error = tmpfs_dirent_alloc(cnp->cn_nameptr, cnp->cn_namelen, &de);
	if (error != 0)
		return error;
	error = tmpfs_node_alloc(tmp, type, vap->va_mode, vap->va_uid,
	    vap->va_gid, vap->va_rdev, target, &node);
	if (error != 0)
		goto fail_de;
	tmpfs_dir_attach(dnode, de, node);
	if ((error = tmpfs_node_vget(dvp->v_mount, node, vpp)) != 0)
		goto fail_node;
	return 0;

fail_node:
	/* Nobody saw the node: dvp has been locked all along. */
	tmpfs_dir_detach(dnode, de);
	if (type == VDIR)
		node->tn_nlink--;
	tmpfs_node_free(tmp, node);
fail_de:
	tmpfs_dirent_free(de);
	return error;
}

/* create and mknod: a file of any type but a directory or a link. */
static int
tmpfs_mknod(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp,
    struct vattr *vap)
{

	if (!vtype_isnode(vap->va_type)) {
		*vpp = NULL;
		return EINVAL;
	}
	return tmpfs_mkfile(dvp, vpp, cnp, vap, vap->va_type, NULL);
}

static int
tmpfs_mkdir(struct vnode *dvp, struct vnode **vpp, struct componentname *cnp,
    struct vattr *vap)
{

	return tmpfs_mkfile(dvp, vpp, cnp, vap, VDIR, NULL);
}

static int
tmpfs_symlink(struct vnode *dvp, struct vnode **vpp,
    struct componentname *cnp, struct vattr *vap, const char *target)
{

	return tmpfs_mkfile(dvp, vpp, cnp, vap, VLNK, target);
}

static int
tmpfs_open(struct vnode *vp, int fflag, kauth_cred_t cred)
{

	return 0;
}

static int
tmpfs_close(struct vnode *vp, int fflag, kauth_cred_t cred)
{

	return 0;
}

static int
tmpfs_access(struct vnode *vp, accmode_t accmode, kauth_cred_t cred)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);

	if ((accmode & VWRITE) != 0 &&
	    (vp->v_mount->mnt_flag & MNT_RDONLY) != 0) {
		switch (node->tn_type) {
		case VREG:
		case VDIR:
		case VLNK:
			return EROFS;
		default:
			break;
		}
	}
	return vaccess(node->tn_type, node->tn_mode, node->tn_uid,
	    node->tn_gid, accmode, cred);
}

static int
tmpfs_getattr(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);

	vap->va_type = node->tn_type;
	vap->va_mode = node->tn_mode;
	vap->va_nlink = node->tn_nlink;
	vap->va_uid = node->tn_uid;
	vap->va_gid = node->tn_gid;
	vap->va_fsid = (dev_t)vp->v_mount->mnt_stat.f_fsid;
	vap->va_fileid = node->tn_id;
	vap->va_size = node->tn_size;
	vap->va_blocksize = PAGE_SIZE;
	vap->va_atime = node->tn_atime;
	vap->va_mtime = node->tn_mtime;
	vap->va_ctime = node->tn_ctime;
	vap->va_birthtime = node->tn_birthtime;
	vap->va_flags = node->tn_flags;
	vap->va_gen = node->tn_gen;
	if (node->tn_type == VCHR || node->tn_type == VBLK)
		vap->va_rdev = node->tn_u.tn_rdev;
	else
		vap->va_rdev = 0;
	if (node->tn_type == VREG)
		vap->va_bytes = (off_t)(node->tn_u.tn_reg.tr_npages *
		    PAGE_SIZE);
	else
		vap->va_bytes = 0;
	return 0;
}

/* Store a time stamp of VOP_SETATTR; UTIME_NOW and UTIME_OMIT too. */
static void
tmpfs_settime(struct timespec *dst, const struct timespec *src,
    const struct timespec *now)
{

	if (src->tv_sec == VNOVAL || src->tv_nsec == UTIME_OMIT)
		return;
	if (src->tv_nsec == UTIME_NOW)
		*dst = *now;
	else
		*dst = *src;
}

static int
tmpfs_setattr(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);
	struct timespec now;
	int error;

	if ((vp->v_mount->mnt_flag & MNT_RDONLY) != 0)
		return EROFS;

	vfs_timestamp(&now);
	if (vap->va_size != VNOVAL) {
		switch (node->tn_type) {
		case VREG:
			if ((error = tmpfs_reg_resize(node, vap->va_size)) != 0)
				return error;
			node->tn_mtime = now;
			break;
		case VDIR:
			return EISDIR;
		case VLNK:
			return EINVAL;
		default:
			/* Devices, fifos and sockets have no data. */
			break;
		}
	}
	if (vap->va_mode != (mode_t)VNOVAL)
		node->tn_mode = vap->va_mode & ALLPERMS;
	if (vap->va_uid != (uid_t)VNOVAL)
		node->tn_uid = vap->va_uid;
	if (vap->va_gid != (gid_t)VNOVAL)
		node->tn_gid = vap->va_gid;
	if (vap->va_flags != (uint32_t)VNOVAL)
		node->tn_flags = vap->va_flags;
	tmpfs_settime(&node->tn_atime, &vap->va_atime, &now);
	tmpfs_settime(&node->tn_mtime, &vap->va_mtime, &now);
	node->tn_ctime = now;
	return 0;
}

static int
tmpfs_read(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);
	size_t len, pgoff;
	uint64_t off;
	char *page;
	int error = 0;

	if (node->tn_type == VDIR)
		return EISDIR;
	if (node->tn_type != VREG || uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_resid == 0)
		return 0;

	while (uio->uio_resid > 0 && uio->uio_offset < node->tn_size) {
		off = (uint64_t)uio->uio_offset;
		pgoff = off % PAGE_SIZE;
		len = MIN(PAGE_SIZE - pgoff, uio->uio_resid);
		len = MIN(len, (uint64_t)node->tn_size - off);
		page = tmpfs_reg_lookup(node, off / PAGE_SIZE);
		if (page == NULL)
			page = __UNCONST(tmpfs_zeropage);
		if ((error = uiomove(page + pgoff, len, uio)) != 0)
			break;
	}
	if ((vp->v_mount->mnt_flag & MNT_NOATIME) == 0)
		tmpfs_update(node, TMPFS_UPD_ATIME);
	return error;
}

/*
 * Write page by page.  A page made for the write is zeroed where the
 * write does not cover it.  Running out of space after some bytes is a
 * short write; with none, ENOSPC.
 */
static int
tmpfs_write(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);
	size_t len, pgoff, resid, moved;
	uint64_t off;
	char *page;
	void *p;
	bool isnew;
	int error = 0;

	if (node->tn_type == VDIR)
		return EISDIR;
	if (node->tn_type != VREG)
		return EINVAL;
	if ((ioflag & IO_APPEND) != 0)
		uio->uio_offset = node->tn_size;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_resid == 0)
		return 0;
	if (uio->uio_offset >= TMPFS_MAXFILESIZE ||
	    uio->uio_resid > (uint64_t)(TMPFS_MAXFILESIZE - uio->uio_offset))
		return EFBIG;

	resid = uio->uio_resid;
	while (uio->uio_resid > 0) {
		off = (uint64_t)uio->uio_offset;
		pgoff = off % PAGE_SIZE;
		len = MIN(PAGE_SIZE - pgoff, uio->uio_resid);
		error = tmpfs_reg_getpage(node, off / PAGE_SIZE, &p, &isnew);
		if (error != 0)
			break;
		page = p;
		if (isnew && len < PAGE_SIZE) {
			memset(page, 0, pgoff);
			memset(page + pgoff + len, 0, PAGE_SIZE - pgoff - len);
		}
		moved = uio->uio_resid;
		error = uiomove(page + pgoff, len, uio);
		moved -= uio->uio_resid;
		if (isnew && moved < len)
			memset(page + pgoff + moved, 0, len - moved);
		if (off + moved > (uint64_t)node->tn_size)
			node->tn_size = (off_t)(off + moved);
		if (error != 0)
			break;
	}
	if (uio->uio_resid != resid) {
		tmpfs_update(node, TMPFS_UPD_MTIME | TMPFS_UPD_CTIME);
		if (error == ENOSPC)
			error = 0;
	}
	return error;
}

static int
tmpfs_fsync(struct vnode *vp, kauth_cred_t cred, int flags)
{

	/* Memory is as stable as this file system gets. */
	return 0;
}

static int
tmpfs_remove(struct vnode *dvp, struct vnode *vp, struct componentname *cnp)
{
	struct tmpfs_node *dnode = VP_TO_TMPFS_NODE(dvp);
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);
	struct tmpfs_dirent *de;

	if (dnode->tn_type != VDIR)
		return ENOTDIR;
	if (node->tn_type == VDIR)
		return EPERM;
	if ((de = tmpfs_dir_lookup_node(dnode, cnp, node)) == NULL)
		return ENOENT;
	tmpfs_dir_detach(dnode, de);
	tmpfs_dirent_free(de);
	/* With no links left, the node goes when the vnode does. */
	return 0;
}

static int
tmpfs_rmdir(struct vnode *dvp, struct vnode *vp, struct componentname *cnp)
{
	struct tmpfs_node *dnode = VP_TO_TMPFS_NODE(dvp);
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);
	struct tmpfs_dirent *de;

	if (dnode->tn_type != VDIR || node->tn_type != VDIR)
		return ENOTDIR;
	if (node == dnode)
		return EINVAL;
	if ((de = tmpfs_dir_lookup_node(dnode, cnp, node)) == NULL)
		return ENOENT;
	if (!tmpfs_dir_empty(node))
		return ENOTEMPTY;
	tmpfs_dir_detach(dnode, de);
	tmpfs_dirent_free(de);
	/* Its "." goes too. */
	KASSERT(node->tn_nlink == 1);
	node->tn_nlink = 0;
	return 0;
}

static int
tmpfs_link(struct vnode *dvp, struct vnode *vp, struct componentname *cnp)
{
	struct tmpfs_node *dnode = VP_TO_TMPFS_NODE(dvp);
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);
	struct tmpfs_dirent *de;
	int error;

	if (dnode->tn_type != VDIR)
		return ENOTDIR;
	if (dvp->v_mount != vp->v_mount)
		return EXDEV;
	if (node->tn_type == VDIR)
		return EPERM;
	if (dnode->tn_u.tn_dir.td_parent == NULL || node->tn_nlink == 0)
		return ENOENT;
	if (node->tn_nlink >= TMPFS_LINK_MAX)
		return EMLINK;
	if (tmpfs_dir_lookup(dnode, cnp->cn_nameptr, cnp->cn_namelen) != NULL)
		return EEXIST;
	error = tmpfs_dirent_alloc(cnp->cn_nameptr, cnp->cn_namelen, &de);
	if (error != 0)
		return error;
	tmpfs_dir_attach(dnode, de, node);
	return 0;
}

/*
 * Is node an ancestor of (or the same as) dnode?  The parent links of
 * directories change only in rename, under the mount's rename lock,
 * which the caller holds.
 */
static bool
tmpfs_is_ancestor(struct tmpfs_node *node, struct tmpfs_node *dnode)
{
	struct tmpfs_node *parent;

	for (;;) {
		if (dnode == node)
			return true;
		parent = dnode->tn_u.tn_dir.td_parent;
		if (parent == NULL || parent == dnode)
			return false;
		dnode = parent;
	}
}

/*
 * Move fvp from fdvp/fcnp to tdvp/tcnp, replacing tvp.  Everything
 * that can fail (checks, the new entry's memory) comes before the
 * first change.  The moved node gets a new cookie in tdvp.
 */
static int
tmpfs_rename(struct vnode *fdvp, struct vnode *fvp, struct componentname *fcnp,
    struct vnode *tdvp, struct vnode *tvp, struct componentname *tcnp)
{
	struct tmpfs_node *fdnode = VP_TO_TMPFS_NODE(fdvp);
	struct tmpfs_node *fnode = VP_TO_TMPFS_NODE(fvp);
	struct tmpfs_node *tdnode = VP_TO_TMPFS_NODE(tdvp);
	struct tmpfs_node *tnode = tvp != NULL ? VP_TO_TMPFS_NODE(tvp) : NULL;
	struct tmpfs_dirent *fde, *tde, *de;
	int error;

	if (fdnode->tn_type != VDIR || tdnode->tn_type != VDIR)
		return ENOTDIR;
	if (fdvp->v_mount != tdvp->v_mount || fvp->v_mount != tdvp->v_mount)
		return EXDEV;
	if (tdnode->tn_u.tn_dir.td_parent == NULL)
		return ENOENT;		/* tdvp has been removed */
	if ((fde = tmpfs_dir_lookup_node(fdnode, fcnp, fnode)) == NULL)
		return ENOENT;
	tde = tmpfs_dir_lookup(tdnode, tcnp->cn_nameptr, tcnp->cn_namelen);
	if (tnode == NULL && tde != NULL)
		return EEXIST;
	if (tnode != NULL && (tde == NULL || tde->td_node != tnode))
		return ENOENT;
	if (tnode == fnode)
		return 0;		/* two names of one file */

	if (tnode != NULL) {
		if (tnode->tn_type == VDIR) {
			if (fnode->tn_type != VDIR)
				return EISDIR;
			if (!tmpfs_dir_empty(tnode))
				return ENOTEMPTY;
		} else if (fnode->tn_type == VDIR)
			return ENOTDIR;
	}
	if (fnode->tn_type == VDIR && fdnode != tdnode) {
		if (tmpfs_is_ancestor(fnode, tdnode))
			return EINVAL;
		if (tnode == NULL && tdnode->tn_nlink >= TMPFS_LINK_MAX)
			return EMLINK;
	}

	error = tmpfs_dirent_alloc(tcnp->cn_nameptr, tcnp->cn_namelen, &de);
	if (error != 0)
		return error;

	if (tnode != NULL) {
		tmpfs_dir_detach(tdnode, tde);
		tmpfs_dirent_free(tde);
		if (tnode->tn_type == VDIR) {
			/* Its "." goes too. */
			KASSERT(tnode->tn_nlink == 1);
			tnode->tn_nlink = 0;
		}
	}
	tmpfs_dir_detach(fdnode, fde);
	tmpfs_dirent_free(fde);
	tmpfs_dir_attach(tdnode, de, fnode);
	return 0;
}

static int
tmpfs_readdir(struct vnode *vp, struct uio *uio, kauth_cred_t cred,
    int *eofp)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);
	int error, eof;

	if (node->tn_type != VDIR)
		return ENOTDIR;
	error = tmpfs_dir_getdents(node, uio, &eof);
	if (eofp != NULL)
		*eofp = eof;
	if (error == 0 && (vp->v_mount->mnt_flag & MNT_NOATIME) == 0)
		tmpfs_update(node, TMPFS_UPD_ATIME);
	return error;
}

static int
tmpfs_readlink(struct vnode *vp, struct uio *uio, kauth_cred_t cred)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);
	int error;

	if (node->tn_type != VLNK)
		return EINVAL;
	error = uiomove(node->tn_u.tn_link,
	    MIN((size_t)node->tn_size, uio->uio_resid), uio);
	if ((vp->v_mount->mnt_flag & MNT_NOATIME) == 0)
		tmpfs_update(node, TMPFS_UPD_ATIME);
	return error;
}

static int
tmpfs_inactive(struct vnode *vp, bool *recyclep)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);

	/* A file with no links left is of no use to anyone. */
	*recyclep = node->tn_nlink == 0;
	return 0;
}

static int
tmpfs_reclaim(struct vnode *vp)
{
	struct tmpfs_node *node = VP_TO_TMPFS_NODE(vp);

	if (node == NULL)
		return 0;
	KASSERT(node->tn_vnode == vp);
	node->tn_vnode = NULL;
	vp->v_data = NULL;
	if (node->tn_nlink == 0)
		tmpfs_node_free(node->tn_tmp, node);
	return 0;
}

static int
tmpfs_pathconf(struct vnode *vp, int name, register_t *retval)
{

	return vfs_stdpathconf(name, TMPFS_LINK_MAX, TMPFS_NAME_MAX,
	    TMPFS_SYMLINK_MAX, retval);
}

const struct vnodeops tmpfs_vnodeops = {
	.vop_lookup = tmpfs_lookup,
	.vop_create = tmpfs_mknod,
	.vop_mknod = tmpfs_mknod,
	.vop_mkdir = tmpfs_mkdir,
	.vop_symlink = tmpfs_symlink,
	.vop_open = tmpfs_open,
	.vop_close = tmpfs_close,
	.vop_access = tmpfs_access,
	.vop_getattr = tmpfs_getattr,
	.vop_setattr = tmpfs_setattr,
	.vop_read = tmpfs_read,
	.vop_write = tmpfs_write,
	.vop_fsync = tmpfs_fsync,
	.vop_remove = tmpfs_remove,
	.vop_rmdir = tmpfs_rmdir,
	.vop_link = tmpfs_link,
	.vop_rename = tmpfs_rename,
	.vop_readdir = tmpfs_readdir,
	.vop_readlink = tmpfs_readlink,
	.vop_inactive = tmpfs_inactive,
	.vop_reclaim = tmpfs_reclaim,
	.vop_pathconf = tmpfs_pathconf,
	.vop_ioctl = NULL,
	.vop_poll = NULL,
};
