/*
 * File-system tests written once and run against every file system
 * (tests, host side).  fstest.c holds the one table of file systems,
 * an adapter per file system (make its backing store, mount, unmount,
 * check, clean up) and the glue that turns each FSTEST() body into one
 * ATF test case per table entry.
 *
 *	FSTEST(rename_dir, "rename() moves directories",
 *	    .ft_needs = FS_HAS_HARDLINKS)
 *	{
 *		... fs and mnt are the file system and its mount point ...
 *	}
 *
 *	ATF_TP_ADD_TCS(tp)
 *	{
 *		FSTEST_ADD(tp, rename_dir);
 *		return atf_no_error();
 *	}
 *
 * gives the test cases tmpfs_rename_dir, and one more per file system
 * added to the table later.  Each case runs in its own process (ATF):
 * it boots a rump kernel, mounts the file system at FSTEST_MNT, runs
 * the body, then unmounts everything still mounted and requires each
 * unmount to succeed, so a reference the kernel leaked fails the test
 * and memory it leaked shows under valgrind.  A body whose ft_needs
 * the file system lacks is skipped with the missing features named.
 */
#ifndef _TESTS_FS_COMMON_FSTEST_H_
#define _TESTS_FS_COMMON_FSTEST_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <atf-c.h>

/* Where the file system under test is mounted. */
#define FSTEST_MNT	"/mnt"

/*
 * Features of a file system (fs_flags, ft_needs).  A body that needs one
 * says so; the test case of a file system without it is skipped.
 */
#define FS_HAS_HARDLINKS	0x00000001	/* link() */
#define FS_HAS_SYMLINKS		0x00000002	/* symlink() */
#define FS_HAS_FIFOS		0x00000004	/* mkfifo() nodes */
#define FS_HAS_DEVICES		0x00000008	/* mknod() of devices */
#define FS_HAS_OWNERS		0x00000010	/* any uid and gid stored */
#define FS_HAS_PERMS		0x00000020	/* all 07777 mode bits stored */
#define FS_HAS_NSEC_TIMES	0x00000040	/* time stamps in nanoseconds */
#define FS_HAS_ATIME		0x00000080	/* reads update the access time */
#define FS_HAS_SPARSE		0x00000100	/* holes take no space */
#define FS_HAS_BIGFILES		0x00000200	/* offsets past 4 GiB */
#define FS_HAS_SIZE_LIMIT	0x00000400	/* fa_size makes a small file system */
#define FS_HAS_NODE_LIMIT	0x00000800	/* fa_nodes limits the files */
#define FS_HAS_ROOT_ATTRS	0x00001000	/* fa_root_* set the root's owner, mode */
#define FS_HAS_RDONLY		0x00002000	/* mounts read-only */
#define FS_HAS_PERSISTENCE	0x00004000	/* contents survive a remount */
#define FS_HAS_LOCKS		0x00008000	/* advisory record locks */
#define FS_HAS_STATVFS_EXACT	0x00010000	/* data blocks counted exactly */
#define FS_HAS_DIRECT		0x00020000	/* O_DIRECT moves data past the cache */

/* What a body may ask of a mount (fstest_mount()); zero: the defaults. */
struct fstest_args {
	int		fa_flags;	/* RUMP_MNT_* */
	uint64_t	fa_size;	/* bytes of data, 0: the default */
	uint64_t	fa_nodes;	/* files, 0: the default */
	bool		fa_setroot;	/* fa_root_* below are meant */
	uid_t		fa_root_uid;
	gid_t		fa_root_gid;
	mode_t		fa_root_mode;
	bool		fa_keep;	/* with FS_HAS_PERSISTENCE: mount
					   what the last mount of this
					   slot left, not a new one */
};

/* One mount made by the harness: the adapter's view of it. */
struct fstest_mnt {
	const struct fstest_fs *fm_fs;
	char		fm_path[64];	/* mount point in the rump kernel */
	char		fm_store[512];	/* a host path (in the test's work
					   directory) for a backing store */
	struct fstest_args fm_args;
	bool		fm_mounted;
	void		*fm_priv;	/* the adapter's */
};

/*
 * A file system and its adapter.  Every function returns 0 or an errno
 * value.
 *
 * fs_mount	Make the backing store (fm_store) for fm_args and mount it
 *		at fm_path, an existing directory.
 * fs_unmount	Unmount with the RUMP_MNT_* flags given.
 * fs_check	After the unmount, or after the kernel halted: is the
 *		backing store consistent?  NULL: nothing to check.
 * fs_cleanup	Remove the backing store.  NULL: nothing to remove.
 */
struct fstest_fs {
	const char	*fs_name;	/* in test case names */
	const char	*fs_type;	/* for mount() */
	unsigned	fs_flags;	/* FS_HAS_* */
	int		(*fs_mount)(struct fstest_mnt *);
	int		(*fs_unmount)(struct fstest_mnt *, int);
	int		(*fs_check)(struct fstest_mnt *);
	void		(*fs_cleanup)(struct fstest_mnt *);
};

/* The table: every file system the tests run against. */
extern const struct fstest_fs fstest_filesystems[];
extern const size_t fstest_nfilesystems;

/* A test body and what it needs. */
struct fstest_tc {
	const char	*ft_name;
	const char	*ft_descr;
	void		(*ft_body)(const struct fstest_fs *, const char *);
	unsigned	ft_needs;	/* FS_HAS_*: skipped without them */
	const char	*ft_memlimit;	/* RUMP_MEMLIMIT for the kernel, or NULL */
	int		ft_timeout;	/* seconds, 0: kyua's default */
};

#define FSTEST(name, descr, ...)					\
	static void fstest_body_##name(const struct fstest_fs *,	\
	    const char *);						\
	static const struct fstest_tc fstest_tc_##name = {		\
		.ft_name = #name,					\
		.ft_descr = descr,					\
		.ft_body = fstest_body_##name,				\
		__VA_ARGS__						\
	};								\
	static void fstest_body_##name(					\
	    const struct fstest_fs *fs __attribute__((__unused__)),	\
	    const char *mnt __attribute__((__unused__)))

/* Add one test case per file system of the table for body `name'. */
#define FSTEST_ADD(tp, name)						\
	do {								\
		atf_error_t fstest_err_;				\
									\
		fstest_err_ = fstest_add_tcs((tp), &fstest_tc_##name); \
		if (atf_is_error(fstest_err_))				\
			return fstest_err_;				\
	} while (/* CONSTCOND */ 0)

atf_error_t fstest_add_tcs(atf_tp_t *, const struct fstest_tc *);

/*
 * For bodies: mount another instance of fs at path (created if needed),
 * with args (NULL: the defaults), or unmount one; both return 0 or an
 * errno value and keep the harness's list of mounts right, so a body
 * may unmount FSTEST_MNT and mount it again with other arguments.
 * fstest_halt() halts the kernel with rump_sys_reboot(RUMP_RB_HALT),
 * after which the harness checks the backing stores but unmounts
 * nothing.
 */
int	fstest_mount(const struct fstest_fs *, const char *path,
	    const struct fstest_args *);
int	fstest_unmount(const char *path, int flags);
int	fstest_halt(void);

/* Skip unless fs has every feature in flags, naming what it lacks. */
void	fstest_require(const struct fstest_fs *, unsigned flags);
/* The names of the features in flags, for messages. */
const char *fstest_flagnames(unsigned flags);

#endif /* !_TESTS_FS_COMMON_FSTEST_H_ */
