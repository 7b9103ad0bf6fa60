/*
 * The boundary translation module (DESIGN.md rule 6): the one place that
 * converts between the host's ABI and the rump kernel's.  Host-side code,
 * part of librumpuser because what it converts *to* is the host: a port
 * to another host rewrites this file with the rest of librumpuser.  The
 * kernel's side of every table comes from the generated kabi.h and
 * kabi_errno.h, read off the kernel's own headers.
 *
 * The generated rump_sys_*() stubs call these functions; they live in
 * librump, which may use no host function but memset and memcpy, so
 * whatever a conversion needs from libc (malloc) happens here.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <sys/un.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kabi.h"
#include "rumpuser_abi.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Mode bits cross the boundary unchanged (open, mkdir, chmod, mknod,
 * struct stat): this host must use the kernel's values.
 */
_Static_assert(S_IFMT == KABI_S_IFMT && S_IFIFO == KABI_S_IFIFO &&
    S_IFCHR == KABI_S_IFCHR && S_IFDIR == KABI_S_IFDIR &&
    S_IFBLK == KABI_S_IFBLK && S_IFREG == KABI_S_IFREG &&
    S_IFLNK == KABI_S_IFLNK && S_IFSOCK == KABI_S_IFSOCK &&
    S_ISUID == KABI_S_ISUID && S_ISGID == KABI_S_ISGID &&
    S_ISVTX == KABI_S_ISVTX && S_IRWXU == KABI_S_IRWXU &&
    S_IRWXG == KABI_S_IRWXG && S_IRWXO == KABI_S_IRWXO,
    "the host's mode bits differ from the kernel's");

/* One value or flag of the host, and the kernel's of the same meaning. */
struct abimap {
	int	host;
	int	kern;
};

/* Look v up in one column of tab and give the other; false if absent. */
static bool
map_value(const struct abimap *tab, size_t n, bool tokern, int v, int *outp)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if ((tokern ? tab[i].host : tab[i].kern) == v) {
			*outp = tokern ? tab[i].kern : tab[i].host;
			return true;
		}
	}
	return false;
}

/*
 * Translate the flag bits of v through tab.  A row matches when all of
 * its bits are still set in v, and takes them: a row of several bits
 * listed first hides the rows of its parts.  A row whose other side is 0
 * accepts a flag that means nothing there.  Bits no row took are left in
 * *restp.
 */
static int
map_flags(const struct abimap *tab, size_t n, bool tokern, int v, int *restp)
{
	int out = 0, from;
	size_t i;

	for (i = 0; i < n; i++) {
		from = tokern ? tab[i].host : tab[i].kern;
		if (from != 0 && (v & from) == from) {
			out |= tokern ? tab[i].kern : tab[i].host;
			v &= ~from;
		}
	}
	if (restp != NULL)
		*restp = v;
	return out;
}

/*
 * errno
 */

struct errmap {
	int		kern;
	int		host;	/* -1: the host has no such name */
	const char	*name;
};

static const struct errmap errtab[] = {
#include "kabi_errno.h"
};

/*
 * Kernel errors the host has no name for, and what the host is told
 * instead: the nearest meaning among the host's errors.
 */
static const struct abimap errfallback[] = {
	{ EINVAL,	KABI_EFTYPE },	/* bad file type or format */
	{ EACCES,	KABI_EAUTH },
	{ EACCES,	KABI_ENEEDAUTH },
	{ EAGAIN,	KABI_EPROCLIM },
	{ EPROTO,	KABI_EBADRPC },
	{ EPROTO,	KABI_ERPCMISMATCH },
	{ EPROTO,	KABI_EPROGUNAVAIL },
	{ EPROTO,	KABI_EPROGMISMATCH },
	{ EPROTO,	KABI_EPROCUNAVAIL },
	{ ENODATA,	KABI_ENOATTR },
};

/*
 * Direct lookup arrays, built once from the tables: errno translation is
 * on the error path of every system call.
 */
#define HOSTERR_MAX	256
static int	tohost[KABI_ELAST + 1];
static int	tokern[HOSTERR_MAX];
static pthread_once_t errinit_once = PTHREAD_ONCE_INIT;

static void
errinit(void)
{
	size_t i;

	for (i = 0; i < NELEM(errtab); i++) {
		const struct errmap *e = &errtab[i];
		int h = e->host;

		if (h == -1) {
			if (!map_value(errfallback, NELEM(errfallback), false,
			    e->kern, &h))
				h = EIO;
		} else if (h >= 0 && h < HOSTERR_MAX && tokern[h] == 0) {
			/* The first kernel name for a host value wins. */
			tokern[h] = e->kern;
		}
		if (tohost[e->kern] == 0)
			tohost[e->kern] = h;
	}
}

int
rumpuser_abi_errno_tohost(int kerr)
{

	if (kerr == 0)
		return 0;
	pthread_once(&errinit_once, errinit);
	if (kerr < 0 || kerr > KABI_ELAST || tohost[kerr] == 0)
		return EIO;
	return tohost[kerr];
}

int
rumpuser_abi_errno_tokern(int herr)
{

	if (herr == 0)
		return 0;
	pthread_once(&errinit_once, errinit);
	if (herr < 0 || herr >= HOSTERR_MAX || tokern[herr] == 0)
		return KABI_EIO;
	return tokern[herr];
}

/*
 * Clocks and times
 */

static const struct abimap clocktab[] = {
	{ CLOCK_REALTIME,	KABI_CLOCK_REALTIME },
	{ CLOCK_MONOTONIC,	KABI_CLOCK_MONOTONIC },
};

int
rumpuser_abi_clockid_tokern(clockid_t hclk, int *kclkp)
{

	if (!map_value(clocktab, NELEM(clocktab), true, hclk, kclkp))
		return KABI_EINVAL;
	return 0;
}

void
rumpuser_abi_timespec_tokern(const struct timespec *hts,
    struct kabi_timespec *kts)
{

	kts->tv_sec = hts->tv_sec;
	kts->tv_nsec = hts->tv_nsec;
}

void
rumpuser_abi_timeval_tokern(const struct timeval *htv,
    struct kabi_timeval *ktv)
{

	ktv->tv_sec = htv->tv_sec;
	ktv->tv_usec = htv->tv_usec;
}

