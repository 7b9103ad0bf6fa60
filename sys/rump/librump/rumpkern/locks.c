/*
 * Mutexes, reader/writer locks and condition variables (rump glue), on
 * the host's primitives.  Whenever a lock or a wait would block on the
 * host, the lwp first gives up its virtual CPU, so a blocked thread
 * never keeps another from running kernel code.
 */

#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/rwlock.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <rump/rumpuser.h>
#include <rump-sys/kern.h>

#define HMTX(m)	((struct rumpuser_mtx *)(m)->mtx_hyp)
#define HRW(r)	((struct rumpuser_rw *)(r)->rw_hyp)
#define HCV(c)	((struct rumpuser_cv *)(c)->cv_hyp)

void
mutex_init(kmutex_t *mtx, kmutex_type_t type, int ipl)
{
	struct rumpuser_mtx *h;

	if (rumpuser_mutex_init(&h, type == MUTEX_SPIN || ipl != IPL_NONE ?
	    RUMPUSER_MTX_SPIN : 0) != 0)
		panic("mutex_init: out of host memory");
	mtx->mtx_hyp = h;
	atomic_store_relaxed(&mtx->mtx_owner, NULL);
}

void
mutex_destroy(kmutex_t *mtx)
{

	KASSERTMSG(atomic_load_relaxed(&mtx->mtx_owner) == NULL,
	    "mutex_destroy: %p held", mtx);
	rumpuser_mutex_destroy(HMTX(mtx));
	mtx->mtx_hyp = NULL;
}

void
mutex_enter(kmutex_t *mtx)
{
	struct lwp *l = curlwp;

	KASSERTMSG(atomic_load_relaxed(&mtx->mtx_owner) != l,
	    "mutex_enter: %p: locking against myself", mtx);
	if (__predict_false(rumpuser_mutex_tryenter(HMTX(mtx)) != 0)) {
		rump_cpu_release(l);
		rumpuser_mutex_enter(HMTX(mtx));
		rump_cpu_acquire(l);
	}
	atomic_store_relaxed(&mtx->mtx_owner, l);
}

int
mutex_tryenter(kmutex_t *mtx)
{

	if (rumpuser_mutex_tryenter(HMTX(mtx)) != 0)
		return 0;
	atomic_store_relaxed(&mtx->mtx_owner, curlwp);
	return 1;
}

void
mutex_exit(kmutex_t *mtx)
{

	KASSERTMSG(atomic_load_relaxed(&mtx->mtx_owner) == curlwp,
	    "mutex_exit: %p not owned", mtx);
	atomic_store_relaxed(&mtx->mtx_owner, NULL);
	rumpuser_mutex_exit(HMTX(mtx));
}

bool
mutex_owned(const kmutex_t *mtx)
{

	return atomic_load_relaxed(&mtx->mtx_owner) == curlwp;
}

void
mutex_spin_enter(kmutex_t *mtx)
{

	mutex_enter(mtx);
}

void
mutex_spin_exit(kmutex_t *mtx)
{

	mutex_exit(mtx);
}

void
rw_init(krwlock_t *rw)
{
	struct rumpuser_rw *h;

	if (rumpuser_rw_init(&h) != 0)
		panic("rw_init: out of host memory");
	rw->rw_hyp = h;
	atomic_store_relaxed(&rw->rw_writer, NULL);
	rw->rw_readers = 0;
}

void
rw_destroy(krwlock_t *rw)
{

	KASSERTMSG(!rw_lock_held(rw), "rw_destroy: %p held", rw);
	rumpuser_rw_destroy(HRW(rw));
	rw->rw_hyp = NULL;
}

static inline void
rw_acquired(krwlock_t *rw, krw_t op)
{

	if (op == RW_WRITER)
		atomic_store_relaxed(&rw->rw_writer, curlwp);
	else
		atomic_inc_uint(&rw->rw_readers);
}

