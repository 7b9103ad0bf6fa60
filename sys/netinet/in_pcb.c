/*
 * Internet protocol control blocks (kernel): binding with the
 * SO_REUSEADDR and SO_REUSEPORT rules, ephemeral ports chosen from a
 * random start in the IANA range, connecting (which picks the source
 * address from the route), and lookups by connection and by local port.
 * See <netinet/in_pcb.h>.
 */

#include <sys/types.h>
#include <sys/cprng.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/protosw.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/netisr.h>
#include <net/route.h>
#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/in_var.h>

#include <lib/libkern/libkern.h>



static u_long
lhash(const struct inpcbtable *t, in_port_t lport)
{

	return ntohs(lport) & t->it_mask;
}

static u_long
chash(const struct inpcbtable *t, struct in_addr faddr, in_port_t fport,
    struct in_addr laddr, in_port_t lport)
{
	uint32_t h;

	h = ntohl(faddr.s_addr) ^ ntohl(laddr.s_addr) ^
	    ((uint32_t)ntohs(fport) << 16 | ntohs(lport));
	h *= 2654435761U;
	return (h ^ (h >> 16)) & t->it_mask;
}

struct inpcbtables in_pcbtables = LIST_HEAD_INITIALIZER(in_pcbtables);

void
in_pcbinit(struct inpcbtable *t, int nhash)
{
	int i;

	KASSERT((nhash & (nhash - 1)) == 0);
	LIST_INIT(&t->it_all);
	t->it_lhash = kmem_alloc(nhash * sizeof(*t->it_lhash), KM_SLEEP);
	t->it_chash = kmem_alloc(nhash * sizeof(*t->it_chash), KM_SLEEP);
	for (i = 0; i < nhash; i++) {
		LIST_INIT(&t->it_lhash[i]);
		LIST_INIT(&t->it_chash[i]);
	}
	t->it_mask = (u_long)nhash - 1;
	cprng_bytes(&t->it_lastport, sizeof(t->it_lastport));
	mutex_enter(&softnet_lock);
	LIST_INSERT_HEAD(&in_pcbtables, t, it_tables);
	mutex_exit(&softnet_lock);
}

void
in_pcbfini(struct inpcbtable *t)
{

	KASSERT(LIST_EMPTY(&t->it_all));
	mutex_enter(&softnet_lock);
	LIST_REMOVE(t, it_tables);
	mutex_exit(&softnet_lock);
	kmem_free(t->it_lhash, (t->it_mask + 1) * sizeof(*t->it_lhash));
	kmem_free(t->it_chash, (t->it_mask + 1) * sizeof(*t->it_chash));
}

int
in_pcballoc(struct socket *so, struct inpcbtable *t)
{
	struct inpcb *inp;

	KASSERT(solocked(so));
	inp = kmem_zalloc(sizeof(*inp), KM_SLEEP);
	inp->inp_table = t;
	inp->inp_socket = so;
	inp->inp_ttl = (uint8_t)ip_defttl;
	LIST_INSERT_HEAD(&t->it_all, inp, inp_list);
	so->so_pcb = inp;
	return 0;
}

void
in_pcbdetach(struct inpcb *inp)
{
	struct socket *so = inp->inp_socket;

	KASSERT(solocked(so));
	if (inp->inp_lport != 0)
		LIST_REMOVE(inp, inp_lhash);
	if ((inp->inp_flags & INP_CONNECTED) != 0)
		LIST_REMOVE(inp, inp_chash);
	LIST_REMOVE(inp, inp_list);
	so->so_pcb = NULL;
	kmem_free(inp, sizeof(*inp));
	sofree(so);
}

/*
 * Is lport (with laddr) taken for a new binding by so?  Two sockets
 * may share it if both set SO_REUSEPORT, or if the new one sets
 * SO_REUSEADDR and they differ in local address (one wildcard is not
 * a difference for... listening TCP sockets, but is for the others).
 */
