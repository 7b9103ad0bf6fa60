/*
 * TCP timers (kernel).  Each connection has five countdowns in ticks
 * (retransmission, persist, keepalive, 2MSL, delayed ACK); one callout
 * counts them all down every tick while any is armed, and runs what
 * expires, under softnet_lock.  A connection closed by one of its
 * timers is simply gone from the list.
 */

#include <sys/types.h>
#include <sys/callout.h>
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
#include <netinet/tcp.h>
#include <netinet/tcp_var.h>

extern LIST_HEAD(tcbhead, tcpcb) tcb_list;

static callout_t tcp_timer_ch;
static bool tcp_timer_on;

static void tcp_timer_tick(void *);

void
tcp_timer_init(void)
{

	callout_init(&tcp_timer_ch, CALLOUT_MPSAFE);
}

void
tcp_timer_fini(void)
{

	mutex_enter(&softnet_lock);
	tcp_timer_on = false;
	callout_halt(&tcp_timer_ch, &softnet_lock);
	mutex_exit(&softnet_lock);
	callout_destroy(&tcp_timer_ch);
}

void
tcp_timer_arm(struct tcpcb *tp, int timer, int ticks)
{

	KASSERT(mutex_owned(&softnet_lock));
	tp->t_timer[timer] = ticks > 0 ? ticks : 1;
	if (!tcp_timer_on) {
		tcp_timer_on = true;
		callout_reset(&tcp_timer_ch, 1, tcp_timer_tick, NULL);
	}
}

void
tcp_timer_cancel(struct tcpcb *tp, int timer)
{

	tp->t_timer[timer] = 0;
}

void
tcp_timers_cancel(struct tcpcb *tp)
{
	int i;

	for (i = 0; i < TCPT_NTIMERS; i++)
		tp->t_timer[i] = 0;
}

int
tcp_rexmt_ticks(struct tcpcb *tp)
{
	int64_t ms = (int64_t)tp->t_rto << tp->t_rxtshift;

	if (ms > TCP_RTO_MAX)
		ms = TCP_RTO_MAX;
	return tcp_msstoticks((int)ms);
}

/* RFC 6298 section 2. */
void
tcp_xmit_timer(struct tcpcb *tp, int rtt)
{
	int delta, granularity = 1000 / hz;

	if (rtt < 0)
		return;
	if (tp->t_srtt == 0) {
		tp->t_srtt = rtt > 0 ? rtt : 1;
		tp->t_rttvar = rtt / 2;
	} else {
		delta = tp->t_srtt - rtt;
		if (delta < 0)
			delta = -delta;
		tp->t_rttvar = (3 * tp->t_rttvar + delta) / 4;
		tp->t_srtt = (7 * tp->t_srtt + rtt) / 8;
		if (tp->t_srtt == 0)
			tp->t_srtt = 1;
	}
	tp->t_rto = tp->t_srtt + (4 * tp->t_rttvar > granularity ?
	    4 * tp->t_rttvar : granularity);
	if (tp->t_rto < TCP_RTO_MIN)
		tp->t_rto = TCP_RTO_MIN;
	if (tp->t_rto > TCP_RTO_MAX)
		tp->t_rto = TCP_RTO_MAX;
	tp->t_rxtshift = 0;
	tp->t_softerror = 0;
}

/* Retransmission timeout: back off, shrink the window, send again. */
static bool
tcp_timer_rexmt(struct tcpcb *tp)
{
	u_long flight;
	int limit;

	limit = tp->t_state < TCPS_ESTABLISHED ? TCP_SYNRETRIES :
	    TCP_MAXRXTSHIFT;
	if (++tp->t_rxtshift > limit) {
		tcpstat.tcps_timeoutdrop++;
		tcp_drop(tp, ETIMEDOUT);
		return true;
	}
	tcpstat.tcps_rexmttimeo++;
	/* RFC 5681 (4): half the flight, at least two segments; then one. */
	flight = tp->snd_max - tp->snd_una;
	tp->snd_ssthresh = flight / 2 > 2 * tp->t_maxseg ? flight / 2 :
	    2 * tp->t_maxseg;
	tp->snd_cwnd = tp->t_maxseg;
	tp->t_dupacks = 0;
	tp->t_inrecovery = false;
	tp->snd_recover = tp->snd_max;
	tp->snd_nxt = tp->snd_una;
	tp->t_rttiming = false;		/* Karn: no sample from this */
	if (tp->t_rxtshift > 3)
		tp->t_srtt = 0;		/* RFC 6298 5.7: measure anew */
	tp->t_flags |= TF_ACKNOW;
	(void)tcp_output(tp);
	return false;
}

