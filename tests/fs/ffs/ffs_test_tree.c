/*
 * The host trees the FFS test images are made from, and the makefs run
 * that turns one into an image.  File contents are a seeded pattern
 * with the offset mixed in, so a block read from the wrong place (or
 * the right block of another file) never looks right.
 */

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "ffs_test.h"

#define RL(x)	ATF_REQUIRE_MSG((x) != -1, "%s: %s", #x, strerror(errno))
/* A path into buf, which must hold it. */
#define PATHF(buf, ...)							\
	ATF_REQUIRE((size_t)snprintf(buf, sizeof(buf), __VA_ARGS__) <	\
	    sizeof(buf))

static uint64_t
mix64(uint64_t x)
{

	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Bytes [off, off + len) of the pattern of seed. */
void
ffs_pattern(uint32_t seed, off_t off, void *buf, size_t len)
{
	unsigned char *p = buf;
	uint64_t w = 0, word = UINT64_MAX;
	size_t i;

	for (i = 0; i < len; i++) {
		uint64_t pos = (uint64_t)off + i;

		if (pos >> 3 != word) {
			word = pos >> 3;
			w = mix64((uint64_t)seed << 40 ^ word);
		}
		p[i] = (unsigned char)(w >> ((pos & 7) * 8));
	}
}

uint32_t
ffs_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void
mkdirp(const char *path, mode_t mode)
{

	RL(mkdir(path, mode));
}

/* Write the pattern of the file's name over [off, off + len). */
static void
fill(int fd, const char *name, off_t off, off_t len)
{
	static unsigned char buf[65536];
	size_t n;

	while (len > 0) {
		n = len > (off_t)sizeof(buf) ? sizeof(buf) : (size_t)len;
		ffs_pattern(ffs_hash(name), off, buf, n);
		ATF_REQUIRE_EQ(pwrite(fd, buf, n, off), (ssize_t)n);
		off += n;
		len -= n;
	}
}

static void
mkfile(const char *path, off_t size)
{
	int fd;

	RL(fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644));
	fill(fd, path, 0, size);
	close(fd);
}

/*
 * A file of size bytes, holes but for the runs given as pairs of
 * offset and length (written on the host with lseek + write).
 */
static void
mksparse(const char *path, off_t size, const off_t *runs, int nrun)
{
	int fd, i;

	RL(fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644));
	for (i = 0; i < nrun; i++) {
		RL(lseek(fd, runs[2 * i], SEEK_SET));
		fill(fd, path, runs[2 * i], runs[2 * i + 1]);
	}
	RL(ftruncate(fd, size));
	close(fd);
}

/* A symbolic link whose target is len bytes of path-like text. */
static void
mksymlink(const char *path, size_t len)
{
	static const char piece[] = "dir-of-links.";
	char target[1024];
	size_t i;

	ATF_REQUIRE(len < sizeof(target));
	for (i = 0; i < len; i++)
		target[i] = (i % 14 == 13) ? '/' : piece[(i + len) % 13];
	target[len] = '\0';
	RL(symlink(target, path));
}

static void
sizes(const char *dir, const struct ffs_treeopt *o)
{
	const off_t b = o->bsize, f = o->fsize;
	off_t list[32], big[] = { 12 + 1024, 12 + 512 };
	char path[PATH_MAX];
	int n = 0, i, j, k;

	if (o->big) {
		const off_t base[] = { 1, f - 1, f, f + 1, 3 * f + 7,
		    b - 1, b, b + 1, b + 3 * f, 12 * b - 1, 12 * b,
		    12 * b + 1, 13 * b + f + 1 };

		for (i = 0; i < (int)(sizeof(base) / sizeof(base[0])); i++)
			list[n++] = base[i];
		/* The double-indirect boundary of UFS1 and of UFS2. */
		if (b == 4096)
			for (i = 0; i < 2; i++)
				for (j = -1; j <= 1; j++)
					list[n++] = big[i] * b + j;
	} else {
		const off_t base[] = { 1, 100, f + 88, b + 1, 3 * b + 5,
		    13 * b + 7, 20000 };

		for (i = 0; i < (int)(sizeof(base) / sizeof(base[0])); i++)
			list[n++] = base[i];
	}
	mkdirp(dir, 0755);
	for (i = 0; i < n; i++) {
		/* The lists may name a size twice (f + 1 == 3 * f + 7...). */
		for (k = 0; k < i && list[k] != list[i]; k++)
			continue;
		if (k < i)
			continue;
		PATHF(path, "%s/s%lld", dir,
		    (long long)list[i]);
		mkfile(path, list[i]);
	}
	PATHF(path, "%s/empty", dir);
	mkfile(path, 0);
}

