/*
 * Telling valgrind's memcheck about the kernel's own allocators, so use
 * after free and leaks inside the kernel are caught.  The client requests
 * are a few instructions and do nothing when not running under valgrind.
 * RUMP_MEMCHECK is defined by the build when <valgrind/memcheck.h> exists.
 */
#ifndef _SYS_MEMCHECK_H_
#define _SYS_MEMCHECK_H_

#ifdef RUMP_MEMCHECK
#include <valgrind/memcheck.h>
#define MC_POOL_CREATE(pool)		VALGRIND_CREATE_MEMPOOL(pool, 0, 0)
#define MC_POOL_DESTROY(pool)		VALGRIND_DESTROY_MEMPOOL(pool)
#define MC_POOL_ALLOC(pool, p, n)	VALGRIND_MEMPOOL_ALLOC(pool, p, n)
#define MC_POOL_FREE(pool, p)		VALGRIND_MEMPOOL_FREE(pool, p)
#define MC_NOACCESS(p, n)		VALGRIND_MAKE_MEM_NOACCESS(p, n)
#define MC_UNDEFINED(p, n)		VALGRIND_MAKE_MEM_UNDEFINED(p, n)
#define MC_DEFINED(p, n)		VALGRIND_MAKE_MEM_DEFINED(p, n)
#define MC_RUNNING()			RUNNING_ON_VALGRIND
#else
#define MC_POOL_CREATE(pool)		do { } while (0)
#define MC_POOL_DESTROY(pool)		do { } while (0)
#define MC_POOL_ALLOC(pool, p, n)	do { } while (0)
#define MC_POOL_FREE(pool, p)		do { } while (0)
#define MC_NOACCESS(p, n)		do { } while (0)
#define MC_UNDEFINED(p, n)		do { } while (0)
#define MC_DEFINED(p, n)		do { } while (0)
#define MC_RUNNING()			0
#endif

#endif /* !_SYS_MEMCHECK_H_ */
