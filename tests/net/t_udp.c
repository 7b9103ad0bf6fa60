/*
 * UDP, raw ICMP and the socket calls on one kernel's loopback (tests):
 * datagrams to 127.0.0.1 and to an address of a second loopback
 * interface, the sender's address and truncation on receipt, ICMP port
 * unreachable turned into ECONNREFUSED, an echo request answered, and
 * the socket options.  Host <sys/socket.h> values throughout.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_net.h>
#include <rump/rump_syscalls.h>

#include "netutil.h"

static int
udp_bound(const char *addr, int port)
{
	struct sockaddr_in sin = sin_make(addr, port);
	int s;

	ATF_REQUIRE((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	ATF_REQUIRE_EQ_MSG(rump_sys_bind(s, (struct sockaddr *)&sin,
	    sizeof(sin)), 0, "bind %s:%d: %s", addr, port, strerror(errno));
	return s;
}

ATF_TC_WITHOUT_HEAD(loopback);
ATF_TC_BODY(loopback, tc)
{
	struct sockaddr_in to, from, name;
	socklen_t len;
	char buf[100];
	int s1, s2;
	ssize_t n;

	ATF_REQUIRE_EQ(rump_init(), 0);
	s1 = udp_bound("127.0.0.1", 7777);
	ATF_REQUIRE((s2 = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) != -1);

	to = sin_make("127.0.0.1", 7777);
	ATF_REQUIRE_EQ(rump_sys_sendto(s2, "hello", 5, 0,
	    (struct sockaddr *)&to, sizeof(to)), 5);
	len = sizeof(from);
	memset(&from, 0, sizeof(from));
	n = rump_sys_recvfrom(s1, buf, sizeof(buf), 0,
	    (struct sockaddr *)&from, &len);
	ATF_REQUIRE_EQ_MSG(n, 5, "recvfrom: %zd %s", n, strerror(errno));
	ATF_REQUIRE(memcmp(buf, "hello", 5) == 0);
	ATF_REQUIRE_EQ(len, sizeof(from));
	ATF_REQUIRE_EQ(from.sin_family, AF_INET);
	ATF_REQUIRE_EQ(from.sin_addr.s_addr, htonl(INADDR_LOOPBACK));

	/* The sender got an ephemeral port, which getsockname tells. */
	len = sizeof(name);
	ATF_REQUIRE_EQ(rump_sys_getsockname(s2, (struct sockaddr *)&name,
	    &len), 0);
	ATF_REQUIRE_EQ(name.sin_port, from.sin_port);
	ATF_REQUIRE(ntohs(name.sin_port) >= 49152);

	/* The reply goes back to it; a short buffer truncates. */
	ATF_REQUIRE_EQ(rump_sys_sendto(s1, "0123456789", 10, 0,
	    (struct sockaddr *)&from, len), 10);
	struct iovec iov = { buf, 4 };
	struct msghdr msg;
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_name = &from;
	msg.msg_namelen = sizeof(from);
	ATF_REQUIRE_EQ(rump_sys_recvmsg(s2, &msg, 0), 4);
	ATF_REQUIRE(memcmp(buf, "0123", 4) == 0);
	ATF_REQUIRE((msg.msg_flags & MSG_TRUNC) != 0);
	ATF_REQUIRE_EQ(from.sin_port, htons(7777));

	/* Nothing waiting: a non-blocking receive says so. */
	ATF_REQUIRE_EQ(rump_sys_recv(s1, buf, sizeof(buf), MSG_DONTWAIT), -1);
	ATF_REQUIRE_EQ(errno, EAGAIN);

	/* The port is taken; SO_REUSEADDR on both shares it. */
	to = sin_make("127.0.0.1", 7777);
	ATF_REQUIRE_EQ(rump_sys_bind(s2, (struct sockaddr *)&to,
	    sizeof(to)), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);	/* s2 is bound already */
	int s3 = rump_sys_socket(AF_INET, SOCK_DGRAM, 0);
	ATF_REQUIRE_EQ(rump_sys_bind(s3, (struct sockaddr *)&to,
	    sizeof(to)), -1);
	ATF_REQUIRE_EQ(errno, EADDRINUSE);

	ATF_REQUIRE_EQ(rump_sys_close(s1), 0);
	ATF_REQUIRE_EQ(rump_sys_close(s2), 0);
	ATF_REQUIRE_EQ(rump_sys_close(s3), 0);
}

ATF_TC_WITHOUT_HEAD(refused);
ATF_TC_BODY(refused, tc)
{
	struct sockaddr_in to;
	char buf[10];
	int s;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	to = sin_make("127.0.0.1", 9);
	ATF_REQUIRE_EQ(rump_sys_connect(s, (struct sockaddr *)&to,
	    sizeof(to)), 0);
	ATF_REQUIRE_EQ(rump_sys_send(s, "x", 1, 0), 1);
	/* The ICMP port unreachable comes back as the next error. */
	ATF_REQUIRE_EQ(rump_sys_recv(s, buf, sizeof(buf), 0), -1);
	ATF_REQUIRE_EQ(errno, ECONNREFUSED);
	ATF_REQUIRE_EQ(rump_sys_close(s), 0);
}

