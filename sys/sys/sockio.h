/*
 * Socket ioctls (kernel ABI): interface configuration through any
 * socket.  See <net/if.h> for the argument structures.
 */
#ifndef _SYS_SOCKIO_H_
#define _SYS_SOCKIO_H_

#include <sys/filio.h>
#include <sys/ioccom.h>

struct ifreq;
struct ifaliasreq;
struct ifconf;
struct ifdatareq;

#define SIOCGIFFLAGS	_IOWR('i', 17, struct ifreq)
#define SIOCSIFFLAGS	_IOW('i', 16, struct ifreq)
#define SIOCGIFMTU	_IOWR('i', 126, struct ifreq)
#define SIOCSIFMTU	_IOW('i', 127, struct ifreq)
#define SIOCGIFINDEX	_IOWR('i', 140, struct ifreq)
#define SIOCGIFADDR	_IOWR('i', 33, struct ifreq)
#define SIOCGIFNETMASK	_IOWR('i', 37, struct ifreq)
#define SIOCGIFBRDADDR	_IOWR('i', 35, struct ifreq)
#define SIOCGIFHWADDR	_IOWR('i', 141, struct ifreq)
#define SIOCAIFADDR	_IOW('i', 26, struct ifaliasreq)
/* The first IPv4 address replaced (its mask by its class), its mask. */
#define SIOCSIFADDR	_IOW('i', 12, struct ifreq)
#define SIOCSIFNETMASK	_IOW('i', 22, struct ifreq)
#define SIOCDIFADDR	_IOW('i', 25, struct ifreq)
#define SIOCGIFCONF	_IOWR('i', 38, struct ifconf)
#define SIOCGIFDATA	_IOWR('i', 133, struct ifdatareq)
#define SIOCIFCREATE	_IOW('i', 122, struct ifreq)
#define SIOCIFDESTROY	_IOW('i', 121, struct ifreq)
#define SIOCIFCREATELINK _IOW('i', 123, struct ifreq_link)

/* Routes: see <net/route.h>. */
#define SIOCADDRT	_IOW('r', 10, struct rtreq)
#define SIOCDELRT	_IOW('r', 11, struct rtreq)

#endif /* !_SYS_SOCKIO_H_ */
