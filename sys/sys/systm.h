/*
 * The kernel's basic services: console output, panics and assertions,
 * copying to and from the calling program, and libkern.
 */
#ifndef _SYS_SYSTM_H_
#define _SYS_SYSTM_H_

#include <sys/types.h>
#include <sys/stdarg.h>
#include <lib/libkern/libkern.h>

/* Console output (subr_prf.c).  Lines are written whole. */
int	printf(const char *, ...) __printflike(1, 2);
int	vprintf(const char *, va_list) __printflike(1, 0);
void	panic(const char *, ...) __printflike(1, 2) __dead;
void	vpanic(const char *, va_list) __printflike(1, 0) __dead;

/* log(): a console line with a priority, from <sys/syslog.h>. */
#define LOG_ERR		3
#define LOG_WARNING	4
#define LOG_NOTICE	5
#define LOG_INFO	6
#define LOG_DEBUG	7
void	log(int, const char *, ...) __printflike(2, 3);

/* Is this console output wanted?  (RUMP_VERBOSE, set at boot.) */
extern int boot_verbose;

/*
 * KASSERT states an invariant of our own code; it is checked in
 * DIAGNOSTIC kernels (the default).  Never use it on input from outside.
 */
#ifdef DIAGNOSTIC
#define KASSERT(e) do {							\
	if (__predict_false(!(e)))					\
		panic("kernel assertion \"%s\" failed: file \"%s\", "	\
		    "line %d", #e, __FILE__, __LINE__);			\
} while (/* CONSTCOND */ 0)
#define KASSERTMSG(e, fmt, ...) do {					\
	if (__predict_false(!(e)))					\
		panic("kernel assertion \"%s\" failed: file \"%s\", "	\
		    "line %d: " fmt, #e, __FILE__, __LINE__,		\
		    ## __VA_ARGS__);					\
} while (/* CONSTCOND */ 0)
#define __diagused
#else
#define KASSERT(e)		do { } while (/* CONSTCOND */ 0)
#define KASSERTMSG(e, ...)	do { } while (/* CONSTCOND */ 0)
#define __diagused		__unused
#endif

/*
 * Moving data between the kernel and the program that made the system
 * call (machine dependent: a local program's memory, or a remote
 * client's).  Return 0 or EFAULT.
 */
int	copyin(const void *uaddr, void *kaddr, size_t len);
int	copyout(const void *kaddr, void *uaddr, size_t len);
int	copyinstr(const void *uaddr, void *kaddr, size_t len, size_t *done);
/* May the kernel address the calling program's memory directly? */
bool	user_memory_local(void);

/* Shut the kernel down (machine dependent); see <sys/reboot.h>. */
void	cpu_reboot(int howto);

#endif /* !_SYS_SYSTM_H_ */
