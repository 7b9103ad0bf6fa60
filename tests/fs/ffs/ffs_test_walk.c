/*
 * The walk that compares a tree mounted in the rump kernel with the
 * host tree it was made from: for every host path, lstat (type, mode,
 * links, owner, size, times, inode identity), the bytes of files (read
 * in odd-sized pieces, and with pread around block and fragment
 * boundaries), link targets and directory listings (every name once,
 * nothing else but "." and "..").  With a pristine image's reader it
 * also expects the inode numbers, directory sizes, block counts and
 * nanoseconds that makefs wrote.
 *
 * For damaged images (t_corrupt) calls may fail, and struct ffs_relax
 * names what the damage may change; everything else must still be
 * right, and everything relaxed must still be sane.
 */

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "ffs_test.h"

#define SANE_READ	(256 << 10)	/* bytes read of a damaged file */
#define SANE_NAMES	200		/* names of a damaged directory */
#define MAX_ENTRIES	100000		/* a listing longer than this: a loop */
#define PROBE_MAX	64		/* block boundaries probed per file */

struct ffs_inomap {
	struct inopair {
		ino_t	h, r;
		char	*path;
	}		*v;
	size_t		n, cap;
};

/* One name of a listing, host or rump. */
struct ent {
	char		*name;
	struct stat	sb;		/* host */
	uint64_t	ino;		/* rump: d_ino; host: the image's */
	int64_t		off;		/* rump: d_off */
	int		type;		/* rump: d_type */
	int		seen;
};

static void __attribute__((__format__(__printf__, 2, 3)))
fail(struct ffs_walk *w, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (++w->nfail > w->maxfail)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	w->report(w->arg, msg);
}

/*
 * A call failed with errno: fine for a damaged image if errno is one a
 * file system may give, a failure otherwise.  Returns errno.
 */
static int
callerr(struct ffs_walk *w, const char *path, const char *call)
{
	int e = errno;

	if ((w->flags & FFS_WALK_ERROK) == 0 || e == 0 || e == EBADF ||
	    e == EFAULT || e == ENOSYS)
		fail(w, "%s: %s: %s", path, call, strerror(e));
	errno = e;
	return e;
}

static bool
isfull(const struct ffs_walk *w, ino_t hino)
{
	int i;

	if (w->relax == NULL)
		return false;
	for (i = 0; i < w->relax->nfull; i++)
		if (w->relax->full[i] == hino)
			return true;
	return false;
}

static unsigned
relaxed(const struct ffs_walk *w, ino_t hino)
{

	if (w->relax == NULL || w->relax->ino != hino)
		return 0;
	return w->relax->fields;
}

static int
cmpent(const void *a, const void *b)
{

	return strcmp(((const struct ent *)a)->name,
	    ((const struct ent *)b)->name);
}

static void
freeents(struct ent *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(e[i].name);
	free(e);
}

static struct ent *
addent(struct ent *e, size_t *np, size_t *capp, const char *name)
{
	struct ent *ne;

	if (*np == *capp) {
		*capp = *capp == 0 ? 64 : *capp * 2;
		if ((ne = realloc(e, *capp * sizeof(*e))) == NULL)
			abort();
		e = ne;
	}
	memset(&e[*np], 0, sizeof(*e));
	if ((e[*np].name = strdup(name)) == NULL)
		abort();
	(*np)++;
	return e;
}

