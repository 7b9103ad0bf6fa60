/*
 * Tests for libkern, the kernel's helper library (host test program).
 * The kernel's routines are checked against what others wrote: the
 * host's snprintf, string functions and strtoll, zlib's crc32, published
 * test vectors, and simple reference implementations here.
 *
 * The kernel's symbols are renamed rumpns_* in the built libraries, so
 * they are called through K().  The library functions are declared here
 * with host types; the header-only kernel headers (byte order, lists,
 * the red-black tree structures) are included directly, since they
 * must be compiled into the test to be tested at all.
 *
 * Random tests print their seed; set LIBKERN_SEED to rerun one.
 */

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>
#include <zlib.h>

#define K(name)		rumpns_##name

#ifndef __arraycount
#define __arraycount(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/*
 * The host's <endian.h> (reached through <stdlib.h>) defines some of the
 * names the kernel's <sys/endian.h> defines; the kernel's are tested.
 */
#undef BYTE_ORDER
#undef LITTLE_ENDIAN
#undef BIG_ENDIAN
#undef PDP_ENDIAN
#undef htobe16
#undef htobe32
#undef htobe64
#undef htole16
#undef htole32
#undef htole64
#undef be16toh
#undef be32toh
#undef be64toh
#undef le16toh
#undef le32toh
#undef le64toh
#undef htons
#undef htonl
#undef ntohs
#undef ntohl
#include "../../sys/sys/endian.h"
#include "../../sys/sys/queue.h"

#define rb_tree_init		K(rb_tree_init)
#define rb_tree_insert_node	K(rb_tree_insert_node)
#define rb_tree_remove_node	K(rb_tree_remove_node)
#define rb_tree_find_node	K(rb_tree_find_node)
#define rb_tree_find_node_geq	K(rb_tree_find_node_geq)
#define rb_tree_find_node_leq	K(rb_tree_find_node_leq)
#define rb_tree_iterate		K(rb_tree_iterate)
#define rb_tree_count		K(rb_tree_count)
#define rb_tree_check		K(rb_tree_check)
#include "../../sys/sys/rbtree.h"

/* libkern, as <lib/libkern/libkern.h> declares it. */
void	*K(memcpy)(void *, const void *, size_t);
void	*K(memmove)(void *, const void *, size_t);
void	*K(memset)(void *, int, size_t);
int	 K(memcmp)(const void *, const void *, size_t);
void	*K(memchr)(const void *, int, size_t);
size_t	 K(strlen)(const char *);
size_t	 K(strnlen)(const char *, size_t);
int	 K(strcmp)(const char *, const char *);
int	 K(strncmp)(const char *, const char *, size_t);
char	*K(strchr)(const char *, int);
char	*K(strrchr)(const char *, int);
size_t	 K(strlcpy)(char *, const char *, size_t);
size_t	 K(strlcat)(char *, const char *, size_t);
unsigned long long K(strtoull)(const char *, char **, int);
long long K(strtoll)(const char *, char **, int);
int	 K(kstrtoll_range)(const char *, int, long long, long long,
	    long long *);
int	 K(kvprintf)(const char *, void (*)(int, void *), void *, va_list)
	    __attribute__((__format__(__printf__, 1, 0)));
int	 K(snprintf)(char *, size_t, const char *, ...)
	    __attribute__((__format__(__printf__, 3, 4)));
int	 K(vsnprintf)(char *, size_t, const char *, va_list)
	    __attribute__((__format__(__printf__, 3, 0)));
uint32_t K(crc32)(uint32_t, const void *, size_t);
uint32_t K(crc32c)(uint32_t, const void *, size_t);
uint32_t K(in_cksum_add)(uint32_t, const void *, size_t);
uint16_t K(in_cksum_fold)(uint32_t);
uint32_t K(hash32_buf)(const void *, size_t, uint32_t);
uint32_t K(hash32_str)(const char *, uint32_t);
uint32_t K(hash32_strn)(const char *, size_t, uint32_t);

/* The kernel's error numbers used here (BSD numbering, sys/errno.h). */
#define K_EINVAL	22
#define K_ERANGE	34

/*
 * Seeded pseudo-random numbers (splitmix64), independent of the host's
 * rand(), so a printed seed reproduces a run anywhere.
 */
static uint64_t rng_state;

static void
rng_seed(const char *tc)
{
	const char *s = getenv("LIBKERN_SEED");
	uint64_t v;

	if (s != NULL)
		v = strtoull(s, NULL, 0);
	else
		v = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	printf("%s: seed %llu (set LIBKERN_SEED to repeat)\n", tc,
	    (unsigned long long)v);
	fflush(stdout);
	rng_state = v;
}

static uint64_t
rng(void)
{
	uint64_t z;

	rng_state += 0x9e3779b97f4a7c15ULL;
	z = rng_state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in [0, n). */
static size_t
rnd(size_t n)
{

	return n == 0 ? 0 : (size_t)(rng() % n);
}

/* A 64-bit value of random magnitude, so small values are common. */
static uint64_t
rng_mag(void)
{
	unsigned int bits = (unsigned int)rnd(65);

	return bits == 0 ? 0 : rng() >> (64 - bits);
}

static void
rng_fill(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len-- > 0)
		*p++ = (unsigned char)rng();
}

static int
sign(int v)
{

	return v < 0 ? -1 : v > 0;
}

/*
 * snprintf
 */

static const char *sn_expr;	/* the call being checked, for messages */
static int sn_line;

/*
 * Compare the buffers and results of the host's and the kernel's
 * snprintf for one buffer size.  Both buffers were filled with the same
 * pattern, so bytes either side writes beyond the terminator show up.
 */
static void
sn_compare(size_t size, const char *h, int hn, const char *k, int kn,
    size_t bufsize)
{

	ATF_CHECK_MSG(hn == kn, "line %d: %s: size %zu: returned %d, "
	    "host %d", sn_line, sn_expr, size, kn, hn);
	ATF_CHECK_MSG(memcmp(h, k, bufsize) == 0, "line %d: %s: size %zu: "
	    "produced \"%.*s\", host \"%.*s\"", sn_line, sn_expr, size,
	    (int)strnlen(k, bufsize), k, (int)strnlen(h, bufsize), h);
}

#define SN_BUFSIZE	600

/*
 * Run one snprintf call on both sides: into a large buffer, then into
 * NULL with size 0, then into buffers of sizes around the truncation
 * points.
 */
#define SN(...) do {							\
	char h_[SN_BUFSIZE], k_[SN_BUFSIZE];				\
	size_t sizes_[8], i_;						\
	int hn_, kn_;							\
									\
	sn_expr = #__VA_ARGS__;						\
	sn_line = __LINE__;						\
	memset(h_, 0x5a, sizeof(h_));					\
	memset(k_, 0x5a, sizeof(k_));					\
	hn_ = snprintf(h_, sizeof(h_), __VA_ARGS__);			\
	kn_ = K(snprintf)(k_, sizeof(k_), __VA_ARGS__);			\
	sn_compare(sizeof(h_), h_, hn_, k_, kn_, sizeof(h_));		\
	kn_ = K(snprintf)(NULL, 0, __VA_ARGS__);			\
	sn_compare(0, h_, hn_, h_, kn_, 0);				\
	sizes_[0] = 1;							\
	sizes_[1] = 2;							\
	sizes_[2] = 3;							\
	sizes_[3] = hn_ > 0 ? (size_t)hn_ / 2 : 1;			\
	sizes_[4] = hn_ > 0 ? (size_t)hn_ - 1 : 1;			\
	sizes_[5] = hn_ > 0 ? (size_t)hn_ : 1;				\
	sizes_[6] = hn_ > 0 ? (size_t)hn_ + 1 : 1;			\
	sizes_[7] = hn_ > 0 ? (size_t)hn_ + 2 : 1;			\
	for (i_ = 0; i_ < 8; i_++) {					\
		if (sizes_[i_] == 0 || sizes_[i_] > SN_BUFSIZE)		\
			continue;					\
		memset(h_, 0x5a, sizeof(h_));				\
		memset(k_, 0x5a, sizeof(k_));				\
		hn_ = snprintf(h_, sizes_[i_], __VA_ARGS__);		\
		kn_ = K(snprintf)(k_, sizes_[i_], __VA_ARGS__);		\
		sn_compare(sizes_[i_], h_, hn_, k_, kn_, sizeof(h_));	\
	}								\
} while (0)

