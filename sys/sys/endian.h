/*
 * Byte order (kernel layer): the machine's byte order from the compiler,
 * byte swapping, conversions between host order and big/little endian
 * (network order is big endian), and encoders/decoders for integers at
 * any address in a byte buffer, as found in on-disk and on-wire
 * structures.
 *
 * The conversion macros (htobe32, ntohs, ...) expand to the compiler's
 * byte swap builtins, so they are constant expressions for constant
 * arguments and may be used in initialisers and case labels.
 */
#ifndef _SYS_ENDIAN_H_
#define _SYS_ENDIAN_H_

#include <sys/types.h>

#define _LITTLE_ENDIAN	1234
#define _BIG_ENDIAN	4321
#define _PDP_ENDIAN	3412

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define _BYTE_ORDER	_LITTLE_ENDIAN
#elif __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define _BYTE_ORDER	_BIG_ENDIAN
#else
#error "unsupported byte order"
#endif

#define LITTLE_ENDIAN	_LITTLE_ENDIAN
#define BIG_ENDIAN	_BIG_ENDIAN
#define PDP_ENDIAN	_PDP_ENDIAN
#define BYTE_ORDER	_BYTE_ORDER

static inline uint16_t
bswap16(uint16_t x)
{

	return __builtin_bswap16(x);
}

static inline uint32_t
bswap32(uint32_t x)
{

	return __builtin_bswap32(x);
}

static inline uint64_t
bswap64(uint64_t x)
{

	return __builtin_bswap64(x);
}

#if _BYTE_ORDER == _LITTLE_ENDIAN
#define htobe16(x)	__builtin_bswap16((uint16_t)(x))
#define htobe32(x)	__builtin_bswap32((uint32_t)(x))
#define htobe64(x)	__builtin_bswap64((uint64_t)(x))
#define htole16(x)	((uint16_t)(x))
#define htole32(x)	((uint32_t)(x))
#define htole64(x)	((uint64_t)(x))
#else
#define htobe16(x)	((uint16_t)(x))
#define htobe32(x)	((uint32_t)(x))
#define htobe64(x)	((uint64_t)(x))
#define htole16(x)	__builtin_bswap16((uint16_t)(x))
#define htole32(x)	__builtin_bswap32((uint32_t)(x))
#define htole64(x)	__builtin_bswap64((uint64_t)(x))
#endif

/* Each conversion is its own inverse. */
#define be16toh(x)	htobe16(x)
#define be32toh(x)	htobe32(x)
#define be64toh(x)	htobe64(x)
#define le16toh(x)	htole16(x)
#define le32toh(x)	htole32(x)
#define le64toh(x)	htole64(x)

/* Network byte order. */
#define htons(x)	htobe16(x)
#define htonl(x)	htobe32(x)
#define ntohs(x)	be16toh(x)
#define ntohl(x)	be32toh(x)

/*
 * Decoding and encoding at any address.  Byte-wise, so alignment does
 * not matter; the compiler turns them into single loads and stores
 * where the machine allows.
 */
static inline uint16_t
be16dec(const void *buf)
{
	const uint8_t *p = buf;

	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t
be32dec(const void *buf)
{
	const uint8_t *p = buf;

	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | p[3];
}

static inline uint64_t
be64dec(const void *buf)
{
	const uint8_t *p = buf;

	return ((uint64_t)be32dec(p) << 32) | be32dec(p + 4);
}

static inline uint16_t
le16dec(const void *buf)
{
	const uint8_t *p = buf;

	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t
le32dec(const void *buf)
{
	const uint8_t *p = buf;

	return p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	    ((uint32_t)p[3] << 24);
}

static inline uint64_t
le64dec(const void *buf)
{
	const uint8_t *p = buf;

	return le32dec(p) | ((uint64_t)le32dec(p + 4) << 32);
}

static inline void
be16enc(void *buf, uint16_t v)
{
	uint8_t *p = buf;

	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
be32enc(void *buf, uint32_t v)
{
	uint8_t *p = buf;

	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void
be64enc(void *buf, uint64_t v)
{
	uint8_t *p = buf;

	be32enc(p, (uint32_t)(v >> 32));
	be32enc(p + 4, (uint32_t)v);
}

static inline void
le16enc(void *buf, uint16_t v)
{
	uint8_t *p = buf;

	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
le32enc(void *buf, uint32_t v)
{
	uint8_t *p = buf;

	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void
le64enc(void *buf, uint64_t v)
{
	uint8_t *p = buf;

	le32enc(p, (uint32_t)v);
	le32enc(p + 4, (uint32_t)(v >> 32));
}

#endif /* !_SYS_ENDIAN_H_ */
