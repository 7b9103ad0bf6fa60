/*
 * rump_sys_ioctl() with the host's commands and structures (tests): the
 * generic file commands on sockets and pipes, and configuring
 * interfaces, addresses and routes the way a host program would, each
 * checked by what the stack then does (a route makes a destination
 * reachable, a deleted address is gone from SIOCGIFCONF); and random
 * arguments to every command.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <net/route.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_net.h>
#include <rump/rump_shmif.h>
#include <rump/rump_syscalls.h>

#include "netutil.h"

static void
ifr_set(struct ifreq *ifr, const char *name)
{

	memset(ifr, 0, sizeof(*ifr));
	strncpy(ifr->ifr_name, name, IFNAMSIZ - 1);
}

static void
ifr_setaddr(struct ifreq *ifr, const char *name, const char *addr)
{
	struct sockaddr_in sin = sin_make(addr, 0);

	ifr_set(ifr, name);
	memcpy(&ifr->ifr_addr, &sin, sizeof(sin));
}

static const char *
ifr_addrstr(const struct ifreq *ifr, char *buf)
{
	const struct sockaddr_in *sin =
	    (const struct sockaddr_in *)(const void *)&ifr->ifr_addr;

	ATF_REQUIRE_EQ(sin->sin_family, AF_INET);
	return inet_ntop(AF_INET, &sin->sin_addr, buf, INET_ADDRSTRLEN);
}

/* UDP connect() to addr: 0, or the errno (no route: ENETUNREACH). */
static int
reach(const char *addr)
{
	struct sockaddr_in sin = sin_make(addr, 9);
	int s, error = 0;

	ATF_REQUIRE((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	if (rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		error = errno;
	rump_sys_close(s);
	return error;
}

ATF_TC_WITHOUT_HEAD(generic);
ATF_TC_BODY(generic, tc)
{
	int pfd[2], n, on;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE(rump_sys_pipe(pfd) == 0);

	/* FIONREAD: what a read would get. */
	ATF_REQUIRE_EQ(rump_sys_ioctl(pfd[0], FIONREAD, &n), 0);
	ATF_REQUIRE_EQ(n, 0);
	ATF_REQUIRE_EQ(rump_sys_write(pfd[1], "hello", 5), 5);
	ATF_REQUIRE_EQ(rump_sys_ioctl(pfd[0], FIONREAD, &n), 0);
	ATF_REQUIRE_EQ(n, 5);

	/* FIONBIO: an empty pipe then says EAGAIN; fcntl sees it. */
	on = 1;
	ATF_REQUIRE_EQ(rump_sys_ioctl(pfd[0], FIONBIO, &on), 0);
	ATF_REQUIRE(rump_sys_fcntl(pfd[0], F_GETFL) & O_NONBLOCK);
	ATF_REQUIRE_EQ(rump_sys_read(pfd[0], &n, sizeof(n)), 4);
	ATF_REQUIRE_EQ(rump_sys_read(pfd[0], &n, sizeof(n)), 1);
	ATF_REQUIRE_EQ(rump_sys_read(pfd[0], &n, sizeof(n)), -1);
	ATF_REQUIRE_EQ(errno, EAGAIN);
	on = 0;
	ATF_REQUIRE_EQ(rump_sys_ioctl(pfd[0], FIONBIO, &on), 0);
	ATF_REQUIRE_EQ(rump_sys_fcntl(pfd[0], F_GETFL) & O_NONBLOCK, 0);

	/* FIOCLEX, FIONCLEX. */
	ATF_REQUIRE_EQ(rump_sys_ioctl(pfd[1], FIOCLEX), 0);
	ATF_REQUIRE_EQ(rump_sys_fcntl(pfd[1], F_GETFD), FD_CLOEXEC);
	ATF_REQUIRE_EQ(rump_sys_ioctl(pfd[1], FIONCLEX), 0);
	ATF_REQUIRE_EQ(rump_sys_fcntl(pfd[1], F_GETFD), 0);

	/* Unknown commands, bad descriptors, no argument. */
	ATF_REQUIRE_EQ(rump_sys_ioctl(pfd[0], TIOCGWINSZ, &n), -1);
	ATF_REQUIRE_EQ(errno, ENOTTY);
	ATF_REQUIRE_EQ(rump_sys_ioctl(pfd[0], SIOCGIFFLAGS, &n), -1);
	ATF_REQUIRE_EQ(errno, ENOTTY);	/* a pipe has no interfaces */
	ATF_REQUIRE_EQ(rump_sys_ioctl(99, FIONREAD, &n), -1);
	ATF_REQUIRE_EQ(errno, EBADF);
	ATF_REQUIRE_EQ(rump_sys_ioctl(pfd[0], FIONREAD, NULL), -1);
	ATF_REQUIRE_EQ(errno, EFAULT);
}

ATF_TC_WITHOUT_HEAD(socket_fionread);
ATF_TC_BODY(socket_fionread, tc)
{
	struct sockaddr_in sin = sin_make("127.0.0.1", 7777);
	struct pollfd pfd;
	int s, c, n, on = 1;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	ATF_REQUIRE_EQ(rump_sys_bind(s, (struct sockaddr *)&sin,
	    sizeof(sin)), 0);
	ATF_REQUIRE((c = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, FIONREAD, &n), 0);
	ATF_REQUIRE_EQ(n, 0);
	ATF_REQUIRE_EQ(rump_sys_sendto(c, "abcdef", 6, 0,
	    (struct sockaddr *)&sin, sizeof(sin)), 6);
	pfd.fd = s;
	pfd.events = POLLIN;
	ATF_REQUIRE_EQ(rump_sys_poll(&pfd, 1, 5000), 1);	/* it came */
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, FIONREAD, &n), 0);
	ATF_REQUIRE(n >= 6);
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, FIONBIO, &on), 0);
	ATF_REQUIRE_EQ(rump_sys_recv(s, &n, sizeof(n), 0), 4);
	ATF_REQUIRE_EQ(rump_sys_recv(s, &n, sizeof(n), 0), -1);
	ATF_REQUIRE_EQ(errno, EAGAIN);
}

