/*
 * TCP output (kernel): decides whether a segment should go now (data
 * the windows allow, Nagle's rule, window updates, ACKs owed, SYN, FIN,
 * RST, window probes), builds it with its options, and keeps the
 * retransmission timer and the round-trip timing going.  The data is
 * shared with the send buffer, not copied.
 */

#include <sys/types.h>
#include <sys/endian.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <netinet/tcp_var.h>

#include <lib/libkern/libkern.h>

/* The flags each state sends with (RFC 9293 3.10). */
static const uint8_t tcp_outflags[TCP_NSTATES] = {
	[TCPS_CLOSED] = TH_RST | TH_ACK,
	[TCPS_LISTEN] = 0,
	[TCPS_SYN_SENT] = TH_SYN,
	[TCPS_SYN_RECEIVED] = TH_SYN | TH_ACK,
	[TCPS_ESTABLISHED] = TH_ACK,
	[TCPS_CLOSE_WAIT] = TH_ACK,
	[TCPS_FIN_WAIT_1] = TH_FIN | TH_ACK,
	[TCPS_CLOSING] = TH_FIN | TH_ACK,
	[TCPS_LAST_ACK] = TH_FIN | TH_ACK,
	[TCPS_FIN_WAIT_2] = TH_ACK,
	[TCPS_TIME_WAIT] = TH_ACK,
};

/* Zero-window probes: the RTO, backed off, within 0.2 s and a minute. */
void
tcp_setpersist(struct tcpcb *tp)
{
	int ticks = tcp_rexmt_ticks(tp);

	if (ticks < hz / 5)
		ticks = hz / 5;
	if (ticks > 60 * hz)
		ticks = 60 * hz;
	tcp_timer_arm(tp, TCPT_PERSIST, ticks);
}

/* Write our options for a segment with flags; their length. */
static int
tcp_options(struct tcpcb *tp, int flags, uint8_t *opt)
{
	int n = 0;
	uint32_t v;

	if ((flags & TH_SYN) != 0) {
		tp->t_ourmss = tcp_mssopt(tp);
		opt[n++] = TCPOPT_MAXSEG;
		opt[n++] = TCPOLEN_MAXSEG;
		opt[n++] = (uint8_t)(tp->t_ourmss >> 8);
		opt[n++] = (uint8_t)tp->t_ourmss;
		/* On a SYN-ACK only if the peer offered it too. */
		if ((tp->t_flags & TF_REQ_SCALE) != 0 &&
		    ((flags & TH_ACK) == 0 ||
		    (tp->t_flags & TF_RCVD_SCALE) != 0)) {
			opt[n++] = TCPOPT_NOP;
			opt[n++] = TCPOPT_WINDOW;
			opt[n++] = TCPOLEN_WINDOW;
			opt[n++] = tp->request_r_scale;
		}
	}
	/* Timestamps: on a SYN we offer, then on all if both agreed. */
	if ((tp->t_flags & TF_REQ_TSTMP) != 0 && (flags & TH_RST) == 0 &&
	    (((flags & (TH_SYN | TH_ACK)) == TH_SYN) ||
	    (tp->t_flags & TF_RCVD_TSTMP) != 0)) {
		opt[n++] = TCPOPT_NOP;
		opt[n++] = TCPOPT_NOP;
		opt[n++] = TCPOPT_TIMESTAMP;
		opt[n++] = TCPOLEN_TIMESTAMP;
		v = htonl(tcp_now() + tp->ts_offset);
		memcpy(&opt[n], &v, 4);
		v = htonl(tp->ts_recent);
		memcpy(&opt[n + 4], &v, 4);
		n += 8;
	}
	return n;
}

/*
 * The window we may advertise, in bytes (before scaling).  Its right
 * edge never moves back, and moves on only by a segment or half the
 * buffer at a time (receiver-side silly window avoidance, RFC 1122
 * 4.2.3.3), which also keeps it steady in the duplicate ACKs that
 * signal a loss.
 */
