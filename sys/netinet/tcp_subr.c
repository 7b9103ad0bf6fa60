/*
 * TCP support (kernel): connection blocks made, closed and dropped,
 * initial sequence numbers (RFC 6528), bare segments (resets, probes),
 * the segment size, and ICMP errors about our segments.
 */

#include <sys/types.h>
#include <sys/cprng.h>
#include <sys/endian.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/protosw.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/if.h>
#include <net/netisr.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/tcp.h>
#include <netinet/tcp_var.h>

#include <lib/libkern/libkern.h>

struct tcpstat tcpstat;
struct inpcbtable tcbtable;
LIST_HEAD(tcbhead, tcpcb) tcb_list = LIST_HEAD_INITIALIZER(tcb_list);
static uint8_t tcp_isn_secret[16];

static const struct ip_protosw tcp_protosw = {
	.ipp_proto = IPPROTO_TCP,
	.ipp_input = tcp_input,
	.ipp_ctlinput = tcp_ctlinput,
};

int64_t
tcp_now64(void)
{

	return getnsuptime() / 1000000;
}

uint32_t
tcp_now(void)
{

	return (uint32_t)tcp_now64();
}

int
tcp_msstoticks(int ms)
{
	int t = (ms * hz + 999) / 1000;

	return t > 0 ? t : 1;
}

/* A connection's TCPS_* state, for net.inet.pcblist. */
static int
tcp_pcbstate(struct inpcb *inp)
{
	struct tcpcb *tp = inp->inp_ppcb;

	return tp != NULL ? tp->t_state : -1;
}

void
tcp_init(void)
{

	cprng_bytes(tcp_isn_secret, sizeof(tcp_isn_secret));
	tcbtable.it_state = tcp_pcbstate;
	in_pcbinit(&tcbtable, 1024);
	tcp_timer_init();
	ip_protosw_register(&tcp_protosw);
}

void
tcp_fini(void)
{
	struct tcpcb *tp;

	ip_protosw_unregister(&tcp_protosw);
	mutex_enter(&softnet_lock);
	while ((tp = LIST_FIRST(&tcb_list)) != NULL)
		tcp_close(tp);
	mutex_exit(&softnet_lock);
	tcp_timer_fini();
	in_pcbfini(&tcbtable);
}

struct tcpcb *
tcp_newtcpcb(struct inpcb *inp)
{
	struct tcpcb *tp;

	tp = kmem_zalloc(sizeof(*tp), KM_SLEEP);
	tp->t_inpcb = inp;
	tp->t_state = TCPS_CLOSED;
	tp->t_maxseg = TCP_MSS;
	tp->t_flags = TF_REQ_SCALE | TF_REQ_TSTMP;
	tp->t_rto = TCP_RTO_INIT;
	tp->snd_cwnd = TCP_MAXWIN << TCP_MAX_WINSHIFT;
	tp->snd_ssthresh = TCP_MAXWIN << TCP_MAX_WINSHIFT;
	tp->t_keepidle = TCP_KEEPIDLE_DEF;
	tp->t_keepintvl = TCP_KEEPINTVL_DEF;
	tp->t_keepcnt = TCP_KEEPCNT_DEF;
	tp->t_rcvtime = tcp_now64();
	tp->ts_offset = cprng32();
	TAILQ_INIT(&tp->t_segq);
	inp->inp_ppcb = tp;
	LIST_INSERT_HEAD(&tcb_list, tp, t_list);
	return tp;
}

void
tcp_close(struct tcpcb *tp)
{
	struct inpcb *inp = tp->t_inpcb;
	struct socket *so = inp->inp_socket;
	struct tcpqent *q;

	KASSERT(mutex_owned(&softnet_lock));
	while ((q = TAILQ_FIRST(&tp->t_segq)) != NULL) {
		TAILQ_REMOVE(&tp->t_segq, q, tq_list);
		m_freem(q->tq_m);
		kmem_free(q, sizeof(*q));
	}
	LIST_REMOVE(tp, t_list);
	inp->inp_ppcb = NULL;
	kmem_free(tp, sizeof(*tp));
	soisdisconnected(so);
	in_pcbdetach(inp);		/* frees the socket if it has no file */
}

void
tcp_drop(struct tcpcb *tp, int error)
{
	struct socket *so = tp->t_inpcb->inp_socket;

	if (TCPS_HAVERCVDSYN(tp->t_state)) {
		tp->t_state = TCPS_CLOSED;
		(void)tcp_output(tp);		/* the RST */
		tcpstat.tcps_drops++;
	} else
		tcpstat.tcps_conndrops++;
	if (error == ETIMEDOUT && tp->t_softerror != 0)
		error = tp->t_softerror;
	so->so_error = error;
	tcp_close(tp);
}

/*
 * RFC 6528: a 4-microsecond clock plus a keyed hash of the connection,
 * so sequence numbers of one connection's incarnations grow but cannot
 * be guessed from another connection's.
 */
tcp_seq
tcp_new_isn(struct tcpcb *tp)
{
	struct inpcb *inp = tp->t_inpcb;
	uint8_t buf[sizeof(tcp_isn_secret) + 12];
	uint32_t h;

	memcpy(buf, tcp_isn_secret, sizeof(tcp_isn_secret));
	memcpy(buf + 16, &inp->inp_laddr, 4);
	memcpy(buf + 20, &inp->inp_faddr, 4);
	memcpy(buf + 24, &inp->inp_lport, 2);
	memcpy(buf + 26, &inp->inp_fport, 2);
	h = hash32_buf(buf, sizeof(buf), 0);
	h = hash32_buf(tcp_isn_secret, sizeof(tcp_isn_secret), h);
	return h + (uint32_t)(getnsuptime() / 4000);
}