/* An echo request to addr on a raw socket comes back as a reply. */
static void
ping(const char *addr)
{
	struct sockaddr_in to = sin_make(addr, 0), from;
	unsigned char pkt[64], buf[256];
	struct icmphdr *icp = (struct icmphdr *)pkt, *rep;
	struct pollfd pfd;
	uint32_t sum = 0;
	socklen_t len;
	ssize_t n;
	size_t i;
	int s;

	ATF_REQUIRE((s = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP))
	    != -1);
	memset(pkt, 0, sizeof(pkt));
	icp->type = ICMP_ECHO;
	icp->un.echo.id = htons(4242);
	icp->un.echo.sequence = htons(1);
	for (i = sizeof(*icp); i < sizeof(pkt); i++)
		pkt[i] = (unsigned char)i;
	for (i = 0; i < sizeof(pkt); i += 2)
		sum += (uint32_t)(pkt[i] << 8 | pkt[i + 1]);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	icp->checksum = htons((uint16_t)~sum);
	ATF_REQUIRE_EQ(rump_sys_sendto(s, pkt, sizeof(pkt), 0,
	    (struct sockaddr *)&to, sizeof(to)), (ssize_t)sizeof(pkt));
	/* Our own request comes in too (raw sockets see all ICMP). */
	for (;;) {
		pfd.fd = s;
		pfd.events = POLLIN;
		ATF_REQUIRE_EQ_MSG(rump_sys_poll(&pfd, 1, 5000), 1,
		    "no echo reply from %s", addr);
		len = sizeof(from);
		n = rump_sys_recvfrom(s, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &len);
		ATF_REQUIRE(n >= (ssize_t)(20 + sizeof(pkt)));
		rep = (struct icmphdr *)(buf + (buf[0] & 0xf) * 4);
		if (rep->type == ICMP_ECHOREPLY)
			break;
		ATF_REQUIRE_EQ(rep->type, ICMP_ECHO);
	}
	ATF_REQUIRE_EQ(rep->un.echo.id, htons(4242));
	ATF_REQUIRE(memcmp(rep + 1, pkt + sizeof(*icp),
	    sizeof(pkt) - sizeof(*icp)) == 0);
	ATF_REQUIRE_EQ(from.sin_addr.s_addr, to.sin_addr.s_addr);
	ATF_REQUIRE_EQ(rump_sys_close(s), 0);
}

ATF_TC_WITHOUT_HEAD(icmp_echo);
ATF_TC_BODY(icmp_echo, tc)
{

	ATF_REQUIRE_EQ(rump_init(), 0);
	ping("127.0.0.1");
}

ATF_TC_WITHOUT_HEAD(netconfig);
ATF_TC_BODY(netconfig, tc)
{
	struct sockaddr_in to;
	char buf[10];
	int s1, s2;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ifcreate("lo1"), 0);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ifcreate("lo1"), EEXIST);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ifcreate("nonesuch0"), EINVAL);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr("lo1", "10.1.2.3",
	    "255.255.255.0"), 0);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr("lo1", "10.1.2",
	    "255.255.255.0"), EINVAL);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr("lo9", "10.1.2.4",
	    "255.255.255.0"), ENXIO);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ifup("lo1"), 0);
	ping("10.1.2.3");

	/* A datagram to our own address on lo1. */
	s1 = udp_bound("10.1.2.3", 53);
	ATF_REQUIRE((s2 = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	to = sin_make("10.1.2.3", 53);
	ATF_REQUIRE_EQ(rump_sys_sendto(s2, "abc", 3, 0,
	    (struct sockaddr *)&to, sizeof(to)), 3);
	ATF_REQUIRE_EQ(rump_sys_recv(s1, buf, sizeof(buf), 0), 3);

	/* No route: nothing beyond the subnet without a gateway. */
	to = sin_make("192.0.2.1", 53);
	ATF_REQUIRE_EQ(rump_sys_sendto(s2, "abc", 3, 0,
	    (struct sockaddr *)&to, sizeof(to)), -1);
	ATF_REQUIRE_EQ(errno, ENETUNREACH);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ipv4_gw("10.1.2.254"), 0);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ipv4_gw("10.1.2.254"), EEXIST);

	ATF_REQUIRE_EQ(rump_sys_close(s1), 0);
	ATF_REQUIRE_EQ(rump_sys_close(s2), 0);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ifdestroy("lo1"), 0);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ifdestroy("lo0"), EPERM);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ifdestroy("lo1"), ENXIO);
}

