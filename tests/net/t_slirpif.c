/*
 * slirpif (tests): a rump kernel behind libslirp, with no privileges.
 * Every case runs in a child process that, if the test runs as root,
 * first becomes the unprivileged user nobody.  The host's nc reaches a
 * TCP server in the kernel through a port forward on 127.0.0.1, both
 * for a short exchange and for megabytes checked byte for byte; a
 * kernel client reaches a server on the host's 127.0.0.1 through the
 * router address; bad options are refused.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_net.h>
#include <rump/rump_slirpif.h>
#include <rump/rump_syscalls.h>

#include "netutil.h"

#define NOBODY		65534
#define BULK_BYTES	(8 * 1024 * 1024)

#define FAIL(...)	do {						\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	return 1;							\
} while (/* CONSTCOND */ 0)

/* A TCP port on the host's 127.0.0.1 that nobody uses right now. */
static int
free_port(void)
{
	struct sockaddr_in sin = sin_make("127.0.0.1", 0);
	socklen_t len = sizeof(sin);
	int s, port = -1;

	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	    getsockname(s, (struct sockaddr *)&sin, &len) == 0)
		port = ntohs(sin.sin_port);
	close(s);
	return port;
}

/* Boot a kernel behind slirp with options; configure 10.0.2.15. */
static int
slirp_kernel(const char *options)
{
	int unit, error;

	if (rump_init() != 0)
		FAIL("rump_init");
	if ((error = rump_pub_slirpif_create(options, &unit)) != 0)
		FAIL("slirpif_create(%s): %s", options, strerror(error));
	if (unit != 0 ||
	    rump_pub_netconfig_ipv4_ifaddr("slirpif0", "10.0.2.15",
	    "255.255.255.0") != 0 ||
	    rump_pub_netconfig_ifup("slirpif0") != 0 ||
	    rump_pub_netconfig_ipv4_gw("10.0.2.2") != 0)
		FAIL("cannot configure slirpif0");
	return 0;
}

