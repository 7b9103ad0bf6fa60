/*
 * AF_UNIX sockets in the kernel (tests), with the host's <sys/un.h>:
 * stream sockets named in the file system (connect, accept, names,
 * half-close, EPIPE, flow control with megabytes checked), datagram
 * sockets (sender names, records, connect, a gone receiver),
 * socketpair(), the errors of bad names and wrong kinds, and threads
 * doing all of it at once.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <valgrind/valgrind.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_syscalls.h>

static struct sockaddr_un
sun_make(const char *path)
{
	struct sockaddr_un sun;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strncpy(sun.sun_path, path, sizeof(sun.sun_path) - 1);
	return sun;
}

static int
local_listen(const char *path, int type)
{
	struct sockaddr_un sun = sun_make(path);
	int s;

	ATF_REQUIRE((s = rump_sys_socket(AF_UNIX, type, 0)) != -1);
	ATF_REQUIRE_EQ_MSG(rump_sys_bind(s, (struct sockaddr *)&sun,
	    sizeof(sun)), 0, "bind %s: %s", path, strerror(errno));
	if (type == SOCK_STREAM)
		ATF_REQUIRE_EQ(rump_sys_listen(s, 5), 0);
	return s;
}

static int
local_connect(const char *path, int type)
{
	struct sockaddr_un sun = sun_make(path);
	int s;

	ATF_REQUIRE((s = rump_sys_socket(AF_UNIX, type, 0)) != -1);
	ATF_REQUIRE_EQ_MSG(rump_sys_connect(s, (struct sockaddr *)&sun,
	    sizeof(sun)), 0, "connect %s: %s", path, strerror(errno));
	return s;
}

ATF_TC_WITHOUT_HEAD(stream);
ATF_TC_BODY(stream, tc)
{
	struct sockaddr_un sun;
	struct stat st;
	socklen_t len;
	char buf[64];
	int ls, cs, as;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ls = local_listen("/sock", SOCK_STREAM);
	ATF_REQUIRE_EQ(rump_sys_stat("/sock", &st), 0);
	ATF_REQUIRE(S_ISSOCK(st.st_mode));
	cs = local_connect("/sock", SOCK_STREAM);
	ATF_REQUIRE((as = rump_sys_accept(ls, NULL, NULL)) != -1);

	/* Names: the listener's on both ends of the server side. */
	len = sizeof(sun);
	ATF_REQUIRE_EQ(rump_sys_getpeername(cs, (struct sockaddr *)&sun,
	    &len), 0);
	ATF_REQUIRE_EQ(sun.sun_family, AF_UNIX);
	ATF_REQUIRE_STREQ(sun.sun_path, "/sock");
	ATF_REQUIRE_EQ(len, offsetof(struct sockaddr_un, sun_path) + 6);
	len = sizeof(sun);
	ATF_REQUIRE_EQ(rump_sys_getsockname(as, (struct sockaddr *)&sun,
	    &len), 0);
	ATF_REQUIRE_STREQ(sun.sun_path, "/sock");
	len = sizeof(sun);
	ATF_REQUIRE_EQ(rump_sys_getsockname(cs, (struct sockaddr *)&sun,
	    &len), 0);
	ATF_REQUIRE_EQ(len, offsetof(struct sockaddr_un, sun_path));
	/* An accepted socket has its name: no other. */
	sun = sun_make("/other");
	ATF_REQUIRE_EQ(rump_sys_bind(as, (struct sockaddr *)&sun,
	    sizeof(sun)), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);

	/* Both ways, then half-close: EOF one way, the other still works. */
	ATF_REQUIRE_EQ(rump_sys_write(cs, "ping", 4), 4);
	ATF_REQUIRE_EQ(rump_sys_read(as, buf, sizeof(buf)), 4);
	ATF_REQUIRE_EQ(memcmp(buf, "ping", 4), 0);
	ATF_REQUIRE_EQ(rump_sys_write(as, "pong!", 5), 5);
	ATF_REQUIRE_EQ(rump_sys_shutdown(cs, SHUT_WR), 0);
	ATF_REQUIRE_EQ(rump_sys_read(as, buf, sizeof(buf)), 0);
	ATF_REQUIRE_EQ(rump_sys_read(cs, buf, sizeof(buf)), 5);
	ATF_REQUIRE_EQ(rump_sys_write(cs, "x", 1), -1);
	ATF_REQUIRE_EQ(errno, EPIPE);

	/* The server end goes: data still buffered, then EOF; EPIPE. */
	ATF_REQUIRE_EQ(rump_sys_write(as, "bye", 3), 3);
	ATF_REQUIRE_EQ(rump_sys_close(as), 0);
	ATF_REQUIRE_EQ(rump_sys_read(cs, buf, sizeof(buf)), 3);
	ATF_REQUIRE_EQ(rump_sys_read(cs, buf, sizeof(buf)), 0);
	rump_sys_close(cs);

	/* The listener goes: its name stays, refusing. */
	ATF_REQUIRE_EQ(rump_sys_close(ls), 0);
	sun = sun_make("/sock");
	ATF_REQUIRE((cs = rump_sys_socket(AF_UNIX, SOCK_STREAM, 0)) != -1);
	ATF_REQUIRE_EQ(rump_sys_connect(cs, (struct sockaddr *)&sun,
	    sizeof(sun)), -1);
	ATF_REQUIRE_EQ(errno, ECONNREFUSED);
	/* Unlinked and bound again. */
	ATF_REQUIRE_EQ(rump_sys_unlink("/sock"), 0);
	ls = local_listen("/sock", SOCK_STREAM);
	ATF_REQUIRE_EQ(rump_sys_connect(cs, (struct sockaddr *)&sun,
	    sizeof(sun)), 0);
	rump_sys_close(cs);
	rump_sys_close(ls);
}

