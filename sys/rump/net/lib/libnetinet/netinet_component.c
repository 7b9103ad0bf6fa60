/*
 * IPv4 as a component (rump glue): the protocols start in order (the
 * address layer first, so lo0 gets 127.0.0.1), then the AF_INET
 * domain opens for sockets; at shutdown the reverse.  And the kernel
 * half of the forwarding switch.
 */

#include <sys/types.h>
#include <sys/protosw.h>

#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_proto.h>
#include <netinet/in_var.h>
#include <netinet/raw_ip_var.h>
#include <netinet/tcp_var.h>
#include <netinet/udp_var.h>

#include <rump-sys/kern.h>

int	rump_netconfig_ipv4_forwarding(int);

/* The kernel half of rump_pub_netconfig_ipv4_forwarding(). */
int
rump_netconfig_ipv4_forwarding(int on)
{

	mutex_enter(&softnet_lock);
	ip_forwarding = on != 0;
	mutex_exit(&softnet_lock);
	return 0;
}

static void netinet_init(void);
static void netinet_fini(void);

static const struct rump_component netinet_component = {
	.rc_type = RUMP_COMPONENT_NET,
	.rc_name = "netinet",
	.rc_init = netinet_init,
	.rc_fini = netinet_fini,
};

static void __constructor
netinet_ctor(void)
{

	rump_component_register(&netinet_component);
}

static void
netinet_init(void)
{

	arp_init();
	ip_init();
	icmp_init();
	udp_init();
	tcp_init();
	rip_init();
	in_init();
	in_sysctl_init();
	domain_attach(&inetdomain);
}

static void
netinet_fini(void)
{

	domain_detach(&inetdomain);
	in_sysctl_fini();
	in_fini();
	rip_fini();
	tcp_fini();
	udp_fini();
	icmp_fini();
	ip_fini();
	arp_fini();
}
