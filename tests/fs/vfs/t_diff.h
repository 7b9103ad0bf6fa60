/*
 * The differential VFS test (tests, host side): one scenario, a short
 * list of system calls, is played against the host's own kernel in a
 * private tmpfs and against a rump kernel's file system, and the two
 * must answer alike.  This header holds what the three files share:
 * the step and scenario tables (t_diff_tables.c, t_diff_gen.c), the two backends
 * that carry out a step (t_diff_backend.c) and the runner that compares
 * them (t_diff.c).
 */
#ifndef _TESTS_FS_VFS_T_DIFF_H_
#define _TESTS_FS_VFS_T_DIFF_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <time.h>

#include "fstest.h"

/* The calls a step can make.  Each is one system call unless noted. */
enum op {
	OP_END = 0,		/* ends a step list */

	/* Descriptors: `fd' names the descriptor, `res' takes a new one. */
	OP_OPEN,		/* path, flags, mode -> res */
	OP_OPENAT,		/* fd (dir), path, flags, mode -> res */
	OP_CLOSE,		/* fd */
	OP_READ,		/* fd, n bytes; the data is compared */
	OP_WRITE,		/* fd, data */
	OP_PREAD,		/* fd, n bytes at offset n2 */
	OP_PWRITE,		/* fd, data at offset n2 */
	OP_LSEEK,		/* fd, offset n, whence n2 */
	OP_FSTAT,		/* fd */
	OP_FTRUNCATE,		/* fd, length n */
	OP_FSYNC,		/* fd */
	OP_FDATASYNC,		/* fd */
	OP_FCHMOD,		/* fd, mode */
	OP_FCHOWN,		/* fd, uid n, gid n2 */
	OP_FUTIMENS,		/* fd, times n (TIMES_*) */
	OP_FCHDIR,		/* fd */
	OP_DUP,			/* fd -> res */
	OP_DUP2,		/* fd, descriptor number n -> res */
	OP_DUP3,		/* fd, descriptor number n, flags -> res */
	OP_FCNTL,		/* fd, command n, argument n2 (-> res) */
	OP_GETDENTS,		/* fd, buffer size n: every name and type */
	OP_FSTATVFS,		/* fd */

	/* Paths, relative to the working directory or to `fd'. */
	OP_STAT,		/* path */
	OP_LSTAT,		/* path */
	OP_FSTATAT,		/* fd, path, flags */
	OP_ACCESS,		/* path, mode n */
	OP_FACCESSAT,		/* fd, path, mode n, flags */
	OP_MKDIR,		/* path, mode */
	OP_MKDIRAT,		/* fd, path, mode */
	OP_RMDIR,		/* path */
	OP_UNLINK,		/* path */
	OP_UNLINKAT,		/* fd, path, flags */
	OP_RENAME,		/* path -> path2 */
	OP_RENAMEAT,		/* fd, path -> fd2, path2 */
	OP_LINK,		/* path -> new name path2 */
	OP_LINKAT,		/* fd, path -> fd2, path2, flags */
	OP_SYMLINK,		/* target path, link name path2 */
	OP_SYMLINKAT,		/* target path, fd2, link name path2 */
	OP_READLINK,		/* path, buffer size n */
	OP_READLINKAT,		/* fd, path, buffer size n */
	OP_CHMOD,		/* path, mode */
	OP_FCHMODAT,		/* fd, path, mode, flags */
	OP_CHOWN,		/* path, uid n, gid n2 */
	OP_LCHOWN,		/* path, uid n, gid n2 */
	OP_FCHOWNAT,		/* fd, path, uid n, gid n2, flags */
	OP_UTIMENSAT,		/* fd, path, times n (TIMES_*), flags */
	OP_TRUNCATE,		/* path, length n */
	OP_CHDIR,		/* path */
	OP_GETCWD,		/* buffer size n; compared below the sandbox */
	OP_MKNOD,		/* path, mode (with type), device n */
	OP_MKFIFO,		/* path, mode */
	OP_STATVFS,		/* path */
	OP_SYNC,		/* - */

	/* Helpers made of several calls, compared as one. */
	OP_UMASK,		/* mode: the umask of every actor */
	OP_MKFILE,		/* path, mode, data: create, write, close */
	OP_MOUNT,		/* path: mount a fresh file system there */

	OP_NOPS
};