int
rumpuser_abi_fdset_tokern(const fd_set *hs, int nd, struct kabi_fd_set *ks)
{
	int fd;

	if (nd < 0 || nd > FD_SETSIZE || nd > KABI_FD_SETSIZE)
		return KABI_EINVAL;
	memset(ks, 0, sizeof(*ks));
	for (fd = 0; fd < nd; fd++)
		if (FD_ISSET(fd, hs))
			ks->fs_bits[fd / 32] |= 1U << (fd % 32);
	return 0;
}

void
rumpuser_abi_fdset_tohost(const struct kabi_fd_set *ks, int nd, fd_set *hs)
{
	int fd;

	for (fd = 0; fd < nd; fd++) {
		if ((ks->fs_bits[fd / 32] >> (fd % 32)) & 1)
			FD_SET(fd, hs);
		else
			FD_CLR(fd, hs);
	}
}

void
rumpuser_abi_timespec_tohost(const struct kabi_timespec *kts,
    struct timespec *hts)
{

	hts->tv_sec = kts->tv_sec;
	hts->tv_nsec = kts->tv_nsec;
}

/* utimensat() and futimens(): tv_nsec values that are not times. */
static const struct abimap utimetab[] = {
	{ UTIME_NOW,	KABI_UTIME_NOW },
	{ UTIME_OMIT,	KABI_UTIME_OMIT },
};

void
rumpuser_abi_timespec2_tokern(const struct timespec *hts,
    struct kabi_timespec *kts)
{
	int i, v;

	for (i = 0; i < 2; i++) {
		rumpuser_abi_timespec_tokern(&hts[i], &kts[i]);
		/* Other values outside [0, 1e9) are the kernel's to reject. */
		if (hts[i].tv_nsec >= 0 && hts[i].tv_nsec <= INT_MAX &&
		    map_value(utimetab, NELEM(utimetab), true,
		    (int)hts[i].tv_nsec, &v))
			kts[i].tv_nsec = v;
	}
}

/*
 * open() flags
 */

static const struct abimap accmodetab[] = {
	{ O_RDONLY,	KABI_O_RDONLY },
	{ O_WRONLY,	KABI_O_WRONLY },
	{ O_RDWR,	KABI_O_RDWR },
};

/*
 * The flags besides the access mode.  O_SYNC comes before O_DSYNC: the
 * host's O_SYNC includes the O_DSYNC bit.  Not here, and ignored like
 * Linux ignores unknown bits: O_LARGEFILE (offsets are 64-bit anyway),
 * O_NOATIME (a hint).
 */
static const struct abimap oflagtab[] = {
	{ O_CREAT,	KABI_O_CREAT },
	{ O_EXCL,	KABI_O_EXCL },
	{ O_NOCTTY,	KABI_O_NOCTTY },
	{ O_TRUNC,	KABI_O_TRUNC },
	{ O_APPEND,	KABI_O_APPEND },
	{ O_NONBLOCK,	KABI_O_NONBLOCK },
	{ O_SYNC,	KABI_O_SYNC },
	{ O_DSYNC,	KABI_O_DSYNC },
	{ O_DIRECTORY,	KABI_O_DIRECTORY },
	{ O_NOFOLLOW,	KABI_O_NOFOLLOW },
	{ O_CLOEXEC,	KABI_O_CLOEXEC },
	{ O_DIRECT,	KABI_O_DIRECT },
};

/*
 * Host flags the kernel cannot honour, and the kernel errno that says so:
 * what Linux says for a file system without the feature.
 */
static const struct abimap oflagunsup[] = {
	{ O_PATH,			KABI_EOPNOTSUPP },
	{ O_TMPFILE & ~O_DIRECTORY,	KABI_EOPNOTSUPP },
	{ O_ASYNC,			KABI_EINVAL },	/* no SIGIO */
};

int
rumpuser_abi_oflags_tokern(int hflags, int *kflagsp)
{
	size_t i;
	int kacc;

	for (i = 0; i < NELEM(oflagunsup); i++) {
		if ((hflags & oflagunsup[i].host) != 0)
			return oflagunsup[i].kern;
	}
	if (!map_value(accmodetab, NELEM(accmodetab), true,
	    hflags & O_ACCMODE, &kacc))
		return KABI_EINVAL;
	*kflagsp = kacc | map_flags(oflagtab, NELEM(oflagtab), true,
	    hflags & ~O_ACCMODE, NULL);
	return 0;
}

int
rumpuser_abi_oflags_tohost(int kflags, int *hflagsp)
{
	int hacc;

	if (!map_value(accmodetab, NELEM(accmodetab), false,
	    kflags & KABI_O_ACCMODE, &hacc))
		return KABI_EIO;
	*hflagsp = hacc | map_flags(oflagtab, NELEM(oflagtab), false,
	    kflags & ~KABI_O_ACCMODE, NULL);
	return 0;
}

int
rumpuser_abi_oflags_needmode(int hflags)
{

	return (hflags & O_CREAT) != 0 || (hflags & O_TMPFILE) == O_TMPFILE;
}

/*
 * The *at() calls
 */

int
rumpuser_abi_atfd_tokern(int hfd, int *kfdp)
{

	if (hfd == AT_FDCWD)
		*kfdp = KABI_AT_FDCWD;
	else if (hfd < 0)
		*kfdp = -1;	/* never the kernel's AT_FDCWD: EBADF */
	else
		*kfdp = hfd;
	return 0;
}

/*
 * The flags of every *at() call but faccessat().  AT_NO_AUTOMOUNT is
 * accepted: there are no automounts to suppress.  The kernel refuses
 * AT_EMPTY_PATH in the calls that do not take it.
 */
static const struct abimap atflagtab[] = {
	{ AT_SYMLINK_NOFOLLOW,	KABI_AT_SYMLINK_NOFOLLOW },
	{ AT_SYMLINK_FOLLOW,	KABI_AT_SYMLINK_FOLLOW },
	{ AT_REMOVEDIR,		KABI_AT_REMOVEDIR },
	{ AT_EMPTY_PATH,	KABI_AT_EMPTY_PATH },
	{ AT_NO_AUTOMOUNT,	0 },
};

