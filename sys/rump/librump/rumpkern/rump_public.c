/*
 * The public rump_*() and rump_pub_*() calls that return errors (host
 * side of librump): enter the kernel, call its half, and translate the
 * kernel's errno to the host's.
 */

#include <stdint.h>
#include <sys/types.h>

#include <rump/rump.h>

#include "rumpuser_abi.h"

/* The kernel's halves (rump glue, rump-sys/kern.h). */
int	rump_boot(void);
int	rump_lwproc_rfork(int);
int	rump_lwproc_newlwp(pid_t);
void	rump_lwproc_switch(struct lwp *);
void	rump_lwproc_releaselwp(void);
struct lwp *rump_lwproc_curlwp(void);
int	rump_sp_init(const char *);

int
rump_init(void)
{

	return rumpuser_abi_errno_tohost(rump_boot());
}

int
rump_init_server(const char *url)
{

	return rumpuser_abi_errno_tohost(rump_sp_init(url));
}

int
rump_pub_lwproc_rfork(int flags)
{
	int error;

	rump_schedule();
	error = rump_lwproc_rfork(flags);
	rump_unschedule();
	return rumpuser_abi_errno_tohost(error);
}

int
rump_pub_lwproc_newlwp(pid_t pid)
{
	int error;

	rump_schedule();
	error = rump_lwproc_newlwp(pid);
	rump_unschedule();
	return rumpuser_abi_errno_tohost(error);
}

void
rump_pub_lwproc_switch(struct lwp *l)
{

	rump_schedule();
	rump_lwproc_switch(l);
	rump_unschedule();
}

void
rump_pub_lwproc_releaselwp(void)
{

	rump_schedule();
	rump_lwproc_releaselwp();
	rump_unschedule();
}

struct lwp *
rump_pub_lwproc_curlwp(void)
{

	return rump_lwproc_curlwp();
}