ATF_TC_WITHOUT_HEAD(ifconfig);
ATF_TC_BODY(ifconfig, tc)
{
	struct rump_ifaliasreq ifra;
	struct ifreq ifr, reqs[16];
	struct ifconf ifc;
	char buf[INET_ADDRSTRLEN];
	int s, unit, i, n, found;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_shmif_create("bus", &unit), 0);
	ATF_REQUIRE((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) != -1);

	/* A cloned interface comes and goes. */
	ifr_set(&ifr, "lo3");
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, RUMP_SIOCIFCREATE, &ifr), 0);
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFFLAGS, &ifr), 0);
	ATF_REQUIRE(ifr.ifr_flags & IFF_LOOPBACK);
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, RUMP_SIOCIFDESTROY, &ifr), 0);
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFFLAGS, &ifr), -1);
	ATF_REQUIRE_EQ(errno, ENXIO);

	/* Index, hardware address, MTU. */
	ifr_set(&ifr, "shmif0");
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFINDEX, &ifr), 0);
	ATF_REQUIRE(ifr.ifr_ifindex > 0);
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFHWADDR, &ifr), 0);
	ATF_REQUIRE_EQ(ifr.ifr_hwaddr.sa_family, ARPHRD_ETHER);
	ATF_REQUIRE_EQ(ifr.ifr_hwaddr.sa_data[0] & 0x03, 0x02);
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFMTU, &ifr), 0);
	ATF_REQUIRE_EQ(ifr.ifr_mtu, 1500);
	ifr.ifr_mtu = 1000;
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCSIFMTU, &ifr), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);	/* Ethernet's is fixed here */

	/* Address, class mask, then our own mask; up. */
	ifr_setaddr(&ifr, "shmif0", "10.1.2.3");
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCSIFADDR, &ifr), 0);
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFNETMASK, &ifr), 0);
	ATF_REQUIRE_STREQ(ifr_addrstr(&ifr, buf), "255.0.0.0");
	ifr_setaddr(&ifr, "shmif0", "255.255.255.0");
	ifr.ifr_addr.sa_family = AF_UNSPEC;	/* as ifconfig may leave it */
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCSIFNETMASK, &ifr), 0);
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFADDR, &ifr), 0);
	ATF_REQUIRE_STREQ(ifr_addrstr(&ifr, buf), "10.1.2.3");
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFNETMASK, &ifr), 0);
	ATF_REQUIRE_STREQ(ifr_addrstr(&ifr, buf), "255.255.255.0");
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFBRDADDR, &ifr), 0);
	ATF_REQUIRE_STREQ(ifr_addrstr(&ifr, buf), "10.1.2.255");
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFFLAGS, &ifr), 0);
	ATF_REQUIRE_EQ(ifr.ifr_flags & IFF_UP, 0);
	ifr.ifr_flags |= IFF_UP;
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCSIFFLAGS, &ifr), 0);
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFFLAGS, &ifr), 0);
	ATF_REQUIRE(ifr.ifr_flags & IFF_UP);
	ATF_REQUIRE_EQ(reach("10.1.2.77"), 0);	/* on the link */
	ATF_REQUIRE_EQ(reach("10.9.1.1"), ENETUNREACH);

	/* A second address, by our own command. */
	memset(&ifra, 0, sizeof(ifra));
	strcpy(ifra.ifra_name, "shmif0");
	ifra.ifra_addr = sin_make("192.168.50.1", 0);
	ifra.ifra_mask = sin_make("255.255.0.0", 0);
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, RUMP_SIOCAIFADDR, &ifra), 0);
	ATF_REQUIRE_EQ(reach("192.168.7.7"), 0);
	/* The first address stays first through a mask change. */
	ifr_setaddr(&ifr, "shmif0", "255.255.0.0");
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCSIFNETMASK, &ifr), 0);
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFADDR, &ifr), 0);
	ATF_REQUIRE_STREQ(ifr_addrstr(&ifr, buf), "10.1.2.3");
	ATF_REQUIRE_EQ(reach("10.1.9.9"), 0);
	ifr_setaddr(&ifr, "shmif0", "255.255.255.0");
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCSIFNETMASK, &ifr), 0);
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFADDR, &ifr), 0);
	ATF_REQUIRE_STREQ(ifr_addrstr(&ifr, buf), "10.1.2.3");

	/* SIOCGIFCONF: how much room, then the records. */
	memset(&ifc, 0, sizeof(ifc));
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFCONF, &ifc), 0);
	ATF_REQUIRE_EQ(ifc.ifc_len, 3 * (int)sizeof(struct ifreq));
	ifc.ifc_len = sizeof(reqs);
	ifc.ifc_req = reqs;
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFCONF, &ifc), 0);
	n = ifc.ifc_len / (int)sizeof(struct ifreq);
	ATF_REQUIRE_EQ(n, 3);
	for (i = found = 0; i < n; i++) {
		printf("%s %s\n", reqs[i].ifr_name, ifr_addrstr(&reqs[i], buf));
		if (strcmp(reqs[i].ifr_name, "shmif0") == 0 &&
		    (strcmp(buf, "10.1.2.3") == 0 ||
		    strcmp(buf, "192.168.50.1") == 0))
			found++;
	}
	ATF_REQUIRE_EQ(found, 2);
	ifc.ifc_len = sizeof(struct ifreq) + 7;	/* room for one */
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFCONF, &ifc), 0);
	ATF_REQUIRE_EQ(ifc.ifc_len, (int)sizeof(struct ifreq));
	ATF_REQUIRE_STREQ(reqs[0].ifr_name, "lo0");

	/* Delete the second address: its subnet goes with it. */
	ifr_setaddr(&ifr, "shmif0", "192.168.50.1");
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, RUMP_SIOCDIFADDR, &ifr), 0);
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, RUMP_SIOCDIFADDR, &ifr), -1);
	ATF_REQUIRE_EQ(errno, EADDRNOTAVAIL);
	ATF_REQUIRE_EQ(reach("192.168.7.7"), ENETUNREACH);

	/* Bad input. */
	ifr_set(&ifr, "nosuch0");
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFFLAGS, &ifr), -1);
	ATF_REQUIRE_EQ(errno, ENXIO);
	memset(ifr.ifr_name, 'x', IFNAMSIZ);	/* no NUL */
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFFLAGS, &ifr), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	ifc.ifc_len = -1;
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFCONF, &ifc), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	ifr_setaddr(&ifr, "shmif0", "255.0.255.0");
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCSIFNETMASK, &ifr), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);	/* not contiguous */
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCGIFADDR, &ifr), 0);
	ATF_REQUIRE_STREQ(ifr_addrstr(&ifr, buf), "10.1.2.3");
}

