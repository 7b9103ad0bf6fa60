/*
 * Callouts: run a function once, a number of ticks from now, in the
 * callout thread.  Callouts due at the same tick run in the order they
 * were scheduled.
 */
#ifndef _SYS_CALLOUT_H_
#define _SYS_CALLOUT_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/mutex.h>

typedef struct callout {
	TAILQ_ENTRY(callout) c_entry;	/* in the queue while pending */
	int64_t		c_due;		/* monotonic ns */
	uint64_t	c_seq;		/* order among equal c_due */
	void		(*c_func)(void *);
	void		*c_arg;
	u_int		c_flags;
} callout_t;

#define CALLOUT_MPSAFE		0x0001
#define CALLOUT_PENDING		0x0100	/* queued */
#define CALLOUT_FIRED		0x0200	/* ran since last scheduled */
#define CALLOUT_INVOKING	0x0400	/* running, not yet acknowledged */

void	callout_init(callout_t *, u_int flags);
void	callout_destroy(callout_t *);
void	callout_setfunc(callout_t *, void (*)(void *), void *);
void	callout_reset(callout_t *, int ticks, void (*)(void *), void *);
void	callout_schedule(callout_t *, int ticks);
/* Cancel; returns true if the callout had already fired. */
bool	callout_stop(callout_t *);
/* Cancel and wait until a running handler has returned. */
bool	callout_halt(callout_t *, kmutex_t *interlock);
bool	callout_pending(callout_t *);
bool	callout_expired(callout_t *);
bool	callout_invoking(callout_t *);
void	callout_ack(callout_t *);

void	callout_startup(void);
void	callout_shutdown(void);

#endif /* !_SYS_CALLOUT_H_ */
