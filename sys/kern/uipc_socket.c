/*
 * Sockets (kernel): creation and teardown, the listen queues, sending
 * and receiving through the socket buffers, the socket-level options,
 * and poll.  The protocol does the rest through its pr_usrreqs.  See
 * <sys/socketvar.h> for the locking.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mbuf.h>
#include <sys/poll.h>
#include <sys/protosw.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/uio.h>

#include <lib/libkern/libkern.h>

#define SO_DEFBUF	(256 * 1024)	/* default buffer sizes */
#define SO_MINBUF	2048

static u_int so_nsockets;		/* for the shutdown check */

static void soqremque(struct socket *);


int
socreate(int family, struct socket **sop, int type, int proto,
    struct lwp *l)
{
	const struct protosw *pr;
	struct socket *so;
	int error;

	if ((error = pffindproto(family, type, proto, &pr)) != 0)
		return error;
	if (pr->pr_type == SOCK_RAW && !kauth_cred_issuser(l->l_cred))
		return EACCES;
	so = kmem_zalloc(sizeof(*so), KM_SLEEP);
	so->so_lock = domain_solock(family);
	so->so_type = (short)type;
	so->so_proto = pr;
	so->so_family = family;
	so->so_cred = l->l_cred;
	kauth_cred_hold(so->so_cred);
	TAILQ_INIT(&so->so_q0);
	TAILQ_INIT(&so->so_q);
	sbinit(&so->so_rcv, SO_DEFBUF);
	sbinit(&so->so_snd, SO_DEFBUF);
	cv_init(&so->so_cv, "socket");
	atomic_inc_uint(&so_nsockets);

	solock(so);
	if ((error = (*pr->pr_usrreqs->pru_attach)(so, proto)) != 0) {
		so->so_pcb = NULL;
		so->so_state |= SS_NOFDREF;
		sofree(so);
		mutex_exit(domain_solock(family));
		return error;
	}
	sounlock(so);
	*sop = so;
	return 0;
}

/*
 * Free so if neither the protocol nor a file holds it.  The lock (the
 * domain's) stays held.  A connection on a listener's q0 goes with it;
 * one on q stays for accept() to hand out (its reads then fail).
 */
void
sofree(struct socket *so)
{

	KASSERT(solocked(so));
	if (so->so_pcb != NULL || (so->so_state & SS_NOFDREF) == 0)
		return;
	if (so->so_head != NULL) {
		if (!so->so_onq0)
			return;
		soqremque(so);
	}
	KASSERT(TAILQ_EMPTY(&so->so_q0) && TAILQ_EMPTY(&so->so_q));
	sbdestroy(&so->so_rcv);
	sbdestroy(&so->so_snd);
	cv_destroy(&so->so_cv);
	kauth_cred_free(so->so_cred);
	kmem_free(so, sizeof(*so));
	atomic_dec_uint(&so_nsockets);
}

u_int
socket_count(void)
{

	return atomic_load_relaxed(&so_nsockets);
}

/* Take so off its listener's queue (both locked: one lock). */
static void
soqremque(struct socket *so)
{
	struct socket *head = so->so_head;

	if (so->so_onq0) {
		TAILQ_REMOVE(&head->so_q0, so, so_qe);
		head->so_q0len--;
	} else {
		TAILQ_REMOVE(&head->so_q, so, so_qe);
		head->so_qlen--;
	}
	so->so_head = NULL;
}

void
soabort(struct socket *so)
{

	KASSERT(solocked(so));
	(*so->so_proto->pr_usrreqs->pru_abort)(so);
}

