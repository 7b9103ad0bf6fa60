/*
 * librumphijack: waiting for descriptors (host code).  poll() on only
 * the host's or only the kernel's descriptors is one call to that side.
 * A mixed set is waited for in turns: each side in turn with a short
 * timeout (at most MIXED_SLICE_MS), until either has something or the
 * time is up.  select() and pselect() are poll() underneath, and so is
 * epoll_wait() on a set with kernel descriptors in it.
 */

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/select.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

#define MIXED_SLICE_MS	5
#define SMALL		32

HOSTFN(poll)

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Poll the kernel's descriptors among fds (kfd[i] >= 0). */
static int
kpoll(struct pollfd *fds, const int *kfd, nfds_t n, int timeout,
    struct pollfd *kfds)
{
	nfds_t i, k;
	int rv;

	for (i = k = 0; i < n; i++) {
		if (kfd[i] < 0)
			continue;
		kfds[k].fd = kfd[i];
		kfds[k].events = fds[i].events;
		kfds[k++].revents = 0;
	}
	if ((rv = RUMPCALL(rump_sys_poll(kfds, k, timeout))) == -1)
		return -1;
	for (i = k = 0; i < n; i++)
		if (kfd[i] >= 0)
			fds[i].revents = kfds[k++].revents;
	return rv;
}

/* Poll the host's descriptors among fds. */
static int
hpoll(struct pollfd *fds, const int *kfd, nfds_t n, int timeout,
    struct pollfd *hfds)
{
	nfds_t i, h;
	int rv;

	for (i = h = 0; i < n; i++) {
		if (kfd[i] >= 0)
			continue;
		hfds[h] = fds[i];
		hfds[h++].revents = 0;
	}
	if ((rv = HOST(poll)(hfds, h, timeout)) == -1)
		return -1;
	for (i = h = 0; i < n; i++)
		if (kfd[i] < 0)
			fds[i].revents = hfds[h++].revents;
	return rv;
}

int
poll(struct pollfd *fds, nfds_t n, int timeout)
{
	int kfd_small[SMALL], *kfd = kfd_small;
	struct pollfd tmp_small[SMALL], *tmp = tmp_small;
	nfds_t i, nk = 0;
	int64_t deadline;
	int rv, rk, left, error;

	if (hijack_bypass())
		return HOST(poll)(fds, n, timeout);
	if (n > SMALL) {
		kfd = malloc(n * sizeof(*kfd));
		tmp = malloc(n * sizeof(*tmp));
		if (kfd == NULL || tmp == NULL) {
			free(kfd);
			free(tmp);
			errno = ENOMEM;
			return -1;
		}
	}
	for (i = 0; i < n; i++) {
		kfd[i] = fds[i].fd < 0 ? -1 : hijack_kfd(fds[i].fd);
		nk += kfd[i] >= 0;
	}
	if (nk == 0)
		rv = HOST(poll)(fds, n, timeout);
	else if (nk == n)
		rv = kpoll(fds, kfd, n, timeout, tmp);
	else {
		/* Both sides, in turns. */
		deadline = timeout < 0 ? -1 : now_ms() + timeout;
		for (;;) {
			left = deadline < 0 ? MIXED_SLICE_MS :
			    (int)(deadline - now_ms());
			if (left < 0)
				left = 0;
			if (left > MIXED_SLICE_MS)
				left = MIXED_SLICE_MS;
			if ((rv = hpoll(fds, kfd, n, 0, tmp)) == -1)
				break;
			if ((rk = kpoll(fds, kfd, n, rv > 0 ? 0 : left,
			    tmp)) == -1) {
				rv = -1;
				break;
			}
			rv += rk;
			if (rv > 0 || (deadline >= 0 && now_ms() >= deadline))
				break;
		}
	}
	error = errno;
	if (kfd != kfd_small) {
		free(kfd);
		free(tmp);
	}
	errno = error;
	return rv;
}

