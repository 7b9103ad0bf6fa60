/*
 * The mount argument of tmpfs.  Kernel ABI: exported to programs as
 * struct tmpfs_args in <rump/rump_mount.h> by mkkabi.lua.
 */
#ifndef _FS_TMPFS_TMPFS_ARGS_H_
#define _FS_TMPFS_TMPFS_ARGS_H_

#include <sys/types.h>

#define TMPFS_ARGS_VERSION	1

struct tmpfs_args {	/* kabi */
	int32_t		ta_version;	/* TMPFS_ARGS_VERSION */
	uint32_t	ta_root_uid;
	uint32_t	ta_root_gid;
	uint32_t	ta_root_mode;	/* permission bits of the root */
	uint64_t	ta_nodes_max;	/* files, 0: the default */
	uint64_t	ta_size_max;	/* bytes, 0: the default */
};

#endif /* !_FS_TMPFS_TMPFS_ARGS_H_ */