static bool
in_pcbport_busy(struct inpcbtable *t, struct socket *so, struct in_addr laddr,
    in_port_t lport)
{
	struct inpcb *inp;
	struct socket *so2;
	int opts = so->so_options;

	LIST_FOREACH(inp, &t->it_lhash[lhash(t, lport)], inp_lhash) {
		if (inp->inp_lport != lport)
			continue;
		so2 = inp->inp_socket;
		if ((opts & SO_REUSEPORT) != 0 &&
		    (so2->so_options & SO_REUSEPORT) != 0)
			continue;
		if (inp->inp_laddr.s_addr != laddr.s_addr &&
		    inp->inp_laddr.s_addr != INADDR_ANY &&
		    laddr.s_addr != INADDR_ANY)
			continue;	/* distinct addresses */
		/*
		 * The same or overlapping addresses: SO_REUSEADDR allows it
		 * only when the other is not listening (a TCP connection
		 * left over, in TIME_WAIT or otherwise).
		 */
		if ((opts & SO_REUSEADDR) != 0 &&
		    (so2->so_options & SO_ACCEPTCONN) == 0 &&
		    (so->so_proto->pr_flags & PR_CONNREQUIRED) != 0)
			continue;
		if ((opts & SO_REUSEADDR) != 0 &&
		    (so2->so_options & SO_REUSEADDR) != 0 &&
		    (so->so_proto->pr_flags & PR_CONNREQUIRED) == 0)
			continue;	/* datagram sockets sharing a port */
		return true;
	}
	return false;
}

static void
in_pcbsetport(struct inpcb *inp, in_port_t lport)
{
	struct inpcbtable *t = inp->inp_table;

	inp->inp_lport = lport;
	LIST_INSERT_HEAD(&t->it_lhash[lhash(t, lport)], inp, inp_lhash);
}

/* An ephemeral port free for laddr. */
static int
in_pcbephemeral(struct inpcb *inp, struct in_addr laddr, in_port_t *portp)
{
	struct inpcbtable *t = inp->inp_table;
	u_int n = IPPORT_EPHEMERALLAST - IPPORT_EPHEMERALFIRST + 1, i;
	in_port_t p;

	for (i = 0; i < n; i++) {
		t->it_lastport++;
		p = (in_port_t)(IPPORT_EPHEMERALFIRST +
		    t->it_lastport % n);
		if (!in_pcbport_busy(t, inp->inp_socket, laddr, htons(p))) {
			*portp = htons(p);
			return 0;
		}
	}
	return EADDRNOTAVAIL;
}

int
in_pcbbind(struct inpcb *inp, const struct sockaddr_in *sin, struct lwp *l)
{
	struct socket *so = inp->inp_socket;
	struct in_addr laddr = { INADDR_ANY };
	in_port_t lport = 0;
	int error;

	KASSERT(solocked(so));
	if (inp->inp_lport != 0 || inp->inp_laddr.s_addr != INADDR_ANY)
		return EINVAL;
	if (sin != NULL) {
		if (sin->sin_len < sizeof(*sin))
			return EINVAL;
		if (sin->sin_family != AF_INET)
			return EAFNOSUPPORT;
		laddr = sin->sin_addr;
		lport = sin->sin_port;
		/* One of ours, a broadcast (datagrams), or any. */
		if (laddr.s_addr != INADDR_ANY &&
		    in_ifaddr_find(laddr) == NULL &&
		    !(so->so_type == SOCK_DGRAM &&
		    in_broadcast(laddr, NULL)))
			return EADDRNOTAVAIL;
		if (lport != 0 && ntohs(lport) < IPPORT_RESERVED &&
		    l != NULL && !kauth_cred_issuser(l->l_cred))
			return EACCES;
	}
	if (lport == 0) {
		if ((error = in_pcbephemeral(inp, laddr, &lport)) != 0)
			return error;
	} else if (in_pcbport_busy(inp->inp_table, so, laddr, lport))
		return EADDRINUSE;
	inp->inp_laddr = laddr;
	if (laddr.s_addr != INADDR_ANY)
		inp->inp_flags |= INP_BOUNDADDR;
	in_pcbsetport(inp, lport);
	so->so_state |= SS_ISBOUND;
	return 0;
}

