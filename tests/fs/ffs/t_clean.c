/*
 * The FFS clean flag: cleared on disk while a file system is mounted
 * read-write and set again by the unmount; a file system left dirty (its
 * process died while it was mounted) mounts read-only unless the mount
 * is forced, stays dirty after a forced mount, and is clean again once
 * fsck_ffs -y has checked it.
 */

#include <sys/stat.h>
#include <sys/statvfs.h>
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

#define IMG		"ffs.img"
#define KEY		"/dev/ffs0"
#define SBLOCK		8192	/* where Debian's makefs puts it */
#define FS_CLEAN_OFF	209	/* fs_clean in the superblock */

#define RL(x)	ATF_REQUIRE_MSG((x) != -1, "%s: %s", #x, strerror(errno))

/* The clean flag as the image file has it now. */
static int
clean_on_disk(void)
{
	unsigned char c;
	int fd;

	RL(fd = open(IMG, O_RDONLY));
	ATF_REQUIRE_EQ(pread(fd, &c, 1, SBLOCK + FS_CLEAN_OFF), 1);
	close(fd);
	return c;
}

static int
mount_ffs(int flags)
{
	struct ufs_args args = { .fspec = KEY };

	return rump_sys_mount("ffs", "/mnt", flags, &args, sizeof(args));
}

static void
boot(void)
{

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register(KEY, IMG, RUMP_ETFS_BLK), 0);
	RL(rump_sys_mkdir("/mnt", 0755));
}

static bool
mounted_rdonly(void)
{
	struct statvfs sv;

	RL(rump_sys_statvfs("/mnt", &sv));
	return (sv.f_flag & ST_RDONLY) != 0;
}

static void
clean_flag(int version)
{
	char *fsck_n[] = { RUMPTOP "/bin/fsck_ffs", "-n", "-F", IMG, NULL };
	char *fsck_y[] = { RUMPTOP "/bin/fsck_ffs", "-y", "-F", IMG, NULL };
	pid_t pid;
	int status, fd;

	ATF_REQUIRE_EQ(diskimg_makefs(IMG, version, 16 << 20, 0), 0);
	ATF_REQUIRE_EQ(clean_on_disk(), 1);

	/* A process mounts, writes and dies without unmounting. */
	RL(pid = fork());
	if (pid == 0) {
		boot();
		if (mount_ffs(0) == -1 || clean_on_disk() != 0)
			_exit(1);
		fd = rump_sys_open("/mnt/f", O_RDWR | O_CREAT, 0644);
		if (fd == -1 || rump_sys_write(fd, "x", 1) != 1 ||
		    rump_sys_fsync(fd) == -1)
			_exit(2);
		_exit(0);
	}
	RL(waitpid(pid, &status, 0));
	ATF_REQUIRE_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "the child failed (%d)", status);
	ATF_REQUIRE_EQ(clean_on_disk(), 0);
	ATF_REQUIRE(diskimg_run(fsck_n) != 0);

	/* Dirty: read-only unless forced; forced keeps it dirty. */
	boot();
	RL(mount_ffs(0));
	ATF_REQUIRE(mounted_rdonly());
	ATF_REQUIRE_EQ(rump_sys_open("/mnt/g", O_RDWR | O_CREAT, 0644), -1);
	ATF_REQUIRE_EQ(errno, EROFS);
	RL(rump_sys_unmount("/mnt", 0));
	RL(mount_ffs(RUMP_MNT_FORCE));
	ATF_REQUIRE(!mounted_rdonly());
	RL(fd = rump_sys_open("/mnt/g", O_RDWR | O_CREAT, 0644));
	RL(rump_sys_close(fd));
	RL(rump_sys_unmount("/mnt", 0));
	ATF_REQUIRE_EQ(clean_on_disk(), 0);

	/* fsck_ffs -y makes it clean; then it mounts read-write. */
	ATF_REQUIRE_EQ(diskimg_run(fsck_y), 1);
	ATF_REQUIRE_EQ(diskimg_run(fsck_n), 0);
	ATF_REQUIRE_EQ(clean_on_disk(), 1);
	RL(mount_ffs(0));
	ATF_REQUIRE(!mounted_rdonly());
	ATF_REQUIRE_EQ(clean_on_disk(), 0);
	RL(rump_sys_access("/mnt/g", F_OK));
	RL(rump_sys_unmount("/mnt", 0));
	ATF_REQUIRE_EQ(clean_on_disk(), 1);
	ATF_REQUIRE_EQ(diskimg_run(fsck_n), 0);
}

ATF_TC_WITHOUT_HEAD(clean_ufs1);
ATF_TC_BODY(clean_ufs1, tc)
{

	clean_flag(1);
}

ATF_TC_WITHOUT_HEAD(clean_ufs2);
ATF_TC_BODY(clean_ufs2, tc)
{

	clean_flag(2);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, clean_ufs1);
	ATF_TP_ADD_TC(tp, clean_ufs2);
	return atf_no_error();
}
