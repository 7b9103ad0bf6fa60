/*
 * Mounting (kernel VFS): the registered file system types, the mount
 * list, mount and unmount (EBUSY unless forced), sync of everything,
 * and the unmount of everything at shutdown.
 *
 * Locking: vfs_mountlock serialises mount, unmount and whole-list walks
 * that call into file systems (sync); mountlist_lock protects the lists
 * themselves and may be taken under it.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/dirent.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/kinfo.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/queue.h>
#include <sys/statvfs.h>
#include <sys/sysctl.h>
#include <sys/systm.h>
#include <sys/vnode.h>

struct mntlist mountlist = TAILQ_HEAD_INITIALIZER(mountlist);
kmutex_t mountlist_lock;
struct vnode *rootvnode;

static kmutex_t vfs_mountlock;
static LIST_HEAD(, vfsops) vfs_list = LIST_HEAD_INITIALIZER(vfs_list);
static uint64_t nextfsid = 1;

static struct sysctl_node vfs_mounts_node;

void
vfs_mount_init(void)
{

	mutex_init(&mountlist_lock, MUTEX_DEFAULT, IPL_NONE);
	mutex_init(&vfs_mountlock, MUTEX_DEFAULT, IPL_NONE);
	if (sysctl_add(&vfs_mounts_node) != 0)
		panic("vfs: vfs.mounts twice");
}

/*
 * vfs.mounts: a struct kinfo_mount per mounted file system, with its
 * space as VFS_STATVFS() says (under vfs_mountlock, as sync is).
 */
static int
sysctl_mounts(const struct sysctl_node *sn, struct sysctl_req *req)
{
	struct kinfo_mount *km = NULL;
	struct statvfs *sv;
	struct mount *mp;
	size_t n = 0, i = 0;
	int error;

	sv = kmem_alloc(sizeof(*sv), KM_SLEEP);
	mutex_enter(&vfs_mountlock);
	TAILQ_FOREACH(mp, &mountlist, mnt_list)
		n++;
	if (n > 0)
		km = kmem_zalloc(n * sizeof(*km), KM_SLEEP);
	TAILQ_FOREACH(mp, &mountlist, mnt_list) {
		strlcpy(km[i].km_fstype, mp->mnt_stat.f_fstypename,
		    sizeof(km[i].km_fstype));
		strlcpy(km[i].km_on, mp->mnt_stat.f_mntonname,
		    sizeof(km[i].km_on));
		strlcpy(km[i].km_from, mp->mnt_stat.f_mntfromname,
		    sizeof(km[i].km_from));
		km[i].km_flags = (uint64_t)mp->mnt_flag;
		if (vfs_statvfs_fill(mp, sv) == 0) {
			km[i].km_bsize = sv->f_frsize;
			km[i].km_blocks = sv->f_blocks;
			km[i].km_bfree = sv->f_bfree;
			km[i].km_files = sv->f_files;
			km[i].km_ffree = sv->f_ffree;
		}
		i++;
	}
	mutex_exit(&vfs_mountlock);
	kmem_free(sv, sizeof(*sv));
	error = sysctl_out(req, km, n * sizeof(*km));
	if (km != NULL)
		kmem_free(km, n * sizeof(*km));
	return error;
}

static struct sysctl_node vfs_mounts_node =
    SYSCTL_NODE("vfs.mounts", CTLTYPE_STRUCT, 0, sysctl_mounts, NULL);

int
vfs_attach(struct vfsops *vfs)
{
	struct vfsops *v;

	mutex_enter(&vfs_mountlock);
	LIST_FOREACH(v, &vfs_list, vfs_list) {
		if (strcmp(v->vfs_name, vfs->vfs_name) == 0) {
			mutex_exit(&vfs_mountlock);
			return EEXIST;
		}
	}
	vfs->vfs_refcount = 0;
	LIST_INSERT_HEAD(&vfs_list, vfs, vfs_list);
	mutex_exit(&vfs_mountlock);
	return 0;
}

int
vfs_detach(struct vfsops *vfs)
{

	mutex_enter(&vfs_mountlock);
	if (vfs->vfs_refcount > 0) {
		mutex_exit(&vfs_mountlock);
		return EBUSY;
	}
	LIST_REMOVE(vfs, vfs_list);
	mutex_exit(&vfs_mountlock);
	return 0;
}

