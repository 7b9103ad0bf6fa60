/*
 * The virtif wire on a Linux host (host side of librumpnet_virtif): a
 * tap device from /dev/net/tun, without packet information, and a pipe
 * that interrupts a waiting receive.  See virtif_user.h.
 */

#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <linux/if.h>
#include <linux/if_tun.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpuser.h>

#include "kabi.h"
#include "rumpuser_abi.h"
#include "virtif_user.h"

struct rumpuser_hostether {
	int	vi_fd;
	int	vi_intr[2];		/* a byte here: stop waiting */
};

_Static_assert(sizeof(struct rumpuser_iovec) == sizeof(struct iovec),
    "rumpuser_iovec is not struct iovec");

int
rumpuser_virtif_open(const char *tapname, struct rumpuser_hostether **hp)
{
	struct rumpuser_hostether *h;
	struct ifreq ifr;
	int error;

	if (strlen(tapname) >= IFNAMSIZ)
		return KABI_EINVAL;
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return KABI_ENOMEM;
	if ((h->vi_fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC)) == -1)
		goto fail;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	strncpy(ifr.ifr_name, tapname, IFNAMSIZ - 1);
	if (ioctl(h->vi_fd, TUNSETIFF, &ifr) == -1)
		goto fail_fd;
	if (pipe2(h->vi_intr, O_CLOEXEC | O_NONBLOCK) == -1)
		goto fail_fd;
	*hp = h;
	return 0;
fail_fd:
	error = errno;
	close(h->vi_fd);
	free(h);
	return rumpuser_abi_errno_tokern(error);
fail:
	error = errno;
	free(h);
	return rumpuser_abi_errno_tokern(error);
}

void
rumpuser_virtif_close(struct rumpuser_hostether *h)
{

	close(h->vi_fd);
	close(h->vi_intr[0]);
	close(h->vi_intr[1]);
	free(h);
}

int
rumpuser_virtif_send(struct rumpuser_hostether *h,
    const struct rumpuser_iovec *iov, int cnt)
{

	/* A tap takes a frame per write; a full host queue drops it. */
	if (writev(h->vi_fd, (const struct iovec *)(const void *)iov,
	    cnt) == -1 && errno != EAGAIN && errno != ENOBUFS)
		return rumpuser_abi_errno_tokern(errno);
	return 0;
}

int
rumpuser_virtif_recv(struct rumpuser_hostether *h, void *buf, size_t len,
    size_t *gotp, unsigned long long *lostp)
{
	struct pollfd pfd[2];
	char c;
	ssize_t n;

	for (;;) {
		pfd[0].fd = h->vi_fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = h->vi_intr[0];
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			return rumpuser_abi_errno_tokern(errno);
		}
		if (pfd[1].revents != 0) {
			while (read(h->vi_intr[0], &c, 1) == 1)
				continue;
			return KABI_EINTR;
		}
		if ((n = read(h->vi_fd, buf, len)) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return rumpuser_abi_errno_tokern(errno);
		}
		if ((size_t)n == len) {
			++*lostp;	/* maybe cut short: not ours to guess */
			continue;
		}
		*gotp = (size_t)n;
		return 0;
	}
}

void
rumpuser_virtif_interrupt(struct rumpuser_hostether *h)
{

	(void)write(h->vi_intr[1], "i", 1);
}
