/*
 * Callouts: they fire in order of due time, can be stopped, and
 * callout_halt() waits for a running handler.
 */

#include <stdint.h>

#include <atf-c.h>
#include <rump/rump.h>

#include "kernspace.h"

ATF_TC_WITHOUT_HEAD(order);
ATF_TC_BODY(order, tc)
{
	const char *err;

	ATF_REQUIRE_EQ(rump_init(), 0);
	err = KCALL(rumpns_ks_callout_order(40));
	ATF_REQUIRE_MSG(err == NULL, "%s", err);
}

ATF_TC_WITHOUT_HEAD(stop);
ATF_TC_BODY(stop, tc)
{
	const char *err;

	ATF_REQUIRE_EQ(rump_init(), 0);
	err = KCALL(rumpns_ks_callout_stop());
	ATF_REQUIRE_MSG(err == NULL, "%s", err);
}

ATF_TC_WITHOUT_HEAD(halt);
ATF_TC_BODY(halt, tc)
{
	const char *err;

	ATF_REQUIRE_EQ(rump_init(), 0);
	err = KCALL(rumpns_ks_callout_halt());
	ATF_REQUIRE_MSG(err == NULL, "%s", err);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, order);
	ATF_TP_ADD_TC(tp, stop);
	ATF_TP_ADD_TC(tp, halt);
	return atf_no_error();
}
