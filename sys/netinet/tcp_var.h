/*
 * TCP inside the kernel (sys/netinet/tcp_*.c): the connection block,
 * its states and timers, and the functions the TCP files share.  All of
 * it runs under softnet_lock.
 *
 * Timers count ticks (hz per second) down from a value; one callout,
 * running while any timer is armed, counts them all (tcp_timer.c).
 */
#ifndef _NETINET_TCP_VAR_H_
#define _NETINET_TCP_VAR_H_

#include <sys/types.h>
#include <sys/queue.h>

#include <netinet/tcp.h>

struct inpcb;
struct mbuf;
struct socket;
struct ip;

/* States (RFC 9293 3.3.2). */
#define TCPS_CLOSED		0
#define TCPS_LISTEN		1
#define TCPS_SYN_SENT		2
#define TCPS_SYN_RECEIVED	3
#define TCPS_ESTABLISHED	4
#define TCPS_CLOSE_WAIT		5
#define TCPS_FIN_WAIT_1		6
#define TCPS_CLOSING		7
#define TCPS_LAST_ACK		8
#define TCPS_FIN_WAIT_2		9
#define TCPS_TIME_WAIT		10
#define TCP_NSTATES		11

#define TCPS_HAVERCVDSYN(s)	((s) >= TCPS_SYN_RECEIVED)
#define TCPS_HAVEESTABLISHED(s)	((s) >= TCPS_ESTABLISHED)
#define TCPS_HAVERCVDFIN(s)	((s) == TCPS_CLOSE_WAIT || \
	(s) == TCPS_CLOSING || (s) == TCPS_LAST_ACK || (s) == TCPS_TIME_WAIT)

/* Sequence space arithmetic (modulo 2^32). */
#define SEQ_LT(a, b)	((int32_t)((a) - (b)) < 0)
#define SEQ_LEQ(a, b)	((int32_t)((a) - (b)) <= 0)
#define SEQ_GT(a, b)	((int32_t)((a) - (b)) > 0)
#define SEQ_GEQ(a, b)	((int32_t)((a) - (b)) >= 0)
#define SEQ_MIN(a, b)	(SEQ_LT(a, b) ? (a) : (b))
#define SEQ_MAX(a, b)	(SEQ_GT(a, b) ? (a) : (b))

/* Timers. */
#define TCPT_REXMT	0		/* retransmission */
#define TCPT_PERSIST	1		/* zero-window probes */
#define TCPT_KEEP	2		/* keepalive, or connection setup */
#define TCPT_2MSL	3		/* TIME_WAIT, FIN_WAIT_2 idle */
#define TCPT_DELACK	4		/* delayed ACK */
#define TCPT_NTIMERS	5

/* An out-of-order segment waiting (tcp_input.c). */
struct tcpqent {
	TAILQ_ENTRY(tcpqent) tq_list;
	tcp_seq		tq_seq;
	int		tq_len;
	bool		tq_fin;
	struct mbuf	*tq_m;		/* the data, tq_len bytes */
};

struct tcpcb {
	LIST_ENTRY(tcpcb) t_list;	/* every connection */
	struct inpcb	*t_inpcb;
	int		t_state;
	u_int		t_flags;	/* TF_* */
	int		t_timer[TCPT_NTIMERS];	/* ticks left; 0: off */

	/* Send sequence space (RFC 9293 3.3.1). */
	tcp_seq		snd_una;	/* oldest unacknowledged */
	tcp_seq		snd_nxt;	/* next to send */
	tcp_seq		snd_max;	/* highest sent */
	tcp_seq		snd_wl1;	/* seq of the last window update */
	tcp_seq		snd_wl2;	/* ack of the last window update */
	tcp_seq		iss;
	u_long		snd_wnd;	/* the peer's window */
	u_long		max_sndwnd;	/* the largest it has offered */

	/* Receive sequence space. */
	tcp_seq		rcv_nxt;
	tcp_seq		rcv_adv;	/* right edge advertised */
	tcp_seq		irs;
	tcp_seq		last_ack_sent;

	/* Congestion control (RFC 5681, NewReno RFC 6582). */
	u_long		snd_cwnd;
	u_long		snd_ssthresh;
	tcp_seq		snd_recover;	/* snd_max when recovery began */
	int		t_dupacks;
	bool		t_inrecovery;

	/* Segment size: the data a segment may carry (no options). */
	u_int		t_maxseg;
	u_int		t_ourmss;	/* what we announced */

	/* Window scaling and timestamps (RFC 7323). */
	uint8_t		snd_scale;
	uint8_t		rcv_scale;
	uint8_t		request_r_scale;
	uint32_t	ts_recent;	/* the peer's latest TSval */
	int64_t		ts_recent_age;	/* when it came, ms */
	uint32_t	ts_offset;	/* added to our clock */

	/* Round trip times (RFC 6298), milliseconds. */
	int		t_srtt;		/* 0: none measured yet */
	int		t_rttvar;
	int		t_rto;		/* ms */
	int		t_rxtshift;	/* retransmissions in a row */
	bool		t_rttiming;	/* timing t_rtseq (no timestamps) */
	tcp_seq		t_rtseq;
	int64_t		t_rtstart;	/* ms */

	/* Keepalive. */
	int		t_keepidle;	/* seconds */
	int		t_keepintvl;
	int		t_keepcnt;
	int		t_keepsent;	/* probes unanswered */
	int64_t		t_rcvtime;	/* ms of the last segment in */

