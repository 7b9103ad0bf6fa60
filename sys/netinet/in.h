/*
 * The Internet family (kernel ABI): IPv4 addresses and socket addresses,
 * protocol numbers, socket options of the IP and TCP levels.  Protocol
 * numbers are IANA's; option numbers are the kernel's own and the
 * boundary maps the host's.
 */
#ifndef _NETINET_IN_H_
#define _NETINET_IN_H_

#include <sys/types.h>
#include <sys/endian.h>
#include <sys/socket.h>

typedef uint32_t	in_addr_t;	/* kabi */
typedef uint16_t	in_port_t;	/* kabi */

/* Network order. */
struct in_addr {	/* kabi */
	in_addr_t	s_addr;
};

struct sockaddr_in {	/* kabi */
	uint8_t		sin_len;
	sa_family_t	sin_family;
	in_port_t	sin_port;	/* network order */
	struct in_addr	sin_addr;
	int8_t		sin_zero[8];
};

/* Protocols (IANA). */
#define IPPROTO_IP	0
#define IPPROTO_ICMP	1
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17
#define IPPROTO_RAW	255
#define IPPROTO_MAX	256

/* Addresses, host order. */
#define INADDR_ANY		0x00000000U
#define INADDR_BROADCAST	0xffffffffU
#define INADDR_LOOPBACK		0x7f000001U
#define INADDR_NONE		0xffffffffU

#define IN_CLASSA(a)		(((uint32_t)(a) & 0x80000000U) == 0)
#define IN_CLASSA_NET		0xff000000U
#define IN_CLASSB(a)		(((uint32_t)(a) & 0xc0000000U) == 0x80000000U)
#define IN_CLASSB_NET		0xffff0000U
#define IN_CLASSC_NET		0xffffff00U
#define IN_LOOPBACKNET		127
#define IN_MULTICAST(a)		(((uint32_t)(a) & 0xf0000000U) == 0xe0000000U)
#define IN_EXPERIMENTAL(a)	(((uint32_t)(a) & 0xf0000000U) == 0xf0000000U)
#define IN_ZERONET(a)		(((uint32_t)(a) & 0xff000000U) == 0)
#define IN_LOOPBACK(a)		(((uint32_t)(a) & 0xff000000U) == 0x7f000000U)

/* Ephemeral ports: the IANA range. */
#define IPPORT_EPHEMERALFIRST	49152
#define IPPORT_EPHEMERALLAST	65535
#define IPPORT_RESERVED		1024

/* IPPROTO_IP level options. */
#define IP_OPTIONS		1
#define IP_HDRINCL		2	/* raw: the caller writes the header */
#define IP_TOS			3
#define IP_TTL			4
#define IP_RECVDSTADDR		7
#define IP_MULTICAST_TTL	10
#define IP_MULTICAST_LOOP	11

#define IPDEFTTL		64

#define ntohl(x)	be32toh(x)
#define htonl(x)	htobe32(x)
#define ntohs(x)	be16toh(x)
#define htons(x)	htobe16(x)

struct mbuf;

/*
 * The Internet checksum of len bytes of the chain from offset off,
 * added to the partial sum `sum' (a pseudo-header's, or 0), folded.
 * Pieces of odd length in the chain are handled.  Returns 0 for data
 * that carries a correct checksum.  The value is in host order: store
 * it with htons().
 */
uint16_t in_cksum_mbuf(const struct mbuf *, int off, int len, uint32_t sum);
/* The IPv4 pseudo-header sum for TCP and UDP (len in host order). */
uint32_t in_pseudo_sum(struct in_addr src, struct in_addr dst, int proto,
	    int len);

#endif /* !_NETINET_IN_H_ */