ATF_TC_WITHOUT_HEAD(snprintf_table);
ATF_TC_BODY(snprintf_table, tc)
{
	char s40[41];
	int n;

	memset(s40, 'q', 40);
	s40[40] = '\0';

	/* Plain text and %%. */
	SN("%s", "");
	SN("hello, world");
	SN("%%");
	SN("a%%b%%%%c");
	SN("%d%%", 50);

	/* Signed decimal and its flags. */
	SN("%d", 0);
	SN("%d", 1);
	SN("%d", -1);
	SN("%i", 123456789);
	SN("%d", INT_MAX);
	SN("%d", INT_MIN);
	SN("%+d", 0);
	SN("%+d", 42);
	SN("%+d", -42);
	SN("% d", 42);
	SN("% d", -42);
	SN("%5d|", 42);
	SN("%-5d|", 42);
	SN("%05d", 42);
	SN("%05d", -42);
	SN("%+05d", 42);
	SN("% 05d", 42);
	SN("%.5d", 42);
	SN("%.5d", -42);
	SN("%8.5d", -42);
	SN("%-8.5d|", -42);
	SN("%.0d", 0);
	SN("%.0d|", 1);
	SN("%5.0d|", 0);
	SN("%+.0d", 0);
	SN("% .0d", 0);
	SN("%.d", 0);
	SN("%1d", 12345);
	SN("%100d", 7);
	SN("%-100d|", 7);
	SN("%.100d", 7);

	/* Unsigned, octal and hex. */
	SN("%u", 0u);
	SN("%u", UINT_MAX);
	SN("%o", 0u);
	SN("%o", 8u);
	SN("%o", UINT_MAX);
	SN("%#o", 0u);
	SN("%#o", 8u);
	SN("%#.0o", 0u);
	SN("%#.3o", 8u);
	SN("%#5.3o", 8u);
	SN("%#05o", 1u);
	SN("%#-6o|", 9u);
	SN("%x", 0u);
	SN("%x", 0xdeadbeefu);
	SN("%X", 0xdeadbeefu);
	SN("%#x", 0u);
	SN("%#x", 255u);
	SN("%#X", 255u);
	SN("%#.0x", 0u);
	SN("%#08x", 1u);
	SN("%#-8x|", 255u);
	SN("%#10.6x", 0xabcu);
	SN("%08X", 0xabcu);

	/* Length modifiers. */
	SN("%hhd", (signed char)-128);
	SN("%hhd", 300);
	SN("%hhu", 255);
	SN("%hhx", -1);
	SN("%hd", (short)-32768);
	SN("%hd", 70000);
	SN("%hu", 65535);
	SN("%hx", -1);
	SN("%ld", LONG_MAX);
	SN("%ld", LONG_MIN);
	SN("%lu", ULONG_MAX);
	SN("%lx", ULONG_MAX);
	SN("%lld", LLONG_MAX);
	SN("%lld", LLONG_MIN);
	SN("%llu", ULLONG_MAX);
	SN("%llo", ULLONG_MAX);
	SN("%#llo", ULLONG_MAX);
	SN("%llX", 0x0123456789abcdefULL);
	SN("%qd", -1LL);
	SN("%qu", 1ULL << 63);
	SN("%jd", (intmax_t)INT64_MIN);
	SN("%ju", (uintmax_t)UINT64_MAX);
	SN("%zu", (size_t)SIZE_MAX);
	SN("%zd", (ssize_t)-1);
	SN("%zx", (size_t)0x1234);
	SN("%td", (ptrdiff_t)-12345);
	SN("%tu", (ptrdiff_t)-1);
	SN("%tx", (ptrdiff_t)-1);
	SN("%-+25lld|", LLONG_MIN);
	SN("%025lld", LLONG_MIN);
	SN("%.25lld", LLONG_MIN);

	/* Width and precision from arguments. */
	SN("%*d|", 6, 42);
	SN("%*d|", -6, 42);
	SN("%-*d|", 6, 42);
	SN("%.*d", 4, 42);
	SN("%.*d", -4, 42);
	SN("%*.*d|", 8, 4, -42);
	SN("%*.*d|", -8, 4, -42);
	SN("%0*d", 6, -42);
	SN("%*s|", 10, "abc");
	SN("%*s|", -10, "abc");
	SN("%.*s|", 2, "abc");
	SN("%.*s|", -1, "abc");
	SN("%*c|", 3, 'z');

	/* Characters and strings. */
	SN("%c", 'a');
	SN("%c%c%c", 'x', 'y', 'z');
	SN("%5c|", 'a');
	SN("%-5c|", 'a');
	SN("%c", 0xff);
	SN("%s", "abc");
	SN("%10s|", "abc");
	SN("%-10s|", "abc");
	SN("%.2s", "abc");
	SN("%.0s|", "abc");
	SN("%.10s", "abc");
	SN("%5.1s|", "abc");
	SN("%-5.1s|", "abc");
	SN("%s", s40);
	SN("%s%s%s%s%s%s%s%s%s%s%s%s", s40, s40, s40, s40, s40, s40, s40,
	    s40, s40, s40, s40, s40);
	SN("%s|%s", "one", "two");

	/* Pointers: "0x" and lowercase hex, "(nil)" for NULL. */
	SN("%p", (void *)NULL);
	SN("%10p|", (void *)NULL);
	SN("%-10p|", (void *)NULL);
	SN("%p", (void *)0x1234);
	SN("%p", (void *)&n);
	SN("%p", (void *)UINTPTR_MAX);
	SN("%20p|", (void *)0x1234);
	SN("%-20p|", (void *)0x1234);

	/* Mixtures. */
	SN("[%5d|%-5d|%05d|%+5d|% 5d]", 1, 2, 3, 4, 5);
	SN("%d %s %c %x %o %u %p", -7, "str", 'c', 0x7fu, 7u, 9u,
	    (void *)0x10);
	SN("%lld %d %lld", 1LL << 40, -1, -(1LL << 40));
	SN("%hhd %hd %d %ld %lld %jd %zd %td", (signed char)1, (short)2, 3,
	    4L, 5LL, (intmax_t)6, (ssize_t)7, (ptrdiff_t)8);
}

/*
 * Combinations C defines but gcc's format checking warns about (flags
 * that other flags or a precision override, precision with %p, NULL
 * strings), and conversions the kernel copies literally.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-overflow"
#pragma GCC diagnostic ignored "-Wformat-truncation"
ATF_TC_WITHOUT_HEAD(snprintf_unusual);
ATF_TC_BODY(snprintf_unusual, tc)
{

	SN("%+ d", 42);
	SN("% +d", 42);
	SN("%-05d|", -42);
	SN("%0-5d|", 42);
	SN("%08.5d", -42);
	SN("%+u % u %+x % o", 1u, 2u, 3u, 4u);
	SN("%05c|", 'a');
	SN("%010s|", "abc");
	SN("%.8p", (void *)0x1234);
	SN("%20.8p|", (void *)0x1234);
	SN("%+p", (void *)0x1234);
	SN("% p", (void *)0x1234);
	SN("%0*.*d", 6, -1, -42);
	SN("%s", (char *)NULL);
	SN("%10s|", (char *)NULL);
	SN("%-10s|", (char *)NULL);
	SN("%.3s|", (char *)NULL);
	SN("%.5s|", (char *)NULL);
	SN("%.6s|", (char *)NULL);
	SN("%.10s|", (char *)NULL);
	SN("%-+5d|%+-5d|% -5d|%- 5d|", 1, 2, 3, 4);
	SN("%+05d|%-+05d|% 05d|%0+5d|", 1, 2, 3, 4);
	SN("%08.3x|%-08.3o|%08.0u|", 1u, 2u, 0u);
	SN("%+hhu % lu %+#llx % #o", 255, 1UL, 3ULL, 4u);
	SN("%010c|%-010c|", 'x', 'y');
	SN("%-010s|%010.2s|", "abc", "abc");
	SN("%#c|%#s|%+c|%+s|% s|", 'a', "b", 'c', "d", "e");
	SN("%#p|%#20p|%#-20p|", (void *)0x1234, (void *)0x1234,
	    (void *)0x1234);
	SN("%010p|%-010p|%.3p|%+p|% p|", (void *)NULL, (void *)NULL,
	    (void *)NULL, (void *)NULL, (void *)NULL);
	SN("%.0p|%.1p|%+020p|% 020p|%+.10p", (void *)0x1234,
	    (void *)0x1234, (void *)0x1234, (void *)0x1234, (void *)0x1234);
	SN("%lp|%hhp|%zp", (void *)1, (void *)2, (void *)3);
	SN("%hs|%hhc|%lc", "x", 'a', 'b');
	SN("%#d|%#i|%#u|%#.3d", 5, 6, 7u, 8);
	SN("%00005d|%-0-0-5d|%++d|%  d", 3, 4, 5, 6);
	SN("%5%|%-5%|%05%|%+%|% %|%#%");
	SN("%y");
	SN("a%5yb");
}
#pragma GCC diagnostic pop

/* vsnprintf and kvprintf directly. */
struct collect {
	char	buf[256];
	size_t	len;
};

static void
collect_put(int c, void *arg)
{
	struct collect *co = arg;

	if (co->len < sizeof(co->buf) - 1)
		co->buf[co->len] = (char)c;
	co->len++;
}

static int __attribute__((__format__(__printf__, 2, 3)))
kv_check(struct collect *co, const char *fmt, ...)
{
	va_list ap;
	int n;

	co->len = 0;
	va_start(ap, fmt);
	n = K(kvprintf)(fmt, collect_put, co, ap);
	va_end(ap);
	co->buf[co->len < sizeof(co->buf) ? co->len : sizeof(co->buf) - 1] =
	    '\0';
	return n;
}

