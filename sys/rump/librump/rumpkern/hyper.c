/*
 * Machine-dependent odds and ends on top of hypercalls (rump glue):
 * clocks, the console, panics, and copying to and from the program
 * that called the kernel: its memory is the kernel's (same process),
 * unless the process is a remote client's (sp.c).
 */

#include <sys/types.h>
#include <sys/cprng.h>
#include <sys/errno.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <rump/rumpuser.h>
#include <rump-sys/kern.h>

void	cons_write(const char *, size_t);
void	cpu_panic(void) __dead;

void
nanotime(struct timespec *ts)
{
	int64_t sec;
	long nsec;

	if (rumpuser_clock_gettime(RUMPUSER_CLOCK_RELWALL, &sec, &nsec) != 0)
		panic("host wall clock unreadable");
	ts->tv_sec = sec;
	ts->tv_nsec = nsec;
}

void
nanouptime(struct timespec *ts)
{
	int64_t sec;
	long nsec;

	if (rumpuser_clock_gettime(RUMPUSER_CLOCK_ABSMONO, &sec, &nsec) != 0)
		panic("host monotonic clock unreadable");
	ts->tv_sec = sec;
	ts->tv_nsec = nsec;
}

int64_t
getnsuptime(void)
{
	struct timespec ts;

	nanouptime(&ts);
	return timespec2ns(&ts);
}

void
cons_write(const char *buf, size_t len)
{

	rumpuser_cons_write(buf, len);
}

void
cpu_panic(void)
{

	rumpuser_exit(RUMPUSER_PANIC);
}

bool
user_memory_local(void)
{

	return curproc->p_vmspace == NULL;
}

int
copyin(const void *uaddr, void *kaddr, size_t len)
{

	if (len == 0)
		return 0;
	if (__predict_false(curproc->p_vmspace != NULL))
		return rump_sp_copyin(uaddr, kaddr, len);
	if (uaddr == NULL)
		return EFAULT;
	memcpy(kaddr, uaddr, len);
	return 0;
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{

	if (len == 0)
		return 0;
	if (__predict_false(curproc->p_vmspace != NULL))
		return rump_sp_copyout(kaddr, uaddr, len);
	if (uaddr == NULL)
		return EFAULT;
	memcpy(uaddr, kaddr, len);
	return 0;
}

int
copyinstr(const void *uaddr, void *kaddr, size_t len, size_t *done)
{
	size_t n;

	if (__predict_false(curproc->p_vmspace != NULL))
		return rump_sp_copyinstr(uaddr, kaddr, len, done);
	if (uaddr == NULL)
		return EFAULT;
	n = strnlen(uaddr, len);
	if (n == len)
		return ENAMETOOLONG;
	memcpy(kaddr, uaddr, n + 1);
	if (done != NULL)
		*done = n + 1;
	return 0;
}

void
cprng_bytes(void *buf, size_t len)
{
	char *p = buf;
	size_t got;
	int error;

	while (len > 0) {
		if ((error = rumpuser_getrandom(p, len, 0, &got)) != 0)
			panic("cprng_bytes: no host randomness: %d", error);
		p += got;
		len -= got;
	}
}

uint32_t
cprng32(void)
{
	uint32_t v;

	cprng_bytes(&v, sizeof(v));
	return v;
}
