/*
 * Socket system calls and socket files (kernel).  The calls copy
 * addresses, options and messages between the caller and the kernel and
 * hand them to the socket layer (uipc_socket.c); a socket descriptor's
 * read, write, poll, ioctl and close go there too.  Addresses cross in
 * the kernel's own layout (sa_len first); the boundary translation
 * converts the host's.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/atomic.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mbuf.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/protosw.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/sockio.h>
#include <sys/stat.h>
#include <sys/syscallargs.h>
#include <sys/systm.h>
#include <sys/uio.h>

#include <lib/libkern/libkern.h>

/* Interface and route ioctls, when the interface layer is linked. */
int (*socket_ifioctl_hook)(u_long, void *, struct lwp *);

/*
 * Socket files.
 */

static int
soo_read(struct file *fp, off_t *offp, struct uio *uio, int flags)
{
	int rflags = (atomic_load_relaxed(&fp->f_flag) & O_NONBLOCK) ?
	    MSG_DONTWAIT : 0;

	return soreceive(fp->f_data, NULL, uio, NULL, &rflags);
}

static int
soo_write(struct file *fp, off_t *offp, struct uio *uio, int flags)
{

	return sosend(fp->f_data, NULL, uio, NULL, NULL,
	    (atomic_load_relaxed(&fp->f_flag) & O_NONBLOCK) ? MSG_DONTWAIT : 0,
	    curlwp);
}

static int
soo_ioctl(struct file *fp, u_long cmd, void *data)
{
	struct socket *so = fp->f_data;

	switch (cmd) {
	case FIONREAD:
		solock(so);
		*(int *)data = (int)so->so_rcv.sb_cc;
		sounlock(so);
		return 0;
	default:
		if (IOCGROUP(cmd) == 'i' || IOCGROUP(cmd) == 'r') {
			if (socket_ifioctl_hook == NULL)
				return ENXIO;
			return (*socket_ifioctl_hook)(cmd, data, curlwp);
		}
		return ENOTTY;
	}
}

static int
soo_poll(struct file *fp, int events)
{

	return sopoll(fp->f_data, events);
}

static int
soo_stat(struct file *fp, struct stat *st)
{
	struct socket *so = fp->f_data;

	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFSOCK | S_IRUSR | S_IWUSR;
	st->st_nlink = 1;
	st->st_uid = kauth_cred_geteuid(fp->f_cred);
	st->st_gid = kauth_cred_getegid(fp->f_cred);
	st->st_blksize = PAGE_SIZE;
	st->st_ino = (ino_t)(uintptr_t)so;
	solock(so);
	st->st_size = so->so_rcv.sb_cc;
	sounlock(so);
	return 0;
}

static int
soo_close(struct file *fp)
{

	return soclose(fp->f_data);
}

const struct fileops socketops = {
	.fo_read = soo_read,
	.fo_write = soo_write,
	.fo_ioctl = soo_ioctl,
	.fo_poll = soo_poll,
	.fo_stat = soo_stat,
	.fo_close = soo_close,
};

/* The socket of descriptor fd, its file referenced. */
static int
fd_getsock(int fd, struct socket **sop, struct file **fpp)
{
	struct file *fp;
	int error;

	if ((error = fd_getfile(fd, &fp)) != 0)
		return error;
	if (fp->f_type != DTYPE_SOCKET) {
		file_rele(fp);
		return ENOTSOCK;
	}
	*sop = fp->f_data;
	*fpp = fp;
	return 0;
}

/*
 * A file for so, installed at a new descriptor.  On failure the socket
 * has been closed with the file.
 */
static int
socket_install(struct lwp *l, struct socket *so, int flags, int *fdp)
{
	struct file *fp;
	int error;

	fp = file_alloc(l->l_cred);
	fp->f_type = DTYPE_SOCKET;
	fp->f_ops = &socketops;
	fp->f_data = so;
	fp->f_flag = FREAD | FWRITE |
	    ((flags & SOCK_NONBLOCK) != 0 ? O_NONBLOCK : 0);
	error = fd_alloc(l->l_proc, fp, 0, (flags & SOCK_CLOEXEC) != 0, fdp);
	file_rele(fp);
	return error;
}

