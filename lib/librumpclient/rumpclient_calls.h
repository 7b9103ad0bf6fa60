/*
 * What system calls read from the caller's memory (the table is
 * generated from syscalls.master into rumpclient_calls.c): librumpclient
 * sends that memory with the call, so the server need not ask for it.
 */
#ifndef _RUMPCLIENT_CALLS_H_
#define _RUMPCLIENT_CALLS_H_

#include <stdint.h>

enum rc_in_kind {
	RC_IN_STR = 1,		/* a NUL-terminated string */
	RC_IN_BUF,		/* rci_len's slot holds the length */
	RC_IN_FIXED		/* rci_size bytes */
};

struct rc_in {
	int8_t		rci_slot;	/* the argument slot of the address */
	uint8_t		rci_kind;
	int8_t		rci_len;	/* RC_IN_BUF: the slot of the length */
	uint16_t	rci_size;	/* RC_IN_FIXED */
};

struct rc_callin {
	uint8_t		rc_n;
	struct rc_in	rc_in[3];
};

extern const struct rc_callin rc_callin[];
extern const unsigned rc_ncallin;

#endif /* !_RUMPCLIENT_CALLS_H_ */