/* faccessat()'s flags: the host's AT_EACCESS is its AT_REMOVEDIR. */
static const struct abimap accflagtab[] = {
	{ AT_EACCESS,		KABI_AT_EACCESS },
	{ AT_SYMLINK_NOFOLLOW,	KABI_AT_SYMLINK_NOFOLLOW },
};

/* access() modes; F_OK is 0 on both sides. */
static const struct abimap accmodebits[] = {
	{ R_OK,	KABI_R_OK },
	{ W_OK,	KABI_W_OK },
	{ X_OK,	KABI_X_OK },
};

/* Flags translated through tab, where an unknown one is EINVAL. */
static int
strictflags(const struct abimap *tab, size_t n, int hflags, int *kflagsp)
{
	int rest;

	*kflagsp = map_flags(tab, n, true, hflags, &rest);
	return rest != 0 ? KABI_EINVAL : 0;
}

int
rumpuser_abi_atflags_tokern(int hflags, int *kflagsp)
{

	return strictflags(atflagtab, NELEM(atflagtab), hflags, kflagsp);
}

int
rumpuser_abi_accflags_tokern(int hflags, int *kflagsp)
{

	return strictflags(accflagtab, NELEM(accflagtab), hflags, kflagsp);
}

/* renameat2(): RENAME_* (from <stdio.h>); unknown ones are EINVAL. */
static const struct abimap renameflagtab[] = {
	{ RENAME_NOREPLACE,	KABI_RENAME_NOREPLACE },
	{ RENAME_EXCHANGE,	KABI_RENAME_EXCHANGE },
	{ RENAME_WHITEOUT,	KABI_RENAME_WHITEOUT },
};

int
rumpuser_abi_renameflags_tokern(unsigned int hflags, unsigned int *kflagsp)
{
	int kflags, error;

	if (hflags > INT_MAX)
		return KABI_EINVAL;
	error = strictflags(renameflagtab, NELEM(renameflagtab), (int)hflags,
	    &kflags);
	*kflagsp = (unsigned int)kflags;
	return error;
}

int
rumpuser_abi_accmode_tokern(int hmode, int *kmodep)
{

	return strictflags(accmodebits, NELEM(accmodebits), hmode, kmodep);
}

/* lseek() and struct flock (the kernel refuses SEEK_DATA there). */
static const struct abimap whencetab[] = {
	{ SEEK_SET,	KABI_SEEK_SET },
	{ SEEK_CUR,	KABI_SEEK_CUR },
	{ SEEK_END,	KABI_SEEK_END },
	{ SEEK_DATA,	KABI_SEEK_DATA },
	{ SEEK_HOLE,	KABI_SEEK_HOLE },
};

int
rumpuser_abi_whence_tokern(int hwhence, int *kwhencep)
{

	if (!map_value(whencetab, NELEM(whencetab), true, hwhence, kwhencep))
		return KABI_EINVAL;
	return 0;
}

/*
 * Device numbers: the kernel's makedev() keeps the major number in the
 * high 32 bits and the minor in the low 32.  NODEV ((dev_t)-1) is all
 * ones on both sides.
 */
int
rumpuser_abi_devt_tokern(dev_t hdev, uint64_t *kdevp)
{

	*kdevp = (uint64_t)major(hdev) << 32 | (uint32_t)minor(hdev);
	return 0;
}

dev_t
rumpuser_abi_devt_tohost(uint64_t kdev)
{

	return makedev((unsigned int)(kdev >> 32),
	    (unsigned int)(kdev & 0xffffffffu));
}

/*
 * struct stat and struct statvfs.  Kernel fields the host lacks
 * (st_flags, st_birthtim, the mount names of statvfs) are dropped.
 */

void
rumpuser_abi_stat_tohost(const struct kabi_stat *k, struct stat *h)
{

	memset(h, 0, sizeof(*h));
	h->st_dev = rumpuser_abi_devt_tohost(k->st_dev);
	h->st_ino = k->st_ino;
	h->st_mode = k->st_mode;
	h->st_nlink = k->st_nlink;
	h->st_uid = k->st_uid;
	h->st_gid = k->st_gid;
	h->st_rdev = rumpuser_abi_devt_tohost(k->st_rdev);
	h->st_size = k->st_size;
	h->st_blksize = k->st_blksize;
	h->st_blocks = k->st_blocks;
	rumpuser_abi_timespec_tohost(&k->st_atim, &h->st_atim);
	rumpuser_abi_timespec_tohost(&k->st_mtim, &h->st_mtim);
	rumpuser_abi_timespec_tohost(&k->st_ctim, &h->st_ctim);
}

static const struct abimap stflagtab[] = {
	{ ST_RDONLY,		KABI_ST_RDONLY },
	{ ST_NOSUID,		KABI_ST_NOSUID },
	{ ST_NODEV,		KABI_ST_NODEV },
	{ ST_NOEXEC,		KABI_ST_NOEXEC },
	{ ST_SYNCHRONOUS,	KABI_ST_SYNCHRONOUS },
};

void
rumpuser_abi_statvfs_tohost(const struct kabi_statvfs *k, struct statvfs *h)
{

	memset(h, 0, sizeof(*h));
	h->f_bsize = k->f_bsize;
	h->f_frsize = k->f_frsize;
	h->f_blocks = k->f_blocks;
	h->f_bfree = k->f_bfree;
	h->f_bavail = k->f_bavail;
	h->f_files = k->f_files;
	h->f_ffree = k->f_ffree;
	h->f_favail = k->f_favail;
	h->f_fsid = k->f_fsid;
	h->f_flag = map_flags(stflagtab, NELEM(stflagtab), false,
	    (int)(k->f_flag & INT_MAX), NULL);
	h->f_namemax = k->f_namemax;
}

/*
 * getdents()
 */

/* File types of directory entries (the values happen to agree). */
static const struct abimap dtypetab[] = {
	{ DT_UNKNOWN,	KABI_DT_UNKNOWN },
	{ DT_FIFO,	KABI_DT_FIFO },
	{ DT_CHR,	KABI_DT_CHR },
	{ DT_DIR,	KABI_DT_DIR },
	{ DT_BLK,	KABI_DT_BLK },
	{ DT_REG,	KABI_DT_REG },
	{ DT_LNK,	KABI_DT_LNK },
	{ DT_SOCK,	KABI_DT_SOCK },
	{ DT_WHT,	KABI_DT_WHT },
};

