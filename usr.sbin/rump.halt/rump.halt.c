/*
 * rump.halt: halt the rump kernel of a rump_server, which then exits
 * (a librumpclient program).  File systems are synced and unmounted
 * unless -n; -d leaves a core dump of the server.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rumpdefs.h>
#include <rump/rump_syscalls.h>

#include "rumptool.h"

static void
usage(FILE *f)
{

	fprintf(f, "usage: rump.halt [-dhn]\n");
}

int
main(int argc, char **argv)
{
	int ch, howto = 0;

	while ((ch = getopt(argc, argv, "dhn")) != -1) {
		switch (ch) {
		case 'd':
			howto |= RUMP_RB_DUMP;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'n':
			howto |= RUMP_RB_NOSYNC;
			break;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (argc != optind) {
		usage(stderr);
		return 1;
	}
	rumptool_connect("rump.halt");
	/* The server exits with the kernel: the connection goes too. */
	if (rump_sys_reboot(howto, NULL) == -1 && errno != ENOTCONN) {
		fprintf(stderr, "rump.halt: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
