/*
 * FFS read compatibility: images made by Debian's makefs, UFS1 and UFS2
 * at every block size from 4 KiB to 64 KiB, mounted read-only in the
 * rump kernel must show exactly the host tree they were made from
 * (ffs_test_walk.c says what is compared), report sensible statvfs
 * totals, refuse every change with EROFS and leave the image's bytes
 * alone.  One test case per version and block size.
 */

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_mount.h>
#include <rump/rump_syscalls.h>

#include "ffs_test.h"

#define RL(x)	ATF_REQUIRE_MSG((x) != -1, "%s: %s", #x, strerror(errno))

static void
report(void *arg, const char *msg)
{

	atf_tc_fail_nonfatal("%s", msg);
}

/* The bytes of the host's files, each inode once, in fragments. */
static ino_t *seen;
static size_t nseen, capseen;
static uint64_t datafrags;
static int fragsize;

static int
countdata(const char *path, const struct stat *sb, int type, struct FTW *f)
{
	size_t i;

	if (!S_ISREG(sb->st_mode))
		return 0;
	for (i = 0; i < nseen; i++)
		if (seen[i] == sb->st_ino)
			return 0;
	if (nseen == capseen) {
		capseen = capseen == 0 ? 1024 : 2 * capseen;
		ATF_REQUIRE((seen = realloc(seen, capseen *
		    sizeof(*seen))) != NULL);
	}
	seen[nseen++] = sb->st_ino;
	datafrags += ((uint64_t)sb->st_size + fragsize - 1) / fragsize;
	return 0;
}

/*
 * statvfs against the image's superblock (what makefs says) and the
 * host tree: fragments as the unit, no more blocks than the image has
 * nor fewer than its data area, free counts as written, and at least
 * the host files' bytes in use.
 */
static void
check_statvfs(const struct ffs_img *img, off_t imgsize)
{
	const struct ffs_super *fs = &img->sb;
	struct statvfs sv;

	RL(rump_sys_statvfs("/mnt", &sv));
	ATF_CHECK_EQ_MSG(sv.f_frsize, (unsigned long)fs->fs_fsize,
	    "f_frsize %lu", sv.f_frsize);
	ATF_CHECK_MSG(sv.f_bsize >= sv.f_frsize && sv.f_frsize > 0 &&
	    sv.f_bsize % sv.f_frsize == 0 &&
	    sv.f_bsize <= (unsigned long)fs->fs_bsize,
	    "f_bsize %lu, f_frsize %lu", sv.f_bsize, sv.f_frsize);
	ATF_CHECK_MSG(sv.f_blocks >= (fsblkcnt_t)fs->fs_dsize &&
	    sv.f_blocks <= (fsblkcnt_t)fs->fs_size &&
	    sv.f_blocks * sv.f_frsize <= (fsblkcnt_t)imgsize,
	    "f_blocks %llu: the image has %lld fragments, %lld for data, "
	    "%lld bytes", (unsigned long long)sv.f_blocks,
	    (long long)fs->fs_size, (long long)fs->fs_dsize,
	    (long long)imgsize);
	ATF_CHECK_MSG(sv.f_bfree == (fsblkcnt_t)(fs->fs_cstotal.cs_nbfree *
	    fs->fs_frag + fs->fs_cstotal.cs_nffree),
	    "f_bfree %llu, the superblock says %lld blocks and %lld "
	    "fragments", (unsigned long long)sv.f_bfree,
	    (long long)fs->fs_cstotal.cs_nbfree,
	    (long long)fs->fs_cstotal.cs_nffree);
	ATF_CHECK_MSG(sv.f_bavail <= sv.f_bfree, "f_bavail %llu > f_bfree",
	    (unsigned long long)sv.f_bavail);
	ATF_CHECK_MSG((sv.f_blocks - sv.f_bfree) >= datafrags,
	    "%llu fragments in use, the host files need %llu",
	    (unsigned long long)(sv.f_blocks - sv.f_bfree),
	    (unsigned long long)datafrags);
	ATF_CHECK_MSG(sv.f_files <= (fsfilcnt_t)fs->fs_ncg * fs->fs_ipg &&
	    sv.f_files + FFS_ROOTINO >= (fsfilcnt_t)fs->fs_ncg * fs->fs_ipg,
	    "f_files %llu of %d x %d", (unsigned long long)sv.f_files,
	    fs->fs_ncg, fs->fs_ipg);
	ATF_CHECK_MSG(sv.f_ffree == (fsfilcnt_t)fs->fs_cstotal.cs_nifree,
	    "f_ffree %llu, the superblock says %lld",
	    (unsigned long long)sv.f_ffree,
	    (long long)fs->fs_cstotal.cs_nifree);
	ATF_CHECK_MSG(sv.f_ffree <= sv.f_files && sv.f_favail <= sv.f_ffree,
	    "f_ffree %llu, f_favail %llu", (unsigned long long)sv.f_ffree,
	    (unsigned long long)sv.f_favail);
	ATF_CHECK_EQ_MSG(sv.f_namemax, (unsigned long)FFS_MAXNAMLEN,
	    "f_namemax %lu", sv.f_namemax);
	ATF_CHECK_MSG((sv.f_flag & ST_RDONLY) != 0, "f_flag %#lx",
	    sv.f_flag);
}