/* A socket address from the caller. */
static int
sockaddr_copyin(struct sockaddr_storage *ss, const void *uaddr,
    socklen_t len)
{
	int error;

	if (len < 2 || len > sizeof(*ss))
		return EINVAL;
	memset(ss, 0, sizeof(*ss));
	if ((error = copyin(uaddr, ss, len)) != 0)
		return error;
	ss->ss_len = (uint8_t)len;
	return 0;
}

/*
 * Give the caller an address: as much as its buffer (*ulenp bytes)
 * holds, and the whole length in *ulenp.
 */
static int
sockaddr_copyout(const struct sockaddr *sa, void *uaddr, socklen_t *ulenp)
{
	socklen_t len, have;
	int error;

	if (uaddr == NULL || ulenp == NULL)
		return 0;
	if ((error = copyin(ulenp, &have, sizeof(have))) != 0)
		return error;
	if ((int)have < 0)
		return EINVAL;
	len = sa->sa_len;
	if ((error = copyout(sa, uaddr, have < len ? have : len)) != 0)
		return error;
	return copyout(&len, ulenp, sizeof(len));
}

int
sys_socket(struct lwp *l, const struct sys_socket_args *uap,
    register_t *retval)
{
	struct socket *so;
	int type = SCARG(uap, type), fd, error;

	if ((type & ~(SOCK_TYPEMASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0)
		return EINVAL;
	if ((error = socreate(SCARG(uap, domain), &so, type & SOCK_TYPEMASK,
	    SCARG(uap, protocol), l)) != 0)
		return error;
	if ((error = socket_install(l, so, type, &fd)) != 0)
		return error;
	*retval = fd;
	return 0;
}

int
sys_socketpair(struct lwp *l, const struct sys_socketpair_args *uap,
    register_t *retval)
{
	struct socket *so1, *so2;
	int type = SCARG(uap, type), fds[2], error;

	if ((type & ~(SOCK_TYPEMASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0)
		return EINVAL;
	if ((error = socreate(SCARG(uap, domain), &so1, type & SOCK_TYPEMASK,
	    SCARG(uap, protocol), l)) != 0)
		return error;
	if ((error = socreate(SCARG(uap, domain), &so2, type & SOCK_TYPEMASK,
	    SCARG(uap, protocol), l)) != 0) {
		(void)soclose(so1);
		return error;
	}
	if (so1->so_proto->pr_usrreqs->pru_connect2 == NULL ||
	    (error = soconnect2(so1, so2)) != 0) {
		(void)soclose(so1);
		(void)soclose(so2);
		return error != 0 ? error : EOPNOTSUPP;
	}
	if ((error = socket_install(l, so1, type, &fds[0])) != 0) {
		(void)soclose(so2);
		return error;
	}
	if ((error = socket_install(l, so2, type, &fds[1])) != 0) {
		(void)fd_close(fds[0]);
		return error;
	}
	if ((error = copyout(fds, SCARG(uap, sv), sizeof(fds))) != 0) {
		(void)fd_close(fds[0]);
		(void)fd_close(fds[1]);
	}
	return error;
}

int
sys_bind(struct lwp *l, const struct sys_bind_args *uap, register_t *retval)
{
	struct sockaddr_storage ss;
	struct socket *so;
	struct file *fp;
	int error;

	if ((error = sockaddr_copyin(&ss, SCARG(uap, addr),
	    SCARG(uap, addrlen))) != 0)
		return error;
	if ((error = fd_getsock(SCARG(uap, s), &so, &fp)) != 0)
		return error;
	error = sobind(so, (struct sockaddr *)&ss, l);
	file_rele(fp);
	return error;
}

int
sys_listen(struct lwp *l, const struct sys_listen_args *uap,
    register_t *retval)
{
	struct socket *so;
	struct file *fp;
	int error;

	if ((error = fd_getsock(SCARG(uap, s), &so, &fp)) != 0)
		return error;
	error = solisten(so, SCARG(uap, backlog), l);
	file_rele(fp);
	return error;
}

static int
doaccept(struct lwp *l, int s, struct sockaddr *name, socklen_t *anamelen,
    int flags, register_t *retval)
{
	struct sockaddr_storage ss;
	struct socket *head, *so;
	struct file *fp;
	int fd, error;

	if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0)
		return EINVAL;
	if ((error = fd_getsock(s, &head, &fp)) != 0)
		return error;
	error = soaccept(head, (atomic_load_relaxed(&fp->f_flag) &
	    O_NONBLOCK) != 0, &so);
	file_rele(fp);
	if (error != 0)
		return error;
	/* The peer's address before the descriptor is anyone's to close. */
	memset(&ss, 0, sizeof(ss));
	solock(so);
	if (so->so_pcb != NULL)
		(void)(*so->so_proto->pr_usrreqs->pru_peeraddr)(so,
		    (struct sockaddr *)&ss);
	sounlock(so);
	if ((error = socket_install(l, so, flags, &fd)) != 0)
		return error;
	*retval = fd;
	if (name == NULL)
		return 0;
	if (ss.ss_len == 0) {
		/* Reset before it was accepted: no peer to name. */
		(void)fd_close(fd);
		return ECONNABORTED;
	}
	if ((error = sockaddr_copyout((struct sockaddr *)&ss, name,
	    anamelen)) != 0)
		(void)fd_close(fd);
	return error;
}

int
sys_accept(struct lwp *l, const struct sys_accept_args *uap,
    register_t *retval)
{

	return doaccept(l, SCARG(uap, s), SCARG(uap, addr),
	    SCARG(uap, addrlen), 0, retval);
}

int
sys_accept4(struct lwp *l, const struct sys_accept4_args *uap,
    register_t *retval)
{

	return doaccept(l, SCARG(uap, s), SCARG(uap, addr),
	    SCARG(uap, addrlen), SCARG(uap, flags), retval);
}

int
sys_connect(struct lwp *l, const struct sys_connect_args *uap,
    register_t *retval)
{
	struct sockaddr_storage ss;
	struct socket *so;
	struct file *fp;
	int error;

	if ((error = sockaddr_copyin(&ss, SCARG(uap, addr),
	    SCARG(uap, addrlen))) != 0)
		return error;
	if ((error = fd_getsock(SCARG(uap, s), &so, &fp)) != 0)
		return error;
	error = soconnect(so, (struct sockaddr *)&ss,
	    (atomic_load_relaxed(&fp->f_flag) & O_NONBLOCK) != 0, l);
	/* Wait for the handshake; an answer that came already counts. */
	if (error == 0)
		error = soconnect_wait(so);
	file_rele(fp);
	return error;
}

int
sys_shutdown(struct lwp *l, const struct sys_shutdown_args *uap,
    register_t *retval)
{
	struct socket *so;
	struct file *fp;
	int error;

	if ((error = fd_getsock(SCARG(uap, s), &so, &fp)) != 0)
		return error;
	error = soshutdown(so, SCARG(uap, how));
	file_rele(fp);
	return error;
}

/* sendto, sendmsg: iov already in the kernel, to the optional address. */
static int
dosend(struct lwp *l, int s, struct iovec *iov, int iovcnt,
    const void *to, socklen_t tolen, int flags, register_t *retval)
{
	struct sockaddr_storage ss;
	struct socket *so;
	struct file *fp;
	struct uio uio;
	size_t total = 0;
	int i, error;

	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > SSIZE_MAX - total)
			return EINVAL;
		total += iov[i].iov_len;
	}
	if (to != NULL && (error = sockaddr_copyin(&ss, to, tolen)) != 0)
		return error;
	if ((error = fd_getsock(s, &so, &fp)) != 0)
		return error;
	if ((atomic_load_relaxed(&fp->f_flag) & O_NONBLOCK) != 0)
		flags |= MSG_DONTWAIT;
	uio.uio_iov = iov;
	uio.uio_iovcnt = iovcnt;
	uio.uio_offset = 0;
	uio.uio_resid = total;
	uio.uio_rw = UIO_WRITE;
	uio.uio_segflg = UIO_USERSPACE;
	error = sosend(so, to != NULL ? (struct sockaddr *)&ss : NULL, &uio,
	    NULL, NULL, flags, l);
	file_rele(fp);
	if (error == 0)
		*retval = (register_t)(total - uio.uio_resid);
	return error;
}

/*
 * recvfrom, recvmsg: into iov; the sender's address to name (as much
 * as *namelenp holds; *namelenp gets the whole length), flags out.
 */
static int
dorecv(struct lwp *l, int s, struct iovec *iov, int iovcnt, void *name,
    socklen_t *namelenp, int *flagsp, register_t *retval)
{
	struct socket *so;
	struct file *fp;
	struct mbuf *from = NULL;
	struct uio uio;
	size_t total = 0;
	socklen_t len;
	int i, error, flags = *flagsp;

	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > SSIZE_MAX - total)
			return EINVAL;
		total += iov[i].iov_len;
	}
	if ((error = fd_getsock(s, &so, &fp)) != 0)
		return error;
	if ((atomic_load_relaxed(&fp->f_flag) & O_NONBLOCK) != 0)
		flags |= MSG_DONTWAIT;
	uio.uio_iov = iov;
	uio.uio_iovcnt = iovcnt;
	uio.uio_offset = 0;
	uio.uio_resid = total;
	uio.uio_rw = UIO_READ;
	uio.uio_segflg = UIO_USERSPACE;
	error = soreceive(so, name != NULL ? &from : NULL, &uio, NULL, &flags);
	file_rele(fp);
	if (error != 0)
		goto out;
	*retval = (register_t)(total - uio.uio_resid);
	/* A truncated datagram reports its whole length with MSG_TRUNC. */
	*flagsp = flags;
	if (name != NULL && namelenp != NULL) {
		if (from == NULL) {
			len = 0;
			error = copyout(&len, namelenp, sizeof(len));
		} else
			error = sockaddr_copyout(mtod(from, struct sockaddr *),
			    name, namelenp);
	}