ATF_TC_WITHOUT_HEAD(sockopts);
ATF_TC_BODY(sockopts, tc)
{
	struct timeval tv;
	struct linger lg;
	socklen_t len;
	char buf[4];
	int s, v;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	v = 1;
	ATF_REQUIRE_EQ(rump_sys_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v,
	    sizeof(v)), 0);
	v = 0;
	len = sizeof(v);
	ATF_REQUIRE_EQ(rump_sys_getsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v,
	    &len), 0);
	ATF_REQUIRE(v != 0);
	ATF_REQUIRE_EQ(len, sizeof(v));
	len = sizeof(v);
	ATF_REQUIRE_EQ(rump_sys_getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len),
	    0);
	ATF_REQUIRE_EQ(v, SOCK_DGRAM);
	v = 65536;
	ATF_REQUIRE_EQ(rump_sys_setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v,
	    sizeof(v)), 0);
	len = sizeof(v);
	ATF_REQUIRE_EQ(rump_sys_getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v,
	    &len), 0);
	ATF_REQUIRE_EQ(v, 65536);
	lg.l_onoff = 1;
	lg.l_linger = 7;
	ATF_REQUIRE_EQ(rump_sys_setsockopt(s, SOL_SOCKET, SO_LINGER, &lg,
	    sizeof(lg)), 0);
	memset(&lg, 0, sizeof(lg));
	len = sizeof(lg);
	ATF_REQUIRE_EQ(rump_sys_getsockopt(s, SOL_SOCKET, SO_LINGER, &lg,
	    &len), 0);
	ATF_REQUIRE(lg.l_onoff && lg.l_linger == 7);
	ATF_REQUIRE_EQ(rump_sys_setsockopt(s, SOL_SOCKET, 12345, &v,
	    sizeof(v)), -1);
	ATF_REQUIRE_EQ(errno, ENOPROTOOPT);

	/* SO_RCVTIMEO: a receive gives up after it. */
	tv.tv_sec = 0;
	tv.tv_usec = 100000;
	ATF_REQUIRE_EQ(rump_sys_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)), 0);
	ATF_REQUIRE_EQ(rump_sys_recv(s, buf, sizeof(buf), 0), -1);
	ATF_REQUIRE_EQ(errno, EAGAIN);
	memset(&tv, 0, sizeof(tv));
	len = sizeof(tv);
	ATF_REQUIRE_EQ(rump_sys_getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    &len), 0);
	ATF_REQUIRE(tv.tv_sec == 0 && tv.tv_usec == 100000);

	/* SOCK_NONBLOCK; families and types the kernel lacks. */
	ATF_REQUIRE_EQ(rump_sys_close(s), 0);
	ATF_REQUIRE((s = rump_sys_socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK,
	    0)) != -1);
	ATF_REQUIRE((rump_sys_fcntl(s, F_GETFL) & O_NONBLOCK) != 0);
	ATF_REQUIRE_EQ(rump_sys_recv(s, buf, sizeof(buf), 0), -1);
	ATF_REQUIRE_EQ(errno, EAGAIN);
	ATF_REQUIRE_EQ(rump_sys_close(s), 0);
	ATF_REQUIRE_EQ(rump_sys_socket(AF_INET6, SOCK_DGRAM, 0), -1);
	ATF_REQUIRE_EQ(errno, EAFNOSUPPORT);
	ATF_REQUIRE_EQ(rump_sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP), -1);
	ATF_REQUIRE_EQ(errno, EPROTONOSUPPORT);
}

/* RUMP_PCAP: the frames in a file tcpdump reads. */
ATF_TC_WITHOUT_HEAD(pcap);
ATF_TC_BODY(pcap, tc)
{
	char line[256];
	bool req = false, rep = false;
	FILE *fp;

	if (system("tcpdump --version >/dev/null 2>&1") != 0)
		atf_tc_skip("tcpdump is not installed");
	ATF_REQUIRE_EQ(setenv("RUMP_PCAP", "ping.pcap", 1), 0);
	ATF_REQUIRE_EQ(rump_init(), 0);
	ping("127.0.0.1");
	ATF_REQUIRE((fp = popen("tcpdump -nr ping.pcap 2>&1", "r")) != NULL);
	while (fgets(line, sizeof(line), fp) != NULL) {
		printf("%s", line);
		if (strstr(line, "127.0.0.1 > 127.0.0.1: ICMP echo request, "
		    "id 4242, seq 1, length 64") != NULL)
			req = true;
		if (strstr(line, "127.0.0.1 > 127.0.0.1: ICMP echo reply, "
		    "id 4242, seq 1, length 64") != NULL)
			rep = true;
	}
	ATF_REQUIRE_EQ(pclose(fp), 0);
	ATF_REQUIRE_MSG(req && rep, "tcpdump saw no echo request and reply");
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, loopback);
	ATF_TP_ADD_TC(tp, refused);
	ATF_TP_ADD_TC(tp, icmp_echo);
	ATF_TP_ADD_TC(tp, netconfig);
	ATF_TP_ADD_TC(tp, sockopts);
	ATF_TP_ADD_TC(tp, pcap);
	return atf_no_error();
}
