/*
 * FFS, the Berkeley Fast File System (file system layer): the in-core
 * structures shared by
 *	ffs_vfsops.c	mounting, the superblock, sync, statvfs
 *	ffs_inode.c	inodes: load, update, block map, truncate
 *	ffs_alloc.c	the allocator: blocks, fragments, inodes
 *	ffs_dir.c	directories: lookup, enter, remove, readdir
 *	ffs_dirhash.c	an index of big directories' names
 *	ffs_vnops.c	the vnode operations
 * The on-disk format is in ffs_format.h.
 *
 * All disk I/O goes through the buffer cache (sys/buf.h) on the mounted
 * device, keyed by physical address: metadata (superblock, cylinder
 * groups, inode blocks, indirect blocks) in whole blocks, file data in
 * the size each block has on disk (a run of fragments for the last
 * block of a small file).  Before a disk address is used for a buffer
 * of another size, the old buffer is dropped (binval).
 *
 * Locking.  The vnode lock protects an inode's fields and, for a
 * directory, its entries.  fm_alloclock (a sleeping lock, held across
 * reads of cylinder-group blocks) serialises the allocator: the
 * cylinder-group blocks, fm_csum and the superblock's counts.  Inode
 * blocks are shared by several inodes; their buffers are only ever
 * held busy briefly, with no other buffer.
 *
 * Bad input.  Every value read from disk is checked before use: block
 * pointers against the file system's size, directory entries against
 * their block, sizes against the format's limits.  A bad one is EIO
 * (EFTYPE for a superblock) and one console line naming the inode.
 */
#ifndef _FS_FFS_FFS_H_
#define _FS_FFS_FFS_H_

#include <sys/types.h>
#include <sys/param.h>
#include <sys/kauth.h>
#include <sys/rwlock.h>
#include <sys/mutex.h>
#include <sys/time.h>

#include <fs/ffs/ffs_format.h>

struct bufdev;
struct buf;
struct mount;
struct vnode;
struct componentname;
struct uio;
struct vattr;
struct ffs_dirhash;

struct ffs_mount {
	struct mount	*fm_mp;
	struct bufdev	*fm_bd;		/* the device, open for the cache */
	dev_t		fm_dev;
	struct ffs_super *fm_fs;	/* in-core superblock (fs_sbsize) */
	struct ffs_csum	*fm_csum;	/* per group, fs_ncg of them */
	size_t		fm_csumsize;	/* bytes allocated for fm_csum */
	bool		fm_ufs2;
	bool		fm_ronly;
	bool		fm_fmod;	/* superblock counts changed */
	bool		fm_wasclean;	/* clean when mounted */
	int		fm_maxsymlinklen;
	krwlock_t	fm_alloclock;	/* the allocator's state */
	uint64_t	fm_maxfilesize;
	uint32_t	fm_maxino;	/* fs_ncg * fs_ipg */
	u_int		fm_nextgen;	/* for di_gen (atomic) */
	kmutex_t	fm_badlock;	/* the console line rate: */
	int		fm_badtime, fm_badcount, fm_baddropped;
};

/* One file: the in-core copy of its inode. */
struct ffs_inode {
	struct vnode	*i_vnode;
	struct ffs_mount *i_fm;
	ino_t		i_number;	/* also the vcache key */
	int		i_flag;		/* IN_* */
	int64_t		i_nextr;	/* the logical block read next */
	int64_t		i_ranext;	/* read-ahead has started below it */
	struct ffs_dirhash *i_dirhash;	/* a big directory's index */
	union {
		struct ffs_dinode1 d1;
		struct ffs_dinode2 d2;
	} i_din;
};

#define IN_MODIFIED	0x0001		/* the dinode is to be written */
#define IN_ACCESS	0x0002		/* atime to be set */
#define IN_UPDATE	0x0004		/* mtime to be set */
#define IN_CHANGE	0x0008		/* ctime to be set */
#define IN_DEAD		0x0010		/* freed: never write it again */

#define VTOI(vp)	((struct ffs_inode *)(vp)->v_data)
#define ITOV(ip)	((ip)->i_vnode)
#define ITOFS(ip)	((ip)->i_fm->fm_fs)

/*
 * A field of the dinode of either format: DIP(ip, size), DIP(ip, db[i]);
 * DIP_SET(ip, field, value).
 */
#define DIP(ip, f)							\
	((ip)->i_fm->fm_ufs2 ? (int64_t)(ip)->i_din.d2.di_##f :		\
	    (int64_t)(ip)->i_din.d1.di_##f)
#define DIP_SET(ip, f, v) do {						\
	if ((ip)->i_fm->fm_ufs2)					\
		(ip)->i_din.d2.di_##f = (v);				\
	else								\
		(ip)->i_din.d1.di_##f = (v);				\
} while (0)