static int __attribute__((__format__(__printf__, 3, 4)))
kvsn(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = K(vsnprintf)(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

ATF_TC_WITHOUT_HEAD(kvprintf);
ATF_TC_BODY(kvprintf, tc)
{
	struct collect co;
	char buf[16];
	int n;

	n = kv_check(&co, "%s=%d, %#x%c", "answer", 42, 0x2au, '!');
	ATF_CHECK_EQ(n, 16);
	ATF_CHECK_EQ(co.len, 16);
	ATF_CHECK_STREQ(co.buf, "answer=42, 0x2a!");
	n = kv_check(&co, "%s", "");
	ATF_CHECK_EQ(n, 0);
	ATF_CHECK_EQ(co.len, 0);
	n = kv_check(&co, "%8.3lld|%-6s|", -5LL, "ab");
	ATF_CHECK_STREQ(co.buf, "    -005|ab    |");
	ATF_CHECK_EQ(n, 16);

	memset(buf, 'X', sizeof(buf));
	n = kvsn(buf, 8, "%s-%d", "abcdef", 1234);
	ATF_CHECK_EQ(n, 11);
	ATF_CHECK_STREQ(buf, "abcdef-");
	ATF_CHECK_EQ(buf[8], 'X');
	memset(buf, 'X', sizeof(buf));
	n = kvsn(buf, 1, "%d", 99);
	ATF_CHECK_EQ(n, 2);
	ATF_CHECK_EQ(buf[0], '\0');
	ATF_CHECK_EQ(buf[1], 'X');
	n = kvsn(NULL, 0, "%d%s", 99, "abc");
	ATF_CHECK_EQ(n, 5);

	/* What the kernel copies literally: no wide strings, a lone %. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	n = kvsn(buf, sizeof(buf), "%ls|%d", 5);
	ATF_CHECK_STREQ(buf, "%ls|5");
	ATF_CHECK_EQ(n, 5);
	n = kvsn(buf, sizeof(buf), "ab%");
	ATF_CHECK_STREQ(buf, "ab%");
	ATF_CHECK_EQ(n, 3);
	n = kvsn(buf, sizeof(buf), "ab%-5");
	ATF_CHECK_STREQ(buf, "ab%-5");
	ATF_CHECK_EQ(n, 5);
#pragma GCC diagnostic pop
}

/* Random conversions against the host. */
ATF_TC_WITHOUT_HEAD(snprintf_random);
ATF_TC_BODY(snprintf_random, tc)
{
	static const char convs[] = "diuoxXcsp%";
	static const char *const lens[] = {
		"", "hh", "h", "l", "ll", "q", "j", "z", "t"
	};
	static const char *const strs[] = {
		"", "a", "hello", "a longer string, with spaces", NULL
	};
	char fmt[64], h[512], k[512];
	size_t size, f;
	int i, hn, kn, width, prec, conv, len;
	bool wstar, pstar;
	uint64_t v;
	const char *s;
	void *p;

	rng_seed("snprintf_random");
	for (i = 0; i < 20000; i++) {
		conv = convs[rnd(sizeof(convs) - 1)];
		f = 0;
		fmt[f++] = '<';
		fmt[f++] = '%';
		if (rnd(2))
			fmt[f++] = '-';
		if (rnd(3) == 0)
			fmt[f++] = '+';
		if (rnd(3) == 0)
			fmt[f++] = ' ';
		if (rnd(3) == 0 && conv != 'd' && conv != 'i' &&
		    conv != 'u' && conv != 'c' && conv != 's')
			fmt[f++] = '#';
		if (rnd(3) == 0)
			fmt[f++] = '0';
		width = prec = -1;
		wstar = pstar = false;
		if (rnd(2)) {
			width = (int)rnd(30) - (conv == '%' ? 0 : 10);
			if (conv != '%' && rnd(2))
				wstar = true;
			else if (width < 0)
				width = -width;
			if (wstar)
				f += (size_t)sprintf(fmt + f, "*");
			else
				f += (size_t)sprintf(fmt + f, "%d", width);
		}
		if (rnd(2) && conv != '%' && conv != 'c') {
			prec = (int)rnd(30) - 5;
			if (rnd(2))
				pstar = true;
			else if (prec < 0)
				prec = -prec;
			if (pstar)
				f += (size_t)sprintf(fmt + f, ".*");
			else if (prec == 0 && rnd(2))
				f += (size_t)sprintf(fmt + f, ".");
			else
				f += (size_t)sprintf(fmt + f, ".%d", prec);
		}
		len = 0;
		if (strchr("diuoxX", conv) != NULL)
			len = (int)rnd(__arraycount(lens));
		f += (size_t)sprintf(fmt + f, "%s%c>", lens[len], conv);
		fmt[f] = '\0';

		v = rng_mag();
		if (rnd(4) == 0)
			v = -v;
		s = strs[rnd(__arraycount(strs))];
		p = rnd(5) == 0 ? NULL : (void *)(uintptr_t)rng_mag();
		size = rnd(4) == 0 ? rnd(40) : sizeof(h);

		memset(h, 0x5a, sizeof(h));
		memset(k, 0x5a, sizeof(k));

#define BOTH(...) do {							\
	if (wstar && pstar) {						\
		hn = snprintf(h, size, fmt, width, prec, __VA_ARGS__);	\
		kn = K(snprintf)(k, size, fmt, width, prec, __VA_ARGS__);\
	} else if (wstar) {						\
		hn = snprintf(h, size, fmt, width, __VA_ARGS__);	\
		kn = K(snprintf)(k, size, fmt, width, __VA_ARGS__);	\
	} else if (pstar) {						\
		hn = snprintf(h, size, fmt, prec, __VA_ARGS__);		\
		kn = K(snprintf)(k, size, fmt, prec, __VA_ARGS__);	\
	} else {							\
		hn = snprintf(h, size, fmt, __VA_ARGS__);		\
		kn = K(snprintf)(k, size, fmt, __VA_ARGS__);		\
	}								\
} while (0)
		switch (conv) {
		case 'c':
			BOTH((int)(v & 0xff) == 0 ? 'x' : (int)(v & 0xff));
			break;
		case 's':
			BOTH(s);
			break;
		case 'p':
			BOTH(p);
			break;
		case '%':
			/* No argument; a dummy one is ignored by both. */
			BOTH(0);
			break;
		default:
			switch (len) {
			case 0:
			case 1:
			case 2:
				BOTH((int)v);
				break;
			case 3:
				BOTH((long)v);
				break;
			case 4:
			case 5:
				BOTH((long long)v);
				break;
			case 6:
				BOTH((intmax_t)v);
				break;
			case 7:
				BOTH((size_t)v);
				break;
			default:
				BOTH((ptrdiff_t)v);
				break;
			}
		}
#undef BOTH
		ATF_REQUIRE_MSG(hn == kn && memcmp(h, k, sizeof(h)) == 0,
		    "iteration %d: format \"%s\" (width %d, prec %d), "
		    "size %zu: "
		    "got %d \"%.*s\", host %d \"%.*s\"", i, fmt, width, prec,
		    size, kn, (int)strnlen(k, sizeof(k)), k, hn,
		    (int)strnlen(h, sizeof(h)), h);
	}
}

/*
 * Memory and string functions
 */

#define BUFLEN		512

ATF_TC_WITHOUT_HEAD(mem_random);
ATF_TC_BODY(mem_random, tc)
{
	static unsigned char src[BUFLEN], h[BUFLEN], k[BUFLEN];
	size_t so, doff, len, pos;
	int i, c, hr, kr;
	void *r;

	rng_seed("mem_random");
	for (i = 0; i < 20000; i++) {
		len = rnd(4) == 0 ? rnd(16) : rnd(300);
		so = rnd(32);
		doff = rnd(32);
		rng_fill(src, sizeof(src));
		rng_fill(h, sizeof(h));
		memcpy(k, h, sizeof(k));

		/* memcpy between buffers. */
		memcpy(h + doff, src + so, len);
		r = K(memcpy)(k + doff, src + so, len);
		ATF_REQUIRE_MSG(r == k + doff, "memcpy return");
		ATF_REQUIRE_MSG(memcmp(h, k, BUFLEN) == 0,
		    "memcpy: iteration %d, dst+%zu src+%zu len %zu",
		    i, doff, so, len);

		/* memmove within a buffer, overlapping either way. */
		so = rnd(BUFLEN - len);
		if (rnd(4) == 0)
			doff = rnd(BUFLEN - len);
		else {
			/* Near the source, so they overlap. */
			doff = so + rnd(20);
			if (doff >= BUFLEN - len)
				doff = so;
		}
		if (rnd(2)) {
			size_t t = so;

			so = doff;
			doff = t;
		}
		memmove(h + doff, h + so, len);
		r = K(memmove)(k + doff, k + so, len);
		ATF_REQUIRE_MSG(r == k + doff, "memmove return");
		ATF_REQUIRE_MSG(memcmp(h, k, BUFLEN) == 0,
		    "memmove: iteration %d, dst+%zu src+%zu len %zu",
		    i, doff, so, len);

		/* memset, with values beyond a byte too. */
		c = (int)rnd(4) == 0 ? (int)rng() : (int)rnd(256);
		doff = rnd(BUFLEN - len);
		memset(h + doff, c, len);
		r = K(memset)(k + doff, c, len);
		ATF_REQUIRE_MSG(r == k + doff, "memset return");
		ATF_REQUIRE_MSG(memcmp(h, k, BUFLEN) == 0,
		    "memset: iteration %d, dst+%zu c %d len %zu",
		    i, doff, c, len);

		/* memcmp: equal buffers with one difference, or none. */
		so = rnd(32);
		doff = rnd(32);
		memcpy(h + doff, src + so, len);
		if (len > 0 && rnd(4) != 0) {
			pos = rnd(len);
			h[doff + pos] = (unsigned char)rng();
		}
		hr = memcmp(h + doff, src + so, len);
		kr = K(memcmp)(h + doff, src + so, len);
		ATF_REQUIRE_MSG(sign(hr) == sign(kr),
		    "memcmp: iteration %d: %d, host %d", i, kr, hr);

		/* memchr over a small alphabet. */
		for (pos = 0; pos < len; pos++)
			h[pos] = (unsigned char)(rnd(8) + 250);
		c = (int)rnd(10) + 248;
		if (rnd(8) == 0)
			c += 256;
		ATF_REQUIRE_MSG(memchr(h, c, len) == K(memchr)(h, c, len),
		    "memchr: iteration %d", i);
	}
}

/* A random string over a small alphabet, with bytes above 127. */
static void
rnd_string(char *buf, size_t max)
{
	static const char alpha[] = "abc\x80\xff";
	size_t n = rnd(max), i;

	for (i = 0; i < n; i++)
		buf[i] = alpha[rnd(sizeof(alpha) - 1)];
	buf[n] = '\0';
}

/* strlcpy and strlcat as the BSD manual defines them. */
static size_t
ref_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

static size_t
ref_strlcat(char *dst, const char *src, size_t size)
{
	size_t dlen = strnlen(dst, size);

	if (dlen == size)
		return size + strlen(src);
	return dlen + ref_strlcpy(dst + dlen, src, size - dlen);
}

ATF_TC_WITHOUT_HEAD(str_random);
ATF_TC_BODY(str_random, tc)
{
	char a[80], b[80], h[64], k[64];
	size_t n, hl, kl;
	int i, c;

	rng_seed("str_random");
	for (i = 0; i < 50000; i++) {
		rnd_string(a, 40);
		if (rnd(3) == 0)
			strcpy(b, a);
		else if (rnd(2) == 0) {
			/* A common prefix, then something else. */
			strcpy(b, a);
			rnd_string(b + rnd(strlen(a) + 1), 10);
		} else
			rnd_string(b, 40);
		n = rnd(45);

		ATF_REQUIRE_EQ(K(strlen)(a), strlen(a));
		ATF_REQUIRE_EQ(K(strnlen)(a, n), strnlen(a, n));
		ATF_REQUIRE_MSG(sign(K(strcmp)(a, b)) == sign(strcmp(a, b)),
		    "strcmp(\"%s\", \"%s\")", a, b);
		ATF_REQUIRE_MSG(sign(K(strncmp)(a, b, n)) ==
		    sign(strncmp(a, b, n)),
		    "strncmp(\"%s\", \"%s\", %zu)", a, b, n);

		c = "abc\x80\xff"[rnd(5)];
		if (rnd(6) == 0)
			c = 0;
		else if (rnd(6) == 0)
			c += 256;
		ATF_REQUIRE_MSG(K(strchr)(a, c) == strchr(a, c),
		    "strchr(\"%s\", %d)", a, c);
		ATF_REQUIRE_MSG(K(strrchr)(a, c) == strrchr(a, c),
		    "strrchr(\"%s\", %d)", a, c);

		/* strlcpy and strlcat into buffers of every size. */
		n = rnd(sizeof(h) + 1);
		memset(h, 'Z', sizeof(h));
		memset(k, 'Z', sizeof(k));
		hl = ref_strlcpy(h, a, n);
		kl = K(strlcpy)(k, a, n);
		ATF_REQUIRE_EQ(hl, kl);
		ATF_REQUIRE_MSG(memcmp(h, k, sizeof(h)) == 0,
		    "strlcpy(\"%s\", %zu)", a, n);
		if (rnd(4) == 0) {
			/* An unterminated destination. */
			memset(h, 'Y', sizeof(h));
			memset(k, 'Y', sizeof(k));
		}
		hl = ref_strlcat(h, b, n);
		kl = K(strlcat)(k, b, n);
		ATF_REQUIRE_EQ(hl, kl);
		ATF_REQUIRE_MSG(memcmp(h, k, sizeof(h)) == 0,
		    "strlcat(\"%s\", %zu)", b, n);
	}
}

ATF_TC_WITHOUT_HEAD(strlcpy_strlcat);
ATF_TC_BODY(strlcpy_strlcat, tc)
{
	char buf[8];

	memset(buf, 'X', sizeof(buf));
	ATF_CHECK_EQ(K(strlcpy)(buf, "abc", sizeof(buf)), 3);
	ATF_CHECK_STREQ(buf, "abc");
	ATF_CHECK_EQ(K(strlcpy)(buf, "abcdefghij", sizeof(buf)), 10);
	ATF_CHECK_STREQ(buf, "abcdefg");
	ATF_CHECK_EQ(K(strlcpy)(buf, "abcdefgh", sizeof(buf)), 8);
	ATF_CHECK_STREQ(buf, "abcdefg");
	ATF_CHECK_EQ(K(strlcpy)(buf, "abcdefg", sizeof(buf)), 7);
	ATF_CHECK_STREQ(buf, "abcdefg");
	memset(buf, 'X', sizeof(buf));
	ATF_CHECK_EQ(K(strlcpy)(buf, "abc", 0), 3);
	ATF_CHECK_EQ(buf[0], 'X');
	ATF_CHECK_EQ(K(strlcpy)(buf, "abc", 1), 3);
	ATF_CHECK_EQ(buf[0], '\0');
	ATF_CHECK_EQ(buf[1], 'X');
	ATF_CHECK_EQ(K(strlcpy)(buf, "", sizeof(buf)), 0);
	ATF_CHECK_STREQ(buf, "");

	strcpy(buf, "ab");
	ATF_CHECK_EQ(K(strlcat)(buf, "cd", sizeof(buf)), 4);
	ATF_CHECK_STREQ(buf, "abcd");
	ATF_CHECK_EQ(K(strlcat)(buf, "efghij", sizeof(buf)), 10);
	ATF_CHECK_STREQ(buf, "abcdefg");
	ATF_CHECK_EQ(K(strlcat)(buf, "x", sizeof(buf)), 8);
	ATF_CHECK_STREQ(buf, "abcdefg");
	strcpy(buf, "ab");
	ATF_CHECK_EQ(K(strlcat)(buf, "cd", 2), 4);
	ATF_CHECK_STREQ(buf, "ab");
	ATF_CHECK_EQ(K(strlcat)(buf, "cd", 0), 2);
	ATF_CHECK_STREQ(buf, "ab");
	memset(buf, 'X', sizeof(buf));
	ATF_CHECK_EQ(K(strlcat)(buf, "cd", sizeof(buf)), sizeof(buf) + 2);
	ATF_CHECK_EQ(memchr(buf, '\0', sizeof(buf)), NULL);
}

/*
 * Number parsing
 */

static void
check_strto(const char *s, int base)
{
	char *hend, *kend;
	unsigned long long hu, ku;
	long long hs, ks;

	hu = strtoull(s, &hend, base);
	ku = K(strtoull)(s, &kend, base);
	ATF_REQUIRE_MSG(hu == ku && hend == kend, "strtoull(\"%s\", %d): "
	    "%llu end %td, host %llu end %td", s, base, ku, kend - s, hu,
	    hend - s);
	hs = strtoll(s, &hend, base);
	ks = K(strtoll)(s, &kend, base);
	ATF_REQUIRE_MSG(hs == ks && hend == kend, "strtoll(\"%s\", %d): "
	    "%lld end %td, host %lld end %td", s, base, ks, kend - s, hs,
	    hend - s);
	/* A NULL end pointer is allowed. */
	ATF_REQUIRE_EQ(K(strtoll)(s, NULL, base), hs);
}

ATF_TC_WITHOUT_HEAD(strtoll_host);
ATF_TC_BODY(strtoll_host, tc)
{
	static const char *const fixed[] = {
		"", " ", "0", "-0", "+0", "1", "-1", "+", "-", "x", "0x",
		"0X", "0x1g", "0xg", "-0x10", "+0x10", "010", "08", "0b1",
		" \t\n\v\f\r42z", "  -  1", "123abc", "zz",
		"9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809",
		"18446744073709551615", "18446744073709551616",
		"-18446744073709551615", "-18446744073709551616",
		"99999999999999999999999999999999",
		"-99999999999999999999999999999999",
		"0xffffffffffffffff", "0x10000000000000000",
		"0x7fffffffffffffff", "-0x8000000000000000",
		"01777777777777777777777", "02000000000000000000000",
		"0000000000000000000000000000000000000000012",
	};
	static const int bases[] = { 0, 2, 8, 10, 16, 36 };
	static const char alpha[] = " +-0123456789abcdefxXzZ";
	char s[40];
	size_t i, j, n;

	for (i = 0; i < __arraycount(fixed); i++)
		for (j = 0; j < __arraycount(bases); j++)
			check_strto(fixed[i], bases[j]);

	rng_seed("strtoll_host");
	for (i = 0; i < 100000; i++) {
		n = rnd(25);
		for (j = 0; j < n; j++) {
			/* Mostly digits, so long numbers occur. */
			s[j] = rnd(3) == 0 ? alpha[rnd(sizeof(alpha) - 1)] :
			    (char)('0' + rnd(10));
		}
		s[n] = '\0';
		check_strto(s, bases[rnd(__arraycount(bases))]);
	}
}

ATF_TC_WITHOUT_HEAD(kstrtoll_range);
ATF_TC_BODY(kstrtoll_range, tc)
{
	long long v;

#define RANGE_OK(s, base, lo, hi, want) do {				\
	v = 12345;							\
	ATF_CHECK_EQ_MSG(K(kstrtoll_range)((s), (base), (lo), (hi), &v), 0,\
	    "kstrtoll_range(\"%s\") failed", (s));			\
	ATF_CHECK_EQ_MSG(v, (want), "kstrtoll_range(\"%s\") gave %lld",	\
	    (s), v);							\
} while (0)
#define RANGE_ERR(s, base, lo, hi, err) do {				\
	v = 12345;							\
	ATF_CHECK_EQ_MSG(K(kstrtoll_range)((s), (base), (lo), (hi),	\
	    &v), (err), "kstrtoll_range(\"%s\") error", (s));		\
	ATF_CHECK_EQ_MSG(v, 12345, "kstrtoll_range(\"%s\") wrote %lld",	\
	    (s), v);							\
} while (0)

	RANGE_OK("0", 10, 0, 10, 0);
	RANGE_OK("10", 10, 0, 10, 10);
	RANGE_OK("-5", 10, -5, 5, -5);
	RANGE_OK("0x1f", 0, 0, 100, 31);
	RANGE_OK("0x1F", 16, 0, 100, 31);
	RANGE_OK("1f", 16, 0, 100, 31);
	RANGE_OK("017", 0, 0, 100, 15);
	RANGE_OK("017", 10, 0, 100, 17);
	RANGE_OK("  42", 10, 0, 100, 42);
	RANGE_OK("+42", 10, 0, 100, 42);
	RANGE_OK("9223372036854775807", 10, LLONG_MIN, LLONG_MAX, LLONG_MAX);
	RANGE_OK("-9223372036854775808", 10, LLONG_MIN, LLONG_MAX,
	    LLONG_MIN);
	RANGE_OK("-0x8000000000000000", 0, LLONG_MIN, LLONG_MAX, LLONG_MIN);
	RANGE_OK("z", 36, 0, 100, 35);

	RANGE_ERR("", 10, 0, 100, K_EINVAL);
	RANGE_ERR(" ", 10, 0, 100, K_EINVAL);
	RANGE_ERR("-", 10, 0, 100, K_EINVAL);
	RANGE_ERR("abc", 10, 0, 100, K_EINVAL);
	RANGE_ERR("12abc", 10, 0, 100, K_EINVAL);
	RANGE_ERR("12 ", 10, 0, 100, K_EINVAL);
	RANGE_ERR("12\n", 10, 0, 100, K_EINVAL);
	RANGE_ERR("0x", 0, 0, 100, K_EINVAL);
	RANGE_ERR("0x", 16, 0, 100, K_EINVAL);
	RANGE_ERR("08", 0, 0, 100, K_EINVAL);
	RANGE_ERR("1", 1, 0, 100, K_EINVAL);
	RANGE_ERR("1", 37, 0, 100, K_EINVAL);
	RANGE_ERR("1", -1, 0, 100, K_EINVAL);
	RANGE_ERR(NULL, 10, 0, 100, K_EINVAL);

	RANGE_ERR("11", 10, 0, 10, K_ERANGE);
	RANGE_ERR("-1", 10, 0, 10, K_ERANGE);
	RANGE_ERR("-6", 10, -5, 5, K_ERANGE);
	RANGE_ERR("5", 10, 6, 5, K_ERANGE);
	RANGE_ERR("9223372036854775808", 10, LLONG_MIN, LLONG_MAX,
	    K_ERANGE);
	RANGE_ERR("-9223372036854775809", 10, LLONG_MIN, LLONG_MAX,
	    K_ERANGE);
	RANGE_ERR("18446744073709551616", 10, LLONG_MIN, LLONG_MAX,
	    K_ERANGE);
	RANGE_ERR("99999999999999999999999", 0, LLONG_MIN, LLONG_MAX,
	    K_ERANGE);
	/* Junk outranks range. */
	RANGE_ERR("99999999999999999999999x", 0, LLONG_MIN, LLONG_MAX,
	    K_EINVAL);
#undef RANGE_OK
#undef RANGE_ERR
}

