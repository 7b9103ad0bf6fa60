/*
 * The file systems the VFS tests run against, and the harness that runs
 * each test body once per file system (tests, host side; see fstest.h).
 *
 * To add a file system: write its adapter below (mount, unmount, and
 * where it keeps data on the host, check and cleanup), add one line to
 * fstest_filesystems[], and link its component library (FSTEST_LIBS in
 * fstest.mk).  Every test program built with fstest.c then gets one
 * more test case per body.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_mount.h>
#include <rump/rump_syscalls.h>

#include "diskimg.h"
#include "fstest.h"

/* ------------------------------------------------------------------ */
/* tmpfs: memory only; nothing on the host to make, check or remove.  */

#define TMPFS_FEATURES							\
	(FS_HAS_HARDLINKS | FS_HAS_SYMLINKS | FS_HAS_FIFOS |		\
	FS_HAS_DEVICES | FS_HAS_OWNERS | FS_HAS_PERMS |			\
	FS_HAS_NSEC_TIMES | FS_HAS_ATIME | FS_HAS_SPARSE |		\
	FS_HAS_BIGFILES | FS_HAS_SIZE_LIMIT | FS_HAS_NODE_LIMIT |	\
	FS_HAS_ROOT_ATTRS | FS_HAS_RDONLY | FS_HAS_LOCKS |		\
	FS_HAS_STATVFS_EXACT)

static int
tmpfs_mount(struct fstest_mnt *fm)
{
	const struct fstest_args *fa = &fm->fm_args;
	struct tmpfs_args ta;
	void *data;
	size_t len;

	memset(&ta, 0, sizeof(ta));
	ta.ta_version = RUMP_TMPFS_ARGS_VERSION;
	ta.ta_size_max = fa->fa_size;
	ta.ta_nodes_max = fa->fa_nodes;
	if (fa->fa_setroot) {
		ta.ta_root_uid = fa->fa_root_uid;
		ta.ta_root_gid = fa->fa_root_gid;
		ta.ta_root_mode = fa->fa_root_mode;
	}
	/* The defaults go through the "no argument" path of mount(). */
	if (fa->fa_size == 0 && fa->fa_nodes == 0 && !fa->fa_setroot) {
		data = NULL;
		len = 0;
	} else {
		data = &ta;
		len = sizeof(ta);
	}
	if (rump_sys_mount(fm->fm_fs->fs_type, fm->fm_path, fa->fa_flags,
	    data, len) == -1)
		return errno;
	return 0;
}

/* ------------------------------------------------------------------ */
/* ffs, UFS1 and UFS2: an image made by Debian's makefs (ffs1, ffs2)  */
/* or by our newfs (newfs1, newfs2), registered as a block device     */
/* with etfs; fsck_ffs -n checks it after unmount.                     */

#define FFS_FEATURES							\
	(FS_HAS_HARDLINKS | FS_HAS_SYMLINKS | FS_HAS_FIFOS |		\
	FS_HAS_DEVICES | FS_HAS_OWNERS | FS_HAS_PERMS |			\
	FS_HAS_NSEC_TIMES | FS_HAS_ATIME | FS_HAS_SPARSE |		\
	FS_HAS_BIGFILES | FS_HAS_RDONLY | FS_HAS_PERSISTENCE |		\
	FS_HAS_LOCKS | FS_HAS_STATVFS_EXACT | FS_HAS_DIRECT)
#define FFS_IMGSIZE	(64 << 20)
#define FFS_INODES	8192

/*
 * Make the image: with Debian's makefs, or with our newfs (bigversion
 * 11 and 12: UFS1 and UFS2 by newfs).
 */
static int
ffs_mkfs(struct fstest_mnt *fm, int version)
{
	const struct fstest_args *fa = &fm->fm_args;
	uint64_t size = fa->fa_size != 0 ? fa->fa_size : FFS_IMGSIZE;
	uint64_t nodes = fa->fa_nodes != 0 ? fa->fa_nodes : FFS_INODES;
	char opt[32], sz[32], inodes[32];
	char *newfs[] = { RUMPTOP "/bin/newfs", "-q", "-F", "-O", opt, "-s",
	    sz, "-i", inodes, fm->fm_store, NULL };
	int fd;

	snprintf(sz, sizeof(sz), "%llub", (unsigned long long)size);
	if (version > 10) {
		snprintf(opt, sizeof(opt), "%d", version - 10);
		snprintf(inodes, sizeof(inodes), "%llu",
		    (unsigned long long)(size / nodes));
		if ((fd = open(fm->fm_store, O_RDWR | O_CREAT | O_TRUNC,
		    0644)) == -1)
			return errno;
		close(fd);
		return diskimg_run(newfs) == 0 ? 0 : EIO;
	}
	return diskimg_makefs(fm->fm_store, version, size, nodes) == 0 ? 0 :
	    EIO;
}

