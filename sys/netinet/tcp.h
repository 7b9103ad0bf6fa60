/*
 * TCP (RFC 9293): the header, its flags and options, and the TCP-level
 * socket options (kernel ABI; the boundary maps the host's).
 */
#ifndef _NETINET_TCP_H_
#define _NETINET_TCP_H_

#include <sys/types.h>

typedef uint32_t	tcp_seq;

struct tcphdr {
	uint16_t	th_sport;
	uint16_t	th_dport;
	tcp_seq		th_seq;
	tcp_seq		th_ack;
	uint8_t		th_x2off;	/* data offset << 4 */
	uint8_t		th_flags;
	uint16_t	th_win;
	uint16_t	th_sum;
	uint16_t	th_urp;
} __packed;

#define TH_OFF(th)	(((th)->th_x2off >> 4) << 2)	/* header bytes */

#define TH_FIN		0x01
#define TH_SYN		0x02
#define TH_RST		0x04
#define TH_PUSH		0x08
#define TH_ACK		0x10
#define TH_URG		0x20
#define TH_ECE		0x40
#define TH_CWR		0x80

/* Options. */
#define TCPOPT_EOL		0
#define TCPOPT_NOP		1
#define TCPOPT_MAXSEG		2	/* RFC 9293 */
#define TCPOLEN_MAXSEG		4
#define TCPOPT_WINDOW		3	/* RFC 7323 */
#define TCPOLEN_WINDOW		3
#define TCPOPT_SACK_PERMITTED	4	/* RFC 2018: not used, ignored */
#define TCPOPT_TIMESTAMP	8	/* RFC 7323 */
#define TCPOLEN_TIMESTAMP	10
#define TCPOLEN_TSTAMP_APPA	12	/* with two NOPs before it */

#define TCP_MAXWIN	65535
#define TCP_MAX_WINSHIFT 14
#define TCP_MSS		536		/* when the peer names none */
#define TCP_MAXOLEN	40

/* TCP-level socket options. */
#define TCP_NODELAY	1		/* no Nagle */
#define TCP_MAXSEG	2
#define TCP_KEEPIDLE	3		/* seconds idle before probes */
#define TCP_KEEPINTVL	4		/* seconds between probes */
#define TCP_KEEPCNT	5		/* unanswered probes that end it */

#endif /* !_NETINET_TCP_H_ */
