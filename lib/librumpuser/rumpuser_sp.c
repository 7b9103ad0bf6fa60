/*
 * Serving the kernel's system calls to other processes (host side,
 * below the rump kernel): the listening socket, a connection per client
 * process, and copies between the kernel and the client's memory.  The
 * wire format is in sp_wire.h; the kernel's half (processes, lwps, the
 * copy routines that call here) is in sys/rump/librump/rumpkern/sp.c.
 *
 * Threads.  Each connection has a small pool of worker threads, each
 * bound to an lwp of the client's kernel process.  One of them at a
 * time reads the socket: the reader.  A reader that receives a call
 * runs it at once, still the reader; most calls finish without
 * blocking, and the next message finds it waiting (no thread switch on
 * the way).  Should the call block on the host (RUMPUSER_WILLBLOCK()),
 * it first hands the reading on to an idle worker or a new one, so a
 * call that sleeps in the kernel never stops the connection: copy
 * replies, the calls of the client's other threads and the end of the
 * stream are still read.  When the stream ends or a
 * message breaks the rules, the connection is dead: copy waits fail
 * with EFAULT, the process is interrupted, and the last worker to leave
 * releases the process and the connection.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kabi.h"
#include "rumpuser_int.h"
#include "sp_wire.h"

#define SP_MAXCONN	1024	/* connections at once */
#define SP_MAXWORKERS	64	/* calls in flight per connection */
#define SP_MAXIDLE	2	/* idle workers kept per connection */
#define SP_HSTIMEOUT	5	/* seconds a new client has to say hello */
#define SP_FORKTTL	30	/* seconds a prefork waits for its child */
#define SP_MAXFORKS	256	/* preforks waiting, at most */
/*
 * A client must take what the server sends, and answer a copy request,
 * within this many seconds, or it is cut off: the kernel may hold locks
 * other clients wait for meanwhile.
 */
#define SP_STALL	30

struct sp_conn;

/* A worker thread of a connection, and the call it runs. */
struct sp_worker {
	struct sp_conn	*w_conn;
	pthread_cond_t	w_cv;		/* idle and copy waits */
	bool		w_idle;		/* on c_idle, waiting to read */
	SLIST_ENTRY(sp_worker) w_idlelink;

	/* The call. */
	uint64_t	w_tag;
	int32_t		w_num;
	unsigned	w_nargs;
	int64_t		w_args[SP_MAXARGS];
	unsigned	w_natt;
	struct {
		uint64_t	addr;
		uint32_t	len;
		size_t		off;		/* in w_attbuf */
	}		w_att[SP_MAXATT];
	char		*w_attbuf;
	size_t		w_attcap;

	/* A copy-in waiting for its reply (c_mtx). */
	TAILQ_ENTRY(sp_worker) w_copylink;
	uint64_t	w_ctag;
	void		*w_cdst;
	size_t		w_clen;
	bool		w_cstr;
	bool		w_cdone;
	int		w_cerror;	/* kernel errno */
	size_t		w_cgot;
};

struct sp_conn {
	int		c_fd;
	pthread_mutex_t	c_mtx;		/* the fields below */
	pthread_mutex_t	c_sendmtx;	/* one message at a time */
	struct sp_rbuf	c_rbuf;		/* the reader's */
	bool		c_reading;
	bool		c_dead;
	unsigned	c_nworkers;	/* threads, counted from spawn */
	unsigned	c_ncalls;	/* calls running */
	unsigned	c_nidle;
	SLIST_HEAD(, sp_worker) c_idle;
	TAILQ_HEAD(, sp_worker) c_copies;
	uint64_t	c_nexttag;
	struct lwp	*c_main;	/* the process, once shaken hands */
	int		c_pid;
	char		c_comm[SP_COMMLEN];
	LIST_ENTRY(sp_conn) c_link;	/* sp_conns, sp_mtx */
};

/* A process made by SP_PREFORK, waiting for its child to connect. */
struct sp_prefork {
	struct sp_cookie pf_cookie;
	struct lwp	*pf_main;
	int		pf_pid;
	time_t		pf_expires;
	LIST_ENTRY(sp_prefork) pf_link;
};

static pthread_mutex_t sp_mtx = PTHREAD_MUTEX_INITIALIZER;
static const struct rumpuser_sp_upcalls *spu;
static int sp_lfd = -1;
static bool sp_stopping;
static char sp_unixpath[sizeof(((struct sockaddr_un *)0)->sun_path)];
static LIST_HEAD(, sp_conn) sp_conns = LIST_HEAD_INITIALIZER(sp_conns);
static unsigned sp_nconns;
static LIST_HEAD(, sp_prefork) sp_preforks =
    LIST_HEAD_INITIALIZER(sp_preforks);
