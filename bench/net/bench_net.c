/*
 * bench_net: TCP between two processes in three setups, measured in the
 * same run: the host's own TCP over loopback (the baseline), two rump
 * kernels over a shmif bus, and a host client against a rump kernel
 * over a tap device (virtif), both in a network namespace made for the
 * run (root only; skipped with the reason otherwise).
 *
 *  - bulk: BULK_BYTES over one connection, written in 64 KiB calls;
 *    Gbit/s, target rump<->rump >= 2 Gbit/s;
 *  - round trips: RR_COUNT one-byte requests, each answered with one
 *    byte, TCP_NODELAY on both ends; round trips per second, target
 *    rump/host >= 0.5.
 *
 * Each figure is the median of NREP runs.
 * Usage: bench_net [-v]
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <sched.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_net.h>
#include <rump/rump_shmif.h>
#include <rump/rump_syscalls.h>
#include <rump/rump_virtif.h>

#include "../common/bench.h"

#define BULK_BYTES	(512LL << 20)
#define RR_COUNT	20000
#define NREP		3
#define PORT		5301

/* The socket calls of one side: the host's or a rump kernel's. */
struct sockops {
	int	(*so_socket)(int, int, int);
	int	(*so_bind)(int, const struct sockaddr *, socklen_t);
	int	(*so_listen)(int, int);
	int	(*so_accept)(int, struct sockaddr *, socklen_t *);
	int	(*so_connect)(int, const struct sockaddr *, socklen_t);
	ssize_t	(*so_read)(int, void *, size_t);
	ssize_t	(*so_write)(int, const void *, size_t);
	int	(*so_setsockopt)(int, int, int, const void *, socklen_t);
	int	(*so_close)(int);
};

static const struct sockops hostops = {
	socket, bind, listen, accept, connect, read, write, setsockopt, close,
};

static const struct sockops rumpops = {
	rump_sys_socket, rump_sys_bind, rump_sys_listen, rump_sys_accept,
	rump_sys_connect, rump_sys_read, rump_sys_write, rump_sys_setsockopt,
	rump_sys_close,
};

/* Who is on each end. */
enum setup { HOST, RUMP, TAP };
static const char *const setupname[] = { "host<->host loopback",
    "rump<->rump shmif", "rump<->host tap" };

#define TAPNAME		"benchtap0"

static int verbose;
static char busfile[64];

static void
fail(const char *what)
{

	fprintf(stderr, "bench_net: %s: %s\n", what, strerror(errno));
	_exit(2);
}

/*
 * In a child: make this process's network, n 1 the server, 2 the
 * client; addr gets the server's address.  With TAP the server is a
 * rump kernel on the tap device, whose host side gets 10.8.0.1.
 */
static const struct sockops *
side_setup(enum setup su, int n, char *addr, size_t addrlen)
{
	int unit;

	if (su == HOST || (su == TAP && n == 2)) {
		snprintf(addr, addrlen, su == HOST ? "127.0.0.1" : "10.8.0.2");
		return &hostops;
	}
	if (rump_init() != 0)
		fail("rump_init");
	if (su == TAP) {
		if ((errno = rump_pub_virtif_create(TAPNAME, &unit)) != 0)
			fail("virtif");
		if (system("ip addr add 10.8.0.1/24 dev " TAPNAME
		    " && ip link set " TAPNAME " up") != 0)
			fail("the tap's host side");
		snprintf(addr, addrlen, "10.8.0.2");
		if ((errno = rump_pub_netconfig_ipv4_ifaddr("virtif0", addr,
		    "255.255.255.0")) != 0 ||
		    (errno = rump_pub_netconfig_ifup("virtif0")) != 0)
			fail("ifconfig");
		return &rumpops;
	}
	if ((errno = rump_pub_shmif_create(busfile, &unit)) != 0)
		fail("shmif");
	snprintf(addr, addrlen, "10.0.0.%d", n);
	if ((errno = rump_pub_netconfig_ipv4_ifaddr("shmif0", addr,
	    "255.255.255.0")) != 0 ||
	    (errno = rump_pub_netconfig_ifup("shmif0")) != 0)
		fail("ifconfig");
	snprintf(addr, addrlen, "10.0.0.1");
	return &rumpops;
}

