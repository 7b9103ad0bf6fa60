/*
 * rump_demo: boot a rump kernel inside this ordinary process and show it
 * working: its own processes, credentials and clock, and errors that
 * arrive as the host's errno values.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

static void
usage(FILE *f)
{

	fprintf(f, "usage: rump_demo [-hq]\n"
	    "  Boot a rump kernel in this process and make a few system\n"
	    "  calls to it.\n"
	    "  -q  quiet: no kernel boot banner\n"
	    "  -h  this text\n");
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1, ts;
	pid_t child;
	int ch, error;

	setenv("RUMP_VERBOSE", "1", 0);
	while ((ch = getopt(argc, argv, "hq")) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return 0;
		case 'q':
			setenv("RUMP_VERBOSE", "0", 1);
			break;
		default:
			usage(stderr);
			return 2;
		}
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((error = rump_init()) != 0) {
		fprintf(stderr, "rump_demo: rump_init: %s\n", strerror(error));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("booted a rump kernel in %ld us (host pid %d)\n",
	    (long)((t1.tv_sec - t0.tv_sec) * 1000000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000), (int)getpid());
	printf("inside the kernel: pid %d, uid %d\n", (int)rump_sys_getpid(),
	    (int)rump_sys_getuid());

	/* A second kernel process, which gives up root. */
	if ((error = rump_pub_lwproc_rfork(RUMP_RFCFDG)) != 0) {
		fprintf(stderr, "rump_demo: rfork: %s\n", strerror(error));
		return 1;
	}
	child = rump_sys_getpid();
	rump_sys_setuid(1000);
	printf("child process: pid %d, parent %d, uid %d\n", (int)child,
	    (int)rump_sys_getppid(), (int)rump_sys_getuid());
	if (rump_sys_setuid(0) == -1)
		printf("child tries setuid(0): %s (errno %d, the host's "
		    "EPERM is %d)\n", strerror(errno), errno, EPERM);

	rump_sys_clock_gettime(CLOCK_REALTIME, &ts);
	printf("kernel clock: %s", ctime(&ts.tv_sec));

	rump_pub_lwproc_releaselwp();
	printf("child exited; halting the kernel\n");
	if (rump_sys_reboot(RUMP_RB_HALT, NULL) == -1) {
		fprintf(stderr, "rump_demo: reboot: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