static unsigned sp_npreforks;
/*
 * Readers that poll before they sleep (sp_recv()), at most one per host
 * CPU but one: the clients need CPUs too.
 */
static unsigned sp_nspin, sp_maxspin;

/* The worker whose call the calling thread runs. */
static __thread struct sp_worker *sp_curworker;
/* It runs the call still as its connection's reader. */
__thread bool rumpuser__sp_reading;

static void	*worker_main(void *);

/*
 * A console line about a client, at most ten a second (a hostile
 * client must not flood the console).
 */
static void
sp_complain(struct sp_conn *c, const char *fmt, ...)
{
	static time_t window;
	static unsigned lines;
	char msg[160];
	va_list ap;
	time_t now;
	bool say;

	now = time(NULL);
	pthread_mutex_lock(&sp_mtx);
	if (now != window) {
		window = now;
		lines = 0;
	}
	say = lines++ < 10;
	pthread_mutex_unlock(&sp_mtx);
	if (!say)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rumpuser__printf("rump_sp: client pid %d (%s): %s\n", c->c_pid,
	    c->c_comm[0] != '\0' ? c->c_comm : "?", msg);
}

/*
 * Send a message to c.  A send that fails, or times out (SO_SNDTIMEO:
 * the client does not read), may have left half a message behind: the
 * connection is cut, and the reader sees it end.
 */
static int
conn_send(struct sp_conn *c, int type, uint64_t tag, const struct iovec *iov,
    int n)
{
	int error;

	pthread_mutex_lock(&c->c_sendmtx);
	error = sp_send(c->c_fd, type, tag, iov, n);
	if (error != 0)
		(void)shutdown(c->c_fd, SHUT_RDWR);
	pthread_mutex_unlock(&c->c_sendmtx);
	return error;
}

static void
send_result(struct sp_conn *c, int type, uint64_t tag, int error,
    int64_t rv0, int64_t rv1, const void *extra, size_t extralen)
{
	struct sp_result r;
	struct iovec iov[2];

	memset(&r, 0, sizeof(r));
	r.sr_error = error;
	r.sr_rv[0] = rv0;
	r.sr_rv[1] = rv1;
	iov[0].iov_base = &r;
	iov[0].iov_len = sizeof(r);
	iov[1].iov_base = (void *)(uintptr_t)extra;
	iov[1].iov_len = extralen;
	(void)conn_send(c, type, tag, iov, extralen > 0 ? 2 : 1);
}

/*
 * The connection is dead (c_mtx held): fail the copies in flight, wake
 * the idle workers so they leave, and interrupt the process.  Once.
 */
static void
conn_die(struct sp_conn *c)
{
	struct sp_worker *w;

	if (c->c_dead)
		return;
	c->c_dead = true;
	(void)shutdown(c->c_fd, SHUT_RDWR);
	TAILQ_FOREACH(w, &c->c_copies, w_copylink)
		pthread_cond_signal(&w->w_cv);
	while ((w = SLIST_FIRST(&c->c_idle)) != NULL) {
		SLIST_REMOVE_HEAD(&c->c_idle, w_idlelink);
		w->w_idle = false;
		c->c_nidle--;
		pthread_cond_signal(&w->w_cv);
	}
	if (c->c_main != NULL) {
		pthread_mutex_unlock(&c->c_mtx);
		spu->sp_proc_interrupt(c->c_main);
		pthread_mutex_lock(&c->c_mtx);
	}
}

/* Start a worker for c (c_mtx held); false if the host refused. */
static bool
conn_spawn(struct sp_conn *c)
{
	struct sp_worker *w;

	if (c->c_nworkers >= SP_MAXWORKERS || (w = calloc(1, sizeof(*w))) ==
	    NULL)
		return false;
	w->w_conn = c;
	pthread_cond_init(&w->w_cv, NULL);
	c->c_nworkers++;
	if (rumpuser__thread_spawn(worker_main, w, "rump_sp", 0, NULL) != 0) {
		c->c_nworkers--;
		pthread_cond_destroy(&w->w_cv);
		free(w);
		return false;
	}
	return true;
}

/* Give up reading (c_mtx held): an idle worker, or a new one, reads. */
static void
conn_handover(struct sp_conn *c)
{
	struct sp_worker *w;

	c->c_reading = false;
	if ((w = SLIST_FIRST(&c->c_idle)) != NULL) {
		SLIST_REMOVE_HEAD(&c->c_idle, w_idlelink);
		w->w_idle = false;
		c->c_nidle--;
		pthread_cond_signal(&w->w_cv);
	} else
		(void)conn_spawn(c);
}

