/*
 * The routing table (sys/net/route.c): destinations with prefix masks,
 * looked up by longest prefix, each naming the interface and, for
 * routes through a router, the gateway.  A route with mask length 0 is
 * the default route.  Everything here runs under softnet_lock; a route
 * found by rt_lookup() is valid until the lock is dropped, and rt_gen
 * changes whenever the table does, so callers may cache a route with
 * the generation it was found in.
 */
#ifndef _NET_ROUTE_H_
#define _NET_ROUTE_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

/* rt_flags (the values of Linux's RTF_*). */
#define RTF_UP		0x0001
#define RTF_GATEWAY	0x0002		/* through rt_gateway */
#define RTF_HOST	0x0004		/* a host route (all-ones mask) */
#define RTF_IFACE	0x0100		/* made for an interface address */
#define RTF_USERMASK	(RTF_UP | RTF_GATEWAY | RTF_HOST)

struct ifnet;
struct ifaddr;

struct rtentry {
	TAILQ_ENTRY(rtentry) rt_list;	/* longest prefix first */
	struct sockaddr_storage rt_dst;	/* masked */
	struct sockaddr_storage rt_mask;
	struct sockaddr_storage rt_gateway;
	int		rt_plen;	/* prefix length in bits */
	u_int		rt_flags;
	struct ifnet	*rt_ifp;	/* the interface it goes out of */
	struct ifaddr	*rt_ifa;	/* the source address on it */
	uint64_t	rt_use;		/* packets sent by it */
};

/* SIOCADDRT, SIOCDELRT. */
struct rtreq {		/* kabi */
	struct sockaddr	rtr_dst;
	struct sockaddr	rtr_mask;
	struct sockaddr	rtr_gateway;	/* with RTF_GATEWAY */
	char		rtr_ifname[16];	/* empty: found from the gateway */
	int32_t		rtr_flags;
};

extern uint64_t rt_gen;

void	rt_init(void);
/*
 * Add a route.  ifa: the source address (its interface is the route's).
 * EEXIST if one with this destination and mask is there.
 */
int	rt_add(const struct sockaddr *dst, const struct sockaddr *mask,
	    const struct sockaddr *gateway, u_int flags, struct ifaddr *ifa);
int	rt_delete(const struct sockaddr *dst, const struct sockaddr *mask);
/* The longest-prefix route to dst, or NULL. */
struct rtentry *rt_lookup(const struct sockaddr *dst);
/* Remove every route through ifp, or using address ifa (NULL: any). */
void	rt_purge(struct ifnet *ifp, struct ifaddr *ifa);
/* Visit every route in lookup order; stops at a nonzero return. */
int	rt_walk(int (*)(struct rtentry *, void *), void *);

/*
 * SIOCADDRT/SIOCDELRT (softnet_lock not held).
 */
struct lwp;
int	rtioctl(u_long, void *, struct lwp *);
/*
 * A family is routed once its protocol registers: where in its socket
 * addresses the address bytes are (off, len), and ifa_for(gateway or
 * dst, ifname or NULL), which finds the interface address for a route
 * that an ioctl adds.
 */
typedef struct ifaddr *(*rt_ifa_for_t)(const struct sockaddr *,
	    const char *ifname);
void	rt_register_family(int af, int off, int len, rt_ifa_for_t);

#endif /* !_NET_ROUTE_H_ */
