/*
 * Protocol switch (sys/kern/uipc_domain.c): what a socket's protocol
 * does for the socket layer.  A domain (address family) lists its
 * protocols; socket() finds one by family, type and protocol number.
 * Every pru_* call is made with the socket's lock held.
 */
#ifndef _SYS_PROTOSW_H_
#define _SYS_PROTOSW_H_

#include <sys/types.h>
#include <sys/mutex.h>

struct socket;
struct sockaddr;
struct sockopt;
struct mbuf;
struct lwp;

/* pr_flags */
#define PR_ATOMIC	0x01	/* messages: each send is one record */
#define PR_ADDR		0x02	/* records carry the sender's address */
#define PR_CONNREQUIRED	0x04	/* sends need a connection */
#define PR_WANTRCVD	0x08	/* tell the protocol when data was read */
#define PR_LISTEN	0x10	/* listen() and accept() work */
#define PR_RIGHTS	0x20	/* may pass descriptors */

struct pr_usrreqs {
	/* A new socket: make the control block (so_pcb). */
	int	(*pru_attach)(struct socket *, int proto);
	/* The socket is closed: let the control block go (or linger on). */
	void	(*pru_detach)(struct socket *);
	int	(*pru_bind)(struct socket *, struct sockaddr *, struct lwp *);
	int	(*pru_listen)(struct socket *, struct lwp *);
	int	(*pru_connect)(struct socket *, struct sockaddr *,
		    struct lwp *);
	int	(*pru_connect2)(struct socket *, struct socket *);
	int	(*pru_disconnect)(struct socket *);
	/* No more sends (shutdown(SHUT_WR)). */
	int	(*pru_shutdown)(struct socket *);
	/* Drop the connection at once (a listener's queue, linger 0). */
	void	(*pru_abort)(struct socket *);
	/* Send m (consumed, even on error) to nam or the peer. */
	int	(*pru_send)(struct socket *, struct mbuf *m,
		    struct sockaddr *nam, struct mbuf *control, struct lwp *);
	/* The reader took data: window updates. */
	void	(*pru_rcvd)(struct socket *);
	int	(*pru_sockaddr)(struct socket *, struct sockaddr *);
	int	(*pru_peeraddr)(struct socket *, struct sockaddr *);
};

struct protosw {
	int		pr_type;	/* SOCK_* */
	int		pr_protocol;	/* 0 matches a socket() with 0 */
	u_int		pr_flags;	/* PR_* */
	const struct pr_usrreqs *pr_usrreqs;
	/* Options of the protocol's levels: getsockopt or setsockopt. */
	int		(*pr_ctloutput)(int op, struct socket *,
			    struct sockopt *);
};
#define PRCO_GETOPT	0
#define PRCO_SETOPT	1

struct domain {
	int		dom_family;	/* AF_* */
	const char	*dom_name;
	kmutex_t	*dom_lock;	/* every socket of the domain's */
	const struct protosw *dom_protosw;
	int		dom_nprotosw;
};

void	domain_attach(const struct domain *);
void	domain_detach(const struct domain *);
/*
 * The protocol for socket(family, type, proto); EAFNOSUPPORT,
 * EPROTONOSUPPORT or EPROTOTYPE if there is none.
 */
/* The lock the sockets of family share (uipc_domain.c). */
kmutex_t *domain_solock(int family);
int	pffindproto(int family, int type, int proto,
	    const struct protosw **);

#endif /* !_SYS_PROTOSW_H_ */