void
rumpuser__sp_yield(void)
{
	struct sp_conn *c = sp_curworker->w_conn;

	rumpuser__sp_reading = false;
	pthread_mutex_lock(&c->c_mtx);
	conn_handover(c);
	pthread_mutex_unlock(&c->c_mtx);
}

static void
conn_free(struct sp_conn *c)
{

	pthread_mutex_lock(&sp_mtx);
	LIST_REMOVE(c, c_link);
	sp_nconns--;
	pthread_mutex_unlock(&sp_mtx);
	if (c->c_main != NULL)
		spu->sp_proc_exit(c->c_main);
	close(c->c_fd);
	sp_rbuf_free(&c->c_rbuf);
	pthread_mutex_destroy(&c->c_mtx);
	pthread_mutex_destroy(&c->c_sendmtx);
	free(c);
}

/*
 * Preforks
 */

/* Drop the preforks whose child never came (sp_mtx held). */
static void
prefork_expire(void)
{
	struct sp_prefork *pf;
	time_t now = time(NULL);

again:
	LIST_FOREACH(pf, &sp_preforks, pf_link) {
		if (now >= pf->pf_expires) {
			LIST_REMOVE(pf, pf_link);
			sp_npreforks--;
			pthread_mutex_unlock(&sp_mtx);
			spu->sp_proc_exit(pf->pf_main);
			pthread_mutex_lock(&sp_mtx);
			free(pf);
			goto again;	/* the list may have changed */
		}
	}
}

static void
prefork_unhold(void)
{

	pthread_mutex_lock(&sp_mtx);
	sp_npreforks--;
	pthread_mutex_unlock(&sp_mtx);
}

static void
conn_prefork(struct sp_conn *c, uint64_t tag)
{
	struct sp_prefork *pf;
	int error;

	pthread_mutex_lock(&sp_mtx);
	prefork_expire();
	error = sp_npreforks >= SP_MAXFORKS ? KERR(EAGAIN) : 0;
	if (error == 0)
		sp_npreforks++;		/* held for the one made below */
	pthread_mutex_unlock(&sp_mtx);
	if (error == 0 && (pf = calloc(1, sizeof(*pf))) == NULL)
		error = KERR(ENOMEM);
	if (error != 0) {
		if (error != KERR(EAGAIN))
			prefork_unhold();
		send_result(c, SP_PREFORK_REPLY, tag, error, 0, 0,
		    &(struct sp_cookie){ { 0 } }, sizeof(struct sp_cookie));
		return;
	}
	error = spu->sp_proc_fork(c->c_main, &pf->pf_main, &pf->pf_pid);
	if (error == 0 && getrandom(&pf->pf_cookie, sizeof(pf->pf_cookie),
	    0) != (ssize_t)sizeof(pf->pf_cookie)) {
		spu->sp_proc_exit(pf->pf_main);
		error = KERR(EAGAIN);
	}
	if (error != 0) {
		free(pf);
		prefork_unhold();
		send_result(c, SP_PREFORK_REPLY, tag, error, 0, 0,
		    &(struct sp_cookie){ { 0 } }, sizeof(struct sp_cookie));
		return;
	}
	pf->pf_expires = time(NULL) + SP_FORKTTL;
	pthread_mutex_lock(&sp_mtx);
	LIST_INSERT_HEAD(&sp_preforks, pf, pf_link);
	pthread_mutex_unlock(&sp_mtx);
	send_result(c, SP_PREFORK_REPLY, tag, 0, pf->pf_pid, 0,
	    &pf->pf_cookie, sizeof(pf->pf_cookie));
}

/* Claim the prefork named by cookie: its process becomes c's. */
static int
prefork_claim(struct sp_conn *c, const struct sp_cookie *cookie)
{
	struct sp_prefork *pf;

	pthread_mutex_lock(&sp_mtx);
	prefork_expire();
	LIST_FOREACH(pf, &sp_preforks, pf_link)
		if (memcmp(&pf->pf_cookie, cookie, sizeof(*cookie)) == 0)
			break;
	if (pf != NULL) {
		LIST_REMOVE(pf, pf_link);
		sp_npreforks--;
	}
	pthread_mutex_unlock(&sp_mtx);
	if (pf == NULL)
		return KERR(ESRCH);
	c->c_main = pf->pf_main;
	c->c_pid = pf->pf_pid;
	free(pf);
	return 0;
}

/*
 * Reading
 */

