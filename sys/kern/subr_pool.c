/*
 * Pools (kernel): fixed-size objects carved from pages of the page
 * allocator.  Each pool page starts with a header; free objects are
 * linked through their first word.  Every object is announced to
 * memcheck as a mempool chunk while allocated and made inaccessible
 * when freed, so a kernel use after free or leak shows under valgrind.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/kmem.h>
#include <sys/memcheck.h>
#include <sys/mutex.h>
#include <sys/pool.h>
#include <sys/queue.h>
#include <sys/systm.h>

struct pool_page {
	LIST_ENTRY(pool_page) pp_entry;
	struct pool	*pp_pool;
	void		*pp_free;	/* first free object */
	u_int		pp_nfree;
};

#define POOL_MAXIDLE	2	/* idle pages kept per pool */

/* The page holding object v: pages are aligned to their size. */
static inline struct pool_page *
pool_page_of(struct pool *pp, void *v)
{

	return (struct pool_page *)((uintptr_t)v & ~(pp->pr_pagesz - 1));
}

void
pool_init(struct pool *pp, size_t size, size_t align, const char *wchan)
{
	size_t hdr;

	if (align < sizeof(void *))
		align = sizeof(void *);
	KASSERT(powerof2(align));
	memset(pp, 0, sizeof(*pp));
	mutex_init(&pp->pr_lock, MUTEX_DEFAULT, IPL_VM);
	pp->pr_wchan = wchan;
	pp->pr_reqsize = size;
	pp->pr_size = roundup2(size < sizeof(void *) ? sizeof(void *) : size,
	    align);
	pp->pr_align = align;
	hdr = roundup2(sizeof(struct pool_page), align);
	/* At least eight objects per page. */
	pp->pr_pagesz = PAGE_SIZE;
	while (pp->pr_pagesz < hdr + 8 * pp->pr_size)
		pp->pr_pagesz <<= 1;
	pp->pr_itemoffset = hdr;
	pp->pr_itemsperpage = (pp->pr_pagesz - hdr) / pp->pr_size;
	LIST_INIT(&pp->pr_empty);
	LIST_INIT(&pp->pr_partial);
	LIST_INIT(&pp->pr_full);
	MC_POOL_CREATE(pp);
}

/* Allocate and format a page; called without pr_lock. */
static struct pool_page *
pool_page_new(struct pool *pp, int flags)
{
	struct pool_page *ph;
	char *obj;
	u_int i;

	ph = kmem_page_alloc(pp->pr_pagesz, pp->pr_pagesz,
	    (flags & PR_NOWAIT) ? KM_NOSLEEP : KM_SLEEP);
	if (ph == NULL)
		return NULL;
	ph->pp_pool = pp;
	ph->pp_nfree = pp->pr_itemsperpage;
	ph->pp_free = NULL;
	obj = (char *)ph + pp->pr_itemoffset;
	for (i = 0; i < pp->pr_itemsperpage; i++, obj += pp->pr_size) {
		*(void **)obj = ph->pp_free;
		ph->pp_free = obj;
	}
	MC_NOACCESS((char *)ph + pp->pr_itemoffset,
	    pp->pr_pagesz - pp->pr_itemoffset);
	return ph;
}

void *
pool_get(struct pool *pp, int flags)
{
	struct pool_page *ph, *nph;
	void *obj;

	mutex_enter(&pp->pr_lock);
	while ((ph = LIST_FIRST(&pp->pr_partial)) == NULL &&
	    (ph = LIST_FIRST(&pp->pr_empty)) == NULL) {
		mutex_exit(&pp->pr_lock);
		nph = pool_page_new(pp, flags);
		if (nph == NULL)
			return NULL;
		mutex_enter(&pp->pr_lock);
		LIST_INSERT_HEAD(&pp->pr_empty, nph, pp_entry);
		pp->pr_nidle++;
		pp->pr_npages++;
	}
	if (ph->pp_nfree == pp->pr_itemsperpage) {
		KASSERT(pp->pr_nidle > 0);
		pp->pr_nidle--;
	}
	obj = ph->pp_free;
	MC_DEFINED(obj, sizeof(void *));
	ph->pp_free = *(void **)obj;
	ph->pp_nfree--;
	LIST_REMOVE(ph, pp_entry);
	if (ph->pp_nfree == 0)
		LIST_INSERT_HEAD(&pp->pr_full, ph, pp_entry);
	else
		LIST_INSERT_HEAD(&pp->pr_partial, ph, pp_entry);
	pp->pr_nget++;
	MC_NOACCESS(obj, sizeof(void *));
	MC_POOL_ALLOC(pp, obj, pp->pr_reqsize);
	mutex_exit(&pp->pr_lock);

	if (flags & PR_ZERO)
		memset(obj, 0, pp->pr_reqsize);
	return obj;
}

void
pool_put(struct pool *pp, void *obj)
{
	struct pool_page *ph = pool_page_of(pp, obj), *freeph = NULL;

	KASSERTMSG(ph->pp_pool == pp, "pool_put: %p not from pool %s",
	    obj, pp->pr_wchan);
	mutex_enter(&pp->pr_lock);
	MC_POOL_FREE(pp, obj);
	MC_UNDEFINED(obj, sizeof(void *));
	*(void **)obj = ph->pp_free;
	MC_NOACCESS(obj, sizeof(void *));
	ph->pp_free = obj;
	ph->pp_nfree++;
	pp->pr_nput++;
	LIST_REMOVE(ph, pp_entry);
	if (ph->pp_nfree == pp->pr_itemsperpage) {
		if (pp->pr_nidle >= POOL_MAXIDLE) {
			freeph = ph;
			pp->pr_npages--;
		} else {
			LIST_INSERT_HEAD(&pp->pr_empty, ph, pp_entry);
			pp->pr_nidle++;
		}
	} else
		LIST_INSERT_HEAD(&pp->pr_partial, ph, pp_entry);
	mutex_exit(&pp->pr_lock);

	if (freeph != NULL)
		kmem_page_free(freeph, pp->pr_pagesz);
}

void
pool_reclaim(struct pool *pp)
{
	struct pool_page *ph;

	mutex_enter(&pp->pr_lock);
	while ((ph = LIST_FIRST(&pp->pr_empty)) != NULL) {
		LIST_REMOVE(ph, pp_entry);
		pp->pr_nidle--;
		pp->pr_npages--;
		mutex_exit(&pp->pr_lock);
		kmem_page_free(ph, pp->pr_pagesz);
		mutex_enter(&pp->pr_lock);
	}
	mutex_exit(&pp->pr_lock);
}

u_long
pool_inuse(struct pool *pp)
{
	u_long n;

	mutex_enter(&pp->pr_lock);
	n = pp->pr_nget - pp->pr_nput;
	mutex_exit(&pp->pr_lock);
	return n;
}

void
pool_destroy(struct pool *pp)
{

	KASSERTMSG(LIST_EMPTY(&pp->pr_partial) && LIST_EMPTY(&pp->pr_full),
	    "pool_destroy: %s has %lu objects in use", pp->pr_wchan,
	    pp->pr_nget - pp->pr_nput);
	pool_reclaim(pp);
	MC_POOL_DESTROY(pp);
	mutex_destroy(&pp->pr_lock);
}
