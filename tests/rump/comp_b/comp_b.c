/*
 * Test components (kernel code): three components, one sharing its type
 * with one of comp_a, reporting their names through a hook.
 */

#include <sys/types.h>

#include <rump-sys/kern.h>

void (*comp_b_hook)(const char *);

RUMP_COMPONENT(RUMP_COMPONENT_VFS, tb_vfs)
{

	if (comp_b_hook != NULL)
		comp_b_hook("tb_vfs");
}

RUMP_COMPONENT(RUMP_COMPONENT_NET, tb_net)
{

	if (comp_b_hook != NULL)
		comp_b_hook("tb_net");
}

RUMP_COMPONENT(RUMP_COMPONENT_KERN, tb_kern)
{

	if (comp_b_hook != NULL)
		comp_b_hook("tb_kern");
}
