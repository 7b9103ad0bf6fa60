/*
 * librumphijack: an unmodified program's file calls under a path prefix
 * and its socket calls go to a rump kernel in another process, the rest
 * to the host (host code, loaded with LD_PRELOAD).  RUMP_SERVER names
 * the server; RUMPHIJACK says what to take:
 *
 *	path=PREFIX	file calls on PREFIX (default /rump) and below, with
 *			the prefix cut off; "none" takes no paths
 *	socket=WHICH	all (the default), none, inet (AF_INET), or
 *			inet+local (AF_INET and AF_UNIX)
 *
 * Options are separated by commas.  This file: setup, descriptors,
 * paths, and the calls on names and descriptors; hijack_dir.c has
 * directory streams and stdio, hijack_poll.c poll, select and epoll.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <linux/close_range.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>

#include "hijack.h"

#define FDMAP_ENV	"RUMPHIJACK__FDMAP"
#define CWD_ENV		"RUMPHIJACK__CWD"

__thread int hijack_inrump;

static bool ready;			/* set up, and connected */
static char prefix[256] = "/rump";	/* path=, "" for none */
static size_t prefixlen = 5;
static enum { SOCK_ALL, SOCK_NONE, SOCK_INET, SOCK_INETLOCAL } socks;
static bool cwd_rump;			/* the working directory is ours */
static int placeholder_src = -1;	/* what placeholders are dups of */

/* Host number -> kernel descriptor + 1 (0: the host's). */
static int fdmap[HIJACK_NFD];
static pthread_mutex_t fdmtx = PTHREAD_MUTEX_INITIALIZER;

void *
hijack_hostsym(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (f == NULL) {
		fprintf(stderr, "rumphijack: no host function %s\n", name);
		abort();
	}
	return f;
}

HOSTFN(open)
HOSTFN(close)
HOSTFN(dup)
HOSTFN(dup2)
HOSTFN(dup3)
HOSTFN(fcntl)
HOSTFN(chdir)
HOSTFN(fchdir)
HOSTFN(getcwd)
HOSTFN(fork)
HOSTFN(execve)
HOSTFN(execvpe)

bool
hijack_bypass(void)
{

	return !ready || hijack_inrump > 0;
}

/*
 * Descriptors
 */

int
hijack_kfd(int fd)
{

	if (fd < 0 || fd >= HIJACK_NFD)
		return -1;
	return __atomic_load_n(&fdmap[fd], __ATOMIC_RELAXED) - 1;
}

int
hijack_fdalloc(int kfd, int min, int exact, bool cloexec)
{
	int fd, error, okfd;

	pthread_mutex_lock(&fdmtx);
	if (exact >= HIJACK_NFD) {
		fd = -1;
		errno = EMFILE;
	} else if (exact >= 0) {
		fd = HOST(dup3)(placeholder_src, exact, cloexec ? O_CLOEXEC : 0);
		/* What was there is gone: a kernel descriptor too. */
		if (fd >= 0 && (okfd = fdmap[fd] - 1) >= 0)
			RUMPCALL(rump_sys_close(okfd));
	} else
		fd = HOST(fcntl)(placeholder_src,
		    cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, min);
	if (fd >= HIJACK_NFD) {
		HOST(close)(fd);
		fd = -1;
		errno = EMFILE;
	}
	if (fd < 0) {
		error = errno;
		pthread_mutex_unlock(&fdmtx);
		RUMPCALL(rump_sys_close(kfd));
		errno = error;
		return -1;
	}
	fdmap[fd] = kfd + 1;
	pthread_mutex_unlock(&fdmtx);
	return fd;
}

void
hijack_fdfree(int fd)
{

	pthread_mutex_lock(&fdmtx);
	fdmap[fd] = 0;
	pthread_mutex_unlock(&fdmtx);
}

/*
 * Our own descriptors (the connection, the placeholders' source): a
 * program that closes or overwrites them does not get to.
 */
static bool
reserved(int fd)
{

	return fd == placeholder_src || fd == rumpclient_fd();
}

/* A new kernel descriptor (or -1 from the kernel) gets a host number. */
static int
newfd(int kfd, bool cloexec)
{

	if (kfd == -1)
		return -1;
	return hijack_fdalloc(kfd, 0, -1, cloexec);
}

/*
 * Paths
 */

const char *
hijack_kpath(const char *path)
{

	if (path == NULL)
		return NULL;
	if (path[0] != '/')
		return cwd_rump ? path : NULL;
	if (prefixlen == 0 || strncmp(path, prefix, prefixlen) != 0)
		return NULL;
	if (path[prefixlen] == '\0')
		return "/";
	if (path[prefixlen] != '/')
		return NULL;
	return path + prefixlen;
}

