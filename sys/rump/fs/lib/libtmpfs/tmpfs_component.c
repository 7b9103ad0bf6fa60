/*
 * The tmpfs component (rump glue): registers the file system type when
 * the rump kernel boots.
 */

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/systm.h>

#include <fs/tmpfs/tmpfs.h>

#include <rump-sys/kern.h>

RUMP_COMPONENT(RUMP_COMPONENT_VFS, tmpfs)
{
	int error;

	if ((error = vfs_attach(&tmpfs_vfsops)) != 0)
		panic("tmpfs: vfs_attach failed: %d", error);
}