enum test { BULK, RR };

/* The server: one connection; bulk reads everything, RR echoes. */
static void
server(enum setup su, enum test t, int ready)
{
	const struct sockops *o;
	struct sockaddr_in sin;
	static char buf[65536];
	char addr[32];
	int ls, s, one = 1;
	ssize_t n;

	o = side_setup(su, 1, addr, sizeof(addr));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(PORT);
	inet_pton(AF_INET, addr, &sin.sin_addr);
	if ((ls = o->so_socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    o->so_setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) == -1 ||
	    o->so_bind(ls, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    o->so_listen(ls, 5) == -1)
		fail("listen");
	if (write(ready, "r", 1) != 1)
		fail("ready");
	if ((s = o->so_accept(ls, NULL, NULL)) == -1)
		fail("accept");
	(void)o->so_setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one,
	    sizeof(one));
	if (t == BULK) {
		while ((n = o->so_read(s, buf, sizeof(buf))) > 0)
			continue;
		(void)o->so_write(s, "d", 1);
	} else {
		while ((n = o->so_read(s, buf, 1)) == 1)
			if (o->so_write(s, buf, 1) != 1)
				fail("echo");
	}
	o->so_close(s);
	o->so_close(ls);
	_exit(0);
}

/* The client: the measurement, its figure written to result. */
static void
client(enum setup su, enum test t, int result)
{
	const struct sockops *o;
	struct sockaddr_in sin;
	static char buf[65536];
	char addr[32], c;
	int64_t t0, t1;
	int64_t sent;
	double v;
	int s, one = 1, i;
	ssize_t n;

	o = side_setup(su, 2, addr, sizeof(addr));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(PORT);
	inet_pton(AF_INET, addr, &sin.sin_addr);
	if ((s = o->so_socket(AF_INET, SOCK_STREAM, 0)) == -1)
		fail("socket");
	if (o->so_connect(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		fail("connect");
	(void)o->so_setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one,
	    sizeof(one));
	memset(buf, 'b', sizeof(buf));
	t0 = bench_now();
	if (t == BULK) {
		for (sent = 0; sent < BULK_BYTES; sent += n)
			if ((n = o->so_write(s, buf, sizeof(buf))) <= 0)
				fail("write");
		if ((o == &rumpops ? rump_sys_shutdown(s, SHUT_WR) :
		    shutdown(s, SHUT_WR)) == -1)
			fail("shutdown");
		if (o->so_read(s, &c, 1) != 1)
			fail("the end");
		t1 = bench_now();
		v = (double)BULK_BYTES * 8 / ((double)(t1 - t0) / 1e9) / 1e9;
	} else {
		for (i = 0; i < RR_COUNT; i++) {
			if (o->so_write(s, "q", 1) != 1 ||
			    o->so_read(s, &c, 1) != 1)
				fail("round trip");
		}
		t1 = bench_now();
		v = RR_COUNT / ((double)(t1 - t0) / 1e9);
	}
	o->so_close(s);
	if (write(result, &v, sizeof(v)) != sizeof(v))
		fail("result");
	_exit(0);
}

/* One measurement: a server and a client process. */
static double
run_pair(enum setup su, enum test t)
{
	int ready[2], result[2], status;
	pid_t sp, cp;
	double v = 0;
	char c;

	if (su == RUMP) {
		snprintf(busfile, sizeof(busfile), "/tmp/bench_net.%d",
		    (int)getpid());
		(void)unlink(busfile);
	}
	if (pipe(ready) == -1 || pipe(result) == -1)
		fail("pipe");
	if ((sp = fork()) == 0)
		server(su, t, ready[1]);
	if (read(ready[0], &c, 1) != 1)
		fail("the server did not start");
	if ((cp = fork()) == 0)
		client(su, t, result[1]);
	close(result[1]);
	if (read(result[0], &v, sizeof(v)) != sizeof(v))
		v = 0;
	(void)waitpid(cp, &status, 0);
	(void)waitpid(sp, &status, 0);
	close(ready[0]);
	close(ready[1]);
	close(result[0]);
	if (su == RUMP)
		(void)unlink(busfile);
	return v;
}

/*
 * A network namespace of its own for this process, with lo up: the tap
 * device goes when the namespace does.  Quiet; false if not allowed.
 */
static bool
own_netns(void)
{

	return unshare(CLONE_NEWNET) == 0 &&
	    system("ip link set lo up 2>/dev/null") == 0;
}

/* TAP runs in a child in a namespace of its own; the others here. */
static double
run(enum setup su, enum test t)
{
	double v = 0;
	int p[2], status;
	pid_t pid;

	if (su != TAP)
		return run_pair(su, t);
	if (pipe(p) == -1)
		fail("pipe");
	if ((pid = fork()) == 0) {
		if (own_netns())
			v = run_pair(TAP, t);
		(void)write(p[1], &v, sizeof(v));
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &v, sizeof(v)) != sizeof(v))
		v = 0;
	close(p[0]);
	(void)waitpid(pid, &status, 0);
	return v;
}