int
in_pcbsrcaddr(struct inpcb *inp, struct in_addr dst, struct in_addr *srcp)
{
	struct in_ifaddr *ia;
	struct rtentry *rt;

	if (inp->inp_laddr.s_addr != INADDR_ANY) {
		*srcp = inp->inp_laddr;
		return 0;
	}
	if ((ia = in_ifaddr_find(dst)) != NULL) {
		*srcp = dst;		/* ourselves */
		return 0;
	}
	if (ntohl(dst.s_addr) == INADDR_BROADCAST) {
		if ((ia = TAILQ_FIRST(&in_ifaddrhead)) == NULL)
			return ENETUNREACH;
		*srcp = ia->ia_addr.sin_addr;
		return 0;
	}
	if ((rt = in_route(&inp->inp_route, dst)) == NULL)
		return ENETUNREACH;
	*srcp = ((struct in_ifaddr *)rt->rt_ifa)->ia_addr.sin_addr;
	return 0;
}

int
in_pcbconnect(struct inpcb *inp, const struct sockaddr_in *sin, struct lwp *l)
{
	struct inpcbtable *t = inp->inp_table;
	struct in_addr laddr;
	int error;

	KASSERT(solocked(inp->inp_socket));
	if (sin->sin_len < sizeof(*sin))
		return EINVAL;
	if (sin->sin_family != AF_INET)
		return EAFNOSUPPORT;
	if (sin->sin_port == 0)
		return EADDRNOTAVAIL;
	if (sin->sin_addr.s_addr == INADDR_ANY)
		return ENETUNREACH;
	if ((error = in_pcbsrcaddr(inp, sin->sin_addr, &laddr)) != 0)
		return error;
	if (in_pcblookup_connect(t, sin->sin_addr, sin->sin_port, laddr,
	    inp->inp_lport) != NULL && inp->inp_lport != 0)
		return EADDRINUSE;
	if (inp->inp_lport == 0) {
		/* A port, then the address (bind would refuse it otherwise). */
		if ((error = in_pcbbind(inp, NULL, l)) != 0)
			return error;
	}
	inp->inp_laddr = laddr;
	inp->inp_faddr = sin->sin_addr;
	inp->inp_fport = sin->sin_port;
	if ((inp->inp_flags & INP_CONNECTED) != 0)
		LIST_REMOVE(inp, inp_chash);
	LIST_INSERT_HEAD(&t->it_chash[chash(t, inp->inp_faddr,
	    inp->inp_fport, inp->inp_laddr, inp->inp_lport)], inp, inp_chash);
	inp->inp_flags |= INP_CONNECTED;
	return 0;
}

int
in_pcbsetconn(struct inpcb *inp, in_port_t lport)
{
	struct inpcbtable *t = inp->inp_table;

	KASSERT(inp->inp_lport == 0 && (inp->inp_flags & INP_CONNECTED) == 0);
	if (in_pcblookup_connect(t, inp->inp_faddr, inp->inp_fport,
	    inp->inp_laddr, lport) != NULL)
		return EADDRINUSE;
	in_pcbsetport(inp, lport);
	LIST_INSERT_HEAD(&t->it_chash[chash(t, inp->inp_faddr,
	    inp->inp_fport, inp->inp_laddr, inp->inp_lport)], inp, inp_chash);
	inp->inp_flags |= INP_CONNECTED;
	return 0;
}

void
in_pcbdisconnect(struct inpcb *inp)
{

	if ((inp->inp_flags & INP_CONNECTED) != 0)
		LIST_REMOVE(inp, inp_chash);
	inp->inp_flags &= ~INP_CONNECTED;
	inp->inp_faddr.s_addr = INADDR_ANY;
	inp->inp_fport = 0;
	/* The source the route chose goes; one bind() named stays. */
	if ((inp->inp_flags & INP_BOUNDADDR) == 0)
		inp->inp_laddr.s_addr = INADDR_ANY;
}

