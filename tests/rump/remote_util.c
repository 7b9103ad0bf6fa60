/*
 * Starting and stopping rump_server for the remote system call tests
 * (host side); see remote_util.h.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include "remote_util.h"

#define MAXARGS		32
/* How long a server may take to start (valgrind is slow). */
#define START_SECS	120

const char *
tool_path(const char *name)
{
	static char path[1024];
	const char *dir = getenv("RUMP_TEST_BIN");

	snprintf(path, sizeof(path), "%s/%s", dir != NULL ? dir : RUMPBIN,
	    name);
	return path;
}

int
server_connect(const char *url)
{
	struct sockaddr_un sun;
	struct sockaddr_in sin;
	char addr[64];
	const char *colon;
	int fd;

	if (strncmp(url, "unix://", 7) == 0) {
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", url + 7);
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
			return -1;
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
			return fd;
	} else {
		colon = strrchr(url + 6, ':');
		ATF_REQUIRE(colon != NULL);
		snprintf(addr, sizeof(addr), "%.*s", (int)(colon - url - 6),
		    url + 6);
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)atoi(colon + 1));
		ATF_REQUIRE(inet_pton(AF_INET, addr, &sin.sin_addr) == 1);
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
			return -1;
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0)
			return fd;
	}
	close(fd);
	return -1;
}

pid_t
server_start(const char *url, ...)
{
	const char *argv[MAXARGS];
	int argc = 0, fd, status, i;
	const char *a;
	va_list ap;
	pid_t pid;

	argv[argc++] = "rump_server";
	argv[argc++] = "-s";
	va_start(ap, url);
	while ((a = va_arg(ap, const char *)) != NULL && argc < MAXARGS - 2)
		argv[argc++] = a;
	va_end(ap);
	argv[argc++] = url;
	argv[argc] = NULL;
	if (getenv("RUMP_TEST_VGDIR") != NULL)
		(void)mkdir(getenv("RUMP_TEST_VGDIR"), 0777);

	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		execv(tool_path("rump_server"), (char *const *)argv);
		_exit(127);
	}
	for (i = 0; i < START_SECS * 50; i++) {
		if ((fd = server_connect(url)) != -1) {
			close(fd);
			return pid;
		}
		if (waitpid(pid, &status, WNOHANG) == pid)
			atf_tc_fail("rump_server exited while starting: "
			    "status %#x", status);
		usleep(20000);
	}
	kill(pid, SIGKILL);
	atf_tc_fail("rump_server did not listen at %s", url);
}

int
server_wait(pid_t pid)
{
	int status;

	ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

void
server_stop(pid_t pid)
{

	ATF_REQUIRE_EQ(kill(pid, SIGTERM), 0);
	ATF_REQUIRE_EQ_MSG(server_wait(pid), 0, "rump_server's exit status");
	server_check_vg();
}

void
server_check_vg(void)
{
	const char *dir = getenv("RUMP_TEST_VGDIR");
	char path[1024], line[256];
	struct dirent *de;
	DIR *d;
	FILE *f;

	if (dir == NULL || (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "vg.", 3) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		while (fgets(line, sizeof(line), f) != NULL) {
			/* Anything but valgrind's empty "==PID==" lines. */
			size_t n = strncmp(line, "==", 2) == 0 ?
			    2 + strspn(line + 2, "0123456789") : 0;

			if (n == 0 || strncmp(line + n, "==", 2) != 0 ||
			    line[n + 2 + strspn(line + n + 2, " \n")] != '\0') {
				fclose(f);
				closedir(d);
				atf_tc_fail("memcheck report in %s: %s", path,
				    line);
			}
		}
		fclose(f);
	}
	closedir(d);
}
