/*
 * Socket buffers (kernel): the data waiting in a socket, as records of
 * mbuf chains, with limits on both the data and the memory holding it
 * (so a stream of tiny packets cannot pin much more than the buffer
 * size).  Callers hold the socket's lock.  See <sys/socketvar.h>.
 */

#include <sys/types.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/systm.h>

#include <lib/libkern/libkern.h>

/* The storage an mbuf pins. */
static u_int
m_storage(const struct mbuf *m)
{

	return MSIZE + ((m->m_flags & M_EXT) != 0 ?
	    (u_int)m->m_ext->me_size : 0);
}

void
sbinit(struct sockbuf *sb, u_int hiwat)
{

	memset(sb, 0, sizeof(*sb));
	cv_init(&sb->sb_cv, "sbwait");
	(void)sbreserve(sb, hiwat);
	sb->sb_lowat = 1;
}

void
sbdestroy(struct sockbuf *sb)
{

	sbflush(sb);
	cv_destroy(&sb->sb_cv);
}

int
sbreserve(struct sockbuf *sb, u_long cc)
{

	if (cc == 0 || cc > SB_MAX)
		return ENOBUFS;
	sb->sb_hiwat = (u_int)cc;
	/* Room for the overhead of small packets, within reason. */
	sb->sb_mbmax = (u_int)(cc * 8 < SB_MAX * 2 ? cc * 8 : SB_MAX * 2);
	if (sb->sb_lowat > sb->sb_hiwat)
		sb->sb_lowat = sb->sb_hiwat;
	return 0;
}

u_int
sbspace(const struct sockbuf *sb)
{
	u_int d, s;

	d = sb->sb_hiwat > sb->sb_cc ? sb->sb_hiwat - sb->sb_cc : 0;
	s = sb->sb_mbmax > sb->sb_mbcnt ? sb->sb_mbmax - sb->sb_mbcnt : 0;
	return d < s ? d : s;
}

/* Account for m and what follows it in the chain. */
static void
sballoc_chain(struct sockbuf *sb, struct mbuf *m)
{

	for (; m != NULL; m = m->m_next) {
		if (m->m_type != MT_SONAME && m->m_type != MT_CONTROL)
			sb->sb_cc += (u_int)m->m_len;
		sb->sb_mbcnt += m_storage(m);
		sb->sb_mbtail = m;
	}
}

static void
sbfree_one(struct sockbuf *sb, const struct mbuf *m)
{

	if (m->m_type != MT_SONAME && m->m_type != MT_CONTROL)
		sb->sb_cc -= (u_int)m->m_len;
	sb->sb_mbcnt -= m_storage(m);
}

void
sbappendstream(struct sockbuf *sb, struct mbuf *m)
{
	struct mbuf *n;

	if (m == NULL)
		return;
	KASSERT(sb->sb_mb == NULL || sb->sb_mb->m_nextpkt == NULL);
	m->m_flags &= ~M_PKTHDR;
	if (sb->sb_mb == NULL) {
		sb->sb_mb = sb->sb_lastrecord = m;
		sballoc_chain(sb, m);
		return;
	}
	/* m_cat may copy small data into the tail: account afterwards. */
	n = sb->sb_mbtail;
	sb->sb_mbcnt -= m_storage(n);
	sb->sb_cc -= (u_int)n->m_len;
	m_cat(n, m);
	sballoc_chain(sb, n);
}

void
sbappendrecord(struct sockbuf *sb, struct mbuf *m)
{

	if (m == NULL)
		return;
	m->m_nextpkt = NULL;
	if (sb->sb_mb == NULL)
		sb->sb_mb = m;
	else
		sb->sb_lastrecord->m_nextpkt = m;
	sb->sb_lastrecord = m;
	sballoc_chain(sb, m);
}

bool
sbappendaddr(struct sockbuf *sb, const struct sockaddr *sa, struct mbuf *m,
    struct mbuf *control)
{
	struct mbuf *n, *t;
	int len = 0;

	u_int storage = MSIZE;

	for (t = m; t != NULL; t = t->m_next) {
		len += t->m_len;
		storage += m_storage(t);
	}
	for (t = control; t != NULL; t = t->m_next) {
		len += t->m_len;
		storage += m_storage(t);
	}
	/* The address counts too, or empty datagrams would fill memory. */
	if (sa->sa_len > MLEN || (u_int)len + sa->sa_len > sbspace(sb) ||
	    sb->sb_mbcnt + storage > sb->sb_mbmax)
		return false;
	if ((n = m_get(M_DONTWAIT, MT_SONAME)) == NULL)
		return false;
	memcpy(mtod(n, void *), sa, sa->sa_len);
	n->m_len = sa->sa_len;
	/* name, control, data */
	if (control != NULL) {
		for (t = control; t->m_next != NULL; t = t->m_next)
			continue;
		t->m_next = m;
		n->m_next = control;
	} else
		n->m_next = m;
	if (m != NULL)
		m->m_flags &= ~M_PKTHDR;
	sbappendrecord(sb, n);
	return true;
}

/* Drop len data bytes from the front (a stream). */
void
sbdrop(struct sockbuf *sb, int len)
{
	struct mbuf *m;

	while (len > 0 && (m = sb->sb_mb) != NULL) {
		if (m->m_len > len) {
			m->m_len -= len;
			m->m_data += len;
			sb->sb_cc -= (u_int)len;
			break;
		}
		len -= m->m_len;
		sbfree_one(sb, m);
		sb->sb_mb = m->m_next != NULL ? m->m_next : m->m_nextpkt;
		if (m->m_next != NULL)
			m->m_next->m_nextpkt = m->m_nextpkt;
		m->m_next = m->m_nextpkt = NULL;
		m_free(m);
	}
	/* Zero-length mbufs left at the front go too. */
	while ((m = sb->sb_mb) != NULL && m->m_len == 0 &&
	    m->m_type != MT_SONAME) {
		sbfree_one(sb, m);
		sb->sb_mb = m->m_next != NULL ? m->m_next : m->m_nextpkt;
		if (m->m_next != NULL)
			m->m_next->m_nextpkt = m->m_nextpkt;
		m->m_next = m->m_nextpkt = NULL;
		m_free(m);
	}
	if (sb->sb_mb == NULL)
		sb->sb_lastrecord = sb->sb_mbtail = NULL;
	else if (sb->sb_mb->m_nextpkt == NULL)
		sb->sb_lastrecord = sb->sb_mb;
}

struct mbuf *
sbtakerecord(struct sockbuf *sb)
{
	struct mbuf *m, *t;

	if ((m = sb->sb_mb) == NULL)
		return NULL;
	sb->sb_mb = m->m_nextpkt;
	m->m_nextpkt = NULL;
	for (t = m; t != NULL; t = t->m_next)
		sbfree_one(sb, t);
	if (sb->sb_mb == NULL)
		sb->sb_lastrecord = sb->sb_mbtail = NULL;
	return m;
}

void
sbdroprecord(struct sockbuf *sb)
{

	m_freem(sbtakerecord(sb));
}

void
sbflush(struct sockbuf *sb)
{

	while (sb->sb_mb != NULL)
		sbdroprecord(sb);
	KASSERT(sb->sb_cc == 0 && sb->sb_mbcnt == 0);
}
