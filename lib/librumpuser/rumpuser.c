/*
 * The hypercall layer on POSIX (host side, below the rump kernel):
 * initialisation and exit, configuration parameters, memory, the
 * console, clocks and sleep, and random numbers.  Threads and locks are
 * in rumpuser_pth.c, host files and block I/O in rumpuser_file.c.
 */

#include <sys/random.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rumpuser_int.h"

const struct rumpuser_hyperup *rumpuser__hyp;

/* Serialises console writes, so that lines never interleave. */
static pthread_mutex_t cons_mtx = PTHREAD_MUTEX_INITIALIZER;

/*
 * Initialisation and exit
 */

int
rumpuser_init(int version, const struct rumpuser_hyperup *hyp)
{

	if (version != RUMPUSER_VERSION) {
		rumpuser__printf("rumpuser: kernel expects hypercall "
		    "interface version %d, this librumpuser implements "
		    "version %d\n", version, RUMPUSER_VERSION);
		return RUMPUSER_EVERSION;
	}

	/*
	 * Nothing else needs setting up: the console lock is static and
	 * the block I/O threads start on first use.  A second call only
	 * replaces the upcalls, so calling again is harmless.
	 */
	__atomic_store_n(&rumpuser__hyp, hyp, __ATOMIC_RELEASE);
	return 0;
}

void
rumpuser_exit(int status)
{

	if (status == RUMPUSER_PANIC)
		abort();
	exit(status);
}

/*
 * Parameters
 */

int
rumpuser_getparam(const char *name, void *buf, size_t buflen)
{
	char numbuf[24];
	const char *value;
	size_t len;
	long n;

	if (strcmp(name, RUMPUSER_PARAM_NCPU) == 0) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		snprintf(numbuf, sizeof(numbuf), "%ld", n < 1 ? 1 : n);
		value = numbuf;
	} else if (strcmp(name, RUMPUSER_PARAM_PHYSMEM) == 0) {
		n = sysconf(_SC_PHYS_PAGES);
		snprintf(numbuf, sizeof(numbuf), "%llu", n < 1 ? 0ULL :
		    (unsigned long long)n * (unsigned long long)sysconf(_SC_PAGESIZE));
		value = numbuf;
	} else if ((value = getenv(name)) == NULL)
		return KERR(ENOENT);

	len = strlen(value);
	if (len >= buflen)
		return KERR(E2BIG);
	memcpy(buf, value, len + 1);
	return 0;
}

/*
 * Memory
 */

int
rumpuser_malloc(size_t len, int alignment, void **memp)
{
	void *mem;
	int error;

	/* Not a power of two: a caller's bug, refused rather than fatal. */
	if (alignment < 0 || (alignment & (alignment - 1)) != 0)
		return KERR(EINVAL);

	/* Ask for a byte at least: malloc(0) may legitimately give NULL. */
	if (len == 0)
		len = 1;

	/*
	 * malloc() aligns for any object type; posix_memalign() takes only
	 * multiples of sizeof(void *) and is slower, so it is used only
	 * when the caller needs more than a pointer's alignment.
	 */
	if ((size_t)alignment > sizeof(void *)) {
		error = posix_memalign(&mem, (size_t)alignment, len);
		if (error != 0)
			return KERR(error);
	} else if ((mem = malloc(len)) == NULL)
		return KERR(ENOMEM);

	*memp = mem;
	return 0;
}

void
rumpuser_free(void *mem, size_t len)
{

	free(mem);
}

/*
 * Console
 */

void
rumpuser_cons_write(const char *buf, size_t len)
{
	struct pollfd pfd;
	ssize_t n;

	pthread_mutex_lock(&cons_mtx);
	while (len > 0) {
		n = write(STDERR_FILENO, buf, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				/* Non-blocking stderr: wait until writable. */
				pfd.fd = STDERR_FILENO;
				pfd.events = POLLOUT;
				if (poll(&pfd, 1, 1000) > 0)
					continue;
			}
			/* No console to speak of: drop the rest. */
			break;
		}
		if (n == 0)
			break;
		buf += n;
		len -= (size_t)n;
	}
	pthread_mutex_unlock(&cons_mtx);
}

