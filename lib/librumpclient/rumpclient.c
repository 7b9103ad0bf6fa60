/*
 * librumpclient: rump_syscall() in another process (host code).  The
 * generated rump_sys_*() stubs and the ABI translation module are the
 * same as a local kernel's; here rump_syscall() sends the call over the
 * connection, serves the server's copy requests from this process'
 * memory while it runs, and returns the kernel's result.  The wire
 * format is in lib/librumpuser/sp_wire.h.
 *
 * Threads.  Any number may have a call in flight.  One at a time reads
 * the socket (the reader) and hands each reply to the thread waiting
 * for it; copy requests it serves itself.  When the reader's own reply
 * has come it wakes another waiter to read on.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <valgrind/memcheck.h>

#include <rump/rump.h>
#include <rump/rumpclient.h>

#include "kabi.h"
#include "rumpclient_calls.h"
#include "rumpuser_abi.h"
#include "sp_wire.h"

#define EXECFD_ENV	"RUMPCLIENT__EXECFD"
/* rc_call(): the connection is gone (a kernel errno is >= 0). */
#define LOST		(-1)

/* A request waiting for its reply. */
struct rc_wait {
	uint64_t	w_tag;
	int		w_type;		/* the reply expected */
	unsigned	w_gen;		/* of the connection it was sent on */
	bool		w_done;
	bool		w_fault;	/* a copy-out failed: EFAULT */
	struct sp_result w_res;
	void		*w_extra;	/* bytes after the result, */
	size_t		w_extralen;	/* exactly this many */
	pthread_cond_t	w_cv;
	TAILQ_ENTRY(rc_wait) w_link;
};

static struct {
	pthread_mutex_t	mtx;		/* everything below */
	pthread_mutex_t	sendmtx;	/* one message at a time */
	pthread_mutex_t	connmtx;	/* one connect at a time */
	int		fd;		/* -1: none */
	bool		reading;
	pthread_cond_t	idlecv;		/* reading went false */
	unsigned	gen;		/* connections made */
	uint64_t	nexttag;
	TAILQ_HEAD(, rc_wait) waits;
	struct sp_rbuf	rbuf;		/* the reader's */
	pid_t		pid;		/* in the kernel */
	int		retry;		/* rumpclient_setconnretry() */
	bool		forked;		/* plain fork(): no connection */
} rc = {
	.mtx = PTHREAD_MUTEX_INITIALIZER,
	.sendmtx = PTHREAD_MUTEX_INITIALIZER,
	.connmtx = PTHREAD_MUTEX_INITIALIZER,
	.idlecv = PTHREAD_COND_INITIALIZER,
	.fd = -1,
	.waits = TAILQ_HEAD_INITIALIZER(rc.waits),
	.pid = -1,
};

static pthread_once_t rc_once = PTHREAD_ONCE_INIT;

/*
 * The connection broke (rc.mtx held): every waiter fails.  The socket
 * stays open until no thread can be using it (the next connect).
 */
static void
rc_die(void)
{
	struct rc_wait *w;

	if (rc.fd != -1)
		(void)shutdown(rc.fd, SHUT_RDWR);
	TAILQ_FOREACH(w, &rc.waits, w_link)
		pthread_cond_signal(&w->w_cv);
	rc.pid = -1;
}

/*
 * This process' own memory, read and written so that a bad address is
 * EFAULT, not a crash: process_vm_readv()/writev() on ourselves, or
 * plain copies where the host does not allow those.
 */
static bool vm_plain;

static int
vm_copy(void *dst, const void *src, size_t len, bool toclient, size_t *donep)
{
	struct iovec l, r;
	ssize_t n;

	*donep = 0;
	if (len == 0)
		return 0;
	if (!__atomic_load_n(&vm_plain, __ATOMIC_RELAXED)) {
		l.iov_base = toclient ? (void *)(uintptr_t)src : dst;
		l.iov_len = len;
		r.iov_base = toclient ? dst : (void *)(uintptr_t)src;
		r.iov_len = len;
		n = toclient ? process_vm_writev(getpid(), &l, 1, &r, 1, 0) :
		    process_vm_readv(getpid(), &l, 1, &r, 1, 0);
		if (n >= 0) {
			/* memcheck does not see this write to our memory. */
			if (toclient)
				VALGRIND_MAKE_MEM_DEFINED(dst, (size_t)n);
			*donep = (size_t)n;
			return (size_t)n == len ? 0 : EFAULT;
		}
		if (errno == EFAULT)
			return EFAULT;
		__atomic_store_n(&vm_plain, true, __ATOMIC_RELAXED);
	}
	if (src == NULL || dst == NULL)
		return EFAULT;
	memcpy(dst, src, len);
	*donep = len;
	return 0;
}

