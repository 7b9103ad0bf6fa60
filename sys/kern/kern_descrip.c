/*
 * Descriptors and open files (kernel): per-process descriptor tables,
 * reference-counted open files shared between descriptors and
 * processes, and the calls that manage descriptors (close, dup*,
 * fcntl).  Part of the base kernel: pipes, files and sockets all use it.
 *
 * Locking: fd_lock protects a table; f_count is atomic; f_lock protects
 * an open file's offset.  An open file is closed (fo_close) when its
 * last reference goes, whether that is a descriptor or a call in
 * progress.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/atomic.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/syscallargs.h>
#include <sys/systm.h>

/*
 * Open files.
 */

struct file *
file_alloc(kauth_cred_t cred)
{
	struct file *fp;

	fp = kmem_zalloc(sizeof(*fp), KM_SLEEP);
	fp->f_count = 1;
	fp->f_cred = cred;
	kauth_cred_hold(cred);
	mutex_init(&fp->f_lock, MUTEX_DEFAULT, IPL_NONE);
	return fp;
}

void
file_hold(struct file *fp)
{

	atomic_inc_uint(&fp->f_count);
}

int
file_rele(struct file *fp)
{
	int error = 0;

	if (atomic_dec_uint_nv(&fp->f_count) > 0)
		return 0;
	if (fp->f_ops != NULL)
		error = fp->f_ops->fo_close(fp);
	kauth_cred_free(fp->f_cred);
	mutex_destroy(&fp->f_lock);
	kmem_free(fp, sizeof(*fp));
	return error;
}

/*
 * A descriptor of process owner is closing fp: drop the process'
 * advisory locks on the file (POSIX: any close releases them all),
 * then the descriptor's reference.
 */
static int
fd_closefile(struct file *fp, struct proc *owner)
{
	struct flock fl;

	if (fp->f_ops->fo_advlock != NULL) {
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_UNLCK;
		fl.l_whence = SEEK_SET;
		(void)fp->f_ops->fo_advlock(fp, owner, F_UNLCK, &fl, false);
	}
	return file_rele(fp);
}

/*
 * Descriptor tables.
 */

struct filedesc *
fd_create(void)
{
	struct filedesc *fdp;

	fdp = kmem_zalloc(sizeof(*fdp), KM_SLEEP);
	mutex_init(&fdp->fd_lock, MUTEX_DEFAULT, IPL_NONE);
	fdp->fd_refcnt = 1;
	fdp->fd_nfiles = NDFILE;
	fdp->fd_lastfile = -1;
	fdp->fd_ofiles = kmem_zalloc(NDFILE * sizeof(struct fdentry),
	    KM_SLEEP);
	return fdp;
}

struct filedesc *
fd_copy(struct filedesc *src)
{
	struct filedesc *fdp;
	struct fdentry *ofiles;
	int n, i;

	/* Size the copy unlocked, then check the size still fits. */
	for (;;) {
		n = atomic_load_relaxed(&src->fd_nfiles);
		ofiles = kmem_zalloc(n * sizeof(*ofiles), KM_SLEEP);
		mutex_enter(&src->fd_lock);
		if (src->fd_nfiles == n)
			break;
		mutex_exit(&src->fd_lock);
		kmem_free(ofiles, n * sizeof(*ofiles));
	}
	fdp = kmem_zalloc(sizeof(*fdp), KM_SLEEP);
	mutex_init(&fdp->fd_lock, MUTEX_DEFAULT, IPL_NONE);
	fdp->fd_refcnt = 1;
	fdp->fd_nfiles = n;
	fdp->fd_ofiles = ofiles;
	fdp->fd_freefile = src->fd_freefile;
	fdp->fd_lastfile = src->fd_lastfile;
	for (i = 0; i <= src->fd_lastfile; i++) {
		ofiles[i] = src->fd_ofiles[i];
		if (ofiles[i].fe_file != NULL)
			file_hold(ofiles[i].fe_file);
	}
	mutex_exit(&src->fd_lock);
	return fdp;
}

