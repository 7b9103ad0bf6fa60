/*
 * Pipes (kernel): a ring buffer shared by a read end and a write end,
 * behind pipe()/pipe2() and the VFS's fifos.  Readers and writers block
 * on the pipe's condition variable; poll() is told of every change.
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
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/pipe.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscallargs.h>
#include <sys/systm.h>
#include <sys/uio.h>

struct pipe {
	kmutex_t	pipe_lock;
	kcondvar_t	pipe_cv;	/* data, space, or an end came or went */
	char		*pipe_buf;	/* PIPE_SIZE bytes, allocated lazily */
	size_t		pipe_head;	/* next byte to read */
	size_t		pipe_len;	/* bytes buffered */
	u_int		pipe_readers;	/* open read ends */
	u_int		pipe_writers;	/* open write ends */
	u_int		pipe_rgen;	/* read opens so far (fifo waits) */
	u_int		pipe_wgen;	/* write opens so far */
	struct timespec	pipe_atime, pipe_mtime;
};

struct pipe *
pipe_alloc(void)
{
	struct pipe *pp;

	pp = kmem_zalloc(sizeof(*pp), KM_SLEEP);
	mutex_init(&pp->pipe_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&pp->pipe_cv, "pipe");
	nanotime(&pp->pipe_atime);
	pp->pipe_mtime = pp->pipe_atime;
	return pp;
}

void
pipe_free(struct pipe *pp)
{

	KASSERT(pp->pipe_readers == 0 && pp->pipe_writers == 0);
	if (pp->pipe_buf != NULL)
		kmem_free(pp->pipe_buf, PIPE_SIZE);
	cv_destroy(&pp->pipe_cv);
	mutex_destroy(&pp->pipe_lock);
	kmem_free(pp, sizeof(*pp));
}

/* Something changed: wake sleepers in the pipe and in poll(). */
static void
pipe_wakeup(struct pipe *pp)
{

	cv_broadcast(&pp->pipe_cv);
	selnotify();
}

int
pipe_open(struct pipe *pp, int fflag, bool fifo)
{
	u_int gen;
	int error = 0;

	mutex_enter(&pp->pipe_lock);
	if (fflag & FREAD) {
		pp->pipe_readers++;
		pp->pipe_rgen++;
	}
	if (fflag & FWRITE) {
		pp->pipe_writers++;
		pp->pipe_wgen++;
	}
	pipe_wakeup(pp);
	if (fifo && (fflag & (FREAD | FWRITE)) == FWRITE &&
	    pp->pipe_readers == 0) {
		if (fflag & O_NONBLOCK) {
			pp->pipe_writers--;
			mutex_exit(&pp->pipe_lock);
			return ENXIO;
		}
		gen = pp->pipe_rgen;
		while (pp->pipe_rgen == gen && error == 0)
			error = cv_wait_sig(&pp->pipe_cv, &pp->pipe_lock);
	} else if (fifo && (fflag & (FREAD | FWRITE)) == FREAD &&
	    pp->pipe_writers == 0 && (fflag & O_NONBLOCK) == 0) {
		gen = pp->pipe_wgen;
		while (pp->pipe_wgen == gen && error == 0)
			error = cv_wait_sig(&pp->pipe_cv, &pp->pipe_lock);
	}
	if (error != 0) {
		/* Interrupted: this open never happened. */
		if (fflag & FREAD)
			pp->pipe_readers--;
		if (fflag & FWRITE)
			pp->pipe_writers--;
		pipe_wakeup(pp);
	}
	mutex_exit(&pp->pipe_lock);
	return error;
}

bool
pipe_close(struct pipe *pp, int fflag)
{
	bool last;

	mutex_enter(&pp->pipe_lock);
	if (fflag & FREAD)
		pp->pipe_readers--;
	if (fflag & FWRITE)
		pp->pipe_writers--;
	last = pp->pipe_readers == 0 && pp->pipe_writers == 0;
	if (last)
		pp->pipe_len = pp->pipe_head = 0;
	pipe_wakeup(pp);
	mutex_exit(&pp->pipe_lock);
	return last;
}

