/*
 * Raw IPv4 sockets (kernel): a socket of one IP protocol gets a copy of
 * every datagram of that protocol for us, IP header included (ping
 * reads ICMP this way), and sends datagrams whose header the kernel
 * writes, or the caller with IP_HDRINCL.  Only the superuser makes them.
 */

#include <sys/types.h>
#include <sys/endian.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/protosw.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/systm.h>

#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/raw_ip_var.h>

#include <lib/libkern/libkern.h>

static struct inpcbtable ripcbtable;

#define RIP_SPACE	(64 * 1024)

bool
rip_input(struct mbuf *m, int hlen)
{
	struct ip *ip = mtod(m, struct ip *);
	struct inpcb *inp;
	struct socket *so;
	struct sockaddr_in from;
	struct mbuf *n;
	bool taken = false;

	KASSERT(mutex_owned(&softnet_lock));
	memset(&from, 0, sizeof(from));
	from.sin_len = sizeof(from);
	from.sin_family = AF_INET;
	from.sin_addr = ip->ip_src;
	LIST_FOREACH(inp, &ripcbtable.it_all, inp_list) {
		if (inp->inp_proto != ip->ip_p ||
		    (inp->inp_laddr.s_addr != INADDR_ANY &&
		    inp->inp_laddr.s_addr != ip->ip_dst.s_addr) ||
		    (inp->inp_faddr.s_addr != INADDR_ANY &&
		    inp->inp_faddr.s_addr != ip->ip_src.s_addr))
			continue;
		so = inp->inp_socket;
		taken = true;
		if ((so->so_state & SS_CANTRCVMORE) != 0 ||
		    (n = m_copym(m, 0, M_COPYALL, M_DONTWAIT)) == NULL)
			continue;
		if (!sbappendaddr(&so->so_rcv, (struct sockaddr *)&from, n,
		    NULL)) {
			m_freem(n);
			continue;
		}
		sorwakeup(so);
	}
	(void)hlen;
	return taken;
}

static int
rip_output(struct inpcb *inp, struct mbuf *m, const struct sockaddr_in *to)
{
	struct socket *so = inp->inp_socket;
	struct in_addr dst;
	struct ip *ip;
	int flags = 0;

	if (to != NULL) {
		if (to->sin_len < sizeof(*to) || to->sin_family != AF_INET) {
			m_freem(m);
			return EINVAL;
		}
		dst = to->sin_addr;
	} else if ((so->so_state & SS_ISCONNECTED) != 0)
		dst = inp->inp_faddr;
	else {
		m_freem(m);
		return EDESTADDRREQ;
	}
	if ((so->so_options & SO_BROADCAST) != 0)
		flags |= IP_ALLOWBROADCAST;
	if ((so->so_options & SO_DONTROUTE) != 0)
		flags |= IP_ROUTETOIF;
	if ((inp->inp_flags & INP_HDRINCL) != 0) {
		/* The caller's header: checked, its length and sum ours. */
		if (m->m_pkthdr.len < IP_MINHDR ||
		    (m = m_pullup(m, IP_MINHDR)) == NULL) {
			m_freem(m);
			return EINVAL;
		}
		ip = mtod(m, struct ip *);
		if (IP_VHL_HL(ip->ip_vhl) > m->m_pkthdr.len ||
		    IP_VHL_HL(ip->ip_vhl) > MLEN ||
		    (m = m_pullup(m, IP_VHL_HL(ip->ip_vhl))) == NULL) {
			m_freem(m);
			return EINVAL;
		}
		return ip_output(m, flags | IP_RAWOUTPUT, &inp->inp_route);
	}
	if (m->m_pkthdr.len + IP_MINHDR > IP_MAXPACKET) {
		m_freem(m);
		return EMSGSIZE;
	}
	M_PREPEND(m, IP_MINHDR, M_DONTWAIT);
	if (m == NULL)
		return ENOBUFS;
	ip = mtod(m, struct ip *);
	memset(ip, 0, IP_MINHDR);
	ip->ip_p = (uint8_t)inp->inp_proto;
	ip->ip_src = inp->inp_laddr;
	ip->ip_dst = dst;
	ip->ip_ttl = inp->inp_ttl;
	ip->ip_tos = inp->inp_tos;
	return ip_output(m, flags, &inp->inp_route);
}

static int
rip_attach(struct socket *so, int proto)
{
	int error;

	if (proto <= 0 || proto >= IPPROTO_MAX)
		return EPROTONOSUPPORT;
	if ((error = in_pcballoc(so, &ripcbtable)) != 0)
		return error;
	sotoinpcb(so)->inp_proto = proto;
	if (proto == IPPROTO_RAW)
		sotoinpcb(so)->inp_flags |= INP_HDRINCL;
	(void)sbreserve(&so->so_rcv, RIP_SPACE);
	(void)sbreserve(&so->so_snd, RIP_SPACE);
	return 0;
}

static void
rip_detach(struct socket *so)
{

	in_pcbdetach(sotoinpcb(so));
}

static int
rip_bind(struct socket *so, struct sockaddr *nam, struct lwp *l)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)nam;

	if (sin->sin_len < sizeof(*sin) || sin->sin_family != AF_INET)
		return EINVAL;
	if (sin->sin_addr.s_addr != INADDR_ANY &&
	    in_ifaddr_find(sin->sin_addr) == NULL)
		return EADDRNOTAVAIL;
	sotoinpcb(so)->inp_laddr = sin->sin_addr;
	return 0;
}

static int
rip_connect(struct socket *so, struct sockaddr *nam, struct lwp *l)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)nam;

	if (sin->sin_len < sizeof(*sin) || sin->sin_family != AF_INET)
		return EINVAL;
	sotoinpcb(so)->inp_faddr = sin->sin_addr;
	soisconnected(so);
	return 0;
}

static int
rip_disconnect(struct socket *so)
{

	if ((so->so_state & SS_ISCONNECTED) == 0)
		return ENOTCONN;
	sotoinpcb(so)->inp_faddr.s_addr = INADDR_ANY;
	so->so_state &= ~SS_ISCONNECTED;
	return 0;
}

static int
rip_shutdown(struct socket *so)
{

	socantsendmore(so);
	return 0;
}

static void
rip_abort(struct socket *so)
{

	soisdisconnected(so);
	in_pcbdetach(sotoinpcb(so));
}

static int
rip_send(struct socket *so, struct mbuf *m, struct sockaddr *nam,
    struct mbuf *control, struct lwp *l)
{

	m_freem(control);
	return rip_output(sotoinpcb(so), m, (struct sockaddr_in *)nam);
}

static int
rip_sockaddr(struct socket *so, struct sockaddr *sa)
{

	in_setsockaddr(sotoinpcb(so), sa);
	return 0;
}

static int
rip_peeraddr(struct socket *so, struct sockaddr *sa)
{

	in_setpeeraddr(sotoinpcb(so), sa);
	return 0;
}

const struct pr_usrreqs rip_usrreqs = {
	.pru_attach = rip_attach,
	.pru_detach = rip_detach,
	.pru_bind = rip_bind,
	.pru_connect = rip_connect,
	.pru_disconnect = rip_disconnect,
	.pru_shutdown = rip_shutdown,
	.pru_abort = rip_abort,
	.pru_send = rip_send,
	.pru_sockaddr = rip_sockaddr,
	.pru_peeraddr = rip_peeraddr,
};

void
rip_init(void)
{

	in_pcbinit(&ripcbtable, 16);
}

void
rip_fini(void)
{

	in_pcbfini(&ripcbtable);
}