/*
 * CRCs
 */

/* Bitwise CRC-32C, the definition itself. */
static uint32_t
ref_crc32c(uint32_t crc, const unsigned char *p, size_t len)
{
	int i;

	crc = ~crc;
	while (len-- > 0) {
		crc ^= *p++;
		for (i = 0; i < 8; i++)
			crc = (crc >> 1) ^ (0x82f63b78U & (0U - (crc & 1)));
	}
	return ~crc;
}

ATF_TC_WITHOUT_HEAD(crc32_zlib);
ATF_TC_BODY(crc32_zlib, tc)
{
	static unsigned char buf[70000];
	size_t len, off, cut;
	uint32_t init, h, k;
	int i;

	ATF_CHECK_EQ(K(crc32)(0, "123456789", 9), 0xcbf43926U);
	ATF_CHECK_EQ(K(crc32)(0, "", 0), 0);
	ATF_CHECK_EQ(K(crc32)(0x12345678, NULL, 0), 0x12345678);

	rng_seed("crc32_zlib");
	rng_fill(buf, sizeof(buf));
	for (len = 0; len < 300; len++) {
		for (off = 0; off < 8; off++) {
			init = rnd(2) ? 0 : (uint32_t)rng();
			h = (uint32_t)crc32(init, buf + off, (uInt)len);
			k = K(crc32)(init, buf + off, len);
			ATF_REQUIRE_MSG(h == k, "crc32 len %zu off %zu init "
			    "%#x: %#x, zlib %#x", len, off, init, k, h);
		}
	}
	for (i = 0; i < 200; i++) {
		len = rnd(sizeof(buf) - 16);
		off = rnd(16);
		h = (uint32_t)crc32(0, buf + off, (uInt)len);
		k = K(crc32)(0, buf + off, len);
		ATF_REQUIRE_MSG(h == k, "crc32 len %zu off %zu", len, off);
		/* In two pieces, chained. */
		cut = rnd(len + 1);
		k = K(crc32)(K(crc32)(0, buf + off, cut), buf + off + cut,
		    len - cut);
		ATF_REQUIRE_MSG(h == k, "crc32 len %zu cut at %zu", len, cut);
	}
}

