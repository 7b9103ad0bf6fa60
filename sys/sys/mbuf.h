/*
 * Mbufs: the memory of network packets (sys/kern/uipc_mbuf.c).
 *
 * A packet is a chain of mbufs linked by m_next; packets wait in queues
 * linked by m_nextpkt.  The first mbuf of a packet (M_PKTHDR) carries the
 * packet header: the whole length, the interface it came in on, checksum
 * state.  An mbuf holds up to MLEN bytes itself, or points into external
 * storage (M_EXT): a cluster of MCLBYTES, or a caller's buffer with its
 * own free function.  External storage is shared by reference between
 * copies (m_copym()), counted, and freed with the last mbuf pointing into
 * it; shared storage is read-only (M_READONLY()).  Freed mbufs and
 * clusters go back to pools, which hide them from memcheck.
 *
 * "how" arguments: M_WAIT may sleep for memory and never fails;
 * M_DONTWAIT returns NULL (or ENOBUFS) instead.  Functions that take a
 * chain and may fail say whether the chain is still the caller's.
 */
#ifndef _SYS_MBUF_H_
#define _SYS_MBUF_H_

#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/cdefs.h>

#define MSIZE		256		/* one mbuf: header and data */
#define MCLBYTES	2048		/* one cluster */

#define M_WAIT		0x01
#define M_DONTWAIT	0x02

/* m_type */
#define MT_FREE		0
#define MT_DATA		1		/* data */
#define MT_HEADER	2		/* a packet header */
#define MT_SONAME	3		/* a socket address */
#define MT_CONTROL	4		/* ancillary data */
#define MT_OOBDATA	5		/* out-of-band data */

/* m_flags */
#define M_EXT		0x0001		/* data in external storage */
#define M_PKTHDR	0x0002		/* first of a packet: m_pkthdr is valid */
#define M_EOR		0x0004		/* end of a record */
#define M_BCAST		0x0010		/* came as link-level broadcast */
#define M_MCAST		0x0020		/* ... multicast */
#define M_COPYFLAGS	(M_PKTHDR | M_EOR | M_BCAST | M_MCAST)

/* m_pkthdr.csum_flags: checksums the hardware (or a peer) did. */
#define M_CSUM_IPv4		0x0001	/* the IPv4 header checksum */
#define M_CSUM_TCPv4		0x0002
#define M_CSUM_UDPv4		0x0004
#define M_CSUM_IPv4_BAD		0x0100	/* ... and found it wrong */
#define M_CSUM_DATA_OK		0x0200	/* TCP/UDP checksum verified */

#define M_COPYALL	1000000000	/* m_copym(): to the end */

struct ifnet;

struct pkthdr {
	struct ifnet	*rcvif;		/* the interface it came in on */
	int		len;		/* the whole packet's length */
	int		csum_flags;	/* M_CSUM_* */
	uint32_t	csum_data;
};

/* External storage, shared by the mbufs that point into it. */
struct mext {
	char		*me_buf;
	size_t		me_size;
	u_int		me_refcnt;	/* mbufs pointing into it (atomic) */
	bool		me_rdonly;	/* the owner's: never written */
	/* Frees me_buf; NULL: a cluster. */
	void		(*me_free)(void *buf, size_t size, void *arg);
	void		*me_arg;
};

struct mbuf {
	struct mbuf	*m_next;	/* the rest of this packet */
	struct mbuf	*m_nextpkt;	/* the next packet in a queue */
	char		*m_data;	/* the first byte */
	int		m_len;		/* bytes here */
	short		m_type;		/* MT_* */
	short		m_flags;	/* M_* */
	struct pkthdr	m_pkthdr;	/* with M_PKTHDR */
	struct mext	*m_ext;		/* with M_EXT */
	char		m_dat[];	/* MLEN bytes, unless M_EXT */
};

#define MLEN		((int)(MSIZE - offsetof(struct mbuf, m_dat)))
#define MHLEN		MLEN

#define mtod(m, t)	((t)(void *)((m)->m_data))

/* May the data of m be written in place? */
#define M_READONLY(m)							\
	(((m)->m_flags & M_EXT) != 0 && ((m)->m_ext->me_rdonly ||	\
	atomic_load_relaxed(&(m)->m_ext->me_refcnt) > 1))

