/*
 * IPv4 output (kernel): completes the header the protocol above built
 * (version, identification, checksum, and the source address from the
 * route when it is unset), finds the route, sends datagrams for our own
 * addresses through the loopback interface, and fragments what is
 * larger than the interface MTU unless DF forbids it.
 */

#include <sys/types.h>
#include <sys/endian.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/socket.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/if_loop.h>
#include <net/netisr.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>

#include <lib/libkern/libkern.h>

static uint16_t ip_id;

/* A fresh identification, not predictable from the last. */
uint16_t
ip_newid(void)
{

	/* A stride that is odd and large walks all 2^16 values. */
	ip_id += 40503;
	return ip_id;
}

/* Split m (header of hlen bytes) into fragments of at most mtu bytes. */
static int
ip_fragment(struct mbuf *m, struct ifnet *ifp, int mtu, int hlen,
    const struct sockaddr *dst)
{
	struct ip *ip = mtod(m, struct ip *), *fip;
	struct mbuf *f, *chain = NULL, **tail = &chain;
	int len = ntohs(ip->ip_len), off, flen, per, error = 0;
	uint16_t ipoff = ntohs(ip->ip_off);

	per = (mtu - hlen) & ~7;
	if (per <= 0) {
		m_freem(m);
		return EMSGSIZE;
	}
	/* The header, options and all, goes into every fragment. */
	for (off = hlen; off < len; off += per) {
		flen = len - off < per ? len - off : per;
		if ((f = m_gethdr(M_DONTWAIT, MT_DATA)) == NULL) {
			error = ENOBUFS;
			break;
		}
		M_ALIGN_END(f, hlen);
		f->m_len = hlen;
		memcpy(mtod(f, void *), ip, hlen);
		if ((f->m_next = m_copym(m, off, flen, M_DONTWAIT)) == NULL) {
			m_freem(f);
			error = ENOBUFS;
			break;
		}
		f->m_pkthdr.len = hlen + flen;
		fip = mtod(f, struct ip *);
		fip->ip_len = htons((uint16_t)(hlen + flen));
		fip->ip_off = htons((uint16_t)((ipoff & ~IP_OFFMASK & ~IP_MF) |
		    (((off - hlen) >> 3) + (ipoff & IP_OFFMASK)) |
		    (off + flen < len || (ipoff & IP_MF) ? IP_MF : 0)));
		fip->ip_sum = 0;
		fip->ip_sum = htons(in_cksum_mbuf(f, 0, hlen, 0));
		*tail = f;
		tail = &f->m_nextpkt;
		ipstat.ips_ofragments++;
	}
	m_freem(m);
	ipstat.ips_fragmented++;
	while ((f = chain) != NULL) {
		chain = f->m_nextpkt;
		f->m_nextpkt = NULL;
		if (error != 0)
			m_freem(f);
		else
			error = (*ifp->if_output)(ifp, f, dst);
	}
	return error;
}

int
ip_output(struct mbuf *m, int flags, struct route *ro)
{
	struct ip *ip;
	struct rtentry *rt;
	struct ifnet *ifp;
	struct in_ifaddr *ia = NULL;
	struct sockaddr_in nexthop;
	int hlen, len, mtu, error;

	KASSERT(mutex_owned(&softnet_lock));
	KASSERT((m->m_flags & M_PKTHDR) != 0);
	if (m->m_len < IP_MINHDR && (m = m_pullup(m, IP_MINHDR)) == NULL)
		return ENOBUFS;
	ip = mtod(m, struct ip *);
	hlen = IP_VHL_HL(ip->ip_vhl);
	if ((flags & (IP_FORWARDING | IP_RAWOUTPUT)) == 0) {
		ip->ip_vhl = IP_VHL_BORING;
		hlen = IP_MINHDR;
		ip->ip_id = htons(ip_newid());
		ipstat.ips_localout++;
	} else if ((flags & IP_RAWOUTPUT) != 0) {
		if (hlen < IP_MINHDR || hlen > m->m_len ||
		    IP_VHL_V(ip->ip_vhl) != IPVERSION) {
			m_freem(m);
			return EINVAL;
		}
		if (ip->ip_id == 0)
			ip->ip_id = htons(ip_newid());
	}
	len = m->m_pkthdr.len;
	if (len > IP_MAXPACKET) {
		m_freem(m);
		return EMSGSIZE;
	}
	ip->ip_len = htons((uint16_t)len);

	/* Where it goes: ourselves (loopback), on a link, or via a router. */
	memset(&nexthop, 0, sizeof(nexthop));
	nexthop.sin_len = sizeof(nexthop);
	nexthop.sin_family = AF_INET;
	nexthop.sin_addr = ip->ip_dst;
	if ((ia = in_ifaddr_find(ip->ip_dst)) != NULL && lo0ifp != NULL) {
		ifp = lo0ifp;
		rt = NULL;
	} else {
		ia = NULL;
		if (ntohl(ip->ip_dst.s_addr) == INADDR_BROADCAST ||
		    (flags & IP_ROUTETOIF) != 0) {
			/* On a link only: the interface of the source. */
			ia = ip->ip_src.s_addr != INADDR_ANY ?
			    in_ifaddr_find(ip->ip_src) :
			    in_ifaddr_onlink(ip->ip_dst, NULL);
			if (ia == NULL)
				ia = TAILQ_FIRST(&in_ifaddrhead);
			if (ia == NULL) {
				ipstat.ips_noroute++;
				m_freem(m);
				return ENETUNREACH;
			}
			ifp = ia->ia_ifp;
			rt = NULL;
		} else {
			if ((rt = in_route(ro, ip->ip_dst)) == NULL) {
				ipstat.ips_noroute++;
				m_freem(m);
				return ENETUNREACH;
			}
			ifp = rt->rt_ifp;
			ia = (struct in_ifaddr *)rt->rt_ifa;
			if ((rt->rt_flags & RTF_GATEWAY) != 0)
				memcpy(&nexthop, &rt->rt_gateway,
				    sizeof(nexthop));
			rt->rt_use++;
		}
	}
	if (ip->ip_src.s_addr == INADDR_ANY && (flags & IP_FORWARDING) == 0)
		ip->ip_src = ia->ia_addr.sin_addr;
	if ((ifp->if_flags & IFF_UP) == 0) {
		m_freem(m);
		return ENETDOWN;
	}
	if (in_broadcast(ip->ip_dst, ifp) && (ifp->if_flags & IFF_LOOPBACK) == 0) {
		if ((flags & (IP_ALLOWBROADCAST | IP_FORWARDING)) == 0) {
			m_freem(m);
			return EACCES;
		}
		m->m_flags |= M_BCAST;
	} else
		m->m_flags &= ~M_BCAST;

	mtu = (int)ifp->if_mtu;
	if (len <= mtu) {
		if ((flags & IP_FORWARDING) == 0) {
			ip->ip_sum = 0;
			ip->ip_sum = htons(in_cksum_mbuf(m, 0, hlen, 0));
		}
		error = (*ifp->if_output)(ifp, m, (struct sockaddr *)&nexthop);
		return error;
	}
	if ((ntohs(ip->ip_off) & IP_DF) != 0) {
		ipstat.ips_cantfrag++;
		if ((flags & IP_FORWARDING) != 0)
			icmp_error(m, ICMP_UNREACH, ICMP_UNREACH_NEEDFRAG, mtu);
		else
			m_freem(m);
		return EMSGSIZE;
	}
	return ip_fragment(m, ifp, mtu, hlen, (struct sockaddr *)&nexthop);
}
