/*
 * libp2k: a rump kernel file system mounted on the host through FUSE,
 * by an ordinary user.  FUSE's node ids are referenced vnodes of the
 * kernel (<rump/rump_vnode.h>), and every request runs with the
 * requester's uid and gids, so the kernel checks permissions as it
 * would for its own processes.
 *
 * p2k_main() is the whole of a mount tool such as rump_ffs:
 *
 *	rump_ffs [-h] [-f] [-d] [-o opt,...] image[%PART%] mountpoint
 *
 * It mounts the image with the kernel's file system of type fstype
 * (libukfs), serves it on mountpoint, detaches unless -f, and on
 * unmount (fusermount3 -u, umount), SIGTERM or SIGINT unmounts the
 * kernel's file system cleanly before it exits.  A file system type
 * without a device (tmpfs) takes no image argument.
 */
#ifndef _P2K_H_
#define _P2K_H_

#ifdef __cplusplus
extern "C" {
#endif

int	p2k_main(const char *fstype, int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif /* !_P2K_H_ */