/*
 * A record is a header, the name and a NUL, padded to 8 bytes, on both
 * sides (the kernel's _DIRENT_RECLEN(), Linux's getdents64 records).  The
 * host's header is not longer than the kernel's, so a host record is
 * never longer than the kernel record it comes from, and a buffer can be
 * rewritten front to back without overtaking what is still to be read.
 */
#define KDIRHDR		offsetof(struct kabi_dirent, d_name)
#define HDIRHDR		offsetof(struct dirent, d_name)
#define DIRRECLEN(hdr, namlen)	(((hdr) + (namlen) + 1 + 7) & ~(size_t)7)
_Static_assert(HDIRHDR <= KDIRHDR,
    "the host's dirent header is longer than the kernel's");

int
rumpuser_abi_dirents_tohost(void *buf, size_t bufsize, int64_t *lenp)
{
	unsigned char *p = buf;
	struct kabi_dirent kd;
	struct dirent hd;
	size_t len, in, out, namlen, kreclen, hreclen;
	int dtype;

	if (*lenp < 0 || (uint64_t)*lenp > bufsize)
		return KABI_EIO;
	len = (size_t)*lenp;
	for (in = out = 0; in < len; in += kreclen, out += hreclen) {
		/* Check the kernel's record: it is input like any other. */
		if (len - in < KDIRHDR)
			return KABI_EIO;
		memcpy(&kd, p + in, KDIRHDR);
		namlen = kd.d_namlen;
		kreclen = kd.d_reclen;
		if (namlen > KABI_MAXNAMLEN ||
		    kreclen < DIRRECLEN(KDIRHDR, namlen) || kreclen > len - in)
			return KABI_EIO;

		hreclen = DIRRECLEN(HDIRHDR, namlen);
		if (!map_value(dtypetab, NELEM(dtypetab), false, kd.d_type,
		    &dtype))
			dtype = DT_UNKNOWN;
		memset(&hd, 0, HDIRHDR);
		hd.d_ino = kd.d_fileno;
		hd.d_off = kd.d_off;
		hd.d_reclen = (unsigned short)hreclen;
		hd.d_type = (unsigned char)dtype;
		/* Ends before the kernel's name, which is read next. */
		memcpy(p + out, &hd, HDIRHDR);
		memmove(p + out + HDIRHDR, p + in + KDIRHDR, namlen);
		memset(p + out + HDIRHDR + namlen, 0,
		    hreclen - HDIRHDR - namlen);
	}
	*lenp = (int64_t)out;
	return 0;
}

/*
 * poll()
 */

/*
 * Event bits.  The kernel's POLLWRNORM is its POLLOUT; the host's
 * POLLRDHUP and POLLMSG have no kernel meaning and are ignored.
 */
static const struct abimap pollevtab[] = {
	{ POLLIN,	KABI_POLLIN },
	{ POLLPRI,	KABI_POLLPRI },
	{ POLLOUT,	KABI_POLLOUT },
	{ POLLRDNORM,	KABI_POLLRDNORM },
	{ POLLRDBAND,	KABI_POLLRDBAND },
	{ POLLWRNORM,	KABI_POLLWRNORM },
	{ POLLWRBAND,	KABI_POLLWRBAND },
	{ POLLERR,	KABI_POLLERR },
	{ POLLHUP,	KABI_POLLHUP },
	{ POLLNVAL,	KABI_POLLNVAL },
};

/*
 * Kernel revents -> host revents for host events hevents: every host
 * bit a kernel bit stands for (POLLOUT and POLLWRNORM both), of those
 * that were asked for, and the conditions always reported.
 */
static short
pollev_tohost(short krev, short hevents)
{
	size_t i;
	int hrev = 0;

	for (i = 0; i < NELEM(pollevtab); i++) {
		if ((krev & pollevtab[i].kern) != 0)
			hrev |= pollevtab[i].host;
	}
	return (short)(hrev & (hevents | POLLERR | POLLHUP | POLLNVAL));
}

#define POLL_MAXFDS	65536

int
rumpuser_abi_pollfds_tokern(const struct pollfd *hfds, nfds_t nfds,
    struct kabi_pollfd *small, size_t nsmall, struct kabi_pollfd **kfdsp)
{
	struct kabi_pollfd *kfds = small;
	nfds_t i;

	*kfdsp = small;
	if (nfds > POLL_MAXFDS)
		return KABI_EINVAL;
	if (nfds > 0 && hfds == NULL)
		return KABI_EFAULT;
	if (nfds > nsmall) {
		kfds = malloc(nfds * sizeof(*kfds));
		if (kfds == NULL)
			return KABI_ENOMEM;
	}
	for (i = 0; i < nfds; i++) {
		kfds[i].fd = hfds[i].fd;
		kfds[i].events = (short)map_flags(pollevtab, NELEM(pollevtab),
		    true, (unsigned short)hfds[i].events, NULL);
		kfds[i].revents = 0;
	}
	*kfdsp = kfds;
	return 0;
}

void
rumpuser_abi_pollfds_tohost(const struct kabi_pollfd *kfds,
    struct pollfd *hfds, nfds_t nfds)
{
	nfds_t i;

	for (i = 0; i < nfds; i++)
		hfds[i].revents = pollev_tohost(kfds[i].revents,
		    hfds[i].events);
}

void
rumpuser_abi_pollfds_free(struct kabi_pollfd *kfds, struct kabi_pollfd *small)
{

	if (kfds != small)
		free(kfds);
}

/*
 * fcntl()
 */

/* What the third argument of a command is, and what its result is. */
enum fcntlarg { FARG_NONE, FARG_INT, FARG_FDFLAGS, FARG_OFLAGS, FARG_LOCK };
enum fcntlres { FRES_VALUE, FRES_FDFLAGS, FRES_OFLAGS, FRES_LOCK };

/*
 * The commands.  Others are EINVAL, among them the open file description
 * locks (F_OFD_*), which the kernel does not have.
 */
