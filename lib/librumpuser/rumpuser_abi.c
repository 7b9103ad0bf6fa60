/*
 * The boundary translation module (DESIGN.md rule 6): the one place that
 * converts between the host's ABI and the rump kernel's.  Host-side code,
 * part of librumpuser because what it converts *to* is the host: a port
 * to another host rewrites this file with the rest of librumpuser.  The
 * kernel's side of every table comes from the generated kabi.h and
 * kabi_errno.h, read off the kernel's own headers.
 */

#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "kabi.h"
#include "rumpuser_abi.h"

struct errmap {
	int		kern;
	int		host;	/* -1: the host has no such name */
	const char	*name;
};

static const struct errmap errtab[] = {
#include "kabi_errno.h"
};
#define NERRTAB	(sizeof(errtab) / sizeof(errtab[0]))

/*
 * Kernel errors the host has no name for, and what the host is told
 * instead: the nearest meaning among the host's errors.
 */
static const struct {
	int	kern;
	int	host;
} errfallback[] = {
	{ KABI_EFTYPE,		EINVAL },	/* bad file type or format */
	{ KABI_EAUTH,		EACCES },
	{ KABI_ENEEDAUTH,	EACCES },
	{ KABI_EPROCLIM,	EAGAIN },
	{ KABI_EBADRPC,		EPROTO },
	{ KABI_ERPCMISMATCH,	EPROTO },
	{ KABI_EPROGUNAVAIL,	EPROTO },
	{ KABI_EPROGMISMATCH,	EPROTO },
	{ KABI_EPROCUNAVAIL,	EPROTO },
	{ KABI_ENOATTR,		ENODATA },
};

/*
 * Direct lookup arrays, built once from the tables: errno translation is
 * on the error path of every system call.
 */
#define HOSTERR_MAX	256
static int	tohost[KABI_ELAST + 1];
static int	tokern[HOSTERR_MAX];
static pthread_once_t errinit_once = PTHREAD_ONCE_INIT;

static void
errinit(void)
{
	size_t i, j;

	for (i = 0; i < NERRTAB; i++) {
		const struct errmap *e = &errtab[i];
		int h = e->host;

		if (h == -1) {
			h = EIO;
			for (j = 0; j < sizeof(errfallback) /
			    sizeof(errfallback[0]); j++) {
				if (errfallback[j].kern == e->kern)
					h = errfallback[j].host;
			}
		} else if (h >= 0 && h < HOSTERR_MAX && tokern[h] == 0) {
			/* The first kernel name for a host value wins. */
			tokern[h] = e->kern;
		}
		if (tohost[e->kern] == 0)
			tohost[e->kern] = h;
	}
}

int
rumpuser_abi_errno_tohost(int kerr)
{

	if (kerr == 0)
		return 0;
	pthread_once(&errinit_once, errinit);
	if (kerr < 0 || kerr > KABI_ELAST || tohost[kerr] == 0)
		return EIO;
	return tohost[kerr];
}

int
rumpuser_abi_errno_tokern(int herr)
{

	if (herr == 0)
		return 0;
	pthread_once(&errinit_once, errinit);
	if (herr < 0 || herr >= HOSTERR_MAX || tokern[herr] == 0)
		return KABI_EIO;
	return tokern[herr];
}

int
rumpuser_abi_clockid_tokern(clockid_t hclk, int *kclkp)
{

	switch (hclk) {
	case CLOCK_REALTIME:
		*kclkp = KABI_CLOCK_REALTIME;
		return 0;
	case CLOCK_MONOTONIC:
		*kclkp = KABI_CLOCK_MONOTONIC;
		return 0;
	default:
		return KABI_EINVAL;
	}
}

void
rumpuser_abi_timespec_tokern(const struct timespec *hts,
    struct kabi_timespec *kts)
{

	kts->tv_sec = hts->tv_sec;
	kts->tv_nsec = hts->tv_nsec;
}

void
rumpuser_abi_timespec_tohost(const struct kabi_timespec *kts,
    struct timespec *hts)
{

	hts->tv_sec = kts->tv_sec;
	hts->tv_nsec = kts->tv_nsec;
}
