/*
 * Rump kernels in separate processes on one shmif bus (tests): each
 * node is a child process that boots its own kernel, attaches to the
 * bus file and takes address 10.0.0.<n>/24.  ARP, ping both ways, UDP
 * echo of datagrams that need fragmenting, and a lossy link.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_net.h>
#include <rump/rump_shmif.h>
#include <rump/rump_syscalls.h>

#define BUS	"bus0"

/* A node: its pid, and the pipe that keeps it alive. */
struct node {
	pid_t	pid;
	int	ctl;
};

static void
die(const char *what)
{

	fprintf(stderr, "node %d: %s: %s\n", (int)getpid(), what,
	    strerror(errno));
	_exit(2);
}

/* In the child: boot, attach to the bus as 10.0.0.n. */
static void
node_boot(int n, unsigned drop)
{
	char addr[32];
	int unit;

	if (rump_init() != 0)
		die("rump_init");
	if ((errno = rump_pub_shmif_create(BUS, &unit)) != 0)
		die("shmif_create");
	if (drop != 0 &&
	    (errno = rump_pub_shmif_impair(unit, drop, 10, 10, 42 + n)) != 0)
		die("shmif_impair");
	snprintf(addr, sizeof(addr), "10.0.0.%d", n);
	if ((errno = rump_pub_netconfig_ipv4_ifaddr("shmif0", addr,
	    "255.255.255.0")) != 0)
		die("ifaddr");
	if ((errno = rump_pub_netconfig_ifup("shmif0")) != 0)
		die("ifup");
}

static struct sockaddr_in
sin_make(const char *addr, int port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	(void)inet_pton(AF_INET, addr, &sin.sin_addr);
	return sin;
}

/*
 * Start node n running fn(arg) after booting; fn returns the exit code.
 * The parent waits until the node is configured (it writes a byte).
 */
static struct node
node_start(int n, unsigned drop, int (*fn)(void *), void *arg)
{
	struct node nd;
	int up[2], ctl[2];
	char c;

	ATF_REQUIRE(pipe(up) == 0 && pipe(ctl) == 0);
	ATF_REQUIRE((nd.pid = fork()) != -1);
	if (nd.pid == 0) {
		close(up[0]);
		close(ctl[1]);
		node_boot(n, drop);
		if (write(up[1], "u", 1) != 1)
			die("write");
		close(up[1]);
		if (fn != NULL)
			_exit(fn(arg));
		/* A server: serve until the parent closes the pipe. */
		while (read(ctl[0], &c, 1) == -1 && errno == EINTR)
			continue;
		_exit(0);
	}
	close(up[1]);
	close(ctl[0]);
	ATF_REQUIRE_EQ_MSG(read(up[0], &c, 1), 1, "node %d did not boot", n);
	close(up[0]);
	nd.ctl = ctl[1];
	return nd;
}

/* The node's exit status (after telling a server to stop). */
static int
node_wait(struct node *nd)
{
	int status;

	close(nd->ctl);
	ATF_REQUIRE_EQ(waitpid(nd->pid, &status, 0), nd->pid);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Ping addr from this kernel: 0 if count replies came back. */
static int
do_ping(const char *addr, int count)
{
	struct sockaddr_in to = sin_make(addr, 0), from;
	unsigned char pkt[56], buf[256];
	struct icmphdr *icp = (struct icmphdr *)pkt, *rep;
	struct pollfd pfd;
	socklen_t len;
	uint32_t sum;
	int s, seq, got = 0;
	size_t i;
	ssize_t n;

	if ((s = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)) == -1)
		die("socket");
	for (seq = 1; seq <= count; seq++) {
		memset(pkt, 0, sizeof(pkt));
		icp->type = ICMP_ECHO;
		icp->un.echo.id = htons(77);
		icp->un.echo.sequence = htons((uint16_t)seq);
		for (i = sizeof(*icp); i < sizeof(pkt); i++)
			pkt[i] = (unsigned char)(i + seq);
		for (sum = 0, i = 0; i < sizeof(pkt); i += 2)
			sum += (uint32_t)(pkt[i] << 8 | pkt[i + 1]);
		sum = (sum & 0xffff) + (sum >> 16);
		sum = (sum & 0xffff) + (sum >> 16);
		icp->checksum = htons((uint16_t)~sum);
		if (rump_sys_sendto(s, pkt, sizeof(pkt), 0,
		    (struct sockaddr *)&to, sizeof(to)) != sizeof(pkt))
			die("sendto");
		pfd.fd = s;
		pfd.events = POLLIN;
		while (rump_sys_poll(&pfd, 1, 5000) == 1) {
			len = sizeof(from);
			n = rump_sys_recvfrom(s, buf, sizeof(buf), 0,
			    (struct sockaddr *)&from, &len);
			if (n < 20 + (ssize_t)sizeof(pkt))
				continue;
			rep = (struct icmphdr *)(buf + (buf[0] & 0xf) * 4);
			if (rep->type == ICMP_ECHOREPLY &&
			    rep->un.echo.sequence == htons((uint16_t)seq) &&
			    from.sin_addr.s_addr == to.sin_addr.s_addr &&
			    memcmp(rep + 1, pkt + sizeof(*icp),
			    sizeof(pkt) - sizeof(*icp)) == 0) {
				got++;
				break;
			}
		}
	}
	rump_sys_close(s);
	if (got != count)
		fprintf(stderr, "ping %s: %d of %d replies\n", addr, got,
		    count);
	return got == count ? 0 : 1;
}