static int
rc_send(int type, uint64_t tag, const struct iovec *iov, int n)
{
	int error;

	pthread_mutex_lock(&rc.sendmtx);
	error = rc.fd == -1 ? ENOTCONN : sp_send(rc.fd, type, tag, iov, n);
	pthread_mutex_unlock(&rc.sendmtx);
	return error;
}

/* Serve the server's request to read our memory. */
static int
serve_copyin(uint64_t tag, const void *body)
{
	struct sp_copyin ci;
	struct sp_result r;
	struct iovec iov[2];
	size_t got = 0;
	char *buf;
	int error;

	memcpy(&ci, body, sizeof(ci));
	if (ci.sc_len > SP_MAXCOPY)
		return EPROTO;
	if ((buf = malloc(ci.sc_len > 0 ? ci.sc_len : 1)) == NULL)
		return ENOMEM;
	memset(&r, 0, sizeof(r));
	error = vm_copy(buf, (const void *)(uintptr_t)ci.sc_addr, ci.sc_len,
	    false, &got);
	if (ci.sc_str) {
		/* A string ends at its NUL; a fault after it is no matter. */
		char *nul = memchr(buf, '\0', got);

		if (nul != NULL) {
			got = (size_t)(nul - buf) + 1;
			error = 0;
		} else if (error == 0)
			error = ENAMETOOLONG;
	}
	if (error != 0) {
		r.sr_error = error == ENAMETOOLONG ? KABI_ENAMETOOLONG :
		    KABI_EFAULT;
		got = 0;
	}
	r.sr_rv[0] = (int64_t)got;
	iov[0].iov_base = &r;
	iov[0].iov_len = sizeof(r);
	iov[1].iov_base = buf;
	iov[1].iov_len = got;
	error = rc_send(SP_COPYIN_REPLY, tag, iov, got > 0 ? 2 : 1);
	free(buf);
	return error;
}

/* The waiter for tag (rc.mtx held), or NULL. */
static struct rc_wait *
find_wait(uint64_t tag)
{
	struct rc_wait *w;

	TAILQ_FOREACH(w, &rc.waits, w_link)
		if (w->w_tag == tag && !w->w_done)
			return w;
	return NULL;
}

/* Read and act on one message as the reader: 0 or a host errno. */
static int
rc_read(void)
{
	struct rc_wait *w;
	struct sp_hdr h;
	uint64_t addr;
	size_t len, done;
	void *body;
	int error;

	if ((error = sp_recv(rc.fd, &rc.rbuf, &h, &body, &len, true)) != 0)
		return error;
	switch (h.sh_type) {
	case SP_COPYIN:
		return serve_copyin(h.sh_tag, body);
	case SP_COPYOUT:
		memcpy(&addr, body, sizeof(addr));
		error = vm_copy((void *)(uintptr_t)addr,
		    (char *)body + sizeof(addr), len - sizeof(addr), true, &done);
		if (error != 0) {
			pthread_mutex_lock(&rc.mtx);
			if ((w = find_wait(h.sh_tag)) != NULL)
				w->w_fault = true;
			pthread_mutex_unlock(&rc.mtx);
		}
		return 0;
	case SP_SYSCALL_REPLY:
	case SP_HANDSHAKE_REPLY:
	case SP_PREFORK_REPLY:
		pthread_mutex_lock(&rc.mtx);
		w = find_wait(h.sh_tag);
		if (w == NULL || w->w_type != h.sh_type ||
		    len != sizeof(w->w_res) + w->w_extralen) {
			pthread_mutex_unlock(&rc.mtx);
			return EPROTO;
		}
		memcpy(&w->w_res, body, sizeof(w->w_res));
		memcpy(w->w_extra, (char *)body + sizeof(w->w_res),
		    w->w_extralen);
		w->w_done = true;
		pthread_cond_signal(&w->w_cv);
		pthread_mutex_unlock(&rc.mtx);
		return 0;
	}
	return EPROTO;
}

