/*
 * Basic kernel types.  Widths come from the compiler, never from host
 * headers.  Typedefs marked "kabi" are part of the kernel ABI and are
 * mirrored for host-side code by sys/rump/tools/mkkabi.lua.
 */
#ifndef _SYS_TYPES_H_
#define _SYS_TYPES_H_

#include <sys/cdefs.h>

typedef __INT8_TYPE__		int8_t;
typedef __INT16_TYPE__		int16_t;
typedef __INT32_TYPE__		int32_t;
typedef __INT64_TYPE__		int64_t;
typedef __UINT8_TYPE__		uint8_t;
typedef __UINT16_TYPE__		uint16_t;
typedef __UINT32_TYPE__		uint32_t;
typedef __UINT64_TYPE__		uint64_t;
typedef __INTPTR_TYPE__		intptr_t;
typedef __UINTPTR_TYPE__	uintptr_t;
typedef __INTMAX_TYPE__		intmax_t;
typedef __UINTMAX_TYPE__	uintmax_t;
typedef __SIZE_TYPE__		size_t;
typedef __PTRDIFF_TYPE__	ptrdiff_t;
typedef __PTRDIFF_TYPE__	ssize_t;

typedef unsigned char		u_char;
typedef unsigned short		u_short;
typedef unsigned int		u_int;
typedef unsigned long		u_long;

typedef _Bool			bool;
#define true			1
#define false			0

#define NULL			((void *)0)

#define INT32_MAX		__INT32_MAX__
#define INT64_MAX		__INT64_MAX__
#define UINT32_MAX		__UINT32_MAX__
#define UINT64_MAX		__UINT64_MAX__
#define SIZE_MAX		__SIZE_MAX__
#define INT_MAX			__INT_MAX__
#define LONG_MAX		__LONG_MAX__
#define SSIZE_MAX		__PTRDIFF_MAX__

/* The kernel ABI types (kabi). */
typedef int64_t			register_t;	/* kabi */
typedef int32_t			pid_t;		/* kabi */
typedef int32_t			lwpid_t;	/* kabi */
typedef uint32_t		uid_t;		/* kabi */
typedef uint32_t		gid_t;		/* kabi */
typedef uint32_t		mode_t;		/* kabi */
typedef int64_t			off_t;		/* kabi */
typedef int64_t			time_t;		/* kabi */
typedef int32_t			clockid_t;	/* kabi */
typedef uint64_t		dev_t;		/* kabi */
typedef uint64_t		ino_t;		/* kabi */
typedef uint32_t		nlink_t;	/* kabi */
typedef int64_t			blkcnt_t;	/* kabi */
typedef int32_t			blksize_t;	/* kabi */

typedef uint32_t		nfds_t;		/* kabi */
typedef uint32_t		accmode_t;	/* VREAD, VWRITE, VEXEC, ... */

#endif /* !_SYS_TYPES_H_ */
