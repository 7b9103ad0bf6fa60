/*
 * Rump kernels in separate processes on one shmif bus (tests): each
 * node is a child process that boots its own kernel, attaches to the
 * bus file and takes address 10.0.0.<n>/24.  ARP and ping, UDP echo of
 * datagrams that need fragmenting, TCP: a 100 MiB transfer checked by
 * hash on a perfect and on a lossy link (drops, duplicates, reordering, delays),
 * 100 connections at once, a refused connection, a keepalive timeout,
 * a SYN flood that the connection already open must survive; a router
 * kernel between two buses.  And the units of the driver, in one
 * kernel.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <valgrind/valgrind.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_net.h>
#include <rump/rump_shmif.h>
#include <rump/rump_syscalls.h>

#include "netutil.h"

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

/* Per mille of the frames of a lossy link that come 30 ms late. */
static unsigned node_late;

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
	/* A lossy link: also 1% duplicated, 1% reordered; some late. */
	if (drop != 0 &&
	    ((errno = rump_pub_shmif_impair(unit, drop, 10, 10, 42 + n)) != 0 ||
	    (errno = rump_pub_shmif_delay(unit, node_late, 30)) != 0))
		die("shmif_impair");
	snprintf(addr, sizeof(addr), "10.0.0.%d", n);
	if ((errno = rump_pub_netconfig_ipv4_ifaddr("shmif0", addr,
	    "255.255.255.0")) != 0)
		die("ifaddr");
	if ((errno = rump_pub_netconfig_ifup("shmif0")) != 0)
		die("ifup");
}

/* Set by a test before node_start(): more set-up, in the child. */
static void (*node_extra)(void);

/* In the child: the pipe on which the node says it is ready. */
static int node_upfd = -1;

/* Tell the parent this node is ready (a server: once it listens). */
static void
node_ready(void)
{

	if (node_upfd != -1) {
		if (write(node_upfd, "u", 1) != 1)
			die("write");
		close(node_upfd);
		node_upfd = -1;
	}
}

