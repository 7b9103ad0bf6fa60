/*
 * Atomic operations on kernel data, from the compiler's builtins.
 * The plain forms are relaxed; *_nv forms return the new value.
 */
#ifndef _SYS_ATOMIC_H_
#define _SYS_ATOMIC_H_

#include <sys/types.h>

#define atomic_inc_uint(p)	((void)__atomic_add_fetch((p), 1, __ATOMIC_SEQ_CST))
#define atomic_dec_uint(p)	((void)__atomic_sub_fetch((p), 1, __ATOMIC_SEQ_CST))
#define atomic_inc_uint_nv(p)	__atomic_add_fetch((p), 1, __ATOMIC_SEQ_CST)
#define atomic_dec_uint_nv(p)	__atomic_sub_fetch((p), 1, __ATOMIC_SEQ_CST)
#define atomic_add_int(p, v)	((void)__atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST))
#define atomic_add_int_nv(p, v)	__atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)
#define atomic_add_64(p, v)	((void)__atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST))
#define atomic_add_64_nv(p, v)	__atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)
#define atomic_swap_ptr(p, v)	__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)

/* Compare and swap: returns the old value. */
#define atomic_cas_ptr(p, o, n) __extension__ ({			\
	__typeof__(*(p)) _o = (o);					\
	__atomic_compare_exchange_n((p), &_o, (n), 0,			\
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);			\
	_o;								\
})
#define atomic_cas_uint(p, o, n)	atomic_cas_ptr(p, o, n)

#define atomic_load_relaxed(p)	__atomic_load_n((p), __ATOMIC_RELAXED)
#define atomic_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define atomic_store_relaxed(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define atomic_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

#define membar_sync()		__atomic_thread_fence(__ATOMIC_SEQ_CST)

#endif /* !_SYS_ATOMIC_H_ */
