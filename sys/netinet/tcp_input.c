/*
 * TCP input (kernel): RFC 9293 section 3.10.7, segment arrival, with
 * the checks of RFC 5961 (exact-sequence resets, challenge ACKs for
 * in-window resets and SYNs, the ACK range), PAWS and timestamps
 * (RFC 7323), RTT sampling and the retransmission timer (RFC 6298),
 * slow start, congestion avoidance, fast retransmit and NewReno fast
 * recovery (RFC 5681, RFC 6582), delayed ACKs (RFC 1122 4.2.3.2), and
 * a bounded queue for segments that arrive out of order.
 */

#include <sys/types.h>
#include <sys/endian.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/if.h>
#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <netinet/tcp_var.h>

#include <lib/libkern/libkern.h>

#define TCP_CHALLENGE_RATE	100	/* challenge ACKs a second */
#define TCP_PAWS_IDLE		(24LL * 24 * 60 * 60 * 1000)	/* ms */

/* The options of a segment, as parsed. */
struct tcpopts {
	u_int		to_mss;		/* 0: none */
	int		to_wscale;	/* -1: none */
	bool		to_ts;
	uint32_t	to_tsval;
	uint32_t	to_tsecr;
};

static int tcp_challenge_tokens = TCP_CHALLENGE_RATE;
static int64_t tcp_challenge_refilled;

/* How much data we take: what we advertised, or more if it fits. */
static long
tcp_rcvspace(struct tcpcb *tp)
{
	long adv = (long)(tp->rcv_adv - tp->rcv_nxt);
	long space = (long)sbspace(&tp->t_inpcb->inp_socket->so_rcv);

	return adv > space ? adv : space;
}

/* Parse the options of a segment; malformed ones end the parse. */
static void
tcp_dooptions(const uint8_t *cp, int cnt, bool syn, struct tcpopts *to)
{
	int opt, optlen;

	to->to_mss = 0;
	to->to_wscale = -1;
	to->to_ts = false;
	for (; cnt > 0; cnt -= optlen, cp += optlen) {
		opt = cp[0];
		if (opt == TCPOPT_EOL)
			break;
		if (opt == TCPOPT_NOP) {
			optlen = 1;
			continue;
		}
		if (cnt < 2 || (optlen = cp[1]) < 2 || optlen > cnt)
			break;
		switch (opt) {
		case TCPOPT_MAXSEG:
			if (optlen == TCPOLEN_MAXSEG && syn)
				to->to_mss = (u_int)cp[2] << 8 | cp[3];
			break;
		case TCPOPT_WINDOW:
			if (optlen == TCPOLEN_WINDOW && syn)
				to->to_wscale = cp[2] > TCP_MAX_WINSHIFT ?
				    TCP_MAX_WINSHIFT : cp[2];
			break;
		case TCPOPT_TIMESTAMP:
			if (optlen == TCPOLEN_TIMESTAMP) {
				to->to_ts = true;
				memcpy(&to->to_tsval, cp + 2, 4);
				memcpy(&to->to_tsecr, cp + 6, 4);
				to->to_tsval = ntohl(to->to_tsval);
				to->to_tsecr = ntohl(to->to_tsecr);
			}
			break;
		default:
			break;
		}
	}
}

/* RFC 5961 section 7: a challenge ACK, at most so many a second. */
static void
tcp_challenge_ack(struct tcpcb *tp)
{
	int64_t now = tcp_now64();

	if (now - tcp_challenge_refilled >= 1000) {
		tcp_challenge_tokens = TCP_CHALLENGE_RATE;
		tcp_challenge_refilled = now;
	}
	if (tcp_challenge_tokens == 0)
		return;
	tcp_challenge_tokens--;
	tcpstat.tcps_challengeack++;
	tp->t_flags |= TF_ACKNOW;
	(void)tcp_output(tp);
}

/* The options a SYN brought: segment size, scaling, timestamps. */
static void
tcp_syn_options(struct tcpcb *tp, const struct tcpopts *to)
{

	if (to->to_wscale >= 0 && (tp->t_flags & TF_REQ_SCALE) != 0) {
		tp->t_flags |= TF_RCVD_SCALE;
		tp->snd_scale = (uint8_t)to->to_wscale;
		tp->rcv_scale = tp->request_r_scale;
	} else {
		tp->t_flags &= ~TF_REQ_SCALE;
		tp->snd_scale = tp->rcv_scale = 0;
	}
	if (to->to_ts && (tp->t_flags & TF_REQ_TSTMP) != 0) {
		tp->t_flags |= TF_RCVD_TSTMP;
		tp->ts_recent = to->to_tsval;
		tp->ts_recent_age = tcp_now64();
	} else
		tp->t_flags &= ~TF_REQ_TSTMP;
	tcp_mss_update(tp, to->to_mss);
}