ATF_TC_WITHOUT_HEAD(crc32c_vectors);
ATF_TC_BODY(crc32c_vectors, tc)
{
	static unsigned char buf[5000];
	unsigned char v[32];
	size_t len, off, cut;
	uint32_t init;
	int i;

	/* RFC 3720, section B.4. */
	memset(v, 0, sizeof(v));
	ATF_CHECK_EQ(K(crc32c)(0, v, sizeof(v)), 0x8a9136aaU);
	memset(v, 0xff, sizeof(v));
	ATF_CHECK_EQ(K(crc32c)(0, v, sizeof(v)), 0x62a8ab43U);
	for (i = 0; i < 32; i++)
		v[i] = (unsigned char)i;
	ATF_CHECK_EQ(K(crc32c)(0, v, sizeof(v)), 0x46dd794eU);
	for (i = 0; i < 32; i++)
		v[i] = (unsigned char)(31 - i);
	ATF_CHECK_EQ(K(crc32c)(0, v, sizeof(v)), 0x113fdb5cU);
	ATF_CHECK_EQ(K(crc32c)(0, "123456789", 9), 0xe3069283U);
	ATF_CHECK_EQ(K(crc32c)(0, "", 0), 0);

	rng_seed("crc32c_vectors");
	rng_fill(buf, sizeof(buf));
	for (i = 0; i < 2000; i++) {
		len = i < 300 ? (size_t)i : rnd(sizeof(buf) - 16);
		off = rnd(16);
		init = rnd(2) ? 0 : (uint32_t)rng();
		ATF_REQUIRE_MSG(K(crc32c)(init, buf + off, len) ==
		    ref_crc32c(init, buf + off, len),
		    "crc32c len %zu off %zu init %#x", len, off, init);
		cut = rnd(len + 1);
		ATF_REQUIRE_EQ(K(crc32c)(K(crc32c)(0, buf + off, cut),
		    buf + off + cut, len - cut), ref_crc32c(0, buf + off, len));
	}
}

/*
 * The Internet checksum
 */

/* RFC 1071, section 4.1, nearly verbatim in spirit: 16-bit words. */
static uint16_t
ref_cksum(const unsigned char *p, size_t len)
{
	uint32_t sum = 0;

	for (; len > 1; len -= 2, p += 2) {
		sum += (uint32_t)(p[0] << 8 | p[1]);
		if (sum > 0xffff)
			sum -= 0xffff;
	}
	if (len == 1) {
		sum += (uint32_t)p[0] << 8;
		if (sum > 0xffff)
			sum -= 0xffff;
	}
	return (uint16_t)~sum;
}

ATF_TC_WITHOUT_HEAD(in_cksum);
ATF_TC_BODY(in_cksum, tc)
{
	/* RFC 1071, section 3, "Numerical Examples". */
	static const unsigned char ex[8] = {
		0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7
	};
	static unsigned char buf[3000];
	unsigned char hdr[20];
	size_t len, off, pos, piece;
	uint32_t sum;
	uint16_t ck;
	int i;

	sum = K(in_cksum_add)(0, ex, sizeof(ex));
	/* The folded sum is 0xddf2 and the checksum its complement. */
	ATF_CHECK_EQ(K(in_cksum_fold)(sum), (uint16_t)~0xddf2);
	ATF_CHECK_EQ(K(in_cksum_fold)(sum), 0x220d);
	/* "the sum may be calculated in any order": byte-swapped. */
	ATF_CHECK_EQ(K(in_cksum_fold)(K(in_cksum_add)(0, ex + 4, 4) +
	    K(in_cksum_add)(0, ex, 4)), 0x220d);
	ATF_CHECK_EQ(K(in_cksum_fold)(0), 0xffff);
	ATF_CHECK_EQ(K(in_cksum_add)(0, NULL, 0), 0);

	/* An IPv4 header: store the checksum, then it verifies to 0. */
	memcpy(hdr, "\x45\x00\x00\x73\x00\x00\x40\x00\x40\x11\x00\x00"
	    "\xc0\xa8\x00\x01\xc0\xa8\x00\xc7", sizeof(hdr));
	ck = K(in_cksum_fold)(K(in_cksum_add)(0, hdr, sizeof(hdr)));
	ATF_CHECK_EQ(ck, 0xb861);
	be16enc(hdr + 10, ck);
	ATF_CHECK_EQ(K(in_cksum_fold)(K(in_cksum_add)(0, hdr, sizeof(hdr))),
	    0);

	rng_seed("in_cksum");
	for (i = 0; i < 5000; i++) {
		len = i < 100 ? (size_t)i : rnd(2000);
		off = rnd(8);
		rng_fill(buf, sizeof(buf));
		if (rnd(4) == 0)
			memset(buf, rnd(2) ? 0xff : 0, sizeof(buf));
		ck = ref_cksum(buf + off, len);
		ATF_REQUIRE_MSG(K(in_cksum_fold)(K(in_cksum_add)(0, buf + off,
		    len)) == ck, "len %zu off %zu", len, off);

		/* In pieces of even length, then the rest. */
		sum = 0;
		for (pos = 0; pos < len; pos += piece) {
			piece = rnd(64) & ~(size_t)1;
			if (piece > len - pos || rnd(8) == 0)
				piece = len - pos;
			sum = K(in_cksum_add)(sum, buf + off + pos, piece);
		}
		ATF_REQUIRE_MSG(K(in_cksum_fold)(sum) == ck,
		    "len %zu off %zu in pieces", len, off);

		/*
		 * Any 32-bit starting sum, which counts as two more words
		 * in front of the data.
		 */
		sum = (uint32_t)rng();
		if (rnd(4) == 0)
			sum = 0xffffffffU - (uint32_t)rnd(3);
		len = rnd(64) & ~(size_t)1;
		if (rnd(4) == 0)
			memset(buf + 4, 0xff, len);
		else if (rnd(3) == 0) {
			/* 32-bit words that carry out of the accumulator. */
			for (pos = 0; pos < len; pos++)
				buf[4 + pos] = pos % 4 == 0 ? 0x80 : 0;
		}
		be32enc(buf, sum);
		ATF_REQUIRE_MSG(K(in_cksum_fold)(K(in_cksum_add)(sum, buf + 4,
		    len)) == ref_cksum(buf, len + 4),
		    "start sum %#x, len %zu", sum, len);
	}

	/* The carries out of 32 bits must come back around. */
	memcpy(buf, "\xff\xff\xff\xff\x80\0\0\0\x80\0\0\0", 12);
	ATF_CHECK_EQ(K(in_cksum_fold)(K(in_cksum_add)(0xffffffffU, buf + 4,
	    8)), ref_cksum(buf, 12));
}

/*
 * Hashes
 */

static uint32_t
ref_fnv1a(const void *buf, size_t len, uint32_t seed)
{
	const unsigned char *p = buf;
	uint32_t h = 2166136261U ^ seed;

	while (len-- > 0) {
		h ^= *p++;
		h *= 16777619U;
	}
	return h;
}

ATF_TC_WITHOUT_HEAD(hash32);
ATF_TC_BODY(hash32, tc)
{
	unsigned char buf[100];
	char s[40];
	size_t len, n;
	uint32_t seed;
	int i;

	/* Published FNV-1a test vectors. */
	ATF_CHECK_EQ(K(hash32_str)("", 0), 0x811c9dc5U);
	ATF_CHECK_EQ(K(hash32_str)("a", 0), 0xe40c292cU);
	ATF_CHECK_EQ(K(hash32_str)("foobar", 0), 0xbf9cf968U);
	ATF_CHECK_EQ(K(hash32_buf)("foobar", 6, 0), 0xbf9cf968U);
	ATF_CHECK_EQ(K(hash32_strn)("foobar", 100, 0), 0xbf9cf968U);
	ATF_CHECK(K(hash32_str)("a", 1) != K(hash32_str)("a", 0));

	rng_seed("hash32");
	for (i = 0; i < 2000; i++) {
		len = rnd(sizeof(buf));
		rng_fill(buf, len);
		seed = rnd(2) ? 0 : (uint32_t)rng();
		ATF_REQUIRE_EQ(K(hash32_buf)(buf, len, seed),
		    ref_fnv1a(buf, len, seed));
		rnd_string(s, sizeof(s) - 1);
		n = rnd(sizeof(s));
		ATF_REQUIRE_EQ(K(hash32_str)(s, seed),
		    ref_fnv1a(s, strlen(s), seed));
		ATF_REQUIRE_EQ(K(hash32_strn)(s, n, seed),
		    ref_fnv1a(s, strnlen(s, n), seed));
	}
}

