/*
 * Disks (subr_disk.c): what every disk driver shares.  A driver embeds
 * a struct disk, says how big the disk is, whether it takes writes and
 * how to start a transfer, and hands its block and raw entry points to
 * disk_strategy() and disk_physio().  Those check each request against
 * the disk (a transfer reaching outside it is EIO and never reaches the
 * driver), count it, and cut raw reads and writes into transfers that
 * are kept in flight several at a time.  The driver finishes each
 * transfer with disk_done().
 *
 * Attached disks are listed by their device number, so the
 * counters can be read (disk_getstats()).
 */
#ifndef _SYS_DISK_H_
#define _SYS_DISK_H_

#include <sys/types.h>
#include <sys/queue.h>

struct buf;
struct uio;

struct disk_stats {
	uint64_t	ds_reads, ds_writes;	/* transfers started */
	uint64_t	ds_rbytes, ds_wbytes;	/* bytes moved */
	uint64_t	ds_errors;		/* transfers that failed */
	uint64_t	ds_maxxfer;		/* the largest transfer, bytes */
};

struct disk {
	/* Set by the driver before disk_attach(). */
	const char	*dk_name;	/* for console lines */
	dev_t		dk_dev;		/* its device number */
	uint64_t	dk_size;	/* bytes */
	bool		dk_writable;
	/* Start bp at byte off of the disk (checked); disk_done() ends it. */
	void		(*dk_start)(struct disk *, struct buf *, uint64_t off);

	/* The disk code's. */
	struct disk_stats dk_stats;	/* disk_lock */
	LIST_ENTRY(disk) dk_list;
};

void	disk_init(void);		/* at boot, by the dev faction */

/* List dk (its fields set) / take it off the list. */
void	disk_attach(struct disk *);
void	disk_detach(struct disk *);

/*
 * A block device's d_strategy: bp (b_blkno in DEV_BSIZE units) must lie
 * inside the disk, else it ends at once with EIO (EROFS: a write to a
 * read-only disk).
 */
void	disk_strategy(struct disk *, struct buf *);

/*
 * The driver's end of a transfer: done bytes moved, error 0 or an
 * errno (a short transfer without one is EIO).  Sets b_error and
 * b_resid, counts, and calls biodone().
 */
void	disk_done(struct disk *, struct buf *, size_t done, int error);

/*
 * read() and write() of the raw device: uio's transfer, clipped at the
 * disk's end (a read there returns nothing, a write is ENOSPC), in
 * transfers of at most 64 KiB, 8 in flight.
 */
int	disk_physio(struct disk *, struct uio *);

/* The counters of the disk whose block device is dev; ENXIO: none. */
int	disk_getstats(dev_t dev, struct disk_stats *);

#endif /* !_SYS_DISK_H_ */
