/*
 * AF_LOCAL (AF_UNIX) sockets (kernel): stream and datagram sockets
 * between the processes of this kernel, named by socket nodes in the
 * file system (bind makes one, connect and sendto look it up) or
 * unnamed (socketpair).
 *
 * One lock covers every socket of the domain, so a send puts its data
 * straight into the receiving socket's buffer.  A stream sender's own
 * send buffer holds nothing: its counts mirror the peer's receive
 * buffer, so the sender waits while the reader is behind.  File system
 * calls are made with the lock released.
 *
 * Not done: descriptor passing and credentials (SCM_RIGHTS,
 * SCM_CREDENTIALS, SO_PEERCRED), SOCK_SEQPACKET, Linux's abstract names
 * and autobind.  A full listen queue refuses a connection (ECONNREFUSED,
 * as the BSDs do); a full datagram receiver drops the send (ENOBUFS).
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/protosw.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/un.h>
#include <sys/vfs_syscalls.h>
#include <sys/vnode.h>

#include <lib/libkern/libkern.h>

#define UNP_STREAMSPACE	(64 * 1024)
#define UNP_DGRAMSPACE	(64 * 1024)

struct unpcb {
	struct socket		*unp_socket;
	struct vnode		*unp_vnode;	/* bound: its node, referenced */
	struct sockaddr_un	*unp_addr;	/* bound: its name */
	bool			unp_binding;	/* bind is in the file system */
	/* Stream: the peer.  Datagram: where sends without address go. */
	struct unpcb		*unp_conn;
	LIST_HEAD(, unpcb)	unp_refs;	/* datagram: connected to us */
	LIST_ENTRY(unpcb)	unp_reflink;
};

#define sotounpcb(so)	((struct unpcb *)(so)->so_pcb)

static kmutex_t unp_lock;

static const struct sockaddr_un unp_noname = {
	.sun_len = offsetof(struct sockaddr_un, sun_path),
	.sun_family = AF_LOCAL,
};

/* A name from the caller: checked, and its path NUL-terminated. */
static int
unp_name(const struct sockaddr *nam, struct sockaddr_un *sun)
{
	size_t off = offsetof(struct sockaddr_un, sun_path), n;

	if (nam->sa_family != AF_LOCAL)
		return EAFNOSUPPORT;
	if (nam->sa_len <= off || nam->sa_len > sizeof(*sun))
		return EINVAL;
	memset(sun, 0, sizeof(*sun));
	memcpy(sun, nam, nam->sa_len);
	n = strnlen(sun->sun_path, nam->sa_len - off);
	if (n == 0)
		return EINVAL;
	if (n >= sizeof(sun->sun_path))
		return ENAMETOOLONG;
	sun->sun_path[n] = '\0';
	sun->sun_len = (uint8_t)(off + n);
	return 0;
}

/*
 * The socket bound to the node named nam, of so's type; the lock is let
 * go for the lookup (the file system's locks come after this domain's).
 * ECONNREFUSED if nobody is bound there.
 */
static int
unp_lookup(struct socket *so, const struct sockaddr *nam,
    struct unpcb **unp2p)
{
	struct sockaddr_un sun;
	struct vnode *vp;
	struct socket *so2;
	int error;

	if ((error = unp_name(nam, &sun)) != 0)
		return error;
	sounlock(so);
	error = vn_sock_lookup(sun.sun_path, &vp);
	solock(so);
	if (error != 0)
		return error;
	if ((so2 = vp->v_socket) == NULL || so2->so_pcb == NULL)
		error = ECONNREFUSED;
	else if (so2->so_type != so->so_type)
		error = EPROTOTYPE;
	else
		*unp2p = sotounpcb(so2);
	/*
	 * Under the lock, so that the socket found stays: a bound socket
	 * holds its own reference, so this is rarely the last one.
	 */
	vrele(vp);
	return error;
}

