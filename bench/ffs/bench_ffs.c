/*
 * bench_ffs: the rump kernel's FFS on an image file against the host's
 * own file system in the same directory, measured in the same run.
 *
 *  - sequential: SEQ_SIZE bytes written in 64 KiB write() calls and
 *    fsync()ed; then read back and checked twice: "after remount" (the
 *    rump side unmounts and mounts again, so its own cache is empty;
 *    the host's page cache still holds the image and the host file,
 *    which makes it the rump kernel's cost against the host's), and
 *    "cold" (both sides also ask the host to drop the file's pages
 *    with posix_fadvise: the disk's speed, which varies on a VM);
 *    MB/s, target rump/host >= 0.8;
 *  - metadata: NFILES small files (SMALL bytes each) created, stat()ed
 *    and unlinked in one directory, each phase timed on its own;
 *    operations per second, target rump/host >= 0.5.
 *
 * The image is made by Debian's makefs (UFS2, 32 KiB blocks).  Each
 * figure is the median of NREP runs, host and rump interleaved.
 * Usage: bench_ffs [-v] [directory]  (default: the current one).
 */

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_mount.h>
#include <rump/rump_syscalls.h>

#include "../common/bench.h"

#define SEQ_SIZE	(256LL << 20)
#define BLKSIZE		(64 * 1024)
#define NFILES		20000
#define SMALL		100
#define NREP		3
#define IMG_SIZE	"640m"
#define MNT		"/mnt"
#define DEVKEY		"/dev/ffsbench"

struct side {
	const char	*name;
	char		dir[512];
	int		(*s_open)(const char *, int, ...);
	int		(*s_close)(int);
	ssize_t		(*s_read)(int, void *, size_t);
	ssize_t		(*s_write)(int, const void *, size_t);
	int		(*s_fsync)(int);
	int		(*s_stat)(const char *, struct stat *);
	int		(*s_unlink)(const char *);
	int		(*s_mkdir)(const char *, mode_t);
	int		(*s_rmdir)(const char *);
};

static struct side host = {
	.name = "host", .s_open = open, .s_close = close, .s_read = read,
	.s_write = write, .s_fsync = fsync, .s_stat = stat, .s_unlink = unlink,
	.s_mkdir = mkdir, .s_rmdir = rmdir,
};
static struct side rump = {
	.name = "rump", .dir = MNT, .s_open = rump_sys_open,
	.s_close = rump_sys_close, .s_read = rump_sys_read,
	.s_write = rump_sys_write, .s_fsync = rump_sys_fsync,
	.s_stat = rump_sys_stat, .s_unlink = rump_sys_unlink,
	.s_mkdir = rump_sys_mkdir, .s_rmdir = rump_sys_rmdir,
};

static char image[600], hostfile[600];
static int verbose;
static int64_t blk[BLKSIZE / sizeof(int64_t)];

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	int error = errno;
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "bench_ffs: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(error));
	(void)unlink(image);
	(void)unlink(hostfile);
	exit(1);
}

/* Ask the host to forget its cached pages of path. */
static void
drop_host_cache(const char *path)
{
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		fail("open %s", path);
	(void)fdatasync(fd);
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
}

static void
rump_mountimg(void)
{
	struct ufs_args args = { .fspec = DEVKEY };

	if (rump_sys_mount("ffs", MNT, 0, &args, sizeof(args)) == -1)
		fail("mount %s", image);
}

/*
 * Empty side s's own cache before reading back: the rump side
 * remounts.  With hostcold, the host's page cache is dropped too.
 */
static void
drop_caches(const struct side *s, bool hostcold)
{

	if (s == &rump) {
		if (rump_sys_unmount(MNT, 0) == -1)
			fail("unmount");
		rump_mountimg();
	}
	if (hostcold)
		drop_host_cache(s == &host ? hostfile : image);
}

