/*
 * ARP (kernel): resolving IPv4 next hops to Ethernet addresses
 * (RFC 826).  Entries live in a small hash table; a packet for an
 * unresolved neighbour waits in the entry's bounded hold queue while
 * requests go out once a second, up to ARP_MAXTRIES, after which the
 * entry fails for a while and its packets are dropped.  Resolved
 * entries expire after ARP_KEEP seconds.  A one-second timer does the
 * retries and expiry while there are entries.
 */

#include <sys/types.h>
#include <sys/callout.h>
#include <sys/endian.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/if.h>
#include <net/if_ether.h>
#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/if_arp.h>

#include <lib/libkern/libkern.h>

#define ARP_HASHSIZE	64
#define ARP_MAXHOLD	64		/* packets waiting per entry (a fragment train) */
#define ARP_MAXTRIES	5		/* requests before giving up */
#define ARP_KEEP	300		/* seconds a resolved entry lives */
#define ARP_FAILHOLD	20		/* seconds a failed entry refuses */
#define ARP_MAXENTRIES	1024

enum arp_state { ARP_INCOMPLETE, ARP_RESOLVED, ARP_FAILED };

struct arp_entry {
	LIST_ENTRY(arp_entry) ae_hash;
	struct ifnet	*ae_ifp;
	struct in_addr	ae_addr;
	uint8_t		ae_lla[ETHER_ADDR_LEN];
	enum arp_state	ae_state;
	int		ae_tries;	/* requests sent */
	int64_t		ae_expire;	/* uptime seconds */
	struct mbuf	*ae_hold;	/* packets waiting, m_nextpkt */
	int		ae_nhold;
};

static LIST_HEAD(, arp_entry) arp_table[ARP_HASHSIZE];
static u_int arp_nentries;
static callout_t arp_timer_ch;
static bool arp_timer_on;
static int64_t arp_lastlog = -1;

static int arp_resolve(struct ifnet *, struct mbuf *,
    const struct sockaddr *, uint8_t *);
static void arp_input(struct ifnet *, struct mbuf *);
static void arp_timer(void *);

static int64_t
arp_now(void)
{

	return getnsuptime() / 1000000000;
}

static u_int
arp_hash(struct in_addr a)
{

	return (ntohl(a.s_addr) * 2654435761U) >> 26;	/* 64 buckets */
}

static struct arp_entry *
arp_find(struct ifnet *ifp, struct in_addr a)
{
	struct arp_entry *ae;

	LIST_FOREACH(ae, &arp_table[arp_hash(a)], ae_hash) {
		if (ae->ae_ifp == ifp && ae->ae_addr.s_addr == a.s_addr)
			return ae;
	}
	return NULL;
}

static void
arp_timer_start(void)
{

	if (!arp_timer_on) {
		arp_timer_on = true;
		callout_reset(&arp_timer_ch, hz, arp_timer, NULL);
	}
}

static void
arp_drop_held(struct arp_entry *ae)
{
	struct mbuf *m;

	while ((m = ae->ae_hold) != NULL) {
		ae->ae_hold = m->m_nextpkt;
		m->m_nextpkt = NULL;
		m_freem(m);
		ipstat.ips_arp_dropped++;
	}
	ae->ae_nhold = 0;
}

static void
arp_free(struct arp_entry *ae)
{

	arp_drop_held(ae);
	LIST_REMOVE(ae, ae_hash);
	arp_nentries--;
	kmem_free(ae, sizeof(*ae));
}

/* A new entry, or NULL if the table is full of live ones. */
static struct arp_entry *
arp_create(struct ifnet *ifp, struct in_addr a)
{
	struct arp_entry *ae;

	if (arp_nentries >= ARP_MAXENTRIES)
		return NULL;
	ae = kmem_zalloc(sizeof(*ae), KM_SLEEP);
	ae->ae_ifp = ifp;
	ae->ae_addr = a;
	ae->ae_state = ARP_INCOMPLETE;
	LIST_INSERT_HEAD(&arp_table[arp_hash(a)], ae, ae_hash);
	arp_nentries++;
	arp_timer_start();
	return ae;
}

/* Send an ARP packet. */
static void
arp_send(struct ifnet *ifp, int op, struct in_addr spa, struct in_addr tpa,
    const uint8_t *tha, const uint8_t *dst)
{
	struct ether_arp *ea;
	struct mbuf *m;

	if ((m = m_gethdr(M_DONTWAIT, MT_DATA)) == NULL)
		return;
	M_ALIGN_END(m, sizeof(*ea));
	m->m_len = m->m_pkthdr.len = sizeof(*ea);
	ea = mtod(m, struct ether_arp *);
	ea->ar_hrd = htons(ARPHRD_ETHER);
	ea->ar_pro = htons(ETHERTYPE_IP);
	ea->ar_hln = ETHER_ADDR_LEN;
	ea->ar_pln = 4;
	ea->ar_op = htons((uint16_t)op);
	memcpy(ea->arp_sha, ifp->if_lladdr, ETHER_ADDR_LEN);
	memcpy(ea->arp_spa, &spa, 4);
	if (tha != NULL)
		memcpy(ea->arp_tha, tha, ETHER_ADDR_LEN);
	else
		memset(ea->arp_tha, 0, ETHER_ADDR_LEN);
	memcpy(ea->arp_tpa, &tpa, 4);
	(void)ether_send(ifp, m, dst, htons(ETHERTYPE_ARP));
}

