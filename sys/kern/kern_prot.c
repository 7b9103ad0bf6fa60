/*
 * Process identity system calls (kernel): pids, user and group ids,
 * supplementary groups, the file creation mask, and reboot.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/reboot.h>
#include <sys/syscallargs.h>
#include <sys/systm.h>

int
sys_getpid(struct lwp *l, const void *v, register_t *retval)
{

	retval[0] = l->l_proc->p_pid;
	return 0;
}

int
sys_getppid(struct lwp *l, const void *v, register_t *retval)
{
	struct proc *p = l->l_proc;

	mutex_enter(&proc_lock);
	retval[0] = p->p_pptr->p_pid;
	mutex_exit(&proc_lock);
	return 0;
}

int
sys_getuid(struct lwp *l, const void *v, register_t *retval)
{

	retval[0] = kauth_cred_getuid(l->l_cred);
	return 0;
}

int
sys_geteuid(struct lwp *l, const void *v, register_t *retval)
{

	retval[0] = kauth_cred_geteuid(l->l_cred);
	return 0;
}

int
sys_getgid(struct lwp *l, const void *v, register_t *retval)
{

	retval[0] = kauth_cred_getgid(l->l_cred);
	return 0;
}

int
sys_getegid(struct lwp *l, const void *v, register_t *retval)
{

	retval[0] = kauth_cred_getegid(l->l_cred);
	return 0;
}

/*
 * setuid (POSIX): the superuser sets the real, effective and saved ids;
 * anyone else may set the effective id to the real or the saved one.
 */
int
sys_setuid(struct lwp *l, const struct sys_setuid_args *uap,
    register_t *retval)
{
	uid_t uid = SCARG(uap, uid);
	kauth_cred_t cred = l->l_cred, ncred;

	if (kauth_cred_issuser(cred)) {
		ncred = kauth_cred_dup(cred);
		kauth_cred_setuid(ncred, uid);
		kauth_cred_setsvuid(ncred, uid);
	} else if (uid == kauth_cred_getuid(cred) ||
	    uid == kauth_cred_getsvuid(cred)) {
		ncred = kauth_cred_dup(cred);
	} else
		return EPERM;
	kauth_cred_seteuid(ncred, uid);
	proc_setcred(l->l_proc, ncred);
	return 0;
}

/* setgid: as setuid, for group ids; privilege comes from the euid. */
int
sys_setgid(struct lwp *l, const struct sys_setgid_args *uap,
    register_t *retval)
{
	gid_t gid = SCARG(uap, gid);
	kauth_cred_t cred = l->l_cred, ncred;

	if (kauth_cred_issuser(cred)) {
		ncred = kauth_cred_dup(cred);
		kauth_cred_setgid(ncred, gid);
		kauth_cred_setsvgid(ncred, gid);
	} else if (gid == kauth_cred_getgid(cred) ||
	    gid == kauth_cred_getsvgid(cred)) {
		ncred = kauth_cred_dup(cred);
	} else
		return EPERM;
	kauth_cred_setegid(ncred, gid);
	proc_setcred(l->l_proc, ncred);
	return 0;
}

/*
 * getgroups: with a size of 0 report the count only; a buffer too small
 * for all groups is EINVAL.
 */
int
sys_getgroups(struct lwp *l, const struct sys_getgroups_args *uap,
    register_t *retval)
{
	kauth_cred_t cred = l->l_cred;
	int size = SCARG(uap, gidsetsize);
	gid_t groups[NGROUPS_MAX];
	u_int i, n;
	int error;

	n = kauth_cred_ngroups(cred);
	if (size == 0) {
		retval[0] = n;
		return 0;
	}
	if (size < 0 || (u_int)size < n)
		return EINVAL;
	for (i = 0; i < n; i++)
		groups[i] = kauth_cred_group(cred, i);
	error = copyout(groups, SCARG(uap, gidset), n * sizeof(gid_t));
	if (error != 0)
		return error;
	retval[0] = n;
	return 0;
}

int
sys_setgroups(struct lwp *l, const struct sys_setgroups_args *uap,
    register_t *retval)
{
	int n = SCARG(uap, gidsetsize);
	gid_t groups[NGROUPS_MAX];
	kauth_cred_t ncred;
	int error;

	if (!kauth_cred_issuser(l->l_cred))
		return EPERM;
	if (n < 0 || n > NGROUPS_MAX)
		return EINVAL;
	error = copyin(SCARG(uap, gidset), groups, n * sizeof(gid_t));
	if (error != 0)
		return error;
	ncred = kauth_cred_dup(l->l_cred);
	error = kauth_cred_setgroups(ncred, groups, n);
	KASSERT(error == 0);
	proc_setcred(l->l_proc, ncred);
	return 0;
}

int
sys_umask(struct lwp *l, const struct sys_umask_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;

	mutex_enter(&p->p_lock);
	retval[0] = p->p_umask;
	p->p_umask = SCARG(uap, newmask) & 0777;
	mutex_exit(&p->p_lock);
	return 0;
}

/*
 * reboot: shut the kernel down.  Only the superuser may; the boot
 * string has no meaning to a rump kernel and is ignored.
 */
int
sys_reboot(struct lwp *l, const struct sys_reboot_args *uap,
    register_t *retval)
{
	int howto = SCARG(uap, howto);

	if (!kauth_cred_issuser(l->l_cred))
		return EPERM;
	if ((howto & ~(RB_NOSYNC | RB_HALT | RB_DUMP)) != 0)
		return EINVAL;
	cpu_reboot(howto);
	return 0;
}
