/*
 * Vnodes: the VFS's handle on a file of some file system, and the vnode
 * operations (VOP_*) every file system provides.
 *
 * Life cycle.  A vnode belongs to the vnode cache (vfs_vnode.c), keyed by
 * (mount, file system key).  vcache_get() returns a referenced vnode,
 * loading it through VFS_LOADVNODE() if needed.  vref() adds a reference
 * to a referenced vnode; vrele() drops one.  The last vrele() calls
 * VOP_INACTIVE(), which may ask for the vnode to be reclaimed at once
 * (a file with no links left); otherwise the vnode stays cached, on the
 * free list, until the cache is over its limit or memory is short, when
 * VOP_RECLAIM() detaches the file system's data and the vnode is freed.
 *
 * Locking.  v_lock is a sleeping reader/writer lock (vn_lock).  The order
 * is: a directory before its children; two directories that are not
 * ancestor and descendant only under their mount's rename lock, and then
 * by address.  v_interlock and vcache_lock are never held across a VOP.
 * The VFS layer (vfs_syscalls.c, vfs_lookup.c) does every permission,
 * type and namespace check that does not depend on the file system's
 * format; a file system only stores and retrieves.
 */
#ifndef _SYS_VNODE_H_
#define _SYS_VNODE_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>
#include <sys/condvar.h>
#include <sys/kauth.h>
#include <sys/time.h>
#include <sys/uio.h>

struct mount;
struct componentname;
struct lockf;
struct vnodeops;
struct file;
struct socket;

enum vtype { VNON, VREG, VDIR, VBLK, VCHR, VLNK, VSOCK, VFIFO, VBAD };

enum vstate {
	VS_LOADING,	/* being loaded by vcache_get() */
	VS_ACTIVE,	/* usable (referenced or on the free list) */
	VS_RECLAIMING,	/* being reclaimed */
	VS_DEAD		/* reclaimed while still referenced (forced unmount) */
};

struct vnode {
	/*
	 * The cache's (vcache_lock), first and together: a lookup reads
	 * one cache line per vnode of the chain.  A key of up to
	 * sizeof(v_keycopy) bytes is compared in the copy.
	 */
	LIST_ENTRY(vnode) v_hash;	/* cache hash chain */
	uint32_t	v_hashval;
	enum vstate	v_state;
	struct mount	*v_mount;	/* NULL once dead */
	size_t		v_keylen;
	const void	*v_key;		/* points into v_data */
	char		v_keycopy[16];

	/* Set when loaded, stable while referenced. */
	enum vtype	v_type;
	const struct vnodeops *v_op;
	void		*v_data;	/* the file system's node */
	int		v_vflag;	/* VV_* */

	/* Reference count: vcache_lock (v_usecount > 1: atomic). */
	u_int		v_usecount;
	TAILQ_ENTRY(vnode) v_freelist;	/* on vnode_free_list if unused */
	TAILQ_ENTRY(vnode) v_mntvnodes;	/* on the mount's list */

	krwlock_t	v_lock;		/* vn_lock() */
	kmutex_t	v_interlock;	/* v_lockf, v_pollers, v_mountedhere */
	kcondvar_t	v_cv;		/* advisory lock waits */
	struct mount	*v_mountedhere;	/* a file system mounted here */
	struct lockf	*v_lockf;	/* advisory record locks */
	void		*v_specdata;	/* fifo or device state */
	struct socket	*v_socket;	/* VSOCK: bound to it (AF_LOCAL's lock) */
};

#define VV_ROOT		0x0001		/* root of its file system */

/* Access modes for VOP_ACCESS and vaccess(). */
#define VEXEC		0x0040
#define VWRITE		0x0080
#define VREAD		0x0100
#define VAPPEND		0x0200		/* with VWRITE: appending only */
#define VADMIN		0x1000		/* owner-only operations */

