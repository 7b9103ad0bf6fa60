/*
 * shmif: Ethernet over a shared-memory bus in a host file (rump glue).
 * Any number of rump kernels, in any processes, attach to one bus file
 * and see each other's frames, with no privileges.  The interface is a
 * host Ethernet (libnet/net_hostether.c) whose wire is the bus, through
 * the hypercalls of shmif_user.h.
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

#include "shmif_user.h"

#define SHMIF_MAXUNITS	64

static kmutex_t shmif_units_lock;
static struct ifnet *shmif_units[SHMIF_MAXUNITS];

int	rump_shmif_create(const char *, int *);
int	rump_shmif_impair(int, u_int, u_int, u_int, uint64_t);

static int
shmif_send(void *h, const struct rumpuser_iovec *iov, int cnt)
{

	return rumpuser_shmif_send(h, iov, cnt);
}

static int
shmif_recv(void *h, void *buf, size_t len, size_t *gotp,
    unsigned long long *lostp)
{

	return rumpuser_shmif_recv(h, buf, len, gotp, lostp);
}

static void
shmif_interrupt(void *h)
{

	rumpuser_shmif_interrupt(h);
}

static void
shmif_close(void *h)
{

	rumpuser_shmif_close(h);
}

static const struct rump_hostether_ops shmif_ops = {
	.hop_send = shmif_send,
	.hop_recv = shmif_recv,
	.hop_interrupt = shmif_interrupt,
	.hop_close = shmif_close,
};

int
rump_shmif_create(const char *path, int *unitp)
{
	struct rumpuser_shmif *bus;
	struct ifnet *ifp;
	char name[IFNAMSIZ];
	int unit, error;

	mutex_enter(&shmif_units_lock);
	for (unit = 0; unit < SHMIF_MAXUNITS && shmif_units[unit] != NULL;
	    unit++)
		continue;
	if (unit == SHMIF_MAXUNITS) {
		mutex_exit(&shmif_units_lock);
		return ENOSPC;
	}
	shmif_units[unit] = (struct ifnet *)-1;	/* taken */
	mutex_exit(&shmif_units_lock);

	if ((error = rumpuser_shmif_open(path, &bus)) != 0) {
		printf("shmif%d: cannot attach to bus %s: error %d\n", unit,
		    path, error);
		ifp = NULL;
	} else {
		snprintf(name, sizeof(name), "shmif%d", unit);
		if ((error = rump_hostether_attach(name, &shmif_ops, bus,
		    &ifp)) != 0) {
			rumpuser_shmif_close(bus);
			ifp = NULL;
		}
	}
	mutex_enter(&shmif_units_lock);
	shmif_units[unit] = ifp;
	mutex_exit(&shmif_units_lock);
	if (error == 0)
		*unitp = unit;
	return error;
}

int
rump_shmif_impair(int unit, u_int drop, u_int dup, u_int reorder,
    uint64_t seed)
{
	struct ifnet *ifp;
	int error;

	if (unit < 0 || unit >= SHMIF_MAXUNITS)
		return EINVAL;
	mutex_enter(&shmif_units_lock);
	ifp = shmif_units[unit];
	if (ifp == NULL || ifp == (struct ifnet *)-1)
		error = ENXIO;
	else
		error = rump_hostether_impair(ifp, drop, dup, reorder, seed);
	mutex_exit(&shmif_units_lock);
	return error;
}

/* The unit of ifp, taken out of the table; -1 if it is not ours. */
static int
shmif_unit_release(struct ifnet *ifp)
{
	int unit;

	mutex_enter(&shmif_units_lock);
	for (unit = 0; unit < SHMIF_MAXUNITS; unit++) {
		if (shmif_units[unit] == ifp) {
			shmif_units[unit] = NULL;
			break;
		}
	}
	mutex_exit(&shmif_units_lock);
	return unit < SHMIF_MAXUNITS ? unit : -1;
}

/* Destroying "shmifN" (SIOCIFDESTROY); creating needs a bus file. */
static int
shmif_clone_create(struct if_clone *ifc, int unit)
{

	return EOPNOTSUPP;
}

static int
shmif_clone_destroy(struct ifnet *ifp)
{

	if (shmif_unit_release(ifp) < 0)
		return ENXIO;
	rump_hostether_detach(ifp);
	return 0;
}

static struct if_clone shmif_cloner = {
	.ifc_name = "shmif",
	.ifc_create = shmif_clone_create,
	.ifc_destroy = shmif_clone_destroy,
};

static void shmif_init(void);
static void shmif_fini(void);

static const struct rump_component shmif_component = {
	.rc_type = RUMP_COMPONENT_NET,
	.rc_name = "shmif",
	.rc_init = shmif_init,
	.rc_fini = shmif_fini,
};

static void __constructor
shmif_ctor(void)
{

	rump_component_register(&shmif_component);
}

static void
shmif_init(void)
{

	mutex_init(&shmif_units_lock, MUTEX_DEFAULT, IPL_NONE);
	if_clone_attach(&shmif_cloner);
}

/* At shutdown (before the interface layer's): every interface goes. */
static void
shmif_fini(void)
{
	struct ifnet *ifp;
	int i;

	if_clone_detach(&shmif_cloner);
	for (i = 0; i < SHMIF_MAXUNITS; i++) {
		if ((ifp = shmif_units[i]) != NULL &&
		    ifp != (struct ifnet *)-1) {
			shmif_units[i] = NULL;
			rump_hostether_detach(ifp);
		}
	}
	mutex_destroy(&shmif_units_lock);
}
