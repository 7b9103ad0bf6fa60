/*
 * Device switches (subr_devsw.c): the table from a device number to its
 * driver.  A driver attaches once, at its component's init, with the
 * entry points of its block and/or character device and gets a major
 * number for each; device vnodes reach it through the file operations
 * of vfs_vnops.c.  A device number whose major has no driver, or whose
 * driver refuses the minor, opens with ENXIO.
 */
#ifndef _SYS_CONF_H_
#define _SYS_CONF_H_

#include <sys/types.h>

struct buf;
struct uio;

typedef uint32_t devmajor_t;
#define NODEVMAJOR	((devmajor_t)-1)

/*
 * A driver's entry points.  d_open and d_close pair up per open file
 * (fmt: S_IFBLK or S_IFCHR); d_read and d_write move data at the uio's
 * offset; d_size, if set, tells a block device's size in bytes (for
 * lseek SEEK_END); d_fsync, if set, makes written data stable.  Every
 * call returns 0 or an errno.  A block device's d_strategy starts the
 * transfer of a struct buf (sys/buf.h) and calls biodone() when it is
 * over, with b_error and b_resid set: EIO for blocks outside the
 * device.
 */
struct devsw {
	const char	*d_name;
	int	(*d_open)(dev_t, int fflag, int fmt);
	int	(*d_close)(dev_t, int fflag, int fmt);
	int	(*d_read)(dev_t, struct uio *, int ioflag);
	int	(*d_write)(dev_t, struct uio *, int ioflag);
	int	(*d_size)(dev_t, off_t *);
	int	(*d_fsync)(dev_t, int flags);
	void	(*d_strategy)(struct buf *);
};

/*
 * Attach a driver: bdev and/or cdev (NULL: none).  A major of
 * NODEVMAJOR is chosen and passed back; a given one must be free.
 * Returns 0, EBUSY (taken) or ENOMEM (table full).
 */
int	devsw_attach(const struct devsw *bdev, devmajor_t *bmajor,
	    const struct devsw *cdev, devmajor_t *cmajor);
/* The driver of a block (S_IFBLK) or character (S_IFCHR) device. */
const struct devsw *devsw_lookup(dev_t, int fmt);

#endif /* !_SYS_CONF_H_ */
