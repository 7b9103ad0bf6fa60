/*
 * sp_wire.h: the wire format of remote system calls, shared by the
 * server (lib/librumpuser/rumpuser_sp.c) and the client
 * (lib/librumpclient).  Host code.
 *
 * A connection is a byte stream (a unix or TCP socket) between one
 * client process and the server.  It carries the kernel's ABI: system
 * call numbers and argument slots as the generated rump_sys_*() stubs
 * make them, kernel errno values, and addresses in the client's memory,
 * which the server reads and writes only through SP_COPYIN and
 * SP_COPYOUT.  Both ends run on one machine and use its byte order and
 * word size; the handshake checks that they agree.
 *
 * Every message is a struct sp_hdr and sh_len - sizeof(struct sp_hdr)
 * bytes of body.  The client sends SP_HANDSHAKE first and waits for its
 * reply; after that any number of calls may be in flight, each named by
 * the tag its SP_SYSCALL chose.  While a call runs the server may send
 * SP_COPYIN (with a tag of its own, answered by SP_COPYIN_REPLY) and
 * SP_COPYOUT (no answer) before the call's SP_SYSCALL_REPLY.
 */
#ifndef _SP_WIRE_H_
#define _SP_WIRE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SP_MAGIC	0x52535043u	/* "CPSR" in memory */
#define SP_VERSION	1
/* sizeof(long) and the byte order, as the handshake compares them. */
#define SP_ABI		((uint32_t)(sizeof(long) << 24 | 0x00030201))

/* The largest copy one message carries; longer ones are split. */
#define SP_MAXCOPY	(256 * 1024)
/* The largest message either end accepts. */
#define SP_MAXMSG	(SP_MAXCOPY + 4096)
/* The most argument slots of a call (the kernel's calls take <= 6). */
#define SP_MAXARGS	8

struct sp_hdr {
	uint32_t	sh_len;		/* whole message */
	uint16_t	sh_type;	/* SP_* below */
	uint16_t	sh_spare;	/* 0 */
	uint64_t	sh_tag;
};

/* Message types; c: client to server, s: server to client. */
enum {
	SP_HANDSHAKE = 1,	/* c: struct sp_handshake */
	SP_HANDSHAKE_REPLY,	/* s: struct sp_result (rv[0]: pid) */
	SP_SYSCALL,		/* c: struct sp_syscall, then args */
	SP_SYSCALL_REPLY,	/* s: struct sp_result */
	SP_COPYIN,		/* s: struct sp_copyin */
	SP_COPYIN_REPLY,	/* c: struct sp_result (rv[0]: bytes), data */
	SP_COPYOUT,		/* s: uint64_t address, then data */
	SP_PREFORK,		/* c: no body */
	SP_PREFORK_REPLY,	/* s: struct sp_result, struct sp_cookie */
	SP_NTYPES
};

/* Handshake kinds. */
#define SP_HS_NEW	0	/* a new process */
#define SP_HS_FORK	1	/* the child of an SP_PREFORK: sh_cookie */
#define SP_HS_EXEC	2	/* this connection's process ran exec */

#define SP_COMMLEN	16

/* Names a process made by SP_PREFORK until its child connects. */
struct sp_cookie {
	uint8_t		sc_bytes[16];
};

struct sp_handshake {
	uint32_t	hs_magic;	/* SP_MAGIC */
	uint32_t	hs_version;	/* SP_VERSION */
	uint32_t	hs_abi;		/* SP_ABI */
	uint32_t	hs_kind;	/* SP_HS_* */
	struct sp_cookie hs_cookie;	/* SP_HS_FORK */
	char		hs_comm[SP_COMMLEN];	/* program name, NUL padded */
};

/*
 * A call: sc_nargs int64_t argument slots follow, then sc_natt pieces
 * of the client's memory the call will read, each a struct sp_attach
 * and sa_len bytes padded to a multiple of 8.  The server copies in from
 * them instead of asking.
 */
struct sp_syscall {
	int32_t		sc_num;
	uint16_t	sc_nargs;	/* <= SP_MAXARGS */
	uint16_t	sc_natt;	/* <= SP_MAXATT */
};

struct sp_attach {
	uint64_t	sa_addr;
	uint32_t	sa_len;
	uint32_t	sa_spare;
};
#define SP_MAXATT	8

/* A reply: a kernel errno and the results. */
struct sp_result {
	int32_t		sr_error;
	uint32_t	sr_spare;
	int64_t		sr_rv[2];
};

/* Read sc_len bytes at sc_addr; with sc_str, up to and with a NUL. */
struct sp_copyin {
	uint64_t	sc_addr;
	uint32_t	sc_len;
	uint32_t	sc_str;
};

/*
 * Buffered reading of messages: one recv() usually brings several.
 */
struct sp_rbuf {
	char		*rb_buf;
	size_t		rb_cap;		/* bytes allocated */
	size_t		rb_off;		/* first unread byte */
	size_t		rb_end;		/* end of the bytes read */
};

/* The smallest body each type may have (larger: see the type). */
extern const uint32_t sp_minbody[SP_NTYPES];

/*
 * Read the next message from fd into rb: its header to *h, and its body
 * (valid until the next call) to *bodyp, *lenp.  With spin, poll the
 * socket for a few tens of microseconds before sleeping in recv(): a
 * reply that is on its way then costs no wakeup (across CPUs, a wakeup
 * can cost more than the whole call).  Returns 0, or a host errno:
 * ECONNRESET at the end of the stream, EPROTO for a header out of
 * bounds (length, type, body too short for the type), ENOMEM, or what
 * recv() said.  Retries after signals.
 */
int	sp_recv(int fd, struct sp_rbuf *rb, struct sp_hdr *h, void **bodyp,
	    size_t *lenp, bool spin);
void	sp_rbuf_free(struct sp_rbuf *);

/*
 * Send one message: a header of type, tag and the length of the n
 * pieces (at most SP_MAXIOV) that follow it, then the pieces.  Returns 0 or a host errno
 * (EPIPE when the peer is gone; no SIGPIPE).  Callers serialise sends
 * on one connection themselves.
 */
#define SP_MAXIOV	16
struct iovec;
int	sp_send(int fd, int type, uint64_t tag, const struct iovec *iov,
	    int n);

/*
 * Parse a server URL: unix://PATH (relative or absolute) or
 * tcp://ADDR:PORT with a numeric IPv4 address.  Fills *sa, *salen and
 * *domain; returns 0 or EINVAL, with the reason in why (whylen bytes).
 */
struct sockaddr_storage;
int	sp_parseurl(const char *url, struct sockaddr_storage *sa,
	    socklen_t *salen, int *domain, char *why, size_t whylen);

#endif /* !_SP_WIRE_H_ */
