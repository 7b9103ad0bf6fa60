/*
 * bench_vfs: file system throughput of the rump kernel's tmpfs against
 * the host's tmpfs (/dev/shm), measured in the same run.
 *
 *  - metadata: create (open O_CREAT|O_EXCL + close), stat and unlink of
 *    NFILES empty files in one directory, each phase timed on its own;
 *    operations per second, target rump/host >= 1.0;
 *  - data: DATA_SIZE bytes written to one file in 64 KiB write() calls,
 *    then read back in 64 KiB read() calls and checked block by block;
 *    MB/s, target rump/host >= 0.8.  Smaller when /dev/shm (or the rump
 *    tmpfs, or host memory) has less than 1.5 times that free.
 *
 * Each figure is the median of NREP_META (NREP_DATA) runs, host and
 * rump interleaved, after one untimed run of each; -v prints every run.
 * Only the system calls are timed: building and checking the data
 * pattern happens between them.
 */

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "../common/bench.h"

#define NFILES		100000
#define NREP_META	3		/* metadata runs, each side */
#define NREP_DATA	5		/* data runs, each side */
#define BLKSIZE		(64 * 1024)
#define DATA_SIZE	(1024LL * 1024 * 1024)
#define RUMP_MNT	"/tmp"
#define HOST_PARENT	"/dev/shm"
#define NAMELEN		160

/* The system calls of one side: the host's libc or the rump kernel. */
struct side {
	const char	*name;
	char		 dir[128];	/* the directory the bench runs in */
	int		(*s_open)(const char *, int, ...);
	int		(*s_close)(int);
	int		(*s_stat)(const char *, struct stat *);
	int		(*s_unlink)(const char *);
	int		(*s_rmdir)(const char *);
	ssize_t		(*s_read)(int, void *, size_t);
	ssize_t		(*s_write)(int, const void *, size_t);
	int		(*s_statvfs)(const char *, struct statvfs *);
};

static struct side host = {
	.name = "host", .s_open = open, .s_close = close, .s_stat = stat,
	.s_unlink = unlink, .s_rmdir = rmdir, .s_read = read,
	.s_write = write, .s_statvfs = statvfs,
};

static struct side rump = {
	.name = "rump", .s_open = rump_sys_open, .s_close = rump_sys_close,
	.s_stat = rump_sys_stat, .s_unlink = rump_sys_unlink,
	.s_rmdir = rump_sys_rmdir, .s_read = rump_sys_read,
	.s_write = rump_sys_write, .s_statvfs = rump_sys_statvfs,
};

/* Seconds taken by each metadata phase in one run. */
enum { PH_CREATE, PH_STAT, PH_UNLINK, NPHASE };

static const char *phase_name[NPHASE] = { "create", "stat", "unlink" };

static char	*names[NFILES];		/* full paths, per side */
static int64_t	*blk;			/* one 64 KiB block */
static int64_t	*rblk;			/* the read buffer */

/* Remove what the bench may have left in its host directory. */
static void
host_cleanup(void)
{
	char path[NAMELEN];
	int i;

	if (host.dir[0] == '\0')
		return;
	for (i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/f%06d", host.dir, i);
		(void)unlink(path);
	}
	snprintf(path, sizeof(path), "%s/data", host.dir);
	(void)unlink(path);
	(void)rmdir(host.dir);
}

/* A failed call: say which, on which side and path, and stop. */
static void __attribute__((noreturn, format(printf, 2, 3)))
fail(const struct side *s, const char *fmt, ...)
{
	int error = errno;
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "bench_vfs: %s: ", s != NULL ? s->name : "setup");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(error));
	host_cleanup();
	exit(1);
}

static void
make_names(const struct side *s)
{
	int i;

	for (i = 0; i < NFILES; i++)
		snprintf(names[i], NAMELEN, "%s/f%06d", s->dir, i);
}

/* One metadata run on side s: times of create, stat, unlink in sec. */
static void
meta_run(const struct side *s, double t[NPHASE])
{
	struct stat st;
	int64_t t0;
	int i, fd;

	make_names(s);
	t0 = bench_now();
	for (i = 0; i < NFILES; i++) {
		fd = s->s_open(names[i], O_CREAT | O_WRONLY | O_EXCL, 0644);
		if (fd == -1)
			fail(s, "open(%s, O_CREAT|O_EXCL)", names[i]);
		if (s->s_close(fd) == -1)
			fail(s, "close(%s)", names[i]);
	}
	t[PH_CREATE] = (bench_now() - t0) / 1e9;

	t0 = bench_now();
	for (i = 0; i < NFILES; i++) {
		if (s->s_stat(names[i], &st) == -1)
			fail(s, "stat(%s)", names[i]);
		if (!S_ISREG(st.st_mode) || st.st_size != 0) {
			errno = EINVAL;
			fail(s, "stat(%s): mode %o size %lld", names[i],
			    (unsigned)st.st_mode, (long long)st.st_size);
		}
	}
	t[PH_STAT] = (bench_now() - t0) / 1e9;

	t0 = bench_now();
	for (i = 0; i < NFILES; i++) {
		if (s->s_unlink(names[i]) == -1)
			fail(s, "unlink(%s)", names[i]);
	}
	t[PH_UNLINK] = (bench_now() - t0) / 1e9;
}

