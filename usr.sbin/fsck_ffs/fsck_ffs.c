/*
 * fsck_ffs: check and repair a Berkeley Fast File System (host
 * program).  This file holds the command line, the order of the passes,
 * how each problem is reported and decided (-n, -y, -p or asking), and
 * the exit status.  The device is reached through a rump kernel
 * (disk.c); the passes are in pass[1-5].c.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsck_ffs.h"

struct checker ck;

static void	finish(int) __attribute__((noreturn));

static void
usage(FILE *f)
{

	fprintf(f, "usage: fsck_ffs [-dfhnpy] [-b sector] [-F] special\n"
	    "  Check a UFS1/UFS2 file system and repair what -y or the\n"
	    "  answers allow.  special: a host block device, or with -F a\n"
	    "  host image file, optionally with a partition suffix such as\n"
	    "  disk.img%%MBR:1%%, %%GPT:2%%, %%GPT:name=root%% or\n"
	    "  %%DISKLABEL:a%%.\n"
	    "  -n  check only: open read-only, answer no to every repair\n"
	    "  -y  answer yes to every repair\n"
	    "  -p  preen: repair only what an unclean shutdown leaves,\n"
	    "      stop at anything else; skip a clean file system\n"
	    "  -f  check even when marked clean (with -p)\n"
	    "  -b  use the superblock at this 512-byte sector\n"
	    "  -F  special is an image file, not a device\n"
	    "  -d  debugging output\n"
	    "  -h  this text\n"
	    "  Without -n, -y or -p it asks before each repair.\n"
	    "  Exit: 0 clean, 1 repaired, 4 problems left, 8 error.\n");
}

/*
 * Read one answer from standard input; anything but y or Y is no, and
 * so is the end of input, for this question and every later one.
 */
static int
ask(void)
{
	char line[64];

	printf(" fix? [yn] ");
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL) {
		printf("no (end of input)\n");
		ck.interactive = 0;
		ck.nflag = 1;
		return 0;
	}
	return line[0] == 'y' || line[0] == 'Y';
}

/*
 * Report one problem (a line: subject, colon, what is wrong) and decide
 * whether to repair it: never with -n or a read-only device, always
 * with -y, with -p only when it is ROUTINE (anything else stops the
 * run), else by asking.  Returns 1 if the caller is to repair it.
 */
int
problem(int kind, const char *fmt, ...)
{
	va_list ap;
	int yes, asked = 0;

	ck.nproblems++;
	if (ck.pflag)
		printf("%s: ", ck.special);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (ck.nflag || !ck.writable)
		yes = 0;
	else if (ck.yflag)
		yes = 1;
	else if (ck.pflag) {
		if (kind != ROUTINE) {
			printf("\n%s: unexpected inconsistency; run fsck_ffs "
			    "without -p\n", ck.special);
			ck.nunfixed++;
			finish(FSCK_EXIT_UNFIXED);
		}
		yes = 1;
	} else if (ck.interactive) {
		yes = ask();
		asked = 1;
	} else
		yes = 0;
	if (!asked)
		printf(yes ? " [fixed]\n" : " [not fixed]\n");
	if (yes)
		ck.nfixed++;
	else
		ck.nunfixed++;
	return yes;
}

