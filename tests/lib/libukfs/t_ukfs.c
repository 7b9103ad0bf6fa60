/*
 * libukfs: images made by Debian's makefs mounted, read and written
 * through ukfs, checked with fsck_ffs afterwards; and every failure a
 * user meets (no such file, no such partition, not an FFS file
 * system, not unmounted cleanly, mounted already, busy, no such file
 * system type) as an errno and a line that names it.
 */

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/ukfs.h>

#include "diskimg.h"

#define RL(x)	ATF_REQUIRE_MSG((x) != -1, "%s: %s", #x, strerror(errno))
#define IMGSIZE	(16 * 1024 * 1024)

/* An FFS image from a tree with one file, hello.txt. */
static void
mkimage(const char *img, int version)
{
	char dir[64];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s.d", img);
	(void)mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s.d/hello.txt", img);
	ATF_REQUIRE((f = fopen(dir, "w")) != NULL);
	fputs("hello, ukfs\n", f);
	fclose(f);
	if (diskimg_makefs(img, version, IMGSIZE, 0) != 0)
		atf_tc_skip("makefs failed or is not installed");
}

static int
fsck(const char *img)
{
	char *argv[] = { RUMPTOP "/bin/fsck_ffs", "-n", "-F",
	    (char *)(uintptr_t)img, NULL };

	return diskimg_run(argv);
}

/* Mount expecting failure with errno want and why containing words. */
static void
mount_fails(const char *fstype, const char *img, int flags, int want,
    const char *words)
{
	char why[256];

	errno = 0;
	ATF_REQUIRE(ukfs_mount(fstype, img, flags, NULL, 0, why,
	    sizeof(why)) == NULL);
	ATF_REQUIRE_MSG(errno == want, "%s: errno %d, not %d (%s)", img,
	    errno, want, why);
	ATF_REQUIRE_MSG(strstr(why, words) != NULL, "%s: \"%s\" has no "
	    "\"%s\"", img, why, words);
	ATF_REQUIRE_MSG(strchr(why, '\n') == NULL, "why has a newline");
}

ATF_TC_WITHOUT_HEAD(readwrite);
ATF_TC_BODY(readwrite, tc)
{
	struct ukfs *fs;
	struct stat sb;
	char why[256], buf[64];
	int fd;

	mkimage("v2.img", 2);
	ATF_REQUIRE_EQ(ukfs_init(), 0);
	ATF_REQUIRE_EQ(ukfs_init(), 0);		/* again: nothing to do */

	/* Read-only: makefs's file, byte for byte. */
	fs = ukfs_mount("ffs", "v2.img", UKFS_RDONLY, NULL, 0, why,
	    sizeof(why));
	ATF_REQUIRE_MSG(fs != NULL, "%s", why);
	ATF_REQUIRE_STREQ(ukfs_image(fs), "v2.img");
	ATF_REQUIRE_EQ(ukfs_read(fs, "hello.txt", 0, buf, sizeof(buf)), 12);
	ATF_REQUIRE_EQ(memcmp(buf, "hello, ukfs\n", 12), 0);
	RL(ukfs_stat(fs, "/hello.txt", &sb));
	ATF_REQUIRE_EQ(sb.st_size, 12);
	ATF_REQUIRE_EQ(ukfs_write(fs, "new", 0, "x", 1), -1);
	ATF_REQUIRE_EQ(errno, EROFS);
	RL(ukfs_release(fs, 0));

	/* Read-write: new files, a directory, a removal. */
	fs = ukfs_mount("ffs", "v2.img", 0, NULL, 0, why, sizeof(why));
	ATF_REQUIRE_MSG(fs != NULL, "%s", why);
	RL(ukfs_mkdir(fs, "dir", 0755));
	ATF_REQUIRE_EQ(ukfs_write(fs, "dir/a", 0, "alpha", 5), 5);
	ATF_REQUIRE_EQ(ukfs_write(fs, "dir/a", 100000, "omega", 5), 5);
	ATF_REQUIRE_EQ(ukfs_write(fs, "gone", 0, "x", 1), 1);
	RL(ukfs_remove(fs, "gone"));
	RL(ukfs_mkdir(fs, "emptydir", 0700));
	RL(ukfs_remove(fs, "emptydir"));
	RL(ukfs_sync(fs));

	/* Busy while a file is open. */
	RL(fd = ukfs_open(fs, "dir/a", O_RDONLY, 0));
	ATF_REQUIRE_EQ(ukfs_release(fs, 0), -1);
	ATF_REQUIRE_EQ(errno, EBUSY);
	RL(rump_sys_close(fd));
	RL(ukfs_release(fs, 0));
	ATF_REQUIRE_EQ(fsck("v2.img"), 0);

	/* Mounted again, all of it is there. */
	fs = ukfs_mount("ffs", "v2.img", UKFS_RDONLY, NULL, 0, why,
	    sizeof(why));
	ATF_REQUIRE_MSG(fs != NULL, "%s", why);
	ATF_REQUIRE_EQ(ukfs_read(fs, "dir/a", 100000, buf, sizeof(buf)), 5);
	ATF_REQUIRE_EQ(memcmp(buf, "omega", 5), 0);
	ATF_REQUIRE_EQ(ukfs_stat(fs, "gone", &sb), -1);
	ATF_REQUIRE_EQ(errno, ENOENT);
	RL(ukfs_release(fs, 0));
}