uint64_t
vfs_getnewfsid(void)
{

	return __atomic_fetch_add(&nextfsid, 1, __ATOMIC_RELAXED);
}

static struct vfsops *
vfs_getopsbyname(const char *name)
{
	struct vfsops *v;

	KASSERT(mutex_owned(&vfs_mountlock));
	LIST_FOREACH(v, &vfs_list, vfs_list)
		if (strcmp(v->vfs_name, name) == 0)
			return v;
	return NULL;
}

int
vfs_domount(const char *fstype, struct vnode *vp, const char *path, int flags,
    void *data, size_t datalen, struct mount **mpp)
{
	struct vfsops *vfs;
	struct mount *mp;
	int error;

	mutex_enter(&vfs_mountlock);
	if ((vfs = vfs_getopsbyname(fstype)) == NULL) {
		error = ENODEV;
		goto fail;
	}
	if (datalen < vfs->vfs_min_mount_data && data != NULL) {
		error = EINVAL;
		goto fail;
	}
	if (vp != NULL) {
		if (vp->v_type != VDIR) {
			error = ENOTDIR;
			goto fail;
		}
		mutex_enter(&vp->v_interlock);
		error = vp->v_mountedhere != NULL ? EBUSY : 0;
		mutex_exit(&vp->v_interlock);
		if (error != 0)
			goto fail;
	}

	mp = kmem_zalloc(sizeof(*mp), KM_SLEEP);
	mp->mnt_op = vfs;
	/* MNT_FORCE: the file system may mount what it would refuse. */
	mp->mnt_flag = flags & (MNT_RDONLY | MNT_SYNCHRONOUS | MNT_NOEXEC |
	    MNT_NOSUID | MNT_NODEV | MNT_NOATIME | MNT_FORCE);
	TAILQ_INIT(&mp->mnt_vnodes);
	mutex_init(&mp->mnt_renamelock, MUTEX_DEFAULT, IPL_NONE);
	strlcpy(mp->mnt_stat.f_fstypename, fstype,
	    sizeof(mp->mnt_stat.f_fstypename));
	strlcpy(mp->mnt_stat.f_mntonname, path,
	    sizeof(mp->mnt_stat.f_mntonname));
	mp->mnt_stat.f_fsid = vfs_getnewfsid();
	if (vp == NULL)
		mp->mnt_iflag |= IMNT_ROOTFS;

	error = VFS_MOUNT(mp, path, data, datalen);
	if (error != 0) {
		mutex_destroy(&mp->mnt_renamelock);
		kmem_free(mp, sizeof(*mp));
		goto fail;
	}
	mp->mnt_flag &= ~MNT_FORCE;
	vfs->vfs_refcount++;
	mp->mnt_vnodecovered = vp;
	if (vp != NULL) {
		mutex_enter(&vp->v_interlock);
		vp->v_mountedhere = mp;
		mutex_exit(&vp->v_interlock);
	}
	mutex_enter(&mountlist_lock);
	TAILQ_INSERT_TAIL(&mountlist, mp, mnt_list);
	mutex_exit(&mountlist_lock);
	mutex_exit(&vfs_mountlock);
	if (mpp != NULL)
		*mpp = mp;
	return 0;

fail:
	mutex_exit(&vfs_mountlock);
	if (vp != NULL)
		vrele(vp);
	return error;
}

/* Is some file system mounted on a directory of mp?  vfs_mountlock held. */
static bool
vfs_hassubmounts(struct mount *mp)
{
	struct mount *m;

	TAILQ_FOREACH(m, &mountlist, mnt_list)
		if (m->mnt_vnodecovered != NULL &&
		    m->mnt_vnodecovered->v_mount == mp)
			return true;
	return false;
}

