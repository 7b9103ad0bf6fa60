/*
 * Ioctl command encoding (kernel ABI): the direction the argument moves,
 * its size, a group letter and a number.  The ioctl() system call copies
 * the argument in before and out after the command by this encoding, so
 * commands see it in kernel memory.
 */
#ifndef _SYS_IOCCOM_H_
#define _SYS_IOCCOM_H_

#define IOCPARM_MASK	0x1fff		/* argument size, at most 8 KiB */
#define IOC_VOID	0x20000000	/* no argument */
#define IOC_OUT		0x40000000	/* copied out after */
#define IOC_IN		0x80000000	/* copied in before */
#define IOC_INOUT	(IOC_IN | IOC_OUT)
#define IOC_DIRMASK	0xe0000000

#define IOCPARM_LEN(x)	(((x) >> 16) & IOCPARM_MASK)

#define _IOC(dir, g, n, len) \
	((unsigned long)((dir) | (((len) & IOCPARM_MASK) << 16) | \
	((g) << 8) | (n)))
#define _IO(g, n)		_IOC(IOC_VOID, (g), (n), 0)
#define _IOR(g, n, t)		_IOC(IOC_OUT, (g), (n), sizeof(t))
#define _IOW(g, n, t)		_IOC(IOC_IN, (g), (n), sizeof(t))
#define _IOWR(g, n, t)		_IOC(IOC_INOUT, (g), (n), sizeof(t))
#define IOCGROUP(x)		(((x) >> 8) & 0xff)

#endif /* !_SYS_IOCCOM_H_ */