/* The host's names in directory path, sorted, with their lstat. */
static struct ent *
host_list(const char *path, size_t *np)
{
	char child[PATH_MAX + 256];
	struct dirent *d;
	struct ent *e = NULL;
	size_t n = 0, cap = 0;
	DIR *dir;

	if ((dir = opendir(path)) == NULL)
		abort();
	while ((d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		e = addent(e, &n, &cap, d->d_name);
		snprintf(child, sizeof(child), "%s/%s", path, d->d_name);
		if (lstat(child, &e[n - 1].sb) == -1)
			abort();
	}
	closedir(dir);
	if (n > 0)
		qsort(e, n, sizeof(*e), cmpent);
	*np = n;
	return e;
}

static struct ent *
find(struct ent *e, size_t n, const char *name)
{
	struct ent key = { .name = (char *)(uintptr_t)name };

	if (n == 0)
		return NULL;
	return bsearch(&key, e, n, sizeof(*e), cmpent);
}

/*
 * Read a rump directory to its end with buffers of bufsz bytes.  Every
 * record must be well formed whatever the image holds.  Returns the
 * entries in the order read, or NULL with *errp set (0: a failure
 * already reported).
 */
static struct ent *
rump_list(struct ffs_walk *w, const char *path, int fd, size_t bufsz,
    size_t *np, int *errp)
{
	struct ent *e = NULL;
	size_t n = 0, cap = 0, len;
	char *buf;
	int got, off, calls = 0;

	*errp = 0;
	if ((buf = aligned_alloc(8, (bufsz + 7) & ~(size_t)7)) == NULL)
		abort();
	while ((got = rump_sys_getdents(fd, buf, bufsz)) > 0) {
		if ((size_t)got > bufsz) {
			fail(w, "%s: getdents returned %d for a buffer of "
			    "%zu", path, got, bufsz);
			goto bad;
		}
		for (off = 0; off < got; ) {
			const struct ffs_dirent *d = (const void *)(buf + off);

			if (off + FFS_DIRENT_HDR + 2 > got ||
			    d->d_reclen < FFS_DIRENT_HDR + 2 ||
			    off + d->d_reclen > got) {
				fail(w, "%s: getdents: a record of %u bytes at "
				    "%d of %d", path, off + FFS_DIRENT_HDR + 2 >
				    got ? 0 : d->d_reclen, off, got);
				goto bad;
			}
			len = strnlen(d->d_name, (size_t)d->d_reclen -
			    FFS_DIRENT_HDR);
			if (len == (size_t)d->d_reclen - FFS_DIRENT_HDR ||
			    len == 0 ||
			    len > FFS_MAXNAMLEN ||
			    memchr(d->d_name, '/', len) != NULL) {
				fail(w, "%s: getdents: a malformed name at %d",
				    path, off);
				goto bad;
			}
			if (n >= MAX_ENTRIES) {
				fail(w, "%s: getdents: more than %d names",
				    path, MAX_ENTRIES);
				goto bad;
			}
			e = addent(e, &n, &cap, d->d_name);
			e[n - 1].ino = d->d_ino;
			e[n - 1].off = d->d_off;
			e[n - 1].type = d->d_type;
			off += d->d_reclen;
		}
		if (++calls > MAX_ENTRIES) {
			fail(w, "%s: getdents does not end", path);
			goto bad;
		}
	}
	if (got == -1) {
		*errp = callerr(w, path, "getdents");
		goto bad;
	}
	free(buf);
	*np = n;
	return e;
bad:
	free(buf);
	freeents(e, n);
	if (*errp == 0)
		*errp = -1;
	return NULL;
}

/* ---- Files. ---- */

struct fctx {
	struct ffs_walk	*w;
	const char	*path;		/* rump */
	int		rfd, hfd;
	off_t		hsize, rsize;
	unsigned	rf;		/* FFS_RELAX_* */
	off_t		lo, hi;
	bool		full;		/* sanity only */
};

/*
 * n bytes the kernel gave for offset off: compare them with the host's.
 * False after a reported difference.
 */
static bool
cmpbytes(struct fctx *f, off_t off, const unsigned char *got, size_t n)
{
	static unsigned char want[1 << 20];
	size_t i, m, done;
	off_t pos;
	ssize_t r;

	if (n > 0 && off + (off_t)n > f->rsize) {
		fail(f->w, "%s: %zu bytes at %lld, past the size %lld that "
		    "stat gives", f->path, n, (long long)off,
		    (long long)f->rsize);
		return false;
	}
	if (f->full)
		return true;
	for (done = 0; done < n; done += m) {
		pos = off + (off_t)done;
		m = n - done > sizeof(want) ? sizeof(want) : n - done;
		if (pos >= f->hsize) {
			if ((f->rf & FFS_RELAX_SIZE) != 0)
				return true;
			fail(f->w, "%s: data at %lld, past the end (%lld)",
			    f->path, (long long)pos, (long long)f->hsize);
			return false;
		}
		if (pos + (off_t)m > f->hsize)
			m = (size_t)(f->hsize - pos);
		r = pread(f->hfd, want, m, pos);
		if (r != (ssize_t)m)
			abort();
		if (memcmp(want, got + done, m) == 0)
			continue;
		for (i = 0; i < m; i++) {
			if (want[i] == got[done + i])
				continue;
			if ((f->rf & FFS_RELAX_DATA) != 0 &&
			    pos + (off_t)i >= f->lo && pos + (off_t)i < f->hi)
				continue;
			fail(f->w, "%s: byte %lld (block %lld + %lld) is %#x, "
			    "not %#x", f->path, (long long)(pos + (off_t)i),
			    (long long)((pos + (off_t)i) / f->w->bsize),
			    (long long)((pos + (off_t)i) % f->w->bsize),
			    got[done + i], want[i]);
			return false;
		}
	}
	return true;
}

/*
 * Read [start, stop) with read(2) in pieces of odd sizes; at the end
 * of the file, require end of file.  False after a failure.
 */
static bool
seqread(struct fctx *f, off_t start, off_t stop)
{
	static const size_t piece[] = { 4097, 1, 131071, 511, 65536, 12345,
	    1 << 20, 7, 8192, 3 };
	static unsigned char buf[1 << 20];
	off_t off, r;
	ssize_t n;
	size_t want;
	int k = 0;

	if ((r = rump_sys_lseek(f->rfd, start, SEEK_SET)) != start) {
		if (r == -1)
			callerr(f->w, f->path, "lseek");
		else
			fail(f->w, "%s: lseek to %lld gave %lld", f->path,
			    (long long)start, (long long)r);
		return false;
	}
	for (off = start; off < stop; off += n) {
		want = piece[k++ % (sizeof(piece) / sizeof(piece[0]))];
		if (want > (size_t)(stop - off) && stop < f->hsize)
			want = (size_t)(stop - off);
		n = rump_sys_read(f->rfd, buf, want);
		if (n == -1) {
			callerr(f->w, f->path, "read");
			return false;
		}
		if ((size_t)n > want) {
			fail(f->w, "%s: read of %zu returned %zd", f->path,
			    want, n);
			return false;
		}
		if (n == 0) {
			if (off < f->hsize && !f->full &&
			    (f->rf & FFS_RELAX_SIZE) == 0) {
				fail(f->w, "%s: end of file at %lld, not %lld",
				    f->path, (long long)off,
				    (long long)f->hsize);
				return false;
			}
			return true;
		}
		if ((size_t)n < want && off + n < f->hsize && off + n <
		    f->rsize && (f->w->flags & FFS_WALK_ERROK) == 0) {
			fail(f->w, "%s: read of %zu at %lld gave only %zd",
			    f->path, want, (long long)off, n);
			return false;
		}
		if (!cmpbytes(f, off, buf, (size_t)n))
			return false;
	}
	if (stop < f->hsize || f->full)
		return true;
	/* At the end: nothing more, unless the size may have grown. */
	n = rump_sys_read(f->rfd, buf, 100);
	if (n == -1) {
		callerr(f->w, f->path, "read at the end");
		return false;
	}
	if (n != 0 && (f->rf & FFS_RELAX_SIZE) == 0) {
		fail(f->w, "%s: %zd bytes past the end", f->path, n);
		return false;
	}
	return n == 0 || cmpbytes(f, off, buf, (size_t)n);
}

/* pread len bytes at off (clipped at 0) and compare them. */
static bool
probe(struct fctx *f, off_t off, size_t len)
{
	unsigned char buf[64];
	off_t avail;
	ssize_t n;

	if (off < 0) {
		if ((off_t)len + off <= 0)
			return true;
		len = (size_t)((off_t)len + off);
		off = 0;
	}
	if (len > sizeof(buf))
		len = sizeof(buf);
	n = rump_sys_pread(f->rfd, buf, len, off);
	if (n == -1) {
		callerr(f->w, f->path, "pread");
		return false;
	}
	avail = f->hsize - off;
	if (avail < 0)
		avail = 0;
	/* Damaged: a short count may precede an error, but not 0. */
	if ((size_t)n > len || (!f->full && (f->rf & FFS_RELAX_SIZE) == 0 &&
	    n != (avail < (off_t)len ? avail : (off_t)len) &&
	    ((f->w->flags & FFS_WALK_ERROK) == 0 || n > avail || n == 0))) {
		fail(f->w, "%s: pread of %zu at %lld gave %zd", f->path, len,
		    (long long)off, n);
		return false;
	}
	return cmpbytes(f, off, buf, (size_t)n);
}

/* pread around the block and fragment boundaries that matter. */
static void
probes(struct fctx *f)
{
	const off_t b = f->w->bsize, fr = f->w->fsize;
	const off_t special[] = { 12 * b, (12 + b / 4) * b, (12 + b / 8) * b,
	    (12 + b / 4 + (b / 4) * (b / 4)) * b };
	off_t k, last, size = f->hsize;
	size_t i;
	int n = 0;

	if (f->full) {
		size = f->rsize;
		probe(f, 0, 16);
		probe(f, size - 5, 10);
		probe(f, size / 2, 10);
		return;
	}
	for (k = b; k <= size + b && n < PROBE_MAX; k += b, n++)
		if (!probe(f, k - 4, 9))
			return;
	for (i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (special[i] <= size + b && !probe(f, special[i] - 4, 9))
			return;
	/* The fragments of the first block, and of the last. */
	last = size / b * b;
	for (k = fr; k <= b; k += fr)
		if ((k <= size + fr && !probe(f, k - 2, 5)) ||
		    (last > 0 && last + k <= size + fr &&
		    !probe(f, last + k - 2, 5)))
			return;
	/* Across the end, at it, past it. */
	if (!probe(f, size - 3, 10) || !probe(f, size, 10) ||
	    !probe(f, size + 100000, 10))
		return;
}

static void
check_file(struct ffs_walk *w, const char *hpath, const char *rpath,
    const struct stat *hs, const struct stat *rs, bool full)
{
	struct fctx f = {
		.w = w, .path = rpath, .hsize = hs->st_size,
		.rsize = rs->st_size, .full = full,
	};
	struct stat fs;
	off_t end;

	if (!full) {
		f.rf = relaxed(w, hs->st_ino);
		if (f.rf & FFS_RELAX_DATA) {
			f.lo = w->relax->lo;
			f.hi = w->relax->hi;
		}
	}
	/* (Damaged: the host's file may be anything; leave it alone.) */
	f.hfd = -1;
	if (!full && (f.hfd = open(hpath, O_RDONLY)) == -1)
		abort();
	if ((f.rfd = rump_sys_open(rpath, O_RDONLY | O_NOFOLLOW |
	    O_NONBLOCK)) == -1) {
		callerr(w, rpath, "open");
		if (f.hfd != -1)
			close(f.hfd);
		return;
	}
	if (rump_sys_fstat(f.rfd, &fs) == -1)
		callerr(w, rpath, "fstat");
	else if (fs.st_ino != rs->st_ino || fs.st_size != rs->st_size)
		fail(w, "%s: fstat (ino %llu, size %lld) differs from lstat "
		    "(ino %llu, size %lld)", rpath,
		    (unsigned long long)fs.st_ino, (long long)fs.st_size,
		    (unsigned long long)rs->st_ino, (long long)rs->st_size);
	end = rump_sys_lseek(f.rfd, 0, SEEK_END);
	if (end == -1)
		callerr(w, rpath, "lseek SEEK_END");
	else if (end != rs->st_size)
		fail(w, "%s: SEEK_END is %lld, the size %lld", rpath,
		    (long long)end, (long long)rs->st_size);
	if (full) {
		seqread(&f, 0, f.rsize < SANE_READ ? f.rsize : SANE_READ);
	} else if (f.hsize <= w->readcap) {
		if (!seqread(&f, 0, f.hsize))
			goto out;
	} else {
		if (!seqread(&f, 0, 65536) ||
		    !seqread(&f, f.hsize - 65536, f.hsize))
			goto out;
	}
	probes(&f);
out:
	rump_sys_close(f.rfd);
	if (f.hfd != -1)
		close(f.hfd);
}

/* ---- Symbolic links. ---- */

static void
check_link(struct ffs_walk *w, const char *hpath, const char *rpath,
    const struct stat *hs, bool full)
{
	char want[PATH_MAX], got[PATH_MAX + 1];
	ssize_t hn, n;

	n = rump_sys_readlink(rpath, got, sizeof(got));
	if (n == -1) {
		callerr(w, rpath, "readlink");
		return;
	}
	if (n < 0 || (size_t)n > sizeof(got)) {
		fail(w, "%s: readlink gave %zd", rpath, n);
		return;
	}
	if (full || (relaxed(w, hs->st_ino) & FFS_RELAX_SIZE) != 0)
		return;
	if ((hn = readlink(hpath, want, sizeof(want))) == -1)
		abort();
	if (n != hn || memcmp(want, got, (size_t)n) != 0) {
		fail(w, "%s: readlink gave \"%.*s\" (%zd), not \"%.*s\" (%zd)",
		    rpath, (int)n, got, n, (int)hn, want, hn);
		return;
	}
	/* A short buffer gets the start of the target. */
	if (hn >= 2) {
		n = rump_sys_readlink(rpath, got, (size_t)hn / 2);
		if (n == -1)
			callerr(w, rpath, "readlink (short buffer)");
		else if (n != hn / 2 || memcmp(want, got, (size_t)n) != 0)
			fail(w, "%s: readlink into %zd bytes gave %zd", rpath,
			    hn / 2, n);
	}
}

/* ---- The walk. ---- */

static void
mapadd(struct ffs_walk *w, ino_t h, ino_t r, const char *path)
{
	struct ffs_inomap *m = w->map;
	struct inopair *nv;

	if (m->n == m->cap) {
		m->cap = m->cap == 0 ? 256 : m->cap * 2;
		if ((nv = realloc(m->v, m->cap * sizeof(*m->v))) == NULL)
			abort();
		m->v = nv;
	}
	m->v[m->n].h = h;
	m->v[m->n].r = r;
	if ((m->v[m->n].path = strdup(path)) == NULL)
		abort();
	m->n++;
}

static int
cmph(const void *a, const void *b)
{
	const struct inopair *x = a, *y = b;

	return x->h < y->h ? -1 : x->h > y->h ? 1 :
	    x->r < y->r ? -1 : x->r > y->r;
}

static int
cmpr(const void *a, const void *b)
{
	const struct inopair *x = a, *y = b;

	return x->r < y->r ? -1 : x->r > y->r ? 1 :
	    x->h < y->h ? -1 : x->h > y->h;
}

/* Names of one host inode share one rump inode, and only they do. */
static void
mapcheck(struct ffs_walk *w)
{
	struct ffs_inomap *m = w->map;
	size_t i;

	if (m->n == 0)
		return;
	qsort(m->v, m->n, sizeof(*m->v), cmph);
	for (i = 1; i < m->n; i++)
		if (m->v[i].h == m->v[i - 1].h && m->v[i].r != m->v[i - 1].r)
			fail(w, "%s and %s: one file on the host, inodes %llu "
			    "and %llu", m->v[i - 1].path, m->v[i].path,
			    (unsigned long long)m->v[i - 1].r,
			    (unsigned long long)m->v[i].r);
	qsort(m->v, m->n, sizeof(*m->v), cmpr);
	for (i = 1; i < m->n; i++)
		if (m->v[i].r == m->v[i - 1].r && m->v[i].h != m->v[i - 1].h)
			fail(w, "%s and %s: two files on the host, one inode "
			    "%llu", m->v[i - 1].path, m->v[i].path,
			    (unsigned long long)m->v[i].r);
	for (i = 0; i < m->n; i++)
		free(m->v[i].path);
	free(m->v);
	m->v = NULL;
	m->n = m->cap = 0;
}

static int
dtype(mode_t mode)
{

	return (mode & S_IFMT) >> 12;	/* DT_* of Linux and of FFS */
}

/* Compare lstat's answer with the host's (and the image's). */
static void
check_stat(struct ffs_walk *w, const char *rpath, const struct stat *hs,
    const struct stat *rs, nlink_t nlink, const struct ffs_istat *is,
    uint32_t iino)
{
	unsigned rf = relaxed(w, hs->st_ino);

	if ((rf & FFS_RELAX_MODE) == 0 && rs->st_mode != hs->st_mode)
		fail(w, "%s: mode %#o, not %#o", rpath,
		    (unsigned)rs->st_mode, (unsigned)hs->st_mode);
	if ((rf & FFS_RELAX_NLINK) == 0 && rs->st_nlink != nlink)
		fail(w, "%s: %lu links, not %lu", rpath,
		    (unsigned long)rs->st_nlink, (unsigned long)nlink);
	if ((rf & FFS_RELAX_UID) == 0 && rs->st_uid != hs->st_uid)
		fail(w, "%s: uid %lu, not %lu", rpath,
		    (unsigned long)rs->st_uid, (unsigned long)hs->st_uid);
	if ((rf & FFS_RELAX_GID) == 0 && rs->st_gid != hs->st_gid)
		fail(w, "%s: gid %lu, not %lu", rpath,
		    (unsigned long)rs->st_gid, (unsigned long)hs->st_gid);
	if ((rf & FFS_RELAX_SIZE) == 0) {
		if (!S_ISDIR(hs->st_mode) && rs->st_size != hs->st_size)
			fail(w, "%s: size %lld, not %lld", rpath,
			    (long long)rs->st_size, (long long)hs->st_size);
		if (S_ISDIR(hs->st_mode) && is != NULL &&
		    (uint64_t)rs->st_size != is->size)
			fail(w, "%s: size %lld, not the image's %llu", rpath,
			    (long long)rs->st_size,
			    (unsigned long long)is->size);
	}
	if ((rf & FFS_RELAX_MTIME) == 0 &&
	    (rs->st_mtim.tv_sec != hs->st_mtim.tv_sec ||
	    rs->st_mtim.tv_nsec != (is != NULL ? is->mtimensec :
	    hs->st_mtim.tv_nsec)))
		fail(w, "%s: mtime %lld.%09ld, not %lld.%09ld", rpath,
		    (long long)rs->st_mtim.tv_sec, rs->st_mtim.tv_nsec,
		    (long long)hs->st_mtim.tv_sec, is != NULL ?
		    (long)is->mtimensec : hs->st_mtim.tv_nsec);
	if ((rf & FFS_RELAX_CTIME) == 0 && (w->flags & FFS_WALK_CTIME) &&
	    (rs->st_ctim.tv_sec != hs->st_ctim.tv_sec || (is != NULL &&
	    rs->st_ctim.tv_nsec != is->ctimensec)))
		fail(w, "%s: ctime %lld.%09ld, not %lld", rpath,
		    (long long)rs->st_ctim.tv_sec, rs->st_ctim.tv_nsec,
		    (long long)hs->st_ctim.tv_sec);
	if ((S_ISCHR(hs->st_mode) || S_ISBLK(hs->st_mode)) &&
	    (major(rs->st_rdev) != major(hs->st_rdev) ||
	    minor(rs->st_rdev) != minor(hs->st_rdev)))
		fail(w, "%s: device %u,%u, not %u,%u", rpath,
		    major(rs->st_rdev), minor(rs->st_rdev),
		    major(hs->st_rdev), minor(hs->st_rdev));
	if (is == NULL)
		return;
	/* A read-only mount never updates access times, even in core. */
	if ((rf & FFS_RELAX_ATIME) == 0 &&
	    (rs->st_atim.tv_sec != is->atime ||
	    rs->st_atim.tv_nsec != is->atimensec))
		fail(w, "%s: atime %lld.%09ld, not the image's %lld.%09d",
		    rpath, (long long)rs->st_atim.tv_sec, rs->st_atim.tv_nsec,
		    (long long)is->atime, is->atimensec);
	if (rs->st_ino != iino)
		fail(w, "%s: inode %llu, not the image's %u", rpath,
		    (unsigned long long)rs->st_ino, iino);
	if ((rf & FFS_RELAX_BLOCKS) == 0 && (uint64_t)rs->st_blocks !=
	    is->blocks)
		fail(w, "%s: %lld blocks, not the image's %llu", rpath,
		    (long long)rs->st_blocks, (unsigned long long)is->blocks);
}

/*
 * makefs must have kept what the host has: if the image disagrees, the
 * test (or makefs) is wrong, not the kernel.
 */
static void
check_image(struct ffs_walk *w, const char *rel, const struct stat *hs,
    const struct ffs_istat *is)
{

	if ((is->mode & FFS_IFMT) != (hs->st_mode & S_IFMT) ||
	    (is->mode & 07777) != (hs->st_mode & 07777) ||
	    is->uid != hs->st_uid || is->gid != hs->st_gid ||
	    is->mtime != hs->st_mtim.tv_sec ||
	    (!S_ISDIR(hs->st_mode) && (int64_t)is->size != hs->st_size))
		fail(w, "/%s: the image (by this test's reader) disagrees "
		    "with the host: mode %#o uid %u gid %u mtime %lld size "
		    "%llu", rel, is->mode, is->uid, is->gid,
		    (long long)is->mtime, (unsigned long long)is->size);
}

struct imgents {
	struct ent	*e;
	size_t		n, cap;
};

static int
imgent(void *arg, const char *name, uint32_t ino, int type, size_t off)
{
	struct imgents *ie = arg;

	ie->e = addent(ie->e, &ie->n, &ie->cap, name);
	ie->e[ie->n - 1].ino = ino;
	return 0;
}

/* Damaged data: whatever a directory holds, it must read sanely. */
static void
sane_dir(struct ffs_walk *w, const char *rpath)
{
	char child[PATH_MAX + 256];
	struct ent *e;
	struct stat sb;
	size_t n, i;
	int fd, error;

	if ((fd = rump_sys_open(rpath, O_RDONLY | O_DIRECTORY)) == -1) {
		callerr(w, rpath, "open");
		return;
	}
	e = rump_list(w, rpath, fd, 4096, &n, &error);
	rump_sys_close(fd);
	if (e == NULL)
		return;
	for (i = 0; i < n && i < SANE_NAMES; i++) {
		if (strcmp(e[i].name, ".") == 0 || strcmp(e[i].name, "..") == 0)
			continue;
		snprintf(child, sizeof(child), "%s/%s", rpath, e[i].name);
		if (rump_sys_lstat(child, &sb) == -1)
			callerr(w, child, "lstat");
	}
	freeents(e, n);
}

static void walk(struct ffs_walk *, const char *, const struct stat *, bool,
    uint32_t, const struct ent *);

/* Looking up name in directory rpath must fail with ENOENT. */
static void
nosuchname(struct ffs_walk *w, const char *rpath, struct ent *he, size_t hn,
    const char *name, bool lossy)
{
	char path[PATH_MAX + 256];
	struct stat sb;

	if (*name == '\0' || find(he, hn, name) != NULL)
		return;
	snprintf(path, sizeof(path), "%s/%s", rpath, name);
	if (rump_sys_lstat(path, &sb) == 0) {
		if (!lossy)
			fail(w, "%s: found, but not on the host", path);
	} else if (errno != ENOENT)
		callerr(w, path, "lstat (no such name)");
}

/*
 * The listing of directory rpath against the host's names he (n of
 * them); then each child in turn.
 */
static void
check_dir(struct ffs_walk *w, const char *rel, const char *rpath,
    const struct stat *rs, struct ent *he, size_t hn, uint32_t iino)
{
	static const size_t bufsz[] = { 288, 1000, 4096, 65536 };
	const struct ffs_relax *rx = w->relax;
	char name[PATH_MAX + 256];
	struct ent *re, *re2, *h;
	struct imgents ie = { NULL, 0, 0 };
	size_t rn, rn2, i, dots = 0, unknown = 0;
	/* (he[0] is this directory itself, the rest its children.) */
	bool lossy = rx != NULL && rx->dir != 0 && rx->dir == he[0].sb.st_ino;
	int fd, error, k = (int)(ffs_hash(rel) % 4);
	struct stat sb;

	he++;
	if ((fd = rump_sys_open(rpath, O_RDONLY | O_DIRECTORY)) == -1) {
		callerr(w, rpath, "open");
		goto children;
	}
	re = rump_list(w, rpath, fd, bufsz[k], &rn, &error);
	if (re == NULL) {
		rump_sys_close(fd);
		goto children;
	}
	for (i = 0; i < rn; i++) {
		if (strcmp(re[i].name, ".") == 0) {
			dots++;
			if (re[i].ino != rs->st_ino && !lossy)
				fail(w, "%s: \".\" names inode %llu, not %llu",
				    rpath, (unsigned long long)re[i].ino,
				    (unsigned long long)rs->st_ino);
			continue;
		}
		if (strcmp(re[i].name, "..") == 0) {
			dots += 16;
			continue;
		}
		if ((h = find(he, hn, re[i].name)) == NULL || h->seen++ > 0) {
			if (++unknown <= (size_t)(lossy ? rx->extra : 0))
				continue;
			fail(w, "%s: getdents gave \"%s\"%s", rpath,
			    re[i].name, h == NULL ? ", not on the host" :
			    " twice");
			continue;
		}
		h->off = 1;		/* listed: check d_ino on lstat */
		h->ino = re[i].ino;
		if (!isfull(w, h->sb.st_ino) && re[i].type !=
		    dtype(h->sb.st_mode))
			fail(w, "%s/%s: d_type %d, not %d", rpath, re[i].name,
			    re[i].type, dtype(h->sb.st_mode));
	}
	if (dots != 17 && !lossy)
		fail(w, "%s: \".\" %zu and \"..\" %zu times", rpath,
		    dots % 16, dots / 16);
	for (i = 0; i < hn && !lossy; i++)
		if (he[i].seen == 0)
			fail(w, "%s: getdents lacks \"%s\"", rpath, he[i].name);
	if ((w->flags & FFS_WALK_THOROUGH) != 0) {
		/* Again from the start, with another buffer size. */
		if (rump_sys_lseek(fd, 0, SEEK_SET) != 0)
			callerr(w, rpath, "lseek 0 (directory)");
		else if ((re2 = rump_list(w, rpath, fd, bufsz[(k + 2) % 4],
		    &rn2, &error)) != NULL) {
			for (i = 0; i < rn2 && rn2 == rn; i++)
				if (strcmp(re2[i].name, re[i].name) != 0)
					break;
			if (rn2 != rn || i < rn2)
				fail(w, "%s: a second listing differs "
				    "(%zu names, not %zu)", rpath, rn2, rn);
			freeents(re2, rn2);
		}
		/* From the middle: d_off is where the next one starts. */
		i = rn / 2;
		if (rn >= 3 && rump_sys_lseek(fd, re[i].off, SEEK_SET) !=
		    re[i].off)
			callerr(w, rpath, "lseek to a d_off");
		else if (rn >= 3 && (re2 = rump_list(w, rpath, fd, 4096, &rn2,
		    &error)) != NULL) {
			if (rn2 != rn - i - 1 || (rn2 > 0 &&
			    strcmp(re2[0].name, re[i + 1].name) != 0))
				fail(w, "%s: from d_off %lld of \"%s\": "
				    "%zu names from \"%s\", not %zu from "
				    "\"%s\"", rpath, (long long)re[i].off,
				    re[i].name, rn2, rn2 > 0 ? re2[0].name :
				    "", rn - i - 1, i + 1 < rn ?
				    re[i + 1].name : "");
			freeents(re2, rn2);
		}
	}
	freeents(re, rn);
	/* Names that are not there: one longer, one shorter than some. */
	if (hn > 0) {
		snprintf(name, sizeof(name), "%.250s~", he[0].name);
		nosuchname(w, rpath, he, hn, name, lossy);
		snprintf(name, sizeof(name), "%.*s",
		    (int)strlen(he[hn - 1].name) - 1, he[hn - 1].name);
		nosuchname(w, rpath, he, hn, name, lossy);
	} else
		nosuchname(w, rpath, he, hn, "no-such-name", lossy);
	/* Lookups relative to the directory find the same inodes. */
	if ((w->flags & FFS_WALK_THOROUGH) != 0) {
		for (i = 0; i < hn; i++) {
			if (rump_sys_fstatat(fd, he[i].name, &sb,
			    AT_SYMLINK_NOFOLLOW) == -1) {
				callerr(w, he[i].name, "fstatat");
				continue;
			}
			if (he[i].off != 0 && sb.st_ino != he[i].ino)
				fail(w, "%s/%s: fstatat gives inode %llu, "
				    "getdents %llu", rpath, he[i].name,
				    (unsigned long long)sb.st_ino,
				    (unsigned long long)he[i].ino);
		}
	}
	rump_sys_close(fd);
children:
	if (w->img != NULL && iino != 0 &&
	    ffs_img_readdir(w->img, iino, imgent, &ie) != 0)
		fail(w, "/%s: this test's reader cannot read the image's "
		    "directory", rel);
	if (ie.n > 0)
		qsort(ie.e, ie.n, sizeof(*ie.e), cmpent);
	for (i = 0; i < hn; i++) {
		uint32_t cino = 0;

		if (w->img != NULL && iino != 0) {
			if ((h = find(ie.e, ie.n, he[i].name)) == NULL)
				fail(w, "/%s/%s: not in the image (by this "
				    "test's reader)", rel, he[i].name);
			else
				cino = (uint32_t)h->ino;
		}
		snprintf(name, sizeof(name), "%s%s%s", rel, *rel ? "/" : "",
		    he[i].name);
		walk(w, name, &he[i].sb, false, cino, &he[i]);
	}
	freeents(ie.e, ie.n);
}

/*
 * One host path rel (relative to the roots) with the host's lstat hs;
 * full: everything here is damaged, check only that calls are sane;
 * iino: its inode in the pristine image, if known; le: its entry in
 * the parent's listing (NULL for the root).
 */
static void
walk(struct ffs_walk *w, const char *rel, const struct stat *hs, bool full,
    uint32_t iino, const struct ent *le)
{
	char hpath[PATH_MAX], rpath[PATH_MAX];
	struct ent *he = NULL;
	struct ffs_istat is;
	struct stat rs;
	size_t hn = 0, i;
	nlink_t nlink = hs->st_nlink;
	bool ok;

	snprintf(hpath, sizeof(hpath), "%s%s%s", w->host, *rel ? "/" : "",
	    rel);
	snprintf(rpath, sizeof(rpath), "%s%s%s", w->rump, *rel ? "/" : "",
	    rel);
	full = full || isfull(w, hs->st_ino);
	if (S_ISDIR(hs->st_mode)) {
		/* he[0]: the directory itself, for check_dir. */
		struct ent *kids = host_list(hpath, &hn);

		if ((he = calloc(hn + 1, sizeof(*he))) == NULL)
			abort();
		he[0].sb = *hs;
		if (hn > 0)
			memcpy(he + 1, kids, hn * sizeof(*he));
		free(kids);
		for (nlink = 2, i = 1; i <= hn; i++)
			if (S_ISDIR(he[i].sb.st_mode))
				nlink++;
	}
	if (rump_sys_lstat(rpath, &rs) == -1) {
		callerr(w, rpath, "lstat");
		goto children;
	}
	/* Whatever the disk says, the answer must be a possible one. */
	if (rs.st_size < 0 || rs.st_blocks < 0 ||
	    rs.st_atim.tv_nsec < 0 || rs.st_atim.tv_nsec >= 1000000000 ||
	    rs.st_mtim.tv_nsec < 0 || rs.st_mtim.tv_nsec >= 1000000000 ||
	    rs.st_ctim.tv_nsec < 0 || rs.st_ctim.tv_nsec >= 1000000000)
		fail(w, "%s: lstat: size %lld, blocks %lld, nanoseconds "
		    "%ld %ld %ld", rpath, (long long)rs.st_size,
		    (long long)rs.st_blocks, rs.st_atim.tv_nsec,
		    rs.st_mtim.tv_nsec, rs.st_ctim.tv_nsec);
	if (full) {
		if (S_ISREG(rs.st_mode))
			check_file(w, hpath, rpath, hs, &rs, true);
		else if (S_ISLNK(rs.st_mode))
			check_link(w, hpath, rpath, hs, true);
		else if (S_ISDIR(rs.st_mode))
			sane_dir(w, rpath);
		goto children;
	}
	if ((rs.st_mode & S_IFMT) != (hs->st_mode & S_IFMT)) {
		fail(w, "%s: type %#o, not %#o", rpath,
		    (unsigned)(rs.st_mode & S_IFMT),
		    (unsigned)(hs->st_mode & S_IFMT));
		goto out;
	}
	ok = w->img != NULL && iino != 0 && ffs_img_stat(w->img, iino,
	    &is) == 0;
	if (ok)
		check_image(w, rel, hs, &is);
	check_stat(w, rpath, hs, &rs, nlink, ok ? &is : NULL, iino);
	mapadd(w, hs->st_ino, rs.st_ino, rpath);
	if (le != NULL && le->off != 0 && rs.st_ino != le->ino)
		fail(w, "%s: inode %llu, but getdents says %llu", rpath,
		    (unsigned long long)rs.st_ino,
		    (unsigned long long)le->ino);
	if (S_ISREG(hs->st_mode))
		check_file(w, hpath, rpath, hs, &rs, false);
	else if (S_ISLNK(hs->st_mode))
		check_link(w, hpath, rpath, hs, false);
	else if (S_ISDIR(hs->st_mode)) {
		check_dir(w, rel, rpath, &rs, he, hn, iino);
		goto out;
	}
	goto out;
children:
	/* Below a failed or damaged directory: the same, or errors. */
	for (i = 1; i <= hn; i++) {
		char name[PATH_MAX];

		snprintf(name, sizeof(name), "%s%s%s", rel, *rel ? "/" : "",
		    he[i].name);
		walk(w, name, &he[i].sb, full, 0, NULL);
	}
out:
	for (i = 1; he != NULL && i <= hn; i++)
		free(he[i].name);
	free(he);
}

int
ffs_walk(struct ffs_walk *w)
{
	struct ffs_inomap map = { NULL, 0, 0 };
	struct stat hs;

	w->map = &map;
	if (w->maxfail == 0)
		w->maxfail = 20;
	if (lstat(w->host, &hs) == -1)
		abort();
	walk(w, "", &hs, false, FFS_ROOTINO, NULL);
	mapcheck(w);
	w->map = NULL;
	if (w->nfail > w->maxfail)
		w->report(w->arg, "(more failures not shown)");
	return w->nfail;
}
