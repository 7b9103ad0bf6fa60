/*
 * fsck_ffs: check and repair a Berkeley Fast File System (UFS1 or
 * UFS2, little-endian) through a rump kernel's block device (host
 * program).  The state the passes share and their interfaces, grouped
 * by the file that implements them.
 */
#ifndef _FSCK_FFS_H_
#define _FSCK_FFS_H_

#include <stddef.h>
#include <stdint.h>

#include <fs/ffs/ffs_format.h>

/* Exit statuses (fsck_ffs.8). */
#define FSCK_EXIT_OK		0	/* clean */
#define FSCK_EXIT_FIXED		1	/* problems found, all repaired */
#define FSCK_EXIT_UNFIXED	4	/* problems left */
#define FSCK_EXIT_ERROR		8	/* usage, cannot open, no superblock */

/* Limits of our own. */
#define FSCK_MAXBAD		10	/* bad or twice-claimed pointers */
#define FSCK_MAXCONTIG		16	/* largest fs_contigsumsize */
#define FSCK_MAXREPORT		10	/* lines of one kind per inode */
#define FSCK_DT_WHT		14	/* a whiteout entry (d_ino 1) */

/* An inode of either format; the fields used come from dp_*() below. */
union dinode {
	struct ffs_dinode1	d1;
	struct ffs_dinode2	d2;
};

/* What is known of one inode, from pass 1 on. */
struct inostat {
	uint8_t		is_state;	/* IS_FREE, IS_FILE or IS_DIR */
	uint8_t		is_type;	/* FFS_DT_* from di_mode */
	int16_t		is_nlink;	/* di_nlink as found */
	uint16_t	is_nref;	/* entries naming it (saturates) */
};
#define IS_FREE		0
#define IS_FILE		1
#define IS_DIR		2

/* One directory, from pass 1 on; ck.dirs is sorted by dr_ino. */
struct dirinfo {
	uint32_t	dr_ino;
	uint32_t	dr_parent;	/* directory naming it, or 0 */
	uint32_t	dr_dotdot;	/* what its ".." says, or 0 */
	uint32_t	dr_nsub;	/* pass 4: reachable subdirectories */
	int64_t		dr_parentoff;	/* that entry's byte offset in parent */
	int64_t		dr_dotdotoff;	/* its ".." entry's offset, or -1 */
	uint32_t	dr_mark;	/* pass 3: the walk that last met it */
	uint8_t		dr_reach;	/* pass 3: connected to the root */
};

/* A second entry naming a directory (pass 2), to be removed. */
struct dirref {
	uint32_t	xr_child;
	uint32_t	xr_dir;		/* the directory holding the entry */
	int64_t		xr_off;		/* its byte offset there */
};

/* A cylinder group as read. */
struct cginfo {
	uint8_t		*cg_buf;	/* fs_cgsize bytes */
	int		cg_ok;		/* header and map offsets usable */
	uint32_t	cg_limit;	/* inodes [0, limit) were examined */
};

/* A fragment claimed more than once (pass 1), in an open hash. */
struct dupent {
	int64_t		du_fsb;		/* -1: empty slot */
	uint32_t	du_extra;	/* claims beyond the first */
	uint32_t	du_first;	/* pass 1b: first inode seen with it */
};

/* The state of the checker; one instance, ck. */
struct checker {
	/* Options. */
	int		 yflag, nflag, pflag, fflag, dflag, Fflag;
	int		 interactive;	/* ask on the terminal */
	const char	*special;
	int64_t		 altsb;		/* -b: a superblock's fragment */

	/* The device. */
	int		 fd;
	int		 writable;
	int64_t		 devsize;	/* bytes */

	/* The superblock and what follows from it. */
	struct ffs_super *fs;		/* FFS_SBLOCKSIZE bytes */
	int64_t		 sbloc;		/* byte offset it goes back to */
	int		 sbdirty;
	int		 ufs2;
	int		 isize;		/* bytes of an inode */
	uint32_t	 maxino;	/* fs_ncg * fs_ipg */
	int64_t		 maxlbn;	/* blocks a file can address */
	int64_t		 csfrags;	/* fragments of the csum array */
	struct ffs_csum	*csums;		/* fs_ncg entries as read */
	struct cginfo	*cgs;

