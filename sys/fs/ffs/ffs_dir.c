/*
 * FFS directories (file system layer).  A directory is a file of
 * 512-byte chunks of variable-length entries (struct ffs_direct): an
 * entry's d_reclen reaches the next entry, the last entry of a chunk
 * reaches the chunk's end, and a chunk's first entry may be unused
 * (d_ino 0).  Entries are looked up by a linear scan; a new entry goes
 * into the first gap big enough, or into a new chunk at the end; a
 * removed entry's space joins the entry before it.  The directory
 * offset of an entry is the readdir cookie.
 *
 * Big directories get an index (ffs_dirhash.c), so lookups and new
 * entries do not scan the whole directory.
 *
 * Every entry is checked as it is read (ffs_dirpos_load); a bad one
 * ends the call with EIO and a console line.  Callers hold the
 * directory's vnode lock (exclusively to change it).
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/buf.h>
#include <sys/dirent.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/mount.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include <fs/ffs/ffs.h>
#include <fs/ffs/ffs_dirhash.h>

/* A position in a directory, with the block it is in. */
struct ffs_dirpos {
	struct ffs_inode *dp;
	struct buf	*bp;	/* the block of off, or NULL */
	int64_t		lbn;	/* bp's logical block */
	off_t		off;	/* the entry's directory offset */
	off_t		prev;	/* the entry before it in its chunk, or -1 */
#define FFS_PREV_UNKNOWN	((off_t)-2)	/* found by the index */
	struct ffs_direct *ep;
};

static void
ffs_dirpos_init(struct ffs_dirpos *p, struct ffs_inode *dp, off_t off)
{

	p->dp = dp;
	p->bp = NULL;
	p->lbn = -1;
	p->off = off;
	p->prev = -1;
	p->ep = NULL;
}

static void
ffs_dirpos_done(struct ffs_dirpos *p)
{

	if (p->bp != NULL)
		brelse(p->bp, 0);
	p->bp = NULL;
}

/* The entry at offset off of the current block. */
static struct ffs_direct *
ffs_dirpos_entry(struct ffs_dirpos *p, off_t off)
{

	return (struct ffs_direct *)((char *)p->bp->b_data +
	    ffs_blkoff(ITOFS(p->dp), off));
}

/*
 * What is wrong with the entry at directory offset off (in a loaded
 * block, off a multiple of 4), or NULL.  Its header is only read once
 * it is known to lie inside its chunk.
 */
static const char *
ffs_direntbad(const struct ffs_mount *fm, const struct ffs_direct *ep,
    off_t off)
{
	off_t room = ((off | (FFS_DIRBLKSIZ - 1)) + 1) - off;
	int i;

	if (room < FFS_DIRSIZ(0))
		return "no room for an entry";
	if (ep->d_reclen < FFS_DIRSIZ(0) || (ep->d_reclen & 3) != 0 ||
	    ep->d_reclen > room)
		return "bad record length";
	if (ep->d_ino == 0)
		return NULL;
	if (ep->d_namlen == 0 || ep->d_reclen < FFS_DIRSIZ(ep->d_namlen))
		return "bad name length";
	if (ep->d_ino >= fm->fm_maxino)
		return "inode number out of range";
	for (i = 0; i < ep->d_namlen; i++)
		if (ep->d_name[i] == '\0' || ep->d_name[i] == '/')
			return "bad character in a name";
	return NULL;
}

/*
 * Load the entry at p->off, checking it: ENOENT at the end of the
 * directory, EIO for a bad entry.
 */