int
ppoll(struct pollfd *fds, nfds_t n, const struct timespec *ts,
    const sigset_t *mask)
{
	static __typeof__(ppoll) *host;
	sigset_t old;
	int rv, error, timeout;

	if (hijack_bypass()) {
		if (host == NULL)
			host = hijack_hostsym("ppoll");
		return host(fds, n, ts, mask);
	}
	timeout = ts == NULL ? -1 : ts->tv_sec > INT_MAX / 1000 - 1 ?
	    INT_MAX : (int)(ts->tv_sec * 1000 + (ts->tv_nsec + 999999) /
	    1000000);
	if (mask != NULL)
		pthread_sigmask(SIG_SETMASK, mask, &old);
	rv = poll(fds, n, timeout);
	error = errno;
	if (mask != NULL)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = error;
	return rv;
}

/* select() as poll(): the sets become pollfds and back. */
static int
select_poll(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, int timeout)
{
	struct pollfd *fds;
	int fd, n = 0, rv, ready = 0;
	short ev;

	if (nfds < 0 || nfds > FD_SETSIZE) {
		errno = EINVAL;
		return -1;
	}
	if ((fds = calloc((size_t)nfds + 1, sizeof(*fds))) == NULL)
		return -1;
	for (fd = 0; fd < nfds; fd++) {
		ev = 0;
		if (rd != NULL && FD_ISSET(fd, rd))
			ev |= POLLIN;
		if (wr != NULL && FD_ISSET(fd, wr))
			ev |= POLLOUT;
		if (ex != NULL && FD_ISSET(fd, ex))
			ev |= POLLPRI;
		if (ev != 0) {
			fds[n].fd = fd;
			fds[n++].events = ev;
		}
	}
	if ((rv = poll(fds, (nfds_t)n, timeout)) == -1) {
		free(fds);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (fds[i].revents & POLLNVAL) {
			free(fds);
			errno = EBADF;
			return -1;
		}
	}
	if (rd != NULL)
		FD_ZERO(rd);
	if (wr != NULL)
		FD_ZERO(wr);
	if (ex != NULL)
		FD_ZERO(ex);
	for (int i = 0; i < n; i++) {
		ev = fds[i].revents;
		if (rd != NULL && (fds[i].events & POLLIN) &&
		    (ev & (POLLIN | POLLHUP | POLLERR))) {
			FD_SET(fds[i].fd, rd);
			ready++;
		}
		if (wr != NULL && (fds[i].events & POLLOUT) &&
		    (ev & (POLLOUT | POLLERR))) {
			FD_SET(fds[i].fd, wr);
			ready++;
		}
		if (ex != NULL && (fds[i].events & POLLPRI) && (ev & POLLPRI)) {
			FD_SET(fds[i].fd, ex);
			ready++;
		}
	}
	free(fds);
	return ready;
}

/* Does any set name a kernel descriptor? */
static bool
sets_kernel(int nfds, fd_set *rd, fd_set *wr, fd_set *ex)
{

	for (int fd = 0; fd < nfds && fd < FD_SETSIZE; fd++)
		if (hijack_kfd(fd) >= 0 && ((rd != NULL && FD_ISSET(fd, rd)) ||
		    (wr != NULL && FD_ISSET(fd, wr)) ||
		    (ex != NULL && FD_ISSET(fd, ex))))
			return true;
	return false;
}

int
select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
	static __typeof__(select) *host;

	if (hijack_bypass() || !sets_kernel(nfds, rd, wr, ex)) {
		if (host == NULL)
			host = hijack_hostsym("select");
		return host(nfds, rd, wr, ex, tv);
	}
	/* The time left is not written back. */
	return select_poll(nfds, rd, wr, ex, tv == NULL ? -1 :
	    tv->tv_sec > INT_MAX / 1000 - 1 ? INT_MAX :
	    (int)(tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000));
}

