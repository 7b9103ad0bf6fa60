/*
 * ICMP for IPv4 (kernel, RFC 792 and RFC 1122 3.2.2): answers echo
 * requests, passes errors about our own datagrams to the protocol that
 * sent them, and sends errors (unreachable, time exceeded) about
 * datagrams we received, never about ICMP errors, fragments after the
 * first, or broadcasts, and at most ICMP_RATE per second.
 */

#include <sys/types.h>
#include <sys/endian.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/socket.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/if.h>
#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>

#include <lib/libkern/libkern.h>

#define ICMP_RATE	100		/* errors per second, and the burst */
#define ICMP_QUOTE	(576 - IP_MINHDR - ICMP_MINLEN)	/* RFC 1812 4.3.2.3 */

static int icmp_tokens = ICMP_RATE;
static int64_t icmp_refilled;

static const struct ip_protosw icmp_protosw = {
	.ipp_proto = IPPROTO_ICMP,
	.ipp_input = icmp_input,
};

/* A token of the error budget; false: over the rate. */
static bool
icmp_ratelimit_ok(void)
{
	int64_t now = getnsuptime(), add;

	add = (now - icmp_refilled) / (1000000000 / ICMP_RATE);
	if (add > 0) {
		icmp_tokens = (int)(icmp_tokens + add > ICMP_RATE ?
		    ICMP_RATE : icmp_tokens + add);
		icmp_refilled = now;
	}
	if (icmp_tokens == 0)
		return false;
	icmp_tokens--;
	return true;
}

/*
 * Send back m (an ICMP message with its IP header, hlen bytes) to its
 * source, from the address it was sent to if that is ours, else from
 * an address of the interface it came in on.
 */
static void
icmp_reflect(struct mbuf *m, int hlen)
{
	struct ip *ip = mtod(m, struct ip *);
	struct icmp *icp;
	struct in_addr dst = ip->ip_src;
	struct in_ifaddr *ia;
	int len = m->m_pkthdr.len;

	if ((ia = in_ifaddr_find(ip->ip_dst)) == NULL &&
	    (m->m_pkthdr.rcvif == NULL ||
	    (ia = in_ifaddr_first(m->m_pkthdr.rcvif)) == NULL)) {
		m_freem(m);
		return;
	}
	/* Options are not reflected. */
	if (hlen > IP_MINHDR) {
		memmove((char *)ip + hlen - IP_MINHDR, ip, IP_MINHDR);
		m_adj(m, hlen - IP_MINHDR);
		len -= hlen - IP_MINHDR;
		ip = mtod(m, struct ip *);
		hlen = IP_MINHDR;
	}
	ip->ip_vhl = IP_VHL_BORING;
	ip->ip_src = ia->ia_addr.sin_addr;
	ip->ip_dst = dst;
	ip->ip_ttl = (uint8_t)ip_defttl;
	ip->ip_off = 0;
	ip->ip_tos = 0;
	icp = (struct icmp *)(void *)((char *)ip + hlen);
	icp->icmp_cksum = 0;
	icp->icmp_cksum = htons(in_cksum_mbuf(m, hlen, len - hlen, 0));
	m->m_flags &= ~(M_BCAST | M_MCAST);
	m->m_pkthdr.rcvif = NULL;
	(void)ip_output(m, 0, NULL);
}

void
icmp_input(struct mbuf *m, int hlen)
{
	const struct ip_protosw *pr;
	struct ip *ip = mtod(m, struct ip *), *inner;
	struct icmp *icp;
	struct mbuf *n;
	int icmplen, ihlen;

	KASSERT(mutex_owned(&softnet_lock));
	icmplen = ntohs(ip->ip_len) - hlen;
	if (icmplen < ICMP_MINLEN || in_cksum_mbuf(m, hlen, icmplen, 0) != 0)
		goto drop;
	if ((m = m_pullup(m, hlen + ICMP_MINLEN)) == NULL)
		return;
	ip = mtod(m, struct ip *);
	icp = (struct icmp *)(void *)((char *)ip + hlen);

	switch (icp->icmp_type) {
	case ICMP_ECHO:
		if ((m->m_flags & (M_BCAST | M_MCAST)) != 0 ||
		    in_broadcast(ip->ip_dst, m->m_pkthdr.rcvif))
			goto drop;	/* RFC 1122 3.2.2.6: may ignore */
		/* The reply is written in place: a private copy. */
		if ((n = m_dup(m, 0, M_COPYALL, M_DONTWAIT)) == NULL)
			goto drop;
		m_freem(m);
		if ((m = m_pullup(n, hlen + ICMP_MINLEN)) == NULL)
			return;
		ip = mtod(m, struct ip *);
		icp = (struct icmp *)(void *)((char *)ip + hlen);
		icp->icmp_type = ICMP_ECHOREPLY;
		icmp_reflect(m, hlen);
		return;

	case ICMP_UNREACH:
	case ICMP_TIMXCEED:
	case ICMP_PARAMPROB:
		/* The quoted header and 8 bytes of what it carried. */
		if (icmplen < ICMP_MINLEN + IP_MINHDR + 8)
			goto drop;
		if ((m = m_pullup(m, hlen + ICMP_MINLEN + IP_MINHDR)) == NULL)
			return;
		inner = (struct ip *)(void *)(mtod(m, char *) + hlen +
		    ICMP_MINLEN);
		ihlen = IP_VHL_HL(inner->ip_vhl);
		if (IP_VHL_V(inner->ip_vhl) != IPVERSION ||
		    ihlen < IP_MINHDR ||
		    icmplen < ICMP_MINLEN + ihlen + 8 ||
		    hlen + ICMP_MINLEN + ihlen + 8 > MLEN)
			goto drop;
		if ((m = m_pullup(m, hlen + ICMP_MINLEN + ihlen + 8)) == NULL)
			return;
		icp = (struct icmp *)(void *)(mtod(m, char *) + hlen);
		inner = (struct ip *)(void *)((char *)icp + ICMP_MINLEN);
		if ((pr = ip_protosw_lookup(inner->ip_p)) != NULL &&
		    pr->ipp_ctlinput != NULL)
			(*pr->ipp_ctlinput)(icp->icmp_type, icp->icmp_code,
			    inner, ihlen + 8);
		break;
	default:
		break;
	}
drop:
	m_freem(m);
}

