/*
 * A random exerciser of file data and names (tests, host side), run
 * through the system calls of struct ex_sys: the rump kernel's against
 * every file system of ../common/fstest.c (tests/fs/vfs/t_exerciser),
 * the host's on a FUSE mount (tests/usr.sbin/rump_ffs).
 *
 * For each fixed seed, thousands of operations on a handful of names
 * and open descriptors: writes at random offsets (far holes and, where
 * the file system allows, past 4 GiB), pwrite, O_APPEND, readv and
 * writev, truncation down and up, close and reopen, unlink and create,
 * rename and link among the names, fsync; some descriptors O_DIRECT
 * (EX_DIRECT), beside others on the same file that are not.  An
 * in-memory model of every file (sparse: a sorted list of 4 KiB pages;
 * a missing page reads as zeros) predicts each read byte for byte, each
 * size and link count, and each descriptor's offset.  A failure names the seed and the
 * operation number, so a run can be repeated exactly.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exerciser.h"

#define NNAMES		6	/* names in the directory */
#define NFDS		4	/* descriptors open at once, at most */
#define NINODES		(NNAMES + NFDS)	/* files alive at once, at most */
#define PGSZ		4096
#define MAXIO		(64 * 1024)	/* bytes in one read or write */
#define NEAR_LIMIT	((off_t)3 << 20)	/* no growth past 3 MiB ... */
#define FAR_BASE	((off_t)5 << 30)	/* ... but near 5 GiB */
#define FAR_SPAN	((off_t)1 << 20)
#define NOPS		5000

static const unsigned seeds[] = { 1, 2, 0x5eed, 4000000007u };

/* ------------------------------------------------------------------ */
/* Failure reports name the seed and the operation.                    */

static const struct ex_sys *ex;
static unsigned cur_seed;
static int cur_op;
static const char *cur_what = "setup";

static void fail(const char *, ...) __attribute__((__format__(__printf__, 1, 2), __noreturn__));

static void
fail(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ex->fail(cur_seed, cur_op, cur_what, msg);
}

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond))						\
			fail(__VA_ARGS__);				\
	} while (/* CONSTCOND */ 0)