static int
kernel_listen(int port)
{
	struct sockaddr_in sin = sin_make("0.0.0.0", port);
	int s;

	if ((s = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    rump_sys_bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    rump_sys_listen(s, 5) == -1)
		return -1;
	return s;
}

static unsigned char
pat(uint64_t off)
{

	return (unsigned char)((off * 2654435761U) >> 13);
}

/* The host's nc, through the forward, to an echo server in the kernel. */
static int
fwd_echo(void)
{
	char opts[128], cmd[128], buf[256];
	ssize_t n, got;
	FILE *nc;
	int port, ls, s;

	if ((port = free_port()) == -1)
		FAIL("no free port");
	snprintf(opts, sizeof(opts), "hostfwd=tcp:127.0.0.1:%d-:7", port);
	if (slirp_kernel(opts) != 0 || (ls = kernel_listen(7)) == -1)
		FAIL("kernel server");
	snprintf(cmd, sizeof(cmd),
	    "printf 'hello, kernel' | timeout 20 nc -N 127.0.0.1 %d", port);
	if ((nc = popen(cmd, "r")) == NULL)
		FAIL("popen nc");
	if ((s = rump_sys_accept(ls, NULL, NULL)) == -1)
		FAIL("accept: %s", strerror(errno));
	strcpy(buf, "echo: ");
	for (got = 6; got < (ssize_t)sizeof(buf) - 1; got += n)
		if ((n = rump_sys_read(s, buf + got,
		    sizeof(buf) - 1 - (size_t)got)) <= 0)
			break;
	if (rump_sys_write(s, buf, (size_t)got) != got)
		FAIL("write: %s", strerror(errno));
	rump_sys_close(s);
	memset(buf, 0, sizeof(buf));
	(void)fread(buf, 1, sizeof(buf) - 1, nc);
	if (pclose(nc) != 0 || strcmp(buf, "echo: hello, kernel") != 0)
		FAIL("nc got \"%s\"", buf);
	rump_sys_close(ls);
	return 0;
}

struct bulk {
	int	ls;
	int	error;
};

/* The kernel's half of fwd_bulk: BULK_BYTES of the pattern. */
static void *
bulk_server(void *arg)
{
	struct bulk *b = arg;
	unsigned char buf[65536];
	uint64_t off = 0;
	size_t i;
	ssize_t n;
	int s;

	if ((s = rump_sys_accept(b->ls, NULL, NULL)) == -1) {
		b->error = errno;
		return NULL;
	}
	while (off < BULK_BYTES) {
		for (i = 0; i < sizeof(buf); i++)
			buf[i] = pat(off + i);
		if ((n = rump_sys_write(s, buf, sizeof(buf))) <= 0) {
			b->error = errno;
			break;
		}
		off += (uint64_t)n;
	}
	rump_sys_close(s);
	return NULL;
}

/* The host's nc reads megabytes from the kernel through the forward. */
static int
fwd_bulk(void)
{
	char opts[128], cmd[128];
	unsigned char buf[65536];
	struct bulk b = { .error = 0 };
	pthread_t t;
	uint64_t off = 0;
	size_t n, i;
	FILE *nc;
	int port;

	if ((port = free_port()) == -1)
		FAIL("no free port");
	snprintf(opts, sizeof(opts), "hostfwd=tcp:127.0.0.1:%d-:9000", port);
	if (slirp_kernel(opts) != 0 || (b.ls = kernel_listen(9000)) == -1)
		FAIL("kernel server");
	if (pthread_create(&t, NULL, bulk_server, &b) != 0)
		FAIL("pthread_create");
	snprintf(cmd, sizeof(cmd), "timeout 60 nc -d 127.0.0.1 %d", port);
	if ((nc = popen(cmd, "r")) == NULL)
		FAIL("popen nc");
	while ((n = fread(buf, 1, sizeof(buf), nc)) > 0) {
		for (i = 0; i < n; i++)
			if (buf[i] != pat(off + i))
				FAIL("byte %ju differs", (uintmax_t)(off + i));
		off += n;
	}
	(void)pclose(nc);
	pthread_join(t, NULL);
	if (b.error != 0)
		FAIL("kernel server: %s", strerror(b.error));
	if (off != BULK_BYTES)
		FAIL("nc got %ju bytes of %d", (uintmax_t)off, BULK_BYTES);
	rump_sys_close(b.ls);
	return 0;
}

/* A kernel client reaches the host's 127.0.0.1 at the router address. */
static int
outbound(void)
{
	struct sockaddr_in sin = sin_make("127.0.0.1", 0);
	socklen_t len = sizeof(sin);
	char buf[64];
	ssize_t n;
	int hs, s, ks;

	if ((hs = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(hs, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(hs, (struct sockaddr *)&sin, &len) == -1 ||
	    listen(hs, 5) == -1)
		FAIL("host listener: %s", strerror(errno));
	if (slirp_kernel("") != 0)
		return 1;
	sin = sin_make("10.0.2.2", ntohs(sin.sin_port));
	if ((ks = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    rump_sys_connect(ks, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		FAIL("kernel connect: %s", strerror(errno));
	if (rump_sys_write(ks, "out of the kernel", 17) != 17)
		FAIL("kernel write: %s", strerror(errno));
	rump_sys_close(ks);
	if ((s = accept(hs, NULL, NULL)) == -1)
		FAIL("host accept: %s", strerror(errno));
	memset(buf, 0, sizeof(buf));
	for (len = 0; len < sizeof(buf) - 1; len += (socklen_t)n)
		if ((n = read(s, buf + len, sizeof(buf) - 1 - len)) <= 0)
			break;
	if (strcmp(buf, "out of the kernel") != 0)
		FAIL("the host got \"%s\"", buf);
	close(s);
	close(hs);
	return 0;
}

/* Options slirpif must refuse, and a forward whose port is taken. */
static int
bad_options(void)
{
	static const char *const bad[] = {
		"bogus=1", "net", "net=10.0.2.0/33", "net=10.0.2/24",
		"host=10.0.2.300", "restrict=maybe", "hostfwd=sctp::1-:2",
		"hostfwd=tcp::80", "hostfwd=tcp::0-:80", "hostfwd=tcp::1-:65536",
		"hostfwd=tcp:1.2.3:80-:80", "hostfwd=tcp::80-:x",
		"guest=10.0.2.15,,dns=10.0.2.3", "net=10.0.2.0/28",
		"net=10.9.0.0/24,host=10.0.2.2", "guest=10.0.2.2",
		"dns=10.0.2.255",
	};
	struct sockaddr_in sin = sin_make("127.0.0.1", 0);
	socklen_t len = sizeof(sin);
	char opts[128];
	size_t i;
	int s, unit, error;

	if (rump_init() != 0)
		FAIL("rump_init");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if ((error = rump_pub_slirpif_create(bad[i], &unit)) !=
		    EINVAL)
			FAIL("\"%s\" gave %d", bad[i], error);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(s, (struct sockaddr *)&sin, &len) == -1 ||
	    listen(s, 1) == -1)
		FAIL("host socket: %s", strerror(errno));
	snprintf(opts, sizeof(opts), "hostfwd=tcp:127.0.0.1:%d-:80",
	    ntohs(sin.sin_port));
	if ((error = rump_pub_slirpif_create(opts, &unit)) != EADDRINUSE)
		FAIL("a taken port gave %d", error);
	close(s);
	/* The failures left no unit behind. */
	if ((error = rump_pub_slirpif_create("net=192.168.7.0/24,"
	    "host=192.168.7.1,dns=192.168.7.53,guest=192.168.7.9,"
	    "restrict=on", &unit)) != 0 || unit != 0)
		FAIL("good options gave %d, unit %d", error, unit);
	if ((error = rump_pub_slirpif_create(NULL, &unit)) != 0 || unit != 1)
		FAIL("no options gave %d, unit %d", error, unit);
	if (rump_pub_netconfig_ifdestroy("slirpif0") != 0 ||
	    rump_pub_netconfig_ifdestroy("slirpif1") != 0)
		FAIL("ifdestroy");
	return 0;
}

/* Run fn in a child, as nobody if we are root. */
static void
unprivileged(int (*fn)(void))
{
	pid_t pid;
	int status;

	fflush(stdout);
	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		if (geteuid() == 0 && (setgroups(0, NULL) == -1 ||
		    setgid(NOBODY) == -1 || setuid(NOBODY) == -1)) {
			printf("cannot become nobody: %s\n", strerror(errno));
			_exit(1);
		}
		if (geteuid() == 0) {
			printf("still root\n");
			_exit(1);
		}
		_exit(fn());
	}
	ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	ATF_REQUIRE(WIFEXITED(status));
	ATF_REQUIRE_EQ_MSG(WEXITSTATUS(status), 0, "see the output");
}

#define SLIRP_TC(name, timeout)						\
	ATF_TC(name);							\
	ATF_TC_HEAD(name, tc)						\
	{								\
		atf_tc_set_md_var(tc, "timeout", timeout);		\
	}								\
	ATF_TC_BODY(name, tc)						\
	{								\
		unprivileged(name);					\
	}

SLIRP_TC(fwd_echo, "60")
SLIRP_TC(fwd_bulk, "120")
SLIRP_TC(outbound, "60")
SLIRP_TC(bad_options, "60")

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, fwd_echo);
	ATF_TP_ADD_TC(tp, fwd_bulk);
	ATF_TP_ADD_TC(tp, outbound);
	ATF_TP_ADD_TC(tp, bad_options);
	return atf_no_error();
}
