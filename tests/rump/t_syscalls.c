/*
 * The process and time system calls through the generated rump_sys_*()
 * stubs, checked against POSIX and against the host's own calls.
 */

#include <errno.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_syscalls.h>

ATF_TC_WITHOUT_HEAD(ids);
ATF_TC_BODY(ids, tc)
{

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_getuid(), 0);
	ATF_REQUIRE_EQ(rump_sys_geteuid(), 0);
	ATF_REQUIRE_EQ(rump_sys_getgid(), 0);
	ATF_REQUIRE_EQ(rump_sys_getegid(), 0);
}

/* POSIX setuid: only root changes the real id; others only euid. */
ATF_TC_WITHOUT_HEAD(setuid_rules);
ATF_TC_BODY(setuid_rules, tc)
{

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_setuid(1000), 0);
	ATF_REQUIRE_EQ(rump_sys_getuid(), 1000);
	ATF_REQUIRE_EQ(rump_sys_geteuid(), 1000);
	/* No way back to root. */
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_setuid(0), -1);
	ATF_REQUIRE_EQ(errno, EPERM);
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_setuid(1001), -1);
	ATF_REQUIRE_EQ(errno, EPERM);
	/* Setting one's own id is allowed. */
	ATF_REQUIRE_EQ(rump_sys_setuid(1000), 0);
	/* Non-root cannot change groups. */
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_setgid(7), -1);
	ATF_REQUIRE_EQ(errno, EPERM);
	ATF_REQUIRE_EQ(rump_sys_setgroups(0, NULL), -1);
	ATF_REQUIRE_EQ(errno, EPERM);
}

ATF_TC_WITHOUT_HEAD(groups);
ATF_TC_BODY(groups, tc)
{
	gid_t set[17], got[17];
	int i;

	ATF_REQUIRE_EQ(rump_init(), 0);
	for (i = 0; i < 17; i++)
		set[i] = 100 + i;
	/* NGROUPS_MAX is 16. */
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_setgroups(17, set), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	ATF_REQUIRE_EQ(rump_sys_setgroups(-1, set), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	ATF_REQUIRE_EQ(rump_sys_setgroups(16, set), 0);
	ATF_REQUIRE_EQ(rump_sys_getgroups(0, NULL), 16);
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_getgroups(3, got), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	ATF_REQUIRE_EQ(rump_sys_getgroups(17, got), 16);
	for (i = 0; i < 16; i++)
		ATF_CHECK_EQ(got[i], (gid_t)(100 + i));
	/* A bad pointer is EFAULT, not a crash. */
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_getgroups(16, NULL), -1);
	ATF_REQUIRE_EQ(errno, EFAULT);
	ATF_REQUIRE_EQ(rump_sys_setgroups(0, NULL), 0);
	ATF_REQUIRE_EQ(rump_sys_getgroups(0, NULL), 0);
}

ATF_TC_WITHOUT_HEAD(umask);
ATF_TC_BODY(umask, tc)
{

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_umask(0777), 022);
	ATF_REQUIRE_EQ(rump_sys_umask(01777), 0777);
	/* Only the permission bits are kept. */
	ATF_REQUIRE_EQ(rump_sys_umask(0), 0777);
}

static int64_t
ns(const struct timespec *ts)
{

	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/* The kernel's clocks agree with the host's. */
ATF_TC_WITHOUT_HEAD(clock_gettime);
ATF_TC_BODY(clock_gettime, tc)
{
	struct timespec h0, k, h1;

	ATF_REQUIRE_EQ(rump_init(), 0);
	clock_gettime(CLOCK_MONOTONIC, &h0);
	ATF_REQUIRE_EQ(rump_sys_clock_gettime(CLOCK_MONOTONIC, &k), 0);
	clock_gettime(CLOCK_MONOTONIC, &h1);
	ATF_REQUIRE(ns(&h0) <= ns(&k) && ns(&k) <= ns(&h1));

	clock_gettime(CLOCK_REALTIME, &h0);
	ATF_REQUIRE_EQ(rump_sys_clock_gettime(CLOCK_REALTIME, &k), 0);
	clock_gettime(CLOCK_REALTIME, &h1);
	ATF_REQUIRE(ns(&h0) <= ns(&k) && ns(&k) <= ns(&h1));

	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &k),
	    -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_clock_gettime(12345, &k), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_clock_gettime(CLOCK_MONOTONIC, NULL), -1);
	ATF_REQUIRE_EQ(errno, EFAULT);
}

ATF_TC_WITHOUT_HEAD(nanosleep);
ATF_TC_BODY(nanosleep, tc)
{
	struct timespec req = { 0, 30 * 1000 * 1000 }, rem, t0, t1;

	ATF_REQUIRE_EQ(rump_init(), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ATF_REQUIRE_EQ(rump_sys_nanosleep(&req, &rem), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ATF_REQUIRE(ns(&t1) - ns(&t0) >= 30 * 1000 * 1000);
	ATF_REQUIRE_EQ(rem.tv_sec, 0);
	ATF_REQUIRE_EQ(rem.tv_nsec, 0);

	req.tv_nsec = 1000000000;
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_nanosleep(&req, NULL), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	req.tv_sec = -1;
	req.tv_nsec = 0;
	ATF_REQUIRE_EQ(rump_sys_nanosleep(&req, NULL), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	ATF_REQUIRE_EQ(rump_sys_nanosleep(NULL, NULL), -1);
	ATF_REQUIRE_EQ(errno, EFAULT);
	req.tv_sec = 0;
	ATF_REQUIRE_EQ(rump_sys_nanosleep(&req, NULL), 0);
}

/* A syscall number with no implementation is ENOSYS. */
ATF_TC_WITHOUT_HEAD(nosys);
ATF_TC_BODY(nosys, tc)
{
	int64_t rv[2];

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE(rump_syscall(0, NULL, 0, rv) != 0);
	ATF_REQUIRE(rump_syscall(100000, NULL, 0, rv) != 0);
	ATF_REQUIRE(rump_syscall(-1, NULL, 0, rv) != 0);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, ids);
	ATF_TP_ADD_TC(tp, setuid_rules);
	ATF_TP_ADD_TC(tp, groups);
	ATF_TP_ADD_TC(tp, umask);
	ATF_TP_ADD_TC(tp, clock_gettime);
	ATF_TP_ADD_TC(tp, nanosleep);
	ATF_TP_ADD_TC(tp, nosys);
	return atf_no_error();
}
