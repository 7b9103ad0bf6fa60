/*
 * Mounted file systems and the operations of a file system type
 * (vfs_mount.c).  A file system type registers a struct vfsops with
 * vfs_attach(); mount() finds it by name.
 *
 * Locking: mountlist_lock protects the mount list; vfs_mountlock
 * serialises mount and unmount; the vnode cache's lock protects each
 * mount's vnode list; mnt_renamelock serialises renames in one mount.
 */
#ifndef _SYS_MOUNT_H_
#define _SYS_MOUNT_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/statvfs.h>
#include <sys/fstypes.h>
#include <sys/kauth.h>

struct vnode;

struct mount {
	TAILQ_ENTRY(mount) mnt_list;		/* mountlist */
	struct vfsops	*mnt_op;
	struct vnode	*mnt_vnodecovered;	/* referenced; NULL for / */
	int		mnt_flag;		/* MNT_* of <sys/fstypes.h> */
	int		mnt_iflag;		/* IMNT_* */
	void		*mnt_data;		/* the file system's */
	TAILQ_HEAD(, vnode) mnt_vnodes;		/* vcache_lock */
	kmutex_t	mnt_renamelock;
	struct statvfs	mnt_stat;		/* names and fsid */
	int		mnt_maxsymlinklen;
};

/* mnt_iflag. */
#define IMNT_UNMOUNT	0x0001		/* being unmounted: no new vnodes */
#define IMNT_ROOTFS	0x0002		/* the root file system */

/*
 * The operations of a file system type.
 *
 * vfs_mount(mp, path, data, datalen)	Mount: data is the kernel's copy
 *	of the program's argument structure (NULL if none; pointers in it
 *	are the program's and go through copyin).  Set mnt_data and fill
 *	mnt_stat's f_mntfromname.
 * vfs_unmount(mp, mntflags)	Every vnode is gone; free mnt_data.
 * vfs_root(mp, vpp)	The root directory, referenced and unlocked.
 * vfs_statvfs(mp, sbp)	Fill the counts of sbp (the VFS fills names,
 *	flags and fsid).
 * vfs_sync(mp, waitfor, cred)	Write everything dirty out.
 * vfs_vget(mp, ino, vpp)	The vnode of inode number ino (NFS); may be
 *	NULL.
 * vfs_loadvnode(mp, vp, key, keylen, newkey)	Called by vcache_get() for
 *	a vnode not in the cache: attach the file system's node for key to
 *	vp (v_data, v_type, v_op, VV_ROOT) and point *newkey at a copy of
 *	the key that lives as long as v_data.
 */
struct vfsops {
	const char	*vfs_name;
	size_t		vfs_min_mount_data;
	int	(*vfs_mount)(struct mount *, const char *, void *, size_t);
	int	(*vfs_unmount)(struct mount *, int);
	int	(*vfs_root)(struct mount *, struct vnode **);
	int	(*vfs_statvfs)(struct mount *, struct statvfs *);
	int	(*vfs_sync)(struct mount *, int, kauth_cred_t);
	int	(*vfs_vget)(struct mount *, ino_t, struct vnode **);
	int	(*vfs_loadvnode)(struct mount *, struct vnode *, const void *,
		    size_t, const void **);
	LIST_ENTRY(vfsops) vfs_list;
	u_int		vfs_refcount;		/* mounts using it */
};

#define VFS_MOUNT(mp, p, d, l)	((mp)->mnt_op->vfs_mount(mp, p, d, l))
#define VFS_UNMOUNT(mp, f)	((mp)->mnt_op->vfs_unmount(mp, f))
#define VFS_ROOT(mp, vpp)	((mp)->mnt_op->vfs_root(mp, vpp))
#define VFS_STATVFS(mp, sbp)	((mp)->mnt_op->vfs_statvfs(mp, sbp))
#define VFS_SYNC(mp, w, cr)	((mp)->mnt_op->vfs_sync(mp, w, cr))
#define VFS_LOADVNODE(mp, vp, k, kl, nk) \
	((mp)->mnt_op->vfs_loadvnode(mp, vp, k, kl, nk))

/* vfs_sync waitfor. */
#define MNT_WAIT	1
#define MNT_NOWAIT	2

/* vfs_mount.c */
extern TAILQ_HEAD(mntlist, mount) mountlist;
extern kmutex_t mountlist_lock;
extern struct vnode *rootvnode;		/* "/" of every process */

int	vfs_attach(struct vfsops *);
int	vfs_detach(struct vfsops *);
/*
 * Mount a file system of type fstype on directory vp (referenced,
 * consumed; NULL for the root), as the program's mount() does.
 */
int	vfs_domount(const char *fstype, struct vnode *vp, const char *path,
	    int flags, void *data, size_t datalen, struct mount **mpp);
int	vfs_dounmount(struct mount *, int flags);
/* Sync every file system; at shutdown also unmount them all. */
void	vfs_syncall(void);
void	vfs_unmountall(void);
/* Fill sbp for mp: the file system's counts, then names and flags. */
int	vfs_statvfs_fill(struct mount *, struct statvfs *);
/* Pick a fresh fsid for a new mount. */
uint64_t vfs_getnewfsid(void);
void	vfs_mount_init(void);

#endif /* !_SYS_MOUNT_H_ */
