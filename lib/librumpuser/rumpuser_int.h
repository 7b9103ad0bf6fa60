/*
 * Internal declarations of librumpuser, the hypercall layer (host side,
 * below the rump kernel): what rumpuser.c, rumpuser_pth.c and
 * rumpuser_file.c share with each other.  Nothing here is part of the
 * hypercall interface, and every symbol declared here is hidden from the
 * library's users.
 */
#ifndef _RUMPUSER_INT_H_
#define _RUMPUSER_INT_H_

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <rump/rumpuser.h>

#include "rumpuser_abi.h"

#define RUMPUSER_HIDDEN		__attribute__((__visibility__("hidden")))

/*
 * Every error handed to the kernel goes through the boundary translation
 * module, also for the constants rumpuser.h names (EBUSY, ETIMEDOUT,
 * ENOENT, ...), so the host-to-kernel mapping lives in one place.
 */
#define KERR(hosterr)		rumpuser_abi_errno_tokern(hosterr)

#define NSEC_PER_SEC		1000000000L

/* The largest value of time_t (a signed integer type on POSIX hosts). */
#define TIME_T_MAX		((time_t)(((uintmax_t)1 << \
				    (sizeof(time_t) * CHAR_BIT - 1)) - 1))

/* rumpuser.c */

/* The kernel's upcalls, remembered by rumpuser_init(). */
extern const struct rumpuser_hyperup *rumpuser__hyp RUMPUSER_HIDDEN;

/*
 * A broken invariant of the caller (kernel code) or a host failure that
 * cannot happen: print "rumpuser: what: strerror(hosterr)" on the console
 * and abort().
 */
void	rumpuser__fatal(const char *what, int hosterr) RUMPUSER_HIDDEN
	    __attribute__((__noreturn__, __cold__));

/* Print one formatted message on the console (standard error). */
void	rumpuser__printf(const char *fmt, ...) RUMPUSER_HIDDEN
	    __attribute__((__format__(__printf__, 1, 2)));

/* Sleep ms milliseconds, restarting after signals. */
void	rumpuser__msleep(long ms) RUMPUSER_HIDDEN;

/* rumpuser_pth.c */

/*
 * Start a host thread running f(arg), named `name' (truncated to what
 * the host allows; NULL for no name), with the host's asynchronous
 * signals blocked: kernel and I/O threads never run the application's
 * signal handlers.  A joinable thread's handle goes to *ptp (ptp may be
 * NULL for a detached one).  Returns 0 or a host errno value.
 */
int	rumpuser__thread_spawn(void *(*f)(void *), void *arg,
	    const char *name, int joinable, pthread_t *ptp) RUMPUSER_HIDDEN;

/* rumpuser_sp.c */

/*
 * A server thread runs a client's call while it still reads that
 * client's socket (the common, fast case): before it blocks on the host
 * it must hand the reading on, or the connection would stall.  Every
 * hypercall that may block says so with RUMPUSER_WILLBLOCK().
 */
extern __thread bool rumpuser__sp_reading RUMPUSER_HIDDEN;
void	rumpuser__sp_yield(void) RUMPUSER_HIDDEN;
#define RUMPUSER_WILLBLOCK() do {					\
	if (__builtin_expect(rumpuser__sp_reading, 0))			\
		rumpuser__sp_yield();					\
} while (/* CONSTCOND */ 0)

#endif /* !_RUMPUSER_INT_H_ */
