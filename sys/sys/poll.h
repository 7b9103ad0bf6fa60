/*
 * poll(): struct pollfd and the event bits.  Kernel ABI, mirrored for
 * host code by mkkabi.lua.
 */
#ifndef _SYS_POLL_H_
#define _SYS_POLL_H_

#include <sys/types.h>

struct pollfd {	/* kabi */
	int	fd;
	short	events;
	short	revents;
};

#define POLLIN		0x0001
#define POLLPRI		0x0002
#define POLLOUT		0x0004
#define POLLRDNORM	0x0040
#define POLLWRNORM	POLLOUT
#define POLLRDBAND	0x0080
#define POLLWRBAND	0x0100
#define POLLERR		0x0008	/* revents only */
#define POLLHUP		0x0010	/* revents only */
#define POLLNVAL	0x0020	/* revents only */

#define INFTIM		(-1)

#endif /* !_SYS_POLL_H_ */