static int
ping_node1(void *arg)
{

	return do_ping("10.0.0.1", *(int *)arg);
}

ATF_TC_WITHOUT_HEAD(ping);
ATF_TC_BODY(ping, tc)
{
	struct node a, b, c;
	int count = 5;

	a = node_start(1, 0, NULL, NULL);
	b = node_start(2, 0, ping_node1, &count);
	ATF_CHECK_EQ_MSG(node_wait(&b), 0, "node 2 could not ping node 1");
	/* A third kernel on the same bus. */
	c = node_start(3, 0, ping_node1, &count);
	ATF_CHECK_EQ_MSG(node_wait(&c), 0, "node 3 could not ping node 1");
	ATF_CHECK_EQ(node_wait(&a), 0);
}

/* A UDP echo server on port 7 (until its client says stop). */
static int
udp_echo_server(void *arg)
{
	struct sockaddr_in sin = sin_make("0.0.0.0", 7), from;
	static char buf[65536];
	socklen_t len;
	ssize_t n;
	int s;

	if ((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    rump_sys_bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		die("echo socket");
	for (;;) {
		len = sizeof(from);
		n = rump_sys_recvfrom(s, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &len);
		if (n == -1)
			die("recvfrom");
		if (n == 4 && memcmp(buf, "stop", 4) == 0)
			return 0;
		if (rump_sys_sendto(s, buf, (size_t)n, 0,
		    (struct sockaddr *)&from, len) != n)
			die("sendto");
	}
}

/*
 * Datagrams of many sizes, up to ones that IP must cut into fragments,
 * to the echo server at 10.0.0.1; with loss, resent until answered.
 */
static int
udp_echo_client(void *arg)
{
	static const int sizes[] = { 1, 100, 1472, 1473, 3000, 8000, 20000,
	    60000 };
	struct sockaddr_in to = sin_make("10.0.0.1", 7);
	static char out[65536], in[65536];
	struct timeval tv = { 0, 200000 };
	bool lossy = *(bool *)arg;
	size_t i, j;
	ssize_t n;
	int s, tries, round;

	if ((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		die("socket");
	if (rump_sys_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)) == -1)
		die("SO_RCVTIMEO");
	if (rump_sys_connect(s, (struct sockaddr *)&to, sizeof(to)) == -1)
		die("connect");
	for (round = 0; round < 3; round++) {
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			for (j = 0; j < (size_t)sizes[i]; j++)
				out[j] = (char)(j * 7 + i + round);
			for (tries = 0; tries < (lossy ? 50 : 3); tries++) {
				if (rump_sys_send(s, out, (size_t)sizes[i], 0)
				    != sizes[i])
					die("send");
				n = rump_sys_recv(s, in, sizeof(in), 0);
				if (n == sizes[i] &&
				    memcmp(in, out, (size_t)n) == 0)
					break;
				if (n == -1 && errno != EAGAIN)
					die("recv");
				/* Late echoes of an earlier try: drain. */
			}
			if (tries == (lossy ? 50 : 3)) {
				fprintf(stderr, "no echo of %d bytes\n",
				    sizes[i]);
				return 1;
			}
		}
	}
	(void)rump_sys_send(s, "stop", 4, 0);
	rump_sys_close(s);
	return 0;
}

static void
udp_echo(unsigned drop)
{
	struct node a, b;
	bool lossy = drop != 0;

	a = node_start(1, drop, udp_echo_server, NULL);
	b = node_start(2, drop, udp_echo_client, &lossy);
	ATF_CHECK_EQ_MSG(node_wait(&b), 0, "the UDP echo client failed");
	if (node_wait(&a) != 0) {
		/* The stop may have been lost: the server is killed then. */
		ATF_CHECK(lossy);
	}
}

ATF_TC(udp_echo);
ATF_TC_HEAD(udp_echo, tc)
{

	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(udp_echo, tc)
{

	udp_echo(0);
}

ATF_TC_WITHOUT_HEAD(udp_lossy);
ATF_TC_BODY(udp_lossy, tc)
{

	udp_echo(30);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, ping);
	ATF_TP_ADD_TC(tp, udp_echo);
	ATF_TP_ADD_TC(tp, udp_lossy);
	return atf_no_error();
}