size_t
pipe_nbytes(struct pipe *pp)
{
	size_t n;

	mutex_enter(&pp->pipe_lock);
	n = pp->pipe_len;
	mutex_exit(&pp->pipe_lock);
	return n;
}

int
pipe_read(struct pipe *pp, struct uio *uio, int fflag)
{
	size_t n, start = uio->uio_resid;
	int error = 0;

	mutex_enter(&pp->pipe_lock);
	while (pp->pipe_len == 0) {
		if (pp->pipe_writers == 0)
			goto out;		/* end of file */
		if (fflag & O_NONBLOCK) {
			error = EAGAIN;
			goto out;
		}
		if ((error = cv_wait_sig(&pp->pipe_cv, &pp->pipe_lock)) != 0)
			goto out;
	}
	while (uio->uio_resid > 0 && pp->pipe_len > 0) {
		n = MIN(pp->pipe_len, PIPE_SIZE - pp->pipe_head);
		n = MIN(n, uio->uio_resid);
		error = uiomove(pp->pipe_buf + pp->pipe_head, n, uio);
		if (error != 0)
			break;
		pp->pipe_head = (pp->pipe_head + n) % PIPE_SIZE;
		pp->pipe_len -= n;
	}
	if (pp->pipe_len == 0)
		pp->pipe_head = 0;
	if (uio->uio_resid != start) {
		nanotime(&pp->pipe_atime);
		pipe_wakeup(pp);
	}
out:
	mutex_exit(&pp->pipe_lock);
	return error;
}

/*
 * Write: a write of at most PIPE_BUF bytes goes in whole; a larger one
 * goes in as space appears.  No reader: EPIPE (there are no signals).
 */
int
pipe_write(struct pipe *pp, struct uio *uio, int fflag)
{
	size_t n, space, tail, start = uio->uio_resid;
	char *buf;
	int error = 0;

	if (pp->pipe_buf == NULL) {
		buf = kmem_alloc(PIPE_SIZE, KM_SLEEP);
		mutex_enter(&pp->pipe_lock);
		if (pp->pipe_buf == NULL) {
			pp->pipe_buf = buf;
			buf = NULL;
		}
		mutex_exit(&pp->pipe_lock);
		if (buf != NULL)
			kmem_free(buf, PIPE_SIZE);
	}
	mutex_enter(&pp->pipe_lock);
	while (uio->uio_resid > 0) {
		if (pp->pipe_readers == 0) {
			error = EPIPE;
			break;
		}
		space = PIPE_SIZE - pp->pipe_len;
		if (space == 0 || (start <= PIPE_BUF && space < start)) {
			if (fflag & O_NONBLOCK) {
				error = EAGAIN;
				break;
			}
			if ((error = cv_wait_sig(&pp->pipe_cv,
			    &pp->pipe_lock)) != 0)
				break;
			continue;
		}
		tail = (pp->pipe_head + pp->pipe_len) % PIPE_SIZE;
		n = MIN(space, PIPE_SIZE - tail);
		n = MIN(n, uio->uio_resid);
		error = uiomove(pp->pipe_buf + tail, n, uio);
		if (error != 0)
			break;
		pp->pipe_len += n;
		pipe_wakeup(pp);
	}
	if (uio->uio_resid != start) {
		nanotime(&pp->pipe_mtime);
		/* A partial write succeeds with the count written. */
		if (error == EAGAIN || error == EPIPE || error == EINTR)
			error = 0;
	}
	mutex_exit(&pp->pipe_lock);
	return error;
}

int
pipe_poll(struct pipe *pp, int events, int fflag)
{
	int revents = 0;

	mutex_enter(&pp->pipe_lock);
	if ((fflag & FREAD) && (events & (POLLIN | POLLRDNORM)) &&
	    pp->pipe_len > 0)
		revents |= events & (POLLIN | POLLRDNORM);
	if ((fflag & FREAD) && pp->pipe_writers == 0 && pp->pipe_wgen > 0)
		revents |= POLLHUP;
	if ((fflag & FWRITE) && pp->pipe_readers == 0)
		revents |= POLLERR;
	else if ((fflag & FWRITE) && (events & (POLLOUT | POLLWRNORM)) &&
	    PIPE_SIZE - pp->pipe_len >= PIPE_BUF)
		revents |= events & (POLLOUT | POLLWRNORM);
	mutex_exit(&pp->pipe_lock);
	return revents;
}

