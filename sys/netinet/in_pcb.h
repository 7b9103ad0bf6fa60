/*
 * Internet protocol control blocks (sys/netinet/in_pcb.c): the local
 * and foreign address and port of a UDP, TCP or raw socket, kept in a
 * table per protocol with hash chains by local port and by connection.
 * Everything runs under softnet_lock.
 */
#ifndef _NETINET_IN_PCB_H_
#define _NETINET_IN_PCB_H_

#include <sys/types.h>
#include <sys/queue.h>

#include <netinet/in.h>
#include <netinet/in_var.h>

struct socket;
struct lwp;

struct inpcb {
	LIST_ENTRY(inpcb) inp_list;	/* every pcb of the table */
	LIST_ENTRY(inpcb) inp_lhash;	/* by local port */
	LIST_ENTRY(inpcb) inp_chash;	/* by connection, once connected */
	struct inpcbtable *inp_table;
	struct socket	*inp_socket;
	void		*inp_ppcb;	/* the protocol's (tcpcb) */
	struct in_addr	inp_laddr;
	struct in_addr	inp_faddr;
	in_port_t	inp_lport;	/* network order */
	in_port_t	inp_fport;
	int		inp_proto;	/* raw sockets: the protocol */
	int		inp_flags;	/* INP_* */
	uint8_t		inp_ttl;
	uint8_t		inp_tos;
	struct route	inp_route;
};

#define INP_HDRINCL	0x01		/* raw: the caller's header */
#define INP_CONNECTED	0x02		/* on a connection chain */
#define INP_BOUNDADDR	0x04		/* bind() named the local address */

struct inpcbtable {
	LIST_ENTRY(inpcbtable) it_tables;	/* in_pcbtables, softnet_lock */
	/* The protocol's state of a pcb for net.inet.pcblist, or NULL. */
	int		(*it_state)(struct inpcb *);
	LIST_HEAD(, inpcb) it_all;
	LIST_HEAD(inpcbhead, inpcb) *it_lhash;
	struct inpcbhead *it_chash;
	u_long		it_mask;
	in_port_t	it_lastport;	/* host order */
};

void	in_pcbinit(struct inpcbtable *, int nhash);
/* Every table (for net.inet.pcblist), softnet_lock. */
LIST_HEAD(inpcbtables, inpcbtable);
extern struct inpcbtables in_pcbtables;
void	in_pcbfini(struct inpcbtable *);
int	in_pcballoc(struct socket *, struct inpcbtable *);
/* Free the pcb and let its socket go (sofree). */
void	in_pcbdetach(struct inpcb *);
/* nam NULL: any address, an ephemeral port. */
int	in_pcbbind(struct inpcb *, const struct sockaddr_in *, struct lwp *);
int	in_pcbconnect(struct inpcb *, const struct sockaddr_in *,
	    struct lwp *);
void	in_pcbdisconnect(struct inpcb *);
/*
 * A connection accepted by a listener: the addresses and foreign port
 * are set, lport is the listener's.  EADDRINUSE if it exists already.
 */
int	in_pcbsetconn(struct inpcb *, in_port_t lport);
/* The source address for a datagram to dst (from the route). */
int	in_pcbsrcaddr(struct inpcb *, struct in_addr dst, struct in_addr *);
/* Exactly this connection. */
struct inpcb *in_pcblookup_connect(struct inpcbtable *, struct in_addr faddr,
	    in_port_t fport, struct in_addr laddr, in_port_t lport);
/* The best bound (listening or unconnected) match. */
struct inpcb *in_pcblookup_bind(struct inpcbtable *, struct in_addr laddr,
	    in_port_t lport);
void	in_setsockaddr(struct inpcb *, struct sockaddr *);
void	in_setpeeraddr(struct inpcb *, struct sockaddr *);
/* Every pcb with an error about a datagram to faddr:fport from lport. */
void	in_pcbnotify(struct inpcbtable *, struct in_addr faddr, in_port_t fport,
	    struct in_addr laddr, in_port_t lport, int error,
	    void (*notify)(struct inpcb *, int));
/* The IPPROTO_IP options every Internet socket has. */
int	in_ctloutput(int op, struct socket *, struct sockopt *);

#define sotoinpcb(so)	((struct inpcb *)(so)->so_pcb)

#endif /* !_NETINET_IN_PCB_H_ */
