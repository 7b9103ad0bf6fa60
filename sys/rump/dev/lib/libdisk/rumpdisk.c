/*
 * Host disks (rump glue): each a window of a host file or host disk
 * (a partition, or what etfs was given) attached as a disk (sys/disk.h)
 * with a block or character device.  etfs makes them for its device
 * registrations through etfs_diskops, which also hands it the
 * partition table code.  Transfers go to the host through the
 * asynchronous block-I/O hypercall, any number in flight; the host
 * thread that finishes one enters the kernel to end it.
 *
 * A unit lives while it is registered or open: the last of those
 * closes the host descriptor.  One minor per unit, the same for the
 * block and the character device; a unit opens only as its own kind.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/disk.h>
#include <sys/diskpart.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/stat.h>
#include <sys/systm.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rump-sys/kern.h>
#include <rump-sys/vfs.h>

#define RUMPDISK_MAXUNIT	256

struct rumpdisk {
	struct disk	rd_disk;	/* first: the disk is the unit */
	int		rd_fd;		/* the host file */
	uint64_t	rd_begin;	/* the window's first byte in it */
	bool		rd_blk;		/* a block device, else character */
	bool		rd_gone;	/* unregistered: no new opens */
	u_int		rd_refs;	/* registration and opens */
	u_int		rd_unit;
};

static kmutex_t rumpdisk_lock;		/* the units and their refs */
static struct rumpdisk *rumpdisk_units[RUMPDISK_MAXUNIT];
static devmajor_t rumpdisk_bmajor = NODEVMAJOR;
static devmajor_t rumpdisk_cmajor = NODEVMAJOR;

/* The unit of an open device; no reference taken. */
static struct rumpdisk *
rumpdisk_of(dev_t dev)
{
	struct rumpdisk *rd;

	mutex_enter(&rumpdisk_lock);
	rd = minor(dev) < RUMPDISK_MAXUNIT ? rumpdisk_units[minor(dev)] :
	    NULL;
	mutex_exit(&rumpdisk_lock);
	KASSERT(rd != NULL);
	return rd;
}

/* Drop a use; the last one frees the unit. */
static void
rumpdisk_rele(struct rumpdisk *rd)
{

	mutex_enter(&rumpdisk_lock);
	KASSERT(rd->rd_refs > 0);
	if (--rd->rd_refs > 0) {
		mutex_exit(&rumpdisk_lock);
		return;
	}
	rumpdisk_units[rd->rd_unit] = NULL;
	mutex_exit(&rumpdisk_lock);
	disk_detach(&rd->rd_disk);
	(void)rumpuser_close(rd->rd_fd);
	kmem_strfree(__UNCONST(rd->rd_disk.dk_name));
	kmem_free(rd, sizeof(*rd));
}

/* A host transfer is over, in a host thread: end its buffer. */
static void
rumpdisk_hostdone(void *arg, size_t done, int error)
{
	struct buf *bp = arg;

	rump_schedule();
	disk_done(&rumpdisk_of(bp->b_dev)->rd_disk, bp, done, error);
	rump_unschedule();
}

/* A buffer's pieces (struct bufvec) go to the host as they are. */
_Static_assert(sizeof(struct bufvec) == sizeof(struct rumpuser_iovec) &&
    offsetof(struct bufvec, bv_data) ==
    offsetof(struct rumpuser_iovec, iov_base) &&
    offsetof(struct bufvec, bv_len) ==
    offsetof(struct rumpuser_iovec, iov_len), "bufvec is not an iovec");

static void
rumpdisk_start(struct disk *dk, struct buf *bp, uint64_t off)
{
	struct rumpdisk *rd = (struct rumpdisk *)dk;
	struct rumpuser_iovec one;
	int op;

	op = (bp->b_flags & B_READ) ? RUMPUSER_BIO_READ :
	    RUMPUSER_BIO_WRITE | ((bp->b_flags & B_SYNC) ? RUMPUSER_BIO_SYNC :
	    0);
	if (bp->b_nvec > 0) {
		rumpuser_bio(rd->rd_fd, op,
		    (const struct rumpuser_iovec *)bp->b_vec, bp->b_nvec,
		    (int64_t)(rd->rd_begin + off), rumpdisk_hostdone, bp);
		return;
	}
	one.iov_base = bp->b_data;
	one.iov_len = bp->b_bcount;
	rumpuser_bio(rd->rd_fd, op, &one, 1, (int64_t)(rd->rd_begin + off),
	    rumpdisk_hostdone, bp);
}

