/*
 * tmpfs (file system layer): the storage under the vnode operations.
 * Nodes and the mount's node and page accounting, directory entries
 * (a name tree for lookup, a cookie tree for readdir), and file data in
 * a radix tree of pages.  See tmpfs.h for the structures and locking.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/dirent.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/rbtree.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "tmpfs.h"

/*
 * Data pages and radix tables come straight from the page allocator:
 * kmem_alloc() would add a header and double the size.  They need no
 * alignment beyond what any object needs.
 */
#define TMPFS_PAGE_ALIGN	16

/* Pages covered by a radix tree of height h. */
#define TMPFS_RADIX_CAP(h)	((uint64_t)1 << ((h) * TMPFS_RADIX_SHIFT))

/* The page index of the last byte a file may hold. */
#define TMPFS_MAXPAGEIDX	((uint64_t)TMPFS_MAXFILESIZE / PAGE_SIZE - 1)

static void	tmpfs_dir_init(struct tmpfs_node *);

/*
 * Nodes.
 */

/*
 * Make a node of the given type and attributes, with no links (a
 * directory has the link of its "." only).  A symbolic link copies
 * target.  ENOSPC at the node limit or when memory is short.
 */
int
tmpfs_node_alloc(struct tmpfs_mount *tmp, enum vtype type, mode_t mode,
    uid_t uid, gid_t gid, dev_t rdev, const char *target,
    struct tmpfs_node **nodep)
{
	struct tmpfs_node *node;
	struct timespec now;
	size_t len = 0;
	char *link = NULL;
	int error;

	if (type == VLNK) {
		len = strnlen(target, TMPFS_SYMLINK_MAX + 1);
		if (len > TMPFS_SYMLINK_MAX)
			return ENAMETOOLONG;
	}

	mutex_enter(&tmp->tm_lock);
	if (tmp->tm_nodes_inuse >= tmp->tm_nodes_max) {
		mutex_exit(&tmp->tm_lock);
		return ENOSPC;
	}
	tmp->tm_nodes_inuse++;
	mutex_exit(&tmp->tm_lock);

	if ((node = kmem_zalloc(sizeof(*node), KM_NOSLEEP)) == NULL) {
		error = ENOSPC;
		goto fail;
	}
	if (type == VLNK) {
		if ((link = kmem_alloc(len + 1, KM_NOSLEEP)) == NULL) {
			error = ENOSPC;
			goto fail_node;
		}
		memcpy(link, target, len);
		link[len] = '\0';
	}

	node->tn_self = node;
	node->tn_tmp = tmp;
	node->tn_type = type;
	node->tn_mode = mode & ALLPERMS;
	node->tn_uid = uid;
	node->tn_gid = gid;
	vfs_timestamp(&now);
	node->tn_atime = node->tn_mtime = node->tn_ctime = now;
	node->tn_birthtime = now;

	switch (type) {
	case VREG:
		/* All zero: no pages, height 0. */
		break;
	case VDIR:
		tmpfs_dir_init(node);
		break;
	case VLNK:
		node->tn_u.tn_link = link;
		node->tn_size = (off_t)len;
		break;
	case VCHR:
	case VBLK:
		node->tn_u.tn_rdev = rdev;
		break;
	default:
		break;
	}

	mutex_enter(&tmp->tm_lock);
	node->tn_id = tmp->tm_nextid++;
	node->tn_gen = tmp->tm_nextgen++;
	LIST_INSERT_HEAD(&tmp->tm_nodes, node, tn_entries);
	mutex_exit(&tmp->tm_lock);

	*nodep = node;
	return 0;

fail_node:
	kmem_free(node, sizeof(*node));
fail:
	mutex_enter(&tmp->tm_lock);
	tmp->tm_nodes_inuse--;
	mutex_exit(&tmp->tm_lock);
	return error;
}

/*
 * Destroy a node and everything it owns: data pages, link target, and
 * for a directory its entries (only left at unmount; the nodes they
 * name are freed on their own).
 */