	/* What the passes learn. */
	struct inostat	*ino;		/* maxino entries */
	uint8_t		*blkmap;	/* bit per fragment: held by an inode */
	struct dirinfo	*dirs;
	size_t		 ndirs, dirsalloc;
	struct dirref	*xrefs;
	size_t		 nxrefs, xrefsalloc;
	struct dupent	*dups;
	size_t		 ndups, dupsalloc;	/* used, slots (power of 2) */
	uint32_t	 lfino;		/* lost+found, or 0 */

	/* Results. */
	unsigned	 nproblems, nfixed, nunfixed;
	int		 modified;	/* something was written */
	int		 setclean;	/* mark it clean when done */
	int64_t		 nfiles, nused, nffree, nbfree;	/* pass 5 */
};
extern struct checker ck;

/* Bitmaps on disk and in memory are LSB-first within each byte. */
static inline int
bit_isset(const uint8_t *map, uint64_t i)
{
	return (map[i >> 3] >> (i & 7)) & 1;
}

static inline void
bit_set(uint8_t *map, uint64_t i)
{
	map[i >> 3] |= (uint8_t)(1 << (i & 7));
}

static inline void
bit_clr(uint8_t *map, uint64_t i)
{
	map[i >> 3] &= (uint8_t)~(1 << (i & 7));
}

/* The fields of an inode that differ in place between UFS1 and UFS2. */
static inline uint64_t
dp_size(const union dinode *dp)
{
	return ck.ufs2 ? dp->d2.di_size : dp->d1.di_size;
}

static inline void
dp_setsize(union dinode *dp, uint64_t v)
{
	if (ck.ufs2)
		dp->d2.di_size = v;
	else
		dp->d1.di_size = v;
}

static inline uint64_t
dp_blocks(const union dinode *dp)
{
	return ck.ufs2 ? dp->d2.di_blocks : dp->d1.di_blocks;
}

static inline void
dp_setblocks(union dinode *dp, uint64_t v)
{
	if (ck.ufs2)
		dp->d2.di_blocks = v;
	else
		dp->d1.di_blocks = (uint32_t)v;
}

static inline int64_t
dp_db(const union dinode *dp, int i)
{
	return ck.ufs2 ? dp->d2.di_db[i] : dp->d1.di_db[i];
}

static inline void
dp_setdb(union dinode *dp, int i, int64_t v)
{
	if (ck.ufs2)
		dp->d2.di_db[i] = v;
	else
		dp->d1.di_db[i] = (int32_t)v;
}

static inline int64_t
dp_ib(const union dinode *dp, int i)
{
	return ck.ufs2 ? dp->d2.di_ib[i] : dp->d1.di_ib[i];
}

static inline void
dp_setib(union dinode *dp, int i, int64_t v)
{
	if (ck.ufs2)
		dp->d2.di_ib[i] = v;
	else
		dp->d1.di_ib[i] = (int32_t)v;
}

/* Entry i of an indirect block. */
static inline int64_t
ind_get(const uint8_t *blk, int i)
{
	return ck.ufs2 ? ((const int64_t *)(const void *)blk)[i] :
	    ((const int32_t *)(const void *)blk)[i];
}

static inline void
ind_set(uint8_t *blk, int i, int64_t v)
{
	if (ck.ufs2)
		((int64_t *)(void *)blk)[i] = v;
	else
		((int32_t *)(void *)blk)[i] = (int32_t)v;
}

/* Byte offset of fragment fsb. */
#define FSB_OFF(fsb)	((int64_t)(fsb) << ck.fs->fs_fshift)

/*
 * The block pointer walker (inode.c).  walk_run() calls w_fn for every
 * non-zero pointer of an inode, in order of the logical blocks they
 * map: extended attribute blocks (UFS2), direct blocks, then each
 * indirect block before the pointers in it.  It descends into an
 * indirect block when the pointer is good, within the file, and the
 * callback answered WALK_KEEP.  Every walk of an unchanged inode sees
 * the same pointers with the same verdicts, so one walk can undo what
 * another did.
 */