void
rw_enter(krwlock_t *rw, krw_t op)
{
	int hop = op == RW_WRITER ? RUMPUSER_RW_WRITER : RUMPUSER_RW_READER;
	struct lwp *l = curlwp;

	KASSERTMSG(atomic_load_relaxed(&rw->rw_writer) != l,
	    "rw_enter: %p: locking against myself", rw);
	if (__predict_false(rumpuser_rw_tryenter(HRW(rw), hop) != 0)) {
		rump_cpu_release(l);
		rumpuser_rw_enter(HRW(rw), hop);
		rump_cpu_acquire(l);
	}
	rw_acquired(rw, op);
}

int
rw_tryenter(krwlock_t *rw, krw_t op)
{
	int hop = op == RW_WRITER ? RUMPUSER_RW_WRITER : RUMPUSER_RW_READER;

	if (rumpuser_rw_tryenter(HRW(rw), hop) != 0)
		return 0;
	rw_acquired(rw, op);
	return 1;
}

void
rw_exit(krwlock_t *rw)
{

	if (atomic_load_relaxed(&rw->rw_writer) != NULL) {
		KASSERTMSG(atomic_load_relaxed(&rw->rw_writer) == curlwp,
		    "rw_exit: %p write-held by another lwp", rw);
		atomic_store_relaxed(&rw->rw_writer, NULL);
	} else {
		KASSERTMSG(atomic_load_relaxed(&rw->rw_readers) > 0,
		    "rw_exit: %p not held", rw);
		atomic_dec_uint(&rw->rw_readers);
	}
	rumpuser_rw_exit(HRW(rw));
}

bool
rw_write_held(const krwlock_t *rw)
{

	return atomic_load_relaxed(&rw->rw_writer) == curlwp;
}

bool
rw_read_held(const krwlock_t *rw)
{

	return atomic_load_relaxed(&rw->rw_readers) > 0;
}

bool
rw_lock_held(const krwlock_t *rw)
{

	return atomic_load_relaxed(&rw->rw_writer) != NULL ||
	    rw_read_held(rw);
}

void
cv_init(kcondvar_t *cv, const char *wmesg)
{
	struct rumpuser_cv *h;

	if (rumpuser_cv_init(&h) != 0)
		panic("cv_init: out of host memory");
	cv->cv_hyp = h;
	cv->cv_waiters = 0;
}

void
cv_destroy(kcondvar_t *cv)
{

	KASSERTMSG(cv->cv_waiters == 0, "cv_destroy: %p has waiters", cv);
	rumpuser_cv_destroy(HCV(cv));
	cv->cv_hyp = NULL;
}

/*
 * Wait on the host with the CPU released, then get the CPU back.  If no
 * CPU is free at once, drop the mutex while waiting for one, so the
 * mutex is never held by a thread that cannot run.  Returns the host's
 * answer (0 or the kernel's ETIMEDOUT).
 */
static int
cv_dowait(kcondvar_t *cv, kmutex_t *mtx, int64_t deadline)
{
	struct lwp *l = curlwp;
	struct timespec ts;
	int rv = 0;

	KASSERTMSG(atomic_load_relaxed(&mtx->mtx_owner) == l,
	    "cv_wait: mutex %p not held", mtx);
	cv->cv_waiters++;
	atomic_store_relaxed(&mtx->mtx_owner, NULL);
	rump_cpu_release(l);
	if (deadline < 0)
		rumpuser_cv_wait(HCV(cv), HMTX(mtx));
	else {
		ns2timespec(deadline, &ts);
		rv = rumpuser_cv_timedwait(HCV(cv), HMTX(mtx), ts.tv_sec,
		    ts.tv_nsec);
	}
	if (rump_cpu_tryacquire(l))
		atomic_store_relaxed(&mtx->mtx_owner, l);
	else {
		/* mutex_enter() gives the CPU up again if it must wait. */
		rumpuser_mutex_exit(HMTX(mtx));
		rump_cpu_acquire(l);
		mutex_enter(mtx);
	}
	cv->cv_waiters--;
	return rv;
}

void
cv_wait(kcondvar_t *cv, kmutex_t *mtx)
{

	(void)cv_dowait(cv, mtx, -1);
}

/*
 * Interruptible waits.  An lwp that sleeps in one records the condition
 * variable and mutex under sig_lock; proc_interrupt() marks its process
 * and wakes every such lwp.  The waker must hold the sleeper's mutex
 * while it signals, or the sleeper could miss it between its check and
 * its wait; it takes the mutex with a try (the sleeper takes sig_lock
 * while holding it, the opposite order) and tries again later if that
 * fails.  Holding sig_lock keeps the sleeper from returning, so the
 * recorded objects stay valid meanwhile.
 */
