/*
 * The routing table (kernel): one list per kernel kept in order of
 * decreasing prefix length, so the first match of a lookup is the
 * longest.  Addresses of any family are compared byte by byte under
 * their mask, over the bytes of the socket address that hold the
 * address (the family says which).  See <net/route.h>.
 */

#include <sys/types.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/socket.h>
#include <sys/sockio.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/netisr.h>
#include <net/route.h>

#include <lib/libkern/libkern.h>

static TAILQ_HEAD(, rtentry) rt_table = TAILQ_HEAD_INITIALIZER(rt_table);
uint64_t rt_gen;
static struct {
	rt_ifa_for_t	ifa_for;
	int		off, len;	/* the address bytes */
} rt_families[AF_MAX];

void
rt_init(void)
{

	rt_gen = 1;
}

void
rt_register_family(int af, int off, int len, rt_ifa_for_t fn)
{

	KASSERT(af > 0 && af < AF_MAX);
	rt_families[af].off = off;
	rt_families[af].len = len;
	rt_families[af].ifa_for = fn;
}

/*
 * The prefix length of a mask for family af (its set bits); -1 if not
 * contiguous.  A mask shorter than the address is zeros after its end.
 */
static int
rt_masklen(int af, const struct sockaddr *mask)
{
	const uint8_t *p = (const uint8_t *)mask;
	int i, bits = 0;
	bool ended = false;
	uint8_t b;

	for (i = rt_families[af].off;
	    i < rt_families[af].off + rt_families[af].len; i++) {
		b = i < mask->sa_len ? p[i] : 0;
		if (ended && b != 0)
			return -1;
		if (b == 0xff) {
			bits += 8;
			continue;
		}
		/* A partial byte: ones then zeros. */
		if ((uint8_t)(b | (b - 1)) != 0xff && b != 0)
			return -1;
		while (b & 0x80) {
			bits++;
			b <<= 1;
		}
		ended = true;
	}
	return bits;
}

/* Does dst match key under mask? */
static bool
rt_match(const struct sockaddr *dst, const struct sockaddr *key,
    const struct sockaddr *mask)
{
	const uint8_t *d = (const uint8_t *)dst, *k = (const uint8_t *)key;
	const uint8_t *m = (const uint8_t *)mask;
	int af = key->sa_family, i, end;

	if (dst->sa_family != af)
		return false;
	end = rt_families[af].off + rt_families[af].len;
	if (dst->sa_len < end)
		return false;
	for (i = rt_families[af].off; i < end && i < mask->sa_len; i++) {
		if ((d[i] & m[i]) != k[i])
			return false;
	}
	return true;
}

/* A destination or gateway: a family we route, long enough. */
static bool
rt_valid_sa(const struct sockaddr *sa)
{
	int af = sa->sa_family;

	return af > 0 && af < AF_MAX && rt_families[af].len != 0 &&
	    sa->sa_len >= rt_families[af].off + rt_families[af].len &&
	    sa->sa_len <= sizeof(struct sockaddr_storage);
}

/* The entry for exactly this destination and prefix, if any. */
static struct rtentry *
rt_find_exact(const struct sockaddr *dst, const struct sockaddr *mask,
    int plen)
{
	struct rtentry *rt;

	TAILQ_FOREACH(rt, &rt_table, rt_list) {
		if (rt->rt_plen == plen &&
		    rt_match(dst, (const struct sockaddr *)&rt->rt_dst, mask))
			return rt;
	}
	return NULL;
}

int
rt_add(const struct sockaddr *dst, const struct sockaddr *mask,
    const struct sockaddr *gateway, u_int flags, struct ifaddr *ifa)
{
	struct rtentry *rt, *it;
	uint8_t *k;
	const uint8_t *m;
	int plen, i;

	KASSERT(mutex_owned(&softnet_lock));
	if (!rt_valid_sa(dst) || mask->sa_len > sizeof(rt->rt_mask))
		return EINVAL;
	if ((flags & RTF_GATEWAY) != 0 &&
	    (gateway == NULL || !rt_valid_sa(gateway)))
		return EINVAL;
	if ((plen = rt_masklen(dst->sa_family, mask)) < 0)
		return EINVAL;
	if (rt_find_exact(dst, mask, plen) != NULL)
		return EEXIST;

	rt = kmem_zalloc(sizeof(*rt), KM_SLEEP);
	memcpy(&rt->rt_dst, dst, dst->sa_len);
	memcpy(&rt->rt_mask, mask, mask->sa_len);
	/* The key keeps only the masked bits; the mask, the whole span. */
	rt->rt_mask.ss_len = dst->sa_len;
	rt->rt_mask.ss_family = dst->sa_family;
	k = (uint8_t *)&rt->rt_dst;
	m = (const uint8_t *)&rt->rt_mask;
	for (i = 2; i < dst->sa_len; i++)
		k[i] &= m[i];
	if (gateway != NULL && (flags & RTF_GATEWAY) != 0)
		memcpy(&rt->rt_gateway, gateway, gateway->sa_len);
	rt->rt_plen = plen;
	rt->rt_flags = flags | RTF_UP;
	rt->rt_ifa = ifa;
	rt->rt_ifp = ifa->ifa_ifp;

	TAILQ_FOREACH(it, &rt_table, rt_list) {
		if (it->rt_plen < plen)
			break;
	}
	if (it == NULL)
		TAILQ_INSERT_TAIL(&rt_table, rt, rt_list);
	else
		TAILQ_INSERT_BEFORE(it, rt, rt_list);
	rt_gen++;
	return 0;
}