#define EROFS_CHECK(call) do {						\
	errno = 0;							\
	ATF_CHECK_MSG((call) == -1 && errno == EROFS, "%s: %s", #call,	\
	    errno == 0 ? "succeeded" : strerror(errno));		\
} while (/* CONSTCOND */ 0)

/* Read-only: every change is EROFS, and nothing appears. */
static void
check_readonly(void)
{
	static const struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };
	struct stat sb;
	char c = 'x';
	int fd;

	EROFS_CHECK(rump_sys_open("/mnt/sizes/s1", O_WRONLY));
	EROFS_CHECK(rump_sys_open("/mnt/sizes/s1", O_RDWR));
	EROFS_CHECK(rump_sys_open("/mnt/sizes/s1", O_RDONLY | O_TRUNC));
	EROFS_CHECK(rump_sys_open("/mnt/newfile", O_WRONLY | O_CREAT,
	    0644));
	EROFS_CHECK(rump_sys_open("/mnt/many/newfile", O_RDWR | O_CREAT |
	    O_EXCL, 0644));
	EROFS_CHECK(rump_sys_mkdir("/mnt/newdir", 0755));
	EROFS_CHECK(rump_sys_mkfifo("/mnt/newfifo", 0644));
	EROFS_CHECK(rump_sys_symlink("x", "/mnt/newlink"));
	EROFS_CHECK(rump_sys_link("/mnt/sizes/s1", "/mnt/newhard"));
	EROFS_CHECK(rump_sys_unlink("/mnt/sizes/s1"));
	EROFS_CHECK(rump_sys_rmdir("/mnt/emptydir"));
	EROFS_CHECK(rump_sys_rename("/mnt/sizes/s1", "/mnt/sizes/s1x"));
	EROFS_CHECK(rump_sys_rename("/mnt/sizes/s1", "/mnt/empty"));
	EROFS_CHECK(rump_sys_chmod("/mnt/sizes/s1", 0600));
	EROFS_CHECK(rump_sys_chown("/mnt/sizes/s1", 1, 1));
	EROFS_CHECK(rump_sys_utimensat(AT_FDCWD, "/mnt/sizes/s1", ts, 0));
	EROFS_CHECK(rump_sys_truncate("/mnt/sizes/s1", 0));
	RL(fd = rump_sys_open("/mnt/sizes/s1", O_RDONLY));
	errno = 0;
	ATF_CHECK_MSG(rump_sys_write(fd, &c, 1) == -1 && errno == EBADF,
	    "write to a read-only descriptor: %s", strerror(errno));
	EROFS_CHECK(rump_sys_fchmod(fd, 0600));
	EROFS_CHECK(rump_sys_futimens(fd, ts));
	RL(rump_sys_close(fd));
	ATF_CHECK(rump_sys_lstat("/mnt/newfile", &sb) == -1 &&
	    errno == ENOENT);
	ATF_CHECK(rump_sys_lstat("/mnt/newdir", &sb) == -1 &&
	    errno == ENOENT);
}

