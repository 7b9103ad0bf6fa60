/*
 * The descriptor calls that work on any kind of open file (kernel):
 * read and write in all their forms, lseek, fstat, fsync, ftruncate,
 * ioctl and poll.  Each goes through the file's fileops.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/filio.h>
#include <sys/ioccom.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscallargs.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/uio.h>

/*
 * Read or write through fp with the caller's iovecs (already copied into
 * the kernel).  offp: NULL for the file's own offset, else an explicit
 * offset (pread, pwrite).
 */
static int
dofileio(struct file *fp, struct iovec *iov, int iovcnt, const off_t *offp,
    enum uio_rw rw, register_t *retval)
{
	struct uio uio;
	size_t total = 0;
	off_t off;
	int i, error;

	/* Linux's order: a positioned call on a pipe is ESPIPE first. */
	if (offp != NULL && fp->f_ops->fo_seek == NULL)
		return ESPIPE;
	if ((atomic_load_relaxed(&fp->f_flag) &
	    (rw == UIO_READ ? FREAD : FWRITE)) == 0)
		return EBADF;
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > SSIZE_MAX - total)
			return EINVAL;
		total += iov[i].iov_len;
	}
	if (offp != NULL && *offp < 0)
		return EINVAL;
	off = offp != NULL ? *offp : 0;
	uio.uio_iov = iov;
	uio.uio_iovcnt = iovcnt;
	uio.uio_resid = total;
	uio.uio_offset = off;
	uio.uio_rw = rw;
	uio.uio_segflg = UIO_USERSPACE;
	if (rw == UIO_READ)
		error = fp->f_ops->fo_read(fp, offp != NULL ? &off :
		    &fp->f_offset, &uio, offp != NULL ? 0 : FOF_UPDATE_OFFSET);
	else
		error = fp->f_ops->fo_write(fp, offp != NULL ? &off :
		    &fp->f_offset, &uio, offp != NULL ? 0 : FOF_UPDATE_OFFSET);
	/* A transfer cut short by an error still reports what it moved. */
	if (error != 0 && uio.uio_resid != total &&
	    (error == EINTR || error == EAGAIN))
		error = 0;
	if (error == 0)
		*retval = (register_t)(total - uio.uio_resid);
	return error;
}

static int
dorw(int fd, void *buf, size_t nbyte, const off_t *offp, enum uio_rw rw,
    register_t *retval)
{
	struct iovec iov;
	struct file *fp;
	int error;

	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	iov.iov_base = buf;
	iov.iov_len = nbyte;
	error = dofileio(fp, &iov, 1, offp, rw, retval);
	file_rele(fp);
	return error;
}

static int
dorwv(int fd, const struct iovec *uiov, int iovcnt, enum uio_rw rw,
    register_t *retval)
{
	struct iovec small[8], *iov = small;
	struct file *fp;
	int error;

	/* Linux's order: the descriptor, its mode, then the vector. */
	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	if ((atomic_load_relaxed(&fp->f_flag) & (rw == UIO_READ ? FREAD : FWRITE)) == 0)
		error = EBADF;
	else if (iovcnt < 0 || iovcnt > IOV_MAX)
		error = EINVAL;
	else if (iovcnt == 0)
		*retval = 0;
	else {
		if (iovcnt > (int)__arraycount(small))
			iov = kmem_alloc(iovcnt * sizeof(*iov), KM_SLEEP);
		error = copyin(uiov, iov, iovcnt * sizeof(*iov));
		if (error == 0)
			error = dofileio(fp, iov, iovcnt, NULL, rw, retval);
		if (iov != small)
			kmem_free(iov, iovcnt * sizeof(*iov));
	}
	file_rele(fp);
	return error;
}

int
sys_read(struct lwp *l, const struct sys_read_args *uap, register_t *retval)
{

	return dorw(SCARG(uap, fd), SCARG(uap, buf), SCARG(uap, nbyte), NULL,
	    UIO_READ, retval);
}

int
sys_write(struct lwp *l, const struct sys_write_args *uap, register_t *retval)
{

	return dorw(SCARG(uap, fd), __UNCONST(SCARG(uap, buf)),
	    SCARG(uap, nbyte), NULL, UIO_WRITE, retval);
}

int
sys_pread(struct lwp *l, const struct sys_pread_args *uap, register_t *retval)
{
	off_t off = SCARG(uap, offset);

	return dorw(SCARG(uap, fd), SCARG(uap, buf), SCARG(uap, nbyte), &off,
	    UIO_READ, retval);
}

