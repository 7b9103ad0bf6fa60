/*
 * What the rump.* tools share (host code, built into each): reaching
 * the server RUMP_SERVER names, and reading a sysctl node of records.
 */
#ifndef _RUMPTOOL_H_
#define _RUMPTOOL_H_

#include <stddef.h>

/* Connect (rump_init()), or say why not and exit 1. */
void	rumptool_connect(const char *prog);

/*
 * The value of sysctl node name, malloc'ed, *lenp bytes; NULL with
 * errno.  The tool frees it.
 */
void	*rumptool_sysctl(const char *name, size_t *lenp);

#endif /* !_RUMPTOOL_H_ */
