/*
 * Kernel time: struct timespec, clock ids, tick conversion and the
 * timespec arithmetic helpers.  Items marked "kabi" are the kernel ABI,
 * mirrored for host code by mkkabi.lua.
 */
#ifndef _SYS_TIME_H_
#define _SYS_TIME_H_

#include <sys/types.h>

struct timespec {	/* kabi */
	time_t	tv_sec;
	long	tv_nsec;
};

/* Socket timeouts (SO_RCVTIMEO, SO_SNDTIMEO). */
struct timeval {	/* kabi */
	time_t	tv_sec;
	long	tv_usec;
};

#define CLOCK_REALTIME		0
#define CLOCK_VIRTUAL		1
#define CLOCK_PROF		2
#define CLOCK_MONOTONIC		3

#define NSEC_PER_SEC		1000000000L

#define timespecvalid(ts)						\
	((ts)->tv_sec >= 0 && (ts)->tv_nsec >= 0 &&			\
	 (ts)->tv_nsec < NSEC_PER_SEC)

/* Nanoseconds <-> timespec; ns is an int64_t count. */
static inline int64_t
timespec2ns(const struct timespec *ts)
{

	return ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

static inline void
ns2timespec(int64_t ns, struct timespec *ts)
{

	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
}

/* The clocks, read through the machine-dependent layer (rump glue). */
void	nanotime(struct timespec *);		/* wall clock */
void	nanouptime(struct timespec *);		/* monotonic */
int64_t	getnsuptime(void);			/* monotonic, nanoseconds */

/* Sleep for ns nanoseconds, giving up the CPU (kern_time.c). */
int64_t	kpause_ns(const char *wmesg, int64_t ns);

/* Ticks: the unit of callouts and timed sleeps, hz per second. */
extern const int hz;
int	getticks(void);
int	mstohz(int);
int	tstohz(const struct timespec *);

#endif /* !_SYS_TIME_H_ */
