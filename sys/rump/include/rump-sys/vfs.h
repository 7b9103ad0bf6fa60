/*
 * Internal interfaces of the VFS faction (rump glue): what rumpvfs.c
 * calls in the faction's other glue files.
 */
#ifndef _RUMP_SYS_VFS_H_
#define _RUMP_SYS_VFS_H_

/* etfs.c: host files in the namespace. */
void	etfs_init(void);	/* after the root file system is mounted */
void	etfs_fini(void);	/* before the file systems are unmounted */

#endif /* !_RUMP_SYS_VFS_H_ */
