/*
 * UDP (kernel, RFC 768 and RFC 1122 4.1): datagram sockets over IPv4.
 * Input checks lengths and the checksum (when the sender computed one),
 * delivers to the connected socket, else the bound one, or to every
 * matching socket for broadcasts, and answers a datagram nobody wants
 * with ICMP port unreachable.  Output always computes the checksum.
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

#include <net/if.h>
#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/udp.h>
#include <netinet/udp_var.h>

#include <lib/libkern/libkern.h>

static struct inpcbtable udbtable;
struct udpstat udpstat;

#define UDP_RCVSPACE	(256 * 1024)
#define UDP_SNDSPACE	(64 * 1024)

/* Queue the datagram (m: data only) on inp's socket, from src. */
static void
udp_append(struct inpcb *inp, struct mbuf *m, const struct ip *ip,
    const struct udphdr *uh)
{
	struct socket *so = inp->inp_socket;
	struct sockaddr_in from;

	memset(&from, 0, sizeof(from));
	from.sin_len = sizeof(from);
	from.sin_family = AF_INET;
	from.sin_addr = ip->ip_src;
	from.sin_port = uh->uh_sport;
	if ((so->so_state & SS_CANTRCVMORE) != 0 ||
	    !sbappendaddr(&so->so_rcv, (struct sockaddr *)&from, m, NULL)) {
		udpstat.udps_fullsock++;
		m_freem(m);
		return;
	}
	sorwakeup(so);
}

static void
udp_input(struct mbuf *m, int hlen)
{
	struct ip *ip;
	struct udphdr *uh;
	struct inpcb *inp, *last;
	struct mbuf *n;
	struct ip ipcopy;
	struct udphdr uhcopy;
	int len, ulen;

	KASSERT(mutex_owned(&softnet_lock));
	udpstat.udps_ipackets++;
	ip = mtod(m, struct ip *);
	len = ntohs(ip->ip_len) - hlen;
	if (len < (int)sizeof(*uh)) {
		udpstat.udps_hdrops++;
		goto bad;
	}
	if ((m = m_pullup(m, hlen + (int)sizeof(*uh))) == NULL) {
		udpstat.udps_hdrops++;
		return;
	}
	ip = mtod(m, struct ip *);
	uh = (struct udphdr *)(void *)(mtod(m, char *) + hlen);
	ulen = ntohs(uh->uh_ulen);
	if (ulen < (int)sizeof(*uh) || ulen > len) {
		udpstat.udps_badlen++;
		goto bad;
	}
	if (ulen < len)
		m_adj(m, ulen - len);	/* the header is shared: not patched */
	if (uh->uh_sum != 0 && (m->m_pkthdr.csum_flags & M_CSUM_DATA_OK) == 0 &&
	    in_cksum_mbuf(m, hlen, ulen, in_pseudo_sum(ip->ip_src,
	    ip->ip_dst, IPPROTO_UDP, ulen)) != 0) {
		udpstat.udps_badsum++;
		goto bad;
	}
	ipcopy = *ip;
	uhcopy = *uh;

	if ((m->m_flags & (M_BCAST | M_MCAST)) != 0 ||
	    in_broadcast(ip->ip_dst, m->m_pkthdr.rcvif)) {
		/* Every socket bound to the port gets a copy. */
		last = NULL;
		LIST_FOREACH(inp, &udbtable.it_all, inp_list) {
			if (inp->inp_lport != uhcopy.uh_dport ||
			    (inp->inp_laddr.s_addr != INADDR_ANY &&
			    inp->inp_laddr.s_addr != ipcopy.ip_dst.s_addr) ||
			    ((inp->inp_flags & INP_CONNECTED) != 0 &&
			    (inp->inp_faddr.s_addr != ipcopy.ip_src.s_addr ||
			    inp->inp_fport != uhcopy.uh_sport)))
				continue;
			if (last != NULL &&
			    (n = m_copym(m, hlen + (int)sizeof(*uh), M_COPYALL,
			    M_DONTWAIT)) != NULL)
				udp_append(last, n, &ipcopy, &uhcopy);
			last = inp;
		}
		if (last == NULL) {
			udpstat.udps_noportbcast++;
			goto bad;
		}
		m_adj(m, hlen + (int)sizeof(*uh));
		udp_append(last, m, &ipcopy, &uhcopy);
		return;
	}

	inp = in_pcblookup_connect(&udbtable, ip->ip_src, uh->uh_sport,
	    ip->ip_dst, uh->uh_dport);
	if (inp == NULL)
		inp = in_pcblookup_bind(&udbtable, ip->ip_dst, uh->uh_dport);
	if (inp == NULL) {
		udpstat.udps_noport++;
		icmp_error(m, ICMP_UNREACH, ICMP_UNREACH_PORT, 0);
		return;
	}
	m_adj(m, hlen + (int)sizeof(*uh));
	udp_append(inp, m, &ipcopy, &uhcopy);
	return;
bad:
	m_freem(m);
}

