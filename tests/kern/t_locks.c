/*
 * Mutexes, rwlocks and condition variables under contention from many
 * host threads, inside a booted rump kernel.
 */

#include <stdint.h>
#include <stdlib.h>

#include <atf-c.h>
#include <rump/rump.h>

#include "kernspace.h"

static void
boot(void)
{

	ATF_REQUIRE_EQ(rump_init(), 0);
}

ATF_TC_WITHOUT_HEAD(mutex_contention);
ATF_TC_BODY(mutex_contention, tc)
{
	const char *err;

	boot();
	err = KCALL(rumpns_ks_mutex_stress(16, 20000));
	ATF_REQUIRE_MSG(err == NULL, "%s", err);
}

/* With one virtual CPU, waiters must give the CPU up or deadlock. */
ATF_TC_WITHOUT_HEAD(mutex_contention_1cpu);
ATF_TC_BODY(mutex_contention_1cpu, tc)
{
	const char *err;

	setenv("RUMP_NCPU", "1", 1);
	boot();
	err = KCALL(rumpns_ks_mutex_stress(8, 5000));
	ATF_REQUIRE_MSG(err == NULL, "%s", err);
}

ATF_TC_WITHOUT_HEAD(rwlock_contention);
ATF_TC_BODY(rwlock_contention, tc)
{
	const char *err;

	boot();
	err = KCALL(rumpns_ks_rwlock_stress(16, 20000));
	ATF_REQUIRE_MSG(err == NULL, "%s", err);
}

ATF_TC_WITHOUT_HEAD(cv_timedwait_timeout);
ATF_TC_BODY(cv_timedwait_timeout, tc)
{
	int64_t elapsed;
	const char *err;

	boot();
	err = KCALL(rumpns_ks_cv_timeout(5, &elapsed));
	ATF_REQUIRE_MSG(err == NULL, "%s", err);
	/* Five ticks at 100 Hz. */
	ATF_REQUIRE_MSG(elapsed >= 50 * 1000 * 1000,
	    "timed out after %lld ns, before 50 ms", (long long)elapsed);
}

ATF_TC_WITHOUT_HEAD(cv_timedwait_woken);
ATF_TC_BODY(cv_timedwait_woken, tc)
{
	int64_t elapsed;
	const char *err;

	boot();
	err = KCALL(rumpns_ks_cv_wakeup(&elapsed));
	ATF_REQUIRE_MSG(err == NULL, "%s", err);
	ATF_REQUIRE_MSG(elapsed >= 20 * 1000 * 1000,
	    "woken after %lld ns, before the waker signalled",
	    (long long)elapsed);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, mutex_contention);
	ATF_TP_ADD_TC(tp, mutex_contention_1cpu);
	ATF_TP_ADD_TC(tp, rwlock_contention);
	ATF_TP_ADD_TC(tp, cv_timedwait_timeout);
	ATF_TP_ADD_TC(tp, cv_timedwait_woken);
	return atf_no_error();
}
