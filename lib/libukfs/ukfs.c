/*
 * libukfs (host side): file systems out of disk images for programs on
 * the host, through the rump kernel's public calls only (ukfs.h).  Each
 * mount gets a block device /dev/ukfs<N> (etfs) and a directory
 * /ukfs/<N> in the kernel.  An image is mounted once per process: a
 * second mount of the same host file and partition would have two
 * file systems write the same blocks.
 */

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_mount.h>
#include <rump/rump_syscalls.h>

#include "ukfs.h"

#define UKFS_DIR	"/ukfs"

struct ukfs {
	struct ukfs	*uk_next;	/* ukfs_list */
	char		*uk_image;	/* as given; NULL: no device */
	char		*uk_fstype;
	char		uk_dev[32];	/* its block device */
	char		uk_mnt[32];	/* where it is mounted */
	dev_t		uk_hostdev;	/* the host file, with uk_suffix */
	ino_t		uk_hostino;
	const char	*uk_suffix;	/* the partition suffix, or "" */
};

static pthread_mutex_t ukfs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ukfs *ukfs_list;		/* mounted */
static unsigned int ukfs_nextid;
static bool ukfs_booted;		/* and UKFS_DIR made */

int
ukfs_init(void)
{
	int error = 0;

	pthread_mutex_lock(&ukfs_lock);
	if (!ukfs_booted && (error = rump_init()) == 0) {
		if (rump_sys_mkdir(UKFS_DIR, 0755) == -1 && errno != EEXIST)
			error = errno;
		else
			ukfs_booted = true;
	}
	pthread_mutex_unlock(&ukfs_lock);
	return error;
}

