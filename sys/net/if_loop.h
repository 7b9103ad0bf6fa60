/*
 * The loopback interface (sys/net/if_loop.c).
 */
#ifndef _NET_IF_LOOP_H_
#define _NET_IF_LOOP_H_

struct ifnet;

/* lo0, which exists as long as the interface layer does. */
extern struct ifnet *lo0ifp;

/* Attach the "lo" cloner and lo0; loopdetach() destroys them all. */
void	loopattach(void);
void	loopdetach(void);

#endif /* !_NET_IF_LOOP_H_ */
