/*
 * libkern: the kernel's own helper library (kernel layer).  Memory and
 * string routines, number parsing, formatted output, checksums and
 * hashes.  Nothing here allocates memory, sleeps or takes a lock, so
 * every routine may be called from any context.  The header is usually
 * reached through <sys/systm.h>.
 */
#ifndef _LIB_LIBKERN_LIBKERN_H_
#define _LIB_LIBKERN_LIBKERN_H_

#include <sys/types.h>
#include <sys/stdarg.h>

/*
 * Memory and strings (string.c).  These follow the C standard; strlcpy
 * and strlcat follow the BSD definition: they always NUL-terminate when
 * the size is not zero and return the length of the string they tried to
 * create, so truncation happened if the result is >= size.
 */
void	*memcpy(void *, const void *, size_t);
void	*memmove(void *, const void *, size_t);
void	*memset(void *, int, size_t);
int	 memcmp(const void *, const void *, size_t);
void	*memchr(const void *, int, size_t);
size_t	 strlen(const char *);
size_t	 strnlen(const char *, size_t);
int	 strcmp(const char *, const char *);
int	 strncmp(const char *, const char *, size_t);
char	*strchr(const char *, int);
char	*strrchr(const char *, int);
size_t	 strlcpy(char *, const char *, size_t);
size_t	 strlcat(char *, const char *, size_t);

/*
 * Number parsing (string.c).  strtoull and strtoll behave like the C
 * functions (leading white space, an optional sign, base 0 detects a
 * "0x" or "0" prefix, bases 2 to 36) except that they cannot report
 * errors through errno: on overflow they saturate (ULLONG_MAX, or
 * LLONG_MAX/LLONG_MIN) and without digits they return 0 with *endp set to
 * the start of the string.  kstrtoll_range parses a whole string the same
 * way and returns 0 with the value in *res, EINVAL if there are no digits
 * or anything follows them, or ERANGE if the value lies outside [lo, hi];
 * *res is only written on success.
 */
unsigned long long strtoull(const char *, char **, int);
long long strtoll(const char *, char **, int);
int	 kstrtoll_range(const char *, int, long long, long long, long long *);

/*
 * Formatted output (kvprintf.c).  kvprintf formats into a callback, one
 * character at a time, and returns the number of characters produced.
 * The conversions are those of C's printf without floating point:
 * d i u o x X c s p % with the flags - + space # 0, width and precision
 * (also as *), and the length modifiers hh h l ll q j z t.  A conversion
 * it does not know is copied to the output as written.  snprintf and
 * vsnprintf have C99 semantics.
 */
int	 kvprintf(const char *, void (*)(int, void *), void *, va_list)
	    __printflike(1, 0);
int	 snprintf(char *, size_t, const char *, ...) __printflike(3, 4);
int	 vsnprintf(char *, size_t, const char *, va_list) __printflike(3, 0);

/*
 * CRCs (crc32.c), both reflected, with the pre- and post-inversion done
 * inside so that calls chain: crc32(crc32(0, a, n), b, m) is the CRC of a
 * followed by b.  crc32 is zlib's (IEEE 802.3), crc32c is Castagnoli's
 * (iSCSI, ext4, SCTP).  Start with 0.
 */
uint32_t crc32(uint32_t, const void *, size_t);
uint32_t crc32c(uint32_t, const void *, size_t);

/*
 * The Internet checksum, RFC 1071 (in_cksum.c).  in_cksum_add adds the
 * bytes as 16-bit big-endian words to a running sum (start with 0);
 * in_cksum_fold turns the sum into the checksum to store with be16enc.
 * A piece of odd length is padded with a zero byte, so only the last
 * piece of a split buffer may have an odd length.
 */
uint32_t in_cksum_add(uint32_t, const void *, size_t);
uint16_t in_cksum_fold(uint32_t);

/*
 * Hashing for in-memory tables (hash.c): 32-bit FNV-1a whose offset
 * basis is XORed with the seed, so seed 0 gives plain FNV-1a.  Not
 * suitable where an attacker chooses the keys and the seed is known.
 */
uint32_t hash32_buf(const void *, size_t, uint32_t);
uint32_t hash32_str(const char *, uint32_t);
uint32_t hash32_strn(const char *, size_t, uint32_t);

/*
 * Let the compiler expand the common memory and string routines inline
 * when it knows the size.  It still calls the functions above for the
 * general case and for structure copies, so they must exist; string.c
 * undefines these before defining them.
 */
#define memcpy(d, s, n)		__builtin_memcpy((d), (s), (n))
#define memmove(d, s, n)	__builtin_memmove((d), (s), (n))
#define memset(d, c, n)		__builtin_memset((d), (c), (n))
#define memcmp(a, b, n)		__builtin_memcmp((a), (b), (n))
#define strlen(s)		__builtin_strlen((s))

#endif /* !_LIB_LIBKERN_LIBKERN_H_ */
