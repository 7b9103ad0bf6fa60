/*
 * Component init order: built twice, linking the two test component
 * libraries in opposite orders (t_components_ab, t_components_ba).
 * Either way the components must initialise by type, then by name.
 */

#include <string.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_syscalls.h>

extern void (*rumpns_comp_a_hook)(const char *);
extern void (*rumpns_comp_b_hook)(const char *);

static char order[256];

static void
record(const char *name)
{

	if (order[0] != '\0')
		strcat(order, " ");
	strcat(order, name);
}

ATF_TC_WITHOUT_HEAD(init_order);
ATF_TC_BODY(init_order, tc)
{

	rumpns_comp_a_hook = record;
	rumpns_comp_b_hook = record;
	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_STREQ(order,
	    "tb_kern ta_devfaction tb_net ta_vfs tb_vfs");
	ATF_REQUIRE_EQ(rump_sys_getpid(), 1);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, init_order);
	return atf_no_error();
}
