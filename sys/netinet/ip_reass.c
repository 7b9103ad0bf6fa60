/*
 * IPv4 reassembly (kernel).  Fragments wait in a queue per datagram
 * (source, destination, identification, protocol) until they cover it
 * from 0 to the end the last fragment gives.  Everything is bounded:
 * IPQ_MAXQUEUES datagrams, IPQ_MAXFRAGS fragments each, IPQ_MAXTOTAL
 * fragments in all, IPQ_TIMEOUT seconds each.  A fragment that overlaps
 * another without duplicating it exactly, or that contradicts the
 * datagram's length, ends the whole datagram: overlaps have no honest
 * use and are a classic way to smuggle data past a filter.
 */

#include <sys/types.h>
#include <sys/callout.h>
#include <sys/endian.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>

#include <lib/libkern/libkern.h>

#define IPQ_MAXQUEUES	64
#define IPQ_MAXFRAGS	64
#define IPQ_MAXTOTAL	1024
#define IPQ_TIMEOUT	30		/* seconds */

struct ipq_frag {
	struct mbuf	*f_m;		/* the fragment, header and all */
	int		f_off;		/* data offset in the datagram */
	int		f_len;		/* data bytes */
};

struct ipq {
	LIST_ENTRY(ipq)	q_list;
	struct in_addr	q_src, q_dst;
	uint16_t	q_id;
	uint8_t		q_p;
	int		q_total;	/* datagram data bytes; -1: unknown */
	int64_t		q_expire;	/* uptime ns */
	int		q_nfrags;
	struct ipq_frag	q_frags[IPQ_MAXFRAGS];	/* by offset */
};

static LIST_HEAD(, ipq) ipq_list = LIST_HEAD_INITIALIZER(ipq_list);
static int ipq_nqueues, ipq_nfrags;
static callout_t ipq_timer_ch;
static bool ipq_timer_on;

static void ipq_timer(void *);

static void
ipq_free(struct ipq *q)
{
	int i;

	for (i = 0; i < q->q_nfrags; i++)
		m_freem(q->q_frags[i].f_m);
	ipq_nfrags -= q->q_nfrags;
	ipq_nqueues--;
	LIST_REMOVE(q, q_list);
	kmem_free(q, sizeof(*q));
}

/* Drop the datagram q and the fragment m that condemned it. */
static struct mbuf *
ipq_drop(struct ipq *q, struct mbuf *m)
{

	ipstat.ips_fragdropped += (uint64_t)(q != NULL ? q->q_nfrags : 0) + 1;
	if (q != NULL)
		ipq_free(q);
	m_freem(m);
	return NULL;
}

/* The whole datagram from q's fragments (which are complete). */
static struct mbuf *
ipq_join(struct ipq *q)
{
	struct mbuf *m, *n, *t;
	struct ip *ip;
	int i, hlen, len;

	m = q->q_frags[0].f_m;
	ip = mtod(m, struct ip *);
	hlen = IP_VHL_HL(ip->ip_vhl);
	if (hlen + q->q_total > IP_MAXPACKET) {
		ipstat.ips_fragdropped += (uint64_t)q->q_nfrags;
		ipq_free(q);
		return NULL;
	}
	len = m->m_pkthdr.len;
	for (i = 1; i < q->q_nfrags; i++) {
		n = q->q_frags[i].f_m;
		m_adj(n, IP_VHL_HL(mtod(n, struct ip *)->ip_vhl));
		n->m_flags &= ~M_PKTHDR;
		len += q->q_frags[i].f_len;
		for (t = m; t->m_next != NULL; t = t->m_next)
			continue;
		m_cat(t, n);
	}
	ipq_nfrags -= q->q_nfrags;
	q->q_nfrags = 0;
	ipq_free(q);
	m->m_pkthdr.len = len;
	ip->ip_len = htons((uint16_t)len);
	ip->ip_off = 0;
	ip->ip_sum = 0;
	ip->ip_sum = htons(in_cksum_mbuf(m, 0, hlen, 0));
	return m;
}

