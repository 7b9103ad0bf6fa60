/*
 * The boundary translation module: converts between the host's ABI
 * (errno values, flags, commands, structures) and the rump kernel's own.
 * Host-side code: used by librumpuser for hypercall errors, by the
 * generated rump_sys_*() stubs, and by librumpclient.  The kernel-side
 * values and layouts come from the generated "kabi.h".
 *
 * Conventions: *_tokern(host value, &kernel value) returns 0 or a
 * *kernel* errno (the stubs turn it into the host's with
 * rumpuser_abi_errno_tohost()); structure copies that cannot fail return
 * nothing.  Results coming back from the kernel are checked like any
 * other input: a malformed one is EIO, never a crash.
 */
#ifndef _RUMPUSER_ABI_H_
#define _RUMPUSER_ABI_H_

#include <sys/types.h>

#include <poll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct flock;
struct stat;
struct statvfs;
struct kabi_flock;
struct kabi_pollfd;
struct kabi_stat;
struct kabi_statvfs;
struct kabi_timespec;

/* errno.  Unknown values map to EIO (or the kernel's EIO). */
int	rumpuser_abi_errno_tohost(int kerr);
int	rumpuser_abi_errno_tokern(int herr);

/* Clocks and times. */
int	rumpuser_abi_clockid_tokern(clockid_t hclk, int *kclkp);
void	rumpuser_abi_timespec_tokern(const struct timespec *,
	    struct kabi_timespec *);
void	rumpuser_abi_timespec_tohost(const struct kabi_timespec *,
	    struct timespec *);
/* utimensat(): the two times, with UTIME_NOW and UTIME_OMIT. */
void	rumpuser_abi_timespec2_tokern(const struct timespec *hts,
	    struct kabi_timespec *kts);

/*
 * open() flags.  Unknown host bits are ignored like Linux does; bits the
 * kernel cannot honour (O_PATH, O_TMPFILE, O_ASYNC) fail.
 * tohost drops kernel bits the host has no name for; a bad access mode
 * is EIO.  needmode says whether open() with these flags takes a mode
 * argument.
 */
int	rumpuser_abi_oflags_tokern(int hflags, int *kflagsp);
int	rumpuser_abi_oflags_tohost(int kflags, int *hflagsp);
int	rumpuser_abi_oflags_needmode(int hflags);

/*
 * The *at() calls: the directory descriptor (AT_FDCWD), the AT_* flags
 * (atflags: AT_SYMLINK_*, AT_REMOVEDIR; accflags, faccessat()'s:
 * AT_EACCESS, AT_SYMLINK_NOFOLLOW; the host gives AT_EACCESS and
 * AT_REMOVEDIR one value).  Unknown flags are EINVAL.
 */
int	rumpuser_abi_atfd_tokern(int hfd, int *kfdp);
int	rumpuser_abi_atflags_tokern(int hflags, int *kflagsp);
int	rumpuser_abi_accflags_tokern(int hflags, int *kflagsp);
/* renameat2() flags: RENAME_*; unknown ones are EINVAL. */
int	rumpuser_abi_renameflags_tokern(unsigned int hflags,
	    unsigned int *kflagsp);

/* access() modes, lseek() whence. */
int	rumpuser_abi_accmode_tokern(int hmode, int *kmodep);
int	rumpuser_abi_whence_tokern(int hwhence, int *kwhencep);

/* Device numbers; a kernel dev_t is a uint64_t. */
int	rumpuser_abi_devt_tokern(dev_t hdev, uint64_t *kdevp);
dev_t	rumpuser_abi_devt_tohost(uint64_t kdev);

/* struct stat and struct statvfs, filled by the kernel. */
void	rumpuser_abi_stat_tohost(const struct kabi_stat *, struct stat *);
void	rumpuser_abi_statvfs_tohost(const struct kabi_statvfs *,
	    struct statvfs *);

/*
 * getdents(): rewrite the kernel's records in buf, *lenp bytes of
 * bufsize, in place as the host's (Linux getdents64 records), and set
 * *lenp to their length.  Malformed records are EIO.
 */
int	rumpuser_abi_dirents_tohost(void *buf, size_t bufsize, int64_t *lenp);

/*
 * poll(): make the kernel's copy of hfds, in small (nsmall entries) if it
 * fits, else allocated; then copy the results back, and free it.  More
 * than 65536 descriptors are EINVAL.
 */
#define RUMPUSER_ABI_POLL_SMALL	16
int	rumpuser_abi_pollfds_tokern(const struct pollfd *hfds, nfds_t nfds,
	    struct kabi_pollfd *small, size_t nsmall,
	    struct kabi_pollfd **kfdsp);
void	rumpuser_abi_pollfds_tohost(const struct kabi_pollfd *kfds,
	    struct pollfd *hfds, nfds_t nfds);
void	rumpuser_abi_pollfds_free(struct kabi_pollfd *kfds,
	    struct kabi_pollfd *small);

