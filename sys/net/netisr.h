/*
 * The network input thread and the protocol lock (sys/net/if.c).
 *
 * softnet_lock guards every protocol's state: interface addresses,
 * routes, ARP, protocol control blocks, sockets of the network
 * protocols and their buffers.  The input thread holds it while it
 * hands queued frames to the link layer, timers take it, and socket
 * calls take it.  Drivers never take it: a driver's transmit may be
 * called with it held, and its receive path only queues (if_input()).
 * Lock order: softnet_lock, then a driver's own locks.
 */
#ifndef _NET_NETISR_H_
#define _NET_NETISR_H_

#include <sys/types.h>
#include <sys/mutex.h>

struct ifnet;
struct mbuf;

extern kmutex_t softnet_lock;

/*
 * Network-layer protocols, by their Ethernet type (also used by the
 * loopback interface): input(ifp, m) is called by the link layer in the
 * input thread with softnet_lock held, the link header removed.
 */
typedef void (*netproto_input_t)(struct ifnet *, struct mbuf *);
void	netproto_register(uint16_t ethertype, netproto_input_t);
void	netproto_unregister(uint16_t ethertype);
/* Hand m to the protocol; unknown ones are counted and dropped. */
void	netproto_input(uint16_t ethertype, struct ifnet *, struct mbuf *);

#endif /* !_NET_NETISR_H_ */
