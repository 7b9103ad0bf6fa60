/*
 * The public shmif calls (host side of librumpnet_shmif): enter the
 * kernel, call its half (if_shmif.c), translate the errno.
 */

#include <sys/types.h>
#include <stdint.h>

#include <rump/rump.h>
#include <rump/rump_shmif.h>

#include "rumpuser_abi.h"

int	rump_shmif_create(const char *, int *);
int	rump_shmif_impair(int, unsigned int, unsigned int, unsigned int,
	    uint64_t);
int	rump_shmif_delay(int, unsigned int, unsigned int);

int
rump_pub_shmif_create(const char *busfile, int *unitp)
{
	int error;

	rump_schedule();
	error = rump_shmif_create(busfile, unitp);
	rump_unschedule();
	return rumpuser_abi_errno_tohost(error);
}

int
rump_pub_shmif_impair(int unit, unsigned int drop, unsigned int dup,
    unsigned int reorder, uint64_t seed)
{
	int error;

	rump_schedule();
	error = rump_shmif_impair(unit, drop, dup, reorder, seed);
	rump_unschedule();
	return rumpuser_abi_errno_tohost(error);
}

int
rump_pub_shmif_delay(int unit, unsigned int permille, unsigned int ms)
{
	int error;

	rump_schedule();
	error = rump_shmif_delay(unit, permille, ms);
	rump_unschedule();
	return rumpuser_abi_errno_tohost(error);
}
