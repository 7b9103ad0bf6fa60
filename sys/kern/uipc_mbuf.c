/*
 * Mbufs (kernel): allocation from pools (mbufs, clusters, external
 * storage descriptors), reference-counted external storage, and the
 * chain operations the network stack is built on.  See <sys/mbuf.h>.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/atomic.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/pool.h>
#include <sys/systm.h>

static struct pool mbuf_pool, mcl_pool, mext_pool;
static uint64_t mb_drops;

void
mbinit(void)
{

	pool_init(&mbuf_pool, MSIZE, sizeof(long), "mbuf");
	pool_init(&mcl_pool, MCLBYTES, sizeof(long), "mcl");
	pool_init(&mext_pool, sizeof(struct mext), sizeof(long), "mext");
}

/* At shutdown: the pools go, unless a packet was never freed. */
void
mbfini(void)
{

	if (pool_inuse(&mbuf_pool) != 0 || pool_inuse(&mcl_pool) != 0 ||
	    pool_inuse(&mext_pool) != 0) {
		printf("mbuf: %lu mbufs, %lu clusters still in use at "
		    "shutdown\n", pool_inuse(&mbuf_pool),
		    pool_inuse(&mcl_pool));
		return;
	}
	pool_destroy(&mext_pool);
	pool_destroy(&mcl_pool);
	pool_destroy(&mbuf_pool);
}

void
mbstat_get(struct mbstat *ms)
{

	ms->ms_mbufs = pool_inuse(&mbuf_pool);
	ms->ms_clusters = pool_inuse(&mcl_pool);
	ms->ms_ext = pool_inuse(&mext_pool);
	ms->ms_drops = atomic_load_relaxed(&mb_drops);
}

static void *
mb_poolget(struct pool *pp, int how)
{
	void *p;

	KASSERT(how == M_WAIT || how == M_DONTWAIT);
	if ((p = pool_get(pp, how == M_WAIT ? PR_WAITOK : PR_NOWAIT)) == NULL)
		atomic_add_64(&mb_drops, 1);
	return p;
}

struct mbuf *
m_get(int how, int type)
{
	struct mbuf *m;

	if ((m = mb_poolget(&mbuf_pool, how)) == NULL)
		return NULL;
	m->m_next = m->m_nextpkt = NULL;
	m->m_data = m->m_dat;
	m->m_len = 0;
	m->m_type = (short)type;
	m->m_flags = 0;
	m->m_ext = NULL;
	return m;
}

struct mbuf *
m_gethdr(int how, int type)
{
	struct mbuf *m;

	if ((m = m_get(how, type)) == NULL)
		return NULL;
	m->m_flags = M_PKTHDR;
	memset(&m->m_pkthdr, 0, sizeof(m->m_pkthdr));
	return m;
}

/* Point m at the start of storage me (one more reference to it). */
static void
m_extref(struct mbuf *m, struct mext *me)
{

	atomic_inc_uint(&me->me_refcnt);
	m->m_ext = me;
	m->m_data = me->me_buf;
	m->m_flags |= M_EXT;
}

bool
m_clget(struct mbuf *m, int how)
{
	struct mext *me;
	char *buf;

	KASSERT((m->m_flags & M_EXT) == 0);
	if ((me = mb_poolget(&mext_pool, how)) == NULL)
		return false;
	if ((buf = mb_poolget(&mcl_pool, how)) == NULL) {
		pool_put(&mext_pool, me);
		return false;
	}
	me->me_buf = buf;
	me->me_size = MCLBYTES;
	me->me_refcnt = 0;
	me->me_rdonly = false;
	me->me_free = NULL;
	me->me_arg = NULL;
	m_extref(m, me);
	return true;
}

struct mbuf *
m_getcl(int how, int type, int flags)
{
	struct mbuf *m;

	m = (flags & M_PKTHDR) ? m_gethdr(how, type) : m_get(how, type);
	if (m != NULL && !m_clget(m, how)) {
		m_free(m);
		return NULL;
	}
	return m;
}

