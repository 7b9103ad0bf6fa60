/*
 * newfs: make a Berkeley Fast File System (UFS1 or UFS2, little-endian)
 * on a disk or a disk image, writing through a rump kernel's block
 * device (host program).  newfs.c reads the command line and reports,
 * layout.c works out the geometry, build.c writes the cylinder groups,
 * inodes, root directory and superblocks, disk.c reaches the disk.
 */
#ifndef _NEWFS_H_
#define _NEWFS_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <fs/ffs/ffs_format.h>

/* The structures are written as they are in memory. */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "newfs makes little-endian file systems on little-endian hosts only"
#endif

/* Not in ffs_format.h: fs_optim values, and the defaults we choose. */
#define NEWFS_OPTTIME		0	/* allocate for speed */
#define NEWFS_OPTSPACE		1	/* allocate for little waste */
#define NEWFS_MAXPHYS		65536	/* biggest I/O: maxcontig */
#define NEWFS_MAXCONTIG		16	/* longest run summarised */
#define NEWFS_AVGFILESIZE	16384
#define NEWFS_AVGFPDIR		64
#define NEWFS_MINFREE		5	/* default reserve, percent */
#define NEWFS_OLD_RPS		60	/* UFS1's revolutions a second */
#define NEWFS_DYNPOSTBL		1	/* fs_old_postblformat */
#define NEWFS_SECTOR		512	/* sector numbers count these */

/* What the command line asks for; 0 means "choose". */
struct newfs_opts {
	int		no_version;	/* 1 or 2 */
	int64_t		no_size;	/* bytes to use; 0: all of it */
	int		no_bsize;
	int		no_fsize;
	int64_t		no_density;	/* bytes of data per inode */
	int		no_minfree;	/* percent; -1: default */
	const char	*no_volname;
};

/* layout.c */
void	layout_defaults(struct newfs_opts *, int64_t);
int	layout_make(const struct newfs_opts *, int64_t, int64_t,
	    struct ffs_super *, int64_t *, char *, size_t);
int64_t	layout_cgsize(const struct ffs_super *, int64_t, int64_t);

/* build.c */
void	build_fs(struct ffs_super *, int64_t);

/* disk.c */
int64_t	disk_open(const char *, bool, int64_t);
void	disk_prepare(int64_t, int64_t);
void	disk_write(const void *, size_t, int64_t);
void	disk_zero(int64_t, int64_t);
void	disk_close(void);

#endif /* !_NEWFS_H_ */
