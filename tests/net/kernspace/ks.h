/*
 * Helpers shared by the network kernel-side test routines (kernel
 * code); the seeded generator is the one of tests/kern/kernspace.
 */
#ifndef _NET_KS_H_
#define _NET_KS_H_

#include "../../kern/kernspace/ks.h"

const char *ks_mbuf_random(uint32_t, int);
const char *ks_mbuf_ext(void);
const char *ks_net_fuzz(const char *, uint32_t, int, int);

#endif /* !_NET_KS_H_ */
