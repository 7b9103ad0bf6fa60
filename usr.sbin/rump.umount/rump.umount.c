/*
 * rump.umount: unmount a file system of a rump kernel served by
 * rump_server (a librumpclient program).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_mount.h>
#include <rump/rump_syscalls.h>

#include "rumptool.h"

static void
usage(FILE *f)
{

	fprintf(f, "usage: rump.umount [-fh] dir\n");
}

int
main(int argc, char **argv)
{
	int ch, flags = 0;

	while ((ch = getopt(argc, argv, "fh")) != -1) {
		switch (ch) {
		case 'f':
			flags |= RUMP_MNT_FORCE;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return 1;
	}
	rumptool_connect("rump.umount");
	if (rump_sys_unmount(argv[optind], flags) == -1) {
		fprintf(stderr, "rump.umount: %s: %s\n", argv[optind],
		    strerror(errno));
		return 1;
	}
	return 0;
}