out:
	m_freem(from);
	return error;
}

int
sys_sendto(struct lwp *l, const struct sys_sendto_args *uap,
    register_t *retval)
{
	struct iovec iov;

	iov.iov_base = __UNCONST(SCARG(uap, buf));
	iov.iov_len = SCARG(uap, len);
	return dosend(l, SCARG(uap, s), &iov, 1, SCARG(uap, addr),
	    SCARG(uap, addrlen), SCARG(uap, flags), retval);
}

int
sys_send(struct lwp *l, const struct sys_send_args *uap, register_t *retval)
{
	struct iovec iov;

	iov.iov_base = __UNCONST(SCARG(uap, buf));
	iov.iov_len = SCARG(uap, len);
	return dosend(l, SCARG(uap, s), &iov, 1, NULL, 0, SCARG(uap, flags),
	    retval);
}

int
sys_recvfrom(struct lwp *l, const struct sys_recvfrom_args *uap,
    register_t *retval)
{
	struct iovec iov;
	int flags = SCARG(uap, flags);

	iov.iov_base = SCARG(uap, buf);
	iov.iov_len = SCARG(uap, len);
	return dorecv(l, SCARG(uap, s), &iov, 1, SCARG(uap, addr),
	    SCARG(uap, addrlen), &flags, retval);
}