/* An ICMP error about a datagram we sent: connected sockets hear it. */
static void
udp_notify(struct inpcb *inp, int error)
{
	struct socket *so = inp->inp_socket;

	so->so_error = error;
	sorwakeup(so);
	sowwakeup(so);
}

static void
udp_ctlinput(int type, int code, const struct ip *ip, int len)
{
	const struct udphdr *uh;
	int error;

	if ((error = icmp_errno(type, code)) == 0)
		return;
	uh = (const struct udphdr *)(const void *)((const char *)ip +
	    IP_VHL_HL(ip->ip_vhl));
	in_pcbnotify(&udbtable, ip->ip_dst, uh->uh_dport, ip->ip_src,
	    uh->uh_sport, error, udp_notify);
}

static int
udp_output(struct inpcb *inp, struct mbuf *m, const struct sockaddr_in *to)
{
	struct socket *so = inp->inp_socket;
	struct in_addr faddr, laddr;
	in_port_t fport;
	struct ip *ip;
	struct udphdr *uh;
	int len = m->m_pkthdr.len, flags = 0, error;

	if (to != NULL) {
		if (to->sin_len < sizeof(*to) || to->sin_family != AF_INET) {
			error = to->sin_family != AF_INET ? EAFNOSUPPORT :
			    EINVAL;
			goto bad;
		}
		if (to->sin_port == 0) {
			error = EINVAL;
			goto bad;
		}
		faddr = to->sin_addr;
		fport = to->sin_port;
		if (inp->inp_lport == 0 &&
		    (error = in_pcbbind(inp, NULL, NULL)) != 0)
			goto bad;
		if ((error = in_pcbsrcaddr(inp, faddr, &laddr)) != 0)
			goto bad;
	} else {
		if ((inp->inp_flags & INP_CONNECTED) == 0) {
			error = EDESTADDRREQ;
			goto bad;
		}
		faddr = inp->inp_faddr;
		fport = inp->inp_fport;
		laddr = inp->inp_laddr;
	}
	if (len + (int)sizeof(*ip) + (int)sizeof(*uh) > IP_MAXPACKET) {
		error = EMSGSIZE;
		goto bad;
	}
	M_PREPEND(m, (int)(sizeof(*ip) + sizeof(*uh)), M_DONTWAIT);
	if (m == NULL)
		return ENOBUFS;
	ip = mtod(m, struct ip *);
	memset(ip, 0, sizeof(*ip));
	ip->ip_p = IPPROTO_UDP;
	ip->ip_src = laddr;
	ip->ip_dst = faddr;
	ip->ip_ttl = inp->inp_ttl;
	ip->ip_tos = inp->inp_tos;
	uh = (struct udphdr *)(ip + 1);
	uh->uh_sport = inp->inp_lport;
	uh->uh_dport = fport;
	uh->uh_ulen = htons((uint16_t)(len + sizeof(*uh)));
	uh->uh_sum = 0;
	uh->uh_sum = htons(in_cksum_mbuf(m, sizeof(*ip), len +
	    (int)sizeof(*uh), in_pseudo_sum(laddr, faddr, IPPROTO_UDP,
	    len + (int)sizeof(*uh))));
	if (uh->uh_sum == 0)
		uh->uh_sum = 0xffff;	/* 0 means "none" */
	if ((so->so_options & SO_BROADCAST) != 0)
		flags |= IP_ALLOWBROADCAST;
	if ((so->so_options & SO_DONTROUTE) != 0)
		flags |= IP_ROUTETOIF;
	udpstat.udps_opackets++;
	return ip_output(m, flags, &inp->inp_route);
bad:
	m_freem(m);
	return error;
}