void
rumpuser__printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	if ((size_t)len >= sizeof(buf)) {
		len = sizeof(buf) - 1;
		buf[len - 1] = '\n';
	}
	rumpuser_cons_write(buf, (size_t)len);
}

void
rumpuser__fatal(const char *what, int hosterr)
{

	rumpuser__printf("rumpuser: %s: %s\n", what, strerror(hosterr));
	abort();
}

/*
 * Clocks and sleep
 */

int
rumpuser_clock_gettime(int clk, int64_t *sec, long *nsec)
{
	struct timespec ts;
	clockid_t hclk;

	switch (clk) {
	case RUMPUSER_CLOCK_RELWALL:
		hclk = CLOCK_REALTIME;
		break;
	case RUMPUSER_CLOCK_ABSMONO:
		hclk = CLOCK_MONOTONIC;
		break;
	default:
		return KERR(EINVAL);
	}
	if (clock_gettime(hclk, &ts) == -1)
		return KERR(errno);
	*sec = (int64_t)ts.tv_sec;
	*nsec = ts.tv_nsec;
	return 0;
}

int
rumpuser_clock_sleep(int clk, int64_t sec, long nsec)
{
	struct timespec ts, rem;
	int error;

	if (nsec < 0 || nsec >= NSEC_PER_SEC)
		return KERR(EINVAL);
	ts.tv_sec = sec > (int64_t)TIME_T_MAX ? TIME_T_MAX : (time_t)sec;
	ts.tv_nsec = nsec;
	RUMPUSER_WILLBLOCK();

	switch (clk) {
	case RUMPUSER_CLOCK_RELWALL:
		/*
		 * An interval, measured on the monotonic clock so that
		 * setting the host's date does not stretch it.  A signal
		 * restarts the sleep for the time that remains.
		 */
		if (sec < 0)
			return KERR(EINVAL);
		while ((error = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts,
		    &rem)) == EINTR)
			ts = rem;
		break;
	case RUMPUSER_CLOCK_ABSMONO:
		/* A deadline before the clock's origin has passed already. */
		if (sec < 0)
			return 0;
		while ((error = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
		    &ts, NULL)) == EINTR)
			continue;
		break;
	default:
		return KERR(EINVAL);
	}
	return KERR(error);
}

void
rumpuser__msleep(long ms)
{
	struct timespec ts, rem;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &rem) == -1 && errno == EINTR)
		ts = rem;
}

/*
 * Random numbers
 */

/*
 * Fallback for hosts whose kernel or sandbox refuses getrandom(2):
 * the same source through /dev/urandom.  Returns 0 or a host errno.
 */
static int
urandom_read(void *buf, size_t buflen, size_t *donep)
{
	size_t done = 0;
	ssize_t n;
	int fd, error = 0;

	while ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno != EINTR) {
			error = errno;
			goto out;
		}
	}
	while (done < buflen) {
		n = read(fd, (char *)buf + done, buflen - done);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			error = errno;
			break;
		}
		if (n == 0) {
			error = EIO;
			break;
		}
		done += (size_t)n;
	}
	close(fd);
 out:
	*donep = done;
	return error;
}

int
rumpuser_getrandom(void *buf, size_t buflen, int flags, size_t *retp)
{
	size_t done = 0;
	ssize_t n;
	int error = 0;

	/*
	 * The host's getrandom(2) pool is its best source once seeded, so
	 * RUMPUSER_RANDOM_HARD needs nothing more (GRND_RANDOM is only a
	 * historical alias).  Without NOWAIT, fill the whole buffer; with
	 * it, stop at the first refusal.
	 */
	while (done < buflen) {
		n = getrandom((char *)buf + done, buflen - done,
		    (flags & RUMPUSER_RANDOM_NOWAIT) != 0 ? GRND_NONBLOCK : 0);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == ENOSYS || errno == EPERM) {
				size_t more;

				error = urandom_read((char *)buf + done,
				    buflen - done, &more);
				done += more;
			} else
				error = errno;
			break;
		}
		done += (size_t)n;
	}

	*retp = done;

	/*
	 * Partial results are success.  Nothing at all because the host
	 * pool is not seeded yet (NOWAIT) is EAGAIN, so a caller can tell
	 * "try later" from "here are zero bytes".
	 */
	if (done > 0 || buflen == 0)
		return 0;
	return KERR(error);
}
