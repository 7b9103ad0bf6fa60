/*
 * Starting and stopping rump_server for the remote system call tests
 * (host side).  The tools come from RUMP_TEST_BIN when set (the
 * valgrind run's wrappers, which leave memcheck reports in
 * RUMP_TEST_VGDIR), else from rump/bin.
 */
#ifndef _TESTS_RUMP_REMOTE_UTIL_H_
#define _TESTS_RUMP_REMOTE_UTIL_H_

#include <sys/types.h>

/*
 * Run rump_server -s with the NULL-terminated options and url; returns
 * once a client can connect (the test fails if it never can).
 */
pid_t	server_start(const char *url, ...);
/* SIGTERM the server and check that it exits with status 0. */
void	server_stop(pid_t);
/* Wait for the server to exit by itself: its exit status. */
int	server_wait(pid_t);
/* Fail the test if a tool left a memcheck report. */
void	server_check_vg(void);
/* Connect a raw socket to url (-1 if it cannot). */
int	server_connect(const char *url);
/* The path of tool `name'. */
const char *tool_path(const char *name);

#endif /* !_TESTS_RUMP_REMOTE_UTIL_H_ */
