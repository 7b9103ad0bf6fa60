/*
 * The VFS through its system calls, written once and run against every
 * file system of the table in ../common/fstest.c (tests, host side).
 * Each body states one behaviour: what POSIX requires, or where POSIX
 * leaves a choice, what Linux does (the host ABI the calls speak),
 * unless the kernel's headers document otherwise.  The harness mounts
 * the file system at FSTEST_MNT before a body and unmounts it after.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND	0
#endif

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_mount.h>
#include <rump/rump_syscalls.h>

#include "fstest.h"

/* ------------------------------------------------------------------ */
/* Helpers.                                                            */

/* Require that a call succeeds (returns other than -1); its value. */
#define RL(x)								\
	({								\
		__typeof__(x) rl_v_ = (x);				\
									\
		ATF_REQUIRE_MSG(rl_v_ != -1, "%s: %s", #x,		\
		    strerror(errno));					\
		rl_v_;							\
	})

/* Require that a call fails with errno err. */
#define RE(err, x)							\
	do {								\
		long re_v_;						\
		int re_e_;						\
									\
		errno = 0;						\
		re_v_ = (long)(x);					\
		re_e_ = errno;						\
		ATF_REQUIRE_MSG(re_v_ == -1 && re_e_ == (err),		\
		    "%s: want -1 (%s), got %ld (%s)", #x,		\
		    strerror(err), re_v_, strerror(re_e_));		\
	} while (/* CONSTCOND */ 0)

/* Require that a call fails with errno err1 or err2. */
#define RE2(err1, err2, x)						\
	do {								\
		long re_v_;						\
		int re_e_;						\
									\
		errno = 0;						\
		re_v_ = (long)(x);					\
		re_e_ = errno;						\
		ATF_REQUIRE_MSG(re_v_ == -1 &&				\
		    (re_e_ == (err1) || re_e_ == (err2)),		\
		    "%s: want -1 (%s or %s), got %ld (%s)", #x,		\
		    strerror(err1), strerror(err2), re_v_,		\
		    strerror(re_e_));					\
	} while (/* CONSTCOND */ 0)

/* Require a function returning 0 or an errno value to return 0. */
#define RZ(x)								\
	do {								\
		int rz_e_ = (x);					\
									\
		ATF_REQUIRE_MSG(rz_e_ == 0, "%s: %s", #x,		\
		    strerror(rz_e_));					\
	} while (/* CONSTCOND */ 0)

#define KiB	((off_t)1024)
#define MiB	(1024 * KiB)
#define GiB	(1024 * MiB)

/* Work inside the file system, with relative paths; leave at the end. */
static void
enter(const char *mnt)
{

	RL(rump_sys_chdir(mnt));
}

static void
leave(void)
{

	RL(rump_sys_chdir("/"));
}

static void
xwrite(int fd, const void *buf, size_t len)
{
	ssize_t n;

	n = RL(rump_sys_write(fd, buf, len));
	ATF_REQUIRE_EQ_MSG((size_t)n, len, "short write: %zd of %zu", n, len);
}

static void
xpwrite(int fd, const void *buf, size_t len, off_t off)
{
	ssize_t n;

	n = RL(rump_sys_pwrite(fd, buf, len, off));
	ATF_REQUIRE_EQ_MSG((size_t)n, len, "short pwrite: %zd of %zu at %lld",
	    n, len, (long long)off);
}

/* Read exactly len bytes at off and compare them with want. */
static void
checkat(int fd, off_t off, const void *want, size_t len)
{
	char *buf;
	ssize_t n;

	ATF_REQUIRE((buf = malloc(len + 1)) != NULL);
	n = RL(rump_sys_pread(fd, buf, len + 1, off));
	ATF_REQUIRE_MSG((size_t)n >= len, "pread at %lld: %zd of %zu bytes",
	    (long long)off, n, len);
	ATF_REQUIRE_MSG(memcmp(buf, want, len) == 0,
	    "wrong data at offset %lld", (long long)off);
	free(buf);
}

/* Require len zero bytes at off. */
static void
checkzero(int fd, off_t off, size_t len)
{
	char *buf;
	ssize_t n;
	size_t i;

	ATF_REQUIRE((buf = malloc(len)) != NULL);
	memset(buf, 'X', len);
	n = RL(rump_sys_pread(fd, buf, len, off));
	ATF_REQUIRE_EQ_MSG((size_t)n, len, "pread at %lld: %zd of %zu",
	    (long long)off, n, len);
	for (i = 0; i < len; i++)
		ATF_REQUIRE_MSG(buf[i] == 0, "byte %lld is %#x, not zero",
		    (long long)(off + (off_t)i), (unsigned char)buf[i]);
	free(buf);
}

/* Create path holding the string data (no NUL). */
static void
mkfile(const char *path, const char *data)
{
	int fd;

	fd = RL(rump_sys_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	if (data[0] != '\0')
		xwrite(fd, data, strlen(data));
	RL(rump_sys_close(fd));
}

/* Require path to hold exactly the string data. */
static void
checkfile(const char *path, const char *data)
{
	char buf[4096];
	ssize_t n;
	int fd;

	fd = RL(rump_sys_open(path, O_RDONLY));
	n = RL(rump_sys_read(fd, buf, sizeof(buf)));
	RL(rump_sys_close(fd));
	ATF_REQUIRE_EQ_MSG((size_t)n, strlen(data), "%s: %zd bytes, want %zu",
	    path, n, strlen(data));
	ATF_REQUIRE_MSG(memcmp(buf, data, (size_t)n) == 0, "%s: wrong data",
	    path);
}

static struct stat
xstat(const char *path)
{
	struct stat sb;

	RL(rump_sys_stat(path, &sb));
	return sb;
}

static struct stat
xlstat(const char *path)
{
	struct stat sb;

	RL(rump_sys_lstat(path, &sb));
	return sb;
}

static struct stat
xfstat(int fd)
{
	struct stat sb;

	RL(rump_sys_fstat(fd, &sb));
	return sb;
}

static bool
exists(const char *path)
{
	struct stat sb;

	if (rump_sys_lstat(path, &sb) == 0)
		return true;
	ATF_REQUIRE_EQ_MSG(errno, ENOENT, "lstat %s: %s", path,
	    strerror(errno));
	return false;
}

static off_t
xlseek(int fd, off_t off, int whence)
{

	return RL(rump_sys_lseek(fd, off, whence));
}

/* Times: a before b, and equal. */
static int
tscmp(struct timespec a, struct timespec b)
{

	if (a.tv_sec != b.tv_sec)
		return a.tv_sec < b.tv_sec ? -1 : 1;
	if (a.tv_nsec != b.tv_nsec)
		return a.tv_nsec < b.tv_nsec ? -1 : 1;
	return 0;
}

static struct timespec
know(void)
{
	struct timespec ts;

	RL(rump_sys_clock_gettime(CLOCK_REALTIME, &ts));
	return ts;
}

/*
 * Wait until the file system's time stamps must differ from those taken
 * before: a little for nanosecond time stamps, a second otherwise.
 */
static void
tick(const struct fstest_fs *fs)
{
	struct timespec ts;

	ts.tv_sec = (fs->fs_flags & FS_HAS_NSEC_TIMES) ? 0 : 1;
	ts.tv_nsec = (fs->fs_flags & FS_HAS_NSEC_TIMES) ? 2000000 : 100000000;
	nanosleep(&ts, NULL);
}

/* A time stamp far in the past, to see whether an operation moves it. */
static const struct timespec oldtime = { 1000000000, 0 };

static void
settimes_old(const char *path)
{
	struct timespec ts[2] = { oldtime, oldtime };

	RL(rump_sys_utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW));
}

/*
 * Kernel processes with other credentials.  become() forks a process
 * with an empty descriptor table (keeping the working directory) and
 * gives it the ids; unbecome() ends it and returns to where we were.
 */
static struct lwp *become_saved;

static void
become(uid_t uid, gid_t gid, int ngroups, const gid_t *groups)
{

	ATF_REQUIRE(become_saved == NULL);
	become_saved = rump_pub_lwproc_curlwp();
	RZ(rump_pub_lwproc_rfork(RUMP_RFCFDG));
	RL(rump_sys_setgroups(ngroups, groups));
	RL(rump_sys_setgid(gid));
	RL(rump_sys_setuid(uid));
	ATF_REQUIRE_EQ(rump_sys_geteuid(), uid);
}

/* The same, sharing our descriptor table. */
static void
become_shared(uid_t uid, gid_t gid)
{

	ATF_REQUIRE(become_saved == NULL);
	become_saved = rump_pub_lwproc_curlwp();
	RZ(rump_pub_lwproc_rfork(0));
	RL(rump_sys_setgroups(0, NULL));
	RL(rump_sys_setgid(gid));
	RL(rump_sys_setuid(uid));
}

static void
unbecome(void)
{

	ATF_REQUIRE(become_saved != NULL);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(become_saved);
	become_saved = NULL;
	ATF_REQUIRE_EQ(rump_sys_geteuid(), 0);
}

/*
 * Directory listings.  rump_sys_getdents() returns the host's (Linux
 * getdents64) records: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type,
 * then the NUL-terminated name.
 */
struct dent {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned	d_type;
	char		d_name[256];
};

#define DENT_HDR	19

/* Parse n bytes of records into out (at most max); the count. */
static size_t
parse_dents(const char *buf, size_t n, struct dent *out, size_t max)
{
	size_t pos = 0, count = 0, namelen;
	uint16_t reclen;

	while (pos < n) {
		ATF_REQUIRE_MSG(n - pos >= DENT_HDR + 1,
		    "a record cut short: %zu bytes left", n - pos);
		memcpy(&reclen, buf + pos + 16, sizeof(reclen));
		ATF_REQUIRE_MSG(reclen >= DENT_HDR + 2 && reclen <= n - pos,
		    "bad d_reclen %u with %zu bytes left", reclen, n - pos);
		ATF_REQUIRE_MSG(reclen % 8 == 0, "d_reclen %u unaligned",
		    reclen);
		namelen = strnlen(buf + pos + DENT_HDR, reclen - DENT_HDR);
		ATF_REQUIRE_MSG(namelen > 0 && namelen < (size_t)reclen - DENT_HDR,
		    "a name without its NUL");
		ATF_REQUIRE(count < max);
		memcpy(&out[count].d_ino, buf + pos, 8);
		memcpy(&out[count].d_off, buf + pos + 8, 8);
		out[count].d_type = (unsigned char)buf[pos + 18];
		memcpy(out[count].d_name, buf + pos + DENT_HDR, namelen + 1);
		count++;
		pos += reclen;
	}
	return count;
}

/* List directory fd to the end with a buffer of bufsize bytes. */
static size_t
list_fd(int fd, size_t bufsize, struct dent *out, size_t max)
{
	char *buf;
	size_t count = 0;
	int n;

	ATF_REQUIRE((buf = malloc(bufsize)) != NULL);
	while ((n = RL(rump_sys_getdents(fd, buf, bufsize))) > 0)
		count += parse_dents(buf, (size_t)n, out + count,
		    max - count);
	free(buf);
	return count;
}

static size_t
list_dir(const char *path, struct dent *out, size_t max)
{
	size_t count;
	int fd;

	fd = RL(rump_sys_open(path, O_RDONLY | O_DIRECTORY));
	count = list_fd(fd, 4096, out, max);
	RL(rump_sys_close(fd));
	return count;
}

/* The entry called name in a listing, or NULL. */
static const struct dent *
find_dent(const struct dent *d, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(d[i].d_name, name) == 0)
			return &d[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Reading and writing.                                                */

FSTEST(rw_basic, "write() and read() move the offset; EOF; wrong modes")
{
	char buf[64];
	int fd;

	enter(mnt);
	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT | O_EXCL, 0644));
	xwrite(fd, "hello, ", 7);
	xwrite(fd, "world", 5);
	ATF_REQUIRE_EQ(xlseek(fd, 0, SEEK_CUR), 12);
	ATF_REQUIRE_EQ(xfstat(fd).st_size, 12);
	/* Reading at the end gives 0, and a zero-length write does nothing. */
	ATF_REQUIRE_EQ(RL(rump_sys_read(fd, buf, sizeof(buf))), 0);
	ATF_REQUIRE_EQ(RL(rump_sys_write(fd, buf, 0)), 0);
	ATF_REQUIRE_EQ(xfstat(fd).st_size, 12);
	xlseek(fd, 0, SEEK_SET);
	ATF_REQUIRE_EQ(RL(rump_sys_read(fd, buf, 5)), 5);
	ATF_REQUIRE(memcmp(buf, "hello", 5) == 0);
	ATF_REQUIRE_EQ(RL(rump_sys_read(fd, buf, sizeof(buf))), 7);
	ATF_REQUIRE(memcmp(buf, ", world", 7) == 0);
	/* Overwrite in the middle. */
	xlseek(fd, 7, SEEK_SET);
	xwrite(fd, "WORLD", 5);
	RL(rump_sys_close(fd));
	checkfile("f", "hello, WORLD");

	/* The access mode is enforced per descriptor. */
	fd = RL(rump_sys_open("f", O_RDONLY));
	RE(EBADF, rump_sys_write(fd, "x", 1));
	RE(EBADF, rump_sys_pwrite(fd, "x", 1, 0));
	RL(rump_sys_close(fd));
	fd = RL(rump_sys_open("f", O_WRONLY));
	RE(EBADF, rump_sys_read(fd, buf, 1));
	RE(EBADF, rump_sys_pread(fd, buf, 1, 0));
	RL(rump_sys_close(fd));
	/* A closed descriptor is EBADF. */
	RE(EBADF, rump_sys_read(fd, buf, 1));
	RE(EBADF, rump_sys_close(fd));
	RE(EBADF, rump_sys_write(-1, "x", 1));
	/* A directory cannot be read as a file (Linux: EISDIR). */
	fd = RL(rump_sys_open(".", O_RDONLY));
	RE(EISDIR, rump_sys_read(fd, buf, sizeof(buf)));
	RL(rump_sys_close(fd));
	/*
	 * A NULL buffer is EFAULT, not a crash.  (The kernel shares the
	 * caller's address space, so NULL is the bad pointer it can tell.)
	 */
	fd = RL(rump_sys_open("f", O_RDWR));
	RE(EFAULT, rump_sys_read(fd, NULL, 4));
	RE(EFAULT, rump_sys_write(fd, NULL, 4));
	RL(rump_sys_close(fd));
	checkfile("f", "hello, WORLD");
	leave();
}

FSTEST(rw_large, "a 1 MiB write and read in one call, and across pages")
{
	size_t len = 1024 * 1024 + 123, i;
	char *a, *b;
	int fd;

	ATF_REQUIRE((a = malloc(len)) != NULL);
	ATF_REQUIRE((b = malloc(len)) != NULL);
	for (i = 0; i < len; i++)
		a[i] = (char)(i * 7 + i / 4096);
	enter(mnt);
	fd = RL(rump_sys_open("big", O_RDWR | O_CREAT, 0644));
	xwrite(fd, a, len);
	ATF_REQUIRE_EQ(xfstat(fd).st_size, (off_t)len);
	xlseek(fd, 0, SEEK_SET);
	ATF_REQUIRE_EQ((size_t)RL(rump_sys_read(fd, b, len)), len);
	ATF_REQUIRE(memcmp(a, b, len) == 0);
	/* Unaligned pieces across page boundaries. */
	checkat(fd, 4095, a + 4095, 2);
	checkat(fd, 12345, a + 12345, 65536);
	xpwrite(fd, "ABC", 3, 8191);
	memcpy(a + 8191, "ABC", 3);
	checkat(fd, 8000, a + 8000, 400);
	RL(rump_sys_close(fd));
	RL(rump_sys_unlink("big"));
	leave();
	free(a);
	free(b);
}

FSTEST(direct_fault, "an O_DIRECT write from a bad address is EFAULT, "
    "and the blocks it allocated read as zeros, not as what the disk held",
    .ft_needs = FS_HAS_DIRECT)
{
	const size_t len = 256 * 1024;
	char *buf, *bad;
	size_t i;
	int fd;

	if (RUNNING_ON_VALGRIND)
		atf_tc_skip("hands the host a bad address on purpose, which "
		    "memcheck reports");
	ATF_REQUIRE((buf = malloc(len)) != NULL);
	bad = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ATF_REQUIRE(bad != MAP_FAILED);
	enter(mnt);
	/* Blocks of 'S' on the disk, then free. */
	memset(buf, 'S', len);
	fd = RL(rump_sys_open("old", O_RDWR | O_CREAT, 0644));
	xwrite(fd, buf, len);
	RL(rump_sys_fsync(fd));
	RL(rump_sys_close(fd));
	RL(rump_sys_unlink("old"));
	/* A hole, filled from memory the kernel cannot read. */
	fd = RL(rump_sys_open("new", O_RDWR | O_CREAT | O_DIRECT, 0644));
	RL(rump_sys_ftruncate(fd, (off_t)(4 * len)));
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_pwrite(fd, bad, len, 0), -1);
	ATF_REQUIRE_EQ(errno, EFAULT);
	ATF_REQUIRE_EQ(xfstat(fd).st_size, (off_t)(4 * len));
	ATF_REQUIRE_EQ((size_t)RL(rump_sys_pread(fd, buf, len, 0)), len);
	for (i = 0; i < len; i++)
		ATF_REQUIRE_MSG(buf[i] == 0, "byte %zu is %#x", i,
		    (unsigned char)buf[i]);
	RL(rump_sys_close(fd));
	RL(rump_sys_unlink("new"));
	leave();
	munmap(bad, len);
	free(buf);
}

FSTEST(pread_pwrite, "pread() and pwrite() leave the offset alone")
{
	char buf[16];
	int fd, p[2];

	enter(mnt);
	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT, 0644));
	xwrite(fd, "0123456789", 10);
	xlseek(fd, 3, SEEK_SET);
	ATF_REQUIRE_EQ(RL(rump_sys_pread(fd, buf, 4, 5)), 4);
	ATF_REQUIRE(memcmp(buf, "5678", 4) == 0);
	ATF_REQUIRE_EQ(xlseek(fd, 0, SEEK_CUR), 3);
	xpwrite(fd, "ab", 2, 8);
	ATF_REQUIRE_EQ(xlseek(fd, 0, SEEK_CUR), 3);
	/* pwrite past the end extends the file with a hole. */
	xpwrite(fd, "Z", 1, 20);
	ATF_REQUIRE_EQ(xfstat(fd).st_size, 21);
	ATF_REQUIRE_EQ(xlseek(fd, 0, SEEK_CUR), 3);
	checkat(fd, 0, "01234567ab", 10);
	checkzero(fd, 10, 10);
	checkat(fd, 20, "Z", 1);
	/* Reading at and past the end gives 0. */
	ATF_REQUIRE_EQ(RL(rump_sys_pread(fd, buf, sizeof(buf), 21)), 0);
	ATF_REQUIRE_EQ(RL(rump_sys_pread(fd, buf, sizeof(buf), 1000)), 0);
	/* A short read at the end. */
	ATF_REQUIRE_EQ(RL(rump_sys_pread(fd, buf, sizeof(buf), 18)), 3);
	/* Negative offsets. */
	RE(EINVAL, rump_sys_pread(fd, buf, 1, -1));
	RE(EINVAL, rump_sys_pwrite(fd, buf, 1, -1));
	RL(rump_sys_close(fd));
	/* No offsets on a pipe. */
	RL(rump_sys_pipe(p));
	RE(ESPIPE, rump_sys_pread(p[0], buf, 1, 0));
	RE(ESPIPE, rump_sys_pwrite(p[1], buf, 1, 0));
	RL(rump_sys_close(p[0]));
	RL(rump_sys_close(p[1]));
	leave();
}

FSTEST(readv_writev, "readv() and writev() gather and scatter in order")
{
	char w1[] = "abc", w2[] = "defgh", w3[] = "ij";
	struct iovec iov[4];
	char a[3], b[1], c[10];
	struct iovec *many;
	int fd, i;

	enter(mnt);
	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT, 0644));
	iov[0].iov_base = w1;
	iov[0].iov_len = 3;
	iov[1].iov_base = NULL;		/* an empty one in the middle */
	iov[1].iov_len = 0;
	iov[2].iov_base = w2;
	iov[2].iov_len = 5;
	iov[3].iov_base = w3;
	iov[3].iov_len = 2;
	ATF_REQUIRE_EQ(RL(rump_sys_writev(fd, iov, 4)), 10);
	ATF_REQUIRE_EQ(xlseek(fd, 0, SEEK_CUR), 10);
	checkat(fd, 0, "abcdefghij", 10);

	xlseek(fd, 0, SEEK_SET);
	iov[0].iov_base = a;
	iov[0].iov_len = sizeof(a);
	iov[1].iov_base = b;
	iov[1].iov_len = sizeof(b);
	iov[2].iov_base = c;
	iov[2].iov_len = sizeof(c);
	/* Only 10 bytes: the last buffer is filled in part. */
	ATF_REQUIRE_EQ(RL(rump_sys_readv(fd, iov, 3)), 10);
	ATF_REQUIRE(memcmp(a, "abc", 3) == 0);
	ATF_REQUIRE(memcmp(b, "d", 1) == 0);
	ATF_REQUIRE(memcmp(c, "efghij", 6) == 0);
	ATF_REQUIRE_EQ(xlseek(fd, 0, SEEK_CUR), 10);

	/* No vectors: Linux does nothing, after checking the descriptor. */
	ATF_REQUIRE_EQ(RL(rump_sys_writev(fd, iov, 0)), 0);
	ATF_REQUIRE_EQ(RL(rump_sys_readv(fd, iov, 0)), 0);
	RE(EBADF, rump_sys_writev(-1, iov, 0));
	ATF_REQUIRE_EQ(xfstat(fd).st_size, 10);
	/* Bad counts (IOV_MAX is 1024). */
	RE(EINVAL, rump_sys_writev(fd, iov, -1));
	RE(EINVAL, rump_sys_readv(fd, iov, -1));
	ATF_REQUIRE((many = calloc(IOV_MAX + 1, sizeof(*many))) != NULL);
	for (i = 0; i <= IOV_MAX; i++) {
		many[i].iov_base = a;
		many[i].iov_len = 1;
	}
	RE(EINVAL, rump_sys_readv(fd, many, IOV_MAX + 1));
	xlseek(fd, 0, SEEK_SET);
	ATF_REQUIRE_EQ(RL(rump_sys_writev(fd, many, IOV_MAX)), IOV_MAX);
	ATF_REQUIRE_EQ(xfstat(fd).st_size, IOV_MAX);
	free(many);
	RL(rump_sys_close(fd));
	leave();
}

FSTEST(lseek, "lseek() whences, past the end, and errors")
{
	int fd, p[2];

	enter(mnt);
	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT, 0644));
	xwrite(fd, "0123456789", 10);
	ATF_REQUIRE_EQ(xlseek(fd, 0, SEEK_END), 10);
	ATF_REQUIRE_EQ(xlseek(fd, -3, SEEK_END), 7);
	ATF_REQUIRE_EQ(xlseek(fd, 2, SEEK_CUR), 9);
	ATF_REQUIRE_EQ(xlseek(fd, -9, SEEK_CUR), 0);
	ATF_REQUIRE_EQ(xlseek(fd, 4, SEEK_SET), 4);
	/* Past the end: allowed; the file does not grow until a write. */
	ATF_REQUIRE_EQ(xlseek(fd, 100, SEEK_END), 110);
	ATF_REQUIRE_EQ(xfstat(fd).st_size, 10);
	xwrite(fd, "x", 1);
	ATF_REQUIRE_EQ(xfstat(fd).st_size, 111);
	checkzero(fd, 10, 100);
	checkat(fd, 110, "x", 1);
	/* Before the start, or an unknown whence: EINVAL, offset kept. */
	xlseek(fd, 5, SEEK_SET);
	RE(EINVAL, rump_sys_lseek(fd, -1, SEEK_SET));
	RE(EINVAL, rump_sys_lseek(fd, -6, SEEK_CUR));
	RE(EINVAL, rump_sys_lseek(fd, -112, SEEK_END));
	RE(EINVAL, rump_sys_lseek(fd, 0, 42));
	ATF_REQUIRE_EQ(xlseek(fd, 0, SEEK_CUR), 5);
	RL(rump_sys_close(fd));
	RE(EBADF, rump_sys_lseek(fd, 0, SEEK_SET));
	/* Pipes have no offset. */
	RL(rump_sys_pipe(p));
	RE(ESPIPE, rump_sys_lseek(p[0], 0, SEEK_CUR));
	RE(ESPIPE, rump_sys_lseek(p[1], 0, SEEK_SET));
	RL(rump_sys_close(p[0]));
	RL(rump_sys_close(p[1]));
	leave();
}

FSTEST(holes, "a write past the end leaves a hole that reads as zeros")
{
	char page[8192];
	struct stat sb;
	int fd;

	memset(page, 'a', sizeof(page));
	enter(mnt);
	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT, 0644));
	xpwrite(fd, "begin", 5, 0);
	xpwrite(fd, page, sizeof(page), 1 * MiB);
	xpwrite(fd, "end", 3, 64 * MiB - 3);
	sb = xfstat(fd);
	ATF_REQUIRE_EQ(sb.st_size, 64 * MiB);
	checkat(fd, 0, "begin", 5);
	checkzero(fd, 5, 8192);
	checkzero(fd, 1 * MiB - 4096, 4096);
	checkat(fd, 1 * MiB, page, sizeof(page));
	checkzero(fd, 1 * MiB + 8192, 100000);
	checkzero(fd, 64 * MiB - 4099, 4096);
	checkat(fd, 64 * MiB - 3, "end", 3);
	if (fs->fs_flags & FS_HAS_SPARSE)
		ATF_REQUIRE_MSG(sb.st_blocks * 512 < 1 * MiB,
		    "a sparse 64 MiB file takes %lld bytes",
		    (long long)sb.st_blocks * 512);
	/* Filling part of a hole leaves the rest zero. */
	xpwrite(fd, "mid", 3, 32 * MiB + 1);
	checkzero(fd, 32 * MiB - 4096, 4097);
	checkat(fd, 32 * MiB + 1, "mid", 3);
	checkzero(fd, 32 * MiB + 4, 8188);
	RL(rump_sys_close(fd));
	leave();
}

FSTEST(bigfile, "offsets past 4 GiB: write at 5 GiB, stat, read back",
    .ft_needs = FS_HAS_BIGFILES)
{
	const off_t at = 5 * GiB + 17;
	char buf[32];
	struct stat sb;
	int fd;

	enter(mnt);
	fd = RL(rump_sys_open("big", O_RDWR | O_CREAT, 0644));
	ATF_REQUIRE_EQ(xlseek(fd, at, SEEK_SET), at);
	xwrite(fd, "far away", 8);
	ATF_REQUIRE_EQ(xlseek(fd, 0, SEEK_CUR), at + 8);
	sb = xfstat(fd);
	ATF_REQUIRE_EQ(sb.st_size, at + 8);
	ATF_REQUIRE_EQ(xstat("big").st_size, at + 8);
	ATF_REQUIRE_EQ(xlseek(fd, 0, SEEK_END), at + 8);
	checkat(fd, at, "far away", 8);
	/* Around the 4 GiB boundary, where 32-bit offsets would wrap. */
	checkzero(fd, 4 * GiB - 4096, 8192);
	checkzero(fd, 0, 4096);
	xpwrite(fd, "wrap", 4, 4 * GiB - 2);
	checkat(fd, 4 * GiB - 2, "wrap", 4);
	checkzero(fd, 0, 16);
	checkzero(fd, 4 * GiB - 4096, 4094);
	/* A read that ends at EOF. */
	ATF_REQUIRE_EQ(RL(rump_sys_pread(fd, buf, sizeof(buf), at + 4)), 4);
	ATF_REQUIRE(memcmp(buf, "away", 4) == 0);
	if (fs->fs_flags & FS_HAS_SPARSE)
		ATF_REQUIRE(sb.st_blocks * 512 < 1 * MiB);
	/* Truncating keeps data below the new size. */
	RL(rump_sys_ftruncate(fd, 4 * GiB + 1));
	ATF_REQUIRE_EQ(xfstat(fd).st_size, 4 * GiB + 1);
	checkat(fd, 4 * GiB - 2, "wra", 3);
	ATF_REQUIRE_EQ(RL(rump_sys_pread(fd, buf, sizeof(buf), 4 * GiB + 1)),
	    0);
	RL(rump_sys_truncate("big", 6 * GiB));
	checkzero(fd, at, 8);
	RL(rump_sys_close(fd));
	RL(rump_sys_unlink("big"));
	leave();
}

