/*
 * Network configuration for programs (rump glue, kernel side of
 * rump_pub_netconfig_*()): interfaces, IPv4 addresses and the default
 * route, through the same ioctls a configuration tool would use.
 */

#include <sys/types.h>
#include <sys/errno.h>
#include <sys/lwp.h>
#include <sys/socket.h>
#include <sys/sockio.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>

#include <lib/libkern/libkern.h>

#include <rump-sys/net.h>

/* Dotted-quad IPv4 text into sin; EINVAL if malformed. */
static int
netconfig_inaddr(const char *s, struct sockaddr_in *sin)
{
	uint32_t a = 0;
	long long part;
	char *end;
	int i;

	memset(sin, 0, sizeof(*sin));
	sin->sin_len = sizeof(*sin);
	sin->sin_family = AF_INET;
	for (i = 0; i < 4; i++) {
		if (*s < '0' || *s > '9')
			return EINVAL;
		part = strtoll(s, &end, 10);
		if (part < 0 || part > 255 || end - s > 3)
			return EINVAL;
		a = a << 8 | (uint32_t)part;
		s = end;
		if (i < 3 && *s++ != '.')
			return EINVAL;
	}
	if (*s != '\0')
		return EINVAL;
	sin->sin_addr.s_addr = htonl(a);
	return 0;
}

static int
netconfig_ifreq(const char *name, struct ifreq *ifr)
{

	memset(ifr, 0, sizeof(*ifr));
	if (strlcpy(ifr->ifr_xname, name, sizeof(ifr->ifr_xname)) >=
	    sizeof(ifr->ifr_xname))
		return EINVAL;
	return 0;
}

int
rump_netconfig_ifcreate(const char *name)
{
	struct ifreq ifr;
	int error;

	if ((error = netconfig_ifreq(name, &ifr)) != 0)
		return error;
	return ifioctl(SIOCIFCREATE, &ifr, curlwp);
}

int
rump_netconfig_ifdestroy(const char *name)
{
	struct ifreq ifr;
	int error;

	if ((error = netconfig_ifreq(name, &ifr)) != 0)
		return error;
	return ifioctl(SIOCIFDESTROY, &ifr, curlwp);
}

int
rump_netconfig_ifup(const char *name)
{
	struct ifreq ifr;
	int error;

	if ((error = netconfig_ifreq(name, &ifr)) != 0 ||
	    (error = ifioctl(SIOCGIFFLAGS, &ifr, curlwp)) != 0)
		return error;
	ifr.ifr_ifflags |= IFF_UP;
	return ifioctl(SIOCSIFFLAGS, &ifr, curlwp);
}

int
rump_netconfig_ifdown(const char *name)
{
	struct ifreq ifr;
	int error;

	if ((error = netconfig_ifreq(name, &ifr)) != 0 ||
	    (error = ifioctl(SIOCGIFFLAGS, &ifr, curlwp)) != 0)
		return error;
	ifr.ifr_ifflags &= ~IFF_UP;
	return ifioctl(SIOCSIFFLAGS, &ifr, curlwp);
}

int
rump_netconfig_ipv4_ifaddr(const char *name, const char *addr,
    const char *mask)
{
	struct ifaliasreq ifra;
	int error;

	memset(&ifra, 0, sizeof(ifra));
	if (strlcpy(ifra.ifra_name, name, sizeof(ifra.ifra_name)) >=
	    sizeof(ifra.ifra_name))
		return EINVAL;
	if ((error = netconfig_inaddr(addr,
	    (struct sockaddr_in *)&ifra.ifra_addr)) != 0 ||
	    (error = netconfig_inaddr(mask,
	    (struct sockaddr_in *)&ifra.ifra_mask)) != 0)
		return error;
	return ifioctl(SIOCAIFADDR, &ifra, curlwp);
}

int
rump_netconfig_ipv4_gw(const char *gw)
{
	struct rtreq rtr;
	int error;

	memset(&rtr, 0, sizeof(rtr));
	if ((error = netconfig_inaddr(gw,
	    (struct sockaddr_in *)&rtr.rtr_gateway)) != 0)
		return error;
	(void)netconfig_inaddr("0.0.0.0", (struct sockaddr_in *)&rtr.rtr_dst);
	(void)netconfig_inaddr("0.0.0.0",
	    (struct sockaddr_in *)&rtr.rtr_mask);
	rtr.rtr_flags = RTF_GATEWAY;
	return rtioctl(SIOCADDRT, &rtr, curlwp);
}

/* Socket ioctls for interfaces ('i') and routes ('r'). */
int
rump_net_ifioctl(u_long cmd, void *data, struct lwp *l)
{

	if (IOCGROUP(cmd) == 'r')
		return rtioctl(cmd, data, l);
	return ifioctl(cmd, data, l);
}
