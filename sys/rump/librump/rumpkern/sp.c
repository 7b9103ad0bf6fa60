/*
 * Serving system calls to other processes, kernel side (rump glue): a
 * process per client, the lwps the server's threads run as, and the
 * copies to and from a client's memory.  The sockets and the wire are
 * the host's (rumpuser_sp_*(), lib/librumpuser/rumpuser_sp.c).
 *
 * A client's process has p_vmspace set to sp_vmspace: its user memory
 * is elsewhere, and copyin() and friends (hyper.c) come here.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/atomic.h>
#include <sys/errno.h>
#include <sys/filedesc.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rump-sys/kern.h>

/* The address space of every remote client: only its identity counts. */
struct vmspace {
	int	vm_remote;
};
static struct vmspace sp_vmspace = { 1 };

bool
rump_sp_remote(struct proc *p)
{

	return p->p_vmspace == &sp_vmspace;
}

/*
 * The copies.  The wait for the client happens with the CPU released;
 * kernel locks the caller holds stay held (as across a page fault).
 */
int
rump_sp_copyin(const void *uaddr, void *kaddr, size_t len)
{
	struct lwp *l = curlwp;
	int error;

	rump_cpu_release(l);
	error = rumpuser_sp_copyin(uaddr, kaddr, len);
	rump_cpu_acquire(l);
	return error;
}

int
rump_sp_copyinstr(const void *uaddr, void *kaddr, size_t len, size_t *done)
{
	struct lwp *l = curlwp;
	int error;

	rump_cpu_release(l);
	error = rumpuser_sp_copyinstr(uaddr, kaddr, len, done);
	rump_cpu_acquire(l);
	return error;
}

int
rump_sp_copyout(const void *kaddr, void *uaddr, size_t len)
{
	struct lwp *l = curlwp;
	int error;

	rump_cpu_release(l);
	error = rumpuser_sp_copyout(kaddr, uaddr, len);
	rump_cpu_acquire(l);
	return error;
}

/*
 * The upcalls.  Each runs on a server thread that holds no CPU.
 */

/* A client process, child of parent, with its first lwp. */
static int
sp_proc_make(struct proc *parent, const char *comm, int flags,
    struct lwp **mainp, int *pidp)
{
	struct proc *p;
	int error = 0;

	/* No new processes once the kernel halts. */
	if (atomic_load_acquire(&rump_state) != RUMP_STATE_RUNNING)
		return ENXIO;
	rump_schedule();
	p = proc_create(parent, comm, flags);
	if (p == NULL)
		error = EAGAIN;
	else {
		p->p_vmspace = &sp_vmspace;
		*mainp = rump_lwp_alloc(p, 0, "main");
		*pidp = p->p_pid;
	}
	rump_unschedule();
	return error;
}

static int
sp_proc_new(const char *comm, struct lwp **mainp, int *pidp)
{

	return sp_proc_make(initproc, comm, RFCFDG, mainp, pidp);
}

static int
sp_proc_fork(struct lwp *main, struct lwp **childp, int *pidp)
{

	return sp_proc_make(main->l_proc, main->l_proc->p_comm, RFFDG,
	    childp, pidp);
}

static void
sp_proc_exec(struct lwp *main, const char *comm)
{
	struct proc *p = main->l_proc;

	rump_schedule();
	mutex_enter(&p->p_lock);
	strlcpy(p->p_comm, comm, sizeof(p->p_comm));
	mutex_exit(&p->p_lock);
	fd_closeexec(p);
	rump_unschedule();
}

static void
sp_proc_interrupt(struct lwp *main)
{

	rump_schedule();
	proc_interrupt(main->l_proc);
	rump_unschedule();
}

static void
sp_proc_exit(struct lwp *main)
{

	rump_schedule();
	rump_lwp_free(main);
	rump_unschedule();
}

static int
sp_lwp_enter(struct lwp *main)
{

	rump_schedule();
	rump_lwproc_switch(rump_lwp_alloc(main->l_proc, 0, "sp"));
	rump_unschedule();
	return 0;
}

static void
sp_lwp_exit(void)
{

	rump_schedule();
	rump_lwproc_releaselwp();
	rump_unschedule();
}

static const struct rumpuser_sp_upcalls sp_upcalls = {
	.sp_proc_new = sp_proc_new,
	.sp_proc_fork = sp_proc_fork,
	.sp_proc_exec = sp_proc_exec,
	.sp_proc_interrupt = sp_proc_interrupt,
	.sp_proc_exit = sp_proc_exit,
	.sp_lwp_enter = sp_lwp_enter,
	.sp_lwp_exit = sp_lwp_exit,
	.sp_syscall = rump_syscall,
};

int
rump_sp_init(const char *url)
{

	if (atomic_load_acquire(&rump_state) != RUMP_STATE_RUNNING)
		return ENXIO;
	return rumpuser_sp_init(url, &sp_upcalls);
}

/* At halt: no more calls come in, and clients see the server go. */
void
rump_sp_fini(void)
{

	rumpuser_sp_fini();
}