static void
sparse(const char *dir, const struct ffs_treeopt *o)
{
	const off_t b = o->bsize, f = o->fsize;
	char path[PATH_MAX];

	mkdirp(dir, 0755);
	PATHF(path, "%s/start", dir);
	mksparse(path, 5 * b + 123, (const off_t[]){ 4 * b + 7, b + 116 }, 1);
	PATHF(path, "%s/middle", dir);
	mksparse(path, 9 * b + 100, (const off_t[]){ 0, b + 10,
	    7 * b + 3, 2 * b + 97 }, 2);
	PATHF(path, "%s/end", dir);
	mksparse(path, 6 * b + f + 1, (const off_t[]){ 0, 100 }, 1);
	PATHF(path, "%s/indirect", dir);
	mksparse(path, 13 * b + f + 7, (const off_t[]){ 13 * b - 5,
	    f + 12 }, 1);
	PATHF(path, "%s/allhole", dir);
	mksparse(path, 3 * b + 1, NULL, 0);
}

static void
links(const char *dir, const struct ffs_treeopt *o)
{
	static const size_t big[] = { 1, 5, 59, 60, 61, 119, 120, 121, 200,
	    500, 1000, 1023 };
	static const size_t small[] = { 7, 59, 60, 61, 119, 120, 121, 300 };
	const size_t *len = o->big ? big : small;
	size_t i, n = o->big ? sizeof(big) / sizeof(big[0]) :
	    sizeof(small) / sizeof(small[0]);
	char path[PATH_MAX], path2[PATH_MAX];

	mkdirp(dir, 0755);
	for (i = 0; i < n; i++) {
		PATHF(path, "%s/l%zu", dir, len[i]);
		mksymlink(path, len[i]);
	}
	PATHF(path, "%s/rel", dir);
	RL(symlink("../sizes/s1", path));
	/* A second name of a symbolic link (link(2) does not follow). */
	PATHF(path, "%s/l60", dir);
	PATHF(path2, "%s/l60-hard", dir);
	RL(link(path, path2));
}

static void
hardlinks(const char *top, const struct ffs_treeopt *o)
{
	char a[PATH_MAX], path[PATH_MAX];
	int i;

	PATHF(path, "%s/hard", top);
	mkdirp(path, 0755);
	PATHF(path, "%s/hard/sub", top);
	mkdirp(path, 0755);
	PATHF(path, "%s/other", top);
	mkdirp(path, 0755);
	PATHF(a, "%s/hard/a", top);
	mkfile(a, 3 * o->bsize + 1000);
	PATHF(path, "%s/hard/b", top);
	RL(link(a, path));
	PATHF(path, "%s/hard/sub/c", top);
	RL(link(a, path));
	PATHF(path, "%s/other/d", top);
	RL(link(a, path));
	PATHF(a, "%s/hard/e", top);
	mkfile(a, 0);
	PATHF(path, "%s/other/e2", top);
	RL(link(a, path));
	PATHF(a, "%s/hard/five1", top);
	mkfile(a, 77);
	for (i = 2; i <= 5; i++) {
		PATHF(path, "%s/hard/five%d", top, i);
		RL(link(a, path));
	}
}

/*
 * A directory of n names, lengths 1 to 255 (every length once among
 * the first 255), some with bytes above 127; a few are directories.
 * Each begins with its number in base 36 and, if longer, a '-': no two
 * are alike.
 */