/*
 * Byte order
 */

ATF_TC_WITHOUT_HEAD(endian);
ATF_TC_BODY(endian, tc)
{
	static const unsigned char seq[8] = {
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08
	};
	unsigned char buf[16], want[8];
	union {
		uint32_t	u32;
		unsigned char	c[4];
	} probe;
	uint64_t v;
	size_t off;
	int i, j;

	probe.u32 = 0x01020304;
	ATF_CHECK_EQ(BYTE_ORDER, probe.c[0] == 0x04 ? LITTLE_ENDIAN :
	    BIG_ENDIAN);

	ATF_CHECK_EQ(bswap16(0x0102), 0x0201);
	ATF_CHECK_EQ(bswap32(0x01020304), 0x04030201U);
	ATF_CHECK_EQ(bswap64(0x0102030405060708ULL), 0x0807060504030201ULL);

	/* Known layouts, at every alignment. */
	for (off = 0; off < 8; off++) {
		ATF_CHECK_EQ(be16dec(seq), 0x0102);
		ATF_CHECK_EQ(be32dec(seq), 0x01020304U);
		ATF_CHECK_EQ(be64dec(seq), 0x0102030405060708ULL);
		ATF_CHECK_EQ(le16dec(seq), 0x0201);
		ATF_CHECK_EQ(le32dec(seq), 0x04030201U);
		ATF_CHECK_EQ(le64dec(seq), 0x0807060504030201ULL);

		memset(buf, 0xee, sizeof(buf));
		be64enc(buf + off, 0x0102030405060708ULL);
		ATF_CHECK(memcmp(buf + off, seq, 8) == 0);
		ATF_CHECK(off == 0 || buf[off - 1] == 0xee);
		ATF_CHECK(buf[off + 8] == 0xee);
		le64enc(buf + off, 0x0807060504030201ULL);
		ATF_CHECK(memcmp(buf + off, seq, 8) == 0);
		be32enc(buf + off, 0x01020304U);
		ATF_CHECK(memcmp(buf + off, seq, 4) == 0);
		le32enc(buf + off, 0x04030201U);
		ATF_CHECK(memcmp(buf + off, seq, 4) == 0);
		be16enc(buf + off, 0x0102);
		ATF_CHECK(memcmp(buf + off, seq, 2) == 0);
		le16enc(buf + off, 0x0201);
		ATF_CHECK(memcmp(buf + off, seq, 2) == 0);
		ATF_CHECK(buf[off + 8] == 0xee);

		memcpy(buf + off, seq, 8);
		ATF_CHECK_EQ(be32dec(buf + off), 0x01020304U);
		ATF_CHECK_EQ(le64dec(buf + off), 0x0807060504030201ULL);
	}

	/* The conversions against the in-memory layout. */
	{
		uint16_t x16 = htobe16(0x0102);
		uint32_t x32 = htobe32(0x01020304U);
		uint64_t x64 = htobe64(0x0102030405060708ULL);

		ATF_CHECK(memcmp(&x16, seq, 2) == 0);
		ATF_CHECK(memcmp(&x32, seq, 4) == 0);
		ATF_CHECK(memcmp(&x64, seq, 8) == 0);
		x16 = htole16(0x0201);
		x32 = htole32(0x04030201U);
		x64 = htole64(0x0807060504030201ULL);
		ATF_CHECK(memcmp(&x16, seq, 2) == 0);
		ATF_CHECK(memcmp(&x32, seq, 4) == 0);
		ATF_CHECK(memcmp(&x64, seq, 8) == 0);
		x16 = htons(0x0102);
		x32 = htonl(0x01020304U);
		ATF_CHECK(memcmp(&x16, seq, 2) == 0);
		ATF_CHECK(memcmp(&x32, seq, 4) == 0);
		memcpy(&x16, seq, 2);
		memcpy(&x32, seq, 4);
		memcpy(&x64, seq, 8);
		ATF_CHECK_EQ(ntohs(x16), 0x0102);
		ATF_CHECK_EQ(ntohl(x32), 0x01020304U);
		ATF_CHECK_EQ(be16toh(x16), 0x0102);
		ATF_CHECK_EQ(be32toh(x32), 0x01020304U);
		ATF_CHECK_EQ(be64toh(x64), 0x0102030405060708ULL);
		ATF_CHECK_EQ(le16toh(x16), 0x0201);
		ATF_CHECK_EQ(le32toh(x32), 0x04030201U);
		ATF_CHECK_EQ(le64toh(x64), 0x0807060504030201ULL);
	}

	/* Round trips of random values at random alignments. */
	rng_seed("endian");
	for (i = 0; i < 10000; i++) {
		v = rng();
		off = rnd(8);
		be64enc(buf + off, v);
		ATF_REQUIRE_EQ(be64dec(buf + off), v);
		for (j = 0; j < 8; j++)
			want[j] = (unsigned char)(v >> (56 - 8 * j));
		ATF_REQUIRE(memcmp(buf + off, want, 8) == 0);
		le64enc(buf + off, v);
		ATF_REQUIRE_EQ(le64dec(buf + off), v);
		for (j = 0; j < 8; j++)
			want[j] = (unsigned char)(v >> (8 * j));
		ATF_REQUIRE(memcmp(buf + off, want, 8) == 0);
		be32enc(buf + off, (uint32_t)v);
		ATF_REQUIRE_EQ(be32dec(buf + off), (uint32_t)v);
		le32enc(buf + off, (uint32_t)v);
		ATF_REQUIRE_EQ(le32dec(buf + off), (uint32_t)v);
		be16enc(buf + off, (uint16_t)v);
		ATF_REQUIRE_EQ(be16dec(buf + off), (uint16_t)v);
		le16enc(buf + off, (uint16_t)v);
		ATF_REQUIRE_EQ(le16dec(buf + off), (uint16_t)v);
		ATF_REQUIRE_EQ(be64toh(htobe64(v)), v);
		ATF_REQUIRE_EQ(le32toh(htole32((uint32_t)v)), (uint32_t)v);
		ATF_REQUIRE_EQ(bswap64(bswap64(v)), v);
	}
}

/*
 * Lists
 */

struct qelem {
	int			q_val;
	SLIST_ENTRY(qelem)	q_slist;
	LIST_ENTRY(qelem)	q_list;
	STAILQ_ENTRY(qelem)	q_stailq;
	TAILQ_ENTRY(qelem)	q_tailq;
};
SLIST_HEAD(qslist, qelem);
LIST_HEAD(qlist, qelem);
STAILQ_HEAD(qstailq, qelem);
TAILQ_HEAD(qtailq, qelem);

#define QN		200

ATF_TC_WITHOUT_HEAD(queue);
ATF_TC_BODY(queue, tc)
{
	static struct qelem el[QN];
	struct qslist sl = SLIST_HEAD_INITIALIZER(sl);
	struct qlist li = LIST_HEAD_INITIALIZER(li);
	struct qstailq sq = STAILQ_HEAD_INITIALIZER(sq), sq2;
	struct qtailq tq = TAILQ_HEAD_INITIALIZER(tq), tq2;
	struct qelem *e, *t;
	int i, n, want;

	for (i = 0; i < QN; i++)
		el[i].q_val = i;
	ATF_CHECK(SLIST_EMPTY(&sl) && LIST_EMPTY(&li) && STAILQ_EMPTY(&sq) &&
	    TAILQ_EMPTY(&tq));

	/* Build 0..QN-1 in order on each, by different insertions. */
	for (i = QN - 1; i >= 0; i--)
		SLIST_INSERT_HEAD(&sl, &el[i], q_slist);
	/* The even ones after each other, then the odd ones before. */
	LIST_INSERT_HEAD(&li, &el[0], q_list);
	for (i = 2; i < QN; i += 2)
		LIST_INSERT_AFTER(&el[i - 2], &el[i], q_list);
	for (i = 1; i < QN; i += 2) {
		if (i + 1 < QN)
			LIST_INSERT_BEFORE(&el[i + 1], &el[i], q_list);
		else
			LIST_INSERT_AFTER(&el[i - 1], &el[i], q_list);
	}
	for (i = QN / 2; i < QN; i++)
		STAILQ_INSERT_TAIL(&sq, &el[i], q_stailq);
	for (i = QN / 2 - 1; i >= 0; i--)
		STAILQ_INSERT_HEAD(&sq, &el[i], q_stailq);
	for (i = 0; i < QN; i += 2)
		TAILQ_INSERT_TAIL(&tq, &el[i], q_tailq);
	for (i = 1; i < QN; i += 2)
		TAILQ_INSERT_AFTER(&tq, &el[i - 1], &el[i], q_tailq);

	n = 0;
	SLIST_FOREACH(e, &sl, q_slist)
		ATF_REQUIRE_EQ(e->q_val, n++);
	ATF_REQUIRE_EQ(n, QN);
	n = 0;
	LIST_FOREACH(e, &li, q_list)
		ATF_REQUIRE_EQ(e->q_val, n++);
	ATF_REQUIRE_EQ(n, QN);
	n = 0;
	STAILQ_FOREACH(e, &sq, q_stailq)
		ATF_REQUIRE_EQ(e->q_val, n++);
	ATF_REQUIRE_EQ(n, QN);
	ATF_REQUIRE_EQ(STAILQ_LAST(&sq, qelem, q_stailq), &el[QN - 1]);
	n = 0;
	TAILQ_FOREACH(e, &tq, q_tailq)
		ATF_REQUIRE_EQ(e->q_val, n++);
	ATF_REQUIRE_EQ(n, QN);
	n = QN;
	TAILQ_FOREACH_REVERSE(e, &tq, qtailq, q_tailq)
		ATF_REQUIRE_EQ(e->q_val, --n);
	ATF_REQUIRE_EQ(n, 0);
	ATF_REQUIRE_EQ(TAILQ_FIRST(&tq), &el[0]);
	ATF_REQUIRE_EQ(TAILQ_LAST(&tq, qtailq), &el[QN - 1]);
	ATF_REQUIRE_EQ(TAILQ_PREV(&el[5], qtailq, q_tailq), &el[4]);
	ATF_REQUIRE_EQ(TAILQ_PREV(&el[0], qtailq, q_tailq), NULL);
	ATF_REQUIRE_EQ(TAILQ_NEXT(&el[QN - 1], q_tailq), NULL);

	/* Remove every multiple of 3 (SAFE loops), and the head. */
	SLIST_FOREACH_SAFE(e, &sl, q_slist, t)
		if (e->q_val % 3 == 0)
			SLIST_REMOVE(&sl, e, qelem, q_slist);
	LIST_FOREACH_SAFE(e, &li, q_list, t)
		if (e->q_val % 3 == 0)
			LIST_REMOVE(e, q_list);
	STAILQ_FOREACH_SAFE(e, &sq, q_stailq, t)
		if (e->q_val % 3 == 0)
			STAILQ_REMOVE(&sq, e, qelem, q_stailq);
	TAILQ_FOREACH_REVERSE_SAFE(e, &tq, qtailq, q_tailq, t)
		if (e->q_val % 3 == 0)
			TAILQ_REMOVE(&tq, e, q_tailq);
	SLIST_REMOVE_HEAD(&sl, q_slist);
	STAILQ_REMOVE_HEAD(&sq, q_stailq);
	ATF_REQUIRE_EQ(SLIST_FIRST(&sl), &el[2]);
	ATF_REQUIRE_EQ(LIST_FIRST(&li), &el[1]);
	ATF_REQUIRE_EQ(STAILQ_FIRST(&sq), &el[2]);
	ATF_REQUIRE_EQ(TAILQ_FIRST(&tq), &el[1]);
	ATF_REQUIRE_EQ(TAILQ_LAST(&tq, qtailq),
	    (QN - 1) % 3 == 0 ? &el[QN - 2] : &el[QN - 1]);

#define QCHECK(FOREACH, head, field, first) do {			\
	want = (first);							\
	n = 0;								\
	FOREACH(e, head, field) {					\
		ATF_REQUIRE_EQ(e->q_val, want);				\
		want += want % 3 == 1 ? 1 : 2;				\
		n++;							\
	}								\
	for (i = (first); i < QN; i++)					\
		if (i % 3 != 0)						\
			n--;						\
	ATF_REQUIRE_EQ(n, 0);						\
} while (0)
	QCHECK(SLIST_FOREACH, &sl, q_slist, 2);
	QCHECK(LIST_FOREACH, &li, q_list, 1);
	QCHECK(STAILQ_FOREACH, &sq, q_stailq, 2);
	QCHECK(TAILQ_FOREACH, &tq, q_tailq, 1);
