/*
 * UDP inside the kernel (sys/netinet/udp_usrreq.c).
 */
#ifndef _NETINET_UDP_VAR_H_
#define _NETINET_UDP_VAR_H_

#include <sys/types.h>

struct udpstat {
	uint64_t	udps_ipackets;
	uint64_t	udps_hdrops;
	uint64_t	udps_badsum;
	uint64_t	udps_badlen;
	uint64_t	udps_noport;
	uint64_t	udps_noportbcast;
	uint64_t	udps_fullsock;
	uint64_t	udps_opackets;
};
extern struct udpstat udpstat;

extern const struct pr_usrreqs udp_usrreqs;
void	udp_init(void);
void	udp_fini(void);

#endif /* !_NETINET_UDP_VAR_H_ */