/* I/O flags for VOP_READ and VOP_WRITE. */
#define IO_APPEND	0x0001		/* write at the end of the file */
#define IO_SYNC		0x0002		/* data and metadata on stable storage */
#define IO_DSYNC	0x0004		/* data on stable storage */
#define IO_NDELAY	0x0008		/* non-blocking (fifos, devices) */
/*
 * O_DIRECT: move file data straight between the caller's memory and the
 * disk where the file system can (whole blocks, memory the kernel may
 * address: uio_direct()); the rest goes through the cache as usual.
 */
#define IO_DIRECT	0x0010

/* VOP_FSYNC flags. */
#define FSYNC_WAIT	0x0001		/* wait for the writes to finish */
#define FSYNC_DATAONLY	0x0002		/* fdatasync() */

/*
 * File attributes.  For VOP_SETATTR, a field left at VNOVAL (vattr_null)
 * is not changed.
 */
struct vattr {
	enum vtype	va_type;
	mode_t		va_mode;	/* permission bits (07777) only */
	nlink_t		va_nlink;
	uid_t		va_uid;
	gid_t		va_gid;
	dev_t		va_fsid;
	ino_t		va_fileid;
	off_t		va_size;
	blksize_t	va_blocksize;
	struct timespec	va_atime;
	struct timespec	va_mtime;
	struct timespec	va_ctime;
	struct timespec	va_birthtime;
	uint32_t	va_flags;
	uint64_t	va_gen;
	dev_t		va_rdev;
	off_t		va_bytes;	/* bytes of storage in use */
};

#define VNOVAL		(-1)
void	vattr_null(struct vattr *);

/*
 * The vnode operations.  "Locked" means v_lock held exclusively by the
 * caller unless "shared" is said; a vnode returned through vpp is
 * referenced and not locked.  Every operation returns 0 or an errno.
 *
 * vop_lookup(dvp, vpp, cnp)	dvp locked shared.  Find cnp's name in
 *	directory dvp ("." and ".." included; the VFS handles mount points
 *	before calling).  ENOENT if absent.  The VFS has checked search
 *	permission on dvp.
 * vop_create(dvp, vpp, cnp, vap)	dvp locked.  Make a file of type
 *	vap->va_type (VREG, VSOCK) named cnp in dvp, with va_mode, va_uid
 *	and va_gid as given (the VFS decided them).  The name does not
 *	exist; the VFS checked write permission on dvp.
 * vop_mknod(dvp, vpp, cnp, vap)	as create, also VCHR, VBLK, VFIFO
 *	with va_rdev.
 * vop_mkdir(dvp, vpp, cnp, vap)	as create, a directory.  EMLINK if
 *	dvp cannot take another link.
 * vop_symlink(dvp, vpp, cnp, vap, target)	as create, a symbolic link
 *	to the NUL-terminated target.
 * vop_open(vp, fflag, cred), vop_close(vp, fflag, cred)	vp locked.
 * vop_access(vp, accmode, cred)	vp locked shared.  May cred access vp
 *	so?  Usually vaccess() on the attributes, plus EROFS for VWRITE
 *	to a read-only file system.
 * vop_getattr(vp, vap, cred)	vp locked shared.
 * vop_setattr(vp, vap, cred)	vp locked.  Change the fields that are
 *	not VNOVAL: va_size (truncate or extend; the VFS has refused
 *	directories), va_mode, va_uid, va_gid, va_atime, va_mtime,
 *	va_flags.  The VFS has done every permission check and decided
 *	the values (it clears set-id bits through va_mode); the file
 *	system stores them, sets ctime to now, and for a size change also
 *	mtime.
 * vop_read(vp, uio, ioflag, cred)	vp locked.  Read from a VREG (or
 *	VLNK when the file system stores it as data); short at EOF.
 *	Updates the access time unless the mount is MNT_NOATIME.
 * vop_write(vp, uio, ioflag, cred)	vp locked.  IO_APPEND: write at the
 *	end.  Extends the file; ENOSPC and EFBIG as the file system's
 *	limits say.  Updates mtime and ctime.
 * vop_fsync(vp, cred, flags)	vp locked.
 * vop_remove(dvp, vp, cnp)	both locked.  Remove the entry cnp (for a
 *	non-directory vp) from dvp; drop vp's link count.
 * vop_rmdir(dvp, vp, cnp)	both locked.  ENOTEMPTY unless vp is empty.
 * vop_link(dvp, vp, cnp)	both locked.  Add a name cnp in dvp for the
 *	non-directory vp (same mount, checked); EMLINK at the limit.
 * vop_rename(fdvp, fvp, fcnp, tdvp, tvp, tcnp)	all locked (tvp may be
 *	NULL), the mount's rename lock held.  Move fvp from fdvp/fcnp to
 *	tdvp/tcnp, replacing tvp.  The VFS has checked: one mount, fvp !=
 *	tvp, matching types (ENOTDIR/EISDIR), no directory moved below
 *	itself, sticky and write permissions.  The file system checks that
 *	a replaced directory is empty (ENOTEMPTY) and keeps ".." and link
 *	counts right.
 * vop_readdir(vp, uio, cred, eofp)	vp locked.  Fill uio with whole
 *	struct dirent records (_DIRENT_RECLEN) starting at the directory
 *	offset uio_offset, a cookie the file system defines (0: the
 *	start; d_off of each record: the cookie after it).  EINVAL if the
 *	first record does not fit.  *eofp set at the end.
 * vop_readlink(vp, uio, cred)	vp locked.
 * vop_inactive(vp, recyclep)	vp locked; the last reference is going
 *	away.  Set *recyclep to have the vnode reclaimed at once.
 * vop_reclaim(vp)	vp unlocked and unused (or being forcibly revoked).
 *	Detach and free v_data's ties to the vnode; a file with no links
 *	left is destroyed here.
 * vop_pathconf(vp, name, retval)	vp locked shared.
 * vop_ioctl(vp, cmd, data, fflag, cred)	vp unlocked: devices.
 * vop_poll(vp, events)	vp unlocked: devices and fifos; may be NULL
 *	(regular files are always ready).
 */
