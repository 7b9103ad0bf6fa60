/*
 * The Internet domain (sys/netinet/in_proto.c).
 */
#ifndef _NETINET_IN_PROTO_H_
#define _NETINET_IN_PROTO_H_

#include <sys/protosw.h>

extern const struct domain inetdomain;

#endif /* !_NETINET_IN_PROTO_H_ */
