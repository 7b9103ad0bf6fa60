/*
 * rump.ping: ICMP echo from a rump kernel served by rump_server (a
 * librumpclient program), through a raw socket of that kernel.  Exit
 * status 0 when a reply came, 2 when none did.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "rumptool.h"

static void
usage(FILE *f)
{

	fprintf(f, "usage: rump.ping [-h] [-c count] [-i seconds] "
	    "[-s size] [-W seconds] host\n");
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint16_t
cksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static double
number(const char *opt, const char *s)
{
	char *ep;
	double v = strtod(s, &ep);

	if (*s == '\0' || *ep != '\0' || v < 0) {
		fprintf(stderr, "rump.ping: bad %s %s\n", opt, s);
		exit(1);
	}
	return v;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in to, from;
	struct pollfd pfd;
	socklen_t fromlen;
	struct icmphdr *ic;
	struct ip *ip;
	double interval = 1, wait = 1, t0, left;
	long count = -1, sent = 0, got = 0, size = 56;
	uint16_t id = (uint16_t)getpid();
	char pkt[65536], in[65536];
	ssize_t n;
	int ch, s;

	while ((ch = getopt(argc, argv, "c:hi:s:W:")) != -1) {
		switch (ch) {
		case 'c':
			count = (long)number("count", optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'i':
			interval = number("interval", optarg);
			break;
		case 's':
			size = (long)number("size", optarg);
			if (size > 65000) {
				fprintf(stderr, "rump.ping: size too big\n");
				return 1;
			}
			break;
		case 'W':
			wait = number("wait", optarg);
			break;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 1;
	}
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	if (inet_pton(AF_INET, argv[optind], &to.sin_addr) != 1) {
		fprintf(stderr, "rump.ping: %s: not an IPv4 address\n",
		    argv[optind]);
		return 1;
	}
	rumptool_connect("rump.ping");
	if ((s = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)) == -1) {
		fprintf(stderr, "rump.ping: socket: %s\n", strerror(errno));
		return 1;
	}
	printf("PING %s: %ld data bytes\n", argv[optind], size);
	while (count < 0 || sent < count) {
		memset(pkt, 0, sizeof(*ic) + (size_t)size);
		ic = (struct icmphdr *)pkt;
		ic->type = ICMP_ECHO;
		ic->un.echo.id = htons(id);
		ic->un.echo.sequence = htons((uint16_t)sent);
		for (long i = 0; i < size; i++)
			pkt[sizeof(*ic) + i] = (char)i;
		ic->checksum = cksum(pkt, sizeof(*ic) + (size_t)size);
		t0 = now();
		if (rump_sys_sendto(s, pkt, sizeof(*ic) + (size_t)size, 0,
		    (struct sockaddr *)&to, sizeof(to)) == -1)
			fprintf(stderr, "rump.ping: sendto: %s\n",
			    strerror(errno));
		sent++;
		/* Wait for this one's reply; others' are skipped. */
		while ((left = t0 + wait - now()) > 0) {
			pfd.fd = s;
			pfd.events = POLLIN;
			if (rump_sys_poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
				break;
			fromlen = sizeof(from);
			n = rump_sys_recvfrom(s, in, sizeof(in), 0,
			    (struct sockaddr *)&from, &fromlen);
			ip = (struct ip *)in;
			if (n < (ssize_t)sizeof(*ip) ||
			    n < (ssize_t)(ip->ip_hl * 4 + sizeof(*ic)))
				continue;
			ic = (struct icmphdr *)(in + ip->ip_hl * 4);
			if (ic->type != ICMP_ECHOREPLY ||
			    ntohs(ic->un.echo.id) != id ||
			    ntohs(ic->un.echo.sequence) != (uint16_t)(sent - 1))
				continue;
			printf("%zd bytes from %s: icmp_seq=%ld ttl=%d "
			    "time=%.3f ms\n", n - ip->ip_hl * 4,
			    inet_ntoa(from.sin_addr), sent - 1, ip->ip_ttl,
			    (now() - t0) * 1000);
			got++;
			break;
		}
		fflush(stdout);
		if ((count < 0 || sent < count) && interval > 0 &&
		    (left = t0 + interval - now()) > 0)
			usleep((useconds_t)(left * 1e6));
	}
	printf("--- %s ping statistics ---\n%ld packets transmitted, %ld "
	    "received, %.0f%% packet loss\n", argv[optind], sent, got,
	    sent > 0 ? 100.0 * (double)(sent - got) / (double)sent : 0);
	return got > 0 ? 0 : 2;
}
