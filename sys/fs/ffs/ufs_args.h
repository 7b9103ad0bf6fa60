/*
 * The mount argument of disk file systems (ffs, and every later one that
 * mounts a block device).  Kernel ABI: exported to programs as struct
 * ufs_args in <rump/rump_mount.h> by mkkabi.lua.
 */
#ifndef _FS_FFS_UFS_ARGS_H_
#define _FS_FFS_UFS_ARGS_H_

#include <sys/types.h>

struct ufs_args {	/* kabi */
	const char	*fspec;	/* the block device: a path in the kernel */
};

#endif /* !_FS_FFS_UFS_ARGS_H_ */
