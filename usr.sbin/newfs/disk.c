/*
 * The disk under a new file system (newfs, host program).  The host
 * disk or image file, or one partition of it named by a magic suffix
 * ("disk.img%GPT:2%"), becomes the block device /dev/newfs of a rump
 * kernel booted in this process (etfs), and every read and write of
 * the file system goes through rump system calls on it.  Offsets are
 * from the start of the file system.  Errors end the program with one
 * line.
 */

#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "newfs.h"

#define DISK_KEY	"/dev/newfs"
#define ZEROCHUNK	(1024 * 1024)	/* bytes per write of zeros */

static const char *dk_special;	/* as given, for etfs and messages */
static char	*dk_host;	/* the host file, without the suffix */
static bool	dk_part;	/* a partition suffix was given */
static bool	dk_exists;	/* the host file exists */
static bool	dk_whole;	/* a whole regular file: may be grown */
static int64_t	dk_hostsize;	/* its size, if so */
static int	dk_fd = -1;	/* on /dev/newfs */
static void	*dk_zeros;	/* ZEROCHUNK of them, once needed */

/*
 * Split off a partition suffix: a last "%DISKLABEL:", "%MBR:" or
 * "%GPT:" part ending in '%' (the kernel checks the rest of it).
 */
static void
disk_split(const char *special)
{
	static const char *schemes[] = { "DISKLABEL:", "MBR:", "GPT:" };
	size_t len = strlen(special), start, i;

	if ((dk_host = strdup(special)) == NULL)
		err(1, "strdup");
	if (len < 2 || special[len - 1] != '%')
		return;
	for (start = len - 1; start > 0 && special[start - 1] != '%'; start--)
		continue;
	if (start == 0)
		return;
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		if (strncmp(special + start, schemes[i],
		    strlen(schemes[i])) == 0) {
			dk_host[start - 1] = '\0';
			dk_part = true;
			return;
		}
	}
}

/*
 * Register the special file as /dev/newfs, the window of size bytes
 * from its start (RUMP_ETFS_SIZE_ENDOFF: all of it); the kernel's
 * reason for a failure ends our one-line message.
 */
static void
disk_register(uint64_t size)
{
	char why[256];
	int error;

	if ((error = rump_init()) != 0)
		errx(1, "rump_init: %s", strerror(error));
	why[0] = '\0';
	if ((error = rump_pub_etfs_register_why(DISK_KEY, dk_special,
	    RUMP_ETFS_BLK, 0, size, why, sizeof(why))) != 0)
		errx(1, "%s: %s", dk_special, why[0] != '\0' ? why :
		    strerror(error));
}

/*
 * Look at special (a host disk, or with image a host image file; either
 * may name a partition) and return the bytes a file system can have on
 * it: the disk's, the partition's or the file's size.  want (0: none)
 * is the size asked for: a whole image file that is missing (then want
 * is required) or shorter will be made that big by disk_prepare(), so
 * want is returned then.  Nothing is written.
 */
int64_t
disk_open(const char *special, bool image, int64_t want)
{
	struct stat st;
	int64_t size;
	int fd;

	dk_special = special;
	disk_split(special);
	if (stat(dk_host, &st) == -1) {
		if (errno != ENOENT || !image)
			err(1, "%s", dk_host);
		if (dk_part)
			errx(1, "%s: no such image file", dk_host);
		if (want == 0)
			errx(1, "%s: no such file (-s makes one)", dk_host);
		dk_whole = true;
		return want;
	}
	dk_exists = true;
	if (S_ISDIR(st.st_mode))
		errx(1, "%s: is a directory", dk_host);
	if (image && !S_ISREG(st.st_mode))
		errx(1, "%s: not a regular file (a disk needs no -F)",
		    dk_host);
	if (!image && !S_ISBLK(st.st_mode) && !S_ISCHR(st.st_mode))
		errx(1, "%s: not a disk (an image file needs -F)", dk_host);
	if (image && !dk_part) {
		dk_whole = true;
		dk_hostsize = st.st_size;
		return want > st.st_size ? want : st.st_size;
	}

	/* A disk or a partition: the kernel knows its size. */
	disk_register(RUMP_ETFS_SIZE_ENDOFF);
	if ((fd = rump_sys_open(DISK_KEY, O_RDONLY)) == -1 ||
	    (size = rump_sys_lseek(fd, 0, SEEK_END)) == -1)
		err(1, "%s", special);
	rump_sys_close(fd);
	if ((errno = rump_pub_etfs_remove(DISK_KEY)) != 0)
		err(1, "%s", special);
	return size;
}

/*
 * Get ready to write a file system of fsbytes: make or grow a whole
 * image file to size bytes (sparse), then open the file system's bytes
 * of the special file as /dev/newfs, so nothing past them is written.
 */
void
disk_prepare(int64_t size, int64_t fsbytes)
{
	int fd;

	if (!dk_exists) {
		if ((fd = open(dk_host, O_WRONLY | O_CREAT | O_EXCL,
		    0666)) == -1)
			err(1, "%s", dk_host);
		if (ftruncate(fd, size) == -1)
			err(1, "%s", dk_host);
		close(fd);
	} else if (dk_whole && dk_hostsize < size) {
		if (truncate(dk_host, size) == -1)
			err(1, "%s", dk_host);
	}
	disk_register((uint64_t)fsbytes);
	if ((dk_fd = rump_sys_open(DISK_KEY, O_RDWR)) == -1)
		err(1, "%s", dk_special);
}

/* Write len bytes of buf at byte off of the file system. */
void
disk_write(const void *buf, size_t len, int64_t off)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = rump_sys_pwrite(dk_fd, p, len, off);
		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			err(1, "%s: write of %zu bytes at byte %lld",
			    dk_special, len, (long long)off);
		}
		p += n;
		len -= (size_t)n;
		off += n;
	}
}

/* Write len bytes of zeros at byte off of the file system. */
void
disk_zero(int64_t off, int64_t len)
{
	size_t n;

	if (dk_zeros == NULL && (dk_zeros = calloc(1, ZEROCHUNK)) == NULL)
		err(1, "calloc");
	while (len > 0) {
		n = len < ZEROCHUNK ? (size_t)len : ZEROCHUNK;
		disk_write(dk_zeros, n, off);
		off += (int64_t)n;
		len -= (int64_t)n;
	}
}

/*
 * Make everything written stable on the host, let the disk go and halt
 * the kernel.
 */
void
disk_close(void)
{

	if (rump_sys_fsync(dk_fd) == -1)
		err(1, "%s: fsync", dk_special);
	if (rump_sys_close(dk_fd) == -1)
		err(1, "%s: close", dk_special);
	dk_fd = -1;
	(void)rump_pub_etfs_remove(DISK_KEY);
	if (rump_sys_reboot(RUMP_RB_HALT, NULL) == -1)
		err(1, "halting the rump kernel");
	free(dk_zeros);
	dk_zeros = NULL;
	free(dk_host);
	dk_host = NULL;
}
