/*
 * librumphijack: directory streams and stdio streams on the kernel's
 * files (host code).  The C library opens these through its own
 * internal calls, which no LD_PRELOAD library sees, so the streams on
 * kernel descriptors are ours: a DIR of our own (told apart from the C
 * library's by a list of ours) and a FILE made with fopencookie().
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

#define DIRBUF		8192

struct kdir {
	int		kd_fd;		/* the host number */
	size_t		kd_len;		/* bytes of records in kd_buf */
	size_t		kd_off;		/* the next record */
	long		kd_pos;		/* records read (telldir) */
	LIST_ENTRY(kdir) kd_link;
	char		kd_buf[DIRBUF] __attribute__((__aligned__(8)));
};

static LIST_HEAD(, kdir) kdirs = LIST_HEAD_INITIALIZER(kdirs);
static pthread_mutex_t kdirmtx = PTHREAD_MUTEX_INITIALIZER;

HOSTFN(opendir)
HOSTFN(fdopendir)
HOSTFN(closedir)
HOSTFN(readdir)
HOSTFN(readdir64)
HOSTFN(dirfd)
HOSTFN(rewinddir)
HOSTFN(telldir)
HOSTFN(seekdir)

/* Ours, or the C library's? */
static struct kdir *
kdir(DIR *d)
{
	struct kdir *kd;

	if (d == NULL)
		return NULL;
	pthread_mutex_lock(&kdirmtx);
	LIST_FOREACH(kd, &kdirs, kd_link)
		if ((DIR *)kd == d)
			break;
	pthread_mutex_unlock(&kdirmtx);
	return kd;
}

DIR *
fdopendir(int fd)
{
	struct kdir *kd;
	struct stat st;

	if (hijack_bypass() || hijack_kfd(fd) < 0)
		return HOST(fdopendir)(fd);
	if (fstat(fd, &st) == -1)
		return NULL;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	if ((kd = calloc(1, sizeof(*kd))) == NULL)
		return NULL;
	kd->kd_fd = fd;
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	pthread_mutex_lock(&kdirmtx);
	LIST_INSERT_HEAD(&kdirs, kd, kd_link);
	pthread_mutex_unlock(&kdirmtx);
	return (DIR *)kd;
}

DIR *
opendir(const char *path)
{
	DIR *d;
	int fd, error;

	if (hijack_bypass() || hijack_kpath(path) == NULL)
		return HOST(opendir)(path);
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return NULL;
	if ((d = fdopendir(fd)) == NULL) {
		error = errno;
		close(fd);
		errno = error;
	}
	return d;
}

int
closedir(DIR *d)
{
	struct kdir *kd = kdir(d);
	int rv;

	if (kd == NULL)
		return HOST(closedir)(d);
	pthread_mutex_lock(&kdirmtx);
	LIST_REMOVE(kd, kd_link);
	pthread_mutex_unlock(&kdirmtx);
	rv = close(kd->kd_fd);
	free(kd);
	return rv;
}

struct dirent *
readdir(DIR *d)
{
	struct kdir *kd = kdir(d);
	struct dirent *de;
	ssize_t n;

	if (kd == NULL)
		return HOST(readdir)(d);
	if (kd->kd_off >= kd->kd_len) {
		n = RUMPCALL(rump_sys_getdents(hijack_kfd(kd->kd_fd),
		    kd->kd_buf, sizeof(kd->kd_buf)));
		if (n <= 0)
			return NULL;	/* the end (errno unchanged), or -1 */
		kd->kd_len = (size_t)n;
		kd->kd_off = 0;
	}
	de = (struct dirent *)(kd->kd_buf + kd->kd_off);
	kd->kd_off += de->d_reclen;
	kd->kd_pos++;
	return de;
}

struct dirent64 *
readdir64(DIR *d)
{

	if (kdir(d) == NULL)
		return HOST(readdir64)(d);
	/* On LP64 hosts the two records are the same. */
	_Static_assert(sizeof(struct dirent) == sizeof(struct dirent64),
	    "dirent and dirent64 differ");
	return (struct dirent64 *)readdir(d);
}

