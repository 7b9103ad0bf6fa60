/*
 * The VFS faction (rump glue): starts the VFS at boot, mounts the root
 * file system (a tmpfs, registered as "rumpfs"), gives processes their
 * directories, starts etfs (etfs.c), and at shutdown syncs and unmounts
 * every file system.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/buf.h>
#include <sys/filedesc.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysent.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <fs/tmpfs/tmpfs.h>
#include <fs/tmpfs/tmpfs_args.h>

#include <rump-sys/kern.h>
#include <rump-sys/vfs.h>

static struct vfsops rumpfs_vfsops;

static void rumpvfs_init(void);
static void rumpvfs_fini(void);

static const struct rump_component rumpvfs_component = {
	.rc_type = RUMP_COMPONENT_VFS_FACTION,
	.rc_name = "rumpvfs",
	.rc_init = rumpvfs_init,
	.rc_fini = rumpvfs_fini,
};

static void __constructor
rumpvfs_ctor(void)
{

	rump_component_register(&rumpvfs_component);
}

static void
rumpvfs_fini(void)
{

	etfs_fini();
	if ((rump_shutdown_howto & RB_NOSYNC) == 0)
		vfs_syncall();
	vfs_unmountall();
	vfs_bio_fini();
}

static void
rumpvfs_init(void)
{
	struct tmpfs_args args;
	struct mount *mp;
	int error;

	syscall_install(sysent_vfs);
	vfs_vnode_init();
	namei_init();
	vfs_mount_init();
	vfs_bio_init();
	rumpfs_vfsops = tmpfs_vfsops;
	rumpfs_vfsops.vfs_name = "rumpfs";
	if ((error = vfs_attach(&rumpfs_vfsops)) != 0)
		panic("rumpvfs: cannot register rumpfs: %d", error);

	memset(&args, 0, sizeof(args));
	args.ta_version = TMPFS_ARGS_VERSION;
	args.ta_root_mode = 0755;
	if ((error = vfs_domount("rumpfs", NULL, "/", 0, &args, sizeof(args),
	    &mp)) != 0)
		panic("rumpvfs: cannot mount the root file system: %d", error);
	if ((error = VFS_ROOT(mp, &rootvnode)) != 0)
		panic("rumpvfs: no root vnode: %d", error);
	cwd_init();
	etfs_init();
}