static const struct fcntlcmd {
	int		host;
	int		kern;
	enum fcntlarg	arg;
	enum fcntlres	res;
} fcntltab[] = {
	{ F_DUPFD,		KABI_F_DUPFD,		FARG_INT,	FRES_VALUE },
	{ F_DUPFD_CLOEXEC,	KABI_F_DUPFD_CLOEXEC,	FARG_INT,	FRES_VALUE },
	{ F_GETFD,		KABI_F_GETFD,		FARG_NONE,	FRES_FDFLAGS },
	{ F_SETFD,		KABI_F_SETFD,		FARG_FDFLAGS,	FRES_VALUE },
	{ F_GETFL,		KABI_F_GETFL,		FARG_NONE,	FRES_OFLAGS },
	{ F_SETFL,		KABI_F_SETFL,		FARG_OFLAGS,	FRES_VALUE },
	{ F_GETLK,		KABI_F_GETLK,		FARG_LOCK,	FRES_LOCK },
	{ F_SETLK,		KABI_F_SETLK,		FARG_LOCK,	FRES_VALUE },
	{ F_SETLKW,		KABI_F_SETLKW,		FARG_LOCK,	FRES_VALUE },
};

/* Descriptor flags; unknown ones are ignored, as by Linux. */
static const struct abimap fdflagtab[] = {
	{ FD_CLOEXEC,	KABI_FD_CLOEXEC },
};

static const struct abimap locktypetab[] = {
	{ F_RDLCK,	KABI_F_RDLCK },
	{ F_WRLCK,	KABI_F_WRLCK },
	{ F_UNLCK,	KABI_F_UNLCK },
};

static const struct fcntlcmd *
fcntl_lookup(int hcmd)
{
	size_t i;

	for (i = 0; i < NELEM(fcntltab); i++) {
		if (fcntltab[i].host == hcmd)
			return &fcntltab[i];
	}
	return NULL;
}

static int
flock_tokern(const struct flock *h, struct kabi_flock *k)
{
	int type, whence;

	if (!map_value(locktypetab, NELEM(locktypetab), true, h->l_type,
	    &type) ||
	    !map_value(whencetab, NELEM(whencetab), true, h->l_whence, &whence))
		return KABI_EINVAL;
	memset(k, 0, sizeof(*k));
	k->l_type = (short)type;
	k->l_whence = (short)whence;
	k->l_start = h->l_start;
	k->l_len = h->l_len;
	k->l_pid = h->l_pid;
	return 0;
}

static int
flock_tohost(const struct kabi_flock *k, struct flock *h)
{
	int type, whence;

	if (!map_value(locktypetab, NELEM(locktypetab), false, k->l_type,
	    &type) ||
	    !map_value(whencetab, NELEM(whencetab), false, k->l_whence,
	    &whence))
		return KABI_EIO;
	h->l_type = (short)type;
	h->l_whence = (short)whence;
	h->l_start = k->l_start;
	h->l_len = k->l_len;
	h->l_pid = k->l_pid;
	return 0;
}

int
rumpuser_abi_fcntl_tokern(int hcmd, va_list *ap, int *kcmdp, void **kargp,
    struct kabi_flock *kfl, struct flock **hflp)
{
	const struct fcntlcmd *fc;
	struct flock *hfl;
	int error, kv = 0;

	*kargp = NULL;
	*hflp = NULL;
	if ((fc = fcntl_lookup(hcmd)) == NULL)
		return KABI_EINVAL;
	*kcmdp = fc->kern;
	switch (fc->arg) {
	case FARG_NONE:
		return 0;
	case FARG_INT:
		kv = va_arg(*ap, int);
		break;
	case FARG_FDFLAGS:
		kv = map_flags(fdflagtab, NELEM(fdflagtab), true,
		    va_arg(*ap, int), NULL);
		break;
	case FARG_OFLAGS:
		error = rumpuser_abi_oflags_tokern(va_arg(*ap, int), &kv);
		if (error != 0)
			return error;
		break;
	case FARG_LOCK:
		hfl = va_arg(*ap, struct flock *);
		if (hfl == NULL)
			return KABI_EFAULT;
		error = flock_tokern(hfl, kfl);
		if (error != 0)
			return error;
		*hflp = hfl;
		*kargp = kfl;
		return 0;
	}
	/* An int argument travels in the pointer's slot. */
	*kargp = (void *)(intptr_t)kv;
	return 0;
}

int
rumpuser_abi_fcntl_tohost(int hcmd, int64_t *rvp, const struct kabi_flock *kfl,
    struct flock *hfl)
{
	const struct fcntlcmd *fc;
	int error, hv;

	if ((fc = fcntl_lookup(hcmd)) == NULL)
		return KABI_EINVAL;
	if ((fc->res == FRES_FDFLAGS || fc->res == FRES_OFLAGS) &&
	    (*rvp < 0 || *rvp > INT_MAX))
		return KABI_EIO;
	switch (fc->res) {
	case FRES_VALUE:
		break;
	case FRES_FDFLAGS:
		*rvp = map_flags(fdflagtab, NELEM(fdflagtab), false, (int)*rvp,
		    NULL);
		break;
	case FRES_OFLAGS:
		error = rumpuser_abi_oflags_tohost((int)*rvp, &hv);
		if (error != 0)
			return error;
		*rvp = hv;
		break;
	case FRES_LOCK:
		if (hfl == NULL)
			return KABI_EFAULT;
		return flock_tohost(kfl, hfl);
	}
	return 0;
}

/*
 * Sockets
 */

static const struct abimap sockdomaintab[] = {
	{ AF_UNSPEC,	KABI_AF_UNSPEC },
	{ AF_UNIX,	KABI_AF_LOCAL },
	{ AF_INET,	KABI_AF_INET },
};

static const struct abimap socktypetab[] = {
	{ SOCK_STREAM,		KABI_SOCK_STREAM },
	{ SOCK_DGRAM,		KABI_SOCK_DGRAM },
	{ SOCK_RAW,		KABI_SOCK_RAW },
	{ SOCK_SEQPACKET,	KABI_SOCK_SEQPACKET },
};

static const struct abimap sockflagtab[] = {
	{ SOCK_NONBLOCK,	KABI_SOCK_NONBLOCK },
	{ SOCK_CLOEXEC,		KABI_SOCK_CLOEXEC },
};

