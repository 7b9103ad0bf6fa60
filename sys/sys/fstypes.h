/*
 * Mount flags programs pass to mount() and unmount(), exported to them
 * as RUMP_MNT_* in <rump/rump_mount.h> by mkkabi.lua.
 */
#ifndef _SYS_FSTYPES_H_
#define _SYS_FSTYPES_H_

#define MNT_RDONLY	0x00000001	/* read only */
#define MNT_SYNCHRONOUS	0x00000002	/* all writes synchronous */
#define MNT_SYNC	MNT_SYNCHRONOUS
#define MNT_NOEXEC	0x00000004	/* no execution */
#define MNT_NOSUID	0x00000008	/* set-id bits ignored */
#define MNT_NODEV	0x00000010	/* device files unusable */
#define MNT_NOATIME	0x04000000	/* access times never updated */
#define MNT_UPDATE	0x00010000	/* change a mounted file system */
#define MNT_FORCE	0x00080000	/* unmount: even if busy; mount: even if dirty */

#endif /* !_SYS_FSTYPES_H_ */
