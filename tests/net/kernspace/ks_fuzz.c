/*
 * Hostile input for the network stack (kernel side of t_fuzz): seeded
 * frames built like real ones to an interface's own addresses (ARP,
 * ICMP, UDP, TCP, IPv4 fragments that overlap), then damaged (bytes
 * flipped, cut short, header fields set at random, checksums made right
 * again or left wrong), split over mbuf chains at random places, and
 * handed to the interface as if received.  Nothing may crash; what the
 * stack keeps (queued fragments, half-open connections) it must free.
 */

#include <sys/types.h>
#include <sys/endian.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/if_ether.h>
#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/if_arp.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>

#include <lib/libkern/libkern.h>

#include "ks.h"

#define FUZZ_MAXFRAME	1600

/* The IPv4 header checksum and a transport checksum, made right. */
static void
fuzz_cksums(uint8_t *f, int len)
{
	struct ip *ip = (struct ip *)(void *)(f + ETHER_HDR_LEN);
	int hlen = IP_VHL_HL(ip->ip_vhl), plen;
	uint32_t sum;
	uint16_t v;

	if (len < ETHER_HDR_LEN + IP_MINHDR || hlen < IP_MINHDR ||
	    ETHER_HDR_LEN + hlen > len)
		return;
	ip->ip_sum = 0;
	ip->ip_sum = htons(in_cksum_fold(in_cksum_add(0, ip, (size_t)hlen)));
	plen = len - ETHER_HDR_LEN - hlen;
	if (plen <= 0)
		return;
	sum = in_pseudo_sum(ip->ip_src, ip->ip_dst, ip->ip_p, plen);
	switch (ip->ip_p) {
	case IPPROTO_TCP:
		if (plen < (int)sizeof(struct tcphdr))
			return;
		memset(f + ETHER_HDR_LEN + hlen + 16, 0, 2);
		v = htons(in_cksum_fold(in_cksum_add(sum,
		    f + ETHER_HDR_LEN + hlen, (size_t)plen)));
		memcpy(f + ETHER_HDR_LEN + hlen + 16, &v, 2);
		break;
	case IPPROTO_UDP:
		if (plen < (int)sizeof(struct udphdr))
			return;
		memset(f + ETHER_HDR_LEN + hlen + 6, 0, 2);
		v = htons(in_cksum_fold(in_cksum_add(sum,
		    f + ETHER_HDR_LEN + hlen, (size_t)plen)));
		memcpy(f + ETHER_HDR_LEN + hlen + 6, &v, 2);
		break;
	case IPPROTO_ICMP:
		if (plen < ICMP_MINLEN)
			return;
		memset(f + ETHER_HDR_LEN + hlen + 2, 0, 2);
		v = htons(in_cksum_fold(in_cksum_add(0,
		    f + ETHER_HDR_LEN + hlen, (size_t)plen)));
		memcpy(f + ETHER_HDR_LEN + hlen + 2, &v, 2);
		break;
	}
}

