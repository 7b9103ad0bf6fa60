/*
 * Test components (kernel code): two components of different types whose
 * init functions report their names through a hook the test sets.
 */

#include <sys/types.h>

#include <rump-sys/kern.h>

void (*comp_a_hook)(const char *);

RUMP_COMPONENT(RUMP_COMPONENT_VFS, ta_vfs)
{

	if (comp_a_hook != NULL)
		comp_a_hook("ta_vfs");
}

RUMP_COMPONENT(RUMP_COMPONENT_DEV_FACTION, ta_devfaction)
{

	if (comp_a_hook != NULL)
		comp_a_hook("ta_devfaction");
}
