/*
 * Waiting for descriptors to become ready (sys_generic.c).  An object
 * whose readiness changes calls selnotify(); poll() rescans when any
 * object has changed since its last scan.
 */
#ifndef _SYS_SELECT_H_
#define _SYS_SELECT_H_

void	selnotify(void);
void	select_init(void);

#endif /* !_SYS_SELECT_H_ */
