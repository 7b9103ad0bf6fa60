/*
 * Kernel-side tests of kmem and pools: stress with seeded random sizes
 * from 1 byte to 1 MiB, contents checked before every free; and the
 * reclaim of memory at the kernel's limit.
 */

#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/kmem.h>
#include <sys/pool.h>
#include <sys/systm.h>

#include "ks.h"

#define NSLOTS	64
#define MAXSZ	(1024 * 1024)

struct slot {
	uint8_t	*p;
	size_t	size;
	uint8_t	fill;
};

static bool
check(const struct slot *s)
{
	size_t i;

	for (i = 0; i < s->size; i++)
		if (s->p[i] != s->fill)
			return false;
	return true;
}

/* Log-uniform sizes: as many tiny allocations as huge ones. */
static size_t
randsize(uint32_t *st)
{
	u_int shift = ks_random(st) % 21;		/* up to 2^20 */
	size_t sz = ((size_t)1 << shift) + ks_random(st) % ((size_t)1 << shift);

	return sz > MAXSZ ? MAXSZ : sz;
}

const char *
ks_kmem_stress(uint32_t seed, int rounds)
{
	struct slot slots[NSLOTS];
	uint32_t st = seed ? seed : 1;
	const char *err = NULL;
	int i, r;

	memset(slots, 0, sizeof(slots));
	for (r = 0; r < rounds; r++) {
		struct slot *s = &slots[ks_random(&st) % NSLOTS];

		if (s->p != NULL) {
			if (!check(s))
				err = "kmem contents changed";
			kmem_free(s->p, s->size);
			s->p = NULL;
		} else {
			s->size = r < 2 ? (r == 0 ? 1 : MAXSZ) : randsize(&st);
			s->fill = (uint8_t)ks_random(&st);
			s->p = (r & 1) ? kmem_zalloc(s->size, KM_SLEEP) :
			    kmem_alloc(s->size, KM_SLEEP);
			if (s->p == NULL)
				return "kmem_alloc(KM_SLEEP) returned NULL";
			if ((uintptr_t)s->p % 16 != 0)
				err = "kmem_alloc returned misaligned memory";
			if ((r & 1) && s->p[s->size - 1] != 0)
				err = "kmem_zalloc memory not zero";
			memset(s->p, s->fill, s->size);
		}
	}
	for (i = 0; i < NSLOTS; i++) {
		if (slots[i].p == NULL)
			continue;
		if (!check(&slots[i]))
			err = "kmem contents changed";
		kmem_free(slots[i].p, slots[i].size);
	}
	return err;
}

const char *
ks_pool_stress(uint32_t seed, int rounds)
{
	struct slot slots[NSLOTS * 4];
	uint32_t st = seed ? seed : 1;
	const char *err = NULL;
	struct pool pool;
	size_t size;
	int i, r;

	size = 1 + ks_random(&st) % 3000;
	pool_init(&pool, size, 1 << (ks_random(&st) % 7), "kspool");
	memset(slots, 0, sizeof(slots));
	for (r = 0; r < rounds; r++) {
		struct slot *s = &slots[ks_random(&st) % __arraycount(slots)];

		if (s->p != NULL) {
			if (!check(s))
				err = "pool object contents changed";
			pool_put(&pool, s->p);
			s->p = NULL;
		} else {
			s->size = size;
			s->fill = (uint8_t)ks_random(&st);
			s->p = pool_get(&pool, PR_WAITOK |
			    ((r & 1) ? PR_ZERO : 0));
			if ((r & 1) && s->p[size - 1] != 0)
				err = "PR_ZERO object not zero";
			if ((uintptr_t)s->p % pool.pr_align != 0)
				err = "pool object misaligned";
			memset(s->p, s->fill, size);
		}
	}
	for (i = 0; i < (int)__arraycount(slots); i++)
		if (slots[i].p != NULL) {
			if (!check(&slots[i]))
				err = "pool object contents changed";
			pool_put(&pool, slots[i].p);
		}
	pool_destroy(&pool);
	return err;
}

/*
 * Memory pressure: fill the kernel to its limit (RUMP_MEMLIMIT, set by
 * the caller) with a stash that a reclaim hook gives back, then ask
 * for more with KM_SLEEP.  The allocation can only finish if the page
 * allocator wakes the reclaim thread and the hook runs.
 */
#define STASHSZ	(64 * 1024)

static void *ks_stash;			/* a list through the first word */
static bool ks_stash_armed;
static u_int ks_stash_freed;

static void
ks_stash_reclaim(void)
{
	void *p;

	if (!atomic_load_acquire(&ks_stash_armed))
		return;
	while ((p = ks_stash) != NULL) {
		ks_stash = *(void **)p;
		atomic_inc_uint(&ks_stash_freed);	/* before it is usable */
		kmem_free(p, STASHSZ);
	}
}

const char *
ks_kmem_reclaim(int *nstashed, int *nfreed)
{
	void *p;
	int n = 0;

	kmem_reclaim_register(ks_stash_reclaim);
	while ((p = kmem_alloc(STASHSZ, KM_NOSLEEP)) != NULL) {
		*(void **)p = ks_stash;
		ks_stash = p;
		if (++n > 1 << 20)
			return "no memory limit: set RUMP_MEMLIMIT";
	}
	atomic_store_release(&ks_stash_armed, true);
	p = kmem_alloc(STASHSZ, KM_SLEEP);
	kmem_free(p, STASHSZ);
	*nstashed = n;
	*nfreed = (int)atomic_load_relaxed(&ks_stash_freed);
	if (kmem_reclaim_count() == 0)
		return "the allocation finished without a reclaim round";
	return NULL;
}
