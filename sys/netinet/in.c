/*
 * IPv4 addresses of interfaces (kernel): adding and removing them with
 * their subnet routes, the address ioctls, the questions the rest of
 * IPv4 asks about addresses (ours? broadcast? on link?), and the hooks
 * into the interface layer.  lo0 gets 127.0.0.1/8 when it attaches.
 */

#include <sys/types.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/socket.h>
#include <sys/sockio.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/netisr.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/in_var.h>

#include <lib/libkern/libkern.h>

struct in_ifaddrhead in_ifaddrhead = TAILQ_HEAD_INITIALIZER(in_ifaddrhead);

static void in_ifattach(struct ifnet *);
static void in_ifdetach(struct ifnet *);
static void in_ifupdown(struct ifnet *);
static struct ifaddr *in_rt_ifa_for(const struct sockaddr *, const char *);

static const struct if_protohooks in_protohooks = {
	.ph_family = AF_INET,
	.ph_attach = in_ifattach,
	.ph_detach = in_ifdetach,
	.ph_ioctl = in_control,
	.ph_updown = in_ifupdown,
};

static void
sin_set(struct sockaddr_in *sin, uint32_t addr)
{

	memset(sin, 0, sizeof(*sin));
	sin->sin_len = sizeof(*sin);
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(addr);
}

struct in_ifaddr *
in_ifaddr_find(struct in_addr a)
{
	struct in_ifaddr *ia;

	TAILQ_FOREACH(ia, &in_ifaddrhead, ia_list) {
		if (ia->ia_addr.sin_addr.s_addr == a.s_addr)
			return ia;
	}
	return NULL;
}

/* The address of ifp (any, if NULL) whose subnet holds a. */
struct in_ifaddr *
in_ifaddr_onlink(struct in_addr a, struct ifnet *ifp)
{
	struct in_ifaddr *ia;
	uint32_t h = ntohl(a.s_addr);

	TAILQ_FOREACH(ia, &in_ifaddrhead, ia_list) {
		if ((ifp == NULL || ia->ia_ifp == ifp) &&
		    (h & ia->ia_subnetmask) == ia->ia_subnet)
			return ia;
	}
	return NULL;
}

struct in_ifaddr *
in_ifaddr_first(struct ifnet *ifp)
{
	struct in_ifaddr *ia;

	TAILQ_FOREACH(ia, &in_ifaddrhead, ia_list) {
		if (ia->ia_ifp == ifp)
			return ia;
	}
	return NULL;
}

/* Is a a broadcast address on ifp (all ones, or a subnet's)? */
bool
in_broadcast(struct in_addr a, struct ifnet *ifp)
{
	struct in_ifaddr *ia;
	uint32_t h = ntohl(a.s_addr);

	if (h == INADDR_BROADCAST || h == INADDR_ANY)
		return true;
	if (ifp == NULL || (ifp->if_flags & IFF_BROADCAST) == 0)
		return false;
	TAILQ_FOREACH(ia, &in_ifaddrhead, ia_list) {
		if (ia->ia_ifp == ifp && ia->ia_subnetmask != 0xffffffffU &&
		    (a.s_addr == ia->ia_broadaddr.sin_addr.s_addr ||
		    h == ia->ia_subnet))
			return true;
	}
	return false;
}

/* May a packet to a be forwarded (or sent at all)? */
bool
in_canforward(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	return !(IN_MULTICAST(h) || IN_EXPERIMENTAL(h) || IN_ZERONET(h) ||
	    IN_LOOPBACK(h));
}

static void
in_ifaddr_remove(struct in_ifaddr *ia)
{
	struct ifnet *ifp = ia->ia_ifp;

	rt_purge(ifp, &ia->ia_ifa);
	TAILQ_REMOVE(&ifp->if_addrlist, &ia->ia_ifa, ifa_list);
	TAILQ_REMOVE(&in_ifaddrhead, ia, ia_list);
	kmem_free(ia, sizeof(*ia));
}

/* The subnet route of ia (none while the interface is down). */
static void
in_ifaddr_route(struct in_ifaddr *ia)
{
	struct sockaddr_in dst;
	int error;

	if ((ia->ia_ifp->if_flags & IFF_UP) == 0)
		return;
	sin_set(&dst, ia->ia_subnet);
	error = rt_add((struct sockaddr *)&dst,
	    (struct sockaddr *)&ia->ia_netmask, NULL,
	    RTF_IFACE | (ia->ia_subnetmask == 0xffffffffU ? RTF_HOST : 0),
	    &ia->ia_ifa);
	if (error != 0 && error != EEXIST)
		printf("in: no route for a new address: %d\n", error);
}