bool
m_extadd(struct mbuf *m, void *buf, size_t size,
    void (*freefn)(void *, size_t, void *), void *arg, bool rdonly, int how)
{
	struct mext *me;

	KASSERT((m->m_flags & M_EXT) == 0 && freefn != NULL);
	if ((me = mb_poolget(&mext_pool, how)) == NULL)
		return false;
	me->me_buf = buf;
	me->me_size = size;
	me->me_refcnt = 0;
	me->me_rdonly = rdonly;
	me->me_free = freefn;
	me->me_arg = arg;
	m_extref(m, me);
	return true;
}

struct mbuf *
m_free(struct mbuf *m)
{
	struct mbuf *n = m->m_next;
	struct mext *me;

	if (m->m_flags & M_EXT) {
		me = m->m_ext;
		if (atomic_dec_uint_nv(&me->me_refcnt) == 0) {
			if (me->me_free == NULL)
				pool_put(&mcl_pool, me->me_buf);
			else
				(*me->me_free)(me->me_buf, me->me_size,
				    me->me_arg);
			pool_put(&mext_pool, me);
		}
	}
	m->m_type = MT_FREE;
	pool_put(&mbuf_pool, m);
	return n;
}

void
m_freem(struct mbuf *m)
{

	while (m != NULL)
		m = m_free(m);
}

int
m_leadingspace(const struct mbuf *m)
{

	if (M_READONLY(m))
		return 0;
	if (m->m_flags & M_EXT)
		return (int)(m->m_data - m->m_ext->me_buf);
	return (int)(m->m_data - m->m_dat);
}

int
m_trailingspace(const struct mbuf *m)
{

	if (M_READONLY(m))
		return 0;
	if (m->m_flags & M_EXT)
		return (int)(m->m_ext->me_buf + m->m_ext->me_size -
		    (m->m_data + m->m_len));
	return (int)(m->m_dat + MLEN - (m->m_data + m->m_len));
}

int
m_length(const struct mbuf *m)
{
	int len = 0;

	for (; m != NULL; m = m->m_next)
		len += m->m_len;
	return len;
}

void
m_copydata(const struct mbuf *m, int off, int len, void *vp)
{
	char *cp = vp;
	int n;

	KASSERT(off >= 0 && len >= 0);
	while (off > 0 && m != NULL && off >= m->m_len) {
		off -= m->m_len;
		m = m->m_next;
	}
	while (len > 0) {
		KASSERTMSG(m != NULL, "m_copydata: the chain is short");
		n = MIN(m->m_len - off, len);
		memcpy(cp, m->m_data + off, (size_t)n);
		cp += n;
		len -= n;
		off = 0;
		m = m->m_next;
	}
}

/* Grow the chain by len zero bytes at its end. */
static int
m_zeroextend(struct mbuf *m, int len, int how)
{
	struct mbuf *n;
	int k;

	while (m->m_next != NULL)
		m = m->m_next;
	for (;;) {
		k = MIN(M_TRAILINGSPACE(m), len);
		memset(m->m_data + m->m_len, 0, (size_t)k);
		m->m_len += k;
		if ((len -= k) == 0)
			return 0;
		n = len > MLEN ? m_getcl(how, m->m_type, 0) :
		    m_get(how, m->m_type);
		if (n == NULL)
			return ENOBUFS;
		m->m_next = n;
		m = n;
	}
}

int
m_copyback(struct mbuf *m0, int off, int len, const void *vp, int how)
{
	const char *cp = vp;
	struct mbuf *m;
	int have = m_length(m0), error = 0, k;

	KASSERT(off >= 0 && len >= 0);
	if (off + len > have) {
		error = m_zeroextend(m0, off + len - have, how);
		if (m0->m_flags & M_PKTHDR)
			m0->m_pkthdr.len = m_length(m0);
	}
	for (m = m0; m != NULL && len > 0; m = m->m_next) {
		if (off >= m->m_len) {
			off -= m->m_len;
			continue;
		}
		KASSERTMSG(!M_READONLY(m), "m_copyback into shared storage");
		k = MIN(m->m_len - off, len);
		memcpy(m->m_data + off, cp, (size_t)k);
		cp += k;
		len -= k;
		off = 0;
	}
	return error;
}

