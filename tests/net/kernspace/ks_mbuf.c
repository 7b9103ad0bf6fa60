/*
 * Kernel-side tests of mbufs (kernel code): seeded random chain
 * operations checked byte for byte against flat models, and external
 * storage freed once, by its last reference.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/systm.h>

#include "ks.h"

#define NCHAINS	8
#define MAXLEN	9000		/* a jumbo frame and some */

struct model {
	struct mbuf	*m;	/* NULL: slot empty */
	char		*b;	/* the bytes the chain must hold */
	int		len;
	bool		ro;	/* may share storage: never written */
};

static char scratch[MAXLEN];
static const char *fail;
static char failbuf[160];

#define CHECK(c, ...) do {						\
	if (!(c)) {							\
		snprintf(failbuf, sizeof(failbuf), __VA_ARGS__);	\
		fail = failbuf;						\
		goto out;						\
	}								\
} while (0)

static void
fillrand(uint32_t *st, char *p, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (char)ks_random(st);
}

/* Does the chain hold exactly its model's bytes?  If not, why not. */
static char whybuf[120];

static bool
matches(const struct model *md)
{
	int i;

	if (m_length(md->m) != md->len ||
	    ((md->m->m_flags & M_PKTHDR) && md->m->m_pkthdr.len != md->len)) {
		snprintf(whybuf, sizeof(whybuf), "%d bytes (header: %d), "
		    "want %d", m_length(md->m), md->m->m_pkthdr.len, md->len);
		return false;
	}
	m_copydata(md->m, 0, md->len, scratch);
	for (i = 0; i < md->len; i++)
		if (scratch[i] != md->b[i]) {
			snprintf(whybuf, sizeof(whybuf), "byte %d of %d is "
			    "%#x, want %#x", i, md->len,
			    (unsigned char)scratch[i], (unsigned char)md->b[i]);
			return false;
		}
	return true;
}

static void
drop(struct model *md)
{

	m_freem(md->m);
	md->m = NULL;
	md->len = 0;
	md->ro = false;
}

