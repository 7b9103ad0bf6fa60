/*
 * rump_virtif.h: Ethernet from the rump kernel to a tap device of the
 * host (librumpnet_virtif), for when the host's own network stack is
 * the peer.  Returns 0 or a host errno value.
 *
 * rump_pub_virtif_create(tapname, &unit): attach a new interface
 *     "virtif<unit>" to the host's tap device tapname, which is created
 *     if missing (that takes CAP_NET_ADMIN; a tap made beforehand for
 *     the user with "ip tuntap add NAME mode tap user USER" does not).
 *     Configure it like any interface (<rump/rump_net.h>); the host's
 *     side of the tap gets its address from the host's tools.
 */
#ifndef _RUMP_RUMP_VIRTIF_H_
#define _RUMP_RUMP_VIRTIF_H_

#ifdef __cplusplus
extern "C" {
#endif

int	rump_pub_virtif_create(const char *tapname, int *unitp);

#ifdef __cplusplus
}
#endif

#endif /* !_RUMP_RUMP_VIRTIF_H_ */
