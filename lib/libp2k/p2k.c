/*
 * libp2k (host side): FUSE's low-level interface served by the rump
 * kernel's vnode interface.  A FUSE node id is a struct p2k_node, which
 * holds one reference to its vnode and counts FUSE's lookups of it;
 * the vnode is let go when FUSE forgets the last one.  The root is
 * FUSE_ROOT_ID.  An open file is a struct p2k_file in fi->fh, holding
 * the kernel's (struct rump_file); those FUSE never released are closed
 * at the end.  Credentials come from each request's uid, gid and
 * supplementary groups (see cred_of()).
 */

#define FUSE_USE_VERSION	312

#include <sys/queue.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rump_vnode.h>
#include <rump/ukfs.h>

#include "p2k.h"

#define P2K_TIMEOUT	1.0	/* seconds FUSE may cache what we say */
#define P2K_HASHBITS	14
#define P2K_NHASH	(1u << P2K_HASHBITS)	/* node hash chains */
#define P2K_MAXGROUPS	16	/* the kernel's NGROUPS_MAX */

struct p2k_node {
	struct p2k_node	*pn_next;	/* hash chain */
	struct rump_vnode *pn_vp;	/* one reference */
	uint64_t	pn_nlookup;	/* FUSE's lookups not forgotten */
};

/* A credential made for a uid, gid and group list, kept to the end. */
struct p2k_cred {
	struct p2k_cred	*pc_next;
	uid_t		pc_uid;
	gid_t		pc_gid;
	int		pc_ngroups;
	gid_t		pc_groups[P2K_MAXGROUPS];
	struct rump_cred *pc_cred;
};

/* An open file: fi->fh. */
struct p2k_file {
	LIST_ENTRY(p2k_file) pf_list;
	struct rump_file *pf_fp;
};

struct p2k {
	struct p2k_node	p_root;
	pthread_mutex_t	p_lock;		/* the nodes, creds and files */
	struct p2k_node	*p_hash[P2K_NHASH];
	struct p2k_cred	*p_creds;
	LIST_HEAD(, p2k_file) p_files;
	struct rump_cred *p_rootcred;
};

static struct p2k *
p2k_of(fuse_req_t req)
{

	return fuse_req_userdata(req);
}

static struct p2k_node *
node_of(struct p2k *p, fuse_ino_t ino)
{

	return ino == FUSE_ROOT_ID ? &p->p_root :
	    (struct p2k_node *)(uintptr_t)ino;
}

static struct rump_vnode *
vp_of(fuse_req_t req, fuse_ino_t ino)
{

	return node_of(p2k_of(req), ino)->pn_vp;
}

static unsigned int
node_hash(struct rump_vnode *vp)
{

	/* Fibonacci hashing: vnodes come from a pool at a fixed stride. */
	return (unsigned int)(((uint64_t)(uintptr_t)vp *
	    0x9e3779b97f4a7c15ull) >> (64 - P2K_HASHBITS));
}

/*
 * The node of vp, a new reference, counted as one more lookup: an
 * existing node keeps its own reference and vp's is dropped.
 */
static fuse_ino_t
node_get(struct p2k *p, struct rump_vnode *vp)
{
	struct p2k_node *pn;
	unsigned int h = node_hash(vp);
	bool dup = true;

	pthread_mutex_lock(&p->p_lock);
	if (vp == p->p_root.pn_vp)
		pn = &p->p_root;
	else {
		for (pn = p->p_hash[h]; pn != NULL; pn = pn->pn_next)
			if (pn->pn_vp == vp)
				break;
		if (pn == NULL && (pn = calloc(1, sizeof(*pn))) != NULL) {
			pn->pn_vp = vp;
			pn->pn_next = p->p_hash[h];
			p->p_hash[h] = pn;
			dup = false;
		}
	}
	if (pn != NULL)
		pn->pn_nlookup++;
	pthread_mutex_unlock(&p->p_lock);
	if (dup)
		rump_pub_vn_rele(vp);	/* also if out of memory */
	if (pn == NULL)
		return 0;
	return pn == &p->p_root ? FUSE_ROOT_ID : (fuse_ino_t)(uintptr_t)pn;
}

/* FUSE forgets n lookups of ino; the last one lets the vnode go. */
static void
node_forget(struct p2k *p, fuse_ino_t ino, uint64_t n)
{
	struct p2k_node *pn = node_of(p, ino), **pp;
	struct rump_vnode *vp = NULL;

	pthread_mutex_lock(&p->p_lock);
	pn->pn_nlookup -= n < pn->pn_nlookup ? n : pn->pn_nlookup;
	if (pn->pn_nlookup == 0 && pn != &p->p_root) {
		for (pp = &p->p_hash[node_hash(pn->pn_vp)]; *pp != pn;
		    pp = &(*pp)->pn_next)
			continue;
		*pp = pn->pn_next;
		vp = pn->pn_vp;
		free(pn);
	}
	pthread_mutex_unlock(&p->p_lock);
	if (vp != NULL)
		rump_pub_vn_rele(vp);
}

