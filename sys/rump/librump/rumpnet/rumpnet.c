/*
 * The network faction (rump glue): starts the mbuf allocator at boot,
 * before any protocol or interface component, and checks at shutdown
 * that every packet was freed.
 */

#include <sys/types.h>
#include <sys/mbuf.h>

#include <rump-sys/kern.h>

static void rumpnet_init(void);

static const struct rump_component rumpnet_component = {
	.rc_type = RUMP_COMPONENT_NET_FACTION,
	.rc_name = "rumpnet",
	.rc_init = rumpnet_init,
	.rc_fini = mbfini,
};

static void __constructor
rumpnet_ctor(void)
{

	rump_component_register(&rumpnet_component);
}

static void
rumpnet_init(void)
{

	mbinit();
}