FSTEST(offset_limits, "offsets at the end of off_t: EFBIG or EINVAL, never a wrap")
{
	char buf[8];
	off_t o;
	int fd;

	enter(mnt);
	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT, 0644));
	xwrite(fd, "data", 4);
	/* Past the largest offset: POSIX EFBIG, Linux EINVAL. */
	RE2(EFBIG, EINVAL, rump_sys_pwrite(fd, "xy", 2, INT64_MAX - 1));
	RE2(EFBIG, EINVAL, rump_sys_pwrite(fd, "x", 1, INT64_MAX));
	ATF_REQUIRE_EQ(xfstat(fd).st_size, 4);
	ATF_REQUIRE_EQ(RL(rump_sys_pread(fd, buf, sizeof(buf),
	    INT64_MAX - 1)), 0);
	/* Seeking there is fine; one more is EINVAL or EOVERFLOW. */
	o = rump_sys_lseek(fd, INT64_MAX, SEEK_SET);
	if (o != -1) {
		ATF_REQUIRE_EQ(o, INT64_MAX);
		RE2(EINVAL, EOVERFLOW, rump_sys_lseek(fd, 1, SEEK_CUR));
		RE2(EFBIG, EINVAL, rump_sys_write(fd, "x", 1));
		ATF_REQUIRE_EQ(RL(rump_sys_read(fd, buf, sizeof(buf))), 0);
	} else
		ATF_REQUIRE(errno == EINVAL);
	xlseek(fd, 1, SEEK_END);
	RE2(EINVAL, EOVERFLOW, rump_sys_lseek(fd, INT64_MAX, SEEK_CUR));
	RE2(EINVAL, EOVERFLOW, rump_sys_lseek(fd, INT64_MAX, SEEK_END));
	RE2(EFBIG, EINVAL, rump_sys_ftruncate(fd, INT64_MAX));
	ATF_REQUIRE_EQ(xfstat(fd).st_size, 4);
	checkat(fd, 0, "data", 4);
	/* A terabyte out, where a sparse file system still manages. */
	if ((fs->fs_flags & (FS_HAS_BIGFILES | FS_HAS_SPARSE)) ==
	    (FS_HAS_BIGFILES | FS_HAS_SPARSE)) {
		const off_t tb = ((off_t)1 << 40) - 4096 - 3;

		xpwrite(fd, "terabyte", 8, tb);
		ATF_REQUIRE_EQ(xfstat(fd).st_size, tb + 8);
		checkat(fd, tb, "terabyte", 8);
		checkzero(fd, tb - 4096, 4096);
		checkzero(fd, (off_t)1 << 39, 8192);
		ATF_REQUIRE(xfstat(fd).st_blocks * 512 < 1 * MiB);
		RL(rump_sys_ftruncate(fd, 4));
		checkat(fd, 0, "data", 4);
	}
	RL(rump_sys_close(fd));
	leave();
}

FSTEST(append, "O_APPEND writes at the end, whoever wrote last")
{
	int fd1, fd2, fd3;

	enter(mnt);
	mkfile("f", "start:");
	fd1 = RL(rump_sys_open("f", O_WRONLY | O_APPEND));
	fd2 = RL(rump_sys_open("f", O_RDWR | O_APPEND));
	fd3 = RL(rump_sys_open("f", O_RDWR));
	xwrite(fd1, "aaa", 3);
	ATF_REQUIRE_EQ(xlseek(fd1, 0, SEEK_CUR), 9);
	/* An explicit seek does not stop the next write going to the end. */
	xlseek(fd2, 0, SEEK_SET);
	xwrite(fd2, "bb", 2);
	ATF_REQUIRE_EQ(xlseek(fd2, 0, SEEK_CUR), 11);
	/* Another writer extends the file; fd1's next write follows it. */
	xpwrite(fd3, "Z", 1, 20);
	xwrite(fd1, "c", 1);
	ATF_REQUIRE_EQ(xfstat(fd1).st_size, 22);
	checkat(fd3, 0, "start:aaabb", 11);
	checkzero(fd3, 11, 9);
	checkat(fd3, 20, "Zc", 2);
	/* A plain descriptor writes where its offset is. */
	xlseek(fd3, 0, SEEK_SET);
	xwrite(fd3, "S", 1);
	checkat(fd3, 0, "Start:", 6);
	/* F_SETFL turns appending on and off. */
	RL(rump_sys_fcntl(fd3, F_SETFL, O_APPEND));
	ATF_REQUIRE(RL(rump_sys_fcntl(fd3, F_GETFL)) & O_APPEND);
	xlseek(fd3, 0, SEEK_SET);
	xwrite(fd3, "!", 1);
	ATF_REQUIRE_EQ(xfstat(fd3).st_size, 23);
	RL(rump_sys_fcntl(fd1, F_SETFL, 0));
	ATF_REQUIRE((RL(rump_sys_fcntl(fd1, F_GETFL)) & O_APPEND) == 0);
	xlseek(fd1, 1, SEEK_SET);
	xwrite(fd1, "T", 1);
	ATF_REQUIRE_EQ(xfstat(fd1).st_size, 23);
	checkat(fd3, 0, "STart:aaabb", 11);
	checkat(fd3, 20, "Zc!", 3);
	RL(rump_sys_close(fd1));
	RL(rump_sys_close(fd2));
	RL(rump_sys_close(fd3));
	leave();
}

FSTEST(dup_offsets, "dup()ed descriptors share the offset, two opens do not")
{
	int fd, d1, d2, d3, d4, other;
	char c;

	enter(mnt);
	mkfile("f", "0123456789");
	fd = RL(rump_sys_open("f", O_RDONLY));
	other = RL(rump_sys_open("f", O_RDONLY));
	d1 = RL(rump_sys_dup(fd));
	d2 = RL(rump_sys_dup2(fd, 17));
	ATF_REQUIRE_EQ(d2, 17);
	d3 = RL(rump_sys_dup3(fd, 18, 0));
	ATF_REQUIRE_EQ(d3, 18);
	d4 = RL(rump_sys_fcntl(fd, F_DUPFD, 30));
	ATF_REQUIRE(d4 >= 30);
	ATF_REQUIRE(d1 != fd && d1 != other);

	ATF_REQUIRE_EQ(RL(rump_sys_read(fd, &c, 1)), 1);
	ATF_REQUIRE_EQ(c, '0');
	ATF_REQUIRE_EQ(RL(rump_sys_read(d1, &c, 1)), 1);
	ATF_REQUIRE_EQ(c, '1');
	ATF_REQUIRE_EQ(RL(rump_sys_read(d2, &c, 1)), 1);
	ATF_REQUIRE_EQ(c, '2');
	ATF_REQUIRE_EQ(RL(rump_sys_read(d3, &c, 1)), 1);
	ATF_REQUIRE_EQ(c, '3');
	ATF_REQUIRE_EQ(RL(rump_sys_read(d4, &c, 1)), 1);
	ATF_REQUIRE_EQ(c, '4');
	ATF_REQUIRE_EQ(xlseek(d2, 8, SEEK_SET), 8);
	ATF_REQUIRE_EQ(xlseek(fd, 0, SEEK_CUR), 8);
	ATF_REQUIRE_EQ(xlseek(d4, 0, SEEK_CUR), 8);
	/* The second open has its own offset. */
	ATF_REQUIRE_EQ(xlseek(other, 0, SEEK_CUR), 0);
	ATF_REQUIRE_EQ(RL(rump_sys_read(other, &c, 1)), 1);
	ATF_REQUIRE_EQ(c, '0');
	ATF_REQUIRE_EQ(xlseek(fd, 0, SEEK_CUR), 8);

	/* Closing one leaves the others open. */
	RL(rump_sys_close(fd));
	ATF_REQUIRE_EQ(RL(rump_sys_read(d1, &c, 1)), 1);
	ATF_REQUIRE_EQ(c, '8');

	/* dup2 onto an open descriptor closes that one first. */
	ATF_REQUIRE_EQ(RL(rump_sys_dup2(other, d3)), d3);
	ATF_REQUIRE_EQ(xlseek(d3, 0, SEEK_CUR), 1);
	ATF_REQUIRE_EQ(xlseek(d2, 0, SEEK_CUR), 9);
	/* dup2 to itself is a no-op; dup3 to itself is EINVAL. */
	ATF_REQUIRE_EQ(RL(rump_sys_dup2(d1, d1)), d1);
	RE(EINVAL, rump_sys_dup3(d1, d1, 0));
	/* Bad descriptors. */
	RE(EBADF, rump_sys_dup(fd));
	RE(EBADF, rump_sys_dup2(fd, 40));
	RE(EBADF, rump_sys_dup2(d1, -1));
	RE(EBADF, rump_sys_dup2(fd, fd));
	RE(EINVAL, rump_sys_fcntl(d1, F_DUPFD, -1));
	/* The lowest free number is used. */
	ATF_REQUIRE_EQ(RL(rump_sys_dup(d1)), fd);

	RL(rump_sys_close(fd));
	RL(rump_sys_close(d1));
	RL(rump_sys_close(d2));
	RL(rump_sys_close(d3));
	RL(rump_sys_close(d4));
	RL(rump_sys_close(other));
	leave();
}

FSTEST(cloexec, "the close-on-exec flag: O_CLOEXEC, F_SETFD, dup3, F_DUPFD_CLOEXEC")
{
	int fd, d, p[2];

	enter(mnt);
	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT | O_CLOEXEC, 0644));
	ATF_REQUIRE_EQ(RL(rump_sys_fcntl(fd, F_GETFD)), FD_CLOEXEC);
	/* The flag belongs to the descriptor, not the open file. */
	ATF_REQUIRE((RL(rump_sys_fcntl(fd, F_GETFL)) & O_CLOEXEC) == 0);
	d = RL(rump_sys_dup(fd));
	ATF_REQUIRE_EQ(RL(rump_sys_fcntl(d, F_GETFD)), 0);
	ATF_REQUIRE_EQ(RL(rump_sys_fcntl(fd, F_GETFD)), FD_CLOEXEC);
	RL(rump_sys_fcntl(fd, F_SETFD, 0));
	ATF_REQUIRE_EQ(RL(rump_sys_fcntl(fd, F_GETFD)), 0);
	RL(rump_sys_fcntl(fd, F_SETFD, FD_CLOEXEC));
	ATF_REQUIRE_EQ(RL(rump_sys_fcntl(fd, F_GETFD)), FD_CLOEXEC);
	/* dup2 clears it; dup3 sets it on request. */
	ATF_REQUIRE_EQ(RL(rump_sys_dup2(fd, 20)), 20);
	ATF_REQUIRE_EQ(RL(rump_sys_fcntl(20, F_GETFD)), 0);
	ATF_REQUIRE_EQ(RL(rump_sys_dup3(fd, 21, O_CLOEXEC)), 21);
	ATF_REQUIRE_EQ(RL(rump_sys_fcntl(21, F_GETFD)), FD_CLOEXEC);
	/* ... onto a descriptor that had it, too. */
	ATF_REQUIRE_EQ(RL(rump_sys_dup3(d, 21, 0)), 21);
	ATF_REQUIRE_EQ(RL(rump_sys_fcntl(21, F_GETFD)), 0);
	RE(EINVAL, rump_sys_dup3(fd, 22, O_APPEND));
	ATF_REQUIRE(RL(rump_sys_fcntl(fd, F_DUPFD_CLOEXEC, 25)) == 25);
	ATF_REQUIRE_EQ(RL(rump_sys_fcntl(25, F_GETFD)), FD_CLOEXEC);
	/* A plain open has it clear. */
	RL(rump_sys_close(d));
	d = RL(rump_sys_open("f", O_RDONLY));
	ATF_REQUIRE_EQ(RL(rump_sys_fcntl(d, F_GETFD)), 0);
	/* pipe2 sets it on both ends. */
	RL(rump_sys_pipe2(p, O_CLOEXEC));
	ATF_REQUIRE_EQ(RL(rump_sys_fcntl(p[0], F_GETFD)), FD_CLOEXEC);
	ATF_REQUIRE_EQ(RL(rump_sys_fcntl(p[1], F_GETFD)), FD_CLOEXEC);
	RL(rump_sys_close(p[0]));
	RL(rump_sys_close(p[1]));
	RE(EBADF, rump_sys_fcntl(p[0], F_GETFD));
	RL(rump_sys_close(fd));
	RL(rump_sys_close(d));
	RL(rump_sys_close(20));
	RL(rump_sys_close(21));
	RL(rump_sys_close(25));
	leave();
}

/* ------------------------------------------------------------------ */
/* open() flags.                                                       */

FSTEST(open_excl, "O_CREAT|O_EXCL fails on anything that exists")
{
	int fd;

	enter(mnt);
	fd = RL(rump_sys_open("f", O_WRONLY | O_CREAT | O_EXCL, 0644));
	RL(rump_sys_close(fd));
	RE(EEXIST, rump_sys_open("f", O_WRONLY | O_CREAT | O_EXCL, 0644));
	RL(rump_sys_mkdir("d", 0755));
	RE(EEXIST, rump_sys_open("d", O_RDONLY | O_CREAT | O_EXCL, 0644));
	if (fs->fs_flags & FS_HAS_SYMLINKS) {
		/* Not even through a dangling symbolic link. */
		RL(rump_sys_symlink("nothere", "dangling"));
		RE(EEXIST, rump_sys_open("dangling",
		    O_WRONLY | O_CREAT | O_EXCL, 0644));
		ATF_REQUIRE(!exists("nothere"));
		/* Without O_EXCL the link is followed and the target made. */
		fd = RL(rump_sys_open("dangling", O_WRONLY | O_CREAT, 0644));
		RL(rump_sys_close(fd));
		ATF_REQUIRE(S_ISREG(xlstat("nothere").st_mode));
	}
	/* O_CREAT alone opens the existing file without truncating it. */
	mkfile("g", "data");
	fd = RL(rump_sys_open("g", O_RDWR | O_CREAT, 0600));
	ATF_REQUIRE_EQ(xfstat(fd).st_size, 4);
	/* ... and does not change its mode. */
	ATF_REQUIRE_EQ(xfstat(fd).st_mode & 07777, 0644 & ~022);
	RL(rump_sys_close(fd));
	leave();
}

FSTEST(open_trunc, "O_TRUNC empties a file opened for writing")
{
	struct stat sb;
	int fd;

	enter(mnt);
	mkfile("f", "some data here");
	fd = RL(rump_sys_open("f", O_WRONLY | O_TRUNC));
	sb = xfstat(fd);
	ATF_REQUIRE_EQ(sb.st_size, 0);
	xwrite(fd, "new", 3);
	RL(rump_sys_close(fd));
	checkfile("f", "new");
	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT | O_TRUNC, 0644));
	ATF_REQUIRE_EQ(xfstat(fd).st_size, 0);
	RL(rump_sys_close(fd));
	/* A new file with O_TRUNC is just created. */
	fd = RL(rump_sys_open("g", O_RDWR | O_CREAT | O_TRUNC, 0644));
	RL(rump_sys_close(fd));
	ATF_REQUIRE_EQ(xstat("g").st_size, 0);
	/* A directory cannot be truncated. */
	RL(rump_sys_mkdir("d", 0755));
	RE(EISDIR, rump_sys_open("d", O_WRONLY | O_TRUNC));
	leave();
}

FSTEST(open_nofollow, "O_NOFOLLOW refuses a symbolic link at the end (ELOOP)",
    .ft_needs = FS_HAS_SYMLINKS)
{
	int fd;

	enter(mnt);
	mkfile("f", "x");
	RL(rump_sys_mkdir("d", 0755));
	mkfile("d/g", "y");
	RL(rump_sys_symlink("f", "lf"));
	RL(rump_sys_symlink("d", "ld"));
	RE(ELOOP, rump_sys_open("lf", O_RDONLY | O_NOFOLLOW));
	RE(ELOOP, rump_sys_open("lf", O_RDWR | O_CREAT | O_NOFOLLOW, 0644));
	RE(ELOOP, rump_sys_open("ld", O_RDONLY | O_NOFOLLOW));
	/* Links before the last component are followed. */
	fd = RL(rump_sys_open("ld/g", O_RDONLY | O_NOFOLLOW));
	RL(rump_sys_close(fd));
	fd = RL(rump_sys_open("f", O_RDONLY | O_NOFOLLOW));
	RL(rump_sys_close(fd));
	/* Without the flag, the link is followed. */
	fd = RL(rump_sys_open("lf", O_RDONLY));
	ATF_REQUIRE(S_ISREG(xfstat(fd).st_mode));
	RL(rump_sys_close(fd));
	leave();
}

FSTEST(open_directory, "O_DIRECTORY, and directories opened for writing")
{
	int fd;

	enter(mnt);
	mkfile("f", "x");
	RL(rump_sys_mkdir("d", 0755));
	RE(ENOTDIR, rump_sys_open("f", O_RDONLY | O_DIRECTORY));
	fd = RL(rump_sys_open("d", O_RDONLY | O_DIRECTORY));
	ATF_REQUIRE(S_ISDIR(xfstat(fd).st_mode));
	RL(rump_sys_close(fd));
	RE(EISDIR, rump_sys_open("d", O_WRONLY));
	RE(EISDIR, rump_sys_open("d", O_RDWR));
	RE(EISDIR, rump_sys_open("d", O_RDWR | O_CREAT, 0644));
	/* Missing files and bad paths. */
	RE(ENOENT, rump_sys_open("nothere", O_RDONLY));
	RE(ENOENT, rump_sys_open("nodir/f", O_RDWR | O_CREAT, 0644));
	RE(ENOTDIR, rump_sys_open("f/g", O_RDONLY));
	RE(ENOTDIR, rump_sys_open("f/g", O_RDWR | O_CREAT, 0644));
	RE(ENOENT, rump_sys_open("", O_RDONLY));
	RE(EFAULT, rump_sys_open(NULL, O_RDONLY));
	ATF_REQUIRE(!exists("nothere"));
	leave();
}

/* ------------------------------------------------------------------ */
/* File status.                                                        */

FSTEST(stat_fields, "stat(), lstat() and fstat() agree and are right")
{
	struct stat sf, sd, sl, s2, sr, sroot;
	struct timespec t0, t1;
	int fd;

	enter(mnt);
	(void)(rump_sys_umask(022));
	t0 = know();
	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT, 0666));
	xwrite(fd, "12345", 5);
	t1 = know();
	sf = xfstat(fd);
	RL(rump_sys_close(fd));
	ATF_REQUIRE(S_ISREG(sf.st_mode));
	ATF_REQUIRE_EQ(sf.st_mode & 07777, 0644);
	ATF_REQUIRE_EQ(sf.st_nlink, 1);
	ATF_REQUIRE_EQ(sf.st_size, 5);
	ATF_REQUIRE_EQ(sf.st_uid, 0);
	ATF_REQUIRE_EQ(sf.st_gid, 0);
	ATF_REQUIRE(sf.st_blksize > 0);
	ATF_REQUIRE(sf.st_blocks > 0);
	ATF_REQUIRE(sf.st_ino != 0);
	if (fs->fs_flags & FS_HAS_NSEC_TIMES) {
		ATF_REQUIRE(tscmp(t0, sf.st_mtim) <= 0);
		ATF_REQUIRE(tscmp(sf.st_mtim, t1) <= 0);
	}
	ATF_REQUIRE(sf.st_mtim.tv_nsec >= 0 && sf.st_mtim.tv_nsec < 1000000000);

	/* stat and lstat of a regular file give the same. */
	s2 = xstat("f");
	sl = xlstat("f");
	ATF_REQUIRE_EQ(s2.st_ino, sf.st_ino);
	ATF_REQUIRE_EQ(s2.st_dev, sf.st_dev);
	ATF_REQUIRE_EQ(s2.st_size, sf.st_size);
	ATF_REQUIRE_EQ(s2.st_mode, sf.st_mode);
	ATF_REQUIRE_EQ(sl.st_ino, sf.st_ino);
	ATF_REQUIRE(tscmp(s2.st_mtim, sf.st_mtim) == 0);

	/* Directories: two links, plus one per subdirectory. */
	RL(rump_sys_mkdir("d", 0777));
	sd = xstat("d");
	ATF_REQUIRE(S_ISDIR(sd.st_mode));
	ATF_REQUIRE_EQ(sd.st_mode & 07777, 0755);
	ATF_REQUIRE_EQ(sd.st_nlink, 2);
	ATF_REQUIRE(sd.st_ino != sf.st_ino);
	ATF_REQUIRE_EQ(sd.st_dev, sf.st_dev);
	RL(rump_sys_mkdir("d/sub", 0700));
	RL(rump_sys_mkdir("d/sub2", 0700));
	mkfile("d/file", "");
	ATF_REQUIRE_EQ(xstat("d").st_nlink, 4);
	RL(rump_sys_rmdir("d/sub2"));
	ATF_REQUIRE_EQ(xstat("d").st_nlink, 3);
	ATF_REQUIRE_EQ(xstat("d/sub").st_nlink, 2);

	/* The mount is its own device; "/" is another. */
	sroot = xstat("/");
	sr = xstat(mnt);
	ATF_REQUIRE(S_ISDIR(sr.st_mode));
	ATF_REQUIRE(sr.st_dev != sroot.st_dev);
	ATF_REQUIRE_EQ(sr.st_dev, sf.st_dev);
	ATF_REQUIRE_EQ(xstat(".").st_ino, sr.st_ino);

	if (fs->fs_flags & FS_HAS_SYMLINKS) {
		RL(rump_sys_symlink("f", "l"));
		sl = xlstat("l");
		ATF_REQUIRE(S_ISLNK(sl.st_mode));
		ATF_REQUIRE_EQ(sl.st_size, 1);
		ATF_REQUIRE(sl.st_ino != sf.st_ino);
		ATF_REQUIRE_EQ(xstat("l").st_ino, sf.st_ino);
		RL(rump_sys_symlink("a/longer/target", "l2"));
		ATF_REQUIRE_EQ(xlstat("l2").st_size, 15);
		RE(ENOENT, rump_sys_stat("l2", &s2));
	}
	/* Errors. */
	RE(ENOENT, rump_sys_stat("nothere", &s2));
	RE(ENOENT, rump_sys_lstat("", &s2));
	RE(ENOTDIR, rump_sys_stat("f/x", &s2));
	RE(EFAULT, rump_sys_stat("f", NULL));
	RE(EBADF, rump_sys_fstat(-1, &s2));
	RE(EBADF, rump_sys_fstat(99, &s2));
	leave();
}

FSTEST(fstatat, "fstatat() relative to a directory descriptor")
{
	struct stat sb, sf;
	int dfd, ffd;

	enter(mnt);
	RL(rump_sys_mkdir("d", 0755));
	mkfile("d/f", "abc");
	sf = xstat("d/f");
	dfd = RL(rump_sys_open("d", O_RDONLY | O_DIRECTORY));
	RL(rump_sys_fstatat(dfd, "f", &sb, 0));
	ATF_REQUIRE_EQ(sb.st_ino, sf.st_ino);
	ATF_REQUIRE_EQ(sb.st_size, 3);
	RL(rump_sys_fstatat(AT_FDCWD, "d/f", &sb, 0));
	ATF_REQUIRE_EQ(sb.st_ino, sf.st_ino);
	/* An absolute path ignores the descriptor. */
	RL(rump_sys_fstatat(-1, "/", &sb, 0));
	ATF_REQUIRE_EQ(sb.st_ino, xstat("/").st_ino);
	/* "." and ".." from the descriptor. */
	RL(rump_sys_fstatat(dfd, ".", &sb, 0));
	ATF_REQUIRE_EQ(sb.st_ino, xstat("d").st_ino);
	RL(rump_sys_fstatat(dfd, "..", &sb, 0));
	ATF_REQUIRE_EQ(sb.st_ino, xstat(".").st_ino);
	if (fs->fs_flags & FS_HAS_SYMLINKS) {
		RL(rump_sys_symlink("f", "d/l"));
		RL(rump_sys_fstatat(dfd, "l", &sb, AT_SYMLINK_NOFOLLOW));
		ATF_REQUIRE(S_ISLNK(sb.st_mode));
		RL(rump_sys_fstatat(dfd, "l", &sb, 0));
		ATF_REQUIRE(S_ISREG(sb.st_mode));
		ATF_REQUIRE_EQ(sb.st_ino, sf.st_ino);
	}
	/* A relative path from a file, or a bad descriptor. */
	ffd = RL(rump_sys_open("d/f", O_RDONLY));
	RE(ENOTDIR, rump_sys_fstatat(ffd, "x", &sb, 0));
	RE(EBADF, rump_sys_fstatat(-1, "f", &sb, 0));
	RE(EBADF, rump_sys_fstatat(77, "f", &sb, 0));
	RE(EINVAL, rump_sys_fstatat(dfd, "f", &sb, 0x40000000));
	/* The directory descriptor still works after a chdir elsewhere. */
	leave();
	RL(rump_sys_fstatat(dfd, "f", &sb, 0));
	ATF_REQUIRE_EQ(sb.st_ino, sf.st_ino);
	RL(rump_sys_close(dfd));
	RL(rump_sys_close(ffd));
}

FSTEST(access_root, "access() and faccessat() for root: only execute is checked")
{
	int dfd;

	enter(mnt);
	mkfile("f", "");
	RL(rump_sys_chmod("f", 0));
	RL(rump_sys_access("f", F_OK));
	RL(rump_sys_access("f", R_OK | W_OK));
	RE(EACCES, rump_sys_access("f", X_OK));
	RL(rump_sys_chmod("f", 0001));
	RL(rump_sys_access("f", R_OK | W_OK | X_OK));
	RL(rump_sys_mkdir("d", 0));
	RL(rump_sys_access("d", R_OK | W_OK | X_OK));
	RE(ENOENT, rump_sys_access("nothere", F_OK));
	RE(EINVAL, rump_sys_access("f", 0x40));
	dfd = RL(rump_sys_open(".", O_RDONLY | O_DIRECTORY));
	RL(rump_sys_faccessat(dfd, "f", R_OK, 0));
	RL(rump_sys_faccessat(dfd, "f", X_OK, AT_EACCESS));
	RE(ENOENT, rump_sys_faccessat(dfd, "g", F_OK, 0));
	RE(EINVAL, rump_sys_faccessat(dfd, "f", F_OK, 0x40000000));
	RL(rump_sys_close(dfd));
	leave();
}

FSTEST(access_user, "access() as another user: owner, group, other bits",
    .ft_needs = FS_HAS_OWNERS | FS_HAS_PERMS)
{
	const gid_t g200 = 200;

	enter(mnt);
	mkfile("f", "");
	RL(rump_sys_chown("f", 100, 200));
	RL(rump_sys_chmod("f", 0640));

	become(100, 999, 0, NULL);		/* the owner */
	RL(rump_sys_access("f", R_OK | W_OK));
	RE(EACCES, rump_sys_access("f", X_OK));
	unbecome();

	become(300, 200, 0, NULL);		/* the group */
	RL(rump_sys_access("f", R_OK));
	RE(EACCES, rump_sys_access("f", W_OK));
	RE(EACCES, rump_sys_access("f", R_OK | W_OK));
	RL(rump_sys_access("f", F_OK));
	unbecome();

	become(300, 300, 1, &g200);		/* a supplementary group */
	RL(rump_sys_access("f", R_OK));
	RE(EACCES, rump_sys_access("f", W_OK));
	RL(rump_sys_faccessat(AT_FDCWD, "f", R_OK, AT_EACCESS));
	unbecome();

	become(300, 300, 0, NULL);		/* others */
	RE(EACCES, rump_sys_access("f", R_OK));
	RL(rump_sys_access("f", F_OK));
	unbecome();

	/* Only the owner's class counts, even if it grants less. */
	RL(rump_sys_chmod("f", 0066));
	become(100, 200, 0, NULL);
	RE(EACCES, rump_sys_access("f", R_OK));
	RE(EACCES, rump_sys_access("f", W_OK));
	unbecome();
	leave();
}

/* ------------------------------------------------------------------ */
/* Directories and names.                                              */

