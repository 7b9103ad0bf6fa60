/*
 * sysctl (kernel): the table of named values and the system calls that
 * read and set them by name.  Nodes are kept sorted by name, so a
 * listing comes out in order.  The base kernel's own nodes are here:
 * kern.* and hw.*; other subsystems add theirs.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/cpu.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/kinfo.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/rwlock.h>
#include <sys/syscallargs.h>
#include <sys/sysctl.h>
#include <sys/systm.h>

static TAILQ_HEAD(, sysctl_node) sysctl_nodes =
    TAILQ_HEAD_INITIALIZER(sysctl_nodes);
/* Held across handlers: nodes are not removed while in use. */
static krwlock_t sysctl_lock;

int
sysctl_add(struct sysctl_node *sn)
{
	struct sysctl_node *it;
	int c;

	KASSERT(strlen(sn->sn_name) < SYSCTL_NAMELEN);
	rw_enter(&sysctl_lock, RW_WRITER);
	TAILQ_FOREACH(it, &sysctl_nodes, sn_link) {
		if ((c = strcmp(it->sn_name, sn->sn_name)) == 0) {
			rw_exit(&sysctl_lock);
			return EEXIST;
		}
		if (c > 0)
			break;
	}
	if (it != NULL)
		TAILQ_INSERT_BEFORE(it, sn, sn_link);
	else
		TAILQ_INSERT_TAIL(&sysctl_nodes, sn, sn_link);
	rw_exit(&sysctl_lock);
	return 0;
}

void
sysctl_remove(struct sysctl_node *sn)
{

	rw_enter(&sysctl_lock, RW_WRITER);
	TAILQ_REMOVE(&sysctl_nodes, sn, sn_link);
	rw_exit(&sysctl_lock);
}

void
sysctl_add_all(struct sysctl_node *sn, u_int n)
{
	u_int i;

	for (i = 0; i < n; i++)
		if (sysctl_add(&sn[i]) != 0)
			panic("sysctl: %s twice", sn[i].sn_name);
}

void
sysctl_remove_all(struct sysctl_node *sn, u_int n)
{
	u_int i;

	for (i = 0; i < n; i++)
		sysctl_remove(&sn[i]);
}

int
sysctl_out(struct sysctl_req *req, const void *buf, size_t len)
{
	int error = 0;

	if (req->sr_old != NULL) {
		if (len > req->sr_oldlen - MIN(req->sr_oldidx, req->sr_oldlen))
			error = ENOMEM;
		else
			error = copyout(buf, (char *)req->sr_old +
			    req->sr_oldidx, len);
	}
	req->sr_oldidx += len;
	return error;
}

int
sysctl_in(struct sysctl_req *req, void *buf, size_t len)
{

	if (req->sr_new == NULL)
		return 0;
	if (req->sr_newlen != len)
		return EINVAL;
	return copyin(req->sr_new, buf, len);
}

int
sysctl_int64(const struct sysctl_node *sn, struct sysctl_req *req)
{
	int64_t v = *(int64_t *)sn->sn_data;
	int error;

	if ((error = sysctl_out(req, &v, sizeof(v))) != 0)
		return error;
	if (req->sr_new == NULL)
		return 0;
	if ((error = sysctl_in(req, &v, sizeof(v))) == 0)
		*(int64_t *)sn->sn_data = v;
	return error;
}

int
sysctl_string(const struct sysctl_node *sn, struct sysctl_req *req)
{
	const char *s = sn->sn_data;

	return sysctl_out(req, s, strlen(s) + 1);
}

/* The node called name (sysctl_lock held), or NULL. */
static struct sysctl_node *
sysctl_find(const char *name)
{
	struct sysctl_node *sn;

	TAILQ_FOREACH(sn, &sysctl_nodes, sn_link)
		if (strcmp(sn->sn_name, name) == 0)
			return sn;
	return NULL;
}

/*
 * sysctl(name, old, oldlenp, new, newlen): the value of name into old
 * (at most *oldlenp bytes; *oldlenp then says how many there are, and
 * ENOMEM if they did not fit; with old NULL, only how many), then the
 * new value, if any (CTLFLAG_RW nodes, the superuser only).
 */
int
sys_sysctl(struct lwp *l, const struct sys_sysctl_args *uap,
    register_t *retval)
{
	char name[SYSCTL_NAMELEN];
	struct sysctl_node *sn;
	struct sysctl_req req;
	size_t oldlen = 0;
	int error;

	if ((error = copyinstr(SCARG(uap, name), name, sizeof(name),
	    NULL)) != 0)
		return error == ENAMETOOLONG ? ENOENT : error;
	if (SCARG(uap, oldlenp) != NULL &&
	    (error = copyin(SCARG(uap, oldlenp), &oldlen,
	    sizeof(oldlen))) != 0)
		return error;
	memset(&req, 0, sizeof(req));
	req.sr_old = SCARG(uap, oldlenp) != NULL ? SCARG(uap, old) : NULL;
	req.sr_oldlen = oldlen;
	req.sr_new = SCARG(uap, new);
	req.sr_newlen = SCARG(uap, newlen);

	rw_enter(&sysctl_lock, RW_READER);
	if ((sn = sysctl_find(name)) == NULL)
		error = ENOENT;
	else if (req.sr_new != NULL && (sn->sn_flags & CTLFLAG_RW) == 0)
		error = EPERM;
	else if (req.sr_new != NULL && !kauth_cred_issuser(l->l_cred))
		error = EPERM;
	else
		error = (*sn->sn_handler)(sn, &req);
	rw_exit(&sysctl_lock);
	if ((error == 0 || error == ENOMEM) && SCARG(uap, oldlenp) != NULL) {
		int e = copyout(&req.sr_oldidx, SCARG(uap, oldlenp),
		    sizeof(req.sr_oldidx));

		if (e != 0)
			error = e;
	}
	return error;
}

