/*
 * FFS in partitions: images partitioned by util-linux's sfdisk (MBR and
 * GPT) and with a NetBSD disklabel (written by diskimg.c), holding a
 * UFS1 file system (from makefs) in one partition, a UFS2 one in
 * another and plain data in a third.  Each file system is mounted
 * read-write through its magic path and written; the bytes of every
 * other partition, and of the table, stay as they were; both mount
 * again with what was written, and fsck_ffs finds them clean.
 */

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_mount.h>
#include <rump/rump_syscalls.h>

#include "diskimg.h"

#define IMGSIZE		(48ULL << 20)
#define SEC		DISKIMG_SEC
#define PSTART1		2048		/* sectors */
#define PSIZE		32768		/* 16 MiB */
#define PSTART2		(PSTART1 + PSIZE)
#define PSTART3		(PSTART2 + PSIZE)
#define PSIZE3		16384
#define DATABYTE	0xa5

#define RL(x)	ATF_REQUIRE_MSG((x) != -1, "%s: %s", #x, strerror(errno))

/* A UFS version file system of PSIZE sectors, copied to sector start. */
static void
put_ffs(const char *img, int version, uint64_t start)
{
	ATF_REQUIRE_EQ_MSG(diskimg_makefs("fs.img", version,
	    (uint64_t)PSIZE * SEC, 0), 0, "makefs failed");
	diskimg_copyin(img, start * SEC, "fs.img");
}

static unsigned char *
slurp(const char *img)
{
	unsigned char *buf;
	int fd;

	ATF_REQUIRE((buf = malloc(IMGSIZE)) != NULL);
	RL(fd = open(img, O_RDONLY));
	ATF_REQUIRE_EQ(pread(fd, buf, IMGSIZE, 0), (ssize_t)IMGSIZE);
	close(fd);
	return buf;
}

/* Every byte outside sectors [start, start + size) is as in old. */
static void
same_outside(const char *img, const unsigned char *old, uint64_t start,
    uint64_t size)
{
	unsigned char *now = slurp(img);
	uint64_t i, lo = start * SEC, hi = (start + size) * SEC;
	bool changed = false;

	for (i = 0; i < IMGSIZE; i++) {
		if (i >= lo && i < hi) {
			changed |= now[i] != old[i];
			continue;
		}
		ATF_REQUIRE_MSG(now[i] == old[i], "byte %llu outside the "
		    "partition changed", (unsigned long long)i);
	}
	ATF_REQUIRE_MSG(changed, "the partition itself did not change");
	free(now);
}

static void
mount_part(const char *key, const char *mnt, int flags)
{
	struct ufs_args args = { .fspec = key };

	(void)rump_sys_mkdir(mnt, 0755);
	RL(rump_sys_mount("ffs", mnt, flags, &args, sizeof(args)));
}

/* Files named after the mount point, with its name as data. */
static void
write_files(const char *mnt)
{
	static char big[300 * 1024];
	char path[64];
	int fd, i;

	for (i = 0; i < (int)sizeof(big); i++)
		big[i] = (char)(i ^ mnt[1]);
	snprintf(path, sizeof(path), "%s/dir", mnt);
	RL(rump_sys_mkdir(path, 0755));
	snprintf(path, sizeof(path), "%s/dir/big", mnt);
	RL(fd = rump_sys_open(path, O_RDWR | O_CREAT, 0644));
	ATF_REQUIRE_EQ(rump_sys_write(fd, big, sizeof(big)),
	    (ssize_t)sizeof(big));
	RL(rump_sys_close(fd));
	snprintf(path, sizeof(path), "%s/name", mnt);
	RL(fd = rump_sys_open(path, O_RDWR | O_CREAT, 0644));
	ATF_REQUIRE_EQ(rump_sys_write(fd, mnt, strlen(mnt)),
	    (ssize_t)strlen(mnt));
	RL(rump_sys_close(fd));
}

static void
check_files(const char *mnt)
{
	static char big[300 * 1024], back[sizeof(big)];
	char path[64], buf[64];
	ssize_t n;
	int fd, i;

	for (i = 0; i < (int)sizeof(big); i++)
		big[i] = (char)(i ^ mnt[1]);
	snprintf(path, sizeof(path), "%s/dir/big", mnt);
	RL(fd = rump_sys_open(path, O_RDONLY));
	ATF_REQUIRE_EQ(rump_sys_read(fd, back, sizeof(back)),
	    (ssize_t)sizeof(back));
	ATF_REQUIRE(memcmp(big, back, sizeof(big)) == 0);
	RL(rump_sys_close(fd));
	snprintf(path, sizeof(path), "%s/name", mnt);
	RL(fd = rump_sys_open(path, O_RDONLY));
	RL(n = rump_sys_read(fd, buf, sizeof(buf)));
	ATF_REQUIRE(n == (ssize_t)strlen(mnt) && memcmp(buf, mnt, n) == 0);
	RL(rump_sys_close(fd));
}