void
icmp_error(struct mbuf *m, int type, int code, int mtu)
{
	struct ip *oip = mtod(m, struct ip *), *nip;
	struct icmp *icp;
	struct mbuf *n;
	int ohlen = IP_VHL_HL(oip->ip_vhl), quote;
	uint32_t src = ntohl(oip->ip_src.s_addr);

	KASSERT(mutex_owned(&softnet_lock));
	/* RFC 1122 3.2.2: the cases that get no error. */
	if ((ntohs(oip->ip_off) & IP_OFFMASK) != 0 ||
	    (m->m_flags & (M_BCAST | M_MCAST)) != 0 ||
	    in_broadcast(oip->ip_dst, m->m_pkthdr.rcvif) ||
	    IN_MULTICAST(ntohl(oip->ip_dst.s_addr)) ||
	    src == INADDR_ANY || IN_MULTICAST(src) || src == INADDR_BROADCAST)
		goto out;
	if (oip->ip_p == IPPROTO_ICMP) {
		uint8_t otype;

		if (m->m_pkthdr.len < ohlen + 1)
			goto out;
		m_copydata(m, ohlen, 1, &otype);
		if (otype != ICMP_ECHO && otype != ICMP_ECHOREPLY)
			goto out;
	}
	if (!icmp_ratelimit_ok()) {
		ipstat.ips_icmp_ratelimited++;
		goto out;
	}

	quote = m->m_pkthdr.len < ICMP_QUOTE ? m->m_pkthdr.len : ICMP_QUOTE;
	if ((n = m_getcl(M_DONTWAIT, MT_DATA, M_PKTHDR)) == NULL)
		goto out;
	n->m_len = n->m_pkthdr.len = IP_MINHDR + ICMP_MINLEN + quote;
	nip = mtod(n, struct ip *);
	memset(nip, 0, IP_MINHDR + ICMP_MINLEN);
	icp = (struct icmp *)(void *)((char *)nip + IP_MINHDR);
	icp->icmp_type = (uint8_t)type;
	icp->icmp_code = (uint8_t)code;
	if (type == ICMP_UNREACH && code == ICMP_UNREACH_NEEDFRAG)
		icp->icmp_nextmtu = htons((uint16_t)mtu);
	m_copydata(m, 0, quote, (char *)icp + ICMP_MINLEN);
	/* The quoted header as it arrived (it may have been patched). */
	nip->ip_vhl = IP_VHL_BORING;
	nip->ip_p = IPPROTO_ICMP;
	nip->ip_dst = oip->ip_src;
	nip->ip_src = oip->ip_dst;	/* replaced if not ours */
	n->m_pkthdr.rcvif = m->m_pkthdr.rcvif;
	if (in_ifaddr_find(nip->ip_src) == NULL)
		nip->ip_src.s_addr = INADDR_ANY;
	icp->icmp_cksum = htons(in_cksum_mbuf(n, IP_MINHDR,
	    ICMP_MINLEN + quote, 0));
	nip->ip_ttl = (uint8_t)ip_defttl;
	if (nip->ip_src.s_addr == INADDR_ANY && n->m_pkthdr.rcvif != NULL) {
		struct in_ifaddr *ia = in_ifaddr_first(n->m_pkthdr.rcvif);

		if (ia != NULL)
			nip->ip_src = ia->ia_addr.sin_addr;
	}
	n->m_pkthdr.rcvif = NULL;
	(void)ip_output(n, 0, NULL);
out:
	m_freem(m);
}

int
icmp_errno(int type, int code)
{

	if (type != ICMP_UNREACH)
		return 0;
	switch (code) {
	case ICMP_UNREACH_PORT:
	case ICMP_UNREACH_PROTOCOL:
		return ECONNREFUSED;
	case ICMP_UNREACH_NET:
		return ENETUNREACH;
	case ICMP_UNREACH_HOST:
		return EHOSTUNREACH;
	default:
		return 0;
	}
}

void
icmp_init(void)
{

	icmp_refilled = getnsuptime();
	ip_protosw_register(&icmp_protosw);
}

void
icmp_fini(void)
{

	ip_protosw_unregister(&icmp_protosw);
}