/* Ask for ae's address, from the address of its interface on that link. */
static void
arp_request(struct arp_entry *ae)
{
	struct in_ifaddr *ia;

	if ((ia = in_ifaddr_onlink(ae->ae_addr, ae->ae_ifp)) == NULL &&
	    (ia = in_ifaddr_first(ae->ae_ifp)) == NULL)
		return;
	ae->ae_tries++;
	arp_send(ae->ae_ifp, ARPOP_REQUEST, ia->ia_addr.sin_addr, ae->ae_addr,
	    NULL, etherbroadcastaddr);
}

/* Announce our address (a gratuitous request), for neighbours' caches. */
void
arp_announce(struct ifnet *ifp, struct in_addr a)
{

	KASSERT(mutex_owned(&softnet_lock));
	if (ifp->if_type != IFT_ETHER || (ifp->if_flags & IFF_NOARP) != 0)
		return;
	arp_send(ifp, ARPOP_REQUEST, a, a, NULL, etherbroadcastaddr);
}

static int
arp_resolve(struct ifnet *ifp, struct mbuf *m, const struct sockaddr *dst,
    uint8_t *lla)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)dst;
	struct arp_entry *ae;
	uint32_t h = ntohl(sin->sin_addr.s_addr);
	struct mbuf *last;

	KASSERT(mutex_owned(&softnet_lock));
	if (in_broadcast(sin->sin_addr, ifp) || (m->m_flags & M_BCAST)) {
		memcpy(lla, etherbroadcastaddr, ETHER_ADDR_LEN);
		return 0;
	}
	if (IN_MULTICAST(h)) {		/* RFC 1112, section 6.4 */
		lla[0] = 0x01;
		lla[1] = 0x00;
		lla[2] = 0x5e;
		lla[3] = (h >> 16) & 0x7f;
		lla[4] = (h >> 8) & 0xff;
		lla[5] = h & 0xff;
		return 0;
	}
	if ((ae = arp_find(ifp, sin->sin_addr)) == NULL &&
	    (ae = arp_create(ifp, sin->sin_addr)) == NULL) {
		m_freem(m);
		ipstat.ips_arp_dropped++;
		return ENOBUFS;
	}
	switch (ae->ae_state) {
	case ARP_RESOLVED:
		memcpy(lla, ae->ae_lla, ETHER_ADDR_LEN);
		return 0;
	case ARP_FAILED:
		m_freem(m);
		ipstat.ips_arp_dropped++;
		return EHOSTDOWN;
	case ARP_INCOMPLETE:
		break;
	}
	/* Hold it, dropping the oldest if the queue is full. */
	if (ae->ae_nhold >= ARP_MAXHOLD) {
		struct mbuf *old = ae->ae_hold;

		ae->ae_hold = old->m_nextpkt;
		old->m_nextpkt = NULL;
		m_freem(old);
		ae->ae_nhold--;
		ipstat.ips_arp_dropped++;
	}
	m->m_nextpkt = NULL;
	if (ae->ae_hold == NULL)
		ae->ae_hold = m;
	else {
		for (last = ae->ae_hold; last->m_nextpkt != NULL;
		    last = last->m_nextpkt)
			continue;
		last->m_nextpkt = m;
	}
	ae->ae_nhold++;
	if (ae->ae_tries == 0) {
		ae->ae_expire = arp_now() + 1;
		arp_request(ae);
	}
	return EWOULDBLOCK;
}

/* ae is resolved to lla: send what waited. */
static void
arp_resolved(struct arp_entry *ae, const uint8_t *lla)
{
	struct mbuf *m;

	memcpy(ae->ae_lla, lla, ETHER_ADDR_LEN);
	ae->ae_state = ARP_RESOLVED;
	ae->ae_tries = 0;
	ae->ae_expire = arp_now() + ARP_KEEP;
	while ((m = ae->ae_hold) != NULL) {
		ae->ae_hold = m->m_nextpkt;
		m->m_nextpkt = NULL;
		ae->ae_nhold--;
		(void)ether_send(ae->ae_ifp, m, ae->ae_lla,
		    htons(ETHERTYPE_IP));
	}
}