static int
ffs_dirpos_load(struct ffs_dirpos *p)
{
	struct ffs_inode *dp = p->dp;
	struct ffs_mount *fm = dp->i_fm;
	const char *why;
	int64_t lbn;
	int error;

	if (p->off >= DIP(dp, size))
		return ENOENT;
	lbn = ffs_lblkno(fm->fm_fs, p->off);
	if (p->bp == NULL || lbn != p->lbn) {
		ffs_dirpos_done(p);
		if ((error = ffs_blkread(dp, lbn, &p->bp)) != 0)
			return error;
		if (p->bp == NULL) {
			ffs_bad(fm, dp->i_number, "hole in a directory at "
			    "%lld", (long long)p->off);
			return EIO;
		}
		p->lbn = lbn;
	}
	p->ep = ffs_dirpos_entry(p, p->off);
	if ((why = ffs_direntbad(fm, p->ep, p->off)) != NULL) {
		ffs_bad(fm, dp->i_number, "directory entry at %lld: %s",
		    (long long)p->off, why);
		return EIO;
	}
	return 0;
}

/* Move to the next entry and load it. */
static int
ffs_dirpos_next(struct ffs_dirpos *p)
{
	off_t next = p->off + p->ep->d_reclen;

	p->prev = (next & (FFS_DIRBLKSIZ - 1)) == 0 ? -1 : p->off;
	p->off = next;
	return ffs_dirpos_load(p);
}

/* Write the block of p after a change, and note the change. */
static int
ffs_dirpos_write(struct ffs_dirpos *p)
{
	struct ffs_inode *dp = p->dp;
	struct buf *bp = p->bp;

	p->bp = NULL;
	dp->i_flag |= IN_CHANGE | IN_UPDATE;
	if (dp->i_fm->fm_mp->mnt_flag & MNT_SYNCHRONOUS)
		return bwrite(bp);
	bdwrite(bp);
	return 0;
}

/*
 * Walk the chunk holding p's entry (in p's block) from its start: the
 * entry before p's (or -1), and the biggest gap in the chunk.  EIO for
 * a bad entry, or, when the entry before is asked for, if the chunk's
 * records do not lead to p's entry.
 */
static int
ffs_dirchunk(struct ffs_dirpos *p, off_t *prevp, int *roomp)
{
	off_t off = p->off & ~(off_t)(FFS_DIRBLKSIZ - 1), end, prev = -1;
	const struct ffs_direct *ep;
	const char *why;
	bool found = false;
	int room = 0;

	end = off + FFS_DIRBLKSIZ;
	while (off < end) {
		ep = ffs_dirpos_entry(p, off);
		if ((why = ffs_direntbad(p->dp->i_fm, ep, off)) != NULL) {
			ffs_bad(p->dp->i_fm, p->dp->i_number, "directory "
			    "entry at %lld: %s", (long long)off, why);
			return EIO;
		}
		room = MAX(room, ep->d_reclen -
		    (ep->d_ino != 0 ? FFS_DIRSIZ(ep->d_namlen) : 0));
		if (off < p->off)
			prev = off;
		found |= off == p->off;
		off += ep->d_reclen;
	}
	if (prevp != NULL && !found) {
		ffs_bad(p->dp->i_fm, p->dp->i_number, "directory entry at "
		    "%lld: not on its chunk's chain", (long long)p->off);
		return EIO;
	}
	if (prevp != NULL)
		*prevp = prev;
	if (roomp != NULL)
		*roomp = room;
	return 0;
}

/*
 * The index of directory dp, built now if the directory is big enough
 * and has none; NULL if it has none (small, or unreadable).
 */