int
soclose(struct socket *so)
{
	kmutex_t *lock = so->so_lock;
	struct socket *so2;
	int64_t deadline;
	int error = 0;

	mutex_enter(lock);
	/* Connections nobody accepted are dropped. */
	while ((so2 = TAILQ_FIRST(&so->so_q0)) != NULL ||
	    (so2 = TAILQ_FIRST(&so->so_q)) != NULL) {
		soqremque(so2);
		if (so2->so_pcb != NULL)
			soabort(so2);	/* ends in sofree() */
		else
			sofree(so2);
	}
	if ((so->so_state & SS_ISCONNECTED) != 0 &&
	    (so->so_state & SS_ISDISCONNECTING) == 0 && so->so_pcb != NULL) {
		error = (*so->so_proto->pr_usrreqs->pru_disconnect)(so);
		/* SO_LINGER: wait for the data to go, up to so_linger s. */
		if (error == 0 && (so->so_options & SO_LINGER) != 0 &&
		    so->so_linger > 0) {
			deadline = getnsuptime() +
			    (int64_t)so->so_linger * 1000000000;
			while ((so->so_state & SS_ISCONNECTED) != 0 &&
			    getnsuptime() < deadline) {
				if (cv_timedwait_ns(&so->so_cv, lock,
				    deadline - getnsuptime()) != 0)
					break;
			}
		}
	}
	so->so_state |= SS_NOFDREF;
	/* The protocol frees the socket when its control block goes. */
	if (so->so_pcb != NULL)
		(*so->so_proto->pr_usrreqs->pru_detach)(so);
	else
		sofree(so);
	mutex_exit(lock);
	return error;
}

int
sobind(struct socket *so, struct sockaddr *nam, struct lwp *l)
{
	int error;

	solock(so);
	error = (*so->so_proto->pr_usrreqs->pru_bind)(so, nam, l);
	sounlock(so);
	return error;
}