void
fd_share(struct filedesc *fdp)
{

	atomic_inc_uint(&fdp->fd_refcnt);
}

/* Drop a process' hold on its table; the last one closes everything. */
void
fd_free(struct filedesc *fdp, struct proc *p)
{
	struct file *fp;
	int i;

	if (fdp == NULL || atomic_dec_uint_nv(&fdp->fd_refcnt) > 0)
		return;
	for (i = 0; i <= fdp->fd_lastfile; i++) {
		if ((fp = fdp->fd_ofiles[i].fe_file) != NULL)
			(void)fd_closefile(fp, p);
	}
	kmem_free(fdp->fd_ofiles, fdp->fd_nfiles * sizeof(struct fdentry));
	mutex_destroy(&fdp->fd_lock);
	kmem_free(fdp, sizeof(*fdp));
}

int
fd_getfile(int fd, struct file **fpp)
{
	struct filedesc *fdp = curproc->p_fd;
	struct file *fp;

	mutex_enter(&fdp->fd_lock);
	if (fd < 0 || fd > fdp->fd_lastfile ||
	    (fp = fdp->fd_ofiles[fd].fe_file) == NULL) {
		mutex_exit(&fdp->fd_lock);
		return EBADF;
	}
	file_hold(fp);
	mutex_exit(&fdp->fd_lock);
	*fpp = fp;
	return 0;
}

/*
 * Make room for descriptor fd in a table, whose lock is held; may drop
 * and retake it to allocate.
 */
static void
fd_grow(struct filedesc *fdp, int fd)
{
	struct fdentry *nf;
	int n;

	while (fd >= fdp->fd_nfiles) {
		n = fdp->fd_nfiles;
		while (n <= fd)
			n *= 2;
		n = MIN(n, MAXFILES);
		mutex_exit(&fdp->fd_lock);
		nf = kmem_zalloc(n * sizeof(*nf), KM_SLEEP);
		mutex_enter(&fdp->fd_lock);
		if (n <= fdp->fd_nfiles) {
			kmem_free(nf, n * sizeof(*nf));
			continue;
		}
		memcpy(nf, fdp->fd_ofiles, fdp->fd_nfiles * sizeof(*nf));
		kmem_free(fdp->fd_ofiles, fdp->fd_nfiles * sizeof(*nf));
		fdp->fd_ofiles = nf;
		atomic_store_relaxed(&fdp->fd_nfiles, n);	/* fd_copy() */
	}
}

/* Put fp (a new reference) in slot fd of a locked table. */
static void
fd_install(struct filedesc *fdp, int fd, struct file *fp, bool cloexec)
{

	KASSERT(fdp->fd_ofiles[fd].fe_file == NULL);
	fdp->fd_ofiles[fd].fe_file = fp;
	fdp->fd_ofiles[fd].fe_cloexec = cloexec;
	if (fd > fdp->fd_lastfile)
		fdp->fd_lastfile = fd;
	if (fd == fdp->fd_freefile)
		fdp->fd_freefile++;
}

/* Empty slot fd of a locked table; returns the file it held. */
static struct file *
fd_remove(struct filedesc *fdp, int fd)
{
	struct file *fp = fdp->fd_ofiles[fd].fe_file;

	fdp->fd_ofiles[fd].fe_file = NULL;
	fdp->fd_ofiles[fd].fe_cloexec = false;
	if (fd < fdp->fd_freefile)
		fdp->fd_freefile = fd;
	while (fdp->fd_lastfile >= 0 &&
	    fdp->fd_ofiles[fdp->fd_lastfile].fe_file == NULL)
		fdp->fd_lastfile--;
	return fp;
}

