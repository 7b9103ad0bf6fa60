/*
 * CRC-32 (IEEE 802.3, as in zlib, gzip, PNG and Ethernet) and CRC-32C
 * (Castagnoli, as in iSCSI, SCTP, ext4 and btrfs) for the kernel
 * (kernel layer, libkern).
 *
 * Both are the reflected forms, with the register inverted before and
 * after, so crc32(0, "123456789", 9) == 0xcbf43926 and
 * crc32c(0, "123456789", 9) == 0xe3069283, and a CRC over several pieces
 * is computed by passing each result in as the crc of the next call.
 *
 * The implementation is "slicing by 8": eight bytes per step through
 * eight 256-entry tables.  Table 0 is the classic bytewise table:
 * entry n is the CRC register after shifting the byte n through eight
 * steps of "reg = (reg >> 1) ^ (reg & 1 ? POLY : 0)".  Table k (k > 0)
 * advances table k - 1 by one more zero byte:
 * T[k][n] = (T[k-1][n] >> 8) ^ T[0][T[k-1][n] & 0xff].
 * The tables are generated that way at build time by mkcrctables.lua,
 * with POLY 0xedb88320 (the bit reversal of 0x04c11db7) for crc32 and
 * 0x82f63b78 (of 0x1edc6f41) for crc32c.
 */

#include <sys/types.h>

#include <lib/libkern/libkern.h>
#include <lib/libkern/crc32_tables.h>

/* Little-endian 32-bit word at any address. */
static inline uint32_t
load_le32(const uint8_t *p)
{

	return p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	    ((uint32_t)p[3] << 24);
}

/* The inner CRC loop on the (uninverted) register. */
static uint32_t
crc_slice8(const uint32_t t[8][256], uint32_t crc, const uint8_t *p,
    size_t len)
{
	uint32_t lo, hi;

	for (; len >= 8; len -= 8, p += 8) {
		lo = crc ^ load_le32(p);
		hi = load_le32(p + 4);
		crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^
		    t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
		    t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^
		    t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
	}
	for (; len > 0; len--, p++)
		crc = (crc >> 8) ^ t[0][(crc ^ *p) & 0xff];
	return crc;
}

uint32_t
crc32(uint32_t crc, const void *buf, size_t len)
{

	return ~crc_slice8(crc32_ieee_table, ~crc, buf, len);
}

uint32_t
crc32c(uint32_t crc, const void *buf, size_t len)
{

	return ~crc_slice8(crc32c_table, ~crc, buf, len);
}
