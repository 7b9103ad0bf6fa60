/*
 * virtif_user.h: the hypercalls of the virtif interface (host side in
 * virtif_user.c): a tap device of the host as the far end of an
 * Ethernet link.  Include-free; errors are kernel errno values.
 */
#ifndef _VIRTIF_USER_H_
#define _VIRTIF_USER_H_

struct rumpuser_hostether;	/* the handle: defined in virtif_user.c */
struct rumpuser_iovec;

/* Attach to tap device tapname, creating it if need be (privileged). */
int	rumpuser_virtif_open(const char *tapname,
	    struct rumpuser_hostether **);
void	rumpuser_virtif_close(struct rumpuser_hostether *);
int	rumpuser_virtif_send(struct rumpuser_hostether *,
	    const struct rumpuser_iovec *, int);
/* Wait for a frame (no virtual CPU held); EINTR after interrupt. */
int	rumpuser_virtif_recv(struct rumpuser_hostether *, void *,
	    __SIZE_TYPE__, __SIZE_TYPE__ *, unsigned long long *);
void	rumpuser_virtif_interrupt(struct rumpuser_hostether *);

#endif /* !_VIRTIF_USER_H_ */