/* Keep fp as an open file of FUSE's: its fi->fh, or 0 (fp closed). */
static uint64_t
file_new(struct p2k *p, struct rump_file *fp)
{
	struct p2k_file *pf;

	if ((pf = malloc(sizeof(*pf))) == NULL) {
		rump_pub_vn_close(fp);
		return 0;
	}
	pf->pf_fp = fp;
	pthread_mutex_lock(&p->p_lock);
	LIST_INSERT_HEAD(&p->p_files, pf, pf_list);
	pthread_mutex_unlock(&p->p_lock);
	return (uint64_t)(uintptr_t)pf;
}

static struct rump_file *
file_of(const struct fuse_file_info *fi)
{

	return ((struct p2k_file *)(uintptr_t)fi->fh)->pf_fp;
}

static void
file_close(struct p2k *p, uint64_t fh)
{
	struct p2k_file *pf = (struct p2k_file *)(uintptr_t)fh;

	pthread_mutex_lock(&p->p_lock);
	LIST_REMOVE(pf, pf_list);
	pthread_mutex_unlock(&p->p_lock);
	rump_pub_vn_close(pf->pf_fp);
	free(pf);
}

/*
 * The kernel credentials of the request's caller: its uid, gid and
 * supplementary groups (the first P2K_MAXGROUPS).  Reading the groups
 * costs a look at /proc, so each FUSE thread remembers the last caller
 * (pid, uid, gid); credentials are shared by all with the same ids and
 * groups, and kept until the end, so none goes while in use.
 */
struct p2k_lastcaller {
	pid_t		lc_pid;
	uid_t		lc_uid;
	gid_t		lc_gid;
	struct rump_cred *lc_cred;
};
static __thread struct p2k_lastcaller p2k_last;

static struct rump_cred *
cred_of(fuse_req_t req)
{
	struct p2k *p = p2k_of(req);
	const struct fuse_ctx *ctx = fuse_req_ctx(req);
	struct p2k_lastcaller *lc = &p2k_last;
	gid_t groups[NGROUPS_MAX];
	struct p2k_cred *pc;
	int n;

	if (lc->lc_cred != NULL && lc->lc_pid == ctx->pid &&
	    lc->lc_uid == ctx->uid && lc->lc_gid == ctx->gid)
		return lc->lc_cred;
	n = fuse_req_getgroups(req, NGROUPS_MAX, groups);
	if (n < 0)
		n = 0;
	if (n > P2K_MAXGROUPS)
		n = P2K_MAXGROUPS;
	pthread_mutex_lock(&p->p_lock);
	for (pc = p->p_creds; pc != NULL; pc = pc->pc_next)
		if (pc->pc_uid == ctx->uid && pc->pc_gid == ctx->gid &&
		    pc->pc_ngroups == n &&
		    memcmp(pc->pc_groups, groups, sizeof(gid_t) * (size_t)n) == 0)
			break;
	if (pc == NULL && (pc = calloc(1, sizeof(*pc))) != NULL) {
		pc->pc_uid = ctx->uid;
		pc->pc_gid = ctx->gid;
		pc->pc_ngroups = n;
		memcpy(pc->pc_groups, groups, sizeof(gid_t) * (size_t)n);
		if (rump_pub_cred_create(ctx->uid, ctx->gid, n, groups,
		    &pc->pc_cred) != 0) {
			free(pc);
			pc = NULL;
		} else {
			pc->pc_next = p->p_creds;
			p->p_creds = pc;
		}
	}
	pthread_mutex_unlock(&p->p_lock);
	if (pc == NULL)
		return NULL;
	lc->lc_pid = ctx->pid;
	lc->lc_uid = ctx->uid;
	lc->lc_gid = ctx->gid;
	lc->lc_cred = pc->pc_cred;
	return pc->pc_cred;
}

/*
 * Requests.  Each answers with fuse_reply_*(); a failure of the kernel
 * is its errno.
 */

#define CRED_OR_FAIL(req, cr) do {					\
	if (((cr) = cred_of(req)) == NULL) {				\
		fuse_reply_err(req, ENOMEM);				\
		return;							\
	}								\
} while (0)

/*
 * Answer a lookup-like request with vp (referenced), and for create
 * with the open file in fi.  A reply FUSE did not take (the request
 * was interrupted) takes back the lookup and closes the file.
 */
static void
reply_entry(fuse_req_t req, struct rump_cred *cr, struct rump_vnode *vp,
    struct fuse_file_info *fi)
{
	struct fuse_entry_param e;
	int error;

