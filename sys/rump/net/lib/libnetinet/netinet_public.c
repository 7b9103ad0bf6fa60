/*
 * The public IPv4 calls (host side of librumpnet_netinet): enter the
 * kernel, call its half (netinet_component.c), translate the errno.
 */

#include <sys/types.h>

#include <rump/rump.h>
#include <rump/rump_net.h>

#include "rumpuser_abi.h"

int	rump_netconfig_ipv4_forwarding(int);

int
rump_pub_netconfig_ipv4_forwarding(int on)
{
	int error;

	rump_schedule();
	error = rump_netconfig_ipv4_forwarding(on);
	rump_unschedule();
	return rumpuser_abi_errno_tohost(error);
}