ATF_TC_WITHOUT_HEAD(partition_and_tmpfs);
ATF_TC_BODY(partition_and_tmpfs, tc)
{
	static const struct diskimg_part parts[] = {
		{ 'a', 2048, IMGSIZE / DISKIMG_SEC },
	};
	struct ukfs *fs, *tfs;
	char why[256], buf[16];

	mkimage("part.img", 1);
	diskimg_disklabel("disk.img", 2 * IMGSIZE, parts, 1, 1);
	diskimg_copyin("disk.img", 2048 * DISKIMG_SEC, "part.img");
	fs = ukfs_mount("ffs", "disk.img%DISKLABEL:a%", 0, NULL, 0, why,
	    sizeof(why));
	ATF_REQUIRE_MSG(fs != NULL, "%s", why);
	ATF_REQUIRE_EQ(ukfs_read(fs, "hello.txt", 0, buf, 5), 5);
	/* tmpfs: no image, at the same time. */
	tfs = ukfs_mount("tmpfs", NULL, 0, NULL, 0, why, sizeof(why));
	ATF_REQUIRE_MSG(tfs != NULL, "%s", why);
	ATF_REQUIRE(strcmp(ukfs_mountpath(fs), ukfs_mountpath(tfs)) != 0);
	ATF_REQUIRE_EQ(ukfs_write(tfs, "t", 0, "tmp", 3), 3);
	RL(ukfs_release(tfs, 0));
	RL(ukfs_release(fs, 0));
	ATF_REQUIRE_EQ(fsck("disk.img%DISKLABEL:a%"), 0);
}

ATF_TC_WITHOUT_HEAD(errors);
ATF_TC_BODY(errors, tc)
{
	static const struct diskimg_part parts[] = {
		{ 'a', 2048, 2048 },
	};
	struct ukfs *fs;
	char why[256];
	pid_t pid;
	int st, fd;

	mkimage("v1.img", 1);
	diskimg_disklabel("disk.img", IMGSIZE, parts, 1, 1);
	RL(fd = open("zero.img", O_RDWR | O_CREAT | O_TRUNC, 0644));
	RL(ftruncate(fd, IMGSIZE));
	close(fd);
	/*
	 * A process that dies with v1.img mounted read-write leaves it not
	 * clean.  Forked before this one boots a kernel: a kernel's threads
	 * do not survive fork().
	 */
	RL(pid = fork());
	if (pid == 0) {
		if (ukfs_mount("ffs", "v1.img", 0, NULL, 0, NULL, 0) == NULL)
			_exit(1);
		_exit(0);
	}
	RL(waitpid(pid, &st, 0));
	ATF_REQUIRE(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	mount_fails("ffs", "none.img", 0, ENOENT, "none.img: No such file");
	mount_fails("ffs", "disk.img%DISKLABEL:c%", 0, ENXIO,
	    "no partition c");
	mount_fails("ffs", "v1.img%GPT:1%", 0, EINVAL, "no GPT");
	mount_fails("ffs", "zero.img", 0, EINVAL,
	    "zero.img: not a usable ffs file system");
	mount_fails("ffs", "disk.img%DISKLABEL:a%", UKFS_RDONLY, EINVAL,
	    "not a usable ffs");
	mount_fails("nosuchfs", "v1.img", 0, ENODEV, "-lrumpfs_nosuchfs");

	/* Mounted already, in this process. */
	fs = ukfs_mount("ffs", "v1.img", UKFS_RDONLY, NULL, 0, why,
	    sizeof(why));
	ATF_REQUIRE_MSG(fs != NULL, "%s", why);
	mount_fails("ffs", "./v1.img", UKFS_RDONLY, EBUSY, "mounted already");
	RL(ukfs_release(fs, 0));

	/* Left mounted read-write by the process that died above. */
	mount_fails("ffs", "v1.img", 0, EUCLEAN, "not unmounted cleanly");
	fs = ukfs_mount("ffs", "v1.img", UKFS_RDONLY, NULL, 0, why,
	    sizeof(why));
	ATF_REQUIRE_MSG(fs != NULL, "read-only: %s", why);
	RL(ukfs_release(fs, 0));
	fs = ukfs_mount("ffs", "v1.img", UKFS_FORCE, NULL, 0, why,
	    sizeof(why));
	ATF_REQUIRE_MSG(fs != NULL, "forced: %s", why);
	RL(ukfs_release(fs, 0));
	/* Bad calls. */
	ATF_REQUIRE(ukfs_mount("ffs", "v1.img", 0x100, NULL, 0, NULL, 0) ==
	    NULL);
	ATF_REQUIRE_EQ(errno, EINVAL);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, readwrite);
	ATF_TP_ADD_TC(tp, partition_and_tmpfs);
	ATF_TP_ADD_TC(tp, errors);
	return atf_no_error();
}