	memset(&e, 0, sizeof(e));
	if ((error = rump_pub_vn_getattr(cr, vp, &e.attr)) != 0)
		rump_pub_vn_rele(vp);
	else if ((e.ino = node_get(p2k_of(req), vp)) == 0)
		error = ENOMEM;		/* vp was let go */
	if (error != 0) {
		if (fi != NULL)
			file_close(p2k_of(req), fi->fh);
		fuse_reply_err(req, error);
		return;
	}
	e.attr_timeout = e.entry_timeout = P2K_TIMEOUT;
	if ((fi != NULL ? fuse_reply_create(req, &e, fi) :
	    fuse_reply_entry(req, &e)) != 0) {
		node_forget(p2k_of(req), e.ino, 1);
		if (fi != NULL)
			file_close(p2k_of(req), fi->fh);
	}
}

static void
p2k_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct rump_vnode *vp;
	struct rump_cred *cr;
	int error;

	CRED_OR_FAIL(req, cr);
	if ((error = rump_pub_vn_lookup(cr, vp_of(req, parent), name,
	    &vp)) != 0)
		fuse_reply_err(req, error);
	else
		reply_entry(req, cr, vp, NULL);
}

static void
p2k_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{

	node_forget(p2k_of(req), ino, nlookup);
	fuse_reply_none(req);
}

static void
p2k_forget_multi(fuse_req_t req, size_t count,
    struct fuse_forget_data *forgets)
{
	size_t i;

	for (i = 0; i < count; i++)
		node_forget(p2k_of(req), forgets[i].ino, forgets[i].nlookup);
	fuse_reply_none(req);
}

static void
p2k_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct rump_cred *cr;
	struct stat st;
	int error;

	(void)fi;
	CRED_OR_FAIL(req, cr);
	if ((error = rump_pub_vn_getattr(cr, vp_of(req, ino), &st)) != 0)
		fuse_reply_err(req, error);
	else
		fuse_reply_attr(req, &st, P2K_TIMEOUT);
}

static void
p2k_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
    struct fuse_file_info *fi)
{
	struct rump_vnode *vp = vp_of(req, ino);
	struct timespec ts[2];
	struct rump_cred *cr;
	int error = 0;

	CRED_OR_FAIL(req, cr);
	if (to_set & FUSE_SET_ATTR_MODE)
		error = rump_pub_vn_chmod(cr, vp, attr->st_mode & 07777);
	if (error == 0 && (to_set & (FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)))
		error = rump_pub_vn_chown(cr, vp,
		    (to_set & FUSE_SET_ATTR_UID) ? attr->st_uid : (uid_t)-1,
		    (to_set & FUSE_SET_ATTR_GID) ? attr->st_gid : (gid_t)-1);
	/* ftruncate() through its open file, truncate() by the vnode. */
	if (error == 0 && (to_set & FUSE_SET_ATTR_SIZE))
		error = fi != NULL && fi->fh != 0 ? rump_pub_vn_ftruncate(
		    file_of(fi), attr->st_size) :
		    rump_pub_vn_truncate(cr, vp, attr->st_size);
	if (error == 0 && (to_set & (FUSE_SET_ATTR_ATIME |
	    FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_ATIME_NOW |
	    FUSE_SET_ATTR_MTIME_NOW))) {
		ts[0].tv_sec = ts[1].tv_sec = 0;
		ts[0].tv_nsec = ts[1].tv_nsec = UTIME_OMIT;
		if (to_set & FUSE_SET_ATTR_ATIME_NOW)
			ts[0].tv_nsec = UTIME_NOW;
		else if (to_set & FUSE_SET_ATTR_ATIME)
			ts[0] = attr->st_atim;
		if (to_set & FUSE_SET_ATTR_MTIME_NOW)
			ts[1].tv_nsec = UTIME_NOW;
		else if (to_set & FUSE_SET_ATTR_MTIME)
			ts[1] = attr->st_mtim;
		error = rump_pub_vn_utimens(cr, vp, ts);
	}
	if (error != 0)
		fuse_reply_err(req, error);
	else
		p2k_getattr(req, ino, NULL);
}

static void
p2k_readlink(fuse_req_t req, fuse_ino_t ino)
{
	char buf[PATH_MAX + 1];
	struct rump_cred *cr;
	size_t len;
	int error;

	CRED_OR_FAIL(req, cr);
	if ((error = rump_pub_vn_readlink(cr, vp_of(req, ino), buf, PATH_MAX,
	    &len)) != 0) {
		fuse_reply_err(req, error);
		return;
	}
	buf[len] = '\0';
	fuse_reply_readlink(req, buf);
}

static void
p2k_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
    dev_t rdev)
{
	struct rump_vnode *vp;
	struct rump_cred *cr;
	int error;

	CRED_OR_FAIL(req, cr);
	if ((error = rump_pub_vn_mknod(cr, vp_of(req, parent), name, mode,
	    rdev, &vp)) != 0)
		fuse_reply_err(req, error);
	else
		reply_entry(req, cr, vp, NULL);
}