static struct ffs_dirhash *
ffs_dirhash_get(struct ffs_inode *dp)
{
	struct ffs_dirhash *dh, *none = NULL;
	struct ffs_dirpos p;
	int room, error;

	if (dp->i_dirhash != NULL ||
	    DIP(dp, size) < FFS_DIRHASH_MINSIZE ||
	    DIP(dp, size) > FFS_DIRHASH_MAXSIZE)
		return dp->i_dirhash;
	/* Sized as the directory is found, not as its size says. */
	dh = ffs_dirhash_create(64);
	ffs_dirpos_init(&p, dp, 0);
	for (error = ffs_dirpos_load(&p); error == 0;
	    error = ffs_dirpos_next(&p)) {
		if (p.ep->d_ino != 0)
			ffs_dirhash_add(dh, ffs_dirhash_name(p.ep->d_name,
			    p.ep->d_namlen), p.off);
		if ((p.off & (FFS_DIRBLKSIZ - 1)) == 0) {
			if ((error = ffs_dirchunk(&p, NULL, &room)) != 0)
				break;
			ffs_dirhash_setfree(dh, (size_t)(p.off /
			    FFS_DIRBLKSIZ), room);
		}
	}
	ffs_dirpos_done(&p);
	if (error != ENOENT) {
		ffs_dirhash_destroy(dh);
		return NULL;
	}
	/* Lookups hold the directory shared: another may have built one. */
	if (!__atomic_compare_exchange_n(&dp->i_dirhash, &none, dh, false,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		ffs_dirhash_destroy(dh);
		return none;
	}
	return dh;
}

/* After a change in p's chunk: its gap in the index. */
static void
ffs_dirhash_update(struct ffs_dirpos *p)
{
	int room;

	if (p->dp->i_dirhash != NULL && ffs_dirchunk(p, NULL, &room) == 0)
		ffs_dirhash_setfree(p->dp->i_dirhash,
		    (size_t)(p->off / FFS_DIRBLKSIZ), room);
}

/* Find name; leaves p at its entry. */
static int
ffs_dirfind(struct ffs_dirpos *p, const char *name, size_t len)
{
	struct ffs_dirhash *dh = ffs_dirhash_get(p->dp);
	uint32_t hash;
	size_t cursor = 0;
	int64_t off;
	int error;

	if (dh != NULL) {
		hash = ffs_dirhash_name(name, len);
		while ((off = ffs_dirhash_next(dh, hash, &cursor)) >= 0) {
			p->off = off;
			if ((error = ffs_dirpos_load(p)) != 0)
				return error;
			if (p->ep->d_ino != 0 && p->ep->d_namlen == len &&
			    memcmp(p->ep->d_name, name, len) == 0) {
				p->prev = FFS_PREV_UNKNOWN;
				return 0;
			}
		}
		return ENOENT;
	}
	for (error = ffs_dirpos_load(p); error == 0;
	    error = ffs_dirpos_next(p)) {
		if (p->ep->d_ino != 0 && p->ep->d_namlen == len &&
		    memcmp(p->ep->d_name, name, len) == 0)
			return 0;
	}
	return error;
}

int
ffs_dirlookup(struct ffs_inode *dp, const char *name, size_t len,
    ino_t *inop, off_t *offp)
{
	struct ffs_dirpos p;
	int error;

	ffs_dirpos_init(&p, dp, 0);
	if ((error = ffs_dirfind(&p, name, len)) == 0) {
		*inop = p.ep->d_ino;
		if (offp != NULL)
			*offp = p.off;
	}
	ffs_dirpos_done(&p);
	return error;
}

/* Fill in a new entry at ep with reclen bytes. */
static void
ffs_dirfill(struct ffs_direct *ep, const char *name, size_t len, ino_t ino,
    int dtype, int reclen)
{

	ep->d_ino = (uint32_t)ino;
	ep->d_reclen = (uint16_t)reclen;
	ep->d_type = (uint8_t)dtype;
	ep->d_namlen = (uint8_t)len;
	memcpy(ep->d_name, name, len);
	memset(ep->d_name + len, 0, FFS_DIRSIZ(len) - FFS_DIRHDRSIZE - len);
}

int
ffs_direnter(struct ffs_inode *dp, const char *name, size_t len, ino_t ino,
    int dtype, kauth_cred_t cred)
{
	struct ffs_mount *fm = dp->i_fm;
	int need = FFS_DIRSIZ(len), used, error;
	struct ffs_dirhash *dh;
	struct ffs_dirpos p;
	struct ffs_direct *ep;
	struct buf *bp;
	int64_t chunk;
	off_t size, start;

	KASSERT(len > 0 && len <= FFS_MAXNAMLEN);
	/* The first gap that fits: in the chunk the index says, if any. */
	dh = ffs_dirhash_get(dp);
	start = 0;
	if (dh != NULL) {
		chunk = ffs_dirhash_findroom(dh, (size_t)(DIP(dp, size) /
		    FFS_DIRBLKSIZ), need);
		start = chunk >= 0 ? chunk * FFS_DIRBLKSIZ : DIP(dp, size);
	}
	ffs_dirpos_init(&p, dp, start);
	for (error = ffs_dirpos_load(&p); error == 0;
	    error = ffs_dirpos_next(&p)) {
		ep = p.ep;
		used = ep->d_ino != 0 ? FFS_DIRSIZ(ep->d_namlen) : 0;
		if (ep->d_reclen - used < need)
			continue;
		if (used == 0) {
			ffs_dirfill(ep, name, len, ino, dtype, ep->d_reclen);
		} else {
			int rest = ep->d_reclen - used;

			ep->d_reclen = (uint16_t)used;
			p.off += used;
			ffs_dirfill(ffs_dirpos_entry(&p, p.off), name,
			    len, ino, dtype, rest);
		}
		if (dh != NULL) {
			ffs_dirhash_add(dh, ffs_dirhash_name(name, len), p.off);
			ffs_dirhash_update(&p);
		}
		return ffs_dirpos_write(&p);
	}
	ffs_dirpos_done(&p);
	if (error != ENOENT)
		return error;

	/* None: a new chunk at the end. */
	size = DIP(dp, size);
	if ((uint64_t)size + FFS_DIRBLKSIZ > fm->fm_maxfilesize)
		return EFBIG;
	if ((error = ffs_balloc(dp, size, FFS_DIRBLKSIZ, cred, BA_CLRBUF,
	    &bp)) != 0) {
		if (DIP(dp, size) != size)
			(void)ffs_truncate(dp, size, cred);
		return error;
	}
	DIP_SET(dp, size, size + FFS_DIRBLKSIZ);
	ep = (struct ffs_direct *)((char *)bp->b_data +
	    ffs_blkoff(fm->fm_fs, size));
	memset(ep, 0, FFS_DIRBLKSIZ);
	ffs_dirfill(ep, name, len, ino, dtype, FFS_DIRBLKSIZ);
	if ((dh = dp->i_dirhash) != NULL) {
		ffs_dirhash_add(dh, ffs_dirhash_name(name, len), size);
		ffs_dirhash_setfree(dh, (size_t)(size / FFS_DIRBLKSIZ),
		    FFS_DIRBLKSIZ - need);
	}
	p.bp = bp;
	return ffs_dirpos_write(&p);
}

int
ffs_dirremove(struct ffs_inode *dp, const char *name, size_t len)
{
	struct ffs_dirpos p;
	struct ffs_direct *pep;
	int error;

	ffs_dirpos_init(&p, dp, 0);
	if ((error = ffs_dirfind(&p, name, len)) != 0) {
		ffs_dirpos_done(&p);
		return error;
	}
	if (p.prev == FFS_PREV_UNKNOWN &&
	    (error = ffs_dirchunk(&p, &p.prev, NULL)) != 0) {
		ffs_dirpos_done(&p);
		return error;
	}
	if (dp->i_dirhash != NULL)
		ffs_dirhash_remove(dp->i_dirhash, ffs_dirhash_name(name, len),
		    p.off);
	if (p.prev < 0) {
		p.ep->d_ino = 0;	/* first of its chunk */
	} else {
		pep = ffs_dirpos_entry(&p, p.prev);
		pep->d_reclen = (uint16_t)(pep->d_reclen + p.ep->d_reclen);
	}
	ffs_dirhash_update(&p);
	return ffs_dirpos_write(&p);
}

int
ffs_dirrewrite(struct ffs_inode *dp, const char *name, size_t len,
    ino_t ino, int dtype)
{
	struct ffs_dirpos p;
	int error;

	ffs_dirpos_init(&p, dp, 0);
	if ((error = ffs_dirfind(&p, name, len)) != 0) {
		ffs_dirpos_done(&p);
		return error;
	}
	p.ep->d_ino = (uint32_t)ino;
	p.ep->d_type = (uint8_t)dtype;
	return ffs_dirpos_write(&p);
}

int
ffs_dirempty(struct ffs_inode *dp, ino_t parent, bool *emptyp)
{
	struct ffs_dirpos p;
	struct ffs_direct *ep;
	int error;

	*emptyp = true;
	ffs_dirpos_init(&p, dp, 0);
	for (error = ffs_dirpos_load(&p); error == 0;
	    error = ffs_dirpos_next(&p)) {
		ep = p.ep;
		if (ep->d_ino == 0 || (ep->d_namlen == 1 &&
		    ep->d_name[0] == '.') || (ep->d_namlen == 2 &&
		    ep->d_name[0] == '.' && ep->d_name[1] == '.'))
			continue;
		*emptyp = false;
		break;
	}
	ffs_dirpos_done(&p);
	return error == ENOENT ? 0 : error;
}

int
ffs_dirinit(struct ffs_inode *ip, ino_t parent, kauth_cred_t cred)
{
	struct ffs_direct *ep;
	struct ffs_dirpos p;
	struct buf *bp;
	int error;

	KASSERT(DIP(ip, size) == 0);
	if ((error = ffs_balloc(ip, 0, FFS_DIRBLKSIZ, cred, BA_CLRBUF,
	    &bp)) != 0)
		return error;
	DIP_SET(ip, size, FFS_DIRBLKSIZ);
	ep = bp->b_data;
	memset(ep, 0, FFS_DIRBLKSIZ);
	ffs_dirfill(ep, ".", 1, ip->i_number, FFS_DT_DIR, FFS_DIRSIZ(1));
	ep = (struct ffs_direct *)((char *)bp->b_data + FFS_DIRSIZ(1));
	ffs_dirfill(ep, "..", 2, parent, FFS_DT_DIR,
	    FFS_DIRBLKSIZ - FFS_DIRSIZ(1));
	ffs_dirpos_init(&p, ip, 0);
	p.bp = bp;
	return ffs_dirpos_write(&p);
}

int
ffs_dirdotdot(struct ffs_inode *dp, ino_t *inop)
{

	return ffs_dirlookup(dp, "..", 2, inop, NULL);
}

int
ffs_dirreaddir(struct ffs_inode *dp, struct uio *uio, int *eofp)
{
	struct ffs_dirpos p;
	struct ffs_direct *ep;
	struct dirent d;
	off_t start = uio->uio_offset;
	bool any = false;
	int error;

	*eofp = 0;
	if (start < 0)
		return EINVAL;
	/* From the start of the chunk, to find the entry at or after it. */
	ffs_dirpos_init(&p, dp, start & ~(off_t)(FFS_DIRBLKSIZ - 1));
	for (error = ffs_dirpos_load(&p); error == 0;
	    error = ffs_dirpos_next(&p)) {
		ep = p.ep;
		if (p.off < start || ep->d_ino == 0)
			continue;
		memset(&d, 0, offsetof(struct dirent, d_name));
		d.d_fileno = ep->d_ino;
		d.d_off = p.off + ep->d_reclen;
		d.d_namlen = ep->d_namlen;
		d.d_reclen = (uint16_t)_DIRENT_RECLEN(ep->d_namlen);
		d.d_type = ep->d_type;
		memcpy(d.d_name, ep->d_name, ep->d_namlen);
		memset(d.d_name + ep->d_namlen, 0,
		    d.d_reclen - offsetof(struct dirent, d_name) -
		    ep->d_namlen);
		if (d.d_reclen > uio->uio_resid) {
			if (!any)
				error = EINVAL;
			break;
		}
		if ((error = uiomove(&d, d.d_reclen, uio)) != 0)
			break;
		uio->uio_offset = d.d_off;
		any = true;
	}
	ffs_dirpos_done(&p);
	if (error == ENOENT) {
		*eofp = 1;
		uio->uio_offset = MAX(uio->uio_offset, DIP(dp, size));
		error = 0;
	}
	return error;
}