static int
udp_attach(struct socket *so, int proto)
{
	int error;

	if ((error = in_pcballoc(so, &udbtable)) != 0)
		return error;
	(void)sbreserve(&so->so_rcv, UDP_RCVSPACE);
	(void)sbreserve(&so->so_snd, UDP_SNDSPACE);
	return 0;
}

static void
udp_detach(struct socket *so)
{

	in_pcbdetach(sotoinpcb(so));
}

static int
udp_bind(struct socket *so, struct sockaddr *nam, struct lwp *l)
{

	return in_pcbbind(sotoinpcb(so), (struct sockaddr_in *)nam, l);
}

static int
udp_connect(struct socket *so, struct sockaddr *nam, struct lwp *l)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)nam;
	int error;

	/* AF_UNSPEC dissolves the association (RFC-less, but POSIX). */
	if (sin->sin_family == AF_UNSPEC) {
		in_pcbdisconnect(sotoinpcb(so));
		so->so_state &= ~SS_ISCONNECTED;
		return 0;
	}
	if ((error = in_pcbconnect(sotoinpcb(so), sin, l)) == 0)
		soisconnected(so);
	return error;
}

static int
udp_disconnect(struct socket *so)
{

	if ((so->so_state & SS_ISCONNECTED) == 0)
		return ENOTCONN;
	in_pcbdisconnect(sotoinpcb(so));
	so->so_state &= ~SS_ISCONNECTED;
	return 0;
}

static int
udp_shutdown(struct socket *so)
{

	socantsendmore(so);
	return 0;
}

static void
udp_abort(struct socket *so)
{

	soisdisconnected(so);
	in_pcbdetach(sotoinpcb(so));
}

static int
udp_send(struct socket *so, struct mbuf *m, struct sockaddr *nam,
    struct mbuf *control, struct lwp *l)
{

	m_freem(control);
	return udp_output(sotoinpcb(so), m, (struct sockaddr_in *)nam);
}

static int
udp_sockaddr(struct socket *so, struct sockaddr *sa)
{

	in_setsockaddr(sotoinpcb(so), sa);
	return 0;
}

static int
udp_peeraddr(struct socket *so, struct sockaddr *sa)
{

	in_setpeeraddr(sotoinpcb(so), sa);
	return 0;
}

const struct pr_usrreqs udp_usrreqs = {
	.pru_attach = udp_attach,
	.pru_detach = udp_detach,
	.pru_bind = udp_bind,
	.pru_connect = udp_connect,
	.pru_disconnect = udp_disconnect,
	.pru_shutdown = udp_shutdown,
	.pru_abort = udp_abort,
	.pru_send = udp_send,
	.pru_sockaddr = udp_sockaddr,
	.pru_peeraddr = udp_peeraddr,
};

static const struct ip_protosw udp_protosw = {
	.ipp_proto = IPPROTO_UDP,
	.ipp_input = udp_input,
	.ipp_ctlinput = udp_ctlinput,
};

void
udp_init(void)
{

	in_pcbinit(&udbtable, 256);
	ip_protosw_register(&udp_protosw);
}

void
udp_fini(void)
{

	ip_protosw_unregister(&udp_protosw);
	in_pcbfini(&udbtable);
}