struct vnodeops {
	int	(*vop_lookup)(struct vnode *, struct vnode **,
		    struct componentname *);
	int	(*vop_create)(struct vnode *, struct vnode **,
		    struct componentname *, struct vattr *);
	int	(*vop_mknod)(struct vnode *, struct vnode **,
		    struct componentname *, struct vattr *);
	int	(*vop_mkdir)(struct vnode *, struct vnode **,
		    struct componentname *, struct vattr *);
	int	(*vop_symlink)(struct vnode *, struct vnode **,
		    struct componentname *, struct vattr *, const char *);
	int	(*vop_open)(struct vnode *, int, kauth_cred_t);
	int	(*vop_close)(struct vnode *, int, kauth_cred_t);
	int	(*vop_access)(struct vnode *, accmode_t, kauth_cred_t);
	int	(*vop_getattr)(struct vnode *, struct vattr *, kauth_cred_t);
	int	(*vop_setattr)(struct vnode *, struct vattr *, kauth_cred_t);
	int	(*vop_read)(struct vnode *, struct uio *, int, kauth_cred_t);
	int	(*vop_write)(struct vnode *, struct uio *, int, kauth_cred_t);
	int	(*vop_fsync)(struct vnode *, kauth_cred_t, int);
	int	(*vop_remove)(struct vnode *, struct vnode *,
		    struct componentname *);
	int	(*vop_rmdir)(struct vnode *, struct vnode *,
		    struct componentname *);
	int	(*vop_link)(struct vnode *, struct vnode *,
		    struct componentname *);
	int	(*vop_rename)(struct vnode *, struct vnode *,
		    struct componentname *, struct vnode *, struct vnode *,
		    struct componentname *);
	int	(*vop_readdir)(struct vnode *, struct uio *, kauth_cred_t,
		    int *);
	int	(*vop_readlink)(struct vnode *, struct uio *, kauth_cred_t);
	int	(*vop_inactive)(struct vnode *, bool *);
	int	(*vop_reclaim)(struct vnode *);
	int	(*vop_pathconf)(struct vnode *, int, register_t *);
	int	(*vop_ioctl)(struct vnode *, u_long, void *, int, kauth_cred_t);
	int	(*vop_poll)(struct vnode *, int);
};

