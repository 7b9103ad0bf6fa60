/*
 * Helpers shared by the benchmarks: a monotonic clock in nanoseconds
 * and the median of a set of measurements.
 */
#ifndef _BENCH_COMMON_BENCH_H_
#define _BENCH_COMMON_BENCH_H_

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static inline int64_t
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline int
bench_cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of v[0..n) (sorts v). */
static inline double
bench_median(double *v, int n)
{

	qsort(v, (size_t)n, sizeof(v[0]), bench_cmpd);
	return v[n / 2];
}

#endif /* !_BENCH_COMMON_BENCH_H_ */