static void
manynames(const char *dir, int n)
{
	static const char fillc[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"
	    "KLMNOPQRSTUVWXYZ0123456789._ ~+,=@";
	char name[256], path[PATH_MAX + 256];
	size_t len, idlen, j;
	uint32_t h;
	int i, v;

	mkdirp(dir, 0755);
	for (i = 0; i < n; i++) {
		char id[8];

		idlen = 0;
		v = i;
		do {
			id[idlen++] = "0123456789abcdefghijklmnopqrstuvwxyz"
			    [v % 36];
			v /= 36;
		} while (v > 0);
		h = ffs_hash(dir) ^ (uint32_t)i * 2654435761u;
		len = i < 255 ? (size_t)i + 1 : 1 + (h >> 8) % 255;
		if (len < idlen)
			len = idlen;
		memcpy(name, id, idlen);
		for (j = idlen; j < len; j++) {
			h = h * 1103515245u + 12345u;
			if (j == idlen)
				name[j] = '-';
			else if (i % 7 == 3 && (h >> 16) % 11 == 0)
				name[j] = (char)(0x80 + (h >> 20) % 127);
			else
				name[j] = fillc[(h >> 16) %
				    (sizeof(fillc) - 1)];
		}
		name[len] = '\0';
		PATHF(path, "%s/%s", dir, name);
		if (i % 500 == 250)
			mkdirp(path, 0755);
		else
			mkfile(path, i % 50 == 7 ? i : 0);
	}
}

static void
deep(const char *top, int levels)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	int i;

	PATHF(path, "%s/deep", top);
	mkdirp(path, 0755);
	for (i = 1; i <= levels; i++) {
		PATHF(tmp, "%s/l%02d", path, i);
		memcpy(path, tmp, sizeof(path));
		mkdirp(path, 0755);
	}
	PATHF(tmp, "%s/leaf", path);
	mkfile(tmp, 333);
}

static void
modes(const char *dir)
{
	static const mode_t fmode[] = { 04755, 02755, 06711, 01644, 0, 0444,
	    0600, 0777, 04000 };
	static const mode_t dmode[] = { 01777, 02775, 0700, 0555, 0 };
	char path[PATH_MAX];
	size_t i;

	mkdirp(dir, 0755);
	for (i = 0; i < sizeof(fmode) / sizeof(fmode[0]); i++) {
		/* Unreadable: only root can copy it into an image. */
		if ((fmode[i] & S_IRUSR) == 0 && geteuid() != 0)
			continue;
		PATHF(path, "%s/f%04o", dir,
		    (unsigned)fmode[i]);
		mkfile(path, (off_t)i * 10);
		RL(chmod(path, fmode[i]));
	}
	for (i = 0; i < sizeof(dmode) / sizeof(dmode[0]); i++) {
		/* An unreadable directory: only root can walk it. */
		if (dmode[i] == 0 && geteuid() != 0)
			continue;
		PATHF(path, "%s/d%04o", dir,
		    (unsigned)dmode[i]);
		mkdirp(path, 0755);
		PATHF(path, "%s/d%04o/x", dir,
		    (unsigned)dmode[i]);
		mkfile(path, 5);
		PATHF(path, "%s/d%04o", dir,
		    (unsigned)dmode[i]);
		RL(chmod(path, dmode[i]));
	}
}

/* Owners other than ours: only root may give them. */
static void
owners(const char *dir)
{
	static const struct {
		const char	*name;
		uid_t		uid;
		gid_t		gid;
	} own[] = {
		{ "o1000", 1000, 1000 },
		{ "onobody", 65534, 65534 },
		{ "ohigh", 3000000000u, 4000000000u },
		{ "ogid", 0, 5 },
	};
	char path[PATH_MAX];
	size_t i;

	mkdirp(dir, 0755);
	if (geteuid() != 0)
		return;
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		PATHF(path, "%s/%s", dir, own[i].name);
		mkfile(path, 10);
		RL(chown(path, own[i].uid, own[i].gid));
	}
	/* Set-id bits after chown, which clears them. */
	PATHF(path, "%s/o1000", dir);
	RL(chmod(path, 06755));
	PATHF(path, "%s/odir", dir);
	mkdirp(path, 0755);
	PATHF(path, "%s/odir/f", dir);
	mkfile(path, 1);
	RL(chown(path, 123, 456));
	PATHF(path, "%s/odir", dir);
	RL(chown(path, 123, 456));
	PATHF(path, "%s/olink", dir);
	RL(symlink("odir/f", path));
	RL(lchown(path, 777, 888));
}