int
dirfd(DIR *d)
{
	struct kdir *kd = kdir(d);

	return kd == NULL ? HOST(dirfd)(d) : kd->kd_fd;
}

void
rewinddir(DIR *d)
{
	struct kdir *kd = kdir(d);

	if (kd == NULL) {
		HOST(rewinddir)(d);
		return;
	}
	(void)lseek(kd->kd_fd, 0, SEEK_SET);
	kd->kd_len = kd->kd_off = 0;
	kd->kd_pos = 0;
}

long
telldir(DIR *d)
{
	struct kdir *kd = kdir(d);

	return kd == NULL ? HOST(telldir)(d) : kd->kd_pos;
}

/* seekdir() to a position telldir() gave: read that many again. */
void
seekdir(DIR *d, long pos)
{
	struct kdir *kd = kdir(d);

	if (kd == NULL) {
		HOST(seekdir)(d, pos);
		return;
	}
	rewinddir(d);
	while (kd->kd_pos < pos && readdir(d) != NULL)
		continue;
}

/*
 * stdio
 */

static ssize_t
cookie_read(void *c, char *buf, size_t n)
{

	return read((int)(intptr_t)c, buf, n);
}

static ssize_t
cookie_write(void *c, const char *buf, size_t n)
{

	return write((int)(intptr_t)c, buf, n);
}

static int
cookie_seek(void *c, off64_t *off, int whence)
{
	off_t o = lseek((int)(intptr_t)c, *off, whence);

	if (o == -1)
		return -1;
	*off = o;
	return 0;
}

static int
cookie_close(void *c)
{

	return close((int)(intptr_t)c);
}

static const cookie_io_functions_t cookie_io = {
	.read = cookie_read,
	.write = cookie_write,
	.seek = cookie_seek,
	.close = cookie_close,
};

/* fopen()'s mode as open() flags; -1 if it is not one. */
static int
mode_flags(const char *mode)
{
	int flags;

	switch (*mode++) {
	case 'r': flags = O_RDONLY; break;
	case 'w': flags = O_WRONLY | O_CREAT | O_TRUNC; break;
	case 'a': flags = O_WRONLY | O_CREAT | O_APPEND; break;
	default: return -1;
	}
	for (; *mode != '\0' && *mode != ','; mode++) {
		switch (*mode) {
		case '+': flags = (flags & ~O_ACCMODE) | O_RDWR; break;
		case 'e': flags |= O_CLOEXEC; break;
		case 'x': flags |= O_EXCL; break;
		}
	}
	return flags;
}

void
hijack_stdstream(int fd)
{
	static bool done[3];
	FILE **fp, *f;

	if (fd < 0 || fd > 2 || done[fd])
		return;
	fp = fd == 0 ? &stdin : fd == 1 ? &stdout : &stderr;
	if ((f = fopencookie((void *)(intptr_t)fd, fd == 0 ? "r" : "w",
	    cookie_io)) == NULL)
		return;
	if (fd == 2)
		setvbuf(f, NULL, _IONBF, 0);
	fflush(*fp);
	*fp = f;
	done[fd] = true;
}

HOSTFN(fopen)
HOSTFN(fdopen)

FILE *
fdopen(int fd, const char *mode)
{

	if (hijack_bypass() || hijack_kfd(fd) < 0)
		return HOST(fdopen)(fd, mode);
	if (mode_flags(mode) == -1) {
		errno = EINVAL;
		return NULL;
	}
	return fopencookie((void *)(intptr_t)fd, mode, cookie_io);
}

FILE *
fopen(const char *path, const char *mode)
{
	int fd, flags, error;
	FILE *f;

	if (hijack_bypass() || hijack_kpath(path) == NULL)
		return HOST(fopen)(path, mode);
	if ((flags = mode_flags(mode)) == -1) {
		errno = EINVAL;
		return NULL;
	}
	if ((fd = open(path, flags, 0666)) == -1)
		return NULL;
	if ((f = fdopen(fd, mode)) == NULL) {
		error = errno;
		close(fd);
		errno = error;
	}
	return f;
}

FILE *fopen64(const char *, const char *) __attribute__((__alias__("fopen")));