static const struct abimap msgflagtab[] = {
	{ MSG_OOB,		KABI_MSG_OOB },
	{ MSG_PEEK,		KABI_MSG_PEEK },
	{ MSG_DONTROUTE,	KABI_MSG_DONTROUTE },
	{ MSG_EOR,		KABI_MSG_EOR },
	{ MSG_TRUNC,		KABI_MSG_TRUNC },
	{ MSG_CTRUNC,		KABI_MSG_CTRUNC },
	{ MSG_WAITALL,		KABI_MSG_WAITALL },
	{ MSG_DONTWAIT,		KABI_MSG_DONTWAIT },
	{ MSG_NOSIGNAL,		KABI_MSG_NOSIGNAL },
	{ MSG_CMSG_CLOEXEC,	KABI_MSG_CMSG_CLOEXEC },
};

int
rumpuser_abi_sockdomain_tokern(int hdom, int *kdomp)
{

	if (hdom == AF_UNSPEC ||
	    !map_value(sockdomaintab, NELEM(sockdomaintab), true, hdom, kdomp))
		return KABI_EAFNOSUPPORT;
	return 0;
}

int
rumpuser_abi_sockflags_tokern(int hflags, int *kflagsp)
{

	return strictflags(sockflagtab, NELEM(sockflagtab), hflags, kflagsp);
}

int
rumpuser_abi_socktype_tokern(int htype, int *ktypep)
{
	int ktype, kflags, error;

	if (!map_value(socktypetab, NELEM(socktypetab), true, htype & 0xf,
	    &ktype))
		return KABI_EINVAL;
	if ((error = rumpuser_abi_sockflags_tokern(htype & ~0xf,
	    &kflags)) != 0)
		return error;
	*ktypep = ktype | kflags;
	return 0;
}

int
rumpuser_abi_msgflags_tokern(int hflags, int *kflagsp)
{

	return strictflags(msgflagtab, NELEM(msgflagtab), hflags, kflagsp);
}

int
rumpuser_abi_msgflags_tohost(int kflags)
{
	int rest;

	return map_flags(msgflagtab, NELEM(msgflagtab), false, kflags, &rest);
}

/*
 * AF_UNIX: the name's bytes up to its NUL or the length given.  A name
 * starting with NUL (Linux's abstract names) is not supported; the
 * family alone is an unnamed address (autobind is not done).
 */
static int
sun_tokern(const struct sockaddr *hsa, socklen_t hlen,
    struct kabi_sockaddr_storage *ksa, uint32_t *klenp)
{
	const struct sockaddr_un *hsun = (const void *)hsa;
	struct kabi_sockaddr_un ksun;
	size_t off = offsetof(struct sockaddr_un, sun_path), n;

	if (hlen > sizeof(*hsun))
		hlen = sizeof(*hsun);
	n = hlen > off ? strnlen(hsun->sun_path, hlen - off) : 0;
	if (hlen > off && n == 0)
		return KABI_EINVAL;	/* abstract, or empty */
	if (n >= sizeof(ksun.sun_path))
		return KABI_ENAMETOOLONG;
	memset(&ksun, 0, sizeof(ksun));
	ksun.sun_family = KABI_AF_LOCAL;
	memcpy(ksun.sun_path, hsun->sun_path, n);
	ksun.sun_len = (uint8_t)(offsetof(struct kabi_sockaddr_un, sun_path) +
	    n);
	memcpy(ksa, &ksun, sizeof(ksun));
	*klenp = ksun.sun_len;
	return 0;
}

static int
sun_tohost(const struct kabi_sockaddr_storage *ksa, uint32_t klen,
    struct sockaddr *hsa, socklen_t *hlenp)
{
	struct kabi_sockaddr_un ksun;
	struct sockaddr_un hsun;
	socklen_t have = *hlenp;
	size_t koff = offsetof(struct kabi_sockaddr_un, sun_path), n;

	memset(&ksun, 0, sizeof(ksun));
	memcpy(&ksun, ksa, klen < sizeof(ksun) ? klen : sizeof(ksun));
	n = klen > koff ? strnlen(ksun.sun_path, klen - koff) : 0;
	if (n >= sizeof(ksun.sun_path))
		return KABI_EIO;
	memset(&hsun, 0, sizeof(hsun));
	hsun.sun_family = AF_UNIX;
	memcpy(hsun.sun_path, ksun.sun_path, n);
	/* Linux counts the NUL of a name. */
	*hlenp = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    (n > 0 ? n + 1 : 0));
	memcpy(hsa, &hsun, have < *hlenp ? have : *hlenp);
	return 0;
}

int
rumpuser_abi_sockaddr_tokern(const struct sockaddr *hsa, socklen_t hlen,
    struct kabi_sockaddr_storage *ksa, uint32_t *klenp)
{
	const struct sockaddr_in *hsin;
	struct kabi_sockaddr_in ksin;

	memset(ksa, 0, sizeof(*ksa));
	if (hlen < sizeof(sa_family_t))
		return KABI_EINVAL;
	switch (hsa->sa_family) {
	case AF_UNSPEC:
		ksa->ss_len = 2;
		ksa->ss_family = KABI_AF_UNSPEC;
		*klenp = 2;
		return 0;
	case AF_INET:
		if (hlen < sizeof(*hsin))
			return KABI_EINVAL;
		hsin = (const struct sockaddr_in *)(const void *)hsa;
		memset(&ksin, 0, sizeof(ksin));
		ksin.sin_len = sizeof(ksin);
		ksin.sin_family = KABI_AF_INET;
		ksin.sin_port = hsin->sin_port;
		ksin.sin_addr.s_addr = hsin->sin_addr.s_addr;
		memcpy(ksa, &ksin, sizeof(ksin));
		*klenp = sizeof(ksin);
		return 0;
	case AF_UNIX:
		return sun_tokern(hsa, hlen, ksa, klenp);
	default:
		return KABI_EAFNOSUPPORT;
	}
}

