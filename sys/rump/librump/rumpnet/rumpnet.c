/*
 * The network faction (rump glue): starts the mbuf allocator and
 * installs the socket system calls at boot, before any protocol or
 * interface component, and checks at shutdown that every packet and
 * socket was freed.
 */

#include <sys/types.h>
#include <sys/mbuf.h>
#include <sys/socketvar.h>
#include <sys/sysent.h>
#include <sys/systm.h>

#include <rump-sys/kern.h>

static void rumpnet_init(void);
static void rumpnet_fini(void);

static const struct rump_component rumpnet_component = {
	.rc_type = RUMP_COMPONENT_NET_FACTION,
	.rc_name = "rumpnet",
	.rc_init = rumpnet_init,
	.rc_fini = rumpnet_fini,
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
	syscall_install(sysent_net);
}

static void
rumpnet_fini(void)
{

	if (socket_count() != 0)
		printf("rumpnet: %u sockets still open at shutdown\n",
		    socket_count());
	mbfini();
}