static void
makefs_case(int version, int bsize, int fsize)
{
	struct ffs_treeopt o = { .bsize = bsize, .fsize = fsize, .big = true };
	struct ufs_args args = { .fspec = "/dev/ffs0" };
	struct ffs_walk w;
	struct ffs_img img;
	struct stat sb;
	uint64_t before, after;
	char err[256], more[64];

	ffs_mktree("tree", &o);
	/*
	 * makefs sizes the image for the data and the inodes, but gives
	 * no more than one inode per fragment: room for 6000.
	 */
	snprintf(more, sizeof(more), "-M %d", 6000 * fsize);
	ffs_makefs("ffs.img", "tree", version, bsize, fsize, more);
	ATF_REQUIRE_MSG(ffs_img_load(&img, "ffs.img", err, sizeof(err)) == 0,
	    "%s", err);
	ATF_REQUIRE_MSG(img.ufs2 == (version == 2) && img.sb.fs_bsize ==
	    bsize && img.sb.fs_fsize == fsize, "makefs made UFS%d, %d/%d",
	    img.ufs2 ? 2 : 1, img.sb.fs_bsize, img.sb.fs_fsize);
	RL(stat("ffs.img", &sb));
	fragsize = fsize;
	ATF_REQUIRE_EQ(nftw("tree", countdata, 64, FTW_PHYS), 0);
	before = ffs_hashfile("ffs.img");

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/dev/ffs0", "ffs.img",
	    RUMP_ETFS_BLK), 0);
	RL(rump_sys_mkdir("/mnt", 0755));
	RL(rump_sys_mount("ffs", "/mnt", RUMP_MNT_RDONLY, &args,
	    sizeof(args)));

	memset(&w, 0, sizeof(w));
	w.host = "tree";
	w.rump = "/mnt";
	w.flags = FFS_WALK_CTIME | FFS_WALK_THOROUGH;
	w.bsize = bsize;
	w.fsize = fsize;
	w.readcap = INT64_MAX;
	w.img = &img;
	w.report = report;
	w.maxfail = 30;
	ffs_walk(&w);
	check_statvfs(&img, sb.st_size);
	check_readonly();

	RL(rump_sys_unmount("/mnt", 0));
	after = ffs_hashfile("ffs.img");
	ATF_CHECK_MSG(before == after, "the read-only mount changed the "
	    "image");
	ffs_img_free(&img);
	free(seen);
}

#define MAKEFS_TC(v, b, f)						\
ATF_TC(ufs##v##_##b);							\
ATF_TC_HEAD(ufs##v##_##b, tc)						\
{									\
	atf_tc_set_md_var(tc, "descr", "makefs -o version=" #v		\
	    ",bsize=" #b ",fsize=" #f ": it shows the host tree");	\
	atf_tc_set_md_var(tc, "timeout", "900");			\
}									\
ATF_TC_BODY(ufs##v##_##b, tc)						\
{									\
	makefs_case(v, b, f);						\
}

MAKEFS_TC(1, 4096, 512)
MAKEFS_TC(1, 8192, 1024)
MAKEFS_TC(1, 16384, 2048)
MAKEFS_TC(1, 32768, 4096)
MAKEFS_TC(1, 65536, 8192)
MAKEFS_TC(2, 4096, 512)
MAKEFS_TC(2, 8192, 1024)
MAKEFS_TC(2, 16384, 2048)
MAKEFS_TC(2, 32768, 4096)
MAKEFS_TC(2, 65536, 8192)

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, ufs1_4096);
	ATF_TP_ADD_TC(tp, ufs1_8192);
	ATF_TP_ADD_TC(tp, ufs1_16384);
	ATF_TP_ADD_TC(tp, ufs1_32768);
	ATF_TP_ADD_TC(tp, ufs1_65536);
	ATF_TP_ADD_TC(tp, ufs2_4096);
	ATF_TP_ADD_TC(tp, ufs2_8192);
	ATF_TP_ADD_TC(tp, ufs2_16384);
	ATF_TP_ADD_TC(tp, ufs2_32768);
	ATF_TP_ADD_TC(tp, ufs2_65536);
	return atf_no_error();
}