static struct rumpuser_mtx *sig_lock;

void
rump_sig_init(void)
{

	if (rumpuser_mutex_init(&sig_lock, RUMPUSER_MTX_SPIN) != 0)
		panic("cannot create sig_lock");
}

static int
cv_dowait_sig(kcondvar_t *cv, kmutex_t *mtx, int64_t deadline)
{
	struct lwp *l = curlwp;
	int rv;

	rumpuser_mutex_enter(sig_lock);
	if (l->l_proc->p_intr) {
		rumpuser_mutex_exit(sig_lock);
		return EINTR;
	}
	l->l_sleepcv = cv;
	l->l_sleepmtx = mtx;
	rumpuser_mutex_exit(sig_lock);
	rv = cv_dowait(cv, mtx, deadline);
	rumpuser_mutex_enter(sig_lock);
	l->l_sleepcv = NULL;
	l->l_sleepmtx = NULL;
	if (l->l_proc->p_intr)
		rv = EINTR;
	rumpuser_mutex_exit(sig_lock);
	return rv;
}

int
cv_wait_sig(kcondvar_t *cv, kmutex_t *mtx)
{

	return cv_dowait_sig(cv, mtx, -1) == EINTR ? EINTR : 0;
}

int
cv_timedwait_sig_ns(kcondvar_t *cv, kmutex_t *mtx, int64_t nsecs)
{
	int64_t now;
	int rv;

	if (nsecs <= 0)
		return EWOULDBLOCK;
	now = getnsuptime();
	if (nsecs > INT64_MAX - now)
		nsecs = INT64_MAX - now;
	rv = cv_dowait_sig(cv, mtx, now + nsecs);
	return rv == ETIMEDOUT ? EWOULDBLOCK : rv;
}

void
proc_interrupt(struct proc *p)
{
	struct lwp *l, *self = curlwp;
	kmutex_t *m;
	bool again;

	do {
		again = false;
		mutex_enter(&p->p_lock);
		rumpuser_mutex_enter(sig_lock);
		p->p_intr = true;
		LIST_FOREACH(l, &p->p_lwps, l_sibling) {
			if ((m = l->l_sleepmtx) == NULL)
				continue;
			/* Asleep on p_lock, which we hold: it waits. */
			if (m == &p->p_lock)
				cv_broadcast(l->l_sleepcv);
			else if (rumpuser_mutex_tryenter(HMTX(m)) == 0) {
				cv_broadcast(l->l_sleepcv);
				rumpuser_mutex_exit(HMTX(m));
			} else
				again = true;
		}
		rumpuser_mutex_exit(sig_lock);
		mutex_exit(&p->p_lock);
		if (again) {
			rump_cpu_release(self);
			rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 1000000);
			rump_cpu_acquire(self);
		}
	} while (again);
}

int
cv_timedwait_ns(kcondvar_t *cv, kmutex_t *mtx, int64_t nsecs)
{
	int64_t now;

	if (nsecs <= 0)
		return EWOULDBLOCK;
	now = getnsuptime();
	if (nsecs > INT64_MAX - now)
		nsecs = INT64_MAX - now;
	return cv_dowait(cv, mtx, now + nsecs) == ETIMEDOUT ?
	    EWOULDBLOCK : 0;
}

int
cv_timedwait(kcondvar_t *cv, kmutex_t *mtx, int ticks)
{

	if (ticks <= 0) {
		cv_wait(cv, mtx);
		return 0;
	}
	return cv_timedwait_ns(cv, mtx, (int64_t)ticks * (NSEC_PER_SEC / hz));
}

void
cv_signal(kcondvar_t *cv)
{

	rumpuser_cv_signal(HCV(cv));
}

void
cv_broadcast(kcondvar_t *cv)
{

	rumpuser_cv_broadcast(HCV(cv));
}

bool
cv_has_waiters(kcondvar_t *cv)
{

	return cv->cv_waiters != 0;
}