	bool		t_force;	/* a window probe */
	int		t_softerror;	/* an ICMP error while retrying */

	TAILQ_HEAD(tcpsegq, tcpqent) t_segq;	/* out of order, by seq */
	int		t_segqlen;
};

/* t_flags */
#define TF_ACKNOW	0x0001		/* ACK at once */
#define TF_DELACK	0x0002		/* an ACK is owed (timer runs) */
#define TF_NODELAY	0x0004		/* no Nagle */
#define TF_SENTFIN	0x0008		/* our FIN went out */
#define TF_REQ_SCALE	0x0010		/* we offer window scaling */
#define TF_RCVD_SCALE	0x0020		/* the peer did too */
#define TF_REQ_TSTMP	0x0040		/* we offer timestamps */
#define TF_RCVD_TSTMP	0x0080		/* the peer did too */
#define TF_PASSIVE	0x0100		/* from a listener */

#define intotcpcb(inp)	((struct tcpcb *)(inp)->inp_ppcb)
#define sototcpcb(so)	(intotcpcb(sotoinpcb(so)))

/* Tunables (tcp_subr.c). */
#define TCP_RTO_MIN	200		/* ms (Linux's; RFC 6298 says 1 s) */
#define TCP_RTO_MAX	60000
#define TCP_RTO_INIT	1000
#define TCP_MAXRXTSHIFT	12		/* retransmissions before giving up */
#define TCP_SYNRETRIES	6
#define TCP_MSL		30		/* seconds: 2MSL is a minute */
#define TCP_DELACK_MS	40
#define TCP_KEEPIDLE_DEF (2 * 60 * 60)
#define TCP_KEEPINTVL_DEF 75
#define TCP_KEEPCNT_DEF	9
#define TCP_CONNTIMEO	75		/* seconds to set up a connection */
#define TCP_FINWAIT2_TIMEO 60
#define TCP_SEGQ_MAX	1024		/* out-of-order segments held */

struct tcpstat {
	uint64_t	tcps_connattempt;
	uint64_t	tcps_accepts;
	uint64_t	tcps_connects;
	uint64_t	tcps_drops;
	uint64_t	tcps_conndrops;
	uint64_t	tcps_timeoutdrop;
	uint64_t	tcps_keepdrops;
	uint64_t	tcps_rexmttimeo;
	uint64_t	tcps_sndtotal;
	uint64_t	tcps_sndrexmitpack;
	uint64_t	tcps_fastrexmit;
	uint64_t	tcps_rcvtotal;
	uint64_t	tcps_rcvbadsum;
	uint64_t	tcps_rcvbadoff;
	uint64_t	tcps_rcvshort;
	uint64_t	tcps_rcvduppack;
	uint64_t	tcps_rcvoopack;
	uint64_t	tcps_rcvafterwin;
	uint64_t	tcps_rcvdupack;
	uint64_t	tcps_pawsdrop;
	uint64_t	tcps_challengeack;
	uint64_t	tcps_listendrop;	/* SYNs dropped: backlog */
	uint64_t	tcps_synevicted;	/* half-open made room */
	uint64_t	tcps_sndrst;
};
extern struct tcpstat tcpstat;
extern struct inpcbtable tcbtable;
extern const struct pr_usrreqs tcp_usrreqs;

/* tcp_subr.c */
void	tcp_init(void);
void	tcp_fini(void);
struct tcpcb *tcp_newtcpcb(struct inpcb *);
/* Free tp, its pcb and (if the file is gone) its socket. */
void	tcp_close(struct tcpcb *);
/* Abort the connection with error (a RST if synchronized). */
void	tcp_drop(struct tcpcb *, int error);
tcp_seq	tcp_new_isn(struct tcpcb *);
void	tcp_respond(struct tcpcb *, const struct ip *, const struct tcphdr *,
	    struct mbuf *, tcp_seq ack, tcp_seq seq, int flags);
uint32_t tcp_now(void);			/* ms clock for timestamps */
int64_t	tcp_now64(void);
void	tcp_ctlinput(int, int, const struct ip *, int);
u_int	tcp_mssopt(struct tcpcb *);
void	tcp_mss_update(struct tcpcb *, u_int peermss);
int	tcp_msstoticks(int ms);

/* tcp_output.c */
int	tcp_output(struct tcpcb *);
void	tcp_setpersist(struct tcpcb *);

/* tcp_input.c */
void	tcp_input(struct mbuf *, int hlen);

/* tcp_timer.c */
void	tcp_timer_arm(struct tcpcb *, int timer, int ticks);
void	tcp_timer_cancel(struct tcpcb *, int timer);
void	tcp_timers_cancel(struct tcpcb *);
void	tcp_timer_init(void);
void	tcp_timer_fini(void);
/* The retransmission timeout in ticks, with backoff. */
int	tcp_rexmt_ticks(struct tcpcb *);
/* Take an RTT sample (ms) into srtt/rttvar/rto. */
void	tcp_xmit_timer(struct tcpcb *, int rtt);

/* tcp_usrreq.c */
int	tcp_ctloutput(int, struct socket *, struct sockopt *);
void	tcp_usrclosed(struct tcpcb *);

#endif /* !_NETINET_TCP_VAR_H_ */
