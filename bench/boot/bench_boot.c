/*
 * bench_boot: how fast a rump kernel boots and how much a system call
 * costs, against the host in the same run.
 *
 *  - rump_init() of the base kernel, median over 50 fresh processes
 *    (each a new exec of this program), against the 1 ms target;
 *  - rump_sys_getpid() per call, against the host's syscall(SYS_getpid),
 *    from a thread with a bound lwp and from one without.
 */

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "../common/bench.h"

#define NBOOT	50
#define NCALLS	2000000

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Child mode: boot once, print the nanoseconds rump_init() took. */
static int
boot_once(void)
{
	int64_t t0, t1;

	t0 = bench_now();
	if (rump_init() != 0)
		return 1;
	t1 = bench_now();
	printf("%lld\n", (long long)(t1 - t0));
	return 0;
}

static int64_t
boot_median(const char *self)
{
	int64_t t[NBOOT];
	int i, fds[2], status;
	char buf[64];
	ssize_t n;
	pid_t pid;

	for (i = 0; i < NBOOT; i++) {
		if (pipe(fds) != 0)
			return -1;
		pid = fork();
		if (pid == 0) {
			dup2(fds[1], 1);
			execl(self, self, "--boot-once", (char *)NULL);
			_exit(127);
		}
		close(fds[1]);
		n = read(fds[0], buf, sizeof(buf) - 1);
		close(fds[0]);
		waitpid(pid, &status, 0);
		if (n <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			return -1;
		buf[n] = '\0';
		t[i] = strtoll(buf, NULL, 10);
	}
	qsort(t, NBOOT, sizeof(t[0]), cmp64);
	return t[NBOOT / 2];
}

static double
per_call_host(void)
{
	int64_t t0 = bench_now();
	long i;

	for (i = 0; i < NCALLS; i++)
		(void)syscall(SYS_getpid);
	return (double)(bench_now() - t0) / NCALLS;
}

static double
per_call_rump(void)
{
	int64_t t0 = bench_now();
	long i;

	for (i = 0; i < NCALLS; i++)
		(void)rump_sys_getpid();
	return (double)(bench_now() - t0) / NCALLS;
}

static void *
unbound_thread(void *arg)
{

	*(double *)arg = per_call_rump();
	return NULL;
}

int
main(int argc, char **argv)
{
	double host, rump, rump_unbound;
	pthread_t t;
	int64_t boot;

	if (argc == 2 && strcmp(argv[1], "--boot-once") == 0)
		return boot_once();

	boot = boot_median("/proc/self/exe");
	if (boot < 0) {
		fprintf(stderr, "bench_boot: boot measurement failed\n");
		return 1;
	}
	if (rump_init() != 0) {
		fprintf(stderr, "bench_boot: rump_init failed\n");
		return 1;
	}
	/* Warm up both paths, then measure host, rump, host again. */
	(void)per_call_host();
	(void)per_call_rump();
	host = per_call_host();
	rump = per_call_rump();
	host = (host + per_call_host()) / 2;
	pthread_create(&t, NULL, unbound_thread, &rump_unbound);
	pthread_join(t, NULL);

	printf("%-36s %12s %12s %8s\n", "benchmark", "anykernel", "baseline",
	    "ratio");
	printf("%-36s %9.1f us %9.1f us %7.2fx\n",
	    "rump_init() median, 50 processes", boot / 1000.0, 1000.0,
	    boot / 1e6);
	printf("%-36s %9.1f ns %9.1f ns %7.2fx\n",
	    "getpid() per call, bound lwp", rump, host, rump / host);
	printf("%-36s %9.1f ns %9.1f ns %7.2fx\n",
	    "getpid() per call, unbound thread", rump_unbound, host,
	    rump_unbound / host);
	printf("(boot baseline: the 1 ms target; getpid baseline: the host's "
	    "syscall(SYS_getpid) in this run; ratio < 1 is faster)\n");
	return 0;
}
