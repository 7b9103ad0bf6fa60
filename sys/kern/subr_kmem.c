/*
 * The kernel memory allocator (kernel): kmem_alloc() serves small sizes
 * from one pool per size class and large ones straight from the page
 * allocator.  DIAGNOSTIC kernels keep the size in a header in front of
 * each allocation and check it in kmem_free().
 *
 * Memory pressure: caches register a reclaim hook at init.  When the
 * page allocator finds the kernel at its memory limit it calls
 * kmem_reclaim_wakeup(), and the reclaim thread runs every hook, so
 * the memory they give back reaches the allocations waiting for it.
 * The hooks run in a thread of their own, never inside an allocation
 * whose caller may hold the locks they need.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/memcheck.h>
#include <sys/mutex.h>
#include <sys/pool.h>
#include <sys/systm.h>

/* Size classes: powers of two from 16 bytes to 4 KiB. */
#define KMEM_MINSHIFT	4
#define KMEM_MAXSHIFT	12
#define KMEM_NCLASS	(KMEM_MAXSHIFT - KMEM_MINSHIFT + 1)
#define KMEM_HDR	16	/* keeps 16-byte alignment */
#define KMEM_MAGIC	0x6b6d656dU

struct kmem_hdr {
	size_t		kh_size;
	uint32_t	kh_magic;
};
CTASSERT(sizeof(struct kmem_hdr) <= KMEM_HDR);

static struct pool kmem_pools[KMEM_NCLASS];
static char kmem_names[KMEM_NCLASS][16];
static size_t kmem_inuse;

void
kmem_init(void)
{
	int i;

	for (i = 0; i < KMEM_NCLASS; i++) {
		snprintf(kmem_names[i], sizeof(kmem_names[i]), "kmem-%zu",
		    (size_t)1 << (i + KMEM_MINSHIFT));
		pool_init(&kmem_pools[i], (size_t)1 << (i + KMEM_MINSHIFT),
		    16, kmem_names[i]);
	}
}

/* The pool serving total size n, or NULL for a large allocation. */
static struct pool *
kmem_pool(size_t n)
{
	int shift = KMEM_MINSHIFT;

	if (n > ((size_t)1 << KMEM_MAXSHIFT))
		return NULL;
	while (((size_t)1 << shift) < n)
		shift++;
	return &kmem_pools[shift - KMEM_MINSHIFT];
}

void *
kmem_alloc(size_t size, km_flag_t flags)
{
	struct kmem_hdr *kh;
	struct pool *pp;
	size_t n;
	char *p;

	KASSERT(size > 0);
	KASSERT((flags & (KM_SLEEP | KM_NOSLEEP)) != 0);
	if (size > SIZE_MAX - KMEM_HDR - PAGE_SIZE)
		return NULL;
	n = size + KMEM_HDR;
	if ((pp = kmem_pool(n)) != NULL)
		p = pool_get(pp, (flags & KM_NOSLEEP) ? PR_NOWAIT : PR_WAITOK);
	else {
		p = kmem_page_alloc(roundup(n, PAGE_SIZE), PAGE_SIZE, flags);
		if (p != NULL)
			MC_UNDEFINED(p, n);
	}
	if (p == NULL)
		return NULL;
	kh = (struct kmem_hdr *)p;
	kh->kh_size = size;
	kh->kh_magic = KMEM_MAGIC;
	/* The header is ours: callers may not touch it. */
	MC_NOACCESS(p, KMEM_HDR);
	atomic_add_64(&kmem_inuse, size);
	return p + KMEM_HDR;
}

void *
kmem_zalloc(size_t size, km_flag_t flags)
{
	void *p;

	if ((p = kmem_alloc(size, flags)) != NULL)
		memset(p, 0, size);
	return p;
}

void
kmem_free(void *v, size_t size)
{
	char *p = (char *)v - KMEM_HDR;
	struct kmem_hdr *kh = (struct kmem_hdr *)p;
	struct pool *pp;
	size_t n = size + KMEM_HDR;

	KASSERT(v != NULL);
	MC_DEFINED(p, KMEM_HDR);
	KASSERTMSG(kh->kh_magic == KMEM_MAGIC && kh->kh_size == size,
	    "kmem_free(%p, %zu): allocated size %zu, magic %#x", v, size,
	    kh->kh_size, kh->kh_magic);
	kh->kh_magic = 0;
	atomic_add_64(&kmem_inuse, -size);
	if ((pp = kmem_pool(n)) != NULL)
		pool_put(pp, p);
	else {
		MC_NOACCESS(p, n);
		kmem_page_free(p, roundup(n, PAGE_SIZE));
	}
}

