/*
 * The slirpif wire on this host (host side of librumpnet_slirpif):
 * Debian's libslirp.  Slirp is not thread-safe, so one lock covers it;
 * a loop thread of our own polls slirp's sockets and runs its timers,
 * the kernel's frames go in with slirp_input(), and the frames slirp
 * sends come back through a bounded queue that the interface's receive
 * thread waits on.  See slirpif_user.h.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/uio.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <slirp/libslirp.h>

#include <rump/rumpuser.h>

#include "kabi.h"
#include "rumpuser_abi.h"
#include "slirpif_user.h"

#define SL_MAXFRAME	2048	/* an Ethernet frame, and then some */
#define SL_QUEUELEN	1024	/* frames slirp sent, not yet taken */

struct sl_frame {
	STAILQ_ENTRY(sl_frame)	f_list;
	size_t			f_len;
	unsigned char		f_data[];
};

struct sl_timer {
	LIST_ENTRY(sl_timer)	t_list;
	SlirpTimerCb		t_cb;
	void			*t_arg;
	int64_t			t_expire;	/* ms; -1: not armed */
};

struct rumpuser_hostether {
	Slirp			*sl_slirp;
	pthread_mutex_t		sl_lock;	/* everything below */
	pthread_cond_t		sl_rcv;		/* a frame, or interrupt */
	pthread_t		sl_loop;
	int			sl_wake[2];	/* a byte: the loop looks again */
	int			sl_polling;	/* the loop sleeps in poll() */
	int			sl_dying;
	int			sl_intr;

	STAILQ_HEAD(, sl_frame)	sl_frames;
	int			sl_nframes;
	unsigned long long	sl_lost;

	LIST_HEAD(, sl_timer)	sl_timers;
	struct pollfd		*sl_pfd;
	int			sl_npfd, sl_maxpfd;
};

static int64_t
sl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Make the loop thread fill its poll set again.  Lock held. */
static void
sl_kick(struct rumpuser_hostether *sl)
{

	if (sl->sl_polling) {
		sl->sl_polling = 0;
		(void)write(sl->sl_wake[1], "k", 1);
	}
}

/*
 * Slirp's callbacks.  Slirp calls them from slirp_input(),
 * slirp_pollfds_poll() or a timer, so always with the lock held.
 */

/* A frame from slirp for the kernel. */
static ssize_t
sl_send_packet(const void *buf, size_t len, void *arg)
{
	struct rumpuser_hostether *sl = arg;
	struct sl_frame *f;

	if (sl->sl_nframes >= SL_QUEUELEN || len > SL_MAXFRAME ||
	    (f = malloc(sizeof(*f) + len)) == NULL) {
		sl->sl_lost++;	/* as a full link would; TCP resends */
		return (ssize_t)len;
	}
	f->f_len = len;
	memcpy(f->f_data, buf, len);
	STAILQ_INSERT_TAIL(&sl->sl_frames, f, f_list);
	if (sl->sl_nframes++ == 0)
		pthread_cond_signal(&sl->sl_rcv);
	return (ssize_t)len;
}

static void
sl_guest_error(const char *msg, void *arg)
{

	fprintf(stderr, "slirpif: the kernel sent slirp a bad frame: %s\n",
	    msg);
}

static int64_t
sl_clock_get_ns(void *arg)
{

	return sl_now_ns();
}

static void *
sl_timer_new(SlirpTimerCb cb, void *cb_arg, void *arg)
{
	struct rumpuser_hostether *sl = arg;
	struct sl_timer *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		abort();	/* slirp has no way to hear of it */
	t->t_cb = cb;
	t->t_arg = cb_arg;
	t->t_expire = -1;
	LIST_INSERT_HEAD(&sl->sl_timers, t, t_list);
	return t;
}

static void
sl_timer_free(void *timer, void *arg)
{
	struct sl_timer *t = timer;

	LIST_REMOVE(t, t_list);
	free(t);
}

static void
sl_timer_mod(void *timer, int64_t expire_ms, void *arg)
{
	struct sl_timer *t = timer;

	t->t_expire = expire_ms;
	sl_kick(arg);
}

static void
sl_poll_fd(int fd, void *arg)
{

	/* Only Windows needs to hear of sockets; we poll what fill gives. */
}

static void
sl_notify(void *arg)
{

	sl_kick(arg);
}