FSTEST(mkdir_rmdir, "mkdir() and rmdir(): links, emptiness, \".\"")
{
	struct stat sb;

	enter(mnt);
	RL(rump_sys_mkdir("d", 0755));
	ATF_REQUIRE(S_ISDIR(xstat("d").st_mode));
	RE(EEXIST, rump_sys_mkdir("d", 0755));
	mkfile("f", "");
	RE(EEXIST, rump_sys_mkdir("f", 0755));
	RE(EEXIST, rump_sys_mkdir(".", 0755));
	RE(EEXIST, rump_sys_mkdir("..", 0755));
	RE(ENOENT, rump_sys_mkdir("no/d", 0755));
	RE(ENOTDIR, rump_sys_mkdir("f/d", 0755));
	RE(ENOENT, rump_sys_mkdir("", 0755));

	RL(rump_sys_mkdir("d/e", 0755));
	mkfile("d/e/f", "");
	RE2(ENOTEMPTY, EEXIST, rump_sys_rmdir("d"));
	RE2(ENOTEMPTY, EEXIST, rump_sys_rmdir("d/e"));
	RL(rump_sys_unlink("d/e/f"));
	RE(EINVAL, rump_sys_rmdir("d/e/."));
	RL(rump_sys_chdir("d/e"));
	RE(EINVAL, rump_sys_rmdir("."));
	RE(EINVAL, rump_sys_rmdir("./"));
	RE2(ENOTEMPTY, EEXIST, rump_sys_rmdir(".."));
	enter(mnt);
	RL(rump_sys_rmdir("d/e"));
	RE(ENOENT, rump_sys_stat("d/e", &sb));
	ATF_REQUIRE_EQ(xstat("d").st_nlink, 2);
	RE(ENOTDIR, rump_sys_rmdir("f"));
	RE(ENOENT, rump_sys_rmdir("nothere"));
	RL(rump_sys_rmdir("d"));
	RE(ENOENT, rump_sys_rmdir("d"));

	/* mkdirat relative to a directory descriptor. */
	RL(rump_sys_mkdir("base", 0755));
	{
		int dfd = RL(rump_sys_open("base", O_RDONLY | O_DIRECTORY));

		RL(rump_sys_mkdirat(dfd, "sub", 0700));
		RE(EEXIST, rump_sys_mkdirat(dfd, "sub", 0700));
		RL(rump_sys_close(dfd));
	}
	ATF_REQUIRE_EQ(xstat("base/sub").st_mode & 07777, 0700);

	/* A removed directory that is still open takes no new entries. */
	RL(rump_sys_mkdir("gone", 0755));
	{
		int dfd = RL(rump_sys_open("gone", O_RDONLY | O_DIRECTORY));

		RL(rump_sys_rmdir("gone"));
		RL(rump_sys_fstat(dfd, &sb));
		ATF_REQUIRE_EQ(sb.st_nlink, 0);
		RE(ENOENT, rump_sys_openat(dfd, "new", O_RDWR | O_CREAT,
		    0644));
		RE(ENOENT, rump_sys_mkdirat(dfd, "new", 0755));
		RL(rump_sys_close(dfd));
	}
	leave();
}

FSTEST(rmdir_mountpoint, "a mount point cannot be removed or renamed (EBUSY)")
{

	RE(EBUSY, rump_sys_rmdir(mnt));
	RE(EISDIR, rump_sys_unlink(mnt));
	ATF_REQUIRE(exists(mnt));
	/* Its root, as ".": Linux says EINVAL for ".", POSIX allows EBUSY. */
	enter(mnt);
	RE2(EBUSY, EINVAL, rump_sys_rmdir("."));
	leave();
	ATF_REQUIRE(exists(mnt));
	/* "/" too. */
	RE(EBUSY, rump_sys_rmdir("/"));
	/* Renaming it, or over it. */
	RL(rump_sys_mkdir("/empty", 0755));
	RE(EBUSY, rump_sys_rename(mnt, "/elsewhere"));
	RE(EBUSY, rump_sys_rename("/empty", mnt));
	ATF_REQUIRE(exists(mnt));
	ATF_REQUIRE(!exists("/elsewhere"));
	RL(rump_sys_rmdir("/empty"));
}

FSTEST(unlink, "unlink(), unlinkat(), and files that stay open")
{
	char buf[8];
	struct stat sb;
	int fd, dfd;

	enter(mnt);
	mkfile("f", "keep");
	fd = RL(rump_sys_open("f", O_RDWR));
	RL(rump_sys_unlink("f"));
	ATF_REQUIRE(!exists("f"));
	RE(ENOENT, rump_sys_unlink("f"));
	/* The open file lives on without a name. */
	sb = xfstat(fd);
	ATF_REQUIRE_EQ(sb.st_nlink, 0);
	ATF_REQUIRE_EQ(RL(rump_sys_pread(fd, buf, sizeof(buf), 0)), 4);
	ATF_REQUIRE(memcmp(buf, "keep", 4) == 0);
	xpwrite(fd, "more", 4, 4);
	ATF_REQUIRE_EQ(xfstat(fd).st_size, 8);
	/* A new file of that name is another file. */
	mkfile("f", "");
	ATF_REQUIRE(xstat("f").st_ino != sb.st_ino);
	ATF_REQUIRE_EQ(xfstat(fd).st_size, 8);
	RL(rump_sys_close(fd));

	/* Directories: unlink() refuses (Linux: EISDIR; POSIX: EPERM). */
	RL(rump_sys_mkdir("d", 0755));
	RE(EISDIR, rump_sys_unlink("d"));
	ATF_REQUIRE(exists("d"));
	RE(ENOTDIR, rump_sys_unlink("f/"));
	RE(ENOENT, rump_sys_unlink(""));

	dfd = RL(rump_sys_open(".", O_RDONLY | O_DIRECTORY));
	RE(EISDIR, rump_sys_unlinkat(dfd, "d", 0));
	RE(ENOTDIR, rump_sys_unlinkat(dfd, "f", AT_REMOVEDIR));
	RE(EINVAL, rump_sys_unlinkat(dfd, "f", 0x40000000));
	RL(rump_sys_unlinkat(dfd, "d", AT_REMOVEDIR));
	RL(rump_sys_unlinkat(dfd, "f", 0));
	ATF_REQUIRE(!exists("d"));
	ATF_REQUIRE(!exists("f"));
	RL(rump_sys_close(dfd));
	RL(rump_sys_mkdir("e", 0755));
	dfd = RL(rump_sys_open("e", O_RDONLY | O_DIRECTORY));
	RE(EINVAL, rump_sys_unlinkat(dfd, ".", AT_REMOVEDIR));
	RE2(EISDIR, EINVAL, rump_sys_unlinkat(dfd, ".", 0));
	RL(rump_sys_close(dfd));
	ATF_REQUIRE(exists("e"));
	leave();
}

FSTEST(rename_file, "rename() of files: move, replace, keep the inode")
{
	struct stat a, b, sb;
	int fd;

	enter(mnt);
	mkfile("a", "AAA");
	mkfile("b", "BB");
	RL(rump_sys_mkdir("d", 0755));
	a = xstat("a");
	b = xstat("b");
	/* A plain move keeps the file. */
	RL(rump_sys_rename("a", "d/a2"));
	ATF_REQUIRE(!exists("a"));
	ATF_REQUIRE_EQ(xstat("d/a2").st_ino, a.st_ino);
	checkfile("d/a2", "AAA");
	/* Replacing: the target's old file goes, unless it is open. */
	fd = RL(rump_sys_open("b", O_RDONLY));
	RL(rump_sys_rename("d/a2", "b"));
	ATF_REQUIRE(!exists("d/a2"));
	sb = xstat("b");
	ATF_REQUIRE_EQ(sb.st_ino, a.st_ino);
	ATF_REQUIRE_EQ(sb.st_nlink, 1);
	checkfile("b", "AAA");
	sb = xfstat(fd);
	ATF_REQUIRE_EQ(sb.st_ino, b.st_ino);
	ATF_REQUIRE_EQ(sb.st_nlink, 0);
	checkat(fd, 0, "BB", 2);
	RL(rump_sys_close(fd));
	/* Errors. */
	RE(ENOENT, rump_sys_rename("nothere", "x"));
	RE(ENOENT, rump_sys_rename("b", "nodir/x"));
	RE(ENOTDIR, rump_sys_rename("b", "b/x"));
	RE(ENOENT, rump_sys_rename("", "x"));
	RE(ENOENT, rump_sys_rename("b", ""));
	checkfile("b", "AAA");
	/* renameat relative to directory descriptors. */
	{
		int d1 = RL(rump_sys_open(".", O_RDONLY | O_DIRECTORY));
		int d2 = RL(rump_sys_open("d", O_RDONLY | O_DIRECTORY));

		RL(rump_sys_renameat(d1, "b", d2, "c"));
		RL(rump_sys_close(d1));
		RL(rump_sys_close(d2));
	}
	checkfile("d/c", "AAA");
	leave();
}

FSTEST(rename_dir, "rename() of directories: \"..\" and link counts follow")
{
	struct stat sb;

	enter(mnt);
	RL(rump_sys_mkdir("p1", 0755));
	RL(rump_sys_mkdir("p2", 0755));
	RL(rump_sys_mkdir("p1/d", 0755));
	mkfile("p1/d/f", "inside");
	ATF_REQUIRE_EQ(xstat("p1").st_nlink, 3);
	ATF_REQUIRE_EQ(xstat("p2").st_nlink, 2);
	RL(rump_sys_rename("p1/d", "p2/e"));
	ATF_REQUIRE(!exists("p1/d"));
	checkfile("p2/e/f", "inside");
	ATF_REQUIRE_EQ(xstat("p1").st_nlink, 2);
	ATF_REQUIRE_EQ(xstat("p2").st_nlink, 3);
	ATF_REQUIRE_EQ(xstat("p2/e").st_nlink, 2);
	ATF_REQUIRE_EQ(xstat("p2/e/..").st_ino, xstat("p2").st_ino);
	/* Within one directory. */
	RL(rump_sys_rename("p2/e", "p2/g"));
	ATF_REQUIRE_EQ(xstat("p2").st_nlink, 3);
	ATF_REQUIRE_EQ(xstat("p2/g/..").st_ino, xstat("p2").st_ino);
	/* Replacing an empty directory. */
	RL(rump_sys_mkdir("p1/empty", 0755));
	sb = xstat("p2/g");
	RL(rump_sys_rename("p2/g", "p1/empty"));
	ATF_REQUIRE_EQ(xstat("p1/empty").st_ino, sb.st_ino);
	ATF_REQUIRE_EQ(xstat("p1").st_nlink, 3);
	ATF_REQUIRE_EQ(xstat("p2").st_nlink, 2);
	ATF_REQUIRE_EQ(xstat("p1/empty/..").st_ino, xstat("p1").st_ino);
	checkfile("p1/empty/f", "inside");
	/* ... but not one with something in it. */
	RL(rump_sys_mkdir("p2/full", 0755));
	mkfile("p2/full/x", "");
	RE2(ENOTEMPTY, EEXIST, rump_sys_rename("p1/empty", "p2/full"));
	checkfile("p1/empty/f", "inside");
	/* A directory to the top of the mount and back. */
	RL(rump_sys_rename("p1/empty", "top"));
	ATF_REQUIRE_EQ(xstat("top/..").st_ino, xstat(".").st_ino);
	RL(rump_sys_rename("top", "p2/full/deeper"));
	checkfile("p2/full/deeper/f", "inside");
	ATF_REQUIRE_EQ(xstat("p2/full").st_nlink, 3);
	leave();
}

FSTEST(rename_errors, "rename(): below itself, type mismatches, \".\"")
{

	enter(mnt);
	RL(rump_sys_mkdir("d", 0755));
	RL(rump_sys_mkdir("d/sub", 0755));
	RL(rump_sys_mkdir("e", 0755));
	mkfile("f", "file");
	/* Below itself. */
	RE(EINVAL, rump_sys_rename("d", "d/sub/x"));
	RE(EINVAL, rump_sys_rename("d", "d/x"));
	/* POSIX: EINVAL for a last component "." or ".."; Linux: EBUSY. */
	RE2(EINVAL, EBUSY, rump_sys_rename(".", "x"));
	RE2(EINVAL, EBUSY, rump_sys_rename("d/.", "x"));
	RE2(EINVAL, EBUSY, rump_sys_rename("d/sub/..", "x"));
	RE2(EINVAL, EBUSY, rump_sys_rename("e", "."));
	/* A directory onto a file, a file onto a directory. */
	RE(ENOTDIR, rump_sys_rename("e", "f"));
	RE(EISDIR, rump_sys_rename("f", "e"));
	/* An ancestor onto a descendant's empty directory. */
	RE2(EINVAL, ENOTEMPTY, rump_sys_rename("d", "d/sub"));
	ATF_REQUIRE(S_ISDIR(xstat("d/sub").st_mode));
	ATF_REQUIRE(S_ISDIR(xstat("e").st_mode));
	checkfile("f", "file");
	/* A descendant onto its ancestor: the ancestor is not empty. */
	RE2(ENOTEMPTY, EEXIST, rump_sys_rename("d/sub", "d"));
	leave();
}

/*
 * Threads renaming, making and removing directories and files in one
 * tree at once: no deadlock (the test would time out), no error other
 * than the expected ones, and a consistent tree at the end.
 */
#define STRESS_THREADS	8
#define STRESS_ITERS	20000

struct stress {
	const char	*top;
	uint64_t	rng;
	int		error;
	char		what[300];
};

static uint64_t
stress_rnd(struct stress *s)
{

	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

/* A random path: a directory d0..d2, maybe e0..e2 below, maybe more. */
static void
stress_path(struct stress *s, char *buf, size_t len, bool file)
{
	int depth = (int)(stress_rnd(s) % 3);
	size_t n;

	n = (size_t)snprintf(buf, len, "%s/d%d", s->top,
	    (int)(stress_rnd(s) % 3));
	while (depth-- > 0)
		n += (size_t)snprintf(buf + n, len - n, "/e%d",
		    (int)(stress_rnd(s) % 3));
	if (file)
		snprintf(buf + n, len - n, "/f%d", (int)(stress_rnd(s) % 3));
}

static void *
stress_thread(void *arg)
{
	struct stress *s = arg;
	char a[128], b[128];
	int i, r, e, fd;

	for (i = 0; i < STRESS_ITERS && s->error == 0; i++) {
		switch (stress_rnd(s) % 6) {
		case 0:
			stress_path(s, a, sizeof(a), false);
			stress_path(s, b, sizeof(b), false);
			r = rump_sys_rename(a, b);
			break;
		case 1:
			stress_path(s, a, sizeof(a), true);
			stress_path(s, b, sizeof(b), true);
			r = rump_sys_rename(a, b);
			break;
		case 2:
			stress_path(s, a, sizeof(a), false);
			snprintf(b, sizeof(b), "-");
			r = rump_sys_mkdir(a, 0755);
			break;
		case 3:
			stress_path(s, a, sizeof(a), false);
			snprintf(b, sizeof(b), "-");
			r = rump_sys_rmdir(a);
			break;
		case 4:
			stress_path(s, a, sizeof(a), true);
			snprintf(b, sizeof(b), "-");
			fd = rump_sys_open(a, O_RDWR | O_CREAT, 0644);
			r = fd == -1 ? -1 : rump_sys_close(fd);
			break;
		default:
			stress_path(s, a, sizeof(a), true);
			snprintf(b, sizeof(b), "-");
			r = rump_sys_unlink(a);
			break;
		}
		e = errno;
		if (r == -1 && e != ENOENT && e != EEXIST && e != ENOTEMPTY &&
		    e != EINVAL && e != ENOTDIR && e != EISDIR) {
			s->error = e;
			if (snprintf(s->what, sizeof(s->what), "%s %s", a, b) < 0)
				s->what[0] = '\0';
		}
	}
	return NULL;
}

/*
 * Check the directory name in pfd and everything below it, then remove
 * it: ".." is the parent, the link count is 2 plus the subdirectories.
 * Relative to descriptors, as renames may have nested it deeply.
 */
static void
stress_check_remove(int pfd, const char *name, ino_t parent, int depth)
{
	struct dent *d;
	struct stat sb, pb;
	size_t n, i;
	int fd, ndirs = 0;

	ATF_REQUIRE_MSG(depth < 5000, "a directory 5000 deep: a cycle?");
	ATF_REQUIRE((d = calloc(64, sizeof(*d))) != NULL);
	fd = RL(rump_sys_openat(pfd, name, O_RDONLY | O_DIRECTORY));
	sb = xfstat(fd);
	RL(rump_sys_fstatat(fd, "..", &pb, 0));
	ATF_REQUIRE_EQ_MSG(pb.st_ino, parent, "%s at depth %d: \"..\" is "
	    "inode %llu, the parent %llu", name, depth,
	    (unsigned long long)pb.st_ino, (unsigned long long)parent);
	n = list_fd(fd, 4096, d, 64);
	for (i = 0; i < n; i++) {
		if (strcmp(d[i].d_name, ".") == 0 ||
		    strcmp(d[i].d_name, "..") == 0)
			continue;
		if (d[i].d_type == DT_DIR) {
			ndirs++;
			stress_check_remove(fd, d[i].d_name, sb.st_ino,
			    depth + 1);
		} else {
			ATF_REQUIRE_EQ(d[i].d_type, DT_REG);
			RL(rump_sys_unlinkat(fd, d[i].d_name, 0));
		}
	}
	ATF_REQUIRE_EQ_MSG((int)sb.st_nlink, 2 + ndirs,
	    "%s at depth %d: %d links with %d subdirectories", name, depth,
	    (int)sb.st_nlink, ndirs);
	RL(rump_sys_close(fd));
	RL(rump_sys_unlinkat(pfd, name, AT_REMOVEDIR));
	free(d);
}

FSTEST(rename_stress, "threads renaming one tree at once: no deadlock, a sane tree",
    .ft_timeout = 120)
{
	struct stress s[STRESS_THREADS];
	pthread_t t[STRESS_THREADS];
	char top[64], d[80];
	int i, dfd;

	snprintf(top, sizeof(top), "%s/s", mnt);
	RL(rump_sys_mkdir(top, 0755));
	for (i = 0; i < 3; i++) {
		snprintf(d, sizeof(d), "%s/d%d", top, i);
		RL(rump_sys_mkdir(d, 0755));
	}
	for (i = 0; i < STRESS_THREADS; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		s[i].top = top;
		s[i].rng = 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1);
		ATF_REQUIRE_EQ(pthread_create(&t[i], NULL, stress_thread,
		    &s[i]), 0);
	}
	for (i = 0; i < STRESS_THREADS; i++)
		ATF_REQUIRE_EQ(pthread_join(t[i], NULL), 0);
	for (i = 0; i < STRESS_THREADS; i++)
		ATF_REQUIRE_MSG(s[i].error == 0, "thread %d: %s: %s", i,
		    s[i].what, strerror(s[i].error));
	dfd = RL(rump_sys_open(mnt, O_RDONLY | O_DIRECTORY));
	stress_check_remove(dfd, "s", xfstat(dfd).st_ino, 0);
	RL(rump_sys_close(dfd));
}

/*
 * Threads writing disjoint blocks of one file through their own
 * descriptors (of one shared table) and reading them back: every byte
 * where it belongs, however the writes interleave.
 */
#define CIO_THREADS	4
#define CIO_BLOCKS	64
#define CIO_BLKSZ	12288

struct cio {
	const char	*path;
	int		id;
	int		error;
	char		what[64];
};

static void
cio_fill(char *buf, int block, int round)
{
	int i;

	for (i = 0; i < CIO_BLKSZ; i++)
		buf[i] = (char)(block * 31 + round * 7 + i / 512);
}

static void *
cio_thread(void *arg)
{
	struct cio *c = arg;
	char *buf, *got;
	int fd, round, b;

	buf = malloc(CIO_BLKSZ);
	got = malloc(CIO_BLKSZ);
	if (buf == NULL || got == NULL) {
		c->error = ENOMEM;
		goto out;
	}
	if ((fd = rump_sys_open(c->path, O_RDWR)) == -1) {
		c->error = errno;
		snprintf(c->what, sizeof(c->what), "open");
		goto out;
	}
	for (round = 0; round < 4; round++) {
		for (b = c->id; b < CIO_BLOCKS; b += CIO_THREADS) {
			cio_fill(buf, b, round);
			if (rump_sys_pwrite(fd, buf, CIO_BLKSZ,
			    (off_t)b * CIO_BLKSZ) != CIO_BLKSZ) {
				c->error = errno != 0 ? errno : EIO;
				snprintf(c->what, sizeof(c->what),
				    "pwrite of block %d", b);
				break;
			}
			if (rump_sys_pread(fd, got, CIO_BLKSZ,
			    (off_t)b * CIO_BLKSZ) != CIO_BLKSZ ||
			    memcmp(buf, got, CIO_BLKSZ) != 0) {
				c->error = EIO;
				snprintf(c->what, sizeof(c->what),
				    "block %d read back wrong", b);
				break;
			}
		}
		if (c->error != 0)
			break;
	}
	rump_sys_close(fd);
out:
	free(buf);
	free(got);
	return NULL;
}

FSTEST(concurrent_io, "threads writing disjoint blocks of one file: nothing lost")
{
	struct cio c[CIO_THREADS];
	pthread_t t[CIO_THREADS];
	char path[128], *want;
	int i, b, fd;

	snprintf(path, sizeof(path), "%s/shared", mnt);
	mkfile(path, "");
	for (i = 0; i < CIO_THREADS; i++) {
		memset(&c[i], 0, sizeof(c[i]));
		c[i].path = path;
		c[i].id = i;
		ATF_REQUIRE_EQ(pthread_create(&t[i], NULL, cio_thread, &c[i]),
		    0);
	}
	for (i = 0; i < CIO_THREADS; i++)
		ATF_REQUIRE_EQ(pthread_join(t[i], NULL), 0);
	for (i = 0; i < CIO_THREADS; i++)
		ATF_REQUIRE_MSG(c[i].error == 0, "thread %d: %s: %s", i,
		    c[i].what, strerror(c[i].error));
	ATF_REQUIRE((want = malloc(CIO_BLKSZ)) != NULL);
	fd = RL(rump_sys_open(path, O_RDONLY));
	ATF_REQUIRE_EQ(xfstat(fd).st_size, (off_t)CIO_BLOCKS * CIO_BLKSZ);
	for (b = 0; b < CIO_BLOCKS; b++) {
		cio_fill(want, b, 3);
		checkat(fd, (off_t)b * CIO_BLKSZ, want, CIO_BLKSZ);
	}
	RL(rump_sys_close(fd));
	free(want);
}

/* Threads racing to create the same names with O_EXCL: one wins each. */
#define EXCL_THREADS	4
#define EXCL_NAMES	300

struct excl {
	const char	*dir;
	int		id;
	int		wins;
	int		error;
};

static void *
excl_thread(void *arg)
{
	struct excl *x = arg;
	char path[128];
	int k, fd;

	for (k = 0; k < EXCL_NAMES && x->error == 0; k++) {
		snprintf(path, sizeof(path), "%s/n%d", x->dir, k);
		fd = rump_sys_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd == -1) {
			if (errno != EEXIST)
				x->error = errno;
			continue;
		}
		x->wins++;
		if (rump_sys_write(fd, &x->id, sizeof(x->id)) !=
		    sizeof(x->id))
			x->error = EIO;
		rump_sys_close(fd);
	}
	return NULL;
}

FSTEST(excl_race, "O_CREAT|O_EXCL races: exactly one creator per name")
{
	struct excl x[EXCL_THREADS];
	pthread_t t[EXCL_THREADS];
	struct dent *d;
	char dir[64], path[128];
	int i, k, total, id, fd;
	size_t n;

	snprintf(dir, sizeof(dir), "%s/race", mnt);
	RL(rump_sys_mkdir(dir, 0755));
	for (i = 0; i < EXCL_THREADS; i++) {
		memset(&x[i], 0, sizeof(x[i]));
		x[i].dir = dir;
		x[i].id = i;
		ATF_REQUIRE_EQ(pthread_create(&t[i], NULL, excl_thread, &x[i]),
		    0);
	}
	total = 0;
	for (i = 0; i < EXCL_THREADS; i++) {
		ATF_REQUIRE_EQ(pthread_join(t[i], NULL), 0);
		ATF_REQUIRE_MSG(x[i].error == 0, "thread %d: %s", i,
		    strerror(x[i].error));
		total += x[i].wins;
	}
	ATF_REQUIRE_EQ_MSG(total, EXCL_NAMES, "%d creations won for %d names",
	    total, EXCL_NAMES);
	/* Each file holds its one creator's id; the directory lists each. */
	for (k = 0; k < EXCL_NAMES; k++) {
		snprintf(path, sizeof(path), "%s/n%d", dir, k);
		fd = RL(rump_sys_open(path, O_RDONLY));
		ATF_REQUIRE_EQ(RL(rump_sys_read(fd, &id, sizeof(id))),
		    sizeof(id));
		ATF_REQUIRE(id >= 0 && id < EXCL_THREADS);
		ATF_REQUIRE_EQ(xfstat(fd).st_size, sizeof(id));
		RL(rump_sys_close(fd));
	}
	ATF_REQUIRE((d = calloc(EXCL_NAMES + 8, sizeof(*d))) != NULL);
	n = list_dir(dir, d, EXCL_NAMES + 8);
	ATF_REQUIRE_EQ(n, EXCL_NAMES + 2);
	free(d);
}

FSTEST(rename_self, "rename() onto itself and between links of one file is a no-op")
{
	struct stat sb;

	enter(mnt);
	mkfile("f", "data");
	sb = xstat("f");
	RL(rump_sys_rename("f", "f"));
	ATF_REQUIRE_EQ(xstat("f").st_ino, sb.st_ino);
	checkfile("f", "data");
	RL(rump_sys_mkdir("d", 0755));
	RL(rump_sys_rename("d", "d"));
	RL(rump_sys_rename("d", "./d"));
	ATF_REQUIRE(S_ISDIR(xstat("d").st_mode));
	if (fs->fs_flags & FS_HAS_HARDLINKS) {
		/* POSIX: both names stay, nothing changes. */
		RL(rump_sys_link("f", "g"));
		RL(rump_sys_rename("f", "g"));
		ATF_REQUIRE_EQ(xstat("f").st_ino, sb.st_ino);
		ATF_REQUIRE_EQ(xstat("g").st_ino, sb.st_ino);
		ATF_REQUIRE_EQ(xstat("f").st_nlink, 2);
		RL(rump_sys_link("f", "d/h"));
		RL(rump_sys_rename("d/h", "f"));
		ATF_REQUIRE(exists("d/h"));
		ATF_REQUIRE_EQ(xstat("f").st_nlink, 3);
	}
	checkfile("f", "data");
	leave();
}

FSTEST(renameat2, "renameat2(): RENAME_NOREPLACE refuses an existing "
    "target (EEXIST), moves otherwise; the other flags are EINVAL")
{
	struct stat sb;

	enter(mnt);
	mkfile("a", "A");
	mkfile("b", "B");
	RL(rump_sys_mkdir("d", 0755));
	sb = xstat("a");
	RE(EEXIST, rump_sys_renameat2(AT_FDCWD, "a", AT_FDCWD, "b",
	    RENAME_NOREPLACE));
	checkfile("a", "A");
	checkfile("b", "B");
	/* An existing target is judged before the types (Linux). */
	RE(EEXIST, rump_sys_renameat2(AT_FDCWD, "d", AT_FDCWD, "b",
	    RENAME_NOREPLACE));
	RE(EEXIST, rump_sys_renameat2(AT_FDCWD, "a", AT_FDCWD, "a",
	    RENAME_NOREPLACE));
	RE(ENOENT, rump_sys_renameat2(AT_FDCWD, "none", AT_FDCWD, "c",
	    RENAME_NOREPLACE));
	RL(rump_sys_renameat2(AT_FDCWD, "a", AT_FDCWD, "d/c",
	    RENAME_NOREPLACE));
	ATF_REQUIRE(!exists("a"));
	ATF_REQUIRE_EQ(xstat("d/c").st_ino, sb.st_ino);
	checkfile("d/c", "A");
	RL(rump_sys_renameat2(AT_FDCWD, "d/c", AT_FDCWD, "b", 0));
	checkfile("b", "A");
	RE(EINVAL, rump_sys_renameat2(AT_FDCWD, "b", AT_FDCWD, "d",
	    RENAME_EXCHANGE));
	RE(EINVAL, rump_sys_renameat2(AT_FDCWD, "b", AT_FDCWD, "e",
	    RENAME_WHITEOUT));
	RE(EINVAL, rump_sys_renameat2(AT_FDCWD, "b", AT_FDCWD, "e", 0x100));
	checkfile("b", "A");
	leave();
}