/* Why TAP cannot be measured here, or NULL. */
static const char *
tap_unavailable(void)
{
	int status, fd;
	pid_t pid;

	if (geteuid() != 0)
		return "a network namespace and a tap device need root";
	if ((fd = open("/dev/net/tun", O_RDWR)) == -1)
		return "no /dev/net/tun";
	close(fd);
	if (system("command -v ip >/dev/null") != 0)
		return "no ip(8)";
	if ((pid = fork()) == 0)
		_exit(own_netns() ? 0 : 1);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return "no network namespace";
	return NULL;
}

static double
median(enum setup su, enum test t)
{
	double v[NREP];
	int i;

	for (i = 0; i < NREP; i++) {
		v[i] = run(su, t);
		if (verbose)
			fprintf(stderr, "  %s %s: %.3f\n", setupname[su],
			    t == BULK ? "bulk" : "rr", v[i]);
	}
	return bench_median(v, NREP);
}

int
main(int argc, char **argv)
{
	double bulk[3], rr[3];
	const char *notap;
	int su;

	verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
	if (argc > 1 && !verbose) {
		fprintf(stderr, "usage: bench_net [-v]\n");
		return 2;
	}
	notap = tap_unavailable();
	for (su = HOST; su <= TAP; su++) {
		if (su == TAP && notap != NULL)
			continue;
		bulk[su] = median(su, BULK);
		rr[su] = median(su, RR);
	}
	printf("net: TCP bulk, %lld MiB (median of %d)\n",
	    BULK_BYTES >> 20, NREP);
	printf("  %-22s %8.2f Gbit/s\n", setupname[HOST], bulk[HOST]);
	printf("  %-22s %8.2f Gbit/s   ratio %.2f (target: >= 2 Gbit/s)\n",
	    setupname[RUMP], bulk[RUMP], bulk[RUMP] / bulk[HOST]);
	if (notap == NULL)
		printf("  %-22s %8.2f Gbit/s   ratio %.2f\n", setupname[TAP],
		    bulk[TAP], bulk[TAP] / bulk[HOST]);
	else
		printf("  %-22s skipped: %s\n", setupname[TAP], notap);
	printf("net: 1-byte round trips, %d (median of %d)\n", RR_COUNT, NREP);
	printf("  %-22s %8.0f /s\n", setupname[HOST], rr[HOST]);
	printf("  %-22s %8.0f /s   ratio %.2f (target >= 0.5)\n",
	    setupname[RUMP], rr[RUMP], rr[RUMP] / rr[HOST]);
	if (notap == NULL)
		printf("  %-22s %8.0f /s   ratio %.2f\n", setupname[TAP],
		    rr[TAP], rr[TAP] / rr[HOST]);
	else
		printf("  %-22s skipped: %s\n", setupname[TAP], notap);
	return 0;
}
