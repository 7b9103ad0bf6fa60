/*
 * Kernel processes: rfork, newlwp, switch and release, with
 * per-process credentials and umask.
 */

#include <errno.h>
#include <pthread.h>
#include <sys/types.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_syscalls.h>

ATF_TC_WITHOUT_HEAD(rfork_switch_release);
ATF_TC_BODY(rfork_switch_release, tc)
{
	struct lwp *l1, *l2;
	pid_t child;

	ATF_REQUIRE_EQ(rump_init(), 0);
	l1 = rump_pub_lwproc_curlwp();
	ATF_REQUIRE(l1 != NULL);
	ATF_REQUIRE_EQ(rump_sys_getpid(), 1);

	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	l2 = rump_pub_lwproc_curlwp();
	ATF_REQUIRE(l2 != NULL && l2 != l1);
	child = rump_sys_getpid();
	ATF_REQUIRE(child > 1);
	ATF_REQUIRE_EQ(rump_sys_getppid(), 1);

	rump_pub_lwproc_switch(l1);
	ATF_REQUIRE_EQ(rump_sys_getpid(), 1);
	rump_pub_lwproc_switch(l2);
	ATF_REQUIRE_EQ(rump_sys_getpid(), child);
	/* Switching to the lwp the thread runs as changes nothing. */
	rump_pub_lwproc_switch(l2);
	ATF_REQUIRE(rump_pub_lwproc_curlwp() == l2);
	ATF_REQUIRE_EQ(rump_sys_getpid(), child);

	/* The child's only lwp goes: the process is gone. */
	rump_pub_lwproc_releaselwp();
	ATF_REQUIRE(rump_pub_lwproc_curlwp() == NULL);
	ATF_REQUIRE_EQ(rump_pub_lwproc_newlwp(child), ESRCH);
	/* An unbound thread runs as pid 1. */
	ATF_REQUIRE_EQ(rump_sys_getpid(), 1);
	rump_pub_lwproc_switch(l1);
	ATF_REQUIRE(rump_pub_lwproc_curlwp() == l1);
}

ATF_TC_WITHOUT_HEAD(rfork_flags);
ATF_TC_BODY(rfork_flags, tc)
{

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG | RUMP_RFCFDG), EINVAL);
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(0x80), EINVAL);
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	ATF_REQUIRE(rump_sys_getpid() > 1);
}

ATF_TC_WITHOUT_HEAD(newlwp_same_process);
ATF_TC_BODY(newlwp_same_process, tc)
{
	struct lwp *a, *b;
	pid_t pid;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(0), 0);
	pid = rump_sys_getpid();
	a = rump_pub_lwproc_curlwp();
	ATF_REQUIRE_EQ(rump_pub_lwproc_newlwp(pid), 0);
	b = rump_pub_lwproc_curlwp();
	ATF_REQUIRE(a != b);
	ATF_REQUIRE_EQ(rump_sys_getpid(), pid);
	/* Releasing one lwp keeps the process alive. */
	rump_pub_lwproc_releaselwp();
	ATF_REQUIRE_EQ(rump_pub_lwproc_newlwp(pid), 0);
	ATF_REQUIRE_EQ(rump_sys_getpid(), pid);
	ATF_REQUIRE_EQ(rump_pub_lwproc_newlwp(99999), ESRCH);
	(void)a;
}