static const SlirpCb sl_callbacks = {
	.send_packet = sl_send_packet,
	.guest_error = sl_guest_error,
	.clock_get_ns = sl_clock_get_ns,
	.timer_new = sl_timer_new,
	.timer_free = sl_timer_free,
	.timer_mod = sl_timer_mod,
	.register_poll_fd = sl_poll_fd,
	.unregister_poll_fd = sl_poll_fd,
	.notify = sl_notify,
};

/* Slirp's poll events and poll(2)'s, both ways. */
static const struct {
	int	slirp;
	short	poll;
} sl_pollmap[] = {
	{ SLIRP_POLL_IN,	POLLIN },
	{ SLIRP_POLL_OUT,	POLLOUT },
	{ SLIRP_POLL_PRI,	POLLPRI },
	{ SLIRP_POLL_ERR,	POLLERR | POLLNVAL },
	{ SLIRP_POLL_HUP,	POLLHUP },
};

static int
sl_add_poll(int fd, int events, void *arg)
{
	struct rumpuser_hostether *sl = arg;
	struct pollfd *pfd;
	short ev = 0;
	size_t i;

	if (sl->sl_npfd == sl->sl_maxpfd) {
		pfd = realloc(sl->sl_pfd, sizeof(*pfd) *
		    (size_t)(sl->sl_maxpfd * 2));
		if (pfd == NULL)
			return -1;	/* not polled this round */
		sl->sl_pfd = pfd;
		sl->sl_maxpfd *= 2;
	}
	for (i = 0; i < sizeof(sl_pollmap) / sizeof(sl_pollmap[0]); i++)
		if (events & sl_pollmap[i].slirp)
			ev |= sl_pollmap[i].poll;
	sl->sl_pfd[sl->sl_npfd].fd = fd;
	sl->sl_pfd[sl->sl_npfd].events = ev;
	sl->sl_pfd[sl->sl_npfd].revents = 0;
	return sl->sl_npfd++;
}

static int
sl_get_revents(int idx, void *arg)
{
	struct rumpuser_hostether *sl = arg;
	short rev;
	int events = 0;
	size_t i;

	if (idx < 0 || idx >= sl->sl_npfd)
		return 0;
	rev = sl->sl_pfd[idx].revents;
	for (i = 0; i < sizeof(sl_pollmap) / sizeof(sl_pollmap[0]); i++)
		if (rev & sl_pollmap[i].poll)
			events |= sl_pollmap[i].slirp;
	return events;
}

/* Fire the first expired timer; 0 if none, else 1. */
static int
sl_timers_run1(struct rumpuser_hostether *sl, int64_t now_ms)
{
	struct sl_timer *t;

	LIST_FOREACH(t, &sl->sl_timers, t_list) {
		if (t->t_expire >= 0 && t->t_expire <= now_ms) {
			t->t_expire = -1;
			(*t->t_cb)(t->t_arg);	/* may free or rearm t */
			return 1;
		}
	}
	return 0;
}

/* Milliseconds until the next timer, at most max. */
static uint32_t
sl_timers_next(struct rumpuser_hostether *sl, int64_t now_ms, uint32_t max)
{
	struct sl_timer *t;
	int64_t dt;

	LIST_FOREACH(t, &sl->sl_timers, t_list) {
		if (t->t_expire < 0)
			continue;
		dt = t->t_expire - now_ms;
		if (dt < 0)
			dt = 0;
		if ((uint64_t)dt < max)
			max = (uint32_t)dt;
	}
	return max;
}

/* The loop thread: slirp's sockets and timers. */
static void *
sl_loop(void *arg)
{
	struct rumpuser_hostether *sl = arg;
	uint32_t timeout;
	char buf[64];
	int n;

	pthread_mutex_lock(&sl->sl_lock);
	while (!sl->sl_dying) {
		sl->sl_npfd = 0;
		(void)sl_add_poll(sl->sl_wake[0], SLIRP_POLL_IN, sl);
		timeout = UINT32_MAX;
		slirp_pollfds_fill(sl->sl_slirp, &timeout, sl_add_poll, sl);
		timeout = sl_timers_next(sl, sl_now_ns() / 1000000, timeout);
		sl->sl_polling = 1;
		pthread_mutex_unlock(&sl->sl_lock);

		n = poll(sl->sl_pfd, (nfds_t)sl->sl_npfd,
		    timeout == UINT32_MAX ? -1 : (int)timeout);
		if (sl->sl_pfd[0].revents & POLLIN)
			while (read(sl->sl_wake[0], buf, sizeof(buf)) > 0)
				continue;

		pthread_mutex_lock(&sl->sl_lock);
		sl->sl_polling = 0;
		if (sl->sl_dying)
			break;
		slirp_pollfds_poll(sl->sl_slirp, n == -1, sl_get_revents, sl);
		while (sl_timers_run1(sl, sl_now_ns() / 1000000))
			continue;
	}
	pthread_mutex_unlock(&sl->sl_lock);
	return NULL;
}

