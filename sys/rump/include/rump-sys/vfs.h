/*
 * Internal interfaces of the VFS faction (rump glue): what rumpvfs.c
 * calls in the faction's other glue files, and what etfs offers the
 * disk component.
 */
#ifndef _RUMP_SYS_VFS_H_
#define _RUMP_SYS_VFS_H_

#include <sys/types.h>

struct diskpart_sel;

/* etfs.c: host files in the namespace. */
void	etfs_init(void);	/* after the root file system is mounted */
void	etfs_fini(void);	/* before the file systems are unmounted */

/* Make host file fd stable (FSYNC_* flags), the virtual CPU given up. */
int	etfs_hostsync(int fd, int fsyncflags);

/*
 * etfs's devices and partitions come from librumpdev_disk, which sets
 * these at its init.  Without it etfs registers regular files of plain
 * host paths only, and says so for the rest.
 */
struct etfs_diskops {
	/* diskpart_parse() and diskpart_find() of sys/diskpart.h. */
	int	(*ed_parse)(const char *path, size_t *hostlenp,
		    struct diskpart_sel *sel, char *why, size_t whylen);
	int	(*ed_find)(const struct diskpart_sel *sel, uint64_t imgsize,
		    int (*read)(void *, uint64_t, void *, size_t), void *arg,
		    uint64_t *offp, uint64_t *sizep, char *why, size_t whylen);
	/*
	 * A block (blk) or character device over bytes [off, off + size)
	 * of host file fd, named name on the console: its number in
	 * *devp.  On success the device owns fd and closes it with its
	 * last use.  ENFILE: no free unit.
	 */
	int	(*ed_attach)(const char *name, int fd, bool writable,
		    uint64_t off, uint64_t size, bool blk, dev_t *devp);
	/* dev is unregistered: no new opens; it goes with its last close. */
	void	(*ed_detach)(dev_t dev);
};
void	etfs_setdiskops(const struct etfs_diskops *);

#endif /* !_RUMP_SYS_VFS_H_ */
