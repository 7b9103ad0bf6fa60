/*
 * AF_LOCAL (AF_UNIX) socket addresses (kernel ABI): a file name.  An
 * unnamed socket's address is the family alone (sun_len 2).
 */
#ifndef _SYS_UN_H_
#define _SYS_UN_H_

#include <sys/socket.h>

struct sockaddr_un {	/* kabi */
	uint8_t		sun_len;	/* 2 + the name's length */
	sa_family_t	sun_family;	/* AF_LOCAL */
	char		sun_path[104];	/* NUL-terminated */
};

/* The domain (uipc_usrreq.c), opened and closed by its component. */
void	unp_init(void);
void	unp_fini(void);

#endif /* !_SYS_UN_H_ */
