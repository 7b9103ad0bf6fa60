/*
 * Memory and string routines, and number parsing, for the kernel
 * (kernel layer, libkern).  The compiler emits calls to memcpy, memmove,
 * memset and memcmp on its own (structure copies and initialisation), so
 * these must exist even though <lib/libkern/libkern.h> maps the names to
 * the compiler's builtins.
 */

#include <sys/types.h>
#include <sys/errno.h>

#include <lib/libkern/libkern.h>

#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef strlen

/*
 * Keep the compiler from recognising the copy and fill loops below as
 * memcpy/memset and turning them into calls to themselves.  The whole
 * file is compiled this way so that its helpers inline into each other.
 */
#pragma GCC optimize("no-tree-loop-distribute-patterns")

/*
 * Word access.  The types may alias anything; "uword" also tolerates
 * any alignment, and the compiler generates whatever loads the machine
 * needs for it.
 */
typedef unsigned long __attribute__((__may_alias__)) kword_t;
typedef unsigned long __attribute__((__may_alias__, __aligned__(1))) kuword_t;

#define WSIZE		sizeof(unsigned long)
#define WMASK		(WSIZE - 1)
#define ALIGNED(p)	(((uintptr_t)(p) & WMASK) == 0)

/* Below this length the word loops are not worth their setup. */
#define SMALL		(2 * WSIZE)

#define ULL_MAX		(~0ULL)
#define LL_MAX		((long long)__LONG_LONG_MAX__)
#define LL_MIN		(-LL_MAX - 1)

/*
 * Copy n bytes upwards.  Safe for overlapping buffers when d is below s,
 * since every word is read before the words above it are written.
 */
static inline void
copy_up(unsigned char *d, const unsigned char *s, size_t n)
{
	kword_t *dw;

	if (n >= SMALL) {
		while (!ALIGNED(d)) {
			*d++ = *s++;
			n--;
		}
		dw = (kword_t *)(void *)d;
		if (ALIGNED(s)) {
			const kword_t *sw = (const kword_t *)(const void *)s;

			for (; n >= 4 * WSIZE; n -= 4 * WSIZE) {
				kword_t w0 = sw[0], w1 = sw[1];
				kword_t w2 = sw[2], w3 = sw[3];

				dw[0] = w0;
				dw[1] = w1;
				dw[2] = w2;
				dw[3] = w3;
				dw += 4;
				sw += 4;
			}
			for (; n >= WSIZE; n -= WSIZE)
				*dw++ = *sw++;
			s = (const unsigned char *)sw;
		} else {
			const kuword_t *sw = (const kuword_t *)(const void *)s;

			for (; n >= 4 * WSIZE; n -= 4 * WSIZE) {
				kword_t w0 = sw[0], w1 = sw[1];
				kword_t w2 = sw[2], w3 = sw[3];

				dw[0] = w0;
				dw[1] = w1;
				dw[2] = w2;
				dw[3] = w3;
				dw += 4;
				sw += 4;
			}
			for (; n >= WSIZE; n -= WSIZE)
				*dw++ = *sw++;
			s = (const unsigned char *)sw;
		}
		d = (unsigned char *)dw;
	}
	while (n > 0) {
		*d++ = *s++;
		n--;
	}
}

/*
 * Copy n bytes downwards, from the end.  Safe for overlapping buffers
 * when d is above s.
 */
static inline void
copy_down(unsigned char *d, const unsigned char *s, size_t n)
{
	kword_t *dw;

	d += n;
	s += n;
	if (n >= SMALL) {
		while (!ALIGNED(d)) {
			*--d = *--s;
			n--;
		}
		dw = (kword_t *)(void *)d;
		if (ALIGNED(s)) {
			const kword_t *sw = (const kword_t *)(const void *)s;

			for (; n >= WSIZE; n -= WSIZE)
				*--dw = *--sw;
			s = (const unsigned char *)sw;
		} else {
			const kuword_t *sw = (const kuword_t *)(const void *)s;

			for (; n >= WSIZE; n -= WSIZE)
				*--dw = *--sw;
			s = (const unsigned char *)sw;
		}
		d = (unsigned char *)dw;
	}
	while (n > 0) {
		*--d = *--s;
		n--;
	}
}

void *
memcpy(void *dst, const void *src, size_t n)
{

	copy_up(dst, src, n);
	return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d - s >= n)
		copy_up(dst, src, n);
	else
		copy_down(dst, src, n);
	return dst;
}

void *
memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	unsigned char b = (unsigned char)c;
	kword_t *dw;
	unsigned long pat;

	if (n >= SMALL) {
		while (!ALIGNED(d)) {
			*d++ = b;
			n--;
		}
		/* The byte repeated in every byte of a word. */
		pat = (~0UL / 0xff) * b;
		dw = (kword_t *)(void *)d;
		for (; n >= 4 * WSIZE; n -= 4 * WSIZE) {
			dw[0] = pat;
			dw[1] = pat;
			dw[2] = pat;
			dw[3] = pat;
			dw += 4;
		}
		for (; n >= WSIZE; n -= WSIZE)
			*dw++ = pat;
		d = (unsigned char *)dw;
	}
	while (n > 0) {
		*d++ = b;
		n--;
	}
	return dst;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	/* Skip equal words when both can be read a word at a time. */
	if (n >= SMALL && ((uintptr_t)p & WMASK) == ((uintptr_t)q & WMASK)) {
		while (!ALIGNED(p)) {
			if (*p != *q)
				return *p - *q;
			p++;
			q++;
			n--;
		}
		while (n >= WSIZE && *(const kword_t *)(const void *)p ==
		    *(const kword_t *)(const void *)q) {
			p += WSIZE;
			q += WSIZE;
			n -= WSIZE;
		}
	}
	for (; n > 0; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
	}
	return 0;
}