static void
rt_free(struct rtentry *rt)
{

	TAILQ_REMOVE(&rt_table, rt, rt_list);
	kmem_free(rt, sizeof(*rt));
	rt_gen++;
}

int
rt_delete(const struct sockaddr *dst, const struct sockaddr *mask)
{
	struct rtentry *rt;
	int plen;

	KASSERT(mutex_owned(&softnet_lock));
	if (!rt_valid_sa(dst) || mask->sa_len > sizeof(struct sockaddr_storage) ||
	    (plen = rt_masklen(dst->sa_family, mask)) < 0)
		return EINVAL;
	if ((rt = rt_find_exact(dst, mask, plen)) == NULL)
		return ESRCH;
	rt_free(rt);
	return 0;
}

struct rtentry *
rt_lookup(const struct sockaddr *dst)
{
	struct rtentry *rt;

	KASSERT(mutex_owned(&softnet_lock));
	TAILQ_FOREACH(rt, &rt_table, rt_list) {
		if (rt_match(dst, (const struct sockaddr *)&rt->rt_dst,
		    (const struct sockaddr *)&rt->rt_mask) &&
		    (rt->rt_ifp->if_flags & IFF_UP) != 0)
			return rt;
	}
	return NULL;
}

void
rt_purge(struct ifnet *ifp, struct ifaddr *ifa)
{
	struct rtentry *rt, *next;

	KASSERT(mutex_owned(&softnet_lock));
	TAILQ_FOREACH_SAFE(rt, &rt_table, rt_list, next) {
		if (rt->rt_ifp == ifp && (ifa == NULL || rt->rt_ifa == ifa))
			rt_free(rt);
	}
}

int
rt_walk(int (*fn)(struct rtentry *, void *), void *arg)
{
	struct rtentry *rt;
	int error;

	KASSERT(mutex_owned(&softnet_lock));
	TAILQ_FOREACH(rt, &rt_table, rt_list) {
		if ((error = (*fn)(rt, arg)) != 0)
			return error;
	}
	return 0;
}

int
rtioctl(u_long cmd, void *data, struct lwp *l)
{
	struct rtreq *rtr = data;
	struct ifaddr *ifa;
	const struct sockaddr *via;
	int af, error;

	if (!kauth_cred_issuser(l->l_cred))
		return EPERM;
	af = rtr->rtr_dst.sa_family;
	if (af <= 0 || af >= AF_MAX || rt_families[af].ifa_for == NULL ||
	    rtr->rtr_mask.sa_len > sizeof(rtr->rtr_mask) ||
	    rtr->rtr_dst.sa_len > sizeof(rtr->rtr_dst) ||
	    rtr->rtr_gateway.sa_len > sizeof(rtr->rtr_gateway))
		return EAFNOSUPPORT;
	rtr->rtr_ifname[sizeof(rtr->rtr_ifname) - 1] = '\0';
	mutex_enter(&softnet_lock);
	if (cmd == SIOCDELRT) {
		error = rt_delete(&rtr->rtr_dst, &rtr->rtr_mask);
	} else {
		via = (rtr->rtr_flags & RTF_GATEWAY) != 0 ?
		    &rtr->rtr_gateway : &rtr->rtr_dst;
		ifa = (*rt_families[af].ifa_for)(via, rtr->rtr_ifname[0] != '\0' ?
		    rtr->rtr_ifname : NULL);
		if (ifa == NULL)
			error = ENETUNREACH;
		else
			error = rt_add(&rtr->rtr_dst, &rtr->rtr_mask,
			    &rtr->rtr_gateway,
			    (u_int)rtr->rtr_flags & RTF_USERMASK, ifa);
	}
	mutex_exit(&softnet_lock);
	return error;
}
