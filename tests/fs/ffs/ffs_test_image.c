/*
 * A small reader of FFS images, on the host and independent of the
 * kernel's driver: it tells the tests where makefs put things (the
 * inode of a path, the byte offset of an inode, a block pointer or a
 * directory entry) and what it wrote there.  It reads pristine images
 * only, so it checks bounds but trusts the geometry it was given.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ffs_test.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the reader takes the little-endian image's integers as they are"
#endif

int
ffs_img_load(struct ffs_img *img, const char *path, char *err,
    size_t errlen)
{
	static const off_t where[] = { FFS_SBLOCK_UFS1, FFS_SBLOCK_UFS2 };
	struct stat sb;
	size_t i;
	int fd;

	memset(img, 0, sizeof(*img));
	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &sb) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	img->len = (size_t)sb.st_size;
	if ((img->buf = malloc(img->len)) == NULL ||
	    pread(fd, img->buf, img->len, 0) != (ssize_t)img->len) {
		snprintf(err, errlen, "%s: cannot read it", path);
		goto fail;
	}
	close(fd);
	fd = -1;
	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		if ((size_t)where[i] + sizeof(img->sb) > img->len)
			break;
		memcpy(&img->sb, img->buf + where[i], sizeof(img->sb));
		if (img->sb.fs_magic == FFS_UFS1_MAGIC ||
		    img->sb.fs_magic == FFS_UFS2_MAGIC)
			break;
	}
	if (img->sb.fs_magic != FFS_UFS1_MAGIC &&
	    img->sb.fs_magic != FFS_UFS2_MAGIC) {
		snprintf(err, errlen, "%s: no superblock", path);
		goto fail;
	}
	img->ufs2 = img->sb.fs_magic == FFS_UFS2_MAGIC;
	img->isize = img->ufs2 ? (int)sizeof(struct ffs_dinode2) :
	    (int)sizeof(struct ffs_dinode1);
	img->nindir = img->sb.fs_bsize / (img->ufs2 ? 8 : 4);
	if (img->sb.fs_bsize < FFS_MINBSIZE ||
	    img->sb.fs_bsize > FFS_MAXBSIZE || img->sb.fs_fsize <= 0 ||
	    img->sb.fs_frag != img->sb.fs_bsize / img->sb.fs_fsize ||
	    img->sb.fs_ipg <= 0 || img->sb.fs_inopb <= 0 ||
	    img->sb.fs_fpg <= 0 || img->sb.fs_ncg <= 0 ||
	    img->nindir != img->sb.fs_nindir) {
		snprintf(err, errlen, "%s: a superblock the reader does not "
		    "understand", path);
		goto fail;
	}
	return 0;
fail:
	if (fd != -1)
		close(fd);
	free(img->buf);
	img->buf = NULL;
	return -1;
}

void
ffs_img_free(struct ffs_img *img)
{

	free(img->buf);
	img->buf = NULL;
}

/* The byte offset of inode ino in the image, or 0 if it has none. */
size_t
ffs_img_inode(const struct ffs_img *img, uint32_t ino)
{
	const struct ffs_super *fs = &img->sb;
	uint64_t off;

	if (ino >= (uint64_t)fs->fs_ncg * (uint32_t)fs->fs_ipg)
		return 0;
	off = (uint64_t)ffs_ino_to_fsba(fs, ino) * (uint32_t)fs->fs_fsize +
	    (uint64_t)ffs_ino_to_fsbo(fs, ino) * (uint32_t)img->isize;
	if (off + (uint32_t)img->isize > img->len)
		return 0;
	return (size_t)off;
}

int
ffs_img_stat(const struct ffs_img *img, uint32_t ino, struct ffs_istat *st)
{
	size_t off = ffs_img_inode(img, ino);

	if (off == 0)
		return -1;
	memset(st, 0, sizeof(*st));
	if (img->ufs2) {
		struct ffs_dinode2 d;

		memcpy(&d, img->buf + off, sizeof(d));
		st->mode = d.di_mode;
		st->nlink = d.di_nlink;
		st->uid = d.di_uid;
		st->gid = d.di_gid;
		st->size = d.di_size;
		st->blocks = d.di_blocks;
		st->atime = d.di_atime;
		st->atimensec = d.di_atimensec;
		st->mtime = d.di_mtime;
		st->mtimensec = d.di_mtimensec;
		st->ctime = d.di_ctime;
		st->ctimensec = d.di_ctimensec;
		st->rdev = (uint32_t)d.di_db[0];
	} else {
		struct ffs_dinode1 d;

		memcpy(&d, img->buf + off, sizeof(d));
		st->mode = d.di_mode;
		st->nlink = d.di_nlink;
		st->uid = d.di_uid;
		st->gid = d.di_gid;
		st->size = d.di_size;
		st->blocks = d.di_blocks;
		st->atime = d.di_atime;
		st->atimensec = d.di_atimensec;
		st->mtime = d.di_mtime;
		st->mtimensec = d.di_mtimensec;
		st->ctime = d.di_ctime;
		st->ctimensec = d.di_ctimensec;
		st->rdev = (uint32_t)d.di_db[0];
	}
	return 0;
}

