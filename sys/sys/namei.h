/*
 * Path name lookup (vfs_lookup.c): the component a file system is asked
 * about, and namei(), which walks a path from the process' root or
 * working directory through directories, symbolic links and mount
 * points.
 */
#ifndef _SYS_NAMEI_H_
#define _SYS_NAMEI_H_

#include <sys/types.h>
#include <sys/kauth.h>

struct vnode;

#define MAXPATHLEN	4096	/* with the NUL (Linux's PATH_MAX) */
#define MAXSYMLINKS	40	/* ELOOP after this many links in one walk */

/* One component of a path, as VOP_LOOKUP and friends see it. */
struct componentname {
	const char	*cn_nameptr;	/* not NUL-terminated */
	size_t		cn_namelen;
	kauth_cred_t	cn_cred;
	int		cn_nameiop;	/* LOOKUP, CREATE, DELETE, RENAME */
	int		cn_flags;	/* ISDOTDOT, ISLASTCN */
};

/* cn_nameiop: what the caller will do with the last component. */
#define LOOKUP		0
#define CREATE		1
#define DELETE		2
#define RENAME		3

/* cn_flags. */
#define ISDOTDOT	0x0001	/* ".." */
#define ISLASTCN	0x0002	/* the last component of the path */
#define ISDOT		0x0004	/* "." (or a path naming a directory itself) */

/*
 * A lookup: filled in by the caller (nd_path .. nd_flags), answered by
 * namei() (nd_dvp, nd_vp, nd_cn).  The path is copied in; nd_pnbuf
 * holds it (and cn_nameptr points into it) until namei_done().
 */
struct nameidata {
	const char	*nd_path;	/* in: caller's path */
	int		nd_pathseg;	/* in: UIO_USERSPACE or UIO_SYSSPACE */
	int		nd_atfd;	/* in: AT_FDCWD or a directory fd */
	int		nd_nameiop;	/* in: LOOKUP ... RENAME */
	int		nd_flags;	/* in: the flags below */

	struct vnode	*nd_dvp;	/* out: parent, if LOCKPARENT|WANTPARENT */
	struct vnode	*nd_vp;		/* out: the file, or NULL */
	struct componentname nd_cn;	/* out: the last component */
	char		*nd_pnbuf;
	bool		nd_trailslash;	/* out: path ended in '/' */
};

/*
 * nd_atfd AT_LWPVP(0) or AT_LWPVP(1): start at curlwp->l_atvp[0] or [1],
 * a directory vnode kernel code put there (EBADF while unset).  The
 * rump kernel's vnode interface runs the *at() bodies so.
 */
#define AT_LWPVP(i)	(-1000 - (i))

/* nd_flags. */
#define FOLLOW		0x0001	/* follow a symbolic link at the end */
#define NOFOLLOW	0x0000
#define LOCKPARENT	0x0002	/* return nd_dvp locked exclusively */
#define WANTPARENT	0x0004	/* return nd_dvp referenced, unlocked */
#define LOCKLEAF	0x0008	/* return nd_vp locked exclusively */
#define EMPTYPATH	0x0010	/* "" names the starting directory */

/*
 * Walk the path.  For LOOKUP, nd_vp is the file (ENOENT if absent).
 * For CREATE, DELETE and RENAME, nd_dvp is the parent and nd_vp the
 * file or NULL when the last component does not exist; when the last
 * component is "." or ".." (cn_flags ISDOT, ISDOTDOT) there is no parent
 * to act in: nd_dvp is NULL, nd_vp the directory named, and the caller
 * fails as the call's rules say.  nd_trailslash tells the caller the
 * path ended in "/" (an existing nd_vp is then a directory).
 * References are taken on what is returned; release them with
 * namei_done() after unlocking.
 */
int	namei(struct nameidata *);
void	namei_done(struct nameidata *);
/* Path buffers of MAXPATHLEN bytes, for namei and its neighbours. */
void	namei_init(void);
char	*pnbuf_get(void);
void	pnbuf_put(char *);

void	namei_setup(struct nameidata *, const char *path, int seg,
	    int atfd, int op, int flags);

/* The current directory of curproc as a path (vfs_getcwd.c). */
int	vfs_getcwd(struct vnode *root, struct vnode *dir, char *buf,
	    size_t len, size_t *lenp);

#endif /* !_SYS_NAMEI_H_ */