static int
ffs_mountv(struct fstest_mnt *fm, int version)
{
	const struct fstest_args *fa = &fm->fm_args;
	char key[600];
	struct ufs_args args;
	int error;

	snprintf(key, sizeof(key), "/dev/%s", strrchr(fm->fm_store, '/') + 1);
	if ((!fa->fa_keep || access(fm->fm_store, F_OK) == -1) &&
	    (error = ffs_mkfs(fm, version)) != 0)
		return error;
	if ((error = rump_pub_etfs_register(key, fm->fm_store,
	    RUMP_ETFS_BLK)) != 0)
		return error;
	args.fspec = key;
	if (rump_sys_mount(fm->fm_fs->fs_type, fm->fm_path, fa->fa_flags,
	    &args, sizeof(args)) == -1)
		return errno;
	return 0;
}

static int
ffs1_mount(struct fstest_mnt *fm)
{

	return ffs_mountv(fm, 1);
}

static int
ffs2_mount(struct fstest_mnt *fm)
{

	return ffs_mountv(fm, 2);
}

static int
newfs1_mount(struct fstest_mnt *fm)
{

	return ffs_mountv(fm, 11);
}

static int
newfs2_mount(struct fstest_mnt *fm)
{

	return ffs_mountv(fm, 12);
}

/* fsck_ffs -n: the image is consistent. */
static int
ffs_check(struct fstest_mnt *fm)
{
	char *argv[] = { RUMPTOP "/bin/fsck_ffs", "-n", "-F", fm->fm_store,
	    NULL };

	return diskimg_run(argv) == 0 ? 0 : EIO;
}

/* The image stays (in the test's work directory) for a remount. */
static void
ffs_cleanup(struct fstest_mnt *fm)
{
	char path[600];

	snprintf(path, sizeof(path), "/dev/%s", strrchr(fm->fm_store, '/') + 1);
	(void)rump_pub_etfs_remove(path);
}

/* ------------------------------------------------------------------ */
/* Shared by the adapters.                                             */

static int
generic_unmount(struct fstest_mnt *fm, int flags)
{

	if (rump_sys_unmount(fm->fm_path, flags) == -1)
		return errno;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The table.                                                          */

const struct fstest_fs fstest_filesystems[] = {
	/* name, mount type, features, mount, unmount, check, cleanup */
	{ "tmpfs", "tmpfs", TMPFS_FEATURES, tmpfs_mount, generic_unmount,
	    NULL, NULL },
	{ "ffs1", "ffs", FFS_FEATURES, ffs1_mount, generic_unmount,
	    ffs_check, ffs_cleanup },
	{ "ffs2", "ffs", FFS_FEATURES, ffs2_mount, generic_unmount,
	    ffs_check, ffs_cleanup },
	{ "newfs1", "ffs", FFS_FEATURES, newfs1_mount, generic_unmount,
	    ffs_check, ffs_cleanup },
	{ "newfs2", "ffs", FFS_FEATURES, newfs2_mount, generic_unmount,
	    ffs_check, ffs_cleanup },
};
const size_t fstest_nfilesystems =
    sizeof(fstest_filesystems) / sizeof(fstest_filesystems[0]);

/* ------------------------------------------------------------------ */
/* Feature names, for skips and messages.                              */

static const struct {
	unsigned	flag;
	const char	*name;
} fstest_flagtab[] = {
	{ FS_HAS_HARDLINKS,	"hard links" },
	{ FS_HAS_SYMLINKS,	"symbolic links" },
	{ FS_HAS_FIFOS,		"fifos" },
	{ FS_HAS_DEVICES,	"device nodes" },
	{ FS_HAS_OWNERS,	"owners" },
	{ FS_HAS_PERMS,		"permission bits" },
	{ FS_HAS_NSEC_TIMES,	"nanosecond times" },
	{ FS_HAS_ATIME,		"access times" },
	{ FS_HAS_SPARSE,	"sparse files" },
	{ FS_HAS_BIGFILES,	"files past 4 GiB" },
	{ FS_HAS_SIZE_LIMIT,	"a size limit" },
	{ FS_HAS_NODE_LIMIT,	"a file count limit" },
	{ FS_HAS_ROOT_ATTRS,	"root attributes at mount" },
	{ FS_HAS_RDONLY,	"read-only mounts" },
	{ FS_HAS_PERSISTENCE,	"persistence across mounts" },
	{ FS_HAS_LOCKS,		"advisory locks" },
	{ FS_HAS_STATVFS_EXACT,	"exact block counts" },
	{ FS_HAS_DIRECT,	"O_DIRECT past the cache" },
};

const char *
fstest_flagnames(unsigned flags)
{
	static char buf[512];

	size_t i, len;

	buf[0] = '\0';
	len = 0;
	for (i = 0; i < sizeof(fstest_flagtab) / sizeof(fstest_flagtab[0]);
	    i++) {
		if ((flags & fstest_flagtab[i].flag) == 0)
			continue;
		if (len < sizeof(buf))
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
			    "%s%s", len == 0 ? "" : ", ",
			    fstest_flagtab[i].name);
	}
	return buf;
}