/* Who makes a call.  The uids and gids are the same on both sides. */
enum actor {
	ROOT = 0,		/* uid 0, gid 0 */
	USER,			/* uid 4001, gid 4001 */
	PEER,			/* uid 4002, gid 4001: USER's group, not USER */
	STRANGER,		/* uid 4003, gid 4003 */
	NACTORS
};
#define UID_USER	4001
#define UID_PEER	4002
#define UID_STRANGER	4003
#define GID_USER	4001
#define GID_STRANGER	4003

/*
 * Descriptors a step names: a slot 0..NSLOTS-1 of the scenario, which
 * holds whatever descriptor the backend returned (or -1), or one of
 * these.
 */
#define NSLOTS		8
#define FD_CWD		(-2)	/* AT_FDCWD */
#define FD_ROOT		(-3)	/* a directory descriptor on the sandbox */
#define FD_NEG		(-4)	/* the number -1 */
#define FD_UNUSED	(-5)	/* a number no descriptor has */
#define FD_UNUSED_NUM	900

/* The time arguments of utimensat() and futimens(). */
enum times {
	TIMES_NULL = 0,		/* NULL: both now */
	TIMES_SET,		/* two fixed times in the past */
	TIMES_NOW,		/* UTIME_NOW twice */
	TIMES_OMIT,		/* UTIME_OMIT twice */
	TIMES_MTIME,		/* atime omitted, mtime fixed */
	TIMES_BADNSEC		/* a tv_nsec of one second: EINVAL */
};

/* Step options for the comparison. */
#define OPT_TIMES	0x01	/* compare atime and mtime (set explicitly) */

/* What a step expects of both sides (beyond their agreeing). */
#define X_ANY		0	/* nothing: the host is the reference */
#define X_SUCCESS	(-1)	/* success */
/* Any positive value: failure with that errno. */

struct step {
	enum op		op;
	enum actor	as;
	int		fd;		/* slot or FD_*: descriptor, or dir */
	int		fd2;		/* slot or FD_*: second directory */
	int		res;		/* slot for a new descriptor */
	const char	*path;		/* templates, see expand_path() */
	const char	*path2;
	int		flags;		/* O_*, AT_*, O_CLOEXEC for dup3 */
	mode_t		mode;
	long long	n;
	long long	n2;
	const char	*data;
	int		expect;		/* X_ANY, X_SUCCESS or an errno */
	int		opt;		/* OPT_* */
};

struct scenario {
	const char	*name;
	const struct step *steps;	/* up to an OP_END */
};

/*
 * A set of scenarios: one ATF test case runs one or more groups.  A
 * group is a table, or made by a function (name and steps of each
 * scenario malloc'ed, freed by the runner).
 */
struct group {
	const char	*name;
	const struct scenario *table;
	size_t		ntable;
	size_t		(*make)(struct scenario **);	/* returns the count */
};

/* The stat fields that must agree. */
struct fields {
	unsigned	type;		/* S_IFMT bits */
	unsigned	perm;		/* 07777 bits */
	long long	size;
	unsigned long	nlink;
	unsigned	uid, gid;
	unsigned	rdevmaj, rdevmin;
	struct timespec	atime, mtime;
};

#define TEXTMAX		16384

/* What one side did for one step. */
struct outcome {
	long long	ret;		/* normalised, see run_step() */
	int		err;		/* errno if ret == -1, else 0 */
	bool		has_st;		/* st (or st_err) is meant */
	int		st_err;		/* the stat after the call failed */
	int		times;		/* compare 1: atime, 2: mtime */
	struct fields	st;
	unsigned long	namemax;	/* statvfs f_namemax */
	bool		has_text;
	size_t		textlen;
	char		text[TEXTMAX];	/* data, link target, names, cwd */
};

/*
 * The system calls of one side, with the host's types: libc's for the
 * host, the rump_sys_*() for the rump kernel.
 */