static void
p2k_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{

	p2k_mknod(req, parent, name, S_IFDIR | (mode & 07777), 0);
}

static void
p2k_symlink(fuse_req_t req, const char *link, fuse_ino_t parent,
    const char *name)
{
	struct rump_vnode *vp;
	struct rump_cred *cr;
	int error;

	CRED_OR_FAIL(req, cr);
	if ((error = rump_pub_vn_symlink(cr, vp_of(req, parent), name, link,
	    &vp)) != 0)
		fuse_reply_err(req, error);
	else
		reply_entry(req, cr, vp, NULL);
}

static void
p2k_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent,
    const char *newname)
{
	struct rump_vnode *vp = vp_of(req, ino), *nvp;
	struct rump_cred *cr;
	int error;

	CRED_OR_FAIL(req, cr);
	if ((error = rump_pub_vn_link(cr, vp, vp_of(req, newparent),
	    newname)) == 0)
		error = rump_pub_vn_lookup(cr, vp_of(req, newparent), newname,
		    &nvp);
	if (error != 0)
		fuse_reply_err(req, error);
	else
		reply_entry(req, cr, nvp, NULL);
}

static void
p2k_remove(fuse_req_t req, fuse_ino_t parent, const char *name, int dir)
{
	struct rump_cred *cr;

	CRED_OR_FAIL(req, cr);
	fuse_reply_err(req, rump_pub_vn_remove(cr, vp_of(req, parent), name,
	    dir));
}

static void
p2k_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{

	p2k_remove(req, parent, name, 0);
}

static void
p2k_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{

	p2k_remove(req, parent, name, 1);
}

/*
 * rename(2) and renameat2(): RENAME_NOREPLACE is the kernel's;
 * RENAME_EXCHANGE is EINVAL (callers such as mv fall back).
 */
static void
p2k_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
    fuse_ino_t newparent, const char *newname, unsigned int flags)
{
	struct rump_cred *cr;

	CRED_OR_FAIL(req, cr);
	fuse_reply_err(req, rump_pub_vn_rename(cr, vp_of(req, parent), name,
	    vp_of(req, newparent), newname, flags));
}

/*
 * FUSE's open flags, as the kernel takes them.  Without O_APPEND: the
 * host has put each write at the end already, and says where, and the
 * pieces of one large write may come in any order.  With O_DIRECT: the
 * host caches file data above FUSE, so the kernel moves whole blocks
 * straight between the disk and FUSE's buffers rather than caching them
 * twice.
 */
static int
open_flags(int flags)
{

	return (flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_APPEND)) | O_DIRECT;
}

static void
p2k_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct rump_file *fp;
	struct rump_cred *cr;
	int error;

	CRED_OR_FAIL(req, cr);
	if ((error = rump_pub_vn_open(cr, vp_of(req, ino),
	    open_flags(fi->flags), &fp)) != 0) {
		fuse_reply_err(req, error);
		return;
	}
	if ((fi->fh = file_new(p2k_of(req), fp)) == 0) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	fi->keep_cache = 1;	/* only we change the file */
	if (fuse_reply_open(req, fi) != 0)
		file_close(p2k_of(req), fi->fh);  /* interrupted: no release */
}

static void
p2k_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
    struct fuse_file_info *fi)
{
	struct rump_vnode *vp;
	struct rump_file *fp;
	struct rump_cred *cr;
	int error;

	CRED_OR_FAIL(req, cr);
	if ((error = rump_pub_vn_create(cr, vp_of(req, parent), name,
	    open_flags(fi->flags), mode & 07777, &vp, &fp)) != 0) {
		fuse_reply_err(req, error);
		return;
	}
	if ((fi->fh = file_new(p2k_of(req), fp)) == 0) {
		rump_pub_vn_rele(vp);
		fuse_reply_err(req, ENOMEM);
		return;
	}
	reply_entry(req, cr, vp, fi);
}

/*
 * Each FUSE thread reads into a buffer of its own, kept (and freed when
 * the thread ends): a fresh one per request, 128 KiB and more, would
 * be fresh host pages each time.
 */
struct p2k_rbuf {
	size_t		rb_size;
	char		rb_data[];
};

static pthread_key_t p2k_rbufkey;
static pthread_once_t p2k_rbufonce = PTHREAD_ONCE_INIT;

static void
p2k_rbufinit(void)
{

	(void)pthread_key_create(&p2k_rbufkey, free);
}

static char *
p2k_rbufget(size_t size)
{
	struct p2k_rbuf *rb;

	(void)pthread_once(&p2k_rbufonce, p2k_rbufinit);
	rb = pthread_getspecific(p2k_rbufkey);
	if (rb == NULL || rb->rb_size < size) {
		free(rb);
		(void)pthread_setspecific(p2k_rbufkey, NULL);
		if ((rb = malloc(sizeof(*rb) + size)) == NULL)
			return NULL;
		rb->rb_size = size;
		(void)pthread_setspecific(p2k_rbufkey, rb);
	}
	return rb->rb_data;
}

