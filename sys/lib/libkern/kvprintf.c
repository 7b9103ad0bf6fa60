/*
 * The kernel's formatted output core (kernel layer, libkern): kvprintf
 * formats into a per-character callback, and snprintf/vsnprintf build
 * on it.  The console printf in kern/subr_prf.c uses kvprintf too.
 *
 * The output matches C99/glibc printf for the supported conversions
 * (d i u o x X c s p %, flags - + space # 0, width and precision also as
 * "*", length modifiers hh h l ll q j z t), including glibc's choices
 * where the standard leaves room: %p prints "0x" and lowercase hex, or
 * "(nil)" for NULL; %s of NULL prints "(null)", or nothing if the
 * precision is below 6.  There is no floating point.  A conversion not
 * listed here (or a % ending the format) is copied to the output as it
 * was written, and consumes no argument.
 */

#include <sys/types.h>
#include <sys/stdarg.h>

#include <lib/libkern/libkern.h>

/* Conversion flags. */
#define F_LEFT		0x01	/* "-": pad on the right */
#define F_PLUS		0x02	/* "+": always a sign */
#define F_SPACE		0x04	/* " ": a space where a + would go */
#define F_ALT		0x08	/* "#": alternate form */
#define F_ZERO		0x10	/* "0": pad numbers with zeros */

/* Length modifiers. */
enum fmt_len {
	LEN_NONE,
	LEN_HH,
	LEN_H,
	LEN_L,
	LEN_LL,
	LEN_J,
	LEN_Z,
	LEN_T
};

/* Widths and precisions are clamped to this; nothing sane comes near. */
#define FMT_NUM_MAX	(1 << 30)

/* A conversion after parsing. */
struct fmt_spec {
	int		fs_flags;
	int		fs_width;	/* 0 if none */
	int		fs_prec;	/* -1 if none */
	enum fmt_len	fs_len;
};

/* The output side: a callback and a count of what it was given. */
struct fmt_out {
	void	(*fo_put)(int, void *);
	void	*fo_arg;
	size_t	fo_count;
};

static void
out_char(struct fmt_out *fo, int c)
{

	fo->fo_put(c, fo->fo_arg);
	fo->fo_count++;
}

static void
out_pad(struct fmt_out *fo, int c, int n)
{

	for (; n > 0; n--)
		out_char(fo, c);
}

static void
out_mem(struct fmt_out *fo, const char *s, size_t n)
{

	for (; n > 0; n--, s++)
		out_char(fo, (unsigned char)*s);
}

/* A string (of known length) padded to the field width with spaces. */
static void
out_field(struct fmt_out *fo, const struct fmt_spec *fs, const char *s,
    size_t len)
{
	int pad;

	pad = (size_t)fs->fs_width > len ? fs->fs_width - (int)len : 0;
	if ((fs->fs_flags & F_LEFT) == 0)
		out_pad(fo, ' ', pad);
	out_mem(fo, s, len);
	if ((fs->fs_flags & F_LEFT) != 0)
		out_pad(fo, ' ', pad);
}

/*
 * A number: the magnitude v in base 8, 10 or 16, with the sign or
 * prefix string pfx in front of it.
 */
static void
out_number(struct fmt_out *fo, const struct fmt_spec *fs, uintmax_t v,
    unsigned int base, bool upper, const char *pfx)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[3 * sizeof(uintmax_t)];	/* enough for octal */
	size_t plen, ndig;
	int zeros, total, pad;
	char *p;

	p = buf + sizeof(buf);
	/* With a precision of zero, the value zero has no digits at all. */
	if (v != 0 || fs->fs_prec != 0) {
		do {
			*--p = digits[v % base];
			v /= base;
		} while (v != 0);
	}
	ndig = (size_t)(buf + sizeof(buf) - p);
	plen = strlen(pfx);

	zeros = fs->fs_prec > (int)ndig ? fs->fs_prec - (int)ndig : 0;
	/* The octal alternate form makes the first digit a zero. */
	if (base == 8 && (fs->fs_flags & F_ALT) != 0 && zeros == 0 &&
	    (ndig == 0 || *p != '0'))
		zeros = 1;
	/* "0" pads with zeros, unless "-" or a precision overrides it. */
	total = (int)plen + zeros + (int)ndig;
	if ((fs->fs_flags & (F_ZERO | F_LEFT)) == F_ZERO && fs->fs_prec < 0 &&
	    fs->fs_width > total) {
		zeros += fs->fs_width - total;
		total = fs->fs_width;
	}
	pad = fs->fs_width > total ? fs->fs_width - total : 0;

	if ((fs->fs_flags & F_LEFT) == 0)
		out_pad(fo, ' ', pad);
	out_mem(fo, pfx, plen);
	out_pad(fo, '0', zeros);
	out_mem(fo, p, ndig);
	if ((fs->fs_flags & F_LEFT) != 0)
		out_pad(fo, ' ', pad);
}

