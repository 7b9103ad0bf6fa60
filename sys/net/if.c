/*
 * Network interfaces (kernel): the interface list with referenced
 * lookups, attach and detach, the input queues and the network input
 * thread that drains them, protocol registration by Ethernet type,
 * interface cloners, and the interface ioctls.  See <net/if.h> and
 * <net/netisr.h>.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/socket.h>
#include <sys/sockio.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/netisr.h>

#include <lib/libkern/libkern.h>

kmutex_t softnet_lock;
struct ifnethead ifnet_list = TAILQ_HEAD_INITIALIZER(ifnet_list);
void (*if_tap_hook)(struct ifnet *, struct mbuf *, int);

static u_int if_nextindex;
static kcondvar_t if_refcv;		/* a reference went (softnet_lock) */

/* Input: interfaces with queued frames, for the input thread. */
static kmutex_t if_inq_lock;
static kcondvar_t if_inq_cv;
static TAILQ_HEAD(, ifnet) if_inq_pending = TAILQ_HEAD_INITIALIZER(if_inq_pending);
static bool netisr_exit;
static struct lwp *netisr_lwp;

/* The input thread takes at most this many frames of one interface in turn. */
#define NETISR_BATCH	64

#define NPROTOHOOKS	4
static const struct if_protohooks *protohooks[NPROTOHOOKS];

#define NNETPROTO	8
static struct {
	uint16_t		type;
	netproto_input_t	input;
} netprotos[NNETPROTO];

static LIST_HEAD(, if_clone) if_cloners = LIST_HEAD_INITIALIZER(if_cloners);

static void netisr_thread(void *);

void
ifinit(void)
{
	int error;

	mutex_init(&softnet_lock, MUTEX_DEFAULT, IPL_NONE);
	mutex_init(&if_inq_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&if_inq_cv, "netisr");
	cv_init(&if_refcv, "ifref");
	netisr_exit = false;
	if ((error = kthread_create(PRI_NONE, KTHREAD_MPSAFE |
	    KTHREAD_MUSTJOIN, NULL, netisr_thread, NULL, &netisr_lwp,
	    "netisr")) != 0)
		panic("ifinit: no input thread: %d", error);
}

/* After the drivers and protocols have gone. */
void
iffini(void)
{

	mutex_enter(&if_inq_lock);
	netisr_exit = true;
	cv_broadcast(&if_inq_cv);
	mutex_exit(&if_inq_lock);
	kthread_join(netisr_lwp);
	if (!TAILQ_EMPTY(&ifnet_list))
		printf("if: interfaces still attached at shutdown\n");
}

/*
 * Protocol hooks and input.
 */

void
if_protohooks_register(const struct if_protohooks *ph)
{
	struct ifnet *ifp;
	int i;

	mutex_enter(&softnet_lock);
	for (i = 0; i < NPROTOHOOKS && protohooks[i] != NULL; i++)
		continue;
	if (i == NPROTOHOOKS)
		panic("if_protohooks_register: table full");
	protohooks[i] = ph;
	if (ph->ph_attach != NULL) {
		TAILQ_FOREACH(ifp, &ifnet_list, if_list)
			(*ph->ph_attach)(ifp);
	}
	mutex_exit(&softnet_lock);
}

void
if_protohooks_unregister(const struct if_protohooks *ph)
{
	struct ifnet *ifp;
	int i;

	mutex_enter(&softnet_lock);
	for (i = 0; i < NPROTOHOOKS; i++) {
		if (protohooks[i] == ph)
			protohooks[i] = NULL;
	}
	if (ph->ph_detach != NULL) {
		TAILQ_FOREACH(ifp, &ifnet_list, if_list)
			(*ph->ph_detach)(ifp);
	}
	mutex_exit(&softnet_lock);
}

void
netproto_register(uint16_t type, netproto_input_t input)
{
	int i;

	mutex_enter(&softnet_lock);
	for (i = 0; i < NNETPROTO && netprotos[i].input != NULL; i++)
		continue;
	if (i == NNETPROTO)
		panic("netproto_register: table full");
	netprotos[i].type = type;
	netprotos[i].input = input;
	mutex_exit(&softnet_lock);
}

