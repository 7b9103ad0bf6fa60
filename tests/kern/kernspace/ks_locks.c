/*
 * Kernel-side tests of mutexes, rwlocks and condition variables: many
 * kernel threads (each its own host thread) contend for one lock.
 */

#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>
#include <sys/systm.h>

#include "ks.h"

#define MAXTHREADS	32

/* Record a failure seen by a worker (workers race to set it). */
#define SETFAIL(ls, msg)	atomic_store_relaxed(&(ls)->fail, (msg))

struct lockstress {
	kmutex_t	mtx;
	krwlock_t	rw;
	int		iters;
	long		counter;	/* under the lock */
	u_int		inside;		/* writers/holders inside */
	u_int		readers;	/* readers inside */
	const char	*fail;
};

static void
mutex_worker(void *arg)
{
	struct lockstress *ls = arg;
	int i;

	for (i = 0; i < ls->iters; i++) {
		mutex_enter(&ls->mtx);
		if (!mutex_owned(&ls->mtx))
			SETFAIL(ls, "mutex_owned() false for the holder");
		if (atomic_inc_uint_nv(&ls->inside) != 1)
			SETFAIL(ls, "two holders inside a mutex");
		ls->counter++;
		atomic_dec_uint(&ls->inside);
		mutex_exit(&ls->mtx);
	}
	kthread_exit(0);
}

static const char *
run_workers(void (*fn)(void *), struct lockstress *ls, int nthreads)
{
	struct lwp *l[MAXTHREADS];
	int i;

	if (nthreads > MAXTHREADS)
		return "too many threads";
	for (i = 0; i < nthreads; i++)
		if (kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL, fn, ls,
		    &l[i], "stress%d", i) != 0)
			return "kthread_create failed";
	for (i = 0; i < nthreads; i++)
		kthread_join(l[i]);
	return NULL;
}

const char *
ks_mutex_stress(int nthreads, int iters)
{
	struct lockstress ls;
	const char *err;

	memset(&ls, 0, sizeof(ls));
	mutex_init(&ls.mtx, MUTEX_DEFAULT, IPL_NONE);
	ls.iters = iters;
	err = run_workers(mutex_worker, &ls, nthreads);
	if (err == NULL && ls.fail != NULL)
		err = ls.fail;
	if (err == NULL && ls.counter != (long)nthreads * iters)
		err = "lost updates under a mutex";
	if (err == NULL && mutex_owned(&ls.mtx))
		err = "mutex_owned() true after release";
	mutex_destroy(&ls.mtx);
	return err;
}

/* Every fourth pass a writer, else a reader. */
static void
rw_worker(void *arg)
{
	struct lockstress *ls = arg;
	int i;

	for (i = 0; i < ls->iters; i++) {
		if (i % 4 == 0) {
			rw_enter(&ls->rw, RW_WRITER);
			if (!rw_write_held(&ls->rw))
				SETFAIL(ls, "rw_write_held() false for the writer");
			if (atomic_inc_uint_nv(&ls->inside) != 1 ||
			    atomic_load_relaxed(&ls->readers) != 0)
				SETFAIL(ls, "writer not alone inside a rwlock");
			ls->counter++;
			atomic_dec_uint(&ls->inside);
		} else {
			rw_enter(&ls->rw, RW_READER);
			atomic_inc_uint(&ls->readers);
			if (atomic_load_relaxed(&ls->inside) != 0)
				SETFAIL(ls, "reader inside with a writer");
			if (!rw_read_held(&ls->rw))
				SETFAIL(ls, "rw_read_held() false for a reader");
			atomic_dec_uint(&ls->readers);
		}
		rw_exit(&ls->rw);
	}
	kthread_exit(0);
}

const char *
ks_rwlock_stress(int nthreads, int iters)
{
	struct lockstress ls;
	const char *err;

	memset(&ls, 0, sizeof(ls));
	rw_init(&ls.rw);
	ls.iters = iters;
	err = run_workers(rw_worker, &ls, nthreads);
	if (err == NULL && ls.fail != NULL)
		err = ls.fail;
	if (err == NULL && ls.counter != (long)nthreads * ((iters + 3) / 4))
		err = "lost updates under a write lock";
	if (err == NULL && rw_lock_held(&ls.rw))
		err = "rwlock still held";
	rw_destroy(&ls.rw);
	return err;
}

const char *
ks_cv_timeout(int ticks, int64_t *elapsed)
{
	kmutex_t mtx;
	kcondvar_t cv;
	int64_t t0;
	int rv;

	mutex_init(&mtx, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&cv, "kstest");
	mutex_enter(&mtx);
	t0 = getnsuptime();
	rv = cv_timedwait(&cv, &mtx, ticks);
	*elapsed = getnsuptime() - t0;
	if (!mutex_owned(&mtx))
		return "mutex not held after cv_timedwait";
	mutex_exit(&mtx);
	cv_destroy(&cv);
	mutex_destroy(&mtx);
	return rv == EWOULDBLOCK ? NULL : "cv_timedwait did not time out";
}

struct wakeup {
	kmutex_t	mtx;
	kcondvar_t	cv;
	bool		done;
};

static void
waker(void *arg)
{
	struct wakeup *w = arg;

	ks_sleep_ns(20 * 1000 * 1000);
	mutex_enter(&w->mtx);
	w->done = true;
	cv_signal(&w->cv);
	mutex_exit(&w->mtx);
	kthread_exit(0);
}

const char *
ks_cv_wakeup(int64_t *elapsed)
{
	struct wakeup w;
	struct lwp *l;
	int64_t t0;
	int rv = 0;

	memset(&w, 0, sizeof(w));
	mutex_init(&w.mtx, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&w.cv, "kstest");
	t0 = getnsuptime();
	if (kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL, waker, &w, &l,
	    "waker") != 0)
		return "kthread_create failed";
	mutex_enter(&w.mtx);
	while (!w.done && rv == 0)
		rv = cv_timedwait(&w.cv, &w.mtx, 10 * hz);
	mutex_exit(&w.mtx);
	*elapsed = getnsuptime() - t0;
	kthread_join(l);
	cv_destroy(&w.cv);
	mutex_destroy(&w.mtx);
	return w.done && rv == 0 ? NULL : "cv_timedwait was not woken";
}
