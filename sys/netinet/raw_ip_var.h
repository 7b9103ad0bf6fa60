/*
 * Raw IPv4 sockets inside the kernel (sys/netinet/raw_ip.c).
 */
#ifndef _NETINET_RAW_IP_VAR_H_
#define _NETINET_RAW_IP_VAR_H_

extern const struct pr_usrreqs rip_usrreqs;
void	rip_init(void);
void	rip_fini(void);

#endif /* !_NETINET_RAW_IP_VAR_H_ */
