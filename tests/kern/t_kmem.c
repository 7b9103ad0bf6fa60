/*
 * kmem and pool stress: seeded random sizes from 1 byte to 1 MiB, from
 * several host threads at once.  The seed is printed; set KMEM_SEED to
 * rerun one.
 */

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <atf-c.h>
#include <rump/rump.h>

#include "kernspace.h"

size_t	rumpns_kmem_bytes_inuse(void);

static uint32_t
seed(void)
{
	const char *s = getenv("KMEM_SEED");
	uint32_t v = s != NULL ? (uint32_t)strtoul(s, NULL, 0) :
	    (uint32_t)time(NULL);

	printf("seed %u\n", v);
	return v;
}

struct job {
	uint32_t	seed;
	int		pool;
	const char	*err;
};

static void *
worker(void *arg)
{
	struct job *j = arg;

	rump_schedule();
	j->err = j->pool ? rumpns_ks_pool_stress(j->seed, 20000) :
	    rumpns_ks_kmem_stress(j->seed, 3000);
	rump_unschedule();
	return NULL;
}

static void
run(int pool)
{
	struct job jobs[4];
	pthread_t t[4];
	uint32_t s = seed();
	size_t before, after;
	int i;

	ATF_REQUIRE_EQ(rump_init(), 0);
	rump_schedule();
	before = rumpns_kmem_bytes_inuse();
	rump_unschedule();
	for (i = 0; i < 4; i++) {
		jobs[i].seed = s + i;
		jobs[i].pool = pool;
		ATF_REQUIRE_EQ(pthread_create(&t[i], NULL, worker, &jobs[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ATF_CHECK_MSG(jobs[i].err == NULL, "thread %d: %s", i,
		    jobs[i].err);
	}
	rump_schedule();
	after = rumpns_kmem_bytes_inuse();
	rump_unschedule();
	ATF_CHECK_MSG(before == after, "kmem in use: %zu before, %zu after",
	    before, after);
}

ATF_TC_WITHOUT_HEAD(kmem_stress);
ATF_TC_BODY(kmem_stress, tc)
{

	run(0);
}

ATF_TC_WITHOUT_HEAD(pool_stress);
ATF_TC_BODY(pool_stress, tc)
{

	run(1);
}

ATF_TC_WITHOUT_HEAD(reclaim);
ATF_TC_BODY(reclaim, tc)
{
	const char *err;
	int stashed = 0, freed = 0;

	/* 16 MiB: the stash fills most of it. */
	ATF_REQUIRE_EQ(setenv("RUMP_MEMLIMIT", "16777216", 1), 0);
	ATF_REQUIRE_EQ(rump_init(), 0);
	err = KCALL(rumpns_ks_kmem_reclaim(&stashed, &freed));
	ATF_REQUIRE_MSG(err == NULL, "%s", err);
	/* The hook may still be freeing when the allocation is served. */
	printf("stashed %d blocks of 64 KiB, the hook had freed %d\n",
	    stashed, freed);
	ATF_REQUIRE(stashed > 100);
	ATF_REQUIRE(freed > 0);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, kmem_stress);
	ATF_TP_ADD_TC(tp, pool_stress);
	ATF_TP_ADD_TC(tp, reclaim);
	return atf_no_error();
}
