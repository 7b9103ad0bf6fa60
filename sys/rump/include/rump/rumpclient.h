/*
 * rumpclient.h: librumpclient, system calls into a rump kernel that
 * runs in another process (a rump_server, or any program that called
 * rump_init_server()).
 *
 * A program linked with -lrumpclient instead of the kernel libraries
 * keeps its source: rump_init() connects to the server named by the
 * environment variable RUMP_SERVER ("unix://PATH" or "tcp://ADDR:PORT")
 * and the rump_sys_*() calls of <rump/rump_syscalls.h> run in a kernel
 * process of its own there, with the host's types and errno as ever.
 * A call made while the server is gone fails at once with ENOTCONN;
 * one in flight when it goes fails with ENOTCONN too.
 *
 * What a local kernel has and a remote one does not: rump_schedule(),
 * rump_pub_lwproc_*(), etfs and the other rump_pub_*() calls (they act
 * on the server's own kernel: use the server's options instead).
 */
#ifndef _RUMP_RUMPCLIENT_H_
#define _RUMP_RUMPCLIENT_H_

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Connect now (rump_init() does this).  Returns 0 or -1 with errno:
 * EINVAL (RUMP_SERVER unset or malformed), ECONNREFUSED, ENOENT, ...
 * After a plain fork() the child has no connection; calling this in the
 * child connects it as a new process of its own.
 */
int	rumpclient_init(void);

/*
 * fork() for clients: the child gets its own connection and a kernel
 * process that is a copy of the parent's (the same open files, the same
 * directory).  Returns like fork(); -1 with errno if either the host or
 * the kernel refused.
 */
pid_t	rumpclient_fork(void);

/*
 * execve() for clients: the new program keeps the connection, and with
 * it its kernel process, minus the descriptors marked close-on-exec, if
 * it is a client too (it finds the connection in its environment).
 * Returns only on failure, like execve().
 */
int	rumpclient_exec(const char *path, char *const argv[],
	    char *const envp[]);

/*
 * What to do when the server is gone.  0 (the default): fail the call
 * with ENOTCONN.  N > 0: try to connect again for up to N seconds, then
 * fail; -1: try for ever.  A new connection is a new kernel process:
 * the old descriptors are gone.  Returns 0, or -1 with EINVAL.
 */
int	rumpclient_setconnretry(int seconds);

/* The kernel pid of this client's process, or -1 when not connected. */
pid_t	rumpclient_pid(void);

/*
 * The descriptor of the connection, or -1: programs that close every
 * descriptor (daemons, the hijack library's dup2()) must keep it.
 */
int	rumpclient_fd(void);

#ifdef __cplusplus
}
#endif

#endif /* !_RUMP_RUMPCLIENT_H_ */