void
fstest_require(const struct fstest_fs *fs, unsigned flags)
{
	unsigned missing = flags & ~fs->fs_flags;

	if (missing != 0)
		atf_tc_skip("%s has no %s", fs->fs_name,
		    fstest_flagnames(missing));
}

/* ------------------------------------------------------------------ */
/* Mounts made in this test case.                                      */

#define FSTEST_MAXMNT	8

static struct fstest_mnt fstest_mnts[FSTEST_MAXMNT];
static bool fstest_halted;

static struct fstest_mnt *
fstest_findmnt(const char *path)
{
	size_t i;

	for (i = 0; i < FSTEST_MAXMNT; i++)
		if (fstest_mnts[i].fm_fs != NULL &&
		    strcmp(fstest_mnts[i].fm_path, path) == 0)
			return &fstest_mnts[i];
	return NULL;
}

/* The backing store is gone: forget the slot. */
static void
fstest_dropmnt(struct fstest_mnt *fm)
{

	if (fm->fm_fs->fs_cleanup != NULL)
		fm->fm_fs->fs_cleanup(fm);
	memset(fm, 0, sizeof(*fm));
}

/* The test's work directory, where backing stores go. */
static char fstest_workdir[256];

int
fstest_mount(const struct fstest_fs *fs, const char *path,
    const struct fstest_args *args)
{
	struct fstest_mnt *fm;
	size_t i;
	int error;

	if (strlen(path) >= sizeof(fm->fm_path))
		return ENAMETOOLONG;
	if (fstest_findmnt(path) != NULL)
		return EBUSY;
	for (i = 0; i < FSTEST_MAXMNT; i++)
		if (fstest_mnts[i].fm_fs == NULL)
			break;
	if (i == FSTEST_MAXMNT)
		return ENFILE;
	fm = &fstest_mnts[i];
	if (rump_sys_mkdir(path, 0755) == -1 && errno != EEXIST)
		return errno;

	memset(fm, 0, sizeof(*fm));
	fm->fm_fs = fs;
	snprintf(fm->fm_path, sizeof(fm->fm_path), "%s", path);
	/* In the directory of the first mount, whatever the cwd is now. */
	if (fstest_workdir[0] == '\0' &&
	    getcwd(fstest_workdir, sizeof(fstest_workdir)) == NULL)
		return errno;
	snprintf(fm->fm_store, sizeof(fm->fm_store), "%s/fstest%zu.%s",
	    fstest_workdir, i, fs->fs_name);
	if (args != NULL)
		fm->fm_args = *args;
	if ((error = fs->fs_mount(fm)) != 0) {
		fstest_dropmnt(fm);
		return error;
	}
	fm->fm_mounted = true;
	return 0;
}

int
fstest_unmount(const char *path, int flags)
{
	struct fstest_mnt *fm;
	int error;

	if ((fm = fstest_findmnt(path)) == NULL)
		return EINVAL;
	if ((error = fm->fm_fs->fs_unmount(fm, flags)) != 0)
		return error;
	fm->fm_mounted = false;
	error = fm->fm_fs->fs_check != NULL ? fm->fm_fs->fs_check(fm) : 0;
	fstest_dropmnt(fm);
	return error;
}

int
fstest_halt(void)
{
	struct fstest_mnt *fm;
	int error, e;
	size_t i;

	if (rump_sys_reboot(RUMP_RB_HALT, NULL) == -1)
		return errno;
	fstest_halted = true;
	error = 0;
	for (i = 0; i < FSTEST_MAXMNT; i++) {
		fm = &fstest_mnts[i];
		if (fm->fm_fs == NULL)
			continue;
		fm->fm_mounted = false;
		e = fm->fm_fs->fs_check != NULL ? fm->fm_fs->fs_check(fm) : 0;
		if (error == 0)
			error = e;
		fstest_dropmnt(fm);
	}
	return error;
}

