/*
 * The hypercall layer on pthreads (host side, below the rump kernel):
 * host threads, the current-lwp slot, mutexes, reader/writer locks and
 * condition variables.  These are plain host primitives: the kernel
 * keeps owner information and gives up its virtual CPU around anything
 * that may block.  A lock operation the host refuses (EDEADLK, EPERM,
 * ...) can only be a bug in kernel code, so it prints a line and aborts.
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rumpuser_int.h"

/* Linux limits thread names to 15 characters and the NUL. */
#define THREADNAME_MAX		16

struct rumpuser_mtx {
	pthread_mutex_t		rm_mtx;
};

struct rumpuser_rw {
	pthread_rwlock_t	rr_rw;
};

struct rumpuser_cv {
	pthread_cond_t		rc_cv;
};

/*
 * Threads
 */

/* What a new thread needs before it calls its function. */
struct thread_start {
	void			*(*ts_func)(void *);
	void			*ts_arg;
	char			ts_name[THREADNAME_MAX];
};

/*
 * The first code of every thread: the new thread names itself (naming it
 * from the creator would race with a detached thread that has already
 * exited) and frees its start record.
 */
static void *
thread_trampoline(void *arg)
{
	struct thread_start ts;

	memcpy(&ts, arg, sizeof(ts));
	free(arg);
	if (ts.ts_name[0] != '\0')
		(void)pthread_setname_np(pthread_self(), ts.ts_name);
	return ts.ts_func(ts.ts_arg);
}

int
rumpuser__thread_spawn(void *(*f)(void *), void *arg, const char *name,
    int joinable, pthread_t *ptp)
{
	struct thread_start *ts;
	pthread_attr_t attr;
	sigset_t blocked, saved;
	pthread_t pt;
	int error;

	if ((ts = malloc(sizeof(*ts))) == NULL) {
		error = ENOMEM;
		goto out;
	}
	ts->ts_func = f;
	ts->ts_arg = arg;
	ts->ts_name[0] = '\0';
	if (name != NULL)
		snprintf(ts->ts_name, sizeof(ts->ts_name), "%s", name);

	if ((error = pthread_attr_init(&attr)) != 0)
		goto fail_ts;
	error = pthread_attr_setdetachstate(&attr, joinable ?
	    PTHREAD_CREATE_JOINABLE : PTHREAD_CREATE_DETACHED);
	if (error != 0)
		goto fail_attr;

	/*
	 * A new thread inherits its creator's signal mask: block every
	 * signal but those a fault raises in the thread itself, for the
	 * time of pthread_create().
	 */
	sigfillset(&blocked);
	sigdelset(&blocked, SIGSEGV);
	sigdelset(&blocked, SIGBUS);
	sigdelset(&blocked, SIGFPE);
	sigdelset(&blocked, SIGILL);
	sigdelset(&blocked, SIGTRAP);
	sigdelset(&blocked, SIGSYS);
	sigdelset(&blocked, SIGABRT);
	if ((error = pthread_sigmask(SIG_SETMASK, &blocked, &saved)) != 0)
		goto fail_attr;
	error = pthread_create(&pt, &attr, thread_trampoline, ts);
	(void)pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (error != 0)
		goto fail_attr;

	/* The thread owns ts now. */
	(void)pthread_attr_destroy(&attr);
	if (joinable && ptp != NULL)
		*ptp = pt;
	return 0;

 fail_attr:
	(void)pthread_attr_destroy(&attr);
 fail_ts:
	free(ts);
 out:
	return error;
}

