/*
 * rump.netstat: the sockets, interfaces and routes of a rump kernel
 * served by rump_server (a librumpclient program).
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
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

	fprintf(f, "usage: rump.netstat [-h] [-i | -r]\n");
}

/* The records of sysctl node name, or a message and exit. */
static void *
records(const char *name, size_t *lenp)
{
	void *buf;

	if ((buf = rumptool_sysctl(name, lenp)) == NULL) {
		fprintf(stderr, "rump.netstat: %s: %s\n", name,
		    strerror(errno));
		exit(1);
	}
	return buf;
}

/* RFC 793's states, in the kernel's TCPS_* order. */
static const char *const tcpstates[] = {
	"CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED",
	"CLOSE_WAIT", "FIN_WAIT_1", "CLOSING", "LAST_ACK", "FIN_WAIT_2",
	"TIME_WAIT",
};

static void
sockets(void)
{
	struct kinfo_pcb *kp;
	char l[64], f[64], a[INET_ADDRSTRLEN];
	const char *proto;
	size_t len, i;

	kp = records("net.inet.pcblist", &len);
	printf("%-5s %6s %6s  %-21s %-21s %s\n", "Proto", "Recv-Q", "Send-Q",
	    "Local Address", "Foreign Address", "State");
	for (i = 0; i < len / sizeof(*kp); i++) {
		proto = kp[i].kp_proto == IPPROTO_TCP ? "tcp" :
		    kp[i].kp_proto == IPPROTO_UDP ? "udp" :
		    kp[i].kp_proto == IPPROTO_ICMP ? "icmp" : "raw";
		inet_ntop(AF_INET, kp[i].kp_laddr, a, sizeof(a));
		snprintf(l, sizeof(l), "%s.%u", a, kp[i].kp_lport);
		inet_ntop(AF_INET, kp[i].kp_faddr, a, sizeof(a));
		snprintf(f, sizeof(f), "%s.%u", a, kp[i].kp_fport);
		printf("%-5s %6u %6u  %-21s %-21s %s\n", proto, kp[i].kp_rcvq,
		    kp[i].kp_sndq, l, f, kp[i].kp_state >= 0 &&
		    (size_t)kp[i].kp_state < sizeof(tcpstates) /
		    sizeof(tcpstates[0]) ? tcpstates[kp[i].kp_state] : "");
	}
	free(kp);
}

static void
interfaces(void)
{
	struct kinfo_if *ki;
	size_t len, i;

	ki = records("net.interfaces", &len);
	printf("%-8s %6s %10s %6s %10s %6s %12s %12s %6s\n", "Name", "Mtu",
	    "Ipkts", "Ierrs", "Opkts", "Oerrs", "Ibytes", "Obytes", "Drops");
	for (i = 0; i < len / sizeof(*ki); i++)
		printf("%-8s %6u %10" PRIu64 " %6" PRIu64 " %10" PRIu64
		    " %6" PRIu64 " %12" PRIu64 " %12" PRIu64 " %6" PRIu64 "\n",
		    ki[i].ki_name, ki[i].ki_mtu, ki[i].ki_ipackets,
		    ki[i].ki_ierrors, ki[i].ki_opackets, ki[i].ki_oerrors,
		    ki[i].ki_ibytes, ki[i].ki_obytes, ki[i].ki_iqdrops);
	free(ki);
}

static void
routes(void)
{
	struct kinfo_route *kr;
	char d[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN], dst[32];
	size_t len, i;

	kr = records("net.route", &len);
	printf("%-20s %-16s %6s %10s  %s\n", "Destination", "Gateway",
	    "Flags", "Use", "Interface");
	for (i = 0; i < len / sizeof(*kr); i++) {
		if (kr[i].kr_family != AF_INET)
			continue;
		inet_ntop(AF_INET, kr[i].kr_dst, d, sizeof(d));
		inet_ntop(AF_INET, kr[i].kr_gateway, g, sizeof(g));
		snprintf(dst, sizeof(dst), kr[i].kr_plen == 0 ? "default" :
		    "%s/%u", d, kr[i].kr_plen);
		printf("%-20s %-16s %#6x %10" PRIu64 "  %s\n", dst,
		    kr[i].kr_gateway[0] || kr[i].kr_gateway[3] ? g : "link",
		    kr[i].kr_flags, kr[i].kr_use, kr[i].kr_ifname);
	}
	free(kr);
}

int
main(int argc, char **argv)
{
	int ch, what = 's';

	while ((ch = getopt(argc, argv, "hir")) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return 0;
		case 'i':
		case 'r':
			what = ch;
			break;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 1;
	}
	rumptool_connect("rump.netstat");
	if (what == 'i')
		interfaces();
	else if (what == 'r')
		routes();
	else
		sockets();
	return 0;
}