/* Call a vnode operation; an operation a file system lacks is EOPNOTSUPP. */
#define VOCALL(vp, op, ...)						\
	((vp)->v_op->op != NULL ? (vp)->v_op->op(__VA_ARGS__) : EOPNOTSUPP)

#define VOP_LOOKUP(dvp, vpp, cnp)	VOCALL(dvp, vop_lookup, dvp, vpp, cnp)
#define VOP_CREATE(dvp, vpp, cnp, vap)	VOCALL(dvp, vop_create, dvp, vpp, cnp, vap)
#define VOP_MKNOD(dvp, vpp, cnp, vap)	VOCALL(dvp, vop_mknod, dvp, vpp, cnp, vap)
#define VOP_MKDIR(dvp, vpp, cnp, vap)	VOCALL(dvp, vop_mkdir, dvp, vpp, cnp, vap)
#define VOP_SYMLINK(dvp, vpp, cnp, vap, t) \
	VOCALL(dvp, vop_symlink, dvp, vpp, cnp, vap, t)
#define VOP_OPEN(vp, fl, cr)		VOCALL(vp, vop_open, vp, fl, cr)
#define VOP_CLOSE(vp, fl, cr)		VOCALL(vp, vop_close, vp, fl, cr)
#define VOP_ACCESS(vp, m, cr)		VOCALL(vp, vop_access, vp, m, cr)
#define VOP_GETATTR(vp, vap, cr)	VOCALL(vp, vop_getattr, vp, vap, cr)
#define VOP_SETATTR(vp, vap, cr)	VOCALL(vp, vop_setattr, vp, vap, cr)
#define VOP_READ(vp, uio, fl, cr)	VOCALL(vp, vop_read, vp, uio, fl, cr)
#define VOP_WRITE(vp, uio, fl, cr)	VOCALL(vp, vop_write, vp, uio, fl, cr)
#define VOP_FSYNC(vp, cr, fl)		VOCALL(vp, vop_fsync, vp, cr, fl)
#define VOP_REMOVE(dvp, vp, cnp)	VOCALL(dvp, vop_remove, dvp, vp, cnp)
#define VOP_RMDIR(dvp, vp, cnp)		VOCALL(dvp, vop_rmdir, dvp, vp, cnp)
#define VOP_LINK(dvp, vp, cnp)		VOCALL(dvp, vop_link, dvp, vp, cnp)
#define VOP_RENAME(fdvp, fvp, fcnp, tdvp, tvp, tcnp)			\
	VOCALL(fdvp, vop_rename, fdvp, fvp, fcnp, tdvp, tvp, tcnp)
#define VOP_READDIR(vp, uio, cr, eofp)	VOCALL(vp, vop_readdir, vp, uio, cr, eofp)
#define VOP_READLINK(vp, uio, cr)	VOCALL(vp, vop_readlink, vp, uio, cr)
#define VOP_INACTIVE(vp, rp)		VOCALL(vp, vop_inactive, vp, rp)
#define VOP_RECLAIM(vp)			VOCALL(vp, vop_reclaim, vp)
#define VOP_PATHCONF(vp, n, rv)		VOCALL(vp, vop_pathconf, vp, n, rv)
#define VOP_IOCTL(vp, c, d, fl, cr)	VOCALL(vp, vop_ioctl, vp, c, d, fl, cr)