/* An informational line (not a problem). */
void
note(const char *fmt, ...)
{
	va_list ap;

	if (ck.pflag)
		printf("%s: ", ck.special);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/*
 * A repair that problem() said yes to could not be made: say why and
 * count the problem as not repaired.
 */
void
unfixed(const char *fmt, ...)
{
	va_list ap;

	if (ck.pflag)
		printf("%s: ", ck.special);
	printf("  repair failed: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (ck.nfixed > 0)
		ck.nfixed--;
	ck.nunfixed++;
}

/* A line for -d only. */
void
debug(const char *fmt, ...)
{
	va_list ap;

	if (!ck.dflag)
		return;
	printf("debug: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* An operational error: nothing more can be done (exit 8). */
void
fatal(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "fsck_ffs: %s: ", ck.special != NULL ?
	    ck.special : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(FSCK_EXIT_ERROR);
}

/* calloc() that fails the run instead of returning NULL. */
void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if (n == 0)
		n = 1;
	if ((p = calloc(n, size)) == NULL)
		fatal("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

/*
 * Make room in a growing array p of *alloc elements of size bytes for
 * element index need; returns the (maybe moved) array.
 */
void *
xgrow(void *p, size_t *alloc, size_t need, size_t size)
{
	size_t n;

	if (need < *alloc)
		return p;
	n = *alloc < 16 ? 16 : *alloc;
	while (n <= need) {
		if (n > SIZE_MAX / 2 / size)
			fatal("out of memory");
		n *= 2;
	}
	if ((p = realloc(p, n * size)) == NULL)
		fatal("out of memory (%zu x %zu bytes)", n, size);
	memset((char *)p + *alloc * size, 0, (n - *alloc) * size);
	*alloc = n;
	return p;
}

/* Write what is pending, close the device and exit with status. */
static void
finish(int status)
{

	if (ck.sbdirty && ck.writable)
		sb_write();
	disk_close();
	fflush(stdout);
	exit(status);
}

static void
phase(const char *what)
{

	if (!ck.pflag)
		printf("** %s\n", what);
}

int
main(int argc, char **argv)
{
	char *end;
	int ch, status;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ck.fd = -1;
	ck.altsb = -1;
	while ((ch = getopt(argc, argv, "b:dfFhnpy")) != -1) {
		switch (ch) {
		case 'b':
			errno = 0;
			ck.altsb = strtoll(optarg, &end, 0);
			if (errno != 0 || *end != '\0' || ck.altsb < 0) {
				fprintf(stderr, "fsck_ffs: bad -b %s\n",
				    optarg);
				return FSCK_EXIT_ERROR;
			}
			break;
		case 'd':
			ck.dflag = 1;
			break;
		case 'f':
			ck.fflag = 1;
			break;
		case 'F':
			ck.Fflag = 1;
			break;
		case 'h':
			usage(stdout);
			return FSCK_EXIT_OK;
		case 'n':
			ck.nflag = 1;
			break;
		case 'p':
			ck.pflag = 1;
			break;
		case 'y':
			ck.yflag = 1;
			break;
		default:
			usage(stderr);
			return FSCK_EXIT_ERROR;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1 || ck.nflag + ck.yflag + ck.pflag > 1) {
		if (argc == 1)
			fprintf(stderr, "fsck_ffs: -n, -y and -p exclude "
			    "each other\n");
		usage(stderr);
		return FSCK_EXIT_ERROR;
	}
	ck.special = argv[0];
	ck.interactive = !ck.nflag && !ck.yflag && !ck.pflag;

	disk_open(ck.special);
	sb_setup();
	if (ck.pflag && !ck.fflag && (ck.fs->fs_clean & FFS_ISCLEAN)) {
		note("clean, %jd free fragments, %jd free blocks",
		    (intmax_t)ck.fs->fs_cstotal.cs_nffree,
		    (intmax_t)ck.fs->fs_cstotal.cs_nbfree);
		finish(FSCK_EXIT_OK);
	}
	if (!(ck.fs->fs_clean & FFS_ISCLEAN) &&
	    problem(ROUTINE, "superblock: file system not marked clean"))
		ck.setclean = 1;

	phase("Phase 1: inodes and the blocks they hold");
	pass1();
	phase("Phase 2: directory contents");
	pass2();
	phase("Phase 3: directories connected to the root");
	pass3();
	phase("Phase 4: link counts");
	pass4();
	phase("Phase 5: cylinder groups and summaries");
	pass5();

	/* The clean flag: set after a full repair, cleared after a part. */
	if (ck.writable && ck.nunfixed == 0 && ck.setclean) {
		ck.fs->fs_clean |= FFS_ISCLEAN;
		ck.sbdirty = 1;
	} else if (ck.writable && ck.nunfixed > 0 && ck.modified &&
	    (ck.fs->fs_clean & FFS_ISCLEAN)) {
		ck.fs->fs_clean &= ~FFS_ISCLEAN;
		ck.sbdirty = 1;
		note("problems remain: file system marked not clean");
	}
	if (ck.sbdirty && ck.writable)
		sb_write();

	note("%jd files, %jd fragments used, %jd free "
	    "(%jd in partial blocks, %jd free blocks)", (intmax_t)ck.nfiles,
	    (intmax_t)ck.nused, (intmax_t)(ck.nffree +
	    ck.nbfree * ck.fs->fs_frag), (intmax_t)ck.nffree,
	    (intmax_t)ck.nbfree);
	if (ck.modified)
		note("***** file system was modified *****");
	if (ck.nunfixed > 0) {
		note("***** %u problem%s not repaired *****", ck.nunfixed,
		    ck.nunfixed == 1 ? "" : "s");
		status = FSCK_EXIT_UNFIXED;
	} else if (ck.nproblems > 0)
		status = FSCK_EXIT_FIXED;
	else
		status = FSCK_EXIT_OK;
	ck.sbdirty = 0;
	finish(status);
}