int
rumpuser_abi_sockaddr_tohost(const struct kabi_sockaddr_storage *ksa,
    uint32_t klen, struct sockaddr *hsa, socklen_t *hlenp)
{
	struct kabi_sockaddr_in ksin;
	struct sockaddr_in hsin;
	socklen_t have = *hlenp;

	if (klen == 0) {		/* no address (an unnamed sender) */
		*hlenp = 0;
		return 0;
	}
	if (klen < 2 || klen > sizeof(*ksa) || ksa->ss_len > klen)
		return KABI_EIO;
	switch (ksa->ss_family) {
	case KABI_AF_INET:
		if (klen < sizeof(ksin))
			return KABI_EIO;
		memcpy(&ksin, ksa, sizeof(ksin));
		memset(&hsin, 0, sizeof(hsin));
		hsin.sin_family = AF_INET;
		hsin.sin_port = ksin.sin_port;
		hsin.sin_addr.s_addr = ksin.sin_addr.s_addr;
		memcpy(hsa, &hsin, have < sizeof(hsin) ? have : sizeof(hsin));
		*hlenp = sizeof(hsin);
		return 0;
	case KABI_AF_LOCAL:
		return sun_tohost(ksa, klen, hsa, hlenp);
	case KABI_AF_UNSPEC:
		*hlenp = 0;
		return 0;
	default:
		return KABI_EAFNOSUPPORT;
	}
}

static int
msghdr_common(const struct msghdr *h, struct kabi_msghdr *k)
{

	memset(k, 0, sizeof(*k));
	if (h->msg_iovlen > INT32_MAX || h->msg_namelen > INT32_MAX)
		return KABI_EMSGSIZE;
	if (h->msg_control != NULL && h->msg_controllen != 0)
		return KABI_EOPNOTSUPP;
	/* struct iovec has the kernel's layout (asserted by the stubs). */
	k->msg_iov = (struct kabi_iovec *)(void *)h->msg_iov;
	k->msg_iovlen = (int32_t)h->msg_iovlen;
	return 0;
}

int
rumpuser_abi_msghdr_tokern(const struct msghdr *h, struct kabi_msghdr *k,
    struct kabi_sockaddr_storage *kname)
{
	uint32_t klen;
	int error;

	if ((error = msghdr_common(h, k)) != 0)
		return error;
	if (h->msg_name != NULL && h->msg_namelen != 0) {
		if ((error = rumpuser_abi_sockaddr_tokern(h->msg_name,
		    h->msg_namelen, kname, &klen)) != 0)
			return error;
		k->msg_name = kname;
		k->msg_namelen = klen;
	}
	return 0;
}

int
rumpuser_abi_msghdr_out_tokern(const struct msghdr *h, struct kabi_msghdr *k,
    struct kabi_sockaddr_storage *kname)
{
	int error;

	if ((error = msghdr_common(h, k)) != 0)
		return error;
	if (h->msg_name != NULL) {
		memset(kname, 0, sizeof(*kname));
		k->msg_name = kname;
		k->msg_namelen = sizeof(*kname);
	}
	return 0;
}

int
rumpuser_abi_msghdr_tohost(const struct kabi_msghdr *k,
    const struct kabi_sockaddr_storage *kname, struct msghdr *h)
{
	socklen_t hlen;
	int error;

	if (h->msg_name != NULL) {
		hlen = h->msg_namelen;
		if ((error = rumpuser_abi_sockaddr_tohost(kname,
		    k->msg_namelen, h->msg_name, &hlen)) != 0)
			return error;
		h->msg_namelen = hlen;
	}
	h->msg_controllen = 0;
	h->msg_flags = rumpuser_abi_msgflags_tohost(k->msg_flags);
	return 0;
}

/* The options: level and name of the host, of the kernel, the value's kind. */
enum sockopt_kind { SOPT_INT, SOPT_LINGER, SOPT_TIMEVAL, SOPT_ERRNO,
	SOPT_DOMAIN };

static const struct {
	int	hlevel, hname;
	int	klevel, kname;
	enum sockopt_kind kind;
} sockopttab[] = {
	{ SOL_SOCKET, SO_DEBUG, KABI_SOL_SOCKET, KABI_SO_DEBUG, SOPT_INT },
	{ SOL_SOCKET, SO_REUSEADDR, KABI_SOL_SOCKET, KABI_SO_REUSEADDR,
	    SOPT_INT },
	{ SOL_SOCKET, SO_REUSEPORT, KABI_SOL_SOCKET, KABI_SO_REUSEPORT,
	    SOPT_INT },
	{ SOL_SOCKET, SO_KEEPALIVE, KABI_SOL_SOCKET, KABI_SO_KEEPALIVE,
	    SOPT_INT },
	{ SOL_SOCKET, SO_DONTROUTE, KABI_SOL_SOCKET, KABI_SO_DONTROUTE,
	    SOPT_INT },
	{ SOL_SOCKET, SO_BROADCAST, KABI_SOL_SOCKET, KABI_SO_BROADCAST,
	    SOPT_INT },
	{ SOL_SOCKET, SO_OOBINLINE, KABI_SOL_SOCKET, KABI_SO_OOBINLINE,
	    SOPT_INT },
	{ SOL_SOCKET, SO_LINGER, KABI_SOL_SOCKET, KABI_SO_LINGER,
	    SOPT_LINGER },
	{ SOL_SOCKET, SO_SNDBUF, KABI_SOL_SOCKET, KABI_SO_SNDBUF, SOPT_INT },
	{ SOL_SOCKET, SO_RCVBUF, KABI_SOL_SOCKET, KABI_SO_RCVBUF, SOPT_INT },
	{ SOL_SOCKET, SO_SNDLOWAT, KABI_SOL_SOCKET, KABI_SO_SNDLOWAT,
	    SOPT_INT },
	{ SOL_SOCKET, SO_RCVLOWAT, KABI_SOL_SOCKET, KABI_SO_RCVLOWAT,
	    SOPT_INT },
	{ SOL_SOCKET, SO_SNDTIMEO, KABI_SOL_SOCKET, KABI_SO_SNDTIMEO,
	    SOPT_TIMEVAL },
	{ SOL_SOCKET, SO_RCVTIMEO, KABI_SOL_SOCKET, KABI_SO_RCVTIMEO,
	    SOPT_TIMEVAL },
	{ SOL_SOCKET, SO_ERROR, KABI_SOL_SOCKET, KABI_SO_ERROR, SOPT_ERRNO },
	{ SOL_SOCKET, SO_TYPE, KABI_SOL_SOCKET, KABI_SO_TYPE, SOPT_INT },
	{ SOL_SOCKET, SO_ACCEPTCONN, KABI_SOL_SOCKET, KABI_SO_ACCEPTCONN,
	    SOPT_INT },
	{ SOL_SOCKET, SO_DOMAIN, KABI_SOL_SOCKET, KABI_SO_DOMAIN,
	    SOPT_DOMAIN },
	{ SOL_SOCKET, SO_PROTOCOL, KABI_SOL_SOCKET, KABI_SO_PROTOCOL,
	    SOPT_INT },
	{ IPPROTO_IP, IP_TOS, KABI_IPPROTO_IP, KABI_IP_TOS, SOPT_INT },
	{ IPPROTO_IP, IP_TTL, KABI_IPPROTO_IP, KABI_IP_TTL, SOPT_INT },
	{ IPPROTO_IP, IP_HDRINCL, KABI_IPPROTO_IP, KABI_IP_HDRINCL,
	    SOPT_INT },
	{ IPPROTO_TCP, TCP_NODELAY, KABI_IPPROTO_TCP, KABI_TCP_NODELAY,
	    SOPT_INT },
	{ IPPROTO_TCP, TCP_MAXSEG, KABI_IPPROTO_TCP, KABI_TCP_MAXSEG,
	    SOPT_INT },
	{ IPPROTO_TCP, TCP_KEEPIDLE, KABI_IPPROTO_TCP, KABI_TCP_KEEPIDLE,
	    SOPT_INT },
	{ IPPROTO_TCP, TCP_KEEPINTVL, KABI_IPPROTO_TCP, KABI_TCP_KEEPINTVL,
	    SOPT_INT },
	{ IPPROTO_TCP, TCP_KEEPCNT, KABI_IPPROTO_TCP, KABI_TCP_KEEPCNT,
	    SOPT_INT },
};