/*
 * The first message: who the client is.  Runs on the connection's first
 * worker before any other.  Returns 0 when the client has a process.
 */
static int
conn_handshake(struct sp_conn *c)
{
	struct timeval tv = { SP_HSTIMEOUT, 0 };
	struct sp_handshake hs;
	struct sp_hdr h;
	void *body;
	size_t len;
	int error;

	(void)setsockopt(c->c_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if ((error = sp_recv(c->c_fd, &c->c_rbuf, &h, &body, &len,
	    false)) != 0) {
		if (error != ECONNRESET)
			sp_complain(c, "no handshake: %s", strerror(error));
		return error;
	}
	tv.tv_sec = 0;
	(void)setsockopt(c->c_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (h.sh_type != SP_HANDSHAKE || len != sizeof(hs)) {
		sp_complain(c, "expected a handshake, got type %u", h.sh_type);
		return EPROTO;
	}
	memcpy(&hs, body, sizeof(hs));
	memcpy(c->c_comm, hs.hs_comm, sizeof(c->c_comm));
	c->c_comm[sizeof(c->c_comm) - 1] = '\0';
	if (hs.hs_magic != SP_MAGIC || hs.hs_abi != SP_ABI) {
		sp_complain(c, "not a rump client of this machine");
		return EPROTO;
	}
	if (hs.hs_version != SP_VERSION) {
		sp_complain(c, "protocol version %u, server speaks %u",
		    hs.hs_version, SP_VERSION);
		error = KABI_EPROGMISMATCH;
	} else if (hs.hs_kind == SP_HS_NEW)
		error = spu->sp_proc_new(c->c_comm, &c->c_main, &c->c_pid);
	else if (hs.hs_kind == SP_HS_FORK)
		error = prefork_claim(c, &hs.hs_cookie);
	else {
		sp_complain(c, "bad handshake kind %u", hs.hs_kind);
		error = KERR(EINVAL);
	}
	send_result(c, SP_HANDSHAKE_REPLY, h.sh_tag, error, c->c_pid, 0,
	    NULL, 0);
	return error != 0 ? EPROTO : 0;
}

/* Take a call out of the read buffer into w; EPROTO if malformed. */
static int
take_call(struct sp_conn *c, struct sp_worker *w, uint64_t tag,
    const char *body, size_t len)
{
	struct sp_syscall sc;
	struct sp_attach a;
	size_t off, need, padded;
	unsigned i;
	char *nb;

	memcpy(&sc, body, sizeof(sc));
	off = sizeof(sc);
	if (sc.sc_nargs > SP_MAXARGS || sc.sc_natt > SP_MAXATT ||
	    len - off < sc.sc_nargs * sizeof(int64_t)) {
		sp_complain(c, "malformed call");
		return EPROTO;
	}
	w->w_tag = tag;
	w->w_num = sc.sc_num;
	w->w_nargs = sc.sc_nargs;
	memset(w->w_args, 0, sizeof(w->w_args));
	memcpy(w->w_args, body + off, sc.sc_nargs * sizeof(int64_t));
	off += sc.sc_nargs * sizeof(int64_t);
	/* The attached data fit in what is left: at most len bytes. */
	if (w->w_attcap < len - off) {
		if ((nb = realloc(w->w_attbuf, len - off)) == NULL)
			return ENOMEM;
		w->w_attbuf = nb;
		w->w_attcap = len - off;
	}
	need = 0;
	for (i = 0; i < sc.sc_natt; i++) {
		if (len - off < sizeof(a))
			goto bad;
		memcpy(&a, body + off, sizeof(a));
		off += sizeof(a);
		padded = ((size_t)a.sa_len + 7) & ~(size_t)7;
		if (len - off < padded || a.sa_addr + a.sa_len < a.sa_addr)
			goto bad;
		w->w_att[i].addr = a.sa_addr;
		w->w_att[i].len = a.sa_len;
		w->w_att[i].off = need;
		memcpy(w->w_attbuf + need, body + off, a.sa_len);
		need += a.sa_len;
		off += padded;
	}
	if (off != len)
		goto bad;
	w->w_natt = sc.sc_natt;
	return 0;
bad:
	sp_complain(c, "malformed call attachments");
	return EPROTO;
}

/* A copy-in's reply: hand the data to the worker waiting for it. */
static int
copy_reply(struct sp_conn *c, uint64_t tag, const char *body, size_t len)
{
	struct sp_result r;
	struct sp_worker *w;
	const char *data = body + sizeof(r);
	size_t dlen = len - sizeof(r);

	memcpy(&r, body, sizeof(r));
	pthread_mutex_lock(&c->c_mtx);
	TAILQ_FOREACH(w, &c->c_copies, w_copylink)
		if (w->w_ctag == tag && !w->w_cdone)
			break;
	if (w == NULL) {
		pthread_mutex_unlock(&c->c_mtx);
		sp_complain(c, "reply to no copy request");
		return EPROTO;
	}
	if (r.sr_error == 0) {
		if (w->w_cstr ? dlen == 0 || dlen > w->w_clen ||
		    memchr(data, '\0', dlen) != data + dlen - 1 :
		    dlen != w->w_clen) {
			pthread_mutex_unlock(&c->c_mtx);
			sp_complain(c, "copy reply of the wrong size");
			return EPROTO;
		}
		memcpy(w->w_cdst, data, dlen);
		w->w_cgot = dlen;
	} else if (r.sr_error == KERR(ENAMETOOLONG) && w->w_cstr)
		w->w_cerror = r.sr_error;
	else
		w->w_cerror = KERR(EFAULT);
	w->w_cdone = true;
	pthread_cond_signal(&w->w_cv);
	pthread_mutex_unlock(&c->c_mtx);
	return 0;
}

/* After kernel work as the reader: 0 still the reader, 2 no longer. */
static int
reader_done(void)
{

	if (!rumpuser__sp_reading)
		return 2;
	rumpuser__sp_reading = false;
	return 0;
}

/*
 * Read and act on one message as the reader (c_mtx not held).  Returns
 * 1 when it was a call, now in w for the caller to run; 0 when it was
 * dealt with; 2 when it was dealt with and the reading was handed on
 * meanwhile; or a host errno when the connection must die.
 */
static int
conn_read(struct sp_conn *c, struct sp_worker *w)
{
	struct sp_handshake hs;
	struct sp_hdr h;
	void *body;
	size_t len;
	bool spin;
	int error;

	spin = __atomic_add_fetch(&sp_nspin, 1, __ATOMIC_RELAXED) <= sp_maxspin;
	if (!spin)
		__atomic_sub_fetch(&sp_nspin, 1, __ATOMIC_RELAXED);
	error = sp_recv(c->c_fd, &c->c_rbuf, &h, &body, &len, spin);
	if (spin)
		__atomic_sub_fetch(&sp_nspin, 1, __ATOMIC_RELAXED);
	if (error != 0) {
		if (error == EPROTO)
			sp_complain(c, "malformed message header");
		return error;
	}
	switch (h.sh_type) {
	case SP_SYSCALL:
		if ((error = take_call(c, w, h.sh_tag, body, len)) != 0)
			return error;
		/*
		 * One worker must stay free to read: at the cap a call is
		 * refused (a client with so many calls blocked at once is
		 * stuck or hostile).
		 */
		pthread_mutex_lock(&c->c_mtx);
		if (c->c_ncalls >= SP_MAXWORKERS - 1) {
			pthread_mutex_unlock(&c->c_mtx);
			sp_complain(c, "%d calls at once: refused",
			    SP_MAXWORKERS - 1);
			send_result(c, SP_SYSCALL_REPLY, h.sh_tag, KERR(EAGAIN),
			    0, 0, NULL, 0);
			return 0;
		}
		c->c_ncalls++;
		pthread_mutex_unlock(&c->c_mtx);
		return 1;
	case SP_COPYIN_REPLY:
		return copy_reply(c, h.sh_tag, body, len);
	case SP_PREFORK:
		/* Kernel work that may block: hand the reading on if so. */
		rumpuser__sp_reading = true;
		conn_prefork(c, h.sh_tag);
		return reader_done();
	case SP_HANDSHAKE:
		memcpy(&hs, body, sizeof(hs));
		if (len != sizeof(hs) || hs.hs_kind != SP_HS_EXEC)
			break;
		memcpy(c->c_comm, hs.hs_comm, sizeof(c->c_comm));
		c->c_comm[sizeof(c->c_comm) - 1] = '\0';
		rumpuser__sp_reading = true;
		spu->sp_proc_exec(c->c_main, c->c_comm);
		send_result(c, SP_HANDSHAKE_REPLY, h.sh_tag, 0, c->c_pid, 0,
		    NULL, 0);
		return reader_done();
	}
	sp_complain(c, "unexpected message type %u", h.sh_type);
	return EPROTO;
}

/* Run w's call and send its reply. */
static void
worker_call(struct sp_worker *w)
{
	struct sp_conn *c = w->w_conn;
	int64_t rv[2] = { 0, 0 };
	int error;

	error = spu->sp_syscall(w->w_num, w->w_args,
	    w->w_nargs * sizeof(int64_t), rv);
	send_result(c, SP_SYSCALL_REPLY, w->w_tag, error, rv[0], rv[1],
	    NULL, 0);
}

static void *
worker_main(void *arg)
{
	struct sp_worker *w = arg;
	struct sp_conn *c = w->w_conn;
	bool bound = false, last;
	int rv;

	sp_curworker = w;
	pthread_mutex_lock(&c->c_mtx);
	if (c->c_main == NULL) {
		/* The connection's first worker: the handshake. */
		pthread_mutex_unlock(&c->c_mtx);
		rv = conn_handshake(c);
		pthread_mutex_lock(&c->c_mtx);
		if (rv != 0)
			conn_die(c);
	}
	if (!c->c_dead) {
		pthread_mutex_unlock(&c->c_mtx);
		bound = spu->sp_lwp_enter(c->c_main) == 0;
		pthread_mutex_lock(&c->c_mtx);
		if (!bound)
			conn_die(c);
	}
	while (!c->c_dead) {
		if (!c->c_reading) {
			c->c_reading = true;
			pthread_mutex_unlock(&c->c_mtx);
			rv = conn_read(c, w);
			pthread_mutex_lock(&c->c_mtx);
			if (rv == 1) {
				pthread_mutex_unlock(&c->c_mtx);
				rumpuser__sp_reading = true;
				worker_call(w);
				pthread_mutex_lock(&c->c_mtx);
				c->c_ncalls--;
				if (rumpuser__sp_reading) {
					/* Never blocked: still the reader. */
					rumpuser__sp_reading = false;
					c->c_reading = false;
				}
			} else if (rv == 2)
				;	/* another worker reads now */
			else if (rv != 0)
				conn_die(c);
			else
				c->c_reading = false;
			continue;
		}
		if (c->c_nidle >= SP_MAXIDLE)
			break;
		w->w_idle = true;
		c->c_nidle++;
		SLIST_INSERT_HEAD(&c->c_idle, w, w_idlelink);
		while (w->w_idle && !c->c_dead)
			pthread_cond_wait(&w->w_cv, &c->c_mtx);
	}
	if (w->w_idle) {
		SLIST_REMOVE(&c->c_idle, w, sp_worker, w_idlelink);
		c->c_nidle--;
	}
	last = --c->c_nworkers == 0;
	pthread_mutex_unlock(&c->c_mtx);

	if (bound)
		spu->sp_lwp_exit();
	sp_curworker = NULL;
	pthread_cond_destroy(&w->w_cv);
	free(w->w_attbuf);
	free(w);
	if (last)
		conn_free(c);
	return NULL;
}

/*
 * Copies
 */

/* Ask the client for len bytes (or a string) at uaddr; kernel errno. */
static int
copy_request(struct sp_worker *w, uint64_t uaddr, void *dst, size_t len,
    bool str, size_t *gotp)
{
	struct sp_conn *c = w->w_conn;
	struct timespec deadline;
	struct sp_copyin ci;
	struct iovec iov;
	int error;

	/* Someone else must read the reply. */
	RUMPUSER_WILLBLOCK();
	pthread_mutex_lock(&c->c_mtx);
	if (c->c_dead) {
		pthread_mutex_unlock(&c->c_mtx);
		return KERR(EFAULT);
	}
	w->w_ctag = ++c->c_nexttag;
	w->w_cdst = dst;
	w->w_clen = len;
	w->w_cstr = str;
	w->w_cdone = false;
	w->w_cerror = 0;
	w->w_cgot = 0;
	TAILQ_INSERT_TAIL(&c->c_copies, w, w_copylink);
	pthread_mutex_unlock(&c->c_mtx);

	memset(&ci, 0, sizeof(ci));
	ci.sc_addr = uaddr;
	ci.sc_len = (uint32_t)len;
	ci.sc_str = str;
	iov.iov_base = &ci;
	iov.iov_len = sizeof(ci);
	error = conn_send(c, SP_COPYIN, w->w_ctag, &iov, 1);

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += SP_STALL;
	pthread_mutex_lock(&c->c_mtx);
	while (error == 0 && !w->w_cdone && !c->c_dead) {
		if (pthread_cond_timedwait(&w->w_cv, &c->c_mtx,
		    &deadline) == ETIMEDOUT) {
			sp_complain(c, "no answer to a copy request in %d s",
			    SP_STALL);
			(void)shutdown(c->c_fd, SHUT_RDWR);
			break;
		}
	}
	TAILQ_REMOVE(&c->c_copies, w, w_copylink);
	if (error != 0 || !w->w_cdone)
		error = KERR(EFAULT);
	else
		error = w->w_cerror;
	*gotp = w->w_cgot;
	w->w_cdone = true;
	pthread_mutex_unlock(&c->c_mtx);
	return error;
}

/* The attached piece holding [uaddr, uaddr + len), or NULL. */
static const char *
attached(struct sp_worker *w, uint64_t uaddr, size_t len)
{
	unsigned i;

	for (i = 0; i < w->w_natt; i++)
		if (uaddr >= w->w_att[i].addr && len <= w->w_att[i].len &&
		    uaddr - w->w_att[i].addr <= w->w_att[i].len - len)
			return w->w_attbuf + w->w_att[i].off +
			    (uaddr - w->w_att[i].addr);
	return NULL;
}

int
rumpuser_sp_copyin(const void *uaddr, void *kaddr, size_t len)
{
	struct sp_worker *w = sp_curworker;
	uint64_t a = (uint64_t)(uintptr_t)uaddr;
	const char *p;
	size_t n, got;
	int error;

	if (w == NULL)
		return KERR(EFAULT);
	if ((p = attached(w, a, len)) != NULL) {
		memcpy(kaddr, p, len);
		return 0;
	}
	while (len > 0) {
		n = len < SP_MAXCOPY ? len : SP_MAXCOPY;
		if ((error = copy_request(w, a, kaddr, n, false, &got)) != 0)
			return error;
		a += n;
		kaddr = (char *)kaddr + n;
		len -= n;
	}
	return 0;
}

int
rumpuser_sp_copyinstr(const void *uaddr, void *kaddr, size_t len,
    size_t *done)
{
	struct sp_worker *w = sp_curworker;
	uint64_t a = (uint64_t)(uintptr_t)uaddr;
	const char *p;
	size_t n, got = 0;
	int error;

	if (w == NULL)
		return KERR(EFAULT);
	if (len == 0)
		return KERR(ENAMETOOLONG);
	/* From an attached string: it must end within the piece. */
	for (n = 1; n <= len && (p = attached(w, a, n)) != NULL; n++) {
		if (p[n - 1] == '\0') {
			memcpy(kaddr, p, n);
			if (done != NULL)
				*done = n;
			return 0;
		}
	}
	n = len < SP_MAXCOPY ? len : SP_MAXCOPY;
	error = copy_request(w, a, kaddr, n, true, &got);
	if (error == 0 && done != NULL)
		*done = got;
	return error;
}

int
rumpuser_sp_copyout(const void *kaddr, void *uaddr, size_t len)
{
	struct sp_worker *w = sp_curworker;
	uint64_t a = (uint64_t)(uintptr_t)uaddr;
	struct iovec iov[2];
	size_t n;

	if (w == NULL)
		return KERR(EFAULT);
	while (len > 0) {
		if (__atomic_load_n(&w->w_conn->c_dead, __ATOMIC_RELAXED))
			return KERR(EFAULT);
		n = len < SP_MAXCOPY ? len : SP_MAXCOPY;
		iov[0].iov_base = &a;
		iov[0].iov_len = sizeof(a);
		iov[1].iov_base = (void *)(uintptr_t)kaddr;
		iov[1].iov_len = n;
		if (conn_send(w->w_conn, SP_COPYOUT, w->w_tag, iov, 2) != 0)
			return KERR(EFAULT);
		a += n;
		kaddr = (const char *)kaddr + n;
		len -= n;
	}
	return 0;
}

/*
 * Listening
 */

static void *
listener_main(void *arg)
{
	struct pollfd pfd;
	struct sp_conn *c;
	int fd;

	(void)arg;
	for (;;) {
		/* Once a second at least: preforks whose child never came. */
		pfd.fd = sp_lfd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 1000) == 0) {
			pthread_mutex_lock(&sp_mtx);
			if (!sp_stopping)
				prefork_expire();
			pthread_mutex_unlock(&sp_mtx);
			continue;
		}
		fd = accept4(sp_lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0) {
			struct timeval tv = { SP_STALL, 0 };
			int one = 1;

			(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv,
			    sizeof(tv));
			(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
			    sizeof(one));
		}
		pthread_mutex_lock(&sp_mtx);
		if (sp_stopping) {
			pthread_mutex_unlock(&sp_mtx);
			if (fd >= 0)
				close(fd);
			break;
		}
		if (fd < 0) {
			pthread_mutex_unlock(&sp_mtx);
			if (errno != EINTR && errno != ECONNABORTED)
				rumpuser__msleep(10);	/* EMFILE: wait */
			continue;
		}
		if (sp_nconns >= SP_MAXCONN ||
		    (c = calloc(1, sizeof(*c))) == NULL) {
			pthread_mutex_unlock(&sp_mtx);
			close(fd);
			continue;
		}
		c->c_fd = fd;
		c->c_pid = -1;
		pthread_mutex_init(&c->c_mtx, NULL);
		pthread_mutex_init(&c->c_sendmtx, NULL);
		SLIST_INIT(&c->c_idle);
		TAILQ_INIT(&c->c_copies);
		LIST_INSERT_HEAD(&sp_conns, c, c_link);
		sp_nconns++;
		pthread_mutex_unlock(&sp_mtx);
		pthread_mutex_lock(&c->c_mtx);
		if (!conn_spawn(c)) {
			pthread_mutex_unlock(&c->c_mtx);
			conn_free(c);
			continue;
		}
		pthread_mutex_unlock(&c->c_mtx);
	}
	return NULL;
}