/*
 * sysctl_list(prefix, buf, lenp): the nodes whose names start with
 * prefix, each as its type character and its name, NUL-terminated, one
 * after the other; *lenp as sysctl()'s *oldlenp.
 */
int
sys_sysctl_list(struct lwp *l, const struct sys_sysctl_list_args *uap,
    register_t *retval)
{
	char prefix[SYSCTL_NAMELEN], rec[SYSCTL_NAMELEN + 1];
	struct sysctl_node *sn;
	struct sysctl_req req;
	size_t len = 0, plen;
	int error;

	if ((error = copyinstr(SCARG(uap, prefix), prefix, sizeof(prefix),
	    NULL)) != 0)
		return error == ENAMETOOLONG ? ENOENT : error;
	if ((error = copyin(SCARG(uap, lenp), &len, sizeof(len))) != 0)
		return error;
	memset(&req, 0, sizeof(req));
	req.sr_old = SCARG(uap, buf);
	req.sr_oldlen = len;
	plen = strlen(prefix);
	rw_enter(&sysctl_lock, RW_READER);
	TAILQ_FOREACH(sn, &sysctl_nodes, sn_link) {
		if (strncmp(sn->sn_name, prefix, plen) != 0)
			continue;
		rec[0] = (char)sn->sn_type;
		strlcpy(rec + 1, sn->sn_name, sizeof(rec) - 1);
		if ((error = sysctl_out(&req, rec, strlen(rec) + 1)) != 0 &&
		    error != ENOMEM)
			break;
	}
	rw_exit(&sysctl_lock);
	if (error == 0 || error == ENOMEM) {
		int e = copyout(&req.sr_oldidx, SCARG(uap, lenp),
		    sizeof(req.sr_oldidx));

		if (e != 0)
			error = e;
	}
	return error;
}

/*
 * The base kernel's nodes.
 */

static char hostname[64] = "rump";

static int
sysctl_hostname(const struct sysctl_node *sn, struct sysctl_req *req)
{
	char buf[sizeof(hostname)];
	int error;

	if ((error = sysctl_out(req, hostname, strlen(hostname) + 1)) != 0)
		return error;
	if (req->sr_new == NULL)
		return 0;
	if (req->sr_newlen == 0 || req->sr_newlen > sizeof(buf))
		return EINVAL;
	if ((error = copyin(req->sr_new, buf, req->sr_newlen)) != 0)
		return error;
	buf[req->sr_newlen - 1] = '\0';
	strlcpy(hostname, buf, sizeof(hostname));
	return 0;
}

/* kern.proc: a struct kinfo_proc per process. */
static int
sysctl_proc(const struct sysctl_node *sn, struct sysctl_req *req)
{
	struct kinfo_proc *kp;
	struct proc *p;
	size_t n = 0, i;
	int error = 0;

	/* Copy under the lock, copy out after it (a copy may sleep). */
	mutex_enter(&proc_lock);
	proc_foreach(p)
		n++;
	mutex_exit(&proc_lock);
	kp = kmem_zalloc((n + 8) * sizeof(*kp), KM_SLEEP);
	i = 0;
	mutex_enter(&proc_lock);
	proc_foreach(p) {
		if (i == n + 8)
			break;
		kp[i].kp_pid = p->p_pid;
		kp[i].kp_ppid = p->p_pptr != NULL ? p->p_pptr->p_pid : 0;
		kp[i].kp_nlwps = p->p_nlwps;
		kp[i].kp_uid = kauth_cred_geteuid(p->p_cred);
		kp[i].kp_remote = p->p_vmspace != NULL;
		strlcpy(kp[i].kp_comm, p->p_comm, sizeof(kp[i].kp_comm));
		i++;
	}
	mutex_exit(&proc_lock);
	error = sysctl_out(req, kp, i * sizeof(*kp));
	kmem_free(kp, (n + 8) * sizeof(*kp));
	return error;
}

static int64_t ncpu64, physmem64;

static struct sysctl_node kern_nodes[] = {
	SYSCTL_NODE("kern.ostype", CTLTYPE_STRING, 0, sysctl_string,
	    "anykernel"),
	SYSCTL_NODE("kern.osrelease", CTLTYPE_STRING, 0, sysctl_string, "0.1"),
	SYSCTL_NODE("kern.version", CTLTYPE_STRING, 0, sysctl_string,
	    "anykernel 0.1 (rump kernel)"),
	SYSCTL_NODE("kern.hostname", CTLTYPE_STRING, CTLFLAG_RW,
	    sysctl_hostname, NULL),
	SYSCTL_NODE("kern.proc", CTLTYPE_STRUCT, 0, sysctl_proc, NULL),
	SYSCTL_NODE("hw.ncpu", CTLTYPE_INT, 0, sysctl_int64, &ncpu64),
	SYSCTL_NODE("hw.physmem", CTLTYPE_INT, 0, sysctl_int64, &physmem64),
};

void
sysctl_init(void)
{

	rw_init(&sysctl_lock);
	ncpu64 = ncpu;
	physmem64 = (int64_t)physmem_bytes;
	sysctl_add_all(kern_nodes, __arraycount(kern_nodes));
}