int
solisten(struct socket *so, int backlog, struct lwp *l)
{
	int error;

	if ((so->so_proto->pr_flags & PR_LISTEN) == 0)
		return EOPNOTSUPP;
	solock(so);
	if ((so->so_state & (SS_ISCONNECTED | SS_ISCONNECTING |
	    SS_ISDISCONNECTING)) != 0) {
		sounlock(so);
		return EINVAL;
	}
	if ((error = (*so->so_proto->pr_usrreqs->pru_listen)(so, l)) != 0) {
		sounlock(so);
		return error;
	}
	if (backlog < 0 || backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	so->so_qlimit = backlog;
	so->so_options |= SO_ACCEPTCONN;
	sounlock(so);
	return 0;
}

/*
 * A new socket for a connection to listener head (locked), on q0 while
 * the handshake runs, or on q if already connected.  NULL if the
 * backlog is full (q0 may take somewhat more than the backlog: its
 * connections may never complete).
 */
struct socket *
sonewconn(struct socket *head, bool connected)
{
	struct socket *so;

	KASSERT(solocked(head));
	if (head->so_qlen >= (head->so_qlimit > 0 ? head->so_qlimit : 1))
		return NULL;
	if (!connected && head->so_q0len >= 3 * head->so_qlimit / 2 + 16)
		return NULL;
	so = kmem_zalloc(sizeof(*so), KM_SLEEP);
	so->so_lock = head->so_lock;
	so->so_type = head->so_type;
	so->so_options = head->so_options & ~SO_ACCEPTCONN;
	so->so_linger = head->so_linger;
	so->so_proto = head->so_proto;
	so->so_family = head->so_family;
	so->so_cred = head->so_cred;
	kauth_cred_hold(so->so_cred);
	TAILQ_INIT(&so->so_q0);
	TAILQ_INIT(&so->so_q);
	sbinit(&so->so_rcv, head->so_rcv.sb_hiwat);
	sbinit(&so->so_snd, head->so_snd.sb_hiwat);
	so->so_rcv.sb_timeo = head->so_rcv.sb_timeo;
	so->so_snd.sb_timeo = head->so_snd.sb_timeo;
	cv_init(&so->so_cv, "socket");
	atomic_inc_uint(&so_nsockets);
	if ((*so->so_proto->pr_usrreqs->pru_attach)(so, 0) != 0) {
		so->so_state |= SS_NOFDREF;
		sbdestroy(&so->so_rcv);
		sbdestroy(&so->so_snd);
		cv_destroy(&so->so_cv);
		kauth_cred_free(so->so_cred);
		kmem_free(so, sizeof(*so));
		atomic_dec_uint(&so_nsockets);
		return NULL;
	}
	so->so_head = head;
	so->so_state |= SS_NOFDREF;	/* until accept() gives it a file */
	if (connected) {
		TAILQ_INSERT_TAIL(&head->so_q, so, so_qe);
		head->so_qlen++;
		so->so_state |= SS_ISCONNECTED;
		sorwakeup(head);
		cv_broadcast(&head->so_cv);
	} else {
		so->so_onq0 = true;
		TAILQ_INSERT_TAIL(&head->so_q0, so, so_qe);
		head->so_q0len++;
	}
	return so;
}

/* The oldest connection still on head's q0 (to make room), or NULL. */
struct socket *
so_q0_oldest(struct socket *head)
{

	return TAILQ_FIRST(&head->so_q0);
}

int
soaccept(struct socket *head, bool nonblock, struct socket **sop)
{
	struct socket *so;
	int64_t deadline;
	int error;

	solock(head);
	deadline = sbdeadline(&head->so_rcv);
	if ((head->so_options & SO_ACCEPTCONN) == 0) {
		sounlock(head);
		return EINVAL;
	}
	while (TAILQ_EMPTY(&head->so_q) && head->so_error == 0) {
		if ((head->so_state & SS_CANTRCVMORE) != 0) {
			sounlock(head);
			return EINVAL;		/* shut down */
		}
		if (nonblock) {
			sounlock(head);
			return EAGAIN;
		}
		if ((error = sbwait(head, &head->so_rcv, deadline)) != 0) {
			sounlock(head);
			return error == EWOULDBLOCK ? EAGAIN : error;
		}
	}
	if (head->so_error != 0) {
		error = head->so_error;
		head->so_error = 0;
		sounlock(head);
		return error;
	}
	so = TAILQ_FIRST(&head->so_q);
	soqremque(so);
	so->so_state &= ~SS_NOFDREF;
	sounlock(head);
	*sop = so;
	return 0;
}

int
soconnect(struct socket *so, struct sockaddr *nam, bool nonblock,
    struct lwp *l)
{
	int error;

	solock(so);
	if ((so->so_options & SO_ACCEPTCONN) != 0) {
		sounlock(so);
		return EOPNOTSUPP;
	}
	if ((so->so_state & SS_ISCONNECTING) != 0) {
		sounlock(so);
		return EALREADY;
	}
	/*
	 * A connected datagram socket may connect elsewhere; a stream
	 * socket connects once.
	 */
	if ((so->so_state & SS_ISCONNECTED) != 0) {
		if ((so->so_proto->pr_flags & PR_CONNREQUIRED) != 0) {
			sounlock(so);
			return EISCONN;
		}
		(void)(*so->so_proto->pr_usrreqs->pru_disconnect)(so);
	}
	error = (*so->so_proto->pr_usrreqs->pru_connect)(so, nam, l);
	/* Under the lock still: no answer can have come yet. */
	if (error == 0 && nonblock && (so->so_state & SS_ISCONNECTING) != 0)
		error = EINPROGRESS;
	sounlock(so);
	return error;
}

/* Wait for a connection in progress (connect() without O_NONBLOCK). */
int
soconnect_wait(struct socket *so)
{
	int error = 0;

	solock(so);
	while ((so->so_state & SS_ISCONNECTING) != 0 && so->so_error == 0 &&
	    error == 0)
		error = cv_wait_sig(&so->so_cv, so->so_lock);
	if (error == 0 && so->so_error != 0) {
		error = so->so_error;
		so->so_error = 0;
	}
	sounlock(so);
	return error;
}

int
soconnect2(struct socket *so1, struct socket *so2)
{
	int error;

	solock(so1);
	error = (*so1->so_proto->pr_usrreqs->pru_connect2)(so1, so2);
	sounlock(so1);
	return error;
}

int
soshutdown(struct socket *so, int how)
{
	int error = 0;

	if (how < SHUT_RD || how > SHUT_RDWR)
		return EINVAL;
	solock(so);
	/* A listener: accept() fails from now on, as on Linux (EINVAL). */
	if ((so->so_options & SO_ACCEPTCONN) != 0) {
		if (how != SHUT_WR)
			socantrcvmore(so);
		sounlock(so);
		return 0;
	}
	if ((so->so_state & (SS_ISCONNECTED | SS_ISCONNECTING |
	    SS_ISDISCONNECTING)) == 0 &&
	    (so->so_proto->pr_flags & PR_CONNREQUIRED) != 0) {
		sounlock(so);
		return ENOTCONN;
	}
	if (how != SHUT_WR) {
		socantrcvmore(so);
		sbflush(&so->so_rcv);
		/* The room is the protocol's news (AF_LOCAL's writer). */
		if ((so->so_proto->pr_flags & PR_WANTRCVD) != 0 &&
		    so->so_pcb != NULL)
			(*so->so_proto->pr_usrreqs->pru_rcvd)(so);
	}
	if (how != SHUT_RD)
		error = (*so->so_proto->pr_usrreqs->pru_shutdown)(so);
	sounlock(so);
	return error;
}

/*
 * State changes, for the protocols.
 */

void
sorwakeup(struct socket *so)
{

	cv_broadcast(&so->so_rcv.sb_cv);
	selnotify();
}

void
sowwakeup(struct socket *so)
{

	cv_broadcast(&so->so_snd.sb_cv);
	selnotify();
}

static void
so_statechange(struct socket *so)
{

	cv_broadcast(&so->so_cv);
	cv_broadcast(&so->so_rcv.sb_cv);
	cv_broadcast(&so->so_snd.sb_cv);
	selnotify();
}

void
soisconnecting(struct socket *so)
{

	so->so_state &= ~(SS_ISCONNECTED | SS_ISDISCONNECTING);
	so->so_state |= SS_ISCONNECTING;
}

void
soisconnected(struct socket *so)
{
	struct socket *head = so->so_head;

	so->so_state &= ~(SS_ISCONNECTING | SS_ISDISCONNECTING);
	so->so_state |= SS_ISCONNECTED;
	if (head != NULL && so->so_onq0) {
		/* Handshake done: ready for accept(). */
		TAILQ_REMOVE(&head->so_q0, so, so_qe);
		head->so_q0len--;
		so->so_onq0 = false;
		TAILQ_INSERT_TAIL(&head->so_q, so, so_qe);
		head->so_qlen++;
		so_statechange(head);
	}
	so_statechange(so);
}

void
soisdisconnecting(struct socket *so)
{

	so->so_state &= ~SS_ISCONNECTING;
	so->so_state |= SS_ISDISCONNECTING | SS_CANTRCVMORE | SS_CANTSENDMORE;
	so_statechange(so);
}

void
soisdisconnected(struct socket *so)
{

	so->so_state &= ~(SS_ISCONNECTING | SS_ISCONNECTED |
	    SS_ISDISCONNECTING);
	so->so_state |= SS_CANTRCVMORE | SS_CANTSENDMORE | SS_ISDISCONNECTED;
	so_statechange(so);
}

void
socantsendmore(struct socket *so)
{

	so->so_state |= SS_CANTSENDMORE;
	sowwakeup(so);
}

void
socantrcvmore(struct socket *so)
{

	so->so_state |= SS_CANTRCVMORE;
	sorwakeup(so);
}

int64_t
sbdeadline(const struct sockbuf *sb)
{

	return sb->sb_timeo == 0 ? 0 : getnsuptime() + sb->sb_timeo;
}

int
sbwait(struct socket *so, struct sockbuf *sb, int64_t deadline)
{
	int64_t left;

	KASSERT(solocked(so));
	if (deadline == 0)
		return cv_wait_sig(&sb->sb_cv, so->so_lock);
	if ((left = deadline - getnsuptime()) <= 0)
		return EWOULDBLOCK;
	return cv_timedwait_sig_ns(&sb->sb_cv, so->so_lock, left);
}

/*
 * Sending: data moves from the caller into mbufs with the lock
 * released, as much as the send buffer has room for, then goes to the
 * protocol.  Messages (PR_ATOMIC) go whole or not at all.
 */
int
sosend(struct socket *so, struct sockaddr *addr, struct uio *uio,
    struct mbuf *top, struct mbuf *control, int flags, struct lwp *l)
{
	const struct protosw *pr = so->so_proto;
	struct mbuf *m, **mp;
	size_t resid, space, len, chunk;
	bool atomic = (pr->pr_flags & PR_ATOMIC) != 0 || top != NULL;
	bool nonblock = (flags & MSG_DONTWAIT) != 0;
	int error = 0;
	int64_t deadline;
	size_t orig;

	resid = uio != NULL ? uio->uio_resid : (size_t)top->m_pkthdr.len;
	orig = resid;
	if (atomic && resid > so->so_snd.sb_hiwat) {
		error = EMSGSIZE;
		goto out;
	}
	if ((flags & MSG_OOB) != 0) {
		error = EOPNOTSUPP;
		goto out;
	}
	solock(so);
	deadline = sbdeadline(&so->so_snd);
	do {
		if ((so->so_state & SS_CANTSENDMORE) != 0) {
			error = EPIPE;
			break;
		}
		if (so->so_error != 0) {
			error = so->so_error;
			so->so_error = 0;
			break;
		}
		if ((so->so_state & SS_ISCONNECTED) == 0) {
			if ((pr->pr_flags & PR_CONNREQUIRED) != 0) {
				error = (so->so_state & SS_ISCONNECTING) ?
				    EAGAIN : ENOTCONN;
				if (error == EAGAIN && !nonblock) {
					error = cv_wait_sig(&so->so_cv,
					    so->so_lock);
					if (error != 0)
						break;
					continue;
				}
				break;
			}
			if (addr == NULL) {
				error = EDESTADDRREQ;
				break;
			}
		} else if (addr != NULL &&
		    (pr->pr_flags & PR_CONNREQUIRED) == 0 &&
		    pr->pr_type != SOCK_RAW) {
			error = EISCONN;
			break;
		}
		space = sbspace(&so->so_snd);
		if ((atomic && space < resid) || (!atomic &&
		    space < so->so_snd.sb_lowat && space < resid)) {
			if (nonblock) {
				error = EAGAIN;
				break;
			}
			if ((error = sbwait(so, &so->so_snd, deadline)) != 0) {
				error = error == EWOULDBLOCK ? EAGAIN : error;
				break;
			}
			continue;
		}
		sounlock(so);

		/* Copy in what fits, in clusters. */
		if (top != NULL) {
			m = top;
			top = NULL;
			resid = 0;
		} else {
			len = atomic ? resid : (resid < space ? resid : space);
			m = NULL;
			mp = &m;
			while (len > 0 || (m == NULL && atomic)) {
				struct mbuf *n;

				if (m == NULL)
					n = len > MHLEN ? m_getcl(M_WAIT,
					    MT_DATA, M_PKTHDR) :
					    m_gethdr(M_WAIT, MT_DATA);
				else
					n = len > MLEN ? m_getcl(M_WAIT,
					    MT_DATA, 0) : m_get(M_WAIT,
					    MT_DATA);
				chunk = (n->m_flags & M_EXT) ?
				    n->m_ext->me_size : (size_t)MLEN;
				if (chunk > len)
					chunk = len;
				if (chunk > 0 && (error = uiomove(mtod(n,
				    void *), chunk, uio)) != 0) {
					m_freem(n);
					break;
				}
				n->m_len = (int)chunk;
				*mp = n;
				mp = &n->m_next;
				m->m_pkthdr.len += (int)chunk;
				len -= chunk;
				resid -= chunk;
				if (chunk == 0)
					break;
			}
			if (error != 0) {
				m_freem(m);
				solock(so);
				break;
			}
		}
		solock(so);
		/* The lock was let go: the state may have moved on. */
		if ((so->so_state & SS_CANTSENDMORE) != 0 ||
		    so->so_error != 0 ||
		    ((pr->pr_flags & PR_CONNREQUIRED) != 0 &&
		    (so->so_state & SS_ISCONNECTED) == 0) ||
		    ((so->so_state & SS_ISCONNECTED) == 0 && addr == NULL)) {
			m_freem(m);
			if (so->so_error != 0) {
				error = so->so_error;
				so->so_error = 0;
			} else
				error = (so->so_state & SS_CANTSENDMORE) ?
				    EPIPE : ENOTCONN;
			break;
		}
		error = (*pr->pr_usrreqs->pru_send)(so, m, addr, control, l);
		control = NULL;
		if (error != 0)
			break;
	} while (resid > 0);
	sounlock(so);
out:
	m_freem(top);
	m_freem(control);
	/* Some data went: that is a short write, not an error. */
	if (uio != NULL && error != 0 && error != EFAULT &&
	    uio->uio_resid < orig && !atomic)
		error = 0;
	return error;
}

/*
 * Receiving.  A stream gives what is there (at least one byte; all of
 * the request with MSG_WAITALL); a message socket gives one record,
 * its rest dropped (MSG_TRUNC) if the caller's buffer is shorter.  The
 * sender's address (MT_SONAME) goes to *paddr, control data to
 * *controlp.
 */
int
soreceive(struct socket *so, struct mbuf **paddr, struct uio *uio,
    struct mbuf **controlp, int *flagsp)
{
	const struct protosw *pr = so->so_proto;
	struct sockbuf *sb = &so->so_rcv;
	struct mbuf *m, *n, *data;
	int flags = flagsp != NULL ? *flagsp : 0, error = 0, len;
	bool atomic = (pr->pr_flags & PR_ATOMIC) != 0;
	bool peek = (flags & MSG_PEEK) != 0;
	size_t orig = uio->uio_resid;
	int64_t deadline;

	if (paddr != NULL)
		*paddr = NULL;
	if (controlp != NULL)
		*controlp = NULL;
	if ((flags & MSG_OOB) != 0)
		return EOPNOTSUPP;
	if (flagsp != NULL)
		*flagsp = 0;
	solock(so);
	deadline = sbdeadline(sb);
restart:
	if (sb->sb_mb != NULL) {
		/* Enough, or no point waiting for more? */
		if (atomic || sb->sb_cc >= uio->uio_resid ||
		    ((flags & MSG_WAITALL) == 0 &&
		    sb->sb_cc >= sb->sb_lowat) ||
		    (so->so_state & SS_CANTRCVMORE) != 0 ||
		    so->so_error != 0 || sb->sb_cc >= sb->sb_hiwat ||
		    (flags & MSG_DONTWAIT) != 0)
			goto take;
	} else {
		if (uio->uio_resid != orig)
			goto out;	/* MSG_WAITALL: what was taken */
		if (so->so_error != 0) {
			error = so->so_error;
			if (!peek)
				so->so_error = 0;
			goto out;
		}
		if ((so->so_state & SS_CANTRCVMORE) != 0)
			goto out;
		if ((pr->pr_flags & PR_CONNREQUIRED) != 0 &&
		    (so->so_state & (SS_ISCONNECTED | SS_ISCONNECTING)) == 0) {
			error = ENOTCONN;
			goto out;
		}
		if (uio->uio_resid == 0)
			goto out;
		if ((flags & MSG_DONTWAIT) != 0) {
			error = EAGAIN;
			goto out;
		}
	}
	if ((error = sbwait(so, sb, deadline)) != 0) {
		/* What was read before the timeout or interrupt counts. */
		if (uio->uio_resid != orig)
			error = 0;
		else if (error == EWOULDBLOCK)
			error = EAGAIN;
		goto out;
	}
	goto restart;
take:
	if (atomic) {
		/* One record: name, control, data. */
		m = peek ? m_copym(sb->sb_mb, 0, M_COPYALL, M_WAIT) :
		    sbtakerecord(sb);
		if (!peek && (pr->pr_flags & PR_WANTRCVD) != 0)
			(*pr->pr_usrreqs->pru_rcvd)(so);
		sounlock(so);
		if (m != NULL && m->m_type == MT_SONAME) {
			n = m->m_next;
			m->m_next = NULL;
			if (paddr != NULL)
				*paddr = m;
			else
				m_free(m);
			m = n;
		}
		while (m != NULL && m->m_type == MT_CONTROL) {
			n = m->m_next;
			m->m_next = NULL;
			if (controlp != NULL) {
				*controlp = m;
				controlp = &m->m_next;
			} else
				m_free(m);
			m = n;
		}
		data = m;
		for (n = data; n != NULL && error == 0; n = n->m_next) {
			len = n->m_len;
			if ((size_t)len > uio->uio_resid) {
				len = (int)uio->uio_resid;
				flags |= MSG_TRUNC;
			}
			if (len > 0)
				error = uiomove(mtod(n, void *), (size_t)len,
				    uio);
			if (len < n->m_len) {
				flags |= MSG_TRUNC;
				break;
			}
		}
		m_freem(data);
		if (flagsp != NULL)
			*flagsp = flags & (MSG_TRUNC | MSG_CTRUNC);
		return error;
	}

	/* A stream: as much as is asked and is there. */
	len = sb->sb_cc < uio->uio_resid ? (int)sb->sb_cc :
	    (int)uio->uio_resid;
	data = m_copym(sb->sb_mb, 0, len, M_WAIT);
	if (!peek) {
		sbdrop(sb, len);
		if ((pr->pr_flags & PR_WANTRCVD) != 0)
			(*pr->pr_usrreqs->pru_rcvd)(so);
		sowwakeup(so);
	}
	sounlock(so);
	for (n = data; n != NULL && error == 0; n = n->m_next) {
		if (n->m_len > 0)
			error = uiomove(mtod(n, void *), (size_t)n->m_len,
			    uio);
	}
	m_freem(data);
	solock(so);
	if (error == 0 && !peek && (flags & MSG_WAITALL) != 0 &&
	    uio->uio_resid > 0 && (so->so_state & SS_CANTRCVMORE) == 0 &&
	    so->so_error == 0)
		goto restart;
out:
	sounlock(so);
	return error;
}

/*
 * Options.
 */

int
sockopt_getint(const struct sockopt *sopt, int *vp)
{

	if (sopt->sopt_size < sizeof(int))
		return EINVAL;
	memcpy(vp, sopt->sopt_data, sizeof(int));
	return 0;
}

int
sockopt_set(struct sockopt *sopt, const void *v, size_t len)
{

	if (len > sopt->sopt_size)
		len = sopt->sopt_size;
	memcpy(sopt->sopt_data, v, len);
	sopt->sopt_size = len;
	return 0;
}

int
sockopt_setint(struct sockopt *sopt, int v)
{

	return sockopt_set(sopt, &v, sizeof(v));
}

static int
so_timeo_set(struct sockbuf *sb, const struct sockopt *sopt)
{
	struct timeval tv;

	if (sopt->sopt_size < sizeof(tv))
		return EINVAL;
	memcpy(&tv, sopt->sopt_data, sizeof(tv));
	if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000 ||
	    tv.tv_sec > INT64_MAX / 1000000000 - 1)
		return EDOM;
	sb->sb_timeo = tv.tv_sec * 1000000000 + tv.tv_usec * 1000;
	return 0;
}

