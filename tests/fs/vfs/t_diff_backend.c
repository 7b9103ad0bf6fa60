/*
 * The two sides of the differential test (tests, host side): the host's
 * own kernel, in a tmpfs of its own, and the rump kernel, on the file
 * system the harness mounted.  Each side gives its system calls with
 * the host's types (struct sysops), makes and removes one sandbox
 * directory per scenario, and takes on the credentials of an actor:
 *
 * host	The thread that runs the test takes a mount namespace of its
 *	own (so nothing it mounts outlives it) and mounts a tmpfs for
 *	the sandboxes.  An actor other than root is the thread's real
 *	and effective ids, set with the raw system calls, which on Linux
 *	change the calling thread only; the saved uid stays 0 so the
 *	thread can come back.  Dropping the effective uid 0 drops the
 *	effective capabilities, so permission checks are real.
 * rump	Each actor is a kernel process forked from the harness's one
 *	with a shared descriptor table (rump_pub_lwproc_rfork(0)), made
 *	when the scenario first needs it, so it starts in the working
 *	directory of that moment.
 */

#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>

#include <linux/magic.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "t_diff.h"

static const struct {
	uid_t	uid;
	gid_t	gid;
} actor_ids[NACTORS] = {
	[ROOT] =	{ 0, 0 },
	[USER] =	{ UID_USER, GID_USER },
	[PEER] =	{ UID_PEER, GID_USER },
	[STRANGER] =	{ UID_STRANGER, GID_STRANGER },
};

/* ------------------------------------------------------------------ */
/* Removing a sandbox: the same walk on either side, as root.          */

