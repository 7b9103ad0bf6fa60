/*
 * Helper of t_hijack (host side): an ordinary program, run with
 * librumphijack, that waits with poll(), select() and epoll on a kernel
 * socket pair and a host pipe at once.  Exit status 0 when each wait
 * reports what is ready, and only that.
 */

#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CHECK(x) do {							\
	if (!(x)) {							\
		fprintf(stderr, "h_hijack_poll: line %d: %s (%s)\n",	\
		    __LINE__, #x, strerror(errno));			\
		return 1;						\
	}								\
} while (0)

int
main(void)
{
	struct epoll_event ev, got[4];
	struct pollfd pfd[2];
	int sv[2], p[2], ep;
	fd_set rd;
	char c;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);	/* kernel */
	CHECK(pipe(p) == 0);					/* host */
	CHECK(sv[0] != p[0] && sv[0] != p[1] && sv[1] != p[0]);

	/* Nothing ready: a short timeout passes. */
	pfd[0].fd = sv[0];
	pfd[0].events = POLLIN;
	pfd[1].fd = p[0];
	pfd[1].events = POLLIN;
	CHECK(poll(pfd, 2, 30) == 0);
	/* The kernel side, then the host side. */
	CHECK(write(sv[1], "k", 1) == 1);
	CHECK(poll(pfd, 2, 5000) == 1 && pfd[0].revents == POLLIN &&
	    pfd[1].revents == 0);
	CHECK(read(sv[0], &c, 1) == 1 && c == 'k');
	CHECK(write(p[1], "h", 1) == 1);
	CHECK(poll(pfd, 2, 5000) == 1 && pfd[1].revents == POLLIN &&
	    pfd[0].revents == 0);

	/* select() on both: the host pipe is still readable. */
	FD_ZERO(&rd);
	FD_SET(sv[0], &rd);
	FD_SET(p[0], &rd);
	CHECK(select((sv[0] > p[0] ? sv[0] : p[0]) + 1, &rd, NULL, NULL,
	    NULL) == 1);
	CHECK(FD_ISSET(p[0], &rd) && !FD_ISSET(sv[0], &rd));
	CHECK(read(p[0], &c, 1) == 1 && c == 'h');

	/* epoll with both. */
	CHECK((ep = epoll_create1(0)) != -1);
	ev.events = EPOLLIN;
	ev.data.u32 = 1;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev) == 0);
	ev.data.u32 = 2;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0);
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev) == -1 &&
	    errno == EEXIST);
	CHECK(epoll_wait(ep, got, 4, 30) == 0);
	CHECK(write(sv[1], "k", 1) == 1 && write(p[1], "h", 1) == 1);
	CHECK(epoll_wait(ep, got, 4, 5000) == 2);
	CHECK(got[0].data.u32 + got[1].data.u32 == 3);
	CHECK(read(sv[0], &c, 1) == 1 && read(p[0], &c, 1) == 1);
	CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, sv[0], NULL) == 0);
	CHECK(write(sv[1], "k", 1) == 1);
	CHECK(epoll_wait(ep, got, 4, 30) == 0);
	return 0;
}
