/*
 * fsck_ffs: the device (host program).  A rump kernel booted in this
 * process gets the host device or image file as a block device through
 * etfs; every read and write of the file system is a rump system call
 * on that device.  Partition suffixes such as "%GPT:2%" are etfs's.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "fsck_ffs.h"

#define DEVPATH		"/dev/fsck"

/*
 * The host file a special names: without a trailing partition suffix
 * ("...%KIND:...%") if it has one.  Returns a string to free.
 */
static char *
host_path(const char *special)
{
	size_t len = strlen(special);
	char *path, *pct;

	if ((path = strdup(special)) == NULL)
		fatal("out of memory");
	if (len < 3 || path[len - 1] != '%')
		return path;
	path[len - 1] = '\0';
	if ((pct = strrchr(path, '%')) == NULL) {
		path[len - 1] = '%';
		return path;
	}
	if (strncmp(pct, "%MBR:", 5) == 0 || strncmp(pct, "%GPT:", 5) == 0 ||
	    strncmp(pct, "%DISKLABEL:", 11) == 0)
		*pct = '\0';
	else
		path[len - 1] = '%';
	return path;
}

/*
 * Check what special is (-F: an image file; else a device), boot the
 * rump kernel, attach special to it and open it: read-write unless -n,
 * falling back to read-only (as -n) when it cannot be written.
 */
void
disk_open(const char *special)
{
	struct stat sb;
	char *host, why[256];
	off_t end;
	int error;

	host = host_path(special);
	if (stat(host, &sb) == -1)
		fatal("%s", strerror(errno));
	if (ck.Fflag && !S_ISREG(sb.st_mode))
		fatal("not a regular file (-F is for image files)");
	if (!ck.Fflag && !S_ISBLK(sb.st_mode) && !S_ISCHR(sb.st_mode))
		fatal("not a device (use -F for an image file)");
	free(host);

	if ((error = rump_init()) != 0)
		fatal("cannot boot the rump kernel: %s", strerror(error));
	why[0] = '\0';
	if ((error = rump_pub_etfs_register_why(DEVPATH, special,
	    RUMP_ETFS_BLK, 0, RUMP_ETFS_SIZE_ENDOFF, why, sizeof(why))) != 0)
		fatal("cannot attach it: %s", why[0] != '\0' ? why :
		    strerror(error));
	ck.fd = rump_sys_open(DEVPATH, ck.nflag ? O_RDONLY : O_RDWR);
	if (ck.fd == -1 && !ck.nflag && (errno == EROFS || errno == EACCES)) {
		note("cannot write to it (%s): checking only, as with -n",
		    strerror(errno));
		ck.nflag = 1;
		ck.interactive = 0;
		ck.fd = rump_sys_open(DEVPATH, O_RDONLY);
	}
	if (ck.fd == -1)
		fatal("cannot open it: %s", strerror(errno));
	ck.writable = !ck.nflag;
	if ((end = rump_sys_lseek(ck.fd, 0, SEEK_END)) == -1)
		fatal("cannot find its size: %s", strerror(errno));
	ck.devsize = end;
	debug("device: %jd bytes, %s", (intmax_t)ck.devsize,
	    ck.writable ? "read-write" : "read-only");
}

/* Flush and close the device and halt the kernel. */
void
disk_close(void)
{

	if (ck.fd == -1)
		return;
	if (ck.writable && rump_sys_fsync(ck.fd) == -1)
		fprintf(stderr, "fsck_ffs: %s: fsync: %s\n", ck.special,
		    strerror(errno));
	if (rump_sys_close(ck.fd) == -1 && ck.writable)
		fprintf(stderr, "fsck_ffs: %s: close: %s\n", ck.special,
		    strerror(errno));
	ck.fd = -1;
	(void)rump_sys_reboot(RUMP_RB_HALT, NULL);
}

/* An I/O error: reported, and the check cannot be complete. */
static void
io_error(const char *what, int64_t off, size_t len, const char *why)
{

	fflush(stdout);
	fprintf(stderr, "fsck_ffs: %s: cannot %s %zu bytes at byte %jd: "
	    "%s\n", ck.special, what, len, (intmax_t)off, why);
	ck.nproblems++;
	ck.nunfixed++;
}

/*
 * Read len bytes at byte off.  Returns 0, or -1 after a message with
 * buf zeroed (callers go on as if the device held zeros there).
 */
int
disk_read(void *buf, size_t len, int64_t off)
{
	char *p = buf;
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		if (off < 0 || off > ck.devsize ||
		    (int64_t)(len - done) > ck.devsize - off) {
			io_error("read", off, len, "past the end");
			memset(buf, 0, len);
			return -1;
		}
		n = rump_sys_pread(ck.fd, p + done, len - done,
		    (off_t)(off + (int64_t)done));
		if (n <= 0) {
			io_error("read", off, len, n == 0 ? "end of device" :
			    strerror(errno));
			memset(buf, 0, len);
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

/* Write len bytes at byte off.  Returns 0, or -1 after a message. */
int
disk_write(const void *buf, size_t len, int64_t off)
{
	const char *p = buf;
	size_t done = 0;
	ssize_t n;

	if (!ck.writable) {
		io_error("write", off, len, "opened read-only");
		return -1;
	}
	ck.modified = 1;
	while (done < len) {
		n = rump_sys_pwrite(ck.fd, p + done, len - done,
		    (off_t)(off + (int64_t)done));
		if (n <= 0) {
			io_error("write", off, len, n == 0 ? "end of device" :
			    strerror(errno));
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

int
frags_read(int64_t fsb, int nfrags, void *buf)
{

	return disk_read(buf, (size_t)nfrags << ck.fs->fs_fshift,
	    FSB_OFF(fsb));
}

int
frags_write(int64_t fsb, int nfrags, const void *buf)
{

	return disk_write(buf, (size_t)nfrags << ck.fs->fs_fshift,
	    FSB_OFF(fsb));
}

/* The byte offset of inode ino, which is below ck.maxino. */
static int64_t
inode_off(uint32_t ino)
{

	return FSB_OFF(ffs_ino_to_fsba(ck.fs, ino)) +
	    (int64_t)ffs_ino_to_fsbo(ck.fs, ino) * ck.isize;
}

int
inode_read(uint32_t ino, union dinode *dp)
{

	memset(dp, 0, sizeof(*dp));
	if (ino >= ck.maxino)
		return -1;
	return disk_read(dp, (size_t)ck.isize, inode_off(ino));
}

int
inode_write(uint32_t ino, const union dinode *dp)
{

	if (ino >= ck.maxino)
		return -1;
	return disk_write(dp, (size_t)ck.isize, inode_off(ino));
}