/* The window scale to ask for: enough for the largest buffer. */
static uint8_t
tcp_wscale_want(void)
{
	uint8_t s = 0;

	while (s < TCP_MAX_WINSHIFT && (TCP_MAXWIN << s) < SB_MAX)
		s++;
	return s;
}

/*
 * Out-of-order data: queue m (len bytes at seq, fin if it ends the
 * stream) and deliver whatever is now in order.  Returns TH_FIN if the
 * stream's end was reached.  m is consumed.
 */
static int
tcp_reass(struct tcpcb *tp, tcp_seq seq, int len, bool fin, struct mbuf *m)
{
	struct socket *so = tp->t_inpcb->inp_socket;
	struct tcpqent *q, *p, *nq;
	int over, flags = 0;

	if (m != NULL && (len > 0 || fin)) {
		/* Trim against what precedes it. */
		p = NULL;
		TAILQ_FOREACH(q, &tp->t_segq, tq_list) {
			if (SEQ_GT(q->tq_seq, seq))
				break;
			p = q;
		}
		if (p != NULL) {
			over = (int)(p->tq_seq + (tcp_seq)p->tq_len - seq);
			if (over > 0) {
				if (over >= len && !(fin && !p->tq_fin)) {
					m_freem(m);	/* all seen already */
					tcpstat.tcps_rcvduppack++;
					goto deliver;
				}
				if (over > len)
					over = len;
				m_adj(m, over);
				seq += (tcp_seq)over;
				len -= over;
			}
		}
		/* Trim what it covers after it. */
		while (q != NULL && SEQ_LT(q->tq_seq, seq + (tcp_seq)len)) {
			over = (int)(seq + (tcp_seq)len - q->tq_seq);
			if (over < q->tq_len) {
				m_adj(q->tq_m, over);
				q->tq_seq += (tcp_seq)over;
				q->tq_len -= over;
				break;
			}
			nq = TAILQ_NEXT(q, tq_list);
			fin |= q->tq_fin;
			TAILQ_REMOVE(&tp->t_segq, q, tq_list);
			m_freem(q->tq_m);
			kmem_free(q, sizeof(*q));
			tp->t_segqlen--;
			q = nq;
		}
		/*
		 * Full: the segment furthest ahead makes room, unless it is
		 * this one.  The segment at rcv_nxt always gets in: it is
		 * the one that lets the queue drain.
		 */
		if (tp->t_segqlen >= TCP_SEGQ_MAX) {
			struct tcpqent *last;

			last = TAILQ_LAST(&tp->t_segq, tcpsegq);
			if (seq != tp->rcv_nxt && (last == NULL ||
			    SEQ_LEQ(last->tq_seq, seq))) {
				m_freem(m);	/* the peer resends it */
				goto deliver;
			}
			if (last != NULL && last != p) {
				TAILQ_REMOVE(&tp->t_segq, last, tq_list);
				m_freem(last->tq_m);
				kmem_free(last, sizeof(*last));
				tp->t_segqlen--;
			}
		}
		nq = kmem_alloc(sizeof(*nq), KM_SLEEP);
		nq->tq_seq = seq;
		nq->tq_len = len;
		nq->tq_fin = fin;
		nq->tq_m = m;
		if (p != NULL)
			TAILQ_INSERT_AFTER(&tp->t_segq, p, nq, tq_list);
		else
			TAILQ_INSERT_HEAD(&tp->t_segq, nq, tq_list);
		tp->t_segqlen++;
	}
deliver:
	if (!TCPS_HAVEESTABLISHED(tp->t_state))
		return 0;
	while ((q = TAILQ_FIRST(&tp->t_segq)) != NULL &&
	    q->tq_seq == tp->rcv_nxt) {
		TAILQ_REMOVE(&tp->t_segq, q, tq_list);
		tp->t_segqlen--;
		tp->rcv_nxt += (tcp_seq)q->tq_len;
		if ((so->so_state & SS_CANTRCVMORE) != 0)
			m_freem(q->tq_m);
		else
			sbappendstream(&so->so_rcv, q->tq_m);
		if (q->tq_fin)
			flags = TH_FIN;
		kmem_free(q, sizeof(*q));
		if (flags != 0)
			break;
	}
	sorwakeup(so);
	return flags;
}

/* A segment for a listener: a SYN makes a new connection. */
static void
tcp_listen_input(struct socket *head, struct mbuf *m, struct ip *ip,
    struct tcphdr *th, const struct tcpopts *to)
{
	struct socket *so;
	struct inpcb *inp;
	struct tcpcb *tp;

