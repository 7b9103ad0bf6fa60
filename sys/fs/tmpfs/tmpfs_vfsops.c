/*
 * tmpfs (file system layer): the file system type's operations.
 * Mounting sets the limits (struct tmpfs_args, or defaults) and makes
 * the root directory; unmounting, once the VFS has reclaimed every
 * vnode, frees every node, entry and page.  Vnodes are attached to
 * nodes by tmpfs_loadvnode(), with the node's address as the key.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/fstypes.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include "tmpfs.h"
#include "tmpfs_args.h"

/* The root's permissions when the mount does not say. */
#define TMPFS_ROOT_MODE		01777

/*
 * Mount.  data, if not NULL, is a struct tmpfs_args; a zero size,
 * node count or root mode means the default: half the kernel's memory,
 * one node per page of that, and 01777.  Without arguments the root
 * belongs to the caller.  A MNT_UPDATE mount changes nothing here (the
 * VFS keeps the flags).
 */
static int
tmpfs_mount(struct mount *mp, const char *path, void *data, size_t datalen)
{
	const struct tmpfs_args *args = data;
	struct tmpfs_mount *tmp;
	struct tmpfs_node *root;
	uint64_t size_max = 0, nodes_max = 0, pages_max;
	mode_t mode = 0;
	uid_t uid;
	gid_t gid;
	int error;

	if ((mp->mnt_flag & MNT_UPDATE) != 0)
		return mp->mnt_data != NULL ? 0 : EINVAL;

	if (args != NULL) {
		if (datalen < sizeof(*args) ||
		    args->ta_version != TMPFS_ARGS_VERSION)
			return EINVAL;
		size_max = args->ta_size_max;
		nodes_max = args->ta_nodes_max;
		mode = args->ta_root_mode & ALLPERMS;
		uid = args->ta_root_uid;
		gid = args->ta_root_gid;
	} else {
		uid = kauth_cred_geteuid(curlwp->l_cred);
		gid = kauth_cred_getegid(curlwp->l_cred);
	}
	if (size_max == 0)
		size_max = physmem_bytes / 2;
	pages_max = size_max / PAGE_SIZE;
	if (nodes_max == 0)
		nodes_max = MAX(pages_max, TMPFS_MIN_NODES);
	if (mode == 0)
		mode = TMPFS_ROOT_MODE;

	tmp = kmem_zalloc(sizeof(*tmp), KM_SLEEP);
	mutex_init(&tmp->tm_lock, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&tmp->tm_nodes);
	tmp->tm_pages_max = pages_max;
	tmp->tm_nodes_max = nodes_max;
	tmp->tm_nextid = 2;
	tmp->tm_nextgen = 1;

	error = tmpfs_node_alloc(tmp, VDIR, mode, uid, gid, 0, NULL, &root);
	if (error != 0)
		goto fail;
	/* The root is its own "..", which counts as a link. */
	root->tn_u.tn_dir.td_parent = root;
	root->tn_nlink = 2;
	tmp->tm_root = root;

	mp->mnt_data = tmp;
	strlcpy(mp->mnt_stat.f_mntfromname, "tmpfs",
	    sizeof(mp->mnt_stat.f_mntfromname));
	return 0;

fail:
	mutex_destroy(&tmp->tm_lock);
	kmem_free(tmp, sizeof(*tmp));
	return error;
}

/* Free everything; the VFS has reclaimed every vnode of mp. */
static int
tmpfs_unmount(struct mount *mp, int mntflags)
{
	struct tmpfs_mount *tmp = VFS_TO_TMPFS(mp);
	struct tmpfs_node *node;

	if (tmp == NULL)
		return 0;
	LIST_FOREACH(node, &tmp->tm_nodes, tn_entries)
		if (node->tn_vnode != NULL)
			return EBUSY;

	/* A directory frees its entries, never the nodes they name. */
	while ((node = LIST_FIRST(&tmp->tm_nodes)) != NULL)
		tmpfs_node_free(tmp, node);
	KASSERT(tmp->tm_nodes_inuse == 0);
	KASSERT(tmp->tm_pages_inuse == 0);

	mutex_destroy(&tmp->tm_lock);
	kmem_free(tmp, sizeof(*tmp));
	mp->mnt_data = NULL;
	return 0;
}

static int
tmpfs_root(struct mount *mp, struct vnode **vpp)
{

	return tmpfs_node_vget(mp, VFS_TO_TMPFS(mp)->tm_root, vpp);
}

static int
tmpfs_statvfs(struct mount *mp, struct statvfs *sbp)
{
	struct tmpfs_mount *tmp = VFS_TO_TMPFS(mp);
	uint64_t pages, nodes;

	mutex_enter(&tmp->tm_lock);
	pages = tmp->tm_pages_inuse;
	nodes = tmp->tm_nodes_inuse;
	mutex_exit(&tmp->tm_lock);

	sbp->f_bsize = PAGE_SIZE;
	sbp->f_frsize = PAGE_SIZE;
	sbp->f_blocks = tmp->tm_pages_max;
	sbp->f_bfree = tmp->tm_pages_max > pages ?
	    tmp->tm_pages_max - pages : 0;
	sbp->f_bavail = sbp->f_bfree;
	sbp->f_files = tmp->tm_nodes_max;
	sbp->f_ffree = tmp->tm_nodes_max > nodes ?
	    tmp->tm_nodes_max - nodes : 0;
	sbp->f_favail = sbp->f_ffree;
	return 0;
}

static int
tmpfs_sync(struct mount *mp, int waitfor, kauth_cred_t cred)
{

	/* Nothing is ever dirty. */
	return 0;
}

/*
 * Attach the node whose address is the key to the new vnode vp.  The
 * key's lasting copy is the node's tn_self.
 */
static int
tmpfs_loadvnode(struct mount *mp, struct vnode *vp, const void *key,
    size_t keylen, const void **newkey)
{
	struct tmpfs_node *node;

	if (keylen != sizeof(node))
		return EINVAL;
	memcpy(&node, key, sizeof(node));
	KASSERT(node->tn_self == node);
	KASSERT(node->tn_vnode == NULL);

	node->tn_vnode = vp;
	vp->v_data = node;
	vp->v_type = node->tn_type;
	vp->v_op = node->tn_ext != NULL ? node->tn_ext->te_vnodeops :
	    &tmpfs_vnodeops;
	if (node == VFS_TO_TMPFS(mp)->tm_root)
		vp->v_vflag |= VV_ROOT;
	*newkey = &node->tn_self;
	return 0;
}

struct vfsops tmpfs_vfsops = {
	.vfs_name = "tmpfs",
	.vfs_min_mount_data = 0,	/* no arguments: the defaults */
	.vfs_mount = tmpfs_mount,
	.vfs_unmount = tmpfs_unmount,
	.vfs_root = tmpfs_root,
	.vfs_statvfs = tmpfs_statvfs,
	.vfs_sync = tmpfs_sync,
	.vfs_vget = NULL,
	.vfs_loadvnode = tmpfs_loadvnode,
};