struct writer {
	int		fd;
	size_t		len;
	int		error;
};

static unsigned char
pat(uint64_t off)
{

	return (unsigned char)(off * 131 + (off >> 9));
}

static void *
writer_thread(void *arg)
{
	struct writer *w = arg;
	unsigned char buf[5000];
	size_t off = 0, n, i;
	ssize_t r;

	while (off < w->len) {
		n = w->len - off < sizeof(buf) ? w->len - off : sizeof(buf);
		for (i = 0; i < n; i++)
			buf[i] = pat(off + i);
		if ((r = rump_sys_write(w->fd, buf, n)) <= 0) {
			w->error = errno;
			break;
		}
		off += (size_t)r;
		if ((size_t)r < n)
			continue;
	}
	rump_sys_close(w->fd);
	return NULL;
}

/* 16 MiB through a 64 KiB window: the writer waits for the reader. */
ATF_TC_WITHOUT_HEAD(stream_bulk);
ATF_TC_BODY(stream_bulk, tc)
{
	struct writer w = { .len = 16 << 20 };
	unsigned char buf[7000];
	struct pollfd pfd;
	pthread_t t;
	size_t off = 0, i;
	ssize_t n;
	int sv[2], sv2[2], fl;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);

	/* Non-blocking: the window fills, EAGAIN, then room again. */
	fl = rump_sys_fcntl(sv[0], F_GETFL);
	ATF_REQUIRE_EQ(rump_sys_fcntl(sv[0], F_SETFL, fl | O_NONBLOCK), 0);
	for (off = 0; (n = rump_sys_write(sv[0], buf, sizeof(buf))) > 0;)
		off += (size_t)n;
	ATF_REQUIRE_EQ(errno, EAGAIN);
	ATF_REQUIRE(off >= 32 * 1024 && off <= 1024 * 1024);
	pfd.fd = sv[0];
	pfd.events = POLLOUT;
	ATF_REQUIRE_EQ(rump_sys_poll(&pfd, 1, 0), 0);
	ATF_REQUIRE_EQ(rump_sys_read(sv[1], buf, sizeof(buf)),
	    (ssize_t)sizeof(buf));
	off -= sizeof(buf);
	ATF_REQUIRE_EQ(rump_sys_poll(&pfd, 1, 0), 1);
	while (off > sizeof(buf)) {
		ATF_REQUIRE((n = rump_sys_read(sv[1], buf, sizeof(buf))) > 0);
		off -= (size_t)n;
	}
	ATF_REQUIRE_EQ(rump_sys_fcntl(sv[0], F_SETFL, fl), 0);
	while (off > 0) {
		ATF_REQUIRE((n = rump_sys_read(sv[1], buf, off)) > 0);
		off -= (size_t)n;
	}

	/* The reader shuts down its receiving: the writer gets EPIPE. */
	ATF_REQUIRE_EQ(rump_sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv2), 0);
	ATF_REQUIRE_EQ(rump_sys_fcntl(sv2[0], F_SETFL, fl | O_NONBLOCK), 0);
	while (rump_sys_write(sv2[0], buf, sizeof(buf)) > 0)
		continue;
	ATF_REQUIRE_EQ(errno, EAGAIN);
	ATF_REQUIRE_EQ(rump_sys_shutdown(sv2[1], SHUT_RD), 0);
	ATF_REQUIRE_EQ(rump_sys_write(sv2[0], buf, sizeof(buf)), -1);
	ATF_REQUIRE_EQ(errno, EPIPE);
	rump_sys_close(sv2[0]);
	rump_sys_close(sv2[1]);

	/* Blocking, in a thread, every byte checked. */
	w.fd = sv[0];
	ATF_REQUIRE_EQ(pthread_create(&t, NULL, writer_thread, &w), 0);
	for (off = 0; (n = rump_sys_read(sv[1], buf, sizeof(buf))) > 0;
	    off += (size_t)n) {
		for (i = 0; i < (size_t)n; i++)
			if (buf[i] != pat(off + i))
				atf_tc_fail("byte %zu differs", off + i);
	}
	ATF_REQUIRE_EQ(n, 0);
	ATF_REQUIRE_EQ(pthread_join(t, NULL), 0);
	ATF_REQUIRE_EQ(w.error, 0);
	ATF_REQUIRE_EQ(off, w.len);
	rump_sys_close(sv[1]);
}