void
netproto_unregister(uint16_t type)
{
	int i;

	mutex_enter(&softnet_lock);
	for (i = 0; i < NNETPROTO; i++) {
		if (netprotos[i].input != NULL && netprotos[i].type == type)
			netprotos[i].input = NULL;
	}
	mutex_exit(&softnet_lock);
}

void
netproto_input(uint16_t type, struct ifnet *ifp, struct mbuf *m)
{
	int i;

	KASSERT(mutex_owned(&softnet_lock));
	for (i = 0; i < NNETPROTO; i++) {
		if (netprotos[i].input != NULL && netprotos[i].type == type) {
			(*netprotos[i].input)(ifp, m);
			return;
		}
	}
	if_statinc(ifp, ifi_noproto);
	m_freem(m);
}

/*
 * Interfaces.
 */

struct ifnet *
if_alloc(const char *name, int type)
{
	struct ifnet *ifp;

	ifp = kmem_zalloc(sizeof(*ifp), KM_SLEEP);
	strlcpy(ifp->if_xname, name, sizeof(ifp->if_xname));
	ifp->if_type = type;
	TAILQ_INIT(&ifp->if_addrlist);
	ifp->if_inq.ifq_maxlen = IFQ_MAXLEN;
	return ifp;
}

void
if_free(struct ifnet *ifp)
{

	KASSERT(ifp->if_refcnt == 0);
	kmem_free(ifp, sizeof(*ifp));
}

void
if_attach(struct ifnet *ifp)
{
	int i;

	KASSERT(ifp->if_transmit != NULL && ifp->if_output != NULL &&
	    ifp->if_l2input != NULL);
	mutex_enter(&softnet_lock);
	ifp->if_index = ++if_nextindex;
	ifp->if_refcnt = 1;
	TAILQ_INSERT_TAIL(&ifnet_list, ifp, if_list);
	for (i = 0; i < NPROTOHOOKS; i++) {
		if (protohooks[i] != NULL && protohooks[i]->ph_attach != NULL)
			(*protohooks[i]->ph_attach)(ifp);
	}
	mutex_exit(&softnet_lock);
}

/* Take the interface down: flags, then every protocol's view. */
static void
if_down_locked(struct ifnet *ifp)
{
	int i;

	KASSERT(mutex_owned(&softnet_lock));
	if ((ifp->if_flags & IFF_UP) == 0)
		return;
	ifp->if_flags &= ~IFF_UP;
	if (ifp->if_ioctl != NULL)
		(void)(*ifp->if_ioctl)(ifp, SIOCSIFFLAGS, NULL);
	for (i = 0; i < NPROTOHOOKS; i++) {
		if (protohooks[i] != NULL && protohooks[i]->ph_updown != NULL)
			(*protohooks[i]->ph_updown)(ifp);
	}
}

void
if_detach(struct ifnet *ifp)
{
	struct mbuf *m, *next;
	int i;

	mutex_enter(&softnet_lock);
	if_down_locked(ifp);
	ifp->if_dying = true;
	for (i = 0; i < NPROTOHOOKS; i++) {
		if (protohooks[i] != NULL && protohooks[i]->ph_detach != NULL)
			(*protohooks[i]->ph_detach)(ifp);
	}
	KASSERT(TAILQ_EMPTY(&ifp->if_addrlist));
	TAILQ_REMOVE(&ifnet_list, ifp, if_list);
	mutex_exit(&softnet_lock);

	/* Frames still queued go; the input thread lets go of it. */
	mutex_enter(&if_inq_lock);
	m = ifp->if_inq.ifq_head;
	ifp->if_inq.ifq_head = ifp->if_inq.ifq_tail = NULL;
	ifp->if_inq.ifq_len = 0;
	if (ifp->if_inq_pending) {
		TAILQ_REMOVE(&if_inq_pending, ifp, if_inq_entry);
		ifp->if_inq_pending = false;
	}
	mutex_exit(&if_inq_lock);
	for (; m != NULL; m = next) {
		next = m->m_nextpkt;
		m_freem(m);
	}

	mutex_enter(&softnet_lock);
	atomic_dec_uint(&ifp->if_refcnt);
	while (atomic_load_relaxed(&ifp->if_refcnt) > 0)
		cv_wait(&if_refcv, &softnet_lock);
	mutex_exit(&softnet_lock);
}

void
if_hold(struct ifnet *ifp)
{

	atomic_inc_uint(&ifp->if_refcnt);
}