static bool
tcp_timer_persist(struct tcpcb *tp)
{

	tp->t_force = true;
	(void)tcp_output(tp);
	tp->t_force = false;
	if (tp->t_rxtshift < TCP_MAXRXTSHIFT)
		tp->t_rxtshift++;
	tcp_setpersist(tp);
	return false;
}

static bool
tcp_timer_keep(struct tcpcb *tp)
{
	struct socket *so = tp->t_inpcb->inp_socket;
	int64_t idle;

	if (tp->t_state < TCPS_ESTABLISHED) {
		/* The connection could not be set up in time. */
		tcpstat.tcps_timeoutdrop++;
		tcp_drop(tp, ETIMEDOUT);
		return true;
	}
	if ((so->so_options & SO_KEEPALIVE) == 0 ||
	    tp->t_state > TCPS_CLOSE_WAIT) {
		tp->t_keepsent = 0;
		return false;
	}
	idle = tcp_now64() - tp->t_rcvtime;
	if (idle < (int64_t)tp->t_keepidle * 1000 && tp->t_keepsent == 0) {
		tcp_timer_arm(tp, TCPT_KEEP, tcp_msstoticks((int)
		    ((int64_t)tp->t_keepidle * 1000 - idle)));
		return false;
	}
	if (tp->t_keepsent >= tp->t_keepcnt) {
		tcpstat.tcps_keepdrops++;
		tcp_drop(tp, ETIMEDOUT);
		return true;
	}
	/* A probe: an old sequence number, which the peer must ACK. */
	tcp_respond(tp, NULL, NULL, NULL, tp->rcv_nxt, tp->snd_una - 1, TH_ACK);
	tp->t_keepsent++;
	tcp_timer_arm(tp, TCPT_KEEP, tp->t_keepintvl * hz);
	return false;
}

static void
tcp_timer_tick(void *arg)
{
	struct tcpcb *tp, *next;
	bool armed = false, closed;
	int i;

	mutex_enter(&softnet_lock);
	if (!tcp_timer_on) {
		mutex_exit(&softnet_lock);
		return;
	}
	LIST_FOREACH_SAFE(tp, &tcb_list, t_list, next) {
		closed = false;
		for (i = 0; i < TCPT_NTIMERS && !closed; i++) {
			if (tp->t_timer[i] == 0 || --tp->t_timer[i] > 0)
				continue;
			switch (i) {
			case TCPT_REXMT:
				closed = tcp_timer_rexmt(tp);
				break;
			case TCPT_PERSIST:
				closed = tcp_timer_persist(tp);
				break;
			case TCPT_KEEP:
				closed = tcp_timer_keep(tp);
				break;
			case TCPT_2MSL:
				tcp_close(tp);
				closed = true;
				break;
			case TCPT_DELACK:
				tp->t_flags |= TF_ACKNOW;
				(void)tcp_output(tp);
				break;
			}
		}
		/* tcp_output() may have closed or dropped nothing else. */
	}
	LIST_FOREACH(tp, &tcb_list, t_list) {
		for (i = 0; i < TCPT_NTIMERS; i++)
			armed |= tp->t_timer[i] != 0;
		if (armed)
			break;
	}
	if (armed)
		callout_schedule(&tcp_timer_ch, 1);
	else
		tcp_timer_on = false;
	mutex_exit(&softnet_lock);
}
