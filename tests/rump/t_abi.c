/*
 * The boundary translation (rumpuser_abi.c), table-driven: every kernel
 * errno against the host's value of the same name, written out here by
 * name from <errno.h>; unknown values; and a round trip through a real
 * system call.
 */

#include <errno.h>
#include <string.h>
#include <time.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "kabi.h"
#include "rumpuser_abi.h"

static const struct {
	int		kern;
	int		host;
	const char	*name;
} known[] = {
#define E(n)	{ KABI_##n, n, #n }
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO),
	E(E2BIG), E(EBADF), E(ENOMEM), E(EACCES), E(EFAULT), E(EBUSY),
	E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR), E(EISDIR), E(EINVAL),
	E(ENFILE), E(EMFILE), E(ENOTTY), E(EFBIG), E(ENOSPC), E(ESPIPE),
	E(EROFS), E(EMLINK), E(EPIPE), E(ERANGE), E(EAGAIN),
	E(EINPROGRESS), E(EALREADY), E(ENOTSOCK), E(EMSGSIZE),
	E(EOPNOTSUPP), E(EAFNOSUPPORT), E(EADDRINUSE), E(EADDRNOTAVAIL),
	E(ENETDOWN), E(ENETUNREACH), E(ECONNABORTED), E(ECONNRESET),
	E(ENOBUFS), E(EISCONN), E(ENOTCONN), E(ETIMEDOUT), E(ECONNREFUSED),
	E(ELOOP), E(ENAMETOOLONG), E(EHOSTUNREACH), E(ENOTEMPTY),
	E(EDQUOT), E(ESTALE), E(ENOLCK), E(ENOSYS), E(EOVERFLOW),
	E(EILSEQ), E(ECANCELED), E(EBADMSG), E(EPROTO), E(EDEADLK),
#undef E
};

ATF_TC_WITHOUT_HEAD(errno_by_name);
ATF_TC_BODY(errno_by_name, tc)
{
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		ATF_CHECK_EQ_MSG(rumpuser_abi_errno_tohost(known[i].kern),
		    known[i].host, "%s to host", known[i].name);
		ATF_CHECK_EQ_MSG(rumpuser_abi_errno_tokern(known[i].host),
		    known[i].kern, "%s to kernel", known[i].name);
	}
}

/* Kernel values that are not the host's: the translation really works. */
ATF_TC_WITHOUT_HEAD(errno_numbering_differs);
ATF_TC_BODY(errno_numbering_differs, tc)
{

	ATF_REQUIRE_EQ(KABI_EAGAIN, 35);
	ATF_REQUIRE_EQ(rumpuser_abi_errno_tohost(35), EAGAIN);
	ATF_REQUIRE_EQ(rumpuser_abi_errno_tohost(KABI_ENOSYS), ENOSYS);
	ATF_REQUIRE_EQ(rumpuser_abi_errno_tohost(KABI_ETIMEDOUT), ETIMEDOUT);
}

ATF_TC_WITHOUT_HEAD(errno_unknown);
ATF_TC_BODY(errno_unknown, tc)
{

	ATF_REQUIRE_EQ(rumpuser_abi_errno_tohost(0), 0);
	ATF_REQUIRE_EQ(rumpuser_abi_errno_tokern(0), 0);
	ATF_REQUIRE_EQ(rumpuser_abi_errno_tohost(-7), EIO);
	ATF_REQUIRE_EQ(rumpuser_abi_errno_tohost(100000), EIO);
	ATF_REQUIRE_EQ(rumpuser_abi_errno_tokern(-1), KABI_EIO);
	ATF_REQUIRE_EQ(rumpuser_abi_errno_tokern(100000), KABI_EIO);
	/* Kernel-only errors get a host error of the nearest meaning. */
	ATF_REQUIRE_EQ(rumpuser_abi_errno_tohost(KABI_EFTYPE), EINVAL);
	ATF_REQUIRE_EQ(rumpuser_abi_errno_tohost(KABI_EAUTH), EACCES);
	/* Every kernel value maps to some nonzero host value. */
	for (int e = 1; e <= KABI_ELAST; e++)
		ATF_CHECK_MSG(rumpuser_abi_errno_tohost(e) > 0,
		    "kernel errno %d", e);
}

ATF_TC_WITHOUT_HEAD(clockid);
ATF_TC_BODY(clockid, tc)
{
	int k;

	ATF_REQUIRE_EQ(rumpuser_abi_clockid_tokern(CLOCK_REALTIME, &k), 0);
	ATF_REQUIRE_EQ(k, KABI_CLOCK_REALTIME);
	ATF_REQUIRE_EQ(rumpuser_abi_clockid_tokern(CLOCK_MONOTONIC, &k), 0);
	ATF_REQUIRE_EQ(k, KABI_CLOCK_MONOTONIC);
	ATF_REQUIRE_EQ(rumpuser_abi_clockid_tokern(CLOCK_THREAD_CPUTIME_ID,
	    &k), KABI_EINVAL);
}

/* Through a system call: a kernel EPERM arrives as the host's EPERM. */
ATF_TC_WITHOUT_HEAD(errno_through_syscall);
ATF_TC_BODY(errno_through_syscall, tc)
{

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_setuid(5), 0);
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_setuid(6), -1);
	ATF_REQUIRE_EQ(errno, EPERM);
	ATF_REQUIRE_STREQ(strerror(errno), strerror(EPERM));
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, errno_by_name);
	ATF_TP_ADD_TC(tp, errno_numbering_differs);
	ATF_TP_ADD_TC(tp, errno_unknown);
	ATF_TP_ADD_TC(tp, clockid);
	ATF_TP_ADD_TC(tp, errno_through_syscall);
	return atf_no_error();
}