char *
kmem_strdup(const char *s, km_flag_t flags)
{
	size_t n = strlen(s) + 1;
	char *p;

	if ((p = kmem_alloc(n, flags)) != NULL)
		memcpy(p, s, n);
	return p;
}

void
kmem_strfree(char *s)
{

	kmem_free(s, strlen(s) + 1);
}

void *
kmem_intr_alloc(size_t size, km_flag_t flags)
{

	return kmem_alloc(size, flags);
}

void
kmem_intr_free(void *p, size_t size)
{

	kmem_free(p, size);
}

size_t
kmem_bytes_inuse(void)
{

	return atomic_load_relaxed(&kmem_inuse);
}

/*
 * Memory pressure.
 */

#define KMEM_MAXRECLAIM	8

static void (*kmem_reclaimers[KMEM_MAXRECLAIM])(void);
static u_int kmem_nreclaimers;
static kmutex_t kmem_reclaim_lock;
static kcondvar_t kmem_reclaim_cv;
static bool kmem_reclaim_wanted, kmem_reclaim_exiting;
static uint64_t kmem_reclaim_runs;
static struct lwp *kmem_reclaim_lwp;
static bool kmem_reclaim_started;	/* wakeups before it are dropped */

void
kmem_reclaim_register(void (*hook)(void))
{

	mutex_enter(&kmem_reclaim_lock);
	if (kmem_nreclaimers == KMEM_MAXRECLAIM)
		panic("kmem_reclaim_register: more than %d hooks",
		    KMEM_MAXRECLAIM);
	kmem_reclaimers[kmem_nreclaimers++] = hook;
	mutex_exit(&kmem_reclaim_lock);
}

void
kmem_reclaim_wakeup(void)
{

	if (!atomic_load_acquire(&kmem_reclaim_started))
		return;
	mutex_enter(&kmem_reclaim_lock);
	if (!kmem_reclaim_wanted) {
		kmem_reclaim_wanted = true;
		cv_signal(&kmem_reclaim_cv);
	}
	mutex_exit(&kmem_reclaim_lock);
}

uint64_t
kmem_reclaim_count(void)
{
	uint64_t n;

	mutex_enter(&kmem_reclaim_lock);
	n = kmem_reclaim_runs;
	mutex_exit(&kmem_reclaim_lock);
	return n;
}

static void
kmem_reclaim_thread(void *arg)
{
	u_int i, n;

	mutex_enter(&kmem_reclaim_lock);
	for (;;) {
		while (!kmem_reclaim_wanted && !kmem_reclaim_exiting)
			cv_wait(&kmem_reclaim_cv, &kmem_reclaim_lock);
		if (kmem_reclaim_exiting)
			break;
		kmem_reclaim_wanted = false;
		kmem_reclaim_runs++;
		n = kmem_nreclaimers;
		mutex_exit(&kmem_reclaim_lock);
		for (i = 0; i < n; i++)
			(*kmem_reclaimers[i])();
		mutex_enter(&kmem_reclaim_lock);
	}
	mutex_exit(&kmem_reclaim_lock);
	kthread_exit(0);
}

/* At boot, once threads can be made. */
void
kmem_reclaim_start(void)
{
	int error;

	mutex_init(&kmem_reclaim_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&kmem_reclaim_cv, "kmreclm");
	error = kthread_create(PRI_NONE, KTHREAD_MPSAFE | KTHREAD_MUSTJOIN,
	    NULL, kmem_reclaim_thread, NULL, &kmem_reclaim_lwp, "kmreclaim");
	if (error != 0)
		panic("kmem_reclaim_start: cannot create thread: %d", error);
	atomic_store_release(&kmem_reclaim_started, true);
}

/* At shutdown, before the subsystems with hooks go away. */
void
kmem_reclaim_stop(void)
{

	if (kmem_reclaim_lwp == NULL)
		return;
	mutex_enter(&kmem_reclaim_lock);
	kmem_reclaim_exiting = true;
	cv_signal(&kmem_reclaim_cv);
	mutex_exit(&kmem_reclaim_lock);
	kthread_join(kmem_reclaim_lwp);
	kmem_reclaim_lwp = NULL;
}
