/*
 * The device faction (rump glue): starts the shared disk code at boot,
 * before any driver attaches.
 */

#include <sys/types.h>
#include <sys/disk.h>

#include <rump-sys/kern.h>

RUMP_COMPONENT(RUMP_COMPONENT_DEV_FACTION, rumpdev)
{

	disk_init();
}
