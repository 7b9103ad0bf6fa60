/*
 * Helpers the network tests share.
 */
#ifndef _TESTS_NET_NETUTIL_H_
#define _TESTS_NET_NETUTIL_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

/* An IPv4 socket address of a literal dotted quad and a port. */
static inline struct sockaddr_in
sin_make(const char *addr, int port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1)
		sin.sin_addr.s_addr = htonl(INADDR_NONE);
	return sin;
}

#endif /* !_TESTS_NET_NETUTIL_H_ */
