/*
 * Open files (kern_descrip.c): the object a descriptor refers to, shared
 * by every descriptor dup()ed from it and by processes that inherited
 * it.  It holds the offset, the open flags and the operations of its
 * kind (a vnode, a pipe, later a socket).
 */
#ifndef _SYS_FILE_H_
#define _SYS_FILE_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/kauth.h>

struct file;
struct flock;
struct uio;
struct stat;
struct lwp;

/*
 * The operations of a kind of file.  fo_read/fo_write: offp is the
 * file's offset (f_lock held around the call for vnodes); flags says
 * FOF_UPDATE_OFFSET when the call moves it.
 */
struct fileops {
	int	(*fo_read)(struct file *, off_t *, struct uio *, int);
	int	(*fo_write)(struct file *, off_t *, struct uio *, int);
	int	(*fo_ioctl)(struct file *, u_long, void *);
	int	(*fo_poll)(struct file *, int);
	int	(*fo_stat)(struct file *, struct stat *);
	int	(*fo_close)(struct file *);
	int	(*fo_seek)(struct file *, off_t, int, off_t *);	/* NULL: ESPIPE */
	int	(*fo_truncate)(struct file *, off_t);		/* NULL: EINVAL */
	int	(*fo_fsync)(struct file *, int);		/* NULL: EINVAL */
	int	(*fo_advlock)(struct file *, void *, int, struct flock *, bool);
};

#define FOF_UPDATE_OFFSET	0x0001

struct file {
	const struct fileops *f_ops;
	void		*f_data;	/* vnode, pipe */
	int		f_type;		/* DTYPE_* */
	u_int		f_flag;		/* FREAD, FWRITE, O_APPEND, ... */
	u_int		f_count;	/* references: descriptors and calls */
	kauth_cred_t	f_cred;		/* the opener's */
	kmutex_t	f_lock;		/* f_offset */
	off_t		f_offset;
	/* An open device (vfs_vnops.c): S_IFBLK or S_IFCHR, else 0. */
	int		f_devfmt;
	dev_t		f_rdev;
};

#define DTYPE_VNODE	1
#define DTYPE_PIPE	2
#define DTYPE_SOCKET	3

/* Allocate an open file (one reference), its ops to be filled in. */
struct file *file_alloc(kauth_cred_t);
void	file_hold(struct file *);
/* Drop a reference; the last one closes the file. */
int	file_rele(struct file *);
/* ftruncate() of an open file: EINVAL unless open for writing. */
int	file_truncate(struct file *, off_t);

extern const struct fileops vnops;	/* vfs_vnops.c */

#endif /* !_SYS_FILE_H_ */
