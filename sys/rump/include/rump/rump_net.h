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
 * rump_pub_netconfig_ipv4_forwarding(on): route datagrams not for this
 *     kernel between its interfaces (off at boot); librumpnet_netinet.
 *
 * Sockets then work with the host's <sys/socket.h> and <netinet/in.h>
 * through rump_sys_socket() and friends.
 *
 * rump_sys_ioctl() on any socket takes the host's interface and route
 * commands with the host's structures: SIOCGIFCONF, SIOCGIFFLAGS,
 * SIOCSIFFLAGS, SIOCGIFMTU, SIOCSIFMTU, SIOCGIFINDEX, SIOCGIFADDR,
 * SIOCSIFADDR, SIOCGIFNETMASK, SIOCSIFNETMASK, SIOCGIFBRDADDR,
 * SIOCGIFHWADDR (struct ifreq, <net/if.h>), SIOCADDRT and SIOCDELRT
 * (struct rtentry, <net/route.h>: destination, genmask, gateway,
 * RTF_GATEWAY, RTF_HOST, rt_dev), and FIONREAD, FIONBIO, FIOCLEX and
 * FIONCLEX on any descriptor.  What the host has no command for is
 * below: RUMP_SIOCAIFADDR adds an address with its mask (any number per
 * interface), RUMP_SIOCDIFADDR deletes the one in ifr_addr, and
 * RUMP_SIOCIFCREATE and RUMP_SIOCIFDESTROY create and destroy the
 * interface ifr_name of a cloning kind, and RUMP_SIOCIFCREATELINK
 * creates one on a host link.
 */
#ifndef _RUMP_RUMP_NET_H_
#define _RUMP_RUMP_NET_H_

#include <sys/ioctl.h>

#include <net/if.h>
#include <netinet/in.h>

/* RUMP_SIOCAIFADDR: an empty (AF_UNSPEC) broadcast comes from the mask. */
struct rump_ifaliasreq {
	char			ifra_name[IFNAMSIZ];
	struct sockaddr_in	ifra_addr;
	struct sockaddr_in	ifra_broadaddr;
	struct sockaddr_in	ifra_mask;
};

#define RUMP_SIOCAIFADDR	_IOW('R', 0x40, struct rump_ifaliasreq)
#define RUMP_SIOCDIFADDR	_IOW('R', 0x41, struct ifreq)
#define RUMP_SIOCIFCREATE	_IOW('R', 0x42, struct ifreq)
#define RUMP_SIOCIFDESTROY	_IOW('R', 0x43, struct ifreq)

/*
 * RUMP_SIOCIFCREATELINK: create interface ifrl_name ("shmif0") of a
 * driver whose wire is a host object, on the one ifrl_link names (for
 * shmif the bus file, for virtif the tap device, for slirpif its
 * options), as rump_pub_<driver>_create() does.
 */
struct rump_ifreq_link {
	char			ifrl_name[IFNAMSIZ];
	char			ifrl_link[256];
};
#define RUMP_SIOCIFCREATELINK	_IOW('R', 0x44, struct rump_ifreq_link)

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
int	rump_pub_netconfig_ipv4_forwarding(int on);

#ifdef __cplusplus
}
#endif

#endif /* !_RUMP_RUMP_NET_H_ */
