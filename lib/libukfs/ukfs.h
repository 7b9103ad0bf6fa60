/*
 * libukfs: a file system out of a disk image in a few calls, for
 * programs on the host.  ukfs_init() boots the rump kernel once;
 * ukfs_mount() registers the image (or the partition a magic suffix
 * names) as a block device and mounts it; the helpers then work on
 * paths inside it; ukfs_release() unmounts it, synced.  The program
 * links the file system components it needs (README.md).
 *
 * Every failure returns -1 or NULL with errno set, and where the
 * caller gave a buffer, one line (no newline) naming the problem: no
 * such file, no such partition, not a file system of that type, a
 * file system that was not unmounted cleanly, busy.
 */
#ifndef _RUMP_UKFS_H_
#define _RUMP_UKFS_H_

#include <sys/types.h>
#include <sys/stat.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ukfs;

/* ukfs_mount() flags. */
#define UKFS_RDONLY	0x01	/* read-only */
#define UKFS_SYNC	0x02	/* writes reach the image before returning */
#define UKFS_FORCE	0x04	/* mount a file system that was not
				   unmounted cleanly read-write anyway
				   (it stays marked not clean) */

/* Boot the kernel if it is not up yet.  0 or an errno value. */
int	ukfs_init(void);

/*
 * Mount the fstype ("ffs", "tmpfs", ...) file system of image, a host
 * file or disk with an optional partition suffix ("disk.img%GPT:2%");
 * image NULL for a file system without a device (tmpfs).  args, argslen:
 * the file system's mount arguments; NULL, 0 for the defaults.  For a
 * file system on a device, args start with its "const char *fspec",
 * which ukfs fills in.  why (whylen bytes; may be NULL): the reason of
 * a failure.
 */
struct ukfs *ukfs_mount(const char *fstype, const char *image, int flags,
	    const void *args, size_t argslen, char *why, size_t whylen);

/*
 * Unmount and forget fs: files are synced and the file system marked
 * clean.  EBUSY while files inside are open, unless flags has
 * UKFS_FORCE.  fs is freed on success only.
 */
int	ukfs_release(struct ukfs *fs, int flags);

/* Write everything of fs to its image now.  0 or -1. */
int	ukfs_sync(struct ukfs *fs);

/*
 * Where fs is mounted in the kernel's namespace, for calling
 * rump_sys_*() on it directly.
 */
const char *ukfs_mountpath(const struct ukfs *fs);
/* The image it was mounted from, as given. */
const char *ukfs_image(const struct ukfs *fs);

/*
 * Helpers on paths relative to the root of fs.  They return what the
 * system call does (-1 with errno on failure).  ukfs_open() returns a
 * kernel descriptor, for rump_sys_read() and friends.
 */
int	ukfs_open(struct ukfs *fs, const char *path, int flags, mode_t mode);
ssize_t	ukfs_read(struct ukfs *fs, const char *path, off_t off, void *buf,
	    size_t len);
ssize_t	ukfs_write(struct ukfs *fs, const char *path, off_t off,
	    const void *buf, size_t len);	/* creates the file (0644) */
int	ukfs_stat(struct ukfs *fs, const char *path, struct stat *sb);
int	ukfs_mkdir(struct ukfs *fs, const char *path, mode_t mode);
int	ukfs_remove(struct ukfs *fs, const char *path); /* file or dir */

#ifdef __cplusplus
}
#endif

#endif /* !_RUMP_UKFS_H_ */