static void
p2k_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	size_t done;
	char *buf;
	int error;

	(void)ino;
	if ((buf = p2k_rbufget(size)) == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if ((error = rump_pub_vn_read(file_of(fi),
	    buf, size, off, &done)) != 0)
		fuse_reply_err(req, error);
	else
		fuse_reply_buf(req, buf, done);
}

static void
p2k_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size,
    off_t off, struct fuse_file_info *fi)
{
	size_t done;
	int error;

	(void)ino;
	if ((error = rump_pub_vn_write(file_of(fi),
	    buf, size, off, &done)) != 0)
		fuse_reply_err(req, error);
	else
		fuse_reply_write(req, done);
}

static void
p2k_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{

	/* Written data is in the kernel already; fsync makes it stable. */
	(void)ino;
	(void)fi;
	fuse_reply_err(req, 0);
}

static void
p2k_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{

	(void)ino;
	file_close(p2k_of(req), fi->fh);
	fuse_reply_err(req, 0);
}

static void
p2k_fsync(fuse_req_t req, fuse_ino_t ino, int datasync,
    struct fuse_file_info *fi)
{

	(void)ino;
	fuse_reply_err(req, rump_pub_vn_fsync(file_of(fi), datasync));
}

static void
p2k_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct rump_cred *cr;
	struct stat st;
	int error;

	CRED_OR_FAIL(req, cr);
	if ((error = rump_pub_vn_getattr(cr, vp_of(req, ino), &st)) == 0 &&
	    !S_ISDIR(st.st_mode))
		error = ENOTDIR;
	if (error == 0)
		error = rump_pub_vn_access(cr, vp_of(req, ino), R_OK);
	if (error != 0) {
		fuse_reply_err(req, error);
		return;
	}
	fi->fh = 0;
	fi->cache_readdir = 0;
	fuse_reply_open(req, fi);
}

/*
 * Entries from cookie off, with their attributes (plus) or not, as many
 * as fit in size bytes; each entry's cookie is the one after it.
 */
static void
p2k_dirlist(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    bool plus)
{
	struct rump_vnode *dvp = vp_of(req, ino), *vp;
	struct fuse_entry_param e;
	struct rump_cred *cr;
	size_t kdone, i, out = 0, need, nadded = 0;
	fuse_ino_t *added;
	char *kbuf, *buf;
	bool full = false;
	int error = 0;

	CRED_OR_FAIL(req, cr);
	/* An entry takes 24 bytes at the least: that many nodes at most. */
	kbuf = malloc(size);
	buf = malloc(size);
	added = malloc(sizeof(*added) * (size / 24 + 1));
	if (kbuf == NULL || buf == NULL || added == NULL) {
		free(kbuf);
		free(buf);
		free(added);
		fuse_reply_err(req, ENOMEM);
		return;
	}
	while (!full) {
		off_t koff = off;

		if ((error = rump_pub_vn_readdir(cr, dvp, &koff, kbuf, size,
		    &kdone)) != 0 || kdone == 0)
			break;
		for (i = 0; i < kdone && !full; ) {
			struct rump_dirent64 *d = (void *)(kbuf + i);
			bool dot = strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0;

			memset(&e, 0, sizeof(e));
			e.attr.st_ino = d->d_ino;
			e.attr.st_mode = (mode_t)d->d_type << 12;
			need = plus ? fuse_add_direntry_plus(req, NULL, 0,
			    d->d_name, NULL, 0) : fuse_add_direntry(req, NULL,
			    0, d->d_name, NULL, 0);
			if (out + need > size) {
				full = true;
				break;
			}
			if (plus && !dot && rump_pub_vn_lookup(cr, dvp,
			    d->d_name, &vp) == 0) {
				if (rump_pub_vn_getattr(cr, vp, &e.attr) != 0)
					rump_pub_vn_rele(vp);
				else if ((e.ino = node_get(p2k_of(req),
				    vp)) != 0) {	/* else vp was let go */
					e.attr_timeout = e.entry_timeout =
					    P2K_TIMEOUT;
					added[nadded++] = e.ino;
				}
			}
			if (plus)
				out += fuse_add_direntry_plus(req, buf + out,
				    size - out, d->d_name, &e, d->d_off);
			else
				out += fuse_add_direntry(req, buf + out,
				    size - out, d->d_name, &e.attr, d->d_off);
			off = d->d_off;
			i += d->d_reclen;
		}
	}
	if (error != 0 && out == 0)
		fuse_reply_err(req, error);
	else if (fuse_reply_buf(req, buf, out) != 0) {
		/* Not taken: FUSE will not forget these lookups. */
		for (i = 0; i < nadded; i++)
			node_forget(p2k_of(req), added[i], 1);
	}
	free(kbuf);
	free(buf);
	free(added);
}

