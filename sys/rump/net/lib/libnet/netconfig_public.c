/*
 * The public network configuration calls (host side of
 * librumpnet_net): enter the kernel, call its half (netconfig.c), and
 * translate the kernel's errno to the host's.
 */

#include <sys/types.h>

#include <rump/rump.h>
#include <rump/rump_net.h>

#include "rumpuser_abi.h"

/* The kernel's halves. */
int	rump_netconfig_ifcreate(const char *);
int	rump_netconfig_ifdestroy(const char *);
int	rump_netconfig_ifup(const char *);
int	rump_netconfig_ifdown(const char *);
int	rump_netconfig_ipv4_ifaddr(const char *, const char *, const char *);
int	rump_netconfig_ipv4_gw(const char *);

#define NETCONFIG_CALL(call) do {					\
	int error_;							\
									\
	rump_schedule();						\
	error_ = (call);						\
	rump_unschedule();						\
	return rumpuser_abi_errno_tohost(error_);			\
} while (/* CONSTCOND */ 0)

int
rump_pub_netconfig_ifcreate(const char *name)
{

	NETCONFIG_CALL(rump_netconfig_ifcreate(name));
}

int
rump_pub_netconfig_ifdestroy(const char *name)
{

	NETCONFIG_CALL(rump_netconfig_ifdestroy(name));
}

int
rump_pub_netconfig_ifup(const char *name)
{

	NETCONFIG_CALL(rump_netconfig_ifup(name));
}

int
rump_pub_netconfig_ifdown(const char *name)
{

	NETCONFIG_CALL(rump_netconfig_ifdown(name));
}

int
rump_pub_netconfig_ipv4_ifaddr(const char *name, const char *addr,
    const char *mask)
{

	NETCONFIG_CALL(rump_netconfig_ipv4_ifaddr(name, addr, mask));
}

int
rump_pub_netconfig_ipv4_gw(const char *gw)
{

	NETCONFIG_CALL(rump_netconfig_ipv4_gw(gw));
}
