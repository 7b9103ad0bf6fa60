/*
 * Kernel reader/writer locks.  A waiting lwp gives up its virtual CPU.
 */
#ifndef _SYS_RWLOCK_H_
#define _SYS_RWLOCK_H_

#include <sys/types.h>

struct lwp;

typedef struct krwlock {
	void		*rw_hyp;	/* the host's rwlock */
	struct lwp	*rw_writer;	/* owner when write-held */
	u_int		rw_readers;	/* count when read-held */
} krwlock_t;

typedef enum { RW_READER = 0, RW_WRITER = 1 } krw_t;

void	rw_init(krwlock_t *);
void	rw_destroy(krwlock_t *);
void	rw_enter(krwlock_t *, krw_t);
int	rw_tryenter(krwlock_t *, krw_t);	/* 1: acquired */
void	rw_exit(krwlock_t *);
bool	rw_write_held(const krwlock_t *);	/* by the caller */
bool	rw_read_held(const krwlock_t *);	/* by anyone */
bool	rw_lock_held(const krwlock_t *);

#endif /* !_SYS_RWLOCK_H_ */
