/*
 * IPv4 inside the kernel: interface addresses, the protocol switch of
 * the Internet family, statistics, and the functions the IPv4 files
 * share.  Everything here runs under softnet_lock.
 */
#ifndef _NETINET_IN_VAR_H_
#define _NETINET_IN_VAR_H_

#include <sys/types.h>
#include <sys/queue.h>

#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>

struct mbuf;
struct socket;
struct ip;
struct lwp;

/* An IPv4 address of an interface. */
struct in_ifaddr {
	struct ifaddr		ia_ifa;		/* ifa_addr etc. point below */
	TAILQ_ENTRY(in_ifaddr)	ia_list;	/* every IPv4 address */
	struct sockaddr_in	ia_addr;
	struct sockaddr_in	ia_netmask;
	struct sockaddr_in	ia_broadaddr;
	uint32_t		ia_subnet;	/* host order, masked */
	uint32_t		ia_subnetmask;	/* host order */
};
#define ia_ifp		ia_ifa.ifa_ifp
#define IA_SIN(ia)	(&(ia)->ia_addr)

TAILQ_HEAD(in_ifaddrhead, in_ifaddr);
extern struct in_ifaddrhead in_ifaddrhead;

/* A cached route (of a socket) to one destination. */
struct route {
	struct rtentry		*ro_rt;
	uint64_t		ro_gen;		/* rt_gen it was found in */
	struct in_addr		ro_dst;
};

/* The route to dst, from the cache if still good; NULL: none. */
struct rtentry *in_route(struct route *, struct in_addr dst);

/* in.c */
void	in_init(void);
void	in_fini(void);
struct in_ifaddr *in_ifaddr_find(struct in_addr);	/* one of ours? */
struct in_ifaddr *in_ifaddr_onlink(struct in_addr, struct ifnet *);
struct in_ifaddr *in_ifaddr_first(struct ifnet *);
bool	in_broadcast(struct in_addr, struct ifnet *);
bool	in_canforward(struct in_addr);
int	in_control(u_long, void *, struct ifnet *, struct lwp *);

/* ip_input.c, ip_output.c */
#define IP_FORWARDING		0x01	/* ip_output(): forwarding: keep header */
#define IP_ALLOWBROADCAST	0x02	/* SO_BROADCAST */
#define IP_RAWOUTPUT		0x04	/* the header is the caller's */
#define IP_ROUTETOIF		0x08	/* SO_DONTROUTE: on-link only */

extern int ip_forwarding;		/* forward packets not for us */
/* net.inet.* sysctl nodes (in_sysctl.c). */
void	in_sysctl_init(void);
void	in_sysctl_fini(void);
extern int ip_defttl;
void	ip_init(void);
void	ip_fini(void);
void	ip_input(struct ifnet *, struct mbuf *);
int	ip_output(struct mbuf *, int flags, struct route *);
uint16_t ip_newid(void);
/* Reassembly (ip_reass.c): the whole datagram once complete, else NULL. */
struct mbuf *ip_reass(struct mbuf *);
void	ip_reass_init(void);
void	ip_reass_fini(void);
void	ip_reass_drain(void);

/* The protocols above IP. */
struct ip_protosw {
	int	ipp_proto;
	/* m: the whole datagram, the IP header (hlen bytes) first. */
	void	(*ipp_input)(struct mbuf *, int hlen);
	/* An ICMP error about a datagram we sent (its IP header in ip). */
	void	(*ipp_ctlinput)(int type, int code, const struct ip *ip,
		    int len);
};
void	ip_protosw_register(const struct ip_protosw *);
void	ip_protosw_unregister(const struct ip_protosw *);
const struct ip_protosw *ip_protosw_lookup(int proto);

/* ip_icmp.c */
void	icmp_input(struct mbuf *, int hlen);
void	icmp_error(struct mbuf *, int type, int code, int mtu);
/* The error an ICMP message about our datagram means to its sender (0: none). */
int	icmp_errno(int type, int code);
void	icmp_init(void);
void	icmp_fini(void);

/* raw_ip.c: true if a raw socket took a copy. */
bool	rip_input(struct mbuf *, int hlen);

/* if_arp.c */
void	arp_init(void);
void	arp_fini(void);
void	arp_ifdetach(struct ifnet *);
void	arp_announce(struct ifnet *, struct in_addr);
/* For tests and ioctls: the link address of ip on ifp, if known. */
bool	arp_lookup(struct ifnet *, struct in_addr, uint8_t *lla);

/* Statistics. */
struct ipstat {
	uint64_t	ips_total;		/* received */
	uint64_t	ips_badsum;
	uint64_t	ips_tooshort;
	uint64_t	ips_badhlen;
	uint64_t	ips_badlen;
	uint64_t	ips_badvers;
	uint64_t	ips_fragments;		/* fragments received */
	uint64_t	ips_fragdropped;	/* dropped: limits, overlap */
	uint64_t	ips_fragtimeout;
	uint64_t	ips_reassembled;
	uint64_t	ips_delivered;
	uint64_t	ips_noproto;
	uint64_t	ips_forward;
	uint64_t	ips_cantforward;
	uint64_t	ips_localout;
	uint64_t	ips_noroute;
	uint64_t	ips_fragmented;		/* datagrams split */
	uint64_t	ips_ofragments;		/* fragments made */
	uint64_t	ips_cantfrag;
	uint64_t	ips_odropped;
	uint64_t	ips_icmp_ratelimited;
	uint64_t	ips_arp_dropped;	/* held too long or too many */
};
extern struct ipstat ipstat;

#endif /* !_NETINET_IN_VAR_H_ */
