/*
 * The vnode interface of librumpvfs: for host programs that serve a
 * kernel file system by its nodes rather than by paths, such as p2k
 * (FUSE).  A struct rump_vnode is a referenced vnode: it stays the same
 * file through renames, and rump_pub_vn_rele() drops it.  Every call
 * that acts as a user takes a struct rump_cred, and the kernel checks
 * permissions as it would for a process with those credentials.
 * Names are one component; directories are given as vnodes.
 *
 * The calls take and give the host's types (struct stat, struct
 * statvfs, open() flags, UTIME_NOW, dirent64 records) and return 0 or
 * a host errno value.
 */
#ifndef _RUMP_RUMP_VNODE_H_
#define _RUMP_RUMP_VNODE_H_

#ifndef _KERNEL
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rump_vnode;
struct rump_cred;
struct rump_file;		/* an open file of a vnode */

/* Credentials: a uid, a gid and ngroups supplementary groups. */
int	rump_pub_cred_create(uid_t uid, gid_t gid, int ngroups,
	    const gid_t *groups, struct rump_cred **credp);
void	rump_pub_cred_release(struct rump_cred *);

/* The vnode of a path in the kernel (symbolic links followed). */
int	rump_pub_vn_getpath(struct rump_cred *, const char *path,
	    struct rump_vnode **vpp);
void	rump_pub_vn_rele(struct rump_vnode *);

/* name in directory dvp ("." and ".." too; a link is not followed). */
int	rump_pub_vn_lookup(struct rump_cred *, struct rump_vnode *dvp,
	    const char *name, struct rump_vnode **vpp);
int	rump_pub_vn_getattr(struct rump_cred *, struct rump_vnode *,
	    struct stat *);
/* As chmod(), chown() (-1: unchanged), truncate(), utimensat(). */
int	rump_pub_vn_chmod(struct rump_cred *, struct rump_vnode *, mode_t);
int	rump_pub_vn_chown(struct rump_cred *, struct rump_vnode *, uid_t,
	    gid_t);
int	rump_pub_vn_truncate(struct rump_cred *, struct rump_vnode *, off_t);
int	rump_pub_vn_utimens(struct rump_cred *, struct rump_vnode *,
	    const struct timespec ts[2]);

/*
 * Make name in dvp: mknod() (mode's S_IFMT: regular, fifo, socket,
 * devices; S_IFDIR makes a directory), symlink(); the new vnode in
 * *vpp.  The calling process' umask applies, as for the system calls
 * (rump_sys_umask(0) to take modes as given).
 */
int	rump_pub_vn_mknod(struct rump_cred *, struct rump_vnode *dvp,
	    const char *name, mode_t mode, dev_t dev,
	    struct rump_vnode **vpp);
int	rump_pub_vn_symlink(struct rump_cred *, struct rump_vnode *dvp,
	    const char *name, const char *target, struct rump_vnode **vpp);
/* A new name in dvp for vp. */
int	rump_pub_vn_link(struct rump_cred *, struct rump_vnode *vp,
	    struct rump_vnode *dvp, const char *name);
/* unlink() (dir false) or rmdir() (dir true) of name in dvp. */
int	rump_pub_vn_remove(struct rump_cred *, struct rump_vnode *dvp,
	    const char *name, int dir);
/* flags: the host's renameat2() flags (RENAME_NOREPLACE), or 0. */
int	rump_pub_vn_rename(struct rump_cred *, struct rump_vnode *sdvp,
	    const char *sname, struct rump_vnode *tdvp, const char *tname,
	    unsigned int flags);
/* A symbolic link's target, not terminated: its length in *lenp. */
int	rump_pub_vn_readlink(struct rump_cred *, struct rump_vnode *,
	    char *buf, size_t len, size_t *lenp);
/* access() with R_OK, W_OK, X_OK. */
int	rump_pub_vn_access(struct rump_cred *, struct rump_vnode *, int mode);
int	rump_pub_vn_statvfs(struct rump_cred *, struct rump_vnode *,
	    struct statvfs *);
/*
 * Entries of directory vp from the cookie *offp (0: the start) as
 * struct rump_dirent64 records (the layout of Linux's getdents64),
 * *lenp bytes of them (0: the end); *offp becomes the cookie after the
 * last one, and each record's d_off the cookie after it.
 */