/* Install fp (the caller's reference is kept; the table takes its own). */
int
fd_alloc(struct proc *p, struct file *fp, int minfd, bool cloexec,
    int *fdp_out)
{
	struct filedesc *fdp = p->p_fd;
	int fd;

	if (minfd < 0 || minfd >= MAXFILES)
		return EINVAL;
	mutex_enter(&fdp->fd_lock);
	for (;;) {
		fd = MAX(minfd, fdp->fd_freefile);
		while (fd < fdp->fd_nfiles && fdp->fd_ofiles[fd].fe_file != NULL)
			fd++;
		if (fd >= MAXFILES) {
			mutex_exit(&fdp->fd_lock);
			return EMFILE;
		}
		if (fd < fdp->fd_nfiles)
			break;
		fd_grow(fdp, fd);
	}
	file_hold(fp);
	fd_install(fdp, fd, fp, cloexec);
	mutex_exit(&fdp->fd_lock);
	*fdp_out = fd;
	return 0;
}

/* p ran exec: its close-on-exec descriptors close. */
void
fd_closeexec(struct proc *p)
{
	struct filedesc *fdp = p->p_fd;
	struct file *fp;
	int i;

	if (fdp == NULL)
		return;
	mutex_enter(&fdp->fd_lock);
	for (i = 0; i <= fdp->fd_lastfile; i++) {
		if (fdp->fd_ofiles[i].fe_file == NULL ||
		    !fdp->fd_ofiles[i].fe_cloexec)
			continue;
		fp = fd_remove(fdp, i);
		mutex_exit(&fdp->fd_lock);
		(void)fd_closefile(fp, p);
		mutex_enter(&fdp->fd_lock);
	}
	mutex_exit(&fdp->fd_lock);
}

int
fd_close(int fd)
{
	struct proc *p = curproc;
	struct filedesc *fdp = p->p_fd;
	struct file *fp;

	mutex_enter(&fdp->fd_lock);
	if (fd < 0 || fd > fdp->fd_lastfile ||
	    fdp->fd_ofiles[fd].fe_file == NULL) {
		mutex_exit(&fdp->fd_lock);
		return EBADF;
	}
	fp = fd_remove(fdp, fd);
	mutex_exit(&fdp->fd_lock);
	return fd_closefile(fp, p);
}

/* Make newfd refer to fp, closing what it referred to. */
int
fd_dup2(struct file *fp, int newfd, bool cloexec)
{
	struct proc *p = curproc;
	struct filedesc *fdp = p->p_fd;
	struct file *old;

	if (newfd < 0 || newfd >= MAXFILES)
		return EBADF;
	mutex_enter(&fdp->fd_lock);
	fd_grow(fdp, newfd);
	old = fdp->fd_ofiles[newfd].fe_file;
	if (old != NULL)
		(void)fd_remove(fdp, newfd);
	file_hold(fp);
	fd_install(fdp, newfd, fp, cloexec);
	mutex_exit(&fdp->fd_lock);
	if (old != NULL)
		(void)fd_closefile(old, p);
	return 0;
}

int
fd_getcloexec(int fd, bool *cloexecp)
{
	struct filedesc *fdp = curproc->p_fd;

	mutex_enter(&fdp->fd_lock);
	if (fd < 0 || fd > fdp->fd_lastfile ||
	    fdp->fd_ofiles[fd].fe_file == NULL) {
		mutex_exit(&fdp->fd_lock);
		return EBADF;
	}
	*cloexecp = fdp->fd_ofiles[fd].fe_cloexec;
	mutex_exit(&fdp->fd_lock);
	return 0;
}

int
fd_setcloexec(int fd, bool cloexec)
{
	struct filedesc *fdp = curproc->p_fd;

	mutex_enter(&fdp->fd_lock);
	if (fd < 0 || fd > fdp->fd_lastfile ||
	    fdp->fd_ofiles[fd].fe_file == NULL) {
		mutex_exit(&fdp->fd_lock);
		return EBADF;
	}
	fdp->fd_ofiles[fd].fe_cloexec = cloexec;
	mutex_exit(&fdp->fd_lock);
	return 0;
}

/*
 * System calls.
 */

int
sys_close(struct lwp *l, const struct sys_close_args *uap, register_t *retval)
{

	return fd_close(SCARG(uap, fd));
}

int
sys_dup(struct lwp *l, const struct sys_dup_args *uap, register_t *retval)
{
	struct file *fp;
	int error, fd;

	if ((error = fd_getfile(SCARG(uap, fd), &fp)) != 0)
		return error;
	error = fd_alloc(l->l_proc, fp, 0, false, &fd);
	file_rele(fp);
	if (error == 0)
		*retval = fd;
	return error;
}