/* A well-formed frame of a random kind to us; its length. */
static int
fuzz_build(uint8_t *f, uint32_t *rs, const uint8_t *lla, struct in_addr me,
    int port)
{
	struct ether_header *eh = (struct ether_header *)(void *)f;
	struct ether_arp *ea;
	struct ip *ip;
	struct tcphdr *th;
	struct udphdr *uh;
	struct icmp *icp;
	struct in_addr peer;
	int kind = (int)(ks_random(rs) % 6), len, plen, i;

	memcpy(eh->ether_dhost, (ks_random(rs) & 7) == 0 ?
	    etherbroadcastaddr : lla, ETHER_ADDR_LEN);
	for (i = 0; i < ETHER_ADDR_LEN; i++)
		eh->ether_shost[i] = (uint8_t)ks_random(rs);
	eh->ether_shost[0] &= 0xfe;		/* unicast */
	peer.s_addr = htonl(0x0a000000U | (ks_random(rs) & 0xff));
	if (kind == 0) {
		eh->ether_type = htons(ETHERTYPE_ARP);
		ea = (struct ether_arp *)(void *)(eh + 1);
		ea->ar_hrd = htons(ARPHRD_ETHER);
		ea->ar_pro = htons(ETHERTYPE_IP);
		ea->ar_hln = ETHER_ADDR_LEN;
		ea->ar_pln = 4;
		ea->ar_op = htons((uint16_t)(1 + (ks_random(rs) & 1)));
		memcpy(ea->arp_sha, eh->ether_shost, ETHER_ADDR_LEN);
		memcpy(ea->arp_spa, &peer, 4);
		memset(ea->arp_tha, 0, ETHER_ADDR_LEN);
		memcpy(ea->arp_tpa, &me, 4);
		return ETHER_HDR_LEN + (int)sizeof(*ea);
	}
	eh->ether_type = htons(ETHERTYPE_IP);
	ip = (struct ip *)(void *)(eh + 1);
	memset(ip, 0, sizeof(*ip));
	ip->ip_vhl = IP_VHL_BORING;
	ip->ip_ttl = 64;
	ip->ip_id = (uint16_t)ks_random(rs);
	ip->ip_src = peer;
	ip->ip_dst = me;
	plen = (int)(ks_random(rs) % 200);
	switch (kind) {
	case 1:
		ip->ip_p = IPPROTO_ICMP;
		icp = (struct icmp *)(void *)(ip + 1);
		icp->icmp_type = (uint8_t)(ks_random(rs) % 2 ? ICMP_ECHO :
		    ks_random(rs) % 20);
		icp->icmp_code = (uint8_t)(ks_random(rs) % 5);
		plen += ICMP_MINLEN;
		break;
	case 2:
		ip->ip_p = IPPROTO_UDP;
		uh = (struct udphdr *)(void *)(ip + 1);
		uh->uh_sport = htons((uint16_t)ks_random(rs));
		uh->uh_dport = htons((uint16_t)(ks_random(rs) % 2 ? 7 :
		    ks_random(rs)));
		plen += (int)sizeof(*uh);
		uh->uh_ulen = htons((uint16_t)plen);
		break;
	case 3:
	case 4:
		ip->ip_p = IPPROTO_TCP;
		th = (struct tcphdr *)(void *)(ip + 1);
		th->th_sport = htons((uint16_t)ks_random(rs));
		th->th_dport = htons((uint16_t)(ks_random(rs) % 2 ? (uint32_t)port :
		    ks_random(rs)));
		th->th_seq = ks_random(rs);
		th->th_ack = ks_random(rs);
		th->th_x2off = (uint8_t)((5 + ks_random(rs) % 11) << 4);
		th->th_flags = (uint8_t)(kind == 3 ? TH_SYN :
		    ks_random(rs) & 0x3f);
		th->th_win = htons((uint16_t)ks_random(rs));
		/* Options of random kinds and lengths. */
		for (i = (int)sizeof(*th); i < TH_OFF(th); i++)
			((uint8_t *)th)[i] = (uint8_t)(ks_random(rs) % 12);
		plen += TH_OFF(th);
		break;
	default:
		/* A fragment, which may overlap others of its datagram. */
		ip->ip_p = IPPROTO_UDP;
		ip->ip_id = (uint16_t)(ks_random(rs) % 4);
		ip->ip_off = htons((uint16_t)((ks_random(rs) % 64) |
		    (ks_random(rs) % 3 ? IP_MF : 0)));
		plen = 8 * (1 + (int)(ks_random(rs) % 40));
		break;
	}
	len = ETHER_HDR_LEN + IP_MINHDR + plen;
	ip->ip_len = htons((uint16_t)(IP_MINHDR + plen));
	for (i = ETHER_HDR_LEN + IP_MINHDR + 40; i < len; i++)
		f[i] = (uint8_t)ks_random(rs);
	return len;
}