static int
so_timeo_get(const struct sockbuf *sb, struct sockopt *sopt)
{
	struct timeval tv;

	memset(&tv, 0, sizeof(tv));
	tv.tv_sec = sb->sb_timeo / 1000000000;
	tv.tv_usec = (sb->sb_timeo % 1000000000) / 1000;
	return sockopt_set(sopt, &tv, sizeof(tv));
}

/* An option of the protocol's levels: the protocol's business. */
static int
so_protoopt(struct socket *so, int op, struct sockopt *sopt)
{
	int error;

	if (so->so_proto->pr_ctloutput == NULL)
		return ENOPROTOOPT;
	solock(so);
	error = (*so->so_proto->pr_ctloutput)(op, so, sopt);
	sounlock(so);
	return error;
}

int
sosetopt(struct socket *so, struct sockopt *sopt)
{
	struct linger lg;
	int error = 0, v;

	if (sopt->sopt_level != SOL_SOCKET)
		return so_protoopt(so, PRCO_SETOPT, sopt);
	solock(so);
	switch (sopt->sopt_name) {
	case SO_DEBUG:
	case SO_REUSEADDR:
	case SO_REUSEPORT:
	case SO_KEEPALIVE:
	case SO_DONTROUTE:
	case SO_BROADCAST:
	case SO_OOBINLINE:
		if ((error = sockopt_getint(sopt, &v)) != 0)
			break;
		if (v != 0)
			so->so_options |= sopt->sopt_name;
		else
			so->so_options &= ~sopt->sopt_name;
		break;
	case SO_LINGER:
		if (sopt->sopt_size < sizeof(lg)) {
			error = EINVAL;
			break;
		}
		memcpy(&lg, sopt->sopt_data, sizeof(lg));
		if (lg.l_linger < 0) {
			error = EINVAL;
			break;
		}
		so->so_linger = lg.l_linger;
		if (lg.l_onoff)
			so->so_options |= SO_LINGER;
		else
			so->so_options &= ~SO_LINGER;
		break;
	case SO_SNDBUF:
	case SO_RCVBUF:
		if ((error = sockopt_getint(sopt, &v)) != 0)
			break;
		if (v < SO_MINBUF)
			v = SO_MINBUF;
		if (v > SB_MAX)
			v = SB_MAX;
		error = sbreserve(sopt->sopt_name == SO_SNDBUF ?
		    &so->so_snd : &so->so_rcv, (u_long)v);
		break;
	case SO_SNDLOWAT:
	case SO_RCVLOWAT:
		if ((error = sockopt_getint(sopt, &v)) != 0)
			break;
		if (v < 1)
			v = 1;
		if (sopt->sopt_name == SO_SNDLOWAT)
			so->so_snd.sb_lowat = (u_int)v < so->so_snd.sb_hiwat ?
			    (u_int)v : so->so_snd.sb_hiwat;
		else
			so->so_rcv.sb_lowat = (u_int)v < so->so_rcv.sb_hiwat ?
			    (u_int)v : so->so_rcv.sb_hiwat;
		break;
	case SO_SNDTIMEO:
		error = so_timeo_set(&so->so_snd, sopt);
		break;
	case SO_RCVTIMEO:
		error = so_timeo_set(&so->so_rcv, sopt);
		break;
	default:
		error = ENOPROTOOPT;
		break;
	}
	/* The protocol may want to know (keepalive, buffer sizes). */
	if (error == 0 && so->so_proto->pr_ctloutput != NULL)
		(void)(*so->so_proto->pr_ctloutput)(PRCO_SETOPT, so, sopt);
	sounlock(so);
	return error;
}

