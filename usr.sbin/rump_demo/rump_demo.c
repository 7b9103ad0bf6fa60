/*
 * rump_demo: boot a rump kernel inside this ordinary process and show it
 * working: its own processes, credentials and clock, errors that arrive
 * as the host's errno values, and its file systems: tmpfs, and a host
 * file brought in with etfs.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_mount.h>
#include <rump/rump_syscalls.h>

/*
 * Files: a tmpfs on /tmp, a file written and read back, an error, and
 * this program's own binary seen through etfs.  Returns 0 or 1.
 */
static int
demo_files(const char *self)
{
	struct stat sb;
	char buf[64];
	ssize_t n;
	int fd, error;

	if (rump_sys_mkdir("/tmp", 01777) == -1 ||
	    rump_sys_mount("tmpfs", "/tmp", 0, NULL, 0) == -1) {
		fprintf(stderr, "rump_demo: mount tmpfs: %s\n",
		    strerror(errno));
		return 1;
	}
	if ((fd = rump_sys_open("/tmp/greeting", O_RDWR | O_CREAT | O_EXCL,
	    0644)) == -1 || rump_sys_write(fd, "hello from tmpfs", 16) != 16 ||
	    (n = rump_sys_pread(fd, buf, sizeof(buf), 0)) == -1) {
		fprintf(stderr, "rump_demo: /tmp/greeting: %s\n",
		    strerror(errno));
		return 1;
	}
	rump_sys_close(fd);
	printf("tmpfs on /tmp: wrote and read back \"%.*s\"\n", (int)n, buf);
	if (rump_sys_open("/tmp/greeting", O_CREAT | O_EXCL, 0644) == -1)
		printf("creating it again: %s\n", strerror(errno));

	if ((error = rump_pub_etfs_register("/host/rump_demo", self,
	    RUMP_ETFS_REG)) != 0) {
		fprintf(stderr, "rump_demo: etfs %s: %s\n", self,
		    strerror(error));
		return 1;
	}
	if ((fd = rump_sys_open("/host/rump_demo", O_RDONLY)) == -1 ||
	    rump_sys_fstat(fd, &sb) == -1 ||
	    rump_sys_read(fd, buf, 4) != 4) {
		fprintf(stderr, "rump_demo: /host/rump_demo: %s\n",
		    strerror(errno));
		return 1;
	}
	rump_sys_close(fd);
	printf("etfs: this program is /host/rump_demo in the kernel, %lld "
	    "bytes, starting \"\\x%02x%.3s\"\n", (long long)sb.st_size,
	    (unsigned char)buf[0], buf + 1);
	return 0;
}

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

	setvbuf(stdout, NULL, _IOLBF, 0);	/* in step with the console */
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
	printf("child exited\n");
	if (demo_files("/proc/self/exe") != 0)
		return 1;
	printf("halting the kernel (file systems synced and unmounted)\n");
	if (rump_sys_reboot(RUMP_RB_HALT, NULL) == -1) {
		fprintf(stderr, "rump_demo: reboot: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
