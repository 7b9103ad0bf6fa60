/*
 * The kernel memory allocator.  kmem_free() must be given the size that
 * was allocated (checked in DIAGNOSTIC kernels).
 */
#ifndef _SYS_KMEM_H_
#define _SYS_KMEM_H_

#include <sys/types.h>

typedef int km_flag_t;
#define KM_SLEEP	0x01	/* may wait for memory; never fails */
#define KM_NOSLEEP	0x02	/* may fail with NULL */

void	*kmem_alloc(size_t, km_flag_t);
void	*kmem_zalloc(size_t, km_flag_t);
void	kmem_free(void *, size_t);
char	*kmem_strdup(const char *, km_flag_t);
void	kmem_strfree(char *);
void	*kmem_intr_alloc(size_t, km_flag_t);
void	kmem_intr_free(void *, size_t);

/* Statistics for tests and tools. */
size_t	kmem_bytes_inuse(void);

/*
 * The memory the kernel may use, in bytes: RUMP_MEMLIMIT if set, else
 * the host's physical memory.  For sizing caches and file system
 * defaults.
 */
extern uint64_t physmem_bytes;

/*
 * The page-level allocator under kmem and pools (machine dependent:
 * rump glue), enforcing the kernel's memory limit.  Sizes are multiples
 * of PAGE_SIZE; align is a power of two.
 */
void	*kmem_page_alloc(size_t size, size_t align, km_flag_t);
void	kmem_page_free(void *, size_t size);

void	kmem_init(void);

/*
 * Memory pressure (subr_kmem.c).  A cache registers, at init, a hook
 * that gives back what it can; when the kernel reaches its memory
 * limit the page allocator calls kmem_reclaim_wakeup() (does not
 * block), and the reclaim thread runs every hook.  Hooks may sleep and
 * take locks, but not allocate with KM_SLEEP, and no lock they take may
 * be held across a KM_SLEEP allocation.  kmem_reclaim_count(): how many
 * rounds have started.
 */
void	kmem_reclaim_register(void (*)(void));
void	kmem_reclaim_wakeup(void);
uint64_t kmem_reclaim_count(void);
void	kmem_reclaim_start(void);
void	kmem_reclaim_stop(void);

#endif /* !_SYS_KMEM_H_ */