bool
hijack_katpath(int dirfd, const char *path, int *kdirfd, const char **kpath)
{
	int kfd;

	if (path != NULL && path[0] == '/') {
		*kdirfd = AT_FDCWD;
		return (*kpath = hijack_kpath(path)) != NULL;
	}
	if (dirfd == AT_FDCWD) {
		*kdirfd = AT_FDCWD;
		*kpath = path;
		return cwd_rump;
	}
	if ((kfd = hijack_kfd(dirfd)) < 0)
		return false;
	*kdirfd = kfd;
	*kpath = path;
	return true;
}

bool
hijack_ksocket(int domain)
{

	switch (socks) {
	case SOCK_ALL:
		return true;
	case SOCK_INET:
		return domain == AF_INET;
	case SOCK_INETLOCAL:
		return domain == AF_INET || domain == AF_UNIX;
	default:
		return false;
	}
}

/*
 * Setup
 */

static void
parse_config(void)
{
	char buf[512], *s, *opt, *val;
	const char *env = getenv("RUMPHIJACK");

	if (env == NULL)
		return;
	snprintf(buf, sizeof(buf), "%s", env);
	for (s = buf; (opt = strsep(&s, ",")) != NULL;) {
		if ((val = strchr(opt, '=')) == NULL)
			goto bad;
		*val++ = '\0';
		if (strcmp(opt, "path") == 0) {
			if (strcmp(val, "none") == 0)
				val = "";
			else if (val[0] != '/' || strlen(val) >= sizeof(prefix))
				goto bad;
			snprintf(prefix, sizeof(prefix), "%s", val);
			prefixlen = strlen(prefix);
			while (prefixlen > 1 && prefix[prefixlen - 1] == '/')
				prefix[--prefixlen] = '\0';
			if (strcmp(prefix, "/") == 0)
				goto bad;
		} else if (strcmp(opt, "socket") == 0) {
			if (strcmp(val, "all") == 0)
				socks = SOCK_ALL;
			else if (strcmp(val, "none") == 0)
				socks = SOCK_NONE;
			else if (strcmp(val, "inet") == 0)
				socks = SOCK_INET;
			else if (strcmp(val, "inet+local") == 0)
				socks = SOCK_INETLOCAL;
			else
				goto bad;
		} else
			goto bad;
	}
	return;
bad:
	fprintf(stderr, "rumphijack: bad RUMPHIJACK \"%s\": expected "
	    "path=/PREFIX|none,socket=all|none|inet|inet+local\n", env);
	exit(1);
}

/* After exec: the descriptors and directory the old program had. */
static void
inherit_state(void)
{
	const char *s = getenv(FDMAP_ENV);
	int fd, kfd, n;

	if (getenv(CWD_ENV) != NULL)
		cwd_rump = true;
	while (s != NULL && sscanf(s, "%d:%d%n", &fd, &kfd, &n) == 2) {
		/* Kept only if the placeholder survived (not close-on-exec). */
		if (fd >= 0 && fd < HIJACK_NFD && kfd >= 0 &&
		    HOST(fcntl)(fd, F_GETFD) != -1)
			fdmap[fd] = kfd + 1;
		s += n;
		if (*s == ';')
			s++;
	}
	unsetenv(FDMAP_ENV);
	unsetenv(CWD_ENV);
	for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
		if (fdmap[fd] != 0)
			hijack_stdstream(fd);
}

static void __attribute__((__constructor__))
hijack_init(void)
{

	parse_config();
	placeholder_src = HOST(open)("/", O_PATH | O_CLOEXEC);
	if (placeholder_src == -1) {
		perror("rumphijack: open /");
		exit(1);
	}
	/* Out of the way of the program's own low numbers. */
	int fd = HOST(fcntl)(placeholder_src, F_DUPFD_CLOEXEC, 100);
	if (fd != -1) {
		HOST(close)(placeholder_src);
		placeholder_src = fd;
	}
	hijack_inrump++;
	if (rumpclient_init() != 0) {
		hijack_inrump--;
		fprintf(stderr, "rumphijack: cannot reach the rump kernel (%s); "
		    "everything goes to the host\n", strerror(errno));
		return;
	}
	hijack_inrump--;
	inherit_state();
	ready = true;
}

/*
 * Process calls
 */

pid_t
fork(void)
{

	if (hijack_bypass())
		return HOST(fork)();
	return RUMPCALL(rumpclient_fork());
}

pid_t
vfork(void)
{

	/* The child must have a connection of its own: a real fork. */
	return fork();
}

/*
 * The environment an exec'd program needs to carry on: the connection
 * (rumpclient), the descriptors, the directory.  Returns the variables
 * in buf, NUL-separated, and their count.
 */
