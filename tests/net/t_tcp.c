/*
 * TCP on one kernel's loopback (tests): connection setup and teardown,
 * data both ways checked byte by byte, half-close, a refused connection,
 * non-blocking connect and accept with poll, the listen backlog, and
 * the TCP socket options.  Host <sys/socket.h> values throughout.
 */

#include <sys/types.h>
#include <sys/select.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_net.h>
#include <rump/rump_syscalls.h>

#include "netutil.h"

static int
listener(int port, int backlog)
{
	struct sockaddr_in sin = sin_make("127.0.0.1", port);
	int s, one = 1;

	ATF_REQUIRE((s = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) != -1);
	ATF_REQUIRE_EQ(rump_sys_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)), 0);
	ATF_REQUIRE_EQ_MSG(rump_sys_bind(s, (struct sockaddr *)&sin,
	    sizeof(sin)), 0, "bind: %s", strerror(errno));
	ATF_REQUIRE_EQ(rump_sys_listen(s, backlog), 0);
	return s;
}

static int
connector(int port)
{
	struct sockaddr_in sin = sin_make("127.0.0.1", port);
	int s;

	ATF_REQUIRE((s = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) != -1);
	ATF_REQUIRE_EQ_MSG(rump_sys_connect(s, (struct sockaddr *)&sin,
	    sizeof(sin)), 0, "connect: %s", strerror(errno));
	return s;
}

/* The pattern byte at offset off of a stream. */
static unsigned char
pat(uint64_t off)
{

	return (unsigned char)(off * 131 + (off >> 9));
}

struct xfer {
	int		fd;
	uint64_t	len;
	int		error;
};

static void *
writer(void *arg)
{
	struct xfer *x = arg;
	static __thread unsigned char buf[65536];
	uint64_t off = 0;
	size_t n, i;
	ssize_t w;

	rump_pub_lwproc_newlwp(1);
	while (off < x->len) {
		n = x->len - off < sizeof(buf) ? (size_t)(x->len - off) :
		    sizeof(buf);
		n = n > 1 + (off % 40000) ? 1 + (off % 40000) : n;
		for (i = 0; i < n; i++)
			buf[i] = pat(off + i);
		if ((w = rump_sys_write(x->fd, buf, n)) <= 0) {
			x->error = errno;
			return NULL;
		}
		off += (uint64_t)w;
	}
	rump_pub_lwproc_releaselwp();
	return NULL;
}

/* Read len bytes of the pattern from fd, then expect the end. */
static void
reader(int fd, uint64_t len)
{
	static unsigned char buf[70000];
	uint64_t off = 0;
	ssize_t n, i;

	while (off < len) {
		n = rump_sys_read(fd, buf, sizeof(buf));
		ATF_REQUIRE_MSG(n > 0, "read at %llu of %llu: %zd %s",
		    (unsigned long long)off, (unsigned long long)len, n,
		    strerror(errno));
		for (i = 0; i < n; i++)
			ATF_REQUIRE_MSG(buf[i] == pat(off + (uint64_t)i),
			    "byte %llu differs",
			    (unsigned long long)(off + (uint64_t)i));
		off += (uint64_t)n;
	}
}

ATF_TC_WITHOUT_HEAD(connect_transfer);
ATF_TC_BODY(connect_transfer, tc)
{
	struct sockaddr_in peer, name;
	socklen_t len;
	struct xfer x;
	pthread_t t;
	char c;
	int ls, cs, as;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ls = listener(8080, 5);
	cs = connector(8080);
	len = sizeof(peer);
	ATF_REQUIRE((as = rump_sys_accept(ls, (struct sockaddr *)&peer,
	    &len)) != -1);
	ATF_REQUIRE_EQ(len, sizeof(peer));
	len = sizeof(name);
	ATF_REQUIRE_EQ(rump_sys_getsockname(cs, (struct sockaddr *)&name,
	    &len), 0);
	ATF_REQUIRE_EQ(name.sin_port, peer.sin_port);
	len = sizeof(name);
	ATF_REQUIRE_EQ(rump_sys_getpeername(cs, (struct sockaddr *)&name,
	    &len), 0);
	ATF_REQUIRE_EQ(name.sin_port, htons(8080));

	/* 8 MiB one way while the reader checks every byte. */
	x.fd = cs;
	x.len = 8 << 20;
	x.error = 0;
	ATF_REQUIRE_EQ(pthread_create(&t, NULL, writer, &x), 0);
	reader(as, x.len);
	ATF_REQUIRE_EQ(pthread_join(t, NULL), 0);
	ATF_REQUIRE_EQ(x.error, 0);

	/* Half-close: the other way still works, then both ends see EOF. */
	ATF_REQUIRE_EQ(rump_sys_shutdown(cs, SHUT_WR), 0);
	ATF_REQUIRE_EQ(rump_sys_read(as, &c, 1), 0);
	ATF_REQUIRE_EQ(rump_sys_write(as, "z", 1), 1);
	ATF_REQUIRE_EQ(rump_sys_read(cs, &c, 1), 1);
	ATF_REQUIRE_EQ(c, 'z');
	ATF_REQUIRE_EQ(rump_sys_write(cs, "y", 1), -1);
	ATF_REQUIRE_EQ(errno, EPIPE);
	ATF_REQUIRE_EQ(rump_sys_close(as), 0);
	ATF_REQUIRE_EQ(rump_sys_read(cs, &c, 1), 0);
	ATF_REQUIRE_EQ(rump_sys_close(cs), 0);
	ATF_REQUIRE_EQ(rump_sys_close(ls), 0);
}

