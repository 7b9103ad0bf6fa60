/*
 * The vnode interface (<rump/rump_vnode.h>) on every file system of
 * the table: nodes made, looked up, read, written, listed, renamed and
 * removed by vnode and name; a vnode still the same file after a
 * rename; an unprivileged credential refused where the system calls
 * refuse it; and the system calls seeing what the interface did.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rump_vnode.h>

#include "fstest.h"

#define VE(e, x) do {							\
	int e_ = (x);							\
	ATF_REQUIRE_MSG(e_ == (e), "%s: %s, not %s", #x, strerror(e_),	\
	    strerror(e));						\
} while (/* CONSTCOND */ 0)
#define V0(x)	VE(0, x)

/* The names in directory dvp, sorted, joined by spaces. */
static void
list(struct rump_cred *cr, struct rump_vnode *dvp, char *out, size_t outlen)
{
	char buf[512], *names[64];
	size_t len, n = 0, i, j;
	off_t off = 0;

	for (;;) {
		V0(rump_pub_vn_readdir(cr, dvp, &off, buf, sizeof(buf), &len));
		if (len == 0)
			break;
		for (i = 0; i < len; ) {
			struct rump_dirent64 *d = (void *)(buf + i);

			ATF_REQUIRE(n < 64);
			ATF_REQUIRE((names[n++] = strdup(d->d_name)) != NULL);
			i += d->d_reclen;
		}
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];

			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	out[0] = '\0';
	for (i = 0, len = 0; i < n; i++) {
		len += (size_t)snprintf(out + len, outlen - len, "%s%s",
		    i > 0 ? " " : "", names[i]);
		ATF_REQUIRE(len < outlen);
		free(names[i]);
	}
}

static ino_t
ino(struct rump_cred *cr, struct rump_vnode *vp)
{
	struct stat sb;

	V0(rump_pub_vn_getattr(cr, vp, &sb));
	return sb.st_ino;
}

