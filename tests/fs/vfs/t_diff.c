/*
 * The differential VFS test (tests, host side).  Every scenario (of
 * t_diff_tables.c and t_diff_gen.c) is played from an empty sandbox
 * against the host's own kernel (a private tmpfs, see t_diff_backend.c)
 * and against the rump kernel's file system; after every step the
 * return values, the errno values, the stat fields that must agree
 * (type, mode, size, link count, owner, group) and any data, link
 * target, directory listing or working directory the step produced
 * must be the same, and at the end of a scenario so must the whole
 * tree of the sandbox.
 *
 * The reference is Linux: the goal of the kernel is to behave as Linux
 * does.  Where Linux itself departs from POSIX and the kernel follows
 * POSIX or its BSD heritage legitimately, the difference is listed in
 * differences[] below with the reason, and a step that shows it is
 * accepted only if it matches that entry exactly, and is printed.
 * Nothing is skipped silently: a scenario that needs a feature the file
 * system lacks is counted and printed as skipped.
 *
 * Run one case with details:  kyua debug t_diff:tmpfs_diff_names
 * (or ./t_diff tmpfs_diff_names as root); every mismatch prints the
 * scenario, the step, and what each side did.
 */

#include <sys/sysmacros.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "t_diff.h"

#define MAXPATH		8192	/* expanded templates */

enum side { HOST = 0, RUMP = 1 };

/* ------------------------------------------------------------------ */
/* The documented differences.                                         */

struct difference {
	const char	*id;
	const char	*what;		/* what Linux does, what the kernel does */
	const char	*why;		/* why both are right */
	/*
	 * Does this step show exactly this difference?  NULL: handled
	 * where the comparison is made (named there by id).
	 */
	bool		(*match)(const struct step *, const struct outcome *,
			    const struct outcome *);
	bool		listing;	/* the final trees differ in consequence */
};

static bool
protected_hardlinks(void)
{
	FILE *f;
	int v = 0;

	if ((f = fopen("/proc/sys/fs/protected_hardlinks", "r")) == NULL)
		return false;
	if (fscanf(f, "%d", &v) != 1)
		v = 0;
	fclose(f);
	return v != 0;
}

static bool
match_protected_hardlinks(const struct step *st, const struct outcome *h,
    const struct outcome *r)
{

	return (st->op == OP_LINK || st->op == OP_LINKAT) && st->as != ROOT &&
	    h->ret == -1 && h->err == EPERM && r->ret == 0 &&
	    protected_hardlinks();
}

static bool
match_open_accmode3(const struct step *st, const struct outcome *h,
    const struct outcome *r)
{

	return (st->op == OP_OPEN || st->op == OP_OPENAT) &&
	    (st->flags & O_ACCMODE) == O_ACCMODE && r->ret == -1 &&
	    r->err == EINVAL && !(h->ret == -1 && h->err == EINVAL);
}

static bool
match_getcwd_size0(const struct step *st, const struct outcome *h,
    const struct outcome *r)
{

	return st->op == OP_GETCWD && st->n == 0 && h->ret == -1 &&
	    h->err == ERANGE && r->ret == -1 && r->err == EINVAL;
}

static const struct difference differences[] = {
	{ "dir-size",
	  "st_size of a directory: Linux's tmpfs counts 20 bytes per "
	  "entry, other file systems count what they store",
	  "POSIX leaves the size of a directory to the file system; "
	  "sizes of directories are never compared (same_fields())",
	  NULL, false },
	{ "protected-hardlinks",
	  "with the sysctl fs.protected_hardlinks=1 (a distribution "
	  "default) Linux refuses link() to a file the caller neither "
	  "owns nor can read and write, with EPERM; the kernel links",
	  "a host hardening option outside POSIX, which requires the "
	  "link; the kernel has no such option",
	  match_protected_hardlinks, true },
	{ "open-accmode-3",
	  "open() with the access mode 3 (O_WRONLY and O_RDWR both set): "
	  "Linux checks read and write permission and gives a descriptor "
	  "that can neither read nor write (or EISDIR for a directory); "
	  "the kernel refuses the mode with EINVAL",
	  "POSIX knows three access modes and lists EINVAL for an oflag "
	  "that is not valid; Linux's mode 3 is its own extension",
	  match_open_accmode3, false },
	{ "getcwd-size-0",
	  "the getcwd system call with a buffer of size 0: Linux says "
	  "ERANGE, the kernel EINVAL",
	  "POSIX requires EINVAL for a size of 0 (ERANGE is for a size "
	  "greater than 0 but too small), and glibc's getcwd() returns "
	  "EINVAL on Linux before making the call",
	  match_getcwd_size0, false },
};
#define NDIFFERENCES	(sizeof(differences) / sizeof(differences[0]))

/* ------------------------------------------------------------------ */
/* Names, for messages.                                                */

const char *
diff_errname(int e)
{
	const char *s = strerrorname_np(e);

	return s != NULL ? s : "E?";
}

static const char *const opnames[OP_NOPS] = {
	[OP_END] = "end",		[OP_OPEN] = "open",
	[OP_OPENAT] = "openat",		[OP_CLOSE] = "close",
	[OP_READ] = "read",		[OP_WRITE] = "write",
	[OP_PREAD] = "pread",		[OP_PWRITE] = "pwrite",
	[OP_LSEEK] = "lseek",		[OP_FSTAT] = "fstat",
	[OP_FTRUNCATE] = "ftruncate",	[OP_FSYNC] = "fsync",
	[OP_FDATASYNC] = "fdatasync",	[OP_FCHMOD] = "fchmod",
	[OP_FCHOWN] = "fchown",		[OP_FUTIMENS] = "futimens",
	[OP_FCHDIR] = "fchdir",		[OP_DUP] = "dup",
	[OP_DUP2] = "dup2",		[OP_DUP3] = "dup3",
	[OP_FCNTL] = "fcntl",		[OP_GETDENTS] = "getdents",
	[OP_FSTATVFS] = "fstatvfs",	[OP_STAT] = "stat",
	[OP_LSTAT] = "lstat",		[OP_FSTATAT] = "fstatat",
	[OP_ACCESS] = "access",		[OP_FACCESSAT] = "faccessat",
	[OP_MKDIR] = "mkdir",		[OP_MKDIRAT] = "mkdirat",
	[OP_RMDIR] = "rmdir",		[OP_UNLINK] = "unlink",
	[OP_UNLINKAT] = "unlinkat",	[OP_RENAME] = "rename",
	[OP_RENAMEAT] = "renameat",	[OP_LINK] = "link",
	[OP_LINKAT] = "linkat",		[OP_SYMLINK] = "symlink",
	[OP_SYMLINKAT] = "symlinkat",	[OP_READLINK] = "readlink",
	[OP_READLINKAT] = "readlinkat",	[OP_CHMOD] = "chmod",
	[OP_FCHMODAT] = "fchmodat",	[OP_CHOWN] = "chown",
	[OP_LCHOWN] = "lchown",		[OP_FCHOWNAT] = "fchownat",
	[OP_UTIMENSAT] = "utimensat",	[OP_TRUNCATE] = "truncate",
	[OP_CHDIR] = "chdir",		[OP_GETCWD] = "getcwd",
	[OP_MKNOD] = "mknod",		[OP_MKFIFO] = "mkfifo",
	[OP_STATVFS] = "statvfs",	[OP_SYNC] = "sync",
	[OP_UMASK] = "umask(all)",	[OP_MKFILE] = "mkfile",
	[OP_MOUNT] = "mount",
};