static int
rumpdisk_open(dev_t dev, int fflag, int fmt)
{
	struct rumpdisk *rd;
	int error = 0;

	mutex_enter(&rumpdisk_lock);
	rd = minor(dev) < RUMPDISK_MAXUNIT ? rumpdisk_units[minor(dev)] :
	    NULL;
	if (rd == NULL || rd->rd_gone || (fmt == S_IFBLK) != rd->rd_blk)
		error = ENXIO;
	else if ((fflag & FWRITE) && !rd->rd_disk.dk_writable)
		error = EROFS;
	else
		rd->rd_refs++;
	mutex_exit(&rumpdisk_lock);
	return error;
}

static int
rumpdisk_close(dev_t dev, int fflag, int fmt)
{

	rumpdisk_rele(rumpdisk_of(dev));
	return 0;
}

static int
rumpdisk_rw(dev_t dev, struct uio *uio, int ioflag)
{

	return disk_physio(&rumpdisk_of(dev)->rd_disk, uio);
}

static int
rumpdisk_size(dev_t dev, off_t *sizep)
{

	*sizep = (off_t)rumpdisk_of(dev)->rd_disk.dk_size;
	return 0;
}

static int
rumpdisk_fsync(dev_t dev, int flags)
{

	return etfs_hostsync(rumpdisk_of(dev)->rd_fd, flags);
}

static void
rumpdisk_strategy(struct buf *bp)
{

	disk_strategy(&rumpdisk_of(bp->b_dev)->rd_disk, bp);
}

static const struct devsw rumpdisk_devsw = {
	.d_name = "rumpdisk",
	.d_open = rumpdisk_open,
	.d_close = rumpdisk_close,
	.d_read = rumpdisk_rw,
	.d_write = rumpdisk_rw,
	.d_size = rumpdisk_size,
	.d_fsync = rumpdisk_fsync,
	.d_strategy = rumpdisk_strategy,
};

static int
rumpdisk_attach(const char *name, int fd, bool writable, uint64_t off,
    uint64_t size, bool blk, dev_t *devp)
{
	struct rumpdisk *rd;
	u_int u;

	rd = kmem_zalloc(sizeof(*rd), KM_SLEEP);
	rd->rd_fd = fd;
	rd->rd_begin = off;
	rd->rd_blk = blk;
	rd->rd_refs = 1;		/* the registration's */
	rd->rd_disk.dk_name = kmem_strdup(name, KM_SLEEP);
	rd->rd_disk.dk_size = size;
	rd->rd_disk.dk_writable = writable;
	rd->rd_disk.dk_start = rumpdisk_start;

	mutex_enter(&rumpdisk_lock);
	for (u = 0; u < RUMPDISK_MAXUNIT && rumpdisk_units[u] != NULL; u++)
		continue;
	if (u < RUMPDISK_MAXUNIT) {
		rd->rd_unit = u;
		rd->rd_disk.dk_dev = makedev(blk ? rumpdisk_bmajor :
		    rumpdisk_cmajor, u);
		disk_attach(&rd->rd_disk);
		rumpdisk_units[u] = rd;
	}
	mutex_exit(&rumpdisk_lock);
	if (u == RUMPDISK_MAXUNIT) {
		kmem_strfree(__UNCONST(rd->rd_disk.dk_name));
		kmem_free(rd, sizeof(*rd));
		return ENFILE;
	}
	*devp = rd->rd_disk.dk_dev;
	return 0;
}

static void
rumpdisk_detach(dev_t dev)
{
	struct rumpdisk *rd = rumpdisk_of(dev);

	mutex_enter(&rumpdisk_lock);
	rd->rd_gone = true;
	mutex_exit(&rumpdisk_lock);
	rumpdisk_rele(rd);
}

static const struct etfs_diskops rumpdisk_etfsops = {
	.ed_parse = diskpart_parse,
	.ed_find = diskpart_find,
	.ed_attach = rumpdisk_attach,
	.ed_detach = rumpdisk_detach,
};

RUMP_COMPONENT(RUMP_COMPONENT_DEV, rumpdisk)
{
	int error;

	mutex_init(&rumpdisk_lock, MUTEX_DEFAULT, IPL_VM);
	if ((error = devsw_attach(&rumpdisk_devsw, &rumpdisk_bmajor,
	    &rumpdisk_devsw, &rumpdisk_cmajor)) != 0)
		panic("rumpdisk: no device numbers: %d", error);
	etfs_setdiskops(&rumpdisk_etfsops);
}