static long
tcp_rcvwin(struct tcpcb *tp)
{
	struct socket *so = tp->t_inpcb->inp_socket;
	long win = (long)sbspace(&so->so_rcv);
	long cur = (long)(tp->rcv_adv - tp->rcv_nxt);
	long step = (long)so->so_rcv.sb_hiwat / 2;

	if (step > (long)tp->t_maxseg)
		step = (long)tp->t_maxseg;
	if (win > (long)TCP_MAXWIN << tp->rcv_scale)
		win = (long)TCP_MAXWIN << tp->rcv_scale;
	if (cur < 0)
		cur = 0;
	if (win < cur + step)
		win = cur;
	return win;
}

int
tcp_output(struct tcpcb *tp)
{
	struct inpcb *inp = tp->t_inpcb;
	struct socket *so = inp->inp_socket;
	struct mbuf *m;
	struct ip *ip;
	struct tcphdr *th;
	uint8_t opt[TCP_MAXOLEN];
	long len, win, adv;
	int off, flags, optlen, hdrlen, error;
	u_int maxdata;
	bool sendalot, idle;
	u_long cwin;

	KASSERT(mutex_owned(&softnet_lock));
	idle = tp->snd_max == tp->snd_una;
again:
	sendalot = false;
	off = (int)(tp->snd_nxt - tp->snd_una);
	cwin = tp->snd_wnd < tp->snd_cwnd ? tp->snd_wnd : tp->snd_cwnd;
	win = (long)cwin;
	flags = tcp_outflags[tp->t_state];
	if (tp->t_force && win == 0) {
		/* A window probe: one byte, or the FIN. */
		win = 1;
		if (off < (int)so->so_snd.sb_cc)
			flags &= ~TH_FIN;
	}
	len = (long)(so->so_snd.sb_cc < (u_int)win ? so->so_snd.sb_cc :
	    (u_int)win) - off;
	/* No data with a SYN or RST, nor before the SYN is answered. */
	if ((flags & (TH_SYN | TH_RST)) != 0 || tp->t_state == TCPS_SYN_SENT ||
	    tp->t_state == TCPS_SYN_RECEIVED) {
		len = 0;
		if ((flags & TH_SYN) != 0 && SEQ_GT(tp->snd_nxt, tp->snd_una))
			flags &= ~TH_SYN;	/* already sent: wait */
	}
	if (len < 0) {
		/* The window shrank below what was sent: go back. */
		len = 0;
		if (win == 0) {
			tcp_timer_cancel(tp, TCPT_REXMT);
			tp->t_rxtshift = 0;
			tp->snd_nxt = tp->snd_una;
			if (tp->t_timer[TCPT_PERSIST] == 0)
				tcp_setpersist(tp);
		}
	}
	optlen = tcp_options(tp, flags, opt);
	maxdata = tp->t_maxseg - ((flags & TH_SYN) != 0 ? 0 :
	    (u_int)optlen);
	if (len > (long)maxdata) {
		len = (long)maxdata;
		sendalot = true;
	}
	if ((flags & TH_FIN) != 0 &&
	    SEQ_LT(tp->snd_nxt + (tcp_seq)len, tp->snd_una +
	    (tcp_seq)so->so_snd.sb_cc))
		flags &= ~TH_FIN;	/* more data before the FIN */

	/* Is there a reason to send? */
	if ((flags & (TH_SYN | TH_RST)) != 0)
		goto send;
	if (len > 0) {
		if (len == (long)maxdata)
			goto send;
		/* Nagle (RFC 1122 4.2.3.4): small data only when idle. */
		if ((idle || (tp->t_flags & TF_NODELAY) != 0) &&
		    len + off >= (long)so->so_snd.sb_cc)
			goto send;
		if (tp->t_force)
			goto send;
		if (len >= (long)(tp->max_sndwnd / 2) && tp->max_sndwnd > 0)
			goto send;
		if (SEQ_LT(tp->snd_nxt, tp->snd_max))
			goto send;
	}
	/* A window update worth telling (RFC 9293 3.8.6.2.2). */
	adv = tcp_rcvwin(tp) - (long)(tp->rcv_adv - tp->rcv_nxt);
	if (TCPS_HAVERCVDSYN(tp->t_state) && adv > 0 &&
	    (adv >= 2 * (long)tp->t_maxseg ||
	    2 * adv >= (long)so->so_rcv.sb_hiwat) &&
	    tp->t_state < TCPS_TIME_WAIT && !TCPS_HAVERCVDFIN(tp->t_state))
		goto send;
	if ((tp->t_flags & TF_ACKNOW) != 0)
		goto send;
	if ((flags & TH_FIN) != 0 &&
	    ((tp->t_flags & TF_SENTFIN) == 0 || tp->snd_nxt == tp->snd_una))
		goto send;
	/* Data waits with nothing in flight: probe the window later. */
	if (so->so_snd.sb_cc > 0 && tp->t_timer[TCPT_REXMT] == 0 &&
	    tp->t_timer[TCPT_PERSIST] == 0) {
		tp->t_rxtshift = 0;
		tcp_setpersist(tp);
	}
	return 0;

send:
	hdrlen = (int)(sizeof(struct ip) + sizeof(struct tcphdr)) + optlen;
	if ((m = m_gethdr(M_DONTWAIT, MT_HEADER)) == NULL)
		return ENOBUFS;
	/* Headers at the end of the mbuf: room for the link's before. */
	M_ALIGN_END(m, hdrlen);
	m->m_len = hdrlen;
	if (len > 0) {
		if (len <= (long)M_TRAILINGSPACE(m)) {
			m_copydata(so->so_snd.sb_mb, off, (int)len,
			    mtod(m, char *) + hdrlen);
			m->m_len += (int)len;
		} else if ((m->m_next = m_copym(so->so_snd.sb_mb, off,
		    (int)len, M_DONTWAIT)) == NULL) {
			m_freem(m);
			return ENOBUFS;
		}
		if (SEQ_LT(tp->snd_nxt, tp->snd_max))
			tcpstat.tcps_sndrexmitpack++;
		/* All the buffer goes: push it. */
		if (off + len == (long)so->so_snd.sb_cc)
			flags |= TH_PUSH;
	}
	m->m_pkthdr.len = hdrlen + (int)len;

	ip = mtod(m, struct ip *);
	memset(ip, 0, sizeof(*ip));
	ip->ip_p = IPPROTO_TCP;
	ip->ip_src = inp->inp_laddr;
	ip->ip_dst = inp->inp_faddr;
	ip->ip_ttl = inp->inp_ttl;
	ip->ip_tos = inp->inp_tos;
	ip->ip_off = htons(IP_DF);
	th = (struct tcphdr *)(ip + 1);
	memset(th, 0, sizeof(*th));
	th->th_sport = inp->inp_lport;
	th->th_dport = inp->inp_fport;
	/* A FIN sent again goes at its old place. */
	if ((flags & TH_FIN) != 0 && (tp->t_flags & TF_SENTFIN) != 0 &&
	    tp->snd_nxt == tp->snd_max)
		tp->snd_nxt--;
	/* Pure ACKs and probes out of the window carry snd_max. */
	if (len > 0 || (flags & (TH_SYN | TH_FIN)) != 0 ||
	    tp->t_timer[TCPT_PERSIST] != 0)
		th->th_seq = htonl(tp->snd_nxt);
	else
		th->th_seq = htonl(tp->snd_max);
	th->th_ack = htonl(tp->rcv_nxt);
	th->th_x2off = (uint8_t)(((sizeof(*th) + (size_t)optlen) >> 2) << 4);
	memcpy(th + 1, opt, (size_t)optlen);
	if ((flags & TH_ACK) == 0 && tp->t_state == TCPS_SYN_SENT)
		th->th_ack = 0;
	th->th_flags = (uint8_t)flags;
	win = tcp_rcvwin(tp);
	if ((flags & TH_SYN) != 0)
		th->th_win = htons((uint16_t)(win > TCP_MAXWIN ? TCP_MAXWIN :
		    win));
	else
		th->th_win = htons((uint16_t)((win >> tp->rcv_scale) >
		    TCP_MAXWIN ? TCP_MAXWIN : win >> tp->rcv_scale));
	th->th_sum = htons(in_cksum_mbuf(m, sizeof(*ip),
	    m->m_pkthdr.len - (int)sizeof(*ip), in_pseudo_sum(ip->ip_src,
	    ip->ip_dst, IPPROTO_TCP, m->m_pkthdr.len - (int)sizeof(*ip))));

	/* What was sent moves the sequence space on. */
	{
		tcp_seq start = tp->snd_nxt;

		if ((flags & TH_SYN) != 0)
			tp->snd_nxt++;
		if ((flags & TH_FIN) != 0) {
			tp->snd_nxt++;
			tp->t_flags |= TF_SENTFIN;
		}
		tp->snd_nxt += (tcp_seq)len;
		if (SEQ_GT(tp->snd_nxt, tp->snd_max)) {
			tp->snd_max = tp->snd_nxt;
			/* Time this one (when timestamps do not). */
			if (!tp->t_rttiming &&
			    (tp->t_flags & TF_RCVD_TSTMP) == 0) {
				tp->t_rttiming = true;
				tp->t_rtseq = start;
				tp->t_rtstart = tcp_now64();
			}
		}
		if (tp->t_timer[TCPT_REXMT] == 0 &&
		    tp->snd_nxt != tp->snd_una) {
			if (tp->t_timer[TCPT_PERSIST] != 0) {
				tcp_timer_cancel(tp, TCPT_PERSIST);
				tp->t_rxtshift = 0;
			}
			tcp_timer_arm(tp, TCPT_REXMT, tcp_rexmt_ticks(tp));
		}
		/*
		 * Nothing in flight, data waiting, no timer: the window is
		 * shut (an ACK or a timeout brought snd_nxt back to
		 * snd_una).  Probe it, or a lost window update stalls the
		 * connection for good.
		 */
		if (tp->t_timer[TCPT_REXMT] == 0 &&
		    tp->t_timer[TCPT_PERSIST] == 0 &&
		    so->so_snd.sb_cc > (u_int)(tp->snd_nxt - tp->snd_una)) {
			tp->t_rxtshift = 0;
			tcp_setpersist(tp);
		}
	}

	if (win > 0 && SEQ_GT(tp->rcv_nxt + (tcp_seq)win, tp->rcv_adv))
		tp->rcv_adv = tp->rcv_nxt + (tcp_seq)win;
	tp->last_ack_sent = tp->rcv_nxt;
	tp->t_flags &= ~(TF_ACKNOW | TF_DELACK);
	tcp_timer_cancel(tp, TCPT_DELACK);
	tcpstat.tcps_sndtotal++;
	if ((flags & TH_RST) != 0)
		tcpstat.tcps_sndrst++;

	error = ip_output(m, 0, &inp->inp_route);
	if (error != 0) {
		/* Transient trouble below: the timer will resend. */
		if (error == ENOBUFS && tp->t_timer[TCPT_REXMT] == 0 &&
		    tp->t_timer[TCPT_PERSIST] == 0)
			tcp_timer_arm(tp, TCPT_REXMT, tcp_rexmt_ticks(tp));
		if (error == EHOSTUNREACH || error == ENETUNREACH ||
		    error == EHOSTDOWN) {
			tp->t_softerror = error;
			return 0;
		}
		return error;
	}
	if (sendalot)
		goto again;
	return 0;
}
