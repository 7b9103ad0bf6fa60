/*
 * shmif: Ethernet over a shared-memory bus in a host file (rump glue).
 * Any number of rump kernels, in any processes, attach to one bus file
 * and see each other's frames, with no privileges.  Frames go out
 * through rumpuser_shmif_send(); a receive thread per interface waits in
 * rumpuser_shmif_recv() (without a virtual CPU) and queues what comes
 * in.  For tests, an interface can drop, duplicate and reorder what it
 * sends at seeded rates (rump_pub_shmif_impair()).
 */

#include <sys/types.h>
#include <sys/cprng.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/socket.h>
#include <sys/sockio.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/if_ether.h>

#include <lib/libkern/libkern.h>

#include <rump-sys/kern.h>

#include "shmif_user.h"

#define SHMIF_MAXUNITS	64
#define SHMIF_MAXIOV	32
#define SHMIF_INQLEN	2048

struct shmif_sc {
	struct ifnet		*sc_ifp;
	struct rumpuser_shmif	*sc_bus;
	int			sc_unit;
	struct lwp		*sc_rcvlwp;
	volatile bool		sc_dying;
	unsigned long long	sc_lost;	/* frames the bus overran */

	/* Impairments (per mille), under sc_lock. */
	kmutex_t		sc_lock;
	u_int			sc_drop, sc_dup, sc_reorder;
	uint64_t		sc_rng;
	struct mbuf		*sc_held;	/* held back to reorder */
};

static kmutex_t shmif_units_lock;
static struct shmif_sc *shmif_units[SHMIF_MAXUNITS];

int	rump_shmif_create(const char *, int *);
int	rump_shmif_impair(int, u_int, u_int, u_int, uint64_t);

/* xorshift64*: the impairment decisions, reproducible from the seed. */
static u_int
shmif_rand1000(struct shmif_sc *sc)
{
	uint64_t x = sc->sc_rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	sc->sc_rng = x;
	return (u_int)((x * 2685821657736338717ULL) >> 32) % 1000;
}

/* Put m on the bus (m stays the caller's). */
static int
shmif_put(struct shmif_sc *sc, struct mbuf *m)
{
	struct rumpuser_shmif_iov iov[SHMIF_MAXIOV];
	struct mbuf *n;
	char *flat = NULL;
	int cnt = 0, error, len = m->m_pkthdr.len;

	for (n = m; n != NULL && cnt < SHMIF_MAXIOV; n = n->m_next) {
		if (n->m_len == 0)
			continue;
		iov[cnt].iov_base = mtod(n, void *);
		iov[cnt].iov_len = (size_t)n->m_len;
		cnt++;
	}
	if (n != NULL) {
		/* Too many pieces: one copy. */
		flat = kmem_alloc((size_t)len, KM_SLEEP);
		m_copydata(m, 0, len, flat);
		iov[0].iov_base = flat;
		iov[0].iov_len = (size_t)len;
		cnt = 1;
	}
	error = rumpuser_shmif_send(sc->sc_bus, iov, cnt);
	if (flat != NULL)
		kmem_free(flat, (size_t)len);
	return error;
}

static int
shmif_transmit(struct ifnet *ifp, struct mbuf *m)
{
	struct shmif_sc *sc = ifp->if_softc;
	struct mbuf *held = NULL;
	bool dup = false;
	int error;

	mutex_enter(&sc->sc_lock);
	if (sc->sc_drop != 0 && shmif_rand1000(sc) < sc->sc_drop) {
		mutex_exit(&sc->sc_lock);
		m_freem(m);
		return 0;		/* lost on the wire */
	}
	if (sc->sc_dup != 0 && shmif_rand1000(sc) < sc->sc_dup)
		dup = true;
	if (sc->sc_reorder != 0) {
		if (sc->sc_held == NULL &&
		    shmif_rand1000(sc) < sc->sc_reorder) {
			/* Goes after the next frame. */
			sc->sc_held = m;
			mutex_exit(&sc->sc_lock);
			return 0;
		}
		held = sc->sc_held;
		sc->sc_held = NULL;
	}
	mutex_exit(&sc->sc_lock);

	error = shmif_put(sc, m);
	if (error == 0 && dup)
		(void)shmif_put(sc, m);
	if (held != NULL) {
		(void)shmif_put(sc, held);
		m_freem(held);
	}
	m_freem(m);
	return error;
}

static int
shmif_ioctl(struct ifnet *ifp, u_long cmd, void *data)
{

	/* Up and down need nothing; the MTU is Ethernet's. */
	if (cmd == SIOCSIFMTU)
		return EINVAL;
	return 0;
}