int
sogetopt(struct socket *so, struct sockopt *sopt)
{
	struct linger lg;
	int error = 0;

	if (sopt->sopt_level != SOL_SOCKET)
		return so_protoopt(so, PRCO_GETOPT, sopt);
	solock(so);
	switch (sopt->sopt_name) {
	case SO_DEBUG:
	case SO_REUSEADDR:
	case SO_REUSEPORT:
	case SO_KEEPALIVE:
	case SO_DONTROUTE:
	case SO_BROADCAST:
	case SO_OOBINLINE:
	case SO_ACCEPTCONN:
		error = sockopt_setint(sopt,
		    (so->so_options & sopt->sopt_name) != 0);
		break;
	case SO_LINGER:
		memset(&lg, 0, sizeof(lg));
		lg.l_onoff = (so->so_options & SO_LINGER) != 0;
		lg.l_linger = so->so_linger;
		error = sockopt_set(sopt, &lg, sizeof(lg));
		break;
	case SO_SNDBUF:
		error = sockopt_setint(sopt, (int)so->so_snd.sb_hiwat);
		break;
	case SO_RCVBUF:
		error = sockopt_setint(sopt, (int)so->so_rcv.sb_hiwat);
		break;
	case SO_SNDLOWAT:
		error = sockopt_setint(sopt, (int)so->so_snd.sb_lowat);
		break;
	case SO_RCVLOWAT:
		error = sockopt_setint(sopt, (int)so->so_rcv.sb_lowat);
		break;
	case SO_SNDTIMEO:
		error = so_timeo_get(&so->so_snd, sopt);
		break;
	case SO_RCVTIMEO:
		error = so_timeo_get(&so->so_rcv, sopt);
		break;
	case SO_ERROR:
		error = sockopt_setint(sopt, so->so_error);
		so->so_error = 0;
		break;
	case SO_TYPE:
		error = sockopt_setint(sopt, so->so_type);
		break;
	case SO_DOMAIN:
		error = sockopt_setint(sopt, so->so_family);
		break;
	case SO_PROTOCOL:
		error = sockopt_setint(sopt, so->so_proto->pr_protocol);
		break;
	default:
		error = ENOPROTOOPT;
		break;
	}
	sounlock(so);
	return error;
}

