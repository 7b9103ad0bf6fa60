/*
 * virtif: Ethernet to a tap device of the host (rump glue), for when the
 * host's own network stack is the peer.  The interface is a host
 * Ethernet (libnet/net_hostether.c) whose wire is the tap, through the
 * hypercalls of virtif_user.h.  Making a tap device takes privileges
 * (CAP_NET_ADMIN); one made beforehand for the user does not.
 */

#include <sys/types.h>
#include <sys/errno.h>
#include <sys/mutex.h>
#include <sys/socket.h>
#include <sys/systm.h>

#include <net/if.h>

#include <lib/libkern/libkern.h>

#include <rump/rumpuser.h>
#include <rump-sys/kern.h>
#include <rump-sys/net.h>

#include "virtif_user.h"

#define VIRTIF_MAXUNITS	64

static kmutex_t virtif_units_lock;
static struct ifnet *virtif_units[VIRTIF_MAXUNITS];

int	rump_virtif_create(const char *, int *);

static int
virtif_send(void *h, const struct rumpuser_iovec *iov, int cnt)
{

	return rumpuser_virtif_send(h, iov, cnt);
}

static int
virtif_recv(void *h, void *buf, size_t len, size_t *gotp,
    unsigned long long *lostp)
{

	return rumpuser_virtif_recv(h, buf, len, gotp, lostp);
}

static void
virtif_interrupt(void *h)
{

	rumpuser_virtif_interrupt(h);
}

static void
virtif_close(void *h)
{

	rumpuser_virtif_close(h);
}

static const struct rump_hostether_ops virtif_ops = {
	.hop_send = virtif_send,
	.hop_recv = virtif_recv,
	.hop_interrupt = virtif_interrupt,
	.hop_close = virtif_close,
};

int
rump_virtif_create(const char *path, int *unitp)
{
	struct rumpuser_virtif *tap;
	struct ifnet *ifp;
	char name[IFNAMSIZ];
	int unit, error;

	mutex_enter(&virtif_units_lock);
	for (unit = 0; unit < VIRTIF_MAXUNITS && virtif_units[unit] != NULL;
	    unit++)
		continue;
	if (unit == VIRTIF_MAXUNITS) {
		mutex_exit(&virtif_units_lock);
		return ENOSPC;
	}
	virtif_units[unit] = (struct ifnet *)-1;	/* taken */
	mutex_exit(&virtif_units_lock);

	if ((error = rumpuser_virtif_open(path, &tap)) != 0) {
		printf("virtif%d: cannot open tap device %s: error %d\n", unit,
		    path, error);
		ifp = NULL;
	} else {
		snprintf(name, sizeof(name), "virtif%d", unit);
		if ((error = rump_hostether_attach(name, &virtif_ops, tap,
		    &ifp)) != 0) {
			rumpuser_virtif_close(tap);
			ifp = NULL;
		}
	}
	mutex_enter(&virtif_units_lock);
	virtif_units[unit] = ifp;
	mutex_exit(&virtif_units_lock);
	if (error == 0)
		*unitp = unit;
	return error;
}

/* The unit of ifp, taken out of the table; -1 if it is not ours. */
static int
virtif_unit_release(struct ifnet *ifp)
{
	int unit;

	mutex_enter(&virtif_units_lock);
	for (unit = 0; unit < VIRTIF_MAXUNITS; unit++) {
		if (virtif_units[unit] == ifp) {
			virtif_units[unit] = NULL;
			break;
		}
	}
	mutex_exit(&virtif_units_lock);
	return unit < VIRTIF_MAXUNITS ? unit : -1;
}

/* Destroying "virtifN" (SIOCIFDESTROY); creating needs a tap name. */
static int
virtif_clone_create(struct if_clone *ifc, int unit)
{

	return EOPNOTSUPP;
}

static int
virtif_clone_destroy(struct ifnet *ifp)
{

	if (virtif_unit_release(ifp) < 0)
		return ENXIO;
	rump_hostether_detach(ifp);
	return 0;
}

static struct if_clone virtif_cloner = {
	.ifc_name = "virtif",
	.ifc_create = virtif_clone_create,
	.ifc_destroy = virtif_clone_destroy,
};

static void virtif_init(void);
static void virtif_fini(void);

static const struct rump_component virtif_component = {
	.rc_type = RUMP_COMPONENT_NET,
	.rc_name = "virtif",
	.rc_init = virtif_init,
	.rc_fini = virtif_fini,
};

static void __constructor
virtif_ctor(void)
{

	rump_component_register(&virtif_component);
}

static void
virtif_init(void)
{

	mutex_init(&virtif_units_lock, MUTEX_DEFAULT, IPL_NONE);
	if_clone_attach(&virtif_cloner);
}

/* At shutdown (before the interface layer's): every interface goes. */
static void
virtif_fini(void)
{
	struct ifnet *ifp;
	int i;

	if_clone_detach(&virtif_cloner);
	for (i = 0; i < VIRTIF_MAXUNITS; i++) {
		if ((ifp = virtif_units[i]) != NULL &&
		    ifp != (struct ifnet *)-1) {
			virtif_units[i] = NULL;
			rump_hostether_detach(ifp);
		}
	}
	mutex_destroy(&virtif_units_lock);
}
