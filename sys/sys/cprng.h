/*
 * Random numbers for the kernel (machine dependent: from the host):
 * unpredictable values for port choice, TCP initial sequence numbers,
 * IP identifications.
 */
#ifndef _SYS_CPRNG_H_
#define _SYS_CPRNG_H_

#include <sys/types.h>

void	cprng_bytes(void *, size_t);
uint32_t cprng32(void);

#endif /* !_SYS_CPRNG_H_ */