int
sys_pwrite(struct lwp *l, const struct sys_pwrite_args *uap,
    register_t *retval)
{
	off_t off = SCARG(uap, offset);

	return dorw(SCARG(uap, fd), __UNCONST(SCARG(uap, buf)),
	    SCARG(uap, nbyte), &off, UIO_WRITE, retval);
}

int
sys_readv(struct lwp *l, const struct sys_readv_args *uap, register_t *retval)
{

	return dorwv(SCARG(uap, fd), SCARG(uap, iov), SCARG(uap, iovcnt),
	    UIO_READ, retval);
}

int
sys_writev(struct lwp *l, const struct sys_writev_args *uap,
    register_t *retval)
{

	return dorwv(SCARG(uap, fd), SCARG(uap, iov), SCARG(uap, iovcnt),
	    UIO_WRITE, retval);
}

int
sys_lseek(struct lwp *l, const struct sys_lseek_args *uap, register_t *retval)
{
	struct file *fp;
	off_t newoff;
	int error;

	if ((error = fd_getfile(SCARG(uap, fd), &fp)) != 0)
		return error;
	if (fp->f_ops->fo_seek == NULL)
		error = ESPIPE;
	else
		error = fp->f_ops->fo_seek(fp, SCARG(uap, offset),
		    SCARG(uap, whence), &newoff);
	if (error == 0)
		*retval = newoff;
	file_rele(fp);
	return error;
}

int
sys_fstat(struct lwp *l, const struct sys_fstat_args *uap, register_t *retval)
{
	struct stat st;
	struct file *fp;
	int error;

	if ((error = fd_getfile(SCARG(uap, fd), &fp)) != 0)
		return error;
	error = fp->f_ops->fo_stat(fp, &st);
	file_rele(fp);
	if (error == 0)
		error = copyout(&st, SCARG(uap, sb), sizeof(st));
	return error;
}

/*
 * ioctl: the command's encoding says how large its argument is and which
 * way it moves; it is copied in before and out after, so the file's
 * fo_ioctl sees kernel memory.  The generic file commands are done here
 * for every kind of file.
 */
int
sys_ioctl(struct lwp *l, const struct sys_ioctl_args *uap, register_t *retval)
{
	u_long com = SCARG(uap, com);
	void *udata = SCARG(uap, data);
	size_t size = IOCPARM_LEN(com);
	uint64_t stkbuf[16];
	struct file *fp;
	void *data;
	u_int nflag;
	int error;

	if ((com & IOC_DIRMASK) == 0 ||
	    ((com & IOC_VOID) != 0 && (com & IOC_INOUT) != 0) ||
	    ((com & IOC_INOUT) != 0 && size == 0))
		return ENOTTY;
	if ((error = fd_getfile(SCARG(uap, fd), &fp)) != 0)
		return error;
	if ((fp->f_flag & (FREAD | FWRITE)) == 0) {
		error = EBADF;
		goto out;
	}
	switch (com) {
	case FIOCLEX:
	case FIONCLEX:
		error = fd_setcloexec(SCARG(uap, fd), com == FIOCLEX);
		goto out;
	}

	/*
	 * Commands match by their whole value, size included, so a file's
	 * ioctl reads no more than the size; still, a buffer of at least
	 * stkbuf's size, zeroed, for commands it does not know.
	 */
	if (size <= sizeof(stkbuf)) {
		data = stkbuf;
		memset(stkbuf, 0, sizeof(stkbuf));
	} else {
		data = kmem_zalloc(size, KM_SLEEP);
	}
	if ((com & IOC_IN) != 0 && (error = copyin(udata, data, size)) != 0)
		goto out_free;

	switch (com) {
	case FIONBIO:
		mutex_enter(&fp->f_lock);
		nflag = fp->f_flag;
		if (*(int *)data != 0)
			nflag |= O_NONBLOCK;
		else
			nflag &= ~(u_int)O_NONBLOCK;
		atomic_store_relaxed(&fp->f_flag, nflag);
		mutex_exit(&fp->f_lock);
		error = 0;
		break;
	default:
		error = fp->f_ops->fo_ioctl == NULL ? ENOTTY :
		    (*fp->f_ops->fo_ioctl)(fp, com, data);
		break;
	}
	if (error == 0 && (com & IOC_OUT) != 0)
		error = copyout(data, udata, size);
out_free:
	if (data != stkbuf)
		kmem_free(data, size);
out:
	file_rele(fp);
	return error;
}