static int
sockopt_find(int hlevel, int hname)
{
	size_t i;

	for (i = 0; i < NELEM(sockopttab); i++) {
		if (sockopttab[i].hlevel == hlevel &&
		    sockopttab[i].hname == hname)
			return (int)i;
	}
	return -1;
}

int
rumpuser_abi_sockoptname_tokern(int hlevel, int hname, int *klevelp,
    int *knamep)
{
	int i;

	if ((i = sockopt_find(hlevel, hname)) < 0)
		return KABI_ENOPROTOOPT;
	*klevelp = sockopttab[i].klevel;
	*knamep = sockopttab[i].kname;
	return 0;
}

int
rumpuser_abi_sockopt_tokern(int hlevel, int hname, const void *hval,
    socklen_t hsize, int *klevelp, int *knamep, void *kval, uint32_t *ksizep)
{
	struct kabi_linger kl;
	struct kabi_timeval ktv;
	struct linger hl;
	struct timeval htv;
	int i, v;

	if ((i = sockopt_find(hlevel, hname)) < 0)
		return KABI_ENOPROTOOPT;
	*klevelp = sockopttab[i].klevel;
	*knamep = sockopttab[i].kname;
	if (hval == NULL)
		return KABI_EFAULT;
	switch (sockopttab[i].kind) {
	case SOPT_LINGER:
		if (hsize < sizeof(hl))
			return KABI_EINVAL;
		memcpy(&hl, hval, sizeof(hl));
		kl.l_onoff = hl.l_onoff;
		kl.l_linger = hl.l_linger;
		memcpy(kval, &kl, sizeof(kl));
		*ksizep = sizeof(kl);
		return 0;
	case SOPT_TIMEVAL:
		if (hsize < sizeof(htv))
			return KABI_EINVAL;
		memcpy(&htv, hval, sizeof(htv));
		ktv.tv_sec = htv.tv_sec;
		ktv.tv_usec = htv.tv_usec;
		memcpy(kval, &ktv, sizeof(ktv));
		*ksizep = sizeof(ktv);
		return 0;
	default:
		/* Linux takes a short value as a byte-sized int too. */
		if (hsize >= sizeof(int))
			memcpy(&v, hval, sizeof(v));
		else if (hsize >= 1)
			v = *(const unsigned char *)hval;
		else
			return KABI_EINVAL;
		memcpy(kval, &v, sizeof(v));
		*ksizep = sizeof(v);
		return 0;
	}
}

int
rumpuser_abi_sockopt_tohost(int hlevel, int hname, const void *kval,
    uint32_t ksize, void *hval, socklen_t *hsizep)
{
	struct kabi_linger kl;
	struct kabi_timeval ktv;
	struct linger hl;
	struct timeval htv;
	const void *src;
	size_t len;
	int i, v;

	if ((i = sockopt_find(hlevel, hname)) < 0)
		return KABI_ENOPROTOOPT;
	switch (sockopttab[i].kind) {
	case SOPT_LINGER:
		if (ksize < sizeof(kl))
			return KABI_EIO;
		memcpy(&kl, kval, sizeof(kl));
		hl.l_onoff = kl.l_onoff;
		hl.l_linger = kl.l_linger;
		src = &hl;
		len = sizeof(hl);
		break;
	case SOPT_TIMEVAL:
		if (ksize < sizeof(ktv))
			return KABI_EIO;
		memcpy(&ktv, kval, sizeof(ktv));
		htv.tv_sec = ktv.tv_sec;
		htv.tv_usec = ktv.tv_usec;
		src = &htv;
		len = sizeof(htv);
		break;
	default:
		if (ksize < sizeof(v))
			return KABI_EIO;
		memcpy(&v, kval, sizeof(v));
		if (sockopttab[i].kind == SOPT_ERRNO)
			v = v == 0 ? 0 : rumpuser_abi_errno_tohost(v);
		else if (sockopttab[i].kind == SOPT_DOMAIN &&
		    !map_value(sockdomaintab, NELEM(sockdomaintab), false, v,
		    &v))
			return KABI_EIO;
		else if (sockopttab[i].klevel == KABI_SOL_SOCKET &&
		    sockopttab[i].kname == KABI_SO_TYPE &&
		    !map_value(socktypetab, NELEM(socktypetab), false, v, &v))
			return KABI_EIO;
		src = &v;
		len = sizeof(v);
		break;
	}
	if (hval == NULL || hsizep == NULL)
		return KABI_EFAULT;
	memcpy(hval, src, *hsizep < len ? *hsizep : len);
	*hsizep = (socklen_t)len;
	return 0;
}