static int
sl_inaddr(const char *s, size_t len, struct in_addr *in)
{
	char buf[INET_ADDRSTRLEN];

	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return inet_pton(AF_INET, buf, in) == 1 ? 0 : -1;
}

static int
sl_port(const char *s, size_t len)
{
	int port = 0;
	size_t i;

	if (len == 0 || len > 5)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		port = port * 10 + (s[i] - '0');
	}
	return port >= 1 && port <= 65535 ? port : -1;
}

/* A forward, "tcp:[HADDR]:HPORT-[GADDR]:GPORT", as in *fwd. */
struct sl_fwd {
	int		udp;
	struct in_addr	haddr, gaddr;
	int		hport, gport;
};

static int
sl_parse_fwd(const char *s, size_t len, struct sl_fwd *fwd)
{
	const char *end = s + len, *c, *dash;

	memset(fwd, 0, sizeof(*fwd));
	if (len > 4 && strncmp(s, "tcp:", 4) == 0)
		fwd->udp = 0;
	else if (len > 4 && strncmp(s, "udp:", 4) == 0)
		fwd->udp = 1;
	else
		return -1;
	s += 4;
	if ((dash = memchr(s, '-', (size_t)(end - s))) == NULL)
		return -1;
	/* Host side: [HADDR]:HPORT */
	if ((c = memchr(s, ':', (size_t)(dash - s))) == NULL ||
	    (c > s && sl_inaddr(s, (size_t)(c - s), &fwd->haddr) != 0) ||
	    (fwd->hport = sl_port(c + 1, (size_t)(dash - c - 1))) < 0)
		return -1;
	/* Kernel side: [GADDR]:GPORT */
	s = dash + 1;
	if ((c = memchr(s, ':', (size_t)(end - s))) == NULL ||
	    (c > s && sl_inaddr(s, (size_t)(c - s), &fwd->gaddr) != 0) ||
	    (fwd->gport = sl_port(c + 1, (size_t)(end - c - 1))) < 0)
		return -1;
	return 0;
}

/* Is a an address of a host on net/mask (not the net, not broadcast)? */
static int
sl_hostaddr(struct in_addr a, uint32_t net, uint32_t mask)
{
	uint32_t h = ntohl(a.s_addr);

	return (h & mask) == net && h != net && h != (net | ~mask);
}

/*
 * Parse options into cfg; forwards go to fwds (at most *nfwdp).  A
 * message on stderr and -1 for a bad one.
 */