ATF_TC_WITHOUT_HEAD(dgram);
ATF_TC_BODY(dgram, tc)
{
	struct sockaddr_un sun, from;
	socklen_t len;
	char buf[64];
	int a, b, c, sv[2];

	ATF_REQUIRE_EQ(rump_init(), 0);
	a = local_listen("/a", SOCK_DGRAM);
	b = local_listen("/b", SOCK_DGRAM);

	/* To a name; the sender's name comes with it; records stay whole. */
	sun = sun_make("/b");
	ATF_REQUIRE_EQ(rump_sys_sendto(a, "one", 3, 0, (struct sockaddr *)&sun,
	    sizeof(sun)), 3);
	ATF_REQUIRE_EQ(rump_sys_sendto(a, "second", 6, 0,
	    (struct sockaddr *)&sun, sizeof(sun)), 6);
	len = sizeof(from);
	ATF_REQUIRE_EQ(rump_sys_recvfrom(b, buf, sizeof(buf), 0,
	    (struct sockaddr *)&from, &len), 3);
	ATF_REQUIRE_STREQ(from.sun_path, "/a");
	ATF_REQUIRE_EQ(rump_sys_recv(b, buf, 2, 0), 2);	/* the rest goes */
	ATF_REQUIRE_EQ(memcmp(buf, "se", 2), 0);

	/* An unnamed sender: the family alone. */
	ATF_REQUIRE((c = rump_sys_socket(AF_UNIX, SOCK_DGRAM, 0)) != -1);
	ATF_REQUIRE_EQ(rump_sys_sendto(c, "anon", 4, 0,
	    (struct sockaddr *)&sun, sizeof(sun)), 4);
	len = sizeof(from);
	ATF_REQUIRE_EQ(rump_sys_recvfrom(b, buf, sizeof(buf), 0,
	    (struct sockaddr *)&from, &len), 4);
	ATF_REQUIRE_EQ(len, offsetof(struct sockaddr_un, sun_path));

	/* Connected: send() goes there, sendto() elsewhere is EISCONN. */
	ATF_REQUIRE_EQ(rump_sys_connect(c, (struct sockaddr *)&sun,
	    sizeof(sun)), 0);
	ATF_REQUIRE_EQ(rump_sys_send(c, "conn", 4, 0), 4);
	ATF_REQUIRE_EQ(rump_sys_recv(b, buf, sizeof(buf), 0), 4);
	sun = sun_make("/a");
	ATF_REQUIRE_EQ(rump_sys_sendto(c, "x", 1, 0, (struct sockaddr *)&sun,
	    sizeof(sun)), -1);
	ATF_REQUIRE_EQ(errno, EISCONN);

	/* The receiver goes: ECONNREFUSED, once; then not connected. */
	ATF_REQUIRE_EQ(rump_sys_close(b), 0);
	ATF_REQUIRE_EQ(rump_sys_send(c, "x", 1, 0), -1);
	ATF_REQUIRE_EQ(errno, ECONNREFUSED);
	ATF_REQUIRE_EQ(rump_sys_send(c, "x", 1, 0), -1);
	ATF_REQUIRE(errno == ENOTCONN || errno == EDESTADDRREQ);

	/* A full receiver: ENOBUFS, nothing lost that was taken. */
	sun = sun_make("/a");
	for (len = 0; rump_sys_sendto(c, buf, sizeof(buf), 0,
	    (struct sockaddr *)&sun, sizeof(sun)) == sizeof(buf); len++)
		ATF_REQUIRE(len < 100000);
	ATF_REQUIRE_EQ(errno, ENOBUFS);
	for (; len > 0; len--)
		ATF_REQUIRE_EQ(rump_sys_recv(a, buf, sizeof(buf),
		    MSG_DONTWAIT), (ssize_t)sizeof(buf));
	ATF_REQUIRE_EQ(rump_sys_recv(a, buf, sizeof(buf), MSG_DONTWAIT), -1);
	ATF_REQUIRE_EQ(errno, EAGAIN);

	/* socketpair(): each end's sends go to the other. */
	ATF_REQUIRE_EQ(rump_sys_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	ATF_REQUIRE_EQ(rump_sys_send(sv[0], "p0", 2, 0), 2);
	ATF_REQUIRE_EQ(rump_sys_send(sv[1], "p1!", 3, 0), 3);
	ATF_REQUIRE_EQ(rump_sys_recv(sv[1], buf, sizeof(buf), 0), 2);
	ATF_REQUIRE_EQ(rump_sys_recv(sv[0], buf, sizeof(buf), 0), 3);
	rump_sys_close(sv[0]);
	rump_sys_close(sv[1]);
	rump_sys_close(a);
	rump_sys_close(c);
}

ATF_TC_WITHOUT_HEAD(errors);
ATF_TC_BODY(errors, tc)
{
	struct sockaddr_un sun;
	char longpath[200];
	int s, d, fd;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE((s = rump_sys_socket(AF_UNIX, SOCK_STREAM, 0)) != -1);
	/* Connecting: nothing there, a plain file, the wrong kind. */
	sun = sun_make("/nothing");
	ATF_REQUIRE_EQ(rump_sys_connect(s, (struct sockaddr *)&sun,
	    sizeof(sun)), -1);
	ATF_REQUIRE_EQ(errno, ENOENT);
	ATF_REQUIRE((fd = rump_sys_open("/file", O_CREAT | O_RDWR, 0644))
	    != -1);
	sun = sun_make("/file");
	ATF_REQUIRE_EQ(rump_sys_connect(s, (struct sockaddr *)&sun,
	    sizeof(sun)), -1);
	ATF_REQUIRE_EQ(errno, ECONNREFUSED);
	d = local_listen("/dg", SOCK_DGRAM);
	sun = sun_make("/dg");
	ATF_REQUIRE_EQ(rump_sys_connect(s, (struct sockaddr *)&sun,
	    sizeof(sun)), -1);
	ATF_REQUIRE_EQ(errno, EPROTOTYPE);
	/* Binding: a name taken, twice, a bad one; listening unbound. */
	sun = sun_make("/file");
	ATF_REQUIRE_EQ(rump_sys_bind(s, (struct sockaddr *)&sun,
	    sizeof(sun)), -1);
	ATF_REQUIRE_EQ(errno, EADDRINUSE);
	ATF_REQUIRE_EQ(rump_sys_listen(s, 5), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	sun = sun_make("/s1");
	ATF_REQUIRE_EQ(rump_sys_bind(s, (struct sockaddr *)&sun,
	    sizeof(sun)), 0);
	sun = sun_make("/s2");
	ATF_REQUIRE_EQ(rump_sys_bind(s, (struct sockaddr *)&sun,
	    sizeof(sun)), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	sun = sun_make("/nodir/s");
	ATF_REQUIRE((fd = rump_sys_socket(AF_UNIX, SOCK_DGRAM, 0)) != -1);
	ATF_REQUIRE_EQ(rump_sys_bind(fd, (struct sockaddr *)&sun,
	    sizeof(sun)), -1);
	ATF_REQUIRE_EQ(errno, ENOENT);
	memset(longpath, 'x', sizeof(longpath));
	longpath[0] = '/';
	memcpy(sun.sun_path, longpath, sizeof(sun.sun_path));
	ATF_REQUIRE_EQ(rump_sys_bind(fd, (struct sockaddr *)&sun,
	    sizeof(sun)), -1);
	ATF_REQUIRE(errno == ENAMETOOLONG || errno == EINVAL);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path + 1, "abstract", 8);	/* Linux's own */
	ATF_REQUIRE_EQ(rump_sys_bind(fd, (struct sockaddr *)&sun,
	    sizeof(sun)), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	/* No protocols of its own; no descriptor passing. */
	ATF_REQUIRE_EQ(rump_sys_socket(AF_UNIX, SOCK_STREAM, 6), -1);
	rump_sys_close(fd);
	rump_sys_close(d);
	rump_sys_close(s);
}

/* Many clients: the backlog refuses beyond itself; all accepted work. */
ATF_TC_WITHOUT_HEAD(many);
ATF_TC_BODY(many, tc)
{
	struct sockaddr_un sun = sun_make("/srv");
	int ls, cs[64], as, i, n, refused = 0;
	char c;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE((ls = rump_sys_socket(AF_UNIX, SOCK_STREAM, 0)) != -1);
	ATF_REQUIRE_EQ(rump_sys_bind(ls, (struct sockaddr *)&sun,
	    sizeof(sun)), 0);
	ATF_REQUIRE_EQ(rump_sys_listen(ls, 16), 0);
	for (n = 0; n < 64; n++) {
		ATF_REQUIRE((cs[n] = rump_sys_socket(AF_UNIX, SOCK_STREAM, 0))
		    != -1);
		if (rump_sys_connect(cs[n], (struct sockaddr *)&sun,
		    sizeof(sun)) == -1) {
			ATF_REQUIRE_EQ(errno, ECONNREFUSED);
			refused++;
			rump_sys_close(cs[n]);
			break;
		}
		c = (char)n;
		ATF_REQUIRE_EQ(rump_sys_write(cs[n], &c, 1), 1);
	}
	ATF_REQUIRE_EQ(n, 16);
	ATF_REQUIRE_EQ(refused, 1);
	for (i = 0; i < n; i++) {
		ATF_REQUIRE((as = rump_sys_accept(ls, NULL, NULL)) != -1);
		ATF_REQUIRE_EQ(rump_sys_read(as, &c, 1), 1);
		ATF_REQUIRE_EQ(c, (char)i);
		rump_sys_close(as);
		ATF_REQUIRE_EQ(rump_sys_read(cs[i], &c, 1), 0);
		rump_sys_close(cs[i]);
	}
	rump_sys_close(ls);
}

/*
 * Threads at once: clients connecting, echoing and closing against an
 * acceptor; datagram sockets binding, sending to each other and closing
 * (their names unlinked and made again); a listener closed and made
 * again under clients that connect to it.  Every exchange checked;
 * nothing may crash or leak (valgrind).
 */
#define NCLIENTS	4

static int conc_iters;

static void *
conc_acceptor(void *arg)
{
	int ls = *(int *)arg, s;
	char buf[16];
	ssize_t n;

	while ((s = rump_sys_accept(ls, NULL, NULL)) != -1) {
		if ((n = rump_sys_read(s, buf, sizeof(buf))) > 0)
			(void)rump_sys_write(s, buf, (size_t)n);
		rump_sys_close(s);
	}
	return errno == EINVAL ? NULL : (void *)1;
}

static void *
conc_client(void *arg)
{
	long id = (long)arg, bad = 0;
	struct sockaddr_un sun = sun_make("/conc");
	char out[16], in[16];
	int i, s;

	for (i = 0; i < conc_iters; i++) {
		snprintf(out, sizeof(out), "%ld:%d", id, i);
		if ((s = rump_sys_socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
			return (void *)1;
		if (rump_sys_connect(s, (struct sockaddr *)&sun,
		    sizeof(sun)) == -1) {
			/* The backlog is full: again. */
			rump_sys_close(s);
			if (errno != ECONNREFUSED)
				return (void *)1;
			usleep(1000);
			i--;
			continue;
		}
		memset(in, 0, sizeof(in));
		if (rump_sys_write(s, out, strlen(out)) != (ssize_t)strlen(out) ||
		    rump_sys_read(s, in, sizeof(in)) != (ssize_t)strlen(out) ||
		    strcmp(in, out) != 0)
			bad++;
		rump_sys_close(s);
	}
	return (void *)bad;
}

static void *
conc_dgram(void *arg)
{
	long id = (long)arg;
	struct sockaddr_un me, peer;
	char path[32], buf[8];
	int i, s;

	for (i = 0; i < conc_iters; i++) {
		snprintf(path, sizeof(path), "/dg%ld", id);
		(void)rump_sys_unlink(path);
		me = sun_make(path);
		snprintf(path, sizeof(path), "/dg%ld", id ^ 1);
		peer = sun_make(path);
		if ((s = rump_sys_socket(AF_UNIX, SOCK_DGRAM, 0)) == -1 ||
		    rump_sys_bind(s, (struct sockaddr *)&me, sizeof(me)) == -1)
			return (void *)1;
		/* The peer may be gone or not yet there: any answer but a crash. */
		(void)rump_sys_sendto(s, "d", 1, 0, (struct sockaddr *)&peer,
		    sizeof(peer));
		(void)rump_sys_recv(s, buf, sizeof(buf), MSG_DONTWAIT);
		rump_sys_close(s);
	}
	return NULL;
}

static void *
conc_relisten(void *arg)
{
	struct sockaddr_un sun = sun_make("/flip");
	int i, s, c;

	for (i = 0; i < conc_iters; i++) {
		(void)rump_sys_unlink("/flip");
		if ((s = rump_sys_socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
		    rump_sys_bind(s, (struct sockaddr *)&sun, sizeof(sun)) ==
		    -1 || rump_sys_listen(s, 2) == -1)
			return (void *)1;
		/* Someone connects; the listener closes with it queued. */
		if ((c = rump_sys_socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
			return (void *)1;
		(void)rump_sys_connect(c, (struct sockaddr *)&sun, sizeof(sun));
		rump_sys_close(s);
		(void)rump_sys_write(c, "x", 1);
		rump_sys_close(c);
	}
	return NULL;
}

ATF_TC(concurrent);
ATF_TC_HEAD(concurrent, tc)
{

	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(concurrent, tc)
{
	pthread_t acc, cl[NCLIENTS], dg[2], rl;
	void *ret;
	long i;
	int ls;

	conc_iters = RUNNING_ON_VALGRIND ? 50 : 500;
	ATF_REQUIRE_EQ(rump_init(), 0);
	ls = local_listen("/conc", SOCK_STREAM);
	ATF_REQUIRE_EQ(pthread_create(&acc, NULL, conc_acceptor, &ls), 0);
	for (i = 0; i < NCLIENTS; i++)
		ATF_REQUIRE_EQ(pthread_create(&cl[i], NULL, conc_client,
		    (void *)i), 0);
	for (i = 0; i < 2; i++)
		ATF_REQUIRE_EQ(pthread_create(&dg[i], NULL, conc_dgram,
		    (void *)i), 0);
	ATF_REQUIRE_EQ(pthread_create(&rl, NULL, conc_relisten, NULL), 0);
	for (i = 0; i < NCLIENTS; i++) {
		ATF_REQUIRE_EQ(pthread_join(cl[i], &ret), 0);
		ATF_REQUIRE_EQ_MSG((long)ret, 0, "client %ld: %ld bad", i,
		    (long)ret);
	}
	for (i = 0; i < 2; i++) {
		ATF_REQUIRE_EQ(pthread_join(dg[i], &ret), 0);
		ATF_REQUIRE_EQ(ret, NULL);
	}
	ATF_REQUIRE_EQ(pthread_join(rl, &ret), 0);
	ATF_REQUIRE_EQ(ret, NULL);
	/* The acceptor ends when its listener is shut down (EINVAL). */
	ATF_REQUIRE_EQ(rump_sys_shutdown(ls, SHUT_RDWR), 0);
	rump_sys_close(ls);
	ATF_REQUIRE_EQ(pthread_join(acc, &ret), 0);
	ATF_REQUIRE_EQ_MSG(ret, NULL, "accept did not end with EINVAL");
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, stream);
	ATF_TP_ADD_TC(tp, stream_bulk);
	ATF_TP_ADD_TC(tp, dgram);
	ATF_TP_ADD_TC(tp, errors);
	ATF_TP_ADD_TC(tp, many);
	ATF_TP_ADD_TC(tp, concurrent);
	return atf_no_error();
}