void
tmpfs_node_free(struct tmpfs_mount *tmp, struct tmpfs_node *node)
{
	struct tmpfs_dir *dir;
	struct tmpfs_dirent *de;

	KASSERT(node->tn_vnode == NULL);
	switch (node->tn_type) {
	case VREG:
		(void)tmpfs_reg_resize(node, 0);
		KASSERT(node->tn_u.tn_reg.tr_npages == 0);
		break;
	case VDIR:
		dir = &node->tn_u.tn_dir;
		while ((de = RB_TREE_MIN(&dir->td_bycookie)) != NULL) {
			rb_tree_remove_node(&dir->td_bycookie, de);
			tmpfs_dirent_free(de);
		}
		if (dir->td_names != &dir->td_chain0)
			kmem_free(dir->td_names, (dir->td_namemask + 1) *
			    sizeof(*dir->td_names));
		break;
	case VLNK:
		kmem_free(node->tn_u.tn_link, (size_t)node->tn_size + 1);
		break;
	default:
		break;
	}

	if (node->tn_ext != NULL)
		node->tn_ext->te_free(node->tn_extarg);

	mutex_enter(&tmp->tm_lock);
	LIST_REMOVE(node, tn_entries);
	tmp->tm_nodes_inuse--;
	mutex_exit(&tmp->tm_lock);
	kmem_free(node, sizeof(*node));
}

/* Make vp's node (fresh, see tmpfs.h) an external one. */
int
tmpfs_node_setext(struct vnode *vp, const struct tmpfs_ext *ext, void *arg)
{
	struct tmpfs_node *node;

	if (vp->v_op != &tmpfs_vnodeops)
		return EXDEV;
	node = VP_TO_TMPFS_NODE(vp);
	KASSERT(node->tn_ext == NULL);
	node->tn_ext = ext;
	node->tn_extarg = arg;
	vp->v_op = ext->te_vnodeops;
	return 0;
}

void *
tmpfs_node_extarg(struct vnode *vp)
{

	return VP_TO_TMPFS_NODE(vp)->tn_extarg;
}

/* The vnode of node: referenced, unlocked. */
int
tmpfs_node_vget(struct mount *mp, struct tmpfs_node *node,
    struct vnode **vpp)
{

	return vcache_get(mp, &node, sizeof(node), vpp);
}

/* Set the time stamps selected by TMPFS_UPD_* to now. */
void
tmpfs_update(struct tmpfs_node *node, int which)
{
	struct timespec now;

	vfs_timestamp(&now);
	if (which & TMPFS_UPD_ATIME)
		node->tn_atime = now;
	if (which & TMPFS_UPD_MTIME)
		node->tn_mtime = now;
	if (which & TMPFS_UPD_CTIME)
		node->tn_ctime = now;
}

/*
 * Directory entries.
 */

static uint32_t
tmpfs_name_hash(const char *name, size_t len)
{

	return hash32_buf(name, len, 0);
}

static int
tmpfs_bycookie_nodes(void *ctx, const void *a, const void *b)
{
	const struct tmpfs_dirent *da = a, *db = b;

	if (da->td_cookie != db->td_cookie)
		return da->td_cookie < db->td_cookie ? -1 : 1;
	return 0;
}

static int
tmpfs_bycookie_key(void *ctx, const void *a, const void *key)
{
	const struct tmpfs_dirent *da = a;
	uint64_t cookie = *(const uint64_t *)key;

	if (da->td_cookie != cookie)
		return da->td_cookie < cookie ? -1 : 1;
	return 0;
}

static const struct rb_tree_ops tmpfs_bycookie_ops = {
	.rbto_compare_nodes = tmpfs_bycookie_nodes,
	.rbto_compare_key = tmpfs_bycookie_key,
	.rbto_node_offset = offsetof(struct tmpfs_dirent, td_cookienode),
};

/* Set up an empty directory: one link, its ".". */
static void
tmpfs_dir_init(struct tmpfs_node *node)
{
	struct tmpfs_dir *dir = &node->tn_u.tn_dir;

	dir->td_parent = NULL;
	dir->td_names = &dir->td_chain0;
	dir->td_chain0 = NULL;
	dir->td_namemask = 0;
	dir->td_count = 0;
	rb_tree_init(&dir->td_bycookie, &tmpfs_bycookie_ops);
	dir->td_nextcookie = TMPFS_COOKIE_FIRST;
	node->tn_nlink = 1;
	node->tn_size = 2 * TMPFS_DIRENT_SIZE;
}