struct mbuf *
ip_reass(struct mbuf *m)
{
	struct ip *ip = mtod(m, struct ip *);
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	struct ipq *q;
	struct ipq_frag *f;
	int hlen = IP_VHL_HL(ip->ip_vhl), off, len, i, end;
	bool mf;

	KASSERT(mutex_owned(&softnet_lock));
	off = (ntohs(ip->ip_off) & IP_OFFMASK) << 3;
	mf = (ntohs(ip->ip_off) & IP_MF) != 0;
	len = ntohs(ip->ip_len) - hlen;
	if (len <= 0 || (mf && (len & 7) != 0) ||
	    off + len + hlen > IP_MAXPACKET)
		return ipq_drop(NULL, m);

	LIST_FOREACH(q, &ipq_list, q_list) {
		if (q->q_id == ip->ip_id && q->q_p == ip->ip_p &&
		    q->q_src.s_addr == ip->ip_src.s_addr &&
		    q->q_dst.s_addr == ip->ip_dst.s_addr)
			break;
	}
	if (q == NULL) {
		/* Full: the oldest datagram makes room (the list's tail). */
		while ((ipq_nqueues >= IPQ_MAXQUEUES ||
		    ipq_nfrags >= IPQ_MAXTOTAL) && !LIST_EMPTY(&ipq_list)) {
			struct ipq *old, *it;

			old = LIST_FIRST(&ipq_list);
			LIST_FOREACH(it, &ipq_list, q_list)
				old = it;
			ipstat.ips_fragdropped += (uint64_t)old->q_nfrags;
			ipq_free(old);
		}
		q = kmem_zalloc(sizeof(*q), KM_SLEEP);
		q->q_src = ip->ip_src;
		q->q_dst = ip->ip_dst;
		q->q_id = ip->ip_id;
		q->q_p = ip->ip_p;
		q->q_total = -1;
		q->q_expire = getnsuptime() + (int64_t)IPQ_TIMEOUT * 1000000000;
		LIST_INSERT_HEAD(&ipq_list, q, q_list);
		ipq_nqueues++;
		if (!ipq_timer_on) {
			ipq_timer_on = true;
			callout_reset(&ipq_timer_ch, hz, ipq_timer, NULL);
		}
	}

	/* The end, if this is the last fragment; it must fit the rest. */
	end = off + len;
	if (!mf) {
		if (q->q_total >= 0 && q->q_total != end)
			return ipq_drop(q, m);
		/* Nothing queued may go past the end. */
		for (i = 0; i < q->q_nfrags; i++) {
			if (q->q_frags[i].f_off + q->q_frags[i].f_len > end)
				return ipq_drop(q, m);
		}
		q->q_total = end;
	}
	if (q->q_total >= 0 && end > q->q_total)
		return ipq_drop(q, m);

	/* Where it goes; exact duplicates are dropped, overlaps are fatal. */
	for (i = 0; i < q->q_nfrags; i++) {
		f = &q->q_frags[i];
		if (f->f_off == off && f->f_len == len) {
			ipstat.ips_fragdropped++;
			m_freem(m);
			return NULL;
		}
		if (off < f->f_off + f->f_len && f->f_off < end)
			return ipq_drop(q, m);
		if (f->f_off > off)
			break;
	}
	if (q->q_nfrags >= IPQ_MAXFRAGS || ipq_nfrags >= IPQ_MAXTOTAL)
		return ipq_drop(q, m);
	memmove(&q->q_frags[i + 1], &q->q_frags[i],
	    (size_t)(q->q_nfrags - i) * sizeof(q->q_frags[0]));
	q->q_frags[i].f_m = m;
	q->q_frags[i].f_off = off;
	q->q_frags[i].f_len = len;
	q->q_nfrags++;
	ipq_nfrags++;

	/* Complete? */
	if (q->q_total < 0)
		return NULL;
	for (i = 0, end = 0; i < q->q_nfrags; i++) {
		if (q->q_frags[i].f_off != end)
			return NULL;
		end += q->q_frags[i].f_len;
	}
	if (end != q->q_total)
		return NULL;
	/* The datagram comes in on the interface of its last piece. */
	if ((m = ipq_join(q)) != NULL)
		m->m_pkthdr.rcvif = ifp;
	return m;
}

static void
ipq_timer(void *arg)
{
	struct ipq *q, *next;
	int64_t now = getnsuptime();

	mutex_enter(&softnet_lock);
	LIST_FOREACH_SAFE(q, &ipq_list, q_list, next) {
		if (q->q_expire <= now) {
			ipstat.ips_fragtimeout += (uint64_t)q->q_nfrags;
			ipq_free(q);
		}
	}
	if (ipq_timer_on && !LIST_EMPTY(&ipq_list))
		callout_schedule(&ipq_timer_ch, hz);
	else
		ipq_timer_on = false;
	mutex_exit(&softnet_lock);
}

/* Give back every waiting fragment (memory pressure, shutdown). */
void
ip_reass_drain(void)
{
	struct ipq *q;

	KASSERT(mutex_owned(&softnet_lock));
	while ((q = LIST_FIRST(&ipq_list)) != NULL)
		ipq_free(q);
}

void
ip_reass_init(void)
{

	callout_init(&ipq_timer_ch, CALLOUT_MPSAFE);
}

void
ip_reass_fini(void)
{

	mutex_enter(&softnet_lock);
	ip_reass_drain();
	ipq_timer_on = false;
	callout_halt(&ipq_timer_ch, &softnet_lock);
	mutex_exit(&softnet_lock);
	callout_destroy(&ipq_timer_ch);
}
