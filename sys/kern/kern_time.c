/*
 * Time system calls (kernel): clock_gettime and nanosleep, and the tick
 * conversions used by callouts and timed sleeps.
 */

#include <sys/types.h>
#include <sys/errno.h>
#include <sys/condvar.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/syscallargs.h>
#include <sys/systm.h>
#include <sys/time.h>

const int hz = 100;

int
getticks(void)
{

	return (int)(getnsuptime() / (NSEC_PER_SEC / hz));
}

int
mstohz(int ms)
{

	return (int)(((int64_t)ms * hz + 999) / 1000);
}

int
tstohz(const struct timespec *ts)
{
	int64_t ticks;

	ticks = (timespec2ns(ts) + NSEC_PER_SEC / hz - 1) / (NSEC_PER_SEC / hz);
	return ticks > INT_MAX ? INT_MAX : (int)ticks;
}

int
sys_clock_gettime(struct lwp *l, const struct sys_clock_gettime_args *uap,
    register_t *retval)
{
	struct timespec ts;

	switch (SCARG(uap, clock_id)) {
	case CLOCK_REALTIME:
		nanotime(&ts);
		break;
	case CLOCK_MONOTONIC:
		nanouptime(&ts);
		break;
	default:
		return EINVAL;
	}
	return copyout(&ts, SCARG(uap, tp), sizeof(ts));
}

/*
 * Sleep on a private condition variable nobody signals: a timed wait
 * that gives up the virtual CPU.  It ends early when the process is
 * interrupted; returns the nanoseconds left then, else 0.
 */
int64_t
kpause_ns(const char *wmesg, int64_t ns)
{
	kmutex_t mtx;
	kcondvar_t cv;
	int64_t end, left;

	mutex_init(&mtx, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&cv, wmesg);
	end = getnsuptime() + ns;
	mutex_enter(&mtx);
	while ((left = end - getnsuptime()) > 0)
		if (cv_timedwait_sig_ns(&cv, &mtx, left) == EINTR)
			break;
	mutex_exit(&mtx);
	cv_destroy(&cv);
	mutex_destroy(&mtx);
	return left > 0 ? left : 0;
}

/* nanosleep: an interrupted sleep says how much was left (rmtp). */
int
sys_nanosleep(struct lwp *l, const struct sys_nanosleep_args *uap,
    register_t *retval)
{
	struct timespec rqt, rmt;
	int64_t left;
	int error;

	error = copyin(SCARG(uap, rqtp), &rqt, sizeof(rqt));
	if (error != 0)
		return error;
	if (!timespecvalid(&rqt))
		return EINVAL;
	left = kpause_ns("nanoslp", timespec2ns(&rqt));
	if (SCARG(uap, rmtp) != NULL) {
		ns2timespec(left, &rmt);
		error = copyout(&rmt, SCARG(uap, rmtp), sizeof(rmt));
	}
	return error != 0 ? error : left > 0 ? EINTR : 0;
}