int
rumpuser_thread_create(void *(*f)(void *), void *arg, const char *name,
    int joinable, void **cookiep)
{
	pthread_t *ptp = NULL;
	int error;

	/*
	 * The cookie of a joinable thread is a box holding its pthread_t
	 * (which is not necessarily a pointer), freed by the join.
	 */
	if (joinable && (ptp = malloc(sizeof(*ptp))) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if ((error = rumpuser__thread_spawn(f, arg, name, joinable,
	    ptp)) != 0) {
		free(ptp);
		goto out;
	}
	if (joinable)
		*cookiep = ptp;
 out:
	return KERR(error);
}

void
rumpuser_thread_exit(void)
{

	pthread_exit(NULL);
}

int
rumpuser_thread_join(void *cookie)
{
	pthread_t *ptp = cookie;
	int error;

	/* On failure the thread is not released: keep its box. */
	if ((error = pthread_join(*ptp, NULL)) != 0)
		return KERR(error);
	free(ptp);
	return 0;
}

/*
 * The current-lwp slot: one pointer per host thread, read and written
 * on every kernel entry.  The initial-exec TLS model makes each access a
 * single load or store at a fixed offset from the thread pointer, with
 * no call to __tls_get_addr (the library must then be loaded at program
 * start or fit in the host's static TLS reserve when dlopen()ed, which
 * one pointer does).
 */
static __thread struct lwp *curlwp_slot
    __attribute__((__tls_model__("initial-exec")));

void
rumpuser_curlwp_set(struct lwp *l)
{

	curlwp_slot = l;
}

struct lwp *
rumpuser_curlwp(void)
{

	return curlwp_slot;
}

/*
 * Mutexes
 */

int
rumpuser_mutex_init(struct rumpuser_mtx **mtxp, int flags)
{
	struct rumpuser_mtx *mtx;
	pthread_mutexattr_t attr;
	int type, error;

	if ((mtx = malloc(sizeof(*mtx))) == NULL) {
		error = ENOMEM;
		goto out;
	}

	/*
	 * A debug build checks ownership on the host too.  Otherwise a
	 * mutex with short hold times spins a little before it sleeps
	 * (glibc's adaptive mutex), and any other is the host's default.
	 */
#ifdef RUMPUSER_DEBUG
	type = PTHREAD_MUTEX_ERRORCHECK;
#else
	type = (flags & RUMPUSER_MTX_SPIN) != 0 ?
	    PTHREAD_MUTEX_ADAPTIVE_NP : PTHREAD_MUTEX_DEFAULT;
#endif
	if ((error = pthread_mutexattr_init(&attr)) != 0)
		goto fail_mtx;
	if ((error = pthread_mutexattr_settype(&attr, type)) != 0)
		goto fail_attr;
	if ((error = pthread_mutex_init(&mtx->rm_mtx, &attr)) != 0)
		goto fail_attr;
	(void)pthread_mutexattr_destroy(&attr);
	*mtxp = mtx;
	return 0;

 fail_attr:
	(void)pthread_mutexattr_destroy(&attr);
 fail_mtx:
	free(mtx);
 out:
	return KERR(error);
}

void
rumpuser_mutex_enter(struct rumpuser_mtx *mtx)
{
	int error;

	if (pthread_mutex_trylock(&mtx->rm_mtx) == 0)
		return;
	RUMPUSER_WILLBLOCK();
	error = pthread_mutex_lock(&mtx->rm_mtx);
	if (__builtin_expect(error != 0, 0))
		rumpuser__fatal("mutex_enter", error);
}

int
rumpuser_mutex_tryenter(struct rumpuser_mtx *mtx)
{
	int error;

	error = pthread_mutex_trylock(&mtx->rm_mtx);
	if (__builtin_expect(error == 0, 1))
		return 0;
	if (error != EBUSY)
		rumpuser__fatal("mutex_tryenter", error);
	return KERR(EBUSY);
}

void
rumpuser_mutex_exit(struct rumpuser_mtx *mtx)
{
	int error;

	error = pthread_mutex_unlock(&mtx->rm_mtx);
	if (__builtin_expect(error != 0, 0))
		rumpuser__fatal("mutex_exit", error);
}

void
rumpuser_mutex_destroy(struct rumpuser_mtx *mtx)
{
	int error;

	/* EBUSY here means the kernel destroys a mutex it still holds. */
	if ((error = pthread_mutex_destroy(&mtx->rm_mtx)) != 0)
		rumpuser__fatal("mutex_destroy", error);
	free(mtx);
}

/*
 * Reader/writer locks
 */

int
rumpuser_rw_init(struct rumpuser_rw **rwp)
{
	struct rumpuser_rw *rw;
	pthread_rwlockattr_t attr;
	int error;

	if ((rw = malloc(sizeof(*rw))) == NULL) {
		error = ENOMEM;
		goto out;
	}

	/*
	 * Kernel rwlocks let a waiting writer hold off new readers, so a
	 * stream of readers cannot starve it (glibc's default prefers
	 * readers).  As in the kernel, a reader must not take the lock
	 * again while a writer waits.
	 */
	if ((error = pthread_rwlockattr_init(&attr)) != 0)
		goto fail_rw;
	error = pthread_rwlockattr_setkind_np(&attr,
	    PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	if (error != 0)
		goto fail_attr;
	if ((error = pthread_rwlock_init(&rw->rr_rw, &attr)) != 0)
		goto fail_attr;
	(void)pthread_rwlockattr_destroy(&attr);
	*rwp = rw;
	return 0;

 fail_attr:
	(void)pthread_rwlockattr_destroy(&attr);
 fail_rw:
	free(rw);
 out:
	return KERR(error);
}

void
rumpuser_rw_enter(struct rumpuser_rw *rw, int op)
{
	int error;

	RUMPUSER_WILLBLOCK();
	switch (op) {
	case RUMPUSER_RW_READER:
		error = pthread_rwlock_rdlock(&rw->rr_rw);
		break;
	case RUMPUSER_RW_WRITER:
		error = pthread_rwlock_wrlock(&rw->rr_rw);
		break;
	default:
		error = EINVAL;
		break;
	}
	if (__builtin_expect(error != 0, 0))
		rumpuser__fatal("rw_enter", error);
}

int
rumpuser_rw_tryenter(struct rumpuser_rw *rw, int op)
{
	int error;

	switch (op) {
	case RUMPUSER_RW_READER:
		error = pthread_rwlock_tryrdlock(&rw->rr_rw);
		break;
	case RUMPUSER_RW_WRITER:
		error = pthread_rwlock_trywrlock(&rw->rr_rw);
		break;
	default:
		error = EINVAL;
		break;
	}
	if (__builtin_expect(error == 0, 1))
		return 0;
	/* EAGAIN: the host's reader count is full, also "not now". */
	if (error != EBUSY && error != EAGAIN)
		rumpuser__fatal("rw_tryenter", error);
	return KERR(EBUSY);
}

void
rumpuser_rw_exit(struct rumpuser_rw *rw)
{
	int error;

	error = pthread_rwlock_unlock(&rw->rr_rw);
	if (__builtin_expect(error != 0, 0))
		rumpuser__fatal("rw_exit", error);
}

void
rumpuser_rw_destroy(struct rumpuser_rw *rw)
{
	int error;

	if ((error = pthread_rwlock_destroy(&rw->rr_rw)) != 0)
		rumpuser__fatal("rw_destroy", error);
	free(rw);
}

/*
 * Condition variables
 */

int
rumpuser_cv_init(struct rumpuser_cv **cvp)
{
	struct rumpuser_cv *cv;
	pthread_condattr_t attr;
	int error;

	if ((cv = malloc(sizeof(*cv))) == NULL) {
		error = ENOMEM;
		goto out;
	}

	/* Deadlines are on the monotonic clock, as rumpuser.h says. */
	if ((error = pthread_condattr_init(&attr)) != 0)
		goto fail_cv;
	if ((error = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)) != 0)
		goto fail_attr;
	if ((error = pthread_cond_init(&cv->rc_cv, &attr)) != 0)
		goto fail_attr;
	(void)pthread_condattr_destroy(&attr);
	*cvp = cv;
	return 0;

 fail_attr:
	(void)pthread_condattr_destroy(&attr);
 fail_cv:
	free(cv);
 out:
	return KERR(error);
}

void
rumpuser_cv_destroy(struct rumpuser_cv *cv)
{
	int error;

	if ((error = pthread_cond_destroy(&cv->rc_cv)) != 0)
		rumpuser__fatal("cv_destroy", error);
	free(cv);
}

void
rumpuser_cv_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx)
{
	int error;

	RUMPUSER_WILLBLOCK();
	error = pthread_cond_wait(&cv->rc_cv, &mtx->rm_mtx);
	if (__builtin_expect(error != 0, 0))
		rumpuser__fatal("cv_wait", error);
}