/* A detached entry for name; ENOSPC when memory is short. */
int
tmpfs_dirent_alloc(const char *name, size_t len, struct tmpfs_dirent **dep)
{
	struct tmpfs_dirent *de;

	if (len == 0 || len > TMPFS_NAME_MAX)
		return ENAMETOOLONG;
	de = kmem_alloc(TMPFS_DIRENT_ALLOCSIZE(len), KM_NOSLEEP);
	if (de == NULL)
		return ENOSPC;
	memset(de, 0, offsetof(struct tmpfs_dirent, td_name));
	memcpy(de->td_name, name, len);
	de->td_name[len] = '\0';
	de->td_namelen = (uint16_t)len;
	de->td_hash = tmpfs_name_hash(name, len);
	*dep = de;
	return 0;
}

void
tmpfs_dirent_free(struct tmpfs_dirent *de)
{

	kmem_free(de, TMPFS_DIRENT_ALLOCSIZE(de->td_namelen));
}

/* The entry for name in directory dnode, or NULL. */
struct tmpfs_dirent *
tmpfs_dir_lookup(struct tmpfs_node *dnode, const char *name, size_t len)
{
	const struct tmpfs_dir *dir = &dnode->tn_u.tn_dir;
	struct tmpfs_dirent *de;
	uint32_t hash;

	KASSERT(dnode->tn_type == VDIR);
	if (len == 0 || len > TMPFS_NAME_MAX)
		return NULL;
	hash = tmpfs_name_hash(name, len);
	for (de = dir->td_names[hash & dir->td_namemask]; de != NULL;
	    de = de->td_hnext)
		if (de->td_hash == hash && de->td_namelen == len &&
		    memcmp(de->td_name, name, len) == 0)
			break;
	return de;
}

/* Double the name table of dir; with memory short, keep it. */
static void
tmpfs_dir_grow(struct tmpfs_dir *dir)
{
	struct tmpfs_dirent **nt, *de, *next;
	u_int n = (dir->td_namemask + 1) * 2, i;

	if ((nt = kmem_zalloc(n * sizeof(*nt), KM_NOSLEEP)) == NULL)
		return;
	for (i = 0; i <= dir->td_namemask; i++)
		for (de = dir->td_names[i]; de != NULL; de = next) {
			next = de->td_hnext;
			de->td_hnext = nt[de->td_hash & (n - 1)];
			nt[de->td_hash & (n - 1)] = de;
		}
	if (dir->td_names != &dir->td_chain0)
		kmem_free(dir->td_names, n / 2 * sizeof(*nt));
	dir->td_names = nt;
	dir->td_namemask = n - 1;
}

/*
 * Enter de, naming node, in directory dnode under a fresh cookie; the
 * name must not exist.  Counts the new link (and the ".." of a
 * directory node in dnode) and updates the time stamps.
 */
void
tmpfs_dir_attach(struct tmpfs_node *dnode, struct tmpfs_dirent *de,
    struct tmpfs_node *node)
{
	struct tmpfs_dir *dir = &dnode->tn_u.tn_dir;
	struct tmpfs_dirent *other __diagused, **pp;

	KASSERT(dnode->tn_type == VDIR);
	de->td_node = node;
	de->td_cookie = dir->td_nextcookie++;
	if (++dir->td_count > 2 * (dir->td_namemask + 1))
		tmpfs_dir_grow(dir);
	pp = &dir->td_names[de->td_hash & dir->td_namemask];
	de->td_hnext = *pp;
	*pp = de;
	other = rb_tree_insert_node(&dir->td_bycookie, de);
	KASSERT(other == de);
	dnode->tn_size += TMPFS_DIRENT_SIZE;