/* The block pointer at byte off of the image (-1: outside it). */
static int64_t
getptr(const struct ffs_img *img, size_t off)
{
	int64_t v64;
	int32_t v32;

	if (off + (img->ufs2 ? 8 : 4) > img->len)
		return -1;
	if (img->ufs2) {
		memcpy(&v64, img->buf + off, 8);
		return v64;
	}
	memcpy(&v32, img->buf + off, 4);
	return v32;
}

/*
 * The fragment address of logical block lbn of inode ino: 0 for a
 * hole, -1 if the image is not as expected.  *ptroff: the byte offset
 * in the image of the pointer that holds it.
 */
int64_t
ffs_img_bmap(const struct ffs_img *img, uint32_t ino, int64_t lbn,
    size_t *ptroff)
{
	const int64_t n = img->nindir;
	const size_t psize = img->ufs2 ? 8 : 4;
	size_t ioff = ffs_img_inode(img, ino), dboff, iboff, off;
	int64_t span, addr, idx;
	int level;

	if (ioff == 0 || lbn < 0)
		return -1;
	dboff = img->ufs2 ? 112 : 40;
	iboff = img->ufs2 ? 208 : 88;
	if (lbn < FFS_NDADDR) {
		off = ioff + dboff + (size_t)lbn * psize;
		if (ptroff != NULL)
			*ptroff = off;
		return getptr(img, off);
	}
	lbn -= FFS_NDADDR;
	for (level = 0, span = n; level < FFS_NIADDR; level++, span *= n) {
		if (lbn < span)
			break;
		lbn -= span;
	}
	if (level == FFS_NIADDR)
		return -1;
	off = ioff + iboff + (size_t)level * psize;
	addr = getptr(img, off);
	/* Down the tree: span is the blocks under one pointer. */
	for (span /= n; addr > 0; span /= n) {
		idx = lbn / span;
		lbn %= span;
		off = (size_t)addr * (uint32_t)img->sb.fs_fsize +
		    (size_t)idx * psize;
		addr = getptr(img, off);
		if (span == 1)
			break;
	}
	if (ptroff != NULL)
		*ptroff = off;
	return addr;
}

/*
 * Call fn for every entry in use of directory dino, with the entry's
 * byte offset in the image; stop at the first nonzero return.
 */
int
ffs_img_readdir(const struct ffs_img *img, uint32_t dino, ffs_direntfn fn,
    void *arg)
{
	const struct ffs_super *fs = &img->sb;
	struct ffs_istat st;
	char name[FFS_MAXNAMLEN + 1];
	int64_t lbn, addr, bsz;
	size_t base, o, end;
	uint32_t ino;
	uint16_t reclen;
	int error;

	if (ffs_img_stat(img, dino, &st) == -1 ||
	    (st.mode & FFS_IFMT) != FFS_IFDIR)
		return -1;
	for (lbn = 0; lbn * fs->fs_bsize < (int64_t)st.size; lbn++) {
		/* Past the last fragment of a directory: not its bytes. */
		bsz = ffs_blksize(fs, (int64_t)st.size, lbn);
		if (bsz > (int64_t)st.size - lbn * fs->fs_bsize)
			bsz = (int64_t)st.size - lbn * fs->fs_bsize;
		if ((addr = ffs_img_bmap(img, dino, lbn, NULL)) <= 0)
			return -1;
		base = (size_t)addr * (uint32_t)fs->fs_fsize;
		if (base + (size_t)bsz > img->len)
			return -1;
		for (o = 0; o < (size_t)bsz; o += reclen) {
			end = (o / FFS_DIRBLKSIZ + 1) * FFS_DIRBLKSIZ;
			memcpy(&ino, img->buf + base + o, 4);
			memcpy(&reclen, img->buf + base + o + 4, 2);
			if (reclen < FFS_DIRHDRSIZE || o + reclen > end ||
			    img->buf[base + o + 7] + FFS_DIRHDRSIZE > reclen)
				return -1;
			if (ino == 0)
				continue;
			memcpy(name, img->buf + base + o + 8,
			    img->buf[base + o + 7]);
			name[img->buf[base + o + 7]] = '\0';
			if ((error = fn(arg, name, ino, img->buf[base + o + 6],
			    base + o)) != 0)
				return error;
		}
	}
	return 0;
}

struct lookup {
	const char	*name;
	size_t		len;
	uint32_t	ino;
};

static int
lookup_one(void *arg, const char *name, uint32_t ino, int type, size_t off)
{
	struct lookup *l = arg;

	if (strlen(name) != l->len || memcmp(name, l->name, l->len) != 0)
		return 0;
	l->ino = ino;
	return 1;
}

/* The inode of path, relative to the root ("" is the root). */
int
ffs_img_lookup(const struct ffs_img *img, const char *path, uint32_t *inop)
{
	struct lookup l;
	uint32_t ino = FFS_ROOTINO;

	while (*path != '\0') {
		l.name = path;
		l.len = strcspn(path, "/");
		path += l.len;
		path += strspn(path, "/");
		if (l.len == 0)
			continue;
		l.ino = 0;
		if (ffs_img_readdir(img, ino, lookup_one, &l) != 1)
			return -1;
		ino = l.ino;
	}
	*inop = ino;
	return 0;
}
