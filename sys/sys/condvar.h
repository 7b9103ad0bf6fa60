/*
 * Condition variables, used with a kmutex_t.  Timed waits take ticks
 * (0: no limit) or nanoseconds and return EWOULDBLOCK on timeout.
 * The _sig waits also return EINTR when the process is interrupted
 * (proc_interrupt(): its client is gone); callers give up and return
 * EINTR too.
 */
#ifndef _SYS_CONDVAR_H_
#define _SYS_CONDVAR_H_

#include <sys/mutex.h>

typedef struct kcondvar {
	void		*cv_hyp;	/* the host's condition variable */
	u_int		cv_waiters;
} kcondvar_t;

void	cv_init(kcondvar_t *, const char *wmesg);
void	cv_destroy(kcondvar_t *);
void	cv_wait(kcondvar_t *, kmutex_t *);
int	cv_wait_sig(kcondvar_t *, kmutex_t *);
int	cv_timedwait(kcondvar_t *, kmutex_t *, int ticks);
int	cv_timedwait_ns(kcondvar_t *, kmutex_t *, int64_t nsecs);
int	cv_timedwait_sig_ns(kcondvar_t *, kmutex_t *, int64_t nsecs);
void	cv_signal(kcondvar_t *);
void	cv_broadcast(kcondvar_t *);
bool	cv_has_waiters(kcondvar_t *);

#endif /* !_SYS_CONDVAR_H_ */
