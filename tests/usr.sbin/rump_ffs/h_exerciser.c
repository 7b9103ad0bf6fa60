/*
 * h_exerciser: the random exerciser (tests/fs/common/exerciser.c) run
 * through the host's own system calls in a directory, for t_rump_ffs
 * to point at a FUSE mount of a rump kernel file system (tests, host
 * side).
 *
 *	h_exerciser [-bdls] directory
 *
 * -b: the file system takes offsets past 4 GiB; -d: open some files
 * O_DIRECT; -l: it has hard links;
 * -s: check that its free block and inode counts come back exactly
 * (nothing else may work on it meanwhile).  Exit status 0 when
 * every operation matched the model, 1 with the failing seed and
 * operation on stderr otherwise.
 */

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <unistd.h>

#include "exerciser.h"

static void __attribute__((__noreturn__))
host_fail(unsigned seed, int op, const char *what, const char *msg)
{

	fprintf(stderr, "h_exerciser: seed %u, operation %d (%s): %s\n",
	    seed, op, what, msg);
	exit(1);
}

/* 50 ms: the free counts are checked again 100 times at most. */
static void
host_settle(void)
{

	usleep(50000);
}

static const struct ex_sys host_ex_sys = {
	.open = open, .close = close, .read = read, .write = write,
	.pread = pread, .pwrite = pwrite, .readv = readv, .writev = writev,
	.lseek = lseek, .stat = stat, .fstat = fstat, .truncate = truncate,
	.ftruncate = ftruncate, .unlink = unlink, .rename = rename,
	.link = link, .fsync = fsync, .fdatasync = fdatasync, .mkdir = mkdir,
	.rmdir = rmdir, .chdir = chdir, .statvfs = statvfs,
	.getdents = getdents64, .settle = host_settle, .fail = host_fail,
};

int
main(int argc, char **argv)
{
	int ch, flags = 0;

	while ((ch = getopt(argc, argv, "bdls")) != -1) {
		switch (ch) {
		case 'b':
			flags |= EX_BIGFILES;
			break;
		case 'd':
			flags |= EX_DIRECT;
			break;
		case 'l':
			flags |= EX_HARDLINKS;
			break;
		case 's':
			flags |= EX_FREE_EXACT;
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 1)
		goto usage;
	ex_run(&host_ex_sys, argv[optind], flags);
	return 0;
usage:
	fprintf(stderr, "usage: h_exerciser [-bdls] directory\n");
	return 2;
}
