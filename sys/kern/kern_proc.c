/*
 * The process table (kernel): pid allocation, lookup, the process tree,
 * and process credentials.  Lwps are created and bound to host threads
 * by the machine-dependent layer (rump glue: lwproc.c).
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/queue.h>
#include <sys/systm.h>

#define PID_MAX		30000

struct proc proc0;
struct proc *initproc;
kmutex_t proc_lock;

struct proclist allproc = LIST_HEAD_INITIALIZER(allproc);
static pid_t nextpid = 1;
static bool procs_released;	/* proc_release_all() ran; proc_lock */

#define MAXPROCHOOKS	4
static const struct prochook *prochooks[MAXPROCHOOKS];
static u_int nprochooks;

/* Called at component init, before any process but proc0 exists. */
void
proc_hook_establish(const struct prochook *ph)
{

	if (nprochooks == MAXPROCHOOKS)
		panic("too many process hooks");
	prochooks[nprochooks++] = ph;
	if (ph->ph_fork != NULL)
		ph->ph_fork(NULL, &proc0, RFCFDG);
}

void
proc_init(void)
{
	struct proc *p = &proc0;

	mutex_init(&proc_lock, MUTEX_DEFAULT, IPL_NONE);
	mutex_init(&p->p_lock, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&p->p_children);
	LIST_INIT(&p->p_lwps);
	p->p_pid = 0;
	p->p_pptr = p;
	p->p_cred = kauth_cred_alloc();
	p->p_umask = 022;
	p->p_fd = fd_create();
	strlcpy(p->p_comm, "system", sizeof(p->p_comm));
	LIST_INSERT_HEAD(&allproc, p, p_list);
}

struct proc *
proc_find(pid_t pid)
{
	struct proc *p;

	KASSERT(mutex_owned(&proc_lock));
	LIST_FOREACH(p, &allproc, p_list)
		if (p->p_pid == pid)
			return p;
	return NULL;
}

/* Pick the next free pid, wrapping at PID_MAX; proc_lock held. */
static pid_t
proc_allocpid(void)
{
	pid_t pid;
	int tries;

	for (tries = 0; tries < PID_MAX; tries++) {
		pid = nextpid;
		nextpid = nextpid >= PID_MAX ? 2 : nextpid + 1;
		if (proc_find(pid) == NULL)
			return pid;
	}
	return -1;
}

struct proc *
proc_create(struct proc *parent, const char *comm, int flags)
{
	struct proc *p;
	u_int i;

	p = kmem_zalloc(sizeof(*p), KM_SLEEP);
	mutex_init(&p->p_lock, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&p->p_children);
	LIST_INIT(&p->p_lwps);
	strlcpy(p->p_comm, comm, sizeof(p->p_comm));

	mutex_enter(&parent->p_lock);
	p->p_cred = parent->p_cred;
	kauth_cred_hold(p->p_cred);
	p->p_umask = parent->p_umask;
	mutex_exit(&parent->p_lock);

	mutex_enter(&proc_lock);
	/* After proc_release_all() (shutdown) nothing has files to copy. */
	p->p_pid = procs_released || parent->p_released ? -1 :
	    proc_allocpid();
	if (p->p_pid == -1) {
		mutex_exit(&proc_lock);
		kauth_cred_free(p->p_cred);
		mutex_destroy(&p->p_lock);
		kmem_free(p, sizeof(*p));
		return NULL;
	}
	p->p_pptr = parent;
	LIST_INSERT_HEAD(&parent->p_children, p, p_sibling);
	LIST_INSERT_HEAD(&allproc, p, p_list);

	/*
	 * Still under proc_lock: the parent's files and directories cannot
	 * be let go of (proc_release()) while they are copied.
	 */
	if (flags & RFFDG)
		p->p_fd = fd_copy(parent->p_fd);
	else if (flags & RFCFDG)
		p->p_fd = fd_create();
	else {
		p->p_fd = parent->p_fd;
		fd_share(p->p_fd);
	}
	for (i = 0; i < nprochooks; i++)
		if (prochooks[i]->ph_fork != NULL)
			prochooks[i]->ph_fork(parent, p, flags);
	mutex_exit(&proc_lock);
	return p;
}

/*
 * Let go of what p holds: its descriptors and its subsystems' state
 * (the exit hooks).  Once only; proc_lock held.
 */
static void
proc_release(struct proc *p)
{
	u_int i;

	KASSERT(mutex_owned(&proc_lock));
	if (p->p_released)
		return;
	p->p_released = true;
	fd_free(p->p_fd, p);
	p->p_fd = NULL;
	for (i = nprochooks; i-- > 0;)
		if (prochooks[i]->ph_exit != NULL)
			prochooks[i]->ph_exit(p);
}

/*
 * At shutdown, before the subsystems stop: every process, proc0 too,
 * lets go of its files and directories as if it exited, so the file
 * systems can be unmounted.  The processes stay listed (a host thread
 * may still be bound to one of their lwps).
 */
void
proc_release_all(void)
{
	struct proc *p;

	mutex_enter(&proc_lock);
	procs_released = true;
	LIST_FOREACH(p, &allproc, p_list)
		proc_release(p);
	mutex_exit(&proc_lock);
}

void
proc_destroy(struct proc *p)
{
	struct proc *child;

	KASSERT(p != &proc0 && p->p_nlwps == 0);
	mutex_enter(&proc_lock);
	proc_release(p);
	while ((child = LIST_FIRST(&p->p_children)) != NULL) {
		LIST_REMOVE(child, p_sibling);
		child->p_pptr = initproc != NULL && initproc != p ?
		    initproc : &proc0;
		LIST_INSERT_HEAD(&child->p_pptr->p_children, child, p_sibling);
	}
	if (p == initproc)
		initproc = NULL;
	LIST_REMOVE(p, p_sibling);
	LIST_REMOVE(p, p_list);
	mutex_exit(&proc_lock);

	kauth_cred_free(p->p_cred);
	mutex_destroy(&p->p_lock);
	kmem_free(p, sizeof(*p));
}

void
proc_setcred(struct proc *p, kauth_cred_t cred)
{
	kauth_cred_t old;

	mutex_enter(&p->p_lock);
	old = p->p_cred;
	p->p_cred = cred;
	mutex_exit(&p->p_lock);
	kauth_cred_free(old);
	lwp_update_creds(curlwp);
}

void
lwp_update_creds(struct lwp *l)
{
	struct proc *p = l->l_proc;
	kauth_cred_t old;

	if (__predict_true(l->l_cred == p->p_cred))
		return;
	mutex_enter(&p->p_lock);
	old = l->l_cred;
	l->l_cred = p->p_cred;
	kauth_cred_hold(l->l_cred);
	mutex_exit(&p->p_lock);
	if (old != NULL)
		kauth_cred_free(old);
}
