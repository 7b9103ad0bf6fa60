/*
 * virtif: Ethernet to a tap device of the host (rump glue), for when the
 * host's own network stack is the peer.  The interface is a host
 * Ethernet (libnet/net_hostether.c) whose wire is the tap, through the
 * hypercalls of virtif_user.h.  Making a tap device takes privileges
 * (CAP_NET_ADMIN); one made beforehand for the user does not.
 */

#include <sys/types.h>

#include <net/if.h>

#include <rump/rumpuser.h>
#include <rump-sys/kern.h>
#include <rump-sys/net.h>

#include "virtif_user.h"

int	rump_virtif_create(const char *, int *);

static const struct rump_hostether_ops virtif_ops = {
	.hop_open = rumpuser_virtif_open,
	.hop_send = rumpuser_virtif_send,
	.hop_recv = rumpuser_virtif_recv,
	.hop_interrupt = rumpuser_virtif_interrupt,
	.hop_close = rumpuser_virtif_close,
};

static struct rump_hostether_driver virtif_driver = {
	.hd_name = "virtif",
	.hd_ops = &virtif_ops,
};

int
rump_virtif_create(const char *path, int *unitp)
{

	return rump_hostether_create(&virtif_driver, path, unitp);
}

static void
virtif_init(void)
{

	rump_hostether_init(&virtif_driver);
}

static void
virtif_fini(void)
{

	rump_hostether_fini(&virtif_driver);
}

static const struct rump_component virtif_component = {
	.rc_type = RUMP_COMPONENT_NET,
	.rc_name = "virtif",
	.rc_init = virtif_init,
	.rc_fini = virtif_fini,
};

static void __constructor
virtif_ctor(void)
{

	rump_component_register(&virtif_component);
}
