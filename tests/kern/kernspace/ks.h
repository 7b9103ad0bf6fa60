/*
 * Helpers shared by the kernel-side test routines (kernel code).
 */
#ifndef _KS_H_
#define _KS_H_

#include <sys/types.h>
#include <sys/time.h>

/* Sleep for ns nanoseconds, giving up the CPU. */
#define ks_sleep_ns(ns)		kpause_ns("kssleep", (ns))

/* A small seeded generator (xorshift32): tests print their seed. */
static inline uint32_t
ks_random(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

const char *ks_mutex_stress(int, int);
const char *ks_rwlock_stress(int, int);
const char *ks_cv_timeout(int, int64_t *);
const char *ks_cv_wakeup(int64_t *);
const char *ks_kthread_join(int);
const char *ks_kthread_detached(int);
const char *ks_kmem_reclaim(int *, int *);
const char *ks_bufcache(uint32_t, uint32_t, uint64_t, int);
const char *ks_bufcache_budget(uint32_t, uint32_t, int);
const char *ks_bio_device(uint32_t, uint32_t, uint64_t, int);
const char *ks_callout_order(int);
const char *ks_callout_stop(void);
const char *ks_callout_halt(void);
const char *ks_kmem_stress(uint32_t, int);
const char *ks_pool_stress(uint32_t, int);

#endif /* !_KS_H_ */