int
sys_recv(struct lwp *l, const struct sys_recv_args *uap, register_t *retval)
{
	struct iovec iov;
	int flags = SCARG(uap, flags);

	iov.iov_base = SCARG(uap, buf);
	iov.iov_len = SCARG(uap, len);
	return dorecv(l, SCARG(uap, s), &iov, 1, NULL, NULL, &flags, retval);
}

/* The caller's msghdr and its iovecs, in the kernel. */
static int
msg_copyin(const struct msghdr *umsg, struct msghdr *msg,
    struct iovec *small, int nsmall, struct iovec **iovp)
{
	struct iovec *iov;
	int error;

	if ((error = copyin(umsg, msg, sizeof(*msg))) != 0)
		return error;
	if (msg->msg_iovlen < 0 || msg->msg_iovlen > IOV_MAX)
		return EMSGSIZE;
	if (msg->msg_controllen != 0)
		return EOPNOTSUPP;	/* no control messages yet */
	iov = msg->msg_iovlen <= nsmall ? small :
	    kmem_alloc((size_t)msg->msg_iovlen * sizeof(*iov), KM_SLEEP);
	if ((error = copyin(msg->msg_iov, iov,
	    (size_t)msg->msg_iovlen * sizeof(*iov))) != 0) {
		if (iov != small)
			kmem_free(iov, (size_t)msg->msg_iovlen * sizeof(*iov));
		return error;
	}
	*iovp = iov;
	return 0;
}

int
sys_sendmsg(struct lwp *l, const struct sys_sendmsg_args *uap,
    register_t *retval)
{
	struct iovec small[8], *iov;
	struct msghdr msg;
	int error;

	if ((error = msg_copyin(SCARG(uap, msg), &msg, small, 8, &iov)) != 0)
		return error;
	error = dosend(l, SCARG(uap, s), iov, msg.msg_iovlen, msg.msg_name,
	    msg.msg_namelen, SCARG(uap, flags), retval);
	if (iov != small)
		kmem_free(iov, (size_t)msg.msg_iovlen * sizeof(*iov));
	return error;
}

