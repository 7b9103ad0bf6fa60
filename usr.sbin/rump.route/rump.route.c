/*
 * rump.route: show and change the routing table of a rump kernel served
 * by rump_server (a librumpclient program).
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/route.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rump_sysctl.h>

#include "rumptool.h"

static void
usage(FILE *f)
{

	fprintf(f, "usage: rump.route [-h] show\n"
	    "       rump.route add [-net | -host] dest[/plen] gateway\n"
	    "       rump.route add default gateway\n"
	    "       rump.route delete dest[/plen] | default\n");
}

static int
show(void)
{
	struct kinfo_route *kr;
	char d[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN], dst[32];
	size_t len, i;

	if ((kr = rumptool_sysctl("net.route", &len)) == NULL) {
		fprintf(stderr, "rump.route: net.route: %s\n", strerror(errno));
		return 1;
	}
	printf("%-20s %-16s %-6s %s\n", "Destination", "Gateway", "Flags",
	    "Interface");
	for (i = 0; i < len / sizeof(*kr); i++) {
		if (kr[i].kr_family != AF_INET)
			continue;
		inet_ntop(AF_INET, kr[i].kr_dst, d, sizeof(d));
		inet_ntop(AF_INET, kr[i].kr_gateway, g, sizeof(g));
		if (kr[i].kr_plen == 0)
			snprintf(dst, sizeof(dst), "default");
		else
			snprintf(dst, sizeof(dst), "%s/%u", d, kr[i].kr_plen);
		printf("%-20s %-16s %s%s%s   %s\n", dst,
		    (kr[i].kr_flags & RTF_GATEWAY) ? g : "link",
		    (kr[i].kr_flags & RTF_UP) ? "U" : "",
		    (kr[i].kr_flags & RTF_GATEWAY) ? "G" : "",
		    (kr[i].kr_flags & RTF_HOST) ? "H" : "", kr[i].kr_ifname);
	}
	free(kr);
	return 0;
}

static void
sin_set(struct sockaddr *sa, struct in_addr a)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)sa;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr = a;
}

/* "default", "a.b.c.d", "a.b.c.d/plen": the destination and its mask. */
static bool
parse_dest(const char *s, bool host, struct in_addr *dst,
    struct in_addr *mask, bool *ishost)
{
	char buf[64], *slash, *ep;
	long plen = 32;

	*ishost = false;
	if (strcmp(s, "default") == 0) {
		dst->s_addr = mask->s_addr = 0;
		return true;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		plen = strtol(slash, &ep, 10);
		if (*slash == '\0' || *ep != '\0' || plen < 0 || plen > 32)
			return false;
	}
	if (inet_pton(AF_INET, buf, dst) != 1)
		return false;
	*ishost = host || plen == 32;
	mask->s_addr = plen == 0 ? 0 : htonl(0xffffffffu << (32 - plen));
	return true;
}

int
main(int argc, char **argv)
{
	struct in_addr dst, mask, gw;
	struct rtentry rt;
	bool host = false, ishost;
	int ch, s, i;

	while ((ch = getopt(argc, argv, "h")) != -1) {
		switch (ch) {
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
	if (argc == 0) {
		usage(stderr);
		return 1;
	}
	rumptool_connect("rump.route");
	if (strcmp(argv[0], "show") == 0 && argc == 1)
		return show();
	if (strcmp(argv[0], "add") != 0 && strcmp(argv[0], "delete") != 0) {
		usage(stderr);
		return 1;
	}
	i = 1;
	if (i < argc && (strcmp(argv[i], "-net") == 0 ||
	    strcmp(argv[i], "-host") == 0))
		host = strcmp(argv[i++], "-host") == 0;
	if (i >= argc || !parse_dest(argv[i], host, &dst, &mask, &ishost)) {
		fprintf(stderr, "rump.route: bad destination\n");
		return 1;
	}
	i++;
	memset(&rt, 0, sizeof(rt));
	sin_set(&rt.rt_dst, dst);
	sin_set(&rt.rt_genmask, mask);
	rt.rt_flags = RTF_UP | (ishost ? RTF_HOST : 0);
	if (strcmp(argv[0], "add") == 0) {
		if (i != argc - 1 || inet_pton(AF_INET, argv[i], &gw) != 1) {
			fprintf(stderr, "rump.route: add needs a gateway "
			    "address\n");
			return 1;
		}
		sin_set(&rt.rt_gateway, gw);
		rt.rt_flags |= RTF_GATEWAY;
	} else if (i != argc) {
		usage(stderr);
		return 1;
	}
	if ((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) == -1) {
		fprintf(stderr, "rump.route: socket (is rumpnet_netinet "
		    "loaded?): %s\n", strerror(errno));
		return 1;
	}
	if (rump_sys_ioctl(s, strcmp(argv[0], "add") == 0 ? SIOCADDRT :
	    SIOCDELRT, &rt) == -1) {
		fprintf(stderr, "rump.route: %s: %s\n", argv[0],
		    strerror(errno));
		return 1;
	}
	return 0;
}
