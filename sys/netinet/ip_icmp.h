/*
 * ICMP for IPv4 (RFC 792): the message header and the types and codes
 * the stack sends and answers.
 */
#ifndef _NETINET_IP_ICMP_H_
#define _NETINET_IP_ICMP_H_

#include <sys/types.h>
#include <netinet/ip.h>

struct icmp {
	uint8_t		icmp_type;
	uint8_t		icmp_code;
	uint16_t	icmp_cksum;
	union {
		struct {
			uint16_t id;
			uint16_t seq;
		} echo;
		uint32_t	unused;
		struct {
			uint16_t unused;
			uint16_t mtu;
		} frag;			/* needs fragmentation */
		uint8_t		pptr;	/* parameter problem */
	} icmp_hun;
} __packed;
#define icmp_id		icmp_hun.echo.id
#define icmp_seq	icmp_hun.echo.seq
#define icmp_nextmtu	icmp_hun.frag.mtu
#define icmp_pptr	icmp_hun.pptr

#define ICMP_MINLEN	8

#define ICMP_ECHOREPLY		0
#define ICMP_UNREACH		3
#define  ICMP_UNREACH_NET	0
#define  ICMP_UNREACH_HOST	1
#define  ICMP_UNREACH_PROTOCOL	2
#define  ICMP_UNREACH_PORT	3
#define  ICMP_UNREACH_NEEDFRAG	4
#define ICMP_ECHO		8
#define ICMP_TIMXCEED		11
#define  ICMP_TIMXCEED_INTRANS	0
#define  ICMP_TIMXCEED_REASS	1
#define ICMP_PARAMPROB		12

#endif /* !_NETINET_IP_ICMP_H_ */