/* The receive thread: frames from the bus into the input queue. */
static void
shmif_rcvthread(void *arg)
{
	struct shmif_sc *sc = arg;
	struct lwp *l = curlwp;
	struct mbuf *m = NULL;
	unsigned long long lost;
	size_t len;
	int error;

	while (!sc->sc_dying) {
		if (m == NULL) {
			m = m_getcl(M_WAIT, MT_DATA, M_PKTHDR);
			m->m_data += ETHER_ALIGN;
		}
		lost = sc->sc_lost;
		rump_cpu_release(l);
		error = rumpuser_shmif_recv(sc->sc_bus, mtod(m, void *),
		    MCLBYTES - ETHER_ALIGN, &len, &sc->sc_lost);
		rump_cpu_acquire(l);
		if (sc->sc_lost != lost)
			if_statadd(sc->sc_ifp, ifi_iqdrops, sc->sc_lost - lost);
		if (error != 0)
			continue;	/* EINTR: look at sc_dying */
		if (len < ETHER_HDR_LEN) {
			if_statinc(sc->sc_ifp, ifi_ierrors);
			continue;	/* not even a header: the buffer stays */
		}
		m->m_len = m->m_pkthdr.len = (int)len;
		if_input(sc->sc_ifp, m);
		m = NULL;
	}
	m_freem(m);
	kthread_exit(0);
}

static void
shmif_destroy_sc(struct shmif_sc *sc)
{

	/* Out of the table first: impair() finds it no more. */
	mutex_enter(&shmif_units_lock);
	shmif_units[sc->sc_unit] = NULL;
	mutex_exit(&shmif_units_lock);
	sc->sc_dying = true;
	rumpuser_shmif_interrupt(sc->sc_bus);
	kthread_join(sc->sc_rcvlwp);
	ether_ifdetach(sc->sc_ifp);
	if_free(sc->sc_ifp);
	rumpuser_shmif_close(sc->sc_bus);
	m_freem(sc->sc_held);
	mutex_destroy(&sc->sc_lock);
	kmem_free(sc, sizeof(*sc));
}

int
rump_shmif_create(const char *path, int *unitp)
{
	struct shmif_sc *sc;
	struct ifnet *ifp;
	uint8_t lla[ETHER_ADDR_LEN];
	char name[IFNAMSIZ];
	int unit, error;

	sc = kmem_zalloc(sizeof(*sc), KM_SLEEP);
	mutex_enter(&shmif_units_lock);
	for (unit = 0; unit < SHMIF_MAXUNITS && shmif_units[unit] != NULL;
	    unit++)
		continue;
	if (unit == SHMIF_MAXUNITS) {
		mutex_exit(&shmif_units_lock);
		kmem_free(sc, sizeof(*sc));
		return ENOSPC;
	}
	shmif_units[unit] = sc;
	mutex_exit(&shmif_units_lock);
	sc->sc_unit = unit;
	mutex_init(&sc->sc_lock, MUTEX_DEFAULT, IPL_NONE);

	if ((error = rumpuser_shmif_open(path, &sc->sc_bus)) != 0) {
		printf("shmif%d: cannot attach to bus %s: error %d\n", unit,
		    path, error);
		goto fail;
	}
	snprintf(name, sizeof(name), "shmif%d", unit);
	ifp = if_alloc(name, IFT_ETHER);
	ifp->if_softc = sc;
	ifp->if_transmit = shmif_transmit;
	ifp->if_ioctl = shmif_ioctl;
	ifp->if_flags = IFF_RUNNING;
	/* A bus delivers in bursts: room for a full TCP window. */
	ifp->if_inq.ifq_maxlen = SHMIF_INQLEN;
	sc->sc_ifp = ifp;
	/* A random, locally administered, unicast address. */
	cprng_bytes(lla, sizeof(lla));
	lla[0] = (uint8_t)((lla[0] & 0xfc) | 0x02);
	if ((error = kthread_create(PRI_NONE, KTHREAD_MPSAFE |
	    KTHREAD_MUSTJOIN, NULL, shmif_rcvthread, sc, &sc->sc_rcvlwp,
	    "%s", name)) != 0) {
		if_free(ifp);
		rumpuser_shmif_close(sc->sc_bus);
		goto fail;
	}
	ether_ifattach(ifp, lla);
	*unitp = unit;
	return 0;
fail:
	mutex_destroy(&sc->sc_lock);
	mutex_enter(&shmif_units_lock);
	shmif_units[unit] = NULL;
	mutex_exit(&shmif_units_lock);
	kmem_free(sc, sizeof(*sc));
	return error;
}

int
rump_shmif_impair(int unit, u_int drop, u_int dup, u_int reorder,
    uint64_t seed)
{
	struct shmif_sc *sc;

	if (unit < 0 || unit >= SHMIF_MAXUNITS || drop > 1000 ||
	    dup > 1000 || reorder > 1000)
		return EINVAL;
	mutex_enter(&shmif_units_lock);
	if ((sc = shmif_units[unit]) == NULL) {
		mutex_exit(&shmif_units_lock);
		return ENXIO;
	}
	mutex_enter(&sc->sc_lock);
	sc->sc_drop = drop;
	sc->sc_dup = dup;
	sc->sc_reorder = reorder;
	sc->sc_rng = seed != 0 ? seed : 0x9e3779b97f4a7c15ULL;
	mutex_exit(&sc->sc_lock);
	mutex_exit(&shmif_units_lock);
	return 0;
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

	shmif_destroy_sc(ifp->if_softc);
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
	int i;

	if_clone_detach(&shmif_cloner);
	for (i = 0; i < SHMIF_MAXUNITS; i++) {
		if (shmif_units[i] != NULL)
			shmif_destroy_sc(shmif_units[i]);
	}
	mutex_destroy(&shmif_units_lock);
}