struct bptr {
	int64_t		bp_fsb;		/* fragment address */
	int64_t		bp_lbn;		/* first logical block it maps */
	int		bp_level;	/* -1 ext. attr., 0 data, 1-3 ind. */
	int		bp_nfrags;	/* fragments it holds */
	int		bp_bad;		/* BP_* why it cannot be used, or 0 */
	int		bp_beyond;	/* past the end of the file */
};
#define BP_RANGE	1		/* outside the file system */
#define BP_META		2		/* in a group's metadata */
#define BP_ALIGN	3		/* crosses a block boundary */
#define BP_CLAIMABLE(bp)	((bp)->bp_bad == 0 && !(bp)->bp_beyond)

#define WALK_KEEP	0
#define WALK_CLEAR	1		/* zero this pointer and go on */
#define WALK_STOP	2		/* end the walk now */

struct walk;
typedef int (*walkfn_t)(struct walk *, const struct bptr *);

struct walk {
	uint32_t	 w_ino;
	union dinode	*w_dp;		/* may be changed by WALK_CLEAR */
	walkfn_t	 w_fn;
	void		*w_arg;
	int		 w_isdir;	/* a directory ends at its first hole */
	int64_t		 w_eofblk;	/* logical blocks within di_size */
	int64_t		 w_expect;	/* directories: next lbn expected */
	int64_t		 w_hole;	/* directories: first hole, or -1 */
	int64_t		 w_nvisit;	/* callbacks made */
	int64_t		 w_limit;	/* stop after this many, or -1 */
	int		 w_dirty;	/* w_dp was changed */
	int		 w_stopped;
	uint8_t		*w_buf[FFS_NIADDR];
};

/* fsck_ffs.c */
int	problem(int, const char *, ...) __attribute__((format(printf, 2, 3)));
void	note(const char *, ...) __attribute__((format(printf, 1, 2)));
void	debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	*xcalloc(size_t, size_t);
void	*xgrow(void *, size_t *, size_t, size_t);
void	unfixed(const char *, ...) __attribute__((format(printf, 1, 2)));
#define PROBLEM		0		/* problem(): needs a decision */
#define ROUTINE		1		/* problem(): -p repairs it */

/* disk.c */
void	disk_open(const char *);
void	disk_close(void);
int	disk_read(void *, size_t, int64_t);
int	disk_write(const void *, size_t, int64_t);
int	frags_read(int64_t, int, void *);
int	frags_write(int64_t, int, const void *);
int	inode_read(uint32_t, union dinode *);
int	inode_write(uint32_t, const union dinode *);

/* super.c */
void	sb_setup(void);
void	sb_write(void);
int	is_meta(int64_t, int);

/* walk.c */
int	ptr_bad(int64_t, int);
void	walk_init(struct walk *, uint32_t, union dinode *, walkfn_t, void *);
int	walk_run(struct walk *);
int64_t	bmap(const union dinode *, int64_t);

/* maps.c */
struct dupent *dup_lookup(int64_t);
int	frags_claim(int64_t, int);
void	frags_unclaim(int64_t, int);
int64_t	frags_alloc(int);
uint32_t inode_alloc(void);

/* inode.c */
int	mode_to_dt(uint16_t);
int	dp_hasblocks(const union dinode *);
void	inode_release(uint32_t, union dinode *, int64_t);
void	inode_clear(uint32_t, union dinode *);
struct dirinfo *dir_find(uint32_t);
struct dirinfo *dir_new(uint32_t);

/* dir.c */
int	dir_entry_ok(const uint8_t *, int);
void	dir_mkempty(uint8_t *);
void	dir_setent(uint8_t *, int, int, uint32_t, const char *, int);
int	dir_add(uint32_t, uint32_t, const char *, int);
int	dir_remove(uint32_t, int64_t);
int	dir_setino(uint32_t, int64_t, uint32_t);
uint32_t dir_make(uint32_t, uint32_t, uint16_t);

/* pass1.c */
void	pass1(void);

/* pass2.c */
void	pass2(void);

/* pass3.c */
void	pass3(void);
int	reconnect(uint32_t);

/* pass4.c */
void	pass4(void);

/* pass5.c */
void	pass5(void);

#endif /* !_FSCK_FFS_H_ */