/* Console lines about bad metadata. */
void	ffs_bad(struct ffs_mount *, ino_t, const char *, ...)
	    __printflike(3, 4);

/* ffs_vfsops.c */
extern struct vfsops ffs_vfsops;
/*
 * Can nfrags fragments at fsb belong to a file: inside the file system
 * and outside every group's metadata and the summary area?
 */
bool	ffs_fsb_ok(struct ffs_mount *, int64_t fsb, int64_t nfrags);
int	ffs_sbupdate(struct ffs_mount *, bool wait);

/* ffs_inode.c */
int	ffs_iload(struct ffs_mount *, ino_t, struct ffs_inode *);
int	ffs_iupdate(struct ffs_inode *, bool wait);
void	ffs_itimes(struct ffs_inode *);
/* The fragment address of logical block lbn (0: a hole). */
int	ffs_bmap(struct ffs_inode *, int64_t lbn, int64_t *fsbp);
/*
 * The buffer for the bytes [off, off + len) of the file, all in one
 * logical block, allocated if needed (busy; zeros where never
 * written).  BA_CLRBUF: the caller will not overwrite all of it, so
 * read what is there.  BA_DIRECT: the caller writes the whole block
 * straight to the disk (O_DIRECT), so no buffer (NULL) unless one of the
 * block is cached already.
 */
#define BA_CLRBUF	0x0001
#define BA_DIRECT	0x0002
int	ffs_balloc(struct ffs_inode *, off_t off, size_t len,
	    kauth_cred_t, int flags, struct buf **);
int	ffs_truncate(struct ffs_inode *, off_t, kauth_cred_t);
/* Read logical block lbn of a file (a hole reads as zeros). */
int	ffs_blkread(struct ffs_inode *, int64_t lbn, struct buf **);
int	ffs_rdwr(struct ffs_inode *, struct uio *, int ioflag, kauth_cred_t);

/* ffs_alloc.c */
/*
 * Allocate size bytes (a block, or a run of fragments inside one
 * block) for logical block lbn of ip, near bpref; *fsbp: its fragment
 * address.  ENOSPC if full (for the reserve, unless cred is root).
 */
int	ffs_alloc(struct ffs_inode *, int64_t lbn, int64_t bpref, int size,
	    kauth_cred_t, int64_t *fsbp);
/*
 * Grow the fragment run bprev of osize bytes to nsize bytes: in place
 * if the fragments after it are free, else somewhere new (the caller
 * moves the data and frees the old run).  *fsbp: the address.
 */
int	ffs_realloc(struct ffs_inode *, int64_t lbn, int64_t bprev,
	    int64_t bpref, int osize, int nsize, kauth_cred_t, int64_t *fsbp);
/* Where the block lbn of ip would best go (bap: its pointer array). */
int64_t	ffs_blkpref(struct ffs_inode *, int64_t lbn, int indx,
	    const void *bap);
void	ffs_blkfree(struct ffs_mount *, int64_t fsb, int size, ino_t);
int	ffs_ialloc(struct ffs_inode *pip, mode_t, kauth_cred_t, ino_t *);
void	ffs_ifree(struct ffs_mount *, ino_t, mode_t);
/* Free fragments that non-root callers may use (negative: none). */
int64_t	ffs_freespace(struct ffs_mount *, int minfree);

/* ffs_dir.c */
int	ffs_dirlookup(struct ffs_inode *dp, const char *name, size_t len,
	    ino_t *inop, off_t *offp);
int	ffs_direnter(struct ffs_inode *dp, const char *name, size_t len,
	    ino_t, int dtype, kauth_cred_t);
int	ffs_dirremove(struct ffs_inode *dp, const char *name, size_t len);
/* Point the entry name of dp at ino (rename over an existing name). */
int	ffs_dirrewrite(struct ffs_inode *dp, const char *name, size_t len,
	    ino_t, int dtype);
int	ffs_dirempty(struct ffs_inode *dp, ino_t parent, bool *emptyp);
int	ffs_dirinit(struct ffs_inode *ip, ino_t parent, kauth_cred_t);
int	ffs_dirreaddir(struct ffs_inode *dp, struct uio *, int *eofp);
int	ffs_dirdotdot(struct ffs_inode *dp, ino_t *inop);

/* ffs_vnops.c */
extern const struct vnodeops ffs_vnodeops;
int	ffs_vtype(struct ffs_inode *);	/* enum vtype */

#endif /* !_FS_FFS_FFS_H_ */
