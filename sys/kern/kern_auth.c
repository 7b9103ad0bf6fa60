/*
 * Credentials (kernel).  A credential is reference counted and, once
 * shared, read-only; code that changes one works on a private copy.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/atomic.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/pool.h>
#include <sys/systm.h>

struct kauth_cred {
	u_int	cr_refcnt;
	uid_t	cr_uid, cr_euid, cr_svuid;
	gid_t	cr_gid, cr_egid, cr_svgid;
	u_int	cr_ngroups;
	gid_t	cr_groups[NGROUPS_MAX];
};

static struct pool cred_pool;

void
kauth_init(void)
{

	pool_init(&cred_pool, sizeof(struct kauth_cred), 0, "kcredpl");
}

kauth_cred_t
kauth_cred_alloc(void)
{
	kauth_cred_t cred;

	cred = pool_get(&cred_pool, PR_WAITOK | PR_ZERO);
	cred->cr_refcnt = 1;
	return cred;
}

kauth_cred_t
kauth_cred_dup(kauth_cred_t src)
{
	kauth_cred_t cred;

	cred = pool_get(&cred_pool, PR_WAITOK);
	*cred = *src;
	cred->cr_refcnt = 1;
	return cred;
}

void
kauth_cred_hold(kauth_cred_t cred)
{

	KASSERT(atomic_load_relaxed(&cred->cr_refcnt) > 0);
	atomic_inc_uint(&cred->cr_refcnt);
}

void
kauth_cred_free(kauth_cred_t cred)
{

	KASSERT(atomic_load_relaxed(&cred->cr_refcnt) > 0);
	if (atomic_dec_uint_nv(&cred->cr_refcnt) == 0)
		pool_put(&cred_pool, cred);
}

#define CRED_ACCESSORS(field, type, get, set)				\
type									\
get(kauth_cred_t cred)							\
{									\
	return cred->field;						\
}									\
void									\
set(kauth_cred_t cred, type v)						\
{									\
	KASSERT(atomic_load_relaxed(&cred->cr_refcnt) == 1);		\
	cred->field = v;						\
}

CRED_ACCESSORS(cr_uid, uid_t, kauth_cred_getuid, kauth_cred_setuid)
CRED_ACCESSORS(cr_euid, uid_t, kauth_cred_geteuid, kauth_cred_seteuid)
CRED_ACCESSORS(cr_svuid, uid_t, kauth_cred_getsvuid, kauth_cred_setsvuid)
CRED_ACCESSORS(cr_gid, gid_t, kauth_cred_getgid, kauth_cred_setgid)
CRED_ACCESSORS(cr_egid, gid_t, kauth_cred_getegid, kauth_cred_setegid)
CRED_ACCESSORS(cr_svgid, gid_t, kauth_cred_getsvgid, kauth_cred_setsvgid)

u_int
kauth_cred_ngroups(kauth_cred_t cred)
{

	return cred->cr_ngroups;
}

gid_t
kauth_cred_group(kauth_cred_t cred, u_int idx)
{

	KASSERT(idx < cred->cr_ngroups);
	return cred->cr_groups[idx];
}

int
kauth_cred_setgroups(kauth_cred_t cred, const gid_t *gids, u_int n)
{

	KASSERT(atomic_load_relaxed(&cred->cr_refcnt) == 1);
	if (n > NGROUPS_MAX)
		return EINVAL;
	memcpy(cred->cr_groups, gids, n * sizeof(gid_t));
	cred->cr_ngroups = n;
	return 0;
}

bool
kauth_cred_groupmember(kauth_cred_t cred, gid_t gid)
{
	u_int i;

	if (cred->cr_egid == gid)
		return true;
	for (i = 0; i < cred->cr_ngroups; i++)
		if (cred->cr_groups[i] == gid)
			return true;
	return false;
}

bool
kauth_cred_issuser(kauth_cred_t cred)
{

	return cred->cr_euid == 0;
}