	so = sonewconn(head, false);
	if (so == NULL && head->so_q0len > 0 &&
	    head->so_qlen < head->so_qlimit) {
		/* Half-open connections fill the queue: drop the oldest. */
		struct socket *old = so_q0_oldest(head);

		tcpstat.tcps_synevicted++;
		if (old->so_pcb != NULL && sototcpcb(old) != NULL)
			tcp_drop(sototcpcb(old), ETIMEDOUT);
		so = sonewconn(head, false);
	}
	if (so == NULL) {
		/* The accept queue is full: the peer will try again. */
		tcpstat.tcps_listendrop++;
		m_freem(m);
		return;
	}
	inp = sotoinpcb(so);
	inp->inp_laddr = ip->ip_dst;
	inp->inp_faddr = ip->ip_src;
	inp->inp_fport = th->th_sport;
	if (in_pcbsetconn(inp, th->th_dport) != 0) {
		tcp_close(sototcpcb(so));
		m_freem(m);
		return;
	}
	tp = sototcpcb(so);
	tp->t_flags |= TF_PASSIVE |
	    (sototcpcb(head) != NULL ? sototcpcb(head)->t_flags & TF_NODELAY :
	    0);
	if (sototcpcb(head) != NULL) {
		tp->t_keepidle = sototcpcb(head)->t_keepidle;
		tp->t_keepintvl = sototcpcb(head)->t_keepintvl;
		tp->t_keepcnt = sototcpcb(head)->t_keepcnt;
	}
	tp->request_r_scale = tcp_wscale_want();
	tp->irs = ntohl(th->th_seq);
	tp->rcv_nxt = tp->irs + 1;
	tp->rcv_adv = tp->rcv_nxt;
	tp->iss = tcp_new_isn(tp);
	tp->snd_una = tp->snd_nxt = tp->snd_max = tp->iss;
	tp->snd_recover = tp->iss;
	tp->snd_wnd = ntohs(th->th_win);	/* never scaled on a SYN */
	tp->snd_wl1 = tp->irs;
	tp->snd_wl2 = tp->iss;
	tp->max_sndwnd = tp->snd_wnd;
	tcp_syn_options(tp, to);
	tp->t_state = TCPS_SYN_RECEIVED;
	tp->t_rcvtime = tcp_now64();
	tcp_timer_arm(tp, TCPT_KEEP, TCP_CONNTIMEO * hz);
	tcpstat.tcps_accepts++;
	m_freem(m);		/* data on a SYN is not kept (no TFO) */
	tp->t_flags |= TF_ACKNOW;
	(void)tcp_output(tp);
}

/* Send a reset for segment m (ip/th, tlen data bytes), if it merits one. */
static void
tcp_dropwithreset(struct mbuf *m, struct ip *ip, struct tcphdr *th, int tlen)
{
	int flags = th->th_flags;
	tcp_seq ack;

	if ((flags & TH_RST) != 0 || (m->m_flags & (M_BCAST | M_MCAST)) != 0 ||
	    in_broadcast(ip->ip_dst, m->m_pkthdr.rcvif) ||
	    IN_MULTICAST(ntohl(ip->ip_dst.s_addr))) {
		m_freem(m);
		return;
	}
	if ((flags & TH_ACK) != 0)
		tcp_respond(NULL, ip, th, m, 0, ntohl(th->th_ack), TH_RST);
	else {
		ack = ntohl(th->th_seq) + (tcp_seq)tlen;
		if ((flags & TH_SYN) != 0)
			ack++;
		if ((flags & TH_FIN) != 0)
			ack++;
		tcp_respond(NULL, ip, th, m, ack, 0, TH_RST | TH_ACK);
	}
}

