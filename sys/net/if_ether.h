/*
 * Ethernet (sys/net/if_ethersubr.c): frame format and the link layer
 * every Ethernet driver (shmif, virtif, slirpif) attaches through.
 */
#ifndef _NET_IF_ETHER_H_
#define _NET_IF_ETHER_H_

#include <sys/types.h>

#define ETHER_ADDR_LEN	6
#define ETHER_TYPE_LEN	2
#define ETHER_HDR_LEN	14
#define ETHER_CRC_LEN	4
#define ETHER_MIN_LEN	64		/* with the CRC */
#define ETHERMTU	1500
#define ETHERMTU_JUMBO	9000
#define ETHER_MAX_FRAME	(ETHER_HDR_LEN + ETHERMTU_JUMBO)
/* Receive buffers start this far in, so the network header is aligned. */
#define ETHER_ALIGN	2

#define ETHERTYPE_IP	0x0800
#define ETHERTYPE_ARP	0x0806
#define ETHERTYPE_IPV6	0x86dd

struct ether_header {
	uint8_t		ether_dhost[ETHER_ADDR_LEN];
	uint8_t		ether_shost[ETHER_ADDR_LEN];
	uint16_t	ether_type;	/* network order */
} __packed;

#define ETHER_IS_MULTICAST(a)	(((a)[0] & 0x01) != 0)

extern const uint8_t etherbroadcastaddr[ETHER_ADDR_LEN];

struct ifnet;
struct mbuf;
struct sockaddr;

/*
 * Attach ifp (allocated by the driver, if_transmit set) as an Ethernet
 * interface with link address lla; ether_ifdetach before the driver
 * frees it.
 */
void	ether_ifattach(struct ifnet *, const uint8_t *lla);
void	ether_ifdetach(struct ifnet *);

/* Send m to the link address dst with the Ethernet type (network order). */
int	ether_send(struct ifnet *, struct mbuf *, const uint8_t *dst,
	    uint16_t type);

/*
 * Address resolution, per protocol family: resolve(ifp, m, dst, lla)
 * returns 0 with the next hop's link address in lla, or consumes m and
 * returns EWOULDBLOCK (held until resolved) or an error.  Called with
 * softnet_lock held.
 */
typedef int (*ether_resolve_t)(struct ifnet *, struct mbuf *,
	    const struct sockaddr *, uint8_t *);
void	ether_register_resolver(int af, uint16_t type, ether_resolve_t);

/* A printable link address, in buf (18 bytes). */
char	*ether_sprintf(char *buf, const uint8_t *lla);

#endif /* !_NET_IF_ETHER_H_ */