/* Stamp block number n into the pattern: a misplaced block shows. */
static void
stamp(int64_t *b, int64_t n)
{

	b[0] = n;
	b[BLKSIZE / sizeof(int64_t) - 1] = ~n;
}

/*
 * One data run on side s: write size bytes, read them back and check
 * every block; the seconds spent in write() and in read() calls.
 */
static void
data_run(const struct side *s, int64_t size, double *wt, double *rt)
{
	char path[NAMELEN];
	int64_t nblk = size / BLKSIZE, n, t0, tw = 0, tr = 0;
	ssize_t got;
	int fd;

	snprintf(path, sizeof(path), "%s/data", s->dir);
	fd = s->s_open(path, O_CREAT | O_WRONLY | O_EXCL, 0644);
	if (fd == -1)
		fail(s, "open(%s, O_CREAT|O_EXCL)", path);
	for (n = 0; n < nblk; n++) {
		stamp(blk, n);
		t0 = bench_now();
		got = s->s_write(fd, blk, BLKSIZE);
		tw += bench_now() - t0;
		if (got != BLKSIZE) {
			if (got >= 0)
				errno = EIO;
			fail(s, "write(%s) block %lld returned %zd", path,
			    (long long)n, got);
		}
	}
	if (s->s_close(fd) == -1)
		fail(s, "close(%s)", path);

	fd = s->s_open(path, O_RDONLY);
	if (fd == -1)
		fail(s, "open(%s, O_RDONLY)", path);
	for (n = 0; n < nblk; n++) {
		t0 = bench_now();
		got = s->s_read(fd, rblk, BLKSIZE);
		tr += bench_now() - t0;
		if (got != BLKSIZE) {
			if (got >= 0)
				errno = EIO;
			fail(s, "read(%s) block %lld returned %zd", path,
			    (long long)n, got);
		}
		stamp(blk, n);
		if (memcmp(blk, rblk, BLKSIZE) != 0) {
			errno = EIO;
			fail(s, "read(%s) block %lld: wrong data", path,
			    (long long)n);
		}
	}
	if (s->s_read(fd, rblk, BLKSIZE) != 0) {
		errno = EIO;
		fail(s, "read(%s): data past the end", path);
	}
	if (s->s_close(fd) == -1)
		fail(s, "close(%s)", path);
	if (s->s_unlink(path) == -1)
		fail(s, "unlink(%s)", path);
	*wt = tw / 1e9;
	*rt = tr / 1e9;
}

/* Bytes free to an unprivileged writer under path on side s. */
static int64_t
free_bytes(const struct side *s, const char *path)
{
	struct statvfs sv;

	if (s->s_statvfs(path, &sv) == -1)
		fail(s, "statvfs(%s)", path);
	return (int64_t)sv.f_bavail * (int64_t)sv.f_frsize;
}

/* The data size: DATA_SIZE, or less if it does not fit 1.5 times. */
static int64_t
data_size(void)
{
	int64_t avail, f;
	const char *what = HOST_PARENT;

	avail = free_bytes(&host, HOST_PARENT);
	if ((f = free_bytes(&rump, RUMP_MNT)) < avail) {
		avail = f;
		what = "the rump tmpfs";
	}
	f = (int64_t)sysconf(_SC_AVPHYS_PAGES) * sysconf(_SC_PAGESIZE);
	if (f > 0 && f < avail) {
		avail = f;
		what = "host memory";
	}
	if (avail >= DATA_SIZE + DATA_SIZE / 2)
		return DATA_SIZE;
	f = (avail * 2 / 3) / (1024 * 1024) * (1024 * 1024);
	if (f < 16 * BLKSIZE) {
		errno = ENOSPC;
		fail(NULL, "%s: %lld MiB free", what,
		    (long long)(avail >> 20));
	}
	printf("note: %s has %lld MiB free, less than 1.5 GiB: "
	    "data size scaled down to %lld MiB\n", what,
	    (long long)(avail >> 20), (long long)(f >> 20));
	return f;
}

static void
setup(void)
{
	char tmpl[] = HOST_PARENT "/bench_vfs.XXXXXX";
	int error, i;

	if ((error = rump_init()) != 0) {
		errno = error;
		fail(NULL, "rump_init");
	}
	if (rump_sys_mkdir(RUMP_MNT, 0755) == -1 && errno != EEXIST)
		fail(&rump, "mkdir(%s)", RUMP_MNT);
	if (rump_sys_mount("tmpfs", RUMP_MNT, 0, NULL, 0) == -1)
		fail(&rump, "mount(tmpfs, %s)", RUMP_MNT);
	snprintf(rump.dir, sizeof(rump.dir), "%s/bench", RUMP_MNT);
	if (rump_sys_mkdir(rump.dir, 0755) == -1)
		fail(&rump, "mkdir(%s)", rump.dir);

	if (mkdtemp(tmpl) == NULL)
		fail(&host, "mkdtemp(%s)", tmpl);
	snprintf(host.dir, sizeof(host.dir), "%s", tmpl);

	for (i = 0; i < NFILES; i++) {
		if ((names[i] = malloc(NAMELEN)) == NULL)
			fail(NULL, "malloc");
	}
	blk = malloc(BLKSIZE);
	rblk = malloc(BLKSIZE);
	if (blk == NULL || rblk == NULL)
		fail(NULL, "malloc");
	/* A pattern that is not all zeros or a page of one value. */
	for (i = 0; i < BLKSIZE / (int)sizeof(int64_t); i++)
		blk[i] = (int64_t)i * 0x9e3779b97f4a7c15LL;
}