/*
 * Send a request and wait for its reply of type `reply' (with extralen
 * more bytes into extra).  Returns a kernel errno: the reply's, or
 * EFAULT after a failed copy-out; or LOST when the connection is gone.
 */
static int
rc_call(int type, const struct iovec *iov, int n, int reply, int64_t *rv,
    void *extra, size_t extralen)
{
	struct rc_wait w, *o;
	int error;

	memset(&w, 0, sizeof(w));
	pthread_cond_init(&w.w_cv, NULL);
	w.w_type = reply;
	w.w_extra = extra;
	w.w_extralen = extralen;
	pthread_mutex_lock(&rc.mtx);
	if (rc.pid == -1) {
		pthread_mutex_unlock(&rc.mtx);
		pthread_cond_destroy(&w.w_cv);
		return LOST;
	}
	w.w_tag = ++rc.nexttag;
	w.w_gen = rc.gen;
	TAILQ_INSERT_TAIL(&rc.waits, &w, w_link);
	pthread_mutex_unlock(&rc.mtx);

	error = rc_send(type, w.w_tag, iov, n);

	pthread_mutex_lock(&rc.mtx);
	if (error != 0 && rc.gen == w.w_gen)
		rc_die();
	/* A reply can only come on the connection the call went out on. */
	while (!w.w_done && rc.pid != -1 && rc.gen == w.w_gen) {
		if (rc.reading) {
			pthread_cond_wait(&w.w_cv, &rc.mtx);
			continue;
		}
		rc.reading = true;
		pthread_mutex_unlock(&rc.mtx);
		error = rc_read();
		pthread_mutex_lock(&rc.mtx);
		rc.reading = false;
		pthread_cond_broadcast(&rc.idlecv);
		if (error != 0) {
			rc_die();
			break;
		}
	}
	TAILQ_REMOVE(&rc.waits, &w, w_link);
	/* Someone else must read on. */
	if (!rc.reading)
		TAILQ_FOREACH(o, &rc.waits, w_link)
			if (!o->w_done) {
				pthread_cond_signal(&o->w_cv);
				break;
			}
	pthread_mutex_unlock(&rc.mtx);
	pthread_cond_destroy(&w.w_cv);

	if (!w.w_done)
		return LOST;
	if (rv != NULL) {
		rv[0] = w.w_res.sr_rv[0];
		rv[1] = w.w_res.sr_rv[1];
	}
	if (w.w_res.sr_error == 0 && w.w_fault)
		return KABI_EFAULT;
	return w.w_res.sr_error;
}

/*
 * Connecting
 */

/* The handshake on a fresh connection (no other thread uses it yet). */
static int
rc_handshake(int kind, const struct sp_cookie *cookie)
{
	struct sp_handshake hs;
	struct iovec iov;
	int64_t rv[2];
	int error;

	memset(&hs, 0, sizeof(hs));
	hs.hs_magic = SP_MAGIC;
	hs.hs_version = SP_VERSION;
	hs.hs_abi = SP_ABI;
	hs.hs_kind = (uint32_t)kind;
	if (cookie != NULL)
		hs.hs_cookie = *cookie;
	strncpy(hs.hs_comm, program_invocation_short_name,
	    sizeof(hs.hs_comm) - 1);
	iov.iov_base = &hs;
	iov.iov_len = sizeof(hs);
	/* rc_call() wants a live connection: say so for the handshake. */
	pthread_mutex_lock(&rc.mtx);
	rc.pid = 0;
	pthread_mutex_unlock(&rc.mtx);
	error = rc_call(SP_HANDSHAKE, &iov, 1, SP_HANDSHAKE_REPLY, rv, NULL, 0);
	if (error == LOST)
		error = KABI_ECONNRESET;
	pthread_mutex_lock(&rc.mtx);
	rc.pid = error == 0 ? (pid_t)rv[0] : -1;
	pthread_mutex_unlock(&rc.mtx);
	return error;
}

/*
 * Move the connection's descriptor out of the way of the program's own
 * (shells move low numbers about): near the top of what it may open.
 */
static int
rc_highfd(int fd)
{
	struct rlimit rl;
	rlim_t top = 1024;
	int hi;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < top)
		top = rl.rlim_cur;
	if (top <= 64 || (hi = fcntl(fd, F_DUPFD_CLOEXEC, (int)top - 64)) == -1)
		return fd;
	close(fd);
	return hi;
}

