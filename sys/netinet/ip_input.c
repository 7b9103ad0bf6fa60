/*
 * IPv4 input (kernel): checks every header field before use, trims
 * link padding, reassembles fragments, delivers datagrams for this host
 * (any of its addresses, or a broadcast) to the protocol above and to
 * raw sockets, answers unknown protocols with ICMP, and forwards the
 * rest when forwarding is on (off by default).  Options are checked for
 * well-formedness and otherwise ignored.
 */

#include <sys/types.h>
#include <sys/endian.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/socket.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/if_ether.h>
#include <net/netisr.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>

#include <lib/libkern/libkern.h>

struct ipstat ipstat;
int ip_forwarding = 0;
int ip_defttl = IPDEFTTL;

static const struct ip_protosw *ip_protox[IPPROTO_MAX];

void
ip_protosw_register(const struct ip_protosw *pr)
{

	mutex_enter(&softnet_lock);
	KASSERT(ip_protox[pr->ipp_proto] == NULL);
	ip_protox[pr->ipp_proto] = pr;
	mutex_exit(&softnet_lock);
}

void
ip_protosw_unregister(const struct ip_protosw *pr)
{

	mutex_enter(&softnet_lock);
	ip_protox[pr->ipp_proto] = NULL;
	mutex_exit(&softnet_lock);
}

const struct ip_protosw *
ip_protosw_lookup(int proto)
{

	KASSERT(mutex_owned(&softnet_lock));
	return proto >= 0 && proto < IPPROTO_MAX ? ip_protox[proto] : NULL;
}

/* Are the options (hlen - 20 bytes after the header) well formed? */
static bool
ip_options_ok(struct mbuf *m, int hlen)
{
	uint8_t opts[IP_MAXHDR - IP_MINHDR];
	int len = hlen - IP_MINHDR, i = 0, optlen;

	m_copydata(m, IP_MINHDR, len, opts);
	while (i < len) {
		if (opts[i] == IPOPT_EOL)
			break;
		if (opts[i] == IPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			return false;
		optlen = opts[i + 1];
		if (optlen < 2 || i + optlen > len)
			return false;
		i += optlen;
	}
	return true;
}

/* Forward a datagram not for us (forwarding on). */
static void
ip_forward(struct mbuf *m)
{
	struct ip *ip = mtod(m, struct ip *);
	uint32_t sum;

	if ((m->m_flags & (M_BCAST | M_MCAST)) != 0 ||
	    !in_canforward(ip->ip_dst)) {
		ipstat.ips_cantforward++;
		m_freem(m);
		return;
	}
	if (ip->ip_ttl <= 1) {
		icmp_error(m, ICMP_TIMXCEED, ICMP_TIMXCEED_INTRANS, 0);
		return;
	}
	/* TTL down by one: patch the checksum (RFC 1624). */
	ip->ip_ttl--;
	sum = (uint32_t)ntohs(ip->ip_sum) + 0x0100;
	ip->ip_sum = htons((uint16_t)(sum + (sum >> 16)));
	ipstat.ips_forward++;
	(void)ip_output(m, IP_FORWARDING, NULL);
}

void
ip_input(struct ifnet *ifp, struct mbuf *m)
{
	const struct ip_protosw *pr;
	struct ip *ip;
	int hlen, len, off;
	bool ours;

	KASSERT(mutex_owned(&softnet_lock));
	ipstat.ips_total++;
	if (m->m_pkthdr.len < IP_MINHDR) {
		ipstat.ips_tooshort++;
		goto bad;
	}
	if (m->m_len < IP_MINHDR && (m = m_pullup(m, IP_MINHDR)) == NULL) {
		ipstat.ips_tooshort++;
		return;
	}
	ip = mtod(m, struct ip *);
	if (IP_VHL_V(ip->ip_vhl) != IPVERSION) {
		ipstat.ips_badvers++;
		goto bad;
	}
	hlen = IP_VHL_HL(ip->ip_vhl);
	if (hlen < IP_MINHDR || hlen > m->m_pkthdr.len) {
		ipstat.ips_badhlen++;
		goto bad;
	}
	if (m->m_len < hlen) {
		if ((m = m_pullup(m, hlen)) == NULL) {
			ipstat.ips_badhlen++;
			return;
		}
		ip = mtod(m, struct ip *);
	}
	if ((m->m_pkthdr.csum_flags & M_CSUM_IPv4) == 0 &&
	    in_cksum_mbuf(m, 0, hlen, 0) != 0) {
		ipstat.ips_badsum++;
		goto bad;
	}
	len = ntohs(ip->ip_len);
	if (len < hlen || len > m->m_pkthdr.len) {
		ipstat.ips_badlen++;
		goto bad;
	}
	if (len < m->m_pkthdr.len)
		m_adj(m, len - m->m_pkthdr.len);	/* link padding */
	if (hlen > IP_MINHDR && !ip_options_ok(m, hlen)) {
		ipstat.ips_badhlen++;
		goto bad;
	}
	/* Sources no host may have. */
	if (IN_MULTICAST(ntohl(ip->ip_src.s_addr)) ||
	    ntohl(ip->ip_src.s_addr) == INADDR_BROADCAST ||
	    ((IN_LOOPBACK(ntohl(ip->ip_src.s_addr)) ||
	    IN_LOOPBACK(ntohl(ip->ip_dst.s_addr))) &&
	    (ifp->if_flags & IFF_LOOPBACK) == 0))
		goto bad;

	/* For us: one of our addresses (on any interface), or broadcast. */
	ours = in_ifaddr_find(ip->ip_dst) != NULL ||
	    in_broadcast(ip->ip_dst, ifp);
	if (ours && (m->m_flags & M_BCAST) != 0 &&
	    !in_broadcast(ip->ip_dst, ifp))
		ours = false;		/* a link broadcast of a unicast */
	if (!ours) {
		if (IN_MULTICAST(ntohl(ip->ip_dst.s_addr)) || !ip_forwarding) {
			ipstat.ips_cantforward++;
			goto bad;
		}
		ip_forward(m);
		return;
	}

	off = ntohs(ip->ip_off);
	if ((off & (IP_MF | IP_OFFMASK)) != 0) {
		ipstat.ips_fragments++;
		if ((m = ip_reass(m)) == NULL)
			return;
		ipstat.ips_reassembled++;
		ip = mtod(m, struct ip *);
		hlen = IP_VHL_HL(ip->ip_vhl);
	}

	ipstat.ips_delivered++;
	if ((pr = ip_protox[ip->ip_p]) != NULL) {
		/* Raw sockets get a copy of what a protocol takes too. */
		(void)rip_input(m, hlen);
		(*pr->ipp_input)(m, hlen);
		return;
	}
	if (rip_input(m, hlen)) {
		m_freem(m);
		return;
	}
	ipstat.ips_noproto++;
	ipstat.ips_delivered--;
	if ((m->m_flags & (M_BCAST | M_MCAST)) == 0)
		icmp_error(m, ICMP_UNREACH, ICMP_UNREACH_PROTOCOL, 0);
	else
		m_freem(m);
	return;
bad:
	m_freem(m);
}

void
ip_init(void)
{

	ip_reass_init();
	netproto_register(ETHERTYPE_IP, ip_input);
}

void
ip_fini(void)
{

	netproto_unregister(ETHERTYPE_IP);
	ip_reass_fini();
}
