/*
 * rump.ifconfig: show and configure the network interfaces of a rump
 * kernel served by rump_server (a librumpclient program): create and
 * destroy them (on a host link: a shmif bus, a tap device), give and
 * take addresses, bring them up and down, set the MTU.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_net.h>
#include <rump/rump_syscalls.h>
#include <rump/rump_sysctl.h>

#include "rumptool.h"

static int sock = -1;

static void
usage(FILE *f)
{

	fprintf(f, "usage: rump.ifconfig [-h] [-a | interface]\n"
	    "       rump.ifconfig interface [create | destroy | "
	    "linkstr link] [inet addr[/plen]\n"
	    "           [netmask mask] [delete]] [mtu n] [up | down]\n");
}

static int
fail(const char *ifname, const char *what)
{

	fprintf(stderr, "rump.ifconfig: %s: %s: %s\n", ifname, what,
	    strerror(errno));
	return 1;
}

static void
print_flags(uint32_t f)
{
	static const struct { uint32_t bit; const char *name; } names[] = {
		{ IFF_UP, "UP" }, { IFF_BROADCAST, "BROADCAST" },
		{ IFF_LOOPBACK, "LOOPBACK" }, { IFF_RUNNING, "RUNNING" },
		{ IFF_PROMISC, "PROMISC" }, { IFF_MULTICAST, "MULTICAST" },
	};
	const char *sep = "";
	size_t i;

	printf("flags=%#x<", f);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (f & names[i].bit) {
			printf("%s%s", sep, names[i].name);
			sep = ",";
		}
	printf(">");
}

/* Show one interface (name) or all (NULL); 1 if name is not there. */
static int
show(const char *name)
{
	struct kinfo_if *ki;
	struct kinfo_ifaddr *ka;
	size_t ilen, alen, i, j;
	char a[INET_ADDRSTRLEN];
	int found = 0;

	if ((ki = rumptool_sysctl("net.interfaces", &ilen)) == NULL)
		return fail("-", "net.interfaces");
	if ((ka = rumptool_sysctl("net.ifaddrs", &alen)) == NULL)
		return fail("-", "net.ifaddrs");
	for (i = 0; i < ilen / sizeof(*ki); i++) {
		if (name != NULL && strcmp(name, ki[i].ki_name) != 0)
			continue;
		found++;
		printf("%s: ", ki[i].ki_name);
		print_flags(ki[i].ki_flags);
		printf(" mtu %u\n", ki[i].ki_mtu);
		if (ki[i].ki_hwlen == 6)
			printf("\taddress: %02x:%02x:%02x:%02x:%02x:%02x\n",
			    ki[i].ki_hw[0], ki[i].ki_hw[1], ki[i].ki_hw[2],
			    ki[i].ki_hw[3], ki[i].ki_hw[4], ki[i].ki_hw[5]);
		for (j = 0; j < alen / sizeof(*ka); j++) {
			if (strcmp(ka[j].ka_name, ki[i].ki_name) != 0 ||
			    ka[j].ka_family != AF_INET)
				continue;
			inet_ntop(AF_INET, ka[j].ka_addr, a, sizeof(a));
			printf("\tinet %s/%u", a, ka[j].ka_plen);
			inet_ntop(AF_INET, ka[j].ka_broad, a, sizeof(a));
			if (ki[i].ki_flags & IFF_BROADCAST)
				printf(" broadcast %s", a);
			printf("\n");
		}
		printf("\tinput: %" PRIu64 " packets, %" PRIu64 " bytes, %"
		    PRIu64 " errors; output: %" PRIu64 " packets, %" PRIu64
		    " bytes, %" PRIu64 " errors\n", ki[i].ki_ipackets,
		    ki[i].ki_ibytes, ki[i].ki_ierrors, ki[i].ki_opackets,
		    ki[i].ki_obytes, ki[i].ki_oerrors);
	}
	free(ki);
	free(ka);
	if (name != NULL && found == 0) {
		fprintf(stderr, "rump.ifconfig: %s: no such interface\n", name);
		return 1;
	}
	return 0;
}

/* "a.b.c.d[/plen]" and an optional netmask: address and mask. */
static bool
parse_inet(const char *s, const char *mask, struct in_addr *addr,
    struct in_addr *m)
{
	char buf[64], *slash, *ep;
	long plen = 24;

	snprintf(buf, sizeof(buf), "%s", s);
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		plen = strtol(slash, &ep, 10);
		if (*slash == '\0' || *ep != '\0' || plen < 0 || plen > 32)
			return false;
	}
	if (inet_pton(AF_INET, buf, addr) != 1)
		return false;
	if (mask != NULL)
		return inet_pton(AF_INET, mask, m) == 1;
	m->s_addr = plen == 0 ? 0 : htonl(0xffffffffu << (32 - plen));
	return true;
}

static void
sin_set(struct sockaddr_in *sin, struct in_addr a)
{

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr = a;
}