static int
unp_attach(struct socket *so, int proto)
{
	struct unpcb *unp;
	u_long space;

	if (proto != 0)
		return EPROTONOSUPPORT;
	space = so->so_type == SOCK_STREAM ? UNP_STREAMSPACE : UNP_DGRAMSPACE;
	(void)sbreserve(&so->so_rcv, space);
	(void)sbreserve(&so->so_snd, space);
	unp = kmem_zalloc(sizeof(*unp), KM_SLEEP);
	unp->unp_socket = so;
	LIST_INIT(&unp->unp_refs);
	so->so_pcb = unp;
	return 0;
}

/* A stream's send counts follow its peer's receive buffer. */
static void
unp_mirror(struct socket *sender, struct socket *receiver)
{

	sender->so_snd.sb_cc = receiver->so_rcv.sb_cc;
	sender->so_snd.sb_mbcnt = receiver->so_rcv.sb_mbcnt;
	sowwakeup(sender);
}

/* Break so's connection (both ends, for a stream). */
static void
unp_disconnect(struct unpcb *unp)
{
	struct unpcb *unp2 = unp->unp_conn;
	struct socket *so = unp->unp_socket;

	if (unp2 == NULL)
		return;
	unp->unp_conn = NULL;
	if (so->so_type == SOCK_DGRAM) {
		LIST_REMOVE(unp, unp_reflink);
		so->so_state &= ~SS_ISCONNECTED;
		return;
	}
	unp2->unp_conn = NULL;
	so->so_snd.sb_cc = so->so_snd.sb_mbcnt = 0;
	unp2->unp_socket->so_snd.sb_cc = unp2->unp_socket->so_snd.sb_mbcnt = 0;
	soisdisconnected(so);
	soisdisconnected(unp2->unp_socket);
}

static void
unp_detach(struct socket *so)
{
	struct unpcb *unp = sotounpcb(so), *ref;
	struct vnode *vp;

	unp_disconnect(unp);
	/* Datagram sockets connected to this one lose their destination. */
	while ((ref = LIST_FIRST(&unp->unp_refs)) != NULL) {
		ref->unp_socket->so_error = ECONNREFUSED;
		unp_disconnect(ref);
	}
	if ((vp = unp->unp_vnode) != NULL) {
		vp->v_socket = NULL;
		unp->unp_vnode = NULL;
		/* The node's last reference may mean file system work. */
		sounlock(so);
		vrele(vp);
		solock(so);
	}
	if (unp->unp_addr != NULL)
		kmem_free(unp->unp_addr, sizeof(*unp->unp_addr));
	so->so_pcb = NULL;
	kmem_free(unp, sizeof(*unp));
	sofree(so);
}

static void
unp_abort(struct socket *so)
{

	so->so_state |= SS_NOFDREF;
	unp_detach(so);
}

static int
unp_bind(struct socket *so, struct sockaddr *nam, struct lwp *l)
{
	struct unpcb *unp = sotounpcb(so);
	struct sockaddr_un sun;
	struct vnode *vp;
	int error;

	if ((error = unp_name(nam, &sun)) != 0)
		return error;
	if (unp->unp_addr != NULL || unp->unp_binding)
		return EINVAL;		/* named already (or accepted) */
	unp->unp_binding = true;
	sounlock(so);
	error = vn_sock_create(sun.sun_path, ACCESSPERMS, &vp);
	solock(so);
	unp->unp_binding = false;
	if (error != 0)
		return error;
	vp->v_socket = so;
	unp->unp_vnode = vp;
	unp->unp_addr = kmem_alloc(sizeof(sun), KM_SLEEP);
	memcpy(unp->unp_addr, &sun, sizeof(sun));
	so->so_state |= SS_ISBOUND;
	return 0;
}

static int
unp_listen(struct socket *so, struct lwp *l)
{

	if (so->so_type != SOCK_STREAM)
		return EOPNOTSUPP;
	return sotounpcb(so)->unp_vnode != NULL ? 0 : EINVAL;
}

