/*
 * Moving data described by a struct uio (kernel): between a kernel
 * buffer and the caller's or the kernel's memory, through copyin and
 * copyout so a remote caller's memory works the same as a local one's.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>
#include <sys/uio.h>

int
uiomove(void *buf, size_t n, struct uio *uio)
{
	struct iovec *iov;
	char *cp = buf;
	size_t cnt;
	int error;

	while (n > 0 && uio->uio_resid > 0) {
		iov = uio->uio_iov;
		if (iov->iov_len == 0) {
			KASSERT(uio->uio_iovcnt > 0);
			uio->uio_iov++;
			uio->uio_iovcnt--;
			continue;
		}
		cnt = MIN(n, iov->iov_len);
		if (uio->uio_segflg == UIO_SYSSPACE) {
			if (uio->uio_rw == UIO_READ)
				memcpy(iov->iov_base, cp, cnt);
			else
				memcpy(cp, iov->iov_base, cnt);
		} else {
			error = uio->uio_rw == UIO_READ ?
			    copyout(cp, iov->iov_base, cnt) :
			    copyin(iov->iov_base, cp, cnt);
			if (error != 0)
				return error;
		}
		iov->iov_base = (char *)iov->iov_base + cnt;
		iov->iov_len -= cnt;
		uio->uio_resid -= cnt;
		uio->uio_offset += cnt;
		cp += cnt;
		n -= cnt;
	}
	return 0;
}

void *
uio_direct(struct uio *uio, size_t len)
{

	if (uio->uio_segflg == UIO_USERSPACE && !user_memory_local())
		return NULL;
	while (uio->uio_iovcnt > 1 && uio->uio_iov->iov_len == 0) {
		uio->uio_iov++;
		uio->uio_iovcnt--;
	}
	if (uio->uio_iovcnt < 1 || uio->uio_iov->iov_len < len ||
	    uio->uio_resid < len || uio->uio_iov->iov_base == NULL)
		return NULL;
	return uio->uio_iov->iov_base;
}

void
uio_advance(struct uio *uio, size_t n)
{
	struct iovec *iov = uio->uio_iov;

	KASSERT(n <= iov->iov_len && n <= uio->uio_resid);
	iov->iov_base = (char *)iov->iov_base + n;
	iov->iov_len -= n;
	uio->uio_resid -= n;
	uio->uio_offset += (off_t)n;
}

void
uio_setup_sys(struct uio *uio, struct iovec *iov, void *buf, size_t len,
    off_t off, enum uio_rw rw)
{

	iov->iov_base = buf;
	iov->iov_len = len;
	uio->uio_iov = iov;
	uio->uio_iovcnt = 1;
	uio->uio_offset = off;
	uio->uio_resid = len;
	uio->uio_rw = rw;
	uio->uio_segflg = UIO_SYSSPACE;
}