static int
setflags(const char *ifname, bool up)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (rump_sys_ioctl(sock, SIOCGIFFLAGS, &ifr) == -1)
		return fail(ifname, "SIOCGIFFLAGS");
	if (up)
		ifr.ifr_flags |= IFF_UP;
	else
		ifr.ifr_flags &= ~IFF_UP;
	if (rump_sys_ioctl(sock, SIOCSIFFLAGS, &ifr) == -1)
		return fail(ifname, up ? "up" : "down");
	return 0;
}

int
main(int argc, char **argv)
{
	struct rump_ifaliasreq ifra;
	struct rump_ifreq_link ifl;
	struct ifreq ifr;
	struct in_addr addr, mask;
	const char *ifname, *a, *m;
	bool all = false, del;
	char *ep;
	long mtu;
	int ch, i;

	while ((ch = getopt(argc, argv, "ah")) != -1) {
		switch (ch) {
		case 'a':
			all = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	argc -= optind;
	argv += optind;
	rumptool_connect("rump.ifconfig");
	if (all || argc == 0)
		return show(NULL);
	ifname = argv[0];
	if (strlen(ifname) >= IFNAMSIZ) {
		fprintf(stderr, "rump.ifconfig: %s: name too long\n", ifname);
		return 1;
	}
	if (argc == 1)
		return show(ifname);
	if ((sock = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return fail(ifname, "socket (is rumpnet_netinet loaded?)");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "create") == 0) {
			if (rump_sys_ioctl(sock, RUMP_SIOCIFCREATE, &ifr) == -1)
				return fail(ifname, "create");
		} else if (strcmp(argv[i], "destroy") == 0) {
			if (rump_sys_ioctl(sock, RUMP_SIOCIFDESTROY, &ifr) == -1)
				return fail(ifname, "destroy");
		} else if (strcmp(argv[i], "linkstr") == 0 && i + 1 < argc) {
			memset(&ifl, 0, sizeof(ifl));
			snprintf(ifl.ifrl_name, sizeof(ifl.ifrl_name), "%s",
			    ifname);
			if (strlen(argv[++i]) >= sizeof(ifl.ifrl_link)) {
				errno = ENAMETOOLONG;
				return fail(ifname, "linkstr");
			}
			snprintf(ifl.ifrl_link, sizeof(ifl.ifrl_link), "%s",
			    argv[i]);
			if (rump_sys_ioctl(sock, RUMP_SIOCIFCREATELINK,
			    &ifl) == -1)
				return fail(ifname, "linkstr");
		} else if (strcmp(argv[i], "inet") == 0 && i + 1 < argc) {
			a = argv[++i];
			m = NULL;
			del = false;
			if (i + 2 < argc && strcmp(argv[i + 1], "netmask") == 0) {
				m = argv[i + 2];
				i += 2;
			}
			if (i + 1 < argc && (strcmp(argv[i + 1], "delete") == 0 ||
			    strcmp(argv[i + 1], "-alias") == 0)) {
				del = true;
				i++;
			} else if (i + 1 < argc &&
			    strcmp(argv[i + 1], "alias") == 0)
				i++;
			if (!parse_inet(a, m, &addr, &mask)) {
				fprintf(stderr, "rump.ifconfig: bad address "
				    "%s%s%s\n", a, m ? " netmask " : "",
				    m ? m : "");
				return 1;
			}
			if (del) {
				sin_set((struct sockaddr_in *)&ifr.ifr_addr,
				    addr);
				if (rump_sys_ioctl(sock, RUMP_SIOCDIFADDR,
				    &ifr) == -1)
					return fail(ifname, "delete");
				continue;
			}
			memset(&ifra, 0, sizeof(ifra));
			snprintf(ifra.ifra_name, sizeof(ifra.ifra_name), "%s",
			    ifname);
			sin_set(&ifra.ifra_addr, addr);
			sin_set(&ifra.ifra_mask, mask);
			if (rump_sys_ioctl(sock, RUMP_SIOCAIFADDR, &ifra) == -1)
				return fail(ifname, "inet");
		} else if (strcmp(argv[i], "mtu") == 0 && i + 1 < argc) {
			mtu = strtol(argv[++i], &ep, 10);
			if (*argv[i] == '\0' || *ep != '\0' || mtu <= 0 ||
			    mtu > 65536) {
				fprintf(stderr, "rump.ifconfig: bad mtu %s\n",
				    argv[i]);
				return 1;
			}
			ifr.ifr_mtu = (int)mtu;
			if (rump_sys_ioctl(sock, SIOCSIFMTU, &ifr) == -1)
				return fail(ifname, "mtu");
		} else if (strcmp(argv[i], "up") == 0) {
			if (setflags(ifname, true) != 0)
				return 1;
		} else if (strcmp(argv[i], "down") == 0) {
			if (setflags(ifname, false) != 0)
				return 1;
		} else {
			usage(stderr);
			return 1;
		}
	}
	return 0;
}