/* Pair two sockets: both ways for streams and socketpair(). */
static void
unp_pair(struct unpcb *unp, struct unpcb *unp2)
{

	unp->unp_conn = unp2;
	unp2->unp_conn = unp;
	soisconnected(unp->unp_socket);
	soisconnected(unp2->unp_socket);
	/* A shutdown(SHUT_WR) while connect() was in the file system. */
	if ((unp->unp_socket->so_state & SS_CANTSENDMORE) != 0)
		socantrcvmore(unp2->unp_socket);
}

static int
unp_connect(struct socket *so, struct sockaddr *nam, struct lwp *l)
{
	struct unpcb *unp = sotounpcb(so), *unp2;
	struct socket *so2, *so3;
	int error;

	if (so->so_type == SOCK_DGRAM && nam->sa_family == AF_UNSPEC) {
		unp_disconnect(unp);
		return 0;
	}
	if (so->so_type == SOCK_STREAM &&
	    (so->so_state & (SS_ISCONNECTED | SS_ISCONNECTING)) != 0)
		return EISCONN;
	so->so_state |= SS_ISCONNECTING;	/* while the lock is let go */
	error = unp_lookup(so, nam, &unp2);
	so->so_state &= ~SS_ISCONNECTING;
	cv_broadcast(&so->so_cv);	/* a send may wait for the outcome */
	if (error != 0)
		return error;
	if (so->so_type == SOCK_DGRAM) {
		unp_disconnect(unp);
		unp->unp_conn = unp2;
		LIST_INSERT_HEAD(&unp2->unp_refs, unp, unp_reflink);
		so->so_state |= SS_ISCONNECTED;
		return 0;
	}
	/* A stream: a new socket on the listener's queue is our peer. */
	so2 = unp2->unp_socket;
	if ((so2->so_options & SO_ACCEPTCONN) == 0)
		return ECONNREFUSED;
	if ((so->so_state & SS_ISCONNECTED) != 0)
		return EISCONN;		/* another thread's connect won */
	if ((so3 = sonewconn(so2, true)) == NULL)
		return ECONNREFUSED;
	if (unp2->unp_addr != NULL) {
		sotounpcb(so3)->unp_addr = kmem_alloc(sizeof(*unp2->unp_addr),
		    KM_SLEEP);
		memcpy(sotounpcb(so3)->unp_addr, unp2->unp_addr,
		    sizeof(*unp2->unp_addr));
	}
	unp_pair(unp, sotounpcb(so3));
	return 0;
}

static int
unp_connect2(struct socket *so, struct socket *so2)
{

	if (so->so_type != so2->so_type)
		return EPROTOTYPE;
	unp_pair(sotounpcb(so), sotounpcb(so2));
	if (so->so_type == SOCK_DGRAM) {
		LIST_INSERT_HEAD(&sotounpcb(so2)->unp_refs, sotounpcb(so),
		    unp_reflink);
		LIST_INSERT_HEAD(&sotounpcb(so)->unp_refs, sotounpcb(so2),
		    unp_reflink);
	}
	return 0;
}

static int
unp_pru_disconnect(struct socket *so)
{

	unp_disconnect(sotounpcb(so));
	return 0;
}

static int
unp_shutdown(struct socket *so)
{
	struct unpcb *unp2 = sotounpcb(so)->unp_conn;

	socantsendmore(so);
	if (so->so_type == SOCK_STREAM && unp2 != NULL)
		socantrcvmore(unp2->unp_socket);
	return 0;
}

static int
unp_send(struct socket *so, struct mbuf *m, struct sockaddr *nam,
    struct mbuf *control, struct lwp *l)
{
	struct unpcb *unp = sotounpcb(so), *unp2;
	struct socket *so2;
	const struct sockaddr_un *from;
	int error = 0;

	if (control != NULL) {
		error = EOPNOTSUPP;	/* no descriptors or credentials */
		goto out;
	}
	if (so->so_type == SOCK_STREAM) {
		if ((unp2 = unp->unp_conn) == NULL) {
			error = (so->so_state & SS_ISDISCONNECTED) ? EPIPE :
			    ENOTCONN;
			goto out;
		}
		so2 = unp2->unp_socket;
		if ((so2->so_state & SS_CANTRCVMORE) != 0) {
			error = EPIPE;
			goto out;
		}
		sbappendstream(&so2->so_rcv, m);
		m = NULL;
		unp_mirror(so, so2);
		sorwakeup(so2);
		goto out;
	}