/*
 * A bare segment (no data, no options): a reset, or an ACK with seq and
 * ack as given.  Addressed from tp's connection, or as the answer to
 * segment ip/th (its addresses swapped) when m is that segment (which
 * is consumed).
 */
void
tcp_respond(struct tcpcb *tp, const struct ip *ip0, const struct tcphdr *th0,
    struct mbuf *m0, tcp_seq ack, tcp_seq seq, int flags)
{
	struct mbuf *m;
	struct ip *ip;
	struct tcphdr *th;
	struct in_addr src, dst;
	in_port_t sport, dport;
	u_long win = 0;

	if (tp != NULL) {
		struct inpcb *inp = tp->t_inpcb;

		src = inp->inp_laddr;
		dst = inp->inp_faddr;
		sport = inp->inp_lport;
		dport = inp->inp_fport;
		win = sbspace(&inp->inp_socket->so_rcv) >> tp->rcv_scale;
		if (win > TCP_MAXWIN)
			win = TCP_MAXWIN;
	} else {
		src = ip0->ip_dst;
		dst = ip0->ip_src;
		sport = th0->th_dport;
		dport = th0->th_sport;
	}
	m_freem(m0);
	if ((m = m_gethdr(M_DONTWAIT, MT_HEADER)) == NULL)
		return;
	M_ALIGN_END(m, sizeof(*ip) + sizeof(*th));
	m->m_len = m->m_pkthdr.len = sizeof(*ip) + sizeof(*th);
	ip = mtod(m, struct ip *);
	memset(ip, 0, sizeof(*ip) + sizeof(*th));
	th = (struct tcphdr *)(ip + 1);
	ip->ip_p = IPPROTO_TCP;
	ip->ip_src = src;
	ip->ip_dst = dst;
	ip->ip_ttl = (uint8_t)ip_defttl;
	th->th_sport = sport;
	th->th_dport = dport;
	th->th_seq = htonl(seq);
	th->th_ack = htonl(ack);
	th->th_x2off = (sizeof(*th) >> 2) << 4;
	th->th_flags = (uint8_t)flags;
	th->th_win = htons((uint16_t)win);
	th->th_sum = htons(in_cksum_mbuf(m, sizeof(*ip), sizeof(*th),
	    in_pseudo_sum(src, dst, IPPROTO_TCP, sizeof(*th))));
	if ((flags & TH_RST) != 0)
		tcpstat.tcps_sndrst++;
	(void)ip_output(m, 0, tp != NULL ? &tp->t_inpcb->inp_route : NULL);
}

/* The MSS we announce: what the outgoing interface carries. */
u_int
tcp_mssopt(struct tcpcb *tp)
{
	struct inpcb *inp = tp->t_inpcb;
	struct rtentry *rt;
	u_int mtu = 1500;

	if (in_ifaddr_find(inp->inp_faddr) != NULL)
		mtu = 65535;		/* ourselves, over loopback */
	else if ((rt = in_route(&inp->inp_route, inp->inp_faddr)) != NULL)
		mtu = rt->rt_ifp->if_mtu;
	if (mtu > 65535)
		mtu = 65535;
	return mtu - sizeof(struct ip) - sizeof(struct tcphdr);
}

/* The segment size once the peer's MSS (0: none given) is known. */
void
tcp_mss_update(struct tcpcb *tp, u_int peermss)
{
	u_int mss = tcp_mssopt(tp);

	if (peermss == 0)
		peermss = TCP_MSS;
	if (peermss < 64)
		peermss = 64;		/* a floor against tiny segments */
	if (mss > peermss)
		mss = peermss;
	tp->t_maxseg = mss;
	/* RFC 6928: an initial window of ten segments, within limits. */
	tp->snd_cwnd = mss * 10 < 14600 ? (mss * 4 > 14600 ? mss * 4 :
	    14600) : mss * 10;
	if (tp->snd_cwnd > mss * 10)
		tp->snd_cwnd = mss * 10;
	if (tp->snd_cwnd < mss * 2)
		tp->snd_cwnd = mss * 2;
}

/* An ICMP error about a segment we sent. */
void
tcp_ctlinput(int type, int code, const struct ip *ip, int len)
{
	const struct tcphdr *th;
	struct inpcb *inp;
	struct tcpcb *tp;
	tcp_seq seq;
	int error;

	KASSERT(mutex_owned(&softnet_lock));
	if ((error = icmp_errno(type, code)) == 0)
		return;
	/* The quoted header and the first 8 bytes of TCP: ports, seq. */
	th = (const struct tcphdr *)(const void *)((const char *)ip +
	    IP_VHL_HL(ip->ip_vhl));
	inp = in_pcblookup_connect(&tcbtable, ip->ip_dst, th->th_dport,
	    ip->ip_src, th->th_sport);
	if (inp == NULL || (tp = intotcpcb(inp)) == NULL)
		return;
	/* RFC 5927: only for data in flight. */
	seq = ntohl(th->th_seq);
	if (SEQ_LT(seq, tp->snd_una) || SEQ_GT(seq, tp->snd_max))
		return;
	if (tp->t_state == TCPS_SYN_SENT && error == ECONNREFUSED)
		tcp_drop(tp, error);
	else
		tp->t_softerror = error;
}
