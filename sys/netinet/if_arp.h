/*
 * ARP for IPv4 over Ethernet (RFC 826): the packet format.
 */
#ifndef _NETINET_IF_ARP_H_
#define _NETINET_IF_ARP_H_

#include <sys/types.h>
#include <net/if_ether.h>

#define ARPHRD_ETHER	1
#define ARPOP_REQUEST	1
#define ARPOP_REPLY	2

struct ether_arp {
	uint16_t	ar_hrd;		/* hardware type */
	uint16_t	ar_pro;		/* protocol type */
	uint8_t		ar_hln;		/* hardware address length */
	uint8_t		ar_pln;		/* protocol address length */
	uint16_t	ar_op;
	uint8_t		arp_sha[ETHER_ADDR_LEN];	/* sender */
	uint8_t		arp_spa[4];
	uint8_t		arp_tha[ETHER_ADDR_LEN];	/* target */
	uint8_t		arp_tpa[4];
} __packed;

#endif /* !_NETINET_IF_ARP_H_ */