FSTEST(rename_xdev, "rename() and link() across mounts are EXDEV")
{
	char other[64], f[64], d[64];

	/* mnt/f, mnt/d; a second instance at mnt2; /rootfile on "/". */
	snprintf(other, sizeof(other), "%s2", mnt);
	snprintf(f, sizeof(f), "%s/f", mnt);
	snprintf(d, sizeof(d), "%s/d", mnt);
	RZ(fstest_mount(fs, other, NULL));
	mkfile(f, "here");
	RL(rump_sys_mkdir(d, 0755));
	mkfile("/rootfile", "root");
	enter(other);
	RE(EXDEV, rump_sys_rename(f, "f"));
	RE(EXDEV, rump_sys_rename(d, "d"));
	RE(EXDEV, rump_sys_rename("/rootfile", "rootfile"));
	RE(EXDEV, rump_sys_rename(f, "/moved"));
	if (fs->fs_flags & FS_HAS_HARDLINKS) {
		RE(EXDEV, rump_sys_link(f, "f"));
		RE(EXDEV, rump_sys_link("/rootfile", "rootfile"));
	}
	ATF_REQUIRE(exists(f));
	ATF_REQUIRE(exists(d));
	ATF_REQUIRE(!exists("f"));
	ATF_REQUIRE(!exists("rootfile"));
	ATF_REQUIRE(!exists("/moved"));
	leave();
	RL(rump_sys_unlink("/rootfile"));
	RZ(fstest_unmount(other, 0));
}

FSTEST(link, "link() and linkat(): link counts, ctime, errors",
    .ft_needs = FS_HAS_HARDLINKS)
{
	struct stat s1, s2;
	int dfd;

	enter(mnt);
	mkfile("f", "shared");
	s1 = xstat("f");
	ATF_REQUIRE_EQ(s1.st_nlink, 1);
	tick(fs);
	RL(rump_sys_link("f", "g"));
	s2 = xstat("g");
	ATF_REQUIRE_EQ(s2.st_ino, s1.st_ino);
	ATF_REQUIRE_EQ(s2.st_nlink, 2);
	ATF_REQUIRE(tscmp(s2.st_ctim, s1.st_ctim) > 0);
	RL(rump_sys_mkdir("d", 0755));
	RL(rump_sys_link("g", "d/h"));
	ATF_REQUIRE_EQ(xstat("f").st_nlink, 3);
	/* One file: a write through one name shows through the others. */
	mkfile("d/h", "changed");
	checkfile("f", "changed");
	RL(rump_sys_unlink("f"));
	ATF_REQUIRE_EQ(xstat("g").st_nlink, 2);
	RL(rump_sys_unlink("g"));
	ATF_REQUIRE_EQ(xstat("d/h").st_nlink, 1);
	checkfile("d/h", "changed");

	/* Errors: directories (Linux: EPERM), existing names, missing. */
	RE(EPERM, rump_sys_link("d", "d2"));
	RE(EEXIST, rump_sys_link("d/h", "d"));
	mkfile("x", "");
	RE(EEXIST, rump_sys_link("d/h", "x"));
	RE(ENOENT, rump_sys_link("nothere", "y"));
	RE(ENOENT, rump_sys_link("x", "nodir/y"));
	RE(ENOTDIR, rump_sys_link("x/", "y"));

	/* linkat: relative names, and symbolic links followed on request. */
	dfd = RL(rump_sys_open("d", O_RDONLY | O_DIRECTORY));
	RL(rump_sys_linkat(dfd, "h", AT_FDCWD, "viaat", 0));
	ATF_REQUIRE_EQ(xstat("viaat").st_ino, xstat("d/h").st_ino);
	if (fs->fs_flags & FS_HAS_SYMLINKS) {
		RL(rump_sys_symlink("h", "d/sym"));
		/* Without AT_SYMLINK_FOLLOW the link itself is linked. */
		RL(rump_sys_linkat(dfd, "sym", AT_FDCWD, "sym2", 0));
		ATF_REQUIRE(S_ISLNK(xlstat("sym2").st_mode));
		ATF_REQUIRE_EQ(xlstat("sym2").st_ino, xlstat("d/sym").st_ino);
		RL(rump_sys_linkat(dfd, "sym", AT_FDCWD, "target2",
		    AT_SYMLINK_FOLLOW));
		ATF_REQUIRE(S_ISREG(xlstat("target2").st_mode));
		ATF_REQUIRE_EQ(xlstat("target2").st_ino,
		    xstat("d/h").st_ino);
	}
	RE(EINVAL, rump_sys_linkat(dfd, "h", AT_FDCWD, "bad", 0x40000000));
	RL(rump_sys_close(dfd));
	leave();
}

FSTEST(symlink_readlink, "symlink() and readlink(): contents, truncation, errors",
    .ft_needs = FS_HAS_SYMLINKS)
{
	char buf[1100], target[1024];
	int dfd;

	enter(mnt);
	RL(rump_sys_symlink("some/where", "l"));
	memset(buf, 'X', sizeof(buf));
	/* No NUL is added. */
	ATF_REQUIRE_EQ(RL(rump_sys_readlink("l", buf, sizeof(buf))), 10);
	ATF_REQUIRE(memcmp(buf, "some/where", 10) == 0);
	ATF_REQUIRE_EQ(buf[10], 'X');
	/* A short buffer gets the start of the target. */
	memset(buf, 'X', sizeof(buf));
	ATF_REQUIRE_EQ(RL(rump_sys_readlink("l", buf, 4)), 4);
	ATF_REQUIRE(memcmp(buf, "someX", 5) == 0);
	ATF_REQUIRE_EQ(RL(rump_sys_readlink("l", buf, 10)), 10);
	RE(EINVAL, rump_sys_readlink("l", buf, 0));
	/* Not a link. */
	mkfile("f", "");
	RE(EINVAL, rump_sys_readlink("f", buf, sizeof(buf)));
	RE(EINVAL, rump_sys_readlink(".", buf, sizeof(buf)));
	RE(ENOENT, rump_sys_readlink("nothere", buf, sizeof(buf)));
	/* A link to a link is read, not followed. */
	RL(rump_sys_symlink("l", "l2"));
	ATF_REQUIRE_EQ(RL(rump_sys_readlink("l2", buf, sizeof(buf))), 1);
	ATF_REQUIRE_EQ(buf[0], 'l');
	/* Existing names. */
	RE(EEXIST, rump_sys_symlink("x", "f"));
	RE(EEXIST, rump_sys_symlink("x", "l"));
	RE(EEXIST, rump_sys_symlink("x", "."));
	/* An empty target is ENOENT (Linux). */
	RE(ENOENT, rump_sys_symlink("", "empty"));
	/* The longest target: 1023 bytes. */
	memset(target, 'a', sizeof(target));
	target[1023] = '\0';
	RL(rump_sys_symlink(target, "long"));
	ATF_REQUIRE_EQ(RL(rump_sys_readlink("long", buf, sizeof(buf))),
	    1023);
	ATF_REQUIRE(memcmp(buf, target, 1023) == 0);
	ATF_REQUIRE_EQ(xlstat("long").st_size, 1023);
	/* symlinkat and readlinkat. */
	RL(rump_sys_mkdir("d", 0755));
	dfd = RL(rump_sys_open("d", O_RDONLY | O_DIRECTORY));
	RL(rump_sys_symlinkat("../f", dfd, "up"));
	ATF_REQUIRE_EQ(RL(rump_sys_readlinkat(dfd, "up", buf, sizeof(buf))),
	    4);
	ATF_REQUIRE(memcmp(buf, "../f", 4) == 0);
	ATF_REQUIRE_EQ(RL(rump_sys_readlinkat(AT_FDCWD, "d/up", buf,
	    sizeof(buf))), 4);
	/* The target is relative to the link's directory. */
	ATF_REQUIRE_EQ(xstat("d/up").st_ino, xstat("f").st_ino);
	RL(rump_sys_close(dfd));
	/* Following links in the middle and at the end. */
	RL(rump_sys_symlink("d", "ld"));
	ATF_REQUIRE_EQ(xstat("ld/up").st_ino, xstat("f").st_ino);
	RL(rump_sys_symlink("/", "toroot"));
	ATF_REQUIRE_EQ(xstat("toroot").st_ino, xstat("/").st_ino);
	RL(rump_sys_symlink(mnt, "tomnt"));
	ATF_REQUIRE_EQ(xstat("tomnt/f").st_ino, xstat("f").st_ino);
	leave();
}

FSTEST(symlink_loop, "ELOOP: a loop, and a chain longer than MAXSYMLINKS (32)",
    .ft_needs = FS_HAS_SYMLINKS)
{
	char name[16], next[16];
	struct stat sb;
	int i, fd;

	enter(mnt);
	mkfile("target", "end");
	/*
	 * c0 -> c1 -> ... -> c40 -> target: opening cN follows 41 - N
	 * links.  The kernel allows MAXSYMLINKS = 40 (sys/sys/namei.h), as
	 * Linux does.
	 */
	for (i = 0; i <= 40; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		if (i == 40)
			snprintf(next, sizeof(next), "target");
		else
			snprintf(next, sizeof(next), "c%d", i + 1);
		RL(rump_sys_symlink(next, name));
	}
	fd = RL(rump_sys_open("c1", O_RDONLY));		/* 40 links */
	RL(rump_sys_close(fd));
	checkfile("c1", "end");
	RE(ELOOP, rump_sys_open("c0", O_RDONLY));	/* 41 links */
	RE(ELOOP, rump_sys_stat("c0", &sb));
	RL(rump_sys_lstat("c0", &sb));
	/* In the middle of a path too. */
	RL(rump_sys_mkdir("dir", 0755));
	RL(rump_sys_symlink("dir", "dlink"));
	RL(rump_sys_symlink("dlink", "dlink2"));
	mkfile("dir/x", "x");
	checkfile("dlink2/x", "x");
	/* Loops. */
	RL(rump_sys_symlink("self", "self"));
	RE(ELOOP, rump_sys_stat("self", &sb));
	RE(ELOOP, rump_sys_open("self", O_RDWR | O_CREAT, 0644));
	RL(rump_sys_symlink("pong", "ping"));
	RL(rump_sys_symlink("ping", "pong"));
	RE(ELOOP, rump_sys_stat("ping/x", &sb));
	RE(ELOOP, rump_sys_chdir("ping"));
	leave();
}

FSTEST(trailing_slash, "trailing slashes: only directories (or links to them)")
{
	struct stat sb;
	int fd;

	enter(mnt);
	mkfile("f", "");
	RE(ENOTDIR, rump_sys_open("f/", O_RDONLY));
	RE(ENOTDIR, rump_sys_stat("f/", &sb));
	RE(ENOTDIR, rump_sys_lstat("f/", &sb));
	RE(ENOTDIR, rump_sys_unlink("f/"));
	RE(ENOTDIR, rump_sys_rename("f/", "g"));
	RE(ENOTDIR, rump_sys_rename("f", "g/"));
	RE(ENOTDIR, rump_sys_access("f/", F_OK));
	ATF_REQUIRE(exists("f"));
	ATF_REQUIRE(!exists("g"));
	/* Creating a file with a trailing slash (Linux: EISDIR). */
	RE(EISDIR, rump_sys_open("new/", O_RDWR | O_CREAT, 0644));
	ATF_REQUIRE(!exists("new"));
	/* Directories take them. */
	RL(rump_sys_mkdir("d/", 0755));
	RL(rump_sys_mkdir("e//", 0755));
	ATF_REQUIRE(S_ISDIR(xstat("d/").st_mode));
	ATF_REQUIRE(S_ISDIR(xstat("d//").st_mode));
	fd = RL(rump_sys_open("d/", O_RDONLY));
	RL(rump_sys_close(fd));
	RL(rump_sys_rename("d/", "dd/"));
	ATF_REQUIRE(S_ISDIR(xstat("dd").st_mode));
	RL(rump_sys_rename("dd", "d2/"));
	RL(rump_sys_rename("d2/", "e/"));	/* replaces the empty e */
	ATF_REQUIRE(!exists("d2"));
	RL(rump_sys_rmdir("e/"));
	ATF_REQUIRE(!exists("e"));
	if (fs->fs_flags & FS_HAS_SYMLINKS) {
		/* A link to a directory, with a slash: the directory. */
		RL(rump_sys_mkdir("dir", 0755));
		RL(rump_sys_symlink("dir", "ldir"));
		RL(rump_sys_symlink("f", "lfile"));
		ATF_REQUIRE(S_ISDIR(xlstat("ldir/").st_mode));
		ATF_REQUIRE(S_ISLNK(xlstat("ldir").st_mode));
		RE(ENOTDIR, rump_sys_stat("lfile/", &sb));
	}
	leave();
}

FSTEST(dot_dotdot, "\".\" and \"..\", up through the mount point and at /")
{
	struct stat root, m, sb;
	char path[128];

	/* The mount point is a directory of "/". */
	ATF_REQUIRE(mnt[0] == '/' && strchr(mnt + 1, '/') == NULL);
	root = xstat("/");
	m = xstat(mnt);
	/* ".." of the mount's root is the covered directory's parent. */
	snprintf(path, sizeof(path), "%s/..", mnt);
	sb = xstat(path);
	ATF_REQUIRE_EQ(sb.st_ino, root.st_ino);
	ATF_REQUIRE_EQ(sb.st_dev, root.st_dev);
	snprintf(path, sizeof(path), "%s/.", mnt);
	sb = xstat(path);
	ATF_REQUIRE_EQ(sb.st_ino, m.st_ino);
	ATF_REQUIRE_EQ(sb.st_dev, m.st_dev);
	/* Never above "/". */
	sb = xstat("/..");
	ATF_REQUIRE_EQ(sb.st_ino, root.st_ino);
	ATF_REQUIRE_EQ(xstat("/../../..").st_ino, root.st_ino);
	enter(mnt);
	RL(rump_sys_mkdir("a", 0755));
	RL(rump_sys_mkdir("a/b", 0755));
	ATF_REQUIRE_EQ(xstat("a/b/..").st_ino, xstat("a").st_ino);
	ATF_REQUIRE_EQ(xstat("a/b/../..").st_ino, m.st_ino);
	ATF_REQUIRE_EQ(xstat("a/b/../../..").st_ino, root.st_ino);
	ATF_REQUIRE_EQ(xstat("a/./b/.").st_ino, xstat("a/b").st_ino);
	ATF_REQUIRE_EQ(xstat("..").st_ino, root.st_ino);
	/* Back down from the root's view of the mount point. */
	snprintf(path, sizeof(path), "..%s/a", mnt);
	ATF_REQUIRE_EQ(xstat(path).st_ino, xstat("a").st_ino);
	snprintf(path, sizeof(path), "..%s", mnt);
	ATF_REQUIRE_EQ(xstat(path).st_dev, m.st_dev);
	/* Creating or removing "." and "..". */
	RE2(EEXIST, EISDIR, rump_sys_open(".", O_RDONLY | O_CREAT | O_EXCL,
	    0644));
	RE2(EINVAL, ENOTEMPTY, rump_sys_rmdir("a/b/.."));
	RE2(EISDIR, EINVAL, rump_sys_unlink("."));
	ATF_REQUIRE(S_ISDIR(xstat("a/b").st_mode));
	leave();
}

FSTEST(name_too_long, "ENAMETOOLONG: names of 256 bytes, paths of 4096")
{
	char name[300], path[4200], comp[100];
	struct stat sb;
	size_t len;
	int fd, i;

	enter(mnt);
	memset(name, 'n', sizeof(name));
	name[255] = '\0';
	fd = RL(rump_sys_open(name, O_RDWR | O_CREAT, 0644));
	RL(rump_sys_close(fd));
	RL(rump_sys_stat(name, &sb));
	RL(rump_sys_unlink(name));
	RL(rump_sys_mkdir(name, 0755));
	RL(rump_sys_rmdir(name));
	name[255] = 'n';
	name[256] = '\0';
	RE(ENAMETOOLONG, rump_sys_open(name, O_RDWR | O_CREAT, 0644));
	RE(ENAMETOOLONG, rump_sys_mkdir(name, 0755));
	RE(ENAMETOOLONG, rump_sys_stat(name, &sb));
	mkfile("f", "");
	RE(ENAMETOOLONG, rump_sys_rename("f", name));
	if (fs->fs_flags & FS_HAS_SYMLINKS)
		RE(ENAMETOOLONG, rump_sys_symlink("f", name));

	/*
	 * Paths: MAXPATHLEN is 4096 with the NUL (Linux's PATH_MAX).  Make
	 * nested directories of 99-byte names (relative to "."), then a
	 * path of exactly 4095 bytes to a file, which works, and one of
	 * 4096, which does not.
	 */
	memset(comp, 'd', 99);
	comp[99] = '\0';
	path[0] = '\0';
	for (i = 0; i < 40; i++) {
		len = strlen(path);
		snprintf(path + len, sizeof(path) - len, "%s%s",
		    i == 0 ? "" : "/", comp);
		RL(rump_sys_mkdir(path, 0755));
	}
	len = strlen(path);		/* 40 * 99 + 39 = 3999 */
	ATF_REQUIRE_EQ(len, 3999);
	path[len] = '/';
	memset(path + len + 1, 'f', 4095 - len - 1);
	path[4095] = '\0';
	fd = RL(rump_sys_open(path, O_RDWR | O_CREAT, 0644));
	RL(rump_sys_close(fd));
	RL(rump_sys_stat(path, &sb));
	path[4095] = 'f';
	path[4096] = '\0';
	RE(ENAMETOOLONG, rump_sys_stat(path, &sb));
	RE(ENAMETOOLONG, rump_sys_open(path, O_RDWR | O_CREAT, 0644));
	RE(ENAMETOOLONG, rump_sys_mkdir(path, 0755));
	leave();
}

/* ------------------------------------------------------------------ */
/* Attributes.                                                         */

FSTEST(chmod, "chmod(), fchmod() and fchmodat() change permissions only",
    .ft_needs = FS_HAS_PERMS)
{
	struct stat sb;
	int fd, dfd;

	enter(mnt);
	mkfile("f", "abc");
	RL(rump_sys_chmod("f", 0741));
	sb = xstat("f");
	ATF_REQUIRE_EQ(sb.st_mode, S_IFREG | 0741);
	RL(rump_sys_chmod("f", 07777));
	ATF_REQUIRE_EQ(xstat("f").st_mode, S_IFREG | 07777);
	/* File type bits in the argument are ignored. */
	RL(rump_sys_chmod("f", S_IFDIR | 0600));
	ATF_REQUIRE_EQ(xstat("f").st_mode, S_IFREG | 0600);
	fd = RL(rump_sys_open("f", O_RDONLY));
	RL(rump_sys_fchmod(fd, 0444));
	ATF_REQUIRE_EQ(xfstat(fd).st_mode, S_IFREG | 0444);
	/* The open descriptor is not affected by the mode change. */
	RL(rump_sys_fchmod(fd, 0));
	checkat(fd, 0, "abc", 3);
	RL(rump_sys_close(fd));
	RL(rump_sys_mkdir("d", 0755));
	RL(rump_sys_chmod("d", 01777));
	ATF_REQUIRE_EQ(xstat("d").st_mode, S_IFDIR | 01777);
	dfd = RL(rump_sys_open(".", O_RDONLY | O_DIRECTORY));
	RL(rump_sys_fchmodat(dfd, "f", 0640, 0));
	ATF_REQUIRE_EQ(xstat("f").st_mode, S_IFREG | 0640);
	RE(EINVAL, rump_sys_fchmodat(dfd, "f", 0640, 0x40000000));
	RL(rump_sys_close(dfd));
	if (fs->fs_flags & FS_HAS_SYMLINKS) {
		/* chmod follows a link to its target. */
		RL(rump_sys_symlink("f", "l"));
		RL(rump_sys_chmod("l", 0604));
		ATF_REQUIRE_EQ(xstat("f").st_mode, S_IFREG | 0604);
	}
	RE(ENOENT, rump_sys_chmod("nothere", 0644));
	RE(EBADF, rump_sys_fchmod(-1, 0644));

	/* Only the owner (or root) may. */
	RL(rump_sys_chown("f", 100, 100));
	become(200, 200, 0, NULL);
	RE(EPERM, rump_sys_chmod("f", 0777));
	unbecome();
	become(100, 100, 0, NULL);
	RL(rump_sys_chmod("f", 0700));
	unbecome();
	ATF_REQUIRE_EQ(xstat("f").st_mode, S_IFREG | 0700);
	leave();
}

FSTEST(chown_root, "chown(), lchown(), fchown(), fchownat() as root",
    .ft_needs = FS_HAS_OWNERS)
{
	struct stat sb;
	int fd, dfd;

	enter(mnt);
	mkfile("f", "");
	RL(rump_sys_chown("f", 100, 200));
	sb = xstat("f");
	ATF_REQUIRE_EQ(sb.st_uid, 100);
	ATF_REQUIRE_EQ(sb.st_gid, 200);
	/* -1 leaves an id alone. */
	RL(rump_sys_chown("f", (uid_t)-1, 300));
	sb = xstat("f");
	ATF_REQUIRE_EQ(sb.st_uid, 100);
	ATF_REQUIRE_EQ(sb.st_gid, 300);
	RL(rump_sys_chown("f", 400, (gid_t)-1));
	sb = xstat("f");
	ATF_REQUIRE_EQ(sb.st_uid, 400);
	ATF_REQUIRE_EQ(sb.st_gid, 300);
	fd = RL(rump_sys_open("f", O_RDONLY));
	RL(rump_sys_fchown(fd, 500, 600));
	sb = xfstat(fd);
	ATF_REQUIRE_EQ(sb.st_uid, 500);
	ATF_REQUIRE_EQ(sb.st_gid, 600);
	RL(rump_sys_close(fd));
	/* Large ids survive. */
	RL(rump_sys_chown("f", 65536 + 5, 4000000000u));
	sb = xstat("f");
	ATF_REQUIRE_EQ(sb.st_uid, 65536 + 5);
	ATF_REQUIRE_EQ(sb.st_gid, 4000000000u);
	if (fs->fs_flags & FS_HAS_SYMLINKS) {
		RL(rump_sys_symlink("f", "l"));
		RL(rump_sys_lchown("l", 7, 8));
		ATF_REQUIRE_EQ(xlstat("l").st_uid, 7);
		ATF_REQUIRE_EQ(xlstat("l").st_gid, 8);
		ATF_REQUIRE_EQ(xstat("f").st_uid, 65536 + 5);
		RL(rump_sys_chown("l", 9, 10));
		ATF_REQUIRE_EQ(xstat("f").st_uid, 9);
		ATF_REQUIRE_EQ(xlstat("l").st_uid, 7);
		dfd = RL(rump_sys_open(".", O_RDONLY | O_DIRECTORY));
		RL(rump_sys_fchownat(dfd, "l", 11, 12, AT_SYMLINK_NOFOLLOW));
		ATF_REQUIRE_EQ(xlstat("l").st_uid, 11);
		ATF_REQUIRE_EQ(xstat("f").st_uid, 9);
		RL(rump_sys_fchownat(dfd, "l", 13, 14, 0));
		ATF_REQUIRE_EQ(xstat("f").st_uid, 13);
		ATF_REQUIRE_EQ(xstat("f").st_gid, 14);
		RE(EINVAL, rump_sys_fchownat(dfd, "l", 1, 1, 0x40000000));
		RL(rump_sys_close(dfd));
	}
	RL(rump_sys_mkdir("d", 0755));
	RL(rump_sys_chown("d", 1, 2));
	ATF_REQUIRE_EQ(xstat("d").st_uid, 1);
	RE(ENOENT, rump_sys_chown("nothere", 1, 1));
	leave();
}

FSTEST(chown_user, "chown() by others: EPERM, but the owner may change the group "
    "to one of his", .ft_needs = FS_HAS_OWNERS | FS_HAS_PERMS)
{
	const gid_t groups[] = { 500, 600 };
	struct stat sb;

	enter(mnt);
	mkfile("f", "");
	RL(rump_sys_chown("f", 100, 500));
	RL(rump_sys_chmod("f", 06755));
	become(200, 500, 0, NULL);
	RE(EPERM, rump_sys_chown("f", 200, (gid_t)-1));
	RE(EPERM, rump_sys_chown("f", (uid_t)-1, 500));
	unbecome();
	become(100, 500, 2, groups);
	/* Giving the file away is for root only. */
	RE(EPERM, rump_sys_chown("f", 200, (gid_t)-1));
	/* A group he is not in. */
	RE(EPERM, rump_sys_chown("f", (uid_t)-1, 700));
	/* No change at all is allowed. */
	RL(rump_sys_chown("f", 100, (gid_t)-1));
	/* One of his groups: allowed, and the set-id bits go (POSIX). */
	RL(rump_sys_chown("f", (uid_t)-1, 600));
	unbecome();
	sb = xstat("f");
	ATF_REQUIRE_EQ(sb.st_uid, 100);
	ATF_REQUIRE_EQ(sb.st_gid, 600);
	ATF_REQUIRE_EQ_MSG(sb.st_mode & 07777, 0755, "mode %o",
	    (unsigned)(sb.st_mode & 07777));
	leave();
}

FSTEST(utimens, "utimensat() and futimens(): explicit times, UTIME_NOW, UTIME_OMIT")
{
	struct timespec ts[2], t0, t1;
	struct stat sb, before;
	int fd, dfd;

	enter(mnt);
	mkfile("f", "x");
	ts[0].tv_sec = 1234567890;
	ts[0].tv_nsec = 123456789;
	ts[1].tv_sec = 987654321;
	ts[1].tv_nsec = 987654321;
	t0 = know();
	RL(rump_sys_utimensat(AT_FDCWD, "f", ts, 0));
	sb = xstat("f");
	ATF_REQUIRE_EQ(sb.st_atim.tv_sec, ts[0].tv_sec);
	ATF_REQUIRE_EQ(sb.st_mtim.tv_sec, ts[1].tv_sec);
	if (fs->fs_flags & FS_HAS_NSEC_TIMES) {
		ATF_REQUIRE_EQ(sb.st_atim.tv_nsec, ts[0].tv_nsec);
		ATF_REQUIRE_EQ(sb.st_mtim.tv_nsec, ts[1].tv_nsec);
		/* Changing times changes the ctime to now. */
		ATF_REQUIRE(tscmp(sb.st_ctim, t0) >= 0);
	}
	/* UTIME_OMIT leaves one alone; UTIME_NOW sets it to now. */
	before = sb;
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_NOW;
	t0 = know();
	RL(rump_sys_utimensat(AT_FDCWD, "f", ts, 0));
	t1 = know();
	sb = xstat("f");
	ATF_REQUIRE(tscmp(sb.st_atim, before.st_atim) == 0);
	ATF_REQUIRE(sb.st_mtim.tv_sec >= t0.tv_sec &&
	    sb.st_mtim.tv_sec <= t1.tv_sec);
	if (fs->fs_flags & FS_HAS_NSEC_TIMES)
		ATF_REQUIRE(tscmp(t0, sb.st_mtim) <= 0 &&
		    tscmp(sb.st_mtim, t1) <= 0);
	/* Both omitted: nothing changes, not even the ctime. */
	before = sb;
	tick(fs);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_OMIT;
	RL(rump_sys_utimensat(AT_FDCWD, "f", ts, 0));
	sb = xstat("f");
	ATF_REQUIRE(tscmp(sb.st_mtim, before.st_mtim) == 0);
	ATF_REQUIRE(tscmp(sb.st_atim, before.st_atim) == 0);
	ATF_REQUIRE(tscmp(sb.st_ctim, before.st_ctim) == 0);
	/* NULL: both now. */
	settimes_old("f");
	t0 = know();
	RL(rump_sys_utimensat(AT_FDCWD, "f", NULL, 0));
	sb = xstat("f");
	ATF_REQUIRE(sb.st_atim.tv_sec >= t0.tv_sec);
	ATF_REQUIRE(sb.st_mtim.tv_sec >= t0.tv_sec);
	/* futimens. */
	fd = RL(rump_sys_open("f", O_RDONLY));
	ts[0].tv_sec = 5;
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = 6;
	ts[1].tv_nsec = 0;
	RL(rump_sys_futimens(fd, ts));
	sb = xfstat(fd);
	ATF_REQUIRE_EQ(sb.st_atim.tv_sec, 5);
	ATF_REQUIRE_EQ(sb.st_mtim.tv_sec, 6);
	RL(rump_sys_futimens(fd, NULL));
	ATF_REQUIRE(xfstat(fd).st_mtim.tv_sec >= t0.tv_sec);
	RL(rump_sys_close(fd));
	/* Bad nanoseconds. */
	ts[0].tv_nsec = 1000000000;
	RE(EINVAL, rump_sys_utimensat(AT_FDCWD, "f", ts, 0));
	ts[0].tv_nsec = -1;
	RE(EINVAL, rump_sys_utimensat(AT_FDCWD, "f", ts, 0));
	RE(EINVAL, rump_sys_utimensat(AT_FDCWD, "f", NULL, 0x40000000));
	RE(ENOENT, rump_sys_utimensat(AT_FDCWD, "nothere", NULL, 0));
	/* A symbolic link's own times with AT_SYMLINK_NOFOLLOW. */
	if (fs->fs_flags & FS_HAS_SYMLINKS) {
		RL(rump_sys_symlink("f", "l"));
		ts[0].tv_sec = 11;
		ts[0].tv_nsec = 0;
		ts[1].tv_sec = 22;
		ts[1].tv_nsec = 0;
		RL(rump_sys_utimensat(AT_FDCWD, "l", ts, AT_SYMLINK_NOFOLLOW));
		ATF_REQUIRE_EQ(xlstat("l").st_mtim.tv_sec, 22);
		ATF_REQUIRE(xstat("f").st_mtim.tv_sec != 22);
		dfd = RL(rump_sys_open(".", O_RDONLY | O_DIRECTORY));
		RL(rump_sys_utimensat(dfd, "l", ts, 0));
		ATF_REQUIRE_EQ(xstat("f").st_mtim.tv_sec, 22);
		RL(rump_sys_close(dfd));
	}
	leave();
}

