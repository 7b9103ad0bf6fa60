/*
 * librumphijack's shared declarations (host code): the host's own
 * functions, descriptors that belong to the rump kernel, and paths that
 * do.  See hijack.c.
 */
#ifndef _HIJACK_H_
#define _HIJACK_H_

#include <sys/types.h>
#include <stdbool.h>

/*
 * The host's function `name', looked up past this library once, on
 * first use (constructors of other libraries may call us before ours).
 */
void	*hijack_hostsym(const char *name);
#define HOSTFN(name)							\
	static __typeof__(name) *host_##name;				\
	static inline __typeof__(name) *				\
	hostfn_##name(void)						\
	{								\
		if (__builtin_expect(host_##name == NULL, 0))		\
			host_##name = (__typeof__(name) *)		\
			    hijack_hostsym(#name);			\
		return host_##name;					\
	}
#define HOST(name)	(hostfn_##name())

/*
 * Calls into the rump kernel run with this raised, so that the host
 * calls librumpclient makes (socket, recv, close, fork, ...) on the way
 * pass straight through our wrappers to the host.
 */
extern __thread int hijack_inrump;
#define RUMPCALL(expr) __extension__ ({					\
	__typeof__(expr) _rv;						\
	hijack_inrump++;						\
	_rv = (expr);							\
	hijack_inrump--;						\
	_rv;								\
})
/* A wrapper must go straight to the host (not set up, or inside). */
bool	hijack_bypass(void);

/*
 * Descriptors.  A kernel descriptor is shown to the program as a host
 * descriptor number that stays reserved on the host (a placeholder, an
 * O_PATH descriptor), so numbers never collide.
 */
#define HIJACK_NFD	4096
/* The kernel descriptor behind host number fd, or -1. */
int	hijack_kfd(int fd);
/*
 * Give kernel descriptor kfd a host number: the lowest free one >= min
 * (or exactly `exact' when >= 0, replacing what was there); cloexec
 * marks the placeholder close-on-exec.  Returns the number, or -1 with
 * errno (the kernel descriptor is then closed).
 */
int	hijack_fdalloc(int kfd, int min, int exact, bool cloexec);
/* Forget host number fd (the kernel descriptor is the caller's). */
void	hijack_fdfree(int fd);

/*
 * Paths.  A path belongs to the kernel when it is under the prefix
 * (path=, default /rump), or is relative while the working directory
 * is in the kernel.  Returns the kernel's name for it (a suffix of
 * path, or "/"), or NULL for a host path.
 */
const char *hijack_kpath(const char *path);
/*
 * For the *at() calls: true if (dirfd, path) is the kernel's, with the
 * kernel's descriptor and name in *kdirfd and *kpath.
 */
bool	hijack_katpath(int dirfd, const char *path, int *kdirfd,
	    const char **kpath);

/*
 * Descriptor fd (0, 1 or 2) is the kernel's: stdin, stdout or stderr
 * becomes a stream of ours on it, since the C library's own writes
 * through calls we do not see (hijack_dir.c).
 */
void	hijack_stdstream(int fd);

/* fd is closed: it leaves the epoll sets (hijack_poll.c). */
void	hijack_epoll_forget(int fd);

/* A struct statfs from the kernel's statvfs (hijack_path.c). */
struct statvfs;
struct statfs;
void	hijack_statfs(const struct statvfs *, struct statfs *);

/* Sockets of this domain (AF_*) go to the kernel (socket=). */
bool	hijack_ksocket(int domain);

#endif /* !_HIJACK_H_ */
