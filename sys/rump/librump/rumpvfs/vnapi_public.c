/*
 * The vnode interface (host side of librumpvfs, <rump/rump_vnode.h>):
 * translate the host's values to the kernel's (rumpuser_abi.h), enter
 * the kernel, call its half (vnapi.c) and translate the answer back.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rump/rump.h>
#include <rump/rump_vnode.h>

#include "kabi.h"
#include "rumpuser_abi.h"

struct vnode;
struct file;

/* The kernel's halves (vnapi.c), in kernel types. */
int	rump_vn_credcreate(kabi_uid_t, kabi_gid_t, int, const kabi_gid_t *,
	    struct rump_cred **);
void	rump_vn_credrele(struct rump_cred *);
int	rump_vn_getpath(struct rump_cred *, const char *,
	    struct rump_vnode **);
void	rump_vn_rele(struct rump_vnode *);
int	rump_vn_lookup(struct rump_cred *, struct rump_vnode *, const char *,
	    struct rump_vnode **);
int	rump_vn_getattr(struct rump_cred *, struct rump_vnode *,
	    struct kabi_stat *);
int	rump_vn_chmod(struct rump_cred *, struct rump_vnode *, kabi_mode_t);
int	rump_vn_chown(struct rump_cred *, struct rump_vnode *, kabi_uid_t,
	    kabi_gid_t);
int	rump_vn_truncate(struct rump_cred *, struct rump_vnode *, kabi_off_t);
int	rump_vn_utimens(struct rump_cred *, struct rump_vnode *,
	    const struct kabi_timespec *);
int	rump_vn_mknod(struct rump_cred *, struct rump_vnode *, const char *,
	    kabi_mode_t, kabi_dev_t, struct rump_vnode **);
int	rump_vn_symlink(struct rump_cred *, struct rump_vnode *, const char *,
	    const char *, struct rump_vnode **);
int	rump_vn_link(struct rump_cred *, struct rump_vnode *,
	    struct rump_vnode *, const char *);
int	rump_vn_remove(struct rump_cred *, struct rump_vnode *, const char *,
	    bool);
int	rump_vn_rename(struct rump_cred *, struct rump_vnode *, const char *,
	    struct rump_vnode *, const char *, unsigned int);
int	rump_vn_readlink(struct rump_cred *, struct rump_vnode *, char *,
	    size_t, size_t *);
int	rump_vn_access(struct rump_cred *, struct rump_vnode *, int);
int	rump_vn_statvfs(struct rump_cred *, struct rump_vnode *,
	    struct kabi_statvfs *);
int	rump_vn_readdir(struct rump_cred *, struct rump_vnode *, kabi_off_t *,
	    void *, size_t, size_t *);
int	rump_vn_open(struct rump_cred *, struct rump_vnode *, int,
	    struct rump_file **);
int	rump_vn_create(struct rump_cred *, struct rump_vnode *, const char *,
	    int, kabi_mode_t, struct rump_vnode **, struct rump_file **);
int	rump_vn_read(struct rump_file *, void *, size_t, kabi_off_t, size_t *);
int	rump_vn_write(struct rump_file *, const void *, size_t, kabi_off_t,
	    size_t *);
int	rump_vn_fsync(struct rump_file *, int);
int	rump_vn_ftruncate(struct rump_file *, kabi_off_t);
void	rump_vn_close(struct rump_file *);

/* Enter the kernel around a call: its kernel errno, as the host's. */
#define VNCALL(call) do {						\
	int error_;							\
									\
	rump_schedule();						\
	error_ = (call);						\
	rump_unschedule();						\
	return rumpuser_abi_errno_tohost(error_);			\
} while (0)

#define VNCALL_VOID(call) do {						\
	rump_schedule();						\
	(call);								\
	rump_unschedule();						\
} while (0)

int
rump_pub_cred_create(uid_t uid, gid_t gid, int ngroups, const gid_t *groups,
    struct rump_cred **credp)
{
	_Static_assert(sizeof(gid_t) == sizeof(kabi_gid_t), "gid_t");

	VNCALL(rump_vn_credcreate(uid, gid, ngroups,
	    (const kabi_gid_t *)groups, credp));
}

void
rump_pub_cred_release(struct rump_cred *cred)
{

	VNCALL_VOID(rump_vn_credrele(cred));
}

int
rump_pub_vn_getpath(struct rump_cred *cred, const char *path,
    struct rump_vnode **vpp)
{

	VNCALL(rump_vn_getpath(cred, path, vpp));
}

void
rump_pub_vn_rele(struct rump_vnode *vp)
{

	VNCALL_VOID(rump_vn_rele(vp));
}

int
rump_pub_vn_lookup(struct rump_cred *cred, struct rump_vnode *dvp,
    const char *name, struct rump_vnode **vpp)
{

	VNCALL(rump_vn_lookup(cred, dvp, name, vpp));
}

int
rump_pub_vn_getattr(struct rump_cred *cred, struct rump_vnode *vp,
    struct stat *sb)
{
	struct kabi_stat ksb;
	int error;

	rump_schedule();
	error = rump_vn_getattr(cred, vp, &ksb);
	rump_unschedule();
	if (error == 0)
		rumpuser_abi_stat_tohost(&ksb, sb);
	return rumpuser_abi_errno_tohost(error);
}

int
rump_pub_vn_chmod(struct rump_cred *cred, struct rump_vnode *vp, mode_t mode)
{

	VNCALL(rump_vn_chmod(cred, vp, mode));
}

int
rump_pub_vn_chown(struct rump_cred *cred, struct rump_vnode *vp, uid_t uid,
    gid_t gid)
{

	VNCALL(rump_vn_chown(cred, vp, uid, gid));
}