FSTEST(utimens_perm, "utimensat() by others: NULL needs write access, times ownership",
    .ft_needs = FS_HAS_OWNERS | FS_HAS_PERMS)
{
	struct timespec ts[2] = { { 100, 0 }, { 200, 0 } };

	enter(mnt);
	mkfile("rw", "");
	mkfile("ro", "");
	RL(rump_sys_chown("rw", 100, 100));
	RL(rump_sys_chown("ro", 100, 100));
	RL(rump_sys_chmod("rw", 0666));
	RL(rump_sys_chmod("ro", 0644));
	become(200, 200, 0, NULL);
	RL(rump_sys_utimensat(AT_FDCWD, "rw", NULL, 0));
	RE(EACCES, rump_sys_utimensat(AT_FDCWD, "ro", NULL, 0));
	RE(EPERM, rump_sys_utimensat(AT_FDCWD, "rw", ts, 0));
	unbecome();
	become(100, 100, 0, NULL);
	RL(rump_sys_utimensat(AT_FDCWD, "ro", ts, 0));
	unbecome();
	ATF_REQUIRE_EQ(xstat("ro").st_mtim.tv_sec, 200);
	leave();
}

FSTEST(times_update, "what moves atime, mtime and ctime")
{
	struct stat sb, d0, db;
	struct timespec t0;
	char c;
	int fd;

	enter(mnt);
	RL(rump_sys_mkdir("d", 0755));
	mkfile("d/f", "data");

	/* Creating a file: the directory's mtime and ctime. */
	settimes_old("d");
	d0 = xstat("d");
	tick(fs);
	t0 = know();
	mkfile("d/g", "");
	db = xstat("d");
	ATF_REQUIRE(tscmp(db.st_mtim, oldtime) > 0);
	ATF_REQUIRE(tscmp(db.st_ctim, d0.st_ctim) > 0);
	ATF_REQUIRE(tscmp(db.st_atim, oldtime) == 0);
	sb = xstat("d/g");
	ATF_REQUIRE(sb.st_mtim.tv_sec >= t0.tv_sec);
	ATF_REQUIRE(sb.st_ctim.tv_sec >= t0.tv_sec);
	ATF_REQUIRE(sb.st_atim.tv_sec >= t0.tv_sec);

	/* Removing a file, making a directory, renaming: the same. */
	settimes_old("d");
	tick(fs);
	RL(rump_sys_unlink("d/g"));
	ATF_REQUIRE(tscmp(xstat("d").st_mtim, oldtime) > 0);
	settimes_old("d");
	RL(rump_sys_mkdir("d/sub", 0755));
	ATF_REQUIRE(tscmp(xstat("d").st_mtim, oldtime) > 0);
	settimes_old("d");
	settimes_old("d/sub");
	RL(rump_sys_rename("d/f", "d/sub/f"));
	ATF_REQUIRE(tscmp(xstat("d").st_mtim, oldtime) > 0);
	ATF_REQUIRE(tscmp(xstat("d/sub").st_mtim, oldtime) > 0);
	RL(rump_sys_rename("d/sub/f", "d/f"));

	/* Writing: mtime and ctime, not atime. */
	settimes_old("d/f");
	sb = xstat("d/f");
	tick(fs);
	fd = RL(rump_sys_open("d/f", O_RDWR));
	xwrite(fd, "W", 1);
	db = xfstat(fd);
	ATF_REQUIRE(tscmp(db.st_mtim, oldtime) > 0);
	ATF_REQUIRE(tscmp(db.st_ctim, sb.st_ctim) > 0);
	ATF_REQUIRE(tscmp(db.st_atim, oldtime) == 0);
	/* Opening changes nothing. */
	settimes_old("d/f");
	RL(rump_sys_close(fd));
	fd = RL(rump_sys_open("d/f", O_RDONLY));
	db = xfstat(fd);
	ATF_REQUIRE(tscmp(db.st_mtim, oldtime) == 0);
	ATF_REQUIRE(tscmp(db.st_atim, oldtime) == 0);
	/* Reading: atime only. */
	if (fs->fs_flags & FS_HAS_ATIME) {
		sb = xfstat(fd);
		tick(fs);
		ATF_REQUIRE_EQ(RL(rump_sys_read(fd, &c, 1)), 1);
		db = xfstat(fd);
		ATF_REQUIRE(tscmp(db.st_atim, oldtime) > 0);
		ATF_REQUIRE(tscmp(db.st_mtim, oldtime) == 0);
		ATF_REQUIRE(tscmp(db.st_ctim, sb.st_ctim) == 0);
	}
	RL(rump_sys_close(fd));

	/* chmod and chown: ctime only. */
	settimes_old("d/f");
	sb = xstat("d/f");
	tick(fs);
	RL(rump_sys_chmod("d/f", 0600));
	db = xstat("d/f");
	ATF_REQUIRE(tscmp(db.st_ctim, sb.st_ctim) > 0);
	ATF_REQUIRE(tscmp(db.st_mtim, oldtime) == 0);
	ATF_REQUIRE(tscmp(db.st_atim, oldtime) == 0);
	if (fs->fs_flags & FS_HAS_OWNERS) {
		sb = db;
		tick(fs);
		RL(rump_sys_chown("d/f", 1, 1));
		db = xstat("d/f");
		ATF_REQUIRE(tscmp(db.st_ctim, sb.st_ctim) > 0);
		ATF_REQUIRE(tscmp(db.st_mtim, oldtime) == 0);
	}

	/* Truncating to another size: mtime and ctime. */
	sb = db;
	tick(fs);
	RL(rump_sys_truncate("d/f", 1));
	db = xstat("d/f");
	ATF_REQUIRE(tscmp(db.st_ctim, sb.st_ctim) > 0);
	ATF_REQUIRE(tscmp(db.st_mtim, oldtime) > 0);
	ATF_REQUIRE(tscmp(db.st_atim, oldtime) == 0);

	/* A link: the file's ctime. */
	if (fs->fs_flags & FS_HAS_HARDLINKS) {
		sb = xstat("d/f");
		tick(fs);
		RL(rump_sys_link("d/f", "d/f2"));
		ATF_REQUIRE(tscmp(xstat("d/f").st_ctim, sb.st_ctim) > 0);
		sb = xstat("d/f");
		tick(fs);
		RL(rump_sys_unlink("d/f2"));
		ATF_REQUIRE(tscmp(xstat("d/f").st_ctim, sb.st_ctim) > 0);
	}
	leave();
}

FSTEST(truncate, "truncate() and ftruncate(): down, up, sparse, errors")
{
	char buf[8192];
	struct stat sb;
	int fd, p[2];

	memset(buf, 'q', sizeof(buf));
	enter(mnt);
	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT, 0644));
	xwrite(fd, buf, sizeof(buf));
	/* Down, within a page: the cut bytes are gone for good. */
	RL(rump_sys_ftruncate(fd, 100));
	ATF_REQUIRE_EQ(xfstat(fd).st_size, 100);
	checkat(fd, 0, buf, 100);
	/* Up again: the new bytes are zeros, not the old data. */
	RL(rump_sys_ftruncate(fd, 5000));
	ATF_REQUIRE_EQ(xfstat(fd).st_size, 5000);
	checkat(fd, 0, buf, 100);
	checkzero(fd, 100, 4900);
	/* The offset is not moved. */
	ATF_REQUIRE_EQ(xlseek(fd, 0, SEEK_CUR), 8192);
	xwrite(fd, "end", 3);
	ATF_REQUIRE_EQ(xfstat(fd).st_size, 8195);
	checkzero(fd, 5000, 3192);
	/* To zero and back. */
	RL(rump_sys_truncate("f", 0));
	ATF_REQUIRE_EQ(xstat("f").st_size, 0);
	RL(rump_sys_truncate("f", 10));
	checkzero(fd, 0, 10);
	/* Sparse growth. */
	RL(rump_sys_ftruncate(fd, 1 * GiB));
	sb = xfstat(fd);
	ATF_REQUIRE_EQ(sb.st_size, 1 * GiB);
	if (fs->fs_flags & FS_HAS_SPARSE)
		ATF_REQUIRE(sb.st_blocks * 512 < 1 * MiB);
	checkzero(fd, 1 * GiB - 4096, 4096);
	/* The same size: nothing changes. */
	RL(rump_sys_ftruncate(fd, 1 * GiB));
	ATF_REQUIRE_EQ(xfstat(fd).st_size, 1 * GiB);
	RL(rump_sys_ftruncate(fd, 0));
	RL(rump_sys_close(fd));

	/* Errors. */
	RE(EINVAL, rump_sys_truncate("f", -1));
	fd = RL(rump_sys_open("f", O_RDONLY));
	RE2(EINVAL, EBADF, rump_sys_ftruncate(fd, 1));
	RL(rump_sys_close(fd));
	fd = RL(rump_sys_open("f", O_WRONLY));
	RE(EINVAL, rump_sys_ftruncate(fd, -1));
	RL(rump_sys_close(fd));
	RE(EBADF, rump_sys_ftruncate(fd, 1));
	RL(rump_sys_mkdir("d", 0755));
	RE(EISDIR, rump_sys_truncate("d", 0));
	RE(ENOENT, rump_sys_truncate("nothere", 0));
	RL(rump_sys_pipe(p));
	RE(EINVAL, rump_sys_ftruncate(p[1], 0));
	RL(rump_sys_close(p[0]));
	RL(rump_sys_close(p[1]));
	leave();
}

FSTEST(fsync, "fsync(), fdatasync() and sync()")
{
	int fd, p[2];

	enter(mnt);
	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT, 0644));
	xwrite(fd, "synced", 6);
	RL(rump_sys_fsync(fd));
	RL(rump_sys_fdatasync(fd));
	checkat(fd, 0, "synced", 6);
	RL(rump_sys_close(fd));
	/* On a read-only descriptor and a directory, too. */
	fd = RL(rump_sys_open("f", O_RDONLY));
	RL(rump_sys_fsync(fd));
	RL(rump_sys_close(fd));
	fd = RL(rump_sys_open(".", O_RDONLY | O_DIRECTORY));
	RL(rump_sys_fsync(fd));
	RL(rump_sys_close(fd));
	RL(rump_sys_sync());
	checkfile("f", "synced");
	RE(EBADF, rump_sys_fsync(fd));
	RE(EBADF, rump_sys_fdatasync(-1));
	RL(rump_sys_pipe(p));
	RE(EINVAL, rump_sys_fsync(p[0]));
	RL(rump_sys_close(p[0]));
	RL(rump_sys_close(p[1]));
	leave();
}

/* ------------------------------------------------------------------ */
/* Working directories.                                                */

FSTEST(chdir_getcwd, "chdir(), fchdir() and getcwd(), across the mount")
{
	char buf[1100], want[64];
	int fd, dfd;

	RL(rump_sys_chdir("/"));
	ATF_REQUIRE_EQ(RL(rump_sys_getcwd(buf, sizeof(buf))), 2);
	ATF_REQUIRE_STREQ(buf, "/");
	enter(mnt);
	ATF_REQUIRE_EQ(RL(rump_sys_getcwd(buf, sizeof(buf))),
	    (int)strlen(mnt) + 1);
	ATF_REQUIRE_STREQ(buf, mnt);
	RL(rump_sys_mkdir("a", 0755));
	RL(rump_sys_mkdir("a/b", 0755));
	RL(rump_sys_chdir("a/b"));
	snprintf(want, sizeof(want), "%s/a/b", mnt);
	ATF_REQUIRE_EQ(RL(rump_sys_getcwd(buf, sizeof(buf))),
	    (int)strlen(want) + 1);
	ATF_REQUIRE_STREQ(buf, want);
	/* Relative paths start here. */
	mkfile("here", "b");
	snprintf(buf, sizeof(buf), "%s/here", want);
	checkfile(buf, "b");
	/* A buffer too small: ERANGE; none: EINVAL. */
	RE(ERANGE, rump_sys_getcwd(buf, strlen(want)));
	RL(rump_sys_getcwd(buf, strlen(want) + 1));
	RE(EINVAL, rump_sys_getcwd(buf, 0));
	/* Up out of the mount. */
	RL(rump_sys_chdir("../../.."));
	ATF_REQUIRE_EQ(RL(rump_sys_getcwd(buf, sizeof(buf))), 2);
	ATF_REQUIRE_STREQ(buf, "/");
	/* A renamed directory: the new name. */
	enter(mnt);
	RL(rump_sys_chdir("a/b"));
	RL(rump_sys_rename("../../a", "../../z"));
	RL(rump_sys_getcwd(buf, sizeof(buf)));
	snprintf(want, sizeof(want), "%s/z/b", mnt);
	ATF_REQUIRE_STREQ(buf, want);
	/* fchdir. */
	dfd = RL(rump_sys_open("..", O_RDONLY | O_DIRECTORY));
	RL(rump_sys_fchdir(dfd));
	RL(rump_sys_getcwd(buf, sizeof(buf)));
	snprintf(want, sizeof(want), "%s/z", mnt);
	ATF_REQUIRE_STREQ(buf, want);
	RL(rump_sys_close(dfd));
	/* Errors. */
	fd = RL(rump_sys_open("b/here", O_RDONLY));
	RE(ENOTDIR, rump_sys_fchdir(fd));
	RL(rump_sys_close(fd));
	RE(EBADF, rump_sys_fchdir(fd));
	RE(ENOTDIR, rump_sys_chdir("b/here"));
	RE(ENOENT, rump_sys_chdir("nothere"));
	RE(ENOENT, rump_sys_chdir(""));
	RL(rump_sys_getcwd(buf, sizeof(buf)));
	ATF_REQUIRE_STREQ(buf, want);
	leave();
}

FSTEST(getcwd_removed, "getcwd() in a removed directory is ENOENT")
{
	char buf[256];
	struct stat sb;

	enter(mnt);
	RL(rump_sys_mkdir("d", 0755));
	RL(rump_sys_chdir("d"));
	RL(rump_sys_rmdir("../d"));
	RE(ENOENT, rump_sys_getcwd(buf, sizeof(buf)));
	RL(rump_sys_stat(".", &sb));
	ATF_REQUIRE_EQ(sb.st_nlink, 0);
	RE(ENOENT, rump_sys_open("new", O_RDWR | O_CREAT, 0644));
	RE(ENOENT, rump_sys_mkdir("new", 0755));
	leave();
	RL(rump_sys_getcwd(buf, sizeof(buf)));
	ATF_REQUIRE_STREQ(buf, "/");
}

FSTEST(chdir_perm, "chdir() needs search permission", .ft_needs = FS_HAS_PERMS)
{

	enter(mnt);
	RL(rump_sys_mkdir("d", 0755));
	RL(rump_sys_mkdir("d/e", 0755));
	RL(rump_sys_chmod("d", 0644));
	become(100, 100, 0, NULL);
	RE(EACCES, rump_sys_chdir("d"));
	RE(EACCES, rump_sys_chdir("d/e"));
	unbecome();
	/* Root may. */
	RL(rump_sys_chdir("d/e"));
	leave();
}

/* ------------------------------------------------------------------ */
/* Directory listings.                                                 */

FSTEST(getdents_types, "getdents(): each entry once, \".\" and \"..\", d_type, d_ino")
{
	struct dent d[32];
	const struct dent *e;
	size_t n, i, j;
	dev_t dev = makedev(3, 4);

	enter(mnt);
	RL(rump_sys_mkdir("d", 0755));
	mkfile("d/file", "");
	RL(rump_sys_mkdir("d/dir", 0755));
	if (fs->fs_flags & FS_HAS_SYMLINKS)
		RL(rump_sys_symlink("file", "d/link"));
	if (fs->fs_flags & FS_HAS_FIFOS)
		RL(rump_sys_mkfifo("d/fifo", 0644));
	if (fs->fs_flags & FS_HAS_DEVICES) {
		RL(rump_sys_mknod("d/chr", S_IFCHR | 0600, dev));
		RL(rump_sys_mknod("d/blk", S_IFBLK | 0600, dev));
	}
	n = list_dir("d", d, 32);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			ATF_REQUIRE_MSG(strcmp(d[i].d_name, d[j].d_name) != 0,
			    "%s listed twice", d[i].d_name);
	ATF_REQUIRE((e = find_dent(d, n, ".")) != NULL);
	ATF_REQUIRE_EQ(e->d_type, DT_DIR);
	ATF_REQUIRE_EQ(e->d_ino, xstat("d").st_ino);
	ATF_REQUIRE((e = find_dent(d, n, "..")) != NULL);
	ATF_REQUIRE_EQ(e->d_type, DT_DIR);
	ATF_REQUIRE_EQ(e->d_ino, xstat(".").st_ino);
	ATF_REQUIRE((e = find_dent(d, n, "file")) != NULL);
	ATF_REQUIRE_EQ(e->d_type, DT_REG);
	ATF_REQUIRE_EQ(e->d_ino, xstat("d/file").st_ino);
	ATF_REQUIRE((e = find_dent(d, n, "dir")) != NULL);
	ATF_REQUIRE_EQ(e->d_type, DT_DIR);
	ATF_REQUIRE_EQ(e->d_ino, xstat("d/dir").st_ino);
	i = 4;
	if (fs->fs_flags & FS_HAS_SYMLINKS) {
		ATF_REQUIRE((e = find_dent(d, n, "link")) != NULL);
		ATF_REQUIRE_EQ(e->d_type, DT_LNK);
		ATF_REQUIRE_EQ(e->d_ino, xlstat("d/link").st_ino);
		i++;
	}
	if (fs->fs_flags & FS_HAS_FIFOS) {
		ATF_REQUIRE((e = find_dent(d, n, "fifo")) != NULL);
		ATF_REQUIRE_EQ(e->d_type, DT_FIFO);
		i++;
	}
	if (fs->fs_flags & FS_HAS_DEVICES) {
		ATF_REQUIRE((e = find_dent(d, n, "chr")) != NULL);
		ATF_REQUIRE_EQ(e->d_type, DT_CHR);
		ATF_REQUIRE((e = find_dent(d, n, "blk")) != NULL);
		ATF_REQUIRE_EQ(e->d_type, DT_BLK);
		i += 2;
	}
	ATF_REQUIRE_EQ_MSG(n, i, "%zu entries, want %zu", n, i);
	/* An empty directory: just "." and "..". */
	n = list_dir("d/dir", d, 32);
	ATF_REQUIRE_EQ(n, 2);
	ATF_REQUIRE(find_dent(d, n, ".") != NULL);
	ATF_REQUIRE(find_dent(d, n, "..") != NULL);
	/* The mount's root has them too. */
	n = list_dir(".", d, 32);
	ATF_REQUIRE(find_dent(d, n, ".") != NULL);
	ATF_REQUIRE(find_dent(d, n, "..") != NULL);
	ATF_REQUIRE(find_dent(d, n, "d") != NULL);
	leave();
}

FSTEST(getdents_buffer, "getdents(): small buffers, EINVAL, resuming at d_off")
{
	struct dent all[16], one[16], again[16];
	char buf[4096];
	size_t n, m, i, size;
	int fd, r;

	enter(mnt);
	RL(rump_sys_mkdir("d", 0755));
	mkfile("d/a", "");
	mkfile("d/bb", "");
	mkfile("d/a_much_longer_name_than_the_others", "");
	n = list_dir("d", all, 16);
	ATF_REQUIRE_EQ(n, 5);
	fd = RL(rump_sys_open("d", O_RDONLY | O_DIRECTORY));
	RE(EINVAL, rump_sys_getdents(fd, buf, 0));
	/*
	 * Grow the buffer a byte at a time from 1: too small for the next
	 * record is EINVAL and moves nothing; the first size that works
	 * returns exactly one record, the next one.
	 */
	m = 0;
	for (;;) {
		for (size = 1; size <= 512; size++) {
			r = rump_sys_getdents(fd, buf, size);
			if (r != -1)
				break;
			ATF_REQUIRE_MSG(errno == EINVAL, "getdents of %zu: %s",
			    size, strerror(errno));
		}
		ATF_REQUIRE_MSG(size <= 512, "no buffer size works");
		if (r == 0)
			break;
		ATF_REQUIRE(m < n);
		ATF_REQUIRE_EQ_MSG(parse_dents(buf, (size_t)r, one + m, 16 - m),
		    1, "a buffer of %zu bytes got more than one record", size);
		ATF_REQUIRE_STREQ(one[m].d_name, all[m].d_name);
		m++;
	}
	ATF_REQUIRE_EQ(m, n);
	/* At the end it stays at the end. */
	ATF_REQUIRE_EQ(RL(rump_sys_getdents(fd, buf, sizeof(buf))), 0);
	/* Back to the start. */
	ATF_REQUIRE_EQ(xlseek(fd, 0, SEEK_SET), 0);
	ATF_REQUIRE_EQ(list_fd(fd, sizeof(buf), again, 16), n);
	/* Resuming at an entry's d_off gives the entries after it. */
	for (i = 0; i < n; i++) {
		xlseek(fd, all[i].d_off, SEEK_SET);
		m = list_fd(fd, sizeof(buf), again, 16);
		ATF_REQUIRE_EQ_MSG(m, n - i - 1, "after %s: %zu entries",
		    all[i].d_name, m);
		if (m > 0)
			ATF_REQUIRE_STREQ(again[0].d_name, all[i + 1].d_name);
	}
	RL(rump_sys_close(fd));
	/* Not a directory. */
	fd = RL(rump_sys_open("d/a", O_RDONLY));
	RE(ENOTDIR, rump_sys_getdents(fd, buf, sizeof(buf)));
	RL(rump_sys_close(fd));
	RE(EBADF, rump_sys_getdents(fd, buf, sizeof(buf)));
	leave();
}

FSTEST(getdents_remove, "getdents() while entries are removed: none twice, none missed")
{
	enum { N = 300 };
	static struct dent d[2 * N];
	static bool seen[N], removed[N];
	char buf[1024], name[32];
	size_t i, n, got;
	int fd, r, k;

	enter(mnt);
	RL(rump_sys_mkdir("d", 0755));
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "d/e%03zu", i);
		mkfile(name, "");
	}
	fd = RL(rump_sys_open("d", O_RDONLY | O_DIRECTORY));
	got = 0;
	k = 0;
	while ((r = RL(rump_sys_getdents(fd, buf, sizeof(buf)))) > 0) {
		n = parse_dents(buf, (size_t)r, d + got, 2 * N - got);
		for (i = got; i < got + n; i++) {
			unsigned idx;

			if (d[i].d_name[0] == '.')
				continue;
			ATF_REQUIRE(sscanf(d[i].d_name, "e%u", &idx) == 1);
			ATF_REQUIRE(idx < N);
			ATF_REQUIRE_MSG(!seen[idx], "%s listed twice",
			    d[i].d_name);
			seen[idx] = true;
		}
		got += n;
		/* Remove a few seen and a few unseen entries each round. */
		for (i = 0; i < 3; i++) {
			k = (k * 7 + 13) % N;
			if (!removed[k]) {
				snprintf(name, sizeof(name), "d/e%03d", k);
				RL(rump_sys_unlink(name));
				removed[k] = true;
			}
		}
	}
	RL(rump_sys_close(fd));
	for (i = 0; i < N; i++)
		ATF_REQUIRE_MSG(seen[i] || removed[i],
		    "e%03zu never removed and never listed", i);
	leave();
}

FSTEST(getdents_many, "getdents() of a directory with 2000 entries", .ft_timeout = 300)
{
	enum { N = 2000 };
	static struct dent d[N + 16];
	static bool seen[N];
	char name[32];
	size_t i, n;
	unsigned idx;

	enter(mnt);
	RL(rump_sys_mkdir("d", 0755));
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "d/file-%zu", i);
		mkfile(name, "");
	}
	n = list_dir("d", d, N + 16);
	ATF_REQUIRE_EQ(n, N + 2);
	for (i = 0; i < n; i++) {
		if (strcmp(d[i].d_name, ".") == 0 ||
		    strcmp(d[i].d_name, "..") == 0)
			continue;
		ATF_REQUIRE(sscanf(d[i].d_name, "file-%u", &idx) == 1);
		ATF_REQUIRE(idx < N);
		ATF_REQUIRE_MSG(!seen[idx], "%s twice", d[i].d_name);
		seen[idx] = true;
		ATF_REQUIRE_EQ(d[i].d_type, DT_REG);
	}
	/* Every name is found by lookup, and removing them empties it. */
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "d/file-%zu", i);
		RL(rump_sys_unlink(name));
	}
	ATF_REQUIRE_EQ(list_dir("d", d, N + 16), 2);
	RL(rump_sys_rmdir("d"));
	leave();
}

/* ------------------------------------------------------------------ */
/* Special files.                                                      */

FSTEST(mknod, "mknod(): fifos for anyone, devices for root only",
    .ft_needs = FS_HAS_DEVICES | FS_HAS_FIFOS)
{
	struct stat sb;

	enter(mnt);
	(void)(rump_sys_umask(0));
	RL(rump_sys_mknod("fifo", S_IFIFO | 0640, 0));
	sb = xstat("fifo");
	ATF_REQUIRE(S_ISFIFO(sb.st_mode));
	ATF_REQUIRE_EQ(sb.st_mode & 07777, 0640);
	RL(rump_sys_mknod("chr", S_IFCHR | 0600, makedev(5, 7)));
	sb = xstat("chr");
	ATF_REQUIRE(S_ISCHR(sb.st_mode));
	ATF_REQUIRE_EQ(major(sb.st_rdev), 5);
	ATF_REQUIRE_EQ(minor(sb.st_rdev), 7);
	ATF_REQUIRE_EQ(sb.st_size, 0);
	RL(rump_sys_mknod("blk", S_IFBLK | 0600, makedev(300, 70000)));
	sb = xstat("blk");
	ATF_REQUIRE(S_ISBLK(sb.st_mode));
	ATF_REQUIRE_EQ(major(sb.st_rdev), 300);
	ATF_REQUIRE_EQ(minor(sb.st_rdev), 70000);
	RE(EEXIST, rump_sys_mknod("chr", S_IFCHR | 0600, makedev(5, 7)));
	RE(EEXIST, rump_sys_mknod("fifo", S_IFIFO | 0600, 0));
	/* mknod does not make directories (Linux: EPERM). */
	RE2(EPERM, EINVAL, rump_sys_mknod("dir", S_IFDIR | 0755, 0));
	ATF_REQUIRE(!exists("dir"));
	(void)(rump_sys_umask(022));

	become(100, 100, 0, NULL);
	RE(EPERM, rump_sys_mknod("chr2", S_IFCHR | 0600, makedev(1, 1)));
	RE(EPERM, rump_sys_mknod("blk2", S_IFBLK | 0600, makedev(1, 1)));
	unbecome();
	ATF_REQUIRE(!exists("chr2"));
	ATF_REQUIRE(!exists("blk2"));
	RL(rump_sys_chmod(".", 0777));
	become(100, 100, 0, NULL);
	RL(rump_sys_mknod("fifo2", S_IFIFO | 0666, 0));
	unbecome();
	sb = xstat("fifo2");
	ATF_REQUIRE(S_ISFIFO(sb.st_mode));
	ATF_REQUIRE_EQ(sb.st_uid, 100);
	ATF_REQUIRE_EQ(sb.st_mode & 07777, 0644);	/* umask 022 */
	/* No driver behind the numbers: opening the node is ENXIO. */
	RE2(ENXIO, ENODEV, rump_sys_open("chr", O_RDONLY));
	RE2(ENXIO, ENODEV, rump_sys_open("blk", O_RDONLY));
	leave();
}

