/*
 * The random exerciser of file data and names (tests, host side), run
 * through any set of system calls: the rump kernel's (tests/fs/vfs)
 * or the host's on a FUSE mount of a rump kernel file system
 * (tests/usr.sbin/rump_ffs).  See exerciser.c.
 */
#ifndef _TESTS_FS_COMMON_EXERCISER_H_
#define _TESTS_FS_COMMON_EXERCISER_H_

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/uio.h>

/* What the file system under test can do (ex_run's flags). */
#define EX_BIGFILES		0x1	/* offsets past 4 GiB */
#define EX_HARDLINKS		0x2	/* link() */
#define EX_FREE_EXACT		0x4	/* freed blocks, inodes all free again */
#define EX_DIRECT		0x8	/* open some descriptors O_DIRECT */

/* The system calls the exerciser makes, with the host's signatures. */
struct ex_sys {
	int	(*open)(const char *, int, ...);
	int	(*close)(int);
	ssize_t	(*read)(int, void *, size_t);
	ssize_t	(*write)(int, const void *, size_t);
	ssize_t	(*pread)(int, void *, size_t, off_t);
	ssize_t	(*pwrite)(int, const void *, size_t, off_t);
	ssize_t	(*readv)(int, const struct iovec *, int);
	ssize_t	(*writev)(int, const struct iovec *, int);
	off_t	(*lseek)(int, off_t, int);
	int	(*stat)(const char *, struct stat *);
	int	(*fstat)(int, struct stat *);
	int	(*truncate)(const char *, off_t);
	int	(*ftruncate)(int, off_t);
	int	(*unlink)(const char *);
	int	(*rename)(const char *, const char *);
	int	(*link)(const char *, const char *);
	int	(*fsync)(int);
	int	(*fdatasync)(int);
	int	(*mkdir)(const char *, mode_t);
	int	(*rmdir)(const char *);
	int	(*chdir)(const char *);
	int	(*statvfs)(const char *, struct statvfs *);
	/* Linux dirent64 records: d_reclen at 16, the name at 19. */
	ssize_t	(*getdents)(int, void *, size_t);
	/*
	 * Wait a little, for space freed asynchronously to be counted (NULL:
	 * it never is).  Through FUSE, the server frees an unlinked file's
	 * inode when the host forgets it, which may come after a statfs.
	 */
	void	(*settle)(void);
	/* Report a failure and end the test; does not return. */
	void	(*fail)(unsigned, int, const char *, const char *)
		    __attribute__((__noreturn__));
};

/*
 * Run every seed in directory dir (made and removed per seed), then,
 * with EX_FREE_EXACT, check that every block and inode came back (only
 * when nothing else works on the file system at the same time).
 * Leaves the current directory at dir.
 */
void	ex_run(const struct ex_sys *, const char *dir, int flags);

#endif /* _TESTS_FS_COMMON_EXERCISER_H_ */
