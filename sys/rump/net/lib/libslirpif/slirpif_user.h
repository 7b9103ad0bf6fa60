/*
 * slirpif_user.h: the hypercalls of the slirpif interface (host side in
 * slirpif_user.c): libslirp, a user-mode TCP/IP stack in this process,
 * as the far end of an Ethernet link.  It plays a router with NAT onto
 * the host's own sockets: connections out of the kernel become the
 * host's connections, and host port forwards bring connections in.
 * Include-free; errors are kernel errno values.
 */
#ifndef _SLIRPIF_USER_H_
#define _SLIRPIF_USER_H_

struct rumpuser_hostether;	/* the handle: defined in slirpif_user.c */
struct rumpuser_iovec;

/*
 * Start a slirp stack configured by options, a comma-separated list
 * (see <rump/rump_slirpif.h>); EINVAL for a bad one, EADDRINUSE if a
 * forward's host port is taken.
 */
int	rumpuser_slirpif_open(const char *options,
	    struct rumpuser_hostether **);
void	rumpuser_slirpif_close(struct rumpuser_hostether *);
/* Hand a frame to slirp. */
int	rumpuser_slirpif_send(struct rumpuser_hostether *,
	    const struct rumpuser_iovec *, int);
/* Wait for a frame from slirp (no virtual CPU held); EINTR after
 * interrupt. */
int	rumpuser_slirpif_recv(struct rumpuser_hostether *, void *,
	    __SIZE_TYPE__, __SIZE_TYPE__ *, unsigned long long *);
void	rumpuser_slirpif_interrupt(struct rumpuser_hostether *);

#endif /* !_SLIRPIF_USER_H_ */