/* Fetch a signed integer argument of the given length. */
static intmax_t
arg_signed(va_list *app, enum fmt_len len)
{

	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*app, int);
	case LEN_H:
		return (short)va_arg(*app, int);
	case LEN_L:
		return va_arg(*app, long);
	case LEN_LL:
		return va_arg(*app, long long);
	case LEN_J:
		return va_arg(*app, intmax_t);
	case LEN_Z:
		return va_arg(*app, ssize_t);
	case LEN_T:
		return va_arg(*app, ptrdiff_t);
	case LEN_NONE:
	default:
		return va_arg(*app, int);
	}
}

/* Fetch an unsigned integer argument of the given length. */
static uintmax_t
arg_unsigned(va_list *app, enum fmt_len len)
{

	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*app, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*app, unsigned int);
	case LEN_L:
		return va_arg(*app, unsigned long);
	case LEN_LL:
		return va_arg(*app, unsigned long long);
	case LEN_J:
		return va_arg(*app, uintmax_t);
	case LEN_Z:
		return va_arg(*app, size_t);
	case LEN_T:
		/* The unsigned type of the same width as ptrdiff_t. */
		return (size_t)va_arg(*app, ptrdiff_t);
	case LEN_NONE:
	default:
		return va_arg(*app, unsigned int);
	}
}

/* Read a decimal number from the format, clamped to FMT_NUM_MAX. */
static int
parse_num(const char **fmtp)
{
	const char *fmt = *fmtp;
	int n = 0;

	while (*fmt >= '0' && *fmt <= '9') {
		if (n < FMT_NUM_MAX)
			n = n * 10 + (*fmt - '0');
		fmt++;
	}
	*fmtp = fmt;
	return n > FMT_NUM_MAX ? FMT_NUM_MAX : n;
}

/*
 * Parse the flags, width, precision and length of a conversion; *fmtp
 * points just after the "%" and is left at the conversion character.
 */
static void
parse_spec(const char **fmtp, struct fmt_spec *fs, va_list *app)
{
	const char *fmt = *fmtp;
	int n;

	fs->fs_flags = 0;
	fs->fs_width = 0;
	fs->fs_prec = -1;
	fs->fs_len = LEN_NONE;

	for (;; fmt++) {
		switch (*fmt) {
		case '-':
			fs->fs_flags |= F_LEFT;
			continue;
		case '+':
			fs->fs_flags |= F_PLUS;
			continue;
		case ' ':
			fs->fs_flags |= F_SPACE;
			continue;
		case '#':
			fs->fs_flags |= F_ALT;
			continue;
		case '0':
			fs->fs_flags |= F_ZERO;
			continue;
		}
		break;
	}

	if (*fmt == '*') {
		fmt++;
		n = va_arg(*app, int);
		/* A negative width is a "-" flag and a positive width. */
		if (n < 0) {
			fs->fs_flags |= F_LEFT;
			n = n < -FMT_NUM_MAX ? FMT_NUM_MAX : -n;
		}
		fs->fs_width = n > FMT_NUM_MAX ? FMT_NUM_MAX : n;
	} else
		fs->fs_width = parse_num(&fmt);

	if (*fmt == '.') {
		fmt++;
		if (*fmt == '*') {
			fmt++;
			n = va_arg(*app, int);
			/* A negative precision is taken as if omitted. */
			fs->fs_prec = n < 0 ? -1 :
			    (n > FMT_NUM_MAX ? FMT_NUM_MAX : n);
		} else
			fs->fs_prec = parse_num(&fmt);
	}

	switch (*fmt) {
	case 'h':
		fmt++;
		fs->fs_len = LEN_H;
		if (*fmt == 'h') {
			fmt++;
			fs->fs_len = LEN_HH;
		}
		break;
	case 'l':
		fmt++;
		fs->fs_len = LEN_L;
		if (*fmt == 'l') {
			fmt++;
			fs->fs_len = LEN_LL;
		}
		break;
	case 'q':
		fmt++;
		fs->fs_len = LEN_LL;
		break;
	case 'j':
		fmt++;
		fs->fs_len = LEN_J;
		break;
	case 'z':
		fmt++;
		fs->fs_len = LEN_Z;
		break;
	case 't':
		fmt++;
		fs->fs_len = LEN_T;
		break;
	}
	*fmtp = fmt;
}

