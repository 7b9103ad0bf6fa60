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
#include <sys/sysmacros.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
