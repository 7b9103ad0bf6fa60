/*
 * rump_net.h: configuring the rump kernel's network (librumpnet_net).
 * Every call returns 0 or a host errno value.
 *
 * rump_pub_netconfig_ifcreate(name): create an interface of a cloning
 *     kind by name ("lo1"; the interface components add theirs).
 * rump_pub_netconfig_ifdestroy(name): destroy it.
 * rump_pub_netconfig_ifup(name), _ifdown(name): set or clear IFF_UP.
 * rump_pub_netconfig_ipv4_ifaddr(name, addr, mask): give the interface
 *     the IPv4 address addr ("10.0.0.1") with netmask mask
 *     ("255.255.255.0"), and the route to its subnet.
 * rump_pub_netconfig_ipv4_gw(addr): the default route, via router addr.
 *
 * Sockets then work with the host's <sys/socket.h> and <netinet/in.h>
 * through rump_sys_socket() and friends.
 */
#ifndef _RUMP_RUMP_NET_H_
#define _RUMP_RUMP_NET_H_

#ifdef __cplusplus
extern "C" {
#endif

int	rump_pub_netconfig_ifcreate(const char *name);
int	rump_pub_netconfig_ifdestroy(const char *name);
int	rump_pub_netconfig_ifup(const char *name);
int	rump_pub_netconfig_ifdown(const char *name);
int	rump_pub_netconfig_ipv4_ifaddr(const char *name, const char *addr,
	    const char *mask);
int	rump_pub_netconfig_ipv4_gw(const char *addr);

#ifdef __cplusplus
}
#endif

#endif /* !_RUMP_RUMP_NET_H_ */
