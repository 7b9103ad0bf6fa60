/*
 * librumphijack: the calls on names (host code).  A name under the
 * prefix, or relative while the working directory is the kernel's, or
 * relative to a kernel directory descriptor, goes to the kernel; a call
 * with two names on different sides fails with EXDEV, as between file
 * systems.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/xattr.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

/* name(path, ...): the kernel's with its name for path, or the host's. */
#define PATHCALL(ret, name, proto, args)				\
	HOSTFN(name)							\
	ret								\
	name proto							\
	{								\
		const char *kp;						\
									\
		if (hijack_bypass() || (kp = hijack_kpath(path)) == NULL) \
			return HOST(name) args;				\
		path = kp;						\
		return RUMPCALL(rump_sys_##name args);			\
	}

/* name(fd, path, ...), an *at() call. */
#define ATCALL(ret, name, proto, args)					\
	HOSTFN(name)							\
	ret								\
	name proto							\
	{								\
		const char *kp;						\
		int kd;							\
									\
		if (hijack_bypass() ||					\
		    !hijack_katpath(fd, path, &kd, &kp))		\
			return HOST(name) args;				\
		fd = kd;						\
		path = kp;						\
		return RUMPCALL(rump_sys_##name args);			\
	}

/* A kernel name where there is no kernel call: refused. */
#define PATHREFUSE(ret, name, proto, args, err)				\
	HOSTFN(name)							\
	ret								\
	name proto							\
	{								\
									\
		if (hijack_bypass() || hijack_kpath(path) == NULL)	\
			return HOST(name) args;				\
		errno = err;						\
		return -1;						\
	}

PATHCALL(int, stat, (const char *path, struct stat *st), (path, st))
PATHCALL(int, lstat, (const char *path, struct stat *st), (path, st))
PATHCALL(int, access, (const char *path, int mode), (path, mode))
PATHCALL(int, mkdir, (const char *path, mode_t mode), (path, mode))
PATHCALL(int, rmdir, (const char *path), (path))
PATHCALL(int, unlink, (const char *path), (path))
PATHCALL(ssize_t, readlink, (const char *path, char *buf, size_t size),
    (path, buf, size))
PATHCALL(int, chmod, (const char *path, mode_t mode), (path, mode))
PATHCALL(int, chown, (const char *path, uid_t uid, gid_t gid),
    (path, uid, gid))
PATHCALL(int, lchown, (const char *path, uid_t uid, gid_t gid),
    (path, uid, gid))
PATHCALL(int, truncate, (const char *path, off_t len), (path, len))
PATHCALL(int, statvfs, (const char *path, struct statvfs *st), (path, st))
PATHCALL(int, mknod, (const char *path, mode_t mode, dev_t dev),
    (path, mode, dev))
PATHCALL(int, mkfifo, (const char *path, mode_t mode), (path, mode))

ATCALL(int, fstatat, (int fd, const char *path, struct stat *st,
    int flag), (fd, path, st, flag))
ATCALL(int, faccessat, (int fd, const char *path, int mode, int flag),
    (fd, path, mode, flag))
ATCALL(int, mkdirat, (int fd, const char *path, mode_t mode),
    (fd, path, mode))
ATCALL(int, unlinkat, (int fd, const char *path, int flag),
    (fd, path, flag))
ATCALL(ssize_t, readlinkat, (int fd, const char *path, char *buf,
    size_t size), (fd, path, buf, size))
ATCALL(int, fchmodat, (int fd, const char *path, mode_t mode, int flag),
    (fd, path, mode, flag))
ATCALL(int, fchownat, (int fd, const char *path, uid_t uid, gid_t gid,
    int flag), (fd, path, uid, gid, flag))
ATCALL(int, utimensat, (int fd, const char *path,
    const struct timespec ts[2], int flag), (fd, path, ts, flag))

/* The *64 names: the same calls on LP64 hosts (hijack.c checks). */
int truncate64(const char *, off_t) __attribute__((__alias__("truncate")));

int
stat64(const char *path, struct stat64 *st)
{

	return stat(path, (struct stat *)st);
}

int
lstat64(const char *path, struct stat64 *st)
{

	return lstat(path, (struct stat *)st);
}

int
fstatat64(int fd, const char *path, struct stat64 *st, int flag)
{

	return fstatat(fd, path, (struct stat *)st, flag);
}

int
statvfs64(const char *path, struct statvfs64 *st)
{

	return statvfs(path, (struct statvfs *)st);
}

/* The *at() calls the kernel lacks: only with a name it can take. */
HOSTFN(mknodat)
int
mknodat(int fd, const char *path, mode_t mode, dev_t dev)
{
	const char *kp;
	int kd;

	if (hijack_bypass() || !hijack_katpath(fd, path, &kd, &kp))
		return HOST(mknodat)(fd, path, mode, dev);
	if (kd != AT_FDCWD) {
		errno = ENOSYS;
		return -1;
	}
	return RUMPCALL(rump_sys_mknod(kp, mode, dev));
}

int
mkfifoat(int fd, const char *path, mode_t mode)
{

	return mknodat(fd, path, (mode & ~S_IFMT) | S_IFIFO, 0);
}

/*
 * Two names
 */

/* Which side each name is on: 1 both kernel, 0 both host, -1 EXDEV. */
static int
sides(int fd1, const char *p1, int *kd1, const char **kp1, int fd2,
    const char *p2, int *kd2, const char **kp2)
{
	bool k1, k2;

	if (hijack_bypass())
		return 0;
	k1 = hijack_katpath(fd1, p1, kd1, kp1);
	k2 = hijack_katpath(fd2, p2, kd2, kp2);
	if (k1 != k2) {
		errno = EXDEV;
		return -1;
	}
	return k1;
}

HOSTFN(renameat2)
int
renameat2(int fd1, const char *from, int fd2, const char *to,
    unsigned int flags)
{
	const char *k1, *k2;
	int d1, d2, s;

	if ((s = sides(fd1, from, &d1, &k1, fd2, to, &d2, &k2)) <= 0)
		return s < 0 ? -1 : HOST(renameat2)(fd1, from, fd2, to, flags);
	return RUMPCALL(rump_sys_renameat2(d1, k1, d2, k2, flags));
}

int
renameat(int fd1, const char *from, int fd2, const char *to)
{

	return renameat2(fd1, from, fd2, to, 0);
}

int
rename(const char *from, const char *to)
{

	return renameat2(AT_FDCWD, from, AT_FDCWD, to, 0);
}

HOSTFN(linkat)
int
linkat(int fd1, const char *path, int fd2, const char *link, int flags)
{
	const char *k1, *k2;
	int d1, d2, s;

	if ((s = sides(fd1, path, &d1, &k1, fd2, link, &d2, &k2)) <= 0)
		return s < 0 ? -1 : HOST(linkat)(fd1, path, fd2, link, flags);
	return RUMPCALL(rump_sys_linkat(d1, k1, d2, k2, flags));
}

int
link(const char *path, const char *newpath)
{

	return linkat(AT_FDCWD, path, AT_FDCWD, newpath, 0);
}

/* A symbolic link's target is only text: the link's name decides. */
HOSTFN(symlinkat)
int
symlinkat(const char *target, int fd, const char *path)
{
	const char *kp;
	int kd;

	if (hijack_bypass() || !hijack_katpath(fd, path, &kd, &kp))
		return HOST(symlinkat)(target, fd, path);
	return RUMPCALL(rump_sys_symlinkat(target, kd, kp));
}

int
symlink(const char *target, const char *path)
{

	return symlinkat(target, AT_FDCWD, path);
}

/*
 * Conversions
 */

HOSTFN(statx)
int
statx(int fd, const char *path, int flags, unsigned int mask,
    struct statx *sx)
{
	const char *kp;
	struct stat st;
	int kd;

	if (hijack_bypass() || !hijack_katpath(fd, path, &kd, &kp))
		return HOST(statx)(fd, path, flags, mask, sx);
	if (RUMPCALL(rump_sys_fstatat(kd, kp, &st,
	    flags & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))) == -1)
		return -1;
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = STATX_BASIC_STATS;
	sx->stx_blksize = (uint32_t)st.st_blksize;
	sx->stx_nlink = (uint32_t)st.st_nlink;
	sx->stx_uid = st.st_uid;
	sx->stx_gid = st.st_gid;
	sx->stx_mode = (uint16_t)st.st_mode;
	sx->stx_ino = st.st_ino;
	sx->stx_size = (uint64_t)st.st_size;
	sx->stx_blocks = (uint64_t)st.st_blocks;
	sx->stx_atime.tv_sec = st.st_atim.tv_sec;
	sx->stx_atime.tv_nsec = (uint32_t)st.st_atim.tv_nsec;
	sx->stx_mtime.tv_sec = st.st_mtim.tv_sec;
	sx->stx_mtime.tv_nsec = (uint32_t)st.st_mtim.tv_nsec;
	sx->stx_ctime.tv_sec = st.st_ctim.tv_sec;
	sx->stx_ctime.tv_nsec = (uint32_t)st.st_ctim.tv_nsec;
	sx->stx_rdev_major = major(st.st_rdev);
	sx->stx_rdev_minor = minor(st.st_rdev);
	sx->stx_dev_major = major(st.st_dev);
	sx->stx_dev_minor = minor(st.st_dev);
	return 0;
}

HOSTFN(statfs)
int
statfs(const char *path, struct statfs *sf)
{
	struct statvfs sv;
	const char *kp;

	if (hijack_bypass() || (kp = hijack_kpath(path)) == NULL)
		return HOST(statfs)(path, sf);
	if (RUMPCALL(rump_sys_statvfs(kp, &sv)) == -1)
		return -1;
	hijack_statfs(&sv, sf);
	return 0;
}

void
hijack_statfs(const struct statvfs *sv, struct statfs *sf)
{

	memset(sf, 0, sizeof(*sf));
	sf->f_bsize = (long)sv->f_bsize;
	sf->f_frsize = (long)sv->f_frsize;
	sf->f_blocks = sv->f_blocks;
	sf->f_bfree = sv->f_bfree;
	sf->f_bavail = sv->f_bavail;
	sf->f_files = sv->f_files;
	sf->f_ffree = sv->f_ffree;
	sf->f_namelen = (long)sv->f_namemax;
	sf->f_flags = (long)sv->f_flag;
}

int
statfs64(const char *path, struct statfs64 *sf)
{

	return statfs(path, (struct statfs *)sf);
}

/* utimes() and friends: timevals made timespecs. */
static int
tv_utimensat(int fd, const char *path, const struct timeval tv[2], int flag)
{
	struct timespec ts[2];

	if (tv == NULL)
		return utimensat(fd, path, NULL, flag);
	ts[0].tv_sec = tv[0].tv_sec;
	ts[0].tv_nsec = tv[0].tv_usec * 1000;
	ts[1].tv_sec = tv[1].tv_sec;
	ts[1].tv_nsec = tv[1].tv_usec * 1000;
	return utimensat(fd, path, ts, flag);
}

int
utimes(const char *path, const struct timeval tv[2])
{

	return tv_utimensat(AT_FDCWD, path, tv, 0);
}

int
lutimes(const char *path, const struct timeval tv[2])
{

	return tv_utimensat(AT_FDCWD, path, tv, AT_SYMLINK_NOFOLLOW);
}

int
utime(const char *path, const struct utimbuf *ub)
{
	struct timeval tv[2];

	if (ub == NULL)
		return utimes(path, NULL);
	tv[0].tv_sec = ub->actime;
	tv[0].tv_usec = 0;
	tv[1].tv_sec = ub->modtime;
	tv[1].tv_usec = 0;
	return utimes(path, tv);
}

/*
 * The kernel's file systems have no extended attributes.
 */
PATHREFUSE(ssize_t, getxattr, (const char *path, const char *name,
    void *val, size_t size), (path, name, val, size), ENOTSUP)
PATHREFUSE(ssize_t, lgetxattr, (const char *path, const char *name,
    void *val, size_t size), (path, name, val, size), ENOTSUP)
PATHREFUSE(ssize_t, listxattr, (const char *path, char *list, size_t size),
    (path, list, size), ENOTSUP)
PATHREFUSE(ssize_t, llistxattr, (const char *path, char *list, size_t size),
    (path, list, size), ENOTSUP)
PATHREFUSE(int, setxattr, (const char *path, const char *name,
    const void *val, size_t size, int flags), (path, name, val, size, flags),
    ENOTSUP)
PATHREFUSE(int, lsetxattr, (const char *path, const char *name,
    const void *val, size_t size, int flags), (path, name, val, size, flags),
    ENOTSUP)
PATHREFUSE(int, removexattr, (const char *path, const char *name),
    (path, name), ENOTSUP)
PATHREFUSE(int, lremovexattr, (const char *path, const char *name),
    (path, name), ENOTSUP)

/*
 * realpath(): for a kernel name, the working directory's name and the
 * name joined, "." and ".." taken out by their spelling (symbolic links
 * are not followed), and the result checked to exist.
 */
HOSTFN(realpath)
char *
realpath(const char *path, char *resolved)
{
	char buf[PATH_MAX], out[PATH_MAX], *comp, *s;
	size_t len = 0;
	struct stat st;
	int n;

	if (hijack_bypass() || hijack_kpath(path) == NULL)
		return HOST(realpath)(path, resolved);
	if (path[0] != '/') {
		if (getcwd(out, sizeof(out)) == NULL)
			return NULL;
		n = snprintf(buf, sizeof(buf), "%s/%s", out, path);
	} else
		n = snprintf(buf, sizeof(buf), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(buf))
		goto toolong;
	out[0] = '\0';
	for (s = buf; (comp = strsep(&s, "/")) != NULL;) {
		if (*comp == '\0' || strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			while (len > 0 && out[--len] != '/')
				continue;
			out[len] = '\0';
			continue;
		}
		if (len + 1 + strlen(comp) >= sizeof(out))
			goto toolong;
		len += (size_t)snprintf(out + len, sizeof(out) - len, "/%s", comp);
	}
	if (len == 0)
		strcpy(out, "/");
	if (lstat(out, &st) == -1)
		return NULL;
	if (resolved == NULL)
		return strdup(out);
	strcpy(resolved, out);
	return resolved;
toolong:
	errno = ENAMETOOLONG;
	return NULL;
}

char *
canonicalize_file_name(const char *path)
{

	return realpath(path, NULL);
}
