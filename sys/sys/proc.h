/*
 * Processes.  In a rump kernel a process is a context inside the kernel
 * (credentials, descriptor table, working directory): each client of the
 * kernel may have its own, created with rump_pub_lwproc_rfork().
 */
#ifndef _SYS_PROC_H_
#define _SYS_PROC_H_

#include <sys/types.h>
#include <sys/param.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/kauth.h>
#include <sys/lwp.h>

struct filedesc;
struct cwdinfo;
struct vmspace;

struct proc {
	pid_t		p_pid;
	struct proc	*p_pptr;	/* parent, proc_lock */
	LIST_ENTRY(proc) p_list;	/* allproc, proc_lock */
	LIST_ENTRY(proc) p_sibling;	/* parent's p_children, proc_lock */
	LIST_HEAD(, proc) p_children;	/* proc_lock */
	kmutex_t	p_lock;		/* the fields below */
	LIST_HEAD(, lwp) p_lwps;
	u_int		p_nlwps;
	lwpid_t		p_nextlid;
	kauth_cred_t	p_cred;		/* replaced, never changed */
	mode_t		p_umask;
	char		p_comm[MAXCOMLEN];
	struct filedesc	*p_fd;		/* descriptors, maybe shared */
	struct cwdinfo	*p_cwdi;	/* directories (VFS), maybe shared */
	bool		p_released;	/* proc_lock: the two above let go */
	bool		p_intr;		/* interrupted: sleeps return EINTR */
	struct vmspace	*p_vmspace;	/* user memory; NULL: the kernel's */
};

/* proc_create() flags: the descriptor table of the child. */
#define RFFDG		0x01	/* a copy of the parent's */
#define RFCFDG		0x02	/* a new, empty one */
				/* neither: shared with the parent */

/*
 * Hooks of subsystems with per-process state (the VFS's directories):
 * called when a process is created and when it is destroyed.
 */
struct prochook {
	void	(*ph_fork)(struct proc *parent, struct proc *child, int flags);
	void	(*ph_exit)(struct proc *);
};
void	proc_hook_establish(const struct prochook *);
/* At shutdown: every process lets go of its files and directories. */
void	proc_release_all(void);

LIST_HEAD(proclist, proc);
extern struct proclist allproc;		/* every process, proc_lock */
#define proc_foreach(p)	LIST_FOREACH(p, &allproc, p_list)

extern struct proc proc0;		/* the kernel's own threads */
extern struct proc *initproc;		/* pid 1: adopts orphans */
extern kmutex_t proc_lock;		/* the process tree and allproc */

void	proc_init(void);
/* Allocate a process with a new pid as a child of parent. */
struct proc *proc_create(struct proc *parent, const char *comm, int flags);
/*
 * Release a process whose last lwp is gone: closes its descriptors and
 * reparents its children.
 */
void	proc_destroy(struct proc *);
/* Look a process up by pid; proc_lock must be held. */
struct proc *proc_find(pid_t);

/*
 * Interrupt p for good: its lwps sleeping in interruptible waits wake up
 * with EINTR, and so will any that tries to sleep in one later (the
 * machine-dependent layer, which knows how lwps sleep, implements it).
 */
void	proc_interrupt(struct proc *);

/* Install new credentials in p (consumes the reference to cred). */
void	proc_setcred(struct proc *, kauth_cred_t);

#endif /* !_SYS_PROC_H_ */