struct fifo_opener {
	const char	*path;
	int		flags;
	int		fd;
	int		error;
	atomic_int	done;
};

static void *
fifo_open_thread(void *arg)
{
	struct fifo_opener *fo = arg;

	fo->fd = rump_sys_open(fo->path, fo->flags);
	fo->error = fo->fd == -1 ? errno : 0;
	atomic_store(&fo->done, 1);
	return NULL;
}

static void
msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

FSTEST(fifo, "mkfifo(): blocking opens meet, data flows, EOF, ENXIO",
    .ft_needs = FS_HAS_FIFOS)
{
	struct fifo_opener fo;
	struct stat sb;
	pthread_t t;
	char buf[16], path[128];
	int r, w;

	enter(mnt);
	RL(rump_sys_mkfifo("p", 0666));
	sb = xstat("p");
	ATF_REQUIRE(S_ISFIFO(sb.st_mode));
	ATF_REQUIRE_EQ(sb.st_mode & 07777, 0644);
	ATF_REQUIRE_EQ(sb.st_size, 0);
	RE(EEXIST, rump_sys_mkfifo("p", 0666));
	RE(ENOENT, rump_sys_mkfifo("no/p", 0666));

	/* No reader: a non-blocking writer gets ENXIO. */
	RE(ENXIO, rump_sys_open("p", O_WRONLY | O_NONBLOCK));
	/* A non-blocking reader opens at once. */
	r = RL(rump_sys_open("p", O_RDONLY | O_NONBLOCK));
	w = RL(rump_sys_open("p", O_WRONLY | O_NONBLOCK));
	xwrite(w, "hello", 5);
	ATF_REQUIRE_EQ(RL(rump_sys_read(r, buf, sizeof(buf))), 5);
	ATF_REQUIRE(memcmp(buf, "hello", 5) == 0);
	RE(EAGAIN, rump_sys_read(r, buf, sizeof(buf)));
	RE(ESPIPE, rump_sys_lseek(r, 0, SEEK_CUR));
	ATF_REQUIRE(S_ISFIFO(xfstat(r).st_mode));
	/* The writer goes: end of file. */
	RL(rump_sys_close(w));
	ATF_REQUIRE_EQ(RL(rump_sys_read(r, buf, sizeof(buf))), 0);
	RL(rump_sys_close(r));

	/* A blocking reader waits for a writer. */
	snprintf(path, sizeof(path), "%s/p", mnt);
	memset(&fo, 0, sizeof(fo));
	fo.path = path;
	fo.flags = O_RDONLY;
	ATF_REQUIRE_EQ(pthread_create(&t, NULL, fifo_open_thread, &fo), 0);
	msleep(100);
	ATF_REQUIRE_MSG(atomic_load(&fo.done) == 0,
	    "open for reading did not wait for a writer");
	w = RL(rump_sys_open("p", O_WRONLY));
	ATF_REQUIRE_EQ(pthread_join(t, NULL), 0);
	ATF_REQUIRE_MSG(fo.error == 0, "reader: %s", strerror(fo.error));
	xwrite(w, "data", 4);
	ATF_REQUIRE_EQ(RL(rump_sys_read(fo.fd, buf, sizeof(buf))), 4);
	ATF_REQUIRE(memcmp(buf, "data", 4) == 0);
	RL(rump_sys_close(fo.fd));
	/* No reader left: EPIPE (a rump kernel has no SIGPIPE). */
	RE(EPIPE, rump_sys_write(w, "x", 1));
	RL(rump_sys_close(w));

	/* A blocking writer waits for a reader. */
	memset(&fo, 0, sizeof(fo));
	fo.path = path;
	fo.flags = O_WRONLY;
	ATF_REQUIRE_EQ(pthread_create(&t, NULL, fifo_open_thread, &fo), 0);
	msleep(100);
	ATF_REQUIRE(atomic_load(&fo.done) == 0);
	r = RL(rump_sys_open("p", O_RDONLY));
	ATF_REQUIRE_EQ(pthread_join(t, NULL), 0);
	ATF_REQUIRE_MSG(fo.error == 0, "writer: %s", strerror(fo.error));
	RL(rump_sys_close(fo.fd));
	RL(rump_sys_close(r));
	/* Nothing is kept in the file system. */
	ATF_REQUIRE_EQ(xstat("p").st_size, 0);
	RL(rump_sys_unlink("p"));
	leave();
}

/* ------------------------------------------------------------------ */
/* Pipes: no file system involved, so plain test cases.               */

ATF_TC_WITHOUT_HEAD(pipe_basic);
ATF_TC_BODY(pipe_basic, tc)
{
	char buf[16];
	struct stat sb;
	int p[2];

	RZ(rump_init());
	RL(rump_sys_pipe(p));
	ATF_REQUIRE(p[0] != p[1]);
	RL(rump_sys_fstat(p[0], &sb));
	ATF_REQUIRE(S_ISFIFO(sb.st_mode));
	ATF_REQUIRE_EQ(RL(rump_sys_fcntl(p[0], F_GETFL)) & O_ACCMODE,
	    O_RDONLY);
	ATF_REQUIRE_EQ(RL(rump_sys_fcntl(p[1], F_GETFL)) & O_ACCMODE,
	    O_WRONLY);
	xwrite(p[1], "abc", 3);
	xwrite(p[1], "def", 3);
	RL(rump_sys_fstat(p[0], &sb));
	ATF_REQUIRE_EQ(sb.st_size, 6);	/* bytes waiting (as Linux) */
	ATF_REQUIRE_EQ(RL(rump_sys_read(p[0], buf, 4)), 4);
	ATF_REQUIRE(memcmp(buf, "abcd", 4) == 0);
	/* Wrong directions. */
	RE(EBADF, rump_sys_write(p[0], "x", 1));
	RE(EBADF, rump_sys_read(p[1], buf, 1));
	/* The writer closes: the rest, then end of file. */
	RL(rump_sys_close(p[1]));
	ATF_REQUIRE_EQ(RL(rump_sys_read(p[0], buf, sizeof(buf))), 2);
	ATF_REQUIRE(memcmp(buf, "ef", 2) == 0);
	ATF_REQUIRE_EQ(RL(rump_sys_read(p[0], buf, sizeof(buf))), 0);
	ATF_REQUIRE_EQ(RL(rump_sys_read(p[0], buf, sizeof(buf))), 0);
	RL(rump_sys_close(p[0]));

	/* The reader closes: EPIPE, as there are no signals. */
	RL(rump_sys_pipe(p));
	RL(rump_sys_close(p[0]));
	RE(EPIPE, rump_sys_write(p[1], "x", 1));
	RL(rump_sys_close(p[1]));
	RE(EFAULT, rump_sys_pipe(NULL));
}

ATF_TC_WITHOUT_HEAD(pipe_nonblock);
ATF_TC_BODY(pipe_nonblock, tc)
{
	static char buf[65536 * 2];
	size_t total;
	ssize_t n;
	int p[2];

	RZ(rump_init());
	RE(EINVAL, rump_sys_pipe2(p, O_APPEND));
	RL(rump_sys_pipe2(p, O_NONBLOCK));
	ATF_REQUIRE(RL(rump_sys_fcntl(p[0], F_GETFL)) & O_NONBLOCK);
	ATF_REQUIRE(RL(rump_sys_fcntl(p[1], F_GETFL)) & O_NONBLOCK);
	ATF_REQUIRE_EQ(RL(rump_sys_fcntl(p[0], F_GETFD)), 0);
	RE(EAGAIN, rump_sys_read(p[0], buf, 1));
	/* Fill it: at least PIPE_BUF (POSIX: 512), then EAGAIN. */
	memset(buf, 'p', sizeof(buf));
	total = 0;
	for (;;) {
		n = rump_sys_write(p[1], buf, 1000);
		if (n == -1) {
			ATF_REQUIRE_EQ_MSG(errno, EAGAIN, "write: %s",
			    strerror(errno));
			break;
		}
		ATF_REQUIRE(n > 0 && n <= 1000);
		total += (size_t)n;
		ATF_REQUIRE(total <= sizeof(buf));
	}
	ATF_REQUIRE_MSG(total >= 512, "a pipe of %zu bytes", total);
	/* Small writes are all or nothing: with 100 bytes of room. */
	ATF_REQUIRE_EQ(RL(rump_sys_read(p[0], buf, 100)), 100);
	RE(EAGAIN, rump_sys_write(p[1], buf, 200));
	ATF_REQUIRE_EQ(RL(rump_sys_write(p[1], buf, 100)), 100);
	RE(EAGAIN, rump_sys_write(p[1], buf, 1));
	/* Drain. */
	n = RL(rump_sys_read(p[0], buf, sizeof(buf)));
	ATF_REQUIRE_EQ((size_t)n, total);
	RE(EAGAIN, rump_sys_read(p[0], buf, 1));
	/* Clearing O_NONBLOCK with F_SETFL. */
	RL(rump_sys_fcntl(p[0], F_SETFL, 0));
	ATF_REQUIRE((RL(rump_sys_fcntl(p[0], F_GETFL)) & O_NONBLOCK) == 0);
	RL(rump_sys_close(p[1]));
	ATF_REQUIRE_EQ(RL(rump_sys_read(p[0], buf, 1)), 0);
	RL(rump_sys_close(p[0]));
}

struct pipe_writer {
	int		fd;
	const char	*data;
	size_t		len;
	int		delay_ms;
	int		error;
};

static void *
pipe_writer_thread(void *arg)
{
	struct pipe_writer *pw = arg;
	size_t off = 0;
	ssize_t n;

	if (pw->delay_ms > 0)
		msleep(pw->delay_ms);
	while (off < pw->len) {
		n = rump_sys_write(pw->fd, pw->data + off,
		    pw->len - off < 7777 ? pw->len - off : 7777);
		if (n == -1) {
			pw->error = errno;
			return NULL;
		}
		off += (size_t)n;
	}
	return NULL;
}

ATF_TC_WITHOUT_HEAD(pipe_stream);
ATF_TC_BODY(pipe_stream, tc)
{
	const size_t len = 3 * 1024 * 1024 + 5;
	struct pipe_writer pw;
	char *src, *dst;
	pthread_t t;
	size_t off, i;
	ssize_t n;
	int p[2];

	RZ(rump_init());
	ATF_REQUIRE((src = malloc(len)) != NULL);
	ATF_REQUIRE((dst = malloc(len)) != NULL);
	for (i = 0; i < len; i++)
		src[i] = (char)(i % 251);
	RL(rump_sys_pipe(p));
	memset(&pw, 0, sizeof(pw));
	pw.fd = p[1];
	pw.data = src;
	pw.len = len;
	ATF_REQUIRE_EQ(pthread_create(&t, NULL, pipe_writer_thread, &pw), 0);
	off = 0;
	while (off < len) {
		n = RL(rump_sys_read(p[0], dst + off,
		    len - off < 5000 ? len - off : 5000));
		ATF_REQUIRE(n > 0);
		off += (size_t)n;
	}
	ATF_REQUIRE_EQ(pthread_join(t, NULL), 0);
	ATF_REQUIRE_EQ(pw.error, 0);
	ATF_REQUIRE(memcmp(src, dst, len) == 0);
	RL(rump_sys_close(p[1]));
	ATF_REQUIRE_EQ(RL(rump_sys_read(p[0], dst, 1)), 0);
	RL(rump_sys_close(p[0]));
	free(src);
	free(dst);
}

/* ------------------------------------------------------------------ */
/* poll().                                                             */

static int64_t
host_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

ATF_TC_WITHOUT_HEAD(poll_pipe);
ATF_TC_BODY(poll_pipe, tc)
{
	struct pollfd pfd[4];
	char buf[8];
	int p[2], closedfd;

	RZ(rump_init());
	RL(rump_sys_pipe(p));
	pfd[0].fd = p[0];
	pfd[0].events = POLLIN;
	pfd[1].fd = p[1];
	pfd[1].events = POLLOUT;
	/* Nothing to read; room to write. */
	ATF_REQUIRE_EQ(RL(rump_sys_poll(pfd, 2, 0)), 1);
	ATF_REQUIRE_EQ(pfd[0].revents, 0);
	ATF_REQUIRE_EQ(pfd[1].revents, POLLOUT);
	ATF_REQUIRE_EQ(RL(rump_sys_poll(pfd, 1, 0)), 0);
	/* Data. */
	xwrite(p[1], "x", 1);
	ATF_REQUIRE_EQ(RL(rump_sys_poll(pfd, 2, 0)), 2);
	ATF_REQUIRE_EQ(pfd[0].revents, POLLIN);
	ATF_REQUIRE_EQ(pfd[1].revents, POLLOUT);
	/* Only what was asked for (and the unmaskable ones). */
	pfd[0].events = POLLOUT;
	ATF_REQUIRE_EQ(RL(rump_sys_poll(pfd, 1, 0)), 0);
	ATF_REQUIRE_EQ(pfd[0].revents, 0);
	pfd[0].events = POLLIN;
	/* A descriptor -1 is skipped; a closed one is POLLNVAL. */
	closedfd = RL(rump_sys_dup(p[0]));
	RL(rump_sys_close(closedfd));
	pfd[2].fd = -1;
	pfd[2].events = POLLIN;
	pfd[2].revents = 0x7f;
	pfd[3].fd = closedfd;
	pfd[3].events = POLLIN;
	ATF_REQUIRE_EQ(RL(rump_sys_poll(pfd, 4, 0)), 3);
	ATF_REQUIRE_EQ(pfd[2].revents, 0);
	ATF_REQUIRE_EQ(pfd[3].revents, POLLNVAL);
	/* The writer goes: POLLHUP, with the data still readable. */
	RL(rump_sys_close(p[1]));
	ATF_REQUIRE_EQ(RL(rump_sys_poll(pfd, 1, 0)), 1);
	ATF_REQUIRE_EQ(pfd[0].revents, POLLIN | POLLHUP);
	ATF_REQUIRE_EQ(RL(rump_sys_read(p[0], buf, sizeof(buf))), 1);
	ATF_REQUIRE_EQ(RL(rump_sys_poll(pfd, 1, 0)), 1);
	ATF_REQUIRE(pfd[0].revents & POLLHUP);
	RL(rump_sys_close(p[0]));
	/* The reader goes: the writer sees POLLERR. */
	RL(rump_sys_pipe(p));
	RL(rump_sys_close(p[0]));
	pfd[0].fd = p[1];
	pfd[0].events = POLLOUT;
	ATF_REQUIRE_EQ(RL(rump_sys_poll(pfd, 1, 0)), 1);
	ATF_REQUIRE(pfd[0].revents & POLLERR);
	RL(rump_sys_close(p[1]));
	/* Bad arguments. */
	RE(EFAULT, rump_sys_poll(NULL, 1, 0));
	RE(EINVAL, rump_sys_poll(pfd, 1000000, 0));
}

ATF_TC_WITHOUT_HEAD(poll_timeout);
ATF_TC_BODY(poll_timeout, tc)
{
	struct pipe_writer pw;
	struct pollfd pfd;
	pthread_t t;
	int64_t t0, dt;
	int p[2];

	RZ(rump_init());
	RL(rump_sys_pipe(p));
	pfd.fd = p[0];
	pfd.events = POLLIN;
	/* Nothing happens: poll waits the timeout, then returns 0. */
	t0 = host_ms();
	ATF_REQUIRE_EQ(RL(rump_sys_poll(&pfd, 1, 150)), 0);
	dt = host_ms() - t0;
	ATF_REQUIRE_MSG(dt >= 140 && dt < 5000, "150 ms took %lld ms",
	    (long long)dt);
	/* No descriptors at all: a sleep. */
	t0 = host_ms();
	ATF_REQUIRE_EQ(RL(rump_sys_poll(NULL, 0, 100)), 0);
	dt = host_ms() - t0;
	ATF_REQUIRE_MSG(dt >= 90 && dt < 5000, "100 ms took %lld ms",
	    (long long)dt);
	/* A writer 100 ms later wakes a long wait early. */
	memset(&pw, 0, sizeof(pw));
	pw.fd = p[1];
	pw.data = "wake";
	pw.len = 4;
	pw.delay_ms = 100;
	t0 = host_ms();
	ATF_REQUIRE_EQ(pthread_create(&t, NULL, pipe_writer_thread, &pw), 0);
	ATF_REQUIRE_EQ(RL(rump_sys_poll(&pfd, 1, 20000)), 1);
	dt = host_ms() - t0;
	ATF_REQUIRE_EQ(pfd.revents, POLLIN);
	ATF_REQUIRE_MSG(dt >= 90 && dt < 10000, "woken after %lld ms",
	    (long long)dt);
	ATF_REQUIRE_EQ(pthread_join(t, NULL), 0);
	ATF_REQUIRE_EQ(pw.error, 0);
	/* Infinite wait, woken by the writer closing. */
	RL(rump_sys_close(p[1]));
	ATF_REQUIRE_EQ(RL(rump_sys_poll(&pfd, 1, -1)), 1);
	RL(rump_sys_close(p[0]));
}

FSTEST(poll_file, "poll() on regular files and directories: always ready")
{
	struct pollfd pfd[2];
	int fd, dfd;

	enter(mnt);
	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT, 0644));
	dfd = RL(rump_sys_open(".", O_RDONLY | O_DIRECTORY));
	pfd[0].fd = fd;
	pfd[0].events = POLLIN | POLLOUT;
	pfd[1].fd = dfd;
	pfd[1].events = POLLIN;
	ATF_REQUIRE_EQ(RL(rump_sys_poll(pfd, 2, 0)), 2);
	ATF_REQUIRE_EQ(pfd[0].revents, POLLIN | POLLOUT);
	ATF_REQUIRE_EQ(pfd[1].revents, POLLIN);
	/* Even with a long timeout, at once. */
	ATF_REQUIRE_EQ(RL(rump_sys_poll(pfd, 1, 10000)), 1);
	RL(rump_sys_close(fd));
	RL(rump_sys_close(dfd));
	leave();
}

/* select(): poll() by other means, with the host's fd_set. */
ATF_TC_WITHOUT_HEAD(select_pipe);
ATF_TC_BODY(select_pipe, tc)
{
	struct pipe_writer pw;
	struct timeval tv;
	fd_set r, w;
	pthread_t t;
	int64_t t0, dt;
	int p[2], closedfd;

	RZ(rump_init());
	RL(rump_sys_pipe(p));
	/* Nothing to read; room to write. */
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	memset(&tv, 0, sizeof(tv));
	ATF_REQUIRE_EQ(RL(rump_sys_select(p[1] + 1, &r, &w, NULL, &tv)), 1);
	ATF_REQUIRE(!FD_ISSET(p[0], &r));
	ATF_REQUIRE(FD_ISSET(p[1], &w));
	/* Data: both, and a set asked of both descriptors counts twice. */
	xwrite(p[1], "x", 1);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	FD_SET(p[1], &r);
	FD_ZERO(&w);
	FD_SET(p[1], &w);
	ATF_REQUIRE_EQ(RL(rump_sys_select(p[1] + 1, &r, &w, NULL, &tv)), 2);
	ATF_REQUIRE(FD_ISSET(p[0], &r));
	ATF_REQUIRE(!FD_ISSET(p[1], &r));
	ATF_REQUIRE(FD_ISSET(p[1], &w));
	/* Descriptors at or above nd are not looked at, nor changed. */
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	FD_SET(600, &r);
	ATF_REQUIRE_EQ(RL(rump_sys_select(p[0] + 1, &r, NULL, NULL, &tv)), 1);
	ATF_REQUIRE(FD_ISSET(600, &r));
	/* A closed descriptor: EBADF; bad nd or timeout: EINVAL. */
	closedfd = RL(rump_sys_dup(p[0]));
	RL(rump_sys_close(closedfd));
	FD_ZERO(&r);
	FD_SET(closedfd, &r);
	RE(EBADF, rump_sys_select(closedfd + 1, &r, NULL, NULL, &tv));
	RE(EINVAL, rump_sys_select(-1, NULL, NULL, NULL, &tv));
	RE(EINVAL, rump_sys_select(FD_SETSIZE + 1, NULL, NULL, NULL, &tv));
	tv.tv_usec = 1000000;
	RE(EINVAL, rump_sys_select(0, NULL, NULL, NULL, &tv));
	/* Drained: a timeout of 150 ms passes with nothing. */
	ATF_REQUIRE_EQ(RL(rump_sys_read(p[0], &closedfd, 1)), 1);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv.tv_sec = 0;
	tv.tv_usec = 150000;
	t0 = host_ms();
	ATF_REQUIRE_EQ(RL(rump_sys_select(p[0] + 1, &r, NULL, NULL, &tv)), 0);
	dt = host_ms() - t0;
	ATF_REQUIRE_MSG(dt >= 140 && dt < 5000, "150 ms took %lld ms",
	    (long long)dt);
	ATF_REQUIRE(!FD_ISSET(p[0], &r));
	/* No timeout: a writer 100 ms later wakes it. */
	memset(&pw, 0, sizeof(pw));
	pw.fd = p[1];
	pw.data = "wake";
	pw.len = 4;
	pw.delay_ms = 100;
	ATF_REQUIRE_EQ(pthread_create(&t, NULL, pipe_writer_thread, &pw), 0);
	FD_SET(p[0], &r);
	ATF_REQUIRE_EQ(RL(rump_sys_select(p[0] + 1, &r, NULL, NULL, NULL)), 1);
	ATF_REQUIRE(FD_ISSET(p[0], &r));
	ATF_REQUIRE_EQ(pthread_join(t, NULL), 0);
	/* The writer goes: readable (end of file). */
	RL(rump_sys_close(p[1]));
	ATF_REQUIRE_EQ(RL(rump_sys_read(p[0], &pw, 4)), 4);
	ATF_REQUIRE_EQ(RL(rump_sys_select(p[0] + 1, &r, NULL, NULL, NULL)), 1);
	/* But not exceptional: asked only that, the timeout passes. */
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv.tv_sec = 0;
	tv.tv_usec = 100000;
	t0 = host_ms();
	ATF_REQUIRE_EQ(RL(rump_sys_select(p[0] + 1, NULL, NULL, &r, &tv)), 0);
	dt = host_ms() - t0;
	ATF_REQUIRE_MSG(dt >= 90, "100 ms took %lld ms", (long long)dt);
	ATF_REQUIRE(!FD_ISSET(p[0], &r));
	RL(rump_sys_close(p[0]));
}

FSTEST(select_file, "select() on regular files: always ready")
{
	struct timeval tv = { 10, 0 };
	fd_set r, w;
	int fd;

	enter(mnt);
	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT, 0644));
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(fd, &r);
	FD_SET(fd, &w);
	ATF_REQUIRE_EQ(RL(rump_sys_select(fd + 1, &r, &w, NULL, &tv)), 2);
	ATF_REQUIRE(FD_ISSET(fd, &r) && FD_ISSET(fd, &w));
	RL(rump_sys_close(fd));
	leave();
}

/* ------------------------------------------------------------------ */
/* File system statistics.                                             */

FSTEST(statvfs, "statvfs() and fstatvfs(): sane fields")
{
	struct statvfs s1, s2, sr;
	int fd;

	RL(rump_sys_statvfs(mnt, &s1));
	fd = RL(rump_sys_open(mnt, O_RDONLY | O_DIRECTORY));
	RL(rump_sys_fstatvfs(fd, &s2));
	RL(rump_sys_close(fd));
	RL(rump_sys_statvfs("/", &sr));
	ATF_REQUIRE_EQ(s1.f_namemax, 255);
	ATF_REQUIRE(s1.f_bsize > 0);
	ATF_REQUIRE(s1.f_frsize > 0);
	ATF_REQUIRE(s1.f_blocks > 0);
	ATF_REQUIRE(s1.f_bfree <= s1.f_blocks);
	ATF_REQUIRE(s1.f_bavail <= s1.f_bfree);
	ATF_REQUIRE(s1.f_ffree <= s1.f_files);
	ATF_REQUIRE(s1.f_favail <= s1.f_ffree);
	ATF_REQUIRE((s1.f_flag & ST_RDONLY) == 0);
	ATF_REQUIRE_EQ(s1.f_fsid, s2.f_fsid);
	ATF_REQUIRE_EQ(s1.f_blocks, s2.f_blocks);
	ATF_REQUIRE_EQ(s1.f_frsize, s2.f_frsize);
	ATF_REQUIRE(s1.f_fsid != sr.f_fsid);
	/* Any path inside gives the same file system. */
	enter(mnt);
	RL(rump_sys_mkdir("d", 0755));
	RL(rump_sys_statvfs("d", &s2));
	ATF_REQUIRE_EQ(s1.f_fsid, s2.f_fsid);
	RE(ENOENT, rump_sys_statvfs("nothere", &s2));
	RE(EBADF, rump_sys_fstatvfs(-1, &s2));
	leave();
}

FSTEST(statvfs_counts, "statvfs(): a 1 MiB file takes 1 MiB; removing it gives it back",
    .ft_needs = FS_HAS_STATVFS_EXACT)
{
	static char buf[1024 * 1024];
	struct statvfs s0, s1, s2;
	uint64_t used;
	int fd;

	memset(buf, 'z', sizeof(buf));
	enter(mnt);
	RL(rump_sys_statvfs(".", &s0));
	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT, 0644));
	RL(rump_sys_statvfs(".", &s1));
	if (s0.f_files > 0)
		ATF_REQUIRE_EQ_MSG(s0.f_ffree - s1.f_ffree, 1,
		    "a new file took %llu inodes",
		    (unsigned long long)(s0.f_ffree - s1.f_ffree));
	xwrite(fd, buf, sizeof(buf));
	RL(rump_sys_fsync(fd));
	RL(rump_sys_fstatvfs(fd, &s2));
	ATF_REQUIRE(s2.f_bfree < s1.f_bfree);
	used = (s1.f_bfree - s2.f_bfree) * s2.f_frsize;
	ATF_REQUIRE_MSG(used >= sizeof(buf) && used <= sizeof(buf) + 64 * 1024,
	    "1 MiB of data took %llu bytes", (unsigned long long)used);
	ATF_REQUIRE(xfstat(fd).st_blocks * 512 >= (blkcnt_t)sizeof(buf));
	/* A sparse extension takes next to nothing. */
	if (fs->fs_flags & FS_HAS_SPARSE) {
		RL(rump_sys_ftruncate(fd, 1 * GiB));
		RL(rump_sys_fstatvfs(fd, &s1));
		ATF_REQUIRE((s2.f_bfree - s1.f_bfree) * s1.f_frsize <
		    64 * 1024);
	}
	RL(rump_sys_close(fd));
	RL(rump_sys_unlink("f"));
	RL(rump_sys_statvfs(".", &s2));
	ATF_REQUIRE_EQ_MSG(s2.f_bfree, s0.f_bfree,
	    "free blocks %llu after removing the file, %llu before",
	    (unsigned long long)s2.f_bfree, (unsigned long long)s0.f_bfree);
	ATF_REQUIRE_EQ(s2.f_ffree, s0.f_ffree);
	leave();
}

/* ------------------------------------------------------------------ */
/* fcntl() file status flags.                                          */