/* A FIFO, and device nodes where the host lets us make them. */
static void
special(const char *dir)
{
	char path[PATH_MAX];

	mkdirp(dir, 0755);
	PATHF(path, "%s/fifo", dir);
	RL(mkfifo(path, 0640));
	PATHF(path, "%s/cdev", dir);
	if (mknod(path, S_IFCHR | 0600, makedev(10, 200)) == -1)
		ATF_REQUIRE(errno == EPERM);
	PATHF(path, "%s/bdev", dir);
	if (mknod(path, S_IFBLK | 0660, makedev(8, 3)) == -1)
		ATF_REQUIRE(errno == EPERM);
}

/*
 * Times last, children before their directory: creating names changes
 * a directory's times.  Seconds fit UFS1's 32 bits; nanoseconds are
 * never 0, so a kernel that drops or invents them shows.
 */
static int
settime(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	struct timespec ts[2];
	uint32_t h = ffs_hash(path + ftw->base) ^ (uint32_t)ftw->level;

	ts[0].tv_sec = 1000000000 + (time_t)(h % 100000000u);
	ts[0].tv_nsec = 1 + (long)(h % 999999998u);
	h = h * 2654435761u + 1;
	ts[1].tv_sec = (time_t)(h % 2000000000u) + 1;
	ts[1].tv_nsec = 1 + (long)((h >> 3) % 999999998u);
	if (utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW) == -1)
		return errno;
	return 0;
}

void
ffs_mktree(const char *root, const struct ffs_treeopt *o)
{
	char path[PATH_MAX];
	int error;

	umask(022);
	mkdirp(root, 0755);
	PATHF(path, "%s/sizes", root);
	sizes(path, o);
	PATHF(path, "%s/sparse", root);
	sparse(path, o);
	PATHF(path, "%s/links", root);
	links(path, o);
	hardlinks(root, o);
	PATHF(path, "%s/many", root);
	manynames(path, o->big ? 5000 : 150);
	deep(root, o->big ? 40 : 6);
	PATHF(path, "%s/modes", root);
	modes(path);
	PATHF(path, "%s/owners", root);
	owners(path);
	PATHF(path, "%s/special", root);
	special(path);
	PATHF(path, "%s/emptydir", root);
	mkdirp(path, 0755);
	PATHF(path, "%s/empty", root);
	mkfile(path, 0);
	error = nftw(root, settime, 64, FTW_DEPTH | FTW_PHYS);
	ATF_REQUIRE_MSG(error == 0, "setting times: %s", strerror(error));
}

/*
 * makefs -t ffs of tree into img, little-endian, UFS version v, block
 * and fragment sizes bsize and fsize; more: more options, or "".
 */
void
ffs_makefs(const char *img, const char *tree, int v, int bsize, int fsize,
    const char *more)
{
	char cmd[PATH_MAX * 2 + 256];
	int status;

	if (access(FFS_MAKEFS, X_OK) != 0)
		atf_tc_skip(FFS_MAKEFS " is missing (Debian package makefs; "
		    "./buildrump.sh deps installs it)");
	snprintf(cmd, sizeof(cmd), FFS_MAKEFS " -t ffs -B le "
	    "-o version=%d,bsize=%d,fsize=%d %s %s %s >makefs.out 2>&1",
	    v, bsize, fsize, more, img, tree);
	status = system(cmd);
	if (status != 0)
		system("cat makefs.out >&2");
	ATF_REQUIRE_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "%s failed", cmd);
}

/* A hash of a file's bytes, to tell whether they changed. */
uint64_t
ffs_hashfile(const char *path)
{
	static uint64_t buf[8192];
	uint64_t h = 0x84222325cbf29ce4ULL;
	ssize_t n, i;
	int fd;

	RL(fd = open(path, O_RDONLY));
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		memset((char *)buf + n, 0, (size_t)(-n & 7));
		for (i = 0; i < (n + 7) / 8; i++)
			h = mix64(h ^ buf[i]);
	}
	RL(n);
	close(fd);
	return h;
}
