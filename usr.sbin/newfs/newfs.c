/*
 * newfs: make a Berkeley Fast File System, UFS1 or UFS2, on a disk, on
 * a disk image file or on one partition of either (host program).  This
 * file reads the command line and reports the layout; layout.c chooses
 * it, build.c writes it, disk.c reaches the disk through a rump kernel.
 */

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "newfs.h"

#define SHOWBACKUPS	24	/* superblock copies listed at most */

/* A usage error: one line, and exit status 2. */
static void
badusage(const char *what)
{

	fprintf(stderr, "newfs: %s (newfs -h for help)\n", what);
	exit(2);
}

static void
usage(void)
{

	printf("usage: newfs [-hnqF] [-O 1|2] [-s size] [-b bsize] "
	    "[-f fsize] [-i bytes]\n"
	    "             [-m minfree] [-V volname] special\n"
	    "  Make a Fast File System on special: a disk, or with -F an\n"
	    "  image file; \"disk.img%%GPT:2%%\" (or %%MBR:n%%, "
	    "%%DISKLABEL:a%%,\n"
	    "  %%GPT:name=NAME%%) is one partition of it.\n"
	    "  -F  special is an image file (made, sparse, if -s is given)\n"
	    "  -O  1: UFS1, 2: UFS2 (default)\n"
	    "  -s  size: sectors of 512 bytes, or with a suffix b, k, m, g, "
	    "t\n"
	    "      (default: all of special)\n"
	    "  -b  block size, 4096 to 65536 (default: by size)\n"
	    "  -f  fragment size, block size / 1, 2, 4 or 8 (default: / 8)\n"
	    "  -i  bytes of data per inode (default: 4 fragments)\n"
	    "  -m  percent of space reserved (default: 5)\n"
	    "  -V  volume name, at most 31 characters\n"
	    "  -n  say what would be made, write nothing\n"
	    "  -q  quiet: say nothing\n"
	    "  -h  this text\n");
}

/*
 * A size argument of option opt: a decimal number of units bytes each,
 * or with a suffix: b (bytes), s (512-byte sectors), k, m, g, t (KiB to
 * TiB).  Ends the program, exit status 2, if it is not one.
 */
static int64_t
getsize(const char *arg, int opt, int64_t units)
{
	char *end;
	long long v;
	int64_t mult;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (end == arg || errno != 0 || v <= 0)
		goto bad;
	switch (*end) {
	case '\0':
		mult = units;
		break;
	case 'b': case 'B':
		mult = 1;
		break;
	case 's': case 'S':
		mult = NEWFS_SECTOR;
		break;
	case 'k': case 'K':
		mult = 1LL << 10;
		break;
	case 'm': case 'M':
		mult = 1LL << 20;
		break;
	case 'g': case 'G':
		mult = 1LL << 30;
		break;
	case 't': case 'T':
		mult = 1LL << 40;
		break;
	default:
		goto bad;
	}
	if (*end != '\0' && end[1] != '\0')
		goto bad;
	if (v > INT64_MAX / mult)
		goto bad;
	return v * mult;
bad:
	fprintf(stderr, "newfs: -%c %s: not a size\n", opt, arg);
	exit(2);
	/* NOTREACHED */
}

/* The same, for values that must fit an int. */
static int
getint(const char *arg, int opt)
{
	int64_t v = getsize(arg, opt, 1);

	if (v > INT32_MAX) {
		fprintf(stderr, "newfs: -%c %s: too big\n", opt, arg);
		exit(2);
	}
	return (int)v;
}

/* A plain count, 0 or more, of option opt. */
static int
getcount(const char *arg, int opt)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (end == arg || *end != '\0' || errno != 0 || v < 0 ||
	    v > INT32_MAX) {
		fprintf(stderr, "newfs: -%c %s: not a number\n", opt, arg);
		exit(2);
	}
	return (int)v;
}