/* Credentials and umask belong to the process, and children inherit. */
ATF_TC_WITHOUT_HEAD(per_process_creds);
ATF_TC_BODY(per_process_creds, tc)
{
	struct lwp *root, *user;
	gid_t groups[4] = { 10, 20, 30, 40 }, got[8];

	ATF_REQUIRE_EQ(rump_init(), 0);
	root = rump_pub_lwproc_curlwp();
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	user = rump_pub_lwproc_curlwp();
	ATF_REQUIRE_EQ(rump_sys_setgroups(4, groups), 0);
	ATF_REQUIRE_EQ(rump_sys_setgid(500), 0);
	ATF_REQUIRE_EQ(rump_sys_setuid(1000), 0);
	ATF_REQUIRE_EQ(rump_sys_umask(077), 022);
	ATF_REQUIRE_EQ(rump_sys_getuid(), 1000);
	ATF_REQUIRE_EQ(rump_sys_geteuid(), 1000);
	ATF_REQUIRE_EQ(rump_sys_getgid(), 500);
	ATF_REQUIRE_EQ(rump_sys_getgroups(8, got), 4);
	ATF_REQUIRE_EQ(got[3], 40);

	/* A grandchild inherits identity and umask. */
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	ATF_REQUIRE_EQ(rump_sys_geteuid(), 1000);
	ATF_REQUIRE_EQ(rump_sys_getegid(), 500);
	ATF_REQUIRE_EQ(rump_sys_umask(0), 077);
	rump_pub_lwproc_releaselwp();

	/* pid 1 is untouched. */
	rump_pub_lwproc_switch(root);
	ATF_REQUIRE_EQ(rump_sys_getuid(), 0);
	ATF_REQUIRE_EQ(rump_sys_getgroups(0, NULL), 0);
	ATF_REQUIRE_EQ(rump_sys_umask(022), 022);

	rump_pub_lwproc_switch(user);
	ATF_REQUIRE_EQ(rump_sys_getuid(), 1000);
}

struct threadarg {
	pid_t	pid;
	uid_t	uid;
	int	err;
};

/* A host thread binding itself to a process' new lwp sees its identity. */
static void *
thread_in_process(void *arg)
{
	struct threadarg *ta = arg;

	ta->err = rump_pub_lwproc_newlwp(ta->pid);
	if (ta->err == 0) {
		ta->uid = rump_sys_geteuid();
		rump_pub_lwproc_releaselwp();
	}
	return NULL;
}

ATF_TC_WITHOUT_HEAD(threads_join_process);
ATF_TC_BODY(threads_join_process, tc)
{
	struct threadarg ta[8];
	pthread_t t[8];
	pid_t pid;
	int i;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(0), 0);
	pid = rump_sys_getpid();
	ATF_REQUIRE_EQ(rump_sys_setuid(4242), 0);
	for (i = 0; i < 8; i++) {
		ta[i].pid = pid;
		ATF_REQUIRE_EQ(pthread_create(&t[i], NULL, thread_in_process,
		    &ta[i]), 0);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		ATF_CHECK_EQ(ta[i].err, 0);
		ATF_CHECK_EQ(ta[i].uid, 4242);
	}
	ATF_REQUIRE_EQ(rump_sys_getpid(), pid);
}

static int stop_workers;

static void *
getuid_loop(void *arg)
{
	long *calls = arg;

	while (!__atomic_load_n(&stop_workers, __ATOMIC_RELAXED) ||
	    *calls < 1000) {
		if (rump_sys_getuid() != 0 || rump_sys_getpid() != 1)
			*calls = -1000000000L;
		(*calls)++;
	}
	return NULL;
}

/*
 * pid 1 outlives its lwps: threads without one keep running in it while
 * the booting thread releases the lwp it was given.
 */
ATF_TC_WITHOUT_HEAD(init_outlives_lwps);
ATF_TC_BODY(init_outlives_lwps, tc)
{
	long calls[4] = { 0, 0, 0, 0 };
	pthread_t t[4];
	int i;

	ATF_REQUIRE_EQ(rump_init(), 0);
	for (i = 0; i < 4; i++)
		ATF_REQUIRE_EQ(pthread_create(&t[i], NULL, getuid_loop,
		    &calls[i]), 0);
	for (i = 0; i < 200; i++) {
		rump_pub_lwproc_releaselwp();
		ATF_REQUIRE_EQ(rump_pub_lwproc_newlwp(1), 0);
	}
	rump_pub_lwproc_releaselwp();
	__atomic_store_n(&stop_workers, 1, __ATOMIC_RELAXED);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ATF_CHECK_MSG(calls[i] > 0, "thread %d saw a wrong pid or uid",
		    i);
	}
	ATF_REQUIRE_EQ(rump_sys_getpid(), 1);
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(0), 0);
	ATF_REQUIRE_EQ(rump_sys_getppid(), 1);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, rfork_switch_release);
	ATF_TP_ADD_TC(tp, rfork_flags);
	ATF_TP_ADD_TC(tp, newlwp_same_process);
	ATF_TP_ADD_TC(tp, per_process_creds);
	ATF_TP_ADD_TC(tp, threads_join_process);
	ATF_TP_ADD_TC(tp, init_outlives_lwps);
	return atf_no_error();
}
