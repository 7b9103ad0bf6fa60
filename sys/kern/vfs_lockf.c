/*
 * POSIX advisory record locks (kernel VFS): fcntl F_GETLK, F_SETLK and
 * F_SETLKW.  Each vnode keeps a list of locks sorted by start offset;
 * a process' own locks never overlap (setting a lock replaces the part
 * of its own locks it covers, and adjacent locks of one type merge).
 * Waiters sleep on the vnode's v_cv.  No deadlock detection: two
 * processes waiting for each other wait forever (EDEADLK is optional
 * in POSIX).
 *
 * Locking: v_interlock protects v_lockf and the list.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#define LF_EOF	INT64_MAX	/* a lock "to the end of the file" ends here */

struct lockf {
	struct lockf	*lf_next;	/* by lf_start */
	off_t		lf_start;
	off_t		lf_end;		/* inclusive */
	short		lf_type;	/* F_RDLCK or F_WRLCK */
	void		*lf_id;		/* the owning process */
	pid_t		lf_pid;
};

/* Does lock lf conflict with a type lock on [start, end] held by id? */
static bool
lf_conflicts(const struct lockf *lf, void *id, short type, off_t start,
    off_t end)
{

	return lf->lf_id != id && lf->lf_start <= end && start <= lf->lf_end &&
	    (type == F_WRLCK || lf->lf_type == F_WRLCK);
}

/*
 * Remove id's locks from [start, end], splitting one that spans it
 * (using *sparep, which is then consumed).
 */
static void
lf_cut(struct vnode *vp, void *id, off_t start, off_t end,
    struct lockf **sparep)
{
	struct lockf **lfp = &vp->v_lockf, *lf, *right;

	while ((lf = *lfp) != NULL) {
		if (lf->lf_id != id || lf->lf_end < start || lf->lf_start > end) {
			lfp = &lf->lf_next;
			continue;
		}
		if (lf->lf_start < start && lf->lf_end > end) {
			/* Split: keep the left part, add the right one. */
			right = *sparep;
			*sparep = NULL;
			*right = *lf;
			right->lf_start = end + 1;
			lf->lf_end = start - 1;
			lf->lf_next = right;
			return;
		}
		if (lf->lf_start < start) {
			lf->lf_end = start - 1;
			lfp = &lf->lf_next;
		} else if (lf->lf_end > end) {
			lf->lf_start = end + 1;
			lfp = &lf->lf_next;
		} else {
			*lfp = lf->lf_next;
			kmem_free(lf, sizeof(*lf));
		}
	}
}

/* Insert nlf in start order, merging it with id's touching locks. */
static void
lf_insert(struct vnode *vp, struct lockf *nlf)
{
	struct lockf **lfp, *lf;

	for (lfp = &vp->v_lockf; (lf = *lfp) != NULL; ) {
		if (lf->lf_id == nlf->lf_id && lf->lf_type == nlf->lf_type &&
		    (lf->lf_end == LF_EOF || lf->lf_end + 1 >= nlf->lf_start) &&
		    (nlf->lf_end == LF_EOF || nlf->lf_end + 1 >= lf->lf_start)) {
			nlf->lf_start = MIN(nlf->lf_start, lf->lf_start);
			nlf->lf_end = MAX(nlf->lf_end, lf->lf_end);
			*lfp = lf->lf_next;
			kmem_free(lf, sizeof(*lf));
			continue;
		}
		lfp = &lf->lf_next;
	}
	for (lfp = &vp->v_lockf; (lf = *lfp) != NULL; lfp = &lf->lf_next)
		if (lf->lf_start > nlf->lf_start)
			break;
	nlf->lf_next = *lfp;
	*lfp = nlf;
}

int
lf_advlock(struct vnode *vp, void *id, int op, struct flock *fl, off_t base,
    bool wait)
{
	struct lockf *lf, *nlf = NULL, *spare = NULL;
	off_t start, end;
	int error = 0;
	bool none;

	switch (fl->l_whence) {
	case SEEK_SET:
		start = fl->l_start;
		break;
	case SEEK_CUR:
	case SEEK_END:
		if (fl->l_start > 0 && base > INT64_MAX - fl->l_start)
			return EOVERFLOW;
		start = base + fl->l_start;
		break;
	default:
		return EINVAL;
	}
	if (fl->l_len < 0) {
		/* A negative length covers the bytes before l_start. */
		end = start - 1;
		if (start + fl->l_len < 0)
			return EINVAL;
		start += fl->l_len;
	} else if (fl->l_len == 0)
		end = LF_EOF;
	else {
		if (start > INT64_MAX - (fl->l_len - 1))
			return EOVERFLOW;
		end = start + fl->l_len - 1;
	}
	if (start < 0)
		return EINVAL;

	/* Every close unlocks: make that cheap when there are no locks. */
	if (op == LF_UNLCK) {
		mutex_enter(&vp->v_interlock);
		none = vp->v_lockf == NULL;
		mutex_exit(&vp->v_interlock);
		if (none)
			return 0;
	}
	if (op == LF_SETLK)
		nlf = kmem_alloc(sizeof(*nlf), KM_SLEEP);
	if (op != LF_GETLK)
		spare = kmem_alloc(sizeof(*spare), KM_SLEEP);

	mutex_enter(&vp->v_interlock);
	switch (op) {
	case LF_GETLK:
		for (lf = vp->v_lockf; lf != NULL; lf = lf->lf_next)
			if (lf_conflicts(lf, id, fl->l_type, start, end))
				break;
		if (lf == NULL)
			fl->l_type = F_UNLCK;
		else {
			fl->l_type = lf->lf_type;
			fl->l_whence = SEEK_SET;
			fl->l_start = lf->lf_start;
			fl->l_len = lf->lf_end == LF_EOF ? 0 :
			    lf->lf_end - lf->lf_start + 1;
			fl->l_pid = lf->lf_pid;
		}
		break;
	case LF_SETLK:
		for (;;) {
			for (lf = vp->v_lockf; lf != NULL; lf = lf->lf_next)
				if (lf_conflicts(lf, id, fl->l_type, start, end))
					break;
			if (lf == NULL)
				break;
			if (!wait) {
				error = EAGAIN;
				goto out;
			}
			if ((error = cv_wait_sig(&vp->v_cv,
			    &vp->v_interlock)) != 0)
				goto out;
		}
		lf_cut(vp, id, start, end, &spare);
		nlf->lf_start = start;
		nlf->lf_end = end;
		nlf->lf_type = fl->l_type;
		nlf->lf_id = id;
		nlf->lf_pid = ((struct proc *)id)->p_pid;
		lf_insert(vp, nlf);
		nlf = NULL;
		cv_broadcast(&vp->v_cv);	/* a downgrade may let some in */
		break;
	case LF_UNLCK:
		lf_cut(vp, id, start, end, &spare);
		cv_broadcast(&vp->v_cv);
		break;
	}
out:
	mutex_exit(&vp->v_interlock);
	if (nlf != NULL)
		kmem_free(nlf, sizeof(*nlf));
	if (spare != NULL)
		kmem_free(spare, sizeof(*spare));
	return error;
}

/* The vnode is going away: drop every lock (their owners are gone). */
void
lf_purge(struct vnode *vp)
{
	struct lockf *lf;

	mutex_enter(&vp->v_interlock);
	while ((lf = vp->v_lockf) != NULL) {
		vp->v_lockf = lf->lf_next;
		kmem_free(lf, sizeof(*lf));
	}
	mutex_exit(&vp->v_interlock);
}
