/*
 * The Internet checksum over mbuf chains (kernel), on libkern's
 * in_cksum_add: pieces that start at an odd offset of the data are
 * summed as if even and byte-swapped, which one's complement
 * arithmetic allows (RFC 1071, section 2(B)).
 */

#include <sys/types.h>
#include <sys/mbuf.h>
#include <sys/systm.h>

#include <netinet/in.h>

#include <lib/libkern/libkern.h>

uint16_t
in_cksum_mbuf(const struct mbuf *m, int off, int len, uint32_t sum)
{
	uint32_t acc = sum, part;
	bool odd = false;
	int n;

	for (; m != NULL && off >= m->m_len; m = m->m_next)
		off -= m->m_len;
	for (; m != NULL && len > 0; m = m->m_next, off = 0) {
		n = m->m_len - off;
		if (n > len)
			n = len;
		if (n == 0)
			continue;
		part = in_cksum_add(0, mtod(m, const char *) + off, (size_t)n);
		/* Fold to 16 bits, then swap if this piece starts odd. */
		part = (uint16_t)~in_cksum_fold(part);
		if (odd)
			part = ((part & 0xff) << 8) | (part >> 8);
		acc += part;
		if (n & 1)
			odd = !odd;
		len -= n;
	}
	KASSERT(len == 0);
	return in_cksum_fold(acc);
}

uint32_t
in_pseudo_sum(struct in_addr src, struct in_addr dst, int proto, int len)
{
	uint32_t s = 0;

	s = in_cksum_add(s, &src, 4);
	s = in_cksum_add(s, &dst, 4);
	return s + (uint32_t)proto + (uint32_t)len;
}