/* vfs_vnode.c: references, the cache, locking. */
void	vref(struct vnode *);
void	vrele(struct vnode *);
void	vput(struct vnode *);		/* VOP_UNLOCK + vrele */
#define LK_SHARED	1
#define LK_EXCLUSIVE	2
void	vn_lock(struct vnode *, int);
void	VOP_UNLOCK(struct vnode *);
bool	vn_locked(struct vnode *);	/* exclusively, by anyone */
/*
 * Get the vnode of mp for the file system key (keylen bytes, compared
 * bytewise): cached, or loaded by VFS_LOADVNODE().  Referenced, unlocked.
 */
int	vcache_get(struct mount *, const void *key, size_t keylen,
	    struct vnode **);
/*
 * Reclaim every vnode of mp but skipvp (the caller's reference):
 * EBUSY if one is in use, unless force, when it is revoked (the holder
 * sees EBADF/ENXIO from then on).
 */
int	vflush(struct mount *, struct vnode *skipvp, bool force);
/* Call fn for every vnode of mp, referenced and unlocked meanwhile. */
void	vfs_vnode_iterate(struct mount *, void (*)(struct vnode *, void *),
	    void *);
/* Reclaim unused vnodes until at most target remain; returns the count. */
u_int	vcache_drain(u_int target);
/* Reclaim unused vnodes above desiredvnodes. */
void	vcache_trim(void);
void	vfs_vnode_init(void);
extern u_int numvnodes, desiredvnodes;

/* vfs_subr.c: helpers for file systems. */
/* May cred have accmode on a file of this type, mode, owner and group? */
int	vaccess(enum vtype, mode_t, uid_t, gid_t, accmode_t, kauth_cred_t);
/* The time stamps a file system records now. */
void	vfs_timestamp(struct timespec *);
/* Map between vtype and the S_IF* bits of a mode, and d_type values. */
extern const enum vtype iftovt_tab[];
extern const int vttoif_tab[];
#define IFTOVT(mode)	(iftovt_tab[((mode) & 0170000) >> 12])
#define VTTOIF(vt)	(vttoif_tab[(int)(vt)])
#define MAKEIMODE(vt, m)	(VTTOIF(vt) | (m))
int	vtype_to_dtype(enum vtype);
/* A type VOP_CREATE and VOP_MKNOD make: not VDIR, VLNK, VNON, VBAD. */
bool	vtype_isnode(enum vtype);
/* VOP_PATHCONF for a file system with these limits. */
int	vfs_stdpathconf(int name, register_t linkmax, register_t namemax,
	    register_t symlinkmax, register_t *retval);

/* vfs_vnops.c: the operations of open files on vnodes. */
int	vn_open(struct vnode *, int fflag, kauth_cred_t, bool created,
	    struct file *);
int	vn_openat(int atfd, const char *path, int oflags, mode_t,
	    register_t *);
int	vn_openfile(int atfd, const char *path, int oflags, mode_t,
	    struct file **);
void	vn_file_init(struct file *, struct vnode *, int fflag);
/* Set the size of vp (locked) as truncate() does, set-id bits and all. */
int	vn_truncate(struct vnode *, off_t, kauth_cred_t);
/* Attributes for a new file of type in directory dvp (locked). */
int	vn_newattr(struct vnode *dvp, enum vtype, mode_t, struct vattr *);
int	vn_stat(struct vnode *, void *kstat);	/* struct stat * */
/* Read or write a kernel buffer at off; *residp: bytes not moved. */
int	vn_rdwr(enum uio_rw, struct vnode *, void *, size_t, off_t, int,
	    kauth_cred_t, size_t *residp);

/*
 * Advisory record locks (vfs_lockf.c), owned by id (a process).  base:
 * what l_whence SEEK_CUR or SEEK_END is relative to.
 */
struct flock;
int	lf_advlock(struct vnode *, void *id, int op, struct flock *,
	    off_t base, bool wait);
void	lf_purge(struct vnode *);
#define LF_GETLK	1
#define LF_SETLK	2
#define LF_UNLCK	3

/* Dead vnodes, after a forced unmount (vfs_dead.c). */
extern const struct vnodeops dead_vnodeops;

#endif /* !_SYS_VNODE_H_ */
