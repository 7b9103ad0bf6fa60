/*
 * Pools: fixed-size object allocators.  Freed objects are handed back to
 * memcheck as inaccessible, so use after free is caught under valgrind.
 */
#ifndef _SYS_POOL_H_
#define _SYS_POOL_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/queue.h>

struct pool_page;

struct pool {
	kmutex_t	pr_lock;
	const char	*pr_wchan;
	size_t		pr_size;	/* object size, rounded to the alignment */
	size_t		pr_reqsize;	/* object size asked for */
	size_t		pr_align;
	size_t		pr_pagesz;	/* bytes per pool page */
	u_int		pr_itemsperpage;
	size_t		pr_itemoffset;	/* first object's offset in a page */
	LIST_HEAD(, pool_page) pr_empty;	/* no object in use */
	LIST_HEAD(, pool_page) pr_partial;
	LIST_HEAD(, pool_page) pr_full;
	u_int		pr_nidle;	/* pages on pr_empty */
	u_long		pr_nget, pr_nput, pr_npages;
	LIST_ENTRY(pool) pr_list;
};

#define PR_WAITOK	0x01
#define PR_NOWAIT	0x02
#define PR_ZERO		0x04

void	pool_init(struct pool *, size_t size, size_t align, const char *wchan);
void	pool_destroy(struct pool *);
void	*pool_get(struct pool *, int flags);
void	pool_put(struct pool *, void *);
/* Give idle pages back to the page allocator. */
void	pool_reclaim(struct pool *);
/* Objects handed out and not put back yet. */
u_long	pool_inuse(struct pool *);

#endif /* !_SYS_POOL_H_ */