static int
exec_vars(char *fdvar, size_t fdlen, char *cwdvar, size_t cwdlen)
{
	size_t off;
	int fd, n = 0;

	off = (size_t)snprintf(fdvar, fdlen, "%s=", FDMAP_ENV);
	for (fd = 0; fd < HIJACK_NFD; fd++) {
		char ent[32];
		size_t elen;

		if (fdmap[fd] == 0 || (HOST(fcntl)(fd, F_GETFD) & FD_CLOEXEC))
			continue;
		elen = (size_t)snprintf(ent, sizeof(ent), "%d:%d;", fd,
		    fdmap[fd] - 1);
		if (off + elen >= fdlen)
			break;		/* whole entries only */
		memcpy(fdvar + off, ent, elen + 1);
		off += elen;
	}
	n++;
	if (cwd_rump) {
		snprintf(cwdvar, cwdlen, "%s=1", CWD_ENV);
		n++;
	} else
		cwdvar[0] = '\0';
	return n;
}

/* envp with our variables (and the connection's) in place of old ones. */
static char **
exec_env(char *const envp[], char *fdvar, char *cwdvar)
{
	char **env;
	size_t n, i, j;

	for (n = 0; envp != NULL && envp[n] != NULL; n++)
		continue;
	if ((env = calloc(n + 3, sizeof(*env))) == NULL)
		return NULL;
	for (i = j = 0; i < n; i++)
		if (strncmp(envp[i], FDMAP_ENV "=", sizeof(FDMAP_ENV)) != 0 &&
		    strncmp(envp[i], CWD_ENV "=", sizeof(CWD_ENV)) != 0)
			env[j++] = envp[i];
	env[j++] = fdvar;
	if (cwdvar[0] != '\0')
		env[j++] = cwdvar;
	return env;
}

int
execve(const char *path, char *const argv[], char *const envp[])
{
	char fdvar[8192], cwdvar[64], **env;
	int error;

	if (hijack_bypass())
		return HOST(execve)(path, argv, envp);
	exec_vars(fdvar, sizeof(fdvar), cwdvar, sizeof(cwdvar));
	if ((env = exec_env(envp, fdvar, cwdvar)) == NULL)
		return -1;
	RUMPCALL(rumpclient_exec(path, argv, env));
	error = errno;
	free(env);
	errno = error;
	return -1;
}

int
execvpe(const char *file, char *const argv[], char *const envp[])
{
	char fdvar[8192], cwdvar[64], **env;
	char buf[4096], *p, *dir;
	const char *path;
	int error = ENOENT;

	if (hijack_bypass())
		return HOST(execvpe)(file, argv, envp);
	if (strchr(file, '/') != NULL)
		return execve(file, argv, envp);
	/* The PATH search, with our execve() for each try. */
	if ((path = getenv("PATH")) == NULL)
		path = "/usr/local/bin:/bin:/usr/bin";
	snprintf(buf, sizeof(buf), "%s", path);
	exec_vars(fdvar, sizeof(fdvar), cwdvar, sizeof(cwdvar));
	if ((env = exec_env(envp, fdvar, cwdvar)) == NULL)
		return -1;
	for (p = buf; (dir = strsep(&p, ":")) != NULL;) {
		char full[4096];

		snprintf(full, sizeof(full), "%s/%s", *dir ? dir : ".", file);
		RUMPCALL(rumpclient_exec(full, argv, env));
		if (errno != ENOENT && errno != ENOTDIR)
			error = errno;
	}
	free(env);
	errno = error;
	return -1;
}

int
execv(const char *path, char *const argv[])
{
	extern char **environ;

	return execve(path, argv, environ);
}

int
execvp(const char *file, char *const argv[])
{
	extern char **environ;

	return execvpe(file, argv, environ);
}

/* execl(), execlp(), execle(): the list made a vector. */
#define ARGV_FROM_LIST(argv, arg0, ap, envout)	do {			\
	size_t _n = 1;							\
	va_list _c;							\
	va_copy(_c, ap);						\
	while (va_arg(_c, char *) != NULL)				\
		_n++;							\
	va_end(_c);							\
	argv = alloca((_n + 1) * sizeof(char *));			\
	argv[0] = (char *)(arg0);					\
	for (size_t _i = 1; _i <= _n; _i++)				\
		argv[_i] = va_arg(ap, char *);				\
	if (envout != NULL)						\
		*(char ***)(envout) = va_arg(ap, char **);		\
} while (0)

int
execl(const char *path, const char *arg, ...)
{
	char **argv;
	va_list ap;

	va_start(ap, arg);
	ARGV_FROM_LIST(argv, arg, ap, (void *)NULL);
	va_end(ap);
	return execv(path, argv);
}

