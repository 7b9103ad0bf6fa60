/*
 * Booting and halting the rump kernel (rump glue): rump_boot() behind
 * rump_init(), the component registry, cpu_reboot(), and rump_syscall(),
 * the kernel entry of every rump_sys_*() call.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/callout.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/reboot.h>
#include <sys/select.h>
#include <sys/sysent.h>
#include <sys/sysctl.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rump-sys/kern.h>

int rump_state = RUMP_STATE_COLD;
int rump_shutdown_howto;

#define MAXCOMPONENTS	64
static const struct rump_component *components[MAXCOMPONENTS];
static u_int ncomponents;

static void rump_hyp_enter(void);
static void rump_hyp_leave(void);

static const struct rumpuser_hyperup hyperup = {
	.hyp_enter = rump_hyp_enter,
	.hyp_leave = rump_hyp_leave,
};

void
rump_component_register(const struct rump_component *rc)
{

	if (ncomponents == MAXCOMPONENTS)
		panic("too many components (%u)", MAXCOMPONENTS);
	KASSERT(rc->rc_type < RUMP_COMPONENT_MAX);
	components[ncomponents++] = rc;
}

/* Sort components by type, then name: the init order (insertion sort). */
static void
components_sort(void)
{
	const struct rump_component *rc;
	u_int i, j;

	for (i = 1; i < ncomponents; i++) {
		rc = components[i];
		for (j = i; j > 0 && (components[j - 1]->rc_type > rc->rc_type ||
		    (components[j - 1]->rc_type == rc->rc_type &&
		    strcmp(components[j - 1]->rc_name, rc->rc_name) > 0)); j--)
			components[j] = components[j - 1];
		components[j] = rc;
	}
}

/* Read a numeric boot parameter; returns def when unset or invalid. */
static uint64_t
getparam_num(const char *name, uint64_t def, uint64_t max)
{
	char buf[32], *ep;
	uint64_t v;

	if (rumpuser_getparam(name, buf, sizeof(buf)) != 0)
		return def;
	v = strtoull(buf, &ep, 0);
	switch (*ep) {
	case 'k': case 'K': v <<= 10; ep++; break;
	case 'm': case 'M': v <<= 20; ep++; break;
	case 'g': case 'G': v <<= 30; ep++; break;
	}
	if (ep == buf || *ep != '\0' || v > max) {
		printf("rump: ignoring invalid %s=\"%s\"\n", name, buf);
		return def;
	}
	return v;
}

int
rump_boot(void)
{
	uint64_t memlimit;
	int64_t t0;
	u_int i, cpus;
	struct lwp *l;
	int error;

	if (!__atomic_compare_exchange_n(&rump_state,
	    &(int){ RUMP_STATE_COLD }, RUMP_STATE_BOOTING, 0,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		while (atomic_load_acquire(&rump_state) == RUMP_STATE_BOOTING)
			rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 100000);
		return atomic_load_acquire(&rump_state) == RUMP_STATE_RUNNING ?
		    0 : EBUSY;
	}
	if ((error = rumpuser_init(RUMPUSER_VERSION, &hyperup)) != 0) {
		atomic_store_release(&rump_state, RUMP_STATE_COLD);
		return error == RUMPUSER_EVERSION ? EPROGMISMATCH : error;
	}
	t0 = getnsuptime();
	boot_verbose = getparam_num("RUMP_VERBOSE", 0, 1);
	cpus = getparam_num(RUMPUSER_PARAM_NCPU, 1, 256);
	cpus = getparam_num("RUMP_NCPU", cpus, 256);
	if (cpus == 0)
		cpus = 1;
	memlimit = getparam_num("RUMP_MEMLIMIT", 0, UINT64_MAX);
	physmem_bytes = memlimit != 0 ? memlimit :
	    getparam_num(RUMPUSER_PARAM_PHYSMEM, 1ULL << 30, UINT64_MAX);

	rump_scheduler_init(cpus);
	rump_memalloc_init(memlimit);

	/* The booting thread runs as lwp0 of proc0 while the kernel grows. */
	l = rump_lwp_temp_alloc();
	l->l_proc = &proc0;
	rumpuser_curlwp_set(l);
	rump_cpu_acquire(l);

	rump_sig_init();
	kmem_init();
	bio_init();
	kauth_init();
	proc_init();
	sysctl_init();
	rump_memalloc_sysctl();
	callout_startup();
	kmem_reclaim_start();
	select_init();

	components_sort();
	for (i = 0; i < ncomponents; i++)
		components[i]->rc_init();

	/* pid 1, whose lwp the booting thread keeps. */
	initproc = proc_create(&proc0, "init", RFCFDG);
	if (initproc == NULL)
		panic("cannot create pid 1");
	rump_lwproc_switch(rump_lwp_alloc(initproc, 0, "lwp"));

	if (boot_verbose) {
		printf("anykernel rump kernel: %u virtual CPU%s, ", ncpu,
		    ncpu == 1 ? "" : "s");
		if (memlimit == 0)
			printf("no memory limit, ");
		else
			printf("memory limit %llu bytes, ",
			    (unsigned long long)memlimit);
		printf("%u component%s\n", ncomponents,
		    ncomponents == 1 ? "" : "s");
		for (i = 0; i < ncomponents; i++)
			printf("  component %s (type %d)\n",
			    components[i]->rc_name, components[i]->rc_type);
		printf("booted in %lld us\n",
		    (long long)(getnsuptime() - t0) / 1000);
	}
	atomic_store_release(&rump_state, RUMP_STATE_RUNNING);
	rump_unschedule();
	return 0;
}

/*
 * Shut down: run the components' fini hooks in reverse init order, stop
 * the callout thread, and either return (RB_HALT) or end the process.
 */
void
cpu_reboot(int howto)
{
	int i;

	/* One caller shuts down; any other racing here has nothing to do. */
	if (!__atomic_compare_exchange_n(&rump_state,
	    &(int){ RUMP_STATE_RUNNING }, RUMP_STATE_HALTED, 0,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return;
	rump_shutdown_howto = howto;
	if (boot_verbose)
		printf("rump kernel halting\n");
	kmem_reclaim_stop();
	proc_release_all();
	for (i = (int)ncomponents - 1; i >= 0; i--)
		if (components[i]->rc_fini != NULL)
			components[i]->rc_fini();
	/*
	 * Remote clients see the server go only now: a client that asked
	 * for the halt learns that it is done (file systems unmounted).
	 * Calls that come meanwhile fail with ENXIO.
	 */
	rump_sp_fini();
	callout_shutdown();
	if (howto & RB_DUMP)
		rumpuser_exit(RUMPUSER_PANIC);
	if ((howto & RB_HALT) == 0) {
		if (boot_verbose)
			printf("rump kernel halted, exiting\n");
		rumpuser_exit(0);
	}
	if (boot_verbose)
		printf("rump kernel halted\n");
}

int
rump_syscall(int num, void *args, size_t argsize, register_t *retval)
{
	int error;

	if (__predict_false(atomic_load_acquire(&rump_state) !=
	    RUMP_STATE_RUNNING))
		return ENXIO;
	rump_schedule();
	error = syscall_dispatch(curlwp, num, args, argsize, retval);
	rump_unschedule();
	return error;
}

/* I/O completion threads of the host become kernel contexts here. */
static void
rump_hyp_enter(void)
{

	rump_schedule();
}

static void
rump_hyp_leave(void)
{

	rump_unschedule();
}
