/*
 * The public virtif call (host side of librumpnet_virtif): enter the
 * kernel, call its half (if_virtif.c), translate the errno.
 */

#include <sys/types.h>
#include <stdint.h>

#include <rump/rump.h>
#include <rump/rump_virtif.h>

#include "rumpuser_abi.h"

int	rump_virtif_create(const char *, int *);

int
rump_pub_virtif_create(const char *tapname, int *unitp)
{
	int error;

	rump_schedule();
	error = rump_virtif_create(tapname, unitp);
	rump_unschedule();
	return rumpuser_abi_errno_tohost(error);
}