static void
p2k_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{

	(void)fi;
	p2k_dirlist(req, ino, size, off, false);
}

static void
p2k_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{

	(void)fi;
	p2k_dirlist(req, ino, size, off, true);
}

static void
p2k_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{

	(void)ino;
	(void)fi;
	fuse_reply_err(req, 0);
}

static void
p2k_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct rump_cred *cr;
	struct statvfs sv;
	int error;

	CRED_OR_FAIL(req, cr);
	if ((error = rump_pub_vn_statvfs(cr, vp_of(req, ino), &sv)) != 0)
		fuse_reply_err(req, error);
	else
		fuse_reply_statfs(req, &sv);
}

static void
p2k_access(fuse_req_t req, fuse_ino_t ino, int mask)
{
	struct rump_cred *cr;

	CRED_OR_FAIL(req, cr);
	fuse_reply_err(req, rump_pub_vn_access(cr, vp_of(req, ino), mask));
}

static void
p2k_init(void *userdata, struct fuse_conn_info *conn)
{

	(void)userdata;
	/* Large writes, and readdirplus when the kernel offers it. */
	if (conn->capable & FUSE_CAP_READDIRPLUS)
		conn->want |= FUSE_CAP_READDIRPLUS;
	conn->want &= ~(unsigned)FUSE_CAP_READDIRPLUS_AUTO;
	conn->max_write = 1024 * 1024;
}

static const struct fuse_lowlevel_ops p2k_ops = {
	.init = p2k_init,
	.lookup = p2k_lookup,
	.forget = p2k_forget,
	.forget_multi = p2k_forget_multi,
	.getattr = p2k_getattr,
	.setattr = p2k_setattr,
	.readlink = p2k_readlink,
	.mknod = p2k_mknod,
	.mkdir = p2k_mkdir,
	.unlink = p2k_unlink,
	.rmdir = p2k_rmdir,
	.symlink = p2k_symlink,
	.rename = p2k_rename,
	.link = p2k_link,
	.open = p2k_open,
	.read = p2k_read,
	.write = p2k_write,
	.flush = p2k_flush,
	.release = p2k_release,
	.fsync = p2k_fsync,
	.opendir = p2k_opendir,
	.readdir = p2k_readdir,
	.readdirplus = p2k_readdirplus,
	.releasedir = p2k_releasedir,
	.statfs = p2k_statfs,
	.access = p2k_access,
	.create = p2k_create,
};

/* Let every open file, node and credential go (FUSE is gone). */
static void
p2k_drop(struct p2k *p)
{
	struct p2k_node *pn, *next;
	struct p2k_cred *pc;
	unsigned int i;

	while (!LIST_EMPTY(&p->p_files))
		file_close(p, (uint64_t)(uintptr_t)LIST_FIRST(&p->p_files));
	for (i = 0; i < P2K_NHASH; i++)
		for (pn = p->p_hash[i]; pn != NULL; pn = next) {
			next = pn->pn_next;
			rump_pub_vn_rele(pn->pn_vp);
			free(pn);
		}
	rump_pub_vn_rele(p->p_root.pn_vp);
	while ((pc = p->p_creds) != NULL) {
		p->p_creds = pc->pc_next;
		rump_pub_cred_release(pc->pc_cred);
		free(pc);
	}
	rump_pub_cred_release(p->p_rootcred);
}

/*
 * The tool.
 */

struct p2k_opts {
	const char	*image;		/* NULL: no device */
	char		*mountpoint;	/* absolute (realpath) */
	int		ukfs_flags;
	bool		foreground, debug;
	char		*fuse_opts;	/* for FUSE: fsname, allow_other... */
};

static void
usage(const char *prog, bool hasimage, int status)
{

	fprintf(status == 0 ? stdout : stderr,
	    "usage: %s [-h] [-f] [-d] [-o opt,...] %smountpoint\n"
	    "Mount a file system of the rump kernel's own on mountpoint\n"
	    "through FUSE, as the user running it.  Stays in the background\n"
	    "until unmounted (fusermount3 -u mountpoint) or sent SIGTERM;\n"
	    "then the file system is unmounted cleanly.\n"
	    "  -f  stay in the foreground   -d  debug (FUSE's messages)\n"
	    "  -o  options: ro, rw, sync, force (mount a file system that\n"
	    "      was not unmounted cleanly), and FUSE's own (allow_other,\n"
	    "      default_permissions, ...)\n"
	    "%s", prog, hasimage ? "image[%PART%] " : "",
	    hasimage ? "  image: a file or disk; %PART% is %DISKLABEL:a%,\n"
	    "      %MBR:1%, %GPT:2% or %GPT:name=NAME%\n" : "");
	exit(status);
}

