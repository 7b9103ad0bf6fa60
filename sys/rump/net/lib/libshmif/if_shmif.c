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

int	rump_shmif_create(const char *, int *);
int	rump_shmif_impair(int, u_int, u_int, u_int, uint64_t);
int	rump_shmif_delay(int, u_int, u_int);

static const struct rump_hostether_ops shmif_ops = {
	.hop_open = rumpuser_shmif_open,
	.hop_send = rumpuser_shmif_send,
	.hop_recv = rumpuser_shmif_recv,
	.hop_interrupt = rumpuser_shmif_interrupt,
	.hop_close = rumpuser_shmif_close,
};

static struct rump_hostether_driver shmif_driver = {
	.hd_name = "shmif",
	.hd_ops = &shmif_ops,
};

int
rump_shmif_create(const char *path, int *unitp)
{

	return rump_hostether_create(&shmif_driver, path, unitp);
}

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

static void
shmif_init(void)
{

	rump_hostether_init(&shmif_driver);
}

static void
shmif_fini(void)
{

	rump_hostether_fini(&shmif_driver);
}

static const struct rump_component shmif_component = {
	.rc_type = RUMP_COMPONENT_NET,
	.rc_name = "shmif",
	.rc_init = shmif_init,
	.rc_fini = shmif_fini,
};

static void __constructor
shmif_ctor(void)
{

	rump_component_register(&shmif_component);
}
