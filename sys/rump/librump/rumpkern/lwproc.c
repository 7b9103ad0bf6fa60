/*
 * Lwps and kernel processes (rump glue): creating lwps, binding them to
 * host threads, and the rump_pub_lwproc_*() operations behind them.
 *
 * An lwp is bound to at most one host thread at a time (LW_BOUND).  A
 * host thread with no lwp gets a temporary one (LW_TEMP) for each
 * kernel entry: it lives in host memory, so it can be made before the
 * thread holds a CPU, and belongs to initproc without joining its list.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rump-sys/kern.h>

struct lwp *
rump_lwp_alloc(struct proc *p, int flags, const char *name)
{
	struct lwp *l;

	l = kmem_zalloc(sizeof(*l), KM_SLEEP);
	l->l_proc = p;
	l->l_flag = flags;
	strlcpy(l->l_name, name, sizeof(l->l_name));
	mutex_enter(&p->p_lock);
	l->l_lid = ++p->p_nextlid;
	l->l_cred = p->p_cred;
	kauth_cred_hold(l->l_cred);
	LIST_INSERT_HEAD(&p->p_lwps, l, l_sibling);
	p->p_nlwps++;
	mutex_exit(&p->p_lock);
	return l;
}

/*
 * Free l; if it was its process' last lwp, the process exits, except
 * pid 1: like init, it lives as long as the kernel, since temporary lwps
 * run in it without holding it.
 */
void
rump_lwp_free(struct lwp *l)
{
	struct proc *p = l->l_proc;
	bool last;

	KASSERT((l->l_flag & LW_TEMP) == 0);
	mutex_enter(&p->p_lock);
	LIST_REMOVE(l, l_sibling);
	last = --p->p_nlwps == 0;
	mutex_exit(&p->p_lock);
	kauth_cred_free(l->l_cred);
	kmem_free(l, sizeof(*l));
	if (last && p != &proc0 && p != initproc)
		proc_destroy(p);
}

struct lwp *
rump_lwp_temp_alloc(void)
{
	struct lwp *l;

	if (rumpuser_malloc(sizeof(*l), 0, (void **)&l) != 0)
		panic("out of host memory for a temporary lwp");
	memset(l, 0, sizeof(*l));
	l->l_proc = initproc != NULL ? initproc : &proc0;
	l->l_flag = LW_TEMP | LW_BOUND;
	/* l_cred is taken at system call entry, under a CPU. */
	return l;
}

/* Release a temporary lwp and the CPU it holds. */
void
rump_lwp_temp_free(struct lwp *l)
{

	KASSERT(l->l_flag & LW_TEMP);
	if (l->l_cred != NULL)
		kauth_cred_free(l->l_cred);
	rump_cpu_release(l);
	rumpuser_curlwp_set(NULL);
	rumpuser_free(l, sizeof(*l));
}

/*
 * Make the calling thread run as nl, handing over the CPU it holds.
 * The thread's previous lwp stays (unless temporary) and may be
 * switched back to.  Called with a CPU held.
 */
static void
lwproc_switchto(struct lwp *nl)
{
	struct lwp *ol = curlwp;
	struct cpu_info *ci = ol->l_cpu;

	KASSERT(ci != NULL);
	if (nl == ol)
		return;		/* already there */
	if (nl != NULL) {
		KASSERTMSG((nl->l_flag & LW_BOUND) == 0,
		    "lwp %d.%d is in use by another thread",
		    nl->l_proc->p_pid, nl->l_lid);
		nl->l_flag |= LW_BOUND;
	} else
		nl = rump_lwp_temp_alloc();
	if (ol->l_flag & LW_TEMP) {
		if (ol->l_cred != NULL)
			kauth_cred_free(ol->l_cred);
		ol->l_cpu = NULL;
		rumpuser_free(ol, sizeof(*ol));
	} else {
		ol->l_flag &= ~LW_BOUND;
		ol->l_cpu = NULL;
	}
	nl->l_cpu = nl->l_lastcpu = ci;
	__atomic_store_n(&ci->ci_curlwp, nl, __ATOMIC_SEQ_CST);
	rumpuser_curlwp_set(nl);
}

int
rump_lwproc_rfork(int flags)
{
	struct proc *parent = curproc, *p;
	struct lwp *l;

	if ((flags & ~(RUMP_RFFDG | RUMP_RFCFDG)) != 0 ||
	    flags == (RUMP_RFFDG | RUMP_RFCFDG))
		return EINVAL;
	p = proc_create(parent, parent->p_comm,
	    (flags & RUMP_RFFDG) ? RFFDG : (flags & RUMP_RFCFDG) ? RFCFDG : 0);
	if (p == NULL)
		return EAGAIN;
	l = rump_lwp_alloc(p, 0, "lwp");
	lwproc_switchto(l);
	return 0;
}

int
rump_lwproc_newlwp(pid_t pid)
{
	struct proc *p;
	struct lwp *l;

	mutex_enter(&proc_lock);
	p = proc_find(pid);
	if (p == NULL || p == &proc0) {
		mutex_exit(&proc_lock);
		return ESRCH;
	}
	/*
	 * Hold the process with a placeholder count while unlocked; one
	 * with no lwps left is on its way out.
	 */
	mutex_enter(&p->p_lock);
	if (p->p_nlwps == 0 && p != initproc) {
		mutex_exit(&p->p_lock);
		mutex_exit(&proc_lock);
		return ESRCH;
	}
	p->p_nlwps++;
	mutex_exit(&p->p_lock);
	mutex_exit(&proc_lock);

	l = rump_lwp_alloc(p, 0, "lwp");
	mutex_enter(&p->p_lock);
	p->p_nlwps--;
	mutex_exit(&p->p_lock);
	lwproc_switchto(l);
	return 0;
}

void
rump_lwproc_switch(struct lwp *l)
{

	lwproc_switchto(l);
}

void
rump_lwproc_releaselwp(void)
{
	struct lwp *l = curlwp;

	if (l->l_flag & LW_TEMP)
		return;
	lwproc_switchto(NULL);
	rump_lwp_free(l);
}

struct lwp *
rump_lwproc_curlwp(void)
{
	struct lwp *l = curlwp;

	return (l == NULL || (l->l_flag & LW_TEMP)) ? NULL : l;
}