/* Copy m's packet header (and its flags) to a new first mbuf n. */
static void
m_copyhdr(struct mbuf *n, const struct mbuf *m)
{

	n->m_flags = (short)((n->m_flags & M_EXT) | (m->m_flags & M_COPYFLAGS));
	n->m_pkthdr = m->m_pkthdr;
}

/* The chain copied, by reference (deep == false) or by value. */
static struct mbuf *
m_copy_internal(struct mbuf *m, int off0, int len, int how, bool deep)
{
	struct mbuf *top = NULL, **np = &top, *n;
	const struct mbuf *m0 = m;
	int off = off0, k;

	KASSERT(off >= 0 && len >= 0);
	while (off > 0 && m != NULL && off >= m->m_len) {
		off -= m->m_len;
		m = m->m_next;
	}
	while (len > 0 && m != NULL) {
		k = MIN(m->m_len - off, len);
		if (!deep && (m->m_flags & M_EXT)) {
			if ((n = m_get(how, m->m_type)) == NULL)
				goto fail;
			m_extref(n, m->m_ext);
			n->m_data = m->m_data + off;
			n->m_len = k;
		} else if (!deep || k <= MLEN) {
			k = MIN(k, MLEN);
			if ((n = m_get(how, m->m_type)) == NULL)
				goto fail;
			memcpy(n->m_data, m->m_data + off, (size_t)k);
			n->m_len = k;
		} else {
			k = MIN(k, MCLBYTES);
			if ((n = m_getcl(how, m->m_type, 0)) == NULL)
				goto fail;
			memcpy(n->m_data, m->m_data + off, (size_t)k);
			n->m_len = k;
		}
		if (top == NULL && off0 == 0 && (m0->m_flags & M_PKTHDR))
			m_copyhdr(n, m0);
		*np = n;
		np = &n->m_next;
		len -= k;
		off += k;
		if (off == m->m_len) {
			off = 0;
			m = m->m_next;
		}
	}
	if (top != NULL && (top->m_flags & M_PKTHDR))
		top->m_pkthdr.len = m_length(top);
	return top;
fail:
	m_freem(top);
	return NULL;
}

struct mbuf *
m_copym(struct mbuf *m, int off, int len, int how)
{

	return m_copy_internal(m, off, len, how, false);
}

struct mbuf *
m_dup(struct mbuf *m, int off, int len, int how)
{

	return m_copy_internal(m, off, len, how, true);
}

struct mbuf *
m_pullup(struct mbuf *m, int len)
{
	struct mbuf *n;

	if (m->m_len >= len)
		return m;
	if (len > MLEN || m_length(m) < len) {
		m_freem(m);
		return NULL;
	}
	/* Room in the first mbuf itself: move the rest up into it. */
	if (!(m->m_flags & M_EXT) && m->m_data + len <= m->m_dat + MLEN) {
		n = m->m_next;
		m_copydata(n, 0, len - m->m_len, m->m_data + m->m_len);
		m_adj(n, len - m->m_len);
		m->m_len = len;
	} else {
		if ((n = m_get(M_DONTWAIT, m->m_type)) == NULL) {
			m_freem(m);
			return NULL;
		}
		m_copydata(m, 0, len, n->m_data);
		n->m_len = len;
		if (m->m_flags & M_PKTHDR) {
			m_copyhdr(n, m);
			m->m_flags &= ~M_PKTHDR;
		}
		m_adj(m, len);
		n->m_next = m;
		m = n;
	}
	/* Drop the mbufs emptied behind the first. */
	while ((n = m->m_next) != NULL && n->m_len == 0)
		m->m_next = m_free(n);
	return m;
}

