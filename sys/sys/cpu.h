/*
 * Virtual CPUs.  A host thread runs kernel code only while its lwp holds
 * one; ncpu of them exist (RUMP_NCPU).
 */
#ifndef _SYS_CPU_H_
#define _SYS_CPU_H_

#include <sys/types.h>
#include <sys/param.h>

struct lwp;

struct cpu_info {
	struct lwp	*ci_curlwp;	/* holder, NULL when free */
	u_int		ci_index;
	u_long		ci_nswitch;	/* times acquired */
} __aligned(COHERENCY_UNIT);

extern struct cpu_info *cpu_infos;
extern u_int ncpu;

#define curcpu()	(curlwp->l_cpu)
#define cpu_index(ci)	((ci)->ci_index)

#endif /* !_SYS_CPU_H_ */