void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	unsigned char b = (unsigned char)c;

	for (; n > 0; n--, p++) {
		if (*p == b)
			return __UNCONST(p);
	}
	return NULL;
}

size_t
strlen(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		continue;
	return (size_t)(p - s);
}

size_t
strnlen(const char *s, size_t maxlen)
{
	size_t n;

	for (n = 0; n < maxlen && s[n] != '\0'; n++)
		continue;
	return n;
}

int
strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p == *q && *p != '\0') {
		p++;
		q++;
	}
	return *p - *q;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n > 0; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
		if (*p == '\0')
			break;
	}
	return 0;
}

char *
strchr(const char *s, int c)
{
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			return __UNCONST(s);
		if (*s == '\0')
			return NULL;
	}
}

char *
strrchr(const char *s, int c)
{
	char ch = (char)c;
	const char *last = NULL;

	for (;; s++) {
		if (*s == ch)
			last = s;
		if (*s == '\0')
			return __UNCONST(last);
	}
}

size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	size_t n;

	if (size > 0) {
		n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

size_t
strlcat(char *dst, const char *src, size_t size)
{
	size_t dlen = strnlen(dst, size);
	size_t slen = strlen(src);
	size_t n;

	/* No terminator within size: nothing can be appended. */
	if (dlen == size)
		return size + slen;
	n = slen < size - dlen - 1 ? slen : size - dlen - 1;
	memcpy(dst + dlen, src, n);
	dst[dlen + n] = '\0';
	return dlen + slen;
}

/*
 * Number parsing.
 */

static inline bool
isspace_c(int c)
{

	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The value of a digit in bases up to 36, or 36 for anything else. */
static inline int
digitval(int c)
{

	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 36;
}

/*
 * The common part of the parsers: skip white space, take a sign and a
 * base prefix, and accumulate the magnitude.  *endp is set to the first
 * character not used, or to s if there were no digits.  *overp tells
 * whether the magnitude exceeded an unsigned long long.
 */
static unsigned long long
parse_magnitude(const char *s, const char **endp, int base, bool *negp,
    bool *overp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long long v = 0, cutoff;
	unsigned int cutlim;
	bool any = false;
	int d;

	*negp = false;
	*overp = false;
	*endp = s;
	if (base < 0 || base == 1 || base > 36)
		return 0;

	while (isspace_c(*p))
		p++;
	if (*p == '-') {
		*negp = true;
		p++;
	} else if (*p == '+')
		p++;

	/* "0x" counts as a prefix only if a hex digit follows it. */
	if ((base == 0 || base == 16) && p[0] == '0' &&
	    (p[1] == 'x' || p[1] == 'X') && digitval(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0)
		base = p[0] == '0' ? 8 : 10;

	cutoff = ULL_MAX / (unsigned int)base;
	cutlim = (unsigned int)(ULL_MAX % (unsigned int)base);
	for (; (d = digitval(*p)) < base; p++) {
		any = true;
		if (v > cutoff || (v == cutoff && (unsigned int)d > cutlim))
			*overp = true;
		else
			v = v * (unsigned int)base + (unsigned int)d;
	}
	if (any)
		*endp = (const char *)p;
	return v;
}

unsigned long long
strtoull(const char *s, char **endp, int base)
{
	const char *end;
	unsigned long long v;
	bool neg, over;

	v = parse_magnitude(s, &end, base, &neg, &over);
	if (endp != NULL)
		*endp = __UNCONST(end);
	if (over)
		return ULL_MAX;
	return neg ? 0ULL - v : v;
}

/*
 * Give the signed value of a magnitude and sign, or return false if it
 * does not fit in a long long.
 */
static bool
to_signed(unsigned long long v, bool neg, bool over, long long *res)
{

	if (over)
		return false;
	if (neg) {
		if (v > (unsigned long long)LL_MAX + 1)
			return false;
		*res = v == 0 ? 0 : -(long long)(v - 1) - 1;
	} else {
		if (v > (unsigned long long)LL_MAX)
			return false;
		*res = (long long)v;
	}
	return true;
}

long long
strtoll(const char *s, char **endp, int base)
{
	const char *end;
	unsigned long long v;
	long long res;
	bool neg, over;

	v = parse_magnitude(s, &end, base, &neg, &over);
	if (endp != NULL)
		*endp = __UNCONST(end);
	if (!to_signed(v, neg, over, &res))
		return neg ? LL_MIN : LL_MAX;
	return res;
}

int
kstrtoll_range(const char *s, int base, long long lo, long long hi,
    long long *res)
{
	const char *end;
	unsigned long long v;
	long long val;
	bool neg, over;

	if (s == NULL)
		return EINVAL;
	v = parse_magnitude(s, &end, base, &neg, &over);
	if (end == s || *end != '\0')
		return EINVAL;
	if (!to_signed(v, neg, over, &val) || val < lo || val > hi)
		return ERANGE;
	*res = val;
	return 0;
}
