/*
 * The FFS component (rump glue): registers the file system type when
 * the rump kernel boots.
 */

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/systm.h>

#include <fs/ffs/ffs.h>

#include <rump-sys/kern.h>

RUMP_COMPONENT(RUMP_COMPONENT_VFS, ffs)
{
	int error;

	if ((error = vfs_attach(&ffs_vfsops)) != 0)
		panic("ffs: vfs_attach failed: %d", error);
}
