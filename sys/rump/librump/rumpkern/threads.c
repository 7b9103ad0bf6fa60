/*
 * Kernel threads (rump glue): each kthread is a host thread running as
 * an lwp of proc0.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/condvar.h>
#include <sys/proc.h>
#include <sys/stdarg.h>
#include <sys/systm.h>

#include <rump/rumpuser.h>
#include <rump-sys/kern.h>

/* Exit of joinable threads: l_flag LW_EXITED and l_exitcode. */
static kmutex_t kthread_lock;
static kcondvar_t kthread_cv;
static bool kthread_inited;

static void *
kthread_start(void *arg)
{
	struct lwp *l = arg;

	rumpuser_curlwp_set(l);
	rump_cpu_acquire(l);
	(*l->l_func)(l->l_arg);
	kthread_exit(0);
}

int
kthread_create(int pri, int flags, struct cpu_info *ci,
    void (*func)(void *), void *arg, struct lwp **lp, const char *fmt, ...)
{
	char name[MAXCOMLEN];
	struct lwp *l;
	va_list ap;
	int error;

	if (!kthread_inited) {
		mutex_init(&kthread_lock, MUTEX_DEFAULT, IPL_NONE);
		cv_init(&kthread_cv, "kthrjoin");
		kthread_inited = true;
	}
	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);

	l = rump_lwp_alloc(&proc0, LW_SYSTEM | LW_BOUND |
	    ((flags & KTHREAD_MUSTJOIN) ? LW_MUSTJOIN : 0), name);
	l->l_func = func;
	l->l_arg = arg;
	error = rumpuser_thread_create(kthread_start, l, name,
	    (flags & KTHREAD_MUSTJOIN) != 0, &l->l_hostthread);
	if (error != 0) {
		rump_lwp_free(l);
		return error;
	}
	if (lp != NULL)
		*lp = l;
	return 0;
}

void
kthread_exit(int ecode)
{
	struct lwp *l = curlwp;

	KASSERT(l->l_flag & LW_SYSTEM);
	if (l->l_flag & LW_MUSTJOIN) {
		mutex_enter(&kthread_lock);
		l->l_exitcode = ecode;
		l->l_flag |= LW_EXITED;
		cv_broadcast(&kthread_cv);
		mutex_exit(&kthread_lock);
		rump_cpu_release(l);
		rumpuser_curlwp_set(NULL);
	} else {
		/*
		 * Nobody will look at l again: hand the CPU to a temporary
		 * lwp, free l with it, then let the temporary lwp go.
		 */
		rump_lwproc_switch(NULL);
		rump_lwp_free(l);
		rump_lwp_temp_free(curlwp);
	}
	rumpuser_thread_exit();
}

int
kthread_join(struct lwp *l)
{
	int error, ecode;

	mutex_enter(&kthread_lock);
	KASSERT(l->l_flag & LW_MUSTJOIN);
	while ((l->l_flag & LW_EXITED) == 0)
		cv_wait(&kthread_cv, &kthread_lock);
	ecode = l->l_exitcode;
	mutex_exit(&kthread_lock);

	rump_cpu_release(curlwp);
	error = rumpuser_thread_join(l->l_hostthread);
	rump_cpu_acquire(curlwp);
	if (error != 0)
		panic("kthread_join: host join failed: %d", error);
	rump_lwp_free(l);
	return ecode;
}