	node->tn_nlink++;
	if (node->tn_type == VDIR) {
		node->tn_u.tn_dir.td_parent = dnode;
		dnode->tn_nlink++;
	}
	tmpfs_update(dnode, TMPFS_UPD_MTIME | TMPFS_UPD_CTIME);
	tmpfs_update(node, TMPFS_UPD_CTIME);
}

/*
 * Take de out of directory dnode (the caller frees it).  Drops the
 * link of the named node, and for a directory node its ".." link in
 * dnode.
 */
void
tmpfs_dir_detach(struct tmpfs_node *dnode, struct tmpfs_dirent *de)
{
	struct tmpfs_dir *dir = &dnode->tn_u.tn_dir;
	struct tmpfs_node *node = de->td_node;
	struct tmpfs_dirent **pp;

	KASSERT(dnode->tn_type == VDIR);
	for (pp = &dir->td_names[de->td_hash & dir->td_namemask]; *pp != de;
	    pp = &(*pp)->td_hnext)
		KASSERT(*pp != NULL);
	*pp = de->td_hnext;
	dir->td_count--;
	rb_tree_remove_node(&dir->td_bycookie, de);
	dnode->tn_size -= TMPFS_DIRENT_SIZE;

	KASSERT(node->tn_nlink > 0);
	node->tn_nlink--;
	if (node->tn_type == VDIR) {
		KASSERT(node->tn_u.tn_dir.td_parent == dnode);
		node->tn_u.tn_dir.td_parent = NULL;
		KASSERT(dnode->tn_nlink > 2);
		dnode->tn_nlink--;
	}
	de->td_node = NULL;
	tmpfs_update(dnode, TMPFS_UPD_MTIME | TMPFS_UPD_CTIME);
	tmpfs_update(node, TMPFS_UPD_CTIME);
}

bool
tmpfs_dir_empty(const struct tmpfs_node *dnode)
{

	KASSERT(dnode->tn_type == VDIR);
	return dnode->tn_u.tn_dir.td_count == 0;
}

/* Make d the record of one entry; next is the cookie after it. */
static void
tmpfs_getdent(struct dirent *d, ino_t ino, const char *name, size_t len,
    enum vtype type, uint64_t next)
{

	memset(d, 0, _DIRENT_RECLEN(len));
	d->d_fileno = ino;
	d->d_off = (off_t)next;
	d->d_reclen = _DIRENT_RECLEN(len);
	d->d_namlen = (uint16_t)len;
	d->d_type = (uint8_t)vtype_to_dtype(type);
	memcpy(d->d_name, name, len);
}

/*
 * Fill uio with whole struct dirent records from the cookie
 * uio_offset on: "." (cookie 0), ".." (1), then the entries in cookie
 * order.  Each record's d_off, and uio_offset afterwards, is the cookie
 * to resume at.  A removed directory reads as empty.
 */
int
tmpfs_dir_getdents(struct tmpfs_node *dnode, struct uio *uio, int *eofp)
{
	struct tmpfs_dir *dir = &dnode->tn_u.tn_dir;
	struct tmpfs_dirent *de = NULL;
	struct dirent d;
	uint64_t cookie;
	bool moved = false;
	int error = 0;

	KASSERT(dnode->tn_type == VDIR);
	*eofp = 0;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (dir->td_parent == NULL) {
		*eofp = 1;
		return 0;
	}

	for (cookie = (uint64_t)uio->uio_offset;; cookie = (uint64_t)d.d_off) {
		if (cookie == TMPFS_COOKIE_DOT)
			tmpfs_getdent(&d, dnode->tn_id, ".", 1, VDIR,
			    TMPFS_COOKIE_DOTDOT);
		else if (cookie == TMPFS_COOKIE_DOTDOT)
			tmpfs_getdent(&d, dir->td_parent->tn_id, "..", 2, VDIR,
			    TMPFS_COOKIE_FIRST);
		else {
			/* The first entry at or after cookie, then the next. */
			if (de == NULL)
				de = rb_tree_find_node_geq(&dir->td_bycookie,
				    &cookie);
			else
				de = RB_TREE_NEXT(&dir->td_bycookie, de);
			if (de == NULL) {
				*eofp = 1;
				break;
			}
			tmpfs_getdent(&d, de->td_node->tn_id, de->td_name,
			    de->td_namelen, de->td_node->tn_type,
			    de->td_cookie + 1);
		}
		if (d.d_reclen > uio->uio_resid) {
			if (!moved)
				error = EINVAL;
			break;
		}
		if ((error = uiomove(&d, d.d_reclen, uio)) != 0)
			break;
		moved = true;
		uio->uio_offset = d.d_off;
	}
	return error;
}

