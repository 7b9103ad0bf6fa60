/*
 * TCP sockets (kernel): the socket layer's requests (connect, listen,
 * send, close, ...) as TCP actions, the user's side of closing (RFC 9293
 * 3.10.4), and the TCP-level options.
 */

#include <sys/types.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/protosw.h>
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

#define TCP_SENDSPACE	(1024 * 1024)
#define TCP_RECVSPACE	(1024 * 1024)

static int
tcp_attach(struct socket *so, int proto)
{
	int error;

	if ((error = in_pcballoc(so, &tcbtable)) != 0)
		return error;
	(void)sbreserve(&so->so_snd, TCP_SENDSPACE);
	(void)sbreserve(&so->so_rcv, TCP_RECVSPACE);
	(void)tcp_newtcpcb(sotoinpcb(so));
	return 0;
}

/*
 * The user will send no more: a FIN after the data (RFC 9293 3.10.4).
 * Returns NULL if that ended the connection (tp is gone).
 */
static struct tcpcb *
tcp_usrclosed1(struct tcpcb *tp)
{
	struct socket *so = tp->t_inpcb->inp_socket;

	switch (tp->t_state) {
	case TCPS_CLOSED:
	case TCPS_LISTEN:
	case TCPS_SYN_SENT:
		tcp_close(tp);
		return NULL;
	case TCPS_SYN_RECEIVED:
	case TCPS_ESTABLISHED:
		tp->t_state = TCPS_FIN_WAIT_1;
		break;
	case TCPS_CLOSE_WAIT:
		tp->t_state = TCPS_LAST_ACK;
		break;
	}
	if (tp->t_state >= TCPS_FIN_WAIT_2) {
		soisdisconnected(so);
		/* Do not wait for the peer's FIN for ever. */
		if (tp->t_state == TCPS_FIN_WAIT_2)
			tcp_timer_arm(tp, TCPT_2MSL, TCP_FINWAIT2_TIMEO * hz);
	}
	return tp;
}

void
tcp_usrclosed(struct tcpcb *tp)
{

	(void)tcp_usrclosed1(tp);
}

/*
 * Close the connection: abortively with SO_LINGER and no time, or when
 * data arrived that nobody will read (RFC 2525 2.17); else with a FIN.
 */
static int
tcp_disconnect1(struct tcpcb *tp)
{
	struct socket *so = tp->t_inpcb->inp_socket;

	if (tp->t_state < TCPS_ESTABLISHED) {
		tcp_close(tp);
		return 0;
	}
	if (((so->so_options & SO_LINGER) != 0 && so->so_linger == 0) ||
	    so->so_rcv.sb_cc > 0) {
		tcp_drop(tp, ECONNRESET);
		return 0;
	}
	soisdisconnecting(so);
	sbflush(&so->so_rcv);
	if ((tp = tcp_usrclosed1(tp)) != NULL)
		(void)tcp_output(tp);
	return 0;
}

static void
tcp_detach(struct socket *so)
{
	struct tcpcb *tp = sototcpcb(so);

	if (tp == NULL) {
		in_pcbdetach(sotoinpcb(so));
		return;
	}
	/* Not yet closing: close now.  Else it finishes on its own. */
	if ((so->so_state & SS_ISDISCONNECTING) == 0 &&
	    tp->t_state != TCPS_TIME_WAIT && tp->t_state < TCPS_FIN_WAIT_1)
		(void)tcp_disconnect1(tp);
}

static int
tcp_bind(struct socket *so, struct sockaddr *nam, struct lwp *l)
{

	return in_pcbbind(sotoinpcb(so), (struct sockaddr_in *)nam, l);
}

static int
tcp_listen(struct socket *so, struct lwp *l)
{
	struct inpcb *inp = sotoinpcb(so);
	struct tcpcb *tp = intotcpcb(inp);
	int error;

	if (tp->t_state != TCPS_CLOSED && tp->t_state != TCPS_LISTEN)
		return EINVAL;
	if (inp->inp_lport == 0 && (error = in_pcbbind(inp, NULL, l)) != 0)
		return error;
	tp->t_state = TCPS_LISTEN;
	return 0;
}

static int
tcp_connect(struct socket *so, struct sockaddr *nam, struct lwp *l)
{
	struct inpcb *inp = sotoinpcb(so);
	struct tcpcb *tp = intotcpcb(inp);
	int error;

	if (tp->t_state != TCPS_CLOSED)
		return tp->t_state == TCPS_LISTEN ? EOPNOTSUPP : EISCONN;
	if ((error = in_pcbconnect(inp, (struct sockaddr_in *)nam, l)) != 0)
		return error;
	tp->request_r_scale = 0;
	while (tp->request_r_scale < TCP_MAX_WINSHIFT &&
	    (TCP_MAXWIN << tp->request_r_scale) < SB_MAX)
		tp->request_r_scale++;
	tp->iss = tcp_new_isn(tp);
	tp->snd_una = tp->snd_nxt = tp->snd_max = tp->snd_recover = tp->iss;
	tp->t_state = TCPS_SYN_SENT;
	soisconnecting(so);
	tcpstat.tcps_connattempt++;
	tcp_timer_arm(tp, TCPT_KEEP, TCP_CONNTIMEO * hz);
	return tcp_output(tp);
}

static int
tcp_pru_disconnect(struct socket *so)
{
	struct tcpcb *tp = sototcpcb(so);

	if (tp == NULL)
		return ENOTCONN;
	return tcp_disconnect1(tp);
}