static int
dofsync(int fd, int flags)
{
	struct file *fp;
	int error;

	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	error = fp->f_ops->fo_fsync != NULL ? fp->f_ops->fo_fsync(fp, flags) :
	    EINVAL;
	file_rele(fp);
	return error;
}

int
sys_fsync(struct lwp *l, const struct sys_fsync_args *uap, register_t *retval)
{

	return dofsync(SCARG(uap, fd), 0);
}

int
sys_fdatasync(struct lwp *l, const struct sys_fdatasync_args *uap,
    register_t *retval)
{

	return dofsync(SCARG(uap, fd), 1);
}

int
file_truncate(struct file *fp, off_t length)
{

	if (length < 0)
		return EINVAL;
	if ((atomic_load_relaxed(&fp->f_flag) & FWRITE) == 0)
		return EINVAL;		/* POSIX: EBADF or EINVAL; Linux: EINVAL */
	if (fp->f_ops->fo_truncate == NULL)
		return EINVAL;
	return fp->f_ops->fo_truncate(fp, length);
}

int
sys_ftruncate(struct lwp *l, const struct sys_ftruncate_args *uap,
    register_t *retval)
{
	struct file *fp;
	int error;

	if (SCARG(uap, length) < 0)
		return EINVAL;
	if ((error = fd_getfile(SCARG(uap, fd), &fp)) != 0)
		return error;
	error = file_truncate(fp, SCARG(uap, length));
	file_rele(fp);
	return error;
}

/*
 * poll.  Objects call selnotify() whenever their readiness may have
 * changed; a poller that found nothing ready sleeps until the
 * notification count moves or its time is up, then scans again.
 */

static kmutex_t poll_lock;
static kcondvar_t poll_cv;
static uint64_t poll_gen;

void
select_init(void)
{

	mutex_init(&poll_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&poll_cv, "poll");
}

void
selnotify(void)
{

	mutex_enter(&poll_lock);
	poll_gen++;
	cv_broadcast(&poll_cv);
	mutex_exit(&poll_lock);
}

/*
 * What ends a select() wait for a descriptor polled for events: readable
 * includes a hangup or an error, writable an error; an exceptional
 * condition is POLLPRI alone.
 */
static short
select_interest(short events)
{

	return events | ((events & POLLIN) ? POLLHUP | POLLERR : 0) |
	    ((events & POLLOUT) ? POLLERR : 0);
}

/*
 * One scan: set revents; returns how many descriptors are ready: any
 * revents for poll(), those select() asked about for sel.
 */
static int
poll_scan(struct pollfd *fds, u_int nfds, bool sel)
{
	struct file *fp;
	u_int i;
	int n = 0;

	for (i = 0; i < nfds; i++) {
		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		if (fd_getfile(fds[i].fd, &fp) != 0) {
			fds[i].revents = POLLNVAL;
			n++;
			continue;
		}
		if (fp->f_ops->fo_poll != NULL)
			fds[i].revents = fp->f_ops->fo_poll(fp,
			    fds[i].events | POLLERR | POLLHUP);
		else
			fds[i].revents = fds[i].events & (POLLIN | POLLOUT |
			    POLLRDNORM | POLLWRNORM);
		file_rele(fp);
		if (sel ? (fds[i].revents & select_interest(fds[i].events)) :
		    fds[i].revents)
			n++;
	}
	return n;
}

/*
 * Scan fds until one is ready or timeout_ns (-1: none) has passed; the
 * number ready goes to *np.  A scan that finds nothing sleeps until any
 * object changes (selnotify()).  Returns 0, or EINTR when the process
 * is interrupted.
 */
static int
poll_wait(struct pollfd *fds, u_int nfds, int64_t timeout_ns, bool sel,
    int *np)
{
	int64_t deadline = 0, left;
	uint64_t gen;
	int error;

	if (timeout_ns > 0)
		deadline = getnsuptime() + timeout_ns;
	for (;;) {
		mutex_enter(&poll_lock);
		gen = poll_gen;
		mutex_exit(&poll_lock);
		if ((*np = poll_scan(fds, nfds, sel)) > 0 || timeout_ns == 0)
			return 0;
		mutex_enter(&poll_lock);
		error = 0;
		if (poll_gen == gen) {
			if (timeout_ns < 0)
				error = cv_wait_sig(&poll_cv, &poll_lock);
			else if ((left = deadline - getnsuptime()) > 0)
				error = cv_timedwait_sig_ns(&poll_cv,
				    &poll_lock, left);
		}
		mutex_exit(&poll_lock);
		if (error == EINTR)
			return EINTR;
		if (timeout_ns > 0 && getnsuptime() >= deadline) {
			*np = poll_scan(fds, nfds, sel);
			return 0;
		}
	}
}

