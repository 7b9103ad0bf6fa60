/*
 * Scatter/gather I/O descriptions: struct iovec (kernel ABI) and struct
 * uio, which says where a transfer's data is (the caller's memory or the
 * kernel's), where in the file it goes, and how much is left.
 */
#ifndef _SYS_UIO_H_
#define _SYS_UIO_H_

#include <sys/types.h>

struct iovec {	/* kabi */
	void	*iov_base;
	size_t	iov_len;
};

#define IOV_MAX		1024

enum uio_rw { UIO_READ, UIO_WRITE };
enum uio_seg { UIO_USERSPACE, UIO_SYSSPACE };

struct uio {
	struct iovec	*uio_iov;	/* advanced as data moves */
	int		uio_iovcnt;
	off_t		uio_offset;	/* file offset, advanced */
	size_t		uio_resid;	/* bytes left */
	enum uio_rw	uio_rw;		/* UIO_READ: from the kernel to iov */
	enum uio_seg	uio_segflg;
};

/*
 * Move up to n bytes between the kernel buffer buf and the uio: out to
 * the iovecs for UIO_READ, in from them for UIO_WRITE.  Advances the uio.
 * Returns 0 or EFAULT.
 */
int	uiomove(void *buf, size_t n, struct uio *uio);
/*
 * The next len bytes of the uio as one run of memory the kernel can
 * address (kernel memory, or a local caller's), or NULL: they span
 * iovecs, or the caller's memory is not the kernel's to touch.  Used to
 * move data by other means (a device transfer); uio_advance() then
 * accounts for it.
 */
void	*uio_direct(struct uio *uio, size_t len);
void	uio_advance(struct uio *uio, size_t n);
/* Fill a uio describing one kernel buffer. */
void	uio_setup_sys(struct uio *, struct iovec *, void *, size_t, off_t,
	    enum uio_rw);

#endif /* !_SYS_UIO_H_ */
