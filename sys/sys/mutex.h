/*
 * Kernel mutexes.  mutex_enter() may sleep; a waiting lwp gives up its
 * virtual CPU.  Spin and adaptive mutexes behave alike (there are no
 * interrupts); the IPL argument is kept for the interface's sake.
 */
#ifndef _SYS_MUTEX_H_
#define _SYS_MUTEX_H_

#include <sys/types.h>

struct lwp;

typedef struct kmutex {
	void		*mtx_hyp;	/* the host's mutex */
	struct lwp	*mtx_owner;
} kmutex_t;

typedef enum { MUTEX_DEFAULT, MUTEX_DRIVER, MUTEX_SPIN } kmutex_type_t;
#define IPL_NONE	0
#define IPL_SOFTNET	1
#define IPL_VM		2
#define IPL_SCHED	3
#define IPL_HIGH	4

void	mutex_init(kmutex_t *, kmutex_type_t, int ipl);
void	mutex_destroy(kmutex_t *);
void	mutex_enter(kmutex_t *);
int	mutex_tryenter(kmutex_t *);		/* 1: acquired */
void	mutex_exit(kmutex_t *);
bool	mutex_owned(const kmutex_t *);
void	mutex_spin_enter(kmutex_t *);
void	mutex_spin_exit(kmutex_t *);

#endif /* !_SYS_MUTEX_H_ */
