/*
 * Generic file ioctls (kernel ABI), which the ioctl() system call
 * handles for every kind of file before the file's own ioctl sees them.
 */
#ifndef _SYS_FILIO_H_
#define _SYS_FILIO_H_

#include <sys/ioccom.h>

#define FIOCLEX		_IO('f', 1)		/* close on exec */
#define FIONCLEX	_IO('f', 2)		/* not */
#define FIONREAD	_IOR('f', 127, int)	/* bytes waiting to be read */
#define FIONBIO		_IOW('f', 126, int)	/* non-blocking on or off */

#endif /* !_SYS_FILIO_H_ */
