/*
 * Callouts (kernel): functions run once at a later time by the callout
 * thread.  Pending callouts sit in one queue sorted by due time and, for
 * equal times, by the order they were scheduled.  The thread sleeps
 * until the first one is due (no periodic tick).
 *
 * Locking: callout_lock protects the queue and every callout's flags.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/callout.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/systm.h>
#include <sys/time.h>

static TAILQ_HEAD(callout_qhead, callout) callout_queue =
    TAILQ_HEAD_INITIALIZER(callout_queue);
static kmutex_t callout_lock;
static kcondvar_t callout_cv;		/* the thread waits for work */
static kcondvar_t callout_donecv;	/* a handler has returned */
static callout_t *callout_running;	/* handler being run */
static struct lwp *callout_lwp;
static uint64_t callout_seq;
static bool callout_exiting;

void
callout_init(callout_t *c, u_int flags)
{

	memset(c, 0, sizeof(*c));
	c->c_flags = flags & CALLOUT_MPSAFE;
}

void
callout_destroy(callout_t *c)
{

	KASSERTMSG((c->c_flags & CALLOUT_PENDING) == 0,
	    "callout_destroy: callout %p still pending", c);
	KASSERT(callout_running != c);
}

void
callout_setfunc(callout_t *c, void (*func)(void *), void *arg)
{

	mutex_enter(&callout_lock);
	c->c_func = func;
	c->c_arg = arg;
	mutex_exit(&callout_lock);
}

/* Queue c to run at c->c_due; callout_lock held. */
static void
callout_enqueue(callout_t *c)
{
	callout_t *it;

	c->c_seq = callout_seq++;
	TAILQ_FOREACH_REVERSE(it, &callout_queue, callout_qhead, c_entry)
		if (it->c_due <= c->c_due)
			break;
	if (it == NULL)
		TAILQ_INSERT_HEAD(&callout_queue, c, c_entry);
	else
		TAILQ_INSERT_AFTER(&callout_queue, it, c, c_entry);
	c->c_flags |= CALLOUT_PENDING;
	c->c_flags &= ~(CALLOUT_FIRED | CALLOUT_INVOKING);
	if (TAILQ_FIRST(&callout_queue) == c)
		cv_signal(&callout_cv);
}

void
callout_schedule(callout_t *c, int ticks)
{

	KASSERT(c->c_func != NULL);
	if (ticks <= 0)
		ticks = 1;
	mutex_enter(&callout_lock);
	if (c->c_flags & CALLOUT_PENDING)
		TAILQ_REMOVE(&callout_queue, c, c_entry);
	c->c_due = getnsuptime() + (int64_t)ticks * (NSEC_PER_SEC / hz);
	callout_enqueue(c);
	mutex_exit(&callout_lock);
}

void
callout_reset(callout_t *c, int ticks, void (*func)(void *), void *arg)
{

	mutex_enter(&callout_lock);
	c->c_func = func;
	c->c_arg = arg;
	mutex_exit(&callout_lock);
	callout_schedule(c, ticks);
}

bool
callout_stop(callout_t *c)
{
	bool expired;

	mutex_enter(&callout_lock);
	if (c->c_flags & CALLOUT_PENDING) {
		TAILQ_REMOVE(&callout_queue, c, c_entry);
		c->c_flags &= ~CALLOUT_PENDING;
	}
	expired = (c->c_flags & CALLOUT_FIRED) != 0;
	c->c_flags &= ~CALLOUT_FIRED;
	mutex_exit(&callout_lock);
	return expired;
}

bool
callout_halt(callout_t *c, kmutex_t *interlock)
{
	bool expired;

	expired = callout_stop(c);
	mutex_enter(&callout_lock);
	while (callout_running == c && curlwp != callout_lwp) {
		/* Let the handler take the interlock it may need. */
		if (interlock != NULL)
			mutex_exit(interlock);
		cv_wait(&callout_donecv, &callout_lock);
		if (interlock != NULL) {
			mutex_exit(&callout_lock);
			mutex_enter(interlock);
			mutex_enter(&callout_lock);
		}
	}
	mutex_exit(&callout_lock);
	return expired;
}

bool
callout_pending(callout_t *c)
{

	return (c->c_flags & CALLOUT_PENDING) != 0;
}

bool
callout_expired(callout_t *c)
{

	return (c->c_flags & CALLOUT_FIRED) != 0;
}

bool
callout_invoking(callout_t *c)
{

	return (c->c_flags & CALLOUT_INVOKING) != 0;
}

void
callout_ack(callout_t *c)
{

	mutex_enter(&callout_lock);
	c->c_flags &= ~CALLOUT_INVOKING;
	mutex_exit(&callout_lock);
}

/* The callout thread: run what is due, sleep until the next is. */
static void
callout_thread(void *arg)
{
	void (*func)(void *);
	callout_t *c;
	int64_t wait;

	mutex_enter(&callout_lock);
	while (!callout_exiting) {
		if ((c = TAILQ_FIRST(&callout_queue)) == NULL) {
			cv_wait(&callout_cv, &callout_lock);
			continue;
		}
		if ((wait = c->c_due - getnsuptime()) > 0) {
			(void)cv_timedwait_ns(&callout_cv, &callout_lock, wait);
			continue;
		}
		TAILQ_REMOVE(&callout_queue, c, c_entry);
		c->c_flags &= ~CALLOUT_PENDING;
		c->c_flags |= CALLOUT_FIRED | CALLOUT_INVOKING;
		func = c->c_func;
		arg = c->c_arg;
		callout_running = c;
		mutex_exit(&callout_lock);
		(*func)(arg);
		mutex_enter(&callout_lock);
		callout_running = NULL;
		cv_broadcast(&callout_donecv);
	}
	mutex_exit(&callout_lock);
	kthread_exit(0);
}

void
callout_startup(void)
{
	int error;

	mutex_init(&callout_lock, MUTEX_DEFAULT, IPL_SCHED);
	cv_init(&callout_cv, "callout");
	cv_init(&callout_donecv, "calldone");
	callout_exiting = false;
	error = kthread_create(PRI_NONE, KTHREAD_MPSAFE | KTHREAD_MUSTJOIN,
	    NULL, callout_thread, NULL, &callout_lwp, "callout");
	if (error != 0)
		panic("callout_startup: cannot create thread: %d", error);
}

/* Stop the callout thread at shutdown; pending callouts never run. */
void
callout_shutdown(void)
{

	if (callout_lwp == NULL)
		return;
	mutex_enter(&callout_lock);
	callout_exiting = true;
	cv_signal(&callout_cv);
	mutex_exit(&callout_lock);
	kthread_join(callout_lwp);
	callout_lwp = NULL;
}
