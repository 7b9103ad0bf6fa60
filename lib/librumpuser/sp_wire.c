/*
 * Reading, writing and addressing remote system call messages (host
 * code, built into both the server in librumpuser and librumpclient).
 * The format is in sp_wire.h.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sp_wire.h"

/* The first size of a read buffer; it grows up to SP_MAXMSG. */
#define RBUF_MIN	(64 * 1024)
/* Polls before sleeping, with spin (some 40 us on a 2020s machine). */
#define SPIN_POLLS	100

const uint32_t sp_minbody[SP_NTYPES] = {
	[SP_HANDSHAKE] =	sizeof(struct sp_handshake),
	[SP_HANDSHAKE_REPLY] =	sizeof(struct sp_result),
	[SP_SYSCALL] =		sizeof(struct sp_syscall),
	[SP_SYSCALL_REPLY] =	sizeof(struct sp_result),
	[SP_COPYIN] =		sizeof(struct sp_copyin),
	[SP_COPYIN_REPLY] =	sizeof(struct sp_result),
	[SP_COPYOUT] =		sizeof(uint64_t),
	[SP_PREFORK] =		0,
	[SP_PREFORK_REPLY] =	sizeof(struct sp_result) +
				    sizeof(struct sp_cookie),
};

/* Make room in rb for a message of need bytes at rb_off. */
static int
rbuf_room(struct sp_rbuf *rb, size_t need)
{
	size_t cap;
	char *nb;

	if (rb->rb_off == rb->rb_end)
		rb->rb_off = rb->rb_end = 0;
	if (rb->rb_cap - rb->rb_off >= need && rb->rb_end < rb->rb_cap)
		return 0;
	if (rb->rb_off > 0) {
		memmove(rb->rb_buf, rb->rb_buf + rb->rb_off,
		    rb->rb_end - rb->rb_off);
		rb->rb_end -= rb->rb_off;
		rb->rb_off = 0;
	}
	if (rb->rb_cap >= need)
		return 0;
	cap = need < RBUF_MIN ? RBUF_MIN : need;
	if ((nb = realloc(rb->rb_buf, cap)) == NULL)
		return ENOMEM;
	rb->rb_buf = nb;
	rb->rb_cap = cap;
	return 0;
}

int
sp_recv(int fd, struct sp_rbuf *rb, struct sp_hdr *h, void **bodyp,
    size_t *lenp, bool spin)
{
	size_t have, need;
	ssize_t n;
	int error, polls = spin ? SPIN_POLLS : 0;

	for (;;) {
		have = rb->rb_end - rb->rb_off;
		need = sizeof(*h);
		if (have >= sizeof(*h)) {
			memcpy(h, rb->rb_buf + rb->rb_off, sizeof(*h));
			if (h->sh_len < sizeof(*h) || h->sh_len > SP_MAXMSG ||
			    h->sh_type == 0 || h->sh_type >= SP_NTYPES ||
			    h->sh_len - sizeof(*h) < sp_minbody[h->sh_type])
				return EPROTO;
			need = h->sh_len;
			if (have >= need) {
				*bodyp = rb->rb_buf + rb->rb_off + sizeof(*h);
				*lenp = need - sizeof(*h);
				rb->rb_off += need;
				return 0;
			}
		}
		if ((error = rbuf_room(rb, need)) != 0)
			return error;
		n = recv(fd, rb->rb_buf + rb->rb_end, rb->rb_cap - rb->rb_end,
		    polls > 0 ? MSG_DONTWAIT : 0);
		if (n == 0)
			return ECONNRESET;
		if (n < 0) {
			if (errno == EAGAIN && polls > 0) {
				polls--;
				continue;
			}
			if (errno == EINTR)
				continue;
			return errno;
		}
		rb->rb_end += (size_t)n;
	}
}

void
sp_rbuf_free(struct sp_rbuf *rb)
{

	free(rb->rb_buf);
	memset(rb, 0, sizeof(*rb));
}

int
sp_send(int fd, int type, uint64_t tag, const struct iovec *iov, int n)
{
	struct iovec v[1 + SP_MAXIOV];
	struct msghdr msg;
	struct sp_hdr h;
	size_t len;
	ssize_t done;
	int i, first;

	if (n > SP_MAXIOV)
		return EINVAL;
	memset(&h, 0, sizeof(h));
	h.sh_type = (uint16_t)type;
	h.sh_tag = tag;
	len = sizeof(h);
	v[0].iov_base = &h;
	v[0].iov_len = sizeof(h);
	for (i = 0; i < n; i++) {
		v[i + 1] = iov[i];
		len += iov[i].iov_len;
	}
	if (len > SP_MAXMSG)
		return EMSGSIZE;
	h.sh_len = (uint32_t)len;

	memset(&msg, 0, sizeof(msg));
	first = 0;
	n++;
	while (first < n) {
		msg.msg_iov = &v[first];
		msg.msg_iovlen = (size_t)(n - first);
		done = sendmsg(fd, &msg, MSG_NOSIGNAL);
		if (done < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		/* Skip what went out; a short write continues mid-piece. */
		while (first < n && (size_t)done >= v[first].iov_len)
			done -= (ssize_t)v[first++].iov_len;
		if (first < n) {
			v[first].iov_base = (char *)v[first].iov_base + done;
			v[first].iov_len -= (size_t)done;
		}
	}
	return 0;
}

int
sp_parseurl(const char *url, struct sockaddr_storage *ss, socklen_t *salen,
    int *domain, char *why, size_t whylen)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	char addr[INET_ADDRSTRLEN], *ep;
	const char *p, *colon;
	unsigned long port;

	memset(ss, 0, sizeof(*ss));
	if (strncmp(url, "unix://", 7) == 0) {
		p = url + 7;
		if (*p == '\0' || strlen(p) >= sizeof(sun->sun_path)) {
			snprintf(why, whylen, "%s: socket path empty or longer "
			    "than %zu bytes", url, sizeof(sun->sun_path) - 1);
			return EINVAL;
		}
		sun->sun_family = AF_UNIX;
		strcpy(sun->sun_path, p);
		*salen = (socklen_t)sizeof(*sun);
		*domain = AF_UNIX;
		return 0;
	}
	if (strncmp(url, "tcp://", 6) == 0) {
		p = url + 6;
		colon = strrchr(p, ':');
		if (colon == NULL || (size_t)(colon - p) >= sizeof(addr)) {
			snprintf(why, whylen, "%s: expected tcp://ADDR:PORT", url);
			return EINVAL;
		}
		memcpy(addr, p, (size_t)(colon - p));
		addr[colon - p] = '\0';
		errno = 0;
		port = strtoul(colon + 1, &ep, 10);
		if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1 ||
		    colon[1] == '\0' || *ep != '\0' || errno != 0 ||
		    port == 0 || port > 65535) {
			snprintf(why, whylen, "%s: expected tcp://ADDR:PORT with "
			    "a numeric IPv4 address and a port 1-65535", url);
			return EINVAL;
		}
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*salen = (socklen_t)sizeof(*sin);
		*domain = AF_INET;
		return 0;
	}
	snprintf(why, whylen, "%s: expected unix://PATH or tcp://ADDR:PORT",
	    url);
	return EINVAL;
}
