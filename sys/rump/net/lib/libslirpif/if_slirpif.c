/*
 * slirpif: Ethernet to libslirp (rump glue), a user-mode TCP/IP stack
 * in this process that NATs the kernel's connections onto the host's
 * sockets and forwards host ports into the kernel: network access with
 * no privileges at all.  The interface is a host Ethernet
 * (libnet/net_hostether.c) whose wire is slirp, through the hypercalls
 * of slirpif_user.h.
 */

#include <sys/types.h>

#include <net/if.h>

#include <rump/rumpuser.h>
#include <rump-sys/kern.h>
#include <rump-sys/net.h>

#include "slirpif_user.h"

int	rump_slirpif_create(const char *, int *);

static const struct rump_hostether_ops slirpif_ops = {
	.hop_open = rumpuser_slirpif_open,
	.hop_send = rumpuser_slirpif_send,
	.hop_recv = rumpuser_slirpif_recv,
	.hop_interrupt = rumpuser_slirpif_interrupt,
	.hop_close = rumpuser_slirpif_close,
};

static struct rump_hostether_driver slirpif_driver = {
	.hd_name = "slirpif",
	.hd_ops = &slirpif_ops,
};

int
rump_slirpif_create(const char *options, int *unitp)
{

	return rump_hostether_create(&slirpif_driver, options, unitp);
}

static void
slirpif_init(void)
{

	rump_hostether_init(&slirpif_driver);
}

static void
slirpif_fini(void)
{

	rump_hostether_fini(&slirpif_driver);
}

static const struct rump_component slirpif_component = {
	.rc_type = RUMP_COMPONENT_NET,
	.rc_name = "slirpif",
	.rc_init = slirpif_init,
	.rc_fini = slirpif_fini,
};

static void __constructor
slirpif_ctor(void)
{

	rump_component_register(&slirpif_component);
}