/* bytes as a number and a binary unit, for people. */
static const char *
human(int64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double v = (double)bytes / 1024;
	int u = 0;

	while (v >= 1024 && units[u + 1] != '\0') {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.*f %ciB", v < 100 ? 2 : 1, v, units[u]);
	return buf;
}

/*
 * Say what the file system fs on special is like, and where its
 * superblock copies are (sector numbers in the file system; of many,
 * only the first and last few).
 */
static void
report(const char *special, const struct ffs_super *fs)
{
	int64_t bytes = fs->fs_size * fs->fs_fsize;
	char b1[32], b2[32], num[32];
	int c, col, n;

	printf("%s: %s (%lld sectors), UFS%d, block size %d, "
	    "fragment size %d\n", special, human(bytes, b1, sizeof(b1)),
	    (long long)(bytes / NEWFS_SECTOR),
	    fs->fs_magic == FFS_UFS2_MAGIC ? 2 : 1, fs->fs_bsize,
	    fs->fs_fsize);
	printf("\t%d cylinder group%s of %s, %d blocks, %d inodes each\n",
	    fs->fs_ncg, fs->fs_ncg == 1 ? "" : "s",
	    human((int64_t)fs->fs_fpg * fs->fs_fsize, b2, sizeof(b2)),
	    fs->fs_fpg / fs->fs_frag, fs->fs_ipg);
	printf("superblock backups (for fsck_ffs -b #) at sectors:\n");
	for (c = 0, col = 0; c < fs->fs_ncg; c++) {
		if (fs->fs_ncg > SHOWBACKUPS && c == SHOWBACKUPS / 2) {
			col += printf(" ...,");
			c = fs->fs_ncg - SHOWBACKUPS / 2;
		}
		n = snprintf(num, sizeof(num), " %lld%s",
		    (long long)ffs_fsbtodb(fs, ffs_cgsblock(fs, c)),
		    c + 1 < fs->fs_ncg ? "," : "");
		if (col + n > 72) {
			printf("\n");
			col = 0;
		}
		col += printf("%s", num);
	}
	printf("\n");
}

int
main(int argc, char **argv)
{
	struct newfs_opts o;
	struct ffs_super fs;
	bool dryrun = false, image = false, quiet = false;
	int64_t bytes, unused, now;
	char why[256];
	int ch;

	memset(&o, 0, sizeof(o));
	o.no_version = 2;
	o.no_minfree = -1;
	opterr = 0;
	while ((ch = getopt(argc, argv, ":b:f:Fhi:m:nO:qs:V:")) != -1) {
		switch (ch) {
		case 'b':
			o.no_bsize = getint(optarg, ch);
			break;
		case 'f':
			o.no_fsize = getint(optarg, ch);
			break;
		case 'F':
			image = true;
			break;
		case ':':
			snprintf(why, sizeof(why), "-%c needs a value", optopt);
			badusage(why);
			break;
		case 'h':
			usage();
			return 0;
		case 'i':
			o.no_density = getsize(optarg, ch, 1);
			break;
		case 'm':
			o.no_minfree = getcount(optarg, ch);
			break;
		case 'n':
			dryrun = true;
			break;
		case 'O':
			if (strcmp(optarg, "1") != 0 &&
			    strcmp(optarg, "2") != 0) {
				fprintf(stderr, "newfs: -O %s: the version "
				    "is 1 or 2\n", optarg);
				return 2;
			}
			o.no_version = optarg[0] - '0';
			break;
		case 'q':
			quiet = true;
			break;
		case 's':
			o.no_size = getsize(optarg, ch, NEWFS_SECTOR);
			break;
		case 'V':
			o.no_volname = optarg;
			break;
		default:
			snprintf(why, sizeof(why), "unknown option -%c",
			    optopt);
			badusage(why);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		badusage(argc == 0 ? "no special file given" :
		    "one special file only");

	bytes = disk_open(argv[0], image, o.no_size);
	if (o.no_size > bytes)
		errx(1, "%s: -s %lld bytes: more than its %lld", argv[0],
		    (long long)o.no_size, (long long)bytes);
	if (o.no_size != 0)
		bytes = o.no_size;
	layout_defaults(&o, bytes);
	now = (int64_t)time(NULL);
	if (layout_make(&o, bytes, now, &fs, &unused, why, sizeof(why)) != 0)
		errx(1, "%s: %s", argv[0], why);
	if (unused > 0)
		warnx("%s: the last %lld sectors are left unused (too few for "
		    "a cylinder group)", argv[0],
		    (long long)ffs_fsbtodb(&fs, unused));
	if (!quiet)
		report(argv[0], &fs);
	if (dryrun)
		return 0;
	fflush(stdout);
	disk_prepare(bytes, fs.fs_size * fs.fs_fsize);
	build_fs(&fs, now);
	disk_close();
	return 0;
}
