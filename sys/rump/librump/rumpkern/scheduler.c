/*
 * Virtual CPUs (rump glue).  A host thread runs kernel code only while
 * its lwp holds a virtual CPU.  Taking a CPU is a compare-and-swap on
 * the CPU's holder field, trying the lwp's last CPU first; only when
 * every CPU is busy does a thread sleep, on sched_cv.  Releasing is a
 * store, plus a wakeup if anyone sleeps.
 *
 * rump_schedule() and rump_unschedule() are the kernel entry and exit of
 * every host thread: a thread with no lwp bound gets a temporary lwp
 * for the duration.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/atomic.h>
#include <sys/cpu.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rump-sys/kern.h>

struct cpu_info *cpu_infos;
u_int ncpu;

static struct rumpuser_mtx *sched_mtx;
static struct rumpuser_cv *sched_cv;
static u_int sched_nwaiters;

void
rump_scheduler_init(u_int n)
{
	int error;
	u_int i;

	error = rumpuser_malloc(n * sizeof(*cpu_infos), COHERENCY_UNIT,
	    (void **)&cpu_infos);
	if (error != 0)
		panic("cannot allocate %u virtual CPUs", n);
	for (i = 0; i < n; i++) {
		memset(&cpu_infos[i], 0, sizeof(cpu_infos[i]));
		cpu_infos[i].ci_index = i;
	}
	ncpu = n;
	if (rumpuser_mutex_init(&sched_mtx, 0) != 0 ||
	    rumpuser_cv_init(&sched_cv) != 0)
		panic("cannot create scheduler locks");
}

static inline bool
cpu_claim(struct cpu_info *ci, struct lwp *l)
{
	struct lwp *none = NULL;

	return __atomic_compare_exchange_n(&ci->ci_curlwp, &none, l, 0,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

bool
rump_cpu_tryacquire(struct lwp *l)
{
	struct cpu_info *ci = l->l_lastcpu;
	u_int i;

	KASSERT(l->l_cpu == NULL);
	if (ci == NULL || !cpu_claim(ci, l)) {
		for (i = 0, ci = NULL; i < ncpu; i++) {
			if (cpu_claim(&cpu_infos[i], l)) {
				ci = &cpu_infos[i];
				break;
			}
		}
		if (ci == NULL)
			return false;
	}
	ci->ci_nswitch++;
	l->l_cpu = l->l_lastcpu = ci;
	return true;
}

void
rump_cpu_acquire(struct lwp *l)
{

	if (__predict_true(rump_cpu_tryacquire(l)))
		return;
	rumpuser_mutex_enter(sched_mtx);
	atomic_inc_uint(&sched_nwaiters);
	while (!rump_cpu_tryacquire(l))
		rumpuser_cv_wait(sched_cv, sched_mtx);
	atomic_dec_uint(&sched_nwaiters);
	rumpuser_mutex_exit(sched_mtx);
}

void
rump_cpu_release(struct lwp *l)
{
	struct cpu_info *ci = l->l_cpu;

	KASSERT(ci != NULL && atomic_load_relaxed(&ci->ci_curlwp) == l);
	l->l_cpu = NULL;
	__atomic_store_n(&ci->ci_curlwp, NULL, __ATOMIC_SEQ_CST);
	/*
	 * A waiter raises sched_nwaiters before its last look at the
	 * CPUs, and both sides use sequentially consistent operations:
	 * either it sees this CPU free or we see it waiting.
	 */
	if (__predict_false(__atomic_load_n(&sched_nwaiters,
	    __ATOMIC_SEQ_CST) != 0)) {
		rumpuser_mutex_enter(sched_mtx);
		rumpuser_cv_signal(sched_cv);
		rumpuser_mutex_exit(sched_mtx);
	}
}

struct lwp *
lwp_curlwp(void)
{

	return rumpuser_curlwp();
}

void
rump_schedule(void)
{
	struct lwp *l = rumpuser_curlwp();

	if (__predict_false(l == NULL)) {
		l = rump_lwp_temp_alloc();
		rumpuser_curlwp_set(l);
	}
	rump_cpu_acquire(l);
}

void
rump_unschedule(void)
{
	struct lwp *l = rumpuser_curlwp();

	if (__predict_false(l->l_flag & LW_TEMP)) {
		rump_lwp_temp_free(l);
		return;
	}
	rump_cpu_release(l);
}
