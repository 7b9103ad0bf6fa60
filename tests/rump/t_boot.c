/*
 * Booting the base kernel with no components: banner, repeated
 * rump_init(), calls before boot, and halting with reboot.
 */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_syscalls.h>

ATF_TC_WITHOUT_HEAD(boot_plain);
ATF_TC_BODY(boot_plain, tc)
{

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_getpid(), 1);
	ATF_REQUIRE_EQ(rump_sys_getppid(), 0);
	/* A second call while running is harmless. */
	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_getpid(), 1);
}

ATF_TC_WITHOUT_HEAD(call_before_boot);
ATF_TC_BODY(call_before_boot, tc)
{

	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_getpid(), -1);
	ATF_REQUIRE_EQ(errno, ENXIO);
}

/* RUMP_VERBOSE=1 prints a banner naming the CPUs. */
ATF_TC_WITHOUT_HEAD(banner);
ATF_TC_BODY(banner, tc)
{
	char buf[4096];
	int fds[2], status;
	ssize_t n;
	size_t len = 0;
	pid_t pid;

	ATF_REQUIRE_EQ(pipe(fds), 0);
	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		dup2(fds[1], 2);
		setenv("RUMP_VERBOSE", "1", 1);
		setenv("RUMP_NCPU", "3", 1);
		_exit(rump_init() == 0 ? 0 : 1);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	ATF_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	printf("%s", buf);
	ATF_REQUIRE_MSG(strstr(buf, "3 virtual CPUs") != NULL,
	    "no banner in: %s", buf);
	ATF_REQUIRE(strstr(buf, "booted in") != NULL);
}

/* RB_HALT: the kernel stops, the process goes on, calls fail. */
ATF_TC_WITHOUT_HEAD(reboot_halt);
ATF_TC_BODY(reboot_halt, tc)
{

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_reboot(RUMP_RB_HALT, NULL), 0);
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_getpid(), -1);
	ATF_REQUIRE_EQ(errno, ENXIO);
	ATF_REQUIRE_EQ(rump_init(), EBUSY);
}

/* Without RB_HALT the hosting process exits with status 0. */
ATF_TC_WITHOUT_HEAD(reboot_exits);
ATF_TC_BODY(reboot_exits, tc)
{
	int status;
	pid_t pid;

	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		if (rump_init() != 0)
			_exit(2);
		rump_sys_reboot(0, NULL);
		_exit(3);
	}
	ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	ATF_REQUIRE(WIFEXITED(status));
	ATF_REQUIRE_EQ(WEXITSTATUS(status), 0);
}

static void *
reboot_halt_thread(void *arg)
{

	*(int *)arg = rump_sys_reboot(RUMP_RB_HALT, NULL) == 0 ? 0 : errno;
	return NULL;
}

/* Racing halts shut the kernel down once; every caller returns. */
ATF_TC_WITHOUT_HEAD(reboot_concurrent);
ATF_TC_BODY(reboot_concurrent, tc)
{
	int rv[4], i;
	pthread_t t[4];

	setenv("RUMP_NCPU", "4", 1);
	ATF_REQUIRE_EQ(rump_init(), 0);
	for (i = 0; i < 4; i++)
		ATF_REQUIRE_EQ(pthread_create(&t[i], NULL, reboot_halt_thread,
		    &rv[i]), 0);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ATF_CHECK_MSG(rv[i] == 0 || rv[i] == ENXIO, "thread %d: %s",
		    i, strerror(rv[i]));
	}
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_getpid(), -1);
	ATF_REQUIRE_EQ(errno, ENXIO);
}

ATF_TC_WITHOUT_HEAD(reboot_needs_root);
ATF_TC_BODY(reboot_needs_root, tc)
{

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_setuid(1000), 0);
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_reboot(RUMP_RB_HALT, NULL), -1);
	ATF_REQUIRE_EQ(errno, EPERM);
	ATF_REQUIRE_EQ(rump_sys_getpid(), 1);
}

ATF_TC_WITHOUT_HEAD(bad_params);
ATF_TC_BODY(bad_params, tc)
{

	setenv("RUMP_NCPU", "lots", 1);
	setenv("RUMP_MEMLIMIT", "-5", 1);
	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_getpid(), 1);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, boot_plain);
	ATF_TP_ADD_TC(tp, call_before_boot);
	ATF_TP_ADD_TC(tp, banner);
	ATF_TP_ADD_TC(tp, reboot_halt);
	ATF_TP_ADD_TC(tp, reboot_exits);
	ATF_TP_ADD_TC(tp, reboot_concurrent);
	ATF_TP_ADD_TC(tp, reboot_needs_root);
	ATF_TP_ADD_TC(tp, bad_params);
	return atf_no_error();
}