/*
 * fcntl(): translate host command hcmd and read its argument from *ap as
 * the host command says.  *kargp gets the kernel's `void *arg': an int
 * value, or kfl for the lock commands (whose host lock is left in *hflp).
 * After a successful call, tohost translates the result (*rvp) and, for
 * F_GETLK, the lock back into hfl.  Unknown commands are EINVAL.
 */
int	rumpuser_abi_fcntl_tokern(int hcmd, va_list *ap, int *kcmdp,
	    void **kargp, struct kabi_flock *kfl, struct flock **hflp);
int	rumpuser_abi_fcntl_tohost(int hcmd, int64_t *rvp,
	    const struct kabi_flock *kfl, struct flock *hfl);

/*
 * Sockets.  Domains (AF_*), types with SOCK_NONBLOCK and SOCK_CLOEXEC,
 * accept4() flags and MSG_* flags; unknown values are EINVAL (an
 * unknown domain EAFNOSUPPORT).
 */
int	rumpuser_abi_sockdomain_tokern(int hdom, int *kdomp);
int	rumpuser_abi_socktype_tokern(int htype, int *ktypep);
int	rumpuser_abi_sockflags_tokern(int hflags, int *kflagsp);
int	rumpuser_abi_msgflags_tokern(int hflags, int *kflagsp);
int	rumpuser_abi_msgflags_tohost(int kflags);

/*
 * Socket addresses: the host's (hlen bytes) into the kernel's layout
 * (*klenp bytes); back, the kernel's (klen bytes) into the host's buffer
 * of *hlenp bytes, cut to fit, *hlenp set to its whole length.
 * Families: AF_INET, AF_UNSPEC.
 */
struct sockaddr;
struct msghdr;
struct kabi_sockaddr_storage;
struct kabi_msghdr;
int	rumpuser_abi_sockaddr_tokern(const struct sockaddr *hsa,
	    socklen_t hlen, struct kabi_sockaddr_storage *ksa,
	    uint32_t *klenp);
int	rumpuser_abi_sockaddr_tohost(const struct kabi_sockaddr_storage *ksa,
	    uint32_t klen, struct sockaddr *hsa, socklen_t *hlenp);

/*
 * sendmsg(), recvmsg(): the header in the kernel's layout, its address
 * converted into kname (in), or kname as the kernel's buffer for the
 * sender's address (out, copied back by tohost with the flags).
 * Control data is not supported yet (EOPNOTSUPP).
 */
int	rumpuser_abi_msghdr_tokern(const struct msghdr *h,
	    struct kabi_msghdr *k, struct kabi_sockaddr_storage *kname);
int	rumpuser_abi_msghdr_out_tokern(const struct msghdr *h,
	    struct kabi_msghdr *k, struct kabi_sockaddr_storage *kname);
int	rumpuser_abi_msghdr_tohost(const struct kabi_msghdr *k,
	    const struct kabi_sockaddr_storage *kname, struct msghdr *h);

/*
 * Socket options: the level and name, and the value (into kval, at most
 * RUMPUSER_ABI_SOCKOPT_MAX bytes) for setsockopt; for getsockopt the
 * value back into the host's buffer of *hsizep bytes.  Unknown options
 * are ENOPROTOOPT.
 */
#define RUMPUSER_ABI_SOCKOPT_MAX	128
int	rumpuser_abi_sockoptname_tokern(int hlevel, int hname, int *klevelp,
	    int *knamep);
int	rumpuser_abi_sockopt_tokern(int hlevel, int hname, const void *hval,
	    socklen_t hsize, int *klevelp, int *knamep, void *kval,
	    uint32_t *ksizep);
int	rumpuser_abi_sockopt_tohost(int hlevel, int hname, const void *kval,
	    uint32_t ksize, void *hval, socklen_t *hsizep);

/*
 * select(): the first nd descriptors of a set (EINVAL if nd is beyond
 * either side's FD_SETSIZE); the others are clear.
 */
struct kabi_fd_set;
struct kabi_timeval;
int	rumpuser_abi_fdset_tokern(const fd_set *hs, int nd,
	    struct kabi_fd_set *ks);
void	rumpuser_abi_fdset_tohost(const struct kabi_fd_set *ks, int nd,
	    fd_set *hs);
void	rumpuser_abi_timeval_tokern(const struct timeval *htv,
	    struct kabi_timeval *ktv);

/*
 * ioctl(): the commands the boundary knows (<rump/rump_net.h> lists
 * them), each with a kernel copy of its argument.  tokern fills *io (the
 * kernel's command and argument); tohost, given the kernel's error,
 * copies results to the caller's argument and releases what tokern
 * took.  Unknown commands are ENOTTY.
 */
struct rumpuser_abi_ioctl {
	unsigned long	kcmd;
	void		*karg;
	void		*kheap;		/* SIOCGIFCONF's records */
	size_t		kheaplen;
	uint64_t	kbuf[36];	/* the kernel's argument */
};
int	rumpuser_abi_ioctl_tokern(unsigned long hcmd, void *harg,
	    struct rumpuser_abi_ioctl *io);
int	rumpuser_abi_ioctl_tohost(unsigned long hcmd, int kerror,
	    struct rumpuser_abi_ioctl *io, void *harg);

#endif /* !_RUMPUSER_ABI_H_ */