/* ------------------------------------------------------------------ */
/* Test cases: one per (body, file system).                            */

struct fstest_case {
	atf_tc_t	fc_atf;
	char		fc_ident[128];
	char		fc_descr[256];
	const struct fstest_tc *fc_tc;
	const struct fstest_fs *fc_fs;
};

/* Every case made; kept so that none is lost while ATF may use it. */
static struct fstest_case **fstest_cases;
static size_t fstest_ncases;

static const struct fstest_case *
fstest_case_of(const atf_tc_t *tc)
{
	const char *ident = atf_tc_get_ident(tc);
	size_t i;

	for (i = 0; i < fstest_ncases; i++)
		if (strcmp(fstest_cases[i]->fc_ident, ident) == 0)
			return fstest_cases[i];
	atf_tc_fail("fstest: no test case %s", ident);
}

static void
fstest_head(atf_tc_t *tc)
{
	const struct fstest_case *fc = fstest_case_of(tc);

	atf_tc_set_md_var(tc, "descr", "%s", fc->fc_descr);
	if (fc->fc_tc->ft_timeout > 0)
		atf_tc_set_md_var(tc, "timeout", "%d", fc->fc_tc->ft_timeout);
}

static void
fstest_body(const atf_tc_t *tc)
{
	const struct fstest_case *fc = fstest_case_of(tc);
	const struct fstest_tc *t = fc->fc_tc;
	const struct fstest_fs *fs = fc->fc_fs;
	struct lwp *l0;
	char cwd[1024];
	int error, i;

	fstest_require(fs, t->ft_needs);
	if (t->ft_memlimit != NULL)
		setenv("RUMP_MEMLIMIT", t->ft_memlimit, 1);
	if ((error = rump_init()) != 0)
		atf_tc_fail("rump_init: %s", strerror(error));
	l0 = rump_pub_lwproc_curlwp();
	if ((error = fstest_mount(fs, FSTEST_MNT, NULL)) != 0)
		atf_tc_fail("mounting %s at %s: %s", fs->fs_name, FSTEST_MNT,
		    strerror(error));

	t->ft_body(fs, FSTEST_MNT);

	if (fstest_halted)
		return;
	/* The body must leave the kernel as it found it. */
	if (rump_pub_lwproc_curlwp() != l0)
		atf_tc_fail("the body left the thread in another process");
	if (rump_sys_getcwd(cwd, sizeof(cwd)) == -1)
		atf_tc_fail("getcwd at the end: %s", strerror(errno));
	if (strcmp(cwd, "/") != 0)
		atf_tc_fail("the body left its working directory at %s", cwd);
	for (i = FSTEST_MAXMNT - 1; i >= 0; i--) {
		struct fstest_mnt *fm = &fstest_mnts[i];
		char path[sizeof(fm->fm_path)];

		if (fm->fm_fs == NULL)
			continue;
		snprintf(path, sizeof(path), "%s", fm->fm_path);
		if ((error = fstest_unmount(path, 0)) != 0)
			atf_tc_fail("unmounting %s at the end: %s", path,
			    strerror(error));
	}
}

atf_error_t
fstest_add_tcs(atf_tp_t *tp, const struct fstest_tc *t)
{
	struct fstest_case *fc, **nc;
	atf_error_t err;
	char **config;
	size_t i;

	for (i = 0; i < fstest_nfilesystems; i++) {
		const struct fstest_fs *fs = &fstest_filesystems[i];

		nc = realloc(fstest_cases,
		    (fstest_ncases + 1) * sizeof(*fstest_cases));
		if (nc == NULL)
			return atf_no_memory_error();
		fstest_cases = nc;
		if ((fc = calloc(1, sizeof(*fc))) == NULL)
			return atf_no_memory_error();
		fstest_cases[fstest_ncases++] = fc;
		fc->fc_tc = t;
		fc->fc_fs = fs;
		snprintf(fc->fc_ident, sizeof(fc->fc_ident), "%s_%s",
		    fs->fs_name, t->ft_name);
		snprintf(fc->fc_descr, sizeof(fc->fc_descr), "%s (%s)",
		    t->ft_descr, fs->fs_name);

		if ((config = atf_tp_get_config(tp)) == NULL)
			return atf_no_memory_error();
		err = atf_tc_init(&fc->fc_atf, fc->fc_ident, fstest_head,
		    fstest_body, NULL, (const char *const *)config);
		atf_utils_free_charpp(config);
		if (atf_is_error(err))
			return err;
		if (atf_is_error(err = atf_tp_add_tc(tp, &fc->fc_atf)))
			return err;
	}
	return atf_no_error();
}
