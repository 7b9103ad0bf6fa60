/*
 * Hostile frames (tests): seeded random, damaged and truncated
 * Ethernet, ARP, IPv4, ICMP, UDP and TCP frames, with right and wrong
 * checksums and overlapping fragments, fed to a shmif interface as if
 * received (kernspace/ks_fuzz.c).  The stack must not crash, and must
 * keep serving the TCP connection it had before.  Under valgrind this
 * also proves it neither leaks nor touches freed memory.  The seeds
 * are printed; NET_FUZZ_SEED runs one of them again.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/valgrind.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_net.h>
#include <rump/rump_shmif.h>
#include <rump/rump_syscalls.h>

#include "kernspace.h"
#include "netutil.h"

const char *rumpns_ks_net_fuzz(const char *, uint32_t, int, int);

ATF_TC(frames);
ATF_TC_HEAD(frames, tc)
{

	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(frames, tc)
{
	struct sockaddr_in sin = sin_make("10.0.0.1", 80);
	uint32_t seeds[] = { 1, 2, 3, 0xdecaf, 4000000007u }, one;
	const char *err, *env;
	char buf[16];
	int unit, ls, cs, as, count, i, n;

	count = RUNNING_ON_VALGRIND ? 20000 : 200000;
	if ((env = getenv("NET_FUZZ_SEED")) != NULL) {
		seeds[0] = (uint32_t)strtoul(env, NULL, 0);
		n = 1;
	} else
		n = (int)(sizeof(seeds) / sizeof(seeds[0]));

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_shmif_create("bus", &unit), 0);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr("shmif0", "10.0.0.1",
	    "255.255.255.0"), 0);
	ATF_REQUIRE_EQ(rump_pub_netconfig_ifup("shmif0"), 0);

	/* A listener the fuzzed SYNs reach, and a live connection to it. */
	ATF_REQUIRE((ls = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) != -1);
	ATF_REQUIRE_EQ(rump_sys_bind(ls, (struct sockaddr *)&sin,
	    sizeof(sin)), 0);
	ATF_REQUIRE_EQ(rump_sys_listen(ls, 16), 0);
	ATF_REQUIRE((cs = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) != -1);
	ATF_REQUIRE_EQ(rump_sys_connect(cs, (struct sockaddr *)&sin,
	    sizeof(sin)), 0);
	ATF_REQUIRE((as = rump_sys_accept(ls, NULL, NULL)) != -1);

	for (i = 0; i < n; i++) {
		printf("seed %#x, %d frames\n", seeds[i], count);
		err = KCALL(rumpns_ks_net_fuzz("shmif0", seeds[i], count, 80));
		ATF_REQUIRE_MSG(err == NULL, "seed %#x: %s", seeds[i], err);
		/* The old connection still carries data both ways. */
		one = seeds[i];
		ATF_REQUIRE_EQ(rump_sys_write(cs, &one, sizeof(one)),
		    sizeof(one));
		ATF_REQUIRE_EQ(rump_sys_read(as, buf, sizeof(buf)),
		    sizeof(one));
		ATF_REQUIRE(memcmp(buf, &one, sizeof(one)) == 0);
		ATF_REQUIRE_EQ(rump_sys_write(as, "ok", 2), 2);
		ATF_REQUIRE_EQ(rump_sys_read(cs, buf, sizeof(buf)), 2);
	}
	rump_sys_close(as);
	rump_sys_close(cs);
	rump_sys_close(ls);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, frames);
	return atf_no_error();
}
