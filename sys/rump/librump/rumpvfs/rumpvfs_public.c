/*
 * The public calls of the VFS faction (host side of librumpvfs): enter
 * the kernel, call its half, and translate the kernel's errno to the
 * host's.
 */

#include <stdint.h>
#include <sys/types.h>

#include <rump/rump.h>

#include "rumpuser_abi.h"

/* The kernel's halves (etfs.c). */
int	rump_etfs_register(const char *, const char *, enum rump_etfs_type,
	    uint64_t, uint64_t, char *, size_t);
int	rump_etfs_remove(const char *);

int
rump_pub_etfs_register_why(const char *key, const char *hostpath,
    enum rump_etfs_type type, uint64_t begin, uint64_t size, char *why,
    size_t whylen)
{
	int error;

	rump_schedule();
	error = rump_etfs_register(key, hostpath, type, begin, size, why,
	    whylen);
	rump_unschedule();
	return rumpuser_abi_errno_tohost(error);
}

int
rump_pub_etfs_register_withsize(const char *key, const char *hostpath,
    enum rump_etfs_type type, uint64_t begin, uint64_t size)
{

	return rump_pub_etfs_register_why(key, hostpath, type, begin, size,
	    NULL, 0);
}

int
rump_pub_etfs_register(const char *key, const char *hostpath,
    enum rump_etfs_type type)
{

	return rump_pub_etfs_register_withsize(key, hostpath, type, 0,
	    RUMP_ETFS_SIZE_ENDOFF);
}

int
rump_pub_etfs_remove(const char *key)
{
	int error;

	rump_schedule();
	error = rump_etfs_remove(key);
	rump_unschedule();
	return rumpuser_abi_errno_tohost(error);
}