/* Say why (if the caller asked) and fail with error. */
static void
ukfs_why(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || whylen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

/* Where a partition suffix of image starts (its length if none). */
static size_t
ukfs_suffix(const char *image)
{
	size_t len = strlen(image), start;

	if (len < 2 || image[len - 1] != '%')
		return len;
	for (start = len - 1; start > 0 && image[start - 1] != '%'; start--)
		continue;
	return start > 0 ? start - 1 : len;
}

/* Has this process mounted the host file and partition fs names? */
static bool
ukfs_mounted(const struct ukfs *fs)
{
	const struct ukfs *o;

	for (o = ukfs_list; o != NULL; o = o->uk_next)
		if (o->uk_image != NULL && o->uk_hostdev == fs->uk_hostdev &&
		    o->uk_hostino == fs->uk_hostino &&
		    strcmp(o->uk_suffix, fs->uk_suffix) == 0)
			return true;
	return false;
}

static void
ukfs_free(struct ukfs *fs)
{

	free(fs->uk_image);
	free(fs->uk_fstype);
	free(fs);
}

/*
 * The image side of a mount: the host file (it must exist; not mounted
 * by us yet) and its block device.
 */
static int
ukfs_attach(struct ukfs *fs, const char *image, char *why, size_t whylen)
{
	char kwhy[256], *host;
	size_t hostlen;
	struct stat sb;
	int error;

	hostlen = ukfs_suffix(image);
	fs->uk_suffix = fs->uk_image + hostlen;
	if ((host = strndup(image, hostlen)) == NULL) {
		ukfs_why(why, whylen, "out of memory");
		return ENOMEM;
	}
	error = stat(host, &sb) == -1 ? errno : 0;
	if (error != 0)
		ukfs_why(why, whylen, "%s: %s", host, strerror(error));
	free(host);
	if (error != 0)
		return error;
	fs->uk_hostdev = sb.st_dev;
	fs->uk_hostino = sb.st_ino;
	if (ukfs_mounted(fs)) {
		ukfs_why(why, whylen, "%s: mounted already", image);
		return EBUSY;
	}
	kwhy[0] = '\0';
	if ((error = rump_pub_etfs_register_why(fs->uk_dev, image,
	    RUMP_ETFS_BLK, 0, RUMP_ETFS_SIZE_ENDOFF, kwhy,
	    sizeof(kwhy))) != 0) {
		/* The kernel's line names the host file, or not. */
		if (strncmp(kwhy, image, hostlen) == 0)
			ukfs_why(why, whylen, "%s", kwhy);
		else
			ukfs_why(why, whylen, "%s: %s", image, kwhy[0] != '\0' ?
			    kwhy : strerror(error));
	}
	return error;
}

/* Why mounting failed, in words for fstype on image. */
static void
ukfs_mountwhy(const struct ukfs *fs, int error, char *why, size_t whylen)
{
	const char *img = fs->uk_image != NULL ? fs->uk_image : fs->uk_fstype;

	switch (error) {
	case ENODEV:
		ukfs_why(why, whylen, "no %s file system in this kernel "
		    "(link -lrumpfs_%s)", fs->uk_fstype, fs->uk_fstype);
		break;
	case EINVAL:
		ukfs_why(why, whylen, fs->uk_image != NULL ?
		    "%s: not a usable %s file system (the console may say "
		    "more)" : "%s: bad mount arguments for %s", img,
		    fs->uk_fstype);
		break;
	case EBUSY:
		ukfs_why(why, whylen, "%s: busy", img);
		break;
	default:
		ukfs_why(why, whylen, "%s: cannot mount %s: %s", img,
		    fs->uk_fstype, strerror(error));
	}
}

/* Undo what ukfs_mount() did so far. */
static void
ukfs_undo(struct ukfs *fs, bool mounted, bool madedir, bool attached)
{

	if (mounted)
		(void)rump_sys_unmount(fs->uk_mnt, RUMP_MNT_FORCE);
	if (madedir)
		(void)rump_sys_rmdir(fs->uk_mnt);
	if (attached)
		(void)rump_pub_etfs_remove(fs->uk_dev);
	ukfs_free(fs);
}

struct ukfs *
ukfs_mount(const char *fstype, const char *image, int flags,
    const void *args, size_t argslen, char *why, size_t whylen)
{
	struct { const char *fspec; } defargs;
	struct ukfs *fs;
	struct statvfs sv;
	void *margs = NULL;
	unsigned int id;
	int error, mflags = 0;

	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (fstype == NULL || (flags & ~(UKFS_RDONLY | UKFS_SYNC |
	    UKFS_FORCE)) != 0 || (image != NULL && args != NULL &&
	    argslen < sizeof(defargs))) {
		ukfs_why(why, whylen, "bad arguments to ukfs_mount");
		errno = EINVAL;
		return NULL;
	}
	if ((error = ukfs_init()) != 0) {
		ukfs_why(why, whylen, "cannot boot the kernel: %s",
		    strerror(error));
		errno = error;
		return NULL;
	}
	if ((fs = calloc(1, sizeof(*fs))) == NULL ||
	    (fs->uk_fstype = strdup(fstype)) == NULL ||
	    (image != NULL && (fs->uk_image = strdup(image)) == NULL)) {
		if (fs != NULL)
			ukfs_free(fs);
		ukfs_why(why, whylen, "out of memory");
		errno = ENOMEM;
		return NULL;
	}

	pthread_mutex_lock(&ukfs_lock);
	id = ukfs_nextid++;
	snprintf(fs->uk_dev, sizeof(fs->uk_dev), "/dev/ukfs%u", id);
	snprintf(fs->uk_mnt, sizeof(fs->uk_mnt), UKFS_DIR "/%u", id);
	error = image != NULL ? ukfs_attach(fs, image, why, whylen) : 0;
	if (error != 0) {
		pthread_mutex_unlock(&ukfs_lock);
		ukfs_free(fs);
		errno = error;
		return NULL;
	}
	if (rump_sys_mkdir(fs->uk_mnt, 0755) == -1) {
		error = errno;
		ukfs_why(why, whylen, "cannot make %s: %s", fs->uk_mnt,
		    strerror(error));
		pthread_mutex_unlock(&ukfs_lock);
		ukfs_undo(fs, false, false, image != NULL);
		errno = error;
		return NULL;
	}

	/* The arguments, with the device filled in. */
	if (image != NULL) {
		if (args == NULL) {
			args = &defargs;
			argslen = sizeof(defargs);
		}
		if ((margs = malloc(argslen)) == NULL) {
			error = ENOMEM;
			ukfs_why(why, whylen, "out of memory");
			goto fail;
		}
		memcpy(margs, args, argslen);
		defargs.fspec = fs->uk_dev;
		memcpy(margs, &defargs.fspec, sizeof(defargs.fspec));
		args = margs;
	}
	if (flags & UKFS_RDONLY)
		mflags |= RUMP_MNT_RDONLY;
	if (flags & UKFS_SYNC)
		mflags |= RUMP_MNT_SYNC;
	if (flags & UKFS_FORCE)
		mflags |= RUMP_MNT_FORCE;
	if (rump_sys_mount(fstype, fs->uk_mnt, mflags, (void *)(uintptr_t)args,
	    argslen) == -1) {
		error = errno;
		ukfs_mountwhy(fs, error, why, whylen);
		goto fail;
	}
	free(margs);
	margs = NULL;

	/* A file system that is not clean comes up read-only: refuse it. */
	if (!(flags & (UKFS_RDONLY | UKFS_FORCE)) &&
	    rump_sys_statvfs(fs->uk_mnt, &sv) == 0 &&
	    (sv.f_flag & ST_RDONLY)) {
		ukfs_why(why, whylen, "%s: not unmounted cleanly: check it "
		    "(fsck_%s), or mount it read-only or forced",
		    image != NULL ? image : fstype, fstype);
		pthread_mutex_unlock(&ukfs_lock);
		ukfs_undo(fs, true, true, image != NULL);
		errno = EUCLEAN;
		return NULL;
	}
	fs->uk_next = ukfs_list;
	ukfs_list = fs;
	pthread_mutex_unlock(&ukfs_lock);
	return fs;

fail:
	pthread_mutex_unlock(&ukfs_lock);
	free(margs);
	ukfs_undo(fs, false, true, image != NULL);
	errno = error;
	return NULL;
}

int
ukfs_release(struct ukfs *fs, int flags)
{
	struct ukfs **pp;

	if (rump_sys_unmount(fs->uk_mnt, (flags & UKFS_FORCE) ?
	    RUMP_MNT_FORCE : 0) == -1)
		return -1;
	pthread_mutex_lock(&ukfs_lock);
	for (pp = &ukfs_list; *pp != fs; pp = &(*pp)->uk_next)
		continue;
	*pp = fs->uk_next;
	pthread_mutex_unlock(&ukfs_lock);
	(void)rump_sys_rmdir(fs->uk_mnt);
	if (fs->uk_image != NULL)
		(void)rump_pub_etfs_remove(fs->uk_dev);
	ukfs_free(fs);
	return 0;
}

int
ukfs_sync(struct ukfs *fs)
{

	(void)fs;
	return rump_sys_sync();
}

const char *
ukfs_mountpath(const struct ukfs *fs)
{

	return fs->uk_mnt;
}

const char *
ukfs_image(const struct ukfs *fs)
{

	return fs->uk_image;
}

/* path inside fs as a kernel path, or NULL (errno set). */
static char *
ukfs_path(const struct ukfs *fs, const char *path)
{
	char *p;

	while (*path == '/')
		path++;
	if (asprintf(&p, "%s/%s", fs->uk_mnt, path) == -1) {
		errno = ENOMEM;
		return NULL;
	}
	return p;
}

int
ukfs_open(struct ukfs *fs, const char *path, int flags, mode_t mode)
{
	char *p;
	int fd;

	if ((p = ukfs_path(fs, path)) == NULL)
		return -1;
	fd = rump_sys_open(p, flags, mode);
	free(p);
	return fd;
}

/* pread or pwrite of one file, opened for it. */
static ssize_t
ukfs_rw(struct ukfs *fs, const char *path, off_t off, void *buf,
    size_t len, bool write)
{
	ssize_t n;
	int fd, saved;

	if ((fd = ukfs_open(fs, path, write ? O_WRONLY | O_CREAT : O_RDONLY,
	    0644)) == -1)
		return -1;
	n = write ? rump_sys_pwrite(fd, buf, len, off) :
	    rump_sys_pread(fd, buf, len, off);
	saved = errno;
	(void)rump_sys_close(fd);
	errno = saved;
	return n;
}

ssize_t
ukfs_read(struct ukfs *fs, const char *path, off_t off, void *buf,
    size_t len)
{

	return ukfs_rw(fs, path, off, buf, len, false);
}

ssize_t
ukfs_write(struct ukfs *fs, const char *path, off_t off, const void *buf,
    size_t len)
{

	return ukfs_rw(fs, path, off, (void *)(uintptr_t)buf, len, true);
}

int
ukfs_stat(struct ukfs *fs, const char *path, struct stat *sb)
{
	char *p;
	int rv;

	if ((p = ukfs_path(fs, path)) == NULL)
		return -1;
	rv = rump_sys_lstat(p, sb);
	free(p);
	return rv;
}

int
ukfs_mkdir(struct ukfs *fs, const char *path, mode_t mode)
{
	char *p;
	int rv;

	if ((p = ukfs_path(fs, path)) == NULL)
		return -1;
	rv = rump_sys_mkdir(p, mode);
	free(p);
	return rv;
}

int
ukfs_remove(struct ukfs *fs, const char *path)
{
	char *p;
	int rv;

	if ((p = ukfs_path(fs, path)) == NULL)
		return -1;
	rv = rump_sys_unlink(p);
	if (rv == -1 && (errno == EISDIR || errno == EPERM))
		rv = rump_sys_rmdir(p);
	free(p);
	return rv;
}