ATF_TC_WITHOUT_HEAD(refused);
ATF_TC_BODY(refused, tc)
{
	struct sockaddr_in sin = sin_make("127.0.0.1", 9999);
	int s;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE((s = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) != -1);
	ATF_REQUIRE_EQ(rump_sys_connect(s, (struct sockaddr *)&sin,
	    sizeof(sin)), -1);
	ATF_REQUIRE_EQ(errno, ECONNREFUSED);
	ATF_REQUIRE_EQ(rump_sys_close(s), 0);
}

ATF_TC_WITHOUT_HEAD(nonblocking);
ATF_TC_BODY(nonblocking, tc)
{
	struct sockaddr_in sin = sin_make("127.0.0.1", 8081);
	struct pollfd pfd[2];
	socklen_t len;
	char buf[8];
	int ls, cs, as, err;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ls = listener(8081, 5);
	ATF_REQUIRE_EQ(rump_sys_fcntl(ls, F_SETFL, O_NONBLOCK), 0);
	ATF_REQUIRE_EQ(rump_sys_accept(ls, NULL, NULL), -1);
	ATF_REQUIRE_EQ(errno, EAGAIN);
	ATF_REQUIRE((cs = rump_sys_socket(AF_INET, SOCK_STREAM |
	    SOCK_NONBLOCK, 0)) != -1);
	ATF_REQUIRE_EQ(rump_sys_connect(cs, (struct sockaddr *)&sin,
	    sizeof(sin)), -1);
	ATF_REQUIRE_EQ(errno, EINPROGRESS);
	pfd[0].fd = cs;
	pfd[0].events = POLLOUT;
	pfd[1].fd = ls;
	pfd[1].events = POLLIN;
	pfd[0].revents = pfd[1].revents = 0;
	while (pfd[0].revents == 0 || pfd[1].revents == 0)
		ATF_REQUIRE(rump_sys_poll(pfd, 2, 5000) > 0);
	len = sizeof(err);
	ATF_REQUIRE_EQ(rump_sys_getsockopt(cs, SOL_SOCKET, SO_ERROR, &err,
	    &len), 0);
	ATF_REQUIRE_EQ(err, 0);
	ATF_REQUIRE((as = rump_sys_accept4(ls, NULL, NULL, SOCK_NONBLOCK))
	    != -1);
	ATF_REQUIRE_EQ(rump_sys_read(as, buf, sizeof(buf)), -1);
	ATF_REQUIRE_EQ(errno, EAGAIN);
	ATF_REQUIRE_EQ(rump_sys_write(cs, "hi", 2), 2);
	pfd[0].fd = as;
	pfd[0].events = POLLIN;
	ATF_REQUIRE_EQ(rump_sys_poll(pfd, 1, 5000), 1);
	ATF_REQUIRE_EQ(rump_sys_recv(as, buf, sizeof(buf), MSG_PEEK), 2);
	ATF_REQUIRE_EQ(rump_sys_read(as, buf, sizeof(buf)), 2);
	ATF_REQUIRE(memcmp(buf, "hi", 2) == 0);

	/* A refused non-blocking connect reports through SO_ERROR. */
	sin = sin_make("127.0.0.1", 9);
	rump_sys_close(cs);
	ATF_REQUIRE((cs = rump_sys_socket(AF_INET, SOCK_STREAM |
	    SOCK_NONBLOCK, 0)) != -1);
	if (rump_sys_connect(cs, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		ATF_REQUIRE(errno == EINPROGRESS || errno == ECONNREFUSED);
	pfd[0].fd = cs;
	pfd[0].events = POLLOUT;
	ATF_REQUIRE_EQ(rump_sys_poll(pfd, 1, 5000), 1);
	len = sizeof(err);
	ATF_REQUIRE_EQ(rump_sys_getsockopt(cs, SOL_SOCKET, SO_ERROR, &err,
	    &len), 0);
	ATF_REQUIRE(err == ECONNREFUSED || err == 0);
	rump_sys_close(cs);
	rump_sys_close(as);
	rump_sys_close(ls);
}

/* select() on sockets: a connection to accept, room, data, the end. */
ATF_TC_WITHOUT_HEAD(select_sockets);
ATF_TC_BODY(select_sockets, tc)
{
	struct timeval tv = { 5, 0 };
	fd_set r, w;
	int ls, cs, as, nd;
	char c;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ls = listener(8090, 5);
	FD_ZERO(&r);
	FD_SET(ls, &r);
	tv.tv_sec = 0;
	ATF_REQUIRE_EQ(rump_sys_select(ls + 1, &r, NULL, NULL, &tv), 0);
	cs = connector(8090);
	tv.tv_sec = 5;
	FD_SET(ls, &r);
	ATF_REQUIRE_EQ(rump_sys_select(ls + 1, &r, NULL, NULL, &tv), 1);
	ATF_REQUIRE(FD_ISSET(ls, &r));
	ATF_REQUIRE((as = rump_sys_accept(ls, NULL, NULL)) != -1);
	nd = (as > cs ? as : cs) + 1;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(as, &r);
	FD_SET(cs, &w);
	ATF_REQUIRE_EQ(rump_sys_select(nd, &r, &w, NULL, &tv), 1);
	ATF_REQUIRE(!FD_ISSET(as, &r) && FD_ISSET(cs, &w));
	ATF_REQUIRE_EQ(rump_sys_write(cs, "z", 1), 1);
	FD_SET(as, &r);
	ATF_REQUIRE_EQ(rump_sys_select(nd, &r, NULL, NULL, &tv), 1);
	ATF_REQUIRE_EQ(rump_sys_read(as, &c, 1), 1);
	rump_sys_close(cs);
	FD_SET(as, &r);
	ATF_REQUIRE_EQ(rump_sys_select(nd, &r, NULL, NULL, &tv), 1);
	ATF_REQUIRE_EQ(rump_sys_read(as, &c, 1), 0);	/* the FIN */
	rump_sys_close(as);
	rump_sys_close(ls);
}

/* More connections than the backlog: the rest wait, none is lost. */
ATF_TC_WITHOUT_HEAD(backlog);
ATF_TC_BODY(backlog, tc)
{
	struct sockaddr_in sin = sin_make("127.0.0.1", 8082);
	struct pollfd pfd;
	int ls, cs[8], as, i, n;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ls = listener(8082, 2);
	for (i = 0; i < 8; i++) {
		ATF_REQUIRE((cs[i] = rump_sys_socket(AF_INET, SOCK_STREAM |
		    SOCK_NONBLOCK, 0)) != -1);
		(void)rump_sys_connect(cs[i], (struct sockaddr *)&sin,
		    sizeof(sin));
	}
	/* The queue holds two; the others' SYNs are dropped and resent. */
	pfd.fd = ls;
	pfd.events = POLLIN;
	for (n = 0; n < 8; n++) {
		ATF_REQUIRE_MSG(rump_sys_poll(&pfd, 1, 10000) == 1,
		    "only %d of 8 connections came", n);
		ATF_REQUIRE((as = rump_sys_accept(ls, NULL, NULL)) != -1);
		rump_sys_close(as);
	}
	for (i = 0; i < 8; i++)
		rump_sys_close(cs[i]);
	rump_sys_close(ls);
}

ATF_TC_WITHOUT_HEAD(sockopts);
ATF_TC_BODY(sockopts, tc)
{
	socklen_t len;
	int s, v;

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE((s = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) != -1);
	v = 1;
	ATF_REQUIRE_EQ(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v,
	    sizeof(v)), 0);
	v = 0;
	len = sizeof(v);
	ATF_REQUIRE_EQ(rump_sys_getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v,
	    &len), 0);
	ATF_REQUIRE(v != 0);
	v = 30;
	ATF_REQUIRE_EQ(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &v,
	    sizeof(v)), 0);
	len = sizeof(v);
	ATF_REQUIRE_EQ(rump_sys_getsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &v,
	    &len), 0);
	ATF_REQUIRE_EQ(v, 30);
	v = 0;
	ATF_REQUIRE_EQ(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_KEEPCNT, &v,
	    sizeof(v)), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	len = sizeof(v);
	ATF_REQUIRE_EQ(rump_sys_getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len),
	    0);
	ATF_REQUIRE_EQ(v, SOCK_STREAM);
	ATF_REQUIRE_EQ(rump_sys_send(s, "x", 1, 0), -1);
	ATF_REQUIRE_EQ(errno, ENOTCONN);
	ATF_REQUIRE_EQ(rump_sys_close(s), 0);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, connect_transfer);
	ATF_TP_ADD_TC(tp, refused);
	ATF_TP_ADD_TC(tp, nonblocking);
	ATF_TP_ADD_TC(tp, select_sockets);
	ATF_TP_ADD_TC(tp, backlog);
	ATF_TP_ADD_TC(tp, sockopts);
	return atf_no_error();
}