int
pselect(int nfds, fd_set *rd, fd_set *wr, fd_set *ex,
    const struct timespec *ts, const sigset_t *mask)
{
	static __typeof__(pselect) *host;
	sigset_t old;
	int rv, error;

	if (hijack_bypass() || !sets_kernel(nfds, rd, wr, ex)) {
		if (host == NULL)
			host = hijack_hostsym("pselect");
		return host(nfds, rd, wr, ex, ts, mask);
	}
	if (mask != NULL)
		pthread_sigmask(SIG_SETMASK, mask, &old);
	rv = select_poll(nfds, rd, wr, ex, ts == NULL ? -1 :
	    ts->tv_sec > INT_MAX / 1000 - 1 ? INT_MAX :
	    (int)(ts->tv_sec * 1000 + (ts->tv_nsec + 999999) / 1000000));
	error = errno;
	if (mask != NULL)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = error;
	return rv;
}

/*
 * epoll: a host epoll descriptor, plus a list of our own of the kernel
 * descriptors added to it.  epoll_wait() on a set with kernel
 * descriptors polls them together with the epoll descriptor itself
 * (which is readable when the host has events), level-triggered;
 * EPOLLET is taken as level-triggered, EPOLLONESHOT is kept.
 */
struct kep {
	int		fd;		/* the host number */
	uint32_t	events;
	epoll_data_t	data;
	bool		off;		/* a one-shot that fired */
};

struct kepset {
	struct kep	*ke;
	unsigned	n, cap;
};

static struct kepset *kepsets[HIJACK_NFD];
static unsigned nkepsets;	/* in kepsets[] */
static pthread_mutex_t kepmtx = PTHREAD_MUTEX_INITIALIZER;

HOSTFN(epoll_ctl)
HOSTFN(epoll_wait)

int
epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	struct kepset *ks;
	struct kep *k = NULL, *nk;
	unsigned i;
	int error = 0;

	if (hijack_bypass() || hijack_kfd(fd) < 0)
		return HOST(epoll_ctl)(epfd, op, fd, ev);
	if (epfd < 0 || epfd >= HIJACK_NFD || hijack_kfd(epfd) >= 0 ||
	    (op != EPOLL_CTL_DEL && ev == NULL)) {
		errno = epfd < 0 || epfd >= HIJACK_NFD ? EBADF : EINVAL;
		return -1;
	}
	pthread_mutex_lock(&kepmtx);
	if ((ks = kepsets[epfd]) == NULL) {
		if ((ks = kepsets[epfd] = calloc(1, sizeof(*ks))) == NULL) {
			error = ENOMEM;
			goto out;
		}
		__atomic_add_fetch(&nkepsets, 1, __ATOMIC_RELAXED);
	}
	for (i = 0; i < ks->n; i++)
		if (ks->ke[i].fd == fd)
			k = &ks->ke[i];
	switch (op) {
	case EPOLL_CTL_ADD:
		if (k != NULL) {
			error = EEXIST;
			break;
		}
		if (ks->n == ks->cap) {
			nk = realloc(ks->ke, (ks->cap * 2 + 4) * sizeof(*nk));
			if (nk == NULL) {
				error = ENOMEM;
				break;
			}
			ks->ke = nk;
			ks->cap = ks->cap * 2 + 4;
		}
		k = &ks->ke[ks->n++];
		k->fd = fd;
		/* FALLTHROUGH */
	case EPOLL_CTL_MOD:
		if (k == NULL) {
			error = ENOENT;
			break;
		}
		k->events = ev->events;
		k->data = ev->data;
		k->off = false;
		break;
	case EPOLL_CTL_DEL:
		if (k == NULL) {
			error = ENOENT;
			break;
		}
		*k = ks->ke[--ks->n];
		break;
	default:
		error = EINVAL;
	}
out:
	pthread_mutex_unlock(&kepmtx);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