/*
 * Pipe descriptors: each end is an open file whose f_data is the pipe.
 */

static int
pipe_fo_read(struct file *fp, off_t *offp, struct uio *uio, int flags)
{

	return pipe_read(fp->f_data, uio, atomic_load_relaxed(&fp->f_flag));
}

static int
pipe_fo_write(struct file *fp, off_t *offp, struct uio *uio, int flags)
{

	return pipe_write(fp->f_data, uio, atomic_load_relaxed(&fp->f_flag));
}

static int
pipe_fo_poll(struct file *fp, int events)
{

	return pipe_poll(fp->f_data, events, atomic_load_relaxed(&fp->f_flag));
}

static int
pipe_fo_stat(struct file *fp, struct stat *st)
{
	struct pipe *pp = fp->f_data;

	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFIFO | S_IRUSR | S_IWUSR;
	st->st_nlink = 1;
	st->st_uid = kauth_cred_geteuid(fp->f_cred);
	st->st_gid = kauth_cred_getegid(fp->f_cred);
	st->st_blksize = PAGE_SIZE;
	st->st_size = pipe_nbytes(pp);
	st->st_ino = (ino_t)(uintptr_t)pp;
	mutex_enter(&pp->pipe_lock);
	st->st_atim = pp->pipe_atime;
	st->st_mtim = st->st_ctim = st->st_birthtim = pp->pipe_mtime;
	mutex_exit(&pp->pipe_lock);
	return 0;
}

static int
pipe_fo_ioctl(struct file *fp, u_long com, void *data)
{

	if (com != FIONREAD)
		return ENOTTY;
	*(int *)data = (int)pipe_nbytes(fp->f_data);
	return 0;
}

static int
pipe_fo_close(struct file *fp)
{
	struct pipe *pp = fp->f_data;

	if (pipe_close(pp, fp->f_flag & (FREAD | FWRITE)))
		pipe_free(pp);
	return 0;
}

static const struct fileops pipeops = {
	.fo_read = pipe_fo_read,
	.fo_write = pipe_fo_write,
	.fo_ioctl = pipe_fo_ioctl,
	.fo_poll = pipe_fo_poll,
	.fo_stat = pipe_fo_stat,
	.fo_close = pipe_fo_close,
};

static int
dopipe(struct lwp *l, int *ufds, int flags)
{
	struct file *rf, *wf;
	struct pipe *pp;
	int fds[2], error;
	bool cloexec = (flags & O_CLOEXEC) != 0;

	if ((flags & ~(O_CLOEXEC | O_NONBLOCK)) != 0)
		return EINVAL;
	pp = pipe_alloc();
	(void)pipe_open(pp, FREAD | FWRITE, false);
	rf = file_alloc(l->l_cred);
	wf = file_alloc(l->l_cred);
	rf->f_type = wf->f_type = DTYPE_PIPE;
	rf->f_ops = wf->f_ops = &pipeops;
	rf->f_data = wf->f_data = pp;
	rf->f_flag = FREAD | (flags & O_NONBLOCK);
	wf->f_flag = FWRITE | (flags & O_NONBLOCK);

	if ((error = fd_alloc(l->l_proc, rf, 0, cloexec, &fds[0])) != 0)
		goto out;
	if ((error = fd_alloc(l->l_proc, wf, 0, cloexec, &fds[1])) != 0) {
		(void)fd_close(fds[0]);
		goto out;
	}
	if ((error = copyout(fds, ufds, sizeof(fds))) != 0) {
		(void)fd_close(fds[0]);
		(void)fd_close(fds[1]);
	}
out:
	file_rele(rf);
	file_rele(wf);
	return error;
}

int
sys_pipe(struct lwp *l, const struct sys_pipe_args *uap, register_t *retval)
{

	return dopipe(l, SCARG(uap, fildes), 0);
}

int
sys_pipe2(struct lwp *l, const struct sys_pipe2_args *uap, register_t *retval)
{

	return dopipe(l, SCARG(uap, fildes), SCARG(uap, flags));
}
