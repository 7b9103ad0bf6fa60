/*
 * Kernel threads: create, exit with a code, join; detached threads.
 */

#include <stdint.h>
#include <stdlib.h>

#include <atf-c.h>
#include <rump/rump.h>

#include "kernspace.h"

ATF_TC_WITHOUT_HEAD(create_join);
ATF_TC_BODY(create_join, tc)
{
	const char *err;

	ATF_REQUIRE_EQ(rump_init(), 0);
	err = KCALL(rumpns_ks_kthread_join(32));
	ATF_REQUIRE_MSG(err == NULL, "%s", err);
}

ATF_TC_WITHOUT_HEAD(detached);
ATF_TC_BODY(detached, tc)
{
	const char *err;

	ATF_REQUIRE_EQ(rump_init(), 0);
	err = KCALL(rumpns_ks_kthread_detached(32));
	ATF_REQUIRE_MSG(err == NULL, "%s", err);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, create_join);
	ATF_TP_ADD_TC(tp, detached);
	return atf_no_error();
}