const char *
ks_mbuf_random(uint32_t seed, int rounds)
{
	struct model mds[NCHAINS], *a, *b;
	struct mbstat before, after;
	struct mbuf *n;
	int i, r, off, len, op;
	uint32_t st = seed;

	fail = NULL;
	mbstat_get(&before);
	memset(mds, 0, sizeof(mds));
	for (i = 0; i < NCHAINS; i++)
		mds[i].b = kmem_alloc(2 * MAXLEN, KM_SLEEP);
	for (r = 0; r < rounds; r++) {
		a = &mds[ks_random(&st) % NCHAINS];
		b = &mds[ks_random(&st) % NCHAINS];
		op = (int)(ks_random(&st) % 10);
		if (a->m == NULL) {
			/* A new packet, from a buffer or written in pieces. */
			a->len = (int)(ks_random(&st) % 6000);
			fillrand(&st, a->b, a->len);
			if (op < 5)
				a->m = m_devget(a->b, a->len, M_WAIT);
			else {
				a->m = m_gethdr(M_WAIT, MT_DATA);
				for (off = 0; off < a->len; off += len) {
					len = (int)(ks_random(&st) % 700) + 1;
					len = MIN(a->len - off, len);
					CHECK(m_copyback(a->m, off, len,
					    a->b + off, M_WAIT) == 0,
					    "round %d: m_copyback failed", r);
				}
			}
			CHECK(matches(a), "round %d: a new chain differs: %s", r, whybuf);
			continue;
		}
		switch (op) {
		case 0:	/* overwrite and grow, with a gap of zeros */
			if (a->ro)
				break;
			off = (int)(ks_random(&st) % (unsigned)(a->len + 300));
			len = (int)(ks_random(&st) % 2500);
			if (off + len > MAXLEN)
				break;
			if (off > a->len)
				memset(a->b + a->len, 0, (size_t)(off - a->len));
			fillrand(&st, a->b + off, len);
			CHECK(m_copyback(a->m, off, len, a->b + off,
			    M_WAIT) == 0, "round %d: m_copyback", r);
			a->len = MAX(a->len, off + len);
			break;
		case 1:	/* trim the front or the back */
			len = (int)(ks_random(&st) % (unsigned)(a->len + 1));
			if (ks_random(&st) & 1) {
				m_adj(a->m, len);
				memmove(a->b, a->b + len, (size_t)(a->len - len));
			} else
				m_adj(a->m, -len);
			a->len -= len;
			break;
		case 2:	/* headers contiguous */
			len = (int)(ks_random(&st) % (MLEN + 1));
			len = MIN(a->len, len);	/* (MIN evaluates twice) */
			a->m = m_pullup(a->m, len);
			CHECK(a->m != NULL, "round %d: m_pullup(%d) of %d "
			    "bytes failed", r, len, a->len);
			CHECK(a->m->m_len >= len &&
			    memcmp(mtod(a->m, char *), a->b,
			    (size_t)len) == 0, "round %d: m_pullup(%d)", r,
			    len);
			break;
		case 3:	/* a header in front */
			len = (int)(ks_random(&st) % 80);
			if (a->len + len > MAXLEN)
				break;
			M_PREPEND(a->m, len, M_WAIT);
			CHECK(a->m != NULL, "round %d: M_PREPEND", r);
			memmove(a->b + len, a->b, (size_t)a->len);
			fillrand(&st, a->b, len);
			memcpy(mtod(a->m, char *), a->b, (size_t)len);
			a->len += len;
			break;
		case 4:	/* cut in two */
			if (b->m != NULL || b == a)
				break;
			len = (int)(ks_random(&st) % (unsigned)(a->len + 1));
			b->m = m_split(a->m, len, M_WAIT);
			CHECK(b->m != NULL, "round %d: m_split", r);
			b->len = a->len - len;
			memcpy(b->b, a->b + len, (size_t)b->len);
			b->ro = a->ro = true;	/* they may share a cluster */
			a->len = len;
			CHECK(matches(b), "round %d: m_split tail: %s", r,
			    whybuf);
			break;
		case 5:	/* join two */
			if (b->m == NULL || b == a || a->ro ||
			    a->len + b->len > MAXLEN)
				break;
			a->m->m_pkthdr.len += b->len;
			m_cat(a->m, b->m);
			memcpy(a->b + a->len, b->b, (size_t)b->len);
			a->len += b->len;
			a->ro = a->ro || b->ro;
			b->m = NULL;
			b->len = 0;
			b->ro = false;
			break;
		case 6:	/* copies: shared, or deep */
		case 7:
			if (b->m != NULL || b == a)
				break;
			off = (int)(ks_random(&st) % (unsigned)(a->len + 1));
			len = (ks_random(&st) & 1) ? M_COPYALL :
			    (int)(ks_random(&st) % (unsigned)(a->len - off + 1));
			n = op == 6 ? m_copym(a->m, off, len, M_WAIT) :
			    m_dup(a->m, off, len, M_WAIT);
			if (len == M_COPYALL)
				len = a->len - off;
			if (len == 0) {
				CHECK(n == NULL || m_length(n) == 0,
				    "round %d: an empty copy holds data", r);
				m_freem(n);
				break;
			}
			CHECK(n != NULL, "round %d: copy failed", r);
			if (!(n->m_flags & M_PKTHDR)) {
				/* Copies from the middle have no header. */
				struct mbuf *h = m_gethdr(M_WAIT, MT_DATA);

				h->m_next = n;
				h->m_pkthdr.len = len;
				n = h;
			}
			b->m = n;
			b->len = len;
			memcpy(b->b, a->b + off, (size_t)len);
			b->ro = op == 6;
			a->ro = a->ro || op == 6;
			break;
		case 8:
			drop(a);
			continue;
		default:
			break;
		}
		CHECK(matches(a), "round %d (op %d): the chain differs from "
		    "its model: %s", r, op, whybuf);
		if (b->m != NULL)
			CHECK(matches(b), "round %d (op %d): the other chain "
			    "differs: %s", r, op, whybuf);
	}
out:
	for (i = 0; i < NCHAINS; i++) {
		if (mds[i].m != NULL)
			drop(&mds[i]);
		kmem_free(mds[i].b, 2 * MAXLEN);
	}
	mbstat_get(&after);
	if (fail == NULL && (after.ms_mbufs != before.ms_mbufs ||
	    after.ms_clusters != before.ms_clusters ||
	    after.ms_ext != before.ms_ext))
		fail = "mbufs or clusters left allocated";
	return fail;
}

static int ext_frees;

static void
ext_free(void *buf, size_t size, void *arg)
{

	ext_frees++;
	*(int *)arg = 1;
	kmem_free(buf, size);
}

/* External storage: shared by copies, freed once by the last of them. */
const char *
ks_mbuf_ext(void)
{
	struct mbuf *m, *c1, *c2;
	char *buf, got[100];
	int freed = 0;

	ext_frees = 0;
	buf = kmem_alloc(4096, KM_SLEEP);
	memset(buf, 'x', 4096);
	m = m_gethdr(M_WAIT, MT_DATA);
	if (!m_extadd(m, buf, 4096, ext_free, &freed, true, M_WAIT))
		return "m_extadd failed";
	m->m_len = m->m_pkthdr.len = 4096;
	if (!M_READONLY(m) || M_TRAILINGSPACE(m) != 0)
		return "read-only storage looks writable";
	c1 = m_copym(m, 100, 1000, M_WAIT);
	c2 = m_copym(c1, 10, M_COPYALL, M_WAIT);
	m_freem(m);
	m_freem(c1);
	if (freed)
		return "storage freed while a copy still points into it";
	m_copydata(c2, 0, sizeof(got), got);
	if (got[0] != 'x' || got[99] != 'x' || m_length(c2) != 990)
		return "a copy of a copy reads wrong";
	m_freem(c2);
	if (!freed || ext_frees != 1)
		return "storage not freed exactly once";
	return NULL;
}
