/*
 * The bodies of the path system calls (vfs_syscalls.c), for kernel code
 * that acts as a caller would: the vnode interface of the rump glue.
 * Paths are the caller's (copied in), relative to atfd, which may be
 * AT_FDCWD, a descriptor, or AT_LWPVP(i) (sys/namei.h); credentials
 * are curlwp's.  Each returns 0 or an errno.
 */
#ifndef _SYS_VFS_SYSCALLS_H_
#define _SYS_VFS_SYSCALLS_H_

#include <sys/types.h>
#include <sys/kauth.h>
#include <sys/uio.h>

struct nameidata;
struct statvfs;
struct timespec;
struct vnode;

/* The vnode path names (namei flags nflags), referenced. */
int	lookup_vnode(int atfd, const char *path, int nflags, struct vnode **);
/*
 * Look up path to create it: the parent locked in nd_dvp, the name free
 * (EEXIST), write permission checked; create_done() releases it all.
 * dirok: a trailing slash is allowed.
 */
int	create_lookup(struct nameidata *, int atfd, const char *path,
	    bool dirok);
void	create_done(struct nameidata *);
/* AF_LOCAL's socket nodes, at kernel paths (referenced). */
int	vn_sock_create(const char *path, mode_t mode, struct vnode **);
int	vn_sock_lookup(const char *path, struct vnode **);
int	domkdir(int atfd, const char *path, mode_t mode);
int	domknod(int atfd, const char *path, mode_t mode, dev_t dev);
int	dosymlink(const char *target, int atfd, const char *path);
/* A new name link (at atfd) for vp: EPERM for a directory. */
int	vn_link(struct vnode *, int atfd, const char *link);
int	dolink(int fd1, const char *path, int fd2, const char *link,
	    int flags);
int	doremove(int atfd, const char *path, bool dir);
int	dorename(int fromfd, const char *from, int tofd, const char *to,
	    u_int flags);
/* The target of symbolic link vp into buf (seg): its length in *lenp. */
int	vn_readlink(struct vnode *, char *buf, size_t bufsize,
	    enum uio_seg seg, kauth_cred_t, size_t *lenp);
int	doreadlink(int atfd, const char *path, char *buf, size_t bufsize,
	    register_t *retval);
int	dostatvfs(struct vnode *, struct statvfs *);
/* Attribute changes of an unlocked vnode, as chmod() and friends. */
int	vn_chmod(struct vnode *, mode_t, kauth_cred_t);
int	vn_chown(struct vnode *, uid_t, gid_t, kauth_cred_t);
int	vn_utimens(struct vnode *, const struct timespec *, kauth_cred_t);
/* access() of vp (unlocked) with R_OK, W_OK, X_OK as cred. */
int	vn_access(struct vnode *, int mode, kauth_cred_t);
/* truncate() of vp (unlocked): write permission, a regular file. */
int	vn_truncate_checked(struct vnode *, off_t, kauth_cred_t);

#endif /* !_SYS_VFS_SYSCALLS_H_ */
