/*
 * The loopback interface (kernel): packets sent on it come back in
 * through the input queue, as if received.  A two-byte header carries
 * the Ethernet type of the payload across.  lo0 exists from boot;
 * more (lo1, ...) can be cloned.
 */

#include <sys/types.h>
#include <sys/endian.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/if_ether.h>
#include <net/if_loop.h>
#include <net/netisr.h>

#include <lib/libkern/libkern.h>

struct ifnet *lo0ifp;

#define LOMTU		65536
#define LOHDRLEN	2

static int
lo_output(struct ifnet *ifp, struct mbuf *m, const struct sockaddr *dst)
{
	uint16_t type;

	switch (dst->sa_family) {
	case AF_INET:
		type = htobe16(ETHERTYPE_IP);
		break;
	default:
		m_freem(m);
		return EAFNOSUPPORT;
	}
	M_PREPEND(m, LOHDRLEN, M_DONTWAIT);
	if (m == NULL)
		return ENOBUFS;
	memcpy(mtod(m, void *), &type, LOHDRLEN);
	return if_transmit(ifp, m);
}

static int
lo_transmit(struct ifnet *ifp, struct mbuf *m)
{

	m->m_flags &= ~(M_BCAST | M_MCAST);
	if_input(ifp, m);
	return 0;
}

static void
lo_l2input(struct ifnet *ifp, struct mbuf *m)
{
	uint16_t type;

	if (m->m_pkthdr.len < LOHDRLEN) {
		m_freem(m);
		return;
	}
	m_copydata(m, 0, LOHDRLEN, &type);
	m_adj(m, LOHDRLEN);
	netproto_input(be16toh(type), ifp, m);
}

static int
lo_ioctl(struct ifnet *ifp, u_long cmd, void *data)
{

	/* Any MTU a packet can have; flags need nothing. */
	return 0;
}

static int
lo_clone_create(struct if_clone *ifc, int unit)
{
	struct ifnet *ifp;
	char name[IFNAMSIZ];

	snprintf(name, sizeof(name), "lo%d", unit);
	ifp = if_alloc(name, IFT_LOOP);
	ifp->if_mtu = LOMTU;
	ifp->if_hdrlen = LOHDRLEN;
	ifp->if_flags = IFF_LOOPBACK | IFF_MULTICAST | IFF_RUNNING;
	ifp->if_output = lo_output;
	ifp->if_transmit = lo_transmit;
	ifp->if_l2input = lo_l2input;
	ifp->if_ioctl = lo_ioctl;
	if (unit == 0)
		lo0ifp = ifp;
	if_attach(ifp);
	return 0;
}

static int
lo_clone_destroy(struct ifnet *ifp)
{

	if (strcmp(ifp->if_xname, "lo0") == 0)
		return EPERM;
	if_detach(ifp);
	if_free(ifp);
	return 0;
}

static struct if_clone lo_cloner = {
	.ifc_name = "lo",
	.ifc_create = lo_clone_create,
	.ifc_destroy = lo_clone_destroy,
};

void
loopattach(void)
{
	int error;

	if_clone_attach(&lo_cloner);
	if ((error = if_clone_create("lo0")) != 0)
		panic("loopattach: lo0: %d", error);
}

/* At shutdown: every loopback interface goes. */
void
loopdetach(void)
{
	struct ifnet *ifp;

	if_clone_detach(&lo_cloner);
	for (;;) {
		mutex_enter(&softnet_lock);
		TAILQ_FOREACH(ifp, &ifnet_list, if_list) {
			if (ifp->if_type == IFT_LOOP)
				break;
		}
		mutex_exit(&softnet_lock);
		if (ifp == NULL)
			break;
		if_detach(ifp);
		if (ifp == lo0ifp)
			lo0ifp = NULL;
		if_free(ifp);
	}
}
