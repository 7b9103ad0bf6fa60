/*
 * Flags of the reboot system call.  In a rump kernel "reboot" shuts the
 * kernel down: RB_HALT returns to the caller afterwards; otherwise the
 * hosting process exits.  Kernel ABI, mirrored by mkkabi.lua.
 */
#ifndef _SYS_REBOOT_H_
#define _SYS_REBOOT_H_

#define RB_AUTOBOOT	0x0000	/* shut down and exit the process */
#define RB_NOSYNC	0x0004	/* do not sync file systems first */
#define RB_HALT		0x0008	/* shut down and return to the caller */
#define RB_DUMP		0x0100	/* leave a core (abort) after shutdown */

#endif /* !_SYS_REBOOT_H_ */