#undef QCHECK

	/* Put 0 and 3 back before 1 and 4. */
	LIST_INSERT_BEFORE(&el[1], &el[0], q_list);
	LIST_INSERT_BEFORE(&el[4], &el[3], q_list);
	TAILQ_INSERT_BEFORE(&el[1], &el[0], q_tailq);
	TAILQ_INSERT_BEFORE(&el[4], &el[3], q_tailq);
	ATF_REQUIRE_EQ(LIST_FIRST(&li), &el[0]);
	ATF_REQUIRE_EQ(LIST_NEXT(&el[2], q_list), &el[3]);
	ATF_REQUIRE_EQ(TAILQ_FIRST(&tq), &el[0]);
	ATF_REQUIRE_EQ(TAILQ_PREV(&el[4], qtailq, q_tailq), &el[3]);
	ATF_REQUIRE_EQ(TAILQ_PREV(&el[3], qtailq, q_tailq), &el[2]);

	/* CONCAT: split the tail queues in two and join them again. */
	TAILQ_INIT(&tq);
	TAILQ_INIT(&tq2);
	STAILQ_INIT(&sq);
	STAILQ_INIT(&sq2);
	for (i = 0; i < QN; i++) {
		if (i < QN / 3) {
			TAILQ_INSERT_TAIL(&tq, &el[i], q_tailq);
			STAILQ_INSERT_TAIL(&sq, &el[i], q_stailq);
		} else {
			TAILQ_INSERT_TAIL(&tq2, &el[i], q_tailq);
			STAILQ_INSERT_TAIL(&sq2, &el[i], q_stailq);
		}
	}
	TAILQ_CONCAT(&tq, &tq2, q_tailq);
	STAILQ_CONCAT(&sq, &sq2);
	ATF_REQUIRE(TAILQ_EMPTY(&tq2));
	ATF_REQUIRE(STAILQ_EMPTY(&sq2));
	n = QN;
	TAILQ_FOREACH_REVERSE(e, &tq, qtailq, q_tailq)
		ATF_REQUIRE_EQ(e->q_val, --n);
	ATF_REQUIRE_EQ(n, 0);
	n = 0;
	STAILQ_FOREACH(e, &sq, q_stailq)
		ATF_REQUIRE_EQ(e->q_val, n++);
	ATF_REQUIRE_EQ(n, QN);
	/* The joined tail pointers must still work. */
	STAILQ_INSERT_TAIL(&sq, &el[0], q_stailq);
	ATF_REQUIRE_EQ(STAILQ_LAST(&sq, qelem, q_stailq), &el[0]);
	TAILQ_REMOVE(&tq, &el[0], q_tailq);
	TAILQ_INSERT_TAIL(&tq, &el[0], q_tailq);
	ATF_REQUIRE_EQ(TAILQ_LAST(&tq, qtailq), &el[0]);
	ATF_REQUIRE_EQ(TAILQ_PREV(&el[0], qtailq, q_tailq), &el[QN - 1]);

	/* Emptying. */
	while (!TAILQ_EMPTY(&tq))
		TAILQ_REMOVE(&tq, TAILQ_FIRST(&tq), q_tailq);
	ATF_REQUIRE_EQ(TAILQ_LAST(&tq, qtailq), NULL);
	TAILQ_INSERT_HEAD(&tq, &el[7], q_tailq);
	ATF_REQUIRE_EQ(TAILQ_LAST(&tq, qtailq), &el[7]);
	SLIST_INIT(&sl);
	SLIST_INSERT_HEAD(&sl, &el[1], q_slist);
	SLIST_INSERT_AFTER(&el[1], &el[2], q_slist);
	SLIST_REMOVE_AFTER(&el[1], q_slist);
	ATF_REQUIRE_EQ(SLIST_NEXT(&el[1], q_slist), NULL);
	STAILQ_INIT(&sq);
	STAILQ_INSERT_HEAD(&sq, &el[1], q_stailq);
	STAILQ_INSERT_AFTER(&sq, &el[1], &el[2], q_stailq);
	ATF_REQUIRE_EQ(STAILQ_LAST(&sq, qelem, q_stailq), &el[2]);
	STAILQ_REMOVE(&sq, &el[2], qelem, q_stailq);
	ATF_REQUIRE_EQ(STAILQ_LAST(&sq, qelem, q_stailq), &el[1]);
	STAILQ_REMOVE_HEAD(&sq, q_stailq);
	ATF_REQUIRE(STAILQ_EMPTY(&sq));
	ATF_REQUIRE_EQ(STAILQ_LAST(&sq, qelem, q_stailq), NULL);
}

/*
 * Red-black trees
 */

struct tnode {
	int		t_key;
	struct rb_node	t_rb;
	int		t_intree;
};

static unsigned long rb_ncompares;

static int
tnode_cmp(void *ctx, const void *a, const void *b)
{
	const struct tnode *x = a, *y = b;

	rb_ncompares++;
	ATF_REQUIRE_EQ(ctx, &rb_ncompares);
	return x->t_key < y->t_key ? -1 : x->t_key > y->t_key;
}

static int
tnode_cmp_key(void *ctx, const void *n, const void *key)
{
	const struct tnode *x = n;
	int k = *(const int *)key;

	rb_ncompares++;
	ATF_REQUIRE_EQ(ctx, &rb_ncompares);
	return x->t_key < k ? -1 : x->t_key > k;
}

static const struct rb_tree_ops tnode_ops = {
	.rbto_compare_nodes = tnode_cmp,
	.rbto_compare_key = tnode_cmp_key,
	.rbto_node_offset = offsetof(struct tnode, t_rb),
	.rbto_context = &rb_ncompares,
};

#define RB_KEYS		10000		/* keys in the tree at most */
#define RB_SPACE	(2 * RB_KEYS)	/* objects; their keys are 2 * i */

/* The reference: the keys in the tree, sorted. */
static int rb_ref[RB_SPACE];
static size_t rb_nref;