/*
 * A unix socket left behind by a server that is gone (nobody accepts
 * on it) is removed; true if it was.
 */
static bool
stale_socket(const struct sockaddr_storage *ss, socklen_t salen)
{
	const struct sockaddr_un *sun = (const struct sockaddr_un *)ss;
	struct stat st;
	bool stale;
	int fd;

	if (lstat(sun->sun_path, &st) == -1 || !S_ISSOCK(st.st_mode) ||
	    (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return false;
	stale = connect(fd, (const struct sockaddr *)ss, salen) == -1 &&
	    errno == ECONNREFUSED;
	close(fd);
	if (stale && unlink(sun->sun_path) == -1)
		stale = false;
	errno = EADDRINUSE;
	return stale;
}

int
rumpuser_sp_init(const char *url, const struct rumpuser_sp_upcalls *upcalls)
{
	struct sockaddr_storage ss;
	char why[160];
	socklen_t salen;
	int domain, fd = -1, error, one = 1;
	long n;

	if ((error = sp_parseurl(url, &ss, &salen, &domain, why,
	    sizeof(why))) != 0) {
		rumpuser__printf("rump_sp: %s\n", why);
		return KERR(error);
	}
	pthread_mutex_lock(&sp_mtx);
	if (spu != NULL) {
		pthread_mutex_unlock(&sp_mtx);
		return KERR(EBUSY);
	}
	spu = upcalls;
	pthread_mutex_unlock(&sp_mtx);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	sp_maxspin = n > 2 ? (unsigned)n - 1 : 1;

	if ((fd = socket(domain, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		goto fail;
	if (domain == AF_INET)
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
		    sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, salen) == -1) {
		if (errno != EADDRINUSE || domain != AF_UNIX ||
		    !stale_socket(&ss, salen) ||
		    bind(fd, (struct sockaddr *)&ss, salen) == -1)
			goto fail;
	}
	if (listen(fd, 128) == -1)
		goto fail;
	if (domain == AF_UNIX)
		strcpy(sp_unixpath, ((struct sockaddr_un *)&ss)->sun_path);
	sp_lfd = fd;
	if ((error = rumpuser__thread_spawn(listener_main, NULL, "rump_spl",
	    0, NULL)) != 0) {
		errno = error;
		goto fail;
	}
	return 0;
fail:
	error = errno;
	rumpuser__printf("rump_sp: cannot serve at %s: %s\n", url,
	    strerror(error));
	if (fd != -1)
		close(fd);
	sp_lfd = -1;
	sp_unixpath[0] = '\0';
	pthread_mutex_lock(&sp_mtx);
	spu = NULL;
	pthread_mutex_unlock(&sp_mtx);
	return KERR(error);
}

void
rumpuser_sp_fini(void)
{
	struct sp_prefork *pf;
	struct sp_conn *c;

	pthread_mutex_lock(&sp_mtx);
	if (spu == NULL || sp_stopping) {
		pthread_mutex_unlock(&sp_mtx);
		return;
	}
	sp_stopping = true;
	(void)shutdown(sp_lfd, SHUT_RDWR);
	if (sp_unixpath[0] != '\0')
		(void)unlink(sp_unixpath);
	LIST_FOREACH(c, &sp_conns, c_link)
		(void)shutdown(c->c_fd, SHUT_RDWR);
	/*
	 * The kernel is halting and we run inside it: forget the preforks
	 * (no upcalls now); the halt lets go of their processes' files.
	 */
	while ((pf = LIST_FIRST(&sp_preforks)) != NULL) {
		LIST_REMOVE(pf, pf_link);
		free(pf);
	}
	sp_npreforks = 0;
	pthread_mutex_unlock(&sp_mtx);
}
