/*
 * rump_slirpif.h: Ethernet from the rump kernel to libslirp
 * (librumpnet_slirpif), a user-mode TCP/IP stack in the same process
 * that acts as the kernel's router: connections out of the kernel
 * become the host's own connections, and host ports forward into the
 * kernel.  Needs no privileges.  Returns 0 or a host errno value.
 *
 * rump_pub_slirpif_create(options, &unit): attach a new interface
 *     "slirpif<unit>".  options is NULL, "" or a comma-separated list:
 *       net=A.B.C.D/N   the link's network (default 10.0.2.0/24)
 *       host=A.B.C.D    the router, slirp itself (default .2); a
 *                       connection to it reaches the host's 127.0.0.1
 *       dns=A.B.C.D     slirp's DNS forwarder (default .3)
 *       guest=A.B.C.D   the kernel's address (default .15): the
 *                       target of forwards that name none
 *       hostfwd=tcp:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT
 *                       (or udp:) a host port forwarded into the
 *                       kernel; HOSTADDR defaults to 0.0.0.0, so name
 *                       127.0.0.1 to keep it on this machine; repeatable
 *       restrict=on     no connections out of the link
 *     host, dns and guest must be different host addresses of net.
 *     EINVAL for a bad option, EADDRINUSE if a forward's host port is
 *     taken.  The kernel's side is configured as usual (<rump/rump_net.h>):
 *       rump_pub_netconfig_ipv4_ifaddr("slirpif0", "10.0.2.15",
 *           "255.255.255.0");
 *       rump_pub_netconfig_ifup("slirpif0");
 *       rump_pub_netconfig_ipv4_gw("10.0.2.2");
 */
#ifndef _RUMP_RUMP_SLIRPIF_H_
#define _RUMP_RUMP_SLIRPIF_H_

#ifdef __cplusplus
extern "C" {
#endif

int	rump_pub_slirpif_create(const char *options, int *unitp);

#ifdef __cplusplus
}
#endif

#endif /* !_RUMP_RUMP_SLIRPIF_H_ */