int
rumpuser_cv_timedwait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
    int64_t sec, long nsec)
{
	struct timespec ts;
	int error;

	if (nsec < 0 || nsec >= NSEC_PER_SEC)
		rumpuser__fatal("cv_timedwait: deadline out of range", EINVAL);

	/* A deadline before the clock's origin has passed already. */
	if (sec < 0)
		return KERR(ETIMEDOUT);
	ts.tv_sec = sec > (int64_t)TIME_T_MAX ? TIME_T_MAX : (time_t)sec;
	ts.tv_nsec = nsec;

	RUMPUSER_WILLBLOCK();
	error = pthread_cond_timedwait(&cv->rc_cv, &mtx->rm_mtx, &ts);
	if (error == 0)
		return 0;
	if (error != ETIMEDOUT)
		rumpuser__fatal("cv_timedwait", error);
	return KERR(ETIMEDOUT);
}

/*
 * Signalling has no error the host reports for a valid condition
 * variable, so these are the bare host calls.
 */
void
rumpuser_cv_signal(struct rumpuser_cv *cv)
{

	(void)pthread_cond_signal(&cv->rc_cv);
}

void
rumpuser_cv_broadcast(struct rumpuser_cv *cv)
{

	(void)pthread_cond_broadcast(&cv->rc_cv);
}