int
kvprintf(const char *fmt, void (*put)(int, void *), void *arg, va_list ap)
{
	struct fmt_out fo;
	struct fmt_spec fs;
	const char *spec, *s;
	va_list aq;
	intmax_t sv;
	uintmax_t uv;
	void *ptr;
	char ch;

	fo.fo_put = put;
	fo.fo_arg = arg;
	fo.fo_count = 0;
	/* A copy, so that the helpers can take arguments through a pointer. */
	va_copy(aq, ap);

	while (*fmt != '\0') {
		if (*fmt != '%') {
			out_char(&fo, (unsigned char)*fmt++);
			continue;
		}
		spec = fmt++;
		parse_spec(&fmt, &fs, &aq);

		switch (*fmt) {
		case 'd':
		case 'i':
			sv = arg_signed(&aq, fs.fs_len);
			if (sv < 0)
				out_number(&fo, &fs, 0 - (uintmax_t)sv, 10,
				    false, "-");
			else
				out_number(&fo, &fs, (uintmax_t)sv, 10, false,
				    (fs.fs_flags & F_PLUS) != 0 ? "+" :
				    (fs.fs_flags & F_SPACE) != 0 ? " " : "");
			break;
		case 'u':
			uv = arg_unsigned(&aq, fs.fs_len);
			out_number(&fo, &fs, uv, 10, false, "");
			break;
		case 'o':
			uv = arg_unsigned(&aq, fs.fs_len);
			out_number(&fo, &fs, uv, 8, false, "");
			break;
		case 'x':
		case 'X':
			uv = arg_unsigned(&aq, fs.fs_len);
			out_number(&fo, &fs, uv, 16, *fmt == 'X',
			    (fs.fs_flags & F_ALT) == 0 || uv == 0 ? "" :
			    *fmt == 'X' ? "0X" : "0x");
			break;
		case 'p':
			/* As glibc: "(nil)", or "%#x" that takes + and space. */
			ptr = va_arg(aq, void *);
			if (ptr == NULL) {
				out_field(&fo, &fs, "(nil)", 5);
				break;
			}
			out_number(&fo, &fs, (uintptr_t)ptr, 16, false,
			    (fs.fs_flags & F_PLUS) != 0 ? "+0x" :
			    (fs.fs_flags & F_SPACE) != 0 ? " 0x" : "0x");
			break;
		case 'c':
			ch = (char)va_arg(aq, int);
			out_field(&fo, &fs, &ch, 1);
			break;
		case 's':
			if (fs.fs_len != LEN_NONE && fs.fs_len != LEN_H)
				goto literal;	/* No wide strings. */
			s = va_arg(aq, const char *);
			if (s == NULL) {
				/* glibc prints nothing rather than a part. */
				s = fs.fs_prec < 0 || fs.fs_prec >= 6 ?
				    "(null)" : "";
			}
			out_field(&fo, &fs, s, fs.fs_prec < 0 ? strlen(s) :
			    strnlen(s, (size_t)fs.fs_prec));
			break;
		case '%':
			/* Flags and width are ignored, as glibc does. */
			out_char(&fo, '%');
			break;
		case '\0':
			/* The format ended inside a conversion. */
			out_mem(&fo, spec, (size_t)(fmt - spec));
			goto done;
		default:
		literal:
			out_mem(&fo, spec, (size_t)(fmt + 1 - spec));
			break;
		}
		fmt++;
	}
done:
	va_end(aq);
	return fo.fo_count > INT_MAX ? -1 : (int)fo.fo_count;
}

/* The state of vsnprintf: where the next character goes. */
struct snbuf {
	char	*sb_buf;
	size_t	sb_size;
	size_t	sb_pos;
};

static void
snbuf_put(int c, void *arg)
{
	struct snbuf *sb = arg;

	/* Keep the last byte for the terminator. */
	if (sb->sb_pos + 1 < sb->sb_size)
		sb->sb_buf[sb->sb_pos] = (char)c;
	sb->sb_pos++;
}

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct snbuf sb;
	int n;

	sb.sb_buf = buf;
	sb.sb_size = size;
	sb.sb_pos = 0;
	n = kvprintf(fmt, snbuf_put, &sb, ap);
	if (size > 0)
		buf[sb.sb_pos < size ? sb.sb_pos : size - 1] = '\0';
	return n;
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
