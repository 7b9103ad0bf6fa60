/*
 * The interface layer as a component (rump glue): at boot the interface
 * list and input thread, the routing table, lo0 and, if RUMP_PCAP names
 * a file, the packet tap; at shutdown the same in reverse.
 */

#include <sys/types.h>

#include <sys/socketvar.h>

#include <net/if.h>
#include <net/if_loop.h>
#include <net/route.h>

#include <rump-sys/kern.h>
#include <rump-sys/net.h>

static void net_init(void);
static void net_fini(void);

static const struct rump_component net_component = {
	.rc_type = RUMP_COMPONENT_NET,
	.rc_name = "net",
	.rc_init = net_init,
	.rc_fini = net_fini,
};

static void __constructor
net_ctor(void)
{

	rump_component_register(&net_component);
}

static void
net_init(void)
{

	ifinit();
	rt_init();
	net_sysctl_init();
	loopattach();
	rump_pcap_init();
	socket_ifioctl_hook = rump_net_ifioctl;
}

static void
net_fini(void)
{

	socket_ifioctl_hook = NULL;
	loopdetach();
	net_sysctl_fini();
	iffini();
	rump_pcap_fini();
}
