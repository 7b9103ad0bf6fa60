/*
 * Console output (kernel): printf, log and panic.  Output is formatted
 * into a line buffer and handed to the console whole, so lines of
 * concurrent callers do not interleave.
 */

#include <sys/types.h>
#include <sys/stdarg.h>
#include <sys/systm.h>

/* The machine-dependent console (rump glue). */
void	cons_write(const char *, size_t);
void	cpu_panic(void) __dead;

int boot_verbose;

struct linebuf {
	char	buf[256];
	size_t	len;
	int	total;
};

static void
linebuf_put(int c, void *arg)
{
	struct linebuf *lb = arg;

	lb->buf[lb->len++] = (char)c;
	lb->total++;
	if (c == '\n' || lb->len == sizeof(lb->buf)) {
		cons_write(lb->buf, lb->len);
		lb->len = 0;
	}
}

int
vprintf(const char *fmt, va_list ap)
{
	struct linebuf lb;

	lb.len = 0;
	lb.total = 0;
	kvprintf(fmt, linebuf_put, &lb, ap);
	if (lb.len > 0)
		cons_write(lb.buf, lb.len);
	return lb.total;
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

void
log(int level, const char *fmt, ...)
{
	va_list ap;

	if (level == LOG_DEBUG && !boot_verbose)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void
vpanic(const char *fmt, va_list ap)
{

	printf("panic: ");
	vprintf(fmt, ap);
	printf("\n");
	cpu_panic();
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(fmt, ap);
	/* NOTREACHED */
}
