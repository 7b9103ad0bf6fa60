/*
 * Kernel-side tests of callouts: order of firing, stopping, halting.
 */

#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/callout.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/systm.h>
#include <sys/time.h>

#include "ks.h"

struct corder {
	kmutex_t	mtx;
	int		*fired;		/* indices in firing order */
	int		nfired;
};

struct citem {
	callout_t	c;
	struct corder	*co;
	int		idx;
};

static void
order_handler(void *arg)
{
	struct citem *ci = arg;

	mutex_enter(&ci->co->mtx);
	ci->co->fired[ci->co->nfired++] = ci->idx;
	mutex_exit(&ci->co->mtx);
}

/*
 * Schedule n callouts with ticks n, n-1, ..., 1 (callout i at n - i),
 * two at each tick count after the first: they must fire by due time.
 */
const char *
ks_callout_order(int n)
{
	struct corder co;
	struct citem *it;
	const char *err = NULL;
	int i, waited;

	it = kmem_zalloc(n * sizeof(*it), KM_SLEEP);
	co.fired = kmem_zalloc(n * sizeof(int), KM_SLEEP);
	co.nfired = 0;
	mutex_init(&co.mtx, MUTEX_DEFAULT, IPL_NONE);
	for (i = 0; i < n; i++) {
		callout_init(&it[i].c, CALLOUT_MPSAFE);
		it[i].co = &co;
		it[i].idx = i;
	}
	for (i = 0; i < n; i++)
		callout_reset(&it[i].c, 1 + (n - 1 - i) / 2, order_handler,
		    &it[i]);
	for (waited = 0; ; waited++) {
		mutex_enter(&co.mtx);
		i = co.nfired;
		mutex_exit(&co.mtx);
		if (i == n)
			break;
		if (waited > 500) {
			err = "callouts did not all fire";
			goto out;
		}
		ks_sleep_ns(10 * 1000 * 1000);
	}
	/* Due times grow as the index falls, pairwise. */
	for (i = 1; i < n; i++) {
		int a = co.fired[i - 1], b = co.fired[i];
		if ((n - 1 - a) / 2 > (n - 1 - b) / 2) {
			err = "callouts fired out of order";
			break;
		}
	}
	for (i = 0; i < n; i++)
		if (!callout_expired(&it[i].c))
			err = "callout_expired() false after firing";
out:
	for (i = 0; i < n; i++) {
		callout_halt(&it[i].c, NULL);
		callout_destroy(&it[i].c);
	}
	mutex_destroy(&co.mtx);
	kmem_free(co.fired, n * sizeof(int));
	kmem_free(it, n * sizeof(*it));
	return err;
}

static u_int stop_fired;

static void
stop_handler(void *arg)
{

	atomic_inc_uint(&stop_fired);
}

const char *
ks_callout_stop(void)
{
	callout_t c;
	int waited;

	stop_fired = 0;
	callout_init(&c, CALLOUT_MPSAFE);
	callout_reset(&c, 5, stop_handler, NULL);
	if (!callout_pending(&c))
		return "callout not pending after callout_reset";
	if (callout_stop(&c))
		return "callout_stop reported an unfired callout as expired";
	if (callout_pending(&c))
		return "callout pending after callout_stop";
	ks_sleep_ns(100 * 1000 * 1000);
	if (stop_fired != 0)
		return "a stopped callout fired";

	callout_schedule(&c, 1);
	for (waited = 0; atomic_load_relaxed(&stop_fired) == 0; waited++) {
		if (waited > 500)
			return "rescheduled callout did not fire";
		ks_sleep_ns(5 * 1000 * 1000);
	}
	if (!callout_halt(&c, NULL))
		return "callout_halt did not report a fired callout";
	if (callout_stop(&c))
		return "a callout stopped twice reported firing twice";
	callout_destroy(&c);
	return NULL;
}

static u_int halt_state;	/* 1: handler started, 2: finished */

static void
halt_handler(void *arg)
{

	atomic_store_relaxed(&halt_state, 1);
	ks_sleep_ns(50 * 1000 * 1000);
	atomic_store_relaxed(&halt_state, 2);
}

const char *
ks_callout_halt(void)
{
	callout_t c;
	int waited;

	atomic_store_relaxed(&halt_state, 0);
	callout_init(&c, CALLOUT_MPSAFE);
	callout_reset(&c, 1, halt_handler, NULL);
	for (waited = 0; atomic_load_relaxed(&halt_state) == 0; waited++) {
		if (waited > 1000)
			return "callout did not start";
		ks_sleep_ns(1000 * 1000);
	}
	callout_halt(&c, NULL);
	if (atomic_load_relaxed(&halt_state) != 2)
		return "callout_halt returned while the handler ran";
	callout_destroy(&c);
	return NULL;
}