static void
arp_input(struct ifnet *ifp, struct mbuf *m)
{
	struct ether_arp *ea;
	struct in_addr spa, tpa;
	struct in_ifaddr *ia;
	struct arp_entry *ae;
	uint8_t sha[ETHER_ADDR_LEN];
	char buf[18];
	int op;

	KASSERT(mutex_owned(&softnet_lock));
	if (m->m_pkthdr.len < (int)sizeof(*ea) ||
	    (m = m_pullup(m, sizeof(*ea))) == NULL) {
		if_statinc(ifp, ifi_ierrors);
		m_freem(m);
		return;
	}
	ea = mtod(m, struct ether_arp *);
	if (ntohs(ea->ar_hrd) != ARPHRD_ETHER ||
	    ntohs(ea->ar_pro) != ETHERTYPE_IP ||
	    ea->ar_hln != ETHER_ADDR_LEN || ea->ar_pln != 4) {
		if_statinc(ifp, ifi_ierrors);
		goto out;
	}
	op = ntohs(ea->ar_op);
	memcpy(&spa, ea->arp_spa, 4);
	memcpy(&tpa, ea->arp_tpa, 4);
	memcpy(sha, ea->arp_sha, ETHER_ADDR_LEN);
	if (ETHER_IS_MULTICAST(sha) ||
	    memcmp(sha, ifp->if_lladdr, ETHER_ADDR_LEN) == 0)
		goto out;
	if (in_ifaddr_find(spa) != NULL &&
	    in_ifaddr_find(spa)->ia_ifp == ifp) {
		/* At most a line a second: the sender may be hostile. */
		if (arp_now() != arp_lastlog) {
			arp_lastlog = arp_now();
			log(3, "arp: %s claims our address (from %s)\n",
			    ifp->if_xname, ether_sprintf(buf, sha));
		}
		goto out;
	}
	ia = in_ifaddr_find(tpa);
	if (ia != NULL && ia->ia_ifp != ifp)
		ia = NULL;
	/* RFC 826: update an entry we have; make one if it asks for us. */
	ae = arp_find(ifp, spa);
	/* Requests make entries only while the table has room to spare. */
	if (ae == NULL && ia != NULL && spa.s_addr != INADDR_ANY &&
	    in_ifaddr_onlink(spa, ifp) != NULL &&
	    arp_nentries < ARP_MAXENTRIES / 2)
		ae = arp_create(ifp, spa);
	if (ae != NULL && spa.s_addr != INADDR_ANY)
		arp_resolved(ae, sha);
	if (op == ARPOP_REQUEST && ia != NULL && tpa.s_addr != spa.s_addr)
		arp_send(ifp, ARPOP_REPLY, tpa, spa, sha, sha);
out:
	m_freem(m);
}

static void
arp_timer(void *arg)
{
	struct arp_entry *ae, *next;
	int64_t now = arp_now();
	int i;

	mutex_enter(&softnet_lock);
	if (!arp_timer_on) {
		mutex_exit(&softnet_lock);
		return;
	}
	for (i = 0; i < ARP_HASHSIZE; i++) {
		LIST_FOREACH_SAFE(ae, &arp_table[i], ae_hash, next) {
			if (ae->ae_expire > now)
				continue;
			switch (ae->ae_state) {
			case ARP_INCOMPLETE:
				if (ae->ae_tries >= ARP_MAXTRIES) {
					arp_drop_held(ae);
					ae->ae_state = ARP_FAILED;
					ae->ae_expire = now + ARP_FAILHOLD;
				} else {
					ae->ae_expire = now + 1;
					arp_request(ae);
				}
				break;
			case ARP_RESOLVED:
			case ARP_FAILED:
				arp_free(ae);
				break;
			}
		}
	}
	if (arp_nentries > 0)
		callout_schedule(&arp_timer_ch, hz);
	else
		arp_timer_on = false;
	mutex_exit(&softnet_lock);
}

/* Forget everything about ifp. */
void
arp_ifdetach(struct ifnet *ifp)
{
	struct arp_entry *ae, *next;
	int i;

	KASSERT(mutex_owned(&softnet_lock));
	for (i = 0; i < ARP_HASHSIZE; i++) {
		LIST_FOREACH_SAFE(ae, &arp_table[i], ae_hash, next) {
			if (ae->ae_ifp == ifp)
				arp_free(ae);
		}
	}
}

bool
arp_lookup(struct ifnet *ifp, struct in_addr a, uint8_t *lla)
{
	struct arp_entry *ae;

	KASSERT(mutex_owned(&softnet_lock));
	if ((ae = arp_find(ifp, a)) == NULL || ae->ae_state != ARP_RESOLVED)
		return false;
	memcpy(lla, ae->ae_lla, ETHER_ADDR_LEN);
	return true;
}

void
arp_init(void)
{
	int i;

	for (i = 0; i < ARP_HASHSIZE; i++)
		LIST_INIT(&arp_table[i]);
	callout_init(&arp_timer_ch, CALLOUT_MPSAFE);
	ether_register_resolver(AF_INET, htons(ETHERTYPE_IP), arp_resolve);
	netproto_register(ETHERTYPE_ARP, arp_input);
}

void
arp_fini(void)
{
	struct arp_entry *ae;
	int i;

	netproto_unregister(ETHERTYPE_ARP);
	ether_register_resolver(AF_INET, 0, NULL);
	mutex_enter(&softnet_lock);
	arp_timer_on = false;
	for (i = 0; i < ARP_HASHSIZE; i++) {
		while ((ae = LIST_FIRST(&arp_table[i])) != NULL)
			arp_free(ae);
	}
	callout_halt(&arp_timer_ch, &softnet_lock);
	mutex_exit(&softnet_lock);
	callout_destroy(&arp_timer_ch);
}
