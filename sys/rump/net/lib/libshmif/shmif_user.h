/*
 * shmif_user.h: the hypercalls of the shmif interface (host side in
 * shmif_user.c), the optional set that lives beside its component.
 * Include-free like <rump/rumpuser.h>; errors are kernel errno values.
 *
 * A bus is a host file that every attached kernel maps: a header with a
 * lock and a wakeup word, and a ring of frames.  Writers append under
 * the lock; each reader keeps its own position and, if it falls more
 * than a ring behind, skips to the present (the lost frames are counted,
 * as a real link would lose them).
 */
#ifndef _SHMIF_USER_H_
#define _SHMIF_USER_H_

struct rumpuser_hostether;	/* the handle: defined in shmif_user.c */
struct rumpuser_iovec;		/* <rump/rumpuser.h> */

/*
 * Attach to the bus in file path (created if missing): *hp gets the
 * handle.  The reader starts at the bus's present.  Does not block for
 * long.
 */
int	rumpuser_shmif_open(const char *path,
	    struct rumpuser_hostether **hp);
void	rumpuser_shmif_close(struct rumpuser_hostether *h);

/* Put one frame, given in pieces, on the bus.  EMSGSIZE if too large. */
int	rumpuser_shmif_send(struct rumpuser_hostether *h,
	    const struct rumpuser_iovec *iov, int iovcnt);

/*
 * Take the next frame someone else sent into buf (buflen bytes): its
 * length in *lenp; *lostp += frames missed.  Blocks until there is one
 * or rumpuser_shmif_interrupt() is called (EINTR).  Frames longer than
 * buflen are skipped.  The caller holds no virtual CPU.
 */
int	rumpuser_shmif_recv(struct rumpuser_hostether *h, void *buf,
	    __SIZE_TYPE__ buflen, __SIZE_TYPE__ *lenp,
	    unsigned long long *lostp);
/* Make a blocked (or the next) rumpuser_shmif_recv() return EINTR. */
void	rumpuser_shmif_interrupt(struct rumpuser_hostether *h);

#endif /* !_SHMIF_USER_H_ */
