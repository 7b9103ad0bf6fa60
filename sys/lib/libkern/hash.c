/*
 * Hash functions for the kernel's in-memory tables (kernel layer,
 * libkern): 32-bit FNV-1a (Fowler, Noll and Vo).  The seed is XORed into
 * the FNV offset basis before the first byte, so seed 0 gives the
 * standard FNV-1a value (for example, "a" hashes to 0xe40c292c), and
 * tables that want different hashes for the same keys use different
 * seeds.  FNV-1a is fast and spreads well for short keys, but it is not
 * a keyed hash in the cryptographic sense.
 */

#include <sys/types.h>

#include <lib/libkern/libkern.h>

#define FNV32_BASIS	0x811c9dc5U
#define FNV32_PRIME	0x01000193U

/* Hash len bytes. */
uint32_t
hash32_buf(const void *buf, size_t len, uint32_t seed)
{
	const uint8_t *p = buf;
	uint32_t h = FNV32_BASIS ^ seed;

	for (; len > 0; len--, p++) {
		h ^= *p;
		h *= FNV32_PRIME;
	}
	return h;
}

/* Hash a string, without its terminating NUL. */
uint32_t
hash32_str(const char *s, uint32_t seed)
{
	const uint8_t *p = (const uint8_t *)s;
	uint32_t h = FNV32_BASIS ^ seed;

	for (; *p != '\0'; p++) {
		h ^= *p;
		h *= FNV32_PRIME;
	}
	return h;
}

/*
 * Hash a string of at most maxlen bytes: up to its NUL or maxlen bytes,
 * whichever comes first.  Equals hash32_buf over the same bytes.
 */
uint32_t
hash32_strn(const char *s, size_t maxlen, uint32_t seed)
{
	const uint8_t *p = (const uint8_t *)s;
	uint32_t h = FNV32_BASIS ^ seed;

	for (; maxlen > 0 && *p != '\0'; maxlen--, p++) {
		h ^= *p;
		h *= FNV32_PRIME;
	}
	return h;
}