ATF_TC_WITHOUT_HEAD(routes);
ATF_TC_BODY(routes, tc)
{
	struct sockaddr_in dst, mask, gw;
	struct rtentry rt;
	int s, unit;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_shmif_create("bus", &unit), 0);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr("shmif0", "10.1.0.1",
	    "255.255.255.0"), 0);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ifup("shmif0"), 0);
	ATF_REQUIRE((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	ATF_REQUIRE_EQ(reach("10.9.1.1"), ENETUNREACH);

	/* A network route through a router on the link. */
	memset(&rt, 0, sizeof(rt));
	dst = sin_make("10.9.0.0", 0);
	mask = sin_make("255.255.0.0", 0);
	gw = sin_make("10.1.0.254", 0);
	memcpy(&rt.rt_dst, &dst, sizeof(dst));
	memcpy(&rt.rt_genmask, &mask, sizeof(mask));
	memcpy(&rt.rt_gateway, &gw, sizeof(gw));
	rt.rt_flags = RTF_UP | RTF_GATEWAY;
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCADDRT, &rt), 0);
	ATF_REQUIRE_EQ(reach("10.9.1.1"), 0);
	ATF_REQUIRE_EQ(reach("10.10.1.1"), ENETUNREACH);
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCDELRT, &rt), 0);
	ATF_REQUIRE_EQ(reach("10.9.1.1"), ENETUNREACH);
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCDELRT, &rt), -1);

	/* A host route naming its device; a gateway off the link fails. */
	memset(&rt, 0, sizeof(rt));
	dst = sin_make("172.16.5.5", 0);
	memcpy(&rt.rt_dst, &dst, sizeof(dst));
	memcpy(&rt.rt_gateway, &gw, sizeof(gw));
	rt.rt_flags = RTF_UP | RTF_GATEWAY | RTF_HOST;
	rt.rt_dev = "shmif0";
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCADDRT, &rt), 0);
	ATF_REQUIRE_EQ(reach("172.16.5.5"), 0);
	ATF_REQUIRE_EQ(reach("172.16.5.6"), ENETUNREACH);
	gw = sin_make("10.200.0.1", 0);
	memcpy(&rt.rt_gateway, &gw, sizeof(gw));
	dst = sin_make("172.16.5.9", 0);
	memcpy(&rt.rt_dst, &dst, sizeof(dst));
	rt.rt_dev = NULL;
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCADDRT, &rt), -1);
	ATF_REQUIRE_EQ(errno, ENETUNREACH);
	rt.rt_flags |= 0x8000;		/* a flag we do not know */
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCADDRT, &rt), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);

	/* The default route. */
	memset(&rt, 0, sizeof(rt));
	dst = sin_make("0.0.0.0", 0);
	gw = sin_make("10.1.0.254", 0);
	memcpy(&rt.rt_dst, &dst, sizeof(dst));
	memcpy(&rt.rt_gateway, &gw, sizeof(gw));
	rt.rt_flags = RTF_UP | RTF_GATEWAY;
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, SIOCADDRT, &rt), 0);
	ATF_REQUIRE_EQ(reach("8.8.8.8"), 0);
}

