/*
 * Constants of <unistd.h> the kernel knows: access() modes and
 * pathconf() names.  Kernel ABI.
 */
#ifndef _SYS_UNISTD_H_
#define _SYS_UNISTD_H_

#define F_OK		0
#define X_OK		0x01
#define W_OK		0x02
#define R_OK		0x04

#define _PC_LINK_MAX		1
#define _PC_NAME_MAX		4
#define _PC_PATH_MAX		5
#define _PC_PIPE_BUF		6
#define _PC_CHOWN_RESTRICTED	7
#define _PC_NO_TRUNC		8
#define _PC_FILESIZEBITS	11
#define _PC_SYMLINK_MAX		12

#endif /* !_SYS_UNISTD_H_ */