/* dup2 and dup3: dup3 refuses from == to and flags but O_CLOEXEC. */
static int
dodup3(int from, int to, int flags, bool isdup3, register_t *retval)
{
	struct file *fp;
	int error;

	if ((flags & ~O_CLOEXEC) != 0)
		return EINVAL;
	if ((error = fd_getfile(from, &fp)) != 0)
		return error;
	if (from == to) {
		file_rele(fp);
		if (isdup3)
			return EINVAL;
		*retval = to;
		return 0;
	}
	error = fd_dup2(fp, to, (flags & O_CLOEXEC) != 0);
	file_rele(fp);
	if (error == 0)
		*retval = to;
	return error;
}

int
sys_dup2(struct lwp *l, const struct sys_dup2_args *uap, register_t *retval)
{

	return dodup3(SCARG(uap, from), SCARG(uap, to), 0, false, retval);
}

int
sys_dup3(struct lwp *l, const struct sys_dup3_args *uap, register_t *retval)
{

	return dodup3(SCARG(uap, from), SCARG(uap, to), SCARG(uap, flags),
	    true, retval);
}

/* F_GETLK, F_SETLK, F_SETLKW: the lock description is in the caller's memory. */
static int
fcntl_lock(struct file *fp, int cmd, void *uarg)
{
	struct proc *p = curproc;
	struct flock fl;
	int error;

	if (fp->f_ops->fo_advlock == NULL)
		return EINVAL;
	if ((error = copyin(uarg, &fl, sizeof(fl))) != 0)
		return error;
	if (cmd == F_GETLK) {
		if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK)
			return EINVAL;
		error = fp->f_ops->fo_advlock(fp, p, F_GETLK, &fl, false);
		if (error == 0)
			error = copyout(&fl, uarg, sizeof(fl));
		return error;
	}
	switch (fl.l_type) {
	case F_RDLCK:
		if ((atomic_load_relaxed(&fp->f_flag) & FREAD) == 0)
			return EBADF;
		break;
	case F_WRLCK:
		if ((atomic_load_relaxed(&fp->f_flag) & FWRITE) == 0)
			return EBADF;
		break;
	case F_UNLCK:
		break;
	default:
		return EINVAL;
	}
	return fp->f_ops->fo_advlock(fp, p, fl.l_type == F_UNLCK ?
	    F_UNLCK : F_SETLK, &fl, cmd == F_SETLKW);
}

int
sys_fcntl(struct lwp *l, const struct sys_fcntl_args *uap, register_t *retval)
{
	int fd = SCARG(uap, fd), cmd = SCARG(uap, cmd);
	intptr_t arg = (intptr_t)SCARG(uap, arg);
	struct file *fp;
	bool cloexec;
	u_int nflag;
	int error, newfd;

	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg < 0 || arg >= MAXFILES) {
			error = EINVAL;
			break;
		}
		error = fd_alloc(l->l_proc, fp, (int)arg,
		    cmd == F_DUPFD_CLOEXEC, &newfd);
		if (error == 0)
			*retval = newfd;
		break;
	case F_GETFD:
		if ((error = fd_getcloexec(fd, &cloexec)) == 0)
			*retval = cloexec ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		error = fd_setcloexec(fd, (arg & FD_CLOEXEC) != 0);
		break;
	case F_GETFL:
		*retval = OFLAGS(atomic_load_relaxed(&fp->f_flag) & FMASK);
		break;
	case F_SETFL:
		mutex_enter(&fp->f_lock);
		nflag = (fp->f_flag & ~FCNTLFLAGS) | ((u_int)arg & FCNTLFLAGS);
		atomic_store_relaxed(&fp->f_flag, nflag);
		mutex_exit(&fp->f_lock);
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		error = fcntl_lock(fp, cmd, (void *)arg);
		break;
	default:
		error = EINVAL;
		break;
	}
	file_rele(fp);
	return error;
}