struct rump_dirent64 {
	__UINT64_TYPE__	d_ino;
	__INT64_TYPE__	d_off;
	unsigned short	d_reclen;	/* to the next record */
	unsigned char	d_type;		/* DT_* */
	char		d_name[];	/* NUL-terminated */
};
int	rump_pub_vn_readdir(struct rump_cred *, struct rump_vnode *vp,
	    off_t *offp, void *buf, size_t len, size_t *lenp);

/*
 * Open files: open() of vp with flags (no O_CREAT), or create name in
 * dvp and open it (EEXIST if it is there, as with O_EXCL); reads and
 * writes at explicit offsets, as the opener (O_APPEND writes append).
 */
int	rump_pub_vn_open(struct rump_cred *, struct rump_vnode *vp,
	    int flags, struct rump_file **fpp);
int	rump_pub_vn_create(struct rump_cred *, struct rump_vnode *dvp,
	    const char *name, int flags, mode_t mode, struct rump_vnode **vpp,
	    struct rump_file **fpp);
int	rump_pub_vn_read(struct rump_file *, void *buf, size_t len,
	    off_t off, size_t *donep);
int	rump_pub_vn_write(struct rump_file *, const void *buf, size_t len,
	    off_t off, size_t *donep);
int	rump_pub_vn_fsync(struct rump_file *, int dataonly);
/* ftruncate(): the file must be open for writing (else EINVAL). */
int	rump_pub_vn_ftruncate(struct rump_file *, off_t);
void	rump_pub_vn_close(struct rump_file *);

#ifdef __cplusplus
}
#endif

#else /* _KERNEL */

/* The kernel's halves (vnapi.c); kernel types and errno values. */
struct file;
struct kauth_cred;
struct stat;
struct statvfs;
struct timespec;
struct vnode;
int	rump_vn_credcreate(uid_t, gid_t, int, const gid_t *,
	    struct kauth_cred **);
void	rump_vn_credrele(struct kauth_cred *);
int	rump_vn_getpath(struct kauth_cred *, const char *, struct vnode **);
void	rump_vn_rele(struct vnode *);
int	rump_vn_lookup(struct kauth_cred *, struct vnode *, const char *,
	    struct vnode **);
int	rump_vn_getattr(struct kauth_cred *, struct vnode *, struct stat *);
int	rump_vn_chmod(struct kauth_cred *, struct vnode *, mode_t);
int	rump_vn_chown(struct kauth_cred *, struct vnode *, uid_t, gid_t);
int	rump_vn_truncate(struct kauth_cred *, struct vnode *, off_t);
int	rump_vn_ftruncate(struct file *, off_t);
int	rump_vn_utimens(struct kauth_cred *, struct vnode *,
	    const struct timespec *);
int	rump_vn_mknod(struct kauth_cred *, struct vnode *, const char *,
	    mode_t, dev_t, struct vnode **);
int	rump_vn_symlink(struct kauth_cred *, struct vnode *, const char *,
	    const char *, struct vnode **);
int	rump_vn_link(struct kauth_cred *, struct vnode *, struct vnode *,
	    const char *);
int	rump_vn_remove(struct kauth_cred *, struct vnode *, const char *,
	    bool);
int	rump_vn_rename(struct kauth_cred *, struct vnode *, const char *,
	    struct vnode *, const char *, unsigned int);
int	rump_vn_readlink(struct kauth_cred *, struct vnode *, char *, size_t,
	    size_t *);
int	rump_vn_access(struct kauth_cred *, struct vnode *, int);
int	rump_vn_statvfs(struct kauth_cred *, struct vnode *, struct statvfs *);
int	rump_vn_readdir(struct kauth_cred *, struct vnode *, off_t *, void *,
	    size_t, size_t *);
int	rump_vn_open(struct kauth_cred *, struct vnode *, int, struct file **);
int	rump_vn_create(struct kauth_cred *, struct vnode *, const char *, int,
	    mode_t, struct vnode **, struct file **);
int	rump_vn_read(struct file *, void *, size_t, off_t, size_t *);
int	rump_vn_write(struct file *, const void *, size_t, off_t, size_t *);
int	rump_vn_fsync(struct file *, int);
void	rump_vn_close(struct file *);

#endif /* _KERNEL */

#endif /* !_RUMP_RUMP_VNODE_H_ */