void
if_put(struct ifnet *ifp)
{

	KASSERT(!mutex_owned(&softnet_lock));
	if (atomic_dec_uint_nv(&ifp->if_refcnt) == 0) {
		/* Detach waits for this under softnet_lock. */
		mutex_enter(&softnet_lock);
		cv_broadcast(&if_refcv);
		mutex_exit(&softnet_lock);
	}
}

/* Lookups, under softnet_lock. */
static struct ifnet *
if_find_byname(const char *name)
{
	struct ifnet *ifp;

	TAILQ_FOREACH(ifp, &ifnet_list, if_list) {
		if (strncmp(ifp->if_xname, name, IFNAMSIZ) == 0)
			return ifp;
	}
	return NULL;
}

struct ifnet *
if_get_byname(const char *name)
{
	struct ifnet *ifp;

	mutex_enter(&softnet_lock);
	if ((ifp = if_find_byname(name)) != NULL)
		if_hold(ifp);
	mutex_exit(&softnet_lock);
	return ifp;
}

struct ifnet *
if_get_byindex(u_int index)
{
	struct ifnet *ifp;

	mutex_enter(&softnet_lock);
	TAILQ_FOREACH(ifp, &ifnet_list, if_list) {
		if (ifp->if_index == index) {
			if_hold(ifp);
			break;
		}
	}
	mutex_exit(&softnet_lock);
	return ifp;
}

/*
 * Input and output.
 */

/* Frames wait and nobody works on them: wake the input thread. */
static void
if_inq_schedule(struct ifnet *ifp)
{

	KASSERT(mutex_owned(&if_inq_lock));
	if (ifp->if_inq.ifq_head != NULL && !ifp->if_inq_pending &&
	    !ifp->if_inq_busy) {
		ifp->if_inq_pending = true;
		TAILQ_INSERT_TAIL(&if_inq_pending, ifp, if_inq_entry);
		cv_signal(&if_inq_cv);
	}
}

void
if_input(struct ifnet *ifp, struct mbuf *m)
{
	struct ifqueue *q = &ifp->if_inq;

	KASSERT((m->m_flags & M_PKTHDR) != 0);
	m->m_pkthdr.rcvif = ifp;
	m->m_nextpkt = NULL;
	if_statinc(ifp, ifi_ipackets);
	if_statadd(ifp, ifi_ibytes, m->m_pkthdr.len);
	if_tap(ifp, m, IF_TAP_IN);

	mutex_enter(&if_inq_lock);
	if ((ifp->if_flags & IFF_UP) == 0 || ifp->if_dying ||
	    q->ifq_len >= q->ifq_maxlen) {
		mutex_exit(&if_inq_lock);
		if_statinc(ifp, ifi_iqdrops);
		m_freem(m);
		return;
	}
	/*
	 * Nothing queued or being worked on: the caller (a driver's
	 * receive thread) hands it to the protocols itself, which saves
	 * waking the input thread.  Not from inside the stack (loopback
	 * output holds softnet_lock).
	 */
	if (q->ifq_head == NULL && !ifp->if_inq_pending && !ifp->if_inq_busy &&
	    !mutex_owned(&softnet_lock)) {
		ifp->if_inq_busy = true;
		mutex_exit(&if_inq_lock);
		mutex_enter(&softnet_lock);
		(*ifp->if_l2input)(ifp, m);
		mutex_exit(&softnet_lock);
		mutex_enter(&if_inq_lock);
		ifp->if_inq_busy = false;
		if_inq_schedule(ifp);
		mutex_exit(&if_inq_lock);
		return;
	}
	if (q->ifq_tail == NULL)
		q->ifq_head = m;
	else
		q->ifq_tail->m_nextpkt = m;
	q->ifq_tail = m;
	q->ifq_len++;
	if (!ifp->if_inq_busy)
		if_inq_schedule(ifp);
	mutex_exit(&if_inq_lock);
}

