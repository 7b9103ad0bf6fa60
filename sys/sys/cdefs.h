/*
 * Compiler helpers for kernel code: attributes, compile-time assertions and
 * small generic macros.  Kernel layer; includes nothing.
 */
#ifndef _SYS_CDEFS_H_
#define _SYS_CDEFS_H_

#define __unused		__attribute__((__unused__))
#define __used			__attribute__((__used__))
#define __dead			__attribute__((__noreturn__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __printflike(f, a)	__attribute__((__format__(__printf__, f, a)))
#define __noinline		__attribute__((__noinline__))
#define __constructor		__attribute__((__constructor__))
#define __predict_true(e)	__builtin_expect((e) != 0, 1)
#define __predict_false(e)	__builtin_expect((e) != 0, 0)

#define __CONCAT1(a, b)		a ## b
#define __CONCAT(a, b)		__CONCAT1(a, b)
#define __STRING(x)		#x
#define __XSTRING(x)		__STRING(x)

/* A compile-time assertion usable at file or block scope. */
#define CTASSERT(e)		_Static_assert((e), #e)

#define __arraycount(a)		(sizeof(a) / sizeof((a)[0]))
#define __UNCONST(p)		((void *)(__UINTPTR_TYPE__)(const void *)(p))
#define __offsetof(t, m)	__builtin_offsetof(t, m)
#define offsetof(t, m)		__builtin_offsetof(t, m)
#define container_of(p, t, m)	((t *)(void *)((char *)(p) - offsetof(t, m)))

#endif /* !_SYS_CDEFS_H_ */