/*
 * Add (or change the mask of) address addr/mask on ifp.  A zero-length
 * broadcast is derived from the mask.  first: it becomes the
 * interface's first address (the one SIOCGIFADDR and SIOCSIFADDR mean);
 * otherwise it goes last.
 */
static int
in_ifaddr_add(struct ifnet *ifp, const struct sockaddr_in *addr,
    const struct sockaddr_in *mask, const struct sockaddr_in *brd, bool first)
{
	struct in_ifaddr *ia;
	uint32_t h, m;

	if (addr->sin_family != AF_INET || addr->sin_len < sizeof(*addr))
		return EAFNOSUPPORT;
	h = ntohl(addr->sin_addr.s_addr);
	if (mask != NULL && mask->sin_len != 0)
		m = ntohl(mask->sin_addr.s_addr);
	else
		m = IN_LOOPBACK(h) ? IN_CLASSA_NET : 0xffffff00U;
	/* Contiguous masks only. */
	if (m != 0 && (~m & (~m + 1)) != 0)
		return EINVAL;
	if (h == INADDR_ANY || h == INADDR_BROADCAST || IN_MULTICAST(h) ||
	    IN_EXPERIMENTAL(h))
		return EINVAL;
	if ((ia = in_ifaddr_find(addr->sin_addr)) != NULL) {
		if (ia->ia_ifp != ifp)
			return EADDRINUSE;
		in_ifaddr_remove(ia);	/* re-added with the new mask */
	}

	ia = kmem_zalloc(sizeof(*ia), KM_SLEEP);
	sin_set(&ia->ia_addr, h);
	sin_set(&ia->ia_netmask, m);
	ia->ia_subnetmask = m;
	ia->ia_subnet = h & m;
	if (brd != NULL && brd->sin_len != 0 && brd->sin_family == AF_INET)
		sin_set(&ia->ia_broadaddr, ntohl(brd->sin_addr.s_addr));
	else
		sin_set(&ia->ia_broadaddr, ia->ia_subnet | ~m);
	ia->ia_ifa.ifa_ifp = ifp;
	ia->ia_ifa.ifa_addr = (struct sockaddr *)&ia->ia_addr;
	ia->ia_ifa.ifa_netmask = (struct sockaddr *)&ia->ia_netmask;
	ia->ia_ifa.ifa_broadaddr = (struct sockaddr *)&ia->ia_broadaddr;
	if (first) {
		TAILQ_INSERT_HEAD(&ifp->if_addrlist, &ia->ia_ifa, ifa_list);
		TAILQ_INSERT_HEAD(&in_ifaddrhead, ia, ia_list);
	} else {
		TAILQ_INSERT_TAIL(&ifp->if_addrlist, &ia->ia_ifa, ifa_list);
		TAILQ_INSERT_TAIL(&in_ifaddrhead, ia, ia_list);
	}
	in_ifaddr_route(ia);
	if ((ifp->if_flags & IFF_UP) != 0)
		arp_announce(ifp, ia->ia_addr.sin_addr);
	return 0;
}

int
in_control(u_long cmd, void *data, struct ifnet *ifp, struct lwp *l)
{
	struct ifreq *ifr = data;
	struct ifaliasreq *ifra = data;
	struct in_ifaddr *ia;
	const struct sockaddr_in *sin;
	struct sockaddr_in a, m;
	struct in_addr old;
	uint32_t h;
	int error;

	KASSERT(mutex_owned(&softnet_lock));
	switch (cmd) {
	case SIOCAIFADDR:
		return in_ifaddr_add(ifp,
		    (const struct sockaddr_in *)&ifra->ifra_addr,
		    (const struct sockaddr_in *)&ifra->ifra_mask,
		    (const struct sockaddr_in *)&ifra->ifra_broadaddr, false);
	case SIOCDIFADDR:
		sin = (const struct sockaddr_in *)&ifr->ifr_sa;
		if (sin->sin_family != AF_INET)
			return EOPNOTSUPP;
		if ((ia = in_ifaddr_find(sin->sin_addr)) == NULL ||
		    ia->ia_ifp != ifp)
			return EADDRNOTAVAIL;
		in_ifaddr_remove(ia);
		return 0;
	case SIOCSIFADDR:
		/*
		 * The new address, its mask by its class, then the first
		 * one goes (if it was another).
		 */
		sin = (const struct sockaddr_in *)&ifr->ifr_sa;
		h = ntohl(sin->sin_addr.s_addr);
		sin_set(&m, IN_CLASSA(h) ? IN_CLASSA_NET : IN_CLASSB(h) ?
		    IN_CLASSB_NET : IN_CLASSC_NET);
		ia = in_ifaddr_first(ifp);
		old = ia != NULL ? ia->ia_addr.sin_addr : sin->sin_addr;
		if ((error = in_ifaddr_add(ifp, sin, &m, NULL, true)) != 0)
			return error;
		if (old.s_addr != sin->sin_addr.s_addr &&
		    (ia = in_ifaddr_find(old)) != NULL)
			in_ifaddr_remove(ia);
		return 0;
	case SIOCSIFNETMASK:
		/* The first address's mask (and broadcast) changes. */
		sin = (const struct sockaddr_in *)&ifr->ifr_sa;
		if ((ia = in_ifaddr_first(ifp)) == NULL)
			return EADDRNOTAVAIL;
		a = ia->ia_addr;
		sin_set(&m, ntohl(sin->sin_addr.s_addr));
		return in_ifaddr_add(ifp, &a, &m, NULL, true);
	case SIOCGIFADDR:
	case SIOCGIFNETMASK:
	case SIOCGIFBRDADDR:
		if ((ia = in_ifaddr_first(ifp)) == NULL)
			return EADDRNOTAVAIL;
		sin = cmd == SIOCGIFADDR ? &ia->ia_addr :
		    cmd == SIOCGIFNETMASK ? &ia->ia_netmask :
		    &ia->ia_broadaddr;
		memcpy(&ifr->ifr_sa, sin, sizeof(*sin));
		return 0;
	default:
		return EOPNOTSUPP;
	}
}

