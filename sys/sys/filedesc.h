/*
 * Per-process descriptor tables and working directories
 * (kern_descrip.c, vfs_cwd.c).  A table maps small integers to open
 * files, with a close-on-exec flag per descriptor; processes created
 * with RFFDG get a copy, with RFCFDG an empty one, with neither share
 * their parent's.
 */
#ifndef _SYS_FILEDESC_H_
#define _SYS_FILEDESC_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>

struct file;
struct proc;
struct vnode;

#define NDFILE		20		/* descriptors in a new table */
#define MAXFILES	4096		/* the most a process may have */

struct fdentry {
	struct file	*fe_file;
	bool		fe_cloexec;
};

struct filedesc {
	kmutex_t	fd_lock;	/* everything below */
	u_int		fd_refcnt;	/* processes sharing the table */
	int		fd_nfiles;	/* slots in fd_ofiles */
	int		fd_freefile;	/* no free slot below this */
	int		fd_lastfile;	/* highest slot in use, or -1 */
	struct fdentry	*fd_ofiles;
};

/* Working and root directory of a process. */
struct cwdinfo {
	krwlock_t	cwdi_lock;
	u_int		cwdi_refcnt;
	struct vnode	*cwdi_cdir;	/* referenced */
	struct vnode	*cwdi_rdir;	/* referenced */
};

/* Get the open file of fd in curproc, referenced: EBADF if none. */
int	fd_getfile(int fd, struct file **);
/* Install fp at the lowest free descriptor >= minfd. */
int	fd_alloc(struct proc *, struct file *, int minfd, bool cloexec,
	    int *fdp);
int	fd_close(int fd);
/* Close p's close-on-exec descriptors (p ran exec). */
void	fd_closeexec(struct proc *);
int	fd_dup2(struct file *, int newfd, bool cloexec);
int	fd_getcloexec(int fd, bool *);
int	fd_setcloexec(int fd, bool);

/* The current process' working and root directory, referenced. */
struct vnode *cwd_cdir(void);
struct vnode *cwd_rdir(void);
/* Replace the working directory with vp (consumes the reference). */
void	cwd_chdir(struct vnode *);
/*
 * Start tracking directories (VFS init); processes let go of theirs at
 * exit or shutdown (proc_release_all()).
 */
void	cwd_init(void);

/* Descriptor tables of new processes, and their release (kern_proc.c). */
struct filedesc *fd_create(void);
struct filedesc *fd_copy(struct filedesc *);
void	fd_share(struct filedesc *);
/* Process p lets go of its table; the last one closes every file. */
void	fd_free(struct filedesc *, struct proc *p);

#endif /* !_SYS_FILEDESC_H_ */
