/*
 * slirpif: Ethernet to libslirp (rump glue), a user-mode TCP/IP stack
 * in this process that NATs the kernel's connections onto the host's
 * sockets and forwards host ports into the kernel: network access with
 * no privileges at all.  The interface is a host Ethernet
 * (libnet/net_hostether.c) whose wire is slirp, through the hypercalls
 * of slirpif_user.h.
 */

#include <sys/types.h>

#include <net/if.h>

#include <rump/rumpuser.h>
#include <rump-sys/kern.h>
#include <rump-sys/net.h>

#include "slirpif_user.h"

RUMP_HOSTETHER_DRIVER(slirpif)
