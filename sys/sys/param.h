/*
 * Kernel-wide parameters and arithmetic helpers.
 */
#ifndef _SYS_PARAM_H_
#define _SYS_PARAM_H_

#include <sys/types.h>

#define PAGE_SIZE	4096
#define PAGE_MASK	(PAGE_SIZE - 1)
#define NGROUPS_MAX	16		/* supplementary groups per credential */
#define MAXCOMLEN	16		/* process and thread names */
#define COHERENCY_UNIT	64		/* cache line: padding for per-CPU data */

#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#define howmany(x, y)	(((x) + ((y) - 1)) / (y))
#define roundup(x, y)	((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y)	(((x) / (y)) * (y))
#define roundup2(x, m)	(((x) + ((m) - 1)) & ~((__typeof__(x))(m) - 1))
#define powerof2(x)	((((x) - 1) & (x)) == 0)

#endif /* !_SYS_PARAM_H_ */