	/* A datagram: to nam, or where the socket is connected. */
	if (nam != NULL) {
		if ((error = unp_lookup(so, nam, &unp2)) != 0)
			goto out;
	} else if ((unp2 = unp->unp_conn) == NULL) {
		error = ENOTCONN;
		goto out;
	}
	so2 = unp2->unp_socket;
	from = unp->unp_addr != NULL ? unp->unp_addr : &unp_noname;
	if ((so2->so_state & SS_CANTRCVMORE) != 0) {
		error = ECONNREFUSED;
	} else if (!sbappendaddr(&so2->so_rcv, (const struct sockaddr *)from,
	    m, NULL)) {
		error = ENOBUFS;
	} else {
		m = NULL;
		sorwakeup(so2);
	}
out:
	m_freem(m);
	m_freem(control);
	return error;
}

/*
 * The reader took data: the stream's sender may have room again.  A
 * reader that shut down its receiving: the sender gets EPIPE.
 */
static void
unp_rcvd(struct socket *so)
{
	struct unpcb *unp2 = sotounpcb(so)->unp_conn;

	if (so->so_type != SOCK_STREAM || unp2 == NULL)
		return;
	unp_mirror(unp2->unp_socket, so);
	if ((so->so_state & SS_CANTRCVMORE) != 0)
		socantsendmore(unp2->unp_socket);
}

static int
unp_sockaddr(struct socket *so, struct sockaddr *nam)
{
	const struct sockaddr_un *sun = sotounpcb(so)->unp_addr;

	if (sun == NULL)
		sun = &unp_noname;
	memcpy(nam, sun, sun->sun_len);
	return 0;
}

static int
unp_peeraddr(struct socket *so, struct sockaddr *nam)
{
	struct unpcb *unp2 = sotounpcb(so)->unp_conn;

	if (unp2 == NULL)
		return ENOTCONN;
	return unp_sockaddr(unp2->unp_socket, nam);
}

static int
unp_ctloutput(int op, struct socket *so, struct sockopt *sopt)
{

	return ENOPROTOOPT;
}

static const struct pr_usrreqs unp_usrreqs = {
	.pru_attach = unp_attach,
	.pru_detach = unp_detach,
	.pru_bind = unp_bind,
	.pru_listen = unp_listen,
	.pru_connect = unp_connect,
	.pru_connect2 = unp_connect2,
	.pru_disconnect = unp_pru_disconnect,
	.pru_shutdown = unp_shutdown,
	.pru_abort = unp_abort,
	.pru_send = unp_send,
	.pru_rcvd = unp_rcvd,
	.pru_sockaddr = unp_sockaddr,
	.pru_peeraddr = unp_peeraddr,
};

static const struct protosw localsw[] = {
	{
		.pr_type = SOCK_STREAM,
		.pr_flags = PR_CONNREQUIRED | PR_WANTRCVD | PR_LISTEN |
		    PR_RIGHTS,
		.pr_usrreqs = &unp_usrreqs,
		.pr_ctloutput = unp_ctloutput,
	},
	{
		.pr_type = SOCK_DGRAM,
		.pr_flags = PR_ATOMIC | PR_ADDR | PR_RIGHTS,
		.pr_usrreqs = &unp_usrreqs,
		.pr_ctloutput = unp_ctloutput,
	},
};

const struct domain localdomain = {
	.dom_family = AF_LOCAL,
	.dom_name = "local",
	.dom_lock = &unp_lock,
	.dom_protosw = localsw,
	.dom_nprotosw = sizeof(localsw) / sizeof(localsw[0]),
};

void
unp_init(void)
{

	mutex_init(&unp_lock, MUTEX_DEFAULT, IPL_NONE);
	domain_attach(&localdomain);
}

void
unp_fini(void)
{

	domain_detach(&localdomain);
	mutex_destroy(&unp_lock);
}
