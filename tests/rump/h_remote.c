/*
 * Helper of t_remote (host side): a client run by rumpclient_exec().
 * "h_remote exec PID KEEP GONE": the kernel process must still be PID,
 * descriptor KEEP open on a file that says "kept", and GONE (opened
 * close-on-exec) closed.  Exit status 0 when all holds.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

static int
fail(const char *what)
{

	fprintf(stderr, "h_remote: %s (%s)\n", what, strerror(errno));
	return 1;
}

int
main(int argc, char **argv)
{
	struct stat st;
	char buf[8];

	if (argc != 5 || strcmp(argv[1], "exec") != 0)
		return fail("usage: h_remote exec PID KEEP GONE");
	if (rump_init() != 0)
		return fail("rump_init");
	if (rump_sys_getpid() != atoi(argv[2]))
		return fail("not the same process");
	if (rump_sys_pread(atoi(argv[3]), buf, 4, 0) != 4 ||
	    memcmp(buf, "kept", 4) != 0)
		return fail("the kept descriptor");
	if (rump_sys_fstat(atoi(argv[4]), &st) != -1 || errno != EBADF)
		return fail("the close-on-exec descriptor is open");
	return 0;
}
