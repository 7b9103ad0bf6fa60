/*
 * File system statistics: struct statvfs.  Kernel ABI, mirrored for host
 * code by mkkabi.lua.
 */
#ifndef _SYS_STATVFS_H_
#define _SYS_STATVFS_H_

#include <sys/types.h>

#define VFS_NAMELEN	32	/* file system type names */
#define VFS_MNAMELEN	1024	/* mount point and source names */

struct statvfs {	/* kabi */
	uint64_t	f_flag;		/* ST_* */
	uint64_t	f_bsize;	/* preferred I/O size */
	uint64_t	f_frsize;	/* the unit of the counts below */
	uint64_t	f_blocks;
	uint64_t	f_bfree;
	uint64_t	f_bavail;	/* free to non-root */
	uint64_t	f_files;
	uint64_t	f_ffree;
	uint64_t	f_favail;
	uint64_t	f_fsid;
	uint64_t	f_namemax;
	char		f_fstypename[32];
	char		f_mntonname[1024];
	char		f_mntfromname[1024];
};

#define ST_RDONLY	0x00000001
#define ST_NOSUID	0x00000008
#define ST_NOEXEC	0x00000004
#define ST_SYNCHRONOUS	0x00000002
#define ST_NODEV	0x00000010

#endif /* !_SYS_STATVFS_H_ */