FSTEST(fcntl_flags, "F_GETFL and F_SETFL: access mode fixed, flags per open file")
{
	int fd, d, other, fl;
	char c;

	enter(mnt);
	mkfile("f", "abc");
	fd = RL(rump_sys_open("f", O_RDONLY));
	ATF_REQUIRE_EQ(RL(rump_sys_fcntl(fd, F_GETFL)) & O_ACCMODE, O_RDONLY);
	RL(rump_sys_close(fd));
	fd = RL(rump_sys_open("f", O_WRONLY | O_APPEND));
	fl = RL(rump_sys_fcntl(fd, F_GETFL));
	ATF_REQUIRE_EQ(fl & O_ACCMODE, O_WRONLY);
	ATF_REQUIRE(fl & O_APPEND);
	ATF_REQUIRE((fl & (O_NONBLOCK | O_CREAT | O_TRUNC | O_EXCL)) == 0);
	RL(rump_sys_close(fd));
	fd = RL(rump_sys_open("f", O_RDONLY | O_NONBLOCK));
	ATF_REQUIRE(RL(rump_sys_fcntl(fd, F_GETFL)) & O_NONBLOCK);
	/* F_SETFL cannot change the access mode. */
	RL(rump_sys_fcntl(fd, F_SETFL, O_RDWR));
	fl = RL(rump_sys_fcntl(fd, F_GETFL));
	ATF_REQUIRE_EQ(fl & O_ACCMODE, O_RDONLY);
	ATF_REQUIRE((fl & O_NONBLOCK) == 0);
	RE(EBADF, rump_sys_write(fd, "x", 1));
	/* Status flags belong to the open file: dup()s share them. */
	d = RL(rump_sys_dup(fd));
	other = RL(rump_sys_open("f", O_RDONLY));
	RL(rump_sys_fcntl(fd, F_SETFL, O_NONBLOCK | O_APPEND));
	fl = RL(rump_sys_fcntl(d, F_GETFL));
	ATF_REQUIRE((fl & (O_NONBLOCK | O_APPEND)) == (O_NONBLOCK | O_APPEND));
	ATF_REQUIRE((RL(rump_sys_fcntl(other, F_GETFL)) &
	    (O_NONBLOCK | O_APPEND)) == 0);
	/* O_NONBLOCK changes nothing for a regular file. */
	ATF_REQUIRE_EQ(RL(rump_sys_read(fd, &c, 1)), 1);
	RL(rump_sys_close(fd));
	RL(rump_sys_close(d));
	RL(rump_sys_close(other));
	/* Errors. */
	RE(EBADF, rump_sys_fcntl(fd, F_GETFL));
	RE(EBADF, rump_sys_fcntl(-1, F_SETFL, 0));
	other = RL(rump_sys_open("f", O_RDONLY));
	RE(EINVAL, rump_sys_fcntl(other, 12345));
	RL(rump_sys_close(other));
	leave();
}

/* ------------------------------------------------------------------ */
/* Advisory record locks.                                              */

static int
lk(int fd, int cmd, short type, short whence, off_t start, off_t len)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = whence;
	fl.l_start = start;
	fl.l_len = len;
	if (rump_sys_fcntl(fd, cmd, &fl) == -1)
		return errno;
	return 0;
}

#define LOCK(fd, type, start, len)					\
	RZ(lk(fd, F_SETLK, type, SEEK_SET, start, len))

/* POSIX: a conflicting F_SETLK fails with EACCES or EAGAIN. */
#define LOCK_BUSY(fd, type, start, len)					\
	do {								\
		int lb_e_ = lk(fd, F_SETLK, type, SEEK_SET, start, len); \
									\
		ATF_REQUIRE_MSG(lb_e_ == EAGAIN || lb_e_ == EACCES,	\
		    "lock [%lld, +%lld): want a conflict, got %s",	\
		    (long long)(start), (long long)(len),		\
		    strerror(lb_e_));					\
	} while (/* CONSTCOND */ 0)

/* F_GETLK for a write lock over [start, start + len). */
static struct flock
getlk(int fd, off_t start, off_t len)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = start;
	fl.l_len = len;
	RL(rump_sys_fcntl(fd, F_GETLK, &fl));
	return fl;
}

#define REQUIRE_HOLDER(fl, type, start, len, pid)			\
	do {								\
		ATF_REQUIRE_EQ((fl).l_type, (type));			\
		ATF_REQUIRE_EQ((fl).l_whence, SEEK_SET);		\
		ATF_REQUIRE_EQ((fl).l_start, (start));			\
		ATF_REQUIRE_EQ((fl).l_len, (len));			\
		ATF_REQUIRE_EQ((fl).l_pid, (pid));			\
	} while (/* CONSTCOND */ 0)

/*
 * Two kernel processes on one host thread: "a" (the test's own) and
 * "b", a child; switch between them with to_a() and to_b().
 */
static struct lwp *lwp_a, *lwp_b;
static pid_t pid_a, pid_b;

static void
two_procs(void)
{

	lwp_a = rump_pub_lwproc_curlwp();
	pid_a = rump_sys_getpid();
	RZ(rump_pub_lwproc_rfork(RUMP_RFCFDG));
	lwp_b = rump_pub_lwproc_curlwp();
	pid_b = rump_sys_getpid();
	ATF_REQUIRE(pid_a != pid_b);
	rump_pub_lwproc_switch(lwp_a);
}

/* Switching to the lwp one runs as already is not allowed: check. */
static void
to_a(void)
{

	if (rump_pub_lwproc_curlwp() != lwp_a)
		rump_pub_lwproc_switch(lwp_a);
}

static void
to_b(void)
{

	if (rump_pub_lwproc_curlwp() != lwp_b)
		rump_pub_lwproc_switch(lwp_b);
}

/* Process b exits (its descriptors close); we are a again. */
static void
end_b(void)
{

	to_b();
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(lwp_a);
	lwp_b = NULL;
}

FSTEST(lock_conflict, "F_SETLK conflicts between processes, F_GETLK names the holder",
    .ft_needs = FS_HAS_LOCKS)
{
	struct flock fl;
	int fa, fb;

	enter(mnt);
	mkfile("f", "0123456789");
	two_procs();
	fa = RL(rump_sys_open("f", O_RDWR));
	LOCK(fa, F_WRLCK, 0, 100);
	to_b();
	fb = RL(rump_sys_open("f", O_RDWR));
	LOCK_BUSY(fb, F_WRLCK, 50, 10);
	LOCK_BUSY(fb, F_RDLCK, 0, 1);
	LOCK_BUSY(fb, F_WRLCK, 99, 1);
	LOCK_BUSY(fb, F_WRLCK, 0, 0);		/* to the end and beyond */
	LOCK(fb, F_WRLCK, 100, 10);		/* next to it: no overlap */
	fl = getlk(fb, 0, 200);
	REQUIRE_HOLDER(fl, F_WRLCK, 0, 100, pid_a);
	fl = getlk(fb, 200, 10);
	ATF_REQUIRE_EQ(fl.l_type, F_UNLCK);
	/* One's own locks never conflict. */
	fl = getlk(fb, 100, 10);
	ATF_REQUIRE_EQ(fl.l_type, F_UNLCK);
	to_a();
	fl = getlk(fa, 90, 20);
	ATF_REQUIRE_EQ(fl.l_type, F_WRLCK);
	ATF_REQUIRE_EQ(fl.l_pid, pid_b);
	ATF_REQUIRE_EQ(fl.l_start, 100);
	ATF_REQUIRE_EQ(fl.l_len, 10);
	/* Read locks share; a write lock conflicts with them. */
	LOCK(fa, F_RDLCK, 0, 100);		/* downgrade in place */
	to_b();
	LOCK(fb, F_RDLCK, 0, 50);
	LOCK_BUSY(fb, F_WRLCK, 40, 20);
	to_a();
	LOCK_BUSY(fa, F_WRLCK, 0, 10);
	/* b lets go: a may upgrade. */
	to_b();
	LOCK(fb, F_UNLCK, 0, 0);
	to_a();
	LOCK(fa, F_WRLCK, 0, 10);
	/* Errors: the descriptor's mode, bad types and ranges. */
	RL(rump_sys_close(fa));
	fa = RL(rump_sys_open("f", O_RDONLY));
	ATF_REQUIRE_EQ(lk(fa, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), EBADF);
	LOCK(fa, F_RDLCK, 0, 1);
	RL(rump_sys_close(fa));
	fa = RL(rump_sys_open("f", O_WRONLY));
	ATF_REQUIRE_EQ(lk(fa, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), EBADF);
	ATF_REQUIRE_EQ(lk(fa, F_SETLK, 42, SEEK_SET, 0, 1), EINVAL);
	ATF_REQUIRE_EQ(lk(fa, F_SETLK, F_WRLCK, 42, 0, 1), EINVAL);
	ATF_REQUIRE_EQ(lk(fa, F_SETLK, F_WRLCK, SEEK_SET, -1, 1), EINVAL);
	ATF_REQUIRE_EQ(lk(fa, F_SETLK, F_WRLCK, SEEK_SET, 5, -6), EINVAL);
	RE(EFAULT, rump_sys_fcntl(fa, F_SETLK, NULL));
	RL(rump_sys_close(fa));
	end_b();
	leave();
}

FSTEST(lock_ranges, "record locks split, merge, change type; l_len 0 and negative; whence",
    .ft_needs = FS_HAS_LOCKS)
{
	struct flock fl;
	int fa, fb;

	enter(mnt);
	mkfile("f", "0123456789");
	two_procs();
	fa = RL(rump_sys_open("f", O_RDWR));
	to_b();
	fb = RL(rump_sys_open("f", O_RDWR));

	/* Unlocking the middle splits a lock in two. */
	to_a();
	LOCK(fa, F_WRLCK, 0, 100);
	LOCK(fa, F_UNLCK, 40, 20);
	to_b();
	fl = getlk(fb, 0, 0);
	REQUIRE_HOLDER(fl, F_WRLCK, 0, 40, pid_a);
	fl = getlk(fb, 40, 20);
	ATF_REQUIRE_EQ(fl.l_type, F_UNLCK);
	fl = getlk(fb, 50, 100);
	REQUIRE_HOLDER(fl, F_WRLCK, 60, 40, pid_a);
	LOCK(fb, F_WRLCK, 40, 20);
	LOCK(fb, F_UNLCK, 40, 20);

	/* Filling the gap merges them into one again. */
	to_a();
	LOCK(fa, F_WRLCK, 40, 20);
	to_b();
	fl = getlk(fb, 30, 40);
	REQUIRE_HOLDER(fl, F_WRLCK, 0, 100, pid_a);

	/* A read lock in the middle of a write lock: three pieces. */
	to_a();
	LOCK(fa, F_RDLCK, 40, 20);
	to_b();
	LOCK(fb, F_RDLCK, 45, 10);
	LOCK_BUSY(fb, F_RDLCK, 30, 20);
	LOCK_BUSY(fb, F_RDLCK, 55, 10);
	fl = getlk(fb, 40, 20);
	REQUIRE_HOLDER(fl, F_RDLCK, 40, 20, pid_a);
	LOCK(fb, F_UNLCK, 0, 0);

	/* l_len 0: to the end of the file and beyond, however it grows. */
	to_a();
	LOCK(fa, F_UNLCK, 0, 0);
	LOCK(fa, F_WRLCK, 1000, 0);
	to_b();
	LOCK(fb, F_WRLCK, 0, 1000);
	LOCK_BUSY(fb, F_WRLCK, 1000000000, 1);
	fl = getlk(fb, 5000, 1);
	REQUIRE_HOLDER(fl, F_WRLCK, 1000, 0, pid_a);
	LOCK(fb, F_UNLCK, 0, 0);

	/* A negative length: the bytes before l_start. */
	to_a();
	LOCK(fa, F_UNLCK, 0, 0);
	LOCK(fa, F_WRLCK, 10, -5);
	to_b();
	fl = getlk(fb, 0, 20);
	REQUIRE_HOLDER(fl, F_WRLCK, 5, 5, pid_a);
	LOCK(fb, F_WRLCK, 10, 1);
	LOCK(fb, F_WRLCK, 0, 5);
	LOCK(fb, F_UNLCK, 0, 0);

	/* SEEK_CUR and SEEK_END: relative to the offset and the size. */
	to_a();
	LOCK(fa, F_UNLCK, 0, 0);
	xlseek(fa, 3, SEEK_SET);
	RZ(lk(fa, F_SETLK, F_WRLCK, SEEK_CUR, 1, 2));	/* [4, 6) */
	RZ(lk(fa, F_SETLK, F_WRLCK, SEEK_END, -2, 2));	/* [8, 10) */
	to_b();
	fl = getlk(fb, 0, 7);
	REQUIRE_HOLDER(fl, F_WRLCK, 4, 2, pid_a);
	fl = getlk(fb, 7, 0);
	REQUIRE_HOLDER(fl, F_WRLCK, 8, 2, pid_a);
	/* F_GETLK answers SEEK_SET even when asked relative to the end. */
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_RDLCK;
	fl.l_whence = SEEK_END;
	fl.l_start = -1;
	fl.l_len = 1;
	RL(rump_sys_fcntl(fb, F_GETLK, &fl));
	REQUIRE_HOLDER(fl, F_WRLCK, 8, 2, pid_a);

	RL(rump_sys_close(fb));
	to_a();
	RL(rump_sys_close(fa));
	end_b();
	leave();
}

FSTEST(lock_release, "a process's locks go when it closes a descriptor of the file, "
    "or exits", .ft_needs = FS_HAS_LOCKS)
{
	struct flock fl;
	int fa, fb, fb2, fb3;

	enter(mnt);
	mkfile("f", "0123456789");
	mkfile("g", "other");
	two_procs();
	fa = RL(rump_sys_open("f", O_RDWR));
	to_b();
	fb = RL(rump_sys_open("f", O_RDWR));
	fb3 = RL(rump_sys_open("g", O_RDWR));
	LOCK(fb, F_WRLCK, 0, 5);
	LOCK(fb3, F_WRLCK, 0, 5);
	to_a();
	LOCK_BUSY(fa, F_WRLCK, 0, 1);
	/* Closing another file's descriptor changes nothing. */
	to_b();
	RL(rump_sys_close(fb3));
	to_a();
	LOCK_BUSY(fa, F_WRLCK, 0, 1);
	/* Closing a dup()ed descriptor of the file drops the lock. */
	to_b();
	fb2 = RL(rump_sys_dup(fb));
	RL(rump_sys_close(fb2));
	to_a();
	fl = getlk(fa, 0, 0);
	ATF_REQUIRE_EQ(fl.l_type, F_UNLCK);
	LOCK(fa, F_WRLCK, 0, 5);
	LOCK(fa, F_UNLCK, 0, 0);
	/* Closing a's descriptor of the file leaves b's locks alone. */
	to_b();
	LOCK(fb, F_WRLCK, 0, 5);
	to_a();
	fb2 = RL(rump_sys_open("f", O_RDONLY));
	RL(rump_sys_close(fb2));
	LOCK_BUSY(fa, F_WRLCK, 0, 1);
	/* The holder exits. */
	end_b();
	LOCK(fa, F_WRLCK, 0, 5);
	RL(rump_sys_close(fa));
	leave();
}

FSTEST(lock_release_other, "closing ANY descriptor of the file drops the process's locks, "
    "even one opened separately (POSIX)", .ft_needs = FS_HAS_LOCKS)
{
	struct flock fl;
	int fa, fb, fb2;

	enter(mnt);
	mkfile("f", "0123456789");
	two_procs();
	fa = RL(rump_sys_open("f", O_RDWR));
	to_b();
	fb = RL(rump_sys_open("f", O_RDWR));
	fb2 = RL(rump_sys_open("f", O_RDONLY));
	LOCK(fb, F_WRLCK, 0, 5);
	RL(rump_sys_close(fb2));
	to_a();
	fl = getlk(fa, 0, 0);
	ATF_REQUIRE_EQ(fl.l_type, F_UNLCK);
	LOCK(fa, F_WRLCK, 0, 1);
	to_b();
	RL(rump_sys_close(fb));
	end_b();
	RL(rump_sys_close(fa));
	leave();
}

struct lock_waiter {
	const char	*path;
	atomic_int	state;	/* 1 waiting, 2 locked */
	atomic_int	release;
	atomic_int	unlocked; /* the holder has let go */
	bool		early;	/* locked before the holder let go */
	pid_t		pid;
	int		error;
};

static void *
lock_wait_thread(void *arg)
{
	struct lock_waiter *lw = arg;
	struct flock fl;
	int fd, error;

	/* A process of its own, so the lock is not the holder's. */
	if ((error = rump_pub_lwproc_rfork(RUMP_RFCFDG)) != 0) {
		lw->error = error;
		atomic_store(&lw->state, 2);
		return NULL;
	}
	lw->pid = rump_sys_getpid();
	if ((fd = rump_sys_open(lw->path, O_RDWR)) == -1) {
		lw->error = errno;
		goto out;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 5;
	fl.l_len = 1;
	atomic_store(&lw->state, 1);
	if (rump_sys_fcntl(fd, F_SETLKW, &fl) == -1)
		lw->error = errno;
	lw->early = atomic_load(&lw->unlocked) == 0;
	atomic_store(&lw->state, 2);
	while (atomic_load(&lw->release) == 0)
		msleep(5);
	rump_sys_close(fd);
out:
	atomic_store(&lw->state, 2);
	rump_pub_lwproc_releaselwp();
	return NULL;
}

FSTEST(lock_wait, "F_SETLKW sleeps until the holder lets go", .ft_needs = FS_HAS_LOCKS)
{
	struct lock_waiter lw;
	struct flock fl;
	char path[128];
	pthread_t t;
	int fd, i;

	enter(mnt);
	mkfile("f", "0123456789");
	snprintf(path, sizeof(path), "%s/f", mnt);
	fd = RL(rump_sys_open("f", O_RDWR));
	LOCK(fd, F_WRLCK, 0, 10);
	memset(&lw, 0, sizeof(lw));
	lw.path = path;
	ATF_REQUIRE_EQ(pthread_create(&t, NULL, lock_wait_thread, &lw), 0);
	for (i = 0; i < 1000 && atomic_load(&lw.state) == 0; i++)
		msleep(5);
	ATF_REQUIRE_EQ_MSG(lw.error, 0, "waiter: %s", strerror(lw.error));
	ATF_REQUIRE_EQ(atomic_load(&lw.state), 1);
	/* It waits. */
	msleep(200);
	ATF_REQUIRE_MSG(atomic_load(&lw.state) == 1,
	    "F_SETLKW returned while the lock was held");
	/* Unlocking another range does not wake it up to success. */
	LOCK(fd, F_UNLCK, 0, 5);
	msleep(100);
	ATF_REQUIRE(atomic_load(&lw.state) == 1);
	/* Unlocking its byte does. */
	atomic_store(&lw.unlocked, 1);
	LOCK(fd, F_UNLCK, 5, 1);
	for (i = 0; i < 2000 && atomic_load(&lw.state) != 2; i++)
		msleep(5);
	ATF_REQUIRE_MSG(atomic_load(&lw.state) == 2,
	    "F_SETLKW still waits after the unlock");
	ATF_REQUIRE_EQ_MSG(lw.error, 0, "F_SETLKW: %s", strerror(lw.error));
	ATF_REQUIRE(!lw.early);
	/* The waiter holds it now. */
	fl = getlk(fd, 0, 10);
	REQUIRE_HOLDER(fl, F_WRLCK, 5, 1, lw.pid);
	atomic_store(&lw.release, 1);
	ATF_REQUIRE_EQ(pthread_join(t, NULL), 0);
	/* Its exit released it. */
	fl = getlk(fd, 0, 10);
	ATF_REQUIRE_EQ(fl.l_type, F_UNLCK);
	RL(rump_sys_close(fd));
	leave();
}

/* ------------------------------------------------------------------ */
/* Permissions as other users.                                         */

FSTEST(perm_bits, "open() as others: owner, group, supplementary groups, other",
    .ft_needs = FS_HAS_OWNERS | FS_HAS_PERMS)
{
	const gid_t g200 = 200, some[] = { 7, 200, 9 };
	int fd;

	enter(mnt);
	mkfile("f", "secret");
	RL(rump_sys_chown("f", 100, 200));
	RL(rump_sys_chmod("f", 0640));

	become(100, 100, 0, NULL);		/* owner: rw */
	fd = RL(rump_sys_open("f", O_RDWR));
	RL(rump_sys_close(fd));
	unbecome();

	become(300, 200, 0, NULL);		/* group: r */
	fd = RL(rump_sys_open("f", O_RDONLY));
	RL(rump_sys_close(fd));
	RE(EACCES, rump_sys_open("f", O_WRONLY));
	RE(EACCES, rump_sys_open("f", O_RDWR));
	RE(EACCES, rump_sys_open("f", O_RDONLY | O_TRUNC));
	RE(EACCES, rump_sys_truncate("f", 0));
	unbecome();

	become(300, 300, 1, &g200);		/* supplementary group */
	fd = RL(rump_sys_open("f", O_RDONLY));
	RL(rump_sys_close(fd));
	RE(EACCES, rump_sys_open("f", O_WRONLY));
	unbecome();
	become(300, 300, 3, some);
	fd = RL(rump_sys_open("f", O_RDONLY));
	RL(rump_sys_close(fd));
	unbecome();

	become(300, 300, 0, NULL);		/* other: nothing */
	RE(EACCES, rump_sys_open("f", O_RDONLY));
	unbecome();

	/* The owner's bits decide for the owner, even if others get more. */
	RL(rump_sys_chmod("f", 0077));
	become(100, 200, 1, &g200);
	RE(EACCES, rump_sys_open("f", O_RDONLY));
	unbecome();
	become(300, 200, 0, NULL);
	fd = RL(rump_sys_open("f", O_RDWR));
	RL(rump_sys_close(fd));
	unbecome();

	/* A descriptor keeps its access after a chmod. */
	RL(rump_sys_chmod("f", 0666));
	become_shared(300, 300);
	fd = RL(rump_sys_open("f", O_RDWR));
	unbecome();
	RL(rump_sys_chmod("f", 0));
	checkat(fd, 0, "secret", 6);
	RL(rump_sys_close(fd));

	/* Root: everything but execution without any x bit. */
	fd = RL(rump_sys_open("f", O_RDWR));
	RL(rump_sys_close(fd));
	checkfile("f", "secret");
	leave();
}

FSTEST(perm_dirs, "directories: write to change entries, search to pass, read to list",
    .ft_needs = FS_HAS_OWNERS | FS_HAS_PERMS)
{
	char buf[512];
	struct stat sb;
	int fd;

	enter(mnt);
	RL(rump_sys_mkdir("d", 0755));
	mkfile("d/f", "x");
	RL(rump_sys_mkdir("d/sub", 0755));
	RL(rump_sys_chown("d", 100, 100));
	RL(rump_sys_chown("d/f", 100, 100));
	RL(rump_sys_chmod("d", 0555));
	become(100, 100, 0, NULL);
	/* No write permission on d: nothing in it changes. */
	RE(EACCES, rump_sys_open("d/new", O_RDWR | O_CREAT, 0644));
	RE(EACCES, rump_sys_mkdir("d/new", 0755));
	RE(EACCES, rump_sys_unlink("d/f"));
	RE(EACCES, rump_sys_rmdir("d/sub"));
	RE(EACCES, rump_sys_rename("d/f", "d/g"));
	RE(EACCES, rump_sys_mkfifo("d/p", 0644));
	/* But the file itself can be written. */
	fd = RL(rump_sys_open("d/f", O_RDWR));
	RL(rump_sys_close(fd));
	/* The owner may give himself write permission. */
	RL(rump_sys_chmod("d", 0755));
	RL(rump_sys_rename("d/f", "d/g"));
	RL(rump_sys_chmod("d", 0311));
	/* Search without read: names work, listing does not. */
	RL(rump_sys_stat("d/g", &sb));
	RE(EACCES, rump_sys_open("d", O_RDONLY));
	/* Read without search: nothing inside can be reached. */
	RL(rump_sys_chmod("d", 0644));
	RE(EACCES, rump_sys_stat("d/g", &sb));
	RE(EACCES, rump_sys_open("d/g", O_RDONLY));
	RE(EACCES, rump_sys_chdir("d"));
	RE(EACCES, rump_sys_stat("d/sub/..", &sb));
	fd = RL(rump_sys_open("d", O_RDONLY));
	ATF_REQUIRE(RL(rump_sys_getdents(fd, buf, sizeof(buf))) > 0);
	RL(rump_sys_close(fd));
	unbecome();
	/* Root passes anyway. */
	RL(rump_sys_chmod("d", 0));
	RL(rump_sys_stat("d/g", &sb));
	RL(rump_sys_unlink("d/g"));
	leave();
}

FSTEST(perm_sticky, "a sticky directory: only the owners may remove or rename",
    .ft_needs = FS_HAS_OWNERS | FS_HAS_PERMS)
{
	int fd;

	enter(mnt);
	RL(rump_sys_mkdir("tmp", 0777));
	RL(rump_sys_chmod("tmp", 01777));
	RL(rump_sys_chown("tmp", 300, 300));
	become(100, 100, 0, NULL);
	mkfile("tmp/mine", "100's");
	RL(rump_sys_chmod("tmp/mine", 0666));
	RL(rump_sys_mkdir("tmp/mydir", 0777));
	unbecome();
	become(200, 200, 0, NULL);
	/* Not his: not removed, not renamed away, not replaced. */
	RE(EPERM, rump_sys_unlink("tmp/mine"));
	RE(EPERM, rump_sys_rename("tmp/mine", "tmp/stolen"));
	RE(EPERM, rump_sys_rmdir("tmp/mydir"));
	mkfile("tmp/his", "200's");
	RE(EPERM, rump_sys_rename("tmp/his", "tmp/mine"));
	/* He may still write to it: the mode says so. */
	fd = RL(rump_sys_open("tmp/mine", O_WRONLY | O_APPEND));
	xwrite(fd, "+", 1);
	RL(rump_sys_close(fd));
	/* His own file he may remove. */
	RL(rump_sys_rename("tmp/his", "tmp/his2"));
	RL(rump_sys_unlink("tmp/his2"));
	unbecome();
	ATF_REQUIRE(exists("tmp/mine"));
	checkfile("tmp/mine", "100's+");
	/* The directory's owner may. */
	become(300, 300, 0, NULL);
	RL(rump_sys_rename("tmp/mine", "tmp/moved"));
	unbecome();
	/* The file's owner may. */
	become(100, 100, 0, NULL);
	RL(rump_sys_unlink("tmp/moved"));
	unbecome();
	/* Root may. */
	RL(rump_sys_rmdir("tmp/mydir"));
	leave();
}

FSTEST(new_owner, "new files: the creator's uid; the group of a set-gid directory",
    .ft_needs = FS_HAS_OWNERS | FS_HAS_PERMS)
{
	struct stat sb;
	gid_t dgid;

	enter(mnt);
	RL(rump_sys_mkdir("d", 0777));
	RL(rump_sys_chmod("d", 0777));
	RL(rump_sys_chown("d", 0, 500));
	RL(rump_sys_mkdir("sg", 0777));
	RL(rump_sys_chown("sg", 0, 600));
	RL(rump_sys_chmod("sg", 02777));
	become(100, 100, 0, NULL);
	mkfile("d/f", "");
	mkfile("sg/f", "");
	RL(rump_sys_mkdir("sg/sub", 0755));
	unbecome();
	sb = xstat("d/f");
	ATF_REQUIRE_EQ(sb.st_uid, 100);
	/*
	 * POSIX lets the group of a new file be the creator's effective
	 * gid (Linux, System V) or the directory's (BSD).
	 */
	dgid = xstat("d").st_gid;
	ATF_REQUIRE_MSG(sb.st_gid == 100 || sb.st_gid == dgid,
	    "new file's gid %u", (unsigned)sb.st_gid);
	/* In a set-gid directory, both agree: the directory's group. */
	sb = xstat("sg/f");
	ATF_REQUIRE_EQ(sb.st_uid, 100);
	ATF_REQUIRE_EQ(sb.st_gid, 600);
	sb = xstat("sg/sub");
	ATF_REQUIRE_EQ(sb.st_gid, 600);
	leave();
}

FSTEST(umask, "the umask masks the mode of new files, per process")
{
	int fd;

	enter(mnt);
	ATF_REQUIRE_EQ(rump_sys_umask(027), 022);
	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT, 0777));
	RL(rump_sys_close(fd));
	ATF_REQUIRE_EQ(xstat("f").st_mode & 07777, 0750);
	RL(rump_sys_mkdir("d", 0777));
	ATF_REQUIRE_EQ(xstat("d").st_mode & 07777, 0750);
	if (fs->fs_flags & FS_HAS_FIFOS) {
		RL(rump_sys_mkfifo("p", 0666));
		ATF_REQUIRE_EQ(xstat("p").st_mode & 07777, 0640);
	}
	/* chmod is not masked. */
	RL(rump_sys_chmod("f", 0777));
	ATF_REQUIRE_EQ(xstat("f").st_mode & 07777, 0777);
	/* A child process starts with a copy; changing it there is local. */
	become(0, 0, 0, NULL);
	ATF_REQUIRE_EQ(rump_sys_umask(0), 027);
	fd = RL(rump_sys_open("g", O_RDWR | O_CREAT, 0777));
	RL(rump_sys_close(fd));
	unbecome();
	ATF_REQUIRE_EQ(xstat("g").st_mode & 07777, 0777);
	ATF_REQUIRE_EQ(rump_sys_umask(022), 027);
	leave();
}

/* ------------------------------------------------------------------ */
/* Mounting and unmounting.                                            */