int
if_transmit(struct ifnet *ifp, struct mbuf *m)
{
	int error, len;

	KASSERT((m->m_flags & M_PKTHDR) != 0);
	if ((ifp->if_flags & (IFF_UP | IFF_RUNNING)) !=
	    (IFF_UP | IFF_RUNNING)) {
		m_freem(m);
		if_statinc(ifp, ifi_oerrors);
		return ENETDOWN;
	}
	len = m->m_pkthdr.len;
	/* Loopback packets are tapped once, on the way in. */
	if ((ifp->if_flags & IFF_LOOPBACK) == 0)
		if_tap(ifp, m, IF_TAP_OUT);
	if ((error = (*ifp->if_transmit)(ifp, m)) != 0) {
		if_statinc(ifp, ifi_oerrors);
		return error;
	}
	if_statinc(ifp, ifi_opackets);
	if_statadd(ifp, ifi_obytes, len);
	return 0;
}

/*
 * The input thread: takes a batch of frames from each interface with
 * input in turn and gives them to its link layer under softnet_lock.
 */
static void
netisr_thread(void *arg)
{
	struct ifnet *ifp;
	struct mbuf *m, *batch;
	struct ifqueue *q;
	int n;

	mutex_enter(&if_inq_lock);
	for (;;) {
		while (TAILQ_EMPTY(&if_inq_pending) && !netisr_exit)
			cv_wait(&if_inq_cv, &if_inq_lock);
		if ((ifp = TAILQ_FIRST(&if_inq_pending)) == NULL)
			break;
		TAILQ_REMOVE(&if_inq_pending, ifp, if_inq_entry);
		ifp->if_inq_pending = false;
		q = &ifp->if_inq;
		/* Someone works on it: they hand what is left back. */
		if (ifp->if_inq_busy || q->ifq_head == NULL)
			continue;
		/* Take up to a batch off the queue, in order. */
		batch = q->ifq_head;
		for (n = 1, m = batch; n < NETISR_BATCH && m->m_nextpkt != NULL;
		    n++)
			m = m->m_nextpkt;
		q->ifq_head = m->m_nextpkt;
		m->m_nextpkt = NULL;
		q->ifq_len -= n;
		if (q->ifq_head == NULL)
			q->ifq_tail = NULL;
		ifp->if_inq_busy = true;
		if_hold(ifp);
		mutex_exit(&if_inq_lock);

		mutex_enter(&softnet_lock);
		while ((m = batch) != NULL) {
			batch = m->m_nextpkt;
			m->m_nextpkt = NULL;
			if (ifp->if_dying)
				m_freem(m);
			else
				(*ifp->if_l2input)(ifp, m);
		}
		mutex_exit(&softnet_lock);
		mutex_enter(&if_inq_lock);
		ifp->if_inq_busy = false;
		if_inq_schedule(ifp);	/* the rest, after the others */
		mutex_exit(&if_inq_lock);
		if_put(ifp);
		mutex_enter(&if_inq_lock);
	}
	mutex_exit(&if_inq_lock);
	kthread_exit(0);
}

/*
 * Cloners.
 */

void
if_clone_attach(struct if_clone *ifc)
{

	mutex_enter(&softnet_lock);
	LIST_INSERT_HEAD(&if_cloners, ifc, ifc_list);
	mutex_exit(&softnet_lock);
}

void
if_clone_detach(struct if_clone *ifc)
{

	mutex_enter(&softnet_lock);
	LIST_REMOVE(ifc, ifc_list);
	mutex_exit(&softnet_lock);
}

/* The cloner of "name" (a prefix and a unit number) and the unit. */
static struct if_clone *
if_clone_lookup(const char *name, int *unitp)
{
	struct if_clone *ifc;
	const char *cp;
	size_t len;
	long long unit;

	LIST_FOREACH(ifc, &if_cloners, ifc_list) {
		len = strlen(ifc->ifc_name);
		if (strncmp(name, ifc->ifc_name, len) != 0)
			continue;
		cp = name + len;
		if (*cp < '0' || *cp > '9' || (cp[0] == '0' && cp[1] != '\0'))
			continue;
		if (kstrtoll_range(cp, 10, 0, 9999, &unit) != 0)
			continue;
		*unitp = (int)unit;
		return ifc;
	}
	return NULL;
}

/* Create interface name, on a host link when link is not NULL. */
static int
if_clone_make(const char *name, const char *link)
{
	struct if_clone *ifc;
	int unit;

	if (strnlen(name, IFNAMSIZ) >= IFNAMSIZ)
		return EINVAL;
	mutex_enter(&softnet_lock);
	if (if_find_byname(name) != NULL) {
		mutex_exit(&softnet_lock);
		return EEXIST;
	}
	ifc = if_clone_lookup(name, &unit);
	mutex_exit(&softnet_lock);
	if (ifc == NULL)
		return EINVAL;
	if (link == NULL)
		return (*ifc->ifc_create)(ifc, unit);
	if (ifc->ifc_create_link == NULL)
		return EOPNOTSUPP;
	return (*ifc->ifc_create_link)(ifc, unit, link);
}

