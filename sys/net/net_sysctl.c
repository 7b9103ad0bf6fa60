/*
 * The interface layer's sysctl nodes (kernel): net.interfaces (a
 * struct kinfo_if per interface, with its counters), net.ifaddrs (a
 * struct kinfo_ifaddr per address) and net.route (a struct kinfo_route
 * per route).  Records are gathered under softnet_lock into a kernel
 * buffer and copied out after it, as copying out may sleep.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kinfo.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/netisr.h>
#include <net/route.h>

#include <netinet/in.h>

/* The bytes of an address, as the records keep them. */
static void
addrbytes(const struct sockaddr *sa, uint8_t out[16])
{

	memset(out, 0, 16);
	if (sa != NULL && sa->sa_family == AF_INET)
		memcpy(out, &((const struct sockaddr_in *)sa)->sin_addr, 4);
}

static int
prefixlen(const struct sockaddr *mask)
{
	uint32_t m;
	int n = 0;

	if (mask == NULL || mask->sa_family != AF_INET)
		return 0;
	memcpy(&m, &((const struct sockaddr_in *)mask)->sin_addr, 4);
	for (m = ntohl(m); m & 0x80000000u; m <<= 1)
		n++;
	return n;
}

/*
 * Gather with fill(buf, max) under softnet_lock (it returns how many
 * records there are, filling at most max), growing the buffer until
 * they fit, then copy them out.
 */
static int
gather(struct sysctl_req *req, size_t recsize,
    size_t (*fill)(void *, size_t))
{
	size_t max = 16, n;
	void *buf;
	int error;

	for (;;) {
		buf = kmem_zalloc(max * recsize, KM_SLEEP);
		mutex_enter(&softnet_lock);
		n = (*fill)(buf, max);
		mutex_exit(&softnet_lock);
		if (n <= max)
			break;
		kmem_free(buf, max * recsize);
		max = n + 16;
	}
	error = sysctl_out(req, buf, n * recsize);
	kmem_free(buf, max * recsize);
	return error;
}

static size_t
fill_interfaces(void *buf, size_t max)
{
	struct kinfo_if *ki = buf;
	struct ifnet *ifp;
	size_t n = 0;

	TAILQ_FOREACH(ifp, &ifnet_list, if_list) {
		if (n < max) {
			strlcpy(ki->ki_name, ifp->if_xname,
			    sizeof(ki->ki_name));
			ki->ki_index = ifp->if_index;
			ki->ki_flags = ifp->if_flags;
			ki->ki_mtu = ifp->if_mtu;
			ki->ki_hwlen = MIN(ifp->if_addrlen, sizeof(ki->ki_hw));
			memcpy(ki->ki_hw, ifp->if_lladdr, ki->ki_hwlen);
			ki->ki_ipackets = ifp->if_data.ifi_ipackets;
			ki->ki_ierrors = ifp->if_data.ifi_ierrors;
			ki->ki_opackets = ifp->if_data.ifi_opackets;
			ki->ki_oerrors = ifp->if_data.ifi_oerrors;
			ki->ki_ibytes = ifp->if_data.ifi_ibytes;
			ki->ki_obytes = ifp->if_data.ifi_obytes;
			ki->ki_iqdrops = ifp->if_data.ifi_iqdrops;
			ki++;
		}
		n++;
	}
	return n;
}

static size_t
fill_ifaddrs(void *buf, size_t max)
{
	struct kinfo_ifaddr *ka = buf;
	struct ifaddr *ifa;
	struct ifnet *ifp;
	size_t n = 0;

	TAILQ_FOREACH(ifp, &ifnet_list, if_list) {
		TAILQ_FOREACH(ifa, &ifp->if_addrlist, ifa_list) {
			if (n < max) {
				strlcpy(ka->ka_name, ifp->if_xname,
				    sizeof(ka->ka_name));
				ka->ka_family = ifa->ifa_addr->sa_family;
				ka->ka_plen = (uint32_t)prefixlen(
				    ifa->ifa_netmask);
				addrbytes(ifa->ifa_addr, ka->ka_addr);
				addrbytes(ifa->ifa_broadaddr, ka->ka_broad);
				ka++;
			}
			n++;
		}
	}
	return n;
}

struct route_fill {
	struct kinfo_route *rf_kr;
	size_t		rf_n, rf_max;
};

static int
fill_one_route(struct rtentry *rt, void *arg)
{
	struct route_fill *rf = arg;
	struct kinfo_route *kr;

	if (rf->rf_n < rf->rf_max) {
		kr = &rf->rf_kr[rf->rf_n];
		if (rt->rt_ifp != NULL)
			strlcpy(kr->kr_ifname, rt->rt_ifp->if_xname,
			    sizeof(kr->kr_ifname));
		kr->kr_family = rt->rt_dst.ss_family;
		kr->kr_plen = (uint32_t)rt->rt_plen;
		kr->kr_flags = rt->rt_flags;
		addrbytes((const struct sockaddr *)&rt->rt_dst, kr->kr_dst);
		addrbytes((const struct sockaddr *)&rt->rt_gateway,
		    kr->kr_gateway);
		kr->kr_use = rt->rt_use;
	}
	rf->rf_n++;
	return 0;
}

static size_t
fill_routes(void *buf, size_t max)
{
	struct route_fill rf = { buf, 0, max };

	rt_walk(fill_one_route, &rf);
	return rf.rf_n;
}

static int
sysctl_interfaces(const struct sysctl_node *sn, struct sysctl_req *req)
{

	return gather(req, sizeof(struct kinfo_if), fill_interfaces);
}

static int
sysctl_ifaddrs(const struct sysctl_node *sn, struct sysctl_req *req)
{

	return gather(req, sizeof(struct kinfo_ifaddr), fill_ifaddrs);
}

static int
sysctl_route(const struct sysctl_node *sn, struct sysctl_req *req)
{

	return gather(req, sizeof(struct kinfo_route), fill_routes);
}

static struct sysctl_node net_nodes[] = {
	SYSCTL_NODE("net.interfaces", CTLTYPE_STRUCT, 0, sysctl_interfaces,
	    NULL),
	SYSCTL_NODE("net.ifaddrs", CTLTYPE_STRUCT, 0, sysctl_ifaddrs, NULL),
	SYSCTL_NODE("net.route", CTLTYPE_STRUCT, 0, sysctl_route, NULL),
};

void
net_sysctl_init(void)
{

	sysctl_add_all(net_nodes, __arraycount(net_nodes));
}

void
net_sysctl_fini(void)
{

	sysctl_remove_all(net_nodes, __arraycount(net_nodes));
}
