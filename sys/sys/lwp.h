/*
 * Light-weight processes: the kernel's threads of execution.  Every host
 * thread that runs kernel code does so as an lwp; curlwp is the caller's.
 */
#ifndef _SYS_LWP_H_
#define _SYS_LWP_H_

#include <sys/types.h>
#include <sys/param.h>
#include <sys/queue.h>
#include <sys/kauth.h>

struct proc;
struct cpu_info;

struct lwp {
	struct cpu_info	*l_cpu;		/* CPU held, or NULL */
	struct cpu_info	*l_lastcpu;	/* the CPU to try first */
	struct proc	*l_proc;
	kauth_cred_t	l_cred;		/* cached copy of p_cred */
	struct vnode	*l_atvp[2];	/* AT_LWPVP() directories */
	lwpid_t		l_lid;
	int		l_flag;
	LIST_ENTRY(lwp)	l_sibling;	/* in the process' list */
	void		*l_hostthread;	/* kthread: join handle */
	void		(*l_func)(void *);	/* kthread: body */
	void		*l_arg;
	int		l_exitcode;	/* kthread: kthread_exit() code */
	struct kcondvar	*l_sleepcv;	/* interruptible sleep: on this, */
	struct kmutex	*l_sleepmtx;	/* with this (see proc_interrupt) */
	char		l_name[MAXCOMLEN];
};

#define LW_SYSTEM	0x0001	/* a kernel thread */
#define LW_TEMP		0x0002	/* implicit: lives for one kernel entry */
#define LW_BOUND	0x0004	/* some host thread runs as this lwp */
#define LW_MUSTJOIN	0x0008	/* kthread: kthread_join() will reap it */
#define LW_EXITED	0x0010	/* kthread: has called kthread_exit() */

struct lwp *lwp_curlwp(void);
#define curlwp		lwp_curlwp()
#define curproc		(curlwp->l_proc)

/* Refresh l_cred after the process' credentials changed. */
void	lwp_update_creds(struct lwp *);

#endif /* !_SYS_LWP_H_ */
