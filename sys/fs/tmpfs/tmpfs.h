/*
 * tmpfs, a file system kept in kernel memory (file system layer): the
 * structures shared by tmpfs_subr.c (nodes, directory entries, file
 * pages, accounting), tmpfs_vnops.c (the vnode operations) and
 * tmpfs_vfsops.c (mounting).
 *
 * Every file is a struct tmpfs_node.  Its vnode-cache key is the node's
 * address (tn_self), so a node is found again as long as it lives; a
 * node lives while it has links, or while its vnode does.
 *
 * Locking.  The vnode lock of a node protects the node's fields, and
 * for a directory its entries; a directory's link count and its
 * entries change only with the directory locked exclusively, a node's
 * link count only with the node locked.  Reads and writes come with
 * the lock held exclusively (they move the radix tree's hint).  The
 * parent links of directories change only in rename, under the mount's
 * rename lock, or in rmdir of an empty directory.  tm_lock protects
 * the mount's counters and node list; it is a leaf lock, never held
 * across vcache_get() or an allocation that may sleep.
 */
#ifndef _FS_TMPFS_TMPFS_H_
#define _FS_TMPFS_TMPFS_H_

#include <sys/types.h>
#include <sys/param.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/queue.h>
#include <sys/rbtree.h>
#include <sys/time.h>
#include <sys/vnode.h>

struct mount;
struct uio;
struct vfsops;

/* Limits. */
#define TMPFS_LINK_MAX		32767		/* links to one node */
#define TMPFS_NAME_MAX		255		/* bytes in a name */
#define TMPFS_SYMLINK_MAX	(MAXPATHLEN - 1) /* bytes in a link target */
#define TMPFS_MAXFILESIZE	((off_t)(INT64_MAX & ~(int64_t)PAGE_MASK))
#define TMPFS_MIN_NODES		3		/* default nodes_max floor */

/*
 * A directory's size: this many bytes per entry, "." and ".."
 * included, so an empty directory is 2 * TMPFS_DIRENT_SIZE bytes.
 */
#define TMPFS_DIRENT_SIZE	32

/* Cookies of "." and ".."; real entries get cookies from here on. */
#define TMPFS_COOKIE_DOT	0
#define TMPFS_COOKIE_DOTDOT	1
#define TMPFS_COOKIE_FIRST	2

/*
 * File data: a radix tree of page-sized tables indexed by page number.
 * Height 0: tr_root is the page of index 0 (or NULL); height h >= 1:
 * tr_root is a table of TMPFS_RADIX_SLOTS pointers and the tree covers
 * pages [0, 2^(h * TMPFS_RADIX_SHIFT)).  Tables at height 1 (leaves)
 * point at data pages.  A missing page is a hole and reads as zeros.
 * The hint remembers the last leaf used, so sequential I/O skips the
 * walk.  Bytes of an allocated page past the end of file are zero.
 */
#define TMPFS_RADIX_SHIFT	9
#define TMPFS_RADIX_SLOTS	(1 << TMPFS_RADIX_SHIFT)
#define TMPFS_RADIX_MASK	(TMPFS_RADIX_SLOTS - 1)
CTASSERT(TMPFS_RADIX_SLOTS * sizeof(void *) == PAGE_SIZE);

struct tmpfs_reg {
	void		*tr_root;
	u_int		tr_height;
	void		**tr_hintleaf;	/* a leaf table, or NULL */
	uint64_t	tr_hintbase;	/* first page index of tr_hintleaf */
	uint64_t	tr_npages;	/* data pages allocated */
};

/*
 * A directory: its entries by name for lookup (ordered by hash, then
 * name, so even colliding names cost O(log n)), and by cookie for
 * readdir.  The parent is NULL once the
 * directory has been removed; the root is its own parent.
 */
struct tmpfs_dir {
	struct tmpfs_node *td_parent;
	/*
	 * Names: hash chains through td_hnext, by td_hash & td_namemask.
	 * The table starts as the one chain td_chain0 and doubles when
	 * there are twice as many entries as chains (if memory allows).
	 */
	struct tmpfs_dirent **td_names;
	struct tmpfs_dirent *td_chain0;
	u_int		td_namemask;
	u_int		td_count;	/* entries */
	struct rb_tree	td_bycookie;	/* readdir order */
	uint64_t	td_nextcookie;	/* never reused */
};

struct tmpfs_mount;

struct tmpfs_node {
	struct tmpfs_node *tn_self;	/* vcache key: this node's address */
	struct tmpfs_mount *tn_tmp;
	LIST_ENTRY(tmpfs_node) tn_entries;	/* tm_nodes, tm_lock */
	struct vnode	*tn_vnode;	/* attached vnode, or NULL */

	enum vtype	tn_type;
	mode_t		tn_mode;	/* permission bits only */
	uid_t		tn_uid;
	gid_t		tn_gid;
	nlink_t		tn_nlink;
	uint32_t	tn_flags;
	ino_t		tn_id;
	uint64_t	tn_gen;
	off_t		tn_size;
	struct timespec	tn_atime;
	struct timespec	tn_mtime;
	struct timespec	tn_ctime;
	struct timespec	tn_birthtime;