#define SYS(x)								\
	({								\
		__typeof__(x) sys_v_ = (x);				\
									\
		CHECK(sys_v_ != -1, "%s: %s", #x, strerror(errno));	\
		sys_v_;							\
	})

/* ------------------------------------------------------------------ */
/* A small, fixed pseudo-random generator (splitmix64).               */

static uint64_t rng_state;

static uint64_t
rnd(void)
{
	uint64_t z;

	z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint64_t
rndn(uint64_t n)
{

	return n == 0 ? 0 : rnd() % n;
}

static bool
chance(unsigned percent)
{

	return rndn(100) < percent;
}

/* ------------------------------------------------------------------ */
/* The model.                                                          */

struct page {
	uint64_t	idx;
	char		*data;	/* PGSZ bytes; past the size: zeros */
};

struct minode {
	bool		used;
	off_t		size;
	struct page	*pages;	/* sorted by idx */
	size_t		npages, cap;
	int		nlink;	/* names naming it */
	int		nopen;	/* descriptors open on it */
	ino_t		ino;	/* the file system's number */
};

struct mfd {
	int		fd;	/* -1: closed */
	int		inode;
	int		accmode;
	bool		append;
	off_t		off;
};

static struct minode inodes[NINODES];
static int names[NNAMES];	/* inode index or -1 */
static struct mfd fds[NFDS];
static bool bigfiles, hardlinks, direct;

/* What a seed did, printed after it. */
static struct {
	uint64_t	writes, reads, bytes_out, bytes_in;
	uint64_t	truncs, opens, renames, links, unlinks;
	off_t		maxsize;
} st;
static char iobuf[MAXIO], cmpbuf[MAXIO];

static const char *
name(int i)
{
	static char buf[NNAMES][8];

	snprintf(buf[i], sizeof(buf[i]), "n%d", i);
	return buf[i];
}

/* Index of page idx in m, or where it would go. */
static size_t
page_find(const struct minode *m, uint64_t idx, bool *found)
{
	size_t lo = 0, hi = m->npages, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (m->pages[mid].idx < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < m->npages && m->pages[lo].idx == idx;
	return lo;
}

static char *
page_get(struct minode *m, uint64_t idx, bool create)
{
	bool found;
	size_t i = page_find(m, idx, &found);

	if (found)
		return m->pages[i].data;
	if (!create)
		return NULL;
	if (m->npages == m->cap) {
		m->cap = m->cap == 0 ? 16 : 2 * m->cap;
		CHECK((m->pages = realloc(m->pages,
		    m->cap * sizeof(*m->pages))) != NULL, "out of memory");
	}
	memmove(&m->pages[i + 1], &m->pages[i],
	    (m->npages - i) * sizeof(*m->pages));
	m->npages++;
	m->pages[i].idx = idx;
	CHECK((m->pages[i].data = calloc(1, PGSZ)) != NULL, "out of memory");
	return m->pages[i].data;
}

static void
model_write(struct minode *m, off_t off, const char *buf, size_t len)
{
	size_t done = 0, n, po;

	while (done < len) {
		po = (size_t)((off + (off_t)done) % PGSZ);
		n = PGSZ - po < len - done ? PGSZ - po : len - done;
		memcpy(page_get(m, (uint64_t)(off + (off_t)done) / PGSZ, true)
		    + po, buf + done, n);
		done += n;
	}
	if (off + (off_t)len > m->size)
		m->size = off + (off_t)len;
	if (m->size > st.maxsize)
		st.maxsize = m->size;
	st.writes++;
	st.bytes_out += len;
}

/* What a read of len at off returns: the count, the bytes in buf. */
static size_t
model_read(struct minode *m, off_t off, char *buf, size_t len)
{
	size_t done = 0, n, po;
	const char *pg;

	if (off >= m->size)
		return 0;
	if ((off_t)len > m->size - off)
		len = (size_t)(m->size - off);
	while (done < len) {
		po = (size_t)((off + (off_t)done) % PGSZ);
		n = PGSZ - po < len - done ? PGSZ - po : len - done;
		pg = page_get(m, (uint64_t)(off + (off_t)done) / PGSZ, false);
		if (pg != NULL)
			memcpy(buf + done, pg + po, n);
		else
			memset(buf + done, 0, n);
		done += n;
	}
	return len;
}

static void
model_truncate(struct minode *m, off_t size)
{
	size_t i, keep;
	char *pg;

	if (size < m->size) {
		keep = 0;
		for (i = 0; i < m->npages; i++) {
			if ((off_t)m->pages[i].idx * PGSZ >= size)
				free(m->pages[i].data);
			else
				m->pages[keep++] = m->pages[i];
		}
		m->npages = keep;
		/* The cut part of the last page reads as zeros later. */
		if (size % PGSZ != 0 &&
		    (pg = page_get(m, (uint64_t)size / PGSZ, false)) != NULL)
			memset(pg + size % PGSZ, 0, PGSZ - size % PGSZ);
	}
	m->size = size;
	if (m->size > st.maxsize)
		st.maxsize = m->size;
	st.truncs++;
}

static void
model_free_if_unused(int i)
{
	struct minode *m = &inodes[i];
	size_t j;

	if (m->nlink > 0 || m->nopen > 0)
		return;
	for (j = 0; j < m->npages; j++)
		free(m->pages[j].data);
	free(m->pages);
	memset(m, 0, sizeof(*m));
}

static int
model_new_inode(void)
{
	int i;

	for (i = 0; i < NINODES; i++)
		if (!inodes[i].used) {
			memset(&inodes[i], 0, sizeof(inodes[i]));
			inodes[i].used = true;
			return i;
		}
	fail("no free inode in the model");
}

/* ------------------------------------------------------------------ */
/* Picking arguments.                                                  */

static void
fill_pattern(char *buf, size_t len)
{
	uint64_t r = rnd();
	size_t i;

	for (i = 0; i < len; i++) {
		if (i % 8 == 0)
			r = rnd();
		buf[i] = (char)(r >> (8 * (i % 8)));
	}
	/* Now and then a run of zeros, which must not be taken for a hole. */
	if (len > 16 && chance(10))
		memset(buf + rndn(len / 2), 0, len / 4);
}

static size_t
pick_len(void)
{

	if (chance(50))
		return (size_t)rndn(512) + 1;
	if (chance(70))
		return (size_t)rndn(8192) + 1;
	return (size_t)rndn(MAXIO) + 1;
}

/* Where to write in file m: mostly low, sometimes far. */
static off_t
pick_write_off(const struct minode *m)
{
	uint64_t r = rndn(100);

	if (m->size >= FAR_BASE && r < 40)
		return FAR_BASE + (off_t)rndn(FAR_SPAN);
	if (r < 55)
		return (off_t)rndn(256 * 1024);
	if (r < 80)
		return (off_t)rndn(2 * 1024 * 1024);
	if (r < 97 && m->size < NEAR_LIMIT)
		return m->size + (off_t)rndn(16384);
	if (bigfiles)
		return FAR_BASE + (off_t)rndn(FAR_SPAN);
	return (off_t)rndn(NEAR_LIMIT);
}

/* Where to read: around written pages, at the end, anywhere. */
static off_t
pick_read_off(const struct minode *m)
{
	off_t off;

	if (m->npages > 0 && chance(50)) {
		off = (off_t)m->pages[rndn(m->npages)].idx * PGSZ +
		    (off_t)rndn(PGSZ + 200) - 100;
		return off > 0 ? off : 0;
	}
	if (chance(10))
		return m->size > 10 ? m->size - (off_t)rndn(10) : 0;
	return (off_t)rndn((uint64_t)m->size + 8192);
}

static off_t
pick_size(const struct minode *m)
{
	uint64_t r = rndn(100);

	if (r < 30)
		return m->size > 0 ? (off_t)rndn((uint64_t)m->size) : 0;
	if (r < 60)
		return (off_t)rndn(NEAR_LIMIT);
	if (r < 70)
		return 0;
	if (r < 80 && bigfiles)
		return FAR_BASE + (off_t)rndn(FAR_SPAN);
	if (m->size < NEAR_LIMIT)
		return m->size + (off_t)rndn(65536);
	return (off_t)rndn(NEAR_LIMIT);
}

/* A random open descriptor, or -1. */
static int
pick_fd(bool writable, bool readable)
{
	int i, start = (int)rndn(NFDS);

	for (i = 0; i < NFDS; i++) {
		struct mfd *f = &fds[(start + i) % NFDS];

		if (f->fd == -1)
			continue;
		if (writable && f->accmode == O_RDONLY)
			continue;
		if (readable && f->accmode == O_WRONLY)
			continue;
		return (start + i) % NFDS;
	}
	return -1;
}

static int
pick_name(bool existing)
{
	int i, start = (int)rndn(NNAMES);

	for (i = 0; i < NNAMES; i++)
		if ((names[(start + i) % NNAMES] != -1) == existing)
			return (start + i) % NNAMES;
	return -1;
}

/* iobuf's first len bytes in three random pieces (any may be empty). */
static void
split3(struct iovec iov[3], size_t len)
{
	size_t a = (size_t)rndn(len + 1), b = (size_t)rndn(len - a + 1);

	iov[0].iov_base = iobuf;
	iov[0].iov_len = a;
	iov[1].iov_base = iobuf + a;
	iov[1].iov_len = b;
	iov[2].iov_base = iobuf + a + b;
	iov[2].iov_len = len - a - b;
}

/* ------------------------------------------------------------------ */
/* Checks against the kernel.                                          */

static void
check_read(int fd, struct minode *m, off_t off, size_t len, bool positional)
{
	size_t want;
	ssize_t got;

	want = model_read(m, off, cmpbuf, len);
	memset(iobuf, 0xa5, len);
	if (positional)
		got = SYS(ex->pread(fd, iobuf, len, off));
	else {
		CHECK(SYS(ex->lseek(fd, off, SEEK_SET)) == off, "lseek");
		got = SYS(ex->read(fd, iobuf, len));
	}
	CHECK((size_t)got == want, "read of %zu at %lld: %zd bytes, want %zu",
	    len, (long long)off, got, want);
	st.reads++;
	st.bytes_in += want;
	if (memcmp(iobuf, cmpbuf, want) != 0) {
		size_t i;

		for (i = 0; iobuf[i] == cmpbuf[i]; i++)
			continue;
		fail("read of %zu at %lld: byte %lld is %#x, want %#x", len,
		    (long long)off, (long long)(off + (off_t)i),
		    (unsigned char)iobuf[i], (unsigned char)cmpbuf[i]);
	}
}

static void
check_stat(int fd, const struct minode *m)
{
	struct stat sb;

	SYS(ex->fstat(fd, &sb));
	CHECK(sb.st_size == m->size, "size %lld, want %lld",
	    (long long)sb.st_size, (long long)m->size);
	CHECK((int)sb.st_nlink == m->nlink, "nlink %d, want %d",
	    (int)sb.st_nlink, m->nlink);
	CHECK(sb.st_ino == m->ino, "inode %llu, want %llu",
	    (unsigned long long)sb.st_ino, (unsigned long long)m->ino);
}

/* Compare a whole file, or its pages, some holes and its end. */
static void
check_all(int fd, struct minode *m)
{
	off_t off;
	size_t i;

	check_stat(fd, m);
	if (m->size <= 4 * 1024 * 1024) {
		for (off = 0; off < m->size; off += MAXIO)
			check_read(fd, m, off, MAXIO, true);
		return;
	}
	for (i = 0; i < m->npages; i++)
		check_read(fd, m, (off_t)m->pages[i].idx * PGSZ, PGSZ, true);
	for (i = 0; i < 8; i++)
		check_read(fd, m, (off_t)rndn((uint64_t)m->size), 4096, true);
	check_read(fd, m, m->size - 100, 200, true);
}

/* ------------------------------------------------------------------ */
/* The operations.                                                     */

static void
op_open(void)
{
	int slot, n, fd, flags;
	struct mfd *f;
	bool existing;

	for (slot = 0; slot < NFDS && fds[slot].fd != -1; slot++)
		continue;
	if (slot == NFDS)
		return;
	f = &fds[slot];
	existing = chance(85);
	if ((n = pick_name(existing)) == -1 &&
	    (n = pick_name(!existing)) == -1)
		return;
	if (names[n] == -1) {
		cur_what = "create";
		fd = SYS(ex->open(name(n), O_RDWR | O_CREAT | O_EXCL,
		    0644));
		names[n] = model_new_inode();
		inodes[names[n]].nlink = 1;
		inodes[names[n]].ino = 0;
		f->accmode = O_RDWR;
		f->append = false;
	} else {
		cur_what = "open";
		switch (rndn(4)) {
		case 0:
			f->accmode = O_RDONLY;
			break;
		case 1:
			f->accmode = O_WRONLY;
			break;
		default:
			f->accmode = O_RDWR;
			break;
		}
		flags = f->accmode;
		f->append = f->accmode != O_RDONLY && chance(20);
		if (f->append)
			flags |= O_APPEND;
		if (f->accmode != O_RDONLY && chance(5)) {
			flags |= O_TRUNC;
			model_truncate(&inodes[names[n]], 0);
		}
		if (direct && chance(30))
			flags |= O_DIRECT;
		fd = SYS(ex->open(name(n), flags));
	}
	st.opens++;
	f->fd = fd;
	f->inode = names[n];
	f->off = 0;
	inodes[f->inode].nopen++;
	if (inodes[f->inode].ino == 0) {
		struct stat sb;

		SYS(ex->fstat(fd, &sb));
		inodes[f->inode].ino = sb.st_ino;
	}
	check_stat(fd, &inodes[f->inode]);
}

static void
op_close(void)
{
	int i = pick_fd(false, false);
	struct minode *m;

	if (i == -1)
		return;
	cur_what = "close";
	m = &inodes[fds[i].inode];
	if (chance(50) && fds[i].accmode != O_WRONLY)
		check_all(fds[i].fd, m);
	SYS(ex->close(fds[i].fd));
	fds[i].fd = -1;
	m->nopen--;
	model_free_if_unused(fds[i].inode);
}

static void
op_write(void)
{
	int i = pick_fd(true, false);
	struct mfd *f;
	struct minode *m;
	struct iovec iov[3];
	size_t len;
	ssize_t n;
	off_t off, cur;

	if (i == -1)
		return;
	f = &fds[i];
	m = &inodes[f->inode];
	len = pick_len();
	off = pick_write_off(m);
	fill_pattern(iobuf, len);
	if (f->append) {
		/* Wherever the offset is, the data goes to the end. */
		cur_what = "append write";
		if (m->size >= NEAR_LIMIT && m->size < FAR_BASE)
			return;		/* the file is big enough */
		if (m->size >= FAR_BASE + 2 * FAR_SPAN)
			return;
		if (chance(50))
			SYS(ex->lseek(f->fd, off, SEEK_SET));
		off = m->size;
		n = SYS(ex->write(f->fd, iobuf, len));
		CHECK((size_t)n == len, "short write %zd of %zu", n, len);
		model_write(m, off, iobuf, len);
		f->off = m->size;
	} else if (chance(40)) {
		/* The offset stays where it was. */
		cur_what = "pwrite";
		n = SYS(ex->pwrite(f->fd, iobuf, len, off));
		CHECK((size_t)n == len, "short pwrite %zd of %zu", n, len);
		model_write(m, off, iobuf, len);
	} else if (chance(30)) {
		cur_what = "writev";
		split3(iov, len);
		CHECK(SYS(ex->lseek(f->fd, off, SEEK_SET)) == off,
		    "lseek");
		n = SYS(ex->writev(f->fd, iov, 3));
		CHECK((size_t)n == len, "short writev %zd of %zu", n, len);
		model_write(m, off, iobuf, len);
		f->off = off + (off_t)len;
	} else {
		cur_what = "write";
		CHECK(SYS(ex->lseek(f->fd, off, SEEK_SET)) == off,
		    "lseek");
		n = SYS(ex->write(f->fd, iobuf, len));
		CHECK((size_t)n == len, "short write %zd of %zu", n, len);
		model_write(m, off, iobuf, len);
		f->off = off + (off_t)len;
	}
	cur = SYS(ex->lseek(f->fd, 0, SEEK_CUR));
	CHECK(cur == f->off, "offset %lld after the write, want %lld",
	    (long long)cur, (long long)f->off);
	/* Now and then read it straight back, with a margin each side. */
	if (f->accmode == O_RDWR && chance(25)) {
		cur_what = "read back";
		check_read(f->fd, m, off > 100 ? off - 100 : 0,
		    len + 200 < MAXIO ? len + 200 : MAXIO, true);
	}
}

static void
op_read(void)
{
	int i = pick_fd(false, true);
	struct mfd *f;
	struct minode *m;
	struct iovec iov[3];
	size_t len, want;
	ssize_t n;
	off_t off;

	if (i == -1)
		return;
	f = &fds[i];
	m = &inodes[f->inode];
	len = pick_len();
	off = pick_read_off(m);
	switch (rndn(3)) {
	case 0:
		cur_what = "pread";
		check_read(f->fd, m, off, len, true);
		break;
	case 1:
		cur_what = "read";
		check_read(f->fd, m, off, len, false);
		want = model_read(m, off, cmpbuf, len);
		f->off = off + (off_t)want;
		CHECK(SYS(ex->lseek(f->fd, 0, SEEK_CUR)) == f->off,
		    "offset after the read");
		break;
	default:
		cur_what = "readv";
		want = model_read(m, off, cmpbuf, len);
		split3(iov, len);
		CHECK(SYS(ex->lseek(f->fd, off, SEEK_SET)) == off,
		    "lseek");
		n = SYS(ex->readv(f->fd, iov, 3));
		CHECK((size_t)n == want, "readv of %zu at %lld: %zd, want %zu",
		    len, (long long)off, n, want);
		CHECK(memcmp(iobuf, cmpbuf, want) == 0,
		    "readv of %zu at %lld: wrong data", len, (long long)off);
		f->off = off + (off_t)want;
		break;
	}
}

static void
op_truncate(void)
{
	struct minode *m;
	off_t size;
	int i, n;

	if (chance(50) && (i = pick_fd(true, false)) != -1) {
		cur_what = "ftruncate";
		m = &inodes[fds[i].inode];
		size = pick_size(m);
		SYS(ex->ftruncate(fds[i].fd, size));
		/* The offset does not move. */
		CHECK(SYS(ex->lseek(fds[i].fd, 0, SEEK_CUR)) ==
		    fds[i].off, "the offset moved");
	} else if ((n = pick_name(true)) != -1) {
		cur_what = "truncate";
		m = &inodes[names[n]];
		size = pick_size(m);
		SYS(ex->truncate(name(n), size));
	} else
		return;
	model_truncate(m, size);
}

static void
op_stat(void)
{
	struct stat sb;
	struct minode *m;
	int i, n;

	if (chance(50) && (i = pick_fd(false, false)) != -1) {
		cur_what = "fstat";
		check_stat(fds[i].fd, &inodes[fds[i].inode]);
	} else if ((n = pick_name(true)) != -1) {
		cur_what = "stat";
		m = &inodes[names[n]];
		SYS(ex->stat(name(n), &sb));
		CHECK(sb.st_size == m->size, "%s: size %lld, want %lld",
		    name(n), (long long)sb.st_size, (long long)m->size);
		CHECK((int)sb.st_nlink == m->nlink, "%s: nlink %d, want %d",
		    name(n), (int)sb.st_nlink, m->nlink);
		if (m->ino != 0)
			CHECK(sb.st_ino == m->ino, "%s: another inode",
			    name(n));
		else
			m->ino = sb.st_ino;
	}
	for (n = 0; n < NNAMES; n++) {
		if (names[n] != -1)
			continue;
		errno = 0;
		CHECK(ex->stat(name(n), &sb) == -1 && errno == ENOENT,
		    "%s exists, but should not", name(n));
	}
}

static void
op_unlink(void)
{
	int n = pick_name(true), i;

	if (n == -1)
		return;
	cur_what = "unlink";
	SYS(ex->unlink(name(n)));
	st.unlinks++;
	i = names[n];
	names[n] = -1;
	inodes[i].nlink--;
	model_free_if_unused(i);
}

static void
op_rename(void)
{
	int from = pick_name(true), to = (int)rndn(NNAMES), old;

	if (from == -1)
		return;
	cur_what = "rename";
	SYS(ex->rename(name(from), name(to)));
	st.renames++;
	if (from == to || names[from] == names[to])
		return;		/* POSIX: nothing happens */
	old = names[to];
	names[to] = names[from];
	names[from] = -1;
	if (old != -1) {
		inodes[old].nlink--;
		model_free_if_unused(old);
	}
}

static void
op_link(void)
{
	int from = pick_name(true), to = pick_name(false);

	if (!hardlinks || from == -1 || to == -1)
		return;
	cur_what = "link";
	SYS(ex->link(name(from), name(to)));
	st.links++;
	names[to] = names[from];
	inodes[names[to]].nlink++;
}

static void
op_sync(void)
{
	int i = pick_fd(false, false);

	if (i == -1)
		return;
	cur_what = "fsync";
	if (chance(50))
		SYS(ex->fsync(fds[i].fd));
	else
		SYS(ex->fdatasync(fds[i].fd));
}

static void
op_verify(void)
{
	int i = pick_fd(false, true), n, fd;

	cur_what = "verify";
	if (i != -1) {
		check_all(fds[i].fd, &inodes[fds[i].inode]);
		return;
	}
	if ((n = pick_name(true)) == -1)
		return;
	fd = SYS(ex->open(name(n), O_RDONLY));
	check_all(fd, &inodes[names[n]]);
	SYS(ex->close(fd));
}

/* ------------------------------------------------------------------ */

static void
run_seed(unsigned seed)
{
	struct stat sb;
	char dir[32], buf[4096];
	const char *dn;
	uint16_t reclen;
	int op, i, fd, r, pos;
	uint64_t w;

	cur_seed = seed;
	cur_op = -1;
	cur_what = "setup";
	rng_state = seed;
	memset(&st, 0, sizeof(st));
	for (i = 0; i < NNAMES; i++)
		names[i] = -1;
	for (i = 0; i < NFDS; i++)
		fds[i].fd = -1;
	memset(inodes, 0, sizeof(inodes));

	snprintf(dir, sizeof(dir), "s%u", seed);
	SYS(ex->mkdir(dir, 0755));
	SYS(ex->chdir(dir));
	for (op = 0; op < NOPS; op++) {
		cur_op = op;
		w = rndn(100);
		if (w < 8)
			op_open();
		else if (w < 14)
			op_close();
		else if (w < 44)
			op_write();
		else if (w < 70)
			op_read();
		else if (w < 76)
			op_truncate();
		else if (w < 84)
			op_stat();
		else if (w < 87)
			op_unlink();
		else if (w < 91)
			op_rename();
		else if (w < 93)
			op_link();
		else if (w < 96)
			op_sync();
		else if (w < 97)
			op_verify();
		else
			op_open();
	}

	/* Everything checked once more, closed, removed. */
	cur_op = NOPS;
	cur_what = "teardown";
	for (i = 0; i < NFDS; i++) {
		if (fds[i].fd == -1)
			continue;
		if (fds[i].accmode != O_WRONLY)
			check_all(fds[i].fd, &inodes[fds[i].inode]);
		SYS(ex->close(fds[i].fd));
		fds[i].fd = -1;
		inodes[fds[i].inode].nopen--;
		model_free_if_unused(fds[i].inode);
	}
	for (i = 0; i < NNAMES; i++) {
		if (names[i] == -1)
			continue;
		fd = SYS(ex->open(name(i), O_RDONLY));
		check_all(fd, &inodes[names[i]]);
		SYS(ex->close(fd));
		SYS(ex->unlink(name(i)));
		inodes[names[i]].nlink--;
		model_free_if_unused(names[i]);
		names[i] = -1;
	}
	for (i = 0; i < NINODES; i++)
		CHECK(!inodes[i].used, "model inode %d still in use", i);
	/* The directory is empty: "." and ".." only. */
	fd = SYS(ex->open(".", O_RDONLY | O_DIRECTORY));
	while ((r = SYS(ex->getdents(fd, buf, sizeof(buf)))) > 0) {
		for (pos = 0; pos < r; pos += reclen) {
			memcpy(&reclen, buf + pos + 16, sizeof(reclen));
			CHECK(reclen > 0, "a record of length 0");
			dn = buf + pos + 19;
			CHECK(strcmp(dn, ".") == 0 || strcmp(dn, "..") == 0,
			    "%s left in the directory", dn);
		}
	}
	SYS(ex->close(fd));
	SYS(ex->stat(".", &sb));
	CHECK(sb.st_nlink == 2, "the directory has %d links",
	    (int)sb.st_nlink);
	SYS(ex->chdir(".."));
	SYS(ex->rmdir(dir));
	printf("seed %u: %d operations: %llu writes (%llu bytes), %llu reads "
	    "(%llu bytes), %llu size changes, %llu opens, %llu renames, "
	    "%llu links, %llu unlinks; largest file %lld bytes\n", seed, NOPS,
	    (unsigned long long)st.writes, (unsigned long long)st.bytes_out,
	    (unsigned long long)st.reads, (unsigned long long)st.bytes_in,
	    (unsigned long long)st.truncs, (unsigned long long)st.opens,
	    (unsigned long long)st.renames, (unsigned long long)st.links,
	    (unsigned long long)st.unlinks, (long long)st.maxsize);
	fflush(stdout);
}

void
ex_run(const struct ex_sys *sys, const char *dir, int flags)
{
	struct statvfs s0, s1;
	size_t i;

	ex = sys;
	bigfiles = (flags & EX_BIGFILES) != 0;
	hardlinks = (flags & EX_HARDLINKS) != 0;
	direct = (flags & EX_DIRECT) != 0;
	cur_what = "setup";
	SYS(ex->chdir(dir));
	SYS(ex->statvfs(".", &s0));
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
		run_seed(seeds[i]);
	/* All space and files given back (maybe a little later: settle). */
	cur_what = "the end";
	if (!(flags & EX_FREE_EXACT))
		return;
	for (i = 0;; i++) {
		SYS(ex->statvfs(".", &s1));
		if ((s1.f_bfree == s0.f_bfree && s1.f_ffree == s0.f_ffree) ||
		    ex->settle == NULL || i == 100)
			break;
		ex->settle();
	}
	CHECK(s1.f_bfree == s0.f_bfree,
	    "%llu blocks free at the end, %llu at the start",
	    (unsigned long long)s1.f_bfree, (unsigned long long)s0.f_bfree);
	CHECK(s1.f_ffree == s0.f_ffree,
	    "%llu inodes free at the end, %llu at the start",
	    (unsigned long long)s1.f_ffree, (unsigned long long)s0.f_ffree);
}
