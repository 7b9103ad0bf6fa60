/*
 * Internal interfaces of the rump kernel base (rump glue): the component
 * registry, the scheduler, and lwp binding.  Included by sys/rump code
 * and component glue only, never by sys/kern and friends.
 */
#ifndef _RUMP_SYS_KERN_H_
#define _RUMP_SYS_KERN_H_

#include <sys/types.h>
#include <sys/queue.h>

struct lwp;
struct proc;

/*
 * Components.  Init order: by type (the enum order: the base, then the
 * factions, then drivers, protocols and file systems), then by name, so
 * neither link order nor load order matters.  A failing init panics.
 */
enum rump_component_type {
	RUMP_COMPONENT_KERN,		/* base kernel subsystems */
	RUMP_COMPONENT_VFS_FACTION,	/* librumpvfs */
	RUMP_COMPONENT_DEV_FACTION,	/* librumpdev */
	RUMP_COMPONENT_NET_FACTION,	/* librumpnet */
	RUMP_COMPONENT_DEV,		/* device drivers */
	RUMP_COMPONENT_NET,		/* protocols and interfaces */
	RUMP_COMPONENT_VFS,		/* file systems */
	RUMP_COMPONENT_POSTINIT,	/* after everything else */
	RUMP_COMPONENT_MAX
};

struct rump_component {
	enum rump_component_type rc_type;
	const char	*rc_name;
	void		(*rc_init)(void);
	void		(*rc_fini)(void);	/* at shutdown, may be NULL */
};

/* Called by constructors before rump_init(); not thread safe. */
void	rump_component_register(const struct rump_component *);

/*
 * RUMP_COMPONENT(type, name) { body }: declare a component whose init
 * function is the body.  One per source file and name.
 */
#define RUMP_COMPONENT(type, name)					\
static void rumpcomp_init_##name(void);					\
static const struct rump_component rumpcomp_##name = {			\
	.rc_type = (type),						\
	.rc_name = #name,						\
	.rc_init = rumpcomp_init_##name,				\
};									\
static void __constructor						\
rumpcomp_ctor_##name(void)						\
{									\
	rump_component_register(&rumpcomp_##name);			\
}									\
static void								\
rumpcomp_init_##name(void)

/* Boot (rump.c); returns a kernel errno. */
int	rump_boot(void);

/* Scheduler (scheduler.c). */
void	rump_scheduler_init(u_int);
void	rump_cpu_acquire(struct lwp *);		/* may block */
bool	rump_cpu_tryacquire(struct lwp *);
void	rump_cpu_release(struct lwp *);

/* Lwps and processes (lwproc.c). */
struct lwp *rump_lwp_alloc(struct proc *, int flags, const char *name);
void	rump_lwp_free(struct lwp *);
struct lwp *rump_lwp_temp_alloc(void);		/* no CPU needed */
void	rump_lwp_temp_free(struct lwp *);	/* releases its CPU */
void	rump_lwproc_init(void);
int	rump_lwproc_rfork(int flags);
int	rump_lwproc_newlwp(pid_t);
void	rump_lwproc_switch(struct lwp *);
void	rump_lwproc_releaselwp(void);
struct lwp *rump_lwproc_curlwp(void);

/* Interruptible sleeps (locks.c). */
void	rump_sig_init(void);

/* Serving remote clients (sp.c); kernel errno values. */
int	rump_sp_init(const char *url);
void	rump_sp_fini(void);
bool	rump_sp_remote(struct proc *);
int	rump_sp_copyin(const void *, void *, size_t);
int	rump_sp_copyinstr(const void *, void *, size_t, size_t *);
int	rump_sp_copyout(const void *, void *, size_t);

/* Memory (memalloc.c). */
void	rump_memalloc_init(uint64_t limit);
void	rump_memalloc_sysctl(void);	/* vm.meminuse, vm.memlimit */

/* Shutdown (rump.c): the state, and the RB_* flags of the shutdown. */
extern int rump_state;
extern int rump_shutdown_howto;
#define RUMP_STATE_COLD		0
#define RUMP_STATE_BOOTING	1
#define RUMP_STATE_RUNNING	2
#define RUMP_STATE_HALTED	3

#endif /* !_RUMP_SYS_KERN_H_ */