/* Descriptor fd closed: out of every set; or the set epfd itself. */
void
hijack_epoll_forget(int fd)
{
	struct kepset *ks;
	unsigned i;
	int e;

	if (__atomic_load_n(&nkepsets, __ATOMIC_RELAXED) == 0)
		return;
	pthread_mutex_lock(&kepmtx);
	if (fd >= 0 && fd < HIJACK_NFD && (ks = kepsets[fd]) != NULL) {
		kepsets[fd] = NULL;
		free(ks->ke);
		free(ks);
		__atomic_sub_fetch(&nkepsets, 1, __ATOMIC_RELAXED);
	}
	for (e = 0; e < HIJACK_NFD; e++) {
		if ((ks = kepsets[e]) == NULL)
			continue;
		for (i = 0; i < ks->n; i++)
			if (ks->ke[i].fd == fd)
				ks->ke[i--] = ks->ke[--ks->n];
	}
	pthread_mutex_unlock(&kepmtx);
}

int
epoll_wait(int epfd, struct epoll_event *evs, int max, int timeout)
{
	struct pollfd *fds;
	struct kepset *ks;
	unsigned i, n;
	int got = 0, rv;

	if (hijack_bypass() || epfd < 0 || epfd >= HIJACK_NFD || max <= 0)
		return HOST(epoll_wait)(epfd, evs, max, timeout);
	pthread_mutex_lock(&kepmtx);
	if ((ks = kepsets[epfd]) == NULL) {
		pthread_mutex_unlock(&kepmtx);
		return HOST(epoll_wait)(epfd, evs, max, timeout);
	}
	n = ks->n;
	if ((fds = calloc(n + 1, sizeof(*fds))) == NULL) {
		pthread_mutex_unlock(&kepmtx);
		return -1;
	}
	fds[0].fd = epfd;
	fds[0].events = POLLIN;
	for (i = 0; i < n; i++) {
		fds[i + 1].fd = ks->ke[i].off ? -1 : ks->ke[i].fd;
		fds[i + 1].events = (short)(ks->ke[i].events &
		    (EPOLLIN | EPOLLOUT | EPOLLPRI | EPOLLRDHUP));
	}
	pthread_mutex_unlock(&kepmtx);

	rv = poll(fds, n + 1, timeout);
	if (rv > 0 && (fds[0].revents & POLLIN))
		got = HOST(epoll_wait)(epfd, evs, max, 0);
	if (rv > 0 && got >= 0) {
		pthread_mutex_lock(&kepmtx);
		/* The set may have changed, or gone: match by descriptor. */
		if ((ks = kepsets[epfd]) == NULL)
			n = 0;
		for (i = 0; i < n && got < max; i++) {
			struct kep *k = NULL;

			if (fds[i + 1].fd < 0 || fds[i + 1].revents == 0)
				continue;
			for (unsigned j = 0; j < ks->n; j++)
				if (ks->ke[j].fd == fds[i + 1].fd)
					k = &ks->ke[j];
			if (k == NULL || k->off)
				continue;
			evs[got].events = (uint32_t)fds[i + 1].revents &
			    (EPOLLIN | EPOLLOUT | EPOLLPRI | EPOLLRDHUP |
			    EPOLLERR | EPOLLHUP);
			evs[got++].data = k->data;
			if (k->events & EPOLLONESHOT)
				k->off = true;
		}
		pthread_mutex_unlock(&kepmtx);
	}
	free(fds);
	return rv < 0 ? -1 : got;
}

int
epoll_pwait(int epfd, struct epoll_event *evs, int max, int timeout,
    const sigset_t *mask)
{
	sigset_t old;
	int rv, error;

	if (mask != NULL)
		pthread_sigmask(SIG_SETMASK, mask, &old);
	rv = epoll_wait(epfd, evs, max, timeout);
	error = errno;
	if (mask != NULL)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = error;
	return rv;
}