/* Replace the connection with a new one (rc.connmtx held); host errno. */
static int
rc_connect(int kind, const struct sp_cookie *cookie)
{
	struct sockaddr_storage ss;
	const char *url;
	char why[160], cwd[4096], abs[4200];
	socklen_t salen;
	int domain, fd, error;

	if ((url = getenv("RUMP_SERVER")) == NULL) {
		fprintf(stderr, "rumpclient: RUMP_SERVER is not set\n");
		return EINVAL;
	}
	/*
	 * A relative socket path is made absolute once, in the environment
	 * too: children connect from wherever they have gone meanwhile.
	 */
	if (strncmp(url, "unix://", 7) == 0 && url[7] != '/' &&
	    getcwd(cwd, sizeof(cwd)) != NULL &&
	    snprintf(abs, sizeof(abs), "unix://%s/%s", cwd, url + 7) <
	    (int)sizeof(abs) && setenv("RUMP_SERVER", abs, 1) == 0)
		url = getenv("RUMP_SERVER");
	if ((error = sp_parseurl(url, &ss, &salen, &domain, why,
	    sizeof(why))) != 0) {
		fprintf(stderr, "rumpclient: %s\n", why);
		return error;
	}
	if ((fd = socket(domain, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return errno;
	while (connect(fd, (struct sockaddr *)&ss, salen) == -1) {
		if (errno != EINTR) {
			error = errno;
			close(fd);
			return error;
		}
	}
	if (domain == AF_INET)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 },
		    sizeof(int));
	fd = rc_highfd(fd);
	pthread_mutex_lock(&rc.mtx);
	/* A reader of the old connection must be done with it first. */
	while (rc.reading)
		pthread_cond_wait(&rc.idlecv, &rc.mtx);
	if (rc.fd != -1)
		close(rc.fd);
	rc.fd = fd;
	rc.gen++;
	sp_rbuf_free(&rc.rbuf);
	rc.forked = false;
	pthread_mutex_unlock(&rc.mtx);
	if ((error = rc_handshake(kind, cookie)) != 0)
		return rumpuser_abi_errno_tohost(error);
	return 0;
}

/* After exec: the connection the old program left us, if any. */
static int
rc_inherit(void)
{
	const char *s = getenv(EXECFD_ENV);
	char *ep;
	long fd;
	int error;

	if (s == NULL)
		return ENOENT;
	errno = 0;
	fd = strtol(s, &ep, 10);
	(void)unsetenv(EXECFD_ENV);
	if (*s == '\0' || *ep != '\0' || errno != 0 || fd < 0 ||
	    fd > INT32_MAX || fcntl((int)fd, F_SETFD, FD_CLOEXEC) == -1)
		return EBADF;
	pthread_mutex_lock(&rc.mtx);
	rc.fd = (int)fd;
	pthread_mutex_unlock(&rc.mtx);
	if ((error = rc_handshake(SP_HS_EXEC, NULL)) != 0)
		return rumpuser_abi_errno_tohost(error);
	return 0;
}

/* A plain fork(): the child must not use the parent's connection. */
static void
rc_atfork_child(void)
{

	pthread_mutex_init(&rc.mtx, NULL);
	pthread_mutex_init(&rc.sendmtx, NULL);
	pthread_mutex_init(&rc.connmtx, NULL);
	pthread_cond_init(&rc.idlecv, NULL);
	if (rc.fd != -1)
		close(rc.fd);
	rc.fd = -1;
	rc.pid = -1;
	rc.reading = false;
	rc.forked = true;
	TAILQ_INIT(&rc.waits);
	sp_rbuf_free(&rc.rbuf);
}

/* Each thread's buffer for what its calls send along (rc_attach()). */
static pthread_key_t rc_attkey;

static char *
rc_attbuf(void)
{
	char *buf = pthread_getspecific(rc_attkey);

	if (buf == NULL && (buf = malloc(SP_MAXCOPY)) != NULL &&
	    pthread_setspecific(rc_attkey, buf) != 0) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

static void
rc_setup(void)
{

	(void)pthread_key_create(&rc_attkey, free);
	(void)pthread_atfork(NULL, NULL, rc_atfork_child);
}

/* Connect if there is no connection and the policy allows. */
static int
rc_ensure(void)
{
	struct timespec start, now;
	int error;

	pthread_once(&rc_once, rc_setup);
	if (__atomic_load_n(&rc.pid, __ATOMIC_RELAXED) != -1)
		return 0;
	if (rc.forked || rc.retry == 0)
		return ENOTCONN;
	clock_gettime(CLOCK_MONOTONIC, &start);
	pthread_mutex_lock(&rc.connmtx);
	while (rc.pid == -1) {
		if ((error = rc_connect(SP_HS_NEW, NULL)) == 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (rc.retry > 0 && now.tv_sec - start.tv_sec >= rc.retry) {
			pthread_mutex_unlock(&rc.connmtx);
			return ENOTCONN;
		}
		usleep(100000);
	}
	pthread_mutex_unlock(&rc.connmtx);
	return 0;
}

/*
 * The public calls
 */

int
rumpclient_init(void)
{
	int error, saved = errno;

	pthread_once(&rc_once, rc_setup);
	pthread_mutex_lock(&rc.connmtx);
	if (rc.pid != -1)
		error = 0;
	else if ((error = rc_inherit()) == ENOENT)
		error = rc_connect(SP_HS_NEW, NULL);
	pthread_mutex_unlock(&rc.connmtx);
	if (error != 0) {
		errno = error;
		return -1;
	}
	errno = saved;
	return 0;
}

int
rump_init(void)
{

	return rumpclient_init() == 0 ? 0 : errno;
}

/*
 * The memory call num will read (rc_callin[], generated from
 * syscalls.master), copied into buf (SP_MAXCOPY bytes) and described
 * by iov[] for the message: a struct sp_attach, the bytes, padding.
 * Returns the number of iovecs; what does not fit, or cannot be read
 * (a bad address: the server's copy-in will then say EFAULT), stays
 * behind for the server to ask for.
 */
static int
rc_attach(int num, const int64_t *args, unsigned nargs, char *buf,
    struct sp_attach *att, struct iovec *iov, uint16_t *nattp)
{
	static const char zero[8];
	const struct rc_callin *ci;
	const struct rc_in *in;
	size_t off = 0, len, got;
	unsigned i;
	int n = 0;
	char *nul;

	*nattp = 0;
	if (num < 0 || (unsigned)num >= rc_ncallin)
		return 0;
	ci = &rc_callin[num];
	for (i = 0; i < ci->rc_n && i < 3; i++) {
		in = &ci->rc_in[i];
		if ((unsigned)in->rci_slot >= nargs || args[in->rci_slot] == 0)
			continue;
		switch (in->rci_kind) {
		case RC_IN_STR:
			len = 4096;
			break;
		case RC_IN_BUF:
			if (in->rci_len < 0 || (unsigned)in->rci_len >= nargs)
				continue;
			len = (size_t)(uint64_t)args[in->rci_len];
			break;
		default:
			len = in->rci_size;
			break;
		}
		if (len == 0 || len > SP_MAXCOPY - off) {
			if (in->rci_kind != RC_IN_STR)
				continue;
			len = SP_MAXCOPY - off;
		}
		(void)vm_copy(buf + off, (const void *)(uintptr_t)
		    args[in->rci_slot], len, false, &got);
		if (in->rci_kind == RC_IN_STR) {
			/* Up to and with the NUL; a fault after it is fine. */
			if ((nul = memchr(buf + off, '\0', got)) == NULL)
				continue;
			got = (size_t)(nul - (buf + off)) + 1;
		} else if (got != len)
			continue;
		att[*nattp].sa_addr = (uint64_t)args[in->rci_slot];
		att[*nattp].sa_len = (uint32_t)got;
		att[*nattp].sa_spare = 0;
		iov[n].iov_base = &att[*nattp];
		iov[n++].iov_len = sizeof(att[0]);
		iov[n].iov_base = buf + off;
		iov[n++].iov_len = got;
		iov[n].iov_base = (void *)(uintptr_t)zero;
		iov[n++].iov_len = ((got + 7) & ~(size_t)7) - got;
		off += (got + 7) & ~(size_t)7;
		(*nattp)++;
	}
	return n;
}

int
rump_syscall(int num, void *args, size_t argsize, int64_t *retval)
{
	struct sp_attach att[3];
	struct sp_syscall sc;
	struct iovec iov[2 + 3 * 3];
	char *buf;
	int error, n, saved = errno;

	if (rc_ensure() != 0)
		return KABI_ENOTCONN;
	if (argsize > SP_MAXARGS * sizeof(int64_t) ||
	    argsize % sizeof(int64_t) != 0)
		return KABI_EINVAL;
	memset(&sc, 0, sizeof(sc));
	sc.sc_num = num;
	sc.sc_nargs = (uint16_t)(argsize / sizeof(int64_t));
	iov[0].iov_base = &sc;
	iov[0].iov_len = sizeof(sc);
	iov[1].iov_base = args;
	iov[1].iov_len = argsize;
	n = 2;
	if (num >= 0 && (unsigned)num < rc_ncallin &&
	    rc_callin[num].rc_n > 0 && (buf = rc_attbuf()) != NULL)
		n += rc_attach(num, args, sc.sc_nargs, buf, att, &iov[2],
		    &sc.sc_natt);
	error = rc_call(SP_SYSCALL, iov, n, SP_SYSCALL_REPLY, retval, NULL, 0);
	/* With a retry policy, a new connection gets the call again. */
	if (error == LOST && rc.retry != 0 && rc_ensure() == 0)
		error = rc_call(SP_SYSCALL, iov, n, SP_SYSCALL_REPLY, retval,
		    NULL, 0);
	if (error == LOST)
		error = KABI_ENOTCONN;
	/* The polling leaves EAGAIN behind: a call that works keeps errno. */
	errno = saved;
	return error;
}

pid_t
rumpclient_fork(void)
{
	struct sp_cookie cookie;
	pid_t pid;
	int error;

	if ((error = rc_ensure()) == 0) {
		error = rc_call(SP_PREFORK, NULL, 0, SP_PREFORK_REPLY, NULL,
		    &cookie, sizeof(cookie));
		if (error == LOST)
			error = KABI_ENOTCONN;
		error = rumpuser_abi_errno_tohost(error);
	}
	if (error != 0) {
		errno = error;
		return -1;
	}
	/* Nobody may hold the locks across fork(). */
	pthread_mutex_lock(&rc.connmtx);
	pid = fork();
	if (pid != 0) {
		pthread_mutex_unlock(&rc.connmtx);
		return pid;
	}
	/* The child: rc_atfork_child() has let the parent's go. */
	if ((error = rc_connect(SP_HS_FORK, &cookie)) != 0) {
		fprintf(stderr, "rumpclient: the child of fork() has no "
		    "connection: %s\n", strerror(error));
		pthread_mutex_lock(&rc.mtx);
		rc.pid = -1;
		pthread_mutex_unlock(&rc.mtx);
	}
	return 0;
}

int
rumpclient_exec(const char *path, char *const argv[], char *const envp[])
{
	char **env, buf[sizeof(EXECFD_ENV) + 16];
	size_t n, i, j;
	int fd = rumpclient_fd(), error;

	if (fd == -1)
		return execve(path, argv, envp);
	for (n = 0; envp != NULL && envp[n] != NULL; n++)
		continue;
	if ((env = calloc(n + 2, sizeof(*env))) == NULL)
		return -1;
	for (i = j = 0; i < n; i++)
		if (strncmp(envp[i], EXECFD_ENV "=", sizeof(EXECFD_ENV)) != 0)
			env[j++] = envp[i];
	snprintf(buf, sizeof(buf), "%s=%d", EXECFD_ENV, fd);
	env[j] = buf;
	if (fcntl(fd, F_SETFD, 0) == -1) {
		free(env);
		return -1;
	}
	execve(path, argv, env);
	error = errno;
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	free(env);
	errno = error;
	return -1;
}

int
rumpclient_setconnretry(int seconds)
{

	if (seconds < -1) {
		errno = EINVAL;
		return -1;
	}
	rc.retry = seconds;
	return 0;
}

pid_t
rumpclient_pid(void)
{

	return __atomic_load_n(&rc.pid, __ATOMIC_RELAXED);
}

int
rumpclient_fd(void)
{
	int fd;

	pthread_mutex_lock(&rc.mtx);
	fd = rc.pid != -1 ? rc.fd : -1;
	pthread_mutex_unlock(&rc.mtx);
	return fd;
}
