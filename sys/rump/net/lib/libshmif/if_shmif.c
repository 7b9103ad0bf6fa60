/*
 * shmif: Ethernet over a shared-memory bus in a host file (rump glue).
 * Any number of rump kernels, in any processes, attach to one bus file
 * and see each other's frames, with no privileges.  The interface is a
 * host Ethernet (libnet/net_hostether.c) whose wire is the bus, through
 * the hypercalls of shmif_user.h.
 */

#include <sys/types.h>

#include <net/if.h>

#include <rump/rumpuser.h>
#include <rump-sys/kern.h>
#include <rump-sys/net.h>

#include "shmif_user.h"

RUMP_HOSTETHER_DRIVER(shmif)

int	rump_shmif_impair(int, u_int, u_int, u_int, uint64_t);
int	rump_shmif_delay(int, u_int, u_int);

int
rump_shmif_impair(int unit, u_int drop, u_int dup, u_int reorder,
    uint64_t seed)
{

	return rump_hostether_impair(&shmif_driver, unit, drop, dup, reorder,
	    seed);
}

int
rump_shmif_delay(int unit, u_int permille, u_int ms)
{

	return rump_hostether_delay(&shmif_driver, unit, permille, ms);
}