struct sysops {
	int	(*open)(const char *, int, ...);
	int	(*openat)(int, const char *, int, ...);
	int	(*close)(int);
	ssize_t	(*read)(int, void *, size_t);
	ssize_t	(*write)(int, const void *, size_t);
	ssize_t	(*pread)(int, void *, size_t, off_t);
	ssize_t	(*pwrite)(int, const void *, size_t, off_t);
	off_t	(*lseek)(int, off_t, int);
	int	(*fstat)(int, struct stat *);
	int	(*ftruncate)(int, off_t);
	int	(*fsync)(int);
	int	(*fdatasync)(int);
	int	(*fchmod)(int, mode_t);
	int	(*fchown)(int, uid_t, gid_t);
	int	(*futimens)(int, const struct timespec *);
	int	(*fchdir)(int);
	int	(*dup)(int);
	int	(*dup2)(int, int);
	int	(*dup3)(int, int, int);
	int	(*fcntl)(int, int, ...);
	int	(*getdents)(int, char *, size_t);
	int	(*fstatvfs)(int, struct statvfs *);
	int	(*stat)(const char *, struct stat *);
	int	(*lstat)(const char *, struct stat *);
	int	(*fstatat)(int, const char *, struct stat *, int);
	int	(*access)(const char *, int);
	int	(*faccessat)(int, const char *, int, int);
	int	(*mkdir)(const char *, mode_t);
	int	(*mkdirat)(int, const char *, mode_t);
	int	(*rmdir)(const char *);
	int	(*unlink)(const char *);
	int	(*unlinkat)(int, const char *, int);
	int	(*rename)(const char *, const char *);
	int	(*renameat)(int, const char *, int, const char *);
	int	(*link)(const char *, const char *);
	int	(*linkat)(int, const char *, int, const char *, int);
	int	(*symlink)(const char *, const char *);
	int	(*symlinkat)(const char *, int, const char *);
	ssize_t	(*readlink)(const char *, char *, size_t);
	ssize_t	(*readlinkat)(int, const char *, char *, size_t);
	int	(*chmod)(const char *, mode_t);
	int	(*fchmodat)(int, const char *, mode_t, int);
	int	(*chown)(const char *, uid_t, gid_t);
	int	(*lchown)(const char *, uid_t, gid_t);
	int	(*fchownat)(int, const char *, uid_t, gid_t, int);
	int	(*utimensat)(int, const char *, const struct timespec *, int);
	int	(*truncate)(const char *, off_t);
	int	(*chdir)(const char *);
	int	(*getcwd)(char *, size_t);	/* length with the NUL */
	int	(*mknod)(const char *, mode_t, dev_t);
	int	(*mkfifo)(const char *, mode_t);
	int	(*statvfs)(const char *, struct statvfs *);
	int	(*sync)(void);
};

/* One side: its calls, and what one scenario has made in it. */
struct backend {
	const char	*name;		/* "host" or "rump" */
	const struct sysops *sys;
	char		base[256];	/* where sandboxes are made */
	char		sandbox[320];	/* this scenario's, absolute */
	int		rootfd;		/* on the sandbox, for FD_ROOT */
	int		slot[NSLOTS];
	char		mounts[4][384];	/* made by OP_MOUNT, absolute */
	int		nmounts;
	int		fds[64];	/* every descriptor it made, to close */
	int		nfds;

	/* The side's own setup and teardown, and credentials. */
	int		(*begin)(struct backend *);	/* errno */
	int		(*end)(struct backend *);	/* errno */
	int		(*set_actor)(struct backend *, enum actor);
	int		(*umask_all)(struct backend *, mode_t);
	int		(*mount)(struct backend *, const char *);
	int		(*unmount)(struct backend *, const char *);
	void		*priv;
};

/*
 * A record of getdents() on both sides: the layout of Linux's
 * getdents64, which rump_sys_getdents() returns too.
 */
struct diff_dirent {
	uint64_t	d_ino;
	int64_t		d_off;
	uint16_t	d_reclen;
	uint8_t		d_type;
	char		d_name[];
};

/* t_diff.c */
const char *diff_errname(int);

/* t_diff_backend.c */
int	host_setup(struct backend *, char *why, size_t whylen);
void	host_teardown(struct backend *);
int	rump_setup(struct backend *, const struct fstest_fs *, const char *);
void	rump_teardown(struct backend *);

/* t_diff_tables.c: scenarios written one by one. */
extern const struct group diff_groups_tables[];
extern const size_t diff_ngroups_tables;

/* t_diff_gen.c: scenarios generated from operations x objects x actors. */
extern const struct group diff_groups_gen[];
extern const size_t diff_ngroups_gen;

#endif /* !_TESTS_FS_VFS_T_DIFF_H_ */