int
sopoll(struct socket *so, int events)
{
	int revents = 0;

	solock(so);
	if ((events & (POLLIN | POLLRDNORM)) != 0) {
		if (so->so_rcv.sb_cc >= so->so_rcv.sb_lowat ||
		    (so->so_rcv.sb_mb != NULL &&
		    (so->so_proto->pr_flags & PR_ATOMIC) != 0) ||
		    (so->so_state & SS_CANTRCVMORE) != 0 ||
		    so->so_error != 0 || so->so_qlen > 0)
			revents |= events & (POLLIN | POLLRDNORM);
	}
	if ((events & (POLLOUT | POLLWRNORM)) != 0) {
		if ((so->so_state & SS_CANTSENDMORE) != 0 ||
		    so->so_error != 0 ||
		    (sbspace(&so->so_snd) >= so->so_snd.sb_lowat &&
		    ((so->so_state & SS_ISCONNECTED) != 0 ||
		    (so->so_proto->pr_flags & PR_CONNREQUIRED) == 0)))
			revents |= events & (POLLOUT | POLLWRNORM);
	}
	if (so->so_error != 0)
		revents |= POLLERR;
	if ((so->so_state & SS_CANTRCVMORE) != 0 &&
	    (so->so_state & SS_CANTSENDMORE) != 0)
		revents |= POLLHUP;
	sounlock(so);
	return revents;
}