/* Read path back and check it: seconds. */
static double
seq_read(const struct side *s, const char *path)
{
	int64_t t0, n;
	ssize_t r;
	int fd;

	t0 = bench_now();
	if ((fd = s->s_open(path, O_RDONLY)) == -1)
		fail("%s: open %s", s->name, path);
	for (n = 0; n < SEQ_SIZE / BLKSIZE; n++) {
		if ((r = s->s_read(fd, blk, BLKSIZE)) != BLKSIZE)
			fail("%s: read (%zd)", s->name, r);
		if (blk[0] != n) {
			errno = EIO;
			fail("%s: block %lld reads back as %lld", s->name,
			    (long long)n, (long long)blk[0]);
		}
	}
	s->s_close(fd);
	return (bench_now() - t0) / 1e9;
}

/* Write and fsync, then read back warm and cold: seconds for each. */
static void
seq_run(const struct side *s, double *wt, double *rt, double *ct)
{
	char path[600];
	int64_t t0, n;
	int fd;

	snprintf(path, sizeof(path), "%s/seq", s->dir);
	t0 = bench_now();
	if ((fd = s->s_open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644)) == -1)
		fail("%s: open %s", s->name, path);
	for (n = 0; n < SEQ_SIZE / BLKSIZE; n++) {
		blk[0] = n;
		if (s->s_write(fd, blk, BLKSIZE) != BLKSIZE)
			fail("%s: write", s->name);
	}
	if (s->s_fsync(fd) == -1 || s->s_close(fd) == -1)
		fail("%s: fsync", s->name);
	*wt = (bench_now() - t0) / 1e9;

	drop_caches(s, false);
	*rt = seq_read(s, path);
	drop_caches(s, true);
	*ct = seq_read(s, path);
	if (s->s_unlink(path) == -1)
		fail("%s: unlink %s", s->name, path);
}

/* Create (with SMALL bytes), stat, unlink NFILES files: seconds each. */
static void
meta_run(const struct side *s, double t[3])
{
	static char names[NFILES][64];
	char dir[600], data[SMALL];
	struct stat st;
	int64_t t0;
	int i, fd;

	memset(data, 'm', sizeof(data));
	snprintf(dir, sizeof(dir), "%s/meta", s->dir);
	if (s->s_mkdir(dir, 0755) == -1)
		fail("%s: mkdir %s", s->name, dir);
	for (i = 0; i < NFILES; i++)
		snprintf(names[i], sizeof(names[i]), "%.40s/f%06d",
		    s == &rump ? MNT "/meta" : "meta", i);
	if (s == &host && chdir(s->dir) == -1)
		fail("chdir %s", s->dir);
	t0 = bench_now();
	for (i = 0; i < NFILES; i++) {
		if ((fd = s->s_open(names[i], O_CREAT | O_EXCL | O_WRONLY,
		    0644)) == -1)
			fail("%s: create %s", s->name, names[i]);
		if (s->s_write(fd, data, sizeof(data)) != sizeof(data) ||
		    s->s_close(fd) == -1)
			fail("%s: write %s", s->name, names[i]);
	}
	t[0] = (bench_now() - t0) / 1e9;
	t0 = bench_now();
	for (i = 0; i < NFILES; i++)
		if (s->s_stat(names[i], &st) == -1 || st.st_size != SMALL)
			fail("%s: stat %s", s->name, names[i]);
	t[1] = (bench_now() - t0) / 1e9;
	t0 = bench_now();
	for (i = 0; i < NFILES; i++)
		if (s->s_unlink(names[i]) == -1)
			fail("%s: unlink %s", s->name, names[i]);
	t[2] = (bench_now() - t0) / 1e9;
	if (s->s_rmdir(dir) == -1)
		fail("%s: rmdir %s", s->name, dir);
}

static void
makeimage(void)
{
	char empty[700];
	pid_t pid;
	int status;

	snprintf(empty, sizeof(empty), "%s.d", image);
	if (mkdir(empty, 0755) == -1 && errno != EEXIST)
		fail("mkdir %s", empty);
	if ((pid = fork()) == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, STDOUT_FILENO);
		execl("/usr/sbin/makefs", "makefs", "-t", "ffs", "-o",
		    "version=2,bsize=32768,fsize=4096", "-s", IMG_SIZE, "-f",
		    "40000", image, empty, (char *)NULL);
		_exit(127);
	}
	if (pid == -1 || waitpid(pid, &status, 0) == -1 ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		errno = EIO;
		fail("makefs %s (is Debian's makefs installed?)", image);
	}
	rmdir(empty);
}