/* The acknowledgment of new data: timers, RTT, congestion window. */
static void
tcp_newack(struct tcpcb *tp, tcp_seq ack, const struct tcpopts *to)
{
	u_long acked = ack - tp->snd_una, incr, flight;

	/* A round-trip sample: from the timestamp, or from the timing. */
	if (to->to_ts && to->to_tsecr != 0 &&
	    (tp->t_flags & TF_RCVD_TSTMP) != 0)
		tcp_xmit_timer(tp, (int)(tcp_now() + tp->ts_offset -
		    to->to_tsecr));
	else if (tp->t_rttiming && SEQ_GT(ack, tp->t_rtseq)) {
		tcp_xmit_timer(tp, (int)(tcp_now64() - tp->t_rtstart));
		tp->t_rttiming = false;
	}

	if (tp->t_inrecovery) {
		if (SEQ_GEQ(ack, tp->snd_recover)) {
			/* Full ACK (RFC 6582 3.2 (3)): deflate. */
			flight = tp->snd_max - ack;
			tp->snd_cwnd = tp->snd_ssthresh < flight +
			    tp->t_maxseg ? tp->snd_ssthresh :
			    flight + tp->t_maxseg;
			tp->t_inrecovery = false;
			tp->t_dupacks = 0;
		} else {
			/* Partial ACK: resend the next hole at once. */
			tcp_seq onxt = tp->snd_nxt;
			u_long ocwnd = tp->snd_cwnd;

			tcp_timer_arm(tp, TCPT_REXMT, tcp_rexmt_ticks(tp));
			tp->snd_nxt = ack;
			tp->snd_cwnd = tp->t_maxseg + acked;
			(void)tcp_output(tp);
			tp->snd_cwnd = ocwnd > acked ? ocwnd - acked : 0;
			tp->snd_cwnd += tp->t_maxseg;
			if (SEQ_GT(onxt, tp->snd_nxt))
				tp->snd_nxt = onxt;
		}
	} else {
		tp->t_dupacks = 0;
		/* RFC 5681 3.1: slow start, then congestion avoidance. */
		if (tp->snd_cwnd < tp->snd_ssthresh)
			incr = acked < tp->t_maxseg ? acked : tp->t_maxseg;
		else {
			incr = (u_long)tp->t_maxseg * tp->t_maxseg /
			    tp->snd_cwnd;
			if (incr == 0)
				incr = 1;
		}
		if (tp->snd_cwnd + incr <= (u_long)TCP_MAXWIN << TCP_MAX_WINSHIFT)
			tp->snd_cwnd += incr;
	}
	if (ack == tp->snd_max)
		tcp_timer_cancel(tp, TCPT_REXMT);
	else if (tp->t_timer[TCPT_PERSIST] == 0)
		tcp_timer_arm(tp, TCPT_REXMT, tcp_rexmt_ticks(tp));
	tp->t_rxtshift = 0;
}

/*
 * A duplicate ACK: fast retransmit on the third (RFC 5681 3.2), or
 * earlier when fewer segments are out and no new ones can follow
 * (early retransmit, RFC 5827); before that, each of the first two
 * lets one new segment go (limited transmit, RFC 3042), so that even a
 * small window produces the duplicates that recovery needs.
 */
static void
tcp_dupack(struct tcpcb *tp, tcp_seq ack)
{
	struct socket *so = tp->t_inpcb->inp_socket;
	u_long flight = tp->snd_max - tp->snd_una, ocwnd;
	u_int segs, thresh = 3;
	tcp_seq onxt;

	tcpstat.tcps_rcvdupack++;
	if (tp->t_inrecovery) {
		/* Each further one: a segment has left the network. */
		tp->snd_cwnd += tp->t_maxseg;
		(void)tcp_output(tp);
		return;
	}
	segs = (u_int)((flight + tp->t_maxseg - 1) / tp->t_maxseg);
	if (segs < 4 && so->so_snd.sb_cc <= flight)
		thresh = segs > 1 ? segs - 1 : 1;
	if ((u_int)++tp->t_dupacks < thresh) {
		if (tp->t_dupacks <= 2 && so->so_snd.sb_cc > flight) {
			ocwnd = tp->snd_cwnd;
			tp->snd_cwnd = flight + tp->t_maxseg;
			(void)tcp_output(tp);
			tp->snd_cwnd = ocwnd;
		}
		return;
	}
	if ((u_int)tp->t_dupacks != thresh)
		return;
	/* RFC 6582 4.1: not again for losses of the same window. */
	if (SEQ_LT(ack, tp->snd_recover))
		return;
	tcpstat.tcps_fastrexmit++;
	tp->snd_ssthresh = flight / 2 > 2 * tp->t_maxseg ? flight / 2 :
	    2 * tp->t_maxseg;
	tp->snd_recover = tp->snd_max;
	tp->t_inrecovery = true;
	tcp_timer_cancel(tp, TCPT_REXMT);
	tp->t_rttiming = false;
	onxt = tp->snd_nxt;
	tp->snd_nxt = ack;
	tp->snd_cwnd = tp->t_maxseg;
	(void)tcp_output(tp);
	tp->snd_cwnd = tp->snd_ssthresh + 3 * tp->t_maxseg;
	if (SEQ_GT(onxt, tp->snd_nxt))
		tp->snd_nxt = onxt;
}

