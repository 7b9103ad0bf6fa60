/*
 * Internal interfaces of the network components' rump glue.
 */
#ifndef _RUMP_SYS_NET_H_
#define _RUMP_SYS_NET_H_

#include <sys/types.h>

/* The packet tap (libnet/net_pcap.c), from RUMP_PCAP. */
void	rump_pcap_init(void);
void	rump_pcap_fini(void);

/* Socket ioctls for interfaces and routes (libnet/netconfig.c). */
struct lwp;
int	rump_net_ifioctl(u_long, void *, struct lwp *);

/* The kernel halves of rump_pub_netconfig_*() (libnet/netconfig.c). */
int	rump_netconfig_ifcreate(const char *);
int	rump_netconfig_ifdestroy(const char *);
int	rump_netconfig_ifup(const char *);
int	rump_netconfig_ifdown(const char *);
int	rump_netconfig_ipv4_ifaddr(const char *, const char *, const char *);
int	rump_netconfig_ipv4_gw(const char *);

#endif /* !_RUMP_SYS_NET_H_ */
