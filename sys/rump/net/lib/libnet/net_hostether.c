/*
 * Ethernet interfaces whose wire is a host object (rump glue): what
 * shmif (a bus file), virtif (a tap device) and slirpif (libslirp)
 * share.  A backend gives its hypercalls (open, send a frame, wait for
 * one, interrupt the wait, close); this makes the units of the driver,
 * each interface's receive thread (which waits without a virtual CPU),
 * and, for tests, the seeded drop, duplicate, reorder and delay switch
 * on what an interface sends.
 */

#include <sys/types.h>
#include <sys/callout.h>
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
#include <sys/time.h>

#include <net/if.h>
#include <net/if_ether.h>
#include <net/netisr.h>

#include <lib/libkern/libkern.h>

#include <rump/rumpuser.h>
#include <rump-sys/kern.h>
#include <rump-sys/net.h>

#define HE_MAXIOV	32
#define HE_INQLEN	2048

struct hostether {
	struct ifnet		*he_ifp;
	struct rump_hostether_driver *he_drv;
	const struct rump_hostether_ops *he_ops;
	struct rumpuser_hostether *he_h;	/* the backend's handle */
	struct lwp		*he_rcvlwp;
	volatile bool		he_dying;
	unsigned long long	he_lost;	/* frames the wire lost */

	/* Impairments (per mille), under he_lock. */
	kmutex_t		he_lock;
	u_int			he_drop, he_dup, he_reorder, he_delay;
	int			he_delay_ms;
	uint64_t		he_rng;
	struct mbuf		*he_held;	/* held back to reorder */
	/* Delayed frames, in the order they are due, and their callout. */
	TAILQ_HEAD(, he_delayed) he_delayq;
	callout_t		he_delay_ch;
};

struct he_delayed {
	TAILQ_ENTRY(he_delayed)	hd_list;
	int64_t			hd_due;		/* uptime ns */
	struct mbuf		*hd_m;
};

/* xorshift64*: the impairment decisions, reproducible from the seed. */
static u_int
he_rand1000(struct hostether *he)
{
	uint64_t x = he->he_rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	he->he_rng = x;
	return (u_int)((x * 2685821657736338717ULL) >> 32) % 1000;
}