static int
vfs_dounmount_locked(struct mount *mp, int flags)
{
	struct vnode *coveredvp;
	bool force = (flags & MNT_FORCE) != 0;
	int error;

	KASSERT(mutex_owned(&vfs_mountlock));
	if (vfs_hassubmounts(mp))
		return EBUSY;
	if ((mp->mnt_flag & MNT_RDONLY) == 0) {
		error = VFS_SYNC(mp, MNT_WAIT, curlwp->l_cred);
		if (error != 0 && !force)
			return error;
	}
	if ((error = vflush(mp, NULL, force)) != 0)
		return error;
	error = VFS_UNMOUNT(mp, flags);
	if (error != 0) {
		/* Every vnode is gone; the file system must let go. */
		printf("unmount of %s failed (%d): file system left unusable\n",
		    mp->mnt_stat.f_mntonname, error);
	}
	mutex_enter(&mountlist_lock);
	TAILQ_REMOVE(&mountlist, mp, mnt_list);
	mutex_exit(&mountlist_lock);
	coveredvp = mp->mnt_vnodecovered;
	if (coveredvp != NULL) {
		mutex_enter(&coveredvp->v_interlock);
		coveredvp->v_mountedhere = NULL;
		mutex_exit(&coveredvp->v_interlock);
		vrele(coveredvp);
	}
	mp->mnt_op->vfs_refcount--;
	mutex_destroy(&mp->mnt_renamelock);
	kmem_free(mp, sizeof(*mp));
	return 0;
}

int
vfs_dounmount(struct mount *mp, int flags)
{
	int error;

	struct mount *m;

	mutex_enter(&vfs_mountlock);
	/* mp came from an unlocked lookup: is it still mounted? */
	TAILQ_FOREACH(m, &mountlist, mnt_list)
		if (m == mp)
			break;
	if (m == NULL)
		error = EINVAL;
	else if (mp->mnt_iflag & IMNT_ROOTFS)
		error = EBUSY;
	else
		error = vfs_dounmount_locked(mp, flags);
	mutex_exit(&vfs_mountlock);
	return error;
}

void
vfs_syncall(void)
{
	struct mount *mp;

	mutex_enter(&vfs_mountlock);
	TAILQ_FOREACH(mp, &mountlist, mnt_list)
		if ((mp->mnt_flag & MNT_RDONLY) == 0)
			(void)VFS_SYNC(mp, MNT_WAIT, curlwp->l_cred);
	mutex_exit(&vfs_mountlock);
}

/*
 * At shutdown: unmount everything, the most recent mount first, forcing
 * if need be; the root goes last.
 */
void
vfs_unmountall(void)
{
	struct mount *mp;
	int error;

	if (rootvnode != NULL) {
		vrele(rootvnode);
		rootvnode = NULL;
	}
	mutex_enter(&vfs_mountlock);
	while ((mp = TAILQ_LAST(&mountlist, mntlist)) != NULL) {
		error = vfs_dounmount_locked(mp, 0);
		if (error == EBUSY) {
			printf("unmount of %s: busy, forcing\n",
			    mp->mnt_stat.f_mntonname);
			error = vfs_dounmount_locked(mp, MNT_FORCE);
		}
		if (error != 0) {
			printf("unmount of %s failed: error %d\n",
			    mp->mnt_stat.f_mntonname, error);
			break;
		}
	}
	mutex_exit(&vfs_mountlock);
}

int
vfs_statvfs_fill(struct mount *mp, struct statvfs *sbp)
{
	int error;

	memset(sbp, 0, sizeof(*sbp));
	if ((error = VFS_STATVFS(mp, sbp)) != 0)
		return error;
	sbp->f_flag = 0;
	if (mp->mnt_flag & MNT_RDONLY)
		sbp->f_flag |= ST_RDONLY;
	if (mp->mnt_flag & MNT_SYNCHRONOUS)
		sbp->f_flag |= ST_SYNCHRONOUS;
	if (mp->mnt_flag & MNT_NOEXEC)
		sbp->f_flag |= ST_NOEXEC;
	if (mp->mnt_flag & MNT_NOSUID)
		sbp->f_flag |= ST_NOSUID;
	if (mp->mnt_flag & MNT_NODEV)
		sbp->f_flag |= ST_NODEV;
	sbp->f_fsid = mp->mnt_stat.f_fsid;
	if (sbp->f_namemax == 0)
		sbp->f_namemax = MAXNAMLEN;
	strlcpy(sbp->f_fstypename, mp->mnt_stat.f_fstypename,
	    sizeof(sbp->f_fstypename));
	strlcpy(sbp->f_mntonname, mp->mnt_stat.f_mntonname,
	    sizeof(sbp->f_mntonname));
	strlcpy(sbp->f_mntfromname, mp->mnt_stat.f_mntfromname,
	    sizeof(sbp->f_mntfromname));
	return 0;
}