/* Damage the frame; its new length. */
static int
fuzz_damage(uint8_t *f, int len, uint32_t *rs)
{
	struct ip *ip = (struct ip *)(void *)(f + ETHER_HDR_LEN);
	int i, n;

	switch (ks_random(rs) % 6) {
	case 0:			/* left alone */
		break;
	case 1:			/* bytes flipped anywhere */
		for (n = 1 + (int)(ks_random(rs) % 8); n > 0; n--)
			f[ks_random(rs) % (uint32_t)len] ^=
			    (uint8_t)(1 + ks_random(rs) % 255);
		break;
	case 2:			/* cut short */
		len = (int)(ks_random(rs) % (uint32_t)len);
		break;
	case 3:			/* the IP header's fields at random */
		if (len >= ETHER_HDR_LEN + IP_MINHDR) {
			ip->ip_vhl = (uint8_t)(0x40 | (ks_random(rs) & 0xf));
			if (ks_random(rs) & 1)
				ip->ip_len = (uint16_t)ks_random(rs);
			if (ks_random(rs) & 1)
				ip->ip_off = (uint16_t)ks_random(rs);
		}
		break;
	case 4:			/* the transport header at random */
		for (i = ETHER_HDR_LEN + IP_MINHDR;
		    i < len && i < ETHER_HDR_LEN + IP_MINHDR + 40; i++)
			if (ks_random(rs) % 4 == 0)
				f[i] = (uint8_t)ks_random(rs);
		break;
	default:		/* longer than it says */
		n = (int)(ks_random(rs) % 64);
		for (i = len; i < len + n && i < FUZZ_MAXFRAME; i++)
			f[i] = (uint8_t)ks_random(rs);
		len = i;
		break;
	}
	/* Mostly with checksums that hold, to get past them. */
	if (ks_random(rs) % 4 != 0)
		fuzz_cksums(f, len);
	return len;
}

/* The frame as a chain of pieces of random sizes. */
static struct mbuf *
fuzz_chain(const uint8_t *f, int len, uint32_t *rs)
{
	struct mbuf *top, *m, **mp;
	int off = 0, n;

	if ((top = m_gethdr(M_DONTWAIT, MT_DATA)) == NULL)
		return NULL;
	top->m_pkthdr.len = len;
	m = top;
	mp = &top->m_next;
	for (;;) {
		n = len - off;
		if (n > MLEN)
			n = MLEN;
		if (ks_random(rs) & 1)
			n = n > 0 ? (int)(1 + ks_random(rs) % (uint32_t)n) : 0;
		memcpy(mtod(m, char *), f + off, (size_t)n);
		m->m_len = n;
		off += n;
		if (off >= len)
			break;
		if ((m = m_get(M_DONTWAIT, MT_DATA)) == NULL) {
			m_freem(top);
			return NULL;
		}
		*mp = m;
		mp = &m->m_next;
	}
	return top;
}

const char *
ks_net_fuzz(const char *ifname, uint32_t seed, int count, int port)
{
	static uint8_t frame[FUZZ_MAXFRAME];
	struct in_ifaddr *ia;
	struct ifnet *ifp;
	struct mbuf *m;
	struct in_addr me;
	uint32_t rs = seed != 0 ? seed : 1;
	int i, len;

	if ((ifp = if_get_byname(ifname)) == NULL)
		return "no such interface";
	mutex_enter(&softnet_lock);
	ia = in_ifaddr_first(ifp);
	me = ia != NULL ? ia->ia_addr.sin_addr : (struct in_addr){ 0 };
	mutex_exit(&softnet_lock);
	if (me.s_addr == 0) {
		if_put(ifp);
		return "the interface has no address";
	}
	for (i = 0; i < count; i++) {
		memset(frame, 0, sizeof(frame));
		len = fuzz_build(frame, &rs, ifp->if_lladdr, me, port);
		len = fuzz_damage(frame, len, &rs);
		if (len == 0 || (m = fuzz_chain(frame, len, &rs)) == NULL)
			continue;
		if_input(ifp, m);
	}
	if_put(ifp);
	return NULL;
}