/* Put m on the wire (m stays the caller's). */
static int
he_put(struct hostether *he, struct mbuf *m)
{
	struct rumpuser_iovec iov[HE_MAXIOV];
	struct mbuf *n;
	char *flat = NULL;
	int cnt = 0, error, len = m->m_pkthdr.len;

	for (n = m; n != NULL && cnt < HE_MAXIOV; n = n->m_next) {
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
	error = (*he->he_ops->hop_send)(he->he_h, iov, cnt);
	if (flat != NULL)
		kmem_free(flat, (size_t)len);
	return error;
}

/* The callout: put the delayed frames that are due on the wire. */
static void
he_delay_flush(void *arg)
{
	struct hostether *he = arg;
	struct he_delayed *hd;
	TAILQ_HEAD(, he_delayed) due = TAILQ_HEAD_INITIALIZER(due);
	int64_t now = getnsuptime(), left;

	mutex_enter(&he->he_lock);
	while ((hd = TAILQ_FIRST(&he->he_delayq)) != NULL &&
	    hd->hd_due <= now) {
		TAILQ_REMOVE(&he->he_delayq, hd, hd_list);
		TAILQ_INSERT_TAIL(&due, hd, hd_list);
	}
	/* Not once detach began (he_dying is set under he_lock). */
	if (hd != NULL && !he->he_dying) {
		left = (hd->hd_due - now) / 1000000 + 1;
		callout_schedule(&he->he_delay_ch, mstohz((int)left));
	}
	mutex_exit(&he->he_lock);
	while ((hd = TAILQ_FIRST(&due)) != NULL) {
		TAILQ_REMOVE(&due, hd, hd_list);
		(void)he_put(he, hd->hd_m);
		m_freem(hd->hd_m);
		kmem_free(hd, sizeof(*hd));
	}
}

static int
he_transmit(struct ifnet *ifp, struct mbuf *m)
{
	struct hostether *he = ifp->if_softc;
	struct he_delayed *hd;
	struct mbuf *held = NULL;
	bool dup = false;
	int error;

	mutex_enter(&he->he_lock);
	if (he->he_drop != 0 && he_rand1000(he) < he->he_drop) {
		mutex_exit(&he->he_lock);
		m_freem(m);
		return 0;		/* lost on the wire */
	}
	if (he->he_delay != 0 && !he->he_dying &&
	    he_rand1000(he) < he->he_delay &&
	    (hd = kmem_alloc(sizeof(*hd), KM_NOSLEEP)) != NULL) {
		/* Late by he_delay_ms; what is sent after may overtake it. */
		hd->hd_due = getnsuptime() + (int64_t)he->he_delay_ms * 1000000;
		hd->hd_m = m;
		if (TAILQ_EMPTY(&he->he_delayq))
			callout_schedule(&he->he_delay_ch,
			    mstohz(he->he_delay_ms));
		TAILQ_INSERT_TAIL(&he->he_delayq, hd, hd_list);
		mutex_exit(&he->he_lock);
		return 0;
	}
	if (he->he_dup != 0 && he_rand1000(he) < he->he_dup)
		dup = true;
	if (he->he_reorder != 0) {
		if (he->he_held == NULL &&
		    he_rand1000(he) < he->he_reorder) {
			/* Goes after the next frame. */
			he->he_held = m;
			mutex_exit(&he->he_lock);
			return 0;
		}
		held = he->he_held;
		he->he_held = NULL;
	}
	mutex_exit(&he->he_lock);

	error = he_put(he, m);
	if (error == 0 && dup)
		(void)he_put(he, m);
	if (held != NULL) {
		(void)he_put(he, held);
		m_freem(held);
	}
	m_freem(m);
	return error;
}

static int
he_ioctl(struct ifnet *ifp, u_long cmd, void *data)
{

	/* Up and down need nothing; the MTU is Ethernet's. */
	if (cmd == SIOCSIFMTU)
		return EINVAL;
	return 0;
}

/* The receive thread: frames from the wire to the protocols. */
static void
he_rcvthread(void *arg)
{
	struct hostether *he = arg;
	struct lwp *l = curlwp;
	struct mbuf *m = NULL;
	unsigned long long lost;
	size_t len;
	int error;

	while (!he->he_dying) {
		if (m == NULL) {
			m = m_getcl(M_WAIT, MT_DATA, M_PKTHDR);
			m->m_data += ETHER_ALIGN;
		}
		lost = he->he_lost;
		rump_cpu_release(l);
		error = (*he->he_ops->hop_recv)(he->he_h, mtod(m, void *),
		    MCLBYTES - ETHER_ALIGN, &len, &he->he_lost);
		rump_cpu_acquire(l);
		if (he->he_lost != lost)
			if_statadd(he->he_ifp, ifi_iqdrops, he->he_lost - lost);
		if (error != 0)
			continue;	/* EINTR: look at he_dying */
		if (len < ETHER_HDR_LEN) {
			if_statinc(he->he_ifp, ifi_ierrors);
			continue;	/* not even a header: the buffer stays */
		}
		m->m_len = m->m_pkthdr.len = (int)len;
		if_input(he->he_ifp, m);
		m = NULL;
	}
	m_freem(m);
	kthread_exit(0);
}

static int
he_attach(struct rump_hostether_driver *drv, const char *name,
    struct rumpuser_hostether *h, struct ifnet **ifpp)
{
	struct hostether *he;
	struct ifnet *ifp;
	uint8_t lla[ETHER_ADDR_LEN];
	int error;

	he = kmem_zalloc(sizeof(*he), KM_SLEEP);
	he->he_drv = drv;
	he->he_ops = drv->hd_ops;
	he->he_h = h;
	he->he_rng = 0x9e3779b97f4a7c15ULL;	/* until a seed is given */
	mutex_init(&he->he_lock, MUTEX_DEFAULT, IPL_NONE);
	TAILQ_INIT(&he->he_delayq);
	callout_init(&he->he_delay_ch, CALLOUT_MPSAFE);
	callout_setfunc(&he->he_delay_ch, he_delay_flush, he);
	ifp = if_alloc(name, IFT_ETHER);
	ifp->if_softc = he;
	ifp->if_transmit = he_transmit;
	ifp->if_ioctl = he_ioctl;
	ifp->if_flags = IFF_RUNNING;
	/* A wire delivers in bursts: room for a full TCP window. */
	ifp->if_inq.ifq_maxlen = HE_INQLEN;
	he->he_ifp = ifp;
	/* A random, locally administered, unicast address. */
	cprng_bytes(lla, sizeof(lla));
	lla[0] = (uint8_t)((lla[0] & 0xfc) | 0x02);
	if ((error = kthread_create(PRI_NONE, KTHREAD_MPSAFE |
	    KTHREAD_MUSTJOIN, NULL, he_rcvthread, he, &he->he_rcvlwp,
	    "%s", name)) != 0) {
		if_free(ifp);
		callout_destroy(&he->he_delay_ch);
		mutex_destroy(&he->he_lock);
		kmem_free(he, sizeof(*he));
		return error;
	}
	ether_ifattach(ifp, lla);
	*ifpp = ifp;
	return 0;
}

/* Detach ifp and close its backend. */
static void
he_detach(struct ifnet *ifp)
{
	struct hostether *he = ifp->if_softc;
	struct he_delayed *hd;

	mutex_enter(&he->he_lock);
	he->he_dying = true;
	mutex_exit(&he->he_lock);
	(*he->he_ops->hop_interrupt)(he->he_h);
	kthread_join(he->he_rcvlwp);
	ether_ifdetach(ifp);
	if_free(ifp);
	/* Frames still on their way are lost with the wire. */
	(void)callout_halt(&he->he_delay_ch, NULL);
	callout_destroy(&he->he_delay_ch);
	while ((hd = TAILQ_FIRST(&he->he_delayq)) != NULL) {
		TAILQ_REMOVE(&he->he_delayq, hd, hd_list);
		m_freem(hd->hd_m);
		kmem_free(hd, sizeof(*hd));
	}
	(*he->he_ops->hop_close)(he->he_h);
	m_freem(he->he_held);
	mutex_destroy(&he->he_lock);
	kmem_free(he, sizeof(*he));
}

#define HE_UNIT_TAKEN	((struct ifnet *)-1)	/* being made */

/*
 * A new unit of drv, on the host object that arg names: unit want, or
 * the first free one when want is -1.
 */
static int
he_create(struct rump_hostether_driver *drv, const char *arg, int want,
    int *unitp)
{
	struct ifnet *ifp = NULL;
	char name[IFNAMSIZ];
	struct rumpuser_hostether *h;
	int unit, error;

	mutex_enter(&drv->hd_lock);
	if (want >= 0) {
		if (want >= HOSTETHER_MAXUNITS) {
			mutex_exit(&drv->hd_lock);
			return ENXIO;
		}
		if (drv->hd_units[want] != NULL) {
			mutex_exit(&drv->hd_lock);
			return EEXIST;
		}
		unit = want;
	} else {
		for (unit = 0; unit < HOSTETHER_MAXUNITS &&
		    drv->hd_units[unit] != NULL; unit++)
			continue;
	}
	if (unit == HOSTETHER_MAXUNITS) {
		mutex_exit(&drv->hd_lock);
		return ENOSPC;
	}
	drv->hd_units[unit] = HE_UNIT_TAKEN;
	mutex_exit(&drv->hd_lock);

	snprintf(name, sizeof(name), "%s%d", drv->hd_name, unit);
	if ((error = (*drv->hd_ops->hop_open)(arg, &h)) != 0) {
		printf("%s: cannot open %s: error %d\n", name, arg, error);
	} else if ((error = he_attach(drv, name, h, &ifp)) != 0) {
		(*drv->hd_ops->hop_close)(h);
		ifp = NULL;
	}
	mutex_enter(&drv->hd_lock);
	drv->hd_units[unit] = ifp;
	mutex_exit(&drv->hd_lock);
	if (error == 0)
		*unitp = unit;
	return error;
}

/* Unit unit of drv, with drv's lock held; NULL if there is none. */
static struct hostether *
he_unit_enter(struct rump_hostether_driver *drv, int unit)
{
	struct ifnet *ifp;

	if (unit < 0 || unit >= HOSTETHER_MAXUNITS)
		return NULL;
	mutex_enter(&drv->hd_lock);
	ifp = drv->hd_units[unit];
	if (ifp == NULL || ifp == HE_UNIT_TAKEN) {
		mutex_exit(&drv->hd_lock);
		return NULL;
	}
	return ifp->if_softc;
}

int
rump_hostether_impair(struct rump_hostether_driver *drv, int unit,
    u_int drop, u_int dup, u_int reorder, uint64_t seed)
{
	struct hostether *he;

	if (unit < 0 || drop > 1000 || dup > 1000 || reorder > 1000)
		return EINVAL;
	if ((he = he_unit_enter(drv, unit)) == NULL)
		return ENXIO;
	mutex_enter(&he->he_lock);
	he->he_drop = drop;
	he->he_dup = dup;
	he->he_reorder = reorder;
	he->he_rng = seed != 0 ? seed : 0x9e3779b97f4a7c15ULL;
	mutex_exit(&he->he_lock);
	mutex_exit(&drv->hd_lock);
	return 0;
}

int
rump_hostether_delay(struct rump_hostether_driver *drv, int unit,
    u_int permille, u_int ms)
{
	struct hostether *he;

	if (unit < 0 || permille > 1000 || ms > HOSTETHER_MAXDELAY ||
	    (permille > 0 && ms == 0))
		return EINVAL;
	if ((he = he_unit_enter(drv, unit)) == NULL)
		return ENXIO;
	mutex_enter(&he->he_lock);
	he->he_delay = permille;
	he->he_delay_ms = (int)ms;
	mutex_exit(&he->he_lock);
	mutex_exit(&drv->hd_lock);
	return 0;
}

int
rump_hostether_create(struct rump_hostether_driver *drv, const char *arg,
    int *unitp)
{

	return he_create(drv, arg, -1, unitp);
}

/*
 * Creating "<driver>N" with SIOCIFCREATE: there is no host object; with
 * SIOCIFCREATELINK, on the one link names.
 */
static int
he_clone_create(struct if_clone *ifc, int unit)
{

	return EOPNOTSUPP;
}

static int
he_clone_create_link(struct if_clone *ifc, int unit, const char *link)
{
	struct rump_hostether_driver *drv = container_of(ifc,
	    struct rump_hostether_driver, hd_cloner);
	int got;

	return he_create(drv, link, unit, &got);
}

/* Destroying "<driver>N" (SIOCIFDESTROY). */
static int
he_clone_destroy(struct ifnet *ifp)
{
	struct hostether *he = ifp->if_softc;
	struct rump_hostether_driver *drv = he->he_drv;
	int unit;

	mutex_enter(&drv->hd_lock);
	for (unit = 0; unit < HOSTETHER_MAXUNITS; unit++) {
		if (drv->hd_units[unit] == ifp) {
			/* Taken until the name is gone. */
			drv->hd_units[unit] = HE_UNIT_TAKEN;
			break;
		}
	}
	mutex_exit(&drv->hd_lock);
	if (unit == HOSTETHER_MAXUNITS)
		return ENXIO;
	he_detach(ifp);
	mutex_enter(&drv->hd_lock);
	drv->hd_units[unit] = NULL;
	mutex_exit(&drv->hd_lock);
	return 0;
}

void
rump_hostether_init(struct rump_hostether_driver *drv)
{

	mutex_init(&drv->hd_lock, MUTEX_DEFAULT, IPL_NONE);
	drv->hd_cloner.ifc_name = drv->hd_name;
	drv->hd_cloner.ifc_create = he_clone_create;
	drv->hd_cloner.ifc_destroy = he_clone_destroy;
	drv->hd_cloner.ifc_create_link = he_clone_create_link;
	if_clone_attach(&drv->hd_cloner);
}

/* At shutdown (before the interface layer's): every unit goes. */
void
rump_hostether_fini(struct rump_hostether_driver *drv)
{
	struct ifnet *ifp;
	int unit;

	if_clone_detach(&drv->hd_cloner);
	for (unit = 0; unit < HOSTETHER_MAXUNITS; unit++) {
		if ((ifp = drv->hd_units[unit]) != NULL &&
		    ifp != HE_UNIT_TAKEN) {
			drv->hd_units[unit] = NULL;
			he_detach(ifp);
		}
	}
	mutex_destroy(&drv->hd_lock);
}