/*
 * File data.
 */

/* Page-sized memory: a data page counted against the mount's limit. */
static void *
tmpfs_page_alloc(struct tmpfs_mount *tmp)
{
	void *page;

	mutex_enter(&tmp->tm_lock);
	if (tmp->tm_pages_inuse >= tmp->tm_pages_max) {
		mutex_exit(&tmp->tm_lock);
		return NULL;
	}
	tmp->tm_pages_inuse++;
	mutex_exit(&tmp->tm_lock);

	page = kmem_page_alloc(PAGE_SIZE, TMPFS_PAGE_ALIGN, KM_NOSLEEP);
	if (page == NULL) {
		mutex_enter(&tmp->tm_lock);
		tmp->tm_pages_inuse--;
		mutex_exit(&tmp->tm_lock);
	}
	return page;
}

/* A zeroed radix table (not counted: it is not file data). */
static void **
tmpfs_table_alloc(void)
{
	void **table;

	table = kmem_page_alloc(PAGE_SIZE, TMPFS_PAGE_ALIGN, KM_NOSLEEP);
	if (table != NULL)
		memset(table, 0, PAGE_SIZE);
	return table;
}

static void
tmpfs_table_free(void **table)
{

	kmem_page_free(table, PAGE_SIZE);
}

/*
 * The slot of page idx in the radix tree: where the pointer to the data
 * page is or goes.  With alloc, grow the tree and make missing tables
 * (NULL when memory is short); without, NULL if there is no such slot.
 */
static void **
tmpfs_reg_slot(struct tmpfs_reg *reg, uint64_t idx, bool alloc)
{
	void **table = NULL, **slotp;
	u_int level;

	if (reg->tr_hintleaf != NULL &&
	    idx - reg->tr_hintbase < TMPFS_RADIX_SLOTS)
		return &reg->tr_hintleaf[idx & TMPFS_RADIX_MASK];

	while (idx >= TMPFS_RADIX_CAP(reg->tr_height)) {
		if (!alloc)
			return NULL;
		if (reg->tr_root != NULL) {
			/* The old tree becomes the first child. */
			if ((table = tmpfs_table_alloc()) == NULL)
				return NULL;
			table[0] = reg->tr_root;
			reg->tr_root = table;
		}
		reg->tr_height++;
	}
	if (reg->tr_height == 0)
		return &reg->tr_root;

	slotp = &reg->tr_root;
	for (level = reg->tr_height; level >= 1; level--) {
		if (*slotp == NULL) {
			if (!alloc)
				return NULL;
			if ((*slotp = tmpfs_table_alloc()) == NULL)
				return NULL;
		}
		table = *slotp;
		slotp = &table[(idx >> ((level - 1) * TMPFS_RADIX_SHIFT)) &
		    TMPFS_RADIX_MASK];
	}
	reg->tr_hintleaf = table;
	reg->tr_hintbase = idx & ~(uint64_t)TMPFS_RADIX_MASK;
	return slotp;
}

/* The data page of index idx of a regular file, or NULL for a hole. */
void *
tmpfs_reg_lookup(struct tmpfs_node *node, uint64_t idx)
{
	void **slotp;

	KASSERT(node->tn_type == VREG);
	slotp = tmpfs_reg_slot(&node->tn_u.tn_reg, idx, false);
	return slotp != NULL ? *slotp : NULL;
}

/*
 * The data page of index idx, allocated if missing (*newp: its contents
 * are undefined, the caller fills or zeroes it).  ENOSPC at the size
 * limit or when memory is short.
 */