static const char *const actornames[NACTORS] = {
	[ROOT] = "root", [USER] = "user 4001:4001",
	[PEER] = "peer 4002:4001", [STRANGER] = "stranger 4003:4003",
};

static const struct {
	int		bit;
	const char	*name;
} oflagnames[] = {
	{ O_CREAT, "O_CREAT" }, { O_EXCL, "O_EXCL" }, { O_TRUNC, "O_TRUNC" },
	{ O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" },
	{ O_DIRECTORY, "O_DIRECTORY" }, { O_NOFOLLOW, "O_NOFOLLOW" },
	{ O_CLOEXEC, "O_CLOEXEC" }, { O_SYNC, "O_SYNC" },
	{ O_NOCTTY, "O_NOCTTY" },
}, atflagnames[] = {
	{ AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW" },
	{ AT_SYMLINK_FOLLOW, "AT_SYMLINK_FOLLOW" },
	{ AT_REMOVEDIR, "AT_REMOVEDIR" }, { AT_EACCESS, "AT_EACCESS" },
};

static void
put_oflags(FILE *f, int fl)
{
	size_t i;

	fputs((fl & O_ACCMODE) == O_RDONLY ? "O_RDONLY" :
	    (fl & O_ACCMODE) == O_WRONLY ? "O_WRONLY" :
	    (fl & O_ACCMODE) == O_RDWR ? "O_RDWR" : "O_ACCMODE", f);
	fl &= ~O_ACCMODE;
	for (i = 0; i < sizeof(oflagnames) / sizeof(oflagnames[0]); i++)
		if ((fl & oflagnames[i].bit) == oflagnames[i].bit) {
			fprintf(f, "|%s", oflagnames[i].name);
			fl &= ~oflagnames[i].bit;
		}
	if (fl != 0)
		fprintf(f, "|%#x", fl);
}

static void
put_atflags(FILE *f, int fl)
{
	size_t i;
	bool any = false;

	for (i = 0; i < sizeof(atflagnames) / sizeof(atflagnames[0]); i++)
		if ((fl & atflagnames[i].bit) != 0) {
			fprintf(f, "%s%s", any ? "|" : "", atflagnames[i].name);
			fl &= ~atflagnames[i].bit;
			any = true;
		}
	if (fl != 0 || !any)
		fprintf(f, "%s%#x", any ? "|" : "", fl);
}

static void
put_fd(FILE *f, int d)
{

	switch (d) {
	case FD_CWD:	fputs("AT_FDCWD", f); break;
	case FD_ROOT:	fputs("<sandbox fd>", f); break;
	case FD_NEG:	fputs("-1", f); break;
	case FD_UNUSED:	fprintf(f, "%d (unused)", FD_UNUSED_NUM); break;
	default:	fprintf(f, "<fd %d>", d); break;
	}
}

/* A path or data string, short, with unprintables escaped. */
static void
put_str(FILE *f, const char *s, size_t len)
{
	size_t i, shown = len > 72 ? 60 : len;

	fputc('"', f);
	for (i = 0; i < shown; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			fputc(c, f);
		else if (c == '\n')
			fputs("\\n", f);
		else
			fprintf(f, "\\x%02x", c);
	}
	if (shown < len)
		fprintf(f, "...\" (%zu bytes)", len);
	else
		fputc('"', f);
}

static const char *const timesnames[] = {
	[TIMES_NULL] = "NULL", [TIMES_SET] = "{fixed, fixed}",
	[TIMES_NOW] = "{UTIME_NOW, UTIME_NOW}",
	[TIMES_OMIT] = "{UTIME_OMIT, UTIME_OMIT}",
	[TIMES_MTIME] = "{UTIME_OMIT, fixed}",
	[TIMES_BADNSEC] = "{tv_nsec 1000000000 x2}",
};

/* The call a step makes, in C-like form. */
static void
put_step(FILE *f, const struct step *st, const char *p1, const char *p2)
{
	const char *name = st->op < OP_NOPS ? opnames[st->op] : "?";
	size_t l1 = p1 != NULL ? strlen(p1) : 0, l2 = p2 != NULL ?
	    strlen(p2) : 0;

	fprintf(f, "%s(", name);
	switch (st->op) {
	case OP_OPEN:
		put_str(f, p1, l1); fputs(", ", f); put_oflags(f, st->flags);
		fprintf(f, ", %04o) -> <fd %d>", (unsigned)st->mode, st->res);
		break;
	case OP_OPENAT:
		put_fd(f, st->fd); fputs(", ", f); put_str(f, p1, l1);
		fputs(", ", f); put_oflags(f, st->flags);
		fprintf(f, ", %04o) -> <fd %d>", (unsigned)st->mode, st->res);
		break;
	case OP_CLOSE: case OP_FSTAT: case OP_FSYNC: case OP_FDATASYNC:
	case OP_FCHDIR: case OP_FSTATVFS:
		put_fd(f, st->fd); fputs(")", f);
		break;
	case OP_READ:
		put_fd(f, st->fd); fprintf(f, ", %lld)", st->n);
		break;
	case OP_PREAD:
		put_fd(f, st->fd); fprintf(f, ", %lld, %lld)", st->n, st->n2);
		break;
	case OP_WRITE: case OP_PWRITE:
		put_fd(f, st->fd); fputs(", ", f);
		put_str(f, st->data, st->data ? strlen(st->data) : 0);
		if (st->op == OP_PWRITE)
			fprintf(f, ", %lld", st->n2);
		fputs(")", f);
		break;
	case OP_LSEEK:
		put_fd(f, st->fd); fprintf(f, ", %lld, %s)", st->n,
		    st->n2 == SEEK_SET ? "SEEK_SET" : st->n2 == SEEK_CUR ?
		    "SEEK_CUR" : st->n2 == SEEK_END ? "SEEK_END" : "bad");
		break;
	case OP_FTRUNCATE:
		put_fd(f, st->fd); fprintf(f, ", %lld)", st->n);
		break;
	case OP_FCHMOD:
		put_fd(f, st->fd); fprintf(f, ", %04o)", (unsigned)st->mode);
		break;
	case OP_FCHOWN:
		put_fd(f, st->fd); fprintf(f, ", %lld, %lld)", st->n, st->n2);
		break;
	case OP_FUTIMENS:
		put_fd(f, st->fd); fprintf(f, ", %s)", timesnames[st->n]);
		break;
	case OP_DUP:
		put_fd(f, st->fd); fprintf(f, ") -> <fd %d>", st->res);
		break;
	case OP_DUP2: case OP_DUP3:
		put_fd(f, st->fd); fprintf(f, ", %lld", st->n);
		if (st->op == OP_DUP3) {
			fputs(", ", f); put_oflags(f, st->flags);
		}
		fprintf(f, ") -> <fd %d>", st->res);
		break;
	case OP_FCNTL:
		put_fd(f, st->fd); fprintf(f, ", cmd %lld, %lld)", st->n,
		    st->n2);
		break;
	case OP_GETDENTS:
		put_fd(f, st->fd); fprintf(f, ", buffer of %lld)", st->n);
		break;
	case OP_STAT: case OP_LSTAT: case OP_RMDIR: case OP_UNLINK:
	case OP_CHDIR: case OP_STATVFS: case OP_MOUNT:
		put_str(f, p1, l1); fputs(")", f);
		break;
	case OP_FSTATAT: case OP_UNLINKAT:
		put_fd(f, st->fd); fputs(", ", f); put_str(f, p1, l1);
		fputs(", ", f); put_atflags(f, st->flags); fputs(")", f);
		break;
	case OP_ACCESS:
		put_str(f, p1, l1); fprintf(f, ", %#llo)", st->n);
		break;
	case OP_FACCESSAT:
		put_fd(f, st->fd); fputs(", ", f); put_str(f, p1, l1);
		fprintf(f, ", %#llo, ", st->n); put_atflags(f, st->flags);
		fputs(")", f);
		break;
	case OP_MKDIR: case OP_CHMOD: case OP_MKFIFO:
		put_str(f, p1, l1); fprintf(f, ", %04o)", (unsigned)st->mode);
		break;
	case OP_MKDIRAT:
		put_fd(f, st->fd); fputs(", ", f); put_str(f, p1, l1);
		fprintf(f, ", %04o)", (unsigned)st->mode);
		break;
	case OP_RENAME: case OP_LINK: case OP_SYMLINK:
		put_str(f, p1, l1); fputs(", ", f); put_str(f, p2, l2);
		fputs(")", f);
		break;
	case OP_RENAMEAT: case OP_LINKAT:
		put_fd(f, st->fd); fputs(", ", f); put_str(f, p1, l1);
		fputs(", ", f); put_fd(f, st->fd2); fputs(", ", f);
		put_str(f, p2, l2);
		if (st->op == OP_LINKAT) {
			fputs(", ", f); put_atflags(f, st->flags);
		}
		fputs(")", f);
		break;
	case OP_SYMLINKAT:
		put_str(f, p1, l1); fputs(", ", f); put_fd(f, st->fd2);
		fputs(", ", f); put_str(f, p2, l2); fputs(")", f);
		break;
	case OP_READLINK:
		put_str(f, p1, l1); fprintf(f, ", buffer of %lld)", st->n);
		break;
	case OP_READLINKAT:
		put_fd(f, st->fd); fputs(", ", f); put_str(f, p1, l1);
		fprintf(f, ", buffer of %lld)", st->n);
		break;
	case OP_FCHMODAT:
		put_fd(f, st->fd); fputs(", ", f); put_str(f, p1, l1);
		fprintf(f, ", %04o, ", (unsigned)st->mode);
		put_atflags(f, st->flags); fputs(")", f);
		break;
	case OP_CHOWN: case OP_LCHOWN:
		put_str(f, p1, l1); fprintf(f, ", %lld, %lld)", st->n, st->n2);
		break;
	case OP_FCHOWNAT:
		put_fd(f, st->fd); fputs(", ", f); put_str(f, p1, l1);
		fprintf(f, ", %lld, %lld, ", st->n, st->n2);
		put_atflags(f, st->flags); fputs(")", f);
		break;
	case OP_UTIMENSAT:
		put_fd(f, st->fd); fputs(", ", f); put_str(f, p1, l1);
		fprintf(f, ", %s, ", timesnames[st->n]);
		put_atflags(f, st->flags); fputs(")", f);
		break;
	case OP_TRUNCATE:
		put_str(f, p1, l1); fprintf(f, ", %lld)", st->n);
		break;
	case OP_GETCWD:
		fprintf(f, "buffer of %lld)", st->n);
		break;
	case OP_MKNOD:
		put_str(f, p1, l1); fprintf(f, ", %#o, makedev(%u, %u))",
		    (unsigned)st->mode, major((dev_t)st->n),
		    minor((dev_t)st->n));
		break;
	case OP_UMASK:
		fprintf(f, "%04o)", (unsigned)st->mode);
		break;
	case OP_MKFILE:
		put_str(f, p1, l1); fprintf(f, ", %04o, ", (unsigned)st->mode);
		put_str(f, st->data, st->data ? strlen(st->data) : 0);
		fputs(")", f);
		break;
	default:
		fputs(")", f);
		break;
	}
	if (st->as != ROOT)
		fprintf(f, " as %s", actornames[st->as]);
}

static const char *
typename(unsigned t)
{

	switch (t) {
	case S_IFREG:	return "file";
	case S_IFDIR:	return "dir";
	case S_IFLNK:	return "symlink";
	case S_IFIFO:	return "fifo";
	case S_IFCHR:	return "chr";
	case S_IFBLK:	return "blk";
	case S_IFSOCK:	return "socket";
	default:	return "type?";
	}
}

static void
put_outcome(FILE *f, const struct step *st, const struct outcome *o)
{

	if (o->ret == -1)
		fprintf(f, "-1 %s", diff_errname(o->err));
	else
		fprintf(f, "%lld", o->ret);
	if (o->has_st) {
		if (o->st_err != 0)
			fprintf(f, "; stat after: %s", diff_errname(o->st_err));
		else {
			fprintf(f, "; %s %04o size %lld nlink %lu uid %u gid %u",
			    typename(o->st.type), o->st.perm, o->st.size,
			    o->st.nlink, o->st.uid, o->st.gid);
			if (o->st.type == S_IFCHR || o->st.type == S_IFBLK)
				fprintf(f, " rdev %u,%u", o->st.rdevmaj,
				    o->st.rdevmin);
			if (o->times != 0)
				fprintf(f, " atime %lld.%09ld mtime "
				    "%lld.%09ld", (long long)o->st.atime.tv_sec,
				    o->st.atime.tv_nsec,
				    (long long)o->st.mtime.tv_sec,
				    o->st.mtime.tv_nsec);
		}
	}
	if (o->namemax != 0)
		fprintf(f, "; f_namemax %lu", o->namemax);
	if (o->has_text) {
		fputs("; ", f);
		put_str(f, o->text, o->textlen);
	}
}

/* ------------------------------------------------------------------ */
/* Templates.                                                          */

/*
 * Expand a template: "{c*N}" is N copies of the character c, and
 * "{pad:N}" becomes as many "./" as make the whole result exactly N
 * characters long (".//" first when N is odd), so a path of any
 * length names something near the working directory.  Returns the
 * length, or -1 when it does not fit or cannot be made.
 */
static long
expand(const char *t, char *out, size_t outsz)
{
	size_t len = 0, padat = 0;
	long padto = -1;

	while (*t != '\0') {
		if (*t == '{') {
			const char *end = strchr(t, '}');
			char *ep;
			long n;

			if (end == NULL)
				return -1;
			if (strncmp(t + 1, "pad:", 4) == 0) {
				padto = strtol(t + 5, &ep, 10);
				padat = len;
			} else if (t[1] != '\0' && t[2] == '*') {
				n = strtol(t + 3, &ep, 10);
				if (n < 0 || len + (size_t)n >= outsz)
					return -1;
				memset(out + len, t[1], (size_t)n);
				len += (size_t)n;
			} else
				return -1;
			t = end + 1;
		} else {
			if (len + 1 >= outsz)
				return -1;
			out[len++] = *t++;
		}
	}
	out[len] = '\0';
	if (padto >= 0) {
		size_t need, i;

		if ((size_t)padto < len || (size_t)padto >= outsz)
			return -1;
		need = (size_t)padto - len;
		if (need == 1)
			return -1;
		memmove(out + padat + need, out + padat, len - padat + 1);
		i = 0;
		if (need % 2 == 1) {
			memcpy(out + padat, ".//", 3);
			i = 3;
		}
		for (; i < need; i += 2)
			memcpy(out + padat + i, "./", 2);
		len += need;
	}
	return (long)len;
}

/* ------------------------------------------------------------------ */
/* Carrying out a step on one side.                                    */

static int
fdof(const struct backend *be, int d)
{

	switch (d) {
	case FD_CWD:	return AT_FDCWD;
	case FD_ROOT:	return be->rootfd;
	case FD_NEG:	return -1;
	case FD_UNUSED:	return FD_UNUSED_NUM;
	default:	return d >= 0 && d < NSLOTS ? be->slot[d] : -1;
	}
}

static void
keep_fd(struct backend *be, int slot, int fd)
{

	if (slot >= 0 && slot < NSLOTS)
		be->slot[slot] = fd;
	if (be->nfds < (int)(sizeof(be->fds) / sizeof(be->fds[0])))
		be->fds[be->nfds++] = fd;
}

static const struct timespec *
times_of(int which, struct timespec ts[2])
{

	switch (which) {
	case TIMES_NULL:
		return NULL;
	case TIMES_SET:
		ts[0].tv_sec = 1000000000; ts[0].tv_nsec = 123456789;
		ts[1].tv_sec = 1100000000; ts[1].tv_nsec = 987654321;
		break;
	case TIMES_NOW:
		ts[0].tv_sec = ts[1].tv_sec = 0;
		ts[0].tv_nsec = ts[1].tv_nsec = UTIME_NOW;
		break;
	case TIMES_OMIT:
		ts[0].tv_sec = ts[1].tv_sec = 0;
		ts[0].tv_nsec = ts[1].tv_nsec = UTIME_OMIT;
		break;
	case TIMES_MTIME:
		ts[0].tv_sec = 0; ts[0].tv_nsec = UTIME_OMIT;
		ts[1].tv_sec = 1200000000; ts[1].tv_nsec = 5;
		break;
	default:
		ts[0].tv_sec = ts[1].tv_sec = 1;
		ts[0].tv_nsec = ts[1].tv_nsec = 1000000000;
		break;
	}
	return ts;
}

static void
fill_fields(struct fields *fl, const struct stat *sb)
{

	fl->type = sb->st_mode & S_IFMT;
	fl->perm = sb->st_mode & 07777;
	fl->size = (long long)sb->st_size;
	fl->nlink = (unsigned long)sb->st_nlink;
	fl->uid = sb->st_uid;
	fl->gid = sb->st_gid;
	fl->rdevmaj = major(sb->st_rdev);
	fl->rdevmin = minor(sb->st_rdev);
	fl->atime = sb->st_atim;
	fl->mtime = sb->st_mtim;
}

/* The names and types of a directory, sorted, as text. */
struct dent {
	char		*name;
	unsigned	type;
	uint64_t	ino;
};

static int
dentcmp(const void *a, const void *b)
{

	return strcmp(((const struct dent *)a)->name,
	    ((const struct dent *)b)->name);
}

/*
 * Read a directory to its end with buffers of bufsz bytes.  Returns
 * the entries (sorted) or NULL with *errp set; *np is their count.
 */
static struct dent *
read_dir(const struct sysops *s, int fd, size_t bufsz, size_t *np,
    int *errp)
{
	struct dent *d = NULL, *nd;
	size_t n = 0, cap = 0;
	char *buf;
	int got, off;

	*errp = 0;
	if ((buf = aligned_alloc(8, (bufsz + 7) & ~(size_t)7)) == NULL) {
		*errp = ENOMEM;
		return NULL;
	}
	while ((got = s->getdents(fd, buf, bufsz)) > 0) {
		for (off = 0; off < got; ) {
			const struct diff_dirent *de = (const void *)(buf + off);
			/* Not sizeof(*de): that is padded past d_name. */
			const size_t hdr = offsetof(struct diff_dirent, d_name);

			if (de->d_reclen < hdr + 1 ||
			    off + de->d_reclen > got) {
				*errp = EPROTO;	/* a malformed record */
				goto fail;
			}
			off += de->d_reclen;
			if (n == cap) {
				cap = cap == 0 ? 16 : 2 * cap;
				if ((nd = realloc(d, cap * sizeof(*d))) ==
				    NULL) {
					*errp = ENOMEM;
					goto fail;
				}
				d = nd;
			}
			d[n].name = strndup(de->d_name, de->d_reclen - hdr);
			d[n].type = de->d_type;
			d[n].ino = de->d_ino;
			if (d[n].name == NULL) {
				*errp = ENOMEM;
				goto fail;
			}
			n++;
		}
	}
	if (got == -1) {
		*errp = errno;
		goto fail;
	}
	free(buf);
	*np = n;
	/* Before qsort(), whose base is declared never to be NULL. */
	if (d == NULL)
		return calloc(1, sizeof(*d));
	qsort(d, n, sizeof(*d), dentcmp);
	return d;
fail:
	while (n > 0)
		free(d[--n].name);
	free(d);
	free(buf);
	return NULL;
}

static void
free_dir(struct dent *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(d[i].name);
	free(d);
}

static void
text_printf(struct outcome *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	o->has_text = true;
	if (o->textlen >= sizeof(o->text) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->text + o->textlen, sizeof(o->text) - o->textlen,
	    fmt, ap);
	va_end(ap);
	if (n > 0)
		o->textlen += (size_t)n;
	if (o->textlen > sizeof(o->text) - 1)
		o->textlen = sizeof(o->text) - 1;
}

/* The stat made after a step succeeds: where, and following or not. */
static void
stat_after(struct backend *be, struct outcome *o, int dirfd,
    const char *path, int flags, int fd)
{
	struct stat sb;
	int r;

	o->has_st = true;
	if (path != NULL)
		r = be->sys->fstatat(dirfd, path, &sb, flags);
	else
		r = be->sys->fstat(fd, &sb);
	if (r == -1)
		o->st_err = errno;
	else
		fill_fields(&o->st, &sb);
}

/*
 * Make the call of one step on one side, as its actor, and describe
 * what happened in o.  Descriptor numbers differ between the sides,
 * so a call that returns one is reduced to 0 (success) or -1.
 */
static int
exec_step(struct backend *be, const struct step *st, const char *p1,
    const char *p2, const char *data, size_t datalen, struct outcome *o)
{
	const struct sysops *s = be->sys;
	struct timespec ts[2];
	struct statvfs sv;
	struct stat sb;
	long long r = 0;
	int e = 0, fd, fd2, error, i;
	size_t n;

	memset(o, 0, offsetof(struct outcome, text));
	fd = fdof(be, st->fd);
	fd2 = fdof(be, st->fd2);
	n = st->n < 0 ? 0 : (size_t)st->n;
	if (n > sizeof(o->text) - 1)
		n = sizeof(o->text) - 1;
	if ((error = be->set_actor(be, st->as)) != 0)
		return error;

#define CALL(expr)	do { errno = 0; r = (expr); e = errno; } \
			while (/* CONSTCOND */ 0)
	switch (st->op) {
	case OP_OPEN:
		CALL(s->open(p1, st->flags, st->mode));
		break;
	case OP_OPENAT:
		CALL(s->openat(fd, p1, st->flags, st->mode));
		break;
	case OP_CLOSE:
		CALL(s->close(fd));
		break;
	case OP_READ:
		CALL(s->read(fd, o->text, n));
		break;
	case OP_WRITE:
		CALL(s->write(fd, data, datalen));
		break;
	case OP_PREAD:
		CALL(s->pread(fd, o->text, n, (off_t)st->n2));
		break;
	case OP_PWRITE:
		CALL(s->pwrite(fd, data, datalen, (off_t)st->n2));
		break;
	case OP_LSEEK:
		CALL(s->lseek(fd, (off_t)st->n, (int)st->n2));
		break;
	case OP_FSTAT:
		CALL(s->fstat(fd, &sb));
		break;
	case OP_FTRUNCATE:
		CALL(s->ftruncate(fd, (off_t)st->n));
		break;
	case OP_FSYNC:
		CALL(s->fsync(fd));
		break;
	case OP_FDATASYNC:
		CALL(s->fdatasync(fd));
		break;
	case OP_FCHMOD:
		CALL(s->fchmod(fd, st->mode));
		break;
	case OP_FCHOWN:
		CALL(s->fchown(fd, (uid_t)st->n, (gid_t)st->n2));
		break;
	case OP_FUTIMENS:
		CALL(s->futimens(fd, times_of((int)st->n, ts)));
		break;
	case OP_FCHDIR:
		CALL(s->fchdir(fd));
		break;
	case OP_DUP:
		CALL(s->dup(fd));
		break;
	case OP_DUP2:
		CALL(s->dup2(fd, (int)st->n));
		break;
	case OP_DUP3:
		CALL(s->dup3(fd, (int)st->n, st->flags));
		break;
	case OP_FCNTL:
		CALL(s->fcntl(fd, (int)st->n, (int)st->n2));
		break;
	case OP_GETDENTS: {
		struct dent *d;
		size_t nd;

		errno = 0;
		d = read_dir(s, fd, st->n > 0 ? (size_t)st->n : 4096, &nd, &e);
		if (d == NULL) {
			r = -1;
			break;
		}
		o->has_text = true;
		for (i = 0; i < (int)nd; i++)
			text_printf(o, "%s:%u ", d[i].name, d[i].type);
		free_dir(d, nd);
		break;
	}
	case OP_FSTATVFS:
		CALL(s->fstatvfs(fd, &sv));
		break;
	case OP_STAT:
		CALL(s->stat(p1, &sb));
		break;
	case OP_LSTAT:
		CALL(s->lstat(p1, &sb));
		break;
	case OP_FSTATAT:
		CALL(s->fstatat(fd, p1, &sb, st->flags));
		break;
	case OP_ACCESS:
		CALL(s->access(p1, (int)st->n));
		break;
	case OP_FACCESSAT:
		CALL(s->faccessat(fd, p1, (int)st->n, st->flags));
		break;
	case OP_MKDIR:
		CALL(s->mkdir(p1, st->mode));
		break;
	case OP_MKDIRAT:
		CALL(s->mkdirat(fd, p1, st->mode));
		break;
	case OP_RMDIR:
		CALL(s->rmdir(p1));
		break;
	case OP_UNLINK:
		CALL(s->unlink(p1));
		break;
	case OP_UNLINKAT:
		CALL(s->unlinkat(fd, p1, st->flags));
		break;
	case OP_RENAME:
		CALL(s->rename(p1, p2));
		break;
	case OP_RENAMEAT:
		CALL(s->renameat(fd, p1, fd2, p2));
		break;
	case OP_LINK:
		CALL(s->link(p1, p2));
		break;
	case OP_LINKAT:
		CALL(s->linkat(fd, p1, fd2, p2, st->flags));
		break;
	case OP_SYMLINK:
		CALL(s->symlink(p1, p2));
		break;
	case OP_SYMLINKAT:
		CALL(s->symlinkat(p1, fd2, p2));
		break;
	case OP_READLINK:
		CALL(s->readlink(p1, o->text, n));
		break;
	case OP_READLINKAT:
		CALL(s->readlinkat(fd, p1, o->text, n));
		break;
	case OP_CHMOD:
		CALL(s->chmod(p1, st->mode));
		break;
	case OP_FCHMODAT:
		CALL(s->fchmodat(fd, p1, st->mode, st->flags));
		break;
	case OP_CHOWN:
		CALL(s->chown(p1, (uid_t)st->n, (gid_t)st->n2));
		break;
	case OP_LCHOWN:
		CALL(s->lchown(p1, (uid_t)st->n, (gid_t)st->n2));
		break;
	case OP_FCHOWNAT:
		CALL(s->fchownat(fd, p1, (uid_t)st->n, (gid_t)st->n2,
		    st->flags));
		break;
	case OP_UTIMENSAT:
		CALL(s->utimensat(fd, p1, times_of((int)st->n, ts),
		    st->flags));
		break;
	case OP_TRUNCATE:
		CALL(s->truncate(p1, (off_t)st->n));
		break;
	case OP_CHDIR:
		CALL(s->chdir(p1));
		break;
	case OP_GETCWD:
		CALL(s->getcwd(o->text, n));
		break;
	case OP_MKNOD:
		CALL(s->mknod(p1, st->mode, (dev_t)st->n));
		break;
	case OP_MKFIFO:
		CALL(s->mkfifo(p1, st->mode));
		break;
	case OP_STATVFS:
		CALL(s->statvfs(p1, &sv));
		break;
	case OP_SYNC:
		CALL(s->sync());
		break;
	case OP_UMASK:
		r = be->umask_all(be, st->mode) == 0 ? 0 : -1;
		break;
	case OP_MKFILE:
		CALL(s->open(p1, O_WRONLY | O_CREAT | O_TRUNC, st->mode));
		if (r >= 0) {
			int wfd = (int)r;

			CALL(s->write(wfd, data, datalen));
			if (r >= 0 && (size_t)r != datalen) {
				r = -1;
				e = EIO;
			}
			if (s->close(wfd) == -1 && r >= 0) {
				r = -1;
				e = errno;
			}
			if (r >= 0)
				r = 0;
		}
		break;
	case OP_MOUNT: {
		int nm = be->nmounts;

		if (nm == (int)(sizeof(be->mounts) / sizeof(be->mounts[0]))) {
			r = -1;
			e = ENFILE;
			break;
		}
		snprintf(be->mounts[nm], sizeof(be->mounts[nm]), "%s/%s",
		    be->sandbox, p1);
		if ((e = be->mount(be, be->mounts[nm])) != 0)
			r = -1;
		else
			be->nmounts++;
		break;
	}
	default:
		r = -1;
		e = ENOSYS;
		break;
	}
#undef CALL
	if ((error = be->set_actor(be, ROOT)) != 0)
		return error;

	o->ret = r;
	o->err = r == -1 ? e : 0;
	if (r == -1)
		return 0;

	/* What the call returned, in a form both sides can share. */
	switch (st->op) {
	case OP_OPEN: case OP_OPENAT: case OP_DUP:
		keep_fd(be, st->res, (int)r);
		o->ret = 0;
		stat_after(be, o, 0, NULL, 0, (int)r);
		break;
	case OP_DUP2: case OP_DUP3:
		keep_fd(be, st->res, (int)r);
		/* The descriptor asked for, or the number given back. */
		o->ret = r == st->n ? 0 : r;
		break;
	case OP_FCNTL:
		if (st->n == F_DUPFD || st->n == F_DUPFD_CLOEXEC) {
			keep_fd(be, st->res, (int)r);
			o->ret = r >= st->n2 ? 0 : r;
		} else if (st->n == F_GETFL) {
			/*
			 * The status flags a program sets.  Linux adds
			 * O_LARGEFILE, which the x86-64 headers define
			 * as 0, so it cannot be named here.
			 */
			o->ret = r & (O_ACCMODE | O_APPEND | O_NONBLOCK |
			    O_SYNC | O_DSYNC);
		}
		break;
	case OP_READ: case OP_PREAD: case OP_READLINK: case OP_READLINKAT:
		o->has_text = true;
		o->textlen = r > 0 ? (size_t)r : 0;
		break;
	case OP_FSTAT: case OP_STAT: case OP_LSTAT: case OP_FSTATAT:
		o->has_st = true;
		fill_fields(&o->st, &sb);
		if (st->opt & OPT_TIMES)
			o->times = 3;
		break;
	case OP_FSTATVFS: case OP_STATVFS:
		o->namemax = sv.f_namemax;
		break;
	case OP_GETCWD: {
		size_t plen = strlen(be->sandbox), len = strnlen(o->text, n);
		char *got;

		if ((got = strndup(o->text, len)) == NULL)
			return ENOMEM;
		o->ret = 0;
		o->has_text = true;
		if ((size_t)r != len + 1)
			o->textlen = (size_t)snprintf(o->text,
			    sizeof(o->text), "length %lld for \"%.*s\"", r,
			    (int)(sizeof(o->text) / 2), got);
		else if (strncmp(got, be->sandbox, plen) == 0 &&
		    (got[plen] == '/' || got[plen] == '\0'))
			o->textlen = (size_t)snprintf(o->text,
			    sizeof(o->text), "%s", got[plen] == '\0' ? "/" :
			    got + plen);
		else
			o->textlen = (size_t)snprintf(o->text,
			    sizeof(o->text), "outside: %.*s",
			    (int)(sizeof(o->text) / 2), got);
		free(got);
		break;
	}
	case OP_WRITE: case OP_PWRITE: case OP_FTRUNCATE: case OP_FCHMOD:
	case OP_FCHOWN:
		stat_after(be, o, 0, NULL, 0, fd);
		break;
	case OP_FUTIMENS:
		stat_after(be, o, 0, NULL, 0, fd);
		o->times = st->n == TIMES_SET ? 3 : st->n == TIMES_MTIME ? 2 :
		    0;
		break;
	case OP_MKDIR: case OP_MKNOD: case OP_MKFIFO: case OP_MKFILE:
		stat_after(be, o, AT_FDCWD, p1, AT_SYMLINK_NOFOLLOW, -1);
		break;
	case OP_MKDIRAT:
		stat_after(be, o, fd, p1, AT_SYMLINK_NOFOLLOW, -1);
		break;
	case OP_CHMOD: case OP_CHOWN: case OP_TRUNCATE:
		stat_after(be, o, AT_FDCWD, p1, 0, -1);
		break;
	case OP_LCHOWN:
		stat_after(be, o, AT_FDCWD, p1, AT_SYMLINK_NOFOLLOW, -1);
		break;
	case OP_FCHMODAT: case OP_FCHOWNAT:
		stat_after(be, o, fd, p1, st->flags & AT_SYMLINK_NOFOLLOW, -1);
		break;
	case OP_UTIMENSAT:
		stat_after(be, o, fd, p1, st->flags & AT_SYMLINK_NOFOLLOW, -1);
		o->times = st->n == TIMES_SET ? 3 : st->n == TIMES_MTIME ? 2 :
		    0;
		break;
	case OP_SYMLINK: case OP_LINK: case OP_RENAME:
		stat_after(be, o, AT_FDCWD, p2, AT_SYMLINK_NOFOLLOW, -1);
		break;
	case OP_SYMLINKAT: case OP_LINKAT: case OP_RENAMEAT:
		stat_after(be, o, fd2, p2, AT_SYMLINK_NOFOLLOW, -1);
		break;
	default:
		break;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Comparing.                                                          */

static bool
same_time(const struct timespec *a, const struct timespec *b)
{

	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/* The fields that must agree; a directory's size never has to. */
static bool
same_fields(const struct outcome *h, const struct outcome *r)
{
	const struct fields *a = &h->st, *b = &r->st;

	if (h->st_err != r->st_err)
		return false;
	if (h->st_err != 0)
		return true;
	if (a->type != b->type || a->perm != b->perm || a->nlink != b->nlink ||
	    a->uid != b->uid || a->gid != b->gid)
		return false;
	if (a->type != S_IFDIR && a->size != b->size)	/* dir-size */
		return false;
	if ((a->type == S_IFCHR || a->type == S_IFBLK) &&
	    (a->rdevmaj != b->rdevmaj || a->rdevmin != b->rdevmin))
		return false;
	if ((h->times & 1) && !same_time(&a->atime, &b->atime))
		return false;
	if ((h->times & 2) && !same_time(&a->mtime, &b->mtime))
		return false;
	return true;
}

static bool
same_outcome(const struct outcome *h, const struct outcome *r)
{

	if (h->ret != r->ret || h->err != r->err)
		return false;
	if (h->has_st != r->has_st || (h->has_st && !same_fields(h, r)))
		return false;
	if (h->namemax != r->namemax)
		return false;
	if (h->has_text != r->has_text || h->textlen != r->textlen ||
	    memcmp(h->text, r->text, h->textlen) != 0)
		return false;
	return true;
}

/* Does o meet the step's expectation? */
static bool
as_expected(const struct step *st, const struct outcome *o)
{

	if (st->expect == X_ANY)
		return true;
	if (st->expect == X_SUCCESS)
		return o->ret != -1;
	return o->ret == -1 && o->err == st->expect;
}

static void
put_expect(FILE *f, const struct step *st)
{

	if (st->expect == X_SUCCESS)
		fputs("success", f);
	else
		fprintf(f, "-1 %s", diff_errname(st->expect));
}

/* ------------------------------------------------------------------ */
/* The tree of a sandbox, as text.                                     */

static void
list_entry(struct backend *be, FILE *out, int dirfd, const char *name,
    const char *rel, dev_t dev, int depth)
{
	const struct sysops *s = be->sys;
	struct stat sb;
	struct dent *d;
	size_t nd, i;
	int fd, e;

	if (s->fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == -1) {
		fprintf(out, "%s: lstat %s\n", rel, diff_errname(errno));
		return;
	}
	if (sb.st_dev != dev) {
		/* A mount point: its root is the other file system's. */
		fprintf(out, "%s mount point\n", rel);
		return;
	}
	fprintf(out, "%s %s %04o nlink %lu uid %u gid %u", rel,
	    typename(sb.st_mode & S_IFMT), (unsigned)(sb.st_mode & 07777),
	    (unsigned long)sb.st_nlink, sb.st_uid, sb.st_gid);

	if (S_ISREG(sb.st_mode)) {
		char buf[4096];
		uint32_t sum = 2166136261u;
		ssize_t got;
		long long total = 0;
		bool first = true;

		fprintf(out, " size %lld", (long long)sb.st_size);
		fd = s->openat(dirfd, name, O_RDONLY | O_NOFOLLOW);
		if (fd == -1) {
			fprintf(out, " open %s\n", diff_errname(errno));
			return;
		}
		while ((got = s->read(fd, buf, sizeof(buf))) > 0) {
			if (first) {
				fputs(" data ", out);
				put_str(out, buf, (size_t)got);
				first = false;
			}
			for (i = 0; i < (size_t)got; i++)
				sum = (sum ^ (unsigned char)buf[i]) *
				    16777619u;
			total += got;
		}
		if (got == -1)
			fprintf(out, " read %s", diff_errname(errno));
		fprintf(out, " read %lld fnv %08x", total, sum);
		s->close(fd);
	} else if (S_ISLNK(sb.st_mode)) {
		char buf[TEXTMAX];
		ssize_t got;

		fprintf(out, " size %lld", (long long)sb.st_size);
		got = s->readlinkat(dirfd, name, buf, sizeof(buf));
		if (got == -1)
			fprintf(out, " readlink %s", diff_errname(errno));
		else {
			fputs(" -> ", out);
			put_str(out, buf, (size_t)got);
		}
	} else if (S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode))
		fprintf(out, " rdev %u,%u", major(sb.st_rdev),
		    minor(sb.st_rdev));
	if (!S_ISDIR(sb.st_mode)) {
		fputc('\n', out);
		return;
	}

	/* A directory: its entries, checked against stat, then each. */
	fd = s->openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (fd == -1) {
		fprintf(out, " open %s\n", diff_errname(errno));
		return;
	}
	if ((d = read_dir(s, fd, 4096, &nd, &e)) == NULL) {
		fprintf(out, " getdents %s\n", diff_errname(e));
		s->close(fd);
		return;
	}
	e = 0;
	for (i = 0; i < nd; i++)
		if (strcmp(d[i].name, ".") == 0 || strcmp(d[i].name, "..") ==
		    0) {
			e++;
			if (d[i].type != DT_DIR && d[i].type != DT_UNKNOWN)
				fprintf(out, " %s has type %u", d[i].name,
				    d[i].type);
		}
	fprintf(out, " dots %d\n", e);
	for (i = 0; i < nd && depth < 64; i++) {
		struct stat csb;
		char *crel;

		if (strcmp(d[i].name, ".") == 0 || strcmp(d[i].name, "..") ==
		    0)
			continue;
		if (asprintf(&crel, "%s/%s", rel, d[i].name) == -1)
			continue;
		if (s->fstatat(fd, d[i].name, &csb, AT_SYMLINK_NOFOLLOW) ==
		    0) {
			if (d[i].type != DT_UNKNOWN &&
			    d[i].type != IFTODT(csb.st_mode))
				fprintf(out, "%s: d_type %u, stat says %s\n",
				    crel, d[i].type,
				    typename(csb.st_mode & S_IFMT));
			if (d[i].ino != (uint64_t)csb.st_ino &&
			    csb.st_dev == dev)
				fprintf(out, "%s: d_ino is not st_ino\n",
				    crel);
		}
		list_entry(be, out, fd, d[i].name, crel, dev, depth + 1);
		free(crel);
	}
	free_dir(d, nd);
	s->close(fd);
}

static char *
list_tree(struct backend *be)
{
	struct stat sb;
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	if ((out = open_memstream(&text, &len)) == NULL)
		return NULL;
	if (be->sys->fstat(be->rootfd, &sb) == -1)
		fprintf(out, "fstat of the sandbox: %s\n",
		    diff_errname(errno));
	else
		list_entry(be, out, be->rootfd, ".", ".", sb.st_dev, 0);
	fclose(out);
	return text;
}

/* Print the lines of a that b lacks, marked with tag. */
static void
put_missing_lines(FILE *f, const char *tag, const char *a, const char *b)
{
	const char *p, *nl;
	size_t len;

	for (p = a; *p != '\0'; p = nl + 1) {
		const char *q;
		bool found = false;

		if ((nl = strchr(p, '\n')) == NULL)
			break;
		len = (size_t)(nl - p) + 1;
		for (q = b; *q != '\0'; ) {
			const char *qn = strchr(q, '\n');

			if (qn == NULL)
				break;
			if ((size_t)(qn - q) + 1 == len &&
			    memcmp(p, q, len) == 0) {
				found = true;
				break;
			}
			q = qn + 1;
		}
		if (!found)
			fprintf(f, "      %s %.*s", tag, (int)len, p);
	}
}

/* ------------------------------------------------------------------ */
/* Running scenarios.                                                  */

struct run {
	struct backend	side[2];
	const struct fstest_fs *fs;
	int		run, failed, skipped, taken;
	const char	*firstfail;
	char		*firstfail_buf;
	int		taken_by[NDIFFERENCES];
};

/* The features of a file system a scenario needs. */
static unsigned
needs_of(const struct scenario *sc)
{
	const struct step *st;
	unsigned needs = FS_HAS_PERMS;

	for (st = sc->steps; st->op != OP_END; st++) {
		switch (st->op) {
		case OP_LINK: case OP_LINKAT:
			needs |= FS_HAS_HARDLINKS;
			break;
		case OP_SYMLINK: case OP_SYMLINKAT:
			needs |= FS_HAS_SYMLINKS;
			break;
		case OP_MKFIFO:
			needs |= FS_HAS_FIFOS;
			break;
		case OP_MKNOD:
			needs |= S_ISFIFO(st->mode) ? FS_HAS_FIFOS :
			    S_ISCHR(st->mode) || S_ISBLK(st->mode) ?
			    FS_HAS_DEVICES : 0;
			break;
		case OP_CHOWN: case OP_LCHOWN: case OP_FCHOWN:
		case OP_FCHOWNAT:
			needs |= FS_HAS_OWNERS;
			break;
		default:
			break;
		}
		if (st->as != ROOT)
			needs |= FS_HAS_OWNERS;
		if (st->opt & OPT_TIMES)
			needs |= FS_HAS_NSEC_TIMES;
	}
	return needs;
}

static void
fail_header(struct run *rn, const char *group, const struct scenario *sc)
{

	if (rn->failed++ == 0)
		rn->firstfail = rn->firstfail_buf = strdup(sc->name);
	printf("FAIL %s: %s\n", group, sc->name);
}

static void
run_scenario(struct run *rn, const char *group, const struct scenario *sc)
{
	static char p1[2][MAXPATH], p2[2][MAXPATH], data[MAXPATH];
	static struct outcome o[2];
	struct backend *h = &rn->side[HOST], *r = &rn->side[RUMP];
	const struct step *st;
	bool listing = true, failed = false;
	long dlen = 0;
	int i, k, error;
	unsigned missing;

	if ((missing = needs_of(sc) & ~rn->fs->fs_flags) != 0) {
		rn->skipped++;
		printf("skip %s: %s: %s has no %s\n", group, sc->name,
		    rn->fs->fs_name, fstest_flagnames(missing));
		return;
	}
	rn->run++;
	for (k = 0; k < 2; k++)
		if ((error = rn->side[k].begin(&rn->side[k])) != 0) {
			fail_header(rn, group, sc);
			printf("    %s: making the sandbox: %s\n",
			    rn->side[k].name, strerror(error));
			failed = true;
		}

	for (i = 0, st = sc->steps; !failed && st->op != OP_END; i++, st++) {
		const char *a = NULL, *b = NULL;

		if ((st->path != NULL && expand(st->path, p1[0],
		    sizeof(p1[0])) < 0) || (st->path2 != NULL &&
		    expand(st->path2, p2[0], sizeof(p2[0])) < 0) ||
		    (st->data != NULL && (dlen = expand(st->data, data,
		    sizeof(data))) < 0))
			atf_tc_fail("scenario %s, step %d: bad template",
			    sc->name, i + 1);
		if (st->path != NULL)
			a = p1[0];
		if (st->path2 != NULL)
			b = p2[0];
		if (st->data == NULL)
			dlen = 0;
		for (k = 0; k < 2; k++) {
			error = exec_step(&rn->side[k], st, a, b, data,
			    (size_t)dlen, &o[k]);
			if (error != 0)
				atf_tc_fail("scenario %s, step %d: %s: "
				    "setting the credentials: %s", sc->name,
				    i + 1, rn->side[k].name, strerror(error));
		}

		if (!as_expected(st, &o[HOST])) {
			/* The scenario is wrong about Linux. */
			fail_header(rn, group, sc);
			printf("    step %d: ", i + 1);
			put_step(stdout, st, a, b);
			printf("\n      scenario expects ");
			put_expect(stdout, st);
			printf(", but the host gave ");
			put_outcome(stdout, st, &o[HOST]);
			printf("\n");
			failed = true;
			break;
		}
		if (same_outcome(&o[HOST], &o[RUMP]) &&
		    as_expected(st, &o[RUMP]))
			continue;

		/* Differing: a documented difference, or a failure. */
		for (k = 0; k < (int)NDIFFERENCES; k++)
			if (differences[k].match != NULL &&
			    differences[k].match(st, &o[HOST], &o[RUMP]))
				break;
		if (k < (int)NDIFFERENCES) {
			rn->taken++;
			rn->taken_by[k]++;
			printf("note %s: %s: step %d: documented difference "
			    "%s\n", group, sc->name, i + 1, differences[k].id);
			if (differences[k].listing)
				listing = false;
			continue;
		}
		fail_header(rn, group, sc);
		printf("    step %d: ", i + 1);
		put_step(stdout, st, a, b);
		printf("\n      host: ");
		put_outcome(stdout, st, &o[HOST]);
		printf("\n      rump: ");
		put_outcome(stdout, st, &o[RUMP]);
		if (st->expect != X_ANY) {
			printf("\n      expected: ");
			put_expect(stdout, st);
		}
		printf("\n");
		failed = true;
	}

	if (!failed && listing) {
		char *lh = list_tree(h), *lr = list_tree(r);

		if (lh == NULL || lr == NULL || strcmp(lh, lr) != 0) {
			fail_header(rn, group, sc);
			printf("    the trees differ after the last step:\n");
			if (lh != NULL && lr != NULL) {
				put_missing_lines(stdout, "host:", lh, lr);
				put_missing_lines(stdout, "rump:", lr, lh);
			}
			failed = true;
		}
		free(lh);
		free(lr);
	}

	for (k = 0; k < 2; k++)
		if ((error = rn->side[k].end(&rn->side[k])) != 0) {
			if (!failed)
				fail_header(rn, group, sc);
			printf("    %s: removing the sandbox: %s\n",
			    rn->side[k].name, strerror(error));
			failed = true;
		}
	fflush(stdout);
}

static void
free_generated(struct scenario *sc, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free((void *)(uintptr_t)sc[i].name);
		free((void *)(uintptr_t)sc[i].steps);
	}
	free(sc);
}

/* Run the groups named in the space-separated list. */
static void
diff_run(const struct fstest_fs *fs, const char *mnt, const char *groups)
{
	struct run rn;
	char why[256];
	size_t g, i, n, len;
	int error;

	memset(&rn, 0, sizeof(rn));
	rn.fs = fs;
	if ((error = host_setup(&rn.side[HOST], why, sizeof(why))) != 0) {
		host_teardown(&rn.side[HOST]);
		atf_tc_skip("%s", why);
	}
	if ((error = rump_setup(&rn.side[RUMP], fs, mnt)) != 0)
		atf_tc_fail("rump side: %s", strerror(error));
	printf("host sandboxes in %s, rump sandboxes in %s\n",
	    rn.side[HOST].base, rn.side[RUMP].base);

	for (g = 0; g < diff_ngroups_tables + diff_ngroups_gen; g++) {
		const struct group *gr = g < diff_ngroups_tables ?
		    &diff_groups_tables[g] :
		    &diff_groups_gen[g - diff_ngroups_tables];
		struct scenario *gen = NULL;
		int before = rn.run, fbefore = rn.failed;

		len = strlen(gr->name);
		for (i = 0; groups[i] != '\0'; i += strcspn(groups + i, " "),
		    i += strspn(groups + i, " "))
			if (strncmp(groups + i, gr->name, len) == 0 &&
			    (groups[i + len] == ' ' || groups[i + len] == '\0'))
				break;
		if (groups[i] == '\0')
			continue;
		if (gr->table != NULL) {
			for (i = 0; i < gr->ntable; i++)
				run_scenario(&rn, gr->name, &gr->table[i]);
		} else {
			n = gr->make(&gen);
			for (i = 0; i < n; i++)
				run_scenario(&rn, gr->name, &gen[i]);
			free_generated(gen, n);
		}
		printf("group %s: %d scenarios, %d failed\n", gr->name,
		    rn.run - before, rn.failed - fbefore);
	}

	rump_teardown(&rn.side[RUMP]);
	host_teardown(&rn.side[HOST]);
	printf("%d scenarios run, %d failed, %d skipped; documented "
	    "differences seen %d times\n", rn.run, rn.failed, rn.skipped,
	    rn.taken);
	for (i = 0; i < NDIFFERENCES; i++)
		if (rn.taken_by[i] != 0)
			printf("    %s: %d (%s)\n", differences[i].id,
			    rn.taken_by[i], differences[i].what);
	fflush(stdout);
	if (rn.failed != 0) {
		char first[200];

		snprintf(first, sizeof(first), "%s", rn.firstfail);
		free(rn.firstfail_buf);
		atf_tc_fail("%d of %d scenarios differ between the host and "
		    "the rump kernel (first: %s); see the output", rn.failed,
		    rn.run, first);
	}
}

/* ------------------------------------------------------------------ */
/* Test cases: the groups, a few at a time.                            */

#define DIFF_TC(name, groups, descr)					\
	FSTEST(name, descr, .ft_timeout = 900)				\
	{								\
		diff_run(fs, mnt, groups);				\
	}

DIFF_TC(diff_open, "open",
    "open() and openat(): flags, creation, errors; host vs rump kernel")
DIFF_TC(diff_io, "io",
    "read, write, seek, truncate, dup, fcntl; host vs rump kernel")
DIFF_TC(diff_dirs, "dirs",
    "mkdir, rmdir, getdents; host vs rump kernel")
DIFF_TC(diff_names, "names",
    "unlink, rename, link, symlink, readlink, mknod; host vs rump kernel")
DIFF_TC(diff_attrs, "attrs",
    "stat, chmod, chown, utimensat, truncate, access; host vs rump kernel")
DIFF_TC(diff_cwd, "cwd",
    "chdir, fchdir, getcwd and relative lookups; host vs rump kernel")
DIFF_TC(diff_limits, "limits",
    "NAME_MAX, PATH_MAX, symbolic link loops; host vs rump kernel")
DIFF_TC(diff_perms, "perms perm_dirs perm_files",
    "EACCES and EPERM as users other than root; host vs rump kernel")
DIFF_TC(diff_xdev, "xdev",
    "EXDEV and EBUSY across mount points; host vs rump kernel")
DIFF_TC(diff_matrix_lookup, "matrix_lookup",
    "lookups on every kind of object and path form; host vs rump kernel")
DIFF_TC(diff_matrix_create, "matrix_create",
    "creation over every kind of object and path form; host vs rump kernel")
DIFF_TC(diff_matrix_remove, "matrix_remove",
    "removal and rename of every kind of object; host vs rump kernel")
DIFF_TC(diff_matrix_attr, "matrix_attr",
    "attribute changes on every kind of object; host vs rump kernel")

ATF_TP_ADD_TCS(tp)
{

	FSTEST_ADD(tp, diff_open);
	FSTEST_ADD(tp, diff_io);
	FSTEST_ADD(tp, diff_dirs);
	FSTEST_ADD(tp, diff_names);
	FSTEST_ADD(tp, diff_attrs);
	FSTEST_ADD(tp, diff_cwd);
	FSTEST_ADD(tp, diff_limits);
	FSTEST_ADD(tp, diff_perms);
	FSTEST_ADD(tp, diff_xdev);
	FSTEST_ADD(tp, diff_matrix_lookup);
	FSTEST_ADD(tp, diff_matrix_create);
	FSTEST_ADD(tp, diff_matrix_remove);
	FSTEST_ADD(tp, diff_matrix_attr);
	return atf_no_error();
}
