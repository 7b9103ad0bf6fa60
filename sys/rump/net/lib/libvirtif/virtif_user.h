/*
 * virtif_user.h: the hypercalls of the virtif interface (host side in
 * virtif_user.c): a tap device of the host as the far end of an
 * Ethernet link.  Include-free; errors are kernel errno values.
 */
#ifndef _VIRTIF_USER_H_
#define _VIRTIF_USER_H_

struct rumpuser_virtif;
struct rumpuser_iovec;

/* Attach to tap device tapname, creating it if need be (privileged). */
int	rumpuser_virtif_open(const char *tapname, struct rumpuser_virtif **);
void	rumpuser_virtif_close(struct rumpuser_virtif *);
int	rumpuser_virtif_send(struct rumpuser_virtif *,
	    const struct rumpuser_iovec *, int);
/* Wait for a frame (no virtual CPU held); EINTR after interrupt. */
int	rumpuser_virtif_recv(struct rumpuser_virtif *, void *, __SIZE_TYPE__,
	    __SIZE_TYPE__ *, unsigned long long *);
void	rumpuser_virtif_interrupt(struct rumpuser_virtif *);

#endif /* !_VIRTIF_USER_H_ */