int
sys_recvmsg(struct lwp *l, const struct sys_recvmsg_args *uap,
    register_t *retval)
{
	struct iovec small[8], *iov;
	struct msghdr msg, *umsg = SCARG(uap, msg);
	int flags = SCARG(uap, flags), error;

	if ((error = msg_copyin(umsg, &msg, small, 8, &iov)) != 0)
		return error;
	error = dorecv(l, SCARG(uap, s), iov, msg.msg_iovlen, msg.msg_name,
	    msg.msg_name != NULL ? &umsg->msg_namelen : NULL, &flags, retval);
	if (error == 0)
		error = copyout(&flags, &umsg->msg_flags, sizeof(flags));
	if (iov != small)
		kmem_free(iov, (size_t)msg.msg_iovlen * sizeof(*iov));
	return error;
}

int
sys_setsockopt(struct lwp *l, const struct sys_setsockopt_args *uap,
    register_t *retval)
{
	char buf[SOPT_MAXSIZE];
	struct sockopt sopt;
	struct socket *so;
	struct file *fp;
	int error;

	if (SCARG(uap, valsize) > sizeof(buf))
		return EINVAL;
	if (SCARG(uap, val) != NULL && (error = copyin(SCARG(uap, val), buf,
	    SCARG(uap, valsize))) != 0)
		return error;
	sopt.sopt_level = SCARG(uap, level);
	sopt.sopt_name = SCARG(uap, name);
	sopt.sopt_data = buf;
	sopt.sopt_size = SCARG(uap, val) != NULL ? SCARG(uap, valsize) : 0;
	if ((error = fd_getsock(SCARG(uap, s), &so, &fp)) != 0)
		return error;
	error = sosetopt(so, &sopt);
	file_rele(fp);
	return error;
}

int
sys_getsockopt(struct lwp *l, const struct sys_getsockopt_args *uap,
    register_t *retval)
{
	char buf[SOPT_MAXSIZE];
	struct sockopt sopt;
	struct socket *so;
	struct file *fp;
	socklen_t len;
	int error;

	if ((error = copyin(SCARG(uap, valsize), &len, sizeof(len))) != 0)
		return error;
	memset(buf, 0, sizeof(buf));
	sopt.sopt_level = SCARG(uap, level);
	sopt.sopt_name = SCARG(uap, name);
	sopt.sopt_data = buf;
	sopt.sopt_size = len < sizeof(buf) ? len : sizeof(buf);
	if ((error = fd_getsock(SCARG(uap, s), &so, &fp)) != 0)
		return error;
	error = sogetopt(so, &sopt);
	file_rele(fp);
	if (error != 0)
		return error;
	len = (socklen_t)sopt.sopt_size;
	if ((error = copyout(buf, SCARG(uap, val), len)) != 0)
		return error;
	return copyout(&len, SCARG(uap, valsize), sizeof(len));
}

static int
dogetname(struct lwp *l, int s, void *name, socklen_t *alen, bool peer)
{
	struct sockaddr_storage ss;
	struct socket *so;
	struct file *fp;
	int error;

	if ((error = fd_getsock(s, &so, &fp)) != 0)
		return error;
	memset(&ss, 0, sizeof(ss));
	solock(so);
	if (so->so_pcb == NULL)
		error = EINVAL;
	else if (peer && (so->so_state & SS_ISCONNECTED) == 0)
		error = ENOTCONN;
	else if (peer)
		error = (*so->so_proto->pr_usrreqs->pru_peeraddr)(so,
		    (struct sockaddr *)&ss);
	else
		error = (*so->so_proto->pr_usrreqs->pru_sockaddr)(so,
		    (struct sockaddr *)&ss);
	sounlock(so);
	file_rele(fp);
	if (error == 0)
		error = sockaddr_copyout((struct sockaddr *)&ss, name, alen);
	return error;
}

int
sys_getsockname(struct lwp *l, const struct sys_getsockname_args *uap,
    register_t *retval)
{

	return dogetname(l, SCARG(uap, s), SCARG(uap, addr),
	    SCARG(uap, addrlen), false);
}

int
sys_getpeername(struct lwp *l, const struct sys_getpeername_args *uap,
    register_t *retval)
{

	return dogetname(l, SCARG(uap, s), SCARG(uap, addr),
	    SCARG(uap, addrlen), true);
}