FSTEST(unmount_busy, "unmount() is EBUSY while a file or a cwd is inside")
{
	int fd, fb;

	enter(mnt);
	mkfile("f", "busy");
	RL(rump_sys_mkdir("d", 0755));
	leave();
	/* An open file. */
	enter(mnt);
	fd = RL(rump_sys_open("f", O_RDONLY));
	leave();
	RE(EBUSY, rump_sys_unmount(mnt, 0));
	checkat(fd, 0, "busy", 4);
	RL(rump_sys_close(fd));
	/* A working directory. */
	enter(mnt);
	RL(rump_sys_chdir("d"));
	RE(EBUSY, rump_sys_unmount(mnt, 0));
	leave();
	/* Another process's open file. */
	two_procs();
	to_b();
	enter(mnt);
	fb = RL(rump_sys_open("f", O_RDONLY));
	leave();
	to_a();
	RE(EBUSY, rump_sys_unmount(mnt, 0));
	to_b();
	RL(rump_sys_close(fb));
	end_b();
	/* Nothing holds it now. */
	RZ(fstest_unmount(mnt, 0));
	enter(mnt);
	ATF_REQUIRE(!exists("f"));
	leave();
	RE(EINVAL, rump_sys_unmount(mnt, 0));
	RZ(fstest_mount(fs, mnt, NULL));
}

FSTEST(unmount_force, "MNT_FORCE unmounts a busy file system; old descriptors die")
{
	char buf[512];
	struct stat sb;
	int fd, dfd, wfd;

	enter(mnt);
	mkfile("f", "doomed");
	RL(rump_sys_mkdir("d", 0755));
	fd = RL(rump_sys_open("f", O_RDONLY));
	wfd = RL(rump_sys_open("f", O_WRONLY));
	dfd = RL(rump_sys_open("d", O_RDONLY | O_DIRECTORY));
	leave();
	RE(EBUSY, rump_sys_unmount(mnt, 0));
	RZ(fstest_unmount(mnt, RUMP_MNT_FORCE));
	/* The descriptors stay, but say EBADF or ENXIO (sys/sys/vnode.h). */
	RE2(EBADF, ENXIO, rump_sys_read(fd, buf, sizeof(buf)));
	RE2(EBADF, ENXIO, rump_sys_pread(fd, buf, sizeof(buf), 0));
	RE2(EBADF, ENXIO, rump_sys_write(wfd, "x", 1));
	RE2(EBADF, ENXIO, rump_sys_fstat(fd, &sb));
	RE2(EBADF, ENXIO, rump_sys_fstat(dfd, &sb));
	/* ... and can be closed. */
	RL(rump_sys_close(fd));
	RL(rump_sys_close(wfd));
	/* The directory underneath is back. */
	enter(mnt);
	ATF_REQUIRE(!exists("f"));
	ATF_REQUIRE(!exists("d"));
	leave();
	/* A new mount works as usual. */
	RZ(fstest_mount(fs, mnt, NULL));
	enter(mnt);
	mkfile("f", "reborn");
	checkfile("f", "reborn");
	leave();
	/* The directory descriptor: the same EBADF or ENXIO. */
	RE2(EBADF, ENXIO, rump_sys_getdents(dfd, buf, sizeof(buf)));
	RE2(EBADF, ENXIO, rump_sys_fchdir(dfd));
	RE2(EBADF, ENXIO, rump_sys_openat(dfd, "x", O_RDONLY));
	RL(rump_sys_close(dfd));
}

FSTEST(mount_covers, "a mount hides what is below it until it goes")
{
	char dir[64], path[128];
	struct dent d[8];
	size_t n;

	snprintf(dir, sizeof(dir), "%s/cover", mnt);
	RL(rump_sys_mkdir(dir, 0755));
	snprintf(path, sizeof(path), "%s/under", dir);
	mkfile(path, "below");
	RZ(fstest_mount(fs, dir, NULL));
	ATF_REQUIRE(!exists(path));
	n = list_dir(dir, d, 8);
	ATF_REQUIRE_EQ(n, 2);
	snprintf(path, sizeof(path), "%s/over", dir);
	mkfile(path, "above");
	/* Nested: "cover/.." leads back to the outer mount. */
	snprintf(path, sizeof(path), "%s/..", dir);
	ATF_REQUIRE_EQ(xstat(path).st_ino, xstat(mnt).st_ino);
	ATF_REQUIRE(xstat(dir).st_dev != xstat(mnt).st_dev);
	RE(EBUSY, rump_sys_rmdir(dir));
	RZ(fstest_unmount(dir, 0));
	snprintf(path, sizeof(path), "%s/under", dir);
	checkfile(path, "below");
	snprintf(path, sizeof(path), "%s/over", dir);
	ATF_REQUIRE(!exists(path));
}

FSTEST(mount_errors, "mount() and unmount() errors")
{
	char path[128];

	snprintf(path, sizeof(path), "%s/file", mnt);
	mkfile(path, "");
	RE(ENOTDIR, rump_sys_mount(fs->fs_type, path, 0, NULL, 0));
	snprintf(path, sizeof(path), "%s/nothere", mnt);
	RE(ENOENT, rump_sys_mount(fs->fs_type, path, 0, NULL, 0));
	snprintf(path, sizeof(path), "%s/d", mnt);
	RL(rump_sys_mkdir(path, 0755));
	/* Linux: ENODEV for a type the kernel does not know. */
	RE(ENODEV, rump_sys_mount("nosuchfs", path, 0, NULL, 0));
	RE(EFAULT, rump_sys_mount(NULL, path, 0, NULL, 0));
	RE(EFAULT, rump_sys_mount(fs->fs_type, NULL, 0, NULL, 0));
	/* Not a mount point. */
	RE(EINVAL, rump_sys_unmount(path, 0));
	RE(ENOENT, rump_sys_unmount("/nothere", 0));
	/* Only root mounts and unmounts. */
	RL(rump_sys_chmod(path, 0777));
	become(100, 100, 0, NULL);
	RE(EPERM, rump_sys_mount(fs->fs_type, path, 0, NULL, 0));
	RE(EPERM, rump_sys_unmount(mnt, 0));
	unbecome();
	ATF_REQUIRE(exists(mnt));
}

/* ------------------------------------------------------------------ */
/* Mount arguments: limits, the root, read-only.                      */

/* Write to fd in 4 KiB pieces until an error; the bytes written. */
static off_t
fill(int fd, int *errorp)
{
	static char buf[4096];
	off_t total = 0;
	ssize_t n;

	memset(buf, 'f', sizeof(buf));
	for (;;) {
		n = rump_sys_write(fd, buf, sizeof(buf));
		if (n == -1) {
			*errorp = errno;
			return total;
		}
		ATF_REQUIRE(n > 0);
		total += n;
		ATF_REQUIRE_MSG(total < 1 * GiB, "no end to the space");
	}
}

FSTEST(size_limit, "a size-limited mount: ENOSPC at the limit, statvfs tells the truth",
    .ft_needs = FS_HAS_SIZE_LIMIT)
{
	struct fstest_args fa = { .fa_size = 1 * MiB };
	struct statvfs s0, s1;
	uint64_t total;
	off_t written;
	int fd, error;

	RZ(fstest_unmount(mnt, 0));
	RZ(fstest_mount(fs, mnt, &fa));
	enter(mnt);
	RL(rump_sys_statvfs(".", &s0));
	total = s0.f_blocks * s0.f_frsize;
	ATF_REQUIRE_MSG(total <= 1 * MiB && total >= 1 * MiB - 64 * KiB,
	    "a 1 MiB file system has %llu bytes", (unsigned long long)total);
	ATF_REQUIRE(s0.f_bfree * s0.f_frsize >= 1 * MiB - 128 * KiB);

	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT, 0644));
	written = fill(fd, &error);
	ATF_REQUIRE_EQ_MSG(error, ENOSPC, "at %lld bytes: %s",
	    (long long)written, strerror(error));
	ATF_REQUIRE_MSG(written <= 1 * MiB && written >= 1 * MiB - 128 * KiB,
	    "%lld bytes fit in 1 MiB", (long long)written);
	ATF_REQUIRE_EQ(xfstat(fd).st_size, written);
	RL(rump_sys_fstatvfs(fd, &s1));
	ATF_REQUIRE_MSG(s1.f_bavail * s1.f_frsize < 64 * KiB,
	    "full, yet %llu bytes free",
	    (unsigned long long)(s1.f_bavail * s1.f_frsize));
	/* A sparse extension still works; filling the hole does not. */
	RL(rump_sys_ftruncate(fd, written + 10 * MiB));
	RE(ENOSPC, rump_sys_pwrite(fd, "x", 1, written + 5 * MiB));
	RE(ENOSPC, rump_sys_pwrite(fd, "x", 1, written + 4096 * 2));
	checkzero(fd, written, 4096);
	/* Data written before the limit is intact. */
	checkat(fd, 0, "ffff", 4);
	RL(rump_sys_close(fd));
	/* Removing the file gives the space back. */
	RL(rump_sys_unlink("f"));
	RL(rump_sys_statvfs(".", &s1));
	ATF_REQUIRE_EQ(s1.f_bfree, s0.f_bfree);
	fd = RL(rump_sys_open("g", O_RDWR | O_CREAT, 0644));
	ATF_REQUIRE_EQ(fill(fd, &error), written);
	RL(rump_sys_close(fd));
	leave();
}

FSTEST(node_limit, "a mount limited in files: ENOSPC on create, statvfs counts",
    .ft_needs = FS_HAS_NODE_LIMIT)
{
	struct fstest_args fa = { .fa_nodes = 10 };
	struct statvfs sv;
	char name[32];
	int i, fd;

	RZ(fstest_unmount(mnt, 0));
	RZ(fstest_mount(fs, mnt, &fa));
	enter(mnt);
	RL(rump_sys_statvfs(".", &sv));
	ATF_REQUIRE_EQ(sv.f_files, 10);
	ATF_REQUIRE_EQ(sv.f_ffree, 9);		/* the root is one */
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		fd = rump_sys_open(name, O_RDWR | O_CREAT, 0644);
		if (fd == -1)
			break;
		RL(rump_sys_close(fd));
	}
	ATF_REQUIRE_EQ_MSG(errno, ENOSPC, "create %d: %s", i,
	    strerror(errno));
	ATF_REQUIRE_EQ(i, 9);
	RL(rump_sys_statvfs(".", &sv));
	ATF_REQUIRE_EQ(sv.f_ffree, 0);
	RE(ENOSPC, rump_sys_mkdir("d", 0755));
	if (fs->fs_flags & FS_HAS_SYMLINKS)
		RE(ENOSPC, rump_sys_symlink("f0", "l"));
	if (fs->fs_flags & FS_HAS_FIFOS)
		RE(ENOSPC, rump_sys_mkfifo("p", 0644));
	ATF_REQUIRE(!exists("d"));
	/* Links take no node. */
	if (fs->fs_flags & FS_HAS_HARDLINKS)
		RL(rump_sys_link("f0", "link"));
	/* A removed file frees its node. */
	RL(rump_sys_unlink("f1"));
	RL(rump_sys_statvfs(".", &sv));
	ATF_REQUIRE_EQ(sv.f_ffree, 1);
	RL(rump_sys_mkdir("d", 0755));
	RE(ENOSPC, rump_sys_mkdir("e", 0755));
	leave();
}

FSTEST(root_attrs, "the root's owner and mode come from the mount arguments",
    .ft_needs = FS_HAS_ROOT_ATTRS)
{
	struct fstest_args fa = { .fa_setroot = true, .fa_root_uid = 1234,
	    .fa_root_gid = 5678, .fa_root_mode = 0750 };
	struct stat sb;

	RZ(fstest_unmount(mnt, 0));
	RZ(fstest_mount(fs, mnt, &fa));
	sb = xstat(mnt);
	ATF_REQUIRE_EQ(sb.st_mode, S_IFDIR | 0750);
	ATF_REQUIRE_EQ(sb.st_uid, 1234);
	ATF_REQUIRE_EQ(sb.st_gid, 5678);
	become(1234, 1, 0, NULL);
	enter(mnt);
	mkfile("mine", "");
	leave();
	unbecome();
	become(999, 5678, 0, NULL);
	enter(mnt);
	RE(EACCES, rump_sys_open("other", O_RDWR | O_CREAT, 0644));
	leave();
	unbecome();
	become(999, 999, 0, NULL);
	RE(EACCES, rump_sys_chdir(mnt));
	unbecome();
}

FSTEST(persistence, "what a mount wrote is there after unmount and mount again",
    .ft_needs = FS_HAS_PERSISTENCE | FS_HAS_SYMLINKS | FS_HAS_HARDLINKS)
{
	struct fstest_args fa = { .fa_keep = true };
	static char big[3 * 1024 * 1024 + 17], back[sizeof(big)];
	char name[32], target[300];
	struct stat sb;
	int fd, i;

	for (i = 0; i < (int)sizeof(big); i++)
		big[i] = (char)(i * 7 + i / 4096);
	memset(target, 't', sizeof(target) - 1);
	target[sizeof(target) - 1] = '\0';
	enter(mnt);
	RL(rump_sys_mkdir("d", 0750));
	RL(rump_sys_mkdir("d/e", 0700));
	fd = RL(rump_sys_open("d/big", O_RDWR | O_CREAT, 0640));
	xwrite(fd, big, sizeof(big));
	RL(rump_sys_ftruncate(fd, 100 * 1024 * 1024));
	RL(rump_sys_close(fd));
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "d/e/f%d", i);
		mkfile(name, name);
	}
	for (i = 0; i < 300; i += 3) {
		snprintf(name, sizeof(name), "d/e/f%d", i);
		RL(rump_sys_unlink(name));
	}
	RL(rump_sys_symlink("d/e/f1", "short"));
	RL(rump_sys_symlink(target, "long"));
	RL(rump_sys_link("d/e/f2", "hard"));
	RL(rump_sys_rename("d/e/f4", "moved"));
	leave();

	RZ(fstest_unmount(mnt, 0));
	RZ(fstest_mount(fs, mnt, &fa));
	enter(mnt);
	sb = xstat("d");
	ATF_REQUIRE(S_ISDIR(sb.st_mode) && (sb.st_mode & 07777) == 0750);
	ATF_REQUIRE_EQ(sb.st_nlink, 3);
	fd = RL(rump_sys_open("d/big", O_RDONLY));
	ATF_REQUIRE_EQ(xfstat(fd).st_size, 100 * 1024 * 1024);
	ATF_REQUIRE_EQ(rump_sys_read(fd, back, sizeof(back)),
	    (ssize_t)sizeof(back));
	ATF_REQUIRE(memcmp(big, back, sizeof(big)) == 0);
	checkzero(fd, 99 * 1024 * 1024, 4096);
	RL(rump_sys_close(fd));
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "d/e/f%d", i);
		if (i % 3 == 0 || i == 4)
			ATF_REQUIRE(!exists(name));
		else
			checkfile(name, name);
	}
	checkfile("moved", "d/e/f4");
	checkfile("short", "d/e/f1");
	ATF_REQUIRE_EQ(rump_sys_readlink("long", back, sizeof(back)),
	    (ssize_t)strlen(target));
	ATF_REQUIRE(memcmp(back, target, strlen(target)) == 0);
	ATF_REQUIRE_EQ(xstat("hard").st_ino, xstat("d/e/f2").st_ino);
	ATF_REQUIRE_EQ(xstat("hard").st_nlink, 2);
	leave();
}

FSTEST(unmount_readahead, "unmount at once after sequential reads (read-ahead in flight)",
    .ft_needs = FS_HAS_PERSISTENCE)
{
	struct fstest_args fa = { .fa_keep = true };
	static char buf[64 * 1024];
	int fd, i, round;

	enter(mnt);
	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT, 0644));
	for (i = 0; i < 128; i++) {
		memset(buf, i, sizeof(buf));
		xwrite(fd, buf, sizeof(buf));
	}
	RL(rump_sys_close(fd));
	leave();
	for (round = 0; round < 10; round++) {
		RZ(fstest_unmount(mnt, 0));
		RZ(fstest_mount(fs, mnt, &fa));
		enter(mnt);
		fd = RL(rump_sys_open("f", O_RDONLY));
		for (i = 0; i < 4 + round; i++) {
			ATF_REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)),
			    (ssize_t)sizeof(buf));
			ATF_REQUIRE(buf[0] == (char)i &&
			    buf[sizeof(buf) - 1] == (char)i);
		}
		RL(rump_sys_close(fd));
		leave();
	}
}

FSTEST(rdonly, "a read-only mount: EROFS for every change, reads work",
    .ft_needs = FS_HAS_RDONLY)
{
	struct fstest_args fa = { .fa_flags = RUMP_MNT_RDONLY, .fa_keep = true };
	struct timespec ts[2] = { { 1, 0 }, { 2, 0 } };
	struct statvfs sv;
	struct dent d[16];
	bool populated;
	int fd;

	/* With persistence, something to find in it. */
	populated = (fs->fs_flags & FS_HAS_PERSISTENCE) != 0;
	if (populated) {
		enter(mnt);
		mkfile("f", "kept");
		RL(rump_sys_mkdir("d", 0755));
		leave();
	}
	RZ(fstest_unmount(mnt, 0));
	RZ(fstest_mount(fs, mnt, &fa));
	RL(rump_sys_statvfs(mnt, &sv));
	ATF_REQUIRE(sv.f_flag & ST_RDONLY);
	enter(mnt);
	RE(EROFS, rump_sys_open("new", O_RDWR | O_CREAT, 0644));
	RE(EROFS, rump_sys_mkdir("new", 0755));
	RE(EROFS, rump_sys_mkfifo("new", 0644));
	if (fs->fs_flags & FS_HAS_SYMLINKS)
		RE(EROFS, rump_sys_symlink("x", "new"));
	RE(EROFS, rump_sys_chmod(".", 0700));
	RE(EROFS, rump_sys_chown(".", 1, 1));
	RE(EROFS, rump_sys_utimensat(AT_FDCWD, ".", ts, 0));
	RE(EROFS, rump_sys_utimensat(AT_FDCWD, ".", NULL, 0));
	RE(EROFS, rump_sys_access(".", W_OK));
	RL(rump_sys_access(".", R_OK | X_OK));
	ATF_REQUIRE(list_dir(".", d, 16) >= 2);
	fd = RL(rump_sys_open(".", O_RDONLY | O_DIRECTORY));
	RL(rump_sys_close(fd));
	if (populated) {
		checkfile("f", "kept");
		RE(EROFS, rump_sys_open("f", O_WRONLY));
		RE(EROFS, rump_sys_open("f", O_RDONLY | O_TRUNC));
		RE(EROFS, rump_sys_truncate("f", 0));
		RE(EROFS, rump_sys_unlink("f"));
		RE(EROFS, rump_sys_rename("f", "g"));
		RE(EROFS, rump_sys_rmdir("d"));
		if (fs->fs_flags & FS_HAS_HARDLINKS)
			RE(EROFS, rump_sys_link("f", "g"));
		RE(EROFS, rump_sys_access("f", W_OK));
		checkfile("f", "kept");
	}
	leave();
}

FSTEST(memlimit, "with little kernel memory, filling the default mount is ENOSPC",
    .ft_memlimit = "32m", .ft_needs = FS_HAS_SIZE_LIMIT)
{
	struct statvfs sv;
	off_t written;
	int fd, error;

	enter(mnt);
	RL(rump_sys_statvfs(".", &sv));
	ATF_REQUIRE_MSG(sv.f_blocks * sv.f_frsize <= 32 * MiB,
	    "%llu bytes promised with 32 MiB of kernel memory",
	    (unsigned long long)(sv.f_blocks * sv.f_frsize));
	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT, 0644));
	written = fill(fd, &error);
	ATF_REQUIRE_EQ_MSG(error, ENOSPC, "after %lld bytes: %s",
	    (long long)written, strerror(error));
	ATF_REQUIRE(written > 0 && written <= 32 * MiB);
	RL(rump_sys_close(fd));
	/* The kernel still works, and the space comes back. */
	RL(rump_sys_unlink("f"));
	mkfile("g", "still alive");
	checkfile("g", "still alive");
	leave();
}

FSTEST(vnode_recycle, "files whose vnodes were recycled come back the same",
    .ft_memlimit = "8m", .ft_needs = FS_HAS_OWNERS | FS_HAS_SPARSE)
{
	/* 8 MiB of kernel memory: the vnode cache keeps about 1024. */
	enum { N = 3000 };
	struct fstest_args fa = { .fa_nodes = N + 16 };
	char name[32], c;
	struct stat sb;
	int i, fd;

	/* Room for the files, where the default depends on memory. */
	if (fs->fs_flags & FS_HAS_NODE_LIMIT) {
		RZ(fstest_unmount(mnt, 0));
		RZ(fstest_mount(fs, mnt, &fa));
	}
	enter(mnt);
	RL(rump_sys_mkdir("d", 0755));
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "d/f%d", i);
		fd = RL(rump_sys_open(name, O_RDWR | O_CREAT, 0600));
		/* Attributes only, and a sparse size: no data pages. */
		RL(rump_sys_ftruncate(fd, (off_t)i * 4096 + i));
		RL(rump_sys_fchown(fd, (uid_t)i, (gid_t)(N - i)));
		RL(rump_sys_fchmod(fd, (mode_t)(i % 0777)));
		if (i % 100 == 50)
			xwrite(fd, "x", 1);	/* within the size */
		RL(rump_sys_close(fd));
	}
	/* Twice round, so each vnode had to be loaded again. */
	for (c = 0; c < 2; c++) {
		for (i = 0; i < N; i++) {
			snprintf(name, sizeof(name), "d/f%d", i);
			sb = xstat(name);
			ATF_REQUIRE_EQ_MSG(sb.st_size, (off_t)i * 4096 + i,
			    "%s: size %lld", name, (long long)sb.st_size);
			ATF_REQUIRE_EQ(sb.st_uid, (uid_t)i);
			ATF_REQUIRE_EQ(sb.st_gid, (gid_t)(N - i));
			ATF_REQUIRE_EQ(sb.st_mode & 07777, (mode_t)(i % 0777));
			ATF_REQUIRE_EQ(sb.st_nlink, 1);
		}
	}
	for (i = 50; i < N; i += 100) {
		snprintf(name, sizeof(name), "d/f%d", i);
		fd = RL(rump_sys_open(name, O_RDONLY));
		checkat(fd, 0, "x", 1);
		checkzero(fd, 1, 4095);
		RL(rump_sys_close(fd));
	}
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "d/f%d", i);
		RL(rump_sys_unlink(name));
	}
	RL(rump_sys_rmdir("d"));
	leave();
}

/* ------------------------------------------------------------------ */
/* Halting the kernel.                                                 */

FSTEST(reboot, "rump_sys_reboot(RB_HALT) syncs and unmounts everything, then ENXIO")
{
	struct stat sb;
	int fd;

	become(100, 100, 0, NULL);
	RE(EPERM, rump_sys_reboot(RUMP_RB_HALT, NULL));
	unbecome();
	RE(EINVAL, rump_sys_reboot(0x4000, NULL));
	/* Busy as can be: open files, a second mount, a cwd inside. */
	enter(mnt);
	fd = RL(rump_sys_open("f", O_RDWR | O_CREAT, 0644));
	xwrite(fd, "unsynced", 8);
	RL(rump_sys_mkdir("sub", 0755));
	RZ(fstest_mount(fs, "/mnt/sub", NULL));
	RL(rump_sys_chdir("sub"));
	/* The adapter checks every backing store after the halt. */
	RZ(fstest_halt());
	RE(ENXIO, rump_sys_getpid());
	RE(ENXIO, rump_sys_stat("/", &sb));
	RE(ENXIO, rump_sys_write(fd, "x", 1));
	ATF_REQUIRE_EQ(rump_init(), EBUSY);
}

ATF_TP_ADD_TCS(tp)
{

	/* Reading and writing. */
	FSTEST_ADD(tp, rw_basic);
	FSTEST_ADD(tp, rw_large);
	FSTEST_ADD(tp, direct_fault);
	FSTEST_ADD(tp, pread_pwrite);
	FSTEST_ADD(tp, readv_writev);
	FSTEST_ADD(tp, lseek);
	FSTEST_ADD(tp, holes);
	FSTEST_ADD(tp, bigfile);
	FSTEST_ADD(tp, offset_limits);
	FSTEST_ADD(tp, append);
	FSTEST_ADD(tp, dup_offsets);
	FSTEST_ADD(tp, cloexec);
	/* open() flags. */
	FSTEST_ADD(tp, open_excl);
	FSTEST_ADD(tp, open_trunc);
	FSTEST_ADD(tp, open_nofollow);
	FSTEST_ADD(tp, open_directory);
	/* Status. */
	FSTEST_ADD(tp, stat_fields);
	FSTEST_ADD(tp, fstatat);
	FSTEST_ADD(tp, access_root);
	FSTEST_ADD(tp, access_user);
	/* Names. */
	FSTEST_ADD(tp, mkdir_rmdir);
	FSTEST_ADD(tp, rmdir_mountpoint);
	FSTEST_ADD(tp, unlink);
	FSTEST_ADD(tp, rename_file);
	FSTEST_ADD(tp, rename_dir);
	FSTEST_ADD(tp, renameat2);
	FSTEST_ADD(tp, rename_errors);
	FSTEST_ADD(tp, rename_self);
	FSTEST_ADD(tp, rename_stress);
	FSTEST_ADD(tp, concurrent_io);
	FSTEST_ADD(tp, excl_race);
	FSTEST_ADD(tp, rename_xdev);
	FSTEST_ADD(tp, link);
	FSTEST_ADD(tp, symlink_readlink);
	FSTEST_ADD(tp, symlink_loop);
	FSTEST_ADD(tp, trailing_slash);
	FSTEST_ADD(tp, dot_dotdot);
	FSTEST_ADD(tp, name_too_long);
	/* Attributes. */
	FSTEST_ADD(tp, chmod);
	FSTEST_ADD(tp, chown_root);
	FSTEST_ADD(tp, chown_user);
	FSTEST_ADD(tp, utimens);
	FSTEST_ADD(tp, utimens_perm);
	FSTEST_ADD(tp, times_update);
	FSTEST_ADD(tp, truncate);
	FSTEST_ADD(tp, fsync);
	/* Working directories. */
	FSTEST_ADD(tp, chdir_getcwd);
	FSTEST_ADD(tp, getcwd_removed);
	FSTEST_ADD(tp, chdir_perm);
	/* Listings. */
	FSTEST_ADD(tp, getdents_types);
	FSTEST_ADD(tp, getdents_buffer);
	FSTEST_ADD(tp, getdents_remove);
	FSTEST_ADD(tp, getdents_many);
	/* Special files, pipes, poll. */
	FSTEST_ADD(tp, mknod);
	FSTEST_ADD(tp, fifo);
	ATF_TP_ADD_TC(tp, pipe_basic);
	ATF_TP_ADD_TC(tp, pipe_nonblock);
	ATF_TP_ADD_TC(tp, pipe_stream);
	ATF_TP_ADD_TC(tp, poll_pipe);
	ATF_TP_ADD_TC(tp, poll_timeout);
	ATF_TP_ADD_TC(tp, select_pipe);
	FSTEST_ADD(tp, poll_file);
	FSTEST_ADD(tp, select_file);
	/* Statistics, flags, locks. */
	FSTEST_ADD(tp, statvfs);
	FSTEST_ADD(tp, statvfs_counts);
	FSTEST_ADD(tp, fcntl_flags);
	FSTEST_ADD(tp, lock_conflict);
	FSTEST_ADD(tp, lock_ranges);
	FSTEST_ADD(tp, lock_release);
	FSTEST_ADD(tp, lock_release_other);
	FSTEST_ADD(tp, lock_wait);
	/* Permissions. */
	FSTEST_ADD(tp, perm_bits);
	FSTEST_ADD(tp, perm_dirs);
	FSTEST_ADD(tp, perm_sticky);
	FSTEST_ADD(tp, new_owner);
	FSTEST_ADD(tp, umask);
	/* Mounts. */
	FSTEST_ADD(tp, unmount_busy);
	FSTEST_ADD(tp, unmount_force);
	FSTEST_ADD(tp, mount_covers);
	FSTEST_ADD(tp, mount_errors);
	FSTEST_ADD(tp, size_limit);
	FSTEST_ADD(tp, node_limit);
	FSTEST_ADD(tp, root_attrs);
	FSTEST_ADD(tp, persistence);
	FSTEST_ADD(tp, unmount_readahead);
	FSTEST_ADD(tp, rdonly);
	FSTEST_ADD(tp, memlimit);
	FSTEST_ADD(tp, vnode_recycle);
	FSTEST_ADD(tp, reboot);
	return atf_no_error();
}
