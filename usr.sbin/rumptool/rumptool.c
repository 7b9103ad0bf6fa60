/*
 * What the rump.* tools share (host code, built into each): reaching
 * the server RUMP_SERVER names, and reading a sysctl node of records.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "rumptool.h"

void
rumptool_connect(const char *prog)
{

	if (rump_init() != 0) {
		fprintf(stderr, "%s: cannot reach the server (RUMP_SERVER): "
		    "%s\n", prog, strerror(errno));
		exit(1);
	}
}

void *
rumptool_sysctl(const char *name, size_t *lenp)
{
	size_t len = 0;
	void *buf = NULL, *nb;

	for (;;) {
		if (rump_sys_sysctl(name, NULL, &len, NULL, 0) == -1)
			break;
		len += 4096;	/* room for growth meanwhile */
		if ((nb = realloc(buf, len)) == NULL)
			break;
		buf = nb;
		if (rump_sys_sysctl(name, buf, &len, NULL, 0) == 0) {
			*lenp = len;
			return buf;
		}
		if (errno != ENOMEM)
			break;
	}
	free(buf);
	return NULL;
}