int
rump_pub_vn_truncate(struct rump_cred *cred, struct rump_vnode *vp,
    off_t size)
{

	VNCALL(rump_vn_truncate(cred, vp, size));
}

int
rump_pub_vn_utimens(struct rump_cred *cred, struct rump_vnode *vp,
    const struct timespec ts[2])
{
	struct kabi_timespec kts[2];

	if (ts != NULL)
		rumpuser_abi_timespec2_tokern(ts, kts);
	VNCALL(rump_vn_utimens(cred, vp, ts != NULL ? kts : NULL));
}

int
rump_pub_vn_mknod(struct rump_cred *cred, struct rump_vnode *dvp,
    const char *name, mode_t mode, dev_t dev, struct rump_vnode **vpp)
{
	kabi_dev_t kdev = 0;
	int error;

	if (S_ISCHR(mode) || S_ISBLK(mode)) {
		if ((error = rumpuser_abi_devt_tokern(dev, &kdev)) != 0)
			return rumpuser_abi_errno_tohost(error);
	}
	VNCALL(rump_vn_mknod(cred, dvp, name, mode, kdev, vpp));
}

int
rump_pub_vn_symlink(struct rump_cred *cred, struct rump_vnode *dvp,
    const char *name, const char *target, struct rump_vnode **vpp)
{

	VNCALL(rump_vn_symlink(cred, dvp, name, target, vpp));
}

int
rump_pub_vn_link(struct rump_cred *cred, struct rump_vnode *vp,
    struct rump_vnode *dvp, const char *name)
{

	VNCALL(rump_vn_link(cred, vp, dvp, name));
}

int
rump_pub_vn_remove(struct rump_cred *cred, struct rump_vnode *dvp,
    const char *name, int dir)
{

	VNCALL(rump_vn_remove(cred, dvp, name, dir != 0));
}

int
rump_pub_vn_rename(struct rump_cred *cred, struct rump_vnode *sdvp,
    const char *sname, struct rump_vnode *tdvp, const char *tname,
    unsigned int flags)
{
	unsigned int kflags;
	int error;

	if ((error = rumpuser_abi_renameflags_tokern(flags, &kflags)) != 0)
		return rumpuser_abi_errno_tohost(error);
	VNCALL(rump_vn_rename(cred, sdvp, sname, tdvp, tname, kflags));
}

int
rump_pub_vn_readlink(struct rump_cred *cred, struct rump_vnode *vp,
    char *buf, size_t len, size_t *lenp)
{

	VNCALL(rump_vn_readlink(cred, vp, buf, len, lenp));
}

int
rump_pub_vn_access(struct rump_cred *cred, struct rump_vnode *vp, int mode)
{
	int kmode, error;

	if ((error = rumpuser_abi_accmode_tokern(mode, &kmode)) != 0)
		return rumpuser_abi_errno_tohost(error);
	VNCALL(rump_vn_access(cred, vp, kmode));
}

int
rump_pub_vn_statvfs(struct rump_cred *cred, struct rump_vnode *vp,
    struct statvfs *sv)
{
	struct kabi_statvfs ksv;
	int error;

	rump_schedule();
	error = rump_vn_statvfs(cred, vp, &ksv);
	rump_unschedule();
	if (error == 0)
		rumpuser_abi_statvfs_tohost(&ksv, sv);
	return rumpuser_abi_errno_tohost(error);
}

int
rump_pub_vn_readdir(struct rump_cred *cred, struct rump_vnode *vp,
    off_t *offp, void *buf, size_t len, size_t *lenp)
{
	kabi_off_t koff = *offp;
	size_t done = 0;
	int64_t hlen;
	int error;

	rump_schedule();
	error = rump_vn_readdir(cred, vp, &koff, buf, len, &done);
	rump_unschedule();
	if (error == 0) {
		/* The host's records are never longer than the kernel's. */
		hlen = (int64_t)done;
		error = rumpuser_abi_dirents_tohost(buf, len, &hlen);
		if (error == 0) {
			*lenp = (size_t)hlen;
			*offp = koff;
		}
	}
	return rumpuser_abi_errno_tohost(error);
}

int
rump_pub_vn_open(struct rump_cred *cred, struct rump_vnode *vp, int flags,
    struct rump_file **fpp)
{
	int kflags, error;

	if ((error = rumpuser_abi_oflags_tokern(flags, &kflags)) != 0)
		return rumpuser_abi_errno_tohost(error);
	VNCALL(rump_vn_open(cred, vp, kflags, fpp));
}

int
rump_pub_vn_create(struct rump_cred *cred, struct rump_vnode *dvp,
    const char *name, int flags, mode_t mode, struct rump_vnode **vpp,
    struct rump_file **fpp)
{
	int kflags, error;

	if ((error = rumpuser_abi_oflags_tokern(flags, &kflags)) != 0)
		return rumpuser_abi_errno_tohost(error);
	VNCALL(rump_vn_create(cred, dvp, name, kflags, mode, vpp, fpp));
}

int
rump_pub_vn_read(struct rump_file *fp, void *buf, size_t len, off_t off,
    size_t *donep)
{

	VNCALL(rump_vn_read(fp, buf, len, off, donep));
}

int
rump_pub_vn_write(struct rump_file *fp, const void *buf, size_t len,
    off_t off, size_t *donep)
{

	VNCALL(rump_vn_write(fp, buf, len, off, donep));
}

int
rump_pub_vn_fsync(struct rump_file *fp, int dataonly)
{

	VNCALL(rump_vn_fsync(fp, dataonly != 0));
}

int
rump_pub_vn_ftruncate(struct rump_file *fp, off_t size)
{

	VNCALL(rump_vn_ftruncate(fp, size));
}

void
rump_pub_vn_close(struct rump_file *fp)
{

	VNCALL_VOID(rump_vn_close(fp));
}
