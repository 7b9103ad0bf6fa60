/*
 * AF_LOCAL sockets as a component (rump glue): the domain opens when
 * the kernel boots, after the factions (it names files, so it needs
 * the VFS faction too), and closes at shutdown.
 */

#include <sys/types.h>
#include <sys/un.h>

#include <rump-sys/kern.h>

static void local_init(void);
static void local_fini(void);

static const struct rump_component local_component = {
	.rc_type = RUMP_COMPONENT_NET,
	.rc_name = "local",
	.rc_init = local_init,
	.rc_fini = local_fini,
};

static void __constructor
local_ctor(void)
{

	rump_component_register(&local_component);
}

static void
local_init(void)
{

	unp_init();
}

static void
local_fini(void)
{

	unp_fini();
}