int
execlp(const char *file, const char *arg, ...)
{
	char **argv;
	va_list ap;

	va_start(ap, arg);
	ARGV_FROM_LIST(argv, arg, ap, (void *)NULL);
	va_end(ap);
	return execvp(file, argv);
}

int
execle(const char *path, const char *arg, ...)
{
	char **argv, **envp;
	va_list ap;

	va_start(ap, arg);
	ARGV_FROM_LIST(argv, arg, ap, &envp);
	va_end(ap);
	return execve(path, argv, envp);
}

/*
 * The working directory
 */

int
chdir(const char *path)
{
	const char *kp;

	if (hijack_bypass() || (kp = hijack_kpath(path)) == NULL) {
		if (HOST(chdir)(path) == -1)
			return -1;
		cwd_rump = false;
		return 0;
	}
	if (RUMPCALL(rump_sys_chdir(kp)) == -1)
		return -1;
	cwd_rump = true;
	return 0;
}

int
fchdir(int fd)
{
	int kfd;

	if (hijack_bypass() || (kfd = hijack_kfd(fd)) < 0) {
		if (HOST(fchdir)(fd) == -1)
			return -1;
		cwd_rump = false;
		return 0;
	}
	if (RUMPCALL(rump_sys_fchdir(kfd)) == -1)
		return -1;
	cwd_rump = true;
	return 0;
}

char *
getcwd(char *buf, size_t size)
{
	char kbuf[4096], *out;
	size_t len;

	if (hijack_bypass() || !cwd_rump)
		return HOST(getcwd)(buf, size);
	if (RUMPCALL(rump_sys_getcwd(kbuf, sizeof(kbuf))) == -1)
		return NULL;
	/* The kernel's "/" is the prefix itself. */
	len = prefixlen + (strcmp(kbuf, "/") == 0 ? 0 : strlen(kbuf)) + 1;
	if (buf == NULL) {
		if (size < len)
			size = len;
		if ((out = malloc(size)) == NULL)
			return NULL;
	} else
		out = buf;
	if (size < len) {
		errno = ERANGE;
		return NULL;
	}
	snprintf(out, size, "%s%s", prefix,
	    strcmp(kbuf, "/") == 0 ? "" : kbuf);
	return out;
}

/*
 * Opening and closing
 */

static int
kopen(int kdirfd, const char *kpath, int flags, mode_t mode)
{

	/*
	 * The kernel has no O_PATH: a descriptor only to name a place by
	 * (coreutils opens directories so) is a read-only one.
	 */
	if (flags & O_PATH)
		flags = O_RDONLY | (flags & (O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC));

	return newfd(RUMPCALL(rump_sys_openat(kdirfd, kpath, flags, mode)),
	    (flags & O_CLOEXEC) != 0);
}

/* The mode argument of open(), which is there only with these flags. */
#define OPEN_MODE(flags, ap, mode) do {					\
	if ((flags) & (O_CREAT | __O_TMPFILE)) {			\
		va_start(ap, flags);					\
		mode = va_arg(ap, mode_t);				\
		va_end(ap);						\
	}								\
} while (0)

int
openat(int dirfd, const char *path, int flags, ...)
{
	static __typeof__(openat) *host;
	const char *kp;
	mode_t mode = 0;
	va_list ap;
	int kd;

	OPEN_MODE(flags, ap, mode);
	if (hijack_bypass() || !hijack_katpath(dirfd, path, &kd, &kp)) {
		if (host == NULL)
			host = hijack_hostsym("openat");
		return host(dirfd, path, flags, mode);
	}
	return kopen(kd, kp, flags, mode);
}

int
open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	OPEN_MODE(flags, ap, mode);
	return openat(AT_FDCWD, path, flags, mode);
}

int open64(const char *, int, ...) __attribute__((__alias__("open")));
int openat64(int, const char *, int, ...)
    __attribute__((__alias__("openat")));

/* The fortified entries (_FORTIFY_SOURCE) of open(), openat(). */
int	__open_2(const char *, int);
int	__openat_2(int, const char *, int);
int	__open64_2(const char *, int);
int	__openat64_2(int, const char *, int);

int
__open_2(const char *path, int flags)
{

	return openat(AT_FDCWD, path, flags, 0);
}

int
__openat_2(int dirfd, const char *path, int flags)
{

	return openat(dirfd, path, flags, 0);
}

int __open64_2(const char *, int) __attribute__((__alias__("__open_2")));
int __openat64_2(int, const char *, int)
    __attribute__((__alias__("__openat_2")));