/*
 * Every command the boundary knows, with random bytes for its argument
 * (names with and without their NUL, any address family, any flags),
 * seeded: errors, never a crash.  The kernel still works afterwards.
 */
ATF_TC_WITHOUT_HEAD(fuzz);
ATF_TC_BODY(fuzz, tc)
{
	static const unsigned long cmds[] = {
		FIONREAD, FIONBIO, SIOCGIFFLAGS, SIOCSIFFLAGS, SIOCGIFMTU,
		SIOCSIFMTU, SIOCGIFINDEX, SIOCGIFADDR, SIOCSIFADDR,
		SIOCGIFNETMASK, SIOCSIFNETMASK, SIOCGIFBRDADDR, SIOCGIFHWADDR,
		SIOCADDRT, SIOCDELRT, RUMP_SIOCAIFADDR, RUMP_SIOCDIFADDR,
		RUMP_SIOCIFCREATE, RUMP_SIOCIFDESTROY,
	};
	static const char *const names[] = { "lo0", "shmif0", "lo1", "" };
	union {
		struct ifreq		ifr;
		struct rtentry		rt;
		struct rump_ifaliasreq	ifra;
		unsigned char		bytes[256];
	} u;
	uint64_t x = 0x2545f4914f6cdd1dULL;
	char name[IFNAMSIZ];
	size_t i, k;
	int s, unit, n, ok = 0;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_shmif_create("bus", &unit), 0);
	ATF_REQUIRE((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	for (i = 0; i < 20000; i++) {
		for (k = 0; k < sizeof(u.bytes); k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			u.bytes[k] = (unsigned char)x;
		}
		/* Half the time a real name, so commands get further. */
		if (x & 1)
			strcpy(u.ifr.ifr_name, names[(x >> 1) % 4]);
		if ((x >> 3) % 3 == 0)
			u.ifr.ifr_addr.sa_family = AF_INET;
		if (cmds[(x >> 8) % (sizeof(cmds) / sizeof(cmds[0]))] ==
		    SIOCADDRT || cmds[(x >> 8) % (sizeof(cmds) /
		    sizeof(cmds[0]))] == SIOCDELRT)
			u.rt.rt_dev = (x & 2) ? "shmif0" : NULL;
		if (rump_sys_ioctl(s, cmds[(x >> 8) % (sizeof(cmds) /
		    sizeof(cmds[0]))], &u) == 0)
			ok++;
	}
	printf("%d of 20000 succeeded\n", ok);
	ATF_REQUIRE(ok > 0);
	/* Still a working kernel (shmif0 may have been destroyed). */
	ATF_REQUIRE_EQ(rump_sys_ioctl(s, FIONREAD, &n), 0);
	ATF_REQUIRE_EQ(rump_pub_shmif_create("bus2", &unit), 0);
	snprintf(name, sizeof(name), "shmif%d", unit);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr(name, "10.3.0.1",
	    "255.255.255.0"), 0);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ifup(name), 0);
	ATF_REQUIRE_EQ(reach("10.3.0.9"), 0);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, generic);
	ATF_TP_ADD_TC(tp, socket_fionread);
	ATF_TP_ADD_TC(tp, ifconfig);
	ATF_TP_ADD_TC(tp, routes);
	ATF_TP_ADD_TC(tp, fuzz);
	return atf_no_error();
}