FSTEST(vnode_ops, "nodes made, read, written, listed, renamed and "
    "removed through the vnode interface")
{
	struct rump_cred *root, *user;
	struct rump_vnode *top, *f, *g, *d, *l, *x;
	struct rump_file *fp;
	struct timespec ts[2];
	struct statvfs sv;
	struct stat sb;
	char buf[256];
	size_t n;

	ATF_REQUIRE_EQ(rump_sys_umask(0), 022);
	V0(rump_pub_cred_create(0, 0, 0, NULL, &root));
	V0(rump_pub_cred_create(1000, 1000, 0, NULL, &user));
	V0(rump_pub_vn_getpath(root, mnt, &top));
	V0(rump_pub_vn_chmod(root, top, 0755));
	VE(ENOENT, rump_pub_vn_lookup(root, top, "none", &x));
	VE(EINVAL, rump_pub_vn_lookup(root, top, "a/b", &x));
	VE(EINVAL, rump_pub_vn_lookup(root, top, "", &x));

	/* A file by mknod, written and read through an open file. */
	V0(rump_pub_vn_mknod(root, top, "f", S_IFREG | 0644, 0, &f));
	V0(rump_pub_vn_getattr(root, f, &sb));
	ATF_REQUIRE_EQ(sb.st_mode, S_IFREG | 0644);
	V0(rump_pub_vn_open(root, f, O_RDWR, &fp));
	V0(rump_pub_vn_write(fp, "hello, vnode", 12, 0, &n));
	ATF_REQUIRE_EQ(n, 12);
	V0(rump_pub_vn_read(fp, buf, sizeof(buf), 7, &n));
	ATF_REQUIRE_EQ(n, 5);
	ATF_REQUIRE_EQ(memcmp(buf, "vnode", 5), 0);
	V0(rump_pub_vn_fsync(fp, 0));
	rump_pub_vn_close(fp);
	VE(EEXIST, rump_pub_vn_mknod(root, top, "f", S_IFREG | 0644, 0, &x));

	/* Create and open in one; the same file as its lookup. */
	V0(rump_pub_vn_create(root, top, "g", O_RDWR, 0600, &g, &fp));
	V0(rump_pub_vn_write(fp, "abcdef", 6, 0, &n));
	rump_pub_vn_close(fp);
	V0(rump_pub_vn_lookup(root, top, "g", &x));
	ATF_REQUIRE_EQ(ino(root, x), ino(root, g));
	rump_pub_vn_rele(x);
	VE(EEXIST, rump_pub_vn_create(root, top, "g", O_RDWR, 0600, &x, &fp));

	/* A directory, a symbolic link, a hard link. */
	V0(rump_pub_vn_mknod(root, top, "d", S_IFDIR | 0755, 0, &d));
	V0(rump_pub_vn_symlink(root, top, "l", "f", &l));
	V0(rump_pub_vn_readlink(root, l, buf, sizeof(buf), &n));
	ATF_REQUIRE(n == 1 && buf[0] == 'f');
	VE(EINVAL, rump_pub_vn_readlink(root, f, buf, sizeof(buf), &n));
	V0(rump_pub_vn_link(root, f, d, "hard"));
	V0(rump_pub_vn_getattr(root, f, &sb));
	ATF_REQUIRE_EQ(sb.st_nlink, 2);
	VE(EPERM, rump_pub_vn_link(root, d, top, "dirlink"));
	list(root, top, buf, sizeof(buf));
	ATF_REQUIRE_MSG(strstr(buf, ". .. d f g l") != NULL, "%s", buf);
	list(root, d, buf, sizeof(buf));
	ATF_REQUIRE_STREQ(buf, ". .. hard");
	V0(rump_pub_vn_lookup(root, d, "..", &x));
	ATF_REQUIRE_EQ(ino(root, x), ino(root, top));
	rump_pub_vn_rele(x);

	/* Renamed, the vnode is still the file; the calls agree. */
	V0(rump_pub_vn_rename(root, top, "f", d, "f2", 0));
	V0(rump_pub_vn_getattr(root, f, &sb));
	ATF_REQUIRE_EQ(sb.st_size, 12);
	snprintf(buf, sizeof(buf), "%s/d/f2", mnt);
	ATF_REQUIRE_EQ(rump_sys_stat(buf, &sb), 0);
	ATF_REQUIRE_EQ(sb.st_ino, ino(root, f));

	/* Attributes. */
	V0(rump_pub_vn_truncate(root, g, 2));
	ts[0].tv_sec = 1000000000;
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = 1200000000;
	ts[1].tv_nsec = 0;
	V0(rump_pub_vn_utimens(root, g, ts));
	V0(rump_pub_vn_chown(root, g, 1000, (gid_t)-1));
	V0(rump_pub_vn_getattr(root, g, &sb));
	ATF_REQUIRE(sb.st_size == 2 && sb.st_mtime == 1200000000 &&
	    sb.st_uid == 1000 && sb.st_gid == 0);
	V0(rump_pub_vn_statvfs(root, top, &sv));
	ATF_REQUIRE(sv.f_bsize > 0);

	/* An ordinary user: refused as the system calls refuse. */
	VE(EACCES, rump_pub_vn_mknod(user, top, "u", S_IFREG | 0644, 0, &x));
	VE(EACCES, rump_pub_vn_access(user, f, W_OK));
	V0(rump_pub_vn_access(user, f, R_OK));
	V0(rump_pub_vn_access(root, f, W_OK));
	VE(EPERM, rump_pub_vn_chmod(user, f, 0777));
	VE(EACCES, rump_pub_vn_open(user, f, O_WRONLY, &fp));
	V0(rump_pub_vn_chmod(user, g, 0640));	/* the owner may */
	VE(EACCES, rump_pub_vn_remove(user, top, "g", 0));

	/* Removal. */
	VE(ENOTEMPTY, rump_pub_vn_remove(root, top, "d", 1));
	VE(EISDIR, rump_pub_vn_remove(root, top, "d", 0));
	V0(rump_pub_vn_remove(root, d, "f2", 0));
	V0(rump_pub_vn_remove(root, d, "hard", 0));
	V0(rump_pub_vn_remove(root, top, "d", 1));
	V0(rump_pub_vn_remove(root, top, "g", 0));
	V0(rump_pub_vn_remove(root, top, "l", 0));
	VE(EINVAL, rump_pub_vn_remove(root, top, ".", 1));
	V0(rump_pub_vn_getattr(root, f, &sb));	/* still referenced */
	ATF_REQUIRE_EQ(sb.st_nlink, 0);
	list(root, top, buf, sizeof(buf));
	ATF_REQUIRE_MSG(strstr(buf, "d ") == NULL && strstr(buf, " f") ==
	    NULL, "%s", buf);

	rump_pub_vn_rele(f);
	rump_pub_vn_rele(g);
	rump_pub_vn_rele(d);
	rump_pub_vn_rele(l);
	rump_pub_vn_rele(top);
	rump_pub_cred_release(user);
	rump_pub_cred_release(root);
}

ATF_TP_ADD_TCS(tp)
{

	FSTEST_ADD(tp, vnode_ops);
	return atf_no_error();
}
