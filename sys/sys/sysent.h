/*
 * The system call dispatch table, generated from syscalls.master.
 */
#ifndef _SYS_SYSENT_H_
#define _SYS_SYSENT_H_

#include <sys/types.h>

struct lwp;

typedef int sy_call_t(struct lwp *, const void *, register_t *);

struct sysent {
	short		sy_narg;	/* register_t slots of arguments */
	sy_call_t	*sy_call;	/* NULL: not implemented */
	const char	*sy_name;
};

extern struct sysent sysent[];
extern const int nsysent;

/*
 * The calls of a faction (generated <faction>_sysent.c), installed into
 * sysent[] when the faction boots; the list ends with sy_num -1.
 */
struct sysent_install {
	int		si_num;
	sy_call_t	*si_call;
};
void	syscall_install(const struct sysent_install *);
extern const struct sysent_install sysent_vfs[];
extern const struct sysent_install sysent_net[];

/* Run system call num for l (kern_syscall.c); returns an errno. */
int	syscall_dispatch(struct lwp *l, int num, const void *args,
	    size_t argsize, register_t *retval);

#endif /* !_SYS_SYSENT_H_ */