int
creat(const char *path, mode_t mode)
{

	return open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

int creat64(const char *, mode_t) __attribute__((__alias__("creat")));

int
close(int fd)
{
	int kfd, rv;

	if (hijack_bypass() || (kfd = hijack_kfd(fd)) < 0) {
		/* Ours stay (programs close all they have). */
		if (!hijack_bypass() && reserved(fd))
			return 0;
		if (!hijack_bypass())
			hijack_epoll_forget(fd);
		return HOST(close)(fd);
	}
	hijack_epoll_forget(fd);
	rv = RUMPCALL(rump_sys_close(kfd));
	hijack_fdfree(fd);
	HOST(close)(fd);
	return rv;
}

/*
 * close_range(), closefrom(): the kernel's descriptors in the range
 * close in the kernel, ours stay, the rest close on the host.
 */
int
close_range(unsigned int first, unsigned int last, int flags)
{
	static int (*host)(unsigned int, unsigned int, int);
	unsigned int fd, from;

	if (host == NULL)
		host = hijack_hostsym("close_range");
	if (hijack_bypass())
		return host(first, last, flags);
	if (flags != 0 && flags != CLOSE_RANGE_CLOEXEC) {
		errno = EINVAL;
		return -1;
	}
	for (from = fd = first; fd <= last && fd < HIJACK_NFD; fd++) {
		if (!reserved((int)fd) && hijack_kfd((int)fd) < 0)
			continue;
		if (fd > from && host(from, fd - 1, flags) == -1)
			return -1;
		if (!reserved((int)fd)) {
			if (flags == CLOSE_RANGE_CLOEXEC)
				(void)fcntl((int)fd, F_SETFD, FD_CLOEXEC);
			else
				(void)close((int)fd);
		}
		from = fd + 1;
	}
	if (from <= last)
		return host(from, last, flags);
	return 0;
}

void
closefrom(int lowfd)
{

	(void)close_range(lowfd < 0 ? 0 : (unsigned int)lowfd, ~0U, 0);
}

/*
 * Descriptors: dup, fcntl
 */

int
dup(int fd)
{
	int kfd;

	if (hijack_bypass() || (kfd = hijack_kfd(fd)) < 0)
		return HOST(dup)(fd);
	return newfd(RUMPCALL(rump_sys_dup(kfd)), false);
}

int
dup3(int from, int to, int flags)
{
	int kfrom, kto, knew;

	if (!hijack_bypass() && reserved(to)) {
		errno = EBUSY;
		return -1;
	}

	if (hijack_bypass() || ((kfrom = hijack_kfd(from)) < 0 &&
	    hijack_kfd(to) < 0))
		return HOST(dup3)(from, to, flags);
	if (from == to) {
		errno = EINVAL;
		return -1;
	}
	if (kfrom < 0) {
		/* A host descriptor over a kernel one: that one closes. */
		kto = hijack_kfd(to);
		if (HOST(dup3)(from, to, flags) == -1)
			return -1;
		RUMPCALL(rump_sys_close(kto));
		hijack_fdfree(to);
		return to;
	}
	if ((knew = RUMPCALL(rump_sys_fcntl(kfrom, (flags & O_CLOEXEC) ?
	    F_DUPFD_CLOEXEC : F_DUPFD, 0))) == -1)
		return -1;
	if (hijack_fdalloc(knew, 0, to, (flags & O_CLOEXEC) != 0) == -1)
		return -1;
	if (to <= STDERR_FILENO)
		hijack_stdstream(to);
	return to;
}

int
dup2(int from, int to)
{

	if (!hijack_bypass() && from == to && hijack_kfd(from) >= 0)
		return to;
	if (!hijack_bypass() && hijack_kfd(from) < 0 && hijack_kfd(to) < 0)
		return HOST(dup2)(from, to);
	return dup3(from, to, 0);
}

int
fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;
	int kfd, knew, rv;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (hijack_bypass() || (kfd = hijack_kfd(fd)) < 0)
		return HOST(fcntl)(fd, cmd, arg);
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if ((knew = RUMPCALL(rump_sys_fcntl(kfd, cmd, 0))) == -1)
			return -1;
		return hijack_fdalloc(knew, (int)(intptr_t)arg, -1,
		    cmd == F_DUPFD_CLOEXEC);
	case F_SETFD:
		/* The placeholder follows, for exec's sake. */
		rv = RUMPCALL(rump_sys_fcntl(kfd, cmd, (int)(intptr_t)arg));
		if (rv != -1)
			HOST(fcntl)(fd, F_SETFD, (int)(intptr_t)arg);
		return rv;
	case F_GETFD:
	case F_GETFL:
		return RUMPCALL(rump_sys_fcntl(kfd, cmd));
	case F_SETFL:
		return RUMPCALL(rump_sys_fcntl(kfd, cmd, (int)(intptr_t)arg));
	default:
		return RUMPCALL(rump_sys_fcntl(kfd, cmd, arg));
	}
}

