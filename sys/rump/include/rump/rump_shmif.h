/*
 * rump_shmif.h: Ethernet between rump kernels over a shared-memory bus
 * kept in a host file (librumpnet_shmif).  Every call returns 0 or a
 * host errno value.
 *
 * rump_pub_shmif_create(busfile, &unit): attach a new interface
 *     "shmif<unit>" to the bus in busfile (created if missing).  Every
 *     kernel, in any process, attached to the same file shares the
 *     link.  Give it an address with rump_pub_netconfig_ipv4_ifaddr()
 *     and bring it up with rump_pub_netconfig_ifup().  Destroy it with
 *     rump_pub_netconfig_ifdestroy("shmif<unit>").
 * rump_pub_shmif_impair(unit, drop, dup, reorder, seed): for tests,
 *     make the interface drop, duplicate, or hold back until after the
 *     next frame, that many of every 1000 frames it sends, decided by a
 *     pseudo-random sequence from seed.  All 0: a perfect link.
 * rump_pub_shmif_delay(unit, permille, ms): for tests, make that many
 *     of every 1000 frames the interface sends arrive ms milliseconds
 *     late (at most 10000), decided by the same sequence; frames sent
 *     after a late one may overtake it.  0: none late.
 */
#ifndef _RUMP_RUMP_SHMIF_H_
#define _RUMP_RUMP_SHMIF_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

int	rump_pub_shmif_create(const char *busfile, int *unitp);
int	rump_pub_shmif_impair(int unit, unsigned int drop, unsigned int dup,
	    unsigned int reorder, uint64_t seed);
int	rump_pub_shmif_delay(int unit, unsigned int permille,
	    unsigned int ms);

#ifdef __cplusplus
}
#endif

#endif /* !_RUMP_RUMP_SHMIF_H_ */
