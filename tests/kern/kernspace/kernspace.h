/*
 * The kernel-side test routines of kernspace/, as the host-side test
 * programs see them: renamed, and called between rump_schedule() and
 * rump_unschedule().  Each returns 0 or a description of the failure.
 */
#ifndef _KERNSPACE_H_
#define _KERNSPACE_H_

#include <stdint.h>

#include <rump/rump.h>

/* Run a kernel-side test routine on a virtual CPU; its result. */
#define KCALL(call) __extension__ ({					\
	const char *_err;						\
	rump_schedule();						\
	_err = (call);							\
	rump_unschedule();						\
	_err;								\
})

const char *rumpns_ks_mutex_stress(int nthreads, int iters);
const char *rumpns_ks_rwlock_stress(int nthreads, int iters);
const char *rumpns_ks_cv_timeout(int ticks, int64_t *elapsed_ns);
const char *rumpns_ks_cv_wakeup(int64_t *elapsed_ns);
const char *rumpns_ks_kthread_join(int nthreads);
const char *rumpns_ks_kthread_detached(int nthreads);
const char *rumpns_ks_callout_order(int n);
const char *rumpns_ks_callout_stop(void);
const char *rumpns_ks_callout_halt(void);
const char *rumpns_ks_kmem_stress(uint32_t seed, int rounds);
const char *rumpns_ks_pool_stress(uint32_t seed, int rounds);
const char *rumpns_ks_kmem_reclaim(int *nstashed, int *nfreed);
const char *rumpns_ks_bio_device(uint32_t maj, uint32_t min, uint64_t size,
    int fill);
const char *rumpns_ks_bufcache(uint32_t maj, uint32_t min, uint64_t size,
    int nblocks);
const char *rumpns_ks_bufcache_budget(uint32_t maj, uint32_t min,
    int nblocks);

#endif /* !_KERNSPACE_H_ */