/* fsck_ffs -n on a partition: clean. */
static void
fsck_clean(const char *magicpath)
{
	char path[256];
	char *argv[] = { RUMPTOP "/bin/fsck_ffs", "-n", "-F", path, NULL };

	snprintf(path, sizeof(path), "%s", magicpath);
	ATF_REQUIRE_EQ_MSG(diskimg_run(argv), 0, "fsck_ffs -n %s is not clean",
	    magicpath);
}

/*
 * The body shared by the table kinds: suffix1 and suffix2 name the two
 * FFS partitions, the third (sectors PSTART3..) holds DATABYTE.
 */
static void
partitions(const char *img, const char *suffix1, const char *suffix2)
{
	char p1[128], p2[128];
	unsigned char *before, fill[SEC];
	int fd;
	uint64_t s;

	put_ffs(img, 1, PSTART1);
	put_ffs(img, 2, PSTART2);
	memset(fill, DATABYTE, sizeof(fill));
	RL(fd = open(img, O_WRONLY));
	for (s = PSTART3; s < PSTART3 + PSIZE3; s++)
		ATF_REQUIRE_EQ(pwrite(fd, fill, SEC, (off_t)(s * SEC)), SEC);
	close(fd);
	snprintf(p1, sizeof(p1), "%s%s", img, suffix1);
	snprintf(p2, sizeof(p2), "%s%s", img, suffix2);

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/dev/p1", p1, RUMP_ETFS_BLK),
	    0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/dev/p2", p2, RUMP_ETFS_BLK),
	    0);

	before = slurp(img);
	mount_part("/dev/p1", "/one", 0);
	write_files("/one");
	RL(rump_sys_unmount("/one", 0));
	same_outside(img, before, PSTART1, PSIZE);
	free(before);

	before = slurp(img);
	mount_part("/dev/p2", "/two", RUMP_MNT_SYNC);
	write_files("/two");
	RL(rump_sys_unmount("/two", 0));
	same_outside(img, before, PSTART2, PSIZE);
	free(before);

	mount_part("/dev/p1", "/one", RUMP_MNT_RDONLY);
	mount_part("/dev/p2", "/two", RUMP_MNT_RDONLY);
	check_files("/one");
	check_files("/two");
	RL(rump_sys_unmount("/one", 0));
	RL(rump_sys_unmount("/two", 0));
	fsck_clean(p1);
	fsck_clean(p2);
}

ATF_TC_WITHOUT_HEAD(mbr);
ATF_TC_BODY(mbr, tc)
{
	char script[256];

	snprintf(script, sizeof(script), "label: dos\n"
	    "start=%d, size=%d, type=a9\n"
	    "start=%d, size=%d, type=a9\n"
	    "start=%d, size=%d, type=83\n",
	    PSTART1, PSIZE, PSTART2, PSIZE, PSTART3, PSIZE3);
	diskimg_sfdisk("disk.img", IMGSIZE, script);
	partitions("disk.img", "%MBR:1%", "%MBR:2%");
}

ATF_TC_WITHOUT_HEAD(gpt);
ATF_TC_BODY(gpt, tc)
{
	char script[256];

	snprintf(script, sizeof(script), "label: gpt\n"
	    "start=%d, size=%d, name=ufs1\n"
	    "start=%d, size=%d, name=ufs2\n"
	    "start=%d, size=%d, name=data\n",
	    PSTART1, PSIZE, PSTART2, PSIZE, PSTART3, PSIZE3);
	diskimg_sfdisk("disk.img", IMGSIZE, script);
	partitions("disk.img", "%GPT:name=ufs1%", "%GPT:2%");
}

ATF_TC_WITHOUT_HEAD(disklabel);
ATF_TC_BODY(disklabel, tc)
{
	const struct diskimg_part parts[] = {
		{ 'a', PSTART1, PSIZE },
		{ 'e', PSTART2, PSIZE },
		{ 'f', PSTART3, PSIZE3 },
	};

	diskimg_disklabel("disk.img", IMGSIZE, parts,
	    sizeof(parts) / sizeof(parts[0]), 16);
	partitions("disk.img", "%DISKLABEL:a%", "%DISKLABEL:e%");
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, mbr);
	ATF_TP_ADD_TC(tp, gpt);
	ATF_TP_ADD_TC(tp, disklabel);
	return atf_no_error();
}
