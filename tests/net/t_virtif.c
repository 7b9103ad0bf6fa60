/*
 * The host's own TCP/IP stack as the peer (tests): in a network
 * namespace of its own, a rump kernel attaches to a tap device; the
 * host's side of the tap gets 10.7.0.1, the kernel 10.7.0.2.  The
 * host's ping reaches the kernel, the host's curl fetches a page from a
 * TCP server in the kernel, and a kernel client talks to the host's nc.
 * Skipped, with the reason, where namespaces or tap devices are not to
 * be had (no root, no /dev/net/tun) or a host tool is missing.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_net.h>
#include <rump/rump_syscalls.h>
#include <rump/rump_virtif.h>

#include "netutil.h"

#define SKIP	77

/* In the child, in its own namespace; the exit code says how it went. */
static int
host_peer(void)
{
	struct sockaddr_in sin = sin_make("10.7.0.2", 80);
	char buf[512];
	FILE *curl, *nc;
	ssize_t n;
	int unit, ls, s, error;

	if (unshare(CLONE_NEWNET) == -1) {
		printf("skip: no network namespace: %s\n", strerror(errno));
		return SKIP;
	}
	if (system("command -v ip && command -v ping && command -v curl && "
	    "command -v nc") != 0) {
		printf("skip: ip, ping, curl or nc is missing\n");
		return SKIP;
	}
	if (rump_init() != 0)
		return 1;
	if ((error = rump_pub_virtif_create("rumptap0", &unit)) != 0) {
		printf("skip: no tap device: %s\n", strerror(error));
		return SKIP;
	}
	if (system("ip link set lo up && ip addr add 10.7.0.1/24 dev rumptap0"
	    " && ip link set rumptap0 up") != 0 ||
	    rump_pub_netconfig_ipv4_ifaddr("virtif0", "10.7.0.2",
	    "255.255.255.0") != 0 || rump_pub_netconfig_ifup("virtif0") != 0) {
		printf("cannot configure the link\n");
		return 1;
	}

	/* The host's ping. */
	if (system("ping -c 2 -W 5 10.7.0.2") != 0) {
		printf("the host's ping got no answer\n");
		return 1;
	}

	/* The host's curl against a server in the kernel. */
	if ((ls = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    rump_sys_bind(ls, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    rump_sys_listen(ls, 5) == -1)
		return 1;
	if ((curl = popen("curl -s -m 10 http://10.7.0.2/", "r")) == NULL)
		return 1;
	if ((s = rump_sys_accept(ls, NULL, NULL)) == -1)
		return 1;
	n = rump_sys_read(s, buf, sizeof(buf) - 1);
	if (n <= 0 || strncmp(buf, "GET / HTTP/1.1", 14) != 0) {
		printf("no HTTP request came\n");
		return 1;
	}
	(void)rump_sys_write(s, "HTTP/1.0 200 OK\r\nContent-Length: 13\r\n\r\n"
	    "hello, host!\n", 52);
	rump_sys_close(s);
	memset(buf, 0, sizeof(buf));
	n = (ssize_t)fread(buf, 1, sizeof(buf) - 1, curl);
	if (pclose(curl) != 0 || strcmp(buf, "hello, host!\n") != 0) {
		printf("curl got \"%s\"\n", buf);
		return 1;
	}
	rump_sys_close(ls);

	/* A kernel client, and the host's nc listening. */
	if ((nc = popen("timeout 20 nc -l 10.7.0.1 5555", "r")) == NULL)
		return 1;
	sin = sin_make("10.7.0.1", 5555);
	for (error = -1, n = 0; error == -1 && n < 50; n++) {
		if ((s = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) == -1)
			return 1;
		if ((error = rump_sys_connect(s, (struct sockaddr *)&sin,
		    sizeof(sin))) == -1) {
			rump_sys_close(s);
			usleep(100000);	/* nc is not listening yet */
		}
	}
	if (error == -1) {
		printf("connect to the host's nc: %s\n", strerror(errno));
		return 1;
	}
	(void)rump_sys_write(s, "from the kernel\n", 16);
	rump_sys_close(s);
	memset(buf, 0, sizeof(buf));
	n = (ssize_t)fread(buf, 1, sizeof(buf) - 1, nc);
	(void)pclose(nc);
	if (strcmp(buf, "from the kernel\n") != 0) {
		printf("nc got \"%s\"\n", buf);
		return 1;
	}
	return 0;
}

ATF_TC(host_peer);
ATF_TC_HEAD(host_peer, tc)
{

	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(host_peer, tc)
{
	pid_t pid;
	int status;

	if (geteuid() != 0)
		atf_tc_skip("a network namespace and a tap device need root");
	fflush(stdout);
	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0)
		_exit(host_peer());
	ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	ATF_REQUIRE(WIFEXITED(status));
	if (WEXITSTATUS(status) == SKIP)
		atf_tc_skip("no network namespace or tap device here "
		    "(see the output)");
	ATF_REQUIRE_EQ_MSG(WEXITSTATUS(status), 0, "see the output");
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, host_peer);
	return atf_no_error();
}