	/* Set by tmpfs_node_setext(): an external node's owner. */
	const struct tmpfs_ext *tn_ext;
	void		*tn_extarg;

	union {
		struct tmpfs_reg tn_reg;	/* VREG */
		struct tmpfs_dir tn_dir;	/* VDIR */
		char		*tn_link;	/* VLNK: tn_size + 1 bytes */
		dev_t		tn_rdev;	/* VCHR, VBLK */
	} tn_u;
};

/*
 * A name in a directory.  Allocated with room for the name and a NUL
 * (TMPFS_DIRENT_ALLOCSIZE).  The hash chain link sits next to the hash
 * and length a lookup compares first.
 */
struct tmpfs_dirent {
	struct tmpfs_dirent *td_hnext;	/* tmpfs_dir.td_names chain */
	uint32_t	td_hash;
	uint16_t	td_namelen;
	struct rb_node	td_cookienode;	/* tmpfs_dir.td_bycookie */
	uint64_t	td_cookie;
	struct tmpfs_node *td_node;
	char		td_name[];
};

#define TMPFS_DIRENT_ALLOCSIZE(namelen)				\
	(offsetof(struct tmpfs_dirent, td_name) + (namelen) + 1)

/* One mounted tmpfs (mnt_data). */
struct tmpfs_mount {
	kmutex_t	tm_lock;
	uint64_t	tm_pages_max;	/* data pages allowed */
	uint64_t	tm_pages_inuse;	/* tm_lock */
	uint64_t	tm_nodes_max;	/* nodes allowed */
	uint64_t	tm_nodes_inuse;	/* tm_lock */
	ino_t		tm_nextid;	/* tm_lock */
	uint64_t	tm_nextgen;	/* tm_lock */
	LIST_HEAD(, tmpfs_node) tm_nodes;	/* tm_lock */
	struct tmpfs_node *tm_root;
};

#define VFS_TO_TMPFS(mp)	((struct tmpfs_mount *)(mp)->mnt_data)
#define VP_TO_TMPFS_NODE(vp)	((struct tmpfs_node *)(vp)->v_data)

/* Time stamp selectors of tmpfs_update(). */
#define TMPFS_UPD_ATIME		0x01
#define TMPFS_UPD_MTIME		0x02
#define TMPFS_UPD_CTIME		0x04

/* tmpfs_subr.c: nodes. */
int	tmpfs_node_alloc(struct tmpfs_mount *, enum vtype, mode_t, uid_t,
	    gid_t, dev_t, const char *, struct tmpfs_node **);
void	tmpfs_node_free(struct tmpfs_mount *, struct tmpfs_node *);
int	tmpfs_node_vget(struct mount *, struct tmpfs_node *,
	    struct vnode **);
void	tmpfs_update(struct tmpfs_node *, int);

/* tmpfs_subr.c: directories. */
int	tmpfs_dirent_alloc(const char *, size_t, struct tmpfs_dirent **);
void	tmpfs_dirent_free(struct tmpfs_dirent *);
struct tmpfs_dirent *tmpfs_dir_lookup(struct tmpfs_node *, const char *,
	    size_t);
void	tmpfs_dir_attach(struct tmpfs_node *, struct tmpfs_dirent *,
	    struct tmpfs_node *);
void	tmpfs_dir_detach(struct tmpfs_node *, struct tmpfs_dirent *);
bool	tmpfs_dir_empty(const struct tmpfs_node *);
int	tmpfs_dir_getdents(struct tmpfs_node *, struct uio *, int *);

/* tmpfs_subr.c: file data. */
void	*tmpfs_reg_lookup(struct tmpfs_node *, uint64_t);
int	tmpfs_reg_getpage(struct tmpfs_node *, uint64_t, void **, bool *);
int	tmpfs_reg_resize(struct tmpfs_node *, off_t);

/* tmpfs_vnops.c */
extern const struct vnodeops tmpfs_vnodeops;

/*
 * External nodes: a node whose vnodes take another vnode-operation
 * vector (which may call tmpfs_vnodeops for what it leaves alone), so
 * the owner (the rump kernel's etfs) can serve the node's data from
 * elsewhere; te_free(arg) is called when the node is freed.  Set on a
 * fresh node while its parent directory is locked exclusively, before
 * anyone else can look it up.
 */
struct tmpfs_ext {
	const struct vnodeops *te_vnodeops;
	void	(*te_free)(void *arg);
};
int	tmpfs_node_setext(struct vnode *, const struct tmpfs_ext *, void *);
void	*tmpfs_node_extarg(struct vnode *);

/* tmpfs_vfsops.c */
extern struct vfsops tmpfs_vfsops;

#endif /* !_FS_TMPFS_TMPFS_H_ */
