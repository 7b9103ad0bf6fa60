/*
 * Sockets: the kernel's address families, socket types, options and
 * message flags (kernel ABI; the boundary translation maps the host's
 * <sys/socket.h> values to these).  Socket addresses carry their own
 * length in sa_len.
 */
#ifndef _SYS_SOCKET_H_
#define _SYS_SOCKET_H_

#include <sys/types.h>

struct iovec;

typedef uint8_t		sa_family_t;	/* kabi */
typedef uint32_t	socklen_t;	/* kabi */

/* Address families. */
#define AF_UNSPEC	0
#define AF_LOCAL	1		/* AF_UNIX: inside this kernel */
#define AF_UNIX		AF_LOCAL
#define AF_INET		2
#define AF_LINK		18		/* link-level addresses */
#define AF_MAX		32

#define PF_UNSPEC	AF_UNSPEC
#define PF_LOCAL	AF_LOCAL
#define PF_INET		AF_INET

struct sockaddr {	/* kabi */
	uint8_t		sa_len;		/* of the whole address */
	sa_family_t	sa_family;
	char		sa_data[14];
};

#define SOCK_MAXADDRLEN	255

/* Room for any address. */
struct sockaddr_storage {	/* kabi */
	uint8_t		ss_len;
	sa_family_t	ss_family;
	char		ss_pad[126];
};

/* Socket types, and flags socket() and accept4() take with them. */
#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_RAW	3
#define SOCK_SEQPACKET	5
#define SOCK_TYPEMASK	0x0000000f
#define SOCK_CLOEXEC	0x10000000
#define SOCK_NONBLOCK	0x20000000

/* Option levels, and the socket level's options. */
#define SOL_SOCKET	0xffff

#define SO_DEBUG	0x0001
#define SO_ACCEPTCONN	0x0002
#define SO_REUSEADDR	0x0004
#define SO_KEEPALIVE	0x0008
#define SO_DONTROUTE	0x0010
#define SO_BROADCAST	0x0020
#define SO_LINGER	0x0080
#define SO_OOBINLINE	0x0100
#define SO_REUSEPORT	0x0200
#define SO_SNDBUF	0x1001
#define SO_RCVBUF	0x1002
#define SO_SNDLOWAT	0x1003
#define SO_RCVLOWAT	0x1004
#define SO_ERROR	0x1007
#define SO_TYPE		0x1008
#define SO_SNDTIMEO	0x100b
#define SO_RCVTIMEO	0x100c
#define SO_DOMAIN	0x1010
#define SO_PROTOCOL	0x1011

struct linger {		/* kabi */
	int32_t		l_onoff;
	int32_t		l_linger;	/* seconds */
};

/* send() and recv() flags. */
#define MSG_OOB		0x0001
#define MSG_PEEK	0x0002
#define MSG_DONTROUTE	0x0004
#define MSG_EOR		0x0008
#define MSG_TRUNC	0x0010
#define MSG_CTRUNC	0x0020
#define MSG_WAITALL	0x0040
#define MSG_DONTWAIT	0x0080
#define MSG_NOSIGNAL	0x0400
#define MSG_CMSG_CLOEXEC 0x0800

/* sendmsg(), recvmsg(). */
struct msghdr {		/* kabi */
	void		*msg_name;
	socklen_t	msg_namelen;
	struct iovec	*msg_iov;
	int32_t		msg_iovlen;
	void		*msg_control;
	socklen_t	msg_controllen;
	int32_t		msg_flags;
};

/* Ancillary data: a header, then its data, each aligned. */
struct cmsghdr {	/* kabi */
	socklen_t	cmsg_len;	/* with this header */
	int32_t		cmsg_level;
	int32_t		cmsg_type;
};

#define SCM_RIGHTS	0x01		/* descriptors */

#define __CMSG_ALIGN(n)	(((n) + sizeof(long) - 1) & ~(sizeof(long) - 1))
#define CMSG_DATA(c)	((unsigned char *)(c) + __CMSG_ALIGN(sizeof(struct cmsghdr)))
#define CMSG_SPACE(l)	(__CMSG_ALIGN(sizeof(struct cmsghdr)) + __CMSG_ALIGN(l))
#define CMSG_LEN(l)	(__CMSG_ALIGN(sizeof(struct cmsghdr)) + (l))

/* shutdown() */
#define SHUT_RD		0
#define SHUT_WR		1
#define SHUT_RDWR	2

/* The most a listen() backlog may be. */
#define SOMAXCONN	4096

#endif /* !_SYS_SOCKET_H_ */
