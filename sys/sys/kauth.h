/*
 * Credentials: who a process is (real, effective and saved ids, groups).
 * A credential is shared by reference and never changed once shared:
 * changing one means copying it (kauth_cred_dup) and installing the copy.
 */
#ifndef _SYS_KAUTH_H_
#define _SYS_KAUTH_H_

#include <sys/types.h>

typedef struct kauth_cred *kauth_cred_t;

kauth_cred_t kauth_cred_alloc(void);		/* root, no groups */
kauth_cred_t kauth_cred_dup(kauth_cred_t);
void	kauth_cred_hold(kauth_cred_t);
void	kauth_cred_free(kauth_cred_t);

uid_t	kauth_cred_getuid(kauth_cred_t);
uid_t	kauth_cred_geteuid(kauth_cred_t);
uid_t	kauth_cred_getsvuid(kauth_cred_t);
gid_t	kauth_cred_getgid(kauth_cred_t);
gid_t	kauth_cred_getegid(kauth_cred_t);
gid_t	kauth_cred_getsvgid(kauth_cred_t);
void	kauth_cred_setuid(kauth_cred_t, uid_t);
void	kauth_cred_seteuid(kauth_cred_t, uid_t);
void	kauth_cred_setsvuid(kauth_cred_t, uid_t);
void	kauth_cred_setgid(kauth_cred_t, gid_t);
void	kauth_cred_setegid(kauth_cred_t, gid_t);
void	kauth_cred_setsvgid(kauth_cred_t, gid_t);

u_int	kauth_cred_ngroups(kauth_cred_t);
gid_t	kauth_cred_group(kauth_cred_t, u_int);
int	kauth_cred_setgroups(kauth_cred_t, const gid_t *, u_int);
/* Is gid the effective gid or a supplementary group? */
bool	kauth_cred_groupmember(kauth_cred_t, gid_t);
/* Does the credential carry superuser privilege (euid 0)? */
bool	kauth_cred_issuser(kauth_cred_t);

void	kauth_init(void);

#endif /* !_SYS_KAUTH_H_ */
