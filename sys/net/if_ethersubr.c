/*
 * Ethernet (kernel): attaching Ethernet interfaces, framing output after
 * the protocol resolved the next hop's link address, and input: checks
 * the frame, decides whether it is for us, and hands the payload to the
 * protocol of its type.  See <net/if_ether.h>.
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

#include <lib/libkern/libkern.h>

const uint8_t etherbroadcastaddr[ETHER_ADDR_LEN] =
    { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static struct {
	uint16_t	type;		/* network order */
	ether_resolve_t	resolve;
} ether_resolvers[AF_MAX];

void
ether_register_resolver(int af, uint16_t type, ether_resolve_t fn)
{

	KASSERT(af > 0 && af < AF_MAX);
	ether_resolvers[af].type = type;
	ether_resolvers[af].resolve = fn;
}

int
ether_send(struct ifnet *ifp, struct mbuf *m, const uint8_t *dst,
    uint16_t type)
{
	struct ether_header *eh;

	M_PREPEND(m, ETHER_HDR_LEN, M_DONTWAIT);
	if (m == NULL) {
		if_statinc(ifp, ifi_oerrors);
		return ENOBUFS;
	}
	eh = mtod(m, struct ether_header *);
	memcpy(eh->ether_dhost, dst, ETHER_ADDR_LEN);
	memcpy(eh->ether_shost, ifp->if_lladdr, ETHER_ADDR_LEN);
	eh->ether_type = type;
	if (ETHER_IS_MULTICAST(dst))
		if_statinc(ifp, ifi_omcasts);
	return if_transmit(ifp, m);
}

/* A network-layer packet to the next hop dst. */
static int
ether_output(struct ifnet *ifp, struct mbuf *m, const struct sockaddr *dst)
{
	uint8_t lla[ETHER_ADDR_LEN];
	int af = dst->sa_family, error;

	KASSERT(mutex_owned(&softnet_lock));
	if (af <= 0 || af >= AF_MAX || ether_resolvers[af].resolve == NULL) {
		m_freem(m);
		return EAFNOSUPPORT;
	}
	if ((error = (*ether_resolvers[af].resolve)(ifp, m, dst, lla)) != 0)
		return error == EWOULDBLOCK ? 0 : error;
	return ether_send(ifp, m, lla, ether_resolvers[af].type);
}

static void
ether_input(struct ifnet *ifp, struct mbuf *m)
{
	struct ether_header *eh;
	uint16_t type;

	KASSERT(mutex_owned(&softnet_lock));
	if (m->m_pkthdr.len < ETHER_HDR_LEN ||
	    m->m_pkthdr.len > (int)(ifp->if_mtu + ETHER_HDR_LEN)) {
		if_statinc(ifp, ifi_ierrors);
		m_freem(m);
		return;
	}
	if (m->m_len < ETHER_HDR_LEN &&
	    (m = m_pullup(m, ETHER_HDR_LEN)) == NULL) {
		if_statinc(ifp, ifi_ierrors);
		return;
	}
	eh = mtod(m, struct ether_header *);
	/* Our own frame come back (a shared bus), or not for us. */
	if (memcmp(eh->ether_shost, ifp->if_lladdr, ETHER_ADDR_LEN) == 0)
		goto drop;
	if (ETHER_IS_MULTICAST(eh->ether_dhost)) {
		if (memcmp(eh->ether_dhost, etherbroadcastaddr,
		    ETHER_ADDR_LEN) == 0)
			m->m_flags |= M_BCAST;
		else
			m->m_flags |= M_MCAST;
		if_statinc(ifp, ifi_imcasts);
	} else if (memcmp(eh->ether_dhost, ifp->if_lladdr,
	    ETHER_ADDR_LEN) != 0)
		goto drop;
	type = be16toh(eh->ether_type);
	if (type < 0x0600) {		/* an 802.3 length: not spoken here */
		if_statinc(ifp, ifi_noproto);
		goto drop;
	}
	m_adj(m, ETHER_HDR_LEN);
	netproto_input(type, ifp, m);
	return;
drop:
	m_freem(m);
}

void
ether_ifattach(struct ifnet *ifp, const uint8_t *lla)
{

	ifp->if_output = ether_output;
	ifp->if_l2input = ether_input;
	ifp->if_hdrlen = ETHER_HDR_LEN;
	ifp->if_addrlen = ETHER_ADDR_LEN;
	memcpy(ifp->if_lladdr, lla, ETHER_ADDR_LEN);
	if (ifp->if_mtu == 0)
		ifp->if_mtu = ETHERMTU;
	ifp->if_flags |= IFF_BROADCAST | IFF_MULTICAST;
	if_attach(ifp);
}

void
ether_ifdetach(struct ifnet *ifp)
{

	if_detach(ifp);
}

char *
ether_sprintf(char *buf, const uint8_t *a)
{

	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
	    a[0], a[1], a[2], a[3], a[4], a[5]);
	return buf;
}
