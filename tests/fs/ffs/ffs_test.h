/*
 * The FFS tests' shared host-side code (t_makefs, t_corrupt): the trees
 * the images are made from, a small reader of the on-disk format that
 * knows nothing of the kernel's, and the walk that compares a tree
 * mounted in the rump kernel with the host's.
 */
#ifndef _TESTS_FS_FFS_FFS_TEST_H_
#define _TESTS_FS_FFS_FFS_TEST_H_

#include <sys/types.h>
#include <sys/stat.h>

#include <stdbool.h>
#include <stdint.h>

#include "ffs_format.h"

#define FFS_MAKEFS	"/usr/sbin/makefs"

/* One record of rump_sys_getdents(): Linux's struct dirent64. */
struct ffs_dirent {
	uint64_t	d_ino;
	int64_t		d_off;
	uint16_t	d_reclen;
	uint8_t		d_type;
	char		d_name[];
};
#define FFS_DIRENT_HDR	19	/* offsetof(struct ffs_dirent, d_name) */

/* ffs_test_tree.c */
/* Which parts ffs_mktree() makes, for an image of block size bsize. */
struct ffs_treeopt {
	int		bsize, fsize;
	bool		big;	/* t_makefs: every boundary, 5000 names */
};
void	ffs_pattern(uint32_t, off_t, void *, size_t);
uint32_t ffs_hash(const char *);
void	ffs_mktree(const char *, const struct ffs_treeopt *);
void	ffs_makefs(const char *, const char *, int, int, int, const char *);
uint64_t ffs_hashfile(const char *);

/* ffs_test_image.c */
/* An image read into memory, and what ffs_img_stat() tells of an inode. */
struct ffs_img {
	unsigned char	*buf;
	size_t		len;
	struct ffs_super sb;
	bool		ufs2;
	int		isize;		/* bytes of a dinode */
	int		nindir;
};
struct ffs_istat {
	uint16_t	mode;
	int16_t		nlink;
	uint32_t	uid, gid;
	uint64_t	size, blocks;
	int64_t		atime, mtime, ctime;
	int32_t		atimensec, mtimensec, ctimensec;
	uint32_t	rdev;		/* devices: di_db[0] */
};
/* Called by ffs_img_readdir() for each entry in use. */
typedef int (*ffs_direntfn)(void *, const char *, uint32_t ino, int type,
    size_t off);
int	ffs_img_load(struct ffs_img *, const char *, char *, size_t);
void	ffs_img_free(struct ffs_img *);
size_t	ffs_img_inode(const struct ffs_img *, uint32_t);
int	ffs_img_stat(const struct ffs_img *, uint32_t, struct ffs_istat *);
int64_t	ffs_img_bmap(const struct ffs_img *, uint32_t, int64_t, size_t *);
int	ffs_img_readdir(const struct ffs_img *, uint32_t, ffs_direntfn,
	    void *);
int	ffs_img_lookup(const struct ffs_img *, const char *, uint32_t *);

/* ffs_test_walk.c */
/*
 * What a damaged image may legitimately change (t_corrupt): objects are
 * named by their host inode, so every hard link of one is covered.
 */
#define FFS_RELAX_MODE		0x0001
#define FFS_RELAX_NLINK		0x0002
#define FFS_RELAX_UID		0x0004
#define FFS_RELAX_GID		0x0008
#define FFS_RELAX_SIZE		0x0010	/* and any bytes past the old end */
#define FFS_RELAX_MTIME		0x0020
#define FFS_RELAX_CTIME		0x0040
#define FFS_RELAX_BLOCKS	0x0080
#define FFS_RELAX_DATA		0x0100	/* bytes [lo, hi) */
#define FFS_RELAX_ATIME		0x0200
#define FFS_RELAX_MAXFULL	4
struct ffs_relax {
	/* These, and all below them: only sanity checks. */
	ino_t		full[FFS_RELAX_MAXFULL];
	int		nfull;
	/* This one's fields. */
	ino_t		ino;
	unsigned	fields;
	off_t		lo, hi;
	/* This directory may lose names and gain up to extra unknown ones. */
	ino_t		dir;
	int		extra;
};

#define FFS_WALK_ERROK		0x01	/* a call may fail (with an errno) */
#define FFS_WALK_CTIME		0x02	/* compare ctime seconds too */
#define FFS_WALK_THOROUGH	0x04	/* reread directories, seek in them */
struct ffs_inomap;
struct ffs_walk {
	const char	*host;		/* the host tree */
	const char	*rump;		/* where it is mounted */
	unsigned	flags;
	int		bsize, fsize;	/* for the probes at boundaries */
	off_t		readcap;	/* bigger files: read in parts */
	const struct ffs_img *img;	/* pristine image: inode numbers... */
	const struct ffs_relax *relax;	/* NULL: none */
	void		(*report)(void *, const char *);
	void		*arg;
	int		nfail;
	int		maxfail;	/* stop reporting after this many */
	struct ffs_inomap *map;
};
int	ffs_walk(struct ffs_walk *);

#endif /* !_TESTS_FS_FFS_FFS_TEST_H_ */
