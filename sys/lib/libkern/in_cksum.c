/*
 * The Internet checksum of RFC 1071, as used by IPv4, ICMP, UDP and TCP
 * (kernel layer, libkern).  The protocols build on the two steps here:
 * in_cksum_add sums a buffer (or each piece of a pseudo-header, header
 * and payload) and in_cksum_fold produces the checksum field.
 */

#include <sys/types.h>

#include <lib/libkern/libkern.h>

/*
 * Bytes per chunk summed into the 64-bit accumulator before it is
 * folded: each step adds less than 2^32, so 2^30 bytes (2^28 steps)
 * cannot overflow it.
 */
#define CKSUM_CHUNK	((size_t)1 << 30)

/* Fold a 64-bit one's complement sum to 32 bits, keeping its value. */
static inline uint32_t
fold64(uint64_t acc)
{

	/* 2^32 is 1 modulo 2^16 - 1, so the halves may simply be added. */
	acc = (acc & 0xffffffffU) + (acc >> 32);
	acc = (acc & 0xffffffffU) + (acc >> 32);
	return (uint32_t)acc;
}

/*
 * Add the bytes to the running sum as 16-bit big-endian words.  The sum
 * is a one's complement sum of arbitrary width that only in_cksum_fold
 * reduces to 16 bits; start with 0.  An odd trailing byte is taken as
 * the high byte of a word whose low byte is zero, which is right only
 * at the very end of the data: when a buffer is summed in pieces, every
 * piece but the last must have an even length.
 */
uint32_t
in_cksum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t acc = sum;
	size_t chunk;

	while (len >= 4) {
		chunk = len < CKSUM_CHUNK ? len : CKSUM_CHUNK;
		len -= chunk & ~(size_t)3;
		/* A 32-bit big-endian word is two 16-bit words, mod 2^16-1. */
		for (; chunk >= 4; chunk -= 4, p += 4) {
			acc += ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
			    ((uint32_t)p[2] << 8) | p[3];
		}
		acc = fold64(acc);
	}
	if (len >= 2) {
		acc += ((uint32_t)p[0] << 8) | p[1];
		p += 2;
		len -= 2;
	}
	if (len == 1)
		acc += (uint32_t)p[0] << 8;
	return fold64(acc);
}

/*
 * Fold the sum to 16 bits and complement it: the checksum, as a number
 * to store in big-endian order (be16enc).  Summing data that includes a
 * correct checksum and folding gives 0.
 */
uint16_t
in_cksum_fold(uint32_t sum)
{

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}