static int
tcp_shutdown(struct socket *so)
{
	struct tcpcb *tp = sototcpcb(so);

	socantsendmore(so);
	if (tp == NULL)
		return 0;
	if ((tp = tcp_usrclosed1(tp)) != NULL)
		(void)tcp_output(tp);
	return 0;
}

static void
tcp_abort(struct socket *so)
{
	struct tcpcb *tp = sototcpcb(so);

	if (tp != NULL)
		tcp_drop(tp, ECONNABORTED);
	else
		in_pcbdetach(sotoinpcb(so));
}

static int
tcp_send(struct socket *so, struct mbuf *m, struct sockaddr *nam,
    struct mbuf *control, struct lwp *l)
{
	struct tcpcb *tp;

	m_freem(control);
	if (so->so_pcb == NULL || (tp = sototcpcb(so)) == NULL) {
		m_freem(m);
		return so->so_error != 0 ? so->so_error : ECONNRESET;
	}
	if (nam != NULL && tp->t_state < TCPS_SYN_SENT) {
		m_freem(m);
		return ENOTCONN;
	}
	sbappendstream(&so->so_snd, m);
	return tcp_output(tp);
}

static void
tcp_rcvd(struct socket *so)
{
	struct tcpcb *tp;

	if (so->so_pcb != NULL && (tp = sototcpcb(so)) != NULL)
		(void)tcp_output(tp);
}

static int
tcp_sockaddr(struct socket *so, struct sockaddr *sa)
{

	in_setsockaddr(sotoinpcb(so), sa);
	return 0;
}

static int
tcp_peeraddr(struct socket *so, struct sockaddr *sa)
{

	in_setpeeraddr(sotoinpcb(so), sa);
	return 0;
}

const struct pr_usrreqs tcp_usrreqs = {
	.pru_attach = tcp_attach,
	.pru_detach = tcp_detach,
	.pru_bind = tcp_bind,
	.pru_listen = tcp_listen,
	.pru_connect = tcp_connect,
	.pru_disconnect = tcp_pru_disconnect,
	.pru_shutdown = tcp_shutdown,
	.pru_abort = tcp_abort,
	.pru_send = tcp_send,
	.pru_rcvd = tcp_rcvd,
	.pru_sockaddr = tcp_sockaddr,
	.pru_peeraddr = tcp_peeraddr,
};

int
tcp_ctloutput(int op, struct socket *so, struct sockopt *sopt)
{
	struct tcpcb *tp;
	int v, error;

	if (so->so_pcb == NULL || (tp = sototcpcb(so)) == NULL)
		return ECONNRESET;
	if (sopt->sopt_level == SOL_SOCKET) {
		/* Told after a socket option changed: keepalive. */
		if (op == PRCO_SETOPT && sopt->sopt_name == SO_KEEPALIVE &&
		    (so->so_options & SO_KEEPALIVE) != 0 &&
		    TCPS_HAVEESTABLISHED(tp->t_state) &&
		    tp->t_state <= TCPS_CLOSE_WAIT)
			tcp_timer_arm(tp, TCPT_KEEP, tp->t_keepidle * hz);
		return 0;
	}
	if (sopt->sopt_level != IPPROTO_TCP)
		return in_ctloutput(op, so, sopt);
	if (op == PRCO_GETOPT) {
		switch (sopt->sopt_name) {
		case TCP_NODELAY:
			return sockopt_setint(sopt,
			    (tp->t_flags & TF_NODELAY) != 0);
		case TCP_MAXSEG:
			return sockopt_setint(sopt, (int)tp->t_maxseg);
		case TCP_KEEPIDLE:
			return sockopt_setint(sopt, tp->t_keepidle);
		case TCP_KEEPINTVL:
			return sockopt_setint(sopt, tp->t_keepintvl);
		case TCP_KEEPCNT:
			return sockopt_setint(sopt, tp->t_keepcnt);
		default:
			return ENOPROTOOPT;
		}
	}
	if ((error = sockopt_getint(sopt, &v)) != 0)
		return error;
	switch (sopt->sopt_name) {
	case TCP_NODELAY:
		if (v != 0) {
			tp->t_flags |= TF_NODELAY;
			(void)tcp_output(tp);	/* what Nagle held back */
		} else
			tp->t_flags &= ~TF_NODELAY;
		return 0;
	case TCP_MAXSEG:
		if (v < 64 || v > 65535)
			return EINVAL;
		if ((u_int)v < tp->t_maxseg)
			tp->t_maxseg = (u_int)v;
		return 0;
	case TCP_KEEPIDLE:
	case TCP_KEEPINTVL:
	case TCP_KEEPCNT:
		if (v < 1 || v > 32767)
			return EINVAL;
		if (sopt->sopt_name == TCP_KEEPIDLE) {
			tp->t_keepidle = v;
			if ((so->so_options & SO_KEEPALIVE) != 0 &&
			    TCPS_HAVEESTABLISHED(tp->t_state) &&
			    tp->t_state <= TCPS_CLOSE_WAIT)
				tcp_timer_arm(tp, TCPT_KEEP, v * hz);
		} else if (sopt->sopt_name == TCP_KEEPINTVL)
			tp->t_keepintvl = v;
		else
			tp->t_keepcnt = v;
		return 0;
	default:
		return ENOPROTOOPT;
	}
}