int
tmpfs_reg_getpage(struct tmpfs_node *node, uint64_t idx, void **pagep,
    bool *newp)
{
	struct tmpfs_reg *reg = &node->tn_u.tn_reg;
	void **slotp, *page;

	KASSERT(node->tn_type == VREG);
	KASSERT(idx <= TMPFS_MAXPAGEIDX);
	*newp = false;
	if ((slotp = tmpfs_reg_slot(reg, idx, true)) == NULL)
		return ENOSPC;
	if (*slotp == NULL) {
		if ((page = tmpfs_page_alloc(node->tn_tmp)) == NULL)
			return ENOSPC;
		*slotp = page;
		reg->tr_npages++;
		*newp = true;
	}
	*pagep = *slotp;
	return 0;
}

/*
 * Free the data pages of index >= first under table (at the given
 * level, its first page index base), and the tables left empty below
 * it; *freedp counts the pages.  True if table is now empty.
 */
static bool
tmpfs_radix_trunc(void **table, u_int level, uint64_t base, uint64_t first,
    uint64_t *freedp)
{
	uint64_t span = TMPFS_RADIX_CAP(level - 1), cbase;
	bool empty = true;
	u_int i;

	for (i = 0; i < TMPFS_RADIX_SLOTS; i++) {
		if (table[i] == NULL)
			continue;
		cbase = base + i * span;
		if (cbase + span <= first) {
			/* Wholly below first: kept. */
			empty = false;
		} else if (level == 1) {
			kmem_page_free(table[i], PAGE_SIZE);
			table[i] = NULL;
			(*freedp)++;
		} else if (tmpfs_radix_trunc(table[i], level - 1, cbase,
		    first, freedp)) {
			tmpfs_table_free(table[i]);
			table[i] = NULL;
		} else
			empty = false;
	}
	return empty;
}

/* Free every data page of index >= first. */
static void
tmpfs_reg_trunc(struct tmpfs_node *node, uint64_t first)
{
	struct tmpfs_reg *reg = &node->tn_u.tn_reg;
	struct tmpfs_mount *tmp = node->tn_tmp;
	uint64_t freed = 0;

	reg->tr_hintleaf = NULL;
	if (reg->tr_root != NULL && first < TMPFS_RADIX_CAP(reg->tr_height)) {
		if (reg->tr_height == 0) {
			kmem_page_free(reg->tr_root, PAGE_SIZE);
			reg->tr_root = NULL;
			freed = 1;
		} else if (tmpfs_radix_trunc(reg->tr_root, reg->tr_height, 0,
		    first, &freed)) {
			tmpfs_table_free(reg->tr_root);
			reg->tr_root = NULL;
		}
	}
	if (reg->tr_root == NULL)
		reg->tr_height = 0;

	if (freed > 0) {
		KASSERT(reg->tr_npages >= freed);
		reg->tr_npages -= freed;
		mutex_enter(&tmp->tm_lock);
		KASSERT(tmp->tm_pages_inuse >= freed);
		tmp->tm_pages_inuse -= freed;
		mutex_exit(&tmp->tm_lock);
	}
}

/*
 * Set the size of a regular file.  Shrinking frees the pages past the
 * end and zeroes the rest of the last page, so a later extension reads
 * zeros; growing leaves a hole.  EFBIG past TMPFS_MAXFILESIZE.
 */
int
tmpfs_reg_resize(struct tmpfs_node *node, off_t newsize)
{
	uint64_t off;
	char *page;

	KASSERT(node->tn_type == VREG);
	if (newsize < 0)
		return EINVAL;
	if (newsize > TMPFS_MAXFILESIZE)
		return EFBIG;
	if (newsize < node->tn_size) {
		off = (uint64_t)newsize;
		tmpfs_reg_trunc(node, howmany(off, PAGE_SIZE));
		if (off % PAGE_SIZE != 0 &&
		    (page = tmpfs_reg_lookup(node, off / PAGE_SIZE)) != NULL)
			memset(page + off % PAGE_SIZE, 0,
			    PAGE_SIZE - off % PAGE_SIZE);
	}
	node->tn_size = newsize;
	return 0;
}
