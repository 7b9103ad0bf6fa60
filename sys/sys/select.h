/*
 * Waiting for descriptors to become ready (sys_generic.c).  An object
 * whose readiness changes calls selnotify(); poll() and select() rescan
 * when any object has changed since their last scan.
 */
#ifndef _SYS_SELECT_H_
#define _SYS_SELECT_H_

#include <sys/types.h>

/* select()'s descriptor sets: bit fd%32 of word fd/32. */
#define FD_SETSIZE	1024
struct fd_set {		/* kabi */
	uint32_t	fs_bits[32];
};
typedef struct fd_set fd_set;

void	selnotify(void);
void	select_init(void);

#endif /* !_SYS_SELECT_H_ */
