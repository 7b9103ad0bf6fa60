/*
 * The page-level allocator (rump glue): kernel memory comes from the
 * host through rumpuser_malloc(), counted against RUMP_MEMLIMIT.  At the
 * limit the reclaim thread is woken (kmem.h) to make caches give memory
 * back; meanwhile KM_NOSLEEP allocations fail and KM_SLEEP ones wait.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/sysctl.h>
#include <sys/systm.h>

#include <rump/rumpuser.h>
#include <rump-sys/kern.h>

uint64_t physmem_bytes;

static uint64_t mem_limit;		/* 0: none */
static uint64_t mem_inuse;
static struct rumpuser_mtx *mem_mtx;
static struct rumpuser_cv *mem_cv;
static u_int mem_waiters;

void
rump_memalloc_init(uint64_t limit)
{

	mem_limit = limit;
	if (rumpuser_mutex_init(&mem_mtx, 0) != 0 ||
	    rumpuser_cv_init(&mem_cv) != 0)
		panic("cannot create memory allocator locks");
}

void *
kmem_page_alloc(size_t size, size_t align, km_flag_t flags)
{
	struct lwp *l = curlwp;
	bool warned = false;
	void *p;

	if (mem_limit != 0 && size > mem_limit) {
		/* Waiting would never end. */
		if (flags & KM_NOSLEEP)
			return NULL;
		panic("kmem_page_alloc: %zu bytes exceed the memory limit "
		    "(RUMP_MEMLIMIT=%llu)", size, (unsigned long long)mem_limit);
	}
	if (mem_limit != 0) {
		rumpuser_mutex_enter(mem_mtx);
		while (mem_inuse + size > mem_limit) {
			rumpuser_mutex_exit(mem_mtx);
			kmem_reclaim_wakeup();
			if (flags & KM_NOSLEEP)
				return NULL;
			rumpuser_mutex_enter(mem_mtx);
			if (mem_inuse + size <= mem_limit)
				break;
			if (!warned) {
				warned = true;
				printf("kmem: memory limit %llu reached, "
				    "waiting\n", (unsigned long long)mem_limit);
			}
			mem_waiters++;
			rump_cpu_release(l);
			rumpuser_cv_wait(mem_cv, mem_mtx);
			rumpuser_mutex_exit(mem_mtx);
			rump_cpu_acquire(l);
			rumpuser_mutex_enter(mem_mtx);
			mem_waiters--;
		}
		mem_inuse += size;
		rumpuser_mutex_exit(mem_mtx);
	} else
		__atomic_add_fetch(&mem_inuse, size, __ATOMIC_RELAXED);

	if (rumpuser_malloc(size, (int)align, &p) != 0) {
		if (flags & KM_NOSLEEP) {
			kmem_page_free(NULL, size);
			return NULL;
		}
		panic("kmem_page_alloc: host out of memory for %zu bytes",
		    size);
	}
	return p;
}

void
kmem_page_free(void *p, size_t size)
{

	if (p != NULL)
		rumpuser_free(p, size);
	if (mem_limit != 0) {
		rumpuser_mutex_enter(mem_mtx);
		mem_inuse -= size;
		if (mem_waiters > 0)
			rumpuser_cv_broadcast(mem_cv);
		rumpuser_mutex_exit(mem_mtx);
	} else
		__atomic_sub_fetch(&mem_inuse, size, __ATOMIC_RELAXED);
}

/* vm.meminuse: bytes the kernel has from the host; vm.memlimit: 0 none. */
static int
sysctl_meminuse(const struct sysctl_node *sn, struct sysctl_req *req)
{
	int64_t v = (int64_t)__atomic_load_n(&mem_inuse, __ATOMIC_RELAXED);

	return sysctl_out(req, &v, sizeof(v));
}

static int
sysctl_memlimit(const struct sysctl_node *sn, struct sysctl_req *req)
{
	int64_t v = (int64_t)mem_limit;

	return sysctl_out(req, &v, sizeof(v));
}

static struct sysctl_node mem_nodes[] = {
	SYSCTL_NODE("vm.meminuse", CTLTYPE_INT, 0, sysctl_meminuse, NULL),
	SYSCTL_NODE("vm.memlimit", CTLTYPE_INT, 0, sysctl_memlimit, NULL),
};

void
rump_memalloc_sysctl(void)
{

	sysctl_add_all(mem_nodes, __arraycount(mem_nodes));
}