struct mbuf *
m_prepend(struct mbuf *m, int len, int how)
{
	struct mbuf *n;

	KASSERT(len >= 0 && len <= MLEN);
	if ((n = m_get(how, m->m_type)) == NULL) {
		m_freem(m);
		return NULL;
	}
	if (m->m_flags & M_PKTHDR) {
		m_copyhdr(n, m);
		m->m_flags &= ~M_PKTHDR;
		n->m_pkthdr.len += len;
	}
	n->m_next = m;
	n->m_data = n->m_dat + MLEN - len;
	n->m_len = len;
	return n;
}

void
m_adj(struct mbuf *m0, int req)
{
	struct mbuf *m;
	int len, trim;

	if (req >= 0) {
		len = req;
		for (m = m0; m != NULL && len > 0; m = m->m_next) {
			trim = MIN(m->m_len, len);
			m->m_data += trim;
			m->m_len -= trim;
			len -= trim;
		}
		trim = req - len;
	} else {
		/* From the back: keep the first total - |req| bytes. */
		len = m_length(m0) + req;
		if (len < 0)
			len = 0;
		trim = m_length(m0) - len;
		for (m = m0; m != NULL; m = m->m_next) {
			if (m->m_len >= len) {
				m->m_len = len;
				len = 0;
			} else
				len -= m->m_len;
		}
	}
	if (m0->m_flags & M_PKTHDR)
		m0->m_pkthdr.len -= trim;
}

void
m_cat(struct mbuf *m, struct mbuf *n)
{

	while (m->m_next != NULL)
		m = m->m_next;
	while (n != NULL) {
		/* Small data into the room left: fewer, fuller mbufs. */
		if ((n->m_flags & M_EXT) || n->m_len > M_TRAILINGSPACE(m)) {
			m->m_next = n;
			return;
		}
		memcpy(m->m_data + m->m_len, n->m_data, (size_t)n->m_len);
		m->m_len += n->m_len;
		n = m_free(n);
	}
}

struct mbuf *
m_split(struct mbuf *m0, int len0, int how)
{
	struct mbuf *m, *n;
	int len = len0, rest;

	KASSERT(len0 >= 0);
	for (m = m0; m != NULL && len > m->m_len; m = m->m_next)
		len -= m->m_len;
	if (m == NULL)
		return NULL;
	rest = m->m_len - len;
	if (m0->m_flags & M_PKTHDR) {
		if ((n = m_gethdr(how, m0->m_type)) == NULL)
			return NULL;
		m_copyhdr(n, m0);
		n->m_pkthdr.len = m0->m_pkthdr.len - len0;
	} else if ((n = m_get(how, m->m_type)) == NULL)
		return NULL;
	if (rest == 0) {
		/* A clean cut between mbufs: n is an empty head. */
		n->m_next = m->m_next;
		m->m_next = NULL;
	} else if (m->m_flags & M_EXT) {
		m_extref(n, m->m_ext);
		n->m_data = m->m_data + len;
		n->m_len = rest;
		n->m_next = m->m_next;
		m->m_next = NULL;
		m->m_len = len;
	} else {
		/* Inline data: MLEN bytes at most, so it fits in n. */
		memcpy(n->m_data, m->m_data + len, (size_t)rest);
		n->m_len = rest;
		n->m_next = m->m_next;
		m->m_next = NULL;
		m->m_len = len;
	}
	if (m0->m_flags & M_PKTHDR)
		m0->m_pkthdr.len = len0;
	return n;
}

struct mbuf *
m_devget(const void *buf, int len, int how)
{
	struct mbuf *m;

	KASSERT(len >= 0);
	if ((m = m_gethdr(how, MT_DATA)) == NULL)
		return NULL;
	if (len > MLEN && !m_clget(m, how)) {
		m_free(m);
		return NULL;
	}
	if (m_copyback(m, 0, len, buf, how) != 0) {
		m_freem(m);
		return NULL;
	}
	return m;
}