/* Split -o: ours into ukfs flags, the rest for FUSE. */
static void
parse_opts(const char *prog, char *arg, struct p2k_opts *o)
{
	char *opt, *save = NULL;
	size_t len;

	for (opt = strtok_r(arg, ",", &save); opt != NULL;
	    opt = strtok_r(NULL, ",", &save)) {
		if (strcmp(opt, "ro") == 0)
			o->ukfs_flags |= UKFS_RDONLY;
		else if (strcmp(opt, "rw") == 0)
			o->ukfs_flags &= ~UKFS_RDONLY;
		else if (strcmp(opt, "sync") == 0)
			o->ukfs_flags |= UKFS_SYNC;
		else if (strcmp(opt, "force") == 0)
			o->ukfs_flags |= UKFS_FORCE;
		else if (strcmp(opt, "") != 0) {
			len = o->fuse_opts != NULL ? strlen(o->fuse_opts) : 0;
			o->fuse_opts = realloc(o->fuse_opts, len +
			    strlen(opt) + 2);
			if (o->fuse_opts == NULL) {
				fprintf(stderr, "%s: out of memory\n", prog);
				exit(1);
			}
			snprintf(o->fuse_opts + len, strlen(opt) + 2, "%s%s",
			    len > 0 ? "," : "", opt);
		}
	}
}

/*
 * Boot, mount and serve; report the outcome of mounting on statusfd
 * (a byte 0, or an error line), then loop until unmounted.  Returns the
 * exit status.
 */
static int
p2k_serve(const char *prog, const char *fstype, struct p2k_opts *o,
    int statusfd)
{
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct fuse_loop_config *lc;
	struct fuse_session *se;
	struct ukfs *fs;
	struct p2k p;
	char why[512], fsname[1200], esc[1100];
	const char *src;
	size_t n;
	int rv = 1, error;

#define FAIL(...) do {							\
	snprintf(why, sizeof(why), __VA_ARGS__);			\
	goto fail;							\
} while (0)

	memset(&p, 0, sizeof(p));
	pthread_mutex_init(&p.p_lock, NULL);
	LIST_INIT(&p.p_files);
	why[0] = '\0';
	if ((fs = ukfs_mount(fstype, o->image, o->ukfs_flags, NULL, 0, why,
	    sizeof(why))) == NULL)
		goto fail;
	(void)rump_sys_umask(0);	/* FUSE gives modes already masked */
	if ((error = rump_pub_cred_create(0, 0, 0, NULL, &p.p_rootcred)) != 0 ||
	    (error = rump_pub_vn_getpath(p.p_rootcred, ukfs_mountpath(fs),
	    &p.p_root.pn_vp)) != 0)
		FAIL("%s: %s", ukfs_mountpath(fs), strerror(error));

	/* In FUSE options, commas and backslashes take a backslash. */
	for (src = o->image != NULL ? o->image : fstype, n = 0;
	    *src != '\0' && n < sizeof(esc) - 2; src++) {
		if (*src == ',' || *src == '\\')
			esc[n++] = '\\';
		esc[n++] = *src;
	}
	esc[n] = '\0';
	snprintf(fsname, sizeof(fsname), "fsname=%s,subtype=rump%s%s%s", esc,
	    fstype,
	    (o->ukfs_flags & UKFS_RDONLY) ? ",ro" : "",
	    geteuid() == 0 ? ",allow_other,default_permissions" : "");
	if (fuse_opt_add_arg(&args, prog) != 0 ||
	    fuse_opt_add_arg(&args, "-o") != 0 ||
	    fuse_opt_add_arg(&args, fsname) != 0 ||
	    (o->fuse_opts != NULL && (fuse_opt_add_arg(&args, "-o") != 0 ||
	    fuse_opt_add_arg(&args, o->fuse_opts) != 0)) ||
	    (o->debug && fuse_opt_add_arg(&args, "-d") != 0))
		FAIL("out of memory");
	if ((se = fuse_session_new(&args, &p2k_ops, sizeof(p2k_ops),
	    &p)) == NULL)
		FAIL("%s: cannot start FUSE (bad -o option?)", o->mountpoint);
	if (fuse_set_signal_handlers(se) != 0) {
		fuse_session_destroy(se);
		FAIL("cannot set signal handlers");
	}
	if (fuse_session_mount(se, o->mountpoint) != 0) {
		fuse_remove_signal_handlers(se);
		fuse_session_destroy(se);
		FAIL("%s: cannot mount (no FUSE, or not an empty directory "
		    "of yours?)", o->mountpoint);
	}
	/* Mounted: the starter may go. */
	if (statusfd != -1) {
		(void)write(statusfd, "", 1);
		close(statusfd);
		statusfd = -1;
		(void)chdir("/");	/* a daemon holds no directory */
	}
	/* Unmounted or a signal: >= 0; a failure of FUSE: -errno. */
	if ((lc = fuse_loop_cfg_create()) != NULL) {
		fuse_loop_cfg_set_max_threads(lc, 16);
		rv = fuse_session_loop_mt(se, lc) >= 0 ? 0 : 1;
		fuse_loop_cfg_destroy(lc);
	} else
		rv = fuse_session_loop(se) >= 0 ? 0 : 1;
	fuse_session_unmount(se);
	fuse_remove_signal_handlers(se);
	fuse_session_destroy(se);
	fuse_opt_free_args(&args);

	/* The kernel's file system: synced, clean. */
	p2k_drop(&p);
	if (ukfs_release(fs, 0) != 0 && ukfs_release(fs, UKFS_FORCE) != 0) {
		fprintf(stderr, "%s: unmounting %s: %s\n", prog,
		    o->image != NULL ? o->image : fstype, strerror(errno));
		rv = 1;
	}
	rump_sys_reboot(RUMP_RB_HALT, NULL);
	return rv;