static void
teardown(void)
{

	if (host.s_rmdir(host.dir) == -1)
		fail(&host, "rmdir(%s)", host.dir);
	if (rump.s_rmdir(rump.dir) == -1)
		fail(&rump, "rmdir(%s)", rump.dir);
	if (rump_sys_unmount(RUMP_MNT, 0) == -1)
		fail(&rump, "unmount(%s)", RUMP_MNT);
}

static void
row(const char *what, double r, double h, const char *unit, double target)
{
	char rs[32], hs[32];

	snprintf(rs, sizeof(rs), "%.0f %s", r, unit);
	snprintf(hs, sizeof(hs), "%.0f %s", h, unit);
	printf("%-34s %14s %14s %6.2fx  >= %.1f %s\n", what, rs, hs, r / h,
	    target, r / h >= target ? "ok" : "below");
}

int
main(int argc, char **argv)
{
	double mt[2][NPHASE][NREP_META], t[NPHASE], med[2][NPHASE];
	double wt[2][NREP_DATA], rt[2][NREP_DATA], wmed[2], rmed[2], tot[2];
	struct side *sides[2] = { &rump, &host };
	int64_t t0, size;
	char what[64];
	int r, i, p, verbose;

	verbose = argc == 2 && strcmp(argv[1], "-v") == 0;
	if (argc != 1 && !verbose) {
		fprintf(stderr, "usage: bench_vfs [-v]\n");
		return 2;
	}
	t0 = bench_now();
	setup();
	size = data_size();

	/*
	 * One untimed round of each kind on each side first, to warm
	 * caches and allocators (and, in a virtual machine, to have the
	 * hypervisor back the guest memory the data runs use).
	 */
	for (i = 0; i < 2; i++) {
		meta_run(sides[i], t);
		data_run(sides[i], size, &t[0], &t[1]);
	}
	for (r = 0; r < NREP_META; r++) {
		for (i = 0; i < 2; i++) {
			meta_run(sides[i], t);
			for (p = 0; p < NPHASE; p++)
				mt[i][p][r] = t[p];
			if (verbose)
				printf("run %d %s: create %.3f s, stat %.3f s, "
				    "unlink %.3f s\n", r, sides[i]->name,
				    t[PH_CREATE], t[PH_STAT], t[PH_UNLINK]);
		}
	}
	for (r = 0; r < NREP_DATA; r++) {
		for (i = 0; i < 2; i++) {
			data_run(sides[i], size, &wt[i][r], &rt[i][r]);
			if (verbose)
				printf("run %d %s: write %.3f s, read %.3f s\n",
				    r, sides[i]->name, wt[i][r], rt[i][r]);
		}
	}
	teardown();

	for (i = 0; i < 2; i++) {
		tot[i] = 0;
		for (p = 0; p < NPHASE; p++) {
			med[i][p] = bench_median(mt[i][p], NREP_META);
			tot[i] += med[i][p];
		}
		wmed[i] = bench_median(wt[i], NREP_DATA);
		rmed[i] = bench_median(rt[i], NREP_DATA);
	}

	printf("%-34s %14s %14s %7s  %s\n", "benchmark", "rump tmpfs",
	    "host /dev/shm", "ratio", "target");
	for (p = 0; p < NPHASE; p++) {
		snprintf(what, sizeof(what), "%s, %d files", phase_name[p],
		    NFILES);
		row(what, NFILES / med[0][p], NFILES / med[1][p], "op/s",
		    1.0);
	}
	row("create+stat+unlink overall", NPHASE * NFILES / tot[0],
	    NPHASE * NFILES / tot[1], "op/s", 1.0);
	snprintf(what, sizeof(what), "write %lld MiB, 64 KiB calls",
	    (long long)(size >> 20));
	row(what, size / 1e6 / wmed[0], size / 1e6 / wmed[1], "MB/s", 0.8);
	snprintf(what, sizeof(what), "read %lld MiB, 64 KiB calls",
	    (long long)(size >> 20));
	row(what, size / 1e6 / rmed[0], size / 1e6 / rmed[1], "MB/s", 0.8);
	row("write+read overall", 2 * size / 1e6 / (wmed[0] + rmed[0]),
	    2 * size / 1e6 / (wmed[1] + rmed[1]), "MB/s", 0.8);
	printf("(median of %d metadata and %d data runs a side, %.1f s in "
	    "all;\n ratio = rump/host, higher is better for rump)\n",
	    NREP_META, NREP_DATA, (bench_now() - t0) / 1e9);
	return 0;
}