static int
remove_at(struct backend *be, int dirfd, const char *name)
{
	const struct sysops *s = be->sys;
	char buf[4096] __attribute__((__aligned__(8))), **names;
	size_t nnames, cap, i;
	struct stat sb;
	int fd, n, off, error;

	if (s->fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == -1)
		return errno;
	if (!S_ISDIR(sb.st_mode)) {
		if (s->unlinkat(dirfd, name, 0) == -1)
			return errno;
		return 0;
	}
	if ((fd = s->openat(dirfd, name, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW)) == -1)
		return errno;
	names = NULL;
	nnames = cap = 0;
	error = 0;
	while ((n = s->getdents(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; ) {
			const struct diff_dirent *d = (const void *)(buf + off);
			const char *dname = d->d_name;

			if (d->d_reclen == 0)
				break;
			off += d->d_reclen;
			if (strcmp(dname, ".") == 0 || strcmp(dname, "..") == 0)
				continue;
			if (nnames == cap) {
				char **nn;

				cap = cap == 0 ? 16 : cap * 2;
				if ((nn = realloc(names, cap *
				    sizeof(*names))) == NULL) {
					error = ENOMEM;
					goto out;
				}
				names = nn;
			}
			if ((names[nnames] = strdup(dname)) == NULL) {
				error = ENOMEM;
				goto out;
			}
			nnames++;
		}
	}
	if (n == -1) {
		error = errno;
		goto out;
	}
	for (i = 0; i < nnames && error == 0; i++)
		error = remove_at(be, fd, names[i]);
	if (error == 0 && s->unlinkat(dirfd, name, AT_REMOVEDIR) == -1)
		error = errno;
out:
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	s->close(fd);
	return error;
}

/*
 * Make the next sandbox: an empty directory, mode 0755, owned by root,
 * the working directory of every actor, with FD_ROOT open on it.
 */
static int
sandbox_begin(struct backend *be, int seq)
{
	const struct sysops *s = be->sys;
	int i;

	snprintf(be->sandbox, sizeof(be->sandbox), "%s/s%04d", be->base, seq);
	for (i = 0; i < NSLOTS; i++)
		be->slot[i] = -1;
	be->nmounts = 0;
	if (s->mkdir(be->sandbox, 0755) == -1 ||
	    s->chmod(be->sandbox, 0755) == -1 ||
	    s->chown(be->sandbox, 0, 0) == -1 ||
	    s->chdir(be->sandbox) == -1)
		return errno;
	if ((be->rootfd = s->open(be->sandbox, O_RDONLY | O_DIRECTORY)) == -1)
		return errno;
	return 0;
}

/* Undo a sandbox: descriptors, mounts, then the tree.  Returns errno. */
static int
sandbox_end(struct backend *be)
{
	const struct sysops *s = be->sys;
	int i, error, e;

	error = 0;
	for (i = 0; i < be->nfds; i++)
		if (be->fds[i] >= 0 && be->fds[i] != be->rootfd)
			(void)s->close(be->fds[i]);
	be->nfds = 0;
	(void)s->close(be->rootfd);
	be->rootfd = -1;
	if (s->chdir(be->base) == -1 && error == 0)
		error = errno;
	for (i = be->nmounts - 1; i >= 0; i--)
		if ((e = be->unmount(be, be->mounts[i])) != 0 && error == 0)
			error = e;
	be->nmounts = 0;
	if ((e = remove_at(be, AT_FDCWD, be->sandbox)) != 0 && error == 0)
		error = e;
	return error;
}

/* ------------------------------------------------------------------ */
/* The host.                                                           */

/* The calls whose libc form differs from the rump_sys_*() form. */
static int
host_getdents(int fd, char *buf, size_t len)
{

	return (int)getdents64(fd, buf, len);
}

static int
host_getcwd(char *buf, size_t len)
{

	/* The system call, as rump_sys_getcwd(): the length with NUL. */
	return (int)syscall(SYS_getcwd, buf, len);
}

static int
host_sync(void)
{

	sync();
	return 0;
}

static const struct sysops host_sysops = {
	.open = open,		.openat = openat,	.close = close,
	.read = read,		.write = write,		.pread = pread,
	.pwrite = pwrite,	.lseek = lseek,		.fstat = fstat,
	.ftruncate = ftruncate,	.fsync = fsync,		.fdatasync = fdatasync,
	.fchmod = fchmod,	.fchown = fchown,	.futimens = futimens,
	.fchdir = fchdir,	.dup = dup,		.dup2 = dup2,
	.dup3 = dup3,		.fcntl = fcntl,		.getdents = host_getdents,
	.fstatvfs = fstatvfs,	.stat = stat,		.lstat = lstat,
	.fstatat = fstatat,	.access = access,	.faccessat = faccessat,
	.mkdir = mkdir,		.mkdirat = mkdirat,	.rmdir = rmdir,
	.unlink = unlink,	.unlinkat = unlinkat,	.rename = rename,
	.renameat = renameat,	.link = link,		.linkat = linkat,
	.symlink = symlink,	.symlinkat = symlinkat,	.readlink = readlink,
	.readlinkat = readlinkat, .chmod = chmod,	.fchmodat = fchmodat,
	.chown = chown,		.lchown = lchown,	.fchownat = fchownat,
	.utimensat = utimensat,	.truncate = truncate,	.chdir = chdir,
	.getcwd = host_getcwd,	.mknod = mknod,		.mkfifo = mkfifo,
	.statvfs = statvfs,	.sync = host_sync,
};

struct host_priv {
	int		seq;
	int		origcwd;	/* to come back to */
	bool		mounted;	/* base is our own tmpfs */
	enum actor	cur;
	gid_t		groups[NGROUPS_MAX];
	int		ngroups;
};

/* Credentials of this thread only: the raw calls, not libc's. */
static int
host_set_actor(struct backend *be, enum actor a)
{
	struct host_priv *hp = be->priv;

	if (a == hp->cur)
		return 0;
	if (hp->cur != ROOT) {
		if (syscall(SYS_setresuid, 0, 0, -1) == -1 ||
		    syscall(SYS_setresgid, 0, 0, -1) == -1 ||
		    syscall(SYS_setgroups, hp->ngroups, hp->groups) == -1)
			return errno;
		hp->cur = ROOT;
	}
	if (a != ROOT) {
		if (syscall(SYS_setgroups, 0, NULL) == -1 ||
		    syscall(SYS_setresgid, actor_ids[a].gid,
		    actor_ids[a].gid, -1) == -1 ||
		    syscall(SYS_setresuid, actor_ids[a].uid,
		    actor_ids[a].uid, -1) == -1)
			return errno;
		hp->cur = a;
	}
	return 0;
}

static int
host_umask_all(struct backend *be, mode_t m)
{

	(void)umask(m);
	return 0;
}

static int
host_mount(struct backend *be, const char *path)
{

	if (mount("tmpfs", path, "tmpfs", 0, "mode=0755") == -1)
		return errno;
	return 0;
}

static int
host_unmount(struct backend *be, const char *path)
{

	if (umount2(path, MNT_DETACH) == -1)
		return errno;
	return 0;
}

static int
host_begin(struct backend *be)
{
	struct host_priv *hp = be->priv;

	be->nfds = 0;
	umask(022);
	return sandbox_begin(be, ++hp->seq);
}

static int
host_end(struct backend *be)
{
	int error;

	if ((error = host_set_actor(be, ROOT)) != 0)
		return error;
	return sandbox_end(be);
}

/*
 * Prepare the host side: root, a mount namespace for this thread, and
 * a tmpfs for the sandboxes (so that directory semantics are those of
 * the same kind of file system).  Returns 0, or an errno with a reason
 * in why when the host cannot play its part.
 */
int
host_setup(struct backend *be, char *why, size_t whylen)
{
	struct host_priv *hp;
	struct statfs sfs;
	char tmpl[] = "/tmp/t_diff.XXXXXX";
	char shm[] = "/dev/shm/t_diff.XXXXXX";

	memset(be, 0, sizeof(*be));
	be->name = "host";
	be->sys = &host_sysops;
	be->rootfd = -1;
	if (geteuid() != 0) {
		snprintf(why, whylen, "the host side needs root: it acts as "
		    "several users and mounts file systems");
		return EPERM;
	}
	if ((hp = calloc(1, sizeof(*hp))) == NULL)
		return ENOMEM;
	be->priv = hp;
	hp->cur = ROOT;
	if ((hp->ngroups = getgroups(NGROUPS_MAX, hp->groups)) == -1)
		hp->ngroups = 0;
	if ((hp->origcwd = open(".", O_RDONLY | O_DIRECTORY)) == -1) {
		snprintf(why, whylen, "open(.): %s", strerror(errno));
		return errno;
	}

	/*
	 * A mount namespace private to this thread: what the test mounts
	 * goes away with it, whatever happens.  Failing that, a directory
	 * in /dev/shm, which is a tmpfs too.  (The kernel ignores the
	 * type of the MS_PRIVATE mount; valgrind wants it not NULL.)
	 */
	if (unshare(CLONE_NEWNS) == 0 &&
	    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0 &&
	    mkdtemp(tmpl) != NULL) {
		if (mount("tmpfs", tmpl, "tmpfs", 0, "mode=0755") == 0) {
			hp->mounted = true;
			snprintf(be->base, sizeof(be->base), "%s", tmpl);
		} else
			(void)rmdir(tmpl);
	}
	if (!hp->mounted) {
		if (mkdtemp(shm) == NULL) {
			snprintf(why, whylen, "no tmpfs for the host side: "
			    "mkdtemp(%s): %s", shm, strerror(errno));
			return errno;
		}
		snprintf(be->base, sizeof(be->base), "%s", shm);
	}
	if (statfs(be->base, &sfs) == -1 || sfs.f_type != TMPFS_MAGIC) {
		snprintf(why, whylen, "%s is not on a tmpfs", be->base);
		host_teardown(be);
		return ENOTSUP;
	}

	be->begin = host_begin;
	be->end = host_end;
	be->set_actor = host_set_actor;
	be->umask_all = host_umask_all;
	be->mount = host_mount;
	be->unmount = host_unmount;
	return 0;
}

void
host_teardown(struct backend *be)
{
	struct host_priv *hp = be->priv;

	if (hp == NULL)
		return;
	(void)host_set_actor(be, ROOT);
	if (hp->origcwd != -1) {
		(void)fchdir(hp->origcwd);
		(void)close(hp->origcwd);
	}
	if (be->base[0] != '\0') {
		if (hp->mounted)
			(void)umount2(be->base, MNT_DETACH);
		else
			(void)remove_at(be, AT_FDCWD, be->base);
		(void)rmdir(be->base);
	}
	free(hp);
	be->priv = NULL;
}

/* ------------------------------------------------------------------ */
/* The rump kernel.                                                    */

static int
rump_mkfifo(const char *path, mode_t mode)
{

	return rump_sys_mkfifo(path, mode);
}

static const struct sysops rump_sysops = {
	.open = rump_sys_open,		.openat = rump_sys_openat,
	.close = rump_sys_close,	.read = rump_sys_read,
	.write = rump_sys_write,	.pread = rump_sys_pread,
	.pwrite = rump_sys_pwrite,	.lseek = rump_sys_lseek,
	.fstat = rump_sys_fstat,	.ftruncate = rump_sys_ftruncate,
	.fsync = rump_sys_fsync,	.fdatasync = rump_sys_fdatasync,
	.fchmod = rump_sys_fchmod,	.fchown = rump_sys_fchown,
	.futimens = rump_sys_futimens,	.fchdir = rump_sys_fchdir,
	.dup = rump_sys_dup,		.dup2 = rump_sys_dup2,
	.dup3 = rump_sys_dup3,		.fcntl = rump_sys_fcntl,
	.getdents = rump_sys_getdents,	.fstatvfs = rump_sys_fstatvfs,
	.stat = rump_sys_stat,		.lstat = rump_sys_lstat,
	.fstatat = rump_sys_fstatat,	.access = rump_sys_access,
	.faccessat = rump_sys_faccessat, .mkdir = rump_sys_mkdir,
	.mkdirat = rump_sys_mkdirat,	.rmdir = rump_sys_rmdir,
	.unlink = rump_sys_unlink,	.unlinkat = rump_sys_unlinkat,
	.rename = rump_sys_rename,	.renameat = rump_sys_renameat,
	.link = rump_sys_link,		.linkat = rump_sys_linkat,
	.symlink = rump_sys_symlink,	.symlinkat = rump_sys_symlinkat,
	.readlink = rump_sys_readlink,	.readlinkat = rump_sys_readlinkat,
	.chmod = rump_sys_chmod,	.fchmodat = rump_sys_fchmodat,
	.chown = rump_sys_chown,	.lchown = rump_sys_lchown,
	.fchownat = rump_sys_fchownat,	.utimensat = rump_sys_utimensat,
	.truncate = rump_sys_truncate,	.chdir = rump_sys_chdir,
	.getcwd = rump_sys_getcwd,	.mknod = rump_sys_mknod,
	.mkfifo = rump_mkfifo,		.statvfs = rump_sys_statvfs,
	.sync = rump_sys_sync,
};

struct rump_priv {
	const struct fstest_fs *fs;
	int		seq;
	struct lwp	*l0;			/* the harness's process */
	struct lwp	*actor[NACTORS];	/* [ROOT] unused */
	enum actor	cur;
	mode_t		umask;
};

/*
 * Make this thread run as lwp l.  The kernel refuses a switch to the
 * lwp the thread already runs as (it counts as in use), so that one is
 * not made.
 */
static void
rump_switch(struct lwp *l)
{

	if (rump_pub_lwproc_curlwp() != l)
		rump_pub_lwproc_switch(l);
}

static int
rump_set_actor(struct backend *be, enum actor a)
{
	struct rump_priv *rp = be->priv;
	int error;

	if (a == rp->cur)
		return 0;
	if (a == ROOT) {
		rump_switch(rp->l0);
		rp->cur = ROOT;
		return 0;
	}
	if (rp->actor[a] != NULL) {
		rump_switch(rp->actor[a]);
		rp->cur = a;
		return 0;
	}
	/* First use: a process of its own, sharing the descriptors. */
	rump_switch(rp->l0);
	rp->cur = ROOT;
	if ((error = rump_pub_lwproc_rfork(0)) != 0)
		return error;
	rp->actor[a] = rump_pub_lwproc_curlwp();
	rp->cur = a;
	if (rump_sys_setgroups(0, NULL) == -1 ||
	    rump_sys_setgid(actor_ids[a].gid) == -1 ||
	    rump_sys_setuid(actor_ids[a].uid) == -1)
		return errno;
	return 0;
}

static int
rump_umask_all(struct backend *be, mode_t m)
{
	struct rump_priv *rp = be->priv;
	enum actor was = rp->cur;
	int a, error;

	for (a = 0; a < NACTORS; a++) {
		if (a != ROOT && rp->actor[a] == NULL)
			continue;
		if ((error = rump_set_actor(be, a)) != 0)
			return error;
		(void)rump_sys_umask(m);
	}
	rp->umask = m;
	return rump_set_actor(be, was);
}

static int
rump_mount(struct backend *be, const char *path)
{
	struct rump_priv *rp = be->priv;
	struct fstest_args fa;

	/* A root as the host's tmpfs has it (host_mount(): mode=0755). */
	memset(&fa, 0, sizeof(fa));
	fa.fa_setroot = (rp->fs->fs_flags & FS_HAS_ROOT_ATTRS) != 0;
	fa.fa_root_mode = 0755;
	return fstest_mount(rp->fs, path, &fa);
}

static int
rump_unmount(struct backend *be, const char *path)
{

	return fstest_unmount(path, 0);
}

static int
rump_begin(struct backend *be)
{
	struct rump_priv *rp = be->priv;

	be->nfds = 0;
	(void)rump_set_actor(be, ROOT);
	(void)rump_sys_umask(022);
	rp->umask = 022;
	return sandbox_begin(be, ++rp->seq);
}

static int
rump_end(struct backend *be)
{
	struct rump_priv *rp = be->priv;
	int a;

	for (a = 0; a < NACTORS; a++) {
		if (a == ROOT || rp->actor[a] == NULL)
			continue;
		rump_switch(rp->actor[a]);
		rump_pub_lwproc_releaselwp();
		rp->actor[a] = NULL;
	}
	rump_switch(rp->l0);
	rp->cur = ROOT;
	return sandbox_end(be);
}

int
rump_setup(struct backend *be, const struct fstest_fs *fs, const char *mnt)
{
	struct rump_priv *rp;

	memset(be, 0, sizeof(*be));
	be->name = "rump";
	be->sys = &rump_sysops;
	be->rootfd = -1;
	if ((rp = calloc(1, sizeof(*rp))) == NULL)
		return ENOMEM;
	be->priv = rp;
	rp->fs = fs;
	rp->l0 = rump_pub_lwproc_curlwp();
	rp->cur = ROOT;
	snprintf(be->base, sizeof(be->base), "%s", mnt);
	be->begin = rump_begin;
	be->end = rump_end;
	be->set_actor = rump_set_actor;
	be->umask_all = rump_umask_all;
	be->mount = rump_mount;
	be->unmount = rump_unmount;
	return 0;
}

void
rump_teardown(struct backend *be)
{
	struct rump_priv *rp = be->priv;

	if (rp == NULL)
		return;
	rump_switch(rp->l0);
	(void)rump_sys_umask(022);
	(void)rump_sys_chdir("/");
	free(rp);
	be->priv = NULL;
}