int
if_clone_create(const char *name)
{

	return if_clone_make(name, NULL);
}

int
if_clone_create_link(const char *name, const char *link)
{

	return if_clone_make(name, link);
}

int
if_clone_destroy(const char *name)
{
	struct if_clone *ifc;
	struct ifnet *ifp;
	int unit, error;

	mutex_enter(&softnet_lock);
	ifc = if_clone_lookup(name, &unit);
	ifp = if_find_byname(name);
	if (ifp == NULL || ifp->if_destroying) {
		mutex_exit(&softnet_lock);
		return ENXIO;
	}
	if (ifc == NULL || ifc->ifc_destroy == NULL) {
		mutex_exit(&softnet_lock);
		return EOPNOTSUPP;
	}
	ifp->if_destroying = true;	/* one destroyer */
	mutex_exit(&softnet_lock);
	if ((error = (*ifc->ifc_destroy)(ifp)) != 0) {
		mutex_enter(&softnet_lock);
		ifp->if_destroying = false;
		mutex_exit(&softnet_lock);
	}
	return error;
}

/*
 * Ioctls.
 */

#define IFCONF_MAX	1024	/* records in one SIOCGIFCONF */

/*
 * SIOCGIFCONF: an ifreq per address (a link one for none), made under
 * softnet_lock and copied to the caller after it.
 */
static int
ifconf(struct ifconf *ifc)
{
	struct ifnet *ifp;
	struct ifaddr *ifa;
	struct ifreq *ifr, *kbuf = NULL;
	size_t space = 0, used = 0, total = 0;
	bool any;
	int error = 0;

	if (ifc->ifc_len < 0)
		return EINVAL;
	if (ifc->ifc_ubuf != NULL) {
		space = MIN((size_t)ifc->ifc_len / sizeof(*ifr), IFCONF_MAX);
		if (space > 0)
			kbuf = kmem_zalloc(space * sizeof(*ifr), KM_SLEEP);
	}
	mutex_enter(&softnet_lock);
	TAILQ_FOREACH(ifp, &ifnet_list, if_list) {
		any = false;
		ifa = TAILQ_FIRST(&ifp->if_addrlist);
		do {
			if (ifa != NULL && ifa->ifa_addr->sa_len >
			    sizeof(ifr->ifr_sa))
				goto next;
			any = true;
			total++;
			if (used == space)
				goto next;
			ifr = &kbuf[used++];
			strlcpy(ifr->ifr_xname, ifp->if_xname, IFNAMSIZ);
			if (ifa != NULL)
				memcpy(&ifr->ifr_sa, ifa->ifa_addr,
				    ifa->ifa_addr->sa_len);
next:
			if (ifa != NULL)
				ifa = TAILQ_NEXT(ifa, ifa_list);
		} while (ifa != NULL || !any);
	}
	mutex_exit(&softnet_lock);
	if (ifc->ifc_ubuf == NULL) {
		ifc->ifc_len = (int32_t)MIN(total, IFCONF_MAX) *
		    (int32_t)sizeof(*ifr);
	} else {
		if (used > 0)
			error = copyout(kbuf, ifc->ifc_ubuf,
			    used * sizeof(*ifr));
		ifc->ifc_len = (int32_t)(used * sizeof(*ifr));
	}
	if (kbuf != NULL)
		kmem_free(kbuf, space * sizeof(*ifr));
	return error;
}