/* Bytes free before and after the data (0 if read-only). */
int	m_leadingspace(const struct mbuf *);
int	m_trailingspace(const struct mbuf *);
#define M_LEADINGSPACE(m)	m_leadingspace(m)
#define M_TRAILINGSPACE(m)	m_trailingspace(m)

/* Put len bytes of data at the end of a fresh mbuf (to prepend later). */
#define M_ALIGN_END(m, len)						\
	((m)->m_data = (m)->m_dat + ((MLEN - (len)) & ~(int)(sizeof(long) - 1)))

/* Room for plen bytes before the data of *mp (a new mbuf if need be). */
#define M_PREPEND(m, plen, how) do {					\
	if (M_LEADINGSPACE(m) >= (plen)) {				\
		(m)->m_data -= (plen);					\
		(m)->m_len += (plen);					\
		if ((m)->m_flags & M_PKTHDR)				\
			(m)->m_pkthdr.len += (plen);			\
	} else								\
		(m) = m_prepend((m), (plen), (how));			\
} while (/* CONSTCOND */ 0)

void	mbinit(void);
void	mbfini(void);

struct mbuf *m_get(int how, int type);
struct mbuf *m_gethdr(int how, int type);
/* An mbuf (with a packet header if M_PKTHDR is in flags) and a cluster. */
struct mbuf *m_getcl(int how, int type, int flags);
/* Give m a cluster; false (m unchanged) if there is none. */
bool	m_clget(struct mbuf *m, int how);
/*
 * Give m the external storage buf of size bytes, freed by freefn(buf,
 * size, arg) with the last mbuf pointing into it.  false (m unchanged,
 * buf still the caller's) if there is no memory for the bookkeeping.
 */
bool	m_extadd(struct mbuf *m, void *buf, size_t size,
	    void (*freefn)(void *, size_t, void *), void *arg, bool rdonly,
	    int how);
/* Free one mbuf; its m_next.  m_freem(): a whole chain (NULL is fine). */
struct mbuf *m_free(struct mbuf *);
void	m_freem(struct mbuf *);

/* The bytes in the chain. */
int	m_length(const struct mbuf *);
/* Copy len bytes from offset off of the chain (which must hold them). */
void	m_copydata(const struct mbuf *, int off, int len, void *);
/*
 * Write len bytes at offset off, growing the chain (zeros in any gap) and
 * the packet length.  ENOBUFS if memory ran out (then some may have been
 * written).  The chain must not be read-only where written.
 */
int	m_copyback(struct mbuf *, int off, int len, const void *, int how);
/*
 * A new chain of len bytes (M_COPYALL: the rest) from offset off,
 * sharing external storage; the packet header too when off is 0.  NULL
 * if there is no memory.  m_dup(): the same with copies of all data.
 */
struct mbuf *m_copym(struct mbuf *, int off, int len, int how);
struct mbuf *m_dup(struct mbuf *, int off, int len, int how);
/*
 * The first len bytes (at most MLEN) contiguous in the first mbuf.  On
 * failure (too few bytes, no memory) the chain is freed and NULL is
 * returned.
 */
struct mbuf *m_pullup(struct mbuf *, int len);
/* A new mbuf with room for len bytes before m; on failure m is freed. */
struct mbuf *m_prepend(struct mbuf *, int len, int how);
/* Trim len bytes from the front (len > 0) or the back (len < 0). */
void	m_adj(struct mbuf *, int len);
/* Append chain n to chain m (the packet length is the caller's). */
void	m_cat(struct mbuf *m, struct mbuf *n);
/*
 * Cut the chain after len bytes; the tail (with a packet header if m
 * had one), or NULL with m unchanged if there is no memory.
 */
struct mbuf *m_split(struct mbuf *m, int len, int how);
/* A packet holding a copy of len bytes of buf. */
struct mbuf *m_devget(const void *buf, int len, int how);

/* For tests and sysctl: what is in use. */
struct mbstat {
	uint64_t	ms_mbufs;	/* mbufs allocated */
	uint64_t	ms_clusters;	/* clusters allocated */
	uint64_t	ms_ext;		/* external storage descriptors */
	uint64_t	ms_drops;	/* M_DONTWAIT allocations that failed */
};
void	mbstat_get(struct mbstat *);

#endif /* !_SYS_MBUF_H_ */