/*
 * Start node n running fn(arg) after booting; fn returns the exit code
 * and calls node_ready() when the next node may start.
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
		if (node_extra != NULL)
			node_extra();
		node_upfd = up[1];
		if (fn != NULL)
			_exit(fn(arg));
		node_ready();
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

/* Stop a node that is stuck (its peer failed): it is killed. */
static void
node_kill(struct node *nd)
{

	(void)kill(nd->pid, SIGKILL);
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

	node_ready();
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
	node_ready();
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

	node_ready();
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
	int client;

	a = node_start(1, drop, udp_echo_server, NULL);
	b = node_start(2, drop, udp_echo_client, &lossy);
	client = node_wait(&b);
	/* Failed, or on a lossy link the stop may have been lost. */
	if (client != 0 || lossy)
		node_kill(&a);
	ATF_CHECK_EQ_MSG(client, 0, "the UDP echo client failed");
	if (node_wait(&a) != 0)
		ATF_CHECK_MSG(lossy || client != 0, "the UDP echo server failed");
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


/*
 * TCP.
 */

static uint64_t
fnv(uint64_t h, const unsigned char *p, size_t n)
{

	while (n-- > 0)
		h = (h ^ *p++) * 1099511628211ULL;
	return h;
}

static unsigned char
pat(uint64_t off)
{

	return (unsigned char)(off * 131 + (off >> 11));
}

/* Read everything from the one connection, answer its hash. */
static int
tcp_sink(void *arg)
{
	struct sockaddr_in sin = sin_make("0.0.0.0", 5001);
	static unsigned char buf[65536];
	uint64_t h = 14695981039346656037ULL, total = 0;
	struct linger lg;
	int ls, s, one = 1;
	ssize_t n;

	if ((ls = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    rump_sys_setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) == -1 ||
	    rump_sys_bind(ls, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    rump_sys_listen(ls, 5) == -1)
		die("listen");
	node_ready();
	if ((s = rump_sys_accept(ls, NULL, NULL)) == -1)
		die("accept");
	while ((n = rump_sys_read(s, buf, sizeof(buf))) > 0) {
		h = fnv(h, buf, (size_t)n);
		total += (uint64_t)n;
	}
	if (n == -1)
		die("read");
	/* The other half is still open: the answer goes back on it. */
	if (rump_sys_write(s, &h, sizeof(h)) != sizeof(h) ||
	    rump_sys_write(s, &total, sizeof(total)) != sizeof(total))
		die("write");
	/*
	 * Stay until the source has acknowledged the answer and the FIN
	 * (or a while): on a lossy link they may need resending, and this
	 * kernel goes when the process does.  Linger makes close() wait.
	 */
	lg.l_onoff = 1;
	lg.l_linger = 30;
	(void)rump_sys_setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	rump_sys_close(s);
	rump_sys_close(ls);
	return 0;
}

struct source {
	uint64_t	len;
};

static int
tcp_source(void *arg)
{
	struct source *src = arg;
	struct sockaddr_in sin = sin_make("10.0.0.1", 5001);
	static unsigned char buf[65536];
	uint64_t h = 14695981039346656037ULL, off = 0, rh, rtotal;
	struct timeval t0, t1;
	size_t n, i;
	ssize_t w;
	int s;

	node_ready();
	if ((s = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) == -1)
		die("socket");
	if (rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		die("connect");
	gettimeofday(&t0, NULL);
	while (off < src->len) {
		n = src->len - off < sizeof(buf) ? (size_t)(src->len - off) :
		    sizeof(buf);
		for (i = 0; i < n; i++)
			buf[i] = pat(off + i);
		h = fnv(h, buf, n);
		for (i = 0; i < n; i += (size_t)w) {
			if ((w = rump_sys_write(s, buf + i, n - i)) <= 0)
				die("write");
		}
		off += n;
	}
	if (rump_sys_shutdown(s, SHUT_WR) == -1)
		die("shutdown");
	if (rump_sys_read(s, &rh, sizeof(rh)) != sizeof(rh) ||
	    rump_sys_read(s, &rtotal, sizeof(rtotal)) != sizeof(rtotal))
		die("read the hash");
	gettimeofday(&t1, NULL);
	rump_sys_close(s);
	fprintf(stderr, "%llu bytes in %.2f s\n", (unsigned long long)off,
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_usec - t0.tv_usec) / 1e6);
	if (rtotal != src->len || rh != h) {
		fprintf(stderr, "sink got %llu bytes, hash %s\n",
		    (unsigned long long)rtotal, rh == h ? "equal" : "differs");
		return 1;
	}
	return 0;
}

static void
tcp_transfer(unsigned drop, uint64_t len)
{
	struct node a, b;
	struct source src = { len };

	a = node_start(1, drop, tcp_sink, NULL);
	b = node_start(2, drop, tcp_source, &src);
	if (node_wait(&b) != 0) {
		node_kill(&a);
		atf_tc_fail("the transfer failed");
	}
	ATF_CHECK_EQ_MSG(node_wait(&a), 0, "the sink failed");
}

ATF_TC(tcp_transfer);
ATF_TC_HEAD(tcp_transfer, tc)
{

	atf_tc_set_md_var(tc, "timeout", "300");
}
/* 100 MiB; under valgrind, where every byte costs fifty times more, 16. */
static uint64_t
transfer_bytes(void)
{

	return RUNNING_ON_VALGRIND ? 16ULL << 20 : 100ULL << 20;
}

ATF_TC_BODY(tcp_transfer, tc)
{

	tcp_transfer(0, transfer_bytes());
}

ATF_TC(tcp_lossy);
ATF_TC_HEAD(tcp_lossy, tc)
{

	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(tcp_lossy, tc)
{

	/* 5% dropped, 1% duplicated, reordered and late, each way. */
	node_late = 10;
	tcp_transfer(50, transfer_bytes());
}

/* Echo on every connection, many at once, with poll. */
static int
tcp_echo_server(void *arg)
{
	struct sockaddr_in sin = sin_make("0.0.0.0", 7);
	struct pollfd pfd[200];
	char buf[4096];
	int ls, n = 1, i, live = 0, total = *(int *)arg, done = 0;
	ssize_t r;

	if ((ls = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    rump_sys_bind(ls, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    rump_sys_listen(ls, 128) == -1)
		die("listen");
	node_ready();
	pfd[0].fd = ls;
	pfd[0].events = POLLIN;
	while (done < total) {
		if (rump_sys_poll(pfd, (nfds_t)n, 30000) <= 0)
			die("poll");
		if (pfd[0].revents & POLLIN) {
			int s = rump_sys_accept(ls, NULL, NULL);

			if (s == -1)
				die("accept");
			pfd[n].fd = s;
			pfd[n].events = POLLIN;
			pfd[n].revents = 0;
			n++;
			live++;
		}
		for (i = 1; i < n; i++) {
			if (pfd[i].fd == -1 || pfd[i].revents == 0)
				continue;
			r = rump_sys_read(pfd[i].fd, buf, sizeof(buf));
			if (r > 0) {
				if (rump_sys_write(pfd[i].fd, buf, (size_t)r)
				    != r)
					die("write");
				continue;
			}
			rump_sys_close(pfd[i].fd);
			pfd[i].fd = -1;
			done++;
		}
	}
	rump_sys_close(ls);
	return 0;
}

static int
tcp_many_clients(void *arg)
{
	struct sockaddr_in sin = sin_make("10.0.0.1", 7);
	int count = *(int *)arg, s[200], i, k;
	char out[1000], in[1000];
	ssize_t n, got;

	node_ready();
	for (i = 0; i < count; i++) {
		if ((s[i] = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
		    rump_sys_connect(s[i], (struct sockaddr *)&sin,
		    sizeof(sin)) == -1)
			die("connect");
	}
	/* All open at once; each carries its own data. */
	for (k = 0; k < 5; k++) {
		for (i = 0; i < count; i++) {
			memset(out, 'a' + (i + k) % 26, sizeof(out));
			if (rump_sys_write(s[i], out, sizeof(out)) !=
			    sizeof(out))
				die("write");
		}
		for (i = 0; i < count; i++) {
			for (got = 0; got < (ssize_t)sizeof(in); got += n) {
				n = rump_sys_read(s[i], in + got,
				    sizeof(in) - (size_t)got);
				if (n <= 0)
					die("read");
			}
			memset(out, 'a' + (i + k) % 26, sizeof(out));
			if (memcmp(in, out, sizeof(in)) != 0) {
				fprintf(stderr, "connection %d: wrong data\n",
				    i);
				return 1;
			}
		}
	}
	for (i = 0; i < count; i++)
		rump_sys_close(s[i]);
	return 0;
}

ATF_TC(tcp_many);
ATF_TC_HEAD(tcp_many, tc)
{

	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(tcp_many, tc)
{
	struct node a, b;
	int count = 100;

	a = node_start(1, 0, tcp_echo_server, &count);
	b = node_start(2, 0, tcp_many_clients, &count);
	if (node_wait(&b) != 0) {
		node_kill(&a);
		atf_tc_fail("the clients failed");
	}
	ATF_CHECK_EQ_MSG(node_wait(&a), 0, "the server failed");
}

static int
tcp_refused_client(void *arg)
{
	struct sockaddr_in sin = sin_make("10.0.0.1", 4444);
	int s;

	node_ready();
	if ((s = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) == -1)
		die("socket");
	if (rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin)) == 0) {
		fprintf(stderr, "connected to a closed port\n");
		return 1;
	}
	if (errno != ECONNREFUSED) {
		fprintf(stderr, "connect: %s, not ECONNREFUSED\n",
		    strerror(errno));
		return 1;
	}
	return 0;
}

ATF_TC_WITHOUT_HEAD(tcp_refused);
ATF_TC_BODY(tcp_refused, tc)
{
	struct node a, b;

	a = node_start(1, 0, NULL, NULL);
	b = node_start(2, 0, tcp_refused_client, NULL);
	ATF_CHECK_EQ_MSG(node_wait(&b), 0, "no RST for a closed port");
	ATF_CHECK_EQ(node_wait(&a), 0);
}

/* Accept one connection with a quick keepalive; its peer vanishes. */
static int
tcp_keepalive_server(void *arg)
{
	struct sockaddr_in sin = sin_make("0.0.0.0", 5002);
	int ls, s, one = 1, v;
	struct timeval t0, t1;
	char c;

	if ((ls = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    rump_sys_bind(ls, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    rump_sys_listen(ls, 5) == -1)
		die("listen");
	node_ready();
	if ((s = rump_sys_accept(ls, NULL, NULL)) == -1)
		die("accept");
	v = 1;
	if (rump_sys_setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &v,
	    sizeof(v)) == -1 ||
	    rump_sys_setsockopt(s, IPPROTO_TCP, TCP_KEEPINTVL, &v,
	    sizeof(v)) == -1 ||
	    rump_sys_setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &v,
	    sizeof(v)) == -1 ||
	    rump_sys_setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one,
	    sizeof(one)) == -1)
		die("keepalive options");
	/* Tell the parent to kill the client, then wait for the verdict. */
	if (rump_sys_write(s, "k", 1) != 1)
		die("write");
	gettimeofday(&t0, NULL);
	if (rump_sys_read(s, &c, 1) != -1 || errno != ETIMEDOUT) {
		fprintf(stderr, "read: %s, not ETIMEDOUT\n", strerror(errno));
		return 1;
	}
	gettimeofday(&t1, NULL);
	fprintf(stderr, "dead peer found after %ld s\n",
	    (long)(t1.tv_sec - t0.tv_sec));
	return 0;
}

static int
tcp_keepalive_client(void *arg)
{
	struct sockaddr_in sin = sin_make("10.0.0.1", 5002);
	int s, *ready = arg;
	char c;

	node_ready();
	if ((s = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		die("connect");
	if (rump_sys_read(s, &c, 1) != 1)
		die("read");
	/* Say so, then wait to be killed (no FIN, no RST ever comes). */
	if (write(ready[1], "r", 1) != 1)
		die("write");
	for (;;)
		pause();
	/* NOTREACHED */
	return 1;
}

ATF_TC(tcp_keepalive);
ATF_TC_HEAD(tcp_keepalive, tc)
{

	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(tcp_keepalive, tc)
{
	struct node a, b;
	int ready[2];
	char c;

	ATF_REQUIRE(pipe(ready) == 0);
	a = node_start(1, 0, tcp_keepalive_server, NULL);
	b = node_start(2, 0, tcp_keepalive_client, ready);
	ATF_REQUIRE_EQ(read(ready[0], &c, 1), 1);
	ATF_REQUIRE_EQ(kill(b.pid, SIGKILL), 0);
	(void)node_wait(&b);
	ATF_CHECK_EQ_MSG(node_wait(&a), 0, "keepalive did not end it");
}

/*
 * A SYN flood from a second kernel: raw SYNs from made-up on-link
 * addresses and ports at the echo server, while this node's own
 * connection to it must keep working.
 */
static uint16_t
tcp_cksum(const struct ip *ip, const void *tcp, size_t len)
{
	const unsigned char *p = tcp;
	uint32_t sum = 0;
	size_t i;

	sum += ntohs((uint16_t)(ip->ip_src.s_addr & 0xffff)) +
	    ntohs((uint16_t)(ip->ip_src.s_addr >> 16));
	sum += ntohs((uint16_t)(ip->ip_dst.s_addr & 0xffff)) +
	    ntohs((uint16_t)(ip->ip_dst.s_addr >> 16));
	sum += IPPROTO_TCP + (uint32_t)len;
	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static int
tcp_flooder(void *arg)
{
	struct sockaddr_in sin = sin_make("10.0.0.1", 7);
	unsigned char pkt[sizeof(struct ip) + sizeof(struct tcphdr)];
	struct ip *ip = (struct ip *)pkt;
	struct tcphdr *th = (struct tcphdr *)(ip + 1);
	char buf[64];
	int s, r, i, round;
	uint32_t x = 12345;

	node_ready();
	if ((s = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		die("connect");
	if ((r = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_RAW)) == -1)
		die("raw socket");
	for (round = 0; round < 5; round++) {
		for (i = 0; i < 2000; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			memset(pkt, 0, sizeof(pkt));
			ip->ip_v = 4;
			ip->ip_hl = 5;
			ip->ip_ttl = 64;
			ip->ip_p = IPPROTO_TCP;
			ip->ip_len = htons(sizeof(pkt));
			ip->ip_src.s_addr = htonl(0x0a000064U + x % 150);
			ip->ip_dst = sin.sin_addr;
			th->th_sport = htons((uint16_t)(1024 + x % 60000));
			th->th_dport = htons(7);
			th->th_seq = x;
			th->th_off = 5;
			th->th_flags = TH_SYN;
			th->th_win = htons(65535);
			th->th_sum = tcp_cksum(ip, th, sizeof(*th));
			if (rump_sys_sendto(r, pkt, sizeof(pkt), 0,
			    (struct sockaddr *)&sin, sizeof(sin)) == -1)
				die("sendto");
		}
		/* The connection we had still answers. */
		snprintf(buf, sizeof(buf), "round %d", round);
		if (rump_sys_write(s, buf, strlen(buf)) != (ssize_t)strlen(buf))
			die("write");
		memset(buf, 0, sizeof(buf));
		if (rump_sys_read(s, buf, sizeof(buf)) <= 0 ||
		    strncmp(buf, "round", 5) != 0) {
			fprintf(stderr, "the connection died in the flood\n");
			return 1;
		}
	}
	rump_sys_close(r);
	rump_sys_close(s);
	return 0;
}

ATF_TC(tcp_synflood);
ATF_TC_HEAD(tcp_synflood, tc)
{

	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(tcp_synflood, tc)
{
	struct node a, b;
	int count = 1;

	a = node_start(1, 0, tcp_echo_server, &count);
	b = node_start(2, 0, tcp_flooder, NULL);
	if (node_wait(&b) != 0) {
		node_kill(&a);
		atf_tc_fail("the flood broke the connection");
	}
	ATF_CHECK_EQ_MSG(node_wait(&a), 0, "the server failed");
}

/*
 * Forwarding: node 254 routes between bus0 (10.0.0.0/24) and bus1
 * (10.1.0.0/24); node 2 on bus0 reaches node 1 on bus1 through it,
 * and a datagram with TTL 1 comes back as ICMP time exceeded.  With
 * forwarding off (the default) nothing gets through.
 */
#define BUS1	"bus1"

static int forward_on;

static void
router_setup(void)
{
	int unit;

	if ((errno = rump_pub_shmif_create(BUS1, &unit)) != 0 ||
	    (errno = rump_pub_netconfig_ipv4_ifaddr("shmif1", "10.1.0.254",
	    "255.255.255.0")) != 0 ||
	    (errno = rump_pub_netconfig_ifup("shmif1")) != 0 ||
	    (errno = rump_pub_netconfig_ipv4_forwarding(forward_on)) != 0)
		die("router");
}

/* Node 1 moves to bus1. */
static void
far_setup(void)
{
	int unit;

	if ((errno = rump_pub_netconfig_ifdestroy("shmif0")) != 0 ||
	    (errno = rump_pub_shmif_create(BUS1, &unit)) != 0 ||
	    (errno = rump_pub_netconfig_ipv4_ifaddr("shmif0", "10.1.0.1",
	    "255.255.255.0")) != 0 ||
	    (errno = rump_pub_netconfig_ifup("shmif0")) != 0 ||
	    (errno = rump_pub_netconfig_ipv4_gw("10.1.0.254")) != 0)
		die("far node");
}

static void
near_setup(void)
{

	if ((errno = rump_pub_netconfig_ipv4_gw("10.0.0.254")) != 0)
		die("near node");
}

/* On node 2: ping across; then TTL 1 gets ICMP time exceeded. */
static int
forward_client(void *arg)
{
	struct sockaddr_in to = sin_make("10.1.0.1", 9), from;
	unsigned char buf[256];
	struct pollfd pfd;
	socklen_t len;
	int r, u, ttl = 1, got = 0;
	ssize_t n;

	node_ready();
	if (!forward_on)
		return do_ping("10.1.0.1", 1) == 0 ? 1 : 0;
	if (do_ping("10.1.0.1", 3) != 0)
		return 1;
	if ((r = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)) == -1 ||
	    (u = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    rump_sys_setsockopt(u, IPPROTO_IP, IP_TTL, &ttl,
	    sizeof(ttl)) == -1 ||
	    rump_sys_sendto(u, "ttl", 3, 0, (struct sockaddr *)&to,
	    sizeof(to)) != 3)
		die("ttl datagram");
	pfd.fd = r;
	pfd.events = POLLIN;
	while (!got && rump_sys_poll(&pfd, 1, 5000) == 1) {
		len = sizeof(from);
		n = rump_sys_recvfrom(r, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &len);
		if (n >= 28 && buf[(buf[0] & 0xf) * 4] == ICMP_TIME_EXCEEDED &&
		    from.sin_addr.s_addr == sin_make("10.0.0.254", 0).
		    sin_addr.s_addr)
			got = 1;
	}
	if (!got)
		fprintf(stderr, "no ICMP time exceeded from the router\n");
	return got ? 0 : 1;
}

static void
forward(int on)
{
	struct node router, far, near;

	forward_on = on;
	node_extra = router_setup;
	router = node_start(254, 0, NULL, NULL);
	node_extra = far_setup;
	far = node_start(1, 0, NULL, NULL);
	node_extra = near_setup;
	near = node_start(2, 0, forward_client, NULL);
	node_extra = NULL;
	ATF_CHECK_EQ_MSG(node_wait(&near), 0, "%s", on ?
	    "nothing got through" :
	    "a datagram got through with forwarding off");
	ATF_CHECK_EQ(node_wait(&far), 0);
	ATF_CHECK_EQ(node_wait(&router), 0);
}

ATF_TC_WITHOUT_HEAD(forwarding);
ATF_TC_BODY(forwarding, tc)
{

	forward(1);
}

ATF_TC_WITHOUT_HEAD(forwarding_off);
ATF_TC_BODY(forwarding_off, tc)
{

	forward(0);
}

/* Units: numbered from 0, destroyed by name, numbers used again. */
ATF_TC_WITHOUT_HEAD(units);
ATF_TC_BODY(units, tc)
{
	int u0, u1, u2;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_shmif_create("busA", &u0), 0);
	ATF_REQUIRE_EQ(rump_pub_shmif_create("busB", &u1), 0);
	ATF_REQUIRE_EQ(u0, 0);
	ATF_REQUIRE_EQ(u1, 1);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ifcreate("shmif2"), EOPNOTSUPP);
	ATF_REQUIRE_EQ(rump_pub_shmif_create("no/such/dir/bus", &u2),
	    ENOENT);
	ATF_REQUIRE_EQ(rump_pub_shmif_impair(0, 10, 0, 0, 1), 0);
	ATF_REQUIRE_EQ(rump_pub_shmif_impair(0, 1001, 0, 0, 1), EINVAL);
	ATF_REQUIRE_EQ(rump_pub_shmif_impair(2, 10, 0, 0, 1), ENXIO);
	ATF_REQUIRE_EQ(rump_pub_shmif_impair(-1, 10, 0, 0, 1), EINVAL);
	ATF_REQUIRE_EQ(rump_pub_shmif_delay(0, 10, 30), 0);
	ATF_REQUIRE_EQ(rump_pub_shmif_delay(0, 10, 0), EINVAL);
	ATF_REQUIRE_EQ(rump_pub_shmif_delay(0, 1001, 30), EINVAL);
	ATF_REQUIRE_EQ(rump_pub_shmif_delay(0, 10, 20000), EINVAL);
	ATF_REQUIRE_EQ(rump_pub_shmif_delay(2, 10, 30), ENXIO);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ifdestroy("shmif0"), 0);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ifdestroy("shmif0"), ENXIO);
	ATF_REQUIRE_EQ(rump_pub_shmif_impair(0, 10, 0, 0, 1), ENXIO);
	ATF_REQUIRE_EQ(rump_pub_shmif_create("busA", &u2), 0);
	ATF_REQUIRE_EQ(u2, 0);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ifup("shmif0"), 0);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr("shmif1", "10.1.0.1",
	    "255.255.255.0"), 0);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, units);
	ATF_TP_ADD_TC(tp, forwarding);
	ATF_TP_ADD_TC(tp, forwarding_off);
	ATF_TP_ADD_TC(tp, ping);
	ATF_TP_ADD_TC(tp, udp_echo);
	ATF_TP_ADD_TC(tp, udp_lossy);
	ATF_TP_ADD_TC(tp, tcp_transfer);
	ATF_TP_ADD_TC(tp, tcp_lossy);
	ATF_TP_ADD_TC(tp, tcp_many);
	ATF_TP_ADD_TC(tp, tcp_refused);
	ATF_TP_ADD_TC(tp, tcp_keepalive);
	ATF_TP_ADD_TC(tp, tcp_synflood);
	return atf_no_error();
}