int
ifioctl(u_long cmd, void *data, struct lwp *l)
{
	struct ifreq *ifr = data;
	struct ifnet *ifp;
	u_int flags;
	int error, i;

	switch (cmd) {
	case SIOCIFCREATE:
	case SIOCIFDESTROY:
		if (!kauth_cred_issuser(l->l_cred))
			return EPERM;
		ifr->ifr_xname[IFNAMSIZ - 1] = '\0';
		return cmd == SIOCIFCREATE ? if_clone_create(ifr->ifr_xname) :
		    if_clone_destroy(ifr->ifr_xname);
	case SIOCIFCREATELINK: {
		struct ifreq_link *ifrl = data;

		if (!kauth_cred_issuser(l->l_cred))
			return EPERM;
		ifrl->ifrl_name[sizeof(ifrl->ifrl_name) - 1] = '\0';
		if (strnlen(ifrl->ifrl_link, sizeof(ifrl->ifrl_link)) ==
		    sizeof(ifrl->ifrl_link) || ifrl->ifrl_link[0] == '\0')
			return EINVAL;
		return if_clone_create_link(ifrl->ifrl_name, ifrl->ifrl_link);
	}
	case SIOCGIFCONF:
		return ifconf(data);
	}

	ifr->ifr_xname[IFNAMSIZ - 1] = '\0';
	mutex_enter(&softnet_lock);
	if ((ifp = if_find_byname(ifr->ifr_xname)) == NULL) {
		mutex_exit(&softnet_lock);
		return ENXIO;
	}
	switch (cmd) {
	case SIOCGIFFLAGS:
		ifr->ifr_ifflags = (int32_t)ifp->if_flags;
		error = 0;
		break;
	case SIOCGIFMTU:
		ifr->ifr_ifmtu = (int32_t)ifp->if_mtu;
		error = 0;
		break;
	case SIOCGIFINDEX:
		ifr->ifr_index = (int32_t)ifp->if_index;
		error = 0;
		break;
	case SIOCGIFHWADDR:
		/* AF_LINK, and the link address of if_addrlen bytes. */
		memset(&ifr->ifr_sa, 0, sizeof(ifr->ifr_sa));
		ifr->ifr_sa.sa_family = AF_LINK;
		ifr->ifr_sa.sa_len = (uint8_t)(offsetof(struct sockaddr,
		    sa_data) + ifp->if_addrlen);
		memcpy(ifr->ifr_sa.sa_data, ifp->if_lladdr, ifp->if_addrlen);
		error = 0;
		break;
	case SIOCGIFDATA:
		memcpy(&((struct ifdatareq *)data)->ifdr_data, &ifp->if_data,
		    sizeof(ifp->if_data));
		error = 0;
		break;
	case SIOCSIFFLAGS:
	case SIOCSIFMTU:
	default:
		/* Changes (only copied in) are the superuser's. */
		error = 0;
		if ((cmd & IOC_OUT) == 0 && !kauth_cred_issuser(l->l_cred)) {
			error = EPERM;
			break;
		}
		if (cmd == SIOCSIFFLAGS) {
			flags = (ifp->if_flags & ~IFF_CANCHANGE) |
			    ((u_int)ifr->ifr_ifflags & IFF_CANCHANGE);
			if ((flags & IFF_UP) == 0 &&
			    (ifp->if_flags & IFF_UP) != 0) {
				ifp->if_flags = flags | IFF_UP;
				if_down_locked(ifp);
				break;
			}
			u_int was = ifp->if_flags;
			ifp->if_flags = flags;
			if (ifp->if_ioctl != NULL &&
			    (error = (*ifp->if_ioctl)(ifp, cmd, NULL)) != 0) {
				ifp->if_flags = was;
				break;
			}
			if ((was ^ flags) & IFF_UP) {
				for (i = 0; i < NPROTOHOOKS; i++) {
					if (protohooks[i] != NULL &&
					    protohooks[i]->ph_updown != NULL)
						(*protohooks[i]->ph_updown)(ifp);
				}
			}
			break;
		}
		if (cmd == SIOCSIFMTU) {
			if (ifr->ifr_ifmtu < 68) {
				error = EINVAL;
				break;
			}
			error = ifp->if_ioctl == NULL ? EOPNOTSUPP :
			    (*ifp->if_ioctl)(ifp, cmd, ifr);
			if (error == 0)
				ifp->if_mtu = (u_int)ifr->ifr_ifmtu;
			break;
		}
		/* Addresses: the protocols'. */
		error = EOPNOTSUPP;
		for (i = 0; i < NPROTOHOOKS && error == EOPNOTSUPP; i++) {
			if (protohooks[i] != NULL &&
			    protohooks[i]->ph_ioctl != NULL)
				error = (*protohooks[i]->ph_ioctl)(cmd, data,
				    ifp, l);
		}
		break;
	}
	mutex_exit(&softnet_lock);
	return error;
}
