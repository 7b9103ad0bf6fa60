/*
 * Kernel error numbers.  The kernel's own numbering (the BSD one), which
 * differs from many hosts': the boundary translation in
 * lib/librumpuser/rumpuser_abi.c maps these to the host's errno values by
 * name.  This file is the single list of them; keep one object-like
 * #define per line, since mkkabi.lua reads it.
 */
#ifndef _SYS_ERRNO_H_
#define _SYS_ERRNO_H_

#define EPERM		1	/* operation not permitted */
#define ENOENT		2	/* no such file or directory */
#define ESRCH		3	/* no such process */
#define EINTR		4	/* interrupted system call */
#define EIO		5	/* input/output error */
#define ENXIO		6	/* device not configured */
#define E2BIG		7	/* argument list too long */
#define ENOEXEC		8	/* exec format error */
#define EBADF		9	/* bad file descriptor */
#define ECHILD		10	/* no child processes */
#define EDEADLK		11	/* resource deadlock avoided */
#define ENOMEM		12	/* cannot allocate memory */
#define EACCES		13	/* permission denied */
#define EFAULT		14	/* bad address */
#define ENOTBLK		15	/* block device required */
#define EBUSY		16	/* device busy */
#define EEXIST		17	/* file exists */
#define EXDEV		18	/* cross-device link */
#define ENODEV		19	/* operation not supported by device */
#define ENOTDIR		20	/* not a directory */
#define EISDIR		21	/* is a directory */
#define EINVAL		22	/* invalid argument */
#define ENFILE		23	/* too many open files in system */
#define EMFILE		24	/* too many open files */
#define ENOTTY		25	/* inappropriate ioctl for device */
#define ETXTBSY		26	/* text file busy */
#define EFBIG		27	/* file too large */
#define ENOSPC		28	/* no space left on device */
#define ESPIPE		29	/* illegal seek */
#define EROFS		30	/* read-only file system */
#define EMLINK		31	/* too many links */
#define EPIPE		32	/* broken pipe */
#define EDOM		33	/* numerical argument out of domain */
#define ERANGE		34	/* result too large */
#define EAGAIN		35	/* resource temporarily unavailable */
#define EWOULDBLOCK	EAGAIN	/* operation would block */
#define EINPROGRESS	36	/* operation now in progress */
#define EALREADY	37	/* operation already in progress */
#define ENOTSOCK	38	/* socket operation on non-socket */
#define EDESTADDRREQ	39	/* destination address required */
#define EMSGSIZE	40	/* message too long */
#define EPROTOTYPE	41	/* protocol wrong type for socket */
#define ENOPROTOOPT	42	/* protocol not available */
#define EPROTONOSUPPORT	43	/* protocol not supported */
#define ESOCKTNOSUPPORT	44	/* socket type not supported */
#define EOPNOTSUPP	45	/* operation not supported */
#define EPFNOSUPPORT	46	/* protocol family not supported */
#define EAFNOSUPPORT	47	/* address family not supported by family */
#define EADDRINUSE	48	/* address already in use */
#define EADDRNOTAVAIL	49	/* cannot assign requested address */
#define ENETDOWN	50	/* network is down */
#define ENETUNREACH	51	/* network is unreachable */
#define ENETRESET	52	/* network dropped connection on reset */
#define ECONNABORTED	53	/* software caused connection abort */
#define ECONNRESET	54	/* connection reset by peer */
#define ENOBUFS		55	/* no buffer space available */
#define EISCONN		56	/* socket is already connected */
#define ENOTCONN	57	/* socket is not connected */
#define ESHUTDOWN	58	/* cannot send after socket shutdown */
#define ETOOMANYREFS	59	/* too many references */
#define ETIMEDOUT	60	/* operation timed out */
#define ECONNREFUSED	61	/* connection refused */
#define ELOOP		62	/* too many levels of symbolic links */
#define ENAMETOOLONG	63	/* file name too long */
#define EHOSTDOWN	64	/* host is down */
#define EHOSTUNREACH	65	/* no route to host */
#define ENOTEMPTY	66	/* directory not empty */
#define EPROCLIM	67	/* too many processes */
#define EUSERS		68	/* too many users */
#define EDQUOT		69	/* disc quota exceeded */
#define ESTALE		70	/* stale NFS file handle */
#define EREMOTE		71	/* too many levels of remote in path */
#define EBADRPC		72	/* RPC struct is bad */
#define ERPCMISMATCH	73	/* RPC version wrong */
#define EPROGUNAVAIL	74	/* RPC program not available */
#define EPROGMISMATCH	75	/* program version wrong */
#define EPROCUNAVAIL	76	/* bad procedure for program */
#define ENOLCK		77	/* no locks available */
#define ENOSYS		78	/* function not implemented */
#define EFTYPE		79	/* inappropriate file type or format */
#define EAUTH		80	/* authentication error */
#define ENEEDAUTH	81	/* need authenticator */
#define EIDRM		82	/* identifier removed */
#define ENOMSG		83	/* no message of the desired type */
#define EOVERFLOW	84	/* value too large for the data type */
#define EILSEQ		85	/* illegal byte sequence */
#define ENOTSUP		86	/* not supported */
#define ECANCELED	87	/* operation canceled */
#define EBADMSG		88	/* bad or corrupt message */
#define ENODATA		89	/* no message available */
#define ENOSR		90	/* no STREAM resources */
#define ENOSTR		91	/* not a STREAM */
#define ETIME		92	/* STREAM ioctl timeout */
#define ENOATTR		93	/* attribute not found */
#define EMULTIHOP	94	/* multihop attempted */
#define ENOLINK		95	/* link has been severed */
#define EPROTO		96	/* protocol error */
#define EOWNERDEAD	97	/* previous owner died */
#define ENOTRECOVERABLE	98	/* state not recoverable */
#define ELAST		98	/* the largest error number */

/* Kernel-internal pseudo errors; never leave the kernel. */
#define ERESTART	(-3)	/* restart the system call */
#define EJUSTRETURN	(-2)	/* return without changing registers */

#endif /* !_SYS_ERRNO_H_ */
