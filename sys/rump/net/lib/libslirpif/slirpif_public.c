/*
 * The public slirpif call (host side of librumpnet_slirpif): enter the
 * kernel, call its half (if_slirpif.c), translate the errno.
 */

#include <sys/types.h>
#include <stdint.h>

#include <rump/rump.h>
#include <rump/rump_slirpif.h>

#include "rumpuser_abi.h"

int	rump_slirpif_create(const char *, int *);

int
rump_pub_slirpif_create(const char *options, int *unitp)
{
	int error;

	rump_schedule();
	error = rump_slirpif_create(options != NULL ? options : "", unitp);
	rump_unschedule();
	return rumpuser_abi_errno_tohost(error);
}
