/*
 * Sockets inside the kernel (sys/kern/uipc_socket.c, uipc_sockbuf.c):
 * the socket, its two buffers, the listen queues, and the calls the
 * protocols make.
 *
 * Locking: each socket has a lock, so_lock, shared by every socket of
 * its domain (softnet_lock for the Internet family, one lock for
 * AF_LOCAL).  It covers the socket, its buffers and the protocol's
 * control block.  Waits sleep on the buffer's condition variable with
 * that lock; data is copied to and from the caller with it released.
 */
#ifndef _SYS_SOCKETVAR_H_
#define _SYS_SOCKETVAR_H_

#include <sys/types.h>
#include <sys/condvar.h>
#include <sys/kauth.h>
#include <sys/mutex.h>
#include <sys/queue.h>

struct mbuf;
struct socket;
struct sockaddr;
struct protosw;
struct uio;
struct lwp;

/*
 * A socket buffer.  Records (datagrams) are chains linked by m_nextpkt
 * of their first mbuf; a stream is one record.  A record may start
 * with an MT_SONAME mbuf (the sender) and MT_CONTROL mbufs.
 */
struct sockbuf {
	struct mbuf	*sb_mb;		/* the first record */
	struct mbuf	*sb_lastrecord;	/* the first mbuf of the last */
	struct mbuf	*sb_mbtail;	/* the last mbuf of the last */
	u_int		sb_cc;		/* data bytes */
	u_int		sb_hiwat;	/* the most data */
	u_int		sb_mbcnt;	/* storage used */
	u_int		sb_mbmax;	/* the most storage */
	u_int		sb_lowat;	/* readable/writable from */
	int64_t		sb_timeo;	/* ns to wait; 0: forever */
	kcondvar_t	sb_cv;
};

struct socket {
	kmutex_t	*so_lock;
	short		so_type;	/* SOCK_* */
	int		so_options;	/* SO_* flags */
	int		so_state;	/* SS_* */
	int		so_error;	/* to report once */
	int		so_linger;	/* seconds (SO_LINGER) */
	const struct protosw *so_proto;
	int		so_family;
	void		*so_pcb;	/* the protocol's */
	kauth_cred_t	so_cred;	/* the creator's */

	/* Listening: connections on their way (q0) and ready (q). */
	struct socket	*so_head;	/* our listener */
	TAILQ_HEAD(, socket) so_q0;
	TAILQ_HEAD(, socket) so_q;
	TAILQ_ENTRY(socket) so_qe;	/* in the listener's q0 or q */
	bool		so_onq0;
	int		so_q0len;
	int		so_qlen;
	int		so_qlimit;	/* the backlog */

	struct sockbuf	so_rcv;
	struct sockbuf	so_snd;
	kcondvar_t	so_cv;		/* connection state changes */
};

/* so_state */
#define SS_NOFDREF		0x0001	/* no file refers to it */
#define SS_ISCONNECTED		0x0002
#define SS_ISCONNECTING		0x0004
#define SS_ISDISCONNECTING	0x0008
#define SS_CANTSENDMORE		0x0010
#define SS_CANTRCVMORE		0x0020
#define SS_ISDISCONNECTED	0x0040
#define SS_ISBOUND		0x0080

#define solock(so)	mutex_enter((so)->so_lock)
#define sounlock(so)	mutex_exit((so)->so_lock)
#define solocked(so)	mutex_owned((so)->so_lock)

/* An option's value, in kernel memory. */
struct sockopt {
	int		sopt_level;
	int		sopt_name;
	void		*sopt_data;
	size_t		sopt_size;	/* in: given; out: filled */
};
#define SOPT_MAXSIZE	128
int	sockopt_getint(const struct sockopt *, int *);
int	sockopt_setint(struct sockopt *, int);
int	sockopt_set(struct sockopt *, const void *, size_t);

/* uipc_socket.c: the calls behind the system calls. */
int	socreate(int family, struct socket **, int type, int proto,
	    struct lwp *);
int	soclose(struct socket *);
int	sobind(struct socket *, struct sockaddr *, struct lwp *);
int	solisten(struct socket *, int backlog, struct lwp *);
/* EINPROGRESS: non-blocking, the handshake has begun. */
int	soconnect(struct socket *, struct sockaddr *, bool nonblock,
	    struct lwp *);
/* Wait until a connection in progress is made or fails. */
int	soconnect_wait(struct socket *);
int	soconnect2(struct socket *, struct socket *);
/* The next connection of listener so, or EAGAIN/EWOULDBLOCK. */
int	soaccept(struct socket *, bool nonblock, struct socket **);
int	soshutdown(struct socket *, int how);
int	sosend(struct socket *, struct sockaddr *, struct uio *,
	    struct mbuf *top, struct mbuf *control, int flags, struct lwp *);
int	soreceive(struct socket *, struct mbuf **paddr, struct uio *,
	    struct mbuf **controlp, int *flagsp);
int	sosetopt(struct socket *, struct sockopt *);
int	sogetopt(struct socket *, struct sockopt *);
int	sopoll(struct socket *, int events);
void	soabort(struct socket *);

/* For protocols: connection state changes (so locked). */
void	soisconnecting(struct socket *);
void	soisconnected(struct socket *);
void	soisdisconnecting(struct socket *);
void	soisdisconnected(struct socket *);
void	socantsendmore(struct socket *);
void	socantrcvmore(struct socket *);
/* A new connection for listener head; NULL if the queue is full. */
struct socket *sonewconn(struct socket *head, bool connected);
/* The protocol is done with so: free it once the file is gone too. */
void	sofree(struct socket *);
/* The oldest connection still in its handshake (q0), or NULL. */
struct socket *so_q0_oldest(struct socket *head);
/* How many sockets exist (tests, the shutdown check). */
u_int	socket_count(void);
void	sorwakeup(struct socket *);
void	sowwakeup(struct socket *);
/*
 * Wait on sb (so locked) until woken or the deadline (uptime ns; 0:
 * none) passes (EWOULDBLOCK).  sbdeadline(): the deadline of a call
 * that starts now, from sb_timeo.
 */
int	sbwait(struct socket *, struct sockbuf *, int64_t deadline);
int64_t	sbdeadline(const struct sockbuf *);

/* uipc_sockbuf.c */
void	sbinit(struct sockbuf *, u_int hiwat);
void	sbdestroy(struct sockbuf *);
int	sbreserve(struct sockbuf *, u_long);
u_int	sbspace(const struct sockbuf *);
void	sbappendstream(struct sockbuf *, struct mbuf *);
void	sbappendrecord(struct sockbuf *, struct mbuf *);
/* false (nothing taken) if there is no room or no memory. */
bool	sbappendaddr(struct sockbuf *, const struct sockaddr *,
	    struct mbuf *, struct mbuf *control);
void	sbdrop(struct sockbuf *, int len);
void	sbdroprecord(struct sockbuf *);
/* Take the first record off, whole. */
struct mbuf *sbtakerecord(struct sockbuf *);
void	sbflush(struct sockbuf *);

/* Interface and route ioctls on sockets (set by the interface layer). */
extern int (*socket_ifioctl_hook)(u_long, void *, struct lwp *);

#define SB_MAX		(4 * 1024 * 1024)	/* the largest buffer */

#endif /* !_SYS_SOCKETVAR_H_ */
