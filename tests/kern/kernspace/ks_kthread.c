/*
 * Kernel-side tests of kernel threads: create, exit with a code, join;
 * and detached threads that clean up after themselves.
 */

#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include "ks.h"

#define MAXTHREADS	64

static u_int detached_ran;

static void
exiter(void *arg)
{
	struct lwp *l = curlwp;

	if (l->l_proc != &proc0 || (l->l_flag & LW_SYSTEM) == 0)
		kthread_exit(-1);
	kthread_exit((int)(intptr_t)arg);
}

const char *
ks_kthread_join(int n)
{
	struct lwp *l[MAXTHREADS];
	int i;

	if (n > MAXTHREADS)
		return "too many threads";
	for (i = 0; i < n; i++)
		if (kthread_create(PRI_NONE, KTHREAD_MUSTJOIN, NULL, exiter,
		    (void *)(intptr_t)(i + 100), &l[i], "join%d", i) != 0)
			return "kthread_create failed";
	/* Join in reverse order: order of exit must not matter. */
	for (i = n - 1; i >= 0; i--)
		if (kthread_join(l[i]) != i + 100)
			return "kthread_join returned the wrong exit code";
	return NULL;
}

static void
detached(void *arg)
{

	atomic_inc_uint(&detached_ran);
	kthread_exit(0);
}

const char *
ks_kthread_detached(int n)
{
	int i, waited;

	detached_ran = 0;
	for (i = 0; i < n; i++)
		if (kthread_create(PRI_NONE, 0, NULL, detached, NULL, NULL,
		    "det%d", i) != 0)
			return "kthread_create failed";
	for (waited = 0; atomic_load_relaxed(&detached_ran) != (u_int)n;
	    waited++) {
		if (waited > 1000)
			return "detached threads did not all run";
		ks_sleep_ns(10 * 1000 * 1000);
	}
	return NULL;
}