/* The index of the first key >= k in the reference. */
static size_t
ref_lower(int k)
{
	size_t lo = 0, hi = rb_nref, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (rb_ref[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
ref_insert(int k)
{
	size_t i = ref_lower(k);

	memmove(&rb_ref[i + 1], &rb_ref[i], (rb_nref - i) * sizeof(int));
	rb_ref[i] = k;
	rb_nref++;
}

static void
ref_remove(int k)
{
	size_t i = ref_lower(k);

	ATF_REQUIRE(i < rb_nref && rb_ref[i] == k);
	memmove(&rb_ref[i], &rb_ref[i + 1], (rb_nref - i - 1) * sizeof(int));
	rb_nref--;
}

/* The whole tree, both directions, against the reference. */
static void
rb_compare_all(struct rb_tree *t)
{
	struct tnode *n;
	size_t i;

	ATF_REQUIRE_MSG(rb_tree_check(t), "rb_tree_check failed");
	ATF_REQUIRE_EQ(rb_tree_count(t), rb_nref);
	i = 0;
	RB_TREE_FOREACH(n, t) {
		ATF_REQUIRE(i < rb_nref);
		ATF_REQUIRE_EQ(n->t_key, rb_ref[i]);
		i++;
	}
	ATF_REQUIRE_EQ(i, rb_nref);
	RB_TREE_FOREACH_REVERSE(n, t) {
		ATF_REQUIRE(i > 0);
		i--;
		ATF_REQUIRE_EQ(n->t_key, rb_ref[i]);
	}
	ATF_REQUIRE_EQ(i, 0);
}

/* Find, geq and leq of one key against the reference. */
static void
rb_probe(struct rb_tree *t, int k, unsigned long maxcmp)
{
	struct tnode *n;
	size_t i = ref_lower(k);
	bool present = i < rb_nref && rb_ref[i] == k;

	rb_ncompares = 0;
	n = rb_tree_find_node(t, &k);
	ATF_REQUIRE_MSG(rb_ncompares <= maxcmp, "find took %lu compares",
	    rb_ncompares);
	ATF_REQUIRE_MSG(present ? n != NULL && n->t_key == k : n == NULL,
	    "find %d", k);

	n = rb_tree_find_node_geq(t, &k);
	if (i < rb_nref)
		ATF_REQUIRE_MSG(n != NULL && n->t_key == rb_ref[i],
		    "geq %d", k);
	else
		ATF_REQUIRE_MSG(n == NULL, "geq %d", k);

	n = rb_tree_find_node_leq(t, &k);
	if (present)
		ATF_REQUIRE_MSG(n != NULL && n->t_key == k, "leq %d", k);
	else if (i > 0)
		ATF_REQUIRE_MSG(n != NULL && n->t_key == rb_ref[i - 1],
		    "leq %d", k);
	else
		ATF_REQUIRE_MSG(n == NULL, "leq %d", k);

	/* Neighbours by iteration. */
	if (present) {
		n = rb_tree_find_node(t, &k);
		if (i + 1 < rb_nref) {
			ATF_REQUIRE_EQ(((struct tnode *)rb_tree_iterate(t, n,
			    RB_DIR_RIGHT))->t_key, rb_ref[i + 1]);
		} else
			ATF_REQUIRE_EQ(rb_tree_iterate(t, n, RB_DIR_RIGHT),
			    NULL);
		if (i > 0) {
			ATF_REQUIRE_EQ(((struct tnode *)rb_tree_iterate(t, n,
			    RB_DIR_LEFT))->t_key, rb_ref[i - 1]);
		} else
			ATF_REQUIRE_EQ(rb_tree_iterate(t, n, RB_DIR_LEFT),
			    NULL);
	}
}

/* 2 log2(n + 1), the height bound, plus one. */
static unsigned long
rb_bound(size_t n)
{
	unsigned long b = 0;

	while (n > 0) {
		b++;
		n >>= 1;
	}
	return 2 * b + 1;
}

ATF_TC_WITHOUT_HEAD(rbtree);
ATF_TC_BODY(rbtree, tc)
{
	static struct tnode nodes[RB_SPACE];
	struct tnode dup, *n;
	struct rb_tree t;
	size_t i, idx;
	int op, k;
	void *r;

	rng_seed("rbtree");
	for (i = 0; i < RB_SPACE; i++) {
		nodes[i].t_key = 2 * (int)i;
		nodes[i].t_intree = 0;
	}
	rb_nref = 0;
	rb_tree_init(&t, &tnode_ops);
	ATF_REQUIRE(rb_tree_check(&t));
	ATF_REQUIRE_EQ(rb_tree_count(&t), 0);
	ATF_REQUIRE_EQ(RB_TREE_MIN(&t), NULL);
	ATF_REQUIRE_EQ(RB_TREE_MAX(&t), NULL);
	k = 4;
	ATF_REQUIRE_EQ(rb_tree_find_node(&t, &k), NULL);
	ATF_REQUIRE_EQ(rb_tree_find_node_geq(&t, &k), NULL);
	ATF_REQUIRE_EQ(rb_tree_find_node_leq(&t, &k), NULL);

	/* Fill with RB_KEYS random keys, in random order. */
	while (rb_nref < RB_KEYS) {
		idx = rnd(RB_SPACE);
		if (nodes[idx].t_intree)
			continue;
		rb_ncompares = 0;
		r = rb_tree_insert_node(&t, &nodes[idx]);
		ATF_REQUIRE_EQ(r, &nodes[idx]);
		ATF_REQUIRE_MSG(rb_ncompares <= rb_bound(rb_nref + 1),
		    "insert took %lu compares with %zu nodes", rb_ncompares,
		    rb_nref);
		nodes[idx].t_intree = 1;
		ref_insert(nodes[idx].t_key);
		if (rb_nref % 1000 == 0)
			rb_compare_all(&t);
	}
	rb_compare_all(&t);
	ATF_REQUIRE_EQ(((struct tnode *)RB_TREE_MIN(&t))->t_key, rb_ref[0]);
	ATF_REQUIRE_EQ(((struct tnode *)RB_TREE_MAX(&t))->t_key,
	    rb_ref[rb_nref - 1]);

	/* Random operations. */
	for (i = 0; i < 100000; i++) {
		op = (int)rnd(10);
		if (op < 3) {
			/* Insert, or try a duplicate. */
			idx = rnd(RB_SPACE);
			if (nodes[idx].t_intree) {
				dup.t_key = nodes[idx].t_key;
				r = rb_tree_insert_node(&t, &dup);
				ATF_REQUIRE_EQ(r, &nodes[idx]);
				ATF_REQUIRE_EQ(rb_tree_count(&t), rb_nref);
			} else {
				r = rb_tree_insert_node(&t, &nodes[idx]);
				ATF_REQUIRE_EQ(r, &nodes[idx]);
				nodes[idx].t_intree = 1;
				ref_insert(nodes[idx].t_key);
			}
		} else if (op < 6 && rb_nref > 0) {
			/* Remove a key that is in the tree. */
			k = rb_ref[rnd(rb_nref)];
			n = rb_tree_find_node(&t, &k);
			ATF_REQUIRE(n != NULL && n->t_key == k);
			rb_tree_remove_node(&t, n);
			n->t_intree = 0;
			ref_remove(k);
			ATF_REQUIRE_EQ(rb_tree_find_node(&t, &k), NULL);
		} else {
			/* Probe any key, even or odd, and just outside. */
			k = (int)rnd(2 * RB_SPACE + 2) - 1;
			rb_probe(&t, k, rb_bound(rb_nref));
		}
		if (i % 5000 == 0)
			rb_compare_all(&t);
	}
	rb_compare_all(&t);

	/* Empty it in random order, checking as it shrinks. */
	while (rb_nref > 0) {
		k = rb_ref[rnd(rb_nref)];
		n = &nodes[k / 2];
		ATF_REQUIRE(n->t_intree);
		rb_tree_remove_node(&t, n);
		n->t_intree = 0;
		ref_remove(k);
		if (rb_nref % 500 == 0 || rb_nref < 20)
			rb_compare_all(&t);
	}
	ATF_REQUIRE_EQ(rb_tree_count(&t), 0);
	ATF_REQUIRE_EQ(RB_TREE_MIN(&t), NULL);

	/* Ascending and descending insertion, the classic worst cases. */
	for (i = 0; i < RB_KEYS; i++) {
		ATF_REQUIRE_EQ(rb_tree_insert_node(&t, &nodes[i]), &nodes[i]);
		ref_insert(nodes[i].t_key);
	}
	rb_compare_all(&t);
	for (i = RB_SPACE; i-- > RB_KEYS;) {
		ATF_REQUIRE_EQ(rb_tree_insert_node(&t, &nodes[i]), &nodes[i]);
		ref_insert(nodes[i].t_key);
	}
	rb_compare_all(&t);
	for (i = 0; i < RB_SPACE; i += 2) {
		rb_tree_remove_node(&t, &nodes[i]);
		ref_remove(nodes[i].t_key);
	}
	rb_compare_all(&t);
	for (i = 0; i < 1000; i++)
		rb_probe(&t, (int)rnd(2 * RB_SPACE + 2) - 1,
		    rb_bound(rb_nref));
}

/* A tree the checker must reject. */
ATF_TC_WITHOUT_HEAD(rbtree_check);
ATF_TC_BODY(rbtree_check, tc)
{
	static struct tnode nodes[64], dup;
	struct rb_tree t;
	struct tnode *n;
	int i;

	rb_tree_init(&t, &tnode_ops);
	for (i = 0; i < 64; i++) {
		nodes[i].t_key = i;
		rb_tree_insert_node(&t, &nodes[i]);
	}
	ATF_REQUIRE(rb_tree_check(&t));

	/* Out of order. */
	nodes[10].t_key = 1000;
	ATF_CHECK(!rb_tree_check(&t));
	nodes[10].t_key = 10;
	ATF_REQUIRE(rb_tree_check(&t));

	/* A wrong count. */
	t.rbt_count++;
	ATF_CHECK(!rb_tree_check(&t));
	t.rbt_count--;

	/* A red root (the colour is the low bit of rb_info), alone. */
	{
		struct rb_tree t1;

		rb_tree_init(&t1, &tnode_ops);
		rb_tree_insert_node(&t1, &dup);
		ATF_REQUIRE(rb_tree_check(&t1));
		t1.rbt_root->rb_info |= 1;
		ATF_CHECK(!rb_tree_check(&t1));
	}

	/* A black node recoloured red breaks a black height or a rule. */
	n = RB_TREE_MIN(&t);
	n->t_rb.rb_info ^= 1;
	ATF_CHECK(!rb_tree_check(&t));
	n->t_rb.rb_info ^= 1;
	ATF_REQUIRE(rb_tree_check(&t));
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, snprintf_table);
	ATF_TP_ADD_TC(tp, snprintf_unusual);
	ATF_TP_ADD_TC(tp, snprintf_random);
	ATF_TP_ADD_TC(tp, kvprintf);
	ATF_TP_ADD_TC(tp, mem_random);
	ATF_TP_ADD_TC(tp, str_random);
	ATF_TP_ADD_TC(tp, strlcpy_strlcat);
	ATF_TP_ADD_TC(tp, strtoll_host);
	ATF_TP_ADD_TC(tp, kstrtoll_range);
	ATF_TP_ADD_TC(tp, crc32_zlib);
	ATF_TP_ADD_TC(tp, crc32c_vectors);
	ATF_TP_ADD_TC(tp, in_cksum);
	ATF_TP_ADD_TC(tp, hash32);
	ATF_TP_ADD_TC(tp, endian);
	ATF_TP_ADD_TC(tp, queue);
	ATF_TP_ADD_TC(tp, rbtree);
	ATF_TP_ADD_TC(tp, rbtree_check);
	return atf_no_error();
}
