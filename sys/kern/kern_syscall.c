/*
 * System call dispatch (kernel): look the call up in the generated
 * table and run it as lwp l.
 */

#include <sys/types.h>
#include <sys/errno.h>
#include <sys/lwp.h>
#include <sys/sysent.h>
#include <sys/systm.h>

int
syscall_dispatch(struct lwp *l, int num, const void *args, size_t argsize,
    register_t *retval)
{
	const struct sysent *sy;

	if (num < 0 || num >= nsysent)
		return ENOSYS;
	sy = &sysent[num];
	if (sy->sy_call == NULL)
		return ENOSYS;
	if (argsize < sy->sy_narg * sizeof(register_t))
		return EINVAL;
	lwp_update_creds(l);
	return sy->sy_call(l, args, retval);
}

void
syscall_install(const struct sysent_install *si)
{

	for (; si->si_num != -1; si++) {
		KASSERT(si->si_num >= 0 && si->si_num < nsysent);
		KASSERT(sysent[si->si_num].sy_call == NULL);
		sysent[si->si_num].sy_call = si->si_call;
	}
}