fail:
#undef FAIL
	if (why[0] == '\0')		/* a failure always says something */
		snprintf(why, sizeof(why), "cannot mount: %s", strerror(errno));
	if (statusfd != -1) {
		(void)write(statusfd, why, strlen(why) + 1);
		close(statusfd);
	} else
		fprintf(stderr, "%s: %s\n", prog, why);
	fuse_opt_free_args(&args);
	if (p.p_root.pn_vp != NULL)
		rump_pub_vn_rele(p.p_root.pn_vp);
	if (p.p_rootcred != NULL)
		rump_pub_cred_release(p.p_rootcred);
	if (fs != NULL)
		(void)ukfs_release(fs, UKFS_FORCE);
	return 1;
}

/*
 * In the background: the kernel boots in the child (its threads would
 * not survive a fork), which tells us over a pipe whether it mounted.
 */
static int
p2k_detach(const char *prog, const char *fstype, struct p2k_opts *o)
{
	char msg[512];
	ssize_t n;
	size_t got;
	pid_t pid;
	int fds[2], st, devnull;

	if (pipe(fds) == -1 || (pid = fork()) == -1) {
		fprintf(stderr, "%s: %s\n", prog, strerror(errno));
		return 1;
	}
	if (pid == 0) {
		close(fds[0]);
		(void)setsid();
		if ((devnull = open("/dev/null", O_RDWR)) != -1) {
			(void)dup2(devnull, STDIN_FILENO);
			(void)dup2(devnull, STDOUT_FILENO);
			(void)dup2(devnull, STDERR_FILENO);
			if (devnull > STDERR_FILENO)
				close(devnull);
		}
		_exit(p2k_serve(prog, fstype, o, fds[1]));
	}
	close(fds[1]);
	for (got = 0; got < sizeof(msg) - 1; got += (size_t)n) {
		n = read(fds[0], msg + got, sizeof(msg) - 1 - got);
		if (n <= 0 || memchr(msg + got, '\0', (size_t)n) != NULL) {
			got += n > 0 ? (size_t)n : 0;
			break;
		}
	}
	msg[got < sizeof(msg) ? got : sizeof(msg) - 1] = '\0';
	close(fds[0]);
	if (got > 0 && msg[0] == '\0')
		return 0;		/* mounted */
	(void)waitpid(pid, &st, 0);
	if (got == 0)
		fprintf(stderr, "%s: the server died while mounting\n", prog);
	else
		fprintf(stderr, "%s: %s\n", prog, msg);
	return 1;
}

int
p2k_main(const char *fstype, int argc, char **argv)
{
	const char *prog = strrchr(argv[0], '/') != NULL ?
	    strrchr(argv[0], '/') + 1 : argv[0];
	bool hasimage = strcmp(fstype, "tmpfs") != 0;
	struct p2k_opts o;
	int ch, rv;

	memset(&o, 0, sizeof(o));
	while ((ch = getopt(argc, argv, "hfdo:")) != -1) {
		switch (ch) {
		case 'h':
			usage(prog, hasimage, 0);
			break;
		case 'f':
			o.foreground = true;
			break;
		case 'd':
			o.debug = o.foreground = true;
			break;
		case 'o':
			parse_opts(prog, optarg, &o);
			break;
		default:
			usage(prog, hasimage, 2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != (hasimage ? 2 : 1))
		usage(prog, hasimage, 2);
	o.image = hasimage ? argv[0] : NULL;
	/* Absolute: the daemon leaves the directory it was started in. */
	if ((o.mountpoint = realpath(argv[hasimage ? 1 : 0], NULL)) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", prog, argv[hasimage ? 1 : 0],
		    strerror(errno));
		return 1;
	}
	rv = o.foreground ? p2k_serve(prog, fstype, &o, -1) :
	    p2k_detach(prog, fstype, &o);
	free(o.mountpoint);
	free(o.fuse_opts);
	return rv;
}