void
tcp_input(struct mbuf *m, int hlen)
{
	struct ip *ip;
	struct tcphdr *th;
	struct inpcb *inp;
	struct tcpcb *tp;
	struct socket *so;
	struct tcpopts to;
	tcp_seq seq, ack;
	u_long tiwin;
	int tlen, off, thflags, todrop, acked;
	bool needoutput = false, ourfinisacked;

	KASSERT(mutex_owned(&softnet_lock));
	tcpstat.tcps_rcvtotal++;
	ip = mtod(m, struct ip *);
	tlen = ntohs(ip->ip_len) - hlen;
	if (tlen < (int)sizeof(*th)) {
		tcpstat.tcps_rcvshort++;
		goto drop;
	}
	if ((m = m_pullup(m, hlen + (int)sizeof(*th))) == NULL) {
		tcpstat.tcps_rcvshort++;
		return;
	}
	ip = mtod(m, struct ip *);
	if ((m->m_pkthdr.csum_flags & M_CSUM_DATA_OK) == 0 &&
	    in_cksum_mbuf(m, hlen, tlen, in_pseudo_sum(ip->ip_src,
	    ip->ip_dst, IPPROTO_TCP, tlen)) != 0) {
		tcpstat.tcps_rcvbadsum++;
		goto drop;
	}
	th = (struct tcphdr *)(void *)(mtod(m, char *) + hlen);
	off = TH_OFF(th);
	if (off < (int)sizeof(*th) || off > tlen) {
		tcpstat.tcps_rcvbadoff++;
		goto drop;
	}
	if (off > (int)sizeof(*th)) {
		if ((m = m_pullup(m, hlen + off)) == NULL) {
			tcpstat.tcps_rcvbadoff++;
			return;
		}
		ip = mtod(m, struct ip *);
		th = (struct tcphdr *)(void *)(mtod(m, char *) + hlen);
	}
	tlen -= off;
	thflags = th->th_flags;
	tcp_dooptions((const uint8_t *)(th + 1), off - (int)sizeof(*th),
	    (thflags & TH_SYN) != 0, &to);
	seq = ntohl(th->th_seq);
	ack = ntohl(th->th_ack);
	tiwin = ntohs(th->th_win);

	/* Broadcasts and multicasts have no business with TCP. */
	if ((m->m_flags & (M_BCAST | M_MCAST)) != 0 ||
	    in_broadcast(ip->ip_dst, m->m_pkthdr.rcvif) ||
	    IN_MULTICAST(ntohl(ip->ip_dst.s_addr)))
		goto drop;

	inp = in_pcblookup_connect(&tcbtable, ip->ip_src, th->th_sport,
	    ip->ip_dst, th->th_dport);
	if (inp == NULL)
		inp = in_pcblookup_bind(&tcbtable, ip->ip_dst, th->th_dport);
	if (inp == NULL || (tp = intotcpcb(inp)) == NULL ||
	    tp->t_state == TCPS_CLOSED)
		goto dropwithreset;
	so = inp->inp_socket;

	if (tp->t_state == TCPS_LISTEN) {
		if ((thflags & TH_RST) != 0)
			goto drop;
		if ((thflags & TH_ACK) != 0)
			goto dropwithreset;
		if ((thflags & TH_SYN) == 0 || (thflags & TH_FIN) != 0)
			goto drop;
		tcp_listen_input(so, m, ip, th, &to);
		return;
	}

	tp->t_rcvtime = tcp_now64();
	tp->t_keepsent = 0;
	if ((so->so_options & SO_KEEPALIVE) != 0 &&
	    TCPS_HAVEESTABLISHED(tp->t_state) &&
	    tp->t_state <= TCPS_CLOSE_WAIT && tp->t_timer[TCPT_KEEP] == 0)
		tcp_timer_arm(tp, TCPT_KEEP, tp->t_keepidle * hz);

	/* The data of the segment, after the headers. */
	m_adj(m, hlen + off);

	if (tp->t_state == TCPS_SYN_SENT) {
		/* RFC 9293 3.10.7.3 */
		if ((thflags & TH_ACK) != 0 &&
		    (SEQ_LEQ(ack, tp->iss) || SEQ_GT(ack, tp->snd_max))) {
			if ((thflags & TH_RST) != 0)
				goto drop;
			tcp_respond(NULL, ip, th, NULL, 0, ack, TH_RST);
			goto drop;
		}
		if ((thflags & TH_RST) != 0) {
			if ((thflags & TH_ACK) != 0)
				tcp_drop(tp, ECONNREFUSED);
			goto drop;
		}
		if ((thflags & TH_SYN) == 0)
			goto drop;
		tp->irs = seq;
		tp->rcv_nxt = seq + 1;
		tp->rcv_adv = tp->rcv_nxt;
		tcp_syn_options(tp, &to);
		if ((thflags & TH_ACK) != 0) {
			tp->snd_una = ack;
			if (SEQ_LT(tp->snd_nxt, tp->snd_una))
				tp->snd_nxt = tp->snd_una;
			tcp_timer_cancel(tp, TCPT_REXMT);
			tcp_timer_cancel(tp, TCPT_KEEP);
			if (tp->t_rttiming) {
				tcp_xmit_timer(tp, (int)(tcp_now64() -
				    tp->t_rtstart));
				tp->t_rttiming = false;
			}
			tp->snd_wnd = tiwin;	/* a SYN's is never scaled */
			tp->max_sndwnd = tiwin;
			tp->snd_wl1 = seq;
			tp->snd_wl2 = ack;
			tp->t_state = TCPS_ESTABLISHED;
			tcpstat.tcps_connects++;
			soisconnected(so);
			if ((so->so_options & SO_KEEPALIVE) != 0)
				tcp_timer_arm(tp, TCPT_KEEP,
				    tp->t_keepidle * hz);
			tp->t_flags |= TF_ACKNOW;
			/* Data on a SYN-ACK: rare; the peer resends it. */
			m_freem(m);
			(void)tcp_output(tp);
			return;
		}
		/* Simultaneous open (RFC 9293 3.5, figure 7). */
		tp->t_state = TCPS_SYN_RECEIVED;
		tp->snd_wnd = tiwin;
		tp->snd_wl1 = seq;
		tp->snd_nxt = tp->snd_una;	/* resend the SYN, with ACK */
		tp->t_flags |= TF_ACKNOW;
		m_freem(m);
		(void)tcp_output(tp);
		return;
	}

	/* Scaled from here on (RFC 7323 2.2). */
	tiwin <<= tp->snd_scale;

	/* PAWS (RFC 7323 5.3). */
	if (to.to_ts && (tp->t_flags & TF_RCVD_TSTMP) != 0 &&
	    (thflags & TH_RST) == 0 && tp->ts_recent != 0 &&
	    (int32_t)(to.to_tsval - tp->ts_recent) < 0) {
		if (tcp_now64() - tp->ts_recent_age > TCP_PAWS_IDLE)
			tp->ts_recent = 0;	/* too old to compare */
		else {
			tcpstat.tcps_pawsdrop++;
			goto dropafterack;
		}
	}

	/* Resets (RFC 5961 3.2): exact ones act, in-window ones challenge. */
	if ((thflags & TH_RST) != 0) {
		u_long rwnd = tp->rcv_adv - tp->rcv_nxt;

		if (seq == tp->rcv_nxt) {
			switch (tp->t_state) {
			case TCPS_SYN_RECEIVED:
				so->so_error = ECONNREFUSED;
				break;
			case TCPS_ESTABLISHED:
			case TCPS_FIN_WAIT_1:
			case TCPS_FIN_WAIT_2:
			case TCPS_CLOSE_WAIT:
				so->so_error = ECONNRESET;
				break;
			default:
				break;
			}
			tcpstat.tcps_drops++;
			tcp_close(tp);
			goto drop;
		}
		if (SEQ_GT(seq, tp->rcv_nxt) &&
		    SEQ_LT(seq, tp->rcv_nxt + (tcp_seq)(rwnd > 0 ? rwnd : 1)))
			tcp_challenge_ack(tp);
		goto drop;
	}

	/* A SYN in a synchronized state (RFC 5961 4.2): challenge. */
	if ((thflags & TH_SYN) != 0 && tp->t_state != TCPS_SYN_RECEIVED) {
		if (tp->t_state == TCPS_TIME_WAIT && SEQ_GT(seq, tp->rcv_nxt) &&
		    (so->so_state & SS_NOFDREF) != 0) {
			/*
			 * A new incarnation (RFC 9293 3.6.1): the old one
			 * goes, the peer's next SYN finds the listener.
			 */
			tcp_close(tp);
			goto drop;
		}
		tcp_challenge_ack(tp);
		goto drop;
	}
	if ((thflags & TH_SYN) != 0) {
		/* SYN_RECEIVED: the peer resent its SYN; answer again. */
		if (seq == tp->irs) {
			tp->snd_nxt = tp->snd_una;
			tp->t_flags |= TF_ACKNOW;
			(void)tcp_output(tp);
		}
		goto drop;
	}

	/* Trim to the window (RFC 9293 3.10.7.4, first check). */
	todrop = (int)(tp->rcv_nxt - seq);
	if (todrop > 0) {
		if (todrop > tlen ||
		    (todrop == tlen && (thflags & TH_FIN) == 0)) {
			/* All old: a duplicate.  ACK it, use its ACK. */
			tcpstat.tcps_rcvduppack++;
			tp->t_flags |= TF_ACKNOW;
			todrop = tlen;
			thflags &= ~TH_FIN;
		}
		m_adj(m, todrop);
		seq += (tcp_seq)todrop;
		tlen -= todrop;
	}
	/* Data after the user closed: nobody will read it (RFC 1122). */
	if ((so->so_state & SS_NOFDREF) != 0 &&
	    tp->t_state > TCPS_CLOSE_WAIT && tlen > 0) {
		tcp_close(tp);
		tcpstat.tcps_drops++;
		goto dropwithreset;
	}
	todrop = (int)(seq + (tcp_seq)tlen - (tp->rcv_nxt +
	    (tcp_seq)tcp_rcvspace(tp)));
	if (todrop > 0) {
		tcpstat.tcps_rcvafterwin++;
		if (todrop >= tlen) {
			/* A probe of a closed window, or junk: ACK it. */
			if (tlen > 0 || (thflags & TH_FIN) != 0)
				tp->t_flags |= TF_ACKNOW;
			if (seq != tp->rcv_nxt || tlen > 0) {
				m_adj(m, tlen);
				tlen = 0;
				thflags &= ~TH_FIN;
			}
		} else {
			m_adj(m, -todrop);
			tlen -= todrop;
			thflags &= ~(TH_PUSH | TH_FIN);
		}
	}

	/* The timestamp to echo (RFC 7323 4.3). */
	if (to.to_ts && SEQ_LEQ(seq, tp->last_ack_sent) &&
	    SEQ_LT(tp->last_ack_sent, seq + (tcp_seq)tlen +
	    ((thflags & (TH_SYN | TH_FIN)) != 0 ? 1 : 0))) {
		tp->ts_recent = to.to_tsval;
		tp->ts_recent_age = tcp_now64();
	}

	if ((thflags & TH_ACK) == 0)
		goto step6;

	/* The ACK's range (RFC 5961 5.2). */
	if (SEQ_GT(ack, tp->snd_max) ||
	    SEQ_LT(ack, tp->snd_una - (tcp_seq)tp->max_sndwnd)) {
		if (tp->t_state == TCPS_SYN_RECEIVED)
			goto dropwithreset;
		tcp_challenge_ack(tp);
		goto drop;
	}

	if (tp->t_state == TCPS_SYN_RECEIVED) {
		if (SEQ_LEQ(ack, tp->snd_una))
			goto dropwithreset;
		tp->t_state = TCPS_ESTABLISHED;
		tp->snd_una++;			/* our SYN */
		tcp_timer_cancel(tp, TCPT_KEEP);
		tcpstat.tcps_connects++;
		soisconnected(so);
		tp->snd_wnd = tiwin;
		tp->max_sndwnd = tiwin;
		tp->snd_wl1 = seq;
		tp->snd_wl2 = ack;
		if ((so->so_options & SO_KEEPALIVE) != 0)
			tcp_timer_arm(tp, TCPT_KEEP, tp->t_keepidle * hz);
		(void)tcp_reass(tp, 0, 0, false, NULL);
	}

	if (SEQ_LEQ(ack, tp->snd_una)) {
		if (tlen == 0 && tiwin == tp->snd_wnd && ack == tp->snd_una &&
		    tp->snd_max != tp->snd_una &&
		    (thflags & TH_FIN) == 0)
			tcp_dupack(tp, ack);
		else if (ack == tp->snd_una)
			tp->t_dupacks = tp->t_inrecovery ? tp->t_dupacks : 0;
		goto step_window;
	}

	/* New data acknowledged. */
	acked = (int)(ack - tp->snd_una);
	tcp_newack(tp, ack, &to);
	if (acked > (int)so->so_snd.sb_cc) {
		/* Our FIN is in it. */
		sbdrop(&so->so_snd, (int)so->so_snd.sb_cc);
		ourfinisacked = true;
	} else {
		sbdrop(&so->so_snd, acked);
		ourfinisacked = false;
	}
	sowwakeup(so);
	tp->snd_una = ack;
	if (SEQ_LT(tp->snd_nxt, tp->snd_una))
		tp->snd_nxt = tp->snd_una;
	needoutput = true;

	switch (tp->t_state) {
	case TCPS_FIN_WAIT_1:
		if (ourfinisacked) {
			tp->t_state = TCPS_FIN_WAIT_2;
			/* Closed by the user: do not wait for ever. */
			if ((so->so_state & SS_CANTRCVMORE) != 0) {
				soisdisconnected(so);
				tcp_timer_arm(tp, TCPT_2MSL,
				    TCP_FINWAIT2_TIMEO * hz);
			}
		}
		break;
	case TCPS_CLOSING:
		if (ourfinisacked) {
			tp->t_state = TCPS_TIME_WAIT;
			tcp_timers_cancel(tp);
			tcp_timer_arm(tp, TCPT_2MSL, 2 * TCP_MSL * hz);
			soisdisconnected(so);
		}
		break;
	case TCPS_LAST_ACK:
		if (ourfinisacked) {
			tcp_close(tp);
			goto drop;
		}
		break;
	case TCPS_TIME_WAIT:
		tcp_timer_arm(tp, TCPT_2MSL, 2 * TCP_MSL * hz);
		goto dropafterack;
	}

step_window:
	/* The send window (RFC 9293 3.10.7.4, fifth check). */
	if (SEQ_LT(tp->snd_wl1, seq) || (tp->snd_wl1 == seq &&
	    (SEQ_LT(tp->snd_wl2, ack) || (tp->snd_wl2 == ack &&
	    tiwin > tp->snd_wnd)))) {
		if (tiwin > tp->snd_wnd)
			needoutput = true;
		tp->snd_wnd = tiwin;
		tp->snd_wl1 = seq;
		tp->snd_wl2 = ack;
		if (tp->snd_wnd > tp->max_sndwnd)
			tp->max_sndwnd = tp->snd_wnd;
		if (tp->snd_wnd > 0 && tp->t_timer[TCPT_PERSIST] != 0) {
			tcp_timer_cancel(tp, TCPT_PERSIST);
			tp->t_rxtshift = 0;
		}
	}

step6:
	/* The data (seventh check); a FIN ends the stream (eighth). */
	if ((tlen > 0 || (thflags & TH_FIN) != 0) &&
	    !TCPS_HAVERCVDFIN(tp->t_state)) {
		if (seq == tp->rcv_nxt && TAILQ_EMPTY(&tp->t_segq) &&
		    tp->t_state == TCPS_ESTABLISHED) {
			tp->rcv_nxt += (tcp_seq)tlen;
			if (tlen > 0) {
				if ((so->so_state & SS_CANTRCVMORE) != 0)
					m_freem(m);
				else
					sbappendstream(&so->so_rcv, m);
				m = NULL;
				sorwakeup(so);
				/* Every second segment at once, or soon. */
				if ((tp->t_flags & TF_DELACK) != 0)
					tp->t_flags |= TF_ACKNOW;
				else {
					tp->t_flags |= TF_DELACK;
					tcp_timer_arm(tp, TCPT_DELACK,
					    tcp_msstoticks(TCP_DELACK_MS));
				}
			}
		} else {
			/* Out of order: a duplicate ACK at once. */
			if (seq != tp->rcv_nxt)
				tcpstat.tcps_rcvoopack++;
			thflags = (thflags & ~TH_FIN) | tcp_reass(tp, seq,
			    tlen, (thflags & TH_FIN) != 0, m);
			m = NULL;
			tp->t_flags |= TF_ACKNOW;
		}
	} else
		thflags &= ~TH_FIN;

	if ((thflags & TH_FIN) != 0 && TCPS_HAVERCVDSYN(tp->t_state)) {
		if (!TCPS_HAVERCVDFIN(tp->t_state)) {
			socantrcvmore(so);
			tp->t_flags |= TF_ACKNOW;
			tp->rcv_nxt++;
		}
		switch (tp->t_state) {
		case TCPS_SYN_RECEIVED:
		case TCPS_ESTABLISHED:
			tp->t_state = TCPS_CLOSE_WAIT;
			break;
		case TCPS_FIN_WAIT_1:
			tp->t_state = TCPS_CLOSING;
			break;
		case TCPS_FIN_WAIT_2:
			tp->t_state = TCPS_TIME_WAIT;
			tcp_timers_cancel(tp);
			tcp_timer_arm(tp, TCPT_2MSL, 2 * TCP_MSL * hz);
			soisdisconnected(so);
			break;
		case TCPS_TIME_WAIT:
			tcp_timer_arm(tp, TCPT_2MSL, 2 * TCP_MSL * hz);
			break;
		}
	}
	m_freem(m);
	if (needoutput || (tp->t_flags & TF_ACKNOW) != 0)
		(void)tcp_output(tp);
	return;

dropafterack:
	m_freem(m);
	tp->t_flags |= TF_ACKNOW;
	(void)tcp_output(tp);
	return;

dropwithreset:
	/* ip and th still point at the headers, in m's first mbuf. */
	tcp_dropwithreset(m, ip, th, tlen);
	return;

drop:
	m_freem(m);
}