static int
sl_parse(const char *options, SlirpConfig *cfg, struct sl_fwd *fwds,
    int *nfwdp)
{
	const char *o, *end, *eq;
	size_t klen, vlen;
	int maxfwd = *nfwdp, nfwd = 0, bits, set_host = 0, set_dns = 0,
	    set_guest = 0;
	uint32_t net, mask;
	char nbuf[32], *slash, *ep;

	cfg->vnetwork.s_addr = htonl(0x0a000200);	/* 10.0.2.0/24 */
	cfg->vnetmask.s_addr = htonl(0xffffff00);
	for (o = options; *o != '\0'; o = *end == ',' ? end + 1 : end) {
		if ((end = strchr(o, ',')) == NULL)
			end = o + strlen(o);
		if ((eq = memchr(o, '=', (size_t)(end - o))) == NULL)
			goto bad;
		klen = (size_t)(eq - o);
		vlen = (size_t)(end - eq - 1);
#define KEY(k)	(klen == sizeof(k) - 1 && strncmp(o, k, klen) == 0)
		if (KEY("net")) {
			if (vlen >= sizeof(nbuf))
				goto bad;
			memcpy(nbuf, eq + 1, vlen);
			nbuf[vlen] = '\0';
			bits = 24;
			if ((slash = strchr(nbuf, '/')) != NULL) {
				*slash++ = '\0';
				bits = (int)strtol(slash, &ep, 10);
				if (*slash == '\0' || *ep != '\0' || bits < 8 ||
				    bits > 28)
					goto bad;
			}
			if (inet_pton(AF_INET, nbuf, &cfg->vnetwork) != 1)
				goto bad;
			mask = 0xffffffffU << (32 - bits);
			cfg->vnetmask.s_addr = htonl(mask);
			cfg->vnetwork.s_addr &= cfg->vnetmask.s_addr;
		} else if (KEY("host")) {
			if (sl_inaddr(eq + 1, vlen, &cfg->vhost) != 0)
				goto bad;
			set_host = 1;
		} else if (KEY("dns")) {
			if (sl_inaddr(eq + 1, vlen, &cfg->vnameserver) != 0)
				goto bad;
			set_dns = 1;
		} else if (KEY("guest")) {
			if (sl_inaddr(eq + 1, vlen, &cfg->vdhcp_start) != 0)
				goto bad;
			set_guest = 1;
		} else if (KEY("restrict")) {
			if (vlen == 2 && strncmp(eq + 1, "on", 2) == 0)
				cfg->restricted = 1;
			else if (vlen == 3 && strncmp(eq + 1, "off", 3) == 0)
				cfg->restricted = 0;
			else
				goto bad;
		} else if (KEY("hostfwd")) {
			if (nfwd == maxfwd) {
				fprintf(stderr, "slirpif: more than %d "
				    "forwards\n", maxfwd);
				return -1;
			}
			if (sl_parse_fwd(eq + 1, vlen, &fwds[nfwd++]) != 0)
				goto bad;
		} else
			goto bad;
#undef KEY
	}
	net = ntohl(cfg->vnetwork.s_addr);
	if (!set_host)
		cfg->vhost.s_addr = htonl(net + 2);
	if (!set_dns)
		cfg->vnameserver.s_addr = htonl(net + 3);
	if (!set_guest)
		cfg->vdhcp_start.s_addr = htonl(net + 15);
	/* Each a host address of the network (a /28 needs guest=). */
	mask = ntohl(cfg->vnetmask.s_addr);
	if (!sl_hostaddr(cfg->vhost, net, mask) ||
	    !sl_hostaddr(cfg->vnameserver, net, mask) ||
	    !sl_hostaddr(cfg->vdhcp_start, net, mask) ||
	    cfg->vhost.s_addr == cfg->vnameserver.s_addr ||
	    cfg->vhost.s_addr == cfg->vdhcp_start.s_addr ||
	    cfg->vnameserver.s_addr == cfg->vdhcp_start.s_addr) {
		fprintf(stderr, "slirpif: host, dns and guest must be "
		    "addresses of net, and differ\n");
		return -1;
	}
	*nfwdp = nfwd;
	return 0;
bad:
	fprintf(stderr, "slirpif: bad option \"%.*s\"\n", (int)(end - o), o);
	return -1;
}

/* Free sl and all it holds (its loop thread stopped, or never run). */
static void
sl_destroy(struct rumpuser_hostether *sl)
{
	struct sl_frame *f;
	struct sl_timer *t;

	if (sl->sl_slirp != NULL)
		slirp_cleanup(sl->sl_slirp);
	while ((t = LIST_FIRST(&sl->sl_timers)) != NULL)
		sl_timer_free(t, sl);	/* slirp's, if it left any */
	while ((f = STAILQ_FIRST(&sl->sl_frames)) != NULL) {
		STAILQ_REMOVE_HEAD(&sl->sl_frames, f_list);
		free(f);
	}
	pthread_cond_destroy(&sl->sl_rcv);
	pthread_mutex_destroy(&sl->sl_lock);
	close(sl->sl_wake[0]);
	close(sl->sl_wake[1]);
	free(sl->sl_pfd);
	free(sl);
}

#define SL_MAXFWD	32

