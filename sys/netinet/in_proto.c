/*
 * The Internet domain (kernel): the socket types of AF_INET and the
 * protocols behind them.  Its sockets share softnet_lock.
 */

#include <sys/types.h>
#include <sys/protosw.h>
#include <sys/socket.h>

#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/in_proto.h>
#include <netinet/raw_ip_var.h>
#include <netinet/tcp_var.h>
#include <netinet/udp_var.h>

static const struct protosw inetsw[] = {
	{
		.pr_type = SOCK_STREAM,
		.pr_protocol = IPPROTO_TCP,
		.pr_flags = PR_CONNREQUIRED | PR_WANTRCVD | PR_LISTEN,
		.pr_usrreqs = &tcp_usrreqs,
		.pr_ctloutput = tcp_ctloutput,
	},
	{
		.pr_type = SOCK_DGRAM,
		.pr_protocol = IPPROTO_UDP,
		.pr_flags = PR_ATOMIC | PR_ADDR,
		.pr_usrreqs = &udp_usrreqs,
		.pr_ctloutput = in_ctloutput,
	},
	{
		.pr_type = SOCK_RAW,
		.pr_protocol = -1,
		.pr_flags = PR_ATOMIC | PR_ADDR,
		.pr_usrreqs = &rip_usrreqs,
		.pr_ctloutput = in_ctloutput,
	},
};

const struct domain inetdomain = {
	.dom_family = AF_INET,
	.dom_name = "internet",
	.dom_lock = &softnet_lock,
	.dom_protosw = inetsw,
	.dom_nprotosw = sizeof(inetsw) / sizeof(inetsw[0]),
};
