/*
 * rump.h: the public interface of a rump kernel, for programs.
 *
 * Boot the kernel with rump_init(), then make system calls with the
 * rump_sys_*() functions of <rump/rump_syscalls.h>: they take the host's
 * types and set the host's errno.  The functions here likewise return
 * host errno values.
 */
#ifndef _RUMP_RUMP_H_
#define _RUMP_RUMP_H_

#include <sys/types.h>
#ifndef _KERNEL
#include <rump/rumpdefs.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct lwp;

/*
 * Boot the rump kernel: initialise every component linked into the
 * program.  Returns 0 or an errno value.  Calling it again while the
 * kernel runs returns 0; after rump_sys_reboot() it returns EBUSY.
 * With RUMP_VERBOSE=1 in the environment the kernel prints a banner.
 */
int	rump_init(void);

/*
 * Run kernel code directly from the calling thread (for programs that
 * link their own kernel-side code): rump_schedule() binds the thread to
 * a virtual CPU, rump_unschedule() releases it.
 */
void	rump_schedule(void);
void	rump_unschedule(void);

/*
 * Make system call `num' with arguments in the kernel's ABI (one 64-bit
 * slot each).  Returns a *kernel* errno; rump_sys_*() wrap this.
 */
int	rump_syscall(int num, void *args, __SIZE_TYPE__ argsize,
	    __INT64_TYPE__ *retval);

/*
 * Kernel processes.  Each host thread runs as an lwp of some process;
 * a thread that never chose one runs as a temporary lwp of pid 1.
 *
 * rump_pub_lwproc_rfork(flags): create a child process of the current
 *	one (RUMP_RFFDG: copy the descriptor table, RUMP_RFCFDG: start
 *	with an empty one, 0: share it) and switch this thread to its
 *	first lwp.  Returns 0 or an errno value.
 * rump_pub_lwproc_newlwp(pid): create a new lwp in process pid and
 *	switch this thread to it.  Returns 0, or ESRCH.
 * rump_pub_lwproc_switch(l): make this thread run as lwp l (NULL: as a
 *	temporary lwp again).  l must not be in use by another thread.
 * rump_pub_lwproc_releaselwp(): destroy this thread's lwp; a process
 *	whose last lwp goes away exits.
 * rump_pub_lwproc_curlwp(): this thread's lwp, or NULL.
 */
#define RUMP_RFFDG	0x01
#define RUMP_RFCFDG	0x02
int	rump_pub_lwproc_rfork(int flags);
int	rump_pub_lwproc_newlwp(pid_t pid);
void	rump_pub_lwproc_switch(struct lwp *l);
void	rump_pub_lwproc_releaselwp(void);
struct lwp *rump_pub_lwproc_curlwp(void);

#ifdef __cplusplus
}
#endif

#endif /* !_RUMP_RUMP_H_ */
