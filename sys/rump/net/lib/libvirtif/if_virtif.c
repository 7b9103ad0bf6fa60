/*
 * virtif: Ethernet to a tap device of the host (rump glue), for when the
 * host's own network stack is the peer.  The interface is a host
 * Ethernet (libnet/net_hostether.c) whose wire is the tap, through the
 * hypercalls of virtif_user.h.  Making a tap device takes privileges
 * (CAP_NET_ADMIN); one made beforehand for the user does not.
 */

#include <sys/types.h>

#include <net/if.h>

#include <rump/rumpuser.h>
#include <rump-sys/kern.h>
#include <rump-sys/net.h>

#include "virtif_user.h"

RUMP_HOSTETHER_DRIVER(virtif)
