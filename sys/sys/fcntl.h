/*
 * File control: open flags, descriptor flags, the *at() conventions,
 * fcntl() commands and advisory record locks.  The kernel's own values
 * (kernel ABI, mirrored for host code by mkkabi.lua); the boundary
 * translation maps the host's <fcntl.h> onto them.
 */
#ifndef _SYS_FCNTL_H_
#define _SYS_FCNTL_H_

#include <sys/types.h>

/* open() flags. */
#define O_RDONLY	0x00000000
#define O_WRONLY	0x00000001
#define O_RDWR		0x00000002
#define O_ACCMODE	0x00000003
#define O_NONBLOCK	0x00000004
#define O_APPEND	0x00000008
#define O_SYNC		0x00000080
#define O_NOFOLLOW	0x00000100
#define O_CREAT		0x00000200
#define O_TRUNC		0x00000400
#define O_EXCL		0x00000800
#define O_NOCTTY	0x00008000
#define O_DSYNC		0x00010000
#define O_DIRECT	0x00080000	/* file data past the buffer cache */
#define O_DIRECTORY	0x00200000
#define O_CLOEXEC	0x00400000

/*
 * Kernel-internal file flags (f_flag): FREAD and FWRITE replace the
 * access mode, the rest keep their O_ values.
 */
#define FREAD		0x00000001
#define FWRITE		0x00000002
#define FFLAGS(oflags)	((oflags) + 1)	/* O_RDONLY.. -> FREAD.. */
#define OFLAGS(fflags)	((fflags) - 1)
#define FMASK		(FREAD | FWRITE | O_NONBLOCK | O_APPEND | O_SYNC | \
			 O_DSYNC | O_DIRECT)
#define FCNTLFLAGS	(O_NONBLOCK | O_APPEND | O_SYNC | O_DSYNC | O_DIRECT)

/* The *at() calls. */
#define AT_FDCWD		-100
#define AT_EACCESS		0x0100	/* faccessat: effective ids */
#define AT_SYMLINK_NOFOLLOW	0x0200
#define AT_SYMLINK_FOLLOW	0x0400
#define AT_REMOVEDIR		0x0800
#define AT_EMPTY_PATH		0x1000	/* fstatat, fchownat: "" is fd itself */

/* renameat2() flags: the kernel does RENAME_NOREPLACE; the rest EINVAL. */
#define RENAME_NOREPLACE	0x0001	/* EEXIST rather than replace */
#define RENAME_EXCHANGE		0x0002	/* swap the two names */
#define RENAME_WHITEOUT		0x0004	/* leave a whiteout (union mounts) */

/* fcntl() commands. */
#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_GETLK		7
#define F_SETLK		8
#define F_SETLKW	9
#define F_DUPFD_CLOEXEC	12

#define FD_CLOEXEC	1

/* Advisory record locks. */
#define F_RDLCK		1
#define F_UNLCK		2
#define F_WRLCK		3

struct flock {	/* kabi */
	off_t	l_start;
	off_t	l_len;
	pid_t	l_pid;
	short	l_type;
	short	l_whence;
};

/* lseek() whence. */
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define SEEK_DATA	3	/* the next data at or after the offset */
#define SEEK_HOLE	4	/* the next hole at or after the offset */

#endif /* !_SYS_FCNTL_H_ */