static void
in_ifattach(struct ifnet *ifp)
{
	struct sockaddr_in a, m;

	if (ifp->if_type != IFT_LOOP || strcmp(ifp->if_xname, "lo0") != 0)
		return;
	sin_set(&a, INADDR_LOOPBACK);
	sin_set(&m, IN_CLASSA_NET);
	ifp->if_flags |= IFF_UP;
	(void)in_ifaddr_add(ifp, &a, &m, NULL, false);
}

static void
in_ifdetach(struct ifnet *ifp)
{
	struct in_ifaddr *ia, *next;

	arp_ifdetach(ifp);
	TAILQ_FOREACH_SAFE(ia, &in_ifaddrhead, ia_list, next) {
		if (ia->ia_ifp == ifp)
			in_ifaddr_remove(ia);
	}
	rt_purge(ifp, NULL);
}

/* Up: the subnet routes come back; down: routes through it go. */
static void
in_ifupdown(struct ifnet *ifp)
{
	struct in_ifaddr *ia;

	if ((ifp->if_flags & IFF_UP) == 0) {
		rt_purge(ifp, NULL);
		arp_ifdetach(ifp);
		return;
	}
	TAILQ_FOREACH(ia, &in_ifaddrhead, ia_list) {
		if (ia->ia_ifp == ifp) {
			in_ifaddr_route(ia);
			arp_announce(ifp, ia->ia_addr.sin_addr);
		}
	}
}

/* For SIOCADDRT: the address whose subnet holds the gateway. */
static struct ifaddr *
in_rt_ifa_for(const struct sockaddr *sa, const char *ifname)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
	struct in_ifaddr *ia;

	if (sa->sa_len < sizeof(*sin))
		return NULL;
	TAILQ_FOREACH(ia, &in_ifaddrhead, ia_list) {
		if (ifname != NULL &&
		    strncmp(ia->ia_ifp->if_xname, ifname, IFNAMSIZ) != 0)
			continue;
		if (ifname != NULL ||
		    (ntohl(sin->sin_addr.s_addr) & ia->ia_subnetmask) ==
		    ia->ia_subnet)
			return &ia->ia_ifa;
	}
	return NULL;
}

struct rtentry *
in_route(struct route *ro, struct in_addr dst)
{
	struct sockaddr_in sin;

	KASSERT(mutex_owned(&softnet_lock));
	if (ro != NULL && ro->ro_rt != NULL && ro->ro_gen == rt_gen &&
	    ro->ro_dst.s_addr == dst.s_addr)
		return ro->ro_rt;
	sin_set(&sin, ntohl(dst.s_addr));
	if (ro == NULL)
		return rt_lookup((struct sockaddr *)&sin);
	ro->ro_rt = rt_lookup((struct sockaddr *)&sin);
	ro->ro_gen = rt_gen;
	ro->ro_dst = dst;
	return ro->ro_rt;
}

void
in_init(void)
{

	rt_register_family(AF_INET, offsetof(struct sockaddr_in, sin_addr),
	    sizeof(struct in_addr), in_rt_ifa_for);
	if_protohooks_register(&in_protohooks);
}

void
in_fini(void)
{

	if_protohooks_unregister(&in_protohooks);
	rt_register_family(AF_INET, 0, 0, NULL);
}
