/*
 * Mbufs (tests, host side): the kernel-side routines of kernspace/
 * run on a booted kernel with the network faction.
 */

#include <stdint.h>
#include <stdio.h>

#include <atf-c.h>
#include <rump/rump.h>

#include "kernspace.h"

const char *rumpns_ks_mbuf_random(uint32_t seed, int rounds);
const char *rumpns_ks_mbuf_ext(void);

ATF_TC_WITHOUT_HEAD(random);
ATF_TC_BODY(random, tc)
{
	static const uint32_t seeds[] = { 1, 2, 0xdecaf, 4000000007u };
	const char *err;
	size_t i;

	ATF_REQUIRE_EQ(rump_init(), 0);
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		err = KCALL(rumpns_ks_mbuf_random(seeds[i], 20000));
		ATF_REQUIRE_MSG(err == NULL, "seed %u: %s", seeds[i], err);
	}
}

ATF_TC_WITHOUT_HEAD(ext);
ATF_TC_BODY(ext, tc)
{
	const char *err;

	ATF_REQUIRE_EQ(rump_init(), 0);
	err = KCALL(rumpns_ks_mbuf_ext());
	ATF_REQUIRE_MSG(err == NULL, "%s", err);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, random);
	ATF_TP_ADD_TC(tp, ext);
	return atf_no_error();
}