int fcntl64(int, int, ...) __attribute__((__alias__("fcntl")));

int
ioctl(int fd, unsigned long req, ...)
{
	static int (*host)(int, unsigned long, ...);
	va_list ap;
	void *arg;
	int kfd;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (hijack_bypass() || (kfd = hijack_kfd(fd)) < 0) {
		if (host == NULL)
			host = hijack_hostsym("ioctl");
		return host(fd, req, arg);
	}
	return RUMPCALL(rump_sys_ioctl(kfd, req, arg));
}

/*
 * Calls on a descriptor: the kernel's, or the host's.
 */

/* Define name(fd, ...) -> rump_sys_name(kfd, ...) or the host's. */
#define FDCALL(ret, name, proto, args)					\
	HOSTFN(name)							\
	ret								\
	name proto							\
	{								\
		int kfd;						\
									\
		if (hijack_bypass() || (kfd = hijack_kfd(fd)) < 0)	\
			return HOST(name) args;				\
		fd = kfd;						\
		return RUMPCALL(rump_sys_##name args);			\
	}

FDCALL(ssize_t, read, (int fd, void *buf, size_t n), (fd, buf, n))
FDCALL(ssize_t, write, (int fd, const void *buf, size_t n), (fd, buf, n))
FDCALL(ssize_t, pread, (int fd, void *buf, size_t n, off_t off),
    (fd, buf, n, off))
FDCALL(ssize_t, pwrite, (int fd, const void *buf, size_t n, off_t off),
    (fd, buf, n, off))
FDCALL(ssize_t, readv, (int fd, const struct iovec *iov, int n),
    (fd, iov, n))
FDCALL(ssize_t, writev, (int fd, const struct iovec *iov, int n),
    (fd, iov, n))
FDCALL(off_t, lseek, (int fd, off_t off, int whence), (fd, off, whence))
FDCALL(int, fstat, (int fd, struct stat *st), (fd, st))
FDCALL(int, fsync, (int fd), (fd))
FDCALL(int, fdatasync, (int fd), (fd))
FDCALL(int, ftruncate, (int fd, off_t len), (fd, len))
FDCALL(int, fchmod, (int fd, mode_t mode), (fd, mode))
FDCALL(int, fchown, (int fd, uid_t uid, gid_t gid), (fd, uid, gid))
FDCALL(int, futimens, (int fd, const struct timespec ts[2]), (fd, ts))
FDCALL(int, fstatvfs, (int fd, struct statvfs *st), (fd, st))
FDCALL(int, listen, (int fd, int backlog), (fd, backlog))
FDCALL(int, shutdown, (int fd, int how), (fd, how))
FDCALL(int, bind, (int fd, const struct sockaddr *sa, socklen_t len),
    (fd, sa, len))
FDCALL(int, connect, (int fd, const struct sockaddr *sa, socklen_t len),
    (fd, sa, len))
FDCALL(int, getsockname, (int fd, struct sockaddr *sa, socklen_t *len),
    (fd, sa, len))
FDCALL(int, getpeername, (int fd, struct sockaddr *sa, socklen_t *len),
    (fd, sa, len))
FDCALL(ssize_t, send, (int fd, const void *buf, size_t n, int flags),
    (fd, buf, n, flags))
FDCALL(ssize_t, recv, (int fd, void *buf, size_t n, int flags),
    (fd, buf, n, flags))
FDCALL(ssize_t, sendto, (int fd, const void *buf, size_t n, int flags,
    const struct sockaddr *sa, socklen_t len), (fd, buf, n, flags, sa, len))
FDCALL(ssize_t, recvfrom, (int fd, void *buf, size_t n, int flags,
    struct sockaddr *sa, socklen_t *len), (fd, buf, n, flags, sa, len))
FDCALL(ssize_t, sendmsg, (int fd, const struct msghdr *m, int flags),
    (fd, m, flags))
FDCALL(ssize_t, recvmsg, (int fd, struct msghdr *m, int flags),
    (fd, m, flags))
FDCALL(int, setsockopt, (int fd, int level, int name, const void *val,
    socklen_t len), (fd, level, name, val, len))
FDCALL(int, getsockopt, (int fd, int level, int name, void *val,
    socklen_t *len), (fd, level, name, val, len))

/* The *64 names: the same calls on LP64 hosts. */
_Static_assert(sizeof(struct stat) == sizeof(struct stat64) &&
    sizeof(struct statvfs) == sizeof(struct statvfs64) &&
    sizeof(struct statfs) == sizeof(struct statfs64) &&
    sizeof(off_t) == sizeof(off64_t), "the *64 calls differ");

ssize_t pread64(int, void *, size_t, off_t) __attribute__((__alias__("pread")));
ssize_t pwrite64(int, const void *, size_t, off_t)
    __attribute__((__alias__("pwrite")));
off_t lseek64(int, off_t, int) __attribute__((__alias__("lseek")));
int ftruncate64(int, off_t) __attribute__((__alias__("ftruncate")));

int
fstat64(int fd, struct stat64 *st)
{

	return fstat(fd, (struct stat *)st);
}

int
fstatvfs64(int fd, struct statvfs64 *st)
{

	return fstatvfs(fd, (struct statvfs *)st);
}

ssize_t	__read_chk(int, void *, size_t, size_t);

ssize_t
__read_chk(int fd, void *buf, size_t n, size_t buflen)
{

	if (n > buflen)
		abort();
	return read(fd, buf, n);
}

/*
 * preadv(), pwritev() and their 64 and 2 forms on kernel descriptors:
 * one pread or pwrite per piece, stopping at a short one.
 */
static ssize_t
kvio(int kfd, const struct iovec *iov, int n, off_t off, bool wr)
{
	ssize_t total = 0, r;
	int i;

	for (i = 0; i < n; i++) {
		r = wr ? RUMPCALL(rump_sys_pwrite(kfd, iov[i].iov_base,
		    iov[i].iov_len, off + total)) :
		    RUMPCALL(rump_sys_pread(kfd, iov[i].iov_base,
		    iov[i].iov_len, off + total));
		if (r == -1)
			return total > 0 ? total : -1;
		total += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	return total;
}

#define VIOCALL(name, wr)						\
	HOSTFN(name)							\
	ssize_t								\
	name(int fd, const struct iovec *iov, int n, off_t off)		\
	{								\
		int kfd;						\
									\
		if (hijack_bypass() || (kfd = hijack_kfd(fd)) < 0)	\
			return HOST(name)(fd, iov, n, off);		\
		return kvio(kfd, iov, n, off, wr);			\
	}
VIOCALL(preadv, false)
VIOCALL(pwritev, true)

ssize_t preadv64(int, const struct iovec *, int, off_t)
    __attribute__((__alias__("preadv")));
ssize_t pwritev64(int, const struct iovec *, int, off_t)
    __attribute__((__alias__("pwritev")));

#define VIO2CALL(name, plain, wr)					\
	HOSTFN(name)							\
	ssize_t								\
	name(int fd, const struct iovec *iov, int n, off_t off, int flags) \
	{								\
		int kfd;						\
									\
		if (hijack_bypass() || (kfd = hijack_kfd(fd)) < 0)	\
			return HOST(name)(fd, iov, n, off, flags);	\
		if (flags != 0) {					\
			errno = EOPNOTSUPP;				\
			return -1;					\
		}							\
		if (off == -1)						\
			return plain(fd, iov, n);			\
		return kvio(kfd, iov, n, off, wr);			\
	}
VIO2CALL(preadv2, readv, false)
VIO2CALL(pwritev2, writev, true)

ssize_t preadv64v2(int, const struct iovec *, int, off_t, int)
    __attribute__((__alias__("preadv2")));
ssize_t pwritev64v2(int, const struct iovec *, int, off_t, int)
    __attribute__((__alias__("pwritev2")));

/*
 * sendfile() with a kernel descriptor on either side: copied through a
 * buffer here, with our read and write.
 */
HOSTFN(sendfile)
ssize_t
sendfile(int out, int in, off_t *offp, size_t count)
{
	char buf[65536];
	ssize_t total = 0, r, w;
	size_t n;

	if (hijack_bypass() || (hijack_kfd(in) < 0 && hijack_kfd(out) < 0))
		return HOST(sendfile)(out, in, offp, count);
	while (count > 0) {
		n = count < sizeof(buf) ? count : sizeof(buf);
		r = offp != NULL ? pread(in, buf, n, *offp) : read(in, buf, n);
		if (r <= 0) {
			if (r == -1 && total == 0)
				return -1;
			break;
		}
		if ((w = write(out, buf, (size_t)r)) == -1)
			return total > 0 ? total : -1;
		if (offp != NULL)
			*offp += w;
		total += w;
		count -= (size_t)w;
		if (w < r) {
			/* The rest was read but not written: read it again. */
			if (offp == NULL)
				(void)lseek(in, (off_t)(w - r), SEEK_CUR);
			break;
		}
	}
	return total;
}

ssize_t sendfile64(int, int, off_t *, size_t)
    __attribute__((__alias__("sendfile")));

int
accept4(int fd, struct sockaddr *sa, socklen_t *len, int flags)
{
	static __typeof__(accept4) *host;
	int kfd;

	if (hijack_bypass() || (kfd = hijack_kfd(fd)) < 0) {
		if (host == NULL)
			host = hijack_hostsym("accept4");
		return host(fd, sa, len, flags);
	}
	return newfd(RUMPCALL(rump_sys_accept4(kfd, sa, len, flags)),
	    (flags & SOCK_CLOEXEC) != 0);
}

int
accept(int fd, struct sockaddr *sa, socklen_t *len)
{

	return accept4(fd, sa, len, 0);
}

int
socket(int domain, int type, int protocol)
{
	static __typeof__(socket) *host;

	if (hijack_bypass() || !hijack_ksocket(domain)) {
		if (host == NULL)
			host = hijack_hostsym("socket");
		return host(domain, type, protocol);
	}
	return newfd(RUMPCALL(rump_sys_socket(domain, type, protocol)),
	    (type & SOCK_CLOEXEC) != 0);
}

int
socketpair(int domain, int type, int protocol, int sv[2])
{
	static __typeof__(socketpair) *host;
	int ksv[2];

	if (hijack_bypass() || !hijack_ksocket(domain)) {
		if (host == NULL)
			host = hijack_hostsym("socketpair");
		return host(domain, type, protocol, sv);
	}
	if (RUMPCALL(rump_sys_socketpair(domain, type, protocol, ksv)) == -1)
		return -1;
	if ((sv[0] = newfd(ksv[0], (type & SOCK_CLOEXEC) != 0)) == -1) {
		RUMPCALL(rump_sys_close(ksv[1]));
		return -1;
	}
	if ((sv[1] = newfd(ksv[1], (type & SOCK_CLOEXEC) != 0)) == -1) {
		close(sv[0]);
		return -1;
	}
	return 0;
}

/* What has no kernel counterpart refuses kernel descriptors. */
#define FDREFUSE(ret, name, proto, args, err)				\
	HOSTFN(name)							\
	ret								\
	name proto							\
	{								\
									\
		if (hijack_bypass() || hijack_kfd(fd) < 0)		\
			return HOST(name) args;				\
		errno = err;						\
		return -1;						\
	}

FDREFUSE(int, fallocate, (int fd, int mode, off_t off, off_t len),
    (fd, mode, off, len), EOPNOTSUPP)
FDREFUSE(ssize_t, fgetxattr, (int fd, const char *name, void *val,
    size_t size), (fd, name, val, size), ENOTSUP)
FDREFUSE(ssize_t, flistxattr, (int fd, char *list, size_t size),
    (fd, list, size), ENOTSUP)
FDREFUSE(int, fsetxattr, (int fd, const char *name, const void *val,
    size_t size, int flags), (fd, name, val, size, flags), ENOTSUP)
FDREFUSE(int, fremovexattr, (int fd, const char *name), (fd, name), ENOTSUP)

int
posix_fadvise(int fd, off_t off, off_t len, int advice)
{
	static __typeof__(posix_fadvise) *host;

	if (hijack_bypass() || hijack_kfd(fd) < 0) {
		if (host == NULL)
			host = hijack_hostsym("posix_fadvise");
		return host(fd, off, len, advice);
	}
	return 0;	/* advice: taken as read */
}

int posix_fadvise64(int, off_t, off_t, int)
    __attribute__((__alias__("posix_fadvise")));

ssize_t
copy_file_range(int in, off_t *inoff, int out, off_t *outoff, size_t len,
    unsigned int flags)
{
	static __typeof__(copy_file_range) *host;

	if (hijack_bypass() || (hijack_kfd(in) < 0 && hijack_kfd(out) < 0)) {
		if (host == NULL)
			host = hijack_hostsym("copy_file_range");
		return host(in, inoff, out, outoff, len, flags);
	}
	errno = EXDEV;		/* callers then copy themselves */
	return -1;
}

int
fstatfs(int fd, struct statfs *sf)
{
	static __typeof__(fstatfs) *host;
	struct statvfs sv;
	int kfd;

	if (hijack_bypass() || (kfd = hijack_kfd(fd)) < 0) {
		if (host == NULL)
			host = hijack_hostsym("fstatfs");
		return host(fd, sf);
	}
	if (RUMPCALL(rump_sys_fstatvfs(kfd, &sv)) == -1)
		return -1;
	hijack_statfs(&sv, sf);
	return 0;
}

int
fstatfs64(int fd, struct statfs64 *sf)
{

	return fstatfs(fd, (struct statfs *)sf);
}