int
sys_poll(struct lwp *l, const struct sys_poll_args *uap, register_t *retval)
{
	struct pollfd small[16], *fds = small;
	u_int nfds = SCARG(uap, nfds);
	int timeout = SCARG(uap, timeout);
	int n, error;

	if (nfds > MAXFILES)
		return EINVAL;
	if (nfds > __arraycount(small))
		fds = kmem_alloc(nfds * sizeof(*fds), KM_SLEEP);
	if ((error = copyin(SCARG(uap, fds), fds, nfds * sizeof(*fds))) != 0)
		goto out;
	error = poll_wait(fds, nfds,
	    timeout < 0 ? -1 : (int64_t)timeout * 1000000, false, &n);
	if (error != 0)
		goto out;
	*retval = n;
	error = copyout(fds, SCARG(uap, fds), nfds * sizeof(*fds));
out:
	if (fds != small)
		kmem_free(fds, nfds * sizeof(*fds));
	return error;
}

#define FDS_ISSET(s, fd)	(((s)->fs_bits[(fd) / 32] >> ((fd) % 32)) & 1)
#define FDS_SET(s, fd)		((s)->fs_bits[(fd) / 32] |= 1U << ((fd) % 32))

/*
 * select: poll() on the descriptors of the three sets.  Readable is
 * POLLIN, a hangup or an error; writable is POLLOUT or an error;
 * exceptional is POLLPRI.  A descriptor not open is EBADF.  The timeout
 * is not updated.
 */
int
sys_select(struct lwp *l, const struct sys_select_args *uap,
    register_t *retval)
{
	struct fd_set *const usets[3] = { SCARG(uap, in), SCARG(uap, ou),
	    SCARG(uap, ex) };
	static const short want[3] = { POLLIN, POLLOUT, POLLPRI };
	struct fd_set sets[3];
	struct timeval tv;
	struct pollfd *fds = NULL;
	int nd = SCARG(uap, nd), fd, i, n = 0, ready = 0, error = 0;
	int64_t timeout_ns = -1;
	size_t setlen;
	short ev;

	if (nd < 0 || nd > FD_SETSIZE)
		return EINVAL;
	/* The sets are read and written only as far as nd reaches. */
	setlen = howmany(nd, 32) * sizeof(sets[0].fs_bits[0]);
	if (SCARG(uap, tv) != NULL) {
		if ((error = copyin(SCARG(uap, tv), &tv, sizeof(tv))) != 0)
			return error;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return EINVAL;
		timeout_ns = tv.tv_sec > INT64_MAX / NSEC_PER_SEC - 1 ?
		    INT64_MAX / 2 : tv.tv_sec * NSEC_PER_SEC +
		    tv.tv_usec * 1000;
	}
	memset(sets, 0, sizeof(sets));
	for (i = 0; i < 3; i++)
		if (usets[i] != NULL && (error = copyin(usets[i], &sets[i],
		    setlen)) != 0)
			return error;
	if (nd > 0)
		fds = kmem_alloc((size_t)nd * sizeof(*fds), KM_SLEEP);
	for (fd = 0; fd < nd; fd++) {
		for (ev = 0, i = 0; i < 3; i++)
			if (FDS_ISSET(&sets[i], fd))
				ev |= want[i];
		if (ev != 0) {
			fds[n].fd = fd;
			fds[n].events = ev;
			n++;
		}
	}
	if ((error = poll_wait(fds, (u_int)n, timeout_ns, true, &i)) != 0)
		goto out;

	memset(sets, 0, sizeof(sets));
	for (fd = 0; fd < n; fd++) {
		if (fds[fd].revents & POLLNVAL) {
			error = EBADF;
			goto out;
		}
		for (i = 0; i < 3; i++) {
			if ((fds[fd].events & want[i]) != 0 &&
			    (fds[fd].revents & select_interest(want[i])) != 0) {
				FDS_SET(&sets[i], fds[fd].fd);
				ready++;
			}
		}
	}
	for (i = 0; i < 3 && error == 0; i++)
		if (usets[i] != NULL)
			error = copyout(&sets[i], usets[i], setlen);
	*retval = ready;
out:
	if (fds != NULL)
		kmem_free(fds, (size_t)nd * sizeof(*fds));
	return error;
}