struct inpcb *
in_pcblookup_connect(struct inpcbtable *t, struct in_addr faddr,
    in_port_t fport, struct in_addr laddr, in_port_t lport)
{
	struct inpcb *inp;

	LIST_FOREACH(inp, &t->it_chash[chash(t, faddr, fport, laddr, lport)],
	    inp_chash) {
		if (inp->inp_faddr.s_addr == faddr.s_addr &&
		    inp->inp_fport == fport &&
		    inp->inp_laddr.s_addr == laddr.s_addr &&
		    inp->inp_lport == lport)
			return inp;
	}
	return NULL;
}

struct inpcb *
in_pcblookup_bind(struct inpcbtable *t, struct in_addr laddr,
    in_port_t lport)
{
	struct inpcb *inp, *wild = NULL;

	LIST_FOREACH(inp, &t->it_lhash[lhash(t, lport)], inp_lhash) {
		if (inp->inp_lport != lport ||
		    (inp->inp_flags & INP_CONNECTED) != 0)
			continue;
		if (inp->inp_laddr.s_addr == laddr.s_addr)
			return inp;
		if (inp->inp_laddr.s_addr == INADDR_ANY && wild == NULL)
			wild = inp;
	}
	return wild;
}

static void
in_setaddr(struct sockaddr *sa, struct in_addr a, in_port_t p)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)sa;

	memset(sin, 0, sizeof(*sin));
	sin->sin_len = sizeof(*sin);
	sin->sin_family = AF_INET;
	sin->sin_addr = a;
	sin->sin_port = p;
}

void
in_setsockaddr(struct inpcb *inp, struct sockaddr *sa)
{

	in_setaddr(sa, inp->inp_laddr, inp->inp_lport);
}

void
in_setpeeraddr(struct inpcb *inp, struct sockaddr *sa)
{

	in_setaddr(sa, inp->inp_faddr, inp->inp_fport);
}

void
in_pcbnotify(struct inpcbtable *t, struct in_addr faddr, in_port_t fport,
    struct in_addr laddr, in_port_t lport, int error,
    void (*notify)(struct inpcb *, int))
{
	struct inpcb *inp, *next;

	LIST_FOREACH_SAFE(inp, &t->it_all, inp_list, next) {
		if ((inp->inp_flags & INP_CONNECTED) == 0 ||
		    inp->inp_faddr.s_addr != faddr.s_addr ||
		    inp->inp_fport != fport || inp->inp_lport != lport ||
		    (laddr.s_addr != INADDR_ANY &&
		    inp->inp_laddr.s_addr != laddr.s_addr))
			continue;
		(*notify)(inp, error);
	}
}

int
in_ctloutput(int op, struct socket *so, struct sockopt *sopt)
{
	struct inpcb *inp = sotoinpcb(so);
	int v, error = 0;

	if (sopt->sopt_level != IPPROTO_IP)
		return op == PRCO_SETOPT && sopt->sopt_level == SOL_SOCKET ?
		    0 : ENOPROTOOPT;
	if (inp == NULL)
		return EINVAL;
	if (op == PRCO_SETOPT) {
		if ((error = sockopt_getint(sopt, &v)) != 0)
			return error;
		switch (sopt->sopt_name) {
		case IP_TTL:
			if (v < -1 || v > 255)
				return EINVAL;
			inp->inp_ttl = (uint8_t)(v == -1 ? ip_defttl : v);
			return 0;
		case IP_TOS:
			inp->inp_tos = (uint8_t)v;
			return 0;
		case IP_HDRINCL:
			if (so->so_type != SOCK_RAW)
				return ENOPROTOOPT;
			if (v)
				inp->inp_flags |= INP_HDRINCL;
			else
				inp->inp_flags &= ~INP_HDRINCL;
			return 0;
		default:
			return ENOPROTOOPT;
		}
	}
	switch (sopt->sopt_name) {
	case IP_TTL:
		return sockopt_setint(sopt, inp->inp_ttl);
	case IP_TOS:
		return sockopt_setint(sopt, inp->inp_tos);
	case IP_HDRINCL:
		return sockopt_setint(sopt,
		    (inp->inp_flags & INP_HDRINCL) != 0);
	default:
		return ENOPROTOOPT;
	}
}