int
main(int argc, char **argv)
{
	double w[2][NREP], r[2][NREP], c[2][NREP], m[2][3][NREP], t[3];
	const char *phase[3] = { "create", "stat", "unlink" };
	struct side *sides[2] = { &host, &rump };
	double hv, rv;
	int ch, i, k, p;

	while ((ch = getopt(argc, argv, "v")) != -1) {
		if (ch != 'v') {
			fprintf(stderr, "usage: bench_ffs [-v] [directory]\n");
			return 2;
		}
		verbose = 1;
	}
	if (realpath(optind < argc ? argv[optind] : ".", host.dir) == NULL)
		fail("%s", optind < argc ? argv[optind] : ".");
	snprintf(image, sizeof(image), "%s/bench_ffs.img", host.dir);
	snprintf(hostfile, sizeof(hostfile), "%s/seq", host.dir);
	makeimage();
	if (rump_init() != 0)
		fail("rump_init");
	if ((errno = rump_pub_etfs_register(DEVKEY, image,
	    RUMP_ETFS_BLK)) != 0)
		fail("etfs %s", image);
	if (rump_sys_mkdir(MNT, 0755) == -1)
		fail("mkdir " MNT);
	rump_mountimg();

	for (i = 0; i < NREP; i++) {
		for (k = 0; k < 2; k++) {
			seq_run(sides[k], &w[k][i], &r[k][i], &c[k][i]);
			meta_run(sides[k], t);
			for (p = 0; p < 3; p++)
				m[k][p][i] = t[p];
			if (verbose)
				printf("run %d %s: write %.3fs read %.3fs "
				    "cold %.3fs create %.3fs stat %.3fs "
				    "unlink %.3fs\n", i, sides[k]->name,
				    w[k][i], r[k][i], c[k][i], t[0], t[1],
				    t[2]);
		}
	}
	if (rump_sys_unmount(MNT, 0) == -1)
		fail("unmount");

	printf("bench_ffs: rump FFS (UFS2 image, 32K/4K) vs host files in "
	    "%s\n", host.dir);
	printf("  %-34s %12s %12s %8s\n", "", "host", "rump", "ratio");
	hv = SEQ_SIZE / 1e6 / bench_median(w[0], NREP);
	rv = SEQ_SIZE / 1e6 / bench_median(w[1], NREP);
	printf("  %-34s %9.0f MB/s %7.0f MB/s %8.2f\n",
	    "sequential write 256 MiB + fsync", hv, rv, rv / hv);
	hv = SEQ_SIZE / 1e6 / bench_median(r[0], NREP);
	rv = SEQ_SIZE / 1e6 / bench_median(r[1], NREP);
	printf("  %-34s %9.0f MB/s %7.0f MB/s %8.2f\n",
	    "sequential read after remount", hv, rv, rv / hv);
	hv = SEQ_SIZE / 1e6 / bench_median(c[0], NREP);
	rv = SEQ_SIZE / 1e6 / bench_median(c[1], NREP);
	printf("  %-34s %9.0f MB/s %7.0f MB/s %8.2f\n",
	    "sequential read, host cache cold", hv, rv, rv / hv);
	for (p = 0; p < 3; p++) {
		char label[64];

		snprintf(label, sizeof(label), "%s %d files of %d bytes",
		    phase[p], NFILES, SMALL);
		hv = NFILES / bench_median(m[0][p], NREP);
		rv = NFILES / bench_median(m[1][p], NREP);
		printf("  %-34s %9.0f op/s %7.0f op/s %8.2f\n", label, hv, rv,
		    rv / hv);
	}
	printf("  targets: sequential ratio >= 0.8, metadata ratio >= 0.5\n");
	(void)unlink(image);
	return 0;
}
