/*
 * The boundary translation module: converts between the host's ABI
 * (errno values, clock ids, structures) and the rump kernel's own.
 * Host-side code: used by librumpuser for hypercall errors, by the
 * generated rump_sys_*() stubs, and by librumpclient.  The kernel-side
 * values and layouts come from the generated "kabi.h".
 */
#ifndef _RUMPUSER_ABI_H_
#define _RUMPUSER_ABI_H_

#include <time.h>

struct kabi_timespec;

/* Kernel errno -> host errno.  Unknown values map to EIO. */
int	rumpuser_abi_errno_tohost(int kerr);
/* Host errno -> kernel errno.  Unknown values map to the kernel's EIO. */
int	rumpuser_abi_errno_tokern(int herr);

/* Host clockid_t -> kernel clock id; returns 0 or the kernel's EINVAL. */
int	rumpuser_abi_clockid_tokern(clockid_t hclk, int *kclkp);

void	rumpuser_abi_timespec_tokern(const struct timespec *, struct kabi_timespec *);
void	rumpuser_abi_timespec_tohost(const struct kabi_timespec *, struct timespec *);

#endif /* !_RUMPUSER_ABI_H_ */
