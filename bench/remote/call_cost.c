/*
 * call_cost: the time of one rump_sys_getpid(), the median of 3 runs
 * of N calls, printed in nanoseconds.  Built twice: with the kernel
 * libraries (a local call) and with librumpclient (a call to the
 * rump_server RUMP_SERVER names).  "call_cost host" times the host's
 * own getpid system call instead.
 */

#include <sys/syscall.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "../common/bench.h"

#define N	100000
#define NREP	3

int
main(int argc, char **argv)
{
	bool host = argc > 1 && strcmp(argv[1], "host") == 0;
	double ns[NREP];
	int64_t t0;
	int r, i;

	if (!host && rump_init() != 0) {
		fprintf(stderr, "call_cost: rump_init: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < N / 10; i++)
		host ? (void)syscall(SYS_getpid) : (void)rump_sys_getpid();
	for (r = 0; r < NREP; r++) {
		t0 = bench_now();
		for (i = 0; i < N; i++) {
			if (host)
				(void)syscall(SYS_getpid);
			else if (rump_sys_getpid() == -1) {
				fprintf(stderr, "call_cost: getpid: %s\n",
				    strerror(errno));
				return 1;
			}
		}
		ns[r] = (double)(bench_now() - t0) / N;
	}
	printf("%.1f\n", bench_median(ns, NREP));
	return 0;
}