int
rumpuser_slirpif_open(const char *options, struct rumpuser_hostether **hp)
{
	struct rumpuser_hostether *sl;
	struct sl_fwd fwds[SL_MAXFWD];
	SlirpConfig cfg;
	int nfwd = SL_MAXFWD, i, error;

	memset(&cfg, 0, sizeof(cfg));
	cfg.version = 1;
	cfg.in_enabled = true;
	if (sl_parse(options, &cfg, fwds, &nfwd) != 0)
		return KABI_EINVAL;

	if ((sl = calloc(1, sizeof(*sl))) == NULL)
		return KABI_ENOMEM;
	STAILQ_INIT(&sl->sl_frames);
	LIST_INIT(&sl->sl_timers);
	sl->sl_maxpfd = 16;
	if ((sl->sl_pfd = calloc((size_t)sl->sl_maxpfd,
	    sizeof(*sl->sl_pfd))) == NULL) {
		free(sl);
		return KABI_ENOMEM;
	}
	if (pipe2(sl->sl_wake, O_CLOEXEC | O_NONBLOCK) == -1) {
		error = rumpuser_abi_errno_tokern(errno);
		free(sl->sl_pfd);
		free(sl);
		return error;
	}
	pthread_mutex_init(&sl->sl_lock, NULL);
	pthread_cond_init(&sl->sl_rcv, NULL);
	if ((sl->sl_slirp = slirp_new(&cfg, &sl_callbacks, sl)) == NULL) {
		error = KABI_EINVAL;
		goto fail;
	}
	for (i = 0; i < nfwd; i++) {
		if (fwds[i].gaddr.s_addr == INADDR_ANY)
			fwds[i].gaddr = cfg.vdhcp_start;
		if (slirp_add_hostfwd(sl->sl_slirp, fwds[i].udp, fwds[i].haddr,
		    fwds[i].hport, fwds[i].gaddr, fwds[i].gport) != 0) {
			fprintf(stderr, "slirpif: cannot forward %s port %d "
			    "(in use?)\n", fwds[i].udp ? "udp" : "tcp",
			    fwds[i].hport);
			error = KABI_EADDRINUSE;
			goto fail;
		}
	}
	if ((error = pthread_create(&sl->sl_loop, NULL, sl_loop, sl)) != 0) {
		error = rumpuser_abi_errno_tokern(error);
		goto fail;
	}
	*hp = sl;
	return 0;

fail:
	sl_destroy(sl);
	return error;
}

void
rumpuser_slirpif_close(struct rumpuser_hostether *sl)
{

	pthread_mutex_lock(&sl->sl_lock);
	sl->sl_dying = 1;
	(void)write(sl->sl_wake[1], "d", 1);
	pthread_mutex_unlock(&sl->sl_lock);
	pthread_join(sl->sl_loop, NULL);
	sl_destroy(sl);
}

int
rumpuser_slirpif_send(struct rumpuser_hostether *sl,
    const struct rumpuser_iovec *iov, int cnt)
{
	unsigned char buf[SL_MAXFRAME];
	size_t len = 0;
	int i;

	for (i = 0; i < cnt; i++) {
		if (iov[i].iov_len > sizeof(buf) - len)
			return KABI_EMSGSIZE;
		memcpy(buf + len, iov[i].iov_base, iov[i].iov_len);
		len += iov[i].iov_len;
	}
	pthread_mutex_lock(&sl->sl_lock);
	slirp_input(sl->sl_slirp, buf, (int)len);
	sl_kick(sl);	/* there may be a new socket to poll */
	pthread_mutex_unlock(&sl->sl_lock);
	return 0;
}

int
rumpuser_slirpif_recv(struct rumpuser_hostether *sl, void *buf, size_t len,
    size_t *gotp, unsigned long long *lostp)
{
	struct sl_frame *f;

	pthread_mutex_lock(&sl->sl_lock);
	for (;;) {
		if (sl->sl_intr) {
			sl->sl_intr = 0;
			pthread_mutex_unlock(&sl->sl_lock);
			return KABI_EINTR;
		}
		*lostp += sl->sl_lost;
		sl->sl_lost = 0;
		if ((f = STAILQ_FIRST(&sl->sl_frames)) != NULL) {
			STAILQ_REMOVE_HEAD(&sl->sl_frames, f_list);
			sl->sl_nframes--;
			if (f->f_len <= len)
				break;
			++*lostp;	/* too long for the interface */
			free(f);
			continue;
		}
		pthread_cond_wait(&sl->sl_rcv, &sl->sl_lock);
	}
	pthread_mutex_unlock(&sl->sl_lock);
	memcpy(buf, f->f_data, f->f_len);
	*gotp = f->f_len;
	free(f);
	return 0;
}

void
rumpuser_slirpif_interrupt(struct rumpuser_hostether *sl)
{

	pthread_mutex_lock(&sl->sl_lock);
	sl->sl_intr = 1;
	pthread_cond_signal(&sl->sl_rcv);
	pthread_mutex_unlock(&sl->sl_lock);
}
