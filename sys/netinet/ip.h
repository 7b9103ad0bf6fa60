/*
 * The IPv4 header (RFC 791) and the limits of the IPv4 layer.
 */
#ifndef _NETINET_IP_H_
#define _NETINET_IP_H_

#include <sys/types.h>
#include <netinet/in.h>

#define IPVERSION	4

struct ip {
	uint8_t		ip_vhl;		/* version << 4 | header words */
	uint8_t		ip_tos;
	uint16_t	ip_len;		/* total length */
	uint16_t	ip_id;
	uint16_t	ip_off;		/* flags and fragment offset */
	uint8_t		ip_ttl;
	uint8_t		ip_p;
	uint16_t	ip_sum;
	struct in_addr	ip_src;
	struct in_addr	ip_dst;
} __packed;

#define IP_VHL_HL(vhl)	(((vhl) & 0x0f) << 2)	/* header bytes */
#define IP_VHL_V(vhl)	((vhl) >> 4)
#define IP_VHL_BORING	0x45			/* v4, no options */

/* ip_off, host order. */
#define IP_RF		0x8000		/* reserved */
#define IP_DF		0x4000		/* don't fragment */
#define IP_MF		0x2000		/* more fragments */
#define IP_OFFMASK	0x1fff		/* in 8-byte units */

#define IP_MAXPACKET	65535
#define IP_MINHDR	20
#define IP_MAXHDR	60

/* Options (RFC 791): recognised only to be skipped or refused. */
#define IPOPT_EOL	0
#define IPOPT_NOP	1

#endif /* !_NETINET_IP_H_ */
